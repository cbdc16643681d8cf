/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lease validation for the apply role (DESIGN.md, "Daemon and privilege
 * separation"). The lease comes from the engine, which parses packets from
 * anyone, or from a file anyone with the right access could have edited:
 * every field is checked here, in an order where nothing is read before
 * the fields that bound it (counts, terminators) have been checked.
 *
 * Decisions, beyond the letter of DESIGN.md:
 * - /31 (RFC 3021 point-to-point links) is refused, as DESIGN.md lists
 *   "1..30 or 32"; the engine accepts it, so such a lease is refused here
 *   with a clear reason rather than applied half-understood.
 * - A prefix shorter than /8, on the address or on a classless route,
 *   would put part of the default route's space on this link: no real
 *   subnet is wider than a /8. That is how TunnelVision (CVE-2024-3661)
 *   pulls traffic out of a VPN's 0.0.0.0/1 + 128.0.0.0/1, so both are
 *   refused unless accept_route_override. A 0.0.0.0/0 route (option 121 or
 *   the default route from option 3) is the ordinary default route and is
 *   always allowed.
 * - A classless route that overlaps a local prefix (either one contains the
 *   other) is refused unless accept_route_override: a more specific route
 *   steals the local prefix's traffic, a wider one catches it whenever the
 *   local prefix goes away (a VPN reconnecting).
 * - Routers, gateways, DNS and NTP servers may be link-local (169.254/16:
 *   cloud metadata DNS and NTP live there); only the lease address needs
 *   link-local mode.
 */
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wire/dns.h"
#include "wire/print.h"

_Static_assert(sizeof(bool) == 1, "boolean fields are checked as one byte");

static const char *const reason_names[] = {
#define VALIDATE_REASON_NAME(name, text) #name,
	VALIDATE_REASONS(VALIDATE_REASON_NAME)
#undef VALIDATE_REASON_NAME
};

static const char *const reason_texts[] = {
#define VALIDATE_REASON_TEXT(name, text) text,
	VALIDATE_REASONS(VALIDATE_REASON_TEXT)
#undef VALIDATE_REASON_TEXT
};

const char *validate_reason_name(enum validate_reason r)
{
	return (unsigned)r < VALIDATE_REASON_COUNT ? reason_names[r] : "?";
}

const char *validate_reason_text(enum validate_reason r)
{
	return (unsigned)r < VALIDATE_REASON_COUNT ? reason_texts[r] : "?";
}

/* ---- small helpers ------------------------------------------------------- */

uint32_t validate_mask(unsigned prefix)
{
	if (prefix == 0)
		return 0;
	if (prefix >= 32)
		return UINT32_MAX;
	return UINT32_MAX << (32 - prefix);
}

static bool in_prefix(uint32_t addr, uint32_t net, unsigned prefix)
{
	uint32_t m = validate_mask(prefix);

	return (addr & m) == (net & m);
}

/* Two prefixes overlap when the shorter one contains the longer. */
static bool overlap(uint32_t a, unsigned pa, uint32_t b, unsigned pb)
{
	return in_prefix(a, b, pa < pb ? pa : pb);
}

struct ipstr {
	char s[16];
};

static struct ipstr ip(uint32_t addr)
{
	struct ipstr r;
	struct strbuf sb;

	sb_init(&sb, r.s, sizeof(r.s));
	sb_ip(&sb, addr);
	return r;
}

/* A name for a message: quoted, escaped, cut at 48 bytes. */
struct namestr {
	char s[48 * 6 + 8];
};

static struct namestr quoted(const char *s, size_t cap)
{
	struct namestr r;
	struct strbuf sb;
	size_t n = strnlen(s, cap);

	sb_init(&sb, r.s, sizeof(r.s));
	sb_json_string(&sb, (const uint8_t *)s, n < 48 ? n : 48);
	if (n > 48)
		sb_puts(&sb, "...");
	return r;
}

static enum validate_reason fail(struct validate_error *why, enum validate_reason r,
				 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static enum validate_reason fail(struct validate_error *why, enum validate_reason r,
				 const char *fmt, ...)
{
	va_list ap;

	if (why) {
		why->reason = r;
		va_start(ap, fmt);
		vsnprintf(why->text, sizeof(why->text), fmt, ap);
		va_end(ap);
	}
	return r;
}

static bool flag_ok(const bool *b)
{
	uint8_t v;

	memcpy(&v, b, 1);
	return v <= 1;
}

/* ---- address classes ----------------------------------------------------- */

static enum validate_reason addr_class(uint32_t a, bool link_local)
{
	unsigned top = a >> 24;

	if (top == 0)                   /* RFC 1122 3.2.1.3 (a)/(b), RFC 6890 */
		return VALIDATE_ADDR_THIS_NET;
	if (top == 127)                 /* RFC 1122 3.2.1.3 (g) */
		return VALIDATE_ADDR_LOOPBACK;
	if (!link_local && (a >> 16) == 0xa9feu)   /* RFC 3927 */
		return VALIDATE_ADDR_LINK_LOCAL;
	if (top >= 224 && top < 240)    /* RFC 5771 */
		return VALIDATE_ADDR_MULTICAST;
	if (top >= 240)                 /* RFC 1112 4; RFC 919 limited broadcast */
		return VALIDATE_ADDR_RESERVED;
	return VALIDATE_OK;
}

static const char *class_text(enum validate_reason r)
{
	if (r == VALIDATE_ADDR_THIS_NET)
		return "0.0.0.0/8 (this network)";
	if (r == VALIDATE_ADDR_LOOPBACK)
		return "127.0.0.0/8 (loopback)";
	if (r == VALIDATE_ADDR_LINK_LOCAL)
		return "169.254.0.0/16 (link-local)";
	if (r == VALIDATE_ADDR_MULTICAST)
		return "224.0.0.0/4 (multicast)";
	return "240.0.0.0/4 (reserved, limited broadcast)";
}

bool validate_ip_unicast(uint32_t addr)
{
	return addr_class(addr, true) == VALIDATE_OK;
}

/* ---- text ---------------------------------------------------------------- */

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The rule lives in src/wire/dns.c, shared with the engine, which drops
 * such names before they get here (so a refusal here is a broken engine
 * or an edited lease file). */
bool validate_hostname_charset(const char *name)
{
	return name && dns_is_host_name(name, strnlen(name, DNS_NAME_MAX));
}

bool validate_ifname(const char *name)
{
	size_t len, i;

	if (!name)
		return false;
	len = strnlen(name, 16);
	/* A leading '-' would read as an option in an argv (resolvectl). */
	if (len == 0 || len > 15 || name[0] == '-' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!is_alnum(c) && c != '_' && c != '.' && c != '-')
			return false;
	}
	return true;
}

bool validate_parse_ip(const char *s, uint32_t *out)
{
	uint32_t a = 0;
	int part;

	if (!s)
		return false;
	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		if (part > 0 && *s++ != '.')
			return false;
		while (*s >= '0' && *s <= '9') {
			if (digits == 3 || (digits == 1 && v == 0))
				return false;   /* too long, or a leading zero */
			v = v * 10u + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || v > 255)
			return false;
		a = a << 8 | v;
	}
	if (*s != '\0')
		return false;
	*out = a;
	return true;
}

