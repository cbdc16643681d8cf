/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command line (DESIGN.md "Command line"). A hand-rolled argv walk:
 * dhclient's single-dash multi-letter options (-sf, -pf, -lf, -cf) do not
 * fit getopt, and one table read by both the argv walk and the -c reader
 * keeps the two in step.
 *
 * Rules:
 *   - Options and the one IFNAME come in any order (as with GNU getopt);
 *     `--` ends the options. `--name=value` equals `--name value`; long
 *     names are never abbreviated. Single-letter flags bundle (-d1v); an
 *     option with a value takes the next argument.
 *   - Options apply in order, so a later one wins; `-c FILE` applies the
 *     file's lines where -c stands. A list (allow, deny, request) named by
 *     a later source (the command line, or one -c file) replaces the list
 *     of an earlier source; within one source its occurrences add up.
 *   - `--role NAME` is accepted only as the very first argument: the
 *     supervisor re-executes this binary with it in front of the user's own
 *     arguments (cli.h).
 *   - Every value is checked completely here, before anything runs; each
 *     error names the option and the value (made printable, cut short).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lessee/cli.h"

#define CLI_LINE_MAX     1024u    /* a -c line, without its newline */
#define CLI_TIMEOUT_MAX  86400u   /* one day */
#define CLI_SHOW_MAX     48u      /* value bytes quoted in an error */
#define CLI_HOSTNAME_LEN 253u     /* RFC 1035 2.3.4, in text form */
#define CLI_LABEL_LEN    63u

struct opt_def;

struct parser {
	struct lessee_opts *o;
	char *err;
	size_t err_size;
	/* The option being applied: its table row, as the user spelled it
	 * ("--acd", "-sf", "acd" in a file) and its value (or NULL). */
	const struct opt_def *d;
	const char *opt;
	const char *val;
	const char *file;         /* the -c file being read, else NULL */
	unsigned line;
	unsigned source;          /* 0: the command line; k: the k-th -c file */
	unsigned n_files;
	unsigned allow_src, deny_src, request_src;
	bool saw_release, saw_stop;
	bool done;                /* -h or --version: stop here */
};

struct opt_def {
	const char *name;         /* --NAME and the -c key; NULL: none */
	const char *dash;         /* -DASH (dhclient style); NULL: none */
	bool has_arg;
	bool in_file;             /* allowed as a -c key */
	size_t off;               /* the field (set_flag, set_path); set_prefix:
				     0 allow, 1 deny */
	int (*set)(struct parser *p);
	bool optional_arg;        /* --NAME or --NAME=VALUE, never the next argument */
};

struct keyword {
	const char *word;
	int value;
};

/* ---- errors -------------------------------------------------------------- */

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err && p->err_size && p->file)
		snprintf(p->err, p->err_size, "%s:%u: %s", p->file, p->line, msg);
	else if (p->err && p->err_size)
		snprintf(p->err, p->err_size, "%s", msg);
	return -1;
}

/* A value as an error shows it: non-printable bytes as '?', cut short. */
static const char *shown(const char *val, char buf[CLI_SHOW_MAX + 4])
{
	size_t i;

	for (i = 0; val[i] && i < CLI_SHOW_MAX; i++)
		buf[i] = (val[i] >= 0x20 && val[i] < 0x7f) ? val[i] : '?';
	strcpy(buf + i, val[i] ? "..." : "");
	return buf;
}

/* "OPT: 'VALUE' WHY", the shape of almost every error. */
static int bad_value(struct parser *p, const char *val, const char *why)
{
	char buf[CLI_SHOW_MAX + 4];

	return fail(p, "%s: '%s' %s", p->opt, shown(val, buf), why);
}

static int bad(struct parser *p, const char *why)
{
	return bad_value(p, p->val, why);
}

/* ---- values -------------------------------------------------------------- */

/* A decimal number in 0..max: digits only (no sign, no blanks), no overflow. */
static bool parse_uint(const char *s, unsigned long max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno == ERANGE || *end != '\0' || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool keyword(const struct keyword *k, size_t n, const char *val, int *out)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(val, k[i].word)) {
			*out = k[i].value;
			return true;
		}
	return false;
}

