/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhcp_parse: one test per malformed-input class, each checking the exact
 * reason (and offset/option where it matters). Every input is parsed from a
 * buffer flush against an unmapped page, so any over-read faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/dhcp.h"
#include "wire/dns.h"
#include "wire/routes.h"

#define HDR DHCP_OPTIONS_OFF

static uint8_t raw[70000];
static uint8_t scratch[70000];
static struct dhcp_msg msg;
static struct wire_error err;

/* A BOOTREPLY header with cookie; returns its length (240). */
static size_t put_header(uint8_t *b)
{
	memset(b, 0, HDR);
	b[0] = BOOTREPLY;
	b[1] = 1;
	b[2] = 6;
	b[4] = 0x39, b[5] = 0x03, b[6] = 0xf3, b[7] = 0x26;
	b[16] = 192, b[17] = 0, b[18] = 2, b[19] = 100; /* yiaddr */
	b[28] = 0x02, b[33] = 0x01;                      /* chaddr 02:..:01 */
	b[236] = 0x63, b[237] = 0x82, b[238] = 0x53, b[239] = 0x63;
	return HDR;
}

/*
 * Parse from a guarded copy. The view points into the copy, so the copy
 * stays mapped until the next parse.
 */
static enum wire_reason parse_raw(const uint8_t *b, size_t len)
{
	static struct guarded last;

	if (last.map)
		guard_free(&last);
	last = guard_copy(b, len);
	return dhcp_parse(last.data, last.len, scratch, sizeof(scratch), &msg, &err);
}

/* Header + the given option bytes. */
static enum wire_reason parse_opts(const uint8_t *opts, size_t n)
{
	size_t len = put_header(raw);
	memcpy(raw + len, opts, n);
	return parse_raw(raw, len + n);
}

static bool was_dropped(uint8_t code, enum wire_reason why)
{
	for (size_t i = 0; i < msg.n_dropped && i < DHCP_MAX_DROPPED; i++)
		if (msg.dropped[i].code == code && msg.dropped[i].reason == why)
			return true;
	return false;
}

#define ACK 53, 1, 5
#define SERVER_ID 54, 4, 192, 0, 2, 1

static void test_minimal_ack(void **state)
{
	const uint8_t o[] = { ACK, SERVER_ID, 51, 4, 0, 0, 2, 88, 255 };
	uint32_t v;
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_int_equal(msg.type, DHCPACK);
	assert_int_equal(msg.hdr.xid, 0x3903f326u);
	assert_int_equal(msg.hdr.yiaddr, 0xc0000264u);
	assert_true(dhcp_get_ip(&msg, DHCP_OPT_SERVER_ID, &v));
	assert_int_equal(v, 0xc0000201u);
	assert_true(dhcp_get_u32(&msg, DHCP_OPT_LEASE_TIME, &v));
	assert_int_equal(v, 600);
	assert_int_equal(msg.n_order, 3);
	assert_int_equal(msg.order[0], 53);
	assert_int_equal(msg.order[2], 51);
	assert_false(msg.missing_end);
	assert_int_equal(msg.n_dropped, 0);
}

static void test_getters_demand_exact_length(void **state)
{
	const uint8_t o[] = { ACK, SERVER_ID, 3, 8, 192, 0, 2, 1, 192, 0, 2, 2, 255 };
	uint16_t v16;
	uint8_t v8;
	uint32_t list[1];
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_false(dhcp_get_u16(&msg, DHCP_OPT_SERVER_ID, &v16));
	assert_false(dhcp_get_u8(&msg, DHCP_OPT_SERVER_ID, &v8));
	assert_false(dhcp_get_u16(&msg, DHCP_OPT_MTU, &v16));
	/* A list getter copies what fits and says how many there are. */
	assert_int_equal(dhcp_get_ip_list(&msg, DHCP_OPT_ROUTER, list, 1), 2);
	assert_int_equal(list[0], 0xc0000201u);
}

static void test_truncated_header(void **state)
{
	uint8_t b[HDR];
	(void)state;

	put_header(b);
	assert_int_equal(parse_raw(b, 0), WIRE_TRUNCATED);
	assert_int_equal(parse_raw(b, 235), WIRE_TRUNCATED);
	/* The fixed part is there but the cookie is cut short. */
	assert_int_equal(parse_raw(b, 238), WIRE_BAD_COOKIE);
	assert_int_equal(err.offset, DHCP_FIXED_LEN);
}

