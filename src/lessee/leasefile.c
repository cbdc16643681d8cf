/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The lease store: render, parse, atomic replace. The format is documented
 * in leasefile.h. The parser reads a copy of each line (bounded), checks
 * every value's syntax and range itself, and hands the assembled lease to
 * validate_lease() before anything leaves this file: the store is input,
 * like a packet.
 */
#define _GNU_SOURCE     /* mkostemp */
#include "leasefile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wire/print.h"

static const char *const reason_names[] = {
#define LEASEFILE_REASON_NAME(name, text) #name,
	LEASEFILE_REASONS(LEASEFILE_REASON_NAME)
#undef LEASEFILE_REASON_NAME
};

const char *leasefile_reason_name(enum leasefile_reason r)
{
	return (unsigned)r < LEASEFILE_REASON_COUNT ? reason_names[r] : "?";
}

static enum leasefile_reason lf_fail(struct leasefile_error *err, enum leasefile_reason r,
				     unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum leasefile_reason lf_fail(struct leasefile_error *err, enum leasefile_reason r,
				     unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->reason = r;
		err->line = line;
		va_start(ap, fmt);
		vsnprintf(err->text, sizeof(err->text), fmt, ap);
		va_end(ap);
	}
	return r;
}

void leasefile_fingerprint(const struct client_lease *l, struct leasefile_fingerprint *fp)
{
	fp->server_id = l->server_id;
	fp->prefix = l->prefix;
	fp->subnet = l->address & validate_mask(l->prefix);
}

/* ---- time ---------------------------------------------------------------- */

/* Monotonic ms -> wall-clock s, clamped to [0, LEASEFILE_EPOCH_MAX]
 * (clamping keeps the order of the times, which is what validation needs). */
static uint64_t to_wall(uint64_t mono_ms, int64_t offset_ms)
{
	int64_t ms;

	if (mono_ms > (uint64_t)INT64_MAX ||
	    __builtin_add_overflow((int64_t)mono_ms, offset_ms, &ms))
		return offset_ms < 0 && mono_ms <= (uint64_t)INT64_MAX ? 0 : LEASEFILE_EPOCH_MAX;
	if (ms < 0)
		return 0;
	return (uint64_t)ms / 1000u > LEASEFILE_EPOCH_MAX ? LEASEFILE_EPOCH_MAX
							 : (uint64_t)ms / 1000u;
}

/* Wall-clock s -> monotonic ms; before the monotonic origin becomes 0. */
static uint64_t to_mono(uint64_t wall_s, int64_t offset_ms)
{
	int64_t ms;

	if (__builtin_sub_overflow((int64_t)(wall_s * 1000u), offset_ms, &ms))
		return offset_ms > 0 ? 0 : CLIENT_NEVER - 1;
	return ms < 0 ? 0 : (uint64_t)ms;
}

/* ---- render -------------------------------------------------------------- */

static void put_ips(struct strbuf *sb, const char *key, const uint32_t *a, unsigned n)
{
	sb_printf(sb, "%s=", key);
	for (unsigned i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(sb, ',');
		sb_ip(sb, a[i]);
	}
	sb_putc(sb, '\n');
}

static void put_ip(struct strbuf *sb, const char *key, uint32_t a)
{
	put_ips(sb, key, &a, 1);
}

static void put_time(struct strbuf *sb, const char *key, uint64_t mono, int64_t offset_ms)
{
	if (mono == CLIENT_NEVER)
		sb_printf(sb, "%s=never\n", key);
	else
		sb_printf(sb, "%s=%" PRIu64 "\n", key, to_wall(mono, offset_ms));
}

