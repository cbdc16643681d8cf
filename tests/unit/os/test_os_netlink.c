/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/os/netlink: addresses, routes, link settings and carrier events,
 * against the real kernel in a private network namespace, read back with
 * RTM_GET* dumps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "nstest.h"
#include "os/netlink.h"
#include "os/packet.h"

static struct nl_conn *nl;
static int v0, v1;

static int group_setup(void **state)
{
	(void)state;
	nl = calloc(1, sizeof *nl);
	if (nl == NULL || nl_open(nl, 0) != 0)
		return -1;
	if (nstest_veth(nl, "lsn0", "lsn1", &v0, &v1) != 0)
		return -1;
	return nstest_wait_carrier(nl, v0, true, 3000) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	nl_close(nl);
	free(nl);
	return 0;
}

static struct nl_addr4 addr100(uint32_t valid, uint32_t preferred)
{
	struct nl_addr4 a = {
		.ifindex = v0, .addr = TN1(100), .prefix = 24, .broadcast = TN1(255),
		.valid_lft = valid, .preferred_lft = preferred,
	};
	return a;
}

/* ---- links ------------------------------------------------------------------ */

static void test_link_get_matches_ioctl(void **state)
{
	struct nl_link link;
	struct if_info info;

	(void)state;
	assert_int_equal(nl_link_get(nl, v0, &link), 0);
	assert_int_equal(if_info_get("lsn0", &info), 0);
	assert_string_equal(link.name, "lsn0");
	assert_int_equal(link.ifindex, info.ifindex);
	assert_int_equal(link.mac_len, 6);
	assert_memory_equal(link.mac, info.mac, 6);
	assert_int_equal(link.mtu, info.mtu);
	assert_true(link.flags & IFF_UP);
	assert_true(nl_flags_carrier(link.flags));
	/* veth has no burnt-in address: the kernel sends no IFLA_PERM_ADDRESS
	 * (ethtool agrees). */
	assert_false(link.has_perm_mac);
	assert_false(info.has_perm_mac);
}

static void test_set_mtu_reads_back(void **state)
{
	struct nl_link link;

	(void)state;
	assert_int_equal(nl_link_set_mtu(nl, v0, 1400), 0);
	assert_int_equal(nl_link_get(nl, v0, &link), 0);
	assert_int_equal(link.mtu, 1400);
	/* The kernel's refusal comes back as its errno (veth: min MTU 68). */
	assert_int_equal(nl_link_set_mtu(nl, v0, 10), -EINVAL);
	assert_int_equal(nl_link_set_mtu(nl, v0, 1500), 0);
}

static void test_set_mac_and_up_down(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x53, 0x01 };
	struct nl_link link;

	(void)state;
	assert_int_equal(nl_link_set_up(nl, v1, false), 0);
	assert_int_equal(nl_link_get(nl, v1, &link), 0);
	assert_false(link.flags & IFF_UP);
	assert_int_equal(nl_link_set_mac(nl, v1, mac), 0);
	assert_int_equal(nl_link_set_up(nl, v1, true), 0);
	assert_int_equal(nl_link_get(nl, v1, &link), 0);
	assert_true(link.flags & IFF_UP);
	assert_memory_equal(link.mac, mac, 6);
	assert_true(nstest_wait_carrier(nl, v0, true, 3000));
}

static void test_bad_requests(void **state)
{
	struct nl_link link;
	struct nl_addr4 a = addr100(300, 200);

	(void)state;
	assert_int_equal(nl_link_get(nl, 9999, &link), -ENODEV);
	assert_int_equal(nl_link_set_up(nl, 9999, true), -ENODEV);
	a.prefix = 33;
	assert_int_equal(nl_addr_add(nl, &a), -EINVAL);
	a = addr100(100, 200);          /* preferred beyond valid */
	assert_int_equal(nl_addr_add(nl, &a), -EINVAL);
}

/* ---- addresses -------------------------------------------------------------- */

static size_t list_v0(struct nl_addr4 *out, size_t max)
{
	size_t n = 0;

	assert_int_equal(nl_addr_list(nl, v0, out, max, &n), 0);
	return n;
}

