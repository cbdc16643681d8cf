/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtual world of sim.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"
#include "wire/dns.h"
#include "wire/routes.h"

const uint8_t sim_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
const uint8_t sim_other_mac[6] = { 0x02, 0x00, 0x5e, 0x99, 0x99, 0x99 };

void sim_fail(const struct sim *s, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	print_error("client sim failure (seed=%llu, t=%llu ms, state=%s): %s\n",
		    (unsigned long long)s->seed, (unsigned long long)s->now,
		    client_state_name(client_state(&s->c)), why);
	for (unsigned i = s->n_history > 32 ? s->n_history - 32 : 0; i < s->n_history; i++)
		print_error("  log: %s\n", s->history[i % 32]);
	for (size_t i = 0; i < s->out.n; i++) {
		const struct client_action *a = &s->out.a[i];

		print_error("  action %zu: %s %s\n", i, client_action_name(a->type),
			    a->type == CLIENT_ACT_LOG ? a->u.log.text : "");
	}
	fail_msg("%s (seed=%llu)", why, (unsigned long long)s->seed);
	abort();
}

void sim_config(struct client_config *cfg)
{
	client_config_init(cfg, sim_mac);
}

void sim_init(struct sim *s, const struct client_config *cfg,
	      const struct client_lease *stored, uint64_t seed, uint64_t now0)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->seed = seed;
	s->now = now0;
	s->link_up = true;
	if (client_init(&s->c, cfg, stored, seed) != 0)
		sim_fail(s, "client_init refused the configuration");
	if (stored) {
		s->stored = true;
		s->store = *stored;
	}
}

/* ---- checking one call's actions ----------------------------------------- */

static void absorb_send(struct sim *s, const struct client_send *snd)
{
	struct sim_msg *mm = &s->ring[s->n_sent % SIM_RING];
	struct wire_error err;

	if (!s->link_up)
		sim_fail(s, "SEND while the link is down");
	if (dhcp_build(&snd->msg, snd->order, snd->n_order, mm->buf, sizeof(mm->buf),
		       &mm->len, &err) != WIRE_OK)
		sim_fail(s, "dhcp_build refused a SEND");
	if (dhcp_parse(mm->buf, mm->len, mm->scratch, sizeof(mm->scratch), &mm->m,
		       &err) != WIRE_OK)
		sim_fail(s, "a SEND does not parse back: %s", wire_reason_name(err.reason));
	mm->dest = snd->dest;
	mm->src_ip = snd->src_ip;
	mm->dst_ip = snd->dst_ip;
	mm->at = s->now;
	mm->seq = ++s->n_sent;
	if (mm->m.hdr.op != BOOTREQUEST || memcmp(mm->m.hdr.chaddr, s->cfg.mac, 6) != 0)
		sim_fail(s, "SEND is not a BOOTREQUEST from our MAC");
	if (snd->src_ip != mm->m.hdr.ciaddr)
		sim_fail(s, "SEND source address is not ciaddr");
	if (snd->dest == CLIENT_DEST_UNICAST
	    ? (snd->dst_ip == 0 || snd->dst_ip == UINT32_MAX || snd->src_ip == 0)
	    : snd->dst_ip != UINT32_MAX)
		sim_fail(s, "SEND destination inconsistent");
}

static void absorb_lease(struct sim *s, const struct client_action *a)
{
	const struct client_lease *l = &a->u.configure.lease;

	if (l->expires_at <= s->now)
		sim_fail(s, "%s of an expired lease", client_action_name(a->type));
	if (memcmp(l->mac, s->cfg.mac, 6) != 0)
		sim_fail(s, "lease got with another MAC");
	if (a->type == CLIENT_ACT_CONFIGURE) {
		s->configured_before = s->configured;
		s->configured = true;
		s->applied = *l;
		s->cfg_reason = a->u.configure.reason;
		if ((unsigned)s->cfg_reason <= CLIENT_HOOK_RELEASE)
			s->by_reason[s->cfg_reason]++;
	} else {
		s->stored = true;
		s->store = *l;
	}
}

