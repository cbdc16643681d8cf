/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command line (DESIGN.md "Command line", a contract): every option
 * with its value, every refusal with its message, dhclient's argument
 * orders, the -c file (override order, lists, bad and overlong lines), the
 * hidden --role, and the mapping to struct client_config.
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lessee/cli.h"

static struct lessee_opts O;
static char E[512];
static char dir[256];

static int parse_v(char *const argv[])
{
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(E, 0, sizeof(E));
	return cli_parse(argc, argv, &O, E, sizeof(E));
}

#define ARGV(...) ((char *const[]){ "lessee", __VA_ARGS__, NULL })

/* Parse, and fail with the error message if it did not parse. */
#define OK(...) do { \
	if (parse_v(ARGV(__VA_ARGS__)) != 0) \
		fail_msg("refused: %s", E); \
} while (0)

/* Parse, and fail unless it was refused with a message containing want. */
#define REFUSED(want, ...) refused_(want, ARGV(__VA_ARGS__), __LINE__)

static void refused_(const char *want, char *const argv[], int line)
{
	if (parse_v(argv) != -1)
		fail_msg("line %d: accepted, expected an error with \"%s\"", line, want);
	if (!strstr(E, want))
		fail_msg("line %d: error \"%s\" lacks \"%s\"", line, E, want);
}

/* ---- files in a private directory ---------------------------------------- */

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_cli.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

/* The directory holds only files (and a FIFO): one level to remove. */
static int remove_dir(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	(void)state;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			(void)unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	return rmdir(dir);
}

/* Write len bytes to DIR/name and return the path (static buffer). */
static char *put_file(const char *name, const void *data, size_t len)
{
	static char path[2][512];
	static int which;
	char *p = path[which++ & 1];
	FILE *f;

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return p;
}

static char *put(const char *name, const char *text)
{
	return put_file(name, text, strlen(text));
}

