/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every "ignore" rule, each in the states where it applies: the bad message
 * changes nothing (same state, same deadline, no action but a LOG carrying
 * the rule's code), and a good message right after it is taken, so no rule
 * can wedge the client.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"

static struct sim S;

typedef void (*spoil_fn)(struct reply *r);

struct rule {
	const char *name;
	spoil_fn spoil;
	enum client_log_code code;
};

static void xid(struct reply *r) { r->xid_xor = 0x01000000; }
static void chaddr(struct reply *r) { r->other_chaddr = true; }
static void op_request(struct reply *r) { r->op = BOOTREQUEST; }
static void no_sid(struct reply *r) { r->has_server_id = false; }
static void sid_zero(struct reply *r) { r->server_id = 0; }
static void sid_loop(struct reply *r) { r->server_id = IP4(127, 0, 0, 1); }
static void sid_mcast(struct reply *r) { r->server_id = IP4(224, 0, 0, 1); }
static void sid_bcast(struct reply *r) { r->server_id = UINT32_MAX; }
static void no_lease(struct reply *r) { r->has_lease = false; }
static void lease_zero(struct reply *r) { r->lease_s = 0; }
static void mask_holey(struct reply *r) { r->mask = IP4(255, 0, 255, 0); }
static void mask_zero(struct reply *r) { r->mask = 0; }
static void mask_odd(struct reply *r) { r->mask = IP4(255, 255, 255, 1); }
static void yi_zero(struct reply *r) { r->yiaddr = 0; }
static void yi_this(struct reply *r) { r->yiaddr = IP4(0, 1, 2, 3); }
static void yi_loop(struct reply *r) { r->yiaddr = IP4(127, 0, 0, 1); }
static void yi_mcast(struct reply *r) { r->yiaddr = IP4(224, 0, 0, 5); }
static void yi_class_e(struct reply *r) { r->yiaddr = IP4(240, 0, 0, 1); }
static void yi_bcast(struct reply *r) { r->yiaddr = UINT32_MAX; }
static void yi_network(struct reply *r) { r->yiaddr = IP4(192, 0, 2, 0); }
static void yi_subnet_bcast(struct reply *r) { r->yiaddr = IP4(192, 0, 2, 255); }
static void yi_classful_bcast(struct reply *r)
{
	r->has_mask = false;    /* classful /24 for 192.0.2.0 */
	r->yiaddr = IP4(192, 0, 2, 255);
}
static void type_discover(struct reply *r) { r->type = DHCPDISCOVER; }
static void type_inform(struct reply *r) { r->type = DHCPINFORM; }
static void type_forcerenew(struct reply *r) { r->type = DHCPFORCERENEW; }
static void type_leasequery(struct reply *r) { r->type = DHCPLEASEACTIVE; }

/* Rules for any OFFER or ACK. */
static const struct rule common_rules[] = {
	{ "wrong xid", xid, CLIENT_LOG_IGN_XID },
	{ "wrong chaddr", chaddr, CLIENT_LOG_IGN_CHADDR },
	{ "BOOTREQUEST", op_request, CLIENT_LOG_IGN_NOT_REPLY },
	{ "no server id", no_sid, CLIENT_LOG_IGN_NO_SERVER_ID },
	{ "server id 0.0.0.0", sid_zero, CLIENT_LOG_IGN_BAD_SERVER_ID },
	{ "server id 127.0.0.1", sid_loop, CLIENT_LOG_IGN_BAD_SERVER_ID },
	{ "server id 224.0.0.1", sid_mcast, CLIENT_LOG_IGN_BAD_SERVER_ID },
	{ "server id 255.255.255.255", sid_bcast, CLIENT_LOG_IGN_BAD_SERVER_ID },
	{ "no lease time", no_lease, CLIENT_LOG_IGN_NO_LEASE_TIME },
	{ "lease time 0", lease_zero, CLIENT_LOG_IGN_LEASE_ZERO },
	{ "mask 255.0.255.0", mask_holey, CLIENT_LOG_IGN_BAD_MASK },
	{ "mask 0.0.0.0", mask_zero, CLIENT_LOG_IGN_BAD_MASK },
	{ "mask 255.255.255.1", mask_odd, CLIENT_LOG_IGN_BAD_MASK },
	{ "yiaddr 0.0.0.0", yi_zero, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "yiaddr 0/8", yi_this, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "yiaddr 127/8", yi_loop, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "yiaddr 224/4", yi_mcast, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "yiaddr 240/4", yi_class_e, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "yiaddr 255.255.255.255", yi_bcast, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "yiaddr = network", yi_network, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "yiaddr = subnet broadcast", yi_subnet_bcast, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "yiaddr = classful broadcast", yi_classful_bcast, CLIENT_LOG_IGN_BAD_YIADDR },
	{ "type DISCOVER", type_discover, CLIENT_LOG_IGN_UNEXPECTED },
	{ "type INFORM", type_inform, CLIENT_LOG_IGN_UNEXPECTED },
	{ "type FORCERENEW", type_forcerenew, CLIENT_LOG_IGN_UNEXPECTED },
	{ "type LEASEACTIVE", type_leasequery, CLIENT_LOG_IGN_UNEXPECTED },
};
#define N_COMMON (sizeof(common_rules) / sizeof(common_rules[0]))

/* Deliver r spoiled; check nothing happened but a LOG with the code. */
static void expect_ignored(const struct sim_msg *req, struct reply r, const struct rule *rule)
{
	enum client_state st = client_state(&S.c);
	uint64_t deadline = client_deadline(&S.c);
	unsigned before = S.ignored[rule->code];

	rule->spoil(&r);
	sim_answer(&S, req, &r);
	if (client_state(&S.c) != st || client_deadline(&S.c) != deadline ||
	    !sim_only_logs(&S) || S.out.n != 1 || S.ignored[rule->code] != before + 1)
		fail_msg("rule \"%s\" (%s): state %s, %zu actions, last code %s", rule->name,
			 client_state_name(st), client_state_name(client_state(&S.c)),
			 S.out.n, client_log_code_name(S.last_ignore));
}

static void test_offer_rules(void **state)
{
	struct client_config cfg;
	struct reply good = sim_reply_default(DHCPOFFER, ADDR1);

	(void)state;
	sim_config(&cfg);
	for (size_t i = 0; i < N_COMMON; i++) {
		sim_init(&S, &cfg, NULL, 100 + i, 1000);
		sim_start(&S);
		expect_ignored(sim_last(&S), good, &common_rules[i]);
		/* Then a good one is taken: the rule never wedges. */
		sim_answer(&S, sim_last(&S), &good);
		assert_int_equal(client_state(&S.c), CLIENT_REQUESTING);
	}
}

static void wrong_server(struct reply *r) { r->server_id = SRV2_ID; }
static void wrong_yiaddr(struct reply *r) { r->yiaddr = ADDR2; }

static const struct rule ack_rules[] = {
	{ "ACK from another server", wrong_server, CLIENT_LOG_IGN_WRONG_SERVER },
	{ "ACK for another address", wrong_yiaddr, CLIENT_LOG_IGN_WRONG_YIADDR },
};

static void test_ack_rules_requesting(void **state)
{
	struct client_config cfg;
	struct reply good = sim_reply_default(DHCPOFFER, ADDR1);
	struct sim_msg *q;

	(void)state;
	sim_config(&cfg);
	for (size_t i = 0; i < N_COMMON + 2; i++) {
		const struct rule *rule = i < N_COMMON ? &common_rules[i] : &ack_rules[i - N_COMMON];

		sim_init(&S, &cfg, NULL, 200 + i, 1000);
		sim_start(&S);
		good.type = DHCPOFFER;
		sim_answer(&S, sim_last(&S), &good);
		q = sim_last(&S);
		good.type = DHCPACK;
		expect_ignored(q, good, rule);
		sim_answer(&S, q, &good);
		assert_int_equal(client_state(&S.c), CLIENT_CHECKING);
	}
}

static void test_ack_rules_renewing(void **state)
{
	struct client_config cfg;
	struct reply good = sim_reply_default(DHCPACK, ADDR1);
	struct sim_msg *q;

	(void)state;
	sim_config(&cfg);
	for (size_t i = 0; i < N_COMMON + 2; i++) {
		const struct rule *rule = i < N_COMMON ? &common_rules[i] : &ack_rules[i - N_COMMON];

		sim_init(&S, &cfg, NULL, 300 + i, 1000);
		sim_dora(&S, ADDR1, 3600);
		q = sim_next_send(&S, 2 * HOUR);
		assert_int_equal(client_state(&S.c), CLIENT_RENEWING);
		expect_ignored(q, good, rule);
		assert_true(S.configured);
		sim_answer(&S, q, &good);
		assert_int_equal(client_state(&S.c), CLIENT_BOUND);
	}
}

/* Subnets where the all-zeros and all-ones hosts are ordinary addresses. */
static void test_usable_edge_subnets(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, IP4(192, 0, 2, 0));

	(void)state;
	sim_config(&cfg);
	sim_init(&S, &cfg, NULL, 400, 1000);
	sim_start(&S);
	r.mask = IP4(255, 255, 255, 254);          /* RFC 3021 /31 */
	sim_answer(&S, sim_last(&S), &r);
	assert_int_equal(client_state(&S.c), CLIENT_REQUESTING);

	sim_init(&S, &cfg, NULL, 401, 1000);
	sim_start(&S);
	r.yiaddr = IP4(198, 51, 100, 255);
	r.mask = UINT32_MAX;                        /* /32 */
	sim_answer(&S, sim_last(&S), &r);
	assert_int_equal(client_state(&S.c), CLIENT_REQUESTING);
}