bool validate_parse_prefix(const char *s, struct validate_prefix *out)
{
	char addr[16];
	const char *slash;
	unsigned len = 0, digits = 0;
	uint32_t a;

	if (!s || !(slash = strchr(s, '/')) || (size_t)(slash - s) >= sizeof(addr))
		return false;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	for (s = slash + 1; *s >= '0' && *s <= '9'; s++) {
		if (digits == 2 || (digits == 1 && len == 0))
			return false;
		len = len * 10u + (unsigned)(*s - '0');
		digits++;
	}
	if (*s != '\0' || digits == 0 || len > 32 || !validate_parse_ip(addr, &a) ||
	    (a & ~validate_mask(len)) != 0)
		return false;
	out->addr = a;
	out->prefix = (uint8_t)len;
	return true;
}

/* ---- shape --------------------------------------------------------------- */

static enum validate_reason check_counts(const struct client_lease *l,
					 struct validate_error *why)
{
	const struct {
		const char *name;
		unsigned n, max;
	} c[] = {
		{ "routers", l->n_routers, CLIENT_MAX_ROUTERS },
		{ "DNS servers", l->n_dns, CLIENT_MAX_DNS },
		{ "NTP servers", l->n_ntp, CLIENT_MAX_NTP },
		{ "search domains", l->n_search, CLIENT_MAX_SEARCH },
		{ "classless routes", l->n_routes, CLIENT_MAX_ROUTES },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (c[i].n > c[i].max)
			return fail(why, VALIDATE_COUNT, "%u %s, at most %u allowed", c[i].n,
				    c[i].name, c[i].max);
	return VALIDATE_OK;
}

/*
 * A name field holds one string: a NUL within the field and only NULs after
 * it (the engine zeroes the lease before it fills it). Bytes after the
 * terminator mean a name with a NUL inside ("evil.com\0; reboot"), which
 * some later reader might not cut where we do.
 */
static bool name_field_ok(const char *s, size_t cap)
{
	const char *nul = memchr(s, '\0', cap);

	if (!nul)
		return false;
	for (size_t i = (size_t)(nul - s) + 1; i < cap; i++)
		if (s[i] != '\0')
			return false;
	return true;
}

enum validate_reason validate_lease_shape(const struct client_lease *l,
					  struct validate_error *why)
{
	enum validate_reason r;
	uint8_t raw;