/* Run a parse with stderr going to a file; return what was written. */
static const char *stderr_of(char *const argv[], int *ret)
{
	static char out[1024];
	char path[512];
	int saved, fd;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	f = fopen(path, "w+");
	assert_non_null(f);
	fflush(stderr);
	saved = dup(2);
	fd = fileno(f);
	assert_true(saved >= 0 && dup2(fd, 2) == 2);
	*ret = parse_v(argv);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	n = pread(fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	fclose(f);
	return out;
}

/* ---- defaults and dhclient's orders --------------------------------------- */

static void test_defaults(void **state)
{
	(void)state;
	OK("eth0");
	assert_int_equal(O.role, CLI_ROLE_SUPERVISOR);
	assert_int_equal(O.action, CLI_RUN);
	assert_string_equal(O.ifname, "eth0");
	assert_int_equal(O.acd, CLIENT_ACD_FAST);
	assert_int_equal(O.resolv_mode, RESOLV_FILE);
	assert_string_equal(O.resolv_conf, "/etc/resolv.conf");
	assert_string_equal(O.leasefile, "/var/lib/lessee/eth0.lease");
	assert_int_equal(O.id_mode, CLIENT_ID_MAC);
	assert_int_equal(O.timeout_s, 0);
	assert_string_equal(O.script, "");
	assert_string_equal(O.pidfile, "");
	assert_false(O.foreground || O.once || O.oneshot || O.quiet || O.verbose ||
		     O.no_configure || O.json || O.anonymous || O.random_mac ||
		     O.keep || O.accept_route_override || O.rapid_commit ||
		     O.ipv6_only_preferred);
	assert_int_equal(O.n_allow + O.n_deny + O.n_request + O.client_id_len +
			 O.vendor_class_len, 0);
	assert_string_equal(O.hostname, "");
	assert_string_equal(E, "");
}

static void test_dhclient_order(void **state)
{
	(void)state;
	OK("-d", "-1", "-v", "-pf", "/run/x.pid", "-lf", "/var/lib/x.lease", "eth0");
	assert_true(O.foreground && O.once && O.verbose);
	assert_false(O.quiet || O.oneshot);
	assert_string_equal(O.pidfile, "/run/x.pid");
	assert_string_equal(O.leasefile, "/var/lib/x.lease");
	assert_string_equal(O.ifname, "eth0");

	/* The interface first, options after it (GNU getopt permutes). */
	OK("eth1", "-sf", "/sbin/dhclient-script", "-q");
	assert_string_equal(O.ifname, "eth1");
	assert_string_equal(O.script, "/sbin/dhclient-script");
	assert_true(O.quiet);
	assert_string_equal(O.leasefile, "/var/lib/lessee/eth1.lease");
}

/* NetworkManager's dhclient mode: -cf is accepted and warned about. */
static void test_networkmanager_order(void **state)
{
	int r;
	const char *err = stderr_of(ARGV("-d", "-q", "-sf", "/usr/lib/nm-dhcp-helper",
		"-pf", "/run/NetworkManager/dhclient-eth0.pid",
		"-lf", "/var/lib/NetworkManager/dhclient-eth0.lease",
		"-cf", "/var/lib/NetworkManager/dhclient-eth0.conf", "eth0"), &r);

	(void)state;
	assert_int_equal(r, 0);
	assert_non_null(strstr(err, "-cf '/var/lib/NetworkManager/dhclient-eth0.conf' ignored"));
	assert_string_equal(O.script, "/usr/lib/nm-dhcp-helper");
	assert_string_equal(O.pidfile, "/run/NetworkManager/dhclient-eth0.pid");
	assert_true(O.foreground && O.quiet);

	/* Release, as NetworkManager asks for it. */
	OK("-d", "-q", "-r", "-pf", "/run/x.pid", "eth0");
	assert_int_equal(O.action, CLI_RELEASE);
}

static void test_bundled_flags(void **state)
{
	(void)state;
	OK("-d1v", "eth0");
	assert_true(O.foreground && O.once && O.verbose);
	REFUSED("'-dz' is not a known option", "-dz", "eth0");
	/* A letter with a value does not bundle. */
	REFUSED("'-dc' is not a known option", "-dc", "/x", "eth0");
	REFUSED("-r and -x conflict", "-rx", "eth0");
}

static void test_quiet_verbose_later_wins(void **state)
{
	(void)state;
	OK("-q", "-v", "eth0");
	assert_true(O.verbose);
	assert_false(O.quiet);
	OK("-v", "-q", "eth0");
	assert_true(O.quiet);
	assert_false(O.verbose);
	OK("--verbose", "eth0");
	assert_true(O.verbose);
}

static void test_actions(void **state)
{
	(void)state;
	OK("-r", "eth0");
	assert_int_equal(O.action, CLI_RELEASE);
	OK("-x", "eth0");
	assert_int_equal(O.action, CLI_STOP);
	REFUSED("-x: -r and -x conflict: release or stop, not both", "-r", "-x", "eth0");
	REFUSED("-r: -r and -x conflict", "-x", "eth0", "-r");
	REFUSED("IFNAME: missing", "-r");
}

static void test_help_version(void **state)
{
	(void)state;
	OK("-h");
	assert_int_equal(O.action, CLI_HELP);
	OK("--help");
	assert_int_equal(O.action, CLI_HELP);
	OK("--version");
	assert_int_equal(O.action, CLI_VERSION);
	/* Help stops the walk: what follows is not looked at. */
	OK("-h", "--bogus", "a", "b");
	assert_int_equal(O.action, CLI_HELP);
	OK("-dh");
	assert_int_equal(O.action, CLI_HELP);
	OK("-hrx");     /* letters after h are not run: no -r/-x conflict */
	assert_int_equal(O.action, CLI_HELP);
	/* What comes before it is. */
	REFUSED("'--bogus' is not a known option", "--bogus", "-h");
	REFUSED("--help: 'x' is a value, but the option takes none", "--help=x");
}

/* ---- each option with its value ------------------------------------------ */

static void test_flags(void **state)
{
	static const struct {
		const char *arg;
		size_t off;
	} flags[] = {
		{ "-d", offsetof(struct lessee_opts, foreground) },
		{ "--foreground", offsetof(struct lessee_opts, foreground) },
		{ "-1", offsetof(struct lessee_opts, once) },
		{ "-q", offsetof(struct lessee_opts, quiet) },
		{ "--quiet", offsetof(struct lessee_opts, quiet) },
		{ "-v", offsetof(struct lessee_opts, verbose) },
		{ "--oneshot", offsetof(struct lessee_opts, oneshot) },
		{ "--no-configure", offsetof(struct lessee_opts, no_configure) },
		{ "--json", offsetof(struct lessee_opts, json) },
		{ "--anonymous", offsetof(struct lessee_opts, anonymous) },
		{ "--random-mac", offsetof(struct lessee_opts, random_mac) },
		{ "--keep", offsetof(struct lessee_opts, keep) },
		{ "--accept-route-override", offsetof(struct lessee_opts, accept_route_override) },
		{ "--rapid-commit", offsetof(struct lessee_opts, rapid_commit) },
		{ "--ipv6-only-preferred", offsetof(struct lessee_opts, ipv6_only_preferred) },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct lessee_opts plain;

		OK("eth0");
		memcpy(&plain, &O, sizeof(O));
		if (parse_v((char *const[]){ "lessee", (char *)(uintptr_t)flags[i].arg,
					     "eth0", NULL }) != 0)
			fail_msg("%s refused: %s", flags[i].arg, E);
		if (!*(const bool *)((const char *)&O + flags[i].off))
			fail_msg("%s did not set its field", flags[i].arg);
		/* ... and nothing else (quiet/verbose aside, they exclude). */
		*(bool *)((char *)&O + flags[i].off) = false;
		if (memcmp(&plain, &O, sizeof(O)) != 0)
			fail_msg("%s changed another field", flags[i].arg);
	}
	REFUSED("--keep: 'yes' is a value, but the option takes none", "--keep=yes", "eth0");
	/* --json without --no-configure is fine: events also go to stdout. */
	OK("--json", "eth0");
	assert_true(O.json);
	assert_false(O.no_configure);
}

static void test_paths(void **state)
{
	char longpath[CLI_PATH_MAX + 8];

	(void)state;
	OK("-sf", "/s", "-pf", "/p", "-lf", "/l", "eth0");
	assert_string_equal(O.script, "/s");
	assert_string_equal(O.pidfile, "/p");
	assert_string_equal(O.leasefile, "/l");
	OK("--script=/s2", "--pid-file", "/p2", "--lease-file=/l2", "eth0");
	assert_string_equal(O.script, "/s2");
	assert_string_equal(O.pidfile, "/p2");
	assert_string_equal(O.leasefile, "/l2");
	REFUSED("-sf: 'dhclient-script' is not an absolute path", "-sf", "dhclient-script", "eth0");
	REFUSED("-lf: '/x?y' contains a control character", "-lf", "/x\ny", "eth0");
	REFUSED("-pf: needs a value", "eth0", "-pf");
	/* 255 bytes fit, 256 do not. */
	memset(longpath, 'a', sizeof(longpath));
	longpath[0] = '/';
	longpath[CLI_PATH_MAX - 1] = '\0';
	OK("-lf", longpath, "eth0");
	assert_int_equal(strlen(O.leasefile), CLI_PATH_MAX - 1);
	longpath[CLI_PATH_MAX - 1] = 'a';
	longpath[CLI_PATH_MAX] = '\0';
	REFUSED("is longer than 255 bytes", "-lf", longpath, "eth0");
}

static void test_timeout(void **state)
{
	static const char *const bad[] = {
		"0", "-1", "+5", " 5", "5 ", "5s", "", "0x10", "86401",
		"4294967296", "99999999999999999999999",
	};
	char want[128];

	(void)state;
	OK("--timeout", "30", "eth0");
	assert_int_equal(O.timeout_s, 30);
	OK("--timeout=86400", "eth0");
	assert_int_equal(O.timeout_s, 86400);
	OK("--timeout", "007", "eth0");
	assert_int_equal(O.timeout_s, 7);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want), "--timeout: '%s' is not a number of seconds in 1..86400",
			 bad[i]);
		if (parse_v((char *const[]){ "lessee", "--timeout", (char *)(uintptr_t)bad[i],
					     "eth0", NULL }) != -1 || strcmp(E, want) != 0)
			fail_msg("--timeout '%s': got \"%s\"", bad[i], E);
	}
	REFUSED("--timeout: needs a value", "eth0", "--timeout");
}

