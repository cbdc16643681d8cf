/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The dhclient-script environment: exact variables for each kind of call,
 * dhclient's formats (classless routes decoded back the way Debian's
 * rfc3442 exit hook reads them), values that fail their check left out and
 * reported, bounded storage (every short size refused, nothing half-built),
 * and the largest leases fitting the documented sizes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lease_fixture.h"
#include "lessee/hookenv.h"

static char *envp[HOOKENV_VARS_MAX];
static char buf[HOOKENV_BUF_SIZE];
static struct hookenv env;

static enum hookenv_status build(enum hookenv_reason r, const struct client_lease *nl,
				 const struct client_lease *ol, bool anonymous)
{
	struct hookenv_args a = {
		.reason = r, .ifname = "eth0", .new_lease = nl, .new_expiry = 1700000600,
		.old_lease = ol, .old_expiry = 1700000000, .anonymous = anonymous,
	};

	hookenv_init(&env, envp, HOOKENV_VARS_MAX, buf, sizeof(buf));
	return hookenv_build(&env, &a);
}

static void assert_env(const char *const *want)
{
	size_t i;

	for (i = 0; want[i]; i++) {
		if (i >= env.n)
			fail_msg("missing %s", want[i]);
		assert_string_equal(env.envp[i], want[i]);
	}
	if (env.n != i)
		fail_msg("extra variable %s", env.envp[i]);
	assert_null(env.envp[env.n]);
}

static bool has_prefix_var(const char *pfx)
{
	for (size_t i = 0; i < env.n; i++)
		if (strncmp(env.envp[i], pfx, strlen(pfx)) == 0)
			return true;
	return false;
}

static void test_bound_exact(void **state)
{
	static const char *const want[] = {
		"reason=BOUND",
		"interface=eth0",
		"medium=",
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
		"new_ip_address=192.0.2.100",
		"new_subnet_mask=255.255.255.0",
		"new_network_number=192.0.2.0",
		"new_broadcast_address=192.0.2.255",
		"new_routers=192.0.2.1",
		"new_domain_name_servers=192.0.2.53 198.51.100.53",
		"new_ntp_servers=192.0.2.123",
		"new_domain_name=example.com",
		"new_domain_search=example.com. lab.example.org.",
		"new_interface_mtu=1500",
		"new_dhcp_lease_time=600",
		"new_dhcp_renewal_time=300",
		"new_dhcp_rebinding_time=525",
		"new_dhcp_server_identifier=192.0.2.1",
		"new_expiry=1700000600",
		NULL,
	};
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	assert_int_equal(build(HOOKENV_BOUND, &l, NULL, false), HOOKENV_OK);
	assert_env(want);
	assert_string_equal(env.bad, "");
	assert_string_equal(hookenv_get(&env, "new_domain_name"), "example.com");
	assert_null(hookenv_get(&env, "new_domain"));
	assert_null(hookenv_get(&env, "anonymous"));
}

static void test_preinit_and_anonymous(void **state)
{
	static const char *const want[] = {
		"reason=PREINIT", "interface=eth0", "medium=",
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "anonymous=1", NULL,
	};
	(void)state;

	assert_int_equal(build(HOOKENV_PREINIT, NULL, NULL, true), HOOKENV_OK);
	assert_env(want);
	assert_int_equal(build(HOOKENV_PREINIT, NULL, NULL, false), HOOKENV_OK);
	assert_int_equal(env.n, 4);
}

/* Decode new_rfc3442_classless_static_routes as Debian's exit hook does. */
static unsigned decode_routes(const char *s, struct wire_route *out, unsigned max)
{
	unsigned v[200], n = 0, i = 0, count = 0;
	char *end;

	while (*s && n < 200) {
		v[n++] = (unsigned)strtoul(s, &end, 10);
		assert_true(end != s);
		s = *end == ' ' ? end + 1 : end;
	}
	while (i < n && count < max) {
		unsigned pfx = v[i++], octets = (pfx + 7) / 8;
		uint32_t dst = 0, gw = 0;

		assert_true(pfx <= 32 && i + octets + 4 <= n);
		for (unsigned k = 0; k < 4; k++)
			dst = dst << 8 | (k < octets ? v[i + k] : 0);
		i += octets;
		for (unsigned k = 0; k < 4; k++)
			gw = gw << 8 | v[i++];
		out[count++] = (struct wire_route){ dst, (uint8_t)pfx, gw };
	}
	assert_int_equal(i, n);
	return count;
}

