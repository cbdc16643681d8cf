/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The lease store: exact format, round trips (every field, monotonic <->
 * wall-clock conversion), every kind of corrupted file refused with its
 * reason (every strict prefix of a good file, garbage, NUL and non-ASCII
 * bytes, overlong lines, each key missing, duplicates, bad values, a lease
 * that fails validation), and atomic replacement (the temporary file is
 * gone after success and after simulated write and rename failures, the
 * old file intact). Everything happens in a mkdtemp() directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lease_fixture.h"
#include "lessee/leasefile.h"

/* Monotonic 1000 ms (the fixture's obtained_at) is 1700000000 s. */
#define OFFSET ((int64_t)1700000000000 - 1000)

static char dir[128];
static char path[256];
static char text[LEASEFILE_FILE_MAX + 64];
static char other[LEASEFILE_FILE_MAX + 4096];
static struct leasefile_record rec;
static struct leasefile_error err;

static int setup(void **state)
{
	(void)state;
	fixture_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/eth0.lease", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_rmdir(dir);
	return 0;
}

static size_t render(const struct client_lease *l)
{
	size_t len = 0;

	assert_int_equal(leasefile_render("eth0", l, OFFSET, text, sizeof(text), &len, &err),
			 LEASEFILE_OK);
	assert_int_equal(strlen(text), len);
	return len;
}

static enum leasefile_reason parse_str(const char *s)
{
	memset(&err, 0, sizeof(err));
	return leasefile_parse(s, strlen(s), OFFSET, NULL, NULL, &rec, &err);
}

static void assert_lease_equal(const struct client_lease *a, const struct client_lease *b)
{
	assert_int_equal(a->address, b->address);
	assert_int_equal(a->prefix, b->prefix);
	assert_int_equal(a->prefix_from_server, b->prefix_from_server);
	assert_int_equal(a->broadcast, b->broadcast);
	assert_int_equal(a->server_id, b->server_id);
	assert_int_equal(a->n_routers, b->n_routers);
	assert_memory_equal(a->routers, b->routers, a->n_routers * sizeof(a->routers[0]));
	assert_int_equal(a->n_dns, b->n_dns);
	assert_memory_equal(a->dns, b->dns, a->n_dns * sizeof(a->dns[0]));
	assert_int_equal(a->n_ntp, b->n_ntp);
	assert_memory_equal(a->ntp, b->ntp, a->n_ntp * sizeof(a->ntp[0]));
	assert_string_equal(a->domain_name, b->domain_name);
	assert_int_equal(a->n_search, b->n_search);
	for (unsigned i = 0; i < a->n_search; i++)
		assert_string_equal(a->search[i], b->search[i]);
	assert_int_equal(a->n_routes, b->n_routes);
	for (unsigned i = 0; i < a->n_routes; i++) {
		assert_int_equal(a->routes[i].dst, b->routes[i].dst);
		assert_int_equal(a->routes[i].prefix, b->routes[i].prefix);
		assert_int_equal(a->routes[i].gateway, b->routes[i].gateway);
	}
	assert_int_equal(a->mtu, b->mtu);
	assert_int_equal(a->lease_s, b->lease_s);
	assert_int_equal(a->t1_s, b->t1_s);
	assert_int_equal(a->t2_s, b->t2_s);
	assert_int_equal(a->obtained_at, b->obtained_at);
	assert_int_equal(a->t1_at, b->t1_at);
	assert_int_equal(a->t2_at, b->t2_at);
	assert_int_equal(a->expires_at, b->expires_at);
	assert_memory_equal(a->mac, b->mac, 6);
}

/* ---- format and round trips ---------------------------------------------- */

static void test_exact_format(void **state)
{
	static const char want[] =
		"# lessee lease v1\n"
		"# Written by lessee; replaced as a whole, never edited in place.\n"
		"# Times are wall-clock seconds since the epoch.\n"
		"interface=eth0\n"
		"mac=02:00:5e:10:00:01\n"
		"address=192.0.2.100\n"
		"prefix=24\n"
		"prefix_from_server=1\n"
		"broadcast=192.0.2.255\n"
		"server_id=192.0.2.1\n"
		"network_server=192.0.2.1\n"
		"network_subnet=192.0.2.0/24\n"
		"routers=\n"
		"dns=192.0.2.53,198.51.100.53\n"
		"ntp=192.0.2.123\n"
		"domain=example.com\n"
		"search=example.com,lab.example.org\n"
		"routes=198.51.100.0/24,192.0.2.1 203.0.113.0/24,0.0.0.0 0.0.0.0/0,192.0.2.1\n"
		"mtu=1500\n"
		"lease_time=600\n"
		"renewal_time=300\n"
		"rebinding_time=525\n"
		"obtained=1700000000\n"
		"renew_at=1700000300\n"
		"rebind_at=1700000525\n"
		"expires=1700000600\n";
	struct client_lease l;
	(void)state;

	fixture_lease_routes(&l);
	render(&l);
	assert_string_equal(text, want);
}

