/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lease extraction: from an ACK that passed the acceptance rules to a
 * bounded struct client_lease, and the lease's timeline (T1, T2, expiry).
 * Nothing here decides what to do with the lease; client.c does.
 */
#include <string.h>

#include "internal.h"
#include "wire/dns.h"
#include "wire/print.h"

/*
 * RFC 2131 4.4.5: T1 defaults to 0.5 and T2 to 0.875 of the lease. We take
 * the server's 58/59 only when they make sense together (0 < T1 < T2 <
 * lease); otherwise both defaults, so a bad T2 cannot leave a good T1
 * stranded past it. T1 = 0 would start the next renewal the moment each
 * ACK lands: a REQUEST storm any server on the link could drive (found by
 * the rogue-server suite). Milliseconds, so that a 1-second lease still
 * has T1 < T2 < expiry.
 */
static void lease_times_ms(uint32_t lease_s, bool has_t1, uint32_t t1_s, bool has_t2,
			   uint32_t t2_s, uint64_t *t1_ms, uint64_t *t2_ms)
{
	uint64_t lease_ms = (uint64_t)lease_s * 1000u;
	uint64_t t1 = has_t1 ? (uint64_t)t1_s * 1000u : lease_ms / 2u;
	uint64_t t2 = has_t2 ? (uint64_t)t2_s * 1000u : lease_ms * 7u / 8u;

	if (!(t1 > 0 && t1 < t2 && t2 < lease_ms)) {
		t1 = lease_ms / 2u;
		t2 = lease_ms * 7u / 8u;
	}
	*t1_ms = t1;
	*t2_ms = t2;
}

void client_lease_times(uint32_t lease_s, bool has_t1, uint32_t t1_s, bool has_t2,
			uint32_t t2_s, uint32_t *t1_out, uint32_t *t2_out)
{
	uint64_t t1, t2;

	if (lease_s == UINT32_MAX) {
		*t1_out = *t2_out = UINT32_MAX;
		return;
	}
	lease_times_ms(lease_s, has_t1, t1_s, has_t2, t2_s, &t1, &t2);
	*t1_out = (uint32_t)(t1 / 1000u);
	*t2_out = (uint32_t)(t2 / 1000u);
}

/*
 * RFC 2131 4.4.5: "Times T1 and T2 SHOULD be chosen with some random fuzz
 * around a fixed value, to avoid synchronization of client reacquisition."
 * We fuzz downwards only, by up to 1/32 (about 3 %): renewing a little early
 * is always allowed, renewing after the server's T1 is not what it asked.
 */
static void lease_timeline(struct client_lease *l, const struct dhcp_msg *m,
			   uint64_t sent_at, struct client_prng *rng)
{
	uint32_t t1_s = 0, t2_s = 0;
	bool has_t1 = dhcp_get_u32(m, DHCP_OPT_T1, &t1_s);
	bool has_t2 = dhcp_get_u32(m, DHCP_OPT_T2, &t2_s);
	uint64_t t1, t2;

	l->obtained_at = sent_at;
	if (client_lease_infinite(l)) {
		/* RFC 2131 3.3: 0xffffffff is infinity: no T1, T2 or expiry. */
		l->t1_s = l->t2_s = UINT32_MAX;
		l->t1_at = l->t2_at = l->expires_at = CLIENT_NEVER;
		return;
	}
	lease_times_ms(l->lease_s, has_t1, t1_s, has_t2, t2_s, &t1, &t2);
	l->t1_s = (uint32_t)(t1 / 1000u);
	l->t2_s = (uint32_t)(t2 / 1000u);
	t2 -= client_prng_range(rng, 0, t2 / 32u);
	t1 -= client_prng_range(rng, 0, t1 / 32u);
	t1 = client_min(t1, t2);
	l->t1_at = client_add(sent_at, t1);
	l->t2_at = client_add(sent_at, t2);
	l->expires_at = client_add(sent_at, (uint64_t)l->lease_s * 1000u);
}