/* No or broken message type: the parser refuses it before the engine. */
static size_t find_option(const uint8_t *b, size_t len, uint8_t code)
{
	size_t i = DHCP_OPTIONS_OFF;

	while (i + 1 < len && b[i] != DHCP_OPT_END) {
		if (b[i] == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (b[i] == code)
			return i;
		i += 2u + b[i + 1];
	}
	return 0;
}

static void test_message_type_broken(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	static struct dhcp_out o;
	static struct dhcp_msg m;
	uint8_t buf[1500];
	size_t len, at;
	struct wire_error err;
	const uint8_t values[] = { 0, 19, 200 };

	(void)state;
	sim_config(&cfg);
	sim_init(&S, &cfg, NULL, 500, 1000);
	sim_start(&S);
	sim_compose(sim_last(&S), &r, &o);
	assert_int_equal(dhcp_build(&o, NULL, 0, buf, sizeof(buf), &len, &err), WIRE_OK);
	at = find_option(buf, len, DHCP_OPT_MSG_TYPE);
	assert_true(at > 0);
	for (size_t i = 0; i < sizeof(values); i++) {
		buf[at + 2] = values[i];
		sim_receive_raw(&S, buf, len);
		assert_int_equal(client_state(&S.c), CLIENT_SELECTING);
		assert_true(sim_only_logs(&S));
		assert_int_equal(S.last_ignore, CLIENT_LOG_MALFORMED);
	}
	buf[at] = DHCP_OPT_PAD;      /* no type at all (and a stray byte) */
	buf[at + 1] = DHCP_OPT_PAD;
	buf[at + 2] = DHCP_OPT_PAD;
	sim_receive_raw(&S, buf, len);
	assert_int_equal(S.last_ignore, CLIENT_LOG_MALFORMED);
	sim_receive_raw(&S, buf, 100);                /* truncated */
	assert_int_equal(S.last_ignore, CLIENT_LOG_MALFORMED);

	/* A view built by hand (not by dhcp_parse) with a type the table
	 * does not know: the engine still refuses it. */
	buf[at] = DHCP_OPT_MSG_TYPE;
	buf[at + 1] = 1;
	buf[at + 2] = DHCPOFFER;
	assert_int_equal(dhcp_parse(buf, len, o.pool, sizeof(o.pool), &m, &err), WIRE_OK);
	m.type = 0;
	{
		struct client_event ev = { .type = CLIENT_EV_FRAME, .u.msg = &m };

		sim_event(&S, &ev);
	}
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_TYPE);
	assert_int_equal(client_state(&S.c), CLIENT_SELECTING);
	/* The original bytes, intact, are taken. */
	sim_receive_raw(&S, buf, len);
	assert_int_equal(client_state(&S.c), CLIENT_REQUESTING);
}

