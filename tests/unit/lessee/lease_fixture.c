/* SPDX-License-Identifier: BSD-2-Clause */
#include "lease_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fixture_lease(struct client_lease *l)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };

	memset(l, 0, sizeof(*l));
	l->address = IP4(192, 0, 2, 100);
	l->prefix = 24;
	l->prefix_from_server = true;
	l->broadcast = IP4(192, 0, 2, 255);
	l->server_id = IP4(192, 0, 2, 1);
	l->n_routers = 1;
	l->routers[0] = IP4(192, 0, 2, 1);
	l->n_dns = 2;
	l->dns[0] = IP4(192, 0, 2, 53);
	l->dns[1] = IP4(198, 51, 100, 53);
	l->n_ntp = 1;
	l->ntp[0] = IP4(192, 0, 2, 123);
	strcpy(l->domain_name, "example.com");
	l->n_search = 2;
	strcpy(l->search[0], "example.com");
	strcpy(l->search[1], "lab.example.org");
	l->mtu = 1500;
	l->lease_s = 600;
	l->t1_s = 300;
	l->t2_s = 525;
	l->obtained_at = 1000;
	l->t1_at = 1000 + 300000;
	l->t2_at = 1000 + 525000;
	l->expires_at = 1000 + 600000;
	memcpy(l->mac, mac, sizeof(mac));
}

void fixture_lease_routes(struct client_lease *l)
{
	fixture_lease(l);
	l->n_routers = 0;
	l->routers[0] = 0;
	l->n_routes = 3;
	l->routes[0] = (struct wire_route){ IP4(198, 51, 100, 0), 24, IP4(192, 0, 2, 1) };
	l->routes[1] = (struct wire_route){ IP4(203, 0, 113, 0), 24, 0 };
	l->routes[2] = (struct wire_route){ 0, 0, IP4(192, 0, 2, 1) };
}

/* A 253-character name: labels of 63 characters, a tag in the first. */
static void long_name(char *out, unsigned tag)
{
	memset(out, 0, CLIENT_NAME_MAX);
	memset(out, 'a', 253);
	out[63] = out[127] = out[191] = '.';
	out[0] = (char)('a' + tag % 26);
}

void fixture_lease_full(struct client_lease *l)
{
	fixture_lease(l);
	l->n_routers = CLIENT_MAX_ROUTERS;
	for (unsigned i = 0; i < CLIENT_MAX_ROUTERS; i++)
		l->routers[i] = IP4(192, 0, 2, 200 + i);
	l->n_dns = CLIENT_MAX_DNS;
	for (unsigned i = 0; i < CLIENT_MAX_DNS; i++)
		l->dns[i] = IP4(198, 51, 100, 200 + i);
	l->n_ntp = CLIENT_MAX_NTP;
	for (unsigned i = 0; i < CLIENT_MAX_NTP; i++)
		l->ntp[i] = IP4(203, 0, 113, 200 + i);
	long_name(l->domain_name, 25);
	l->n_search = CLIENT_MAX_SEARCH;
	for (unsigned i = 0; i < CLIENT_MAX_SEARCH; i++)
		long_name(l->search[i], i);
	l->n_routes = CLIENT_MAX_ROUTES;
	for (unsigned i = 0; i < CLIENT_MAX_ROUTES; i++)
		l->routes[i] = (struct wire_route){ IP4(198, 18, 100 + i, 128), 25,
						    IP4(192, 0, 2, 200 + i % 8) };
}

void fixture_tmpdir(char *dir, size_t cap)
{
	const char *base = getenv("TMPDIR");

	if (!base || base[0] != '/')
		base = "/tmp";
	if ((size_t)snprintf(dir, cap, "%s/lessee-test-XXXXXX", base) >= cap ||
	    !mkdtemp(dir)) {
		perror("mkdtemp");
		abort();
	}
}

void fixture_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    unlinkat(dirfd(d), e->d_name, 0) < 0)
			(void)unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);   /* empty dirs */
	closedir(d);
	(void)rmdir(dir);
}

unsigned fixture_count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

long fixture_read(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0 || cap == 0)
		return -1;
	while (len + 1 < cap && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return (long)len;
}