static void test_round_trip(void **state)
{
	void (*const make[])(struct client_lease *) = { fixture_lease, fixture_lease_routes,
							 fixture_lease_full };
	struct client_lease l;
	(void)state;

	for (size_t i = 0; i < sizeof(make) / sizeof(make[0]); i++) {
		make[i](&l);
		assert_int_equal(leasefile_save(path, "eth0", &l, OFFSET, &err), LEASEFILE_OK);
		assert_int_equal(leasefile_load(path, OFFSET, NULL, NULL, &rec, &err), LEASEFILE_OK);
		assert_lease_equal(&l, &rec.lease);
		assert_string_equal(rec.ifname, "eth0");
		assert_int_equal(rec.unknown_keys, 0);
		assert_int_equal(rec.net.server_id, l.server_id);
		assert_int_equal(rec.net.subnet, l.address & 0xffffff00u);
		assert_int_equal(rec.net.prefix, 24);
	}
	/* Infinite, link-local (with the policy that allows it), trailing dot. */
	fixture_lease(&l);
	l.lease_s = l.t1_s = l.t2_s = UINT32_MAX;
	l.t1_at = l.t2_at = l.expires_at = CLIENT_NEVER;
	l.address = IP4(169, 254, 7, 9);
	l.prefix = 16;
	l.broadcast = IP4(169, 254, 255, 255);
	l.n_routers = 0;
	strcpy(l.search[1], "lab.example.org.");
	l.prefix_from_server = false;
	assert_int_equal(leasefile_save(path, "wlan0", &l, OFFSET, &err), LEASEFILE_OK);
	assert_int_equal(leasefile_load(path, OFFSET, NULL, NULL, &rec, &err), LEASEFILE_INVALID);
	assert_int_equal(err.invalid, VALIDATE_ADDR_LINK_LOCAL);
	struct validate_policy ll = { .link_local = true };
	assert_int_equal(leasefile_load(path, OFFSET, &ll, NULL, &rec, &err), LEASEFILE_OK);
	assert_lease_equal(&l, &rec.lease);
	assert_string_equal(rec.ifname, "wlan0");
}

static void test_time_conversion(void **state)
{
	struct client_lease l;
	(void)state;

	/* Sub-second times round down: at most 1 s early, order kept. */
	fixture_lease(&l);
	l.obtained_at = 1999;
	l.t1_at = 1999 + 300000;
	render(&l);
	assert_non_null(strstr(text, "obtained=1700000000\n"));
	assert_non_null(strstr(text, "renew_at=1700000300\n"));
	assert_int_equal(parse_str(text), LEASEFILE_OK);
	assert_int_equal(rec.lease.obtained_at, 1000);
	assert_int_equal(rec.lease.t1_at, 301000);

	/* After a reboot the monotonic clock restarted: 10 minutes later, the
	 * new offset puts the whole lease before the origin; times clamp to 0
	 * (expired) and the lease still loads, for the engine to judge. */
	fixture_lease(&l);
	render(&l);
	assert_int_equal(leasefile_parse(text, strlen(text), OFFSET + 3600000, NULL, NULL, &rec,
					 &err), LEASEFILE_OK);
	assert_int_equal(rec.lease.obtained_at, 0);
	assert_int_equal(rec.lease.expires_at, 0);
	/* Part of the lease still ahead. */
	assert_int_equal(leasefile_parse(text, strlen(text), OFFSET + 400000, NULL, NULL, &rec,
					 &err), LEASEFILE_OK);
	assert_int_equal(rec.lease.obtained_at, 0);
	assert_int_equal(rec.lease.t1_at, 0);
	assert_int_equal(rec.lease.t2_at, 1000 + 525000 - 400000);
	assert_int_equal(rec.lease.expires_at, 1000 + 600000 - 400000);
	/* A monotonic time before the wall-clock origin is written as 0. */
	render(&l);
	assert_int_equal(leasefile_render("eth0", &l, -5000000, text, sizeof(text),
					  &(size_t){ 0 }, &err), LEASEFILE_OK);
	assert_non_null(strstr(text, "obtained=0\n"));
}

