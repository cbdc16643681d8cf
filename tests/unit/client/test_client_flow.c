/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Full exchanges against the simulated server, on a virtual clock: DORA,
 * renew, rebind, expiry, NAK in each state, retransmission bounds,
 * INIT-REBOOT, ACD, rapid commit, IPv6-only preferred, several OFFERs,
 * link and user events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"

static struct sim S;

static void setup(struct client_config *cfg, uint64_t seed)
{
	sim_init(&S, cfg, NULL, seed, 1000);
}

static void start_default(uint64_t seed)
{
	struct client_config cfg;

	sim_config(&cfg);
	setup(&cfg, seed);
	sim_start(&S);
}

/* ---- DORA ---------------------------------------------------------------- */

static void test_dora(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *d, *q;
	const struct client_lease *l;
	uint64_t acked;

	(void)state;
	start_default(1);
	d = sim_last(&S);
	assert_non_null(d);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	assert_int_equal(d->dest, CLIENT_DEST_BROADCAST);
	assert_int_equal(d->m.hdr.secs, 0);
	assert_state(CLIENT_SELECTING);
	r.options = true;
	sim_answer(&S, d, &r);
	q = sim_last(&S);
	assert_int_equal(q->m.type, DHCPREQUEST);
	assert_int_equal(q->m.hdr.xid, d->m.hdr.xid);
	assert_int_equal(msg_ip(q, DHCP_OPT_SERVER_ID), SRV_ID);
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);
	assert_int_equal(q->m.hdr.ciaddr, 0);
	assert_int_equal(q->dest, CLIENT_DEST_BROADCAST);
	assert_state(CLIENT_REQUESTING);

	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	acked = S.now;
	assert_state(CLIENT_CHECKING);
	assert_false(S.configured);
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));
	assert_true(S.now - acked <= 250);     /* fast ACD: ~250 ms */
	assert_int_equal(S.count[CLIENT_ACT_ACD_PROBE], 3);
	assert_int_equal(S.count[CLIENT_ACT_ACD_ANNOUNCE], 1);
	assert_int_equal(S.count[CLIENT_ACT_CONFIGURE], 1);
	assert_int_equal(S.cfg_reason, CLIENT_HOOK_BOUND);
	assert_true(S.stored);

	l = &S.applied;
	assert_int_equal(l->address, ADDR1);
	assert_int_equal(l->prefix, 24);
	assert_int_equal(l->broadcast, IP4(192, 0, 2, 255));
	assert_int_equal(l->server_id, SRV_ID);
	assert_int_equal(l->n_routers, 0);    /* RFC 3442: 121 overrides 3 */
	assert_int_equal(l->n_routes, 2);
	assert_int_equal(l->routes[0].prefix, 0);
	assert_int_equal(l->routes[0].gateway, IP4(192, 0, 2, 254));
	assert_int_equal(l->routes[1].dst, IP4(198, 51, 100, 0));
	assert_int_equal(l->n_dns, 2);
	assert_int_equal(l->dns[1], IP4(192, 0, 2, 54));
	assert_int_equal(l->n_ntp, 1);
	assert_string_equal(l->domain_name, "example.test");
	assert_int_equal(l->n_search, 2);
	assert_string_equal(l->search[1], "corp.example.test");
	assert_int_equal(l->mtu, 1400);
	assert_int_equal(l->lease_s, 3600);
	assert_int_equal(l->obtained_at, q->at);
	assert_int_equal(l->expires_at, q->at + 3600 * SEC);

	/* The second announcement, ANNOUNCE_INTERVAL later. */
	sim_timer(&S);
	assert_int_equal(S.count[CLIENT_ACT_ACD_ANNOUNCE], 2);
	assert_int_equal(S.last_announce.index, 2);
	assert_state(CLIENT_BOUND);
	assert_int_equal(client_deadline(&S.c), client_lease(&S.c)->t1_at);
}

static void test_routers_without_routes(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q;
	static struct dhcp_out o;
	uint8_t routers[8];

	(void)state;
	sim_config(&cfg);
	cfg.acd = CLIENT_ACD_OFF;
	setup(&cfg, 2);
	sim_start(&S);
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	sim_compose(q, &r, &o);
	wire_store_be32(routers, IP4(192, 0, 2, 1));
	wire_store_be32(routers + 4, IP4(192, 0, 2, 3));
	dhcp_out_add(&o, DHCP_OPT_ROUTER, routers, 8);
	sim_deliver(&S, &o);
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.applied.n_routers, 2);
	assert_int_equal(S.applied.routers[1], IP4(192, 0, 2, 3));
	assert_int_equal(S.applied.n_routes, 0);
	/* No mask option: classful /24 for 192.0.2.x would apply; here /24. */
	assert_int_equal(S.count[CLIENT_ACT_ACD_PROBE], 0);   /* ACD off */
	assert_int_equal(S.count[CLIENT_ACT_ACD_ANNOUNCE], 0);
}

/* ---- renew, rebind, expiry ---------------------------------------------- */

static void test_renew_at_t1_unicast(void **state)
{
	const struct client_lease *l;
	struct reply r = sim_reply_default(DHCPACK, ADDR1);
	struct sim_msg *q;
	uint64_t obtained, t1_nominal;

	(void)state;
	start_default(3);
	l = sim_dora(&S, ADDR1, 3600);
	obtained = l->obtained_at;
	t1_nominal = obtained + 1800 * SEC;
	q = sim_next_send(&S, 2 * HOUR);
	assert_non_null(q);
	/* RFC 2131 4.4.5 T1 = 0.5 lease, fuzzed early by at most 1/32. */
	assert_between(q->at, t1_nominal - 1800 * SEC / 32, t1_nominal);
	assert_state(CLIENT_RENEWING);
	assert_int_equal(q->m.type, DHCPREQUEST);
	assert_int_equal(q->dest, CLIENT_DEST_UNICAST);
	assert_int_equal(q->dst_ip, SRV_ID);
	assert_int_equal(q->src_ip, ADDR1);
	assert_int_equal(q->m.hdr.ciaddr, ADDR1);
	assert_false(msg_has(q, DHCP_OPT_SERVER_ID));
	assert_false(msg_has(q, DHCP_OPT_REQUESTED_IP));
	assert_int_equal(q->m.hdr.secs, 0);

	sim_answer(&S, q, &r);
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.cfg_reason, CLIENT_HOOK_RENEW);
	assert_int_equal(S.count[CLIENT_ACT_CONFIGURE], 2);
	assert_int_equal(client_lease(&S.c)->obtained_at, q->at);
	assert_int_equal(client_deadline(&S.c), client_lease(&S.c)->t1_at);
	assert_int_equal(S.count[CLIENT_ACT_ACD_PROBE], 3);     /* no new probe */
}

