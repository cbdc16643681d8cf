/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What goes on the wire: RFC 2131 table 5 for each message in each state,
 * the anonymity profile (RFC 7844 section 3) rule by rule, and the small
 * pure helpers (PRNG, address rules, lease times, ACD timers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "client/internal.h"
#include "sim.h"

static struct sim S;

static void full_config(struct client_config *cfg)
{
	static const uint8_t id[] = { 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01 };

	sim_config(cfg);
	cfg->id_mode = CLIENT_ID_RAW;
	memcpy(cfg->client_id, id, sizeof(id));
	cfg->client_id_len = sizeof(id);
	strcpy(cfg->hostname, "host1");
	memcpy(cfg->vendor_class, "lessee", 6);
	cfg->vendor_class_len = 6;
	cfg->prl_extra[0] = DHCP_OPT_WPAD;
	cfg->prl_extra[1] = DHCP_OPT_NTP;        /* already there: not twice */
	cfg->n_prl_extra = 2;
	cfg->max_msg_size = 1400;
}

static void prl_of(const struct sim_msg *mm, uint8_t *prl, size_t *n)
{
	const uint8_t *p;

	assert_true(dhcp_get_bytes(&mm->m, DHCP_OPT_PRL, &p, n));
	memcpy(prl, p, *n);
}

/* The fields every client message has (table 5 rows op .. giaddr). */
static void check_fixed(const struct sim_msg *mm)
{
	assert_int_equal(mm->m.hdr.op, BOOTREQUEST);
	assert_int_equal(mm->m.hdr.htype, 1);
	assert_int_equal(mm->m.hdr.hlen, 6);
	assert_int_equal(mm->m.hdr.hops, 0);
	assert_int_equal(mm->m.hdr.yiaddr, 0);
	assert_int_equal(mm->m.hdr.siaddr, 0);
	assert_int_equal(mm->m.hdr.giaddr, 0);
	assert_memory_equal(mm->m.hdr.chaddr, sim_mac, 6);
	assert_false(msg_has(mm, DHCP_OPT_OVERLOAD));
	assert_true(mm->len >= BOOTP_MIN_LEN);
}

static void check_identity(const struct sim_msg *mm)
{
	const uint8_t *p;
	size_t n;

	assert_true(dhcp_get_bytes(&mm->m, DHCP_OPT_CLIENT_ID, &p, &n));
	assert_int_equal(n, 7);
	assert_true(dhcp_get_bytes(&mm->m, DHCP_OPT_HOSTNAME, &p, &n));
	assert_memory_equal(p, "host1", 5);
	assert_true(dhcp_get_bytes(&mm->m, DHCP_OPT_VENDOR_CLASS, &p, &n));
	assert_int_equal(n, 6);
}

/* DISCOVER and REQUEST in SELECTING; RFC 2131 3.5: the same PRL. */
static void test_table5_discover_and_request(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *d, *q;
	uint8_t prl_d[64], prl_q[64];
	size_t nd, nq;
	uint16_t mms;

	(void)state;
	full_config(&cfg);
	sim_init(&S, &cfg, NULL, 1, 1000);
	sim_start(&S);
	d = sim_last(&S);
	check_fixed(d);
	check_identity(d);
	assert_int_equal(d->m.order[0], DHCP_OPT_MSG_TYPE);
	assert_int_equal(d->m.hdr.ciaddr, 0);
	assert_int_equal(d->m.hdr.flags, 0);
	assert_true(dhcp_get_u16(&d->m, DHCP_OPT_MAX_MSG_SIZE, &mms));
	assert_int_equal(mms, 1400);
	assert_false(msg_has(d, DHCP_OPT_SERVER_ID));      /* MUST NOT */
	assert_false(msg_has(d, DHCP_OPT_REQUESTED_IP));   /* nothing to ask */
	assert_false(msg_has(d, DHCP_OPT_MESSAGE));        /* SHOULD NOT */
	assert_false(msg_has(d, DHCP_OPT_LEASE_TIME));
	assert_false(msg_has(d, DHCP_OPT_RAPID_COMMIT));
	prl_of(d, prl_d, &nd);
	assert_non_null(memchr(prl_d, DHCP_OPT_WPAD, nd));
	assert_non_null(memchr(prl_d, DHCP_OPT_CLASSLESS_ROUTE, nd));
	for (size_t i = 0; i < nd; i++)
		for (size_t j = i + 1; j < nd; j++)
			assert_int_not_equal(prl_d[i], prl_d[j]);

	sim_answer(&S, d, &r);
	q = sim_last(&S);
	check_fixed(q);
	check_identity(q);
	assert_int_equal(q->m.hdr.ciaddr, 0);
	assert_int_equal(msg_ip(q, DHCP_OPT_SERVER_ID), SRV_ID);       /* MUST */
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);     /* MUST */
	assert_false(msg_has(q, DHCP_OPT_MESSAGE));
	prl_of(q, prl_q, &nq);
	assert_int_equal(nq, nd);
	assert_memory_equal(prl_q, prl_d, nd);
}