static void test_acd(void **state)
{
	(void)state;
	OK("--acd", "off", "eth0");
	assert_int_equal(O.acd, CLIENT_ACD_OFF);
	OK("--acd=rfc5227", "eth0");
	assert_int_equal(O.acd, CLIENT_ACD_RFC5227);
	OK("--acd", "off", "--acd", "fast", "eth0");
	assert_int_equal(O.acd, CLIENT_ACD_FAST);
	REFUSED("--acd: 'slow' is not one of off, fast, rfc5227", "--acd", "slow", "eth0");
	REFUSED("--acd: 'OFF' is not one of", "--acd", "OFF", "eth0");
	REFUSED("--acd: '' is not one of", "--acd=", "eth0");
}

/* --random-mac per start, --random-mac=stable per network; the value only
 * with '=', so the next argument stays the interface. */
static void test_random_mac(void **state)
{
	(void)state;
	OK("--random-mac", "eth0");
	assert_true(O.random_mac);
	assert_false(O.random_mac_stable);
	assert_string_equal(O.ifname, "eth0");
	OK("--random-mac=stable", "eth0");
	assert_true(O.random_mac && O.random_mac_stable);
	OK("--random-mac=stable", "--random-mac", "eth0");     /* later wins */
	assert_true(O.random_mac);
	assert_false(O.random_mac_stable);
	OK("--random-mac", "stable");                         /* an interface named so */
	assert_false(O.random_mac_stable);
	assert_string_equal(O.ifname, "stable");
	REFUSED("--random-mac: 'Stable' is not 'stable'", "--random-mac=Stable", "eth0");
	REFUSED("--random-mac: 'per-start' is not 'stable'", "--random-mac=per-start", "eth0");
	REFUSED("--random-mac: '' is not 'stable'", "--random-mac=", "eth0");
	REFUSED("--random-mac conflicts with --no-configure", "--random-mac=stable",
		"--no-configure", "eth0");
	OK("-c", put("stable.conf", "random-mac = stable\n"), "eth0");
	assert_true(O.random_mac && O.random_mac_stable);
	OK("-c", put("plain.conf", "random-mac\n"), "eth0");
	assert_true(O.random_mac);
	assert_false(O.random_mac_stable);
	REFUSED("random-mac: 'yes' is not 'stable'", "-c", put("bad.conf", "random-mac yes\n"),
		"eth0");
}

static void test_resolv_conf(void **state)
{
	(void)state;
	OK("--resolv-conf", "/tmp/x/resolv.conf", "eth0");
	assert_int_equal(O.resolv_mode, RESOLV_FILE);
	assert_string_equal(O.resolv_conf, "/tmp/x/resolv.conf");
	OK("--resolv-conf", "none", "eth0");
	assert_int_equal(O.resolv_mode, RESOLV_NONE);
	assert_string_equal(O.resolv_conf, "");
	OK("--resolv-conf=resolvconf", "eth0");
	assert_int_equal(O.resolv_mode, RESOLV_RESOLVCONF);
	OK("--resolv-conf", "resolved", "eth0");
	assert_int_equal(O.resolv_mode, RESOLV_RESOLVED);
	REFUSED("--resolv-conf: 'resolv.conf' is not an absolute path, none, resolvconf "
		"or resolved", "--resolv-conf", "resolv.conf", "eth0");
	REFUSED("--resolv-conf: '/a?b' contains a control character",
		"--resolv-conf", "/a\tb", "eth0");
}

static void test_prefixes(void **state)
{
	static const char *const bad[] = {
		"192.0.2.0/33", "192.0.2/24", "192.0.2.0/", "192.0.2.0/24x", "01.2.3.0/24",
		"192.0.2.0/-1", "192.0.2.0/+8", "", "/24", "host/24", "1.2.3.4.5/32",
		"192.0.2.0/24/24",
	};
	char want[96];

	(void)state;
	OK("--allow", "192.0.2.0/24", "--allow=10.0.0.0/8", "--deny", "198.51.100.7",
	   "--deny", "0.0.0.0/0", "eth0");
	assert_int_equal(O.n_allow, 2);
	assert_int_equal(O.allow[0].addr, 0xc0000200u);
	assert_int_equal(O.allow[0].len, 24);
	assert_int_equal(O.allow[1].addr, 0x0a000000u);
	assert_int_equal(O.allow[1].len, 8);
	assert_int_equal(O.n_deny, 2);
	assert_int_equal(O.deny[0].addr, 0xc6336407u);
	assert_int_equal(O.deny[0].len, 32);
	assert_int_equal(O.deny[1].addr, 0);
	assert_int_equal(O.deny[1].len, 0);
	REFUSED("--allow: '192.0.2.1/24' has host bits set (did you mean 192.0.2.0/24?)",
		"--allow", "192.0.2.1/24", "eth0");
	REFUSED("--deny: '10.0.0.1/0' has host bits set (did you mean 0.0.0.0/0?)",
		"--deny", "10.0.0.1/0", "eth0");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want), "--deny: '%s' is not a prefix like 192.0.2.0/24",
			 bad[i]);
		if (parse_v((char *const[]){ "lessee", "--deny", (char *)(uintptr_t)bad[i],
					     "eth0", NULL }) != -1 || strcmp(E, want) != 0)
			fail_msg("--deny '%s': got \"%s\"", bad[i], E);
	}
}