static void test_renew_retries_then_rebind_broadcast(void **state)
{
	const struct client_lease *l;
	struct reply r = sim_reply_default(DHCPACK, ADDR1);
	struct sim_msg *q;
	uint64_t prev, t2, expiry, expect;
	int renews = 1;

	(void)state;
	start_default(4);
	l = sim_dora(&S, ADDR1, 3600);
	t2 = l->t2_at;
	expiry = l->expires_at;
	q = sim_next_send(&S, 2 * HOUR);
	prev = q->at;
	/* RFC 2131 4.4.5: half the time to T2, at least 60 s, never past T2. */
	for (;;) {
		expect = prev + (t2 - prev) / 2 > prev + 60 * SEC ? prev + (t2 - prev) / 2
								  : prev + 60 * SEC;
		if (expect > t2)
			expect = t2;
		q = sim_next_send(&S, 2 * HOUR);
		assert_non_null(q);
		assert_int_equal(q->at, expect);
		if (client_state(&S.c) == CLIENT_REBINDING)
			break;
		assert_int_equal(q->dest, CLIENT_DEST_UNICAST);
		renews++;
		prev = q->at;
	}
	assert_true(renews >= 3);
	assert_int_equal(q->at, t2);
	assert_int_equal(q->dest, CLIENT_DEST_BROADCAST);
	assert_int_equal(q->m.hdr.ciaddr, ADDR1);
	assert_false(msg_has(q, DHCP_OPT_SERVER_ID));
	assert_false(msg_has(q, DHCP_OPT_REQUESTED_IP));
	/* secs counts from T1 (the start of the renewal). */
	assert_true(q->m.hdr.secs >= (t2 - l->t1_at) / SEC - 1);

	/* Rebind retries: half the time to expiry, >= 60 s. */
	prev = q->at;
	q = sim_next_send(&S, HOUR);
	expect = prev + (expiry - prev) / 2;
	assert_int_equal(q->at, expect);
	assert_state(CLIENT_REBINDING);

	/* Any server may answer a rebind. */
	r.server_id = SRV2_ID;
	sim_answer(&S, q, &r);
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.cfg_reason, CLIENT_HOOK_REBIND);
	assert_int_equal(client_lease(&S.c)->server_id, SRV2_ID);
	/* And the next renew goes to the new server. */
	q = sim_next_send(&S, 2 * HOUR);
	assert_int_equal(q->dst_ip, SRV2_ID);
}

static void test_expiry(void **state)
{
	struct sim_msg *q;
	uint64_t expiry;

	(void)state;
	start_default(5);
	expiry = sim_dora(&S, ADDR1, 600)->expires_at;
	while (S.configured)
		assert_non_null(sim_next_send(&S, HOUR));
	assert_int_equal(S.now, expiry);
	assert_int_equal(S.decfg_reason, CLIENT_HOOK_EXPIRE);
	assert_false(S.stored);
	assert_null(client_lease(&S.c));
	q = sim_last(&S);
	assert_int_equal(q->m.type, DHCPDISCOVER);
	assert_int_equal(q->at, expiry);
	/* RFC 2131 4.4.1 MAY: ask for the old address again. */
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);
	assert_state(CLIENT_SELECTING);
}

/* ---- NAK ------------------------------------------------------------------ */

static void test_nak_requesting(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct reply n = sim_reply_default(DHCPNAK, 0);
	struct sim_msg *d, *q;
	uint64_t t;

	(void)state;
	start_default(6);
	d = sim_last(&S);
	sim_answer(&S, d, &r);
	q = sim_last(&S);
	/* Only the server we chose may NAK. */
	n.server_id = SRV2_ID;
	sim_answer(&S, q, &n);
	assert_state(CLIENT_REQUESTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_WRONG_SERVER);
	assert_true(sim_only_logs(&S));
	n.server_id = SRV_ID;
	sim_answer(&S, q, &n);
	t = S.now;
	assert_state(CLIENT_INIT);
	assert_int_equal(S.c.st.init.why, CLIENT_INIT_NAK);
	assert_between(client_deadline(&S.c), t + 500, t + 1000);
	assert_int_equal(S.count[CLIENT_ACT_DECONFIGURE], 0);
	d = sim_next_send(&S, MIN);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	assert_int_not_equal(d->m.hdr.xid, q->m.hdr.xid);
	assert_false(msg_has(d, DHCP_OPT_REQUESTED_IP));
	/* A second NAK in a row doubles the backoff: never a tight loop. */
	sim_answer(&S, d, &r);
	q = sim_last(&S);
	sim_answer(&S, q, &n);
	t = S.now;
	assert_between(client_deadline(&S.c), t + 1000, t + 2000);
}

static void test_nak_ignored_outside_exchanges(void **state)
{
	struct reply n = sim_reply_default(DHCPNAK, 0);
	struct sim_msg *q;

	(void)state;
	start_default(7);
	/* SELECTING: nothing requested yet. */
	sim_answer(&S, sim_last(&S), &n);
	assert_state(CLIENT_SELECTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_UNEXPECTED);
	sim_dora(&S, ADDR1, 3600);
	/* BOUND: a late NAK to the REQUEST that was ACKed. */
	q = sim_last(&S);
	sim_answer(&S, q, &n);
	assert_state(CLIENT_BOUND);
	assert_true(sim_only_logs(&S));
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_UNEXPECTED);
}

static void test_nak_checking_ignored(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct reply n = sim_reply_default(DHCPNAK, 0);
	struct sim_msg *q;

	(void)state;
	start_default(8);
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	assert_state(CLIENT_CHECKING);
	sim_answer(&S, q, &n);
	assert_state(CLIENT_CHECKING);
	assert_true(sim_only_logs(&S));
}