static void test_table5_reboot_renew_rebind(void **state)
{
	struct client_config cfg;
	struct sim_msg *q;

	(void)state;
	full_config(&cfg);
	cfg.broadcast_flag = true;
	sim_init(&S, &cfg, NULL, 2, 1000);
	sim_dora(&S, ADDR1, 3600);
	/* RENEWING: ciaddr, no 50, no 54, unicast, no broadcast flag. */
	q = sim_next_send(&S, 2 * HOUR);
	check_fixed(q);
	check_identity(q);
	assert_int_equal(q->m.hdr.ciaddr, ADDR1);
	assert_int_equal(q->m.hdr.flags, 0);
	assert_false(msg_has(q, DHCP_OPT_SERVER_ID));
	assert_false(msg_has(q, DHCP_OPT_REQUESTED_IP));
	assert_int_equal(q->dest, CLIENT_DEST_UNICAST);
	/* REBINDING: the same fields, broadcast. */
	assert_true(sim_run_to_state(&S, CLIENT_REBINDING, 2 * HOUR));
	q = sim_last(&S);
	check_fixed(q);
	assert_int_equal(q->m.hdr.ciaddr, ADDR1);
	assert_false(msg_has(q, DHCP_OPT_SERVER_ID));
	assert_false(msg_has(q, DHCP_OPT_REQUESTED_IP));
	assert_int_equal(q->dest, CLIENT_DEST_BROADCAST);
	/* INIT-REBOOT: no ciaddr, 50 MUST, 54 MUST NOT; broadcast flag kept. */
	sim_link(&S, false);
	sim_link(&S, true);
	q = sim_last(&S);
	check_fixed(q);
	assert_int_equal(q->m.hdr.ciaddr, 0);
	assert_int_equal(q->m.hdr.flags, DHCP_FLAG_BROADCAST);
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);
	assert_false(msg_has(q, DHCP_OPT_SERVER_ID));
}

static void test_table5_decline_release(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q, *x;
	const uint8_t *p;
	size_t n;

	(void)state;
	full_config(&cfg);
	sim_init(&S, &cfg, NULL, 3, 1000);
	sim_start(&S);
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	sim_conflict(&S, ADDR1, sim_other_mac);
	x = sim_last(&S);
	check_fixed(x);
	assert_int_equal(x->m.type, DHCPDECLINE);
	assert_int_equal(x->m.hdr.ciaddr, 0);
	assert_int_equal(x->m.hdr.secs, 0);
	assert_int_not_equal(x->m.hdr.xid, q->m.hdr.xid);   /* "selected by client" */
	assert_int_equal(msg_ip(x, DHCP_OPT_REQUESTED_IP), ADDR1);   /* MUST */
	assert_int_equal(msg_ip(x, DHCP_OPT_SERVER_ID), SRV_ID);     /* MUST */
	assert_true(msg_has(x, DHCP_OPT_CLIENT_ID));                 /* MAY */
	assert_true(dhcp_get_bytes(&x->m, DHCP_OPT_MESSAGE, &p, &n)); /* SHOULD */
	assert_false(msg_has(x, DHCP_OPT_LEASE_TIME));     /* MUST NOT ... */
	assert_false(msg_has(x, DHCP_OPT_VENDOR_CLASS));
	assert_false(msg_has(x, DHCP_OPT_PRL));
	assert_false(msg_has(x, DHCP_OPT_MAX_MSG_SIZE));
	assert_false(msg_has(x, DHCP_OPT_HOSTNAME));       /* "all others" */
	assert_int_equal(x->dest, CLIENT_DEST_BROADCAST);

	sim_init(&S, &cfg, NULL, 4, 1000);
	sim_dora(&S, ADDR1, 3600);
	sim_user(&S, CLIENT_EV_RELEASE, false);
	x = sim_last(&S);
	check_fixed(x);
	assert_int_equal(x->m.type, DHCPRELEASE);
	assert_int_equal(x->m.hdr.ciaddr, ADDR1);
	assert_int_equal(x->m.hdr.secs, 0);
	assert_int_equal(msg_ip(x, DHCP_OPT_SERVER_ID), SRV_ID);
	assert_true(msg_has(x, DHCP_OPT_CLIENT_ID));
	assert_true(msg_has(x, DHCP_OPT_MESSAGE));
	assert_false(msg_has(x, DHCP_OPT_REQUESTED_IP));
	assert_false(msg_has(x, DHCP_OPT_LEASE_TIME));
	assert_false(msg_has(x, DHCP_OPT_VENDOR_CLASS));
	assert_false(msg_has(x, DHCP_OPT_PRL));
	assert_false(msg_has(x, DHCP_OPT_MAX_MSG_SIZE));
	assert_false(msg_has(x, DHCP_OPT_HOSTNAME));
	assert_int_equal(x->dest, CLIENT_DEST_UNICAST);
	assert_int_equal(x->dst_ip, SRV_ID);
}