static void render_head(struct strbuf *sb, const char *ifname, const struct client_lease *l)
{
	struct leasefile_fingerprint fp;

	leasefile_fingerprint(l, &fp);
	sb_puts(sb, LEASEFILE_HEADER "\n"
		"# Written by lessee; replaced as a whole, never edited in place.\n"
		"# Times are wall-clock seconds since the epoch.\n");
	sb_printf(sb, "interface=%s\nmac=", ifname);
	for (unsigned i = 0; i < 6; i++)
		sb_printf(sb, "%s%02x", i > 0 ? ":" : "", l->mac[i]);
	sb_putc(sb, '\n');
	put_ip(sb, "address", l->address);
	sb_printf(sb, "prefix=%u\nprefix_from_server=%u\n", l->prefix,
		  l->prefix_from_server ? 1u : 0u);
	put_ip(sb, "broadcast", l->broadcast);
	put_ip(sb, "server_id", l->server_id);
	put_ip(sb, "network_server", fp.server_id);
	sb_puts(sb, "network_subnet=");
	sb_ip(sb, fp.subnet);
	sb_printf(sb, "/%u\n", fp.prefix);
}

static void render_lists(struct strbuf *sb, const struct client_lease *l)
{
	put_ips(sb, "routers", l->routers, l->n_routers);
	put_ips(sb, "dns", l->dns, l->n_dns);
	put_ips(sb, "ntp", l->ntp, l->n_ntp);
	sb_printf(sb, "domain=%s\nsearch=", l->domain_name);
	for (unsigned i = 0; i < l->n_search; i++)
		sb_printf(sb, "%s%s", i > 0 ? "," : "", l->search[i]);
	sb_puts(sb, "\nroutes=");
	for (unsigned i = 0; i < l->n_routes; i++) {
		if (i > 0)
			sb_putc(sb, ' ');
		sb_ip(sb, l->routes[i].dst);
		sb_printf(sb, "/%u,", l->routes[i].prefix);
		sb_ip(sb, l->routes[i].gateway);
	}
	sb_putc(sb, '\n');
}

static void render_times(struct strbuf *sb, const struct client_lease *l, int64_t offset_ms)
{
	sb_printf(sb, "mtu=%u\nlease_time=%" PRIu32 "\nrenewal_time=%" PRIu32
		  "\nrebinding_time=%" PRIu32 "\n", l->mtu, l->lease_s, l->t1_s, l->t2_s);
	put_time(sb, "obtained", l->obtained_at, offset_ms);
	put_time(sb, "renew_at", l->t1_at, offset_ms);
	put_time(sb, "rebind_at", l->t2_at, offset_ms);
	put_time(sb, "expires", l->expires_at, offset_ms);
}

enum leasefile_reason leasefile_render(const char *ifname, const struct client_lease *l,
				       int64_t offset_ms, char *buf, size_t cap, size_t *len,
				       struct leasefile_error *err)
{
	static const struct validate_policy anything = {
		.link_local = true, .accept_route_override = true,
	};
	struct validate_error why;
	struct strbuf sb;

	if (!buf || !len || cap == 0)
		return lf_fail(err, LEASEFILE_BAD_ARGUMENT, 0, "no output buffer");
	if (!validate_ifname(ifname))
		return lf_fail(err, LEASEFILE_BAD_ARGUMENT, 0, "bad interface name");
	/* What the store cannot round-trip (a name with a newline would add
	 * keys), it does not write. */
	if (validate_lease(l, &anything, NULL, &why) != VALIDATE_OK) {
		if (err)
			err->invalid = why.reason;
		return lf_fail(err, LEASEFILE_INVALID, 0, "not stored: %s", why.text);
	}
	sb_init(&sb, buf, cap);
	render_head(&sb, ifname, l);
	render_lists(&sb, l);
	render_times(&sb, l, offset_ms);
	if (sb.truncated)
		return lf_fail(err, LEASEFILE_NO_ROOM, 0, "lease needs more than %zu bytes", cap);
	*len = sb.len;
	return LEASEFILE_OK;
}

/* ---- values -------------------------------------------------------------- */