static void test_bad_op_htype_hlen_cookie(void **state)
{
	uint8_t b[HDR + 4];
	(void)state;

	put_header(b);
	b[HDR] = 53, b[HDR + 1] = 1, b[HDR + 2] = 5, b[HDR + 3] = 255;
	assert_int_equal(parse_raw(b, sizeof(b)), WIRE_OK);
	b[0] = 3;
	assert_int_equal(parse_raw(b, sizeof(b)), WIRE_BAD_OP);
	b[0] = BOOTREPLY;
	b[2] = 17;
	assert_int_equal(parse_raw(b, sizeof(b)), WIRE_BAD_HLEN);
	b[2] = 7; /* Ethernet addresses are 6 bytes */
	assert_int_equal(parse_raw(b, sizeof(b)), WIRE_BAD_HLEN);
	b[1] = 32, b[2] = 0; /* InfiniBand: no chaddr at all */
	assert_int_equal(parse_raw(b, sizeof(b)), WIRE_OK);
	b[1] = 1, b[2] = 6;
	b[239] = 0x64;
	assert_int_equal(parse_raw(b, sizeof(b)), WIRE_BAD_COOKIE);
}

static void test_too_long(void **state)
{
	(void)state;
	put_header(raw);
	assert_int_equal(dhcp_parse(raw, 65508, scratch, sizeof(scratch), &msg, &err),
			 WIRE_TOO_LONG);
}

static void test_option_past_end(void **state)
{
	const uint8_t o[] = { ACK, 6, 8, 192, 0, 2, 53 };
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OPT_OVERRUN);
	assert_int_equal(err.offset, HDR + 3);
	assert_int_equal(err.option, 6);
	/* A code byte with no length byte after it. */
	const uint8_t o2[] = { ACK, 6 };
	assert_int_equal(parse_opts(o2, sizeof(o2)), WIRE_OPT_OVERRUN);
}

/*
 * A real client ignored the MTU option's length and read every following
 * option misaligned. Here a bad length drops that option alone and the
 * rest parses in step.
 */
static void test_mtu_wrong_length_keeps_alignment(void **state)
{
	const uint8_t len1[] = { ACK, 26, 1, 5, SERVER_ID, 255 };
	const uint8_t len3[] = { ACK, 26, 3, 5, 220, 0, SERVER_ID, 255 };
	uint32_t sid;
	uint16_t mtu;
	(void)state;

	assert_int_equal(parse_opts(len1, sizeof(len1)), WIRE_OK);
	assert_true(was_dropped(26, WIRE_OPT_LENGTH));
	assert_false(dhcp_get_u16(&msg, 26, &mtu));
	assert_true(dhcp_get_ip(&msg, DHCP_OPT_SERVER_ID, &sid));
	assert_int_equal(sid, 0xc0000201u);

	assert_int_equal(parse_opts(len3, sizeof(len3)), WIRE_OK);
	assert_true(was_dropped(26, WIRE_OPT_LENGTH));
	assert_int_equal(msg.dropped[0].offset, HDR + 3);
	assert_true(dhcp_get_ip(&msg, DHCP_OPT_SERVER_ID, &sid));
}

static void test_zero_and_odd_lengths(void **state)
{
	const uint8_t o[] = { ACK, 1, 0, 51, 5, 0, 0, 0, 1, 0, 3, 3, 192, 0, 2, SERVER_ID, 255 };
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_true(was_dropped(1, WIRE_OPT_LENGTH));
	assert_true(was_dropped(51, WIRE_OPT_LENGTH));
	assert_true(was_dropped(3, WIRE_OPT_LENGTH));
	assert_int_equal(msg.n_dropped, 3);
	assert_true(dhcp_has(&msg, DHCP_OPT_SERVER_ID));
	assert_true(dhcp_seen(&msg, 1));
	assert_false(dhcp_has(&msg, 1));
}

static void test_value_rules(void **state)
{
	const uint8_t o[] = { ACK, 19, 1, 2, 26, 2, 0, 67, 52, 1, 0, 23, 1, 0, 255 };
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_true(was_dropped(19, WIRE_OPT_VALUE));  /* bool 2 */
	assert_true(was_dropped(26, WIRE_OPT_VALUE));  /* MTU under 68 */
	assert_true(was_dropped(52, WIRE_OPT_VALUE));  /* overload 0 */
	assert_true(was_dropped(23, WIRE_OPT_VALUE));  /* TTL 0 */
	assert_int_equal(msg.overload, 0);
}