static void test_addr_add_replace_delete(void **state)
{
	struct nl_addr4 a = addr100(300, 200), got[4];

	(void)state;
	assert_int_equal(nl_addr_add(nl, &a), 0);
	assert_int_equal(list_v0(got, 4), 1);
	assert_int_equal(got[0].addr, TN1(100));
	assert_int_equal(got[0].prefix, 24);
	assert_int_equal(got[0].broadcast, TN1(255));
	assert_int_equal(got[0].ifindex, v0);
	/* The kernel reports the time left: at most what was set. */
	assert_in_range(got[0].valid_lft, 290, 300);
	assert_in_range(got[0].preferred_lft, 190, 200);
	assert_false(got[0].noprefixroute);
	/* Add is exclusive; replace updates lifetimes in place (renewal). */
	assert_int_equal(nl_addr_add(nl, &a), -EEXIST);
	a = addr100(600, 500);
	assert_int_equal(nl_addr_replace(nl, &a), 0);
	assert_int_equal(list_v0(got, 4), 1);
	assert_in_range(got[0].valid_lft, 590, 600);
	assert_in_range(got[0].preferred_lft, 490, 500);
	a = addr100(NL_LIFETIME_FOREVER, NL_LIFETIME_FOREVER);
	assert_int_equal(nl_addr_replace(nl, &a), 0);
	assert_int_equal(list_v0(got, 4), 1);
	assert_int_equal(got[0].valid_lft, NL_LIFETIME_FOREVER);
	assert_int_equal(nl_addr_del(nl, &a), 0);
	assert_int_equal(list_v0(got, 4), 0);
	assert_int_equal(nl_addr_del(nl, &a), -EADDRNOTAVAIL);
}

static void test_addr_list_too_small(void **state)
{
	struct nl_addr4 a = addr100(300, 200), b = addr100(300, 200), got[1];
	size_t n = 0;

	(void)state;
	b.addr = TN1(101);
	assert_int_equal(nl_addr_add(nl, &a), 0);
	assert_int_equal(nl_addr_add(nl, &b), 0);
	assert_int_equal(nl_addr_list(nl, v0, got, 1, &n), -ENOBUFS);
	assert_int_equal(n, 2);
	assert_int_equal(nl_addr_del(nl, &b), 0);
	assert_int_equal(nl_addr_del(nl, &a), 0);
}

static bool has_prefix(const struct nl_prefix4 *p, size_t n, uint32_t net, uint8_t len,
		       int ifindex)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i].network == net && p[i].prefix == len && p[i].ifindex == ifindex)
			return true;
	}
	return false;
}

static void test_prefixes_elsewhere(void **state)
{
	struct nl_addr4 a = addr100(300, 200), b = addr100(300, 200);
	struct nl_prefix4 p[8];
	size_t n = 0;

	(void)state;
	b.ifindex = v1;
	b.addr = TN3(7);
	b.broadcast = 0;
	assert_int_equal(nl_addr_add(nl, &a), 0);
	assert_int_equal(nl_addr_add(nl, &b), 0);
	assert_int_equal(nl_prefixes_elsewhere(nl, v0, p, 8, &n), 0);
	assert_true(has_prefix(p, n, TN3(0), 24, v1));
	assert_true(has_prefix(p, n, 0x7f000000u, 8, 1));   /* lo, 127.0.0.0/8 */
	assert_false(has_prefix(p, n, TN1(0), 24, v0));
	assert_int_equal(n, 2);
	/* A partial list would make the override check unsound: refused. */
	assert_int_equal(nl_prefixes_elsewhere(nl, v0, p, 1, &n), -ENOBUFS);
	assert_int_equal(nl_addr_del(nl, &b), 0);
	assert_int_equal(nl_addr_del(nl, &a), 0);
}

/* ---- routes ----------------------------------------------------------------- */

static const struct nl_route4 *find_route(const struct nl_route4 *r, size_t n,
					  uint32_t dst, uint8_t prefix)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].dst == dst && r[i].prefix == prefix)
			return &r[i];
	}
	return NULL;
}

static size_t routes_v0(struct nl_route4 *out, size_t max)
{
	size_t n = 0;

	assert_int_equal(nl_route_list(nl, v0, out, max, &n), 0);
	return n;
}

static void test_routes_add_read_delete(void **state)
{
	struct nl_addr4 a = addr100(300, 200);
	struct nl_route4 def = { .ifindex = v0, .gateway = TN1(1), .metric = 50 };
	struct nl_route4 cls = { .ifindex = v0, .dst = TN2(0), .prefix = 24,
				 .gateway = TN1(1), .metric = 50 };
	struct nl_route4 got[8];
	const struct nl_route4 *r;

	(void)state;
	assert_int_equal(nl_addr_add(nl, &a), 0);
	assert_int_equal(nl_route_add(nl, &def), 0);
	assert_int_equal(nl_route_add(nl, &cls), 0);
	size_t n = routes_v0(got, 8);
	assert_non_null(r = find_route(got, n, 0, 0));
	assert_int_equal(r->gateway, TN1(1));
	assert_int_equal(r->metric, 50);
	assert_int_equal(r->protocol, RTPROT_DHCP);
	assert_non_null(r = find_route(got, n, TN2(0), 24));
	assert_int_equal(r->gateway, TN1(1));
	assert_int_equal(r->protocol, RTPROT_DHCP);
	/* The kernel's own prefix route for the address is there too. */
	assert_non_null(r = find_route(got, n, TN1(0), 24));
	assert_int_equal(r->protocol, RTPROT_KERNEL);
	assert_int_equal(nl_route_add(nl, &def), -EEXIST);
	assert_int_equal(nl_route_replace(nl, &def), 0);
	assert_int_equal(nl_route_del(nl, &def), 0);
	assert_int_equal(nl_route_del(nl, &cls), 0);
	n = routes_v0(got, 8);
	assert_null(find_route(got, n, 0, 0));
	assert_null(find_route(got, n, TN2(0), 24));
	assert_int_equal(nl_route_del(nl, &def), -ESRCH);
	assert_int_equal(nl_addr_del(nl, &a), 0);
}