static void absorb_one(struct sim *s, const struct client_action *a)
{
	s->count[a->type]++;
	switch (a->type) {
	case CLIENT_ACT_SEND:
		absorb_send(s, &a->u.send);
		break;
	case CLIENT_ACT_SET_TIMER:
		if (a->u.deadline != client_deadline(&s->c))
			sim_fail(s, "SET_TIMER is not the deadline");
		break;
	case CLIENT_ACT_CONFIGURE:
	case CLIENT_ACT_PERSIST_LEASE:
		absorb_lease(s, a);
		break;
	case CLIENT_ACT_DECONFIGURE:
		if (!s->configured || a->u.deconfigure.address != s->applied.address)
			sim_fail(s, "DECONFIGURE of nothing configured");
		s->configured = false;
		s->decfg_reason = a->u.deconfigure.reason;
		break;
	case CLIENT_ACT_DROP_LEASE:
		s->stored = false;
		break;
	case CLIENT_ACT_ACD_PROBE:
		s->last_probe = a->u.acd;
		break;
	case CLIENT_ACT_ACD_ANNOUNCE:
		s->last_announce = a->u.acd;
		break;
	case CLIENT_ACT_LOG:
		if (a->u.log.code >= CLIENT_LOG_MALFORMED) {
			s->ignored[a->u.log.code]++;
			s->last_ignore = a->u.log.code;
		}
		snprintf(s->history[s->n_history++ % 32], sizeof(s->history[0]), "[%llu] %s",
			 (unsigned long long)s->now, a->u.log.text);
		if (s->verbose)
			print_message("[%8llu] %s\n", (unsigned long long)s->now, a->u.log.text);
		break;
	case CLIENT_ACT_STOPPED:
		s->stopped = true;
		break;
	}
}

static void absorb(struct sim *s, uint64_t deadline_before)
{
	size_t timers = 0;
	const char *why;

	if (s->out.overflow)
		sim_fail(s, "action list overflow");
	if (s->out.n > s->max_actions)
		s->max_actions = s->out.n;
	for (size_t i = 0; i < s->out.n; i++) {
		absorb_one(s, &s->out.a[i]);
		if (s->out.a[i].type == CLIENT_ACT_SET_TIMER)
			timers++;
	}
	/* Exactly one pending deadline: announced once, when it moved. */
	if (timers > 1 || (timers == 1) != (client_deadline(&s->c) != deadline_before))
		sim_fail(s, "SET_TIMER count %zu for a deadline that %s", timers,
			 client_deadline(&s->c) != deadline_before ? "moved" : "stayed");
	why = client_check(&s->c, s->now);
	if (why)
		sim_fail(s, "invariant: %s", why);
	if (s->configured != s->c.configured)
		sim_fail(s, "daemon and engine disagree on the configured lease");
	if (s->configured && s->now >= s->applied.expires_at && !s->stopped)
		sim_fail(s, "daemon holds an expired lease");
}

/* ---- driving ------------------------------------------------------------- */

void sim_start(struct sim *s)
{
	uint64_t before = client_deadline(&s->c);

	client_start(&s->c, s->now, &s->out);
	absorb(s, before);
}

void sim_release_stored(struct sim *s)
{
	uint64_t before = client_deadline(&s->c);

	/* A previous run may have left the stored lease's address configured:
	 * that is what -r removes. */
	s->configured = s->c.stored;
	s->applied = s->store;
	client_release_stored(&s->c, s->now, &s->out);
	absorb(s, before);
}

bool sim_logged(const struct sim *s, const char *needle)
{
	for (unsigned i = s->n_history > 32 ? s->n_history - 32 : 0; i < s->n_history; i++)
		if (strstr(s->history[i % 32], needle))
			return true;
	return false;
}

void sim_event(struct sim *s, const struct client_event *ev)
{
	uint64_t before = client_deadline(&s->c);

	client_handle(&s->c, ev, s->now, &s->out);
	absorb(s, before);
}

void sim_link(struct sim *s, bool up)
{
	struct client_event ev = { .type = up ? CLIENT_EV_LINK_UP : CLIENT_EV_LINK_DOWN };

	s->link_up = up;
	sim_event(s, &ev);
}

void sim_user(struct sim *s, enum client_event_type type, bool keep)
{
	struct client_event ev = { .type = type, .u.keep = keep };

	sim_event(s, &ev);
}

void sim_conflict(struct sim *s, uint32_t addr, const uint8_t mac[6])
{
	struct client_event ev = { .type = CLIENT_EV_ACD_CONFLICT };

	ev.u.acd.addr = addr;
	memcpy(ev.u.acd.mac, mac, 6);
	sim_event(s, &ev);
}

void sim_refuse(struct sim *s, uint32_t addr)
{
	struct client_event ev = { .type = CLIENT_EV_LEASE_REFUSED, .u.refused = addr };

	/* A due timer runs first (client_handle): the view below must meet
	 * the state the refusal meets. */
	if (s->now >= client_deadline(&s->c))
		sim_timer(s);
	if (client_state(&s->c) != CLIENT_STOPPED && s->configured &&
	    s->applied.address == addr)
		s->configured = s->configured_before;
	sim_event(s, &ev);
}