/* Decimal without sign or leading zeros, at most max. */
static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return false;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (*s < '0' || *s > '9' || v > max / 10 || (v == max / 10 && d > max % 10))
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool parse_u8(const char *s, uint8_t max, uint8_t *out)
{
	uint64_t v;

	if (!parse_uint(s, max, &v))
		return false;
	*out = (uint8_t)v;
	return true;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (!parse_uint(s, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17)
		return false;
	for (unsigned i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* Split s in place at sep: each call returns the next element or NULL.
 * An empty s has no elements; an empty element is returned as "". */
static char *next_elem(char **cursor, char sep)
{
	char *s = *cursor, *e;

	if (!s)
		return NULL;
	e = strchr(s, sep);
	if (e)
		*e++ = '\0';
	*cursor = e;
	return s;
}

static bool parse_ips(char *s, uint32_t *out, unsigned max, uint8_t *n)
{
	char *cur = s[0] ? s : NULL, *e;

	*n = 0;
	while ((e = next_elem(&cur, ',')) != NULL) {
		if (*n == max || !validate_parse_ip(e, &out[*n]))
			return false;
		(*n)++;
	}
	return true;
}

static bool parse_name(const char *s, char *out)
{
	size_t n = strlen(s);

	if (n >= CLIENT_NAME_MAX || (n > 0 && !validate_hostname_charset(s)))
		return false;
	memcpy(out, s, n + 1);
	return true;
}

static bool parse_search(char *s, struct client_lease *l)
{
	char *cur = s[0] ? s : NULL, *e;

	l->n_search = 0;
	while ((e = next_elem(&cur, ',')) != NULL) {
		if (l->n_search == CLIENT_MAX_SEARCH || e[0] == '\0' ||
		    !parse_name(e, l->search[l->n_search]))
			return false;
		l->n_search++;
	}
	return true;
}

static bool parse_routes(char *s, struct client_lease *l)
{
	char *cur = s[0] ? s : NULL, *e, *gw;
	struct validate_prefix dst;
	struct wire_route *r;

	l->n_routes = 0;
	while ((e = next_elem(&cur, ' ')) != NULL) {
		if (l->n_routes == CLIENT_MAX_ROUTES || !(gw = strchr(e, ',')))
			return false;
		*gw++ = '\0';
		r = &l->routes[l->n_routes];
		if (!validate_parse_prefix(e, &dst) || !validate_parse_ip(gw, &r->gateway))
			return false;
		r->dst = dst.addr;
		r->prefix = dst.prefix;
		l->n_routes++;
	}
	return true;
}

/* ---- keys ---------------------------------------------------------------- */

enum key {
	K_INTERFACE, K_MAC, K_ADDRESS, K_PREFIX, K_PREFIX_FROM_SERVER, K_BROADCAST,
	K_SERVER_ID, K_NETWORK_SERVER, K_NETWORK_SUBNET, K_ROUTERS, K_DNS, K_NTP,
	K_DOMAIN, K_SEARCH, K_ROUTES, K_MTU, K_LEASE_TIME, K_RENEWAL_TIME,
	K_REBINDING_TIME, K_OBTAINED, K_RENEW_AT, K_REBIND_AT, K_EXPIRES,
	K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"interface", "mac", "address", "prefix", "prefix_from_server", "broadcast",
	"server_id", "network_server", "network_subnet", "routers", "dns", "ntp",
	"domain", "search", "routes", "mtu", "lease_time", "renewal_time",
	"rebinding_time", "obtained", "renew_at", "rebind_at", "expires",
};

/* A wall-clock time as read; converted once every key is in. */
struct wall {
	bool never;
	uint64_t s;
};

struct parse_state {
	struct leasefile_record rec;
	bool seen[K_COUNT];
	unsigned seen_line[K_COUNT];
	struct wall obtained, renew, rebind, expires;
	struct validate_prefix subnet;
	uint32_t net_server;
};

static bool parse_wall(const char *s, bool never_ok, struct wall *w)
{
	w->never = strcmp(s, "never") == 0;
	w->s = 0;
	return w->never ? never_ok : parse_uint(s, LEASEFILE_EPOCH_MAX, &w->s);
}

static bool parse_value(struct parse_state *st, enum key k, char *v)
{
	struct client_lease *l = &st->rec.lease;
	uint8_t flag;

	switch (k) {
	case K_INTERFACE:
		if (!validate_ifname(v))
			return false;
		memcpy(st->rec.ifname, v, strlen(v) + 1);
		return true;
	case K_MAC:              return parse_mac(v, l->mac);
	case K_ADDRESS:          return validate_parse_ip(v, &l->address);
	case K_PREFIX:           return parse_u8(v, 32, &l->prefix);
	case K_PREFIX_FROM_SERVER:
		if (!parse_u8(v, 1, &flag))
			return false;
		l->prefix_from_server = flag == 1;
		return true;
	case K_BROADCAST:        return validate_parse_ip(v, &l->broadcast);
	case K_SERVER_ID:        return validate_parse_ip(v, &l->server_id);
	case K_NETWORK_SERVER:   return validate_parse_ip(v, &st->net_server);
	case K_NETWORK_SUBNET:   return validate_parse_prefix(v, &st->subnet);
	case K_ROUTERS:          return parse_ips(v, l->routers, CLIENT_MAX_ROUTERS, &l->n_routers);
	case K_DNS:              return parse_ips(v, l->dns, CLIENT_MAX_DNS, &l->n_dns);
	case K_NTP:              return parse_ips(v, l->ntp, CLIENT_MAX_NTP, &l->n_ntp);
	case K_DOMAIN:           return parse_name(v, l->domain_name);
	case K_SEARCH:           return parse_search(v, l);
	case K_ROUTES:           return parse_routes(v, l);
	case K_MTU: {
		uint64_t mtu;

		if (!parse_uint(v, UINT16_MAX, &mtu))
			return false;
		l->mtu = (uint16_t)mtu;
		return true;
	}
	case K_LEASE_TIME:       return parse_u32(v, &l->lease_s);
	case K_RENEWAL_TIME:     return parse_u32(v, &l->t1_s);
	case K_REBINDING_TIME:   return parse_u32(v, &l->t2_s);
	case K_OBTAINED:         return parse_wall(v, false, &st->obtained);
	case K_RENEW_AT:         return parse_wall(v, true, &st->renew);
	case K_REBIND_AT:        return parse_wall(v, true, &st->rebind);
	case K_EXPIRES:          return parse_wall(v, true, &st->expires);
	case K_COUNT:            break;
	}
	return false;
}

static bool key_syntax(const char *k)
{
	size_t n = 0;

	for (; k[n]; n++)
		if (!((k[n] >= 'a' && k[n] <= 'z') || (k[n] >= '0' && k[n] <= '9') || k[n] == '_'))
			return false;
	return n >= 1 && n <= 32;
}

/* For messages: the start of a value, escaped. */
static const char *shown(const char *v, char *out, size_t cap)
{
	struct strbuf sb;
	size_t n = strlen(v);

	sb_init(&sb, out, cap);
	sb_json_string(&sb, (const uint8_t *)v, n > 40 ? 40 : n);
	if (n > 40)
		sb_puts(&sb, "...");
	return out;
}

static enum leasefile_reason parse_line(struct parse_state *st, char *line, unsigned no,
					struct leasefile_error *err)
{
	char *eq = strchr(line, '='), show[300];
	unsigned k;

	if (!eq)
		return lf_fail(err, LEASEFILE_SYNTAX, no, "line %u: no '=' in %s", no,
			       shown(line, show, sizeof(show)));
	*eq = '\0';
	if (!key_syntax(line))
		return lf_fail(err, LEASEFILE_SYNTAX, no, "line %u: bad key %s", no,
			       shown(line, show, sizeof(show)));
	for (k = 0; k < K_COUNT && strcmp(line, key_names[k]) != 0; k++)
		;
	if (k == K_COUNT) {
		st->rec.unknown_keys++;
		return LEASEFILE_OK;
	}
	if (st->seen[k])
		return lf_fail(err, LEASEFILE_DUPLICATE, no, "line %u: %s given again (first on line %u)",
			       no, key_names[k], st->seen_line[k]);
	st->seen[k] = true;
	st->seen_line[k] = no;
	if (!parse_value(st, (enum key)k, eq + 1))
		return lf_fail(err, LEASEFILE_BAD_VALUE, no, "line %u: bad value for %s: %s", no,
			       key_names[k], shown(eq + 1, show, sizeof(show)));
	return LEASEFILE_OK;
}

/* ---- parse --------------------------------------------------------------- */

static enum leasefile_reason check_text(const char *text, size_t len,
					struct leasefile_error *err)
{
	unsigned line = 1;

	if (len > LEASEFILE_FILE_MAX)
		return lf_fail(err, LEASEFILE_TOO_LARGE, 0, "%zu bytes, at most %u", len,
			       LEASEFILE_FILE_MAX);
	if (len == 0 || text[len - 1] != '\n')
		return lf_fail(err, LEASEFILE_TRUNCATED, 0,
			       len == 0 ? "empty file" : "last line has no newline: file cut short");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n')
			line++;
		else if (c < 0x20 || c > 0x7e)
			return lf_fail(err, LEASEFILE_BAD_BYTE, line, "line %u: byte 0x%02x at offset %zu",
				       line, c, i);
	}
	return LEASEFILE_OK;
}

static enum leasefile_reason finish(struct parse_state *st, int64_t offset_ms,
				    const struct validate_policy *p,
				    const struct validate_context *ctx,
				    struct leasefile_error *err)
{
	struct client_lease *l = &st->rec.lease;
	struct validate_error why;

	for (unsigned k = 0; k < K_COUNT; k++)
		if (!st->seen[k])
			return lf_fail(err, LEASEFILE_MISSING_KEY, 0, "missing key %s", key_names[k]);
	l->obtained_at = to_mono(st->obtained.s, offset_ms);
	l->t1_at = st->renew.never ? CLIENT_NEVER : to_mono(st->renew.s, offset_ms);
	l->t2_at = st->rebind.never ? CLIENT_NEVER : to_mono(st->rebind.s, offset_ms);
	l->expires_at = st->expires.never ? CLIENT_NEVER : to_mono(st->expires.s, offset_ms);
	leasefile_fingerprint(l, &st->rec.net);
	if (st->net_server != st->rec.net.server_id || st->subnet.addr != st->rec.net.subnet ||
	    st->subnet.prefix != st->rec.net.prefix)
		return lf_fail(err, LEASEFILE_MISMATCH, st->seen_line[K_NETWORK_SUBNET],
			       "network_server/network_subnet do not match server_id and "
			       "address/prefix");
	if (validate_lease(l, p, ctx, &why) != VALIDATE_OK) {
		if (err)
			err->invalid = why.reason;
		return lf_fail(err, LEASEFILE_INVALID, 0, "lease refused: %s", why.text);
	}
	return LEASEFILE_OK;
}

enum leasefile_reason leasefile_parse(const char *text, size_t len, int64_t offset_ms,
				      const struct validate_policy *p,
				      const struct validate_context *ctx,
				      struct leasefile_record *out, struct leasefile_error *err)
{
	struct parse_state st;
	char line[LEASEFILE_LINE_MAX + 1];
	enum leasefile_reason r;
	size_t pos = 0, n;
	unsigned no = 0;

	if (!text || !out)
		return lf_fail(err, LEASEFILE_BAD_ARGUMENT, 0, "no text or no output");
	if ((r = check_text(text, len, err)) != LEASEFILE_OK)
		return r;
	memset(&st, 0, sizeof(st));
	while (pos < len) {
		n = (size_t)((const char *)memchr(text + pos, '\n', len - pos) - (text + pos));
		no++;
		if (n > LEASEFILE_LINE_MAX)
			return lf_fail(err, LEASEFILE_LINE_TOO_LONG, no, "line %u: %zu bytes, at most %u",
				       no, n, LEASEFILE_LINE_MAX);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + 1;
		if (no == 1 && strcmp(line, LEASEFILE_HEADER) != 0)
			return lf_fail(err, LEASEFILE_BAD_HEADER, 1, "first line is not \"%s\"",
				       LEASEFILE_HEADER);
		if (no == 1 || n == 0 || line[0] == '#')
			continue;
		if ((r = parse_line(&st, line, no, err)) != LEASEFILE_OK)
			return r;
	}
	if ((r = finish(&st, offset_ms, p, ctx, err)) != LEASEFILE_OK)
		return r;
	*out = st.rec;
	return LEASEFILE_OK;
}

/* ---- files --------------------------------------------------------------- */

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

int leasefile_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	const char *slash, *base;
	size_t dirlen;
	int fd, r = 0;

	if (!path || (!data && len > 0))
		return -EINVAL;
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;   /* with the slash */
	if (base[0] == '\0' ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", (int)dirlen, path, base) >=
		    sizeof(tmp))
		return -EINVAL;
	if (dirlen == 0)
		snprintf(dir, sizeof(dir), ".");
	else    /* "/x" -> "/", "/a/x" -> "/a" */
		snprintf(dir, sizeof(dir), "%.*s", dirlen > 1 ? (int)dirlen - 1 : 1, path);
	fd = mkostemp(tmp, O_CLOEXEC);          /* O_CREAT|O_EXCL, mode 0600 */
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) < 0 || (r = write_all(fd, data, len)) < 0 || fsync(fd) < 0)
		r = r < 0 ? r : -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		(void)unlink(tmp);
		return r;
	}
	return fsync_dir(dir);
}