/* ---- corrupted files ----------------------------------------------------- */

static void test_every_prefix_refused(void **state)
{
	struct client_lease l;
	size_t len;
	(void)state;

	fixture_lease_full(&l);
	len = render(&l);
	for (size_t cut = 0; cut < len; cut++) {
		enum leasefile_reason r =
			leasefile_parse(text, cut, OFFSET, NULL, NULL, &rec, &err);

		if (r != LEASEFILE_TRUNCATED && r != LEASEFILE_MISSING_KEY)
			fail_msg("cut at %zu: %s (%s)", cut, leasefile_reason_name(r), err.text);
	}
	assert_int_equal(leasefile_parse(text, len, OFFSET, NULL, NULL, &rec, &err), LEASEFILE_OK);
	assert_int_equal(leasefile_parse(text, 0, OFFSET, NULL, NULL, &rec, &err),
			 LEASEFILE_TRUNCATED);
	assert_string_equal(err.text, "empty file");
}

static void test_garbage(void **state)
{
	uint8_t junk[512];
	uint64_t x = 0x9e3779b97f4a7c15u;
	(void)state;

	assert_int_equal(parse_str("hello\n"), LEASEFILE_BAD_HEADER);
	assert_int_equal(parse_str("# lessee lease v2\n"), LEASEFILE_BAD_HEADER);
	assert_int_equal(parse_str("{\"address\": \"192.0.2.1\"}\n"), LEASEFILE_BAD_HEADER);
	assert_int_equal(parse_str(LEASEFILE_HEADER "\nthis is not a key\n"), LEASEFILE_SYNTAX);
	assert_int_equal(err.line, 2);
	assert_int_equal(parse_str(LEASEFILE_HEADER "\nBad-Key=1\n"), LEASEFILE_SYNTAX);
	assert_int_equal(parse_str(LEASEFILE_HEADER "\n=1\n"), LEASEFILE_SYNTAX);
	/* Random bytes never load. */
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(junk); i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			junk[i] = (uint8_t)x;
		}
		assert_int_not_equal(leasefile_parse((const char *)junk, sizeof(junk), OFFSET, NULL,
						     NULL, &rec, &err), LEASEFILE_OK);
	}
}

/* Replace the line starting with `key=` by `repl` (NULL: drop it). */
static void edit(const char *src, const char *key, const char *repl, char *out)
{
	char pat[64];
	const char *at, *eol;

	snprintf(pat, sizeof(pat), "\n%s=", key);
	at = strstr(src, pat);
	assert_non_null(at);
	at++;
	eol = strchr(at, '\n') + 1;
	sprintf(out, "%.*s%s%s%s", (int)(at - src), src, repl ? repl : "", repl ? "\n" : "", eol);
}

static void test_bad_bytes(void **state)
{
	struct client_lease l;
	size_t len;
	const char bad[] = { '\0', '\r', '\t', 0x7f, (char)0x80, (char)0xc3, (char)0xff };
	(void)state;

	fixture_lease(&l);
	len = render(&l);
	for (size_t i = 0; i < sizeof(bad); i++) {
		memcpy(other, text, len);
		other[100] = bad[i];
		assert_int_equal(leasefile_parse(other, len, OFFSET, NULL, NULL, &rec, &err),
				 LEASEFILE_BAD_BYTE);
		assert_true(err.line > 1);
	}
	/* CRLF line ends. */
	edit(text, "mtu", "mtu=1500\r", other);
	assert_int_equal(parse_str(other), LEASEFILE_BAD_BYTE);
}