static void test_nak_renewing_and_rebinding(void **state)
{
	struct reply n = sim_reply_default(DHCPNAK, 0);
	struct sim_msg *q;

	(void)state;
	start_default(9);
	sim_dora(&S, ADDR1, 3600);
	q = sim_next_send(&S, 2 * HOUR);
	assert_state(CLIENT_RENEWING);
	n.server_id = SRV2_ID;       /* RENEWING talks to one server */
	sim_answer(&S, q, &n);
	assert_state(CLIENT_RENEWING);
	assert_true(S.configured);
	n.server_id = SRV_ID;
	sim_answer(&S, q, &n);
	assert_state(CLIENT_INIT);
	assert_false(S.configured);
	assert_int_equal(S.decfg_reason, CLIENT_HOOK_FAIL);
	assert_false(S.stored);

	/* REBINDING: any server's NAK counts; it must still name itself. */
	start_default(10);
	sim_dora(&S, ADDR1, 3600);
	assert_true(sim_run_to_state(&S, CLIENT_REBINDING, 2 * HOUR));
	q = sim_last(&S);
	n.has_server_id = false;
	sim_answer(&S, q, &n);
	assert_state(CLIENT_REBINDING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_NO_SERVER_ID);
	n.has_server_id = true;
	n.server_id = SRV2_ID;
	sim_answer(&S, q, &n);
	assert_state(CLIENT_INIT);
	assert_false(S.configured);
}

/* ---- retransmission bounds ----------------------------------------------- */

static void test_discover_backoff(void **state)
{
	struct sim_msg *d;
	uint64_t t0, prev;
	uint32_t xid;
	const uint64_t base[] = { 4, 8, 16, 32, 64, 64, 64, 64, 64 };

	(void)state;
	start_default(11);
	d = sim_last(&S);
	t0 = prev = d->at;
	xid = d->m.hdr.xid;
	/* RFC 2131 4.1: 4 s +-1 s, doubling to 64 s, and on for ever. */
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		d = sim_next_send(&S, 2 * MIN);
		assert_non_null(d);
		assert_int_equal(d->m.type, DHCPDISCOVER);
		assert_int_equal(d->m.hdr.xid, xid);
		assert_between(d->at - prev, base[i] * SEC - SEC, base[i] * SEC + SEC);
		assert_int_equal(d->m.hdr.secs, (d->at - t0) / SEC);
		prev = d->at;
	}
	/* A network with no server never wedges the client: a day later it
	 * is still asking, at most 65 s apart. */
	for (int i = 0; i < 1500; i++) {
		d = sim_next_send(&S, 65 * SEC);
		assert_non_null(d);
	}
	assert_state(CLIENT_SELECTING);
}

static void test_request_retries_then_init(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *d, *q;
	uint64_t prev;
	uint16_t secs;
	const uint64_t base[] = { 4, 8, 16, 32 };

	(void)state;
	start_default(12);
	d = sim_next_send(&S, MIN);   /* one retransmission: secs 4 or so */
	secs = d->m.hdr.secs;
	assert_true(secs >= 3);
	sim_answer(&S, d, &r);
	q = sim_last(&S);
	assert_int_equal(q->m.hdr.secs, secs);   /* RFC 2131 4.4.1 */
	prev = q->at;
	for (size_t i = 0; i < 4; i++) {
		q = sim_next_send(&S, 2 * MIN);
		assert_int_equal(q->m.type, DHCPREQUEST);
		assert_int_equal(q->m.hdr.xid, d->m.hdr.xid);
		assert_int_equal(msg_ip(q, DHCP_OPT_SERVER_ID), SRV_ID);
		assert_int_equal(q->m.hdr.secs, secs);
		assert_between(q->at - prev, base[i] * SEC - SEC, base[i] * SEC + SEC);
		prev = q->at;
	}
	assert_state(CLIENT_REQUESTING);
	/* After the 4th retry: back to INIT, which sends a new DISCOVER. */
	d = sim_next_send(&S, 2 * MIN);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	assert_between(d->at - prev, 63 * SEC, 65 * SEC);
	assert_int_not_equal(d->m.hdr.xid, q->m.hdr.xid);
	assert_state(CLIENT_SELECTING);
}

/* ---- INIT-REBOOT ---------------------------------------------------------- */

static void start_stored(const struct client_lease *l, uint64_t seed)
{
	struct client_config cfg;

	sim_config(&cfg);
	sim_init(&S, &cfg, l, seed, 1000);
	sim_start(&S);
}

static void test_init_reboot_ok(void **state)
{
	struct client_lease l = sim_stored_lease(0, 3600);
	struct reply r = sim_reply_default(DHCPACK, ADDR1);
	struct sim_msg *q;

	(void)state;
	start_stored(&l, 13);
	assert_state(CLIENT_REBOOTING);
	q = sim_last(&S);
	assert_int_equal(q->m.type, DHCPREQUEST);
	assert_int_equal(q->dest, CLIENT_DEST_BROADCAST);
	assert_int_equal(q->m.hdr.ciaddr, 0);
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);
	assert_false(msg_has(q, DHCP_OPT_SERVER_ID));   /* table 5: MUST NOT */
	sim_answer(&S, q, &r);
	assert_state(CLIENT_CHECKING);    /* not configured yet: probe first */
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));
	assert_int_equal(S.cfg_reason, CLIENT_HOOK_REBOOT);
	assert_int_equal(S.applied.address, ADDR1);
}

static void test_init_reboot_nak(void **state)
{
	struct client_lease l = sim_stored_lease(0, 3600);
	struct reply n = sim_reply_default(DHCPNAK, 0);
	struct sim_msg *d;

	(void)state;
	start_stored(&l, 14);
	n.server_id = SRV2_ID;   /* any server may NAK an INIT-REBOOT */
	sim_answer(&S, sim_last(&S), &n);
	assert_state(CLIENT_INIT);
	assert_false(S.stored);
	assert_int_equal(S.count[CLIENT_ACT_DROP_LEASE], 1);
	assert_int_equal(S.count[CLIENT_ACT_DECONFIGURE], 0);
	d = sim_next_send(&S, MIN);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	assert_false(msg_has(d, DHCP_OPT_REQUESTED_IP));
}

/* -r: RELEASE the stored lease at once (no REQUEST first), remove its
 * address, forget it, stop. */