/*
 * A known option that breaks its rule (MTU 26 with a value under 68, or
 * turned into option 23 whose length must be 1) is dropped and reported
 * once; the message is still used, and the options after it are intact.
 */
static void test_bad_option_dropped_and_reported(void **state)
{
	static const struct { uint8_t code, value; const char *why; } spoils[] = {
		{ DHCP_OPT_MTU, 10, "option 26 at offset" },
		{ 23, 0x05, "option 23 at offset" },
	};
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPOFFER, ADDR1);
	static struct dhcp_out o;
	uint8_t buf[1500];
	size_t len, at;
	struct wire_error err;

	(void)state;
	r.options = true;
	for (size_t i = 0; i < sizeof(spoils) / sizeof(spoils[0]); i++) {
		sim_config(&cfg);
		sim_init(&S, &cfg, NULL, 700 + i, 1000);
		sim_start(&S);
		sim_compose(sim_last(&S), &r, &o);
		assert_int_equal(dhcp_build(&o, NULL, 0, buf, sizeof(buf), &len, &err), WIRE_OK);
		at = find_option(buf, len, DHCP_OPT_MTU);
		assert_true(at > 0 && buf[at + 1] == 2);
		buf[at] = spoils[i].code;
		buf[at + 2] = 0;
		buf[at + 3] = spoils[i].value;
		sim_receive_raw(&S, buf, len);
		assert_int_equal(client_state(&S.c), CLIENT_REQUESTING);
		assert_true(sim_logged(&S, "dropped 1 malformed option(s)"));
		assert_true(sim_logged(&S, spoils[i].why));
		assert_true(msg_has(sim_last(&S), DHCP_OPT_REQUESTED_IP));
		assert_int_equal(msg_ip(sim_last(&S), DHCP_OPT_REQUESTED_IP), ADDR1);
	}
}