static void assert_routes_equal(const struct wire_route *a, const struct wire_route *b,
				unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(a[i].dst, b[i].dst);
		assert_int_equal(a[i].prefix, b[i].prefix);
		assert_int_equal(a[i].gateway, b[i].gateway);
	}
}

static void test_routes_format(void **state)
{
	struct client_lease l;
	struct wire_route back[CLIENT_MAX_ROUTES];
	const char *v;
	(void)state;

	fixture_lease_routes(&l);
	assert_int_equal(build(HOOKENV_BOUND, &l, NULL, false), HOOKENV_OK);
	assert_string_equal(hookenv_get(&env, "new_rfc3442_classless_static_routes"),
			    "24 198 51 100 192 0 2 1 24 203 0 113 0 0 0 0 0 192 0 2 1");
	assert_null(hookenv_get(&env, "new_routers"));

	/* Every destination width. */
	l.n_routes = 5;
	l.routes[0] = (struct wire_route){ IP4(203, 0, 113, 9), 32, IP4(192, 0, 2, 1) };
	l.routes[1] = (struct wire_route){ IP4(198, 51, 100, 128), 25, 0 };
	l.routes[2] = (struct wire_route){ IP4(10, 128, 0, 0), 9, IP4(192, 0, 2, 2) };
	l.routes[3] = (struct wire_route){ IP4(128, 0, 0, 0), 1, IP4(192, 0, 2, 3) };
	l.routes[4] = (struct wire_route){ 0, 0, IP4(192, 0, 2, 4) };
	assert_int_equal(build(HOOKENV_BOUND, &l, NULL, false), HOOKENV_OK);
	v = hookenv_get(&env, "new_rfc3442_classless_static_routes");
	assert_string_equal(v, "32 203 0 113 9 192 0 2 1 25 198 51 100 128 0 0 0 0 "
			       "9 10 128 192 0 2 2 1 128 192 0 2 3 0 192 0 2 4");
	assert_int_equal(decode_routes(v, back, CLIENT_MAX_ROUTES), 5);
	assert_routes_equal(back, l.routes, 5);

	fixture_lease_full(&l);
	assert_int_equal(build(HOOKENV_BOUND, &l, NULL, false), HOOKENV_OK);
	v = hookenv_get(&env, "new_rfc3442_classless_static_routes");
	assert_int_equal(decode_routes(v, back, CLIENT_MAX_ROUTES), CLIENT_MAX_ROUTES);
	assert_routes_equal(back, l.routes, CLIENT_MAX_ROUTES);
}

static void test_renew_with_old(void **state)
{
	struct client_lease nl, ol;
	(void)state;

	fixture_lease(&nl);
	fixture_lease_routes(&ol);
	ol.address = IP4(192, 0, 2, 50);
	memset(ol.domain_name, 0, sizeof(ol.domain_name));
	assert_int_equal(build(HOOKENV_RENEW, &nl, &ol, false), HOOKENV_OK);
	assert_string_equal(hookenv_get(&env, "reason"), "RENEW");
	assert_string_equal(hookenv_get(&env, "new_ip_address"), "192.0.2.100");
	assert_string_equal(hookenv_get(&env, "old_ip_address"), "192.0.2.50");
	assert_string_equal(hookenv_get(&env, "old_expiry"), "1700000000");
	assert_string_equal(hookenv_get(&env, "new_routers"), "192.0.2.1");
	assert_null(hookenv_get(&env, "old_routers"));
	assert_non_null(hookenv_get(&env, "old_rfc3442_classless_static_routes"));
	assert_null(hookenv_get(&env, "old_domain_name"));
	assert_string_equal(hookenv_get(&env, "new_domain_name"), "example.com");
	assert_int_equal(env.n, 4 + 15 + 14);
}

static void test_lease_gone_old_only(void **state)
{
	const enum hookenv_reason gone[] = { HOOKENV_EXPIRE, HOOKENV_FAIL, HOOKENV_STOP,
					     HOOKENV_RELEASE };
	struct client_lease ol;
	(void)state;

	fixture_lease(&ol);
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		assert_int_equal(build(gone[i], NULL, &ol, false), HOOKENV_OK);
		assert_string_equal(hookenv_get(&env, "reason"), hookenv_reason_name(gone[i]));
		assert_false(has_prefix_var("new_"));
		assert_string_equal(hookenv_get(&env, "old_ip_address"), "192.0.2.100");
		/* Without an old lease: just the four. */
		assert_int_equal(build(gone[i], NULL, NULL, false), HOOKENV_OK);
		assert_int_equal(env.n, 4);
	}
	/* TIMEOUT tests a stored lease, passed as new_ (dhclient-script(8)). */
	assert_int_equal(build(HOOKENV_TIMEOUT, &ol, NULL, false), HOOKENV_OK);
	assert_string_equal(hookenv_get(&env, "new_ip_address"), "192.0.2.100");
}