static void test_release_stored(void **state)
{
	struct client_lease l = sim_stored_lease(0, 3600);
	struct client_config cfg;
	struct sim_msg *q;

	(void)state;
	sim_config(&cfg);
	sim_init(&S, &cfg, &l, 21, 1000);
	sim_release_stored(&S);
	assert_int_equal(S.n_sent, 1);
	q = sim_last(&S);
	assert_int_equal(q->m.type, DHCPRELEASE);
	assert_int_equal(q->m.hdr.ciaddr, ADDR1);
	assert_int_equal(msg_ip(q, DHCP_OPT_SERVER_ID), SRV_ID);
	assert_int_equal(S.count[CLIENT_ACT_DECONFIGURE], 1);
	assert_int_equal(S.decfg_reason, CLIENT_HOOK_RELEASE);
	assert_int_equal(S.count[CLIENT_ACT_DROP_LEASE], 1);
	assert_true(S.stopped);
	assert_state(CLIENT_STOPPED);

	/* Anonymous: no RELEASE (RFC 7844 section 3), but the address a
	 * previous run left is still taken back, and the log says why. */
	cfg.anonymous = true;
	cfg.id_mode = CLIENT_ID_NONE;
	sim_init(&S, &cfg, &l, 22, 1000);
	sim_release_stored(&S);
	assert_int_equal(S.n_sent, 0);
	assert_int_equal(S.count[CLIENT_ACT_DECONFIGURE], 1);
	assert_int_equal(S.decfg_reason, CLIENT_HOOK_RELEASE);
	assert_int_equal(S.count[CLIENT_ACT_DROP_LEASE], 1);
	assert_true(sim_logged(&S, "no RELEASE sent (anonymous"));
	assert_state(CLIENT_STOPPED);

	/* Nothing stored: nothing sent, nothing removed, stopped. */
	sim_config(&cfg);
	sim_init(&S, &cfg, NULL, 23, 1000);
	sim_release_stored(&S);
	assert_int_equal(S.n_sent, 0);
	assert_int_equal(S.count[CLIENT_ACT_DECONFIGURE], 0);
	assert_true(S.stopped);
}

static void test_init_reboot_no_answer(void **state)
{
	struct client_lease l = sim_stored_lease(0, 3600);
	struct sim_msg *q;
	int requests = 1;

	(void)state;
	start_stored(&l, 15);
	while ((q = sim_next_send(&S, MIN)) && q->m.type == DHCPREQUEST)
		requests++;
	assert_non_null(q);
	assert_int_equal(requests, 1 + CLIENT_REBOOT_RETRIES);
	assert_int_equal(q->m.type, DHCPDISCOVER);
	assert_true(q->at - 1000 < 40 * SEC);
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);
	assert_true(S.stored);   /* not refused: it stays for next time */
}

static void test_stored_lease_unusable(void **state)
{
	struct client_lease l = sim_stored_lease(0, 1);     /* expired at 1000 */
	struct sim_msg *d;

	(void)state;
	start_stored(&l, 16);
	assert_state(CLIENT_SELECTING);
	assert_false(S.stored);
	d = sim_last(&S);
	assert_int_equal(msg_ip(d, DHCP_OPT_REQUESTED_IP), ADDR1);

	/* Got with another MAC: not verified either. */
	l = sim_stored_lease(0, 3600);
	l.mac[0] ^= 0x02;
	start_stored(&l, 17);
	assert_state(CLIENT_SELECTING);
}

/* ---- ACD ----------------------------------------------------------------- */

static void to_checking(uint64_t seed, enum client_acd_mode mode, uint32_t addr)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, addr);
	struct sim_msg *q;

	sim_config(&cfg);
	cfg.acd = mode;
	setup(&cfg, seed);
	sim_start(&S);
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
}

static void test_acd_conflict_decline_new_address(void **state)
{
	struct sim_msg *x, *d, *q;
	struct reply r;
	uint64_t t;

	(void)state;
	to_checking(18, CLIENT_ACD_FAST, ADDR1);
	assert_state(CLIENT_CHECKING);
	sim_timer(&S);
	assert_int_equal(S.last_probe.addr, ADDR1);
	assert_int_equal(S.last_probe.index, 1);
	/* Our own probe echoed back is no conflict; nor is another address. */
	sim_conflict(&S, ADDR1, sim_mac);
	sim_conflict(&S, ADDR2, sim_other_mac);
	assert_state(CLIENT_CHECKING);
	sim_conflict(&S, ADDR1, sim_other_mac);
	t = S.now;
	x = sim_last(&S);
	assert_int_equal(x->m.type, DHCPDECLINE);
	assert_int_equal(x->dest, CLIENT_DEST_BROADCAST);
	assert_int_equal(x->m.hdr.ciaddr, 0);
	assert_int_equal(msg_ip(x, DHCP_OPT_REQUESTED_IP), ADDR1);
	assert_int_equal(msg_ip(x, DHCP_OPT_SERVER_ID), SRV_ID);
	assert_false(msg_has(x, DHCP_OPT_PRL));
	assert_false(msg_has(x, DHCP_OPT_MAX_MSG_SIZE));
	assert_false(msg_has(x, DHCP_OPT_LEASE_TIME));
	assert_false(S.configured);
	assert_state(CLIENT_INIT);
	/* RFC 2131 4.4.1: at least 10 s before starting over. */
	assert_int_equal(client_deadline(&S.c), t + 10 * SEC);
	d = sim_next_send(&S, MIN);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	assert_false(msg_has(d, DHCP_OPT_REQUESTED_IP));
	r = sim_reply_default(DHCPOFFER, ADDR2);
	sim_answer(&S, d, &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));
	assert_int_equal(S.applied.address, ADDR2);
	assert_int_equal(S.c.conflicts, 0);
}

static void test_acd_rate_limit(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *d, *q;

	(void)state;
	sim_config(&cfg);
	setup(&cfg, 19);
	sim_start(&S);
	d = sim_last(&S);
	for (unsigned i = 1; i <= CLIENT_ACD_MAX_CONFLICTS; i++) {
		r.type = DHCPOFFER;
		sim_answer(&S, d, &r);
		q = sim_last(&S);
		r.type = DHCPACK;
		sim_answer(&S, q, &r);
		assert_state(CLIENT_CHECKING);
		sim_conflict(&S, ADDR1, sim_other_mac);
		/* RFC 5227 2.1.1: after MAX_CONFLICTS, one try per minute. */
		assert_int_equal(client_deadline(&S.c) - S.now,
				 i < CLIENT_ACD_MAX_CONFLICTS ? 10 * SEC : 60 * SEC);
		d = sim_next_send(&S, 2 * MIN);
		assert_int_equal(d->m.type, DHCPDISCOVER);
	}
}