static void test_route_gateway_rules(void **state)
{
	struct nl_addr4 a = addr100(300, 200);
	struct nl_route4 far = { .ifindex = v0, .dst = TN3(0), .prefix = 24,
				 .gateway = TN2(9), .metric = 10 };
	struct nl_route4 host_bits = { .ifindex = v0, .dst = TN3(1), .prefix = 24 };

	(void)state;
	assert_int_equal(nl_addr_add(nl, &a), 0);
	/* A gateway outside every on-link prefix: the kernel refuses ... */
	assert_int_equal(nl_route_add(nl, &far), -ENETUNREACH);
	/* ... unless told it is on the link (RTNH_F_ONLINK). */
	far.onlink = true;
	assert_int_equal(nl_route_add(nl, &far), 0);
	assert_int_equal(nl_route_del(nl, &far), 0);
	assert_int_equal(nl_route_add(nl, &host_bits), -EINVAL);
	assert_int_equal(nl_addr_del(nl, &a), 0);
}

static void test_noprefixroute_and_own_prefix_route(void **state)
{
	struct nl_addr4 a = addr100(300, 200);
	struct nl_route4 pfx = { .ifindex = v0, .dst = TN1(0), .prefix = 24,
				 .prefsrc = TN1(100), .metric = 1024 };
	struct nl_route4 got[8];
	const struct nl_route4 *r;

	(void)state;
	a.noprefixroute = true;
	assert_int_equal(nl_addr_add(nl, &a), 0);
	assert_null(find_route(got, routes_v0(got, 8), TN1(0), 24));
	assert_int_equal(nl_route_add(nl, &pfx), 0);
	size_t n = routes_v0(got, 8);
	assert_non_null(r = find_route(got, n, TN1(0), 24));
	assert_int_equal(r->gateway, 0);
	assert_int_equal(r->prefsrc, TN1(100));
	assert_int_equal(r->metric, 1024);
	assert_int_equal(r->protocol, RTPROT_DHCP);
	assert_int_equal(nl_route_del(nl, &pfx), 0);
	assert_int_equal(nl_addr_del(nl, &a), 0);
}

/* ---- carrier events --------------------------------------------------------- */

struct seen {
	enum nl_carrier states[16];
	size_t n;
};

static void on_carrier(void *arg, enum nl_carrier state)
{
	struct seen *s = arg;

	if (s->n < 16)
		s->states[s->n++] = state;
}

/* Read events until `want` transitions were seen or 3 s passed. */
static void pump(struct nl_conn *ev, struct nl_watch *w, struct seen *s, size_t want)
{
	for (int i = 0; i < 300 && s->n < want; i++) {
		if (nstest_readable(nl_fd(ev), 10))
			assert_int_equal(nl_watch_read(ev, w, on_carrier, s), 0);
	}
}

static void test_carrier_events(void **state)
{
	struct nl_conn *ev = calloc(1, sizeof *ev);
	struct nl_link link;
	struct nl_watch w;
	struct seen s = { .n = 0 };

	(void)state;
	assert_non_null(ev);
	assert_int_equal(nl_open(ev, RTMGRP_LINK), 0);
	assert_int_equal(nl_link_get(nl, v0, &link), 0);
	nl_watch_init(&w, &link);
	assert_int_equal(w.state, NL_CARRIER_UP);
	/* Not a carrier change: no call. */
	assert_int_equal(nl_link_set_mtu(nl, v0, 1400), 0);
	/* The peer going down takes v0's carrier (IFF_LOWER_UP) with it. */
	assert_int_equal(nl_link_set_up(nl, v1, false), 0);
	pump(ev, &w, &s, 1);
	assert_int_equal(nl_link_set_up(nl, v1, true), 0);
	pump(ev, &w, &s, 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.states[0], NL_CARRIER_DOWN);
	assert_int_equal(s.states[1], NL_CARRIER_UP);
	assert_int_equal(nl_link_set_mtu(nl, v0, 1500), 0);
	nl_close(ev);
	free(ev);
}

struct seen_mac {
	uint8_t macs[4][6];
	size_t n;
};

static void on_mac(void *arg, const uint8_t mac[6])
{
	struct seen_mac *s = arg;

	if (s->n < 4)
		memcpy(s->macs[s->n++], mac, 6);
}

