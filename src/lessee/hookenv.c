/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhclient-script environment. Variable names and formats follow ISC
 * dhclient 4.4 (client/dhclient.c, script_write_params) so the stock
 * Debian /sbin/dhclient-script and its exit hooks read them unchanged:
 *
 *   new_ip_address, new_subnet_mask, new_network_number,
 *   new_broadcast_address         dotted quads
 *   new_routers, new_domain_name_servers, new_ntp_servers
 *                                 dotted quads separated by one space
 *   new_domain_name               as given
 *   new_domain_search             names with a trailing dot, space separated
 *                                 ("example.com. lab.example.org."), as
 *                                 dhclient prints option 119
 *   new_rfc3442_classless_static_routes
 *                                 per route: prefix, the significant octets
 *                                 of the destination (RFC 3442 section 3),
 *                                 the four gateway octets, all in decimal
 *                                 ("24 198 51 100 192 0 2 1")
 *   new_interface_mtu, new_dhcp_lease_time, new_dhcp_renewal_time,
 *   new_dhcp_rebinding_time       decimal seconds (4294967295 = infinite)
 *   new_dhcp_server_identifier    dotted quad
 *   new_expiry                    wall clock, epoch seconds
 *
 * and the same with old_. A list that is empty and a name that is absent
 * are left out, as dhclient leaves out options it did not get.
 */
#include "hookenv.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "validate.h"
#include "wire/print.h"

/* The longest value: six search names of 253 + 2 characters. */
#define VALUE_MAX 2048u

static const char *const reason_names[] = {
#define HOOKENV_REASON_NAME(name) #name,
	HOOKENV_REASONS(HOOKENV_REASON_NAME)
#undef HOOKENV_REASON_NAME
};

static const char *const status_names[] = { "OK", "BAD_ARGUMENT", "NO_ROOM", "BAD_VALUE" };

const char *hookenv_reason_name(enum hookenv_reason r)
{
	return (unsigned)r < HOOKENV_REASON_COUNT ? reason_names[r] : "?";
}

const char *hookenv_status_name(enum hookenv_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s]
									       : "?";
}

enum hookenv_reason hookenv_reason_from_client(enum client_hook_reason r)
{
	switch (r) {
	case CLIENT_HOOK_BOUND:   return HOOKENV_BOUND;
	case CLIENT_HOOK_RENEW:   return HOOKENV_RENEW;
	case CLIENT_HOOK_REBIND:  return HOOKENV_REBIND;
	case CLIENT_HOOK_REBOOT:  return HOOKENV_REBOOT;
	case CLIENT_HOOK_EXPIRE:  return HOOKENV_EXPIRE;
	case CLIENT_HOOK_FAIL:    return HOOKENV_FAIL;
	case CLIENT_HOOK_STOP:    return HOOKENV_STOP;
	case CLIENT_HOOK_RELEASE: return HOOKENV_RELEASE;
	}
	return HOOKENV_REASON_COUNT;
}

/* ---- storage ------------------------------------------------------------- */

static void reset(struct hookenv *e)
{
	e->n = 0;
	e->used = 0;
	e->bad[0] = '\0';
	if (e->envp && e->envp_cap > 0)
		e->envp[0] = NULL;
}

void hookenv_init(struct hookenv *env, char **envp, size_t envp_cap, char *buf, size_t cap)
{
	env->envp = envp;
	env->envp_cap = envp ? envp_cap : 0;
	env->buf = buf;
	env->cap = buf ? cap : 0;
	env->status = HOOKENV_OK;
	reset(env);
}

/* Append "pfx name=value" as one more variable, or record NO_ROOM. */
static void put(struct hookenv *e, const char *pfx, const char *name, const char *value)
{
	size_t lp = strlen(pfx), ln = strlen(name), lv = strlen(value);
	size_t need = lp + ln + 1 + lv + 1;
	char *p;

	if (e->status == HOOKENV_NO_ROOM)
		return;
	if (e->n + 1 >= e->envp_cap || need > e->cap - e->used) {
		e->status = HOOKENV_NO_ROOM;
		return;
	}
	p = e->buf + e->used;
	memcpy(p, pfx, lp);
	memcpy(p + lp, name, ln);
	p[lp + ln] = '=';
	memcpy(p + lp + ln + 1, value, lv + 1);
	e->used += need;
	e->envp[e->n++] = p;
	e->envp[e->n] = NULL;
}

