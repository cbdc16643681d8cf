/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the engine does when the daemon refuses a lease (issue 7 follow-up),
 * and the option values it leaves out of a lease it keeps, on a virtual
 * clock against the simulated server:
 *
 *   - a refused lease is forgotten without a message (no RELEASE, no
 *     DECLINE), its server listed for CLIENT_REFUSED_HOLD_MS, a DISCOVER
 *     goes out at once, and the next server's OFFER wins;
 *   - a refused RENEW/REBIND/REBOOT ACK takes the lease in use down too;
 *   - the list is bounded and runs out; refusals back to back back off;
 *   - an MTU under 576, a domain name or search name that is not a host
 *     name are dropped with one warning naming them; the lease stands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"
#include "wire/dns.h"

static struct sim S;

static void start_default(uint64_t seed, enum client_acd_mode acd)
{
	struct client_config cfg;

	sim_config(&cfg);
	cfg.acd = acd;
	sim_init(&S, &cfg, NULL, seed, 1000);
	sim_start(&S);
}

/* Messages of this type the last call sent (the ring holds them parsed). */
static unsigned sends_of(uint8_t type)
{
	size_t k = sim_n(&S, CLIENT_ACT_SEND);
	unsigned n = 0;

	assert_true(k <= SIM_RING);
	for (size_t i = 0; i < k; i++)
		n += S.ring[(S.n_sent - 1 - i) % SIM_RING].m.type == type;
	return n;
}

/* DISCOVER -> OFFER from server -> REQUEST -> ACK -> BOUND (ACD off). */
static void lease_from(struct sim_msg *d, uint32_t server, uint32_t addr)
{
	struct reply r = sim_reply_default(DHCPOFFER, addr);
	struct sim_msg *q;

	assert_non_null(d);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	r.server_id = server;
	sim_answer(&S, d, &r);
	assert_state(CLIENT_REQUESTING);
	q = sim_last(&S);
	assert_int_equal(msg_ip(q, DHCP_OPT_SERVER_ID), server);
	r.type = DHCPACK;
	sim_answer(&S, q, &r);
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.applied.server_id, server);
}

static void offer_from(struct sim_msg *d, uint32_t server, uint32_t addr)
{
	struct reply r = sim_reply_default(DHCPOFFER, addr);

	r.server_id = server;
	sim_answer(&S, d, &r);
}

/* ---- a refused lease ------------------------------------------------------ */

static void test_refused_lease_looks_again(void **state)
{
	struct sim_msg *d;
	uint64_t refused_at;

	(void)state;
	start_default(1, CLIENT_ACD_OFF);
	lease_from(sim_last(&S), SRV_ID, ADDR1);
	S.now += 50;
	refused_at = S.now;
	sim_refuse(&S, ADDR1);
	/* Forgotten, nothing sent to the server, nothing to take down: the
	 * refused lease was never applied. */
	assert_int_equal(sends_of(DHCPRELEASE) + sends_of(DHCPDECLINE), 0);
	assert_int_equal(sim_n(&S, CLIENT_ACT_DECONFIGURE), 0);
	assert_int_equal(sim_n(&S, CLIENT_ACT_DROP_LEASE), 1);
	assert_false(S.stored);
	assert_null(client_lease(&S.c));
	assert_true(sim_logged(&S, "lease of 192.0.2.100 from 192.0.2.1 refused by local policy"));
	/* A new DISCOVER at once, without the refused address as a hint. */
	assert_int_equal(sends_of(DHCPDISCOVER), 1);
	d = sim_last(&S);
	assert_int_equal(d->at, refused_at);
	assert_false(msg_has(d, DHCP_OPT_REQUESTED_IP));
	assert_state(CLIENT_SELECTING);

	/* The refused server's OFFER is ignored, with its own reason... */
	offer_from(d, SRV_ID, ADDR1);
	assert_state(CLIENT_SELECTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_REFUSED_SERVER);
	assert_true(sim_logged(&S, "server-id=192.0.2.1 in SELECTING: the server's last lease "
				   "was refused by local policy"));
	assert_true(sim_only_logs(&S));
	/* ... and the next server's wins. */
	lease_from(d, SRV2_ID, ADDR2);
	assert_int_equal(S.applied.address, ADDR2);
}