static void test_prefix_limit(void **state)
{
	char *argv[2 * (CLI_MAX_PREFIXES + 1) + 3];
	char pfx[CLI_MAX_PREFIXES + 1][24];
	int n = 0;

	(void)state;
	argv[n++] = "lessee";
	for (unsigned i = 0; i <= CLI_MAX_PREFIXES; i++) {
		snprintf(pfx[i], sizeof(pfx[i]), "10.%u.0.0/16", i);
		argv[n++] = "--allow";
		argv[n++] = pfx[i];
	}
	argv[n++] = "eth0";
	argv[n] = NULL;
	assert_int_equal(parse_v(argv), -1);
	assert_string_equal(E, "--allow: '10.16.0.0/16' is one too many (at most 16 prefixes)");
	/* Sixteen fit. */
	argv[n - 3] = "eth0";
	argv[n - 2] = NULL;
	if (parse_v(argv) != 0)
		fail_msg("%s", E);
	assert_int_equal(O.n_allow, CLI_MAX_PREFIXES);
	assert_int_equal(O.allow[15].addr, 0x0a0f0000u);
}

static void test_client_id(void **state)
{
	char hex[3 * 256 + 1];

	(void)state;
	OK("--client-id", "01:02:03:04", "eth0");
	assert_int_equal(O.id_mode, CLIENT_ID_RAW);
	assert_int_equal(O.client_id_len, 4);
	assert_memory_equal(O.client_id, "\x01\x02\x03\x04", 4);
	OK("--client-id=ffAB0c", "eth0");
	assert_int_equal(O.client_id_len, 3);
	assert_memory_equal(O.client_id, "\xff\xab\x0c", 3);
	OK("--client-id", "01:02", "--client-id", "mac", "eth0");
	assert_int_equal(O.id_mode, CLIENT_ID_MAC);
	assert_int_equal(O.client_id_len, 0);
	OK("--client-id", "none", "eth0");
	assert_int_equal(O.id_mode, CLIENT_ID_NONE);
	for (const char *const *b = (const char *const[]){ "1", "012", "01:", ":01", "01::02",
			"0g", "01 02", "0x01", "-01", "MAC", NULL }; *b; b++) {
		char want[96];

		snprintf(want, sizeof(want), "--client-id: '%s' is not hex bytes", *b);
		if (parse_v((char *const[]){ "lessee", "--client-id", (char *)(uintptr_t)*b,
					     "eth0", NULL }) != -1 || !strstr(E, want))
			fail_msg("--client-id '%s': got \"%s\"", *b, E);
	}
	/* Control bytes that a careless "| 0x20" would make digits. */
	REFUSED("--client-id: '?" "?' is not hex bytes", "--client-id", "\x10\x11", "eth0");
	REFUSED("--client-id: '01' is not 2..255 bytes (RFC 2132 9.14)", "--client-id", "01",
		"eth0");
	REFUSED("--client-id: '' is not 2..255 bytes", "--client-id=", "eth0");
	/* 255 bytes fit (with ':' between), 256 do not (without). */
	for (int i = 0; i < 255; i++)
		memcpy(hex + 3 * i, "ab:", 3);
	hex[3 * 255 - 1] = '\0';
	OK("--client-id", hex, "eth0");
	assert_int_equal(O.client_id_len, 255);
	assert_int_equal(O.client_id[254], 0xab);
	memset(hex, 'c', 512);
	hex[512] = '\0';
	REFUSED("' is not 2..255 bytes", "--client-id", hex, "eth0");
	/* A long value is shown cut short. */
	assert_non_null(strstr(E, "'cccccccccccccccccccccccccccccccccccccccccccccccc...'"));
}

static void test_hostname(void **state)
{
	static const struct {
		const char *name, *why;
	} bad[] = {
		{ "", "is empty" },
		{ "-a", "has a label starting with '-'" },
		{ "a.-b", "has a label starting with '-'" },
		{ "a-", "has a label ending in '-'" },
		{ "a-.b", "has a label ending in '-'" },
		{ "a..b", "has an empty label" },
		{ ".a", "has an empty label" },
		{ "a.", "has an empty label" },
		{ "a_b", "has a character other than letters, digits, '-' and '.'" },
		{ "a b", "has a character other than" },
		{ "h\xc3\xa9", "has a character other than" },
		{ "a;reboot", "has a character other than" },
	};
	char name[300], want[160];

	(void)state;
	OK("--hostname", "Host-1.example.com", "eth0");
	assert_string_equal(O.hostname, "Host-1.example.com");
	OK("--hostname=7", "eth0");
	assert_string_equal(O.hostname, "7");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char shown[16];

		snprintf(shown, sizeof(shown), "%s", bad[i].name);
		for (char *c = shown; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				*c = '?';
		snprintf(want, sizeof(want), "--hostname: '%s' %s", shown, bad[i].why);
		if (parse_v((char *const[]){ "lessee", "--hostname", (char *)(uintptr_t)bad[i].name,
					     "eth0", NULL }) != -1 || !strstr(E, want))
			fail_msg("--hostname '%s': got \"%s\", want \"%s\"", bad[i].name, E, want);
	}
	/* A 63-byte label fits, 64 does not. */
	memset(name, 'a', 64);
	name[63] = '\0';
	OK("--hostname", name, "eth0");
	name[63] = 'a';
	name[64] = '\0';
	REFUSED("has a label longer than 63 characters", "--hostname", name, "eth0");
	/* 253 bytes in all fit, 254 do not: 63.63.63.61 = 253. */
	memset(name, 'b', 253);
	name[63] = name[127] = name[191] = '.';
	name[253] = '\0';
	OK("--hostname", name, "eth0");
	assert_int_equal(strlen(O.hostname), 253);
	name[253] = 'b';
	name[254] = '\0';
	REFUSED("is longer than 253 characters", "--hostname", name, "eth0");
}