static bool is_control(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if (is_control(*s))
			return true;
	return false;
}

/* Absolute (the roles chroot and chdir), bounded, no control characters. */
static int check_path(struct parser *p)
{
	if (p->val[0] != '/')
		return bad(p, "is not an absolute path");
	if (strlen(p->val) >= CLI_PATH_MAX)
		return bad(p, "is longer than 255 bytes");
	if (has_control(p->val))
		return bad(p, "contains a control character");
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Bytes as pairs of hex digits, one ':' allowed between two bytes. The
 * count; -1 on bad syntax; -2 when there are more than cap bytes. */
static int parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		int hi = hex_digit(s[0]);
		int lo = hi < 0 ? -1 : hex_digit(s[1]);

		if (lo < 0)
			return -1;
		if (n == cap)
			return -2;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (*s == ':' && s[1])
			s++;
	}
	return (int)n;
}

/* RFC 1123 2.1 host names: labels of letters, digits and '-', not starting
 * or ending with '-', 1..63 long; 253 in all. NULL when fine, else why. */
static const char *hostname_problem(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0)
		return "is empty";
	if (n > CLI_HOSTNAME_LEN)
		return "is longer than 253 characters";
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (c == '.' || c == '\0') {
			if (label == 0)
				return "has an empty label";
			if (s[i - 1] == '-')
				return "has a label ending in '-'";
			label = 0;
		} else if (!alnum && c != '-') {
			return "has a character other than letters, digits, '-' and '.' (RFC 1123)";
		} else if (c == '-' && label == 0) {
			return "has a label starting with '-'";
		} else if (++label > CLI_LABEL_LEN) {
			return "has a label longer than 63 characters";
		}
	}
	return NULL;
}

/* Linux dev_valid_name(): 1..15 bytes, not . or .., no '/', ':' or blank. */
static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CLI_IFNAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == ' ' || is_control(s[i]))
			return false;
	return true;
}

/* ---- setters: one per kind of option, reading p->opt and p->val ---------- */

static int set_flag(struct parser *p)
{
	*(bool *)((char *)p->o + p->d->off) = true;
	return 0;
}

/* -q and -v: the later one wins. */
static int set_quiet(struct parser *p)
{
	p->o->quiet = !strcmp(p->d->dash, "q");
	p->o->verbose = !p->o->quiet;
	return 0;
}

static int set_path(struct parser *p)
{
	if (check_path(p) < 0)
		return -1;
	snprintf((char *)p->o + p->d->off, CLI_PATH_MAX, "%s", p->val);
	return 0;
}

static int set_action(struct parser *p)
{
	bool release = !strcmp(p->d->dash, "r");

	p->saw_release |= release;
	p->saw_stop |= !release;
	p->o->action = release ? CLI_RELEASE : CLI_STOP;
	if (p->saw_release && p->saw_stop)
		return fail(p, "%s: -r and -x conflict: release or stop, not both", p->opt);
	return 0;
}

static int set_help(struct parser *p)
{
	p->o->action = p->d->dash ? CLI_HELP : CLI_VERSION;
	p->done = true;
	return 0;
}

/* dhclient's -cf: its configuration language is not ours. Every role
 * parses the same argv; only the supervisor says so. */
static int set_dhclient_conf(struct parser *p)
{
	char buf[CLI_SHOW_MAX + 4];

	if (p->o->role == CLI_ROLE_SUPERVISOR)
		fprintf(stderr, "lessee: warning: %s '%s' ignored: dhclient.conf is "
			"not read (lessee takes -c FILE)\n", p->opt, shown(p->val, buf));
	return 0;
}

static int set_role_late(struct parser *p)
{
	return fail(p, "%s: allowed only as the first option", p->opt);
}

static int set_timeout(struct parser *p)
{
	if (!parse_uint(p->val, CLI_TIMEOUT_MAX, &p->o->timeout_s) || !p->o->timeout_s)
		return bad(p, "is not a number of seconds in 1..86400");
	return 0;
}

