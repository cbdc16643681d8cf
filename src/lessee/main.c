/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lessee: a DHCPv4 client. main() parses the command line and becomes the
 * supervisor, or, when re-executed with --role, one of the three roles;
 * --explain runs here alone, with no role and no privilege.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lessee/cli.h"
#include "lessee/explain.h"
#include "lessee/leasefile.h"
#include "lessee/pidfile.h"
#include "lessee/roles.h"
#include "os/evloop.h"
#include "os/netlink.h"

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

/* The interface's current MAC, from the kernel (RTM_GETLINK needs no
 * privilege). 0, or 1 with the reason printed. */
static int explain_mac(const char *ifname, uint8_t mac[6])
{
	static struct nl_conn nl;
	static const uint8_t zero[6];
	struct nl_link link;
	int ifindex = (int)if_nametoindex(ifname);
	int r;

	if (ifindex == 0) {
		fprintf(stderr, "lessee: interface %s: %s\n", ifname,
			errno == ENODEV ? "no such interface" : strerror(errno));
		return 1;
	}
	r = nl_open(&nl, 0);
	if (r == 0) {
		r = nl_link_get(&nl, ifindex, &link);
		nl_close(&nl);
	}
	if (r < 0) {
		fprintf(stderr, "lessee: reading interface %s: %s\n", ifname, strerror(-r));
		return 1;
	}
	/* The engine needs a unicast Ethernet address: it is chaddr. */
	if (link.mac_len != 6 || !memcmp(link.mac, zero, 6) || (link.mac[0] & 1)) {
		fprintf(stderr, "lessee: interface %s has no unicast Ethernet MAC address "
			"(a loopback, tunnel or point-to-point link?)\n", ifname);
		return 1;
	}
	memcpy(mac, link.mac, 6);
	return 0;
}

/*
 * The stored lease, read as apply reads it (same policy, same interface
 * check), but only read: explain writes nothing. NULL with *why when none.
 */
static const struct client_lease *explain_stored(const struct lessee_opts *o,
						 uint64_t mono_ms, char *why, size_t cap)
{
	static struct leasefile_record rec;
	static struct validate_policy policy;
	struct leasefile_error err;
	struct timespec ts;
	int64_t offset_ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	offset_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - (int64_t)mono_ms;
	policy.accept_route_override = o->accept_route_override;
	policy.n_allow = o->n_allow;
	policy.n_deny = o->n_deny;
	for (size_t i = 0; i < o->n_allow; i++)
		policy.allow[i] = (struct validate_prefix){ o->allow[i].addr, o->allow[i].len };
	for (size_t i = 0; i < o->n_deny; i++)
		policy.deny[i] = (struct validate_prefix){ o->deny[i].addr, o->deny[i].len };
	if (leasefile_load(o->leasefile, offset_ms, &policy, NULL, &rec, &err) != LEASEFILE_OK) {
		snprintf(why, cap, "no usable stored lease in %s (%s)", o->leasefile, err.text);
		return NULL;
	}
	if (strcmp(rec.ifname, o->ifname) != 0) {
		snprintf(why, cap, "the lease in %s is for interface %s", o->leasefile,
			 rec.ifname);
		return NULL;
	}
	return &rec.lease;
}

/* lessee --explain: print, send nothing, change nothing. */
static int explain_main(const struct lessee_opts *opts)
{
	struct explain_input in = { .opts = opts };
	char why[640], err[300];
	struct strbuf sb;
	char *out;

	if (explain_mac(opts->ifname, in.mac) != 0)
		return 1;
	in.now_ms = mono_now_ms();
	in.stored = explain_stored(opts, in.now_ms, why, sizeof(why));
	in.no_stored_why = why;
	out = malloc(EXPLAIN_OUT_MAX);
	if (!out) {
		fprintf(stderr, "lessee: out of memory\n");
		return 1;
	}
	sb_init(&sb, out, EXPLAIN_OUT_MAX);
	if (explain_render(&in, &sb, err, sizeof(err)) != 0) {
		fprintf(stderr, "lessee: --explain: %s\n", err);
		free(out);
		return 1;
	}
	fwrite(out, 1, sb.len, stdout);
	free(out);
	return fflush(stdout) == 0 ? 0 : 1;
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
		if (opts.explain)
			return explain_main(&opts);
		break;
	}
	return supervisor_main(&opts, argc, argv);
}
