/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lessee: a DHCPv4 client. main() parses the command line and becomes the
 * supervisor, or, when re-executed with --role, one of the three roles.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lessee/cli.h"
#include "lessee/pidfile.h"
#include "lessee/roles.h"

#ifndef LESSEE_VERSION
#define LESSEE_VERSION "0.1.0"
#endif

/* Longer than the running lessee's own grace for its roles to stop (35 s,
 * supervisor.c), which covers its RELEASE, deconfigure and hook. */
#define STOP_WAIT_MS 40000u

/*
 * -x and -r reach the lessee running on the pid file, as dhclient does:
 * SIGTERM (stop, no release) or SIGUSR2 (release, then stop), then wait for
 * it to exit. Returns the exit status, or -1 for -r when none is running
 * (then this process releases the stored lease itself).
 */
static int stop_running(const struct lessee_opts *opts, int sig)
{
	char why[300];
	pid_t pid;

	if (!opts->pidfile[0]) {
		if (sig == SIGUSR2)
			return -1;
		fprintf(stderr, "lessee: -x needs the pid file of the running lessee (-pf)\n");
		return 1;
	}
	pid = pidfile_running(opts->pidfile, why, sizeof(why));
	if (pid < 0) {
		fprintf(stderr, "lessee: %s\n", why);
		return 1;
	}
	if (pid == 0) {
		if (sig == SIGUSR2)
			return -1;
		fprintf(stderr, "lessee: no lessee is running on pid file %s\n", opts->pidfile);
		return 1;
	}
	if (pidfile_signal_and_wait(pid, sig, STOP_WAIT_MS, why, sizeof(why)) != 0) {
		fprintf(stderr, "lessee: %s\n", why);
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
		return stop_running(&opts, SIGTERM);
	case CLI_RELEASE: {
		int rc = stop_running(&opts, SIGUSR2);
		if (rc >= 0)
			return rc;
		break;
	}
	case CLI_RUN:
		break;
	}
	return supervisor_main(&opts, argc, argv);
}