static int set_acd(struct parser *p)
{
	static const struct keyword k[] = {
		{ "off", CLIENT_ACD_OFF }, { "fast", CLIENT_ACD_FAST },
		{ "rfc5227", CLIENT_ACD_RFC5227 },
	};
	int v;

	if (!keyword(k, 3, p->val, &v))
		return bad(p, "is not one of off, fast, rfc5227");
	p->o->acd = (enum client_acd_mode)v;
	return 0;
}

static int set_resolv(struct parser *p)
{
	static const struct keyword k[] = {
		{ "none", RESOLV_NONE }, { "resolvconf", RESOLV_RESOLVCONF },
		{ "resolved", RESOLV_RESOLVED },
	};
	int v;

	p->o->resolv_conf[0] = '\0';
	if (keyword(k, 3, p->val, &v)) {
		p->o->resolv_mode = (enum cli_resolv_mode)v;
		return 0;
	}
	if (p->val[0] != '/')
		return bad(p, "is not an absolute path, none, resolvconf or resolved");
	if (check_path(p) < 0)
		return -1;
	p->o->resolv_mode = RESOLV_FILE;
	snprintf(p->o->resolv_conf, sizeof(p->o->resolv_conf), "%s", p->val);
	return 0;
}

/* A.B.C.D/LEN, a bare address meaning /32; host bits refused. */
static int parse_prefix(struct parser *p, struct cli_prefix *out)
{
	const char *slash = strchr(p->val, '/');
	size_t alen = slash ? (size_t)(slash - p->val) : strlen(p->val);
	char addr[INET_ADDRSTRLEN], msg[80];
	struct in_addr in;
	uint32_t len = 32, mask, host;

	if (alen >= sizeof(addr) || (slash && !parse_uint(slash + 1, 32, &len)))
		return bad(p, "is not a prefix like 192.0.2.0/24");
	memcpy(addr, p->val, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1)
		return bad(p, "is not a prefix like 192.0.2.0/24");
	host = ntohl(in.s_addr);
	mask = len == 0 ? 0 : UINT32_MAX << (32 - len);
	if (host & ~mask) {
		in.s_addr = htonl(host & mask);
		inet_ntop(AF_INET, &in, addr, sizeof(addr));
		snprintf(msg, sizeof(msg), "has host bits set (did you mean %s/%u?)",
			 addr, (unsigned)len);
		return bad(p, msg);
	}
	out->addr = host;
	out->len = (uint8_t)len;
	return 0;
}

/* A later source replaces a list; one source adds up (see the top). */
static void list_claim(struct parser *p, unsigned *src, uint8_t *n)
{
	if (*src != p->source)
		*n = 0;
	*src = p->source;
}

/* --allow (off 0) and --deny (off 1). */
static int set_prefix(struct parser *p)
{
	bool deny = p->d->off;
	struct cli_prefix pfx, *list = deny ? p->o->deny : p->o->allow;
	uint8_t *n = deny ? &p->o->n_deny : &p->o->n_allow;

	if (parse_prefix(p, &pfx) < 0)
		return -1;
	list_claim(p, deny ? &p->deny_src : &p->allow_src, n);
	if (*n >= CLI_MAX_PREFIXES)
		return bad(p, "is one too many (at most 16 prefixes)");
	list[(*n)++] = pfx;
	return 0;
}

static int set_client_id(struct parser *p)
{
	static const struct keyword k[] = {
		{ "mac", CLIENT_ID_MAC }, { "none", CLIENT_ID_NONE },
	};
	uint8_t id[CLIENT_ID_MAX];
	int n, v;

	p->o->client_id_len = 0;
	if (keyword(k, 2, p->val, &v)) {
		p->o->id_mode = (enum client_id_mode)v;
		return 0;
	}
	n = parse_hex(p->val, id, sizeof(id));
	if (n == -1)
		return bad(p, "is not hex bytes (like 01:02:03:04:05:06:07), mac or none");
	/* RFC 2132 9.14: a type byte and at least one more; one length byte. */
	if (n < 2)
		return bad(p, "is not 2..255 bytes (RFC 2132 9.14)");
	p->o->id_mode = CLIENT_ID_RAW;
	memcpy(p->o->client_id, id, (size_t)n);
	p->o->client_id_len = (uint8_t)n;
	return 0;
}