static void test_long_lines_and_files(void **state)
{
	struct client_lease l;
	char line[LEASEFILE_LINE_MAX + 16];
	int fd;
	(void)state;

	fixture_lease(&l);
	render(&l);
	/* A comment of exactly the limit is fine; one byte more is not. */
	memset(line, 'x', sizeof(line));
	line[0] = '#';
	line[LEASEFILE_LINE_MAX] = '\0';
	snprintf(other, sizeof(other), "%s%s\n", text, line);
	assert_int_equal(parse_str(other), LEASEFILE_OK);
	line[LEASEFILE_LINE_MAX] = 'x';
	line[LEASEFILE_LINE_MAX + 1] = '\0';
	snprintf(other, sizeof(other), "%s%s\n", text, line);
	assert_int_equal(parse_str(other), LEASEFILE_LINE_TOO_LONG);
	/* A file over the limit, on disk. */
	memset(other, '#', sizeof(other));
	memcpy(other, LEASEFILE_HEADER "\n", sizeof(LEASEFILE_HEADER));
	for (size_t i = 100; i < sizeof(other); i += 100)
		other[i] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, other, LEASEFILE_FILE_MAX + 1), LEASEFILE_FILE_MAX + 1);
	close(fd);
	assert_int_equal(leasefile_load(path, OFFSET, NULL, NULL, &rec, &err), LEASEFILE_TOO_LARGE);
}

static void test_each_key_required(void **state)
{
	static const char *const keys[] = {
		"interface", "mac", "address", "prefix", "prefix_from_server", "broadcast",
		"server_id", "network_server", "network_subnet", "routers", "dns", "ntp",
		"domain", "search", "routes", "mtu", "lease_time", "renewal_time",
		"rebinding_time", "obtained", "renew_at", "rebind_at", "expires", NULL,
	};
	struct client_lease l;
	char want[64];
	(void)state;

	fixture_lease(&l);
	render(&l);
	for (size_t i = 0; keys[i]; i++) {
		edit(text, keys[i], NULL, other);
		assert_int_equal(parse_str(other), LEASEFILE_MISSING_KEY);
		snprintf(want, sizeof(want), "missing key %s", keys[i]);
		assert_string_equal(err.text, want);
		/* And each once only. */
		snprintf(other, sizeof(other), "%s%s=x\n", text, keys[i]);
		assert_int_equal(parse_str(other), LEASEFILE_DUPLICATE);
	}
}

static void test_bad_values(void **state)
{
	static const char *const bad[][2] = {
		{ "interface", "interface=eth0;reboot" }, { "interface", "interface=" },
		{ "mac", "mac=02:00:5e:10:00" }, { "mac", "mac=02:00:5e:10:00:zz" },
		{ "mac", "mac=02-00-5e-10-00-01" }, { "address", "address=192.0.2.1000" },
		{ "address", "address=" }, { "prefix", "prefix=33" }, { "prefix", "prefix=024" },
		{ "prefix", "prefix=-1" }, { "prefix_from_server", "prefix_from_server=2" },
		{ "broadcast", "broadcast=1.2.3" }, { "server_id", "server_id=x" },
		{ "network_subnet", "network_subnet=192.0.2.1/24" },
		{ "dns", "dns=192.0.2.53,,198.51.100.53" }, { "dns", "dns=192.0.2.53," },
		{ "dns", "dns=1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,"
			 "1.1.1.9" },
		{ "routers", "routers= 192.0.2.1" }, { "ntp", "ntp=192.0.2.123 " },
		{ "domain", "domain=a b" }, { "domain", "domain=a;reboot" },
		{ "search", "search=example.com,,x" }, { "search", "search=a,b,c,d,e,f,g" },
		{ "search", "search=$(id)" }, { "routes", "routes=198.51.100.0/24" },
		{ "routes", "routes=198.51.100.1/24,192.0.2.1" },
		{ "routes", "routes=198.51.100.0/24,192.0.2.1 " },
		{ "mtu", "mtu=70000" }, { "mtu", "mtu=1500x" },
		{ "lease_time", "lease_time=4294967296" }, { "renewal_time", "renewal_time=" },
		{ "obtained", "obtained=never" }, { "expires", "expires=-1" },
		{ "expires", "expires=253402300800" }, { "renew_at", "renew_at=soon" },
	};
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	render(&l);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		edit(text, bad[i][0], bad[i][1], other);
		if (parse_str(other) != LEASEFILE_BAD_VALUE)
			fail_msg("%s: %s (%s)", bad[i][1], leasefile_reason_name(err.reason), err.text);
		assert_non_null(strstr(err.text, bad[i][0]));
	}
	edit(text, "mtu", "mtu=1500;", other);
	assert_int_equal(parse_str(other), LEASEFILE_BAD_VALUE);
	assert_string_equal(err.text, "line 19: bad value for mtu: \"1500;\"");
	/* 16 routes fit, 17 do not. */
	char routes[1024] = "routes=";
	for (int i = 0; i < 17; i++)
		sprintf(routes + strlen(routes), "%s198.18.%d.0/24,192.0.2.1", i ? " " : "", i);
	edit(text, "routes", routes, other);
	assert_int_equal(parse_str(other), LEASEFILE_BAD_VALUE);
	*strrchr(routes, ' ') = '\0';
	edit(text, "routes", routes, other);
	assert_int_equal(parse_str(other), LEASEFILE_OK);
	assert_int_equal(rec.lease.n_routes, 16);
}

