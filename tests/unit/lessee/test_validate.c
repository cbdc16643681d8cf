/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * validate_lease: one passing and one failing case per rule, each failure
 * with its exact reason; TunnelVision (CVE-2024-3661) split routes refused
 * and accepted with the override; routes over local prefixes; names with
 * shell metacharacters, NUL and non-ASCII. The last test checks that every
 * reason of the enum was produced by some test above it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lease_fixture.h"
#include "lessee/validate.h"

static bool seen[VALIDATE_REASON_COUNT];

/* Validate and demand exactly `want`; a refusal must come with text. */
static void expect_p(const struct client_lease *l, const struct validate_policy *p,
		     const struct validate_context *ctx, enum validate_reason want)
{
	struct validate_error why;
	enum validate_reason got = validate_lease(l, p, ctx, &why);

	if (got != want)
		fail_msg("want %s, got %s: %s", validate_reason_name(want),
			 validate_reason_name(got), why.text);
	assert_int_equal(why.reason, got);
	if (got != VALIDATE_OK)
		assert_true(why.text[0] != '\0');
	/* The same answer without an error struct. */
	assert_int_equal(validate_lease(l, p, ctx, NULL), want);
	seen[got] = true;
}

static void expect(const struct client_lease *l, enum validate_reason want)
{
	expect_p(l, NULL, NULL, want);
}

static void expect_text(const struct client_lease *l, const struct validate_policy *p,
			const struct validate_context *ctx, enum validate_reason want,
			const char *text)
{
	struct validate_error why;

	assert_int_equal(validate_lease(l, p, ctx, &why), want);
	assert_string_equal(why.text, text);
	seen[want] = true;
}

/* ---- the good ones ------------------------------------------------------- */

static void test_fixtures_pass(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	expect(&l, VALIDATE_OK);
	fixture_lease_routes(&l);
	expect(&l, VALIDATE_OK);
	fixture_lease_full(&l);
	expect(&l, VALIDATE_OK);
}

/* ---- arguments and shape ------------------------------------------------- */

static void test_arguments(void **state)
{
	struct client_lease l;
	struct validate_policy p;
	struct validate_context ctx;
	uint8_t two = 2;
	(void)state;

	fixture_lease(&l);
	expect(NULL, VALIDATE_BAD_ARGUMENT);
	memset(&p, 0, sizeof(p));
	expect_p(&l, &p, NULL, VALIDATE_OK);
	p.n_allow = VALIDATE_POLICY_MAX + 1;
	expect_p(&l, &p, NULL, VALIDATE_BAD_ARGUMENT);
	memset(&p, 0, sizeof(p));
	p.n_deny = 1;
	p.deny[0] = (struct validate_prefix){ IP4(198, 51, 100, 1), 24 };   /* host bits */
	expect_p(&l, &p, NULL, VALIDATE_BAD_ARGUMENT);
	p.deny[0] = (struct validate_prefix){ IP4(198, 51, 100, 0), 33 };
	expect_p(&l, &p, NULL, VALIDATE_BAD_ARGUMENT);
	memset(&p, 0, sizeof(p));
	memcpy(&p.link_local, &two, 1);
	expect_p(&l, &p, NULL, VALIDATE_BAD_ARGUMENT);
	memset(&ctx, 0, sizeof(ctx));
	expect_p(&l, NULL, &ctx, VALIDATE_OK);
	ctx.n_local = VALIDATE_LOCAL_MAX + 1;
	expect_p(&l, NULL, &ctx, VALIDATE_BAD_ARGUMENT);
}

static void test_bad_flag(void **state)
{
	struct client_lease l;
	uint8_t v;
	(void)state;

	fixture_lease(&l);
	v = 0;
	memcpy(&l.prefix_from_server, &v, 1);
	expect(&l, VALIDATE_OK);
	v = 2;
	memcpy(&l.prefix_from_server, &v, 1);
	expect_text(&l, NULL, NULL, VALIDATE_BAD_FLAG, "prefix_from_server is 2, not 0 or 1");
}