/* Rapid commit: a listed server's lone ACK does not bind either. */
static void test_refused_server_rapid_ack_ignored(void **state)
{
	struct client_config cfg;
	struct reply r = sim_reply_default(DHCPACK, ADDR1);

	(void)state;
	sim_config(&cfg);
	cfg.acd = CLIENT_ACD_OFF;
	cfg.rapid_commit = true;
	sim_init(&S, &cfg, NULL, 2, 1000);
	sim_start(&S);
	r.rapid = true;
	sim_answer(&S, sim_last(&S), &r);
	assert_state(CLIENT_BOUND);
	sim_refuse(&S, ADDR1);
	assert_state(CLIENT_SELECTING);
	sim_answer(&S, sim_last(&S), &r);
	assert_state(CLIENT_SELECTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_REFUSED_SERVER);
	assert_false(S.configured);
}

/* The listing runs out after CLIENT_REFUSED_HOLD_MS on the client's clock:
 * the server is tried again. */
static void test_refused_listing_runs_out(void **state)
{
	uint64_t refused_at;
	struct sim_msg *d;

	(void)state;
	start_default(3, CLIENT_ACD_OFF);
	lease_from(sim_last(&S), SRV_ID, ADDR1);
	refused_at = S.now;
	sim_refuse(&S, ADDR1);
	sim_advance(&S, refused_at + CLIENT_REFUSED_HOLD_MS - 1);
	d = sim_last(&S);
	assert_int_equal(d->m.type, DHCPDISCOVER);     /* retransmissions went on */
	assert_true(d->at > refused_at);
	offer_from(d, SRV_ID, ADDR1);
	assert_state(CLIENT_SELECTING);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_REFUSED_SERVER);
	S.now = refused_at + CLIENT_REFUSED_HOLD_MS;
	lease_from(d, SRV_ID, ADDR1);
}

/* RFC 2131 4.4.5: a RENEW ACK the daemon refuses. The lease before it is
 * still applied, but its server now insists on what we refuse: both go. */
static void test_refused_renewal_takes_the_lease_down(void **state)
{
	struct reply r = sim_reply_default(DHCPACK, ADDR1);
	const struct client_action *a;
	struct sim_msg *q;

	(void)state;
	start_default(4, CLIENT_ACD_FAST);
	sim_dora(&S, ADDR1, 3600);
	q = sim_next_send(&S, 2 * HOUR);
	assert_state(CLIENT_RENEWING);
	sim_answer(&S, q, &r);
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.cfg_reason, CLIENT_HOOK_RENEW);
	sim_refuse(&S, ADDR1);
	a = sim_find(&S, CLIENT_ACT_DECONFIGURE);
	assert_non_null(a);
	assert_int_equal(a->u.deconfigure.address, ADDR1);
	assert_int_equal(a->u.deconfigure.reason, CLIENT_HOOK_FAIL);
	assert_false(S.configured);
	assert_int_equal(sends_of(DHCPRELEASE) + sends_of(DHCPDECLINE), 0);
	assert_int_equal(sends_of(DHCPDISCOVER), 1);
	assert_state(CLIENT_SELECTING);
	/* The same in REBINDING: any server may answer, but not a listed one. */
	offer_from(sim_last(&S), SRV_ID, ADDR1);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_REFUSED_SERVER);
}

/* A stored lease verified with INIT-REBOOT was not in use: its refusal
 * takes nothing down (and the stored copy goes). */
static void test_refused_reboot_of_stored_lease(void **state)
{
	struct client_config cfg;
	struct client_lease l = sim_stored_lease(0, 3600);
	struct reply r = sim_reply_default(DHCPACK, ADDR1);

	(void)state;
	sim_config(&cfg);
	cfg.acd = CLIENT_ACD_OFF;
	sim_init(&S, &cfg, &l, 5, 1000);
	sim_start(&S);
	assert_state(CLIENT_REBOOTING);
	sim_answer(&S, sim_last(&S), &r);
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.cfg_reason, CLIENT_HOOK_REBOOT);
	sim_refuse(&S, ADDR1);
	assert_int_equal(sim_n(&S, CLIENT_ACT_DECONFIGURE), 0);
	assert_int_equal(sim_n(&S, CLIENT_ACT_DROP_LEASE), 1);
	assert_false(S.stored);
	assert_state(CLIENT_SELECTING);
}