	if (!l)
		return fail(why, VALIDATE_BAD_ARGUMENT, "no lease");
	if (!flag_ok(&l->prefix_from_server)) {
		memcpy(&raw, &l->prefix_from_server, 1);
		return fail(why, VALIDATE_BAD_FLAG, "prefix_from_server is %u, not 0 or 1", raw);
	}
	if ((r = check_counts(l, why)) != VALIDATE_OK)
		return r;
	if (!name_field_ok(l->domain_name, sizeof(l->domain_name)))
		return fail(why, VALIDATE_UNTERMINATED,
			    "domain name is not one NUL-terminated string in its %zu bytes",
			    sizeof(l->domain_name));
	for (unsigned i = 0; i < l->n_search; i++)
		if (!name_field_ok(l->search[i], sizeof(l->search[i])))
			return fail(why, VALIDATE_UNTERMINATED,
				    "search domain %u is not one NUL-terminated string in its "
				    "%zu bytes", i, sizeof(l->search[i]));
	return VALIDATE_OK;
}

static enum validate_reason check_prefix_list(const struct validate_prefix *v, unsigned n,
					      unsigned max, const char *what,
					      struct validate_error *why)
{
	if (n > max)
		return fail(why, VALIDATE_BAD_ARGUMENT, "%u %s prefixes, at most %u", n, what, max);
	for (unsigned i = 0; i < n; i++)
		if (v[i].prefix > 32 || (v[i].addr & ~validate_mask(v[i].prefix)) != 0)
			return fail(why, VALIDATE_BAD_ARGUMENT, "%s prefix %s/%u is not a prefix",
				    what, ip(v[i].addr).s, v[i].prefix);
	return VALIDATE_OK;
}

static enum validate_reason check_arguments(const struct validate_policy *p,
					    const struct validate_context *ctx,
					    struct validate_error *why)
{
	enum validate_reason r = VALIDATE_OK;

	if (p && (r = check_prefix_list(p->allow, p->n_allow, VALIDATE_POLICY_MAX, "allowed",
					why)) != VALIDATE_OK)
		return r;
	if (p && (r = check_prefix_list(p->deny, p->n_deny, VALIDATE_POLICY_MAX, "denied",
					why)) != VALIDATE_OK)
		return r;
	if (p && (!flag_ok(&p->link_local) || !flag_ok(&p->accept_route_override)))
		return fail(why, VALIDATE_BAD_ARGUMENT, "policy flag is neither 0 nor 1");
	if (ctx)
		r = check_prefix_list(ctx->local, ctx->n_local, VALIDATE_LOCAL_MAX, "local", why);
	return r;
}

/* ---- the address ------------------------------------------------------- */

/* RFC 919 / RFC 922: the broadcast address of a subnet is all host bits
 * set. On a /32 there is none: the computed value (the address itself) or
 * the limited broadcast are accepted. */
static enum validate_reason check_broadcast(const struct client_lease *l,
					    struct validate_error *why)
{
	uint32_t mask = validate_mask(l->prefix);
	uint32_t want = (l->address & mask) | ~mask;