static void test_counts(void **state)
{
	struct client_lease l;
	uint8_t *counts[5];
	const unsigned max[5] = { CLIENT_MAX_ROUTERS, CLIENT_MAX_DNS, CLIENT_MAX_NTP,
				  CLIENT_MAX_SEARCH, CLIENT_MAX_ROUTES };
	(void)state;

	for (unsigned i = 0; i < 5; i++) {
		fixture_lease_full(&l);
		counts[0] = &l.n_routers;
		counts[1] = &l.n_dns;
		counts[2] = &l.n_ntp;
		counts[3] = &l.n_search;
		counts[4] = &l.n_routes;
		assert_int_equal(*counts[i], max[i]);
		expect(&l, VALIDATE_OK);
		*counts[i] = (uint8_t)(max[i] + 1);
		expect(&l, VALIDATE_COUNT);
		*counts[i] = 255;
		expect(&l, VALIDATE_COUNT);
	}
	fixture_lease(&l);
	l.n_dns = 9;
	expect_text(&l, NULL, NULL, VALIDATE_COUNT, "9 DNS servers, at most 8 allowed");
}

static void test_unterminated(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	memset(l.domain_name, 'a', sizeof(l.domain_name));
	expect(&l, VALIDATE_UNTERMINATED);

	fixture_lease(&l);
	memset(l.search[1], 'b', sizeof(l.search[1]));
	expect(&l, VALIDATE_UNTERMINATED);
	/* Entries past n_search are never read. */
	l.n_search = 1;
	expect(&l, VALIDATE_OK);

	/* A NUL inside: "example.com\0; reboot" is refused, not cut. */
	fixture_lease(&l);
	memcpy(l.domain_name, "example.com\0; reboot", 21);
	expect(&l, VALIDATE_UNTERMINATED);
	fixture_lease(&l);
	l.search[0][sizeof(l.search[0]) - 1] = 'x';
	expect(&l, VALIDATE_UNTERMINATED);
	l.search[0][sizeof(l.search[0]) - 1] = '\0';
	expect(&l, VALIDATE_OK);
}

/* ---- the address --------------------------------------------------------- */

/* Put address a/prefix into l with a consistent broadcast and router. */
static void set_address(struct client_lease *l, uint32_t a, uint8_t prefix)
{
	uint32_t m = validate_mask(prefix);

	l->address = a;
	l->prefix = prefix;
	l->broadcast = (a & m) | ~m;
	l->n_routers = 0;
}

static void test_address_classes(void **state)
{
	const struct {
		uint32_t a;
		enum validate_reason want;
	} v[] = {
		{ IP4(0, 1, 2, 3), VALIDATE_ADDR_THIS_NET },
		{ IP4(0, 0, 0, 0), VALIDATE_ADDR_THIS_NET },
		{ IP4(127, 0, 0, 5), VALIDATE_ADDR_LOOPBACK },
		{ IP4(169, 254, 3, 4), VALIDATE_ADDR_LINK_LOCAL },
		{ IP4(224, 0, 0, 5), VALIDATE_ADDR_MULTICAST },
		{ IP4(239, 255, 255, 250), VALIDATE_ADDR_MULTICAST },
		{ IP4(240, 0, 0, 5), VALIDATE_ADDR_RESERVED },
		{ IP4(255, 255, 255, 255), VALIDATE_ADDR_RESERVED },
		{ IP4(1, 2, 3, 4), VALIDATE_OK },
		{ IP4(126, 255, 255, 4), VALIDATE_OK },
		{ IP4(128, 0, 0, 4), VALIDATE_OK },
		{ IP4(169, 253, 3, 4), VALIDATE_OK },
		{ IP4(223, 255, 255, 4), VALIDATE_OK },
	};
	struct client_lease l;
	(void)state;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fixture_lease(&l);
		set_address(&l, v[i].a, 24);
		if (v[i].want == VALIDATE_OK)
			l.address |= 7;       /* not the network or broadcast */
		expect(&l, v[i].want);
	}
	fixture_lease(&l);
	set_address(&l, IP4(127, 0, 0, 1), 8);
	expect_text(&l, NULL, NULL, VALIDATE_ADDR_LOOPBACK,
		    "address 127.0.0.1 is in 127.0.0.0/8 (loopback)");
}