static void test_vendor_class(void **state)
{
	char v[300];

	(void)state;
	OK("--vendor-class", "Acme Corp 1.0 (x86_64); a=b", "eth0");
	assert_int_equal(O.vendor_class_len, strlen("Acme Corp 1.0 (x86_64); a=b"));
	assert_memory_equal(O.vendor_class, "Acme Corp 1.0 (x86_64); a=b", O.vendor_class_len);
	memset(v, '~', 255);
	v[255] = '\0';
	OK("--vendor-class", v, "eth0");
	assert_int_equal(O.vendor_class_len, 255);
	v[255] = '~';
	v[256] = '\0';
	REFUSED("--vendor-class: '~~~", "--vendor-class", v, "eth0");
	assert_non_null(strstr(E, "is not 1..255 characters long"));
	REFUSED("--vendor-class: '' is not 1..255 characters long", "--vendor-class=", "eth0");
	REFUSED("--vendor-class: 'a?b' has a character that is not printable ASCII",
		"--vendor-class", "a\x01" "b", "eth0");
	REFUSED("--vendor-class: 'caf?" "?' has a character that is not printable ASCII",
		"--vendor-class", "caf\xc3\xa9", "eth0");
}

static void test_request(void **state)
{
	char list[4 * 40];
	size_t k = 0;

	(void)state;
	OK("--request", "1,3,121", "--request=254", "eth0");
	assert_int_equal(O.n_request, 4);
	assert_memory_equal(O.request, "\x01\x03\x79\xfe", 4);
	REFUSED("--request: '3' is listed twice", "--request", "1,3,3", "eth0");
	REFUSED("--request: '3' is listed twice", "--request", "3", "--request", "3", "eth0");
	REFUSED("--request: '0' is not an option code in 1..254", "--request", "0", "eth0");
	REFUSED("--request: '255' is not an option code in 1..254", "--request", "1,255", "eth0");
	REFUSED("--request: '+1' is not an option code", "--request", "+1", "eth0");
	REFUSED("--request: '0x10' is not an option code", "--request", "0x10", "eth0");
	REFUSED("--request: ' 2' is not an option code", "--request", "1, 2", "eth0");
	REFUSED("--request: '1,,2' has an empty code", "--request", "1,,2", "eth0");
	/* A code is read whole: 48 characters are, 49 are refused, never cut
	 * (47 zeros and "12" cut to 48 characters would read as 1). */
	OK("--request", "000000000000000000000000000000000000000000000012", "eth0");
	assert_int_equal(O.request[0], 12);
	REFUSED("is not an option code in 1..254", "--request", "0000000000000000000000000000000000000000000000012", "eth0");
	REFUSED("--request: '1,' has an empty code", "--request", "1,", "eth0");
	REFUSED("--request: '' has an empty code", "--request=", "eth0");
	/* 32 codes fit, 33 do not. */
	for (int c = 1; c <= 32; c++)
		k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%d", c > 1 ? "," : "", c + 100);
	OK("--request", list, "eth0");
	assert_int_equal(O.n_request, CLIENT_PRL_EXTRA_MAX);
	assert_int_equal(O.request[31], 132);
	snprintf(list + k, sizeof(list) - k, ",200");
	REFUSED("' has more than 32 codes", "--request", list, "eth0");
}

/* ---- conflicts ------------------------------------------------------------ */

static void test_conflicts(void **state)
{
	(void)state;
	REFUSED("--anonymous conflicts with --client-id (2 bytes): the anonymity profile "
		"(RFC 7844) sends no client identifier",
		"--anonymous", "--client-id", "01:02", "eth0");
	REFUSED("--anonymous conflicts with --hostname 'box': RFC 7844 3.7",
		"--hostname", "box", "--anonymous", "eth0");
	REFUSED("--anonymous conflicts with --vendor-class 'Acme': RFC 7844 3.10",
		"--anonymous", "--vendor-class", "Acme", "eth0");
	REFUSED("--anonymous conflicts with --request (2 codes)",
		"--anonymous", "--request", "42,43", "eth0");
	REFUSED("--oneshot conflicts with -1", "--oneshot", "-1", "eth0");
	REFUSED("--oneshot conflicts with -1", "-1", "eth0", "--oneshot");
	REFUSED("--random-mac conflicts with --no-configure",
		"--random-mac", "--no-configure", "eth0");
	/* What the anonymity profile allows. */
	OK("--anonymous", "--client-id", "mac", "--random-mac", "--rapid-commit", "eth0");
	assert_true(O.anonymous && O.random_mac);
	OK("--anonymous", "--client-id", "none", "eth0");
	assert_int_equal(O.id_mode, CLIENT_ID_NONE);
	/* A hex id given, then replaced by mac: no conflict left. */
	OK("--client-id", "01:02", "--client-id", "mac", "--anonymous", "eth0");
	OK("--no-configure", "--json", "--keep", "eth0");
}

/* ---- IFNAME and unknown options ------------------------------------------ */

static void test_ifname(void **state)
{
	static const char *const bad[] = {
		"abcdefghijklmnop", "a/b", "a:b", "a b", "a\tb", ".", "..", "",
	};
	char want[128];

	(void)state;
	OK("abcdefghijklmno");
	assert_string_equal(O.ifname, "abcdefghijklmno");
	OK("veth-x.100@");
	OK("--", "-weird");
	assert_string_equal(O.ifname, "-weird");
	OK("-d", "--", "eth0");
	assert_true(O.foreground);
	REFUSED("IFNAME: missing (lessee [options] IFNAME)", "-d");
	REFUSED("IFNAME: 'eth1' is a second interface (already 'eth0')", "eth0", "eth1");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want), "IFNAME: '%s' is not an interface name", bad[i]);
		for (char *c = want; *c; c++)
			if (*c == '\t')
				*c = '?';
		if (parse_v((char *const[]){ "lessee", (char *)(uintptr_t)bad[i], NULL }) != -1 ||
		    !strstr(E, want))
			fail_msg("IFNAME '%s': got \"%s\"", bad[i], E);
	}
}