static void test_message_type_rules(void **state)
{
	const uint8_t none[] = { SERVER_ID, 255 };
	const uint8_t zero[] = { 53, 1, 0, 255 };
	const uint8_t big[] = { 53, 1, 19, 255 };
	const uint8_t twice[] = { 53, 1, 5, 53, 1, 5, 255 };
	const uint8_t wide[] = { 53, 2, 0, 5, 255 };
	const uint8_t force[] = { 53, 1, 9, 255 };
	(void)state;

	assert_int_equal(parse_opts(none, sizeof(none)), WIRE_NO_MSG_TYPE);
	assert_int_equal(parse_opts(zero, sizeof(zero)), WIRE_BAD_MSG_TYPE);
	assert_int_equal(parse_opts(big, sizeof(big)), WIRE_BAD_MSG_TYPE);
	assert_int_equal(err.offset, HDR);
	assert_int_equal(err.option, 53);
	/* RFC 3396: two instances are one two-byte value, which is invalid. */
	assert_int_equal(parse_opts(twice, sizeof(twice)), WIRE_BAD_MSG_TYPE);
	assert_int_equal(parse_opts(wide, sizeof(wide)), WIRE_BAD_MSG_TYPE);
	assert_int_equal(parse_opts(force, sizeof(force)), WIRE_OK);
	assert_int_equal(msg.type, DHCPFORCERENEW);
	assert_string_equal(dhcp_msg_type_name(msg.type), "FORCERENEW");
}

static void test_pad_and_missing_end(void **state)
{
	const uint8_t o[] = { 0, 0, ACK, 0, SERVER_ID };
	const uint8_t after_end[] = { ACK, 255, 6, 200, 1 };
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_true(msg.missing_end);
	assert_true(dhcp_has(&msg, DHCP_OPT_SERVER_ID));
	/* Whatever follows END is padding, even if it looks like options. */
	assert_int_equal(parse_opts(after_end, sizeof(after_end)), WIRE_OK);
	assert_false(dhcp_seen(&msg, 6));
}