static int set_hostname(struct parser *p)
{
	const char *why = hostname_problem(p->val);

	if (why)
		return bad(p, why);
	snprintf(p->o->hostname, sizeof(p->o->hostname), "%s", p->val);
	return 0;
}

static int set_vendor(struct parser *p)
{
	size_t n = strlen(p->val);

	if (n == 0 || n > CLIENT_VENDOR_MAX)
		return bad(p, "is not 1..255 characters long");
	for (size_t i = 0; i < n; i++)
		if (p->val[i] < 0x20 || p->val[i] > 0x7e)
			return bad(p, "has a character that is not printable ASCII");
	memcpy(p->o->vendor_class, p->val, n);
	p->o->vendor_class_len = (uint8_t)n;
	return 0;
}

/* One code of a --request list, s[0..len). */
static int add_request(struct parser *p, const char *s, size_t len)
{
	struct lessee_opts *o = p->o;
	char tok[CLI_SHOW_MAX + 1];
	uint32_t code;

	if (len == 0)
		return bad(p, "has an empty code");
	snprintf(tok, sizeof(tok), "%.*s", (int)(len < CLI_SHOW_MAX ? len : CLI_SHOW_MAX), s);
	if (len > CLI_SHOW_MAX || !parse_uint(tok, 254, &code) || code == 0)
		return bad_value(p, tok, "is not an option code in 1..254");
	if (memchr(o->request, (int)code, o->n_request))
		return bad_value(p, tok, "is listed twice");
	if (o->n_request >= CLIENT_PRL_EXTRA_MAX)
		return bad(p, "has more than 32 codes");
	o->request[o->n_request++] = (uint8_t)code;
	return 0;
}

static int set_request(struct parser *p)
{
	const char *s = p->val;

	list_claim(p, &p->request_src, &p->o->n_request);
	for (;;) {
		size_t len = strcspn(s, ",");

		if (add_request(p, s, len) < 0)
			return -1;
		if (s[len] == '\0')
			return 0;
		s += len + 1;
	}
}

static int set_config(struct parser *p);

/* --random-mac: a new address per start; --random-mac=stable: one per
 * network (macaddr.h). The value only ever comes with '=' (or in a -c
 * file), so `--random-mac eth0` keeps eth0 as the interface. */
static int set_random_mac(struct parser *p)
{
	if (p->val && strcmp(p->val, "stable") != 0)
		return bad(p, "is not 'stable' (--random-mac or --random-mac=stable)");
	p->o->random_mac = true;
	p->o->random_mac_stable = p->val != NULL;
	return 0;
}

/*
 * The options. A name is --NAME and, when in_file, a -c key; a dash
 * spelling is dhclient's (-sf) or a letter that bundles (-d). -1, -r, -x,
 * -cf and -c have no long form: they are dhclient's or make no sense in a
 * file. foreground, quiet, verbose, script, pid-file and lease-file exist
 * so that a -c file can say everything.
 */