static void test_link_local_mode(void **state)
{
	struct client_lease l;
	struct validate_policy p = { .link_local = true };
	(void)state;

	fixture_lease(&l);
	set_address(&l, IP4(169, 254, 3, 4), 16);
	expect(&l, VALIDATE_ADDR_LINK_LOCAL);
	expect_p(&l, &p, NULL, VALIDATE_OK);
}

static void test_network_broadcast_address(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	set_address(&l, IP4(192, 0, 2, 0), 24);
	expect_text(&l, NULL, NULL, VALIDATE_ADDR_NET_OR_BCAST,
		    "address 192.0.2.0 is the network address of its /24");
	set_address(&l, IP4(192, 0, 2, 255), 24);
	expect(&l, VALIDATE_ADDR_NET_OR_BCAST);
	set_address(&l, IP4(192, 0, 2, 3), 30);
	expect(&l, VALIDATE_ADDR_NET_OR_BCAST);
	set_address(&l, IP4(192, 0, 2, 2), 30);
	expect(&l, VALIDATE_OK);
	/* A /32 has no network or broadcast address. */
	set_address(&l, IP4(192, 0, 2, 0), 32);
	expect(&l, VALIDATE_OK);
	set_address(&l, IP4(192, 0, 2, 255), 32);
	expect(&l, VALIDATE_OK);
}

static void test_prefix(void **state)
{
	struct client_lease l;
	struct validate_policy p = { .accept_route_override = true };
	(void)state;

	for (uint8_t pfx = 8; pfx <= 32; pfx++) {
		fixture_lease(&l);
		set_address(&l, IP4(10, 0, 0, 1), pfx);
		expect(&l, pfx == 31 ? VALIDATE_PREFIX : VALIDATE_OK);
	}
	fixture_lease(&l);
	set_address(&l, IP4(10, 0, 0, 1), 0);
	expect(&l, VALIDATE_PREFIX);
	set_address(&l, IP4(10, 0, 0, 1), 31);
	expect_text(&l, NULL, NULL, VALIDATE_PREFIX, "prefix /31 for 10.0.0.1 is not 1..30 or 32");
	l.prefix = 33;
	expect(&l, VALIDATE_PREFIX);
	l.prefix = 255;
	expect(&l, VALIDATE_PREFIX);
	/* Wider than /8: the connected route would split the default route. */
	set_address(&l, IP4(10, 0, 0, 1), 7);
	expect(&l, VALIDATE_PREFIX_WIDE);
	expect_p(&l, &p, NULL, VALIDATE_OK);
	set_address(&l, IP4(10, 0, 0, 1), 1);
	expect(&l, VALIDATE_PREFIX_WIDE);
	expect_p(&l, &p, NULL, VALIDATE_OK);
}

static void test_broadcast(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	l.broadcast = IP4(192, 0, 2, 127);
	expect_text(&l, NULL, NULL, VALIDATE_BROADCAST,
		    "broadcast 192.0.2.127 does not match 192.0.2.100/24 (expected 192.0.2.255)");
	l.broadcast = UINT32_MAX;
	expect(&l, VALIDATE_BROADCAST);
	l.broadcast = IP4(192, 0, 2, 255);
	expect(&l, VALIDATE_OK);
	set_address(&l, IP4(192, 0, 2, 100), 32);
	expect(&l, VALIDATE_OK);
	l.broadcast = UINT32_MAX;
	expect(&l, VALIDATE_OK);
	l.broadcast = IP4(192, 0, 2, 255);
	expect(&l, VALIDATE_BROADCAST);
}