static void test_unknown_options_kept(void **state)
{
	const uint8_t o[] = { ACK, 200, 3, 'a', 0, 'b', 224, 0, 255 };
	const uint8_t *d;
	size_t n;
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_true(dhcp_get_bytes(&msg, 200, &d, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(d, "a\0b", 3);
	assert_true(dhcp_has(&msg, 224));
	assert_int_equal(msg.opt[224].len, 0);
	assert_null(dhcp_opt_name(200));
}

/* RFC 3396: instances are concatenated in order, also across areas. */
static void test_split_option_concatenated(void **state)
{
	const uint8_t o[] = { 6, 4, 192, 0, 2, 53, ACK, 6, 4, 192, 0, 2, 54, 255 };
	uint32_t dns[4];
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_int_equal(dhcp_get_ip_list(&msg, 6, dns, 4), 2);
	assert_int_equal(dns[0], 0xc0000235u);
	assert_int_equal(dns[1], 0xc0000236u);
	assert_int_equal(msg.opt[6].instances, 2);
	assert_int_equal(msg.order[0], 6);
	/* An IP split 2 + 2 is one valid 4-byte value. */
	const uint8_t o2[] = { ACK, 54, 2, 192, 0, 54, 2, 2, 1, 255 };
	uint32_t sid;
	assert_int_equal(parse_opts(o2, sizeof(o2)), WIRE_OK);
	assert_true(dhcp_get_ip(&msg, 54, &sid));
	assert_int_equal(sid, 0xc0000201u);
}

static void test_scratch_too_small(void **state)
{
	const uint8_t o[] = { 6, 4, 192, 0, 2, 53, ACK, 6, 4, 192, 0, 2, 54, 255 };
	uint8_t tiny[7];
	(void)state;

	size_t len = put_header(raw);
	memcpy(raw + len, o, sizeof(o));
	assert_int_equal(dhcp_parse(raw, len + sizeof(o), tiny, sizeof(tiny), &msg, &err),
			 WIRE_NO_ROOM);
	assert_int_equal(err.option, 6);
}

static void test_overload_file_and_sname(void **state)
{
	const uint8_t o[] = { ACK, 52, 1, 3, 6, 4, 192, 0, 2, 53, 255 };
	uint32_t dns[3], sid;
	(void)state;

	size_t len = put_header(raw);
	memcpy(raw + len, o, sizeof(o));
	len += sizeof(o);
	/* file: rest of the DNS list and the server id; sname: the domain. */
	const uint8_t file[] = { 6, 4, 192, 0, 2, 54, SERVER_ID, 255 };
	const uint8_t sname[] = { 15, 4, 't', 'e', 's', 't', 255 };
	memcpy(raw + DHCP_FILE_OFF, file, sizeof(file));
	memcpy(raw + DHCP_SNAME_OFF, sname, sizeof(sname));
	assert_int_equal(parse_raw(raw, len), WIRE_OK);
	assert_int_equal(msg.overload, 3);
	assert_int_equal(dhcp_get_ip_list(&msg, 6, dns, 3), 2);
	assert_int_equal(dns[1], 0xc0000236u);
	assert_true(dhcp_get_ip(&msg, DHCP_OPT_SERVER_ID, &sid));
	assert_true(dhcp_has(&msg, DHCP_OPT_DOMAIN_NAME));
	/* Without the overload option file and sname are plain fields. */
	raw[HDR + 5] = 0; /* overload value 0 -> dropped, areas not read */
	assert_int_equal(parse_raw(raw, len), WIRE_OK);
	assert_false(dhcp_has(&msg, DHCP_OPT_SERVER_ID));
	assert_true(was_dropped(52, WIRE_OPT_VALUE));
}

static void test_overload_into_garbage(void **state)
{
	const uint8_t o[] = { ACK, 52, 1, 1, 255 };
	(void)state;

	size_t len = put_header(raw);
	memcpy(raw + len, o, sizeof(o));
	len += sizeof(o);
	memset(raw + DHCP_FILE_OFF, 0x41, DHCP_FILE_LEN);
	assert_int_equal(parse_raw(raw, len), WIRE_OPT_OVERRUN);
	assert_true(err.offset >= DHCP_FILE_OFF && err.offset < DHCP_FILE_OFF + DHCP_FILE_LEN);
	/* Option 52 again inside the overloaded area is refused outright. */
	memset(raw + DHCP_FILE_OFF, 0, DHCP_FILE_LEN);
	raw[DHCP_FILE_OFF] = 52, raw[DHCP_FILE_OFF + 1] = 1, raw[DHCP_FILE_OFF + 2] = 2;
	assert_int_equal(parse_raw(raw, len), WIRE_BAD_OVERLOAD);
	assert_int_equal(err.offset, DHCP_FILE_OFF);
}

static void test_too_many_instances(void **state)
{
	static uint8_t o[3 + 2 * 256 + 1];
	size_t n = 0;
	(void)state;

	o[n++] = 53, o[n++] = 1, o[n++] = 5;
	for (int i = 0; i < 256; i++)
		o[n++] = 200, o[n++] = 0;
	o[n++] = 255;
	assert_int_equal(parse_opts(o, n), WIRE_OK);
	assert_true(was_dropped(200, WIRE_OPT_TOO_MANY));
	assert_int_equal(parse_opts(o, n - 3), WIRE_OK); /* 255 instances are fine */
	assert_true(dhcp_has(&msg, 200));
}

static void test_domain_search(void **state)
{
	/* "example.test", then "lab" + pointer to offset 0. */
	const uint8_t o[] = { ACK, 119, 20, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e',
			      's', 't', 0, 3, 'l', 'a', 'b', 0xc0, 0, 255 };
	struct dns_list_iter it;
	char name[DNS_TEXT_MAX];
	const uint8_t *d;
	size_t n;
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_true(dhcp_get_bytes(&msg, 119, &d, &n));
	dns_list_init(&it, d, n);
	assert_int_equal(dns_list_next(&it, name, sizeof(name), &err), 1);
	assert_string_equal(name, "example.test");
	assert_int_equal(dns_list_next(&it, name, sizeof(name), &err), 1);
	assert_string_equal(name, "lab.example.test");
	assert_int_equal(dns_list_next(&it, name, sizeof(name), &err), 0);
}

static void expect_119(const uint8_t *value, uint8_t len, enum wire_reason why)
{
	uint8_t o[300] = { ACK, 119, len };
	memcpy(o + 5, value, len);
	o[5 + len] = 255;
	assert_int_equal(parse_opts(o, 6u + len), WIRE_OK);
	assert_true(was_dropped(119, why));
}

static void test_domain_search_attacks(void **state)
{
	const uint8_t self_loop[] = { 0xc0, 0 };
	const uint8_t loop2[] = { 1, 'a', 0, 1, 'b', 0xc0, 3 };
	const uint8_t forward[] = { 0xc0, 3, 0, 1, 'a', 0 };
	const uint8_t past_end[] = { 1, 'a', 0xc0, 40 };
	const uint8_t label64[] = { 64, 'a' };
	const uint8_t label_trunc[] = { 5, 'a', 'b' };
	const uint8_t no_root[] = { 1, 'a' };
	const uint8_t half_ptr[] = { 1, 'a', 0xc0 };
	uint8_t long_name[300];
	(void)state;

	expect_119(self_loop, sizeof(self_loop), WIRE_DNS_PTR_LOOP);
	expect_119(loop2, sizeof(loop2), WIRE_DNS_PTR_LOOP);
	expect_119(forward, sizeof(forward), WIRE_DNS_PTR_FORWARD);
	expect_119(past_end, sizeof(past_end), WIRE_DNS_PTR_RANGE);
	expect_119(label64, sizeof(label64), WIRE_DNS_LABEL_LONG);
	expect_119(label_trunc, sizeof(label_trunc), WIRE_DNS_TRUNCATED);
	expect_119(no_root, sizeof(no_root), WIRE_DNS_TRUNCATED);
	expect_119(half_ptr, sizeof(half_ptr), WIRE_DNS_TRUNCATED);
	/* Five labels of 50 and one of 2: 5 * 51 + 3 + 1 > 255. A name that
	 * long needs more than 255 bytes, so it comes in two instances. */
	size_t n = 0;
	long_name[n++] = 53, long_name[n++] = 1, long_name[n++] = 5;
	for (int part = 0; part < 2; part++) {
		long_name[n++] = 119;
		long_name[n++] = part == 0 ? 153 : 106;
		for (int l = 0; l < 3 - part; l++) {
			long_name[n++] = 50;
			memset(long_name + n, 'x', 50);
			n += 50;
		}
	}
	long_name[n++] = 2, long_name[n++] = 'y', long_name[n++] = 'y', long_name[n++] = 0;
	long_name[n++] = 255;
	assert_int_equal(parse_opts(long_name, n), WIRE_OK);
	assert_int_equal(msg.opt[119].len, 259);
	assert_true(was_dropped(119, WIRE_DNS_NAME_LONG));
}

static void test_classless_routes(void **state)
{
	const uint8_t o[] = { ACK, 121, 13, 24, 198, 51, 100, 192, 0, 2, 1,
			      0, 192, 0, 2, 1, 255 };
	struct route_iter it;
	struct wire_route r;
	const uint8_t *d;
	size_t n;
	(void)state;

	assert_int_equal(parse_opts(o, sizeof(o)), WIRE_OK);
	assert_true(dhcp_get_bytes(&msg, 121, &d, &n));
	route_iter_init(&it, d, n);
	assert_int_equal(route_iter_next(&it, &r, &err), 1);
	assert_int_equal(r.dst, 0xc6336400u);
	assert_int_equal(r.prefix, 24);
	assert_int_equal(r.gateway, 0xc0000201u);
	assert_int_equal(route_iter_next(&it, &r, &err), 1);
	assert_int_equal(r.prefix, 0);
	assert_int_equal(r.dst, 0);
	assert_int_equal(route_iter_next(&it, &r, &err), 0);
}

static void test_classless_route_attacks(void **state)
{
	const uint8_t p33[] = { ACK, 121, 9, 33, 1, 2, 3, 4, 192, 0, 2, 1, 255 };
	const uint8_t trunc[] = { ACK, 249, 6, 24, 198, 51, 100, 192, 0, 255 };
	/* 1 bit of prefix, but the destination octet has host bits set. */
	const uint8_t host[] = { ACK, 121, 6, 1, 0x81, 192, 0, 2, 1, 255 };
	(void)state;

	assert_int_equal(parse_opts(p33, sizeof(p33)), WIRE_OK);
	assert_true(was_dropped(121, WIRE_ROUTE_PREFIX));
	assert_int_equal(msg.dropped[0].offset, HDR + 5);
	assert_int_equal(parse_opts(trunc, sizeof(trunc)), WIRE_OK);
	assert_true(was_dropped(249, WIRE_ROUTE_TRUNCATED));
	assert_int_equal(parse_opts(host, sizeof(host)), WIRE_OK);
	assert_true(was_dropped(121, WIRE_ROUTE_HOST_BITS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_ack),
		cmocka_unit_test(test_getters_demand_exact_length),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_bad_op_htype_hlen_cookie),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_option_past_end),
		cmocka_unit_test(test_mtu_wrong_length_keeps_alignment),
		cmocka_unit_test(test_zero_and_odd_lengths),
		cmocka_unit_test(test_value_rules),
		cmocka_unit_test(test_message_type_rules),
		cmocka_unit_test(test_pad_and_missing_end),
		cmocka_unit_test(test_unknown_options_kept),
		cmocka_unit_test(test_split_option_concatenated),
		cmocka_unit_test(test_scratch_too_small),
		cmocka_unit_test(test_overload_file_and_sname),
		cmocka_unit_test(test_overload_into_garbage),
		cmocka_unit_test(test_too_many_instances),
		cmocka_unit_test(test_domain_search),
		cmocka_unit_test(test_domain_search_attacks),
		cmocka_unit_test(test_classless_routes),
		cmocka_unit_test(test_classless_route_attacks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