static void test_client_id_modes(void **state)
{
	struct client_config cfg;
	const uint8_t *p;
	size_t n;

	(void)state;
	sim_config(&cfg);   /* default: type 1 + MAC (RFC 2132 9.14) */
	sim_init(&S, &cfg, NULL, 5, 1000);
	sim_start(&S);
	assert_true(dhcp_get_bytes(&sim_last(&S)->m, DHCP_OPT_CLIENT_ID, &p, &n));
	assert_int_equal(n, 7);
	assert_int_equal(p[0], 1);
	assert_memory_equal(p + 1, sim_mac, 6);
	cfg.id_mode = CLIENT_ID_NONE;
	sim_init(&S, &cfg, NULL, 6, 1000);
	sim_start(&S);
	assert_false(msg_has(sim_last(&S), DHCP_OPT_CLIENT_ID));
}

/* ---- RFC 7844 section 3 ------------------------------------------------- */

static const uint8_t identifying[] = {
	DHCP_OPT_CLIENT_ID,      /* 3.5 */
	DHCP_OPT_HOSTNAME,       /* 3.7 */
	DHCP_OPT_FQDN,           /* 3.8 */
	97,                      /* 3.9 client machine id (RFC 4578) */
	DHCP_OPT_VENDOR_CLASS,   /* 3.10 */
	DHCP_OPT_USER_CLASS,     /* 3.10 */
	124, 125,                /* vendor-identifying classes (RFC 3925) */
	DHCP_OPT_MAX_MSG_SIZE,   /* a fingerprint nobody needs */
	DHCP_OPT_MESSAGE,
};

static void anon_config(struct client_config *cfg)
{
	full_config(cfg);
	cfg->id_mode = CLIENT_ID_MAC;
	cfg->anonymous = true;
}

static void check_anonymous(const struct sim_msg *mm)
{
	uint8_t prl[64];
	size_t n;
	static const uint8_t minimal[] = { 1, 3, 6, 15, 119, 121 };

	for (size_t i = 0; i < sizeof(identifying); i++)
		if (msg_has(mm, identifying[i]))
			fail_msg("anonymous %s carries option %u",
				 dhcp_msg_type_name(mm->m.type), identifying[i]);
	if (mm->m.type == DHCPDISCOVER || mm->m.type == DHCPREQUEST) {
		prl_of(mm, prl, &n);
		assert_int_equal(n, sizeof(minimal));   /* 3.6: minimal, no extras */
		for (size_t i = 0; i < n; i++)
			assert_non_null(memchr(minimal, prl[i], sizeof(minimal)));
	}
}

static void test_anonymous_messages(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q;

	(void)state;
	anon_config(&cfg);
	sim_init(&S, &cfg, NULL, 7, 1000);
	sim_start(&S);
	check_anonymous(sim_last(&S));
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	check_anonymous(q);
	assert_int_equal(msg_ip(q, DHCP_OPT_REQUESTED_IP), ADDR1);   /* still MUST */
	assert_int_equal(msg_ip(q, DHCP_OPT_SERVER_ID), SRV_ID);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	assert_true(sim_run_to_state(&S, CLIENT_BOUND, SEC));
	q = sim_next_send(&S, 2 * HOUR);     /* renew: ciaddr, lease got with our MAC */
	check_anonymous(q);
	assert_int_equal(q->m.hdr.ciaddr, ADDR1);
	/* Expiry: the next DISCOVER does not ask for the old address (3.3). */
	while (S.configured)
		sim_next_send(&S, HOUR);
	q = sim_last(&S);
	assert_int_equal(q->m.type, DHCPDISCOVER);
	assert_false(msg_has(q, DHCP_OPT_REQUESTED_IP));
	check_anonymous(q);
}

