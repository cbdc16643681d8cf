/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lessee: a DHCPv4 client. main() parses the command line and becomes the
 * supervisor, or, when re-executed with --role, one of the three roles.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lessee/cli.h"
#include "lessee/roles.h"

#ifndef LESSEE_VERSION
#define LESSEE_VERSION "0.1.0"
#endif

/* -x: stop a running lessee (its pid file) without a release. */
static int stop_running(const struct lessee_opts *opts)
{
	char buf[32];
	long pid;
	char *end;
	ssize_t n;
	int fd;

	if (!opts->pidfile[0]) {
		fprintf(stderr, "lessee: -x needs the pid file of the running lessee (-pf)\n");
		return 1;
	}
	fd = open(opts->pidfile, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		fprintf(stderr, "lessee: pid file %s: %s\n", opts->pidfile, strerror(errno));
		return 1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno || pid <= 1 || (*end != '\n' && *end != '\0')) {
		fprintf(stderr, "lessee: pid file %s does not hold a pid\n", opts->pidfile);
		return 1;
	}
	/* SIGTERM stops; --keep in the running lessee decides about its address. */
	if (kill((pid_t)pid, SIGTERM) != 0) {
		fprintf(stderr, "lessee: stopping pid %ld: %s\n", pid, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	static struct lessee_opts opts;
	char err[256];

	if (cli_parse(argc, argv, &opts, err, sizeof(err)) != 0) {
		fprintf(stderr, "lessee: %s\n%s", err, cli_usage());
		return 1;
	}
	switch (opts.role) {
	case CLI_ROLE_NET:
		return role_net_main(&opts);
	case CLI_ROLE_ENGINE:
		return role_engine_main(&opts);
	case CLI_ROLE_APPLY:
		return role_apply_main(&opts);
	case CLI_ROLE_SUPERVISOR:
		break;
	}
	switch (opts.action) {
	case CLI_HELP:
		fputs(cli_usage(), stdout);
		return 0;
	case CLI_VERSION:
		puts("lessee " LESSEE_VERSION);
		return 0;
	case CLI_STOP:
		return stop_running(&opts);
	case CLI_RUN:
	case CLI_RELEASE:
		break;
	}
	return supervisor_main(&opts, argc, argv);
}