/* A refusal that is not about the lease in use changes nothing. */
static void test_refusal_of_another_lease_ignored(void **state)
{
	uint64_t deadline;

	(void)state;
	start_default(6, CLIENT_ACD_OFF);
	sim_refuse(&S, ADDR1);                      /* SELECTING: no lease */
	assert_true(sim_only_logs(&S));
	assert_int_equal(S.out.n, 1);
	lease_from(sim_last(&S), SRV_ID, ADDR1);
	deadline = client_deadline(&S.c);
	sim_refuse(&S, ADDR2);
	assert_true(sim_only_logs(&S));
	assert_true(sim_logged(&S, "refusal of 192.0.2.101 ignored in BOUND"));
	assert_state(CLIENT_BOUND);
	assert_int_equal(client_deadline(&S.c), deadline);
	assert_true(S.configured);
	/* Later, the listing is empty: the server is not listed. */
	sim_refuse(&S, ADDR1);
	offer_from(sim_last(&S), SRV2_ID, ADDR2);
	assert_state(CLIENT_REQUESTING);
}

/* Carrier lost before the refusal arrives: nothing is sent on a dead link;
 * carrier back starts over (no lease to verify). */
static void test_refusal_while_link_down(void **state)
{
	struct sim_msg *d;

	(void)state;
	start_default(7, CLIENT_ACD_OFF);
	lease_from(sim_last(&S), SRV_ID, ADDR1);
	sim_link(&S, false);
	sim_refuse(&S, ADDR1);
	assert_state(CLIENT_LINK_DOWN);
	assert_int_equal(sim_n(&S, CLIENT_ACT_SEND), 0);
	assert_int_equal(client_deadline(&S.c), CLIENT_NEVER);
	S.now += 10 * SEC;
	sim_link(&S, true);
	d = sim_last(&S);
	assert_int_equal(d->m.type, DHCPDISCOVER);
	assert_int_equal(d->at, S.now);
	offer_from(d, SRV_ID, ADDR1);
	assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_REFUSED_SERVER);
}

/*
 * A rogue with many server identifiers: each refusal lists one, the list
 * keeps the newest CLIENT_REFUSED_MAX, and refusals back to back wait
 * like NAKs before the next DISCOVER (none after the first, then 2 s, 4 s
 * ... at most 64 s, each randomised down to half), so no storm.
 */
static void test_refusals_back_to_back(void **state)
{
	uint64_t base = 2 * CLIENT_NAK_BACKOFF_MS;
	struct sim_msg *d;

	(void)state;
	start_default(8, CLIENT_ACD_OFF);
	for (uint32_t i = 0; i < 9; i++) {
		uint64_t refused_at;

		lease_from(sim_last(&S), IP4(192, 0, 2, 10 + i), ADDR1);
		refused_at = S.now;
		sim_refuse(&S, ADDR1);
		if (i == 0) {
			assert_state(CLIENT_SELECTING);
			continue;
		}
		assert_state(CLIENT_INIT);
		d = sim_next_send(&S, 2 * MIN);
		assert_non_null(d);
		assert_between(d->at - refused_at, base / 2, base);
		base = base * 2 > CLIENT_NAK_BACKOFF_MAX_MS ? CLIENT_NAK_BACKOFF_MAX_MS : base * 2;
	}
	/* Bounded: the newest four are listed, the fifth newest no more. */
	assert_state(CLIENT_SELECTING);
	for (uint32_t i = 8; i >= 9 - CLIENT_REFUSED_MAX; i--) {
		offer_from(sim_last(&S), IP4(192, 0, 2, 10 + i), ADDR1);
		assert_state(CLIENT_SELECTING);
		assert_int_equal(S.last_ignore, CLIENT_LOG_IGN_REFUSED_SERVER);
	}
	lease_from(sim_last(&S), IP4(192, 0, 2, 14), ADDR1);
	/* After a quiet spell as long as a listing, a refusal is a first
	 * again: DISCOVER at once. */
	S.now += CLIENT_REFUSED_HOLD_MS;
	sim_advance(&S, S.now);
	sim_refuse(&S, ADDR1);
	assert_state(CLIENT_SELECTING);
	assert_int_equal(sim_last(&S)->at, S.now);
}