static void mark_bad(struct hookenv *e, const char *pfx, const char *name)
{
	if (e->status == HOOKENV_OK)
		e->status = HOOKENV_BAD_VALUE;
	if (e->bad[0] == '\0')
		snprintf(e->bad, sizeof(e->bad), "%s%s", pfx, name);
}

/* Write the value built in v if it passed its check, else leave it out. */
static void put_checked(struct hookenv *e, const char *pfx, const char *name,
			const struct strbuf *v, bool ok)
{
	if (!ok || v->truncated)
		mark_bad(e, pfx, name);
	else
		put(e, pfx, name, v->buf);
}

const char *hookenv_get(const struct hookenv *env, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < env->n; i++)
		if (strncmp(env->envp[i], name, len) == 0 && env->envp[i][len] == '=')
			return env->envp[i] + len + 1;
	return NULL;
}

/* ---- values -------------------------------------------------------------- */

struct value {
	struct strbuf sb;
	char buf[VALUE_MAX];
};

static struct strbuf *value_start(struct value *v)
{
	sb_init(&v->sb, v->buf, sizeof(v->buf));
	return &v->sb;
}

static bool ip_list(struct strbuf *sb, const uint32_t *a, unsigned n)
{
	bool ok = true;

	for (unsigned i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(sb, ' ');
		sb_ip(sb, a[i]);
		ok = ok && validate_ip_unicast(a[i]);
	}
	return ok;
}

/* RFC 3442 section 3 layout, in decimal, as dhclient writes option 121. */
static bool route_list(struct strbuf *sb, const struct wire_route *r, unsigned n)
{
	bool ok = true;

	for (unsigned i = 0; i < n; i++) {
		unsigned octets = (r[i].prefix + 7u) / 8u;

		ok = ok && r[i].prefix <= 32 && (r[i].dst & ~validate_mask(r[i].prefix)) == 0 &&
		     (r[i].gateway == 0 || validate_ip_unicast(r[i].gateway));
		if (!ok)
			break;
		sb_printf(sb, "%s%u", i > 0 ? " " : "", r[i].prefix);
		for (unsigned k = 0; k < octets; k++)
			sb_printf(sb, " %u", (unsigned)(r[i].dst >> (24 - 8 * k)) & 0xffu);
		for (unsigned k = 0; k < 4; k++)
			sb_printf(sb, " %u", (unsigned)(r[i].gateway >> (24 - 8 * k)) & 0xffu);
	}
	return ok;
}

/* dhclient prints domain-search names fully qualified, with the dot. */
static bool search_list(struct strbuf *sb, const struct client_lease *l)
{
	bool ok = true;

	for (unsigned i = 0; i < l->n_search; i++) {
		const char *s = l->search[i];
		size_t n = strlen(s);

		ok = ok && validate_hostname_charset(s);
		if (!ok)
			break;
		if (i > 0)
			sb_putc(sb, ' ');
		sb_puts(sb, s);
		if (n > 0 && s[n - 1] != '.')
			sb_putc(sb, '.');
	}
	return ok;
}

/* ---- one lease ----------------------------------------------------------- */

static void put_ip(struct hookenv *e, const char *pfx, const char *name, uint32_t a, bool ok)
{
	struct value v;

	sb_ip(value_start(&v), a);
	put_checked(e, pfx, name, &v.sb, ok);
}

static void put_u64(struct hookenv *e, const char *pfx, const char *name, uint64_t n, bool ok)
{
	struct value v;

	sb_printf(value_start(&v), "%" PRIu64, n);
	put_checked(e, pfx, name, &v.sb, ok);
}

static void put_addressing(struct hookenv *e, const char *pfx, const struct client_lease *l)
{
	bool prefix_ok = l->prefix >= 1 && l->prefix <= 32;
	uint32_t mask = validate_mask(l->prefix);
	bool bcast_ok = prefix_ok && ((l->broadcast & mask) == (l->address & mask) ||
				      l->broadcast == UINT32_MAX);

	put_ip(e, pfx, "ip_address", l->address, validate_ip_unicast(l->address));
	put_ip(e, pfx, "subnet_mask", mask, prefix_ok);
	put_ip(e, pfx, "network_number", l->address & mask, prefix_ok);
	put_ip(e, pfx, "broadcast_address", l->broadcast, bcast_ok);
}