static void test_allow_deny(void **state)
{
	struct client_lease l;
	struct validate_policy p;
	(void)state;

	fixture_lease(&l);
	memset(&p, 0, sizeof(p));
	p.n_allow = 2;
	p.allow[0] = (struct validate_prefix){ IP4(198, 51, 100, 0), 24 };
	p.allow[1] = (struct validate_prefix){ IP4(203, 0, 113, 0), 24 };
	expect_p(&l, &p, NULL, VALIDATE_NOT_ALLOWED);
	p.allow[1] = (struct validate_prefix){ IP4(192, 0, 2, 0), 25 };
	expect_p(&l, &p, NULL, VALIDATE_OK);
	p.n_deny = 1;
	p.deny[0] = (struct validate_prefix){ IP4(192, 0, 2, 96), 28 };
	expect_text(&l, &p, NULL, VALIDATE_DENIED,
		    "address 192.0.2.100 is inside denied prefix 192.0.2.96/28");
	p.deny[0] = (struct validate_prefix){ IP4(192, 0, 2, 128), 25 };
	expect_p(&l, &p, NULL, VALIDATE_OK);
	/* A deny list alone. */
	p.n_allow = 0;
	p.deny[0] = (struct validate_prefix){ 0, 0 };
	expect_p(&l, &p, NULL, VALIDATE_DENIED);
}

static void test_server_id(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	l.server_id = 0;
	expect(&l, VALIDATE_SERVER_ID);
	l.server_id = IP4(224, 0, 0, 1);
	expect(&l, VALIDATE_SERVER_ID);
	l.server_id = IP4(198, 51, 100, 1);      /* a relayed lease: off-link is fine */
	expect(&l, VALIDATE_OK);
}

/* ---- routers and routes -------------------------------------------------- */

static void test_routers(void **state)
{
	const uint32_t bad[] = { 0, UINT32_MAX, IP4(127, 0, 0, 1), IP4(224, 0, 0, 1),
				 IP4(192, 0, 2, 100), IP4(192, 0, 2, 0), IP4(192, 0, 2, 255) };
	struct client_lease l;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_lease(&l);
		l.routers[0] = bad[i];
		expect(&l, VALIDATE_ROUTER_ADDR);
	}
	fixture_lease(&l);
	l.routers[0] = IP4(192, 0, 2, 100);
	expect_text(&l, NULL, NULL, VALIDATE_ROUTER_ADDR, "router 192.0.2.100 is our own address");
	l.n_routers = 2;
	l.routers[0] = IP4(192, 0, 2, 254);
	l.routers[1] = IP4(203, 0, 113, 9);
	expect_text(&l, NULL, NULL, VALIDATE_ROUTER_OFFLINK,
		    "router 203.0.113.9 is not on-link and no classless route reaches it");
	/* Reached through an on-link classless route. */
	l.n_routes = 1;
	l.routes[0] = (struct wire_route){ IP4(203, 0, 113, 0), 24, 0 };
	expect(&l, VALIDATE_OK);
	/* Not through a route that has a gateway. */
	l.routes[0].gateway = IP4(192, 0, 2, 1);
	expect(&l, VALIDATE_ROUTER_OFFLINK);
}

/* A /32 lease as clouds hand it out: the router is reached only by an
 * on-link /32 classless route, the default route goes through it. */
static void test_slash32_cloud_lease(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	set_address(&l, IP4(10, 128, 0, 5), 32);
	l.n_routes = 2;
	l.routes[0] = (struct wire_route){ IP4(10, 128, 0, 1), 32, 0 };
	l.routes[1] = (struct wire_route){ 0, 0, IP4(10, 128, 0, 1) };
	expect(&l, VALIDATE_OK);
	/* Without the on-link route the gateway is unreachable. */
	l.routes[0] = l.routes[1];
	l.n_routes = 1;
	expect(&l, VALIDATE_ROUTE_GATEWAY_OFFLINK);
	/* The same for a router from option 3. */
	l.n_routes = 0;
	l.n_routers = 1;
	l.routers[0] = IP4(10, 128, 0, 1);
	expect(&l, VALIDATE_ROUTER_OFFLINK);
}

static void test_route_shape(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease_routes(&l);
	l.routes[0].prefix = 33;
	expect(&l, VALIDATE_ROUTE_PREFIX);
	l.routes[0].prefix = 32;
	expect(&l, VALIDATE_OK);
	fixture_lease_routes(&l);
	l.routes[0].dst = IP4(198, 51, 100, 1);
	expect_text(&l, NULL, NULL, VALIDATE_ROUTE_HOST_BITS,
		    "classless route 198.51.100.1/24 has bits past its prefix");
	l.routes[0].dst = IP4(198, 51, 100, 0);
	expect(&l, VALIDATE_OK);
	l.routes[2].dst = IP4(0, 0, 0, 1);            /* 0.0.0.1/0 */
	expect(&l, VALIDATE_ROUTE_HOST_BITS);
}