static void test_argument_errors(void **state)
{
	struct client_lease l;
	struct hookenv_args a = { .reason = HOOKENV_BOUND, .ifname = "eth0" };
	const char *bad_if[] = { "", "eth0;reboot", "$(id)", "a b", "../x", "averyveryverylongname",
				 NULL };
	(void)state;

	fixture_lease(&l);
	assert_int_equal(build(HOOKENV_BOUND, NULL, NULL, false), HOOKENV_BAD_ARGUMENT);
	assert_int_equal(env.n, 0);
	assert_null(env.envp[0]);
	assert_int_equal(build(HOOKENV_EXPIRE, &l, NULL, false), HOOKENV_BAD_ARGUMENT);
	assert_int_equal(build(HOOKENV_PREINIT, NULL, &l, false), HOOKENV_BAD_ARGUMENT);
	assert_int_equal(build(HOOKENV_REASON_COUNT, &l, NULL, false), HOOKENV_BAD_ARGUMENT);
	assert_int_equal(build(HOOKENV_TIMEOUT, NULL, &l, false), HOOKENV_BAD_ARGUMENT);
	a.new_lease = &l;
	hookenv_init(&env, envp, HOOKENV_VARS_MAX, buf, sizeof(buf));
	assert_int_equal(hookenv_build(&env, &a), HOOKENV_OK);
	for (size_t i = 0; bad_if[i]; i++) {
		a.ifname = bad_if[i];
		assert_int_equal(hookenv_build(&env, &a), HOOKENV_BAD_ARGUMENT);
		assert_null(env.envp[0]);
	}
	a.ifname = NULL;
	assert_int_equal(hookenv_build(&env, &a), HOOKENV_BAD_ARGUMENT);
	assert_int_equal(hookenv_build(&env, NULL), HOOKENV_BAD_ARGUMENT);
	assert_int_equal(hookenv_build(NULL, &a), HOOKENV_BAD_ARGUMENT);
}

/* One broken value: left out, named, the rest written. */
static void expect_omitted(const struct client_lease *l, const char *var)
{
	assert_int_equal(build(HOOKENV_BOUND, l, NULL, false), HOOKENV_BAD_VALUE);
	assert_string_equal(env.bad, var);
	assert_null(hookenv_get(&env, var));
	assert_string_equal(hookenv_get(&env, "reason"), "BOUND");
	if (strcmp(var, "new_ip_address") != 0)
		assert_non_null(hookenv_get(&env, "new_ip_address"));
	if (strcmp(var, "new_dhcp_server_identifier") != 0)
		assert_non_null(hookenv_get(&env, "new_dhcp_server_identifier"));
}

static void set_name(char *field, const char *s)
{
	memset(field, 0, CLIENT_NAME_MAX);
	strcpy(field, s);
}

static void test_bad_values_omitted(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	set_name(l.domain_name, "example.com; reboot");
	expect_omitted(&l, "new_domain_name");
	fixture_lease(&l);
	set_name(l.search[1], "$(reboot)");
	expect_omitted(&l, "new_domain_search");
	fixture_lease(&l);
	set_name(l.search[0], "a`id`");
	expect_omitted(&l, "new_domain_search");
	fixture_lease(&l);
	l.dns[1] = IP4(127, 0, 0, 1);
	expect_omitted(&l, "new_domain_name_servers");
	fixture_lease(&l);
	l.ntp[0] = 0;
	expect_omitted(&l, "new_ntp_servers");
	fixture_lease(&l);
	l.routers[0] = UINT32_MAX;
	expect_omitted(&l, "new_routers");
	fixture_lease(&l);
	l.address = IP4(224, 0, 0, 1);
	expect_omitted(&l, "new_ip_address");
	fixture_lease(&l);
	l.prefix = 40;
	expect_omitted(&l, "new_subnet_mask");
	fixture_lease(&l);
	l.broadcast = IP4(198, 51, 100, 255);
	expect_omitted(&l, "new_broadcast_address");
	fixture_lease(&l);
	l.mtu = 100;
	expect_omitted(&l, "new_interface_mtu");
	fixture_lease(&l);
	l.server_id = 0;
	expect_omitted(&l, "new_dhcp_server_identifier");
	fixture_lease(&l);
	l.lease_s = 0;
	expect_omitted(&l, "new_dhcp_lease_time");
	fixture_lease(&l);
	l.t1_s = 900;
	expect_omitted(&l, "new_dhcp_renewal_time");
	fixture_lease_routes(&l);
	l.routes[0].dst |= 1;
	expect_omitted(&l, "new_rfc3442_classless_static_routes");
	fixture_lease_routes(&l);
	l.routes[1].prefix = 33;
	expect_omitted(&l, "new_rfc3442_classless_static_routes");
	/* Only the first bad variable is named; all are left out. */
	fixture_lease(&l);
	l.routers[0] = 0;
	l.dns[0] = 0;
	expect_omitted(&l, "new_routers");
	assert_null(hookenv_get(&env, "new_domain_name_servers"));
}