static void put_lists(struct hookenv *e, const char *pfx, const struct client_lease *l)
{
	struct value v;
	bool ok;

	if (l->n_routers > 0) {
		ok = ip_list(value_start(&v), l->routers, l->n_routers);
		put_checked(e, pfx, "routers", &v.sb, ok);
	}
	if (l->n_routes > 0) {
		ok = route_list(value_start(&v), l->routes, l->n_routes);
		put_checked(e, pfx, "rfc3442_classless_static_routes", &v.sb, ok);
	}
	if (l->n_dns > 0) {
		ok = ip_list(value_start(&v), l->dns, l->n_dns);
		put_checked(e, pfx, "domain_name_servers", &v.sb, ok);
	}
	if (l->n_ntp > 0) {
		ok = ip_list(value_start(&v), l->ntp, l->n_ntp);
		put_checked(e, pfx, "ntp_servers", &v.sb, ok);
	}
	if (l->domain_name[0] != '\0') {
		sb_puts(value_start(&v), l->domain_name);
		put_checked(e, pfx, "domain_name", &v.sb,
			    validate_hostname_charset(l->domain_name));
	}
	if (l->n_search > 0) {
		ok = search_list(value_start(&v), l);
		put_checked(e, pfx, "domain_search", &v.sb, ok);
	}
}

static void put_times(struct hookenv *e, const char *pfx, const struct client_lease *l,
		      int64_t expiry)
{
	bool inf = client_lease_infinite(l);
	bool order = inf || (l->t1_s <= l->t2_s && l->t2_s <= l->lease_s);

	if (l->mtu != 0)
		put_u64(e, pfx, "interface_mtu", l->mtu, l->mtu >= 576);
	put_u64(e, pfx, "dhcp_lease_time", l->lease_s, l->lease_s != 0);
	put_u64(e, pfx, "dhcp_renewal_time", l->t1_s, order);
	put_u64(e, pfx, "dhcp_rebinding_time", l->t2_s, order);
	put_ip(e, pfx, "dhcp_server_identifier", l->server_id, validate_ip_unicast(l->server_id));
	put_u64(e, pfx, "expiry", (uint64_t)(expiry < 0 ? 0 : expiry), expiry >= 0);
}

static void put_lease(struct hookenv *e, const char *pfx, const struct client_lease *l,
		      int64_t expiry)
{
	/* Nothing of a lease whose counts or strings are broken is read. */
	if (validate_lease_shape(l, NULL) != VALIDATE_OK) {
		mark_bad(e, pfx, "lease");
		return;
	}
	put_addressing(e, pfx, l);
	put_lists(e, pfx, l);
	put_times(e, pfx, l, expiry);
}

/* ---- the environment ----------------------------------------------------- */

static bool needs_new(enum hookenv_reason r)
{
	return r == HOOKENV_BOUND || r == HOOKENV_RENEW || r == HOOKENV_REBIND ||
	       r == HOOKENV_REBOOT || r == HOOKENV_TIMEOUT;
}

static bool args_ok(const struct hookenv_args *a)
{
	if ((unsigned)a->reason >= HOOKENV_REASON_COUNT || !validate_ifname(a->ifname))
		return false;
	if (needs_new(a->reason) != (a->new_lease != NULL))
		return false;
	return a->reason != HOOKENV_PREINIT || a->old_lease == NULL;
}

enum hookenv_status hookenv_build(struct hookenv *env, const struct hookenv_args *a)
{
	if (!env)
		return HOOKENV_BAD_ARGUMENT;
	env->status = HOOKENV_OK;
	reset(env);
	if (!a || !args_ok(a)) {
		env->status = HOOKENV_BAD_ARGUMENT;
		return env->status;
	}
	put(env, "", "reason", reason_names[a->reason]);
	put(env, "", "interface", a->ifname);
	put(env, "", "medium", "");
	put(env, "", "PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
	if (a->anonymous)
		put(env, "", "anonymous", "1");
	if (a->new_lease)
		put_lease(env, "new_", a->new_lease, a->new_expiry);
	if (a->old_lease)
		put_lease(env, "old_", a->old_lease, a->old_expiry);
	if (env->status == HOOKENV_NO_ROOM)
		reset(env);
	return env->status;
}

int64_t hookenv_wall_expiry(const struct client_lease *l, int64_t wall_offset_ms)
{
	int64_t ms;

	if (client_lease_infinite(l))
		return INT32_MAX;
	if (l->expires_at > (uint64_t)INT64_MAX ||
	    __builtin_add_overflow((int64_t)l->expires_at, wall_offset_ms, &ms))
		return INT64_MAX / 1000;
	return ms < 0 ? 0 : ms / 1000;
}