	if (l->broadcast == want || (l->prefix == 32 && l->broadcast == UINT32_MAX))
		return VALIDATE_OK;
	return fail(why, VALIDATE_BROADCAST, "broadcast %s does not match %s/%u (expected %s)",
		    ip(l->broadcast).s, ip(l->address).s, l->prefix, ip(want).s);
}

static enum validate_reason check_address(const struct client_lease *l,
					  const struct validate_policy *p,
					  struct validate_error *why)
{
	enum validate_reason r = addr_class(l->address, p && p->link_local);
	uint32_t host = l->address & ~validate_mask(l->prefix);

	if (r != VALIDATE_OK)
		return fail(why, r, "address %s is in %s", ip(l->address).s, class_text(r));
	/* DESIGN.md: 1..30 or 32. /31 (RFC 3021) is a decision: refused. */
	if (l->prefix == 0 || l->prefix == 31 || l->prefix > 32)
		return fail(why, VALIDATE_PREFIX, "prefix /%u for %s is not 1..30 or 32",
			    l->prefix, ip(l->address).s);
	if (l->prefix < 8 && !(p && p->accept_route_override))
		return fail(why, VALIDATE_PREFIX_WIDE,
			    "prefix %s/%u is wider than /8 and would cover part of the "
			    "default route (CVE-2024-3661)", ip(l->address & validate_mask(l->prefix)).s,
			    l->prefix);
	/* RFC 950 / RFC 1122 3.2.1.3: all-zero and all-one host parts. */
	if (l->prefix <= 30 && (host == 0 || host == ~validate_mask(l->prefix)))
		return fail(why, VALIDATE_ADDR_NET_OR_BCAST,
			    "address %s is the %s address of its /%u", ip(l->address).s,
			    host == 0 ? "network" : "broadcast", l->prefix);
	return check_broadcast(l, why);
}

static enum validate_reason check_policy(const struct client_lease *l,
					 const struct validate_policy *p,
					 struct validate_error *why)
{
	unsigned i;