/*
 * STYLE.md "What we do" 4: a flood of malformed messages is counted in
 * full but logged at most 5 times per 10 s; the first line of the next
 * window says how many were left out.
 */
static void test_malformed_flood_rate_limited(void **state)
{
	struct client_config cfg;
	static const uint8_t junk[100];
	uint64_t ignored0;
	size_t logged = 0;

	(void)state;
	sim_config(&cfg);
	sim_init(&S, &cfg, NULL, 800, 1000);
	sim_start(&S);
	ignored0 = S.c.stats.ignored;
	for (unsigned i = 0; i < 1000; i++) {
		S.now += 5;                      /* 1,000 in 5 s */
		sim_receive_raw(&S, junk, sizeof(junk));
		for (size_t a = 0; a < S.out.n; a++)
			logged += S.out.a[a].type == CLIENT_ACT_LOG &&
				  S.out.a[a].u.log.code == CLIENT_LOG_MALFORMED;
	}
	assert_int_equal(logged, 5);
	assert_int_equal(S.c.stats.ignored - ignored0, 1000);
	assert_int_equal(S.c.stats.unlogged, 995);
	assert_int_equal(client_state(&S.c), CLIENT_SELECTING);
	S.now += 10000;
	sim_receive_raw(&S, junk, sizeof(junk));
	assert_true(sim_logged(&S, "malformed message"));
	assert_true(sim_logged(&S, "(and 995 more like it not logged in 10 s)"));
	/* A different log code has its own window. */
	assert_int_equal(S.c.warn[CLIENT_LOG_OPT_DROPPED].logged, 0);
	/* Frames the daemon dropped (framing) share the mechanism. */
	logged = 0;
	for (unsigned i = 0; i < 20; i++) {
		client_frame_dropped(&S.c, "UDP checksum", S.now, &S.out);
		logged += S.out.n;
		assert_true(S.out.n == 0 || S.out.a[0].u.log.code == CLIENT_LOG_FRAME_DROPPED);
	}
	assert_int_equal(logged, 5);
	assert_int_equal(S.c.stats.unlogged, 995 + 15);
}

/* Messages outside any exchange: the idle states ignore everything. */
static void test_idle_states_ignore(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPACK, ADDR1);
	struct sim_msg *q;

	(void)state;
	sim_config(&cfg);
	sim_init(&S, &cfg, NULL, 600, 1000);
	sim_dora(&S, ADDR1, 3600);
	q = sim_last(&S);
	sim_answer(&S, q, &r);           /* a duplicate ACK in BOUND */
	assert_true(sim_only_logs(&S));
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_UNEXPECTED);
	sim_link(&S, false);
	sim_answer(&S, q, &r);           /* and in LINK-DOWN */
	assert_true(sim_only_logs(&S));
	assert_int_equal(client_state(&S.c), CLIENT_LINK_DOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offer_rules),
		cmocka_unit_test(test_ack_rules_requesting),
		cmocka_unit_test(test_ack_rules_renewing),
		cmocka_unit_test(test_usable_edge_subnets),
		cmocka_unit_test(test_message_type_broken),
		cmocka_unit_test(test_idle_states_ignore),
		cmocka_unit_test(test_bad_option_dropped_and_reported),
		cmocka_unit_test(test_malformed_flood_rate_limited),
	};

	return cmocka_run_group_tests_name("client_ignore", tests, NULL, NULL);
}