static void test_broken_shape_reads_nothing(void **state)
{
	struct client_lease l, ol;
	(void)state;

	fixture_lease(&l);
	fixture_lease(&ol);
	l.n_dns = 200;
	assert_int_equal(build(HOOKENV_RENEW, &l, &ol, false), HOOKENV_BAD_VALUE);
	assert_string_equal(env.bad, "new_lease");
	assert_false(has_prefix_var("new_"));
	assert_true(has_prefix_var("old_"));
	fixture_lease(&l);
	memset(l.domain_name, 'x', sizeof(l.domain_name));
	assert_int_equal(build(HOOKENV_BOUND, &l, NULL, false), HOOKENV_BAD_VALUE);
	assert_false(has_prefix_var("new_"));
}

/* Values contain nothing a shell or a parser could trip on. */
static void test_charset_of_every_value(void **state)
{
	struct client_lease nl, ol;
	(void)state;

	fixture_lease_full(&nl);
	fixture_lease_routes(&ol);
	assert_int_equal(build(HOOKENV_REBIND, &nl, &ol, true), HOOKENV_OK);
	for (size_t i = 0; i < env.n; i++) {
		const char *eq = strchr(env.envp[i], '=');

		assert_non_null(eq);
		for (const char *p = eq + 1; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789 .:/-", *p))
				fail_msg("byte 0x%02x in %s", (unsigned char)*p, env.envp[i]);
	}
}

/* Every size short of the need is refused and leaves an empty list. */
static void test_no_room(void **state)
{
	static char small[HOOKENV_BUF_SIZE];
	static char *small_envp[HOOKENV_VARS_MAX];
	struct client_lease l;
	struct hookenv_args a = { .reason = HOOKENV_BOUND, .ifname = "eth0", .new_lease = &l };
	size_t need_bytes, need_vars;
	(void)state;

	fixture_lease_routes(&l);
	hookenv_init(&env, envp, HOOKENV_VARS_MAX, buf, sizeof(buf));
	assert_int_equal(hookenv_build(&env, &a), HOOKENV_OK);
	need_bytes = env.used;
	need_vars = env.n + 1;
	for (size_t cap = 0; cap < need_bytes; cap++) {
		hookenv_init(&env, small_envp, HOOKENV_VARS_MAX, small, cap);
		assert_int_equal(hookenv_build(&env, &a), HOOKENV_NO_ROOM);
		assert_int_equal(env.n, 0);
		assert_null(small_envp[0]);
	}
	hookenv_init(&env, small_envp, HOOKENV_VARS_MAX, small, need_bytes);
	assert_int_equal(hookenv_build(&env, &a), HOOKENV_OK);
	for (size_t n = 0; n < need_vars; n++) {
		hookenv_init(&env, small_envp, n, small, sizeof(small));
		assert_int_equal(hookenv_build(&env, &a), HOOKENV_NO_ROOM);
	}
	hookenv_init(&env, small_envp, need_vars, small, sizeof(small));
	assert_int_equal(hookenv_build(&env, &a), HOOKENV_OK);
	hookenv_init(&env, NULL, 0, NULL, 0);
	assert_int_equal(hookenv_build(&env, &a), HOOKENV_NO_ROOM);
}

static void test_largest_fits(void **state)
{
	struct client_lease nl, ol;
	(void)state;

	fixture_lease_full(&nl);
	fixture_lease_full(&ol);
	assert_int_equal(build(HOOKENV_RENEW, &nl, &ol, true), HOOKENV_OK);
	assert_true(env.used <= HOOKENV_BUF_SIZE);
	assert_int_equal(env.n, 5 + 2 * 16);
	print_message("largest environment: %zu variables, %zu of %u bytes\n", env.n, env.used,
		      HOOKENV_BUF_SIZE);
}

static void test_infinite_lease(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	l.lease_s = l.t1_s = l.t2_s = UINT32_MAX;
	l.t1_at = l.t2_at = l.expires_at = CLIENT_NEVER;
	assert_int_equal(build(HOOKENV_BOUND, &l, NULL, false), HOOKENV_OK);
	assert_string_equal(hookenv_get(&env, "new_dhcp_lease_time"), "4294967295");
}

/* new_expiry: dhclient's 2147483647 for an infinite lease, never negative,
 * no overflow near the end of the engine's clock (found by fuzz_ipc_apply:
 * the infinite lease's hook ran without new_expiry). */
static void test_wall_expiry(void **state)
{
	struct client_lease l;
	(void)state;

	fixture_lease(&l);
	l.expires_at = 600000;
	assert_int_equal(hookenv_wall_expiry(&l, 1700000000000), 1700000600);
	assert_int_equal(hookenv_wall_expiry(&l, -700000), 0);
	l.expires_at = (uint64_t)INT64_MAX - 5;
	assert_int_equal(hookenv_wall_expiry(&l, 1700000000000), INT64_MAX / 1000);
	l.lease_s = l.t1_s = l.t2_s = UINT32_MAX;
	l.t1_at = l.t2_at = l.expires_at = CLIENT_NEVER;
	assert_int_equal(hookenv_wall_expiry(&l, 1700000000000), 2147483647);
	struct hookenv_args a = {
		.reason = HOOKENV_BOUND, .ifname = "eth0", .new_lease = &l,
		.new_expiry = hookenv_wall_expiry(&l, 1700000000000),
	};
	hookenv_init(&env, envp, HOOKENV_VARS_MAX, buf, sizeof(buf));
	assert_int_equal(hookenv_build(&env, &a), HOOKENV_OK);
	assert_string_equal(hookenv_get(&env, "new_expiry"), "2147483647");
}

static void test_names(void **state)
{
	(void)state;

	assert_string_equal(hookenv_reason_name(HOOKENV_PREINIT), "PREINIT");
	assert_string_equal(hookenv_reason_name(HOOKENV_TIMEOUT), "TIMEOUT");
	assert_string_equal(hookenv_reason_name(HOOKENV_REASON_COUNT), "?");
	assert_string_equal(hookenv_status_name(HOOKENV_NO_ROOM), "NO_ROOM");
	assert_string_equal(hookenv_status_name((enum hookenv_status)9), "?");
	assert_int_equal(hookenv_reason_from_client(CLIENT_HOOK_BOUND), HOOKENV_BOUND);
	assert_int_equal(hookenv_reason_from_client(CLIENT_HOOK_RENEW), HOOKENV_RENEW);
	assert_int_equal(hookenv_reason_from_client(CLIENT_HOOK_REBIND), HOOKENV_REBIND);
	assert_int_equal(hookenv_reason_from_client(CLIENT_HOOK_REBOOT), HOOKENV_REBOOT);
	assert_int_equal(hookenv_reason_from_client(CLIENT_HOOK_EXPIRE), HOOKENV_EXPIRE);
	assert_int_equal(hookenv_reason_from_client(CLIENT_HOOK_FAIL), HOOKENV_FAIL);
	assert_int_equal(hookenv_reason_from_client(CLIENT_HOOK_STOP), HOOKENV_STOP);
	assert_int_equal(hookenv_reason_from_client(CLIENT_HOOK_RELEASE), HOOKENV_RELEASE);
	assert_int_equal(hookenv_reason_from_client((enum client_hook_reason)42),
			 HOOKENV_REASON_COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_exact),
		cmocka_unit_test(test_preinit_and_anonymous),
		cmocka_unit_test(test_routes_format),
		cmocka_unit_test(test_renew_with_old),
		cmocka_unit_test(test_lease_gone_old_only),
		cmocka_unit_test(test_argument_errors),
		cmocka_unit_test(test_bad_values_omitted),
		cmocka_unit_test(test_broken_shape_reads_nothing),
		cmocka_unit_test(test_charset_of_every_value),
		cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_largest_fits),
		cmocka_unit_test(test_infinite_lease),
		cmocka_unit_test(test_wall_expiry),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