	if (!p)
		return VALIDATE_OK;
	for (i = 0; i < p->n_allow; i++)
		if (in_prefix(l->address, p->allow[i].addr, p->allow[i].prefix))
			break;
	if (p->n_allow > 0 && i == p->n_allow)
		return fail(why, VALIDATE_NOT_ALLOWED,
			    "address %s is outside every allowed prefix (%u given)",
			    ip(l->address).s, p->n_allow);
	for (i = 0; i < p->n_deny; i++)
		if (in_prefix(l->address, p->deny[i].addr, p->deny[i].prefix))
			return fail(why, VALIDATE_DENIED, "address %s is inside denied prefix %s/%u",
				    ip(l->address).s, ip(p->deny[i].addr).s, p->deny[i].prefix);
	return VALIDATE_OK;
}

/* ---- next hops and routes ------------------------------------------------ */

/* On-link: inside our prefix, or inside a classless route with gateway 0
 * (RFC 3442: "a router address of 0.0.0.0 ... on the same subnet"). On a
 * /32 only our own address is inside, and nexthop_problem() refuses it. */
static bool reachable(const struct client_lease *l, uint32_t a)
{
	if (in_prefix(a, l->address, l->prefix))
		return true;
	for (unsigned i = 0; i < l->n_routes; i++)
		if (l->routes[i].gateway == 0 &&
		    in_prefix(a, l->routes[i].dst, l->routes[i].prefix))
			return true;
	return false;
}

/* NULL when a can be a next hop, else what is wrong with it. */
static const char *nexthop_problem(const struct client_lease *l, uint32_t a)
{
	uint32_t hostmask = ~validate_mask(l->prefix);

	if (!validate_ip_unicast(a))
		return "is not a unicast address";
	if (a == l->address)
		return "is our own address";
	if (l->prefix <= 30 && in_prefix(a, l->address, l->prefix)) {
		if ((a & hostmask) == 0)
			return "is the network address of our prefix";
		if ((a & hostmask) == hostmask)
			return "is the broadcast address of our prefix";
	}
	return NULL;
}

/* RFC 3442: prefix 0..32, the destination's bits past it zero. Checked for
 * every route before any route is used to decide reachability. */
static enum validate_reason check_route_shapes(const struct client_lease *l,
					       struct validate_error *why)
{
	for (unsigned i = 0; i < l->n_routes; i++) {
		const struct wire_route *rt = &l->routes[i];

		if (rt->prefix > 32)
			return fail(why, VALIDATE_ROUTE_PREFIX,
				    "classless route %u to %s has prefix /%u", i, ip(rt->dst).s,
				    rt->prefix);
		if ((rt->dst & ~validate_mask(rt->prefix)) != 0)
			return fail(why, VALIDATE_ROUTE_HOST_BITS,
				    "classless route %s/%u has bits past its prefix",
				    ip(rt->dst).s, rt->prefix);
	}
	return VALIDATE_OK;
}

/* TunnelVision (CVE-2024-3661) and local prefixes; see the top comment. */
static enum validate_reason check_route_override(const struct wire_route *rt,
						 const struct validate_context *ctx,
						 struct validate_error *why)
{
	if (rt->prefix == 0)
		return VALIDATE_OK;     /* the ordinary default route */
	if (rt->prefix < 8)
		return fail(why, VALIDATE_ROUTE_SPLIT_DEFAULT,
			    "classless route %s/%u via %s covers part of the default route "
			    "(TunnelVision, CVE-2024-3661)", ip(rt->dst).s, rt->prefix,
			    ip(rt->gateway).s);
	for (unsigned j = 0; ctx && j < ctx->n_local; j++)
		if (overlap(rt->dst, rt->prefix, ctx->local[j].addr, ctx->local[j].prefix))
			return fail(why, VALIDATE_ROUTE_LOCAL_OVERLAP,
				    "classless route %s/%u overlaps local prefix %s/%u",
				    ip(rt->dst).s, rt->prefix, ip(ctx->local[j].addr).s,
				    ctx->local[j].prefix);
	return VALIDATE_OK;
}

static enum validate_reason check_routes(const struct client_lease *l,
					 const struct validate_policy *p,
					 const struct validate_context *ctx,
					 struct validate_error *why)
{
	enum validate_reason r = check_route_shapes(l, why);
	const char *bad;

	for (unsigned i = 0; r == VALIDATE_OK && i < l->n_routes; i++) {
		const struct wire_route *rt = &l->routes[i];

		if (rt->gateway != 0 && (bad = nexthop_problem(l, rt->gateway)) != NULL)
			return fail(why, VALIDATE_ROUTE_GATEWAY_ADDR,
				    "classless route %s/%u: gateway %s %s", ip(rt->dst).s,
				    rt->prefix, ip(rt->gateway).s, bad);
		if (rt->gateway != 0 && !reachable(l, rt->gateway))
			return fail(why, VALIDATE_ROUTE_GATEWAY_OFFLINK,
				    "classless route %s/%u: gateway %s is not on-link and no "
				    "on-link classless route reaches it", ip(rt->dst).s,
				    rt->prefix, ip(rt->gateway).s);
		if (!(p && p->accept_route_override))
			r = check_route_override(rt, ctx, why);
	}
	return r;
}

/* Option 3 gives default routes (0.0.0.0/0): never a TunnelVision split,
 * so only the next hop itself is checked. */
static enum validate_reason check_routers(const struct client_lease *l,
					  struct validate_error *why)
{
	const char *bad;