static void test_invalid_and_mismatch(void **state)
{
	struct client_lease l;
	struct validate_policy deny = { .n_deny = 1 };
	(void)state;

	fixture_lease(&l);
	render(&l);
	edit(text, "address", "address=127.0.0.1", other);
	assert_int_equal(parse_str(other), LEASEFILE_MISMATCH);   /* subnet changed */
	edit(text, "mtu", "mtu=100", other);
	assert_int_equal(parse_str(other), LEASEFILE_INVALID);
	assert_int_equal(err.invalid, VALIDATE_MTU);
	edit(text, "renewal_time", "renewal_time=599", other);
	assert_int_equal(parse_str(other), LEASEFILE_INVALID);
	assert_int_equal(err.invalid, VALIDATE_LEASE_TIMES);
	edit(text, "expires", "expires=never", other);
	assert_int_equal(parse_str(other), LEASEFILE_INVALID);
	edit(text, "network_server", "network_server=192.0.2.2", other);
	assert_int_equal(parse_str(other), LEASEFILE_MISMATCH);
	edit(text, "network_subnet", "network_subnet=192.0.2.0/25", other);
	assert_int_equal(parse_str(other), LEASEFILE_MISMATCH);
	/* The caller's policy applies. */
	deny.deny[0] = (struct validate_prefix){ IP4(192, 0, 2, 0), 24 };
	assert_int_equal(leasefile_parse(text, strlen(text), OFFSET, &deny, NULL, &rec, &err),
			 LEASEFILE_INVALID);
	assert_int_equal(err.invalid, VALIDATE_DENIED);
	/* Unknown keys from a newer version: ignored, counted. */
	snprintf(other, sizeof(other), "%s# note\n\nfuture_key=anything at all\nv2_extra=1\n",
		 text);
	assert_int_equal(parse_str(other), LEASEFILE_OK);
	assert_int_equal(rec.unknown_keys, 2);
}

static void test_render_refusals(void **state)
{
	struct client_lease l;
	size_t len, need;
	(void)state;

	fixture_lease(&l);
	need = render(&l) + 1;
	for (size_t cap = 1; cap < need; cap++)
		assert_int_equal(leasefile_render("eth0", &l, OFFSET, other, cap, &len, &err),
				 LEASEFILE_NO_ROOM);
	assert_int_equal(leasefile_render("eth0", &l, OFFSET, other, need, &len, &err),
			 LEASEFILE_OK);
	assert_int_equal(leasefile_render("eth0", &l, OFFSET, other, 0, &len, &err),
			 LEASEFILE_BAD_ARGUMENT);
	assert_int_equal(leasefile_render("../x", &l, OFFSET, other, need, &len, &err),
			 LEASEFILE_BAD_ARGUMENT);
	/* A name with a newline would add a key: never written. */
	strcpy(l.domain_name, "x\ny");       /* over "example.com": bytes after the NUL */
	assert_int_equal(leasefile_render("eth0", &l, OFFSET, other, sizeof(other), &len, &err),
			 LEASEFILE_INVALID);
	assert_int_equal(err.invalid, VALIDATE_UNTERMINATED);
	memset(l.domain_name, 0, sizeof(l.domain_name));
	strcpy(l.domain_name, "x\nexpires=never");
	assert_int_equal(leasefile_save(path, "eth0", &l, OFFSET, &err), LEASEFILE_INVALID);
	assert_int_equal(err.invalid, VALIDATE_NAME_CHARSET);
	assert_int_equal(fixture_count_files(dir), 0);
}

/* ---- files --------------------------------------------------------------- */