static void test_route_gateway(void **state)
{
	const uint32_t bad[] = { UINT32_MAX, IP4(127, 0, 0, 1), IP4(239, 1, 1, 1),
				 IP4(0, 1, 2, 3), IP4(192, 0, 2, 100), IP4(192, 0, 2, 255) };
	struct client_lease l;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_lease_routes(&l);
		l.routes[0].gateway = bad[i];
		expect(&l, VALIDATE_ROUTE_GATEWAY_ADDR);
	}
	fixture_lease_routes(&l);
	l.routes[0].gateway = IP4(198, 18, 0, 1);
	expect_text(&l, NULL, NULL, VALIDATE_ROUTE_GATEWAY_OFFLINK,
		    "classless route 198.51.100.0/24: gateway 198.18.0.1 is not on-link "
		    "and no on-link classless route reaches it");
	/* On-link (gateway 0) is fine; so is a gateway behind an on-link route. */
	l.routes[0].gateway = 0;
	expect(&l, VALIDATE_OK);
	l.routes[0].gateway = IP4(203, 0, 113, 7);
	expect(&l, VALIDATE_OK);
}

/* TunnelVision (CVE-2024-3661): 0.0.0.0/1 + 128.0.0.0/1 beat a VPN's
 * default route by being more specific. */
static void test_tunnelvision(void **state)
{
	struct client_lease l;
	struct validate_policy p = { .accept_route_override = true };
	(void)state;

	fixture_lease_routes(&l);
	l.n_routes = 2;
	l.routes[0] = (struct wire_route){ IP4(0, 0, 0, 0), 1, IP4(192, 0, 2, 1) };
	l.routes[1] = (struct wire_route){ IP4(128, 0, 0, 0), 1, IP4(192, 0, 2, 1) };
	expect_text(&l, NULL, NULL, VALIDATE_ROUTE_SPLIT_DEFAULT,
		    "classless route 0.0.0.0/1 via 192.0.2.1 covers part of the default "
		    "route (TunnelVision, CVE-2024-3661)");
	expect_p(&l, &p, NULL, VALIDATE_OK);
	/* Any split shorter than /8, alone. */
	for (uint8_t pfx = 1; pfx < 8; pfx++) {
		l.n_routes = 1;
		l.routes[0] = (struct wire_route){ IP4(128, 0, 0, 0), pfx, 0 };
		expect(&l, VALIDATE_ROUTE_SPLIT_DEFAULT);
		expect_p(&l, &p, NULL, VALIDATE_OK);
	}
	/* A single default route, and a /8, are ordinary. */
	l.routes[0] = (struct wire_route){ 0, 0, IP4(192, 0, 2, 1) };
	expect(&l, VALIDATE_OK);
	l.routes[0] = (struct wire_route){ IP4(10, 0, 0, 0), 8, IP4(192, 0, 2, 1) };
	expect(&l, VALIDATE_OK);
}

static void test_local_overlap(void **state)
{
	struct client_lease l;
	struct validate_context ctx = { .n_local = 2 };
	struct validate_policy p = { .accept_route_override = true };
	(void)state;

	ctx.local[0] = (struct validate_prefix){ IP4(172, 16, 5, 0), 24 };
	ctx.local[1] = (struct validate_prefix){ IP4(10, 8, 0, 0), 24 };   /* a VPN */
	fixture_lease_routes(&l);
	expect_p(&l, NULL, &ctx, VALIDATE_OK);
	/* More specific than the VPN's prefix: steals its traffic. */
	l.routes[0] = (struct wire_route){ IP4(10, 8, 0, 0), 25, IP4(192, 0, 2, 1) };
	expect_p(&l, NULL, &ctx, VALIDATE_ROUTE_LOCAL_OVERLAP);
	expect_p(&l, &p, &ctx, VALIDATE_OK);
	/* Equal. */
	l.routes[0] = (struct wire_route){ IP4(10, 8, 0, 0), 24, IP4(192, 0, 2, 1) };
	expect_p(&l, NULL, &ctx, VALIDATE_ROUTE_LOCAL_OVERLAP);
	/* Covering it. */
	l.routes[0] = (struct wire_route){ IP4(10, 0, 0, 0), 8, IP4(192, 0, 2, 1) };
	expect_text(&l, NULL, &ctx, VALIDATE_ROUTE_LOCAL_OVERLAP,
		    "classless route 10.0.0.0/8 overlaps local prefix 10.8.0.0/24");
	expect_p(&l, &p, &ctx, VALIDATE_OK);
	/* Next to it. */
	l.routes[0] = (struct wire_route){ IP4(10, 8, 1, 0), 24, IP4(192, 0, 2, 1) };
	expect_p(&l, NULL, &ctx, VALIDATE_OK);
	/* The default route overlaps everything and is still allowed. */
	assert_int_equal(l.routes[2].prefix, 0);
	expect_p(&l, NULL, &ctx, VALIDATE_OK);
}