static void test_unknown(void **state)
{
	(void)state;
	REFUSED("'--bogus' is not a known option (see --help)", "--bogus", "eth0");
	REFUSED("'--ones' is not a known option", "--ones", "eth0");     /* no abbreviations */
	REFUSED("'--oneshot-x' is not a known option", "--oneshot-x", "eth0");
	REFUSED("'-z' is not a known option", "-z", "eth0");
	REFUSED("'-' is not a known option", "-", "eth0");
	REFUSED("'-sfx' is not a known option", "-sfx", "/x", "eth0");
	REFUSED("'--sf' is not a known option", "--sf", "/x", "eth0");
	REFUSED("'-oneshot' is not a known option", "-oneshot", "eth0");
	REFUSED("'--=x' is not a known option", "--=x", "eth0");
	REFUSED("'--x?y' is not a known option", "--x\x1b" "y", "eth0");
}

/* ---- --role --------------------------------------------------------------- */

static void test_role(void **state)
{
	int r;
	const char *err;

	(void)state;
	OK("--role", "net", "-d", "eth0");
	assert_int_equal(O.role, CLI_ROLE_NET);
	assert_true(O.foreground);
	OK("--role=engine", "eth0");
	assert_int_equal(O.role, CLI_ROLE_ENGINE);
	OK("--role", "apply", "--no-configure", "eth0");
	assert_int_equal(O.role, CLI_ROLE_APPLY);
	REFUSED("--role: allowed only as the first option", "-d", "--role", "net", "eth0");
	REFUSED("--role: allowed only as the first option", "eth0", "--role=net");
	REFUSED("--role: 'supervisor' is not one of net, engine, apply",
		"--role", "supervisor", "eth0");
	REFUSED("--role: 'NET' is not one of", "--role", "NET", "eth0");
	REFUSED("--role: needs a value", "--role");
	REFUSED("'--roles' is not a known option", "--roles", "net", "eth0");
	/* A role re-parses the user's -cf silently: the supervisor warned. */
	err = stderr_of(ARGV("--role", "engine", "-cf", "/etc/dhclient.conf", "eth0"), &r);
	assert_int_equal(r, 0);
	assert_string_equal(err, "");
	err = stderr_of(ARGV("-cf", "/etc/dhclient.conf", "eth0"), &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(err, "warning: -cf '/etc/dhclient.conf' ignored"));
	assert_string_equal(cli_role_name(CLI_ROLE_SUPERVISOR), "supervisor");
	assert_string_equal(cli_role_name(CLI_ROLE_NET), "net");
	assert_string_equal(cli_role_name(CLI_ROLE_ENGINE), "engine");
	assert_string_equal(cli_role_name(CLI_ROLE_APPLY), "apply");
	assert_string_equal(cli_role_name((enum cli_role)99), "?");
}

/* ---- -c FILE -------------------------------------------------------------- */

static void test_config_file(void **state)
{
	char *conf = put("full.conf",
		"# every key\n"
		"\n"
		"   # indented comment\n"
		"foreground\n"
		"verbose\n"
		"script /sbin/dhclient-script\n"
		"pid-file=/run/l.pid\n"
		"lease-file = /var/lib/l.lease\n"
		"oneshot\n"
		"timeout 15\n"
		"no-configure\n"
		"json\n"
		"keep\n"
		"accept-route-override\n"
		"acd\trfc5227\n"
		"resolv-conf resolved\n"
		"allow 192.0.2.0/24\n"
		"allow 198.51.100.0/24\n"
		"deny 192.0.2.128/25\n"
		"client-id 01:aa:bb:cc:dd:ee:ff\n"
		"hostname box.example\n"
		"vendor-class  Acme Router 2  \n"
		"request 42,119\r\n"
		"rapid-commit\n"
		"ipv6-only-preferred");   /* no newline at the end */

	(void)state;
	OK("-c", conf, "eth0");
	assert_true(O.foreground && O.verbose && O.oneshot && O.no_configure && O.json &&
		    O.keep && O.accept_route_override && O.rapid_commit &&
		    O.ipv6_only_preferred);
	assert_string_equal(O.script, "/sbin/dhclient-script");
	assert_string_equal(O.pidfile, "/run/l.pid");
	assert_string_equal(O.leasefile, "/var/lib/l.lease");
	assert_int_equal(O.timeout_s, 15);
	assert_int_equal(O.acd, CLIENT_ACD_RFC5227);
	assert_int_equal(O.resolv_mode, RESOLV_RESOLVED);
	assert_int_equal(O.n_allow, 2);
	assert_int_equal(O.allow[1].addr, 0xc6336400u);
	assert_int_equal(O.n_deny, 1);
	assert_int_equal(O.deny[0].len, 25);
	assert_int_equal(O.id_mode, CLIENT_ID_RAW);
	assert_int_equal(O.client_id_len, 7);
	assert_string_equal(O.hostname, "box.example");
	assert_int_equal(O.vendor_class_len, strlen("Acme Router 2"));
	assert_memory_equal(O.vendor_class, "Acme Router 2", O.vendor_class_len);
	assert_int_equal(O.n_request, 2);
	assert_memory_equal(O.request, "\x2a\x77", 2);

	/* The other flags. */
	OK("-c", put("flags.conf", "quiet\nanonymous\nrandom-mac\n"), "eth0");
	assert_true(O.quiet && O.anonymous && O.random_mac);
	OK("-c", put("empty.conf", ""), "eth0");
	assert_int_equal(O.acd, CLIENT_ACD_FAST);
}