static void test_save_atomic(void **state)
{
	struct client_lease l;
	struct stat sb;
	char first[LEASEFILE_FILE_MAX];
	(void)state;

	fixture_lease(&l);
	assert_int_equal(leasefile_save(path, "eth0", &l, OFFSET, &err), LEASEFILE_OK);
	assert_int_equal(fixture_count_files(dir), 1);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	render(&l);
	assert_true(fixture_read(path, first, sizeof(first)) > 0);
	assert_string_equal(first, text);
	/* Replace with another lease. */
	l.address = IP4(192, 0, 2, 101);
	assert_int_equal(leasefile_save(path, "eth0", &l, OFFSET, &err), LEASEFILE_OK);
	assert_int_equal(fixture_count_files(dir), 1);
	assert_int_equal(leasefile_load(path, OFFSET, NULL, NULL, &rec, &err), LEASEFILE_OK);
	assert_int_equal(rec.lease.address, IP4(192, 0, 2, 101));
}

/* The write fails half-way (RLIMIT_FSIZE: EFBIG): the temporary file is
 * removed and the old lease file is untouched. */
static void test_write_failure(void **state)
{
	struct client_lease l;
	struct rlimit old, small;
	char before[LEASEFILE_FILE_MAX], after[LEASEFILE_FILE_MAX];
	(void)state;

	fixture_lease(&l);
	assert_int_equal(leasefile_save(path, "eth0", &l, OFFSET, &err), LEASEFILE_OK);
	assert_true(fixture_read(path, before, sizeof(before)) > 0);
	l.address = IP4(192, 0, 2, 101);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 100;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	enum leasefile_reason r = leasefile_save(path, "eth0", &l, OFFSET, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(r, LEASEFILE_IO);
	assert_non_null(strstr(err.text, strerror(EFBIG)));
	assert_int_equal(fixture_count_files(dir), 1);
	assert_true(fixture_read(path, after, sizeof(after)) > 0);
	assert_string_equal(before, after);
}

/* The rename fails (the target is a directory): no temporary file left. */
static void test_rename_failure(void **state)
{
	struct client_lease l;
	char sub[300];
	(void)state;

	fixture_lease(&l);
	snprintf(sub, sizeof(sub), "%s/taken", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(leasefile_save(sub, "eth0", &l, OFFSET, &err), LEASEFILE_IO);
	assert_int_equal(fixture_count_files(dir), 1);
	assert_int_equal(rmdir(sub), 0);
	/* A directory that does not exist. */
	snprintf(sub, sizeof(sub), "%s/none/eth0.lease", dir);
	assert_int_equal(leasefile_save(sub, "eth0", &l, OFFSET, &err), LEASEFILE_IO);
	assert_int_equal(fixture_count_files(dir), 0);
	/* A path that ends in a slash names no file. */
	assert_int_equal(leasefile_write_atomic("/tmp/", "x", 1, 0600), -EINVAL);
}

static void test_load_refusals(void **state)
{
	struct client_lease l;
	char link[300];
	(void)state;

	assert_int_equal(leasefile_load(path, OFFSET, NULL, NULL, &rec, &err), LEASEFILE_IO);
	fixture_lease(&l);
	assert_int_equal(leasefile_save(path, "eth0", &l, OFFSET, &err), LEASEFILE_OK);
	snprintf(link, sizeof(link), "%s/link.lease", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(leasefile_load(link, OFFSET, NULL, NULL, &rec, &err), LEASEFILE_IO);
	assert_int_equal(leasefile_load(dir, OFFSET, NULL, NULL, &rec, &err), LEASEFILE_IO);
	assert_int_equal(leasefile_load(NULL, OFFSET, NULL, NULL, &rec, &err),
			 LEASEFILE_BAD_ARGUMENT);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(unlink(path), 0);
}

/* A path without a directory part is relative to the working directory. */
static void test_relative_path(void **state)
{
	char cwd[512], got[16];
	(void)state;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(leasefile_write_atomic("rel.txt", "hello\n", 6, 0644), 0);
	assert_int_equal(fixture_read("rel.txt", got, sizeof(got)), 6);
	assert_string_equal(got, "hello\n");
	assert_int_equal(unlink("rel.txt"), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(fixture_count_files(dir), 0);
}

static void test_reason_names(void **state)
{
	(void)state;

	assert_string_equal(leasefile_reason_name(LEASEFILE_MISSING_KEY), "MISSING_KEY");
	assert_string_equal(leasefile_reason_name(LEASEFILE_REASON_COUNT), "?");
	for (int r = 0; r < LEASEFILE_REASON_COUNT; r++)
		assert_true(strlen(leasefile_reason_name((enum leasefile_reason)r)) > 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_conversion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_prefix_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_lines_and_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_key_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_and_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reason_names, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