static void test_acd_rfc5227_timing(void **state)
{
	uint64_t acked, prev;

	(void)state;
	for (uint64_t seed = 20; seed < 30; seed++) {
		to_checking(seed, CLIENT_ACD_RFC5227, ADDR1);
		acked = S.now;
		sim_timer(&S);
		/* RFC 5227 2.1.1: PROBE_WAIT, then PROBE_MIN..PROBE_MAX apart. */
		assert_between(S.now - acked, 1, 1000);
		assert_int_equal(S.last_probe.index, 1);
		assert_int_equal(S.last_probe.count, 3);
		prev = S.now;
		for (uint8_t i = 2; i <= 3; i++) {
			sim_timer(&S);
			assert_int_equal(S.last_probe.index, i);
			assert_between(S.now - prev, 1000, 2000);
			prev = S.now;
		}
		sim_timer(&S);
		assert_state(CLIENT_BOUND);
		assert_int_equal(S.now - prev, 2000);   /* ANNOUNCE_WAIT */
		assert_int_equal(S.last_announce.index, 1);
		sim_timer(&S);
		assert_int_equal(S.last_announce.index, 2);
		assert_int_equal(S.now - prev, 4000);   /* ANNOUNCE_INTERVAL */
	}
}

static void test_acd_defend_then_give_up(void **state)
{
	uint64_t t;

	(void)state;
	start_default(31);
	sim_dora(&S, ADDR1, 3600);
	sim_advance(&S, S.now + 5 * SEC);
	/* RFC 5227 2.4 (b): defend once ... */
	sim_conflict(&S, ADDR1, sim_other_mac);
	assert_state(CLIENT_BOUND);
	assert_non_null(sim_find(&S, CLIENT_ACT_ACD_ANNOUNCE));
	assert_true(S.configured);
	/* ... again once DEFEND_INTERVAL has passed ... */
	sim_advance(&S, S.now + 11 * SEC);
	sim_conflict(&S, ADDR1, sim_other_mac);
	assert_true(S.configured);
	/* ... and give up on a second conflict within it. */
	sim_advance(&S, S.now + 3 * SEC);
	t = S.now;
	sim_conflict(&S, ADDR1, sim_other_mac);
	assert_false(S.configured);
	assert_int_equal(S.decfg_reason, CLIENT_HOOK_FAIL);
	assert_int_equal(sim_last(&S)->m.type, DHCPDECLINE);
	assert_state(CLIENT_INIT);
	assert_int_equal(client_deadline(&S.c), t + 10 * SEC);
}

/* ---- rapid commit, IPv6-only preferred, several OFFERs -------------------- */

static void test_rapid_commit_two_messages(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPACK, ADDR1);
	struct sim_msg *d;

	(void)state;
	sim_config(&cfg);
	cfg.rapid_commit = true;
	setup(&cfg, 32);
	sim_start(&S);
	d = sim_last(&S);
	assert_true(dhcp_get_flag(&d->m, DHCP_OPT_RAPID_COMMIT));
	/* An ACK without option 80 is not a rapid-commit ACK (RFC 4039 4). */
	sim_answer(&S, d, &r);
	assert_state(CLIENT_SELECTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_NO_RAPID);
	r.rapid = true;
	sim_answer(&S, d, &r);
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));
	assert_int_equal(S.n_sent, 1);              /* DISCOVER only */
	assert_int_equal(S.applied.address, ADDR1);
	assert_int_equal(S.applied.obtained_at, d->at);
}

static void test_rapid_commit_four_way(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q;

	(void)state;
	sim_config(&cfg);
	cfg.rapid_commit = true;
	setup(&cfg, 33);
	sim_start(&S);
	sim_answer(&S, sim_last(&S), &r);   /* a server without rapid commit */
	q = sim_last(&S);
	assert_int_equal(q->m.type, DHCPREQUEST);
	assert_false(msg_has(q, DHCP_OPT_RAPID_COMMIT));   /* RFC 4039: DISCOVER only */
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));

	/* Not asked for: a rapid-commit ACK is ignored. */
	start_default(34);
	r = sim_reply_default(DHCPACK, ADDR1);
	r.rapid = true;
	sim_answer(&S, sim_last(&S), &r);
	assert_state(CLIENT_SELECTING);
	assert_false(msg_has(sim_last(&S), DHCP_OPT_RAPID_COMMIT));
}

static bool prl_has(const struct sim_msg *mm, uint8_t code)
{
	const uint8_t *p;
	size_t n;

	return dhcp_get_bytes(&mm->m, DHCP_OPT_PRL, &p, &n) && memchr(p, code, n);
}

static void test_ipv6_only_preferred(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, 0);
	struct sim_msg *d;
	uint64_t t;

	(void)state;
	sim_config(&cfg);
	cfg.ipv6_only_preferred = true;
	setup(&cfg, 35);
	sim_start(&S);
	d = sim_last(&S);
	assert_true(prl_has(d, DHCP_OPT_IPV6_ONLY));
	/* RFC 8925 3.3: yiaddr 0; 3.2: wait max(value, MIN_V6ONLY_WAIT). */
	r.v6only = true;
	r.v6only_s = 100;
	r.has_lease = false;
	sim_answer(&S, d, &r);
	t = S.now;
	assert_state(CLIENT_INIT);
	assert_int_equal(S.c.st.init.why, CLIENT_INIT_V6ONLY);
	assert_int_equal(S.n_sent, 1);
	assert_int_equal(client_deadline(&S.c), t + 300 * SEC);
	d = sim_next_send(&S, HOUR);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	assert_int_equal(d->at, t + 300 * SEC);
	r.v6only_s = 1800;
	sim_answer(&S, d, &r);
	assert_int_equal(client_deadline(&S.c), S.now + 1800 * SEC);

	/* Not asked for: the option is ignored (RFC 8925 3.2 MUST). */
	start_default(36);
	d = sim_last(&S);
	assert_false(prl_has(d, DHCP_OPT_IPV6_ONLY));
	r = sim_reply_default(DHCPOFFER, ADDR1);
	r.v6only = true;
	sim_answer(&S, d, &r);
	assert_state(CLIENT_REQUESTING);
}