static void test_config_override_order(void **state)
{
	char *conf = put("order.conf", "acd off\ntimeout 10\nallow 10.0.0.0/8\n"
			       "allow 172.16.0.0/12\nrequest 1,2\n");
	char *other = put("other.conf", "deny 192.0.2.0/24\n");

	(void)state;
	/* After -c: the command line wins. */
	OK("-c", conf, "--acd", "rfc5227", "--timeout=20", "eth0");
	assert_int_equal(O.acd, CLIENT_ACD_RFC5227);
	assert_int_equal(O.timeout_s, 20);
	/* Before -c: the file wins. */
	OK("--acd", "rfc5227", "--timeout=20", "-c", conf, "eth0");
	assert_int_equal(O.acd, CLIENT_ACD_OFF);
	assert_int_equal(O.timeout_s, 10);
	/* Lists: the file's two add up ... */
	assert_int_equal(O.n_allow, 2);
	/* ... a later source replaces them, and its own add up. */
	OK("-c", conf, "--allow", "192.0.2.0/24", "--allow", "198.51.100.0/24",
	   "--request", "3", "eth0");
	assert_int_equal(O.n_allow, 2);
	assert_int_equal(O.allow[0].addr, 0xc0000200u);
	assert_int_equal(O.allow[1].addr, 0xc6336400u);
	assert_int_equal(O.n_request, 1);
	assert_int_equal(O.request[0], 3);
	/* The file replaces the command line's list before it. */
	OK("--allow", "192.0.2.0/24", "-c", conf, "eth0");
	assert_int_equal(O.n_allow, 2);
	assert_int_equal(O.allow[0].addr, 0x0a000000u);
	/* A file that does not name a list leaves it alone. */
	OK("--allow", "192.0.2.0/24", "-c", other, "--allow", "203.0.113.0/24", "eth0");
	assert_int_equal(O.n_allow, 2);
	assert_int_equal(O.n_deny, 1);
	/* Two files: the second's list replaces the first's. */
	OK("-c", put("a.conf", "deny 10.0.0.0/8\ndeny 10.1.0.0/16\n"), "-c", other, "eth0");
	assert_int_equal(O.n_deny, 1);
	assert_int_equal(O.deny[0].addr, 0xc0000200u);
	/* Duplicates across the sources are no duplicates: one replaced the other. */
	OK("-c", conf, "--request", "1,2", "eth0");
	assert_int_equal(O.n_request, 2);
}

static void test_config_errors(void **state)
{
	char want[768], big[CLI_PATH_MAX + 2048];
	char *path;

	(void)state;
	path = put("bad.conf", "# ok\nacd fast\n\nacd slow\n");
	snprintf(want, sizeof(want), "%s:4: acd: 'slow' is not one of off, fast, rfc5227", path);
	REFUSED(want, "-c", path, "eth0");
	assert_string_equal(E, want);

	path = put("unknown.conf", "keep\nfrobnicate 3\n");
	snprintf(want, sizeof(want), "%s:2: 'frobnicate' is not a known key", path);
	REFUSED(want, "-c", path, "eth0");

	/* Command-line-only options are no keys. */
	for (const char *const *k = (const char *const[]){ "role net", "help", "version",
			"c /x", "cf /x", "d", "1", "r", "x", "sf /x", "--acd fast", NULL }; *k; k++) {
		char text[32], key[32];

		snprintf(text, sizeof(text), "%s\n", *k);
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(*k, " "), *k);
		path = put("cmdonly.conf", text);
		snprintf(want, sizeof(want), "%s:1: '%s' is not a known key", path, key);
		if (parse_v((char *const[]){ "lessee", "-c", (char *)(uintptr_t)path, "eth0",
					     NULL }) != -1 || strcmp(E, want) != 0)
			fail_msg("key '%s': got \"%s\"", *k, E);
	}

	path = put("flagval.conf", "keep yes\n");
	snprintf(want, sizeof(want), "%s:1: keep: 'yes' is a value, but the option takes none",
		 path);
	REFUSED(want, "-c", path, "eth0");

	path = put("noval.conf", "\n\ntimeout\n");
	snprintf(want, sizeof(want), "%s:3: timeout: needs a value", path);
	REFUSED(want, "-c", path, "eth0");

	path = put("noval2.conf", "hostname =  \n");
	snprintf(want, sizeof(want), "%s:1: hostname: needs a value", path);
	REFUSED(want, "-c", path, "eth0");

	/* 1024 bytes in a line fit; 1025 do not. */
	memset(big, '#', 1024);
	big[1024] = '\n';
	memcpy(big + 1025, "keep\n", 5);
	path = put_file("long-ok.conf", big, 1030);
	OK("-c", path, "eth0");
	assert_true(O.keep);
	big[1024] = '#';
	big[1025] = '\n';
	path = put_file("long.conf", big, 1026);
	snprintf(want, sizeof(want), "%s:1: line longer than 1024 bytes", path);
	REFUSED(want, "-c", path, "eth0");
	memcpy(big, "keep\n", 5);
	memset(big + 5, 'x', 2000);
	path = put_file("long2.conf", big, 2005);
	snprintf(want, sizeof(want), "%s:2: line longer than 1024 bytes", path);
	REFUSED(want, "-c", path, "eth0");

	path = put_file("nul.conf", "keep\njson\0x\n", 12);
	snprintf(want, sizeof(want), "%s:2: a NUL byte", path);
	REFUSED(want, "-c", path, "eth0");

	snprintf(want, sizeof(want), "%s/missing.conf", dir);
	REFUSED("-c: '", "-c", want, "eth0");
	assert_non_null(strstr(E, "No such file or directory"));
	REFUSED("' is not a regular file", "-c", dir, "eth0");
	/* A FIFO would block a reader: refused at once. */
	snprintf(want, sizeof(want), "%s/fifo", dir);
	assert_int_equal(mkfifo(want, 0600), 0);
	REFUSED("' is not a regular file", "-c", want, "eth0");
	REFUSED("-c: '/dev/null' is not a regular file", "-c", "/dev/null", "eth0");
	REFUSED("-c: needs a value", "eth0", "-c");
	REFUSED("-c: '' is not a file name", "-c", "", "eth0");

	/* A conflict between the file and the command line is found too. */
	path = put("anon.conf", "anonymous\n");
	REFUSED("--anonymous conflicts with --hostname 'box'", "-c", path, "--hostname", "box",
		"eth0");
	/* An error after the file names no file. */
	REFUSED("--acd: 'x' is not one of", "-c", path, "--acd", "x", "eth0");
	assert_null(strstr(E, path));
}