void sim_timer(struct sim *s)
{
	struct client_event ev = { .type = CLIENT_EV_TIMER };

	if (client_deadline(&s->c) == CLIENT_NEVER)
		sim_fail(s, "timer fired with no deadline");
	s->now = client_deadline(&s->c);
	sim_event(s, &ev);
}

void sim_advance(struct sim *s, uint64_t t)
{
	while (client_deadline(&s->c) <= t)
		sim_timer(s);
	if (t > s->now)
		s->now = t;
}

struct sim_msg *sim_last(struct sim *s)
{
	return s->n_sent ? &s->ring[(s->n_sent - 1) % SIM_RING] : NULL;
}

struct sim_msg *sim_next_send(struct sim *s, uint64_t limit)
{
	uint64_t start = s->n_sent;
	uint64_t end = s->now + limit;

	while (s->n_sent == start) {
		if (client_deadline(&s->c) > end) {
			s->now = end;
			return NULL;
		}
		sim_timer(s);
	}
	return sim_last(s);
}

bool sim_run_to_state(struct sim *s, enum client_state st, uint64_t limit)
{
	uint64_t end = s->now + limit;

	while (client_state(&s->c) != st) {
		if (client_deadline(&s->c) > end)
			return false;
		sim_timer(s);
	}
	return true;
}

/* ---- the server side ----------------------------------------------------- */

struct reply sim_reply_default(uint8_t type, uint32_t yiaddr)
{
	struct reply r = {
		.type = type,
		.yiaddr = yiaddr,
		.has_server_id = true,
		.server_id = SRV_ID,
		.has_lease = true,
		.lease_s = 3600,
		.has_mask = true,
		.mask = MASK24,
	};

	if (type == DHCPNAK) {
		r.yiaddr = 0;
		r.has_lease = false;
		r.has_mask = false;
	}
	return r;
}

static void compose_options(const struct reply *r, struct dhcp_out *o)
{
	static const char *const search[] = { "example.test", "corp.example.test" };
	const struct wire_route routes[] = {
		{ .dst = 0, .prefix = 0, .gateway = IP4(192, 0, 2, 254) },
		{ .dst = IP4(198, 51, 100, 0), .prefix = 24, .gateway = IP4(192, 0, 2, 253) },
	};
	uint32_t dns[2] = { IP4(192, 0, 2, 53), IP4(192, 0, 2, 54) };
	uint8_t dnsb[8], buf[128];
	size_t n;

	if (!r->options)
		return;
	for (int i = 0; i < 2; i++)
		wire_store_be32(dnsb + 4 * i, dns[i]);
	dhcp_out_add_ip(o, DHCP_OPT_ROUTER, IP4(192, 0, 2, 1));
	dhcp_out_add(o, DHCP_OPT_DNS, dnsb, sizeof(dnsb));
	dhcp_out_add_ip(o, DHCP_OPT_NTP, IP4(192, 0, 2, 123));
	dhcp_out_add(o, DHCP_OPT_DOMAIN_NAME, "example.test", 12);
	dhcp_out_add_u16(o, DHCP_OPT_MTU, 1400);
	n = dns_list_encode(search, 2, buf, sizeof(buf));
	assert_true(n > 0);
	dhcp_out_add(o, DHCP_OPT_DOMAIN_SEARCH, buf, n);
	n = routes_encode(routes, 2, buf, sizeof(buf));
	assert_true(n > 0);
	dhcp_out_add(o, DHCP_OPT_CLASSLESS_ROUTE, buf, n);
}

void sim_compose(const struct sim_msg *req, const struct reply *r, struct dhcp_out *o)
{
	static const uint8_t none[1];
	struct dhcp_header h;

	memset(&h, 0, sizeof(h));
	h.op = r->op ? r->op : BOOTREPLY;
	h.htype = 1;
	h.hlen = r->hlen ? r->hlen : 6;
	h.xid = (req ? req->m.hdr.xid : 0) ^ r->xid_xor;
	h.flags = req ? req->m.hdr.flags : 0;
	h.yiaddr = r->yiaddr;
	memcpy(h.chaddr, sim_mac, 6);
	if (r->other_chaddr)
		h.chaddr[5] ^= 0xff;
	dhcp_out_init(o, &h, r->type);
	if (r->has_server_id)
		dhcp_out_add_ip(o, DHCP_OPT_SERVER_ID, r->server_id);
	if (r->has_lease)
		dhcp_out_add_u32(o, DHCP_OPT_LEASE_TIME, r->lease_s);
	if (r->has_mask)
		dhcp_out_add_ip(o, DHCP_OPT_SUBNET_MASK, r->mask);
	if (r->t1_s)
		dhcp_out_add_u32(o, DHCP_OPT_T1, r->t1_s);
	if (r->t2_s)
		dhcp_out_add_u32(o, DHCP_OPT_T2, r->t2_s);
	if (r->rapid)
		dhcp_out_add(o, DHCP_OPT_RAPID_COMMIT, none, 0);
	if (r->v6only)
		dhcp_out_add_u32(o, DHCP_OPT_IPV6_ONLY, r->v6only_s);
	compose_options(r, o);
}