static void test_multiple_offers_first_wins(void **state)
{
	struct reply a = sim_reply_default(DHCPOFFER, ADDR1);
	struct reply b = sim_reply_default(DHCPOFFER, ADDR2);
	struct sim_msg *d, *q;

	(void)state;
	start_default(37);
	d = sim_last(&S);
	b.server_id = SRV2_ID;
	sim_answer(&S, d, &a);
	q = sim_last(&S);
	sim_answer(&S, d, &b);
	assert_state(CLIENT_REQUESTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_UNEXPECTED);
	assert_int_equal(msg_ip(q, DHCP_OPT_SERVER_ID), SRV_ID);
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);
	/* The other server ACKing its own offer changes nothing. */
	b.type = DHCPACK;
	sim_answer(&S, q, &b);
	assert_state(CLIENT_REQUESTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_WRONG_SERVER);
	a.type = DHCPACK;
	sim_answer(&S, q, &a);
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));
	assert_int_equal(S.applied.address, ADDR1);
}

/* The bug that wedged a real client for ever. */
static void test_offer_without_server_id_then_good(void **state)
{
	struct reply bad = sim_reply_default(DHCPOFFER, ADDR2);
	struct reply good = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *d, *q;
	uint64_t deadline;

	(void)state;
	start_default(38);
	d = sim_last(&S);
	deadline = client_deadline(&S.c);
	bad.has_server_id = false;
	sim_answer(&S, d, &bad);
	assert_state(CLIENT_SELECTING);
	assert_int_equal(client_deadline(&S.c), deadline);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_NO_SERVER_ID);
	assert_true(sim_only_logs(&S));
	sim_answer(&S, d, &good);
	q = sim_last(&S);
	assert_int_equal(q->m.type, DHCPREQUEST);
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);
	good.type = DHCPACK;
	sim_answer(&S, q, &good);
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));
	assert_int_equal(S.applied.address, ADDR1);

	/* Only bad OFFERs: the client keeps discovering, never stuck. */
	start_default(39);
	for (int i = 0; i < 20; i++) {
		d = sim_last(&S);
		sim_answer(&S, d, &bad);
		assert_non_null(sim_next_send(&S, 65 * SEC));
		assert_state(CLIENT_SELECTING);
	}
}

/* ---- lease times ---------------------------------------------------------- */

static void test_t1_t2_options(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q;
	const struct client_lease *l;

	(void)state;
	start_default(40);
	r.t1_s = 600;
	r.t2_s = 900;
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));
	l = client_lease(&S.c);
	assert_int_equal(l->t1_s, 600);
	assert_int_equal(l->t2_s, 900);
	assert_between(l->t1_at, q->at + 600 * SEC - 600 * SEC / 32, q->at + 600 * SEC);
	assert_between(l->t2_at, q->at + 900 * SEC - 900 * SEC / 32, q->at + 900 * SEC);

	/* Out of order (T1 > T2): both defaults. */
	r.t1_s = 900;
	r.t2_s = 600;
	q = sim_next_send(&S, HOUR);
	sim_answer(&S, q, &r);
	l = client_lease(&S.c);
	assert_int_equal(l->t1_s, 1800);
	assert_int_equal(l->t2_s, 3150);
	/* T2 past the lease: defaults again. */
	r.t1_s = 100;
	r.t2_s = 4000;
	q = sim_next_send(&S, 2 * HOUR);
	sim_answer(&S, q, &r);
	assert_int_equal(client_lease(&S.c)->t1_s, 1800);
}

static void test_infinite_lease(void **state)
{
	(void)state;
	start_default(41);
	sim_dora(&S, ADDR1, UINT32_MAX);
	sim_timer(&S);   /* the second announcement */
	assert_state(CLIENT_BOUND);
	assert_int_equal(client_deadline(&S.c), CLIENT_NEVER);
	assert_null(client_check(&S.c, UINT64_MAX - 1));
	/* A user renew still works, and retries every minute. */
	sim_user(&S, CLIENT_EV_RENEW, false);
	assert_state(CLIENT_RENEWING);
	assert_int_equal(client_deadline(&S.c), S.now + 60 * SEC);
}

static void test_short_lease_dies_while_probing(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q;
	struct client_config cfg;

	(void)state;
	sim_config(&cfg);
	cfg.acd = CLIENT_ACD_RFC5227;
	setup(&cfg, 42);
	sim_start(&S);
	r.lease_s = 1;
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	assert_state(CLIENT_CHECKING);
	q = sim_next_send(&S, 10 * SEC);
	assert_int_equal(q->m.type, DHCPDISCOVER);
	assert_int_equal(S.count[CLIENT_ACT_CONFIGURE], 0);
}

/* A lease already over on arrival is ignored and cannot drop a good one. */
static void test_stale_ack_ignored(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q;

	(void)state;
	start_default(60);
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	r.lease_s = 1;
	S.now += 1500;
	sim_answer(&S, q, &r);
	assert_state(CLIENT_REQUESTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_STALE);

	start_default(61);
	sim_dora(&S, ADDR1, 3600);
	q = sim_next_send(&S, 2 * HOUR);
	S.now += 2 * SEC;
	sim_answer(&S, q, &r);
	assert_state(CLIENT_RENEWING);
	assert_true(S.configured);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_STALE);
	r.lease_s = 3600;
	sim_answer(&S, q, &r);
	assert_state(CLIENT_BOUND);
	/* Counted from the request that was answered (the latest one). */
	assert_int_equal(S.applied.obtained_at, q->at);
}

/* ---- link, user, time ------------------------------------------------------ */

static void test_link_down_keeps_lease_then_reboots(void **state)
{
	struct reply r = sim_reply_default(DHCPACK, ADDR1);
	struct sim_msg *q;
	uint64_t sent;

	(void)state;
	start_default(43);
	sim_dora(&S, ADDR1, 3600);
	sim_link(&S, false);
	assert_state(CLIENT_LINK_DOWN);
	assert_true(S.configured);
	assert_int_equal(client_deadline(&S.c), client_lease(&S.c)->expires_at);
	sent = S.n_sent;
	sim_advance(&S, S.now + 50 * MIN);   /* past T1 and T2: nothing sent */
	assert_int_equal(S.n_sent, sent);
	assert_true(S.configured);
	sim_link(&S, true);
	assert_state(CLIENT_REBOOTING);
	q = sim_last(&S);
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);
	assert_false(msg_has(q, DHCP_OPT_SERVER_ID));
	sim_answer(&S, q, &r);
	/* Configured already: no probe, straight to BOUND. */
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.cfg_reason, CLIENT_HOOK_REBOOT);
}