/* ---- values left out of a lease that is kept ------------------------------ */

/* An ACK with the default options but mtu, domain and search as given
 * (NULL / 0: absent). */
static void ack_with(struct sim_msg *q, uint16_t mtu, const char *domain, size_t domain_len,
		     const uint8_t *search, size_t search_len)
{
	static struct dhcp_out o;
	struct reply r = sim_reply_default(DHCPACK, ADDR1);

	sim_compose(q, &r, &o);
	if (mtu)
		dhcp_out_add_u16(&o, DHCP_OPT_MTU, mtu);
	if (domain)
		dhcp_out_add(&o, DHCP_OPT_DOMAIN_NAME, domain, domain_len);
	if (search)
		dhcp_out_add(&o, DHCP_OPT_DOMAIN_SEARCH, search, search_len);
	sim_deliver(&S, &o);
}

static struct sim_msg *to_requesting(uint64_t seed)
{
	start_default(seed, CLIENT_ACD_OFF);
	offer_from(sim_last(&S), SRV_ID, ADDR1);
	assert_state(CLIENT_REQUESTING);
	return sim_last(&S);
}

static const struct client_log *unusable_line(void)
{
	for (size_t i = 0; i < S.out.n; i++)
		if (S.out.a[i].type == CLIENT_ACT_LOG &&
		    S.out.a[i].u.log.code == CLIENT_LOG_OPT_UNUSABLE)
			return &S.out.a[i].u.log;
	return NULL;
}

/* RFC 791 / RFC 1122 3.3.3: 576 is the datagram every host takes; 68..575
 * (the parser drops less) is left out and the lease kept, as dhcpcd and
 * Debian's dhclient-script do. */
static void test_small_mtu_dropped(void **state)
{
	static const uint16_t cases[][2] = {
		{ 68, 0 }, { 575, 0 }, { 576, 576 }, { 1500, 1500 }, { 65535, 65535 },
	};
	const struct client_log *line;
	char want[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ack_with(to_requesting(20 + i), cases[i][0], NULL, 0, NULL, 0);
		assert_state(CLIENT_BOUND);
		assert_int_equal(S.applied.mtu, cases[i][1]);
		line = unusable_line();
		if (cases[i][1]) {
			assert_null(line);
			continue;
		}
		assert_non_null(line);
		assert_int_equal(line->level, CLIENT_LOG_WARNING);
		snprintf(want, sizeof(want), "lease kept without MTU %u (under 576, RFC 791)",
			 cases[i][0]);
		if (!strstr(line->text, want))
			fail_msg("\"%s\" does not say \"%s\"", line->text, want);
	}
}

/* dhclient, dhcpcd and networkd drop a domain name that is not a host
 * name and keep the lease: an AD domain with '_' must not cost the
 * address. The log shows the name quoted and escaped. */
static void test_bad_domain_name_dropped(void **state)
{
	static const struct {
		const char *value;
		size_t len;
		const char *kept;     /* NULL: dropped */
		const char *shown;
	} cases[] = {
#define NAME(s) s, sizeof(s) - 1
		{ NAME("corp_ad.example.com"), NULL, "\"corp_ad.example.com\"" },
		{ NAME("a.example; touch x"), NULL, "\"a.example; touch x\"" },
		{ NAME("ex\nnameserver 6.6.6.6"), NULL, "\"ex\\u000anameserver 6.6.6.6\"" },
		{ NAME("example.com\0;x"), NULL, "\"example.com\\u0000;x\"" },
		{ NAME("-x.example"), NULL, "\"-x.example\"" },
		{ NAME("example.com\0\0"), "example.com", NULL },
		{ NAME("Lab-1.example.com."), "Lab-1.example.com.", NULL },
#undef NAME
	};
	const struct client_log *line;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ack_with(to_requesting(30 + i), 0, cases[i].value, cases[i].len, NULL, 0);
		assert_state(CLIENT_BOUND);
		line = unusable_line();
		if (cases[i].kept) {
			assert_string_equal(S.applied.domain_name, cases[i].kept);
			assert_null(line);
			continue;
		}
		assert_string_equal(S.applied.domain_name, "");
		assert_non_null(line);
		if (!strstr(line->text, cases[i].shown) || !strstr(line->text, "(not a host name)"))
			fail_msg("case %zu: \"%s\" does not show %s", i, line->text, cases[i].shown);
	}
}

