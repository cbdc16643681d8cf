/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The JSON lease line (see leasejson.h). Built with the wire printer's
 * strbuf and sb_json_string, so escaping rules are the same as
 * lessee-dump --json.
 */
#include "leasejson.h"

#include <inttypes.h>
#include <string.h>

#include "validate.h"

static const char *const event_names[] = {
#define LEASEJSON_EVENT_NAME(name, text) text,
	LEASEJSON_EVENTS(LEASEJSON_EVENT_NAME)
#undef LEASEJSON_EVENT_NAME
};

const char *leasejson_event_name(enum leasejson_event e)
{
	return (unsigned)e < LEASEJSON_EVENT_COUNT ? event_names[e] : "?";
}

enum leasejson_event leasejson_event_from_client(enum client_hook_reason r)
{
	switch (r) {
	case CLIENT_HOOK_BOUND:   return LEASEJSON_BOUND;
	case CLIENT_HOOK_RENEW:   return LEASEJSON_RENEWED;
	case CLIENT_HOOK_REBIND:  return LEASEJSON_REBOUND;
	case CLIENT_HOOK_REBOOT:  return LEASEJSON_REBOOTED;
	case CLIENT_HOOK_EXPIRE:  return LEASEJSON_EXPIRED;
	case CLIENT_HOOK_FAIL:    return LEASEJSON_NAK;
	case CLIENT_HOOK_STOP:    return LEASEJSON_STOPPED;
	case CLIENT_HOOK_RELEASE: return LEASEJSON_RELEASED;
	}
	return LEASEJSON_EVENT_COUNT;
}

/* A C string from a fixed field, bounded by the field. */
static void json_field(struct strbuf *sb, const char *s, size_t cap)
{
	sb_json_string(sb, (const uint8_t *)s, strnlen(s, cap));
}

static void json_ip(struct strbuf *sb, uint32_t a)
{
	sb_putc(sb, '"');
	sb_ip(sb, a);
	sb_putc(sb, '"');
}

static void json_ips(struct strbuf *sb, const char *key, const uint32_t *a, unsigned n)
{
	sb_printf(sb, ", \"%s\": [", key);
	for (unsigned i = 0; i < n; i++) {
		if (i > 0)
			sb_puts(sb, ", ");
		json_ip(sb, a[i]);
	}
	sb_putc(sb, ']');
}

static void json_routes(struct strbuf *sb, const struct client_lease *l)
{
	sb_puts(sb, ", \"routes\": [");
	for (unsigned i = 0; i < l->n_routes; i++) {
		sb_puts(sb, i > 0 ? ", {\"dst\": \"" : "{\"dst\": \"");
		sb_ip(sb, l->routes[i].dst);
		sb_printf(sb, "/%u\", \"gateway\": ", l->routes[i].prefix);
		json_ip(sb, l->routes[i].gateway);
		sb_putc(sb, '}');
	}
	sb_putc(sb, ']');
}

static void json_names(struct strbuf *sb, const struct client_lease *l)
{
	sb_puts(sb, ", \"domain\": ");
	if (l->domain_name[0] != '\0')
		json_field(sb, l->domain_name, sizeof(l->domain_name));
	else
		sb_puts(sb, "null");
	sb_puts(sb, ", \"search\": [");
	for (unsigned i = 0; i < l->n_search; i++) {
		if (i > 0)
			sb_puts(sb, ", ");
		json_field(sb, l->search[i], sizeof(l->search[i]));
	}
	sb_putc(sb, ']');
}

static void json_lease(struct strbuf *sb, const struct client_lease *l, int64_t expiry)
{
	sb_puts(sb, ", \"address\": ");
	json_ip(sb, l->address);
	sb_printf(sb, ", \"prefix\": %u, \"broadcast\": ", l->prefix);
	json_ip(sb, l->broadcast);
	json_ips(sb, "routers", l->routers, l->n_routers);
	json_ips(sb, "dns", l->dns, l->n_dns);
	json_ips(sb, "ntp", l->ntp, l->n_ntp);
	json_names(sb, l);
	json_routes(sb, l);
	if (l->mtu != 0)
		sb_printf(sb, ", \"mtu\": %u", l->mtu);
	else
		sb_puts(sb, ", \"mtu\": null");
	sb_puts(sb, ", \"server_id\": ");
	json_ip(sb, l->server_id);
	sb_printf(sb, ", \"lease_time\": %" PRIu32 ", \"renewal_time\": %" PRIu32
		  ", \"rebinding_time\": %" PRIu32, l->lease_s, l->t1_s, l->t2_s);
	if (client_lease_infinite(l))
		sb_puts(sb, ", \"expiry\": null");
	else
		sb_printf(sb, ", \"expiry\": %" PRId64, expiry);
}

enum leasejson_status leasejson_render(struct strbuf *sb, const struct leasejson_args *a)
{
	size_t mark;
	bool was_truncated;

	if (!sb || !a || (unsigned)a->event >= LEASEJSON_EVENT_COUNT ||
	    !validate_ifname(a->ifname))
		return LEASEJSON_BAD_ARGUMENT;
	if (a->lease && validate_lease_shape(a->lease, NULL) != VALIDATE_OK)
		return LEASEJSON_BAD_LEASE;
	mark = sb->len;
	was_truncated = sb->truncated;
	sb_printf(sb, "{\"event\": \"%s\", \"interface\": ", event_names[a->event]);
	sb_json_string(sb, (const uint8_t *)a->ifname, strlen(a->ifname));
	if (a->lease)
		json_lease(sb, a->lease, a->expiry);
	sb_printf(sb, ", \"anonymous\": %s}\n", a->anonymous ? "true" : "false");
	if (sb->truncated) {
		/* Never a cut line: drop what this call wrote. */
		sb->len = mark;
		sb->truncated = was_truncated;
		if (sb->cap > 0)
			sb->buf[mark] = '\0';
		return LEASEJSON_NO_ROOM;
	}
	return LEASEJSON_OK;
}