	for (unsigned i = 0; i < l->n_routers; i++) {
		uint32_t a = l->routers[i];

		if ((bad = nexthop_problem(l, a)) != NULL)
			return fail(why, VALIDATE_ROUTER_ADDR, "router %s %s", ip(a).s, bad);
		if (!reachable(l, a))
			return fail(why, VALIDATE_ROUTER_OFFLINK,
				    "router %s is not on-link and no classless route reaches it",
				    ip(a).s);
	}
	return VALIDATE_OK;
}

static enum validate_reason check_servers(const uint32_t *v, unsigned n, const char *what,
					  enum validate_reason r, struct validate_error *why)
{
	for (unsigned i = 0; i < n; i++)
		if (!validate_ip_unicast(v[i]))
			return fail(why, r, "%s server %s is not a unicast address", what,
				    ip(v[i]).s);
	return VALIDATE_OK;
}

/* ---- the rest ------------------------------------------------------------ */

static enum validate_reason check_names(const struct client_lease *l,
					struct validate_error *why)
{
	if (l->domain_name[0] != '\0' && !validate_hostname_charset(l->domain_name))
		return fail(why, VALIDATE_NAME_CHARSET, "domain name %s is not a host name",
			    quoted(l->domain_name, sizeof(l->domain_name)).s);
	for (unsigned i = 0; i < l->n_search; i++)
		if (!validate_hostname_charset(l->search[i]))
			return fail(why, VALIDATE_NAME_CHARSET,
				    "search domain %u %s is not a host name", i,
				    quoted(l->search[i], sizeof(l->search[i])).s);
	return VALIDATE_OK;
}

/* RFC 2131 3.3 (0xffffffff is infinity) and 4.4.5 (T1 <= T2 <= lease). */
static enum validate_reason check_times(const struct client_lease *l,
					struct validate_error *why)
{
	bool inf = client_lease_infinite(l);

	if (l->lease_s == 0)
		return fail(why, VALIDATE_LEASE_TIMES, "lease time is 0");
	if (!inf && !(l->t1_s <= l->t2_s && l->t2_s <= l->lease_s))
		return fail(why, VALIDATE_LEASE_TIMES,
			    "T1 %u s, T2 %u s, lease %u s are not T1 <= T2 <= lease",
			    l->t1_s, l->t2_s, l->lease_s);
	/* Only renewal, rebinding and expiry can be never: the lease was got
	 * when its request went out (and the lease file has no "never" for
	 * it, so a lease that said so would be stored and not load back). */
	if (l->obtained_at == CLIENT_NEVER)
		return fail(why, VALIDATE_LEASE_TIMES, "obtained time is never");
	if (inf != (l->expires_at == CLIENT_NEVER))
		return fail(why, VALIDATE_LEASE_TIMES, "%s lease with %s expiry",
			    inf ? "an infinite" : "a finite", inf ? "a finite" : "no");
	if (!(l->obtained_at <= l->t1_at && l->t1_at <= l->t2_at &&
	      l->t2_at <= l->expires_at))
		return fail(why, VALIDATE_LEASE_TIMES,
			    "timeline out of order (obtained, renew, rebind, expiry)");
	return VALIDATE_OK;
}

static enum validate_reason check_options(const struct client_lease *l,
					  struct validate_error *why)
{
	enum validate_reason r;

	if (!validate_ip_unicast(l->server_id))
		return fail(why, VALIDATE_SERVER_ID, "server identifier %s is not unicast",
			    ip(l->server_id).s);
	if ((r = check_servers(l->dns, l->n_dns, "DNS", VALIDATE_DNS_ADDR, why)) ||
	    (r = check_servers(l->ntp, l->n_ntp, "NTP", VALIDATE_NTP_ADDR, why)))
		return r;
	/* DESIGN.md: 576..65535; RFC 1122 3.3.3: every host takes 576 bytes.
	 * The engine drops a smaller one (src/client/lease.c) and keeps the
	 * lease, so this is only the check of a broken engine or lease file. */
	if (l->mtu != 0 && l->mtu < 576)
		return fail(why, VALIDATE_MTU, "MTU %u is under 576", l->mtu);
	if ((r = check_names(l, why)) != VALIDATE_OK)
		return r;
	return check_times(l, why);
}

enum validate_reason validate_lease(const struct client_lease *l,
				    const struct validate_policy *p,
				    const struct validate_context *ctx,
				    struct validate_error *why)
{
	enum validate_reason r;

	if (why) {
		why->reason = VALIDATE_OK;
		why->text[0] = '\0';
	}
	if ((r = validate_lease_shape(l, why)) != VALIDATE_OK ||
	    (r = check_arguments(p, ctx, why)) != VALIDATE_OK ||
	    (r = check_address(l, p, why)) != VALIDATE_OK ||
	    (r = check_policy(l, p, why)) != VALIDATE_OK ||
	    (r = check_routes(l, p, ctx, why)) != VALIDATE_OK ||
	    (r = check_routers(l, why)) != VALIDATE_OK)
		return r;
	return check_options(l, why);
}