#define OFF(field) offsetof(struct lessee_opts, field)
static const struct opt_def opt_table[] = {
	{ "foreground", "d", false, true, OFF(foreground), set_flag },
	{ NULL, "1", false, false, OFF(once), set_flag },
	{ "quiet", "q", false, true, 0, set_quiet },
	{ "verbose", "v", false, true, 0, set_quiet },
	{ "script", "sf", true, true, OFF(script), set_path },
	{ "pid-file", "pf", true, true, OFF(pidfile), set_path },
	{ "lease-file", "lf", true, true, OFF(leasefile), set_path },
	{ NULL, "cf", true, false, 0, set_dhclient_conf },
	{ NULL, "c", true, false, 0, set_config },
	{ NULL, "r", false, false, 0, set_action },
	{ NULL, "x", false, false, 0, set_action },
	{ "help", "h", false, false, 0, set_help },
	{ "version", NULL, false, false, 0, set_help },
	{ "role", NULL, true, false, 0, set_role_late },
	{ "oneshot", NULL, false, true, OFF(oneshot), set_flag },
	{ "timeout", NULL, true, true, 0, set_timeout },
	{ "no-configure", NULL, false, true, OFF(no_configure), set_flag },
	{ "json", NULL, false, true, OFF(json), set_flag },
	{ "explain", NULL, false, false, OFF(explain), set_flag },
	{ "anonymous", NULL, false, true, OFF(anonymous), set_flag },
	{ "random-mac", NULL, false, true, 0, set_random_mac, true },
	{ "acd", NULL, true, true, 0, set_acd },
	{ "resolv-conf", NULL, true, true, 0, set_resolv },
	{ "allow", NULL, true, true, 0, set_prefix },
	{ "deny", NULL, true, true, 1, set_prefix },
	{ "accept-route-override", NULL, false, true, OFF(accept_route_override), set_flag },
	{ "client-id", NULL, true, true, 0, set_client_id },
	{ "hostname", NULL, true, true, 0, set_hostname },
	{ "vendor-class", NULL, true, true, 0, set_vendor },
	{ "request", NULL, true, true, 0, set_request },
	{ "rapid-commit", NULL, false, true, OFF(rapid_commit), set_flag },
	{ "ipv6-only-preferred", NULL, false, true, OFF(ipv6_only_preferred), set_flag },
	{ "keep", NULL, false, true, OFF(keep), set_flag },
	{ "sandbox-debug", NULL, false, true, OFF(sandbox_debug), set_flag },
};
#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static const struct opt_def *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (opt_table[i].name && strlen(opt_table[i].name) == len &&
		    !memcmp(opt_table[i].name, name, len))
			return &opt_table[i];
	return NULL;
}

static const struct opt_def *find_dash(const char *dash)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (opt_table[i].dash && !strcmp(opt_table[i].dash, dash))
			return &opt_table[i];
	return NULL;
}

/* Run option d as spelled opt, with value val (NULL for a flag). */
static int run(struct parser *p, const struct opt_def *d, const char *opt,
	       const char *val)
{
	p->d = d;
	p->opt = opt;
	p->val = val;
	if (!d->has_arg && !d->optional_arg && val)
		return bad(p, "is a value, but the option takes none");
	return d->set(p);
}

static int unknown(struct parser *p, const char *what, const char *arg)
{
	char buf[CLI_SHOW_MAX + 4];

	return fail(p, "'%s' is not a known %s%s", shown(arg, buf), what,
		    p->file ? "" : " (see --help)");
}

/* ---- the -c file --------------------------------------------------------- */

/* One line into buf without its newline: 1 a line, 0 end of file, -1 an
 * error (why says which). */