static void test_anonymous_decline_and_no_release(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q;
	uint64_t sent;

	(void)state;
	anon_config(&cfg);
	sim_init(&S, &cfg, NULL, 8, 1000);
	sim_start(&S);
	sim_answer(&S, sim_last(&S), &r);
	q = sim_last(&S);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	sim_conflict(&S, ADDR1, sim_other_mac);
	q = sim_last(&S);
	assert_int_equal(q->m.type, DHCPDECLINE);
	check_anonymous(q);

	sim_init(&S, &cfg, NULL, 9, 1000);
	sim_dora(&S, ADDR1, 3600);
	sent = S.n_sent;
	sim_user(&S, CLIENT_EV_RELEASE, false);
	assert_int_equal(S.n_sent, sent);      /* no RELEASE */
	assert_false(S.configured);
	assert_false(S.stored);
	assert_true(S.stopped);
}

static void test_anonymous_ignores_stored_lease(void **state)
{
	struct client_config cfg;
	struct client_lease l = sim_stored_lease(0, 3600);

	(void)state;
	anon_config(&cfg);
	sim_init(&S, &cfg, &l, 10, 1000);
	sim_start(&S);
	assert_int_equal(client_state(&S.c), CLIENT_SELECTING);   /* no INIT-REBOOT */
	assert_false(msg_has(sim_last(&S), DHCP_OPT_REQUESTED_IP));
	/* The same lease without anonymity is verified. */
	cfg.anonymous = false;
	sim_init(&S, &cfg, &l, 11, 1000);
	sim_start(&S);
	assert_int_equal(client_state(&S.c), CLIENT_REBOOTING);
}

static bool same_order(const struct sim_msg *a, const struct sim_msg *b)
{
	return a->m.n_order == b->m.n_order &&
	       memcmp(a->m.order, b->m.order, a->m.n_order) == 0;
}

/* RFC 7844 3.1 and 3.6: option and PRL order random per message. */
static void test_anonymous_shuffled_order(void **state)
{
	struct client_config cfg;
	static struct sim_msg prev;
	uint8_t prl_prev[64], prl[64];
	size_t n_prev, n;
	int order_changes = 0, prl_changes = 0;

	(void)state;
	anon_config(&cfg);
	sim_init(&S, &cfg, NULL, 12, 1000);
	sim_start(&S);
	prev.m = sim_last(&S)->m;
	prl_of(sim_last(&S), prl_prev, &n_prev);
	for (int i = 0; i < 16; i++) {
		struct sim_msg *d = sim_next_send(&S, 2 * MIN);

		check_anonymous(d);
		prl_of(d, prl, &n);
		order_changes += !same_order(&prev, d);
		prl_changes += memcmp(prl, prl_prev, n) != 0;
		prev.m.n_order = d->m.n_order;
		memcpy(prev.m.order, d->m.order, sizeof(prev.m.order));
		memcpy(prl_prev, prl, n);
	}
	/* A DISCOVER carries 53 and 55 only: two orders, both must show. */
	assert_true(order_changes >= 2);
	/* Six PRL codes: 720 orders, a repeat is rare. */
	assert_true(prl_changes >= 12);

	/* Without anonymity the order is fixed, message type first. */
	full_config(&cfg);
	sim_init(&S, &cfg, NULL, 13, 1000);
	sim_start(&S);
	prev.m.n_order = sim_last(&S)->m.n_order;
	memcpy(prev.m.order, sim_last(&S)->m.order, sizeof(prev.m.order));
	for (int i = 0; i < 4; i++) {
		struct sim_msg *d = sim_next_send(&S, 2 * MIN);

		assert_true(same_order(&prev, d));
		assert_int_equal(d->m.order[0], DHCP_OPT_MSG_TYPE);
	}
}