/* A label with a space, one with a '.' inside (text form "\DDD" for
 * both) and an underscore: no host names. */
static const uint8_t odd_names[] = {
	3, 'a', ' ', 'b', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
	3, 'a', '.', 'b', 0,
	1, '_', 0,
};

/* Option 119: each name that is not a host name is dropped, the others
 * kept in order (at most CLIENT_MAX_SEARCH of them). */
static void test_bad_search_names_dropped(void **state)
{
	static const char *const names[] = {
		"lab.example.org", "corp_ad.example.com", "a.example", "x", "b.example",
		"c.example", "d.example", "e.example",
	};
	uint8_t wire[512];
	size_t n = dns_list_encode(names, 8, wire, sizeof(wire));
	const struct client_log *line;

	(void)state;
	assert_true(n > 0);
	memcpy(wire + n, odd_names, sizeof(odd_names));
	ack_with(to_requesting(40), 0, NULL, 0, wire, n + sizeof(odd_names));
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.applied.n_search, CLIENT_MAX_SEARCH);
	assert_string_equal(S.applied.search[0], "lab.example.org");
	assert_string_equal(S.applied.search[1], "a.example");
	assert_string_equal(S.applied.search[2], "x");
	assert_string_equal(S.applied.search[5], "d.example");
	line = unusable_line();
	assert_non_null(line);
	assert_non_null(strstr(line->text, "1 search domain(s) that are not host names, first "
					   "\"corp_ad.example.com\""));

	/* Only bad names: none kept, all counted. */
	ack_with(to_requesting(41), 0, NULL, 0, odd_names, sizeof(odd_names));
	assert_state(CLIENT_BOUND);
	assert_int_equal(S.applied.n_search, 0);
	line = unusable_line();
	assert_non_null(line);
	assert_non_null(strstr(line->text, "3 search domain(s) that are not host names, first "
					   "\"a\\\\032b.example\""));
}

/* All three in one ACK: one line, all named. */
static void test_one_line_for_all(void **state)
{
	const struct client_log *line;
	uint8_t wire[64];
	size_t n;
	static const char *const bad[] = { "_x" };

	(void)state;
	n = dns_list_encode(bad, 1, wire, sizeof(wire));
	assert_true(n > 0);
	ack_with(to_requesting(50), 300, "a b", 3, wire, n);
	assert_state(CLIENT_BOUND);
	line = unusable_line();
	assert_non_null(line);
	assert_non_null(strstr(line->text, "lease kept without MTU 300 (under 576, RFC 791); "
					   "domain name \"a b\" (not a host name); 1 search domain(s)"));
	{
		size_t lines = 0;

		for (size_t i = 0; i < S.out.n; i++)
			lines += S.out.a[i].type == CLIENT_ACT_LOG &&
				 S.out.a[i].u.log.code == CLIENT_LOG_OPT_UNUSABLE;
		assert_int_equal(lines, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_lease_looks_again),
		cmocka_unit_test(test_refused_server_rapid_ack_ignored),
		cmocka_unit_test(test_refused_listing_runs_out),
		cmocka_unit_test(test_refused_renewal_takes_the_lease_down),
		cmocka_unit_test(test_refused_reboot_of_stored_lease),
		cmocka_unit_test(test_refusal_of_another_lease_ignored),
		cmocka_unit_test(test_refusal_while_link_down),
		cmocka_unit_test(test_refusals_back_to_back),
		cmocka_unit_test(test_small_mtu_dropped),
		cmocka_unit_test(test_bad_domain_name_dropped),
		cmocka_unit_test(test_bad_search_names_dropped),
		cmocka_unit_test(test_one_line_for_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