void sim_deliver(struct sim *s, const struct dhcp_out *o)
{
	static uint8_t buf[1500], scratch[1500];
	static struct dhcp_msg m;
	struct client_event ev = { .type = CLIENT_EV_FRAME, .u.msg = &m };
	struct wire_error err;
	size_t len;

	if (dhcp_build(o, NULL, 0, buf, sizeof(buf), &len, &err) != WIRE_OK)
		sim_fail(s, "server reply does not build");
	if (dhcp_parse(buf, len, scratch, sizeof(scratch), &m, &err) != WIRE_OK)
		sim_fail(s, "server reply does not parse: %s", wire_reason_name(err.reason));
	sim_event(s, &ev);
}

void sim_answer(struct sim *s, const struct sim_msg *req, const struct reply *r)
{
	static struct dhcp_out o;

	sim_compose(req, r, &o);
	sim_deliver(s, &o);
}

void sim_receive_raw(struct sim *s, const uint8_t *buf, size_t len)
{
	uint64_t before = client_deadline(&s->c);

	client_receive(&s->c, buf, len, s->now, &s->out);
	absorb(s, before);
}

/* ---- looking at actions and messages ------------------------------------- */

size_t sim_n(const struct sim *s, enum client_action_type t)
{
	size_t n = 0;

	for (size_t i = 0; i < s->out.n; i++)
		n += s->out.a[i].type == t;
	return n;
}

const struct client_action *sim_find(const struct sim *s, enum client_action_type t)
{
	for (size_t i = 0; i < s->out.n; i++)
		if (s->out.a[i].type == t)
			return &s->out.a[i];
	return NULL;
}

bool sim_only_logs(const struct sim *s)
{
	return sim_n(s, CLIENT_ACT_LOG) == s->out.n;
}

bool msg_has(const struct sim_msg *mm, uint8_t code)
{
	return dhcp_seen(&mm->m, code);
}

uint32_t msg_ip(const struct sim_msg *mm, uint8_t code)
{
	uint32_t v = 0;

	if (!dhcp_get_ip(&mm->m, code, &v))
		return 0;
	return v;
}

struct client_lease sim_stored_lease(uint64_t obtained, uint32_t lease_s)
{
	struct client_lease l;

	memset(&l, 0, sizeof(l));
	l.address = ADDR1;
	l.prefix = 24;
	l.server_id = SRV_ID;
	l.lease_s = lease_s;
	l.obtained_at = obtained;
	l.t1_at = obtained + lease_s * SEC / 2;
	l.t2_at = obtained + lease_s * SEC * 7 / 8;
	l.expires_at = obtained + (uint64_t)lease_s * SEC;
	memcpy(l.mac, sim_mac, 6);
	return l;
}

const struct client_lease *sim_dora(struct sim *s, uint32_t addr, uint32_t lease_s)
{
	struct reply r;
	struct sim_msg *d, *q;

	if (!s->c.started)
		sim_start(s);
	d = client_state(&s->c) == CLIENT_SELECTING ? sim_last(s) : sim_next_send(s, HOUR);
	if (!d || d->m.type != DHCPDISCOVER)
		sim_fail(s, "no DISCOVER");
	r = sim_reply_default(DHCPOFFER, addr);
	r.lease_s = lease_s;
	sim_answer(s, d, &r);
	q = sim_last(s);
	if (client_state(&s->c) != CLIENT_REQUESTING || q->m.type != DHCPREQUEST)
		sim_fail(s, "OFFER did not lead to a REQUEST");
	r.type = DHCPACK;
	sim_answer(s, q, &r);
	if (!sim_run_to_state(s, CLIENT_BOUND, MIN))
		sim_fail(s, "ACK did not lead to BOUND");
	return client_lease(&s->c);
}
