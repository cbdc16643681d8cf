/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command line (DESIGN.md "Command line", a contract: tests and
 * benchmarks call it). One parser serves the supervisor and every role: a
 * role is the same binary re-executed with `--role NAME` in front of the
 * user's own arguments, so all processes agree on the options by
 * construction.
 */
#ifndef LESSEE_CLI_H
#define LESSEE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

#define CLI_MAX_PREFIXES 16u
#define CLI_PATH_MAX     256u
#define CLI_IFNAME_MAX   16u   /* IFNAMSIZ */

enum cli_role {
	CLI_ROLE_SUPERVISOR,   /* no --role: the process the user started */
	CLI_ROLE_NET,
	CLI_ROLE_ENGINE,
	CLI_ROLE_APPLY,
};

enum cli_action {
	CLI_RUN,           /* get and keep a lease */
	CLI_RELEASE,       /* -r: release the stored lease and exit */
	CLI_STOP,          /* -x: stop a running lessee (pid file), no release */
	CLI_HELP,
	CLI_VERSION,
};

enum cli_resolv_mode {
	RESOLV_FILE,       /* write --resolv-conf PATH (default /etc/resolv.conf) */
	RESOLV_NONE,
	RESOLV_RESOLVCONF, /* resolvconf(8) */
	RESOLV_RESOLVED,   /* resolvectl(1) */
};

struct cli_prefix {
	uint32_t addr;     /* host byte order, no host bits */
	uint8_t len;
};

struct lessee_opts {
	enum cli_role role;
	enum cli_action action;
	char ifname[CLI_IFNAME_MAX];

	bool foreground;          /* -d */
	bool once;                /* -1: exit 2 if no lease in the timeout */
	bool oneshot;             /* --oneshot: lease, apply, exit 0 */
	bool quiet;               /* -q */
	bool verbose;             /* -v */
	uint32_t timeout_s;       /* --timeout; 0 = the default (60 s for -1/--oneshot) */

	char script[CLI_PATH_MAX];      /* -sf, "" = none */
	char pidfile[CLI_PATH_MAX];     /* -pf, "" = none */
	char leasefile[CLI_PATH_MAX];   /* -lf, default /var/lib/lessee/IFNAME.lease */

	bool no_configure;        /* --no-configure */
	bool json;                /* --json */
	bool explain;             /* --explain: print what would be sent, send nothing */
	bool anonymous;           /* --anonymous */
	bool random_mac;          /* --random-mac */
	bool random_mac_stable;   /* --random-mac=stable: one address per network */
	bool keep;                /* --keep */
	bool sandbox_debug;       /* --sandbox-debug: SIGSYS names the syscall */
	bool accept_route_override;
	enum client_acd_mode acd;

	enum cli_resolv_mode resolv_mode;
	char resolv_conf[CLI_PATH_MAX];

	uint8_t n_allow, n_deny;
	struct cli_prefix allow[CLI_MAX_PREFIXES];
	struct cli_prefix deny[CLI_MAX_PREFIXES];

	enum client_id_mode id_mode;
	uint8_t client_id[CLIENT_ID_MAX];
	uint8_t client_id_len;
	char hostname[CLIENT_HOSTNAME_MAX + 1];
	uint8_t vendor_class[CLIENT_VENDOR_MAX];
	uint8_t vendor_class_len;
	uint8_t request[CLIENT_PRL_EXTRA_MAX];  /* --request CODE,... */
	uint8_t n_request;
	bool rapid_commit;
	bool ipv6_only_preferred;
};

/*
 * Parse argv (argv[0] is the program). On error returns -1 and writes a
 * one-line reason naming the option and the value into err (the caller
 * prints it with the usage and exits 1). `-c FILE` reads the same long
 * options, one per line without the dashes; later arguments override it.
 */
int cli_parse(int argc, char *const argv[], struct lessee_opts *opts,
	      char *err, size_t err_size);

/* The usage text (for -h and after an error). */
const char *cli_usage(void);

/* Fill a client config from the options and the interface MAC. */
void cli_client_config(const struct lessee_opts *opts, const uint8_t mac[6],
		       struct client_config *cfg);

const char *cli_role_name(enum cli_role role);

#endif