static void test_link_down_until_expiry(void **state)
{
	uint64_t expiry;

	(void)state;
	start_default(44);
	expiry = sim_dora(&S, ADDR1, 600)->expires_at;
	sim_link(&S, false);
	sim_advance(&S, expiry + HOUR);
	assert_false(S.configured);
	assert_int_equal(S.decfg_reason, CLIENT_HOOK_EXPIRE);
	assert_int_equal(client_deadline(&S.c), CLIENT_NEVER);
	sim_link(&S, true);
	assert_state(CLIENT_SELECTING);
	assert_int_equal(msg_ip(sim_last(&S), DHCP_OPT_REQUESTED_IP), ADDR1);
}

static void test_link_flap_reboot_unanswered_keeps_lease(void **state)
{
	(void)state;
	start_default(45);
	sim_dora(&S, ADDR1, 3600);
	sim_link(&S, false);
	sim_link(&S, true);
	assert_state(CLIENT_REBOOTING);
	/* RFC 2131 3.2 step 5: keep the configured lease when nobody answers. */
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, MIN));
	assert_true(S.configured);
	assert_int_equal(S.count[CLIENT_ACT_DECONFIGURE], 0);
}

static void test_user_renew_release_stop(void **state)
{
	struct sim_msg *q;

	(void)state;
	start_default(46);
	sim_dora(&S, ADDR1, 3600);
	sim_user(&S, CLIENT_EV_RENEW, false);
	assert_state(CLIENT_RENEWING);
	q = sim_last(&S);
	assert_int_equal(q->dest, CLIENT_DEST_UNICAST);
	sim_user(&S, CLIENT_EV_RENEW, false);   /* again: resend now */
	assert_int_equal(sim_last(&S)->seq, q->seq + 1);
	sim_user(&S, CLIENT_EV_RELEASE, false);
	q = sim_last(&S);
	/* RFC 2131 4.4.6: unicast RELEASE with ciaddr and server id. */
	assert_int_equal(q->m.type, DHCPRELEASE);
	assert_int_equal(q->dest, CLIENT_DEST_UNICAST);
	assert_int_equal(q->dst_ip, SRV_ID);
	assert_int_equal(q->m.hdr.ciaddr, ADDR1);
	assert_int_equal(msg_ip(q, DHCP_OPT_SERVER_ID), SRV_ID);
	assert_false(msg_has(q, DHCP_OPT_REQUESTED_IP));
	assert_false(msg_has(q, DHCP_OPT_PRL));
	assert_false(msg_has(q, DHCP_OPT_VENDOR_CLASS));
	assert_false(S.configured);
	assert_int_equal(S.decfg_reason, CLIENT_HOOK_RELEASE);
	assert_false(S.stored);
	assert_true(S.stopped);
	assert_state(CLIENT_STOPPED);
	/* Stopped: nothing more happens. */
	sim_user(&S, CLIENT_EV_RENEW, false);
	assert_true(sim_only_logs(&S));

	start_default(47);
	sim_dora(&S, ADDR1, 3600);
	sim_user(&S, CLIENT_EV_STOP, true);
	assert_true(S.configured);              /* --keep */
	assert_true(S.stored);
	assert_state(CLIENT_STOPPED);

	start_default(48);
	sim_dora(&S, ADDR1, 3600);
	sim_user(&S, CLIENT_EV_STOP, false);
	assert_false(S.configured);
	assert_int_equal(S.decfg_reason, CLIENT_HOOK_STOP);
	assert_true(S.stored);                  /* for INIT-REBOOT next time */
}

static void test_late_event_runs_timer_first(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *d;

	(void)state;
	start_default(49);
	d = sim_last(&S);
	/* The daemon's timer is late; an OFFER arrives after the deadline.
	 * The retransmission happens first, then the OFFER is taken. */
	S.now = client_deadline(&S.c) + 10;
	sim_answer(&S, d, &r);
	assert_int_equal(sim_n(&S, CLIENT_ACT_SEND), 2);
	assert_state(CLIENT_REQUESTING);
}

static void test_early_timer_and_clock(void **state)
{
	struct client_event ev = { .type = CLIENT_EV_TIMER };
	uint64_t deadline;

	(void)state;
	start_default(50);
	deadline = client_deadline(&S.c);
	S.now += 100;
	sim_event(&S, &ev);
	assert_true(sim_only_logs(&S));
	assert_int_equal(S.out.a[0].u.log.code, CLIENT_LOG_TIMER_EARLY);
	assert_int_equal(client_deadline(&S.c), deadline);
	/* A clock that jumps back is held still. */
	S.now = 0;
	sim_event(&S, &ev);
	assert_true(sim_only_logs(&S));
	S.now = S.c.last_now;
}

static void test_config_checks(void **state)
{
	struct client_config cfg;
	struct client c;

	(void)state;
	sim_config(&cfg);
	assert_int_equal(client_init(&c, &cfg, NULL, 1), 0);
	cfg.mac[0] = 1;                         /* multicast */
	assert_int_not_equal(client_init(&c, &cfg, NULL, 1), 0);
	sim_config(&cfg);
	memset(cfg.mac, 0, 6);
	assert_int_not_equal(client_init(&c, &cfg, NULL, 1), 0);
	sim_config(&cfg);
	cfg.id_mode = CLIENT_ID_RAW;
	cfg.client_id_len = 1;
	assert_int_not_equal(client_init(&c, &cfg, NULL, 1), 0);
	sim_config(&cfg);
	strcpy(cfg.hostname, "bad;name");
	assert_int_not_equal(client_init(&c, &cfg, NULL, 1), 0);
	sim_config(&cfg);
	cfg.max_msg_size = 500;
	assert_int_not_equal(client_init(&c, &cfg, NULL, 1), 0);
	sim_config(&cfg);
	cfg.n_prl_extra = CLIENT_PRL_EXTRA_MAX + 1;
	assert_int_not_equal(client_init(&c, &cfg, NULL, 1), 0);
}