/* ---- servers, MTU, names, times ------------------------------------------ */

static void test_dns_ntp(void **state)
{
	const uint32_t bad[] = { 0, UINT32_MAX, IP4(127, 0, 0, 53), IP4(224, 0, 0, 251),
				 IP4(240, 1, 2, 3) };
	struct client_lease l;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_lease(&l);
		l.dns[1] = bad[i];
		expect(&l, VALIDATE_DNS_ADDR);
		fixture_lease(&l);
		l.ntp[0] = bad[i];
		expect(&l, VALIDATE_NTP_ADDR);
	}
	fixture_lease(&l);
	l.dns[1] = IP4(127, 0, 0, 53);
	expect_text(&l, NULL, NULL, VALIDATE_DNS_ADDR,
		    "DNS server 127.0.0.53 is not a unicast address");
	/* Link-local servers (cloud metadata DNS/NTP) are fine. */
	l.dns[1] = IP4(169, 254, 169, 253);
	l.ntp[0] = IP4(169, 254, 169, 123);
	expect(&l, VALIDATE_OK);
	/* Past the count, garbage is not read. */
	l.n_dns = 1;
	l.dns[1] = UINT32_MAX;
	expect(&l, VALIDATE_OK);
}

static void test_mtu(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	const uint16_t ok[] = { 0, 576, 1500, 9000, 65535 };
	const uint16_t bad[] = { 1, 68, 575 };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		l.mtu = ok[i];
		expect(&l, VALIDATE_OK);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l.mtu = bad[i];
		expect(&l, VALIDATE_MTU);
	}
}

/* The rule itself is dns_is_host_name's (tests/unit/test_dns.c); here the
 * wrapper for NUL-terminated strings. */
static void test_hostname_charset(void **state)
{
	char n253[254], n254[255];
	(void)state;

	assert_true(validate_hostname_charset("example.com."));
	assert_false(validate_hostname_charset("corp_ad.example.com"));
	assert_false(validate_hostname_charset("a;reboot"));
	assert_false(validate_hostname_charset(""));
	assert_false(validate_hostname_charset(NULL));
	memset(n253, 'a', 253);
	n253[63] = n253[127] = n253[191] = '.';
	n253[253] = '\0';
	assert_true(validate_hostname_charset(n253));
	memcpy(n254, n253, 253);
	n254[253] = 'a';
	n254[254] = '\0';
	assert_false(validate_hostname_charset(n254));
}

/* Names are zero-padded in the lease (validate_lease_shape demands it). */
static void set_name(char *field, const char *s)
{
	memset(field, 0, CLIENT_NAME_MAX);
	strcpy(field, s);
}