/* RFC 7844 3.2: no ciaddr from a lease got with another MAC. */
static void test_anonymous_ciaddr_rule(void **state)
{
	struct client_config cfg;
	static struct client_send send;
	struct client_prng rng;
	uint8_t other[6];
	struct client_msg_spec spec = {
		.kind = CLIENT_MSG_REQUEST_RENEWING, .xid = 1, .addr = ADDR1,
		.server_id = SRV_ID, .lease_mac = sim_mac,
	};

	(void)state;
	anon_config(&cfg);
	client_prng_seed(&rng, 1);
	assert_true(client_compose(&cfg, &spec, &rng, &send));
	assert_int_equal(send.msg.hdr.ciaddr, ADDR1);
	memcpy(other, sim_mac, 6);
	other[5] ^= 1;
	spec.lease_mac = other;
	assert_false(client_compose(&cfg, &spec, &rng, &send));
	spec.kind = CLIENT_MSG_RELEASE;
	assert_false(client_compose(&cfg, &spec, &rng, &send));
	cfg.anonymous = false;        /* the rule is the profile's only */
	assert_true(client_compose(&cfg, &spec, &rng, &send));
}

/* ---- pure helpers -------------------------------------------------------- */

static void test_prng(void **state)
{
	struct client_prng a, b;
	uint64_t seen_lo = 0, seen_hi = 0;

	(void)state;
	client_prng_seed(&a, 42);
	client_prng_seed(&b, 42);
	for (int i = 0; i < 100; i++)
		assert_int_equal(client_prng_next(&a), client_prng_next(&b));
	client_prng_seed(&b, 43);
	assert_int_not_equal(client_prng_next(&a), client_prng_next(&b));
	for (int i = 0; i < 10000; i++) {
		uint64_t v = client_prng_range(&a, 3000, 5000);

		assert_true(v >= 3000 && v <= 5000);
		seen_lo += v < 3100;
		seen_hi += v > 4900;
	}
	assert_true(seen_lo > 200 && seen_hi > 200);
	assert_int_equal(client_prng_range(&a, 7, 7), 7);
	assert_int_equal(client_prng_range(&a, 9, 3), 9);
	(void)client_prng_range(&a, 0, UINT64_MAX);
}

static void test_address_rules(void **state)
{
	uint8_t p = 0;

	(void)state;
	assert_true(client_mask_to_prefix(IP4(255, 255, 255, 0), &p));
	assert_int_equal(p, 24);
	assert_true(client_mask_to_prefix(UINT32_MAX, &p));
	assert_int_equal(p, 32);
	assert_true(client_mask_to_prefix(IP4(128, 0, 0, 0), &p));
	assert_int_equal(p, 1);
	assert_false(client_mask_to_prefix(0, &p));
	assert_false(client_mask_to_prefix(IP4(255, 255, 0, 255), &p));
	assert_false(client_mask_to_prefix(IP4(0, 255, 255, 255), &p));
	assert_int_equal(client_classful_prefix(IP4(10, 1, 2, 3)), 8);
	assert_int_equal(client_classful_prefix(IP4(172, 16, 0, 1)), 16);
	assert_int_equal(client_classful_prefix(IP4(192, 0, 2, 1)), 24);
	assert_int_equal(client_classful_prefix(IP4(230, 0, 0, 1)), 32);
	assert_true(client_addr_usable(IP4(10, 0, 0, 1), 8));
	assert_false(client_addr_usable(IP4(10, 0, 0, 0), 8));
	assert_false(client_addr_usable(IP4(10, 255, 255, 255), 8));
	assert_true(client_addr_usable(IP4(10, 0, 0, 0), 31));
	assert_true(client_addr_usable(IP4(10, 0, 0, 1), 31));
	assert_true(client_addr_usable(IP4(10, 0, 0, 0), 32));
	assert_false(client_addr_usable(IP4(10, 0, 0, 1), 0));
	assert_false(client_addr_usable(IP4(127, 0, 0, 1), 32));
	assert_false(client_addr_usable(IP4(0, 0, 0, 1), 32));
	assert_false(client_addr_usable(IP4(224, 0, 0, 1), 32));
	assert_false(client_addr_usable(IP4(239, 255, 255, 255), 32));
	assert_false(client_addr_usable(IP4(240, 0, 0, 1), 32));
	assert_true(client_addr_usable(IP4(223, 255, 255, 254), 24));
	assert_true(client_server_id_usable(IP4(192, 0, 2, 1)));
	assert_false(client_server_id_usable(0));
}