static int read_line(FILE *f, char *buf, size_t cap, const char **why)
{
	size_t n = 0;
	int ch;

	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (ch == '\0') {
			*why = "a NUL byte";
			return -1;
		}
		if (n + 1 >= cap) {
			*why = "line longer than 1024 bytes";
			return -1;
		}
		buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	if (ferror(f)) {
		*why = strerror(errno);
		return -1;
	}
	return ch == EOF && n == 0 ? 0 : 1;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* `key value`, `key=value` or `key = value`; blanks around are dropped. */
static int file_line(struct parser *p, char *s)
{
	const struct opt_def *d;
	char *val, *end;
	size_t klen;

	while (blank(*s))
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	klen = strcspn(s, " \t\r=");
	for (val = s + klen; blank(*val); val++)
		;
	if (*val == '=')
		for (val++; blank(*val); val++)
			;
	for (end = val + strlen(val); end > val && blank(end[-1]); end--)
		;
	*end = '\0';
	s[klen] = '\0';
	d = find_long(s, klen);
	if (!d || !d->in_file)
		return unknown(p, "key", s);
	if (d->has_arg && *val == '\0')
		return fail(p, "%s: needs a value", s);
	return run(p, d, s, d->has_arg || *val ? val : NULL);
}

static int read_config(struct parser *p, FILE *f)
{
	char line[CLI_LINE_MAX + 1];
	const char *why = NULL;
	int r;

	while ((r = read_line(f, line, sizeof(line), &why)) > 0) {
		p->line++;
		if (file_line(p, line) < 0)
			return -1;
	}
	if (r < 0) {
		p->line++;
		return fail(p, "%s", why);
	}
	return 0;
}

/* -c FILE: its lines apply here, as a source of their own. */
static int set_config(struct parser *p)
{
	const char *name = p->val;
	char buf[CLI_SHOW_MAX + 4];
	struct stat st;
	FILE *f;
	int fd, r;

	if (name[0] == '\0' || has_control(name))
		return bad(p, "is not a file name");
	/* O_NONBLOCK: a FIFO must not hang the start; it is refused below. */
	fd = open(name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fail(p, "%s: '%s': %s", p->opt, shown(name, buf), strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "r"))) {
		close(fd);
		return bad(p, "is not a regular file");
	}
	p->file = name;
	p->line = 0;
	p->source = ++p->n_files;
	r = read_config(p, f);
	p->file = NULL;
	p->source = 0;
	fclose(f);
	return r;
}

/* ---- the argv walk ------------------------------------------------------- */

/* The value of argv[*i]'s option: inline (--x=v), the next argument, or
 * NULL for a flag. -1 when it is missing. */
static int take_value(struct parser *p, const struct opt_def *d, const char *opt,
		      int argc, char *const argv[], int *i, const char **val)
{
	if (!d->has_arg || *val)
		return 0;
	if (*i + 1 >= argc)
		return fail(p, "%s: needs a value", opt);
	*val = argv[++*i];
	return 0;
}

static int long_opt(struct parser *p, int argc, char *const argv[], int *i)
{
	const char *arg = argv[*i], *eq = strchr(arg, '='), *val = eq ? eq + 1 : NULL;
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct opt_def *d = find_long(arg + 2, len - 2);
	char opt[40];

	if (!d)
		return unknown(p, "option", arg);
	snprintf(opt, sizeof(opt), "--%s", d->name);
	if (take_value(p, d, opt, argc, argv, i, &val) < 0)
		return -1;
	return run(p, d, opt, val);
}

/* -sf FILE, -d, or bundled letters -d1v (flags only). */
static int short_opt(struct parser *p, int argc, char *const argv[], int *i)
{
	const char *arg = argv[*i], *val = NULL;
	const struct opt_def *d = find_dash(arg + 1);
	char one[2] = { 0, 0 }, opt[3] = { '-', 0, 0 };

	if (d) {
		if (take_value(p, d, arg, argc, argv, i, &val) < 0)
			return -1;
		return run(p, d, arg, val);
	}
	for (const char *c = arg + 1; *c; c++) {
		one[0] = *c;
		d = find_dash(one);
		if (!d || d->has_arg)
			return unknown(p, "option", arg);
	}
	if (arg[1] == '\0')
		return unknown(p, "option", arg);
	for (const char *c = arg + 1; *c && !p->done; c++) {
		one[0] = opt[1] = *c;
		if (run(p, find_dash(one), opt, NULL) < 0)
			return -1;
	}
	return 0;
}

static int operand(struct parser *p, const char *arg)
{
	char buf[CLI_SHOW_MAX + 4];

	p->opt = "IFNAME";
	if (p->o->ifname[0])
		return fail(p, "IFNAME: '%s' is a second interface (already '%s')",
			    shown(arg, buf), p->o->ifname);
	if (!ifname_ok(arg))
		return bad_value(p, arg, "is not an interface name (1..15 bytes; no '/', "
				 "':' or white space; not . or ..)");
	memcpy(p->o->ifname, arg, strlen(arg) + 1);
	return 0;
}