static void test_lease_names(void **state)
{
	const char *bad[] = { "example.com;reboot", "$(id).example", "a`b`", "a|b", "a&b",
			      "a>b", "a<b", "a(b)", "a b", "a'b", "a\"b", "a\nb",
			      "ex\xc3\xa4mple.com", "under_score.example", NULL };
	struct client_lease l;
	(void)state;

	for (size_t i = 0; bad[i]; i++) {
		fixture_lease(&l);
		set_name(l.domain_name, bad[i]);
		expect(&l, VALIDATE_NAME_CHARSET);
		fixture_lease(&l);
		set_name(l.search[1], bad[i]);
		expect(&l, VALIDATE_NAME_CHARSET);
	}
	fixture_lease(&l);
	set_name(l.domain_name, "a;b");
	expect_text(&l, NULL, NULL, VALIDATE_NAME_CHARSET, "domain name \"a;b\" is not a host name");
	set_name(l.domain_name, "a\nb");
	expect_text(&l, NULL, NULL, VALIDATE_NAME_CHARSET,
		    "domain name \"a\\u000ab\" is not a host name");
	/* No domain name is fine; an empty search entry is not. */
	l.domain_name[0] = '\0';
	memset(l.domain_name, 0, sizeof(l.domain_name));
	expect(&l, VALIDATE_OK);
	memset(l.search[1], 0, sizeof(l.search[1]));
	expect(&l, VALIDATE_NAME_CHARSET);
}

static void test_times(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	l.lease_s = 0;
	expect_text(&l, NULL, NULL, VALIDATE_LEASE_TIMES, "lease time is 0");
	fixture_lease(&l);
	l.t1_s = 526;
	expect(&l, VALIDATE_LEASE_TIMES);
	fixture_lease(&l);
	l.t2_s = 601;
	expect(&l, VALIDATE_LEASE_TIMES);
	fixture_lease(&l);
	l.t1_s = l.t2_s = l.lease_s;      /* equal is allowed */
	expect(&l, VALIDATE_OK);
	fixture_lease(&l);
	l.expires_at = CLIENT_NEVER;
	expect(&l, VALIDATE_LEASE_TIMES);
	fixture_lease(&l);
	l.t2_at = l.t1_at - 1;
	expect(&l, VALIDATE_LEASE_TIMES);
	fixture_lease(&l);
	l.t1_at = l.obtained_at - 1;
	expect(&l, VALIDATE_LEASE_TIMES);
	fixture_lease(&l);
	l.expires_at = l.t2_at - 1;
	expect(&l, VALIDATE_LEASE_TIMES);
	/* Infinite (RFC 2131 3.3). */
	fixture_lease(&l);
	l.lease_s = l.t1_s = l.t2_s = UINT32_MAX;
	l.t1_at = l.t2_at = l.expires_at = CLIENT_NEVER;
	expect(&l, VALIDATE_OK);
	l.expires_at = 5000000;
	l.t1_at = l.t2_at = 1000;
	expect(&l, VALIDATE_LEASE_TIMES);
	/* All four times never keeps the order, but a lease is got at a time:
	 * the lease file could not store it (found by fuzz_ipc_apply). */
	l.obtained_at = l.t1_at = l.t2_at = l.expires_at = CLIENT_NEVER;
	expect_text(&l, NULL, NULL, VALIDATE_LEASE_TIMES, "obtained time is never");
}

/* ---- helpers ------------------------------------------------------------- */

static void test_ifname(void **state)
{
	const char *good[] = { "eth0", "enp0s31f6", "wlan0", "br-lan", "eth0.100", "veth_1",
			       "abcdefghijklmno", NULL };
	const char *bad[] = { "", ".", "..", "abcdefghijklmnop", "eth0;", "a/b", "a b", "a:1", "-h",
			      "$(x)", "eth\n", "\xc3\xa9", NULL };
	(void)state;

	for (size_t i = 0; good[i]; i++)
		assert_true(validate_ifname(good[i]));
	for (size_t i = 0; bad[i]; i++)
		assert_false(validate_ifname(bad[i]));
	assert_false(validate_ifname(NULL));
}