static void test_lease_times(void **state)
{
	uint32_t t1, t2;

	(void)state;
	client_lease_times(3600, false, 0, false, 0, &t1, &t2);
	assert_int_equal(t1, 1800);
	assert_int_equal(t2, 3150);
	client_lease_times(3600, true, 600, true, 900, &t1, &t2);
	assert_int_equal(t1, 600);
	assert_int_equal(t2, 900);
	client_lease_times(3600, true, 600, false, 0, &t1, &t2);
	assert_int_equal(t1, 600);           /* T2 defaults: still ordered */
	assert_int_equal(t2, 3150);
	client_lease_times(3600, true, 3200, false, 0, &t1, &t2);
	assert_int_equal(t1, 1800);          /* T1 past default T2: defaults */
	client_lease_times(3600, true, 900, true, 900, &t1, &t2);
	assert_int_equal(t1, 1800);          /* T1 = T2 is not T1 < T2 */
	client_lease_times(3600, true, 900, true, 3600, &t1, &t2);
	assert_int_equal(t2, 3150);          /* T2 = lease is not T2 < lease */
	client_lease_times(600, true, 0, true, 1, &t1, &t2);
	assert_int_equal(t1, 300);           /* T1 = 0: a renewal storm; defaults */
	assert_int_equal(t2, 525);
	client_lease_times(600, true, 0, false, 0, &t1, &t2);
	assert_int_equal(t1, 300);
	client_lease_times(UINT32_MAX, true, 10, true, 20, &t1, &t2);
	assert_int_equal(t1, UINT32_MAX);    /* infinite: no renewal at all */
	client_lease_times(1, false, 0, false, 0, &t1, &t2);
	assert_int_equal(t1, 0);             /* 500 ms and 875 ms */
}

static void test_acd_delays(void **state)
{
	struct client_prng rng;

	(void)state;
	client_prng_seed(&rng, 5);
	for (int i = 0; i < 1000; i++) {
		uint64_t total = 0;

		for (uint8_t k = 0; k <= CLIENT_ACD_PROBE_NUM; k++) {
			uint64_t d = client_acd_next_delay(CLIENT_ACD_FAST, k, &rng);

			assert_true(d >= 1);
			total += d;
		}
		assert_true(total <= 250);
	}
	assert_int_equal(client_acd_next_delay(CLIENT_ACD_RFC5227, 3, &rng), 2000);
	assert_int_equal(client_acd_restart_delay(1), 10000);
	assert_int_equal(client_acd_restart_delay(CLIENT_ACD_MAX_CONFLICTS), 60000);
}

static void test_classify_every_type(void **state)
{
	(void)state;
	assert_int_equal(client_classify(DHCPOFFER), CLIENT_REPLY_OFFER);
	assert_int_equal(client_classify(DHCPACK), CLIENT_REPLY_ACK);
	assert_int_equal(client_classify(DHCPNAK), CLIENT_REPLY_NAK);
	for (unsigned t = 0; t <= 255; t++)
		if (t != DHCPOFFER && t != DHCPACK && t != DHCPNAK)
			assert_int_equal(client_classify((uint8_t)t), CLIENT_REPLY_OTHER);
}

static void test_names(void **state)
{
	(void)state;
	for (int s = 0; s < CLIENT_STATE_COUNT; s++)
		assert_string_not_equal(client_state_name((enum client_state)s), "?");
	for (int c = 0; c < CLIENT_LOG_CODE_COUNT; c++)
		assert_string_not_equal(client_log_code_name((enum client_log_code)c), "?");
	for (int a = 0; a <= CLIENT_ACT_STOPPED; a++)
		assert_string_not_equal(client_action_name((enum client_action_type)a), "?");
	for (int h = 0; h <= CLIENT_HOOK_RELEASE; h++)
		assert_string_not_equal(client_hook_reason_name((enum client_hook_reason)h), "?");
	assert_string_equal(client_state_name(CLIENT_INIT_REBOOT), "INIT-REBOOT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table5_discover_and_request),
		cmocka_unit_test(test_table5_reboot_renew_rebind),
		cmocka_unit_test(test_table5_decline_release),
		cmocka_unit_test(test_client_id_modes),
		cmocka_unit_test(test_anonymous_messages),
		cmocka_unit_test(test_anonymous_decline_and_no_release),
		cmocka_unit_test(test_anonymous_ignores_stored_lease),
		cmocka_unit_test(test_anonymous_shuffled_order),
		cmocka_unit_test(test_anonymous_ciaddr_rule),
		cmocka_unit_test(test_prng),
		cmocka_unit_test(test_address_rules),
		cmocka_unit_test(test_lease_times),
		cmocka_unit_test(test_acd_delays),
		cmocka_unit_test(test_classify_every_type),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("client_compose", tests, NULL, NULL);
}