/* A name as the log shows it: quoted, escaped, cut at 32 bytes. */
static void show_name(char *out, size_t cap, const uint8_t *name, size_t len)
{
	struct strbuf sb;

	sb_init(&sb, out, cap);
	sb_json_string(&sb, name, len < 32 ? len : 32);
	if (len > 32)
		sb_puts(&sb, "...");
}

/*
 * RFC 2132 3.17: a text option; NULs at the end are common and harmless.
 * Anything that is not a host name (a NUL inside, '_', a space, a shell
 * metacharacter, over 253 characters) is dropped and the lease kept, as
 * dhclient, dhcpcd and systemd-networkd do: a network whose AD domain is
 * corp_ad.example.com must still get an address. apply refuses such a name
 * again, so none can reach a hook or resolv.conf.
 */
static void lease_domain(struct client_lease *l, const struct dhcp_msg *m,
			 struct client_lease_drops *d)
{
	const uint8_t *p;
	size_t len;

	l->domain_name[0] = '\0';
	if (!dhcp_get_bytes(m, DHCP_OPT_DOMAIN_NAME, &p, &len))
		return;
	while (len > 0 && p[len - 1] == 0)
		len--;
	if (len == 0)
		return;
	if (len >= sizeof(l->domain_name) || !dns_is_host_name((const char *)p, len)) {
		d->domain_name = true;
		show_name(d->domain_shown, sizeof(d->domain_shown), p, len);
		return;
	}
	memcpy(l->domain_name, p, len);
	l->domain_name[len] = '\0';
}

/*
 * RFC 3397: names in wire form; keep the first CLIENT_MAX_SEARCH that are
 * host names. The text form writes odd bytes (a '.' or a NUL inside a
 * label, a space) as \DDD, which is no host name: such a name is dropped
 * and the others kept, as for option 15.
 */
static void lease_search(struct client_lease *l, const struct dhcp_msg *m,
			 struct client_lease_drops *d)
{
	const uint8_t *p;
	size_t len, n;
	struct dns_list_iter it;
	char text[DNS_TEXT_MAX];

	l->n_search = 0;
	if (!dhcp_get_bytes(m, DHCP_OPT_DOMAIN_SEARCH, &p, &len))
		return;
	dns_list_init(&it, p, len);
	while (l->n_search < CLIENT_MAX_SEARCH &&
	       dns_list_next(&it, text, sizeof(text), NULL) == 1) {
		n = strnlen(text, sizeof(text));
		if (n >= CLIENT_NAME_MAX || !dns_is_host_name(text, n)) {
			if (d->n_search++ == 0)
				show_name(d->search_shown, sizeof(d->search_shown),
					  (const uint8_t *)text, n);
			continue;
		}
		memcpy(l->search[l->n_search], text, n + 1);
		l->n_search++;
	}
}

/*
 * RFC 2132 5.1 allows 68 and up (the parser drops less); RFC 791 and RFC
 * 1122 3.3.3: 576 is the datagram every host must take, and below it no
 * TCP segment with options fits. dhcpcd and Debian's dhclient-script
 * ignore such an MTU; so do we, keeping the lease on the link's MTU.
 */
static void lease_mtu(struct client_lease *l, const struct dhcp_msg *m,
		      struct client_lease_drops *d)
{
	uint16_t mtu = 0;

	if (!dhcp_get_u16(m, DHCP_OPT_MTU, &mtu))
		return;
	if (mtu < CLIENT_MTU_MIN) {
		d->mtu = mtu;
		return;
	}
	l->mtu = mtu;
}

/*
 * RFC 3442: option 121 (or Microsoft's 249 when 121 is absent). More than
 * CLIENT_MAX_ROUTES routes refuses the option as a whole: a routing table
 * cut short is worse than none, and apply would refuse it anyway.
 */