static void test_parse(void **state)
{
	const char *bad_ip[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ",
				 " 1.2.3.4", "1..3.4", "1.2.3.-4", "1.2.3.4/8", "0x1.2.3.4",
				 "1234.1.1.1", NULL };
	const char *bad_pfx[] = { "", "192.0.2.0", "192.0.2.0/", "192.0.2.0/33",
				  "192.0.2.1/24", "192.0.2.0/024", "192.0.2.0/24x",
				  "192.0.2.0/-1", "/24", "1.2.3.4.5/32", NULL };
	struct validate_prefix p;
	uint32_t a;
	(void)state;

	assert_true(validate_parse_ip("192.0.2.1", &a));
	assert_int_equal(a, IP4(192, 0, 2, 1));
	assert_true(validate_parse_ip("0.0.0.0", &a));
	assert_int_equal(a, 0);
	assert_true(validate_parse_ip("255.255.255.255", &a));
	assert_int_equal(a, UINT32_MAX);
	for (size_t i = 0; bad_ip[i]; i++)
		if (validate_parse_ip(bad_ip[i], &a))
			fail_msg("accepted \"%s\"", bad_ip[i]);
	assert_true(validate_parse_prefix("192.0.2.0/24", &p));
	assert_int_equal(p.addr, IP4(192, 0, 2, 0));
	assert_int_equal(p.prefix, 24);
	assert_true(validate_parse_prefix("0.0.0.0/0", &p));
	assert_int_equal(p.prefix, 0);
	assert_true(validate_parse_prefix("192.0.2.7/32", &p));
	for (size_t i = 0; bad_pfx[i]; i++)
		if (validate_parse_prefix(bad_pfx[i], &p))
			fail_msg("accepted \"%s\"", bad_pfx[i]);
	assert_true(validate_ip_unicast(IP4(192, 0, 2, 1)));
	assert_false(validate_ip_unicast(0));
	assert_int_equal(validate_mask(0), 0);
	assert_int_equal(validate_mask(24), 0xffffff00u);
	assert_int_equal(validate_mask(32), UINT32_MAX);
	assert_int_equal(validate_mask(200), UINT32_MAX);
}

static void test_shape_only(void **state)
{
	struct client_lease l;
	(void)state;

	/* The shape check passes a lease that validate_lease refuses. */
	fixture_lease(&l);
	l.address = IP4(127, 0, 0, 1);
	assert_int_equal(validate_lease_shape(&l, NULL), VALIDATE_OK);
	l.n_routes = 17;
	assert_int_equal(validate_lease_shape(&l, NULL), VALIDATE_COUNT);
	assert_int_equal(validate_lease_shape(NULL, NULL), VALIDATE_BAD_ARGUMENT);
}

static void test_reason_names(void **state)
{
	(void)state;

	for (int r = 0; r < VALIDATE_REASON_COUNT; r++) {
		assert_true(strlen(validate_reason_name((enum validate_reason)r)) > 1);
		assert_true(strlen(validate_reason_text((enum validate_reason)r)) > 1);
		for (int q = 0; q < r; q++)
			assert_string_not_equal(validate_reason_name((enum validate_reason)r),
						validate_reason_name((enum validate_reason)q));
	}
	assert_string_equal(validate_reason_name(VALIDATE_ROUTE_SPLIT_DEFAULT),
			    "ROUTE_SPLIT_DEFAULT");
	assert_string_equal(validate_reason_name(VALIDATE_REASON_COUNT), "?");
	assert_string_equal(validate_reason_text((enum validate_reason)-1), "?");
}

/* Runs last: every reason was produced by some test above. */
static void test_every_reason_seen(void **state)
{
	(void)state;

	for (int r = 0; r < VALIDATE_REASON_COUNT; r++)
		if (!seen[r])
			fail_msg("no test produced %s", validate_reason_name((enum validate_reason)r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_pass),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_bad_flag),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_address_classes),
		cmocka_unit_test(test_link_local_mode),
		cmocka_unit_test(test_network_broadcast_address),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_broadcast),
		cmocka_unit_test(test_allow_deny),
		cmocka_unit_test(test_server_id),
		cmocka_unit_test(test_routers),
		cmocka_unit_test(test_slash32_cloud_lease),
		cmocka_unit_test(test_route_shape),
		cmocka_unit_test(test_route_gateway),
		cmocka_unit_test(test_tunnelvision),
		cmocka_unit_test(test_local_overlap),
		cmocka_unit_test(test_dns_ntp),
		cmocka_unit_test(test_mtu),
		cmocka_unit_test(test_hostname_charset),
		cmocka_unit_test(test_lease_names),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_ifname),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_shape_only),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_every_reason_seen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