enum leasefile_reason leasefile_save(const char *path, const char *ifname,
				     const struct client_lease *l, int64_t offset_ms,
				     struct leasefile_error *err)
{
	char text[LEASEFILE_FILE_MAX];
	enum leasefile_reason r;
	size_t len = 0;
	int e;

	if (!path)
		return lf_fail(err, LEASEFILE_BAD_ARGUMENT, 0, "no path");
	if ((r = leasefile_render(ifname, l, offset_ms, text, sizeof(text), &len, err)) !=
	    LEASEFILE_OK)
		return r;
	if ((e = leasefile_write_atomic(path, text, len, 0600)) < 0)
		return lf_fail(err, LEASEFILE_IO, 0, "writing %s: %s", path, strerror(-e));
	return LEASEFILE_OK;
}

enum leasefile_reason leasefile_load(const char *path, int64_t offset_ms,
				     const struct validate_policy *p,
				     const struct validate_context *ctx,
				     struct leasefile_record *out, struct leasefile_error *err)
{
	char text[LEASEFILE_FILE_MAX + 1];
	struct stat sb;
	size_t len = 0;
	ssize_t n;
	int fd, e;

	if (!path)
		return lf_fail(err, LEASEFILE_BAD_ARGUMENT, 0, "no path");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		e = errno;
		return lf_fail(err, LEASEFILE_IO, 0, "opening %s: %s", path, strerror(e));
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return lf_fail(err, LEASEFILE_IO, 0, "%s is not a regular file", path);
	}
	while (len < sizeof(text) && (n = read(fd, text + len, sizeof(text) - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			close(fd);
			return lf_fail(err, LEASEFILE_IO, 0, "reading %s: %s", path, strerror(e));
		}
		len += (size_t)n;
	}
	close(fd);
	return leasefile_parse(text, len, offset_ms, p, ctx, out, err);
}