/* ---- robustness ----------------------------------------------------------- */

static void test_error_buffer(void **state)
{
	char small[8];

	(void)state;
	/* No buffer: still refused, nothing written. */
	assert_int_equal(cli_parse(2, ARGV("--bogus"), &O, NULL, 0), -1);
	/* A small buffer is cut, terminated. */
	assert_int_equal(cli_parse(2, ARGV("--bogus"), &O, small, sizeof(small)), -1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	/* On success the error is empty. */
	strcpy(E, "stale");
	assert_int_equal(cli_parse(2, ARGV("eth0"), &O, E, sizeof(E)), 0);
	assert_string_equal(E, "");
	/* argc counts: arguments past it are not read. */
	assert_int_equal(cli_parse(2, ARGV("eth0", "--bogus"), &O, E, sizeof(E)), 0);
}

static void test_usage(void **state)
{
	static const char *const names[] = {
		"-d", "-1", "-q", "-v", "-sf", "-pf", "-lf", "-cf", "-r", "-x", "-c FILE",
		"--oneshot", "--timeout", "--no-configure", "--json", "--anonymous",
		"--random-mac", "--acd off|fast|rfc5227",
		"--resolv-conf PATH|none|resolvconf|resolved", "--allow", "--deny",
		"--accept-route-override", "--client-id HEX|mac|none", "--hostname",
		"--vendor-class", "--request", "--rapid-commit", "--ipv6-only-preferred",
		"--keep", "--help", "--version",
	};
	const char *u = cli_usage();

	(void)state;
	assert_non_null(strstr(u, "usage: lessee [options] IFNAME"));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(u, names[i]))
			fail_msg("usage lacks %s", names[i]);
	assert_null(strstr(u, "--role"));   /* hidden */
}

/* ---- cli_client_config ---------------------------------------------------- */

static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

static void test_client_config(void **state)
{
	struct client_config cfg, def;

	(void)state;
	OK("eth0");
	cli_client_config(&O, mac, &cfg);
	client_config_init(&def, mac);
	assert_memory_equal(&cfg, &def, sizeof(cfg));

	OK("--acd", "off", "--client-id", "ff:00:01", "--hostname", "box",
	   "--vendor-class", "Acme", "--request", "42,119", "--rapid-commit",
	   "--ipv6-only-preferred", "eth0");
	memset(&cfg, 0xa5, sizeof(cfg));
	cli_client_config(&O, mac, &cfg);
	assert_memory_equal(cfg.mac, mac, 6);
	assert_int_equal(cfg.acd, CLIENT_ACD_OFF);
	assert_int_equal(cfg.id_mode, CLIENT_ID_RAW);
	assert_int_equal(cfg.client_id_len, 3);
	assert_memory_equal(cfg.client_id, "\xff\x00\x01", 3);
	assert_string_equal(cfg.hostname, "box");
	assert_int_equal(cfg.vendor_class_len, 4);
	assert_memory_equal(cfg.vendor_class, "Acme", 4);
	assert_int_equal(cfg.n_prl_extra, 2);
	assert_memory_equal(cfg.prl_extra, "\x2a\x77", 2);
	assert_true(cfg.rapid_commit && cfg.ipv6_only_preferred);
	assert_false(cfg.anonymous);
	assert_int_equal(cfg.max_msg_size, def.max_msg_size);   /* init ran first */

	OK("--client-id", "none", "eth0");
	cli_client_config(&O, mac, &cfg);
	assert_int_equal(cfg.id_mode, CLIENT_ID_NONE);
	assert_int_equal(cfg.client_id_len, 0);
}

static void test_client_config_anonymous(void **state)
{
	struct client_config cfg;

	(void)state;
	OK("--anonymous", "--acd", "rfc5227", "eth0");
	cli_client_config(&O, mac, &cfg);
	assert_true(cfg.anonymous);
	assert_int_equal(cfg.id_mode, CLIENT_ID_NONE);
	assert_int_equal(cfg.acd, CLIENT_ACD_RFC5227);
	/* Options built by hand past cli_parse still send nothing. */
	strcpy(O.hostname, "box");
	O.vendor_class_len = 1;
	O.n_request = 1;
	O.request[0] = 42;
	O.id_mode = CLIENT_ID_RAW;
	O.client_id_len = 2;
	cli_client_config(&O, mac, &cfg);
	assert_int_equal(cfg.id_mode, CLIENT_ID_NONE);
	assert_string_equal(cfg.hostname, "");
	assert_int_equal(cfg.vendor_class_len + cfg.n_prl_extra + cfg.client_id_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_dhclient_order),
		cmocka_unit_test(test_networkmanager_order),
		cmocka_unit_test(test_bundled_flags),
		cmocka_unit_test(test_quiet_verbose_later_wins),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_acd),
		cmocka_unit_test(test_random_mac),
		cmocka_unit_test(test_resolv_conf),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_prefix_limit),
		cmocka_unit_test(test_client_id),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_vendor_class),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_ifname),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_role),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_config_override_order),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_client_config),
		cmocka_unit_test(test_client_config_anonymous),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