static void test_initial_delay(void **state)
{
	struct client_config cfg;

	(void)state;
	sim_config(&cfg);
	cfg.initial_delay_max_ms = 10 * SEC;
	for (uint64_t seed = 1; seed < 20; seed++) {
		setup(&cfg, seed);
		sim_start(&S);
		if (client_state(&S.c) == CLIENT_INIT) {
			assert_true(client_deadline(&S.c) <= S.now + 10 * SEC);
			assert_int_equal(S.n_sent, 0);
			assert_non_null(sim_next_send(&S, 10 * SEC));
		}
		assert_state(CLIENT_SELECTING);
	}
}

/* Events that make no sense where they arrive: logged, nothing else. */
static void test_odd_events(void **state)
{
	struct client_config cfg;
	struct client_lease l = sim_stored_lease(0, 3600);
	static uint8_t big[CLIENT_RX_MAX + 1];

	(void)state;
	start_default(70);
	sim_start(&S);                          /* twice */
	assert_true(sim_only_logs(&S));
	sim_link(&S, true);                     /* up while up */
	assert_true(sim_only_logs(&S));
	sim_link(&S, false);
	sim_link(&S, false);                    /* down twice */
	assert_true(sim_only_logs(&S));
	assert_state(CLIENT_LINK_DOWN);
	sim_link(&S, true);
	sim_receive_raw(&S, big, sizeof(big));  /* longer than any message */
	assert_int_equal(S.last_ignore, CLIENT_LOG_MALFORMED);
	sim_user(&S, CLIENT_EV_STOP, false);
	sim_user(&S, CLIENT_EV_STOP, false);
	sim_user(&S, CLIENT_EV_RELEASE, false);
	assert_true(sim_only_logs(&S));

	/* A renew cuts the start-up wait of INIT-REBOOT short. */
	sim_config(&cfg);
	cfg.initial_delay_max_ms = 10 * SEC;
	for (uint64_t seed = 71; seed < 80; seed++) {
		sim_init(&S, &cfg, &l, seed, 1000);
		sim_start(&S);
		if (client_state(&S.c) == CLIENT_INIT_REBOOT)
			break;
	}
	assert_state(CLIENT_INIT_REBOOT);
	sim_user(&S, CLIENT_EV_RENEW, false);
	assert_state(CLIENT_REBOOTING);
	assert_int_equal(sim_last(&S)->m.type, DHCPREQUEST);
}

static void test_nak_backoff_is_capped(void **state)
{
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct reply n = sim_reply_default(DHCPNAK, 0);
	struct sim_msg *d;
	uint64_t wait = 0;

	(void)state;
	start_default(81);
	for (int i = 0; i < 10; i++) {
		d = sim_next_send(&S, 2 * MIN);
		if (i == 0)
			d = sim_last(&S);
		assert_int_equal(d->m.type, DHCPDISCOVER);
		sim_answer(&S, d, &r);
		sim_answer(&S, sim_last(&S), &n);
		wait = client_deadline(&S.c) - S.now;
		assert_true(wait <= CLIENT_NAK_BACKOFF_MAX_MS);
	}
	assert_true(wait >= CLIENT_NAK_BACKOFF_MAX_MS / 2);
}

/* A stored lease that runs out while being verified. */
static void test_reboot_until_expiry(void **state)
{
	struct client_lease l = sim_stored_lease(0, 7);   /* expires at 7 s */
	struct sim_msg *d;

	(void)state;
	start_stored(&l, 82);
	assert_state(CLIENT_REBOOTING);
	assert_true(client_deadline(&S.c) <= 7 * SEC);
	d = sim_next_send(&S, MIN);
	if (d->m.type == DHCPREQUEST)
		d = sim_next_send(&S, MIN);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	assert_int_equal(d->at, 7 * SEC);
	assert_false(S.stored);
	assert_int_equal(msg_ip(d, DHCP_OPT_REQUESTED_IP), ADDR1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dora),
		cmocka_unit_test(test_routers_without_routes),
		cmocka_unit_test(test_renew_at_t1_unicast),
		cmocka_unit_test(test_renew_retries_then_rebind_broadcast),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_nak_requesting),
		cmocka_unit_test(test_nak_ignored_outside_exchanges),
		cmocka_unit_test(test_nak_checking_ignored),
		cmocka_unit_test(test_nak_renewing_and_rebinding),
		cmocka_unit_test(test_discover_backoff),
		cmocka_unit_test(test_request_retries_then_init),
		cmocka_unit_test(test_init_reboot_ok),
		cmocka_unit_test(test_init_reboot_nak),
		cmocka_unit_test(test_init_reboot_no_answer),
		cmocka_unit_test(test_release_stored),
		cmocka_unit_test(test_stored_lease_unusable),
		cmocka_unit_test(test_acd_conflict_decline_new_address),
		cmocka_unit_test(test_acd_rate_limit),
		cmocka_unit_test(test_acd_rfc5227_timing),
		cmocka_unit_test(test_acd_defend_then_give_up),
		cmocka_unit_test(test_rapid_commit_two_messages),
		cmocka_unit_test(test_rapid_commit_four_way),
		cmocka_unit_test(test_ipv6_only_preferred),
		cmocka_unit_test(test_multiple_offers_first_wins),
		cmocka_unit_test(test_offer_without_server_id_then_good),
		cmocka_unit_test(test_t1_t2_options),
		cmocka_unit_test(test_infinite_lease),
		cmocka_unit_test(test_short_lease_dies_while_probing),
		cmocka_unit_test(test_stale_ack_ignored),
		cmocka_unit_test(test_link_down_keeps_lease_then_reboots),
		cmocka_unit_test(test_link_down_until_expiry),
		cmocka_unit_test(test_link_flap_reboot_unanswered_keeps_lease),
		cmocka_unit_test(test_user_renew_release_stop),
		cmocka_unit_test(test_late_event_runs_timer_first),
		cmocka_unit_test(test_early_timer_and_clock),
		cmocka_unit_test(test_config_checks),
		cmocka_unit_test(test_initial_delay),
		cmocka_unit_test(test_odd_events),
		cmocka_unit_test(test_nak_backoff_is_capped),
		cmocka_unit_test(test_reboot_until_expiry),
	};

	return cmocka_run_group_tests_name("client_flow", tests, NULL, NULL);
}