static void on_carrier_ignored(void *arg, enum nl_carrier state)
{
	(void)arg;
	(void)state;
}

/* --random-mac: net follows a new address (down, set, up) with one call,
 * and no call for anything else. */
static void test_mac_events(void **state)
{
	static const uint8_t mac[6] = { 0x0a, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct nl_conn *ev = calloc(1, sizeof *ev);
	struct nl_link link;
	struct nl_watch w;
	struct seen_mac s = { .n = 0 };
	uint8_t old[6];

	(void)state;
	assert_non_null(ev);
	assert_int_equal(nl_open(ev, RTMGRP_LINK), 0);
	assert_int_equal(nl_link_get(nl, v0, &link), 0);
	memcpy(old, link.mac, 6);
	nl_watch_init(&w, &link);
	assert_null(w.on_mac);
	assert_memory_equal(w.mac, old, 6);
	w.on_mac = on_mac;
	assert_int_equal(nl_link_set_mtu(nl, v0, 1400), 0);   /* not an address change */
	assert_int_equal(nl_link_set_up(nl, v0, false), 0);
	assert_int_equal(nl_link_set_mac(nl, v0, mac), 0);
	assert_int_equal(nl_link_set_up(nl, v0, true), 0);
	for (int i = 0; i < 300 && (s.n < 1 || w.state != NL_CARRIER_UP); i++)
		if (nstest_readable(nl_fd(ev), 10))
			assert_int_equal(nl_watch_read(ev, &w, on_carrier_ignored, &s), 0);
	assert_int_equal(s.n, 1);
	assert_memory_equal(s.macs[0], mac, 6);
	assert_memory_equal(w.mac, mac, 6);
	assert_int_equal(nl_link_set_mtu(nl, v0, 1500), 0);
	for (int i = 0; i < 20; i++)
		if (nstest_readable(nl_fd(ev), 10))
			assert_int_equal(nl_watch_read(ev, &w, on_carrier_ignored, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(nl_link_get(nl, v0, &link), 0);
	assert_memory_equal(link.mac, mac, 6);
	assert_true(nstest_wait_carrier(nl, v0, true, 3000));
	nl_close(ev);
	free(ev);
}

static void test_link_gone_event(void **state)
{
	struct nl_conn *ev = calloc(1, sizeof *ev);
	struct nl_link link;
	struct nl_watch w;
	struct seen s = { .n = 0 };
	int a, b;

	(void)state;
	assert_non_null(ev);
	assert_int_equal(nstest_veth(nl, "lsg0", "lsg1", &a, &b), 0);
	assert_true(nstest_wait_carrier(nl, a, true, 3000));
	assert_int_equal(nl_open(ev, RTMGRP_LINK), 0);
	assert_int_equal(nl_link_get(nl, a, &link), 0);
	nl_watch_init(&w, &link);
	assert_int_equal(nstest_del_link(nl, b), 0);   /* takes both ends */
	pump(ev, &w, &s, 2);
	assert_true(s.n >= 1);
	assert_int_equal(s.states[s.n - 1], NL_LINK_GONE);
	assert_int_equal(nl_link_get(nl, a, &link), -ENODEV);
	nl_close(ev);
	free(ev);
}

static void test_watch_sync(void **state)
{
	struct nl_link link = { .ifindex = 5, .flags = IFF_UP | IFF_RUNNING | 0x10000 };
	struct nl_watch w;
	struct seen s = { .n = 0 };

	(void)state;
	nl_watch_init(&w, &link);
	nl_watch_sync(&w, &link, on_carrier, &s);
	assert_int_equal(s.n, 0);
	link.flags = IFF_UP;              /* no LOWER_UP, not RUNNING */
	nl_watch_sync(&w, &link, on_carrier, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.states[0], NL_CARRIER_DOWN);
	assert_false(nl_flags_carrier(IFF_RUNNING | 0x10000));  /* admin down */
	assert_false(nl_flags_carrier(IFF_UP | 0x10000));       /* dormant */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_get_matches_ioctl),
		cmocka_unit_test(test_set_mtu_reads_back),
		cmocka_unit_test(test_set_mac_and_up_down),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_addr_add_replace_delete),
		cmocka_unit_test(test_addr_list_too_small),
		cmocka_unit_test(test_prefixes_elsewhere),
		cmocka_unit_test(test_routes_add_read_delete),
		cmocka_unit_test(test_route_gateway_rules),
		cmocka_unit_test(test_noprefixroute_and_own_prefix_route),
		cmocka_unit_test(test_carrier_events),
		cmocka_unit_test(test_mac_events),
		cmocka_unit_test(test_link_gone_event),
		cmocka_unit_test(test_watch_sync),
	};

	nstest_enter("test_os_netlink");
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