static void lease_routes(struct client_lease *l, const struct dhcp_msg *m)
{
	const uint8_t *p;
	size_t len;
	struct route_iter it;
	struct wire_route r;
	uint8_t code = DHCP_OPT_CLASSLESS_ROUTE;

	/* r is copied whole into the lease, which the engine sends to apply:
	 * its padding must not carry stale stack bytes (valgrind). */
	memset(&r, 0, sizeof(r));
	l->n_routes = 0;
	if (!dhcp_has(m, code))
		code = DHCP_OPT_MS_CLASSLESS_ROUTE;
	if (!dhcp_get_bytes(m, code, &p, &len))
		return;
	route_iter_init(&it, p, len);
	while (route_iter_next(&it, &r, NULL) == 1) {
		if (l->n_routes == CLIENT_MAX_ROUTES) {
			l->n_routes = 0;
			return;
		}
		l->routes[l->n_routes++] = r;
	}
}

static uint8_t ip_list(const struct dhcp_msg *m, uint8_t code, uint32_t *out, size_t max)
{
	size_t n = dhcp_get_ip_list(m, code, out, max);

	return (uint8_t)(n < max ? n : max);
}

void client_lease_from_ack(struct client_lease *l, const struct dhcp_msg *m,
			   uint8_t prefix, uint64_t sent_at, const uint8_t mac[6],
			   struct client_prng *rng, struct client_lease_drops *drops)
{
	uint32_t mask = prefix ? UINT32_MAX << (32 - prefix) : 0;

	memset(l, 0, sizeof(*l));
	memset(drops, 0, sizeof(*drops));
	l->address = m->hdr.yiaddr;
	l->prefix = prefix;
	l->prefix_from_server = dhcp_has(m, DHCP_OPT_SUBNET_MASK);
	if (!dhcp_get_ip(m, DHCP_OPT_BROADCAST, &l->broadcast))
		l->broadcast = (l->address & mask) | ~mask;
	(void)dhcp_get_ip(m, DHCP_OPT_SERVER_ID, &l->server_id);
	(void)dhcp_get_u32(m, DHCP_OPT_LEASE_TIME, &l->lease_s);
	lease_routes(l, m);
	/* RFC 3442: with classless routes the client MUST ignore option 3. */
	if (l->n_routes == 0)
		l->n_routers = ip_list(m, DHCP_OPT_ROUTER, l->routers, CLIENT_MAX_ROUTERS);
	l->n_dns = ip_list(m, DHCP_OPT_DNS, l->dns, CLIENT_MAX_DNS);
	l->n_ntp = ip_list(m, DHCP_OPT_NTP, l->ntp, CLIENT_MAX_NTP);
	lease_domain(l, m, drops);
	lease_search(l, m, drops);
	lease_mtu(l, m, drops);
	memcpy(l->mac, mac, 6);
	lease_timeline(l, m, sent_at, rng);
}

enum client_lease_phase client_lease_phase(const struct client_lease *l, uint64_t now)
{
	if (now >= l->expires_at)
		return CLIENT_PHASE_EXPIRED;
	if (now >= l->t2_at)
		return CLIENT_PHASE_REBIND;
	if (now >= l->t1_at)
		return CLIENT_PHASE_RENEW;
	return CLIENT_PHASE_BOUND;
}

/*
 * RFC 2131 3.2: INIT-REBOOT only for a lease that has not expired; RFC 7844
 * 3.2 and common sense: only for one got with this hardware address. The
 * store is not trusted: counts within bounds, the timeline ordered (or a
 * corrupt file could set the deadlines), infinity consistent.
 */
bool client_lease_reusable(const struct client_lease *l, const uint8_t mac[6],
			   uint64_t now)
{
	bool counts = l->n_routers <= CLIENT_MAX_ROUTERS && l->n_dns <= CLIENT_MAX_DNS &&
		      l->n_ntp <= CLIENT_MAX_NTP && l->n_search <= CLIENT_MAX_SEARCH &&
		      l->n_routes <= CLIENT_MAX_ROUTES;
	bool infinite = client_lease_infinite(l);

	return memcmp(l->mac, mac, 6) == 0 && l->lease_s != 0 && counts &&
	       client_addr_usable(l->address, l->prefix) &&
	       client_server_id_usable(l->server_id) &&
	       infinite == (l->expires_at == CLIENT_NEVER) &&
	       l->t1_at <= l->t2_at && l->t2_at <= l->expires_at &&
	       now < l->expires_at;
}