static int walk(struct parser *p, int argc, char *const argv[], int i)
{
	bool options = true;
	int r;

	for (; i < argc && !p->done; i++) {
		const char *arg = argv[i];

		if (options && !strcmp(arg, "--")) {
			options = false;
			continue;
		}
		if (!options || arg[0] != '-')
			r = operand(p, arg);
		else if (arg[1] == '-')
			r = long_opt(p, argc, argv, &i);
		else
			r = short_opt(p, argc, argv, &i);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* `--role NAME` or `--role=NAME` as argv[1]: the index of the next
 * argument, or -1. */
static int parse_role(struct parser *p, int argc, char *const argv[])
{
	static const struct keyword k[] = {
		{ "net", CLI_ROLE_NET }, { "engine", CLI_ROLE_ENGINE }, { "apply", CLI_ROLE_APPLY },
	};
	int next = 3, v;

	if (argc < 2 || strncmp(argv[1], "--role", 6) != 0 ||
	    (argv[1][6] != '\0' && argv[1][6] != '='))
		return 1;
	p->opt = "--role";
	p->val = argv[1][6] == '=' ? argv[1] + 7 : argc > 2 ? argv[2] : NULL;
	if (argv[1][6] == '=')
		next = 2;
	if (!p->val)
		return fail(p, "--role: needs a value");
	if (!keyword(k, 3, p->val, &v))
		return bad(p, "is not one of net, engine, apply");
	p->o->role = (enum cli_role)v;
	return next;
}

/* ---- after the walk ------------------------------------------------------ */

/* RFC 7844 3.5, 3.6, 3.7, 3.10: what an anonymous client does not send. */
static int check_anonymous(struct parser *p)
{
	const struct lessee_opts *o = p->o;

	if (!o->anonymous)
		return 0;
	if (o->id_mode == CLIENT_ID_RAW)
		return fail(p, "--anonymous conflicts with --client-id (%u bytes): the "
			    "anonymity profile (RFC 7844) sends no client identifier",
			    (unsigned)o->client_id_len);
	if (o->hostname[0])
		return fail(p, "--anonymous conflicts with --hostname '%s': RFC 7844 3.7 "
			    "forbids sending a host name", o->hostname);
	if (o->vendor_class_len)
		return fail(p, "--anonymous conflicts with --vendor-class '%.*s': RFC 7844 "
			    "3.10 forbids sending a vendor class", (int)o->vendor_class_len,
			    (const char *)o->vendor_class);
	if (o->n_request)
		return fail(p, "--anonymous conflicts with --request (%u codes): RFC 7844 "
			    "3.6 asks for a minimal, fixed list", (unsigned)o->n_request);
	return 0;
}

static int finish(struct parser *p)
{
	struct lessee_opts *o = p->o;

	if (!o->ifname[0])
		return fail(p, "IFNAME: missing (lessee [options] IFNAME)");
	if (o->oneshot && o->once)
		return fail(p, "--oneshot conflicts with -1: -1 keeps the lease in the "
			    "background, --oneshot exits once it is applied");
	if (o->random_mac && o->no_configure)
		return fail(p, "--random-mac conflicts with --no-configure: changing the "
			    "MAC needs the apply role");
	if (o->explain && o->action != CLI_RUN)
		return fail(p, "--explain conflicts with %s: --explain sends nothing",
			    o->action == CLI_RELEASE ? "-r" : "-x");
	if (check_anonymous(p) < 0)
		return -1;
	if (!o->leasefile[0])
		snprintf(o->leasefile, sizeof(o->leasefile), "/var/lib/lessee/%s.lease",
			 o->ifname);
	return 0;
}

static void opts_init(struct lessee_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->role = CLI_ROLE_SUPERVISOR;
	o->action = CLI_RUN;
	o->acd = CLIENT_ACD_FAST;
	o->resolv_mode = RESOLV_FILE;
	snprintf(o->resolv_conf, sizeof(o->resolv_conf), "/etc/resolv.conf");
	o->id_mode = CLIENT_ID_MAC;
}

int cli_parse(int argc, char *const argv[], struct lessee_opts *opts,
	      char *err, size_t err_size)
{
	struct parser p = { .o = opts, .err = err, .err_size = err_size };
	int first;

	if (err && err_size)
		err[0] = '\0';
	opts_init(opts);
	first = parse_role(&p, argc, argv);
	if (first < 0 || walk(&p, argc, argv, first) < 0)
		return -1;
	return p.done ? 0 : finish(&p);
}

const char *cli_usage(void)
{
	return
	"usage: lessee [options] IFNAME\n"
	"  -d                 stay in the foreground, log to stderr\n"
	"  -1                 try once: exit 2 if no lease within the timeout\n"
	"  -q, -v             quiet, verbose\n"
	"  -sf SCRIPT         run SCRIPT (dhclient-script environment) on lease events\n"
	"  -pf PIDFILE        write the process id to PIDFILE\n"
	"  -lf LEASEFILE      lease store (default /var/lib/lessee/IFNAME.lease)\n"
	"  -cf FILE           accepted for dhclient compatibility, ignored\n"
	"  -r, -x             release the lease and exit; stop without release\n"
	"  -c FILE            read long options from FILE, one per line\n"
	"  --oneshot          get a lease, apply it, exit (2 on timeout)\n"
	"  --timeout SECONDS  for -1 and --oneshot (default 60)\n"
	"  --no-configure     change nothing; print lease events as JSON\n"
	"  --json             events as JSON lines on stdout\n"
	"  --explain          print every message lessee would send, and what in it\n"
	"                     identifies this device; sends nothing (--json: one document)\n"
	"  --anonymous        RFC 7844 anonymity profile\n"
	"  --random-mac[=stable]  random MAC before start: per start, or per network\n"
	"  --acd off|fast|rfc5227             address conflict detection (fast)\n"
	"  --resolv-conf PATH|none|resolvconf|resolved     (/etc/resolv.conf)\n"
	"  --allow PREFIX, --deny PREFIX      addresses only in / never in PREFIX\n"
	"  --accept-route-override            let option 121 cover local routes\n"
	"  --client-id HEX|mac|none           client identifier (mac)\n"
	"  --hostname NAME, --vendor-class STRING, --request CODE,...\n"
	"  --rapid-commit, --ipv6-only-preferred, --keep\n"
	"  --sandbox-debug    a syscall outside a role's allowlist is named, then exit\n"
	"  -h, --help, --version\n";
}

void cli_client_config(const struct lessee_opts *opts, const uint8_t mac[6],
		       struct client_config *cfg)
{
	client_config_init(cfg, mac);
	cfg->acd = opts->acd;
	cfg->rapid_commit = opts->rapid_commit;
	cfg->ipv6_only_preferred = opts->ipv6_only_preferred;
	cfg->anonymous = opts->anonymous;
	if (opts->anonymous) {
		/* RFC 7844: nothing that names the host. cli_parse refused the
		 * options; this holds for options built by hand too. */
		cfg->id_mode = CLIENT_ID_NONE;
		return;
	}
	cfg->id_mode = opts->id_mode;
	if (opts->id_mode == CLIENT_ID_RAW) {
		memcpy(cfg->client_id, opts->client_id, opts->client_id_len);
		cfg->client_id_len = opts->client_id_len;
	}
	memcpy(cfg->hostname, opts->hostname, sizeof(cfg->hostname));
	cfg->hostname[sizeof(cfg->hostname) - 1] = '\0';
	memcpy(cfg->vendor_class, opts->vendor_class, opts->vendor_class_len);
	cfg->vendor_class_len = opts->vendor_class_len;
	memcpy(cfg->prl_extra, opts->request, opts->n_request);
	cfg->n_prl_extra = opts->n_request;
}

static const char *const role_names[] = {
	[CLI_ROLE_SUPERVISOR] = "supervisor", [CLI_ROLE_NET] = "net",
	[CLI_ROLE_ENGINE] = "engine", [CLI_ROLE_APPLY] = "apply",
};

const char *cli_role_name(enum cli_role role)
{
	return (unsigned)role < sizeof(role_names) / sizeof(role_names[0])
	       ? role_names[role] : "?";
}
