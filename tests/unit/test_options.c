/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The option descriptor table and dhcp_opt_validate: every option DESIGN.md
 * names is in the table with a sane rule; for every entry a value at each
 * boundary length passes and one byte past it fails with OPT_LENGTH; the
 * value ranges are the RFCs'. Also the reason table and error formatting.
 * Values are validated from buffers flush against an unmapped page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/dhcp.h"
#include "wire/options.h"
#include "wire/reason.h"

#define U16MAX 0xffffu

static uint8_t val[U16MAX + 16];

/* Validate a copy of data[0..len) placed flush against a PROT_NONE page. */
static enum wire_reason check(uint8_t code, const uint8_t *data, size_t len)
{
	struct guarded g = guard_copy(data, len);
	size_t bad = 12345;
	enum wire_reason r = dhcp_opt_validate(code, g.data, len, &bad);

	/* A length rule points at the option; a value rule into the value. */
	if (r == WIRE_OPT_LENGTH)
		assert_int_equal(bad, 0);
	else if (r != WIRE_OK)
		assert_true(bad < len);
	guard_free(&g);
	return r;
}

static enum wire_reason check_u8(uint8_t code, uint8_t v)
{
	return check(code, &v, 1);
}

static enum wire_reason check_u16(uint8_t code, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return check(code, b, 2);
}

static enum wire_reason check_u32(uint8_t code, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return check(code, b, 4);
}

/*
 * Fill val with a value of length len that is valid for d's type, so that
 * only the length decides. For routes any length >= 5 works: prefix-0 routes
 * of 5 bytes and one wider route (prefix 8/16/24/32: 6..9 bytes) for the rest.
 */
static void fill_valid(const struct dhcp_opt_desc *d, size_t len)
{
	memset(val, 0, len);
	switch (d->type) {
	case OPT_T_U8:
	case OPT_T_BOOL:
	case OPT_T_MSG_TYPE:
		if (len > 0)
			val[0] = (uint8_t)d->min_value;
		break;
	case OPT_T_U16:
	case OPT_T_U16_LIST:
		for (size_t i = 0; i + 1 < len; i += 2) {
			val[i] = (uint8_t)(d->min_value >> 8);
			val[i + 1] = (uint8_t)d->min_value;
		}
		break;
	case OPT_T_U32:
		if (len >= 4) {
			val[0] = (uint8_t)(d->min_value >> 24);
			val[1] = (uint8_t)(d->min_value >> 16);
			val[2] = (uint8_t)(d->min_value >> 8);
			val[3] = (uint8_t)d->min_value;
		}
		break;
	case OPT_T_ROUTES:
		if (len >= 5 && len % 5 != 0)
			val[len - 5 - len % 5] = (uint8_t)(8 * (len % 5));
		break;
	case OPT_T_DOMAIN_LIST: /* all zeros: a list of root names */
	case OPT_T_UNKNOWN:
	case OPT_T_BYTES:
	case OPT_T_IP:
	case OPT_T_IP_LIST:
	case OPT_T_IP_PAIRS:
	case OPT_T_S32:
	case OPT_T_U8_LIST:
	case OPT_T_STRING:
	case OPT_T_DOMAIN:
	case OPT_T_FLAG:
		break;
	}
}

/* RFC 2132 3..9 (1-61, 64-76) and the later RFCs DESIGN.md lists. */
static const uint8_t design_codes[] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
	21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
	40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58,
	59, 60, 61, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
	77, 80, 81, 82, 108, 114, 116, 118, 119, 121, 249, 252,
};

static void test_design_options_present(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(design_codes); i++) {
		uint8_t code = design_codes[i];
		const struct dhcp_opt_desc *d = dhcp_opt_desc(code);
		if (!dhcp_opt_name(code))
			fail_msg("option %u has no name", code);
		assert_ptr_equal(d->name, dhcp_opt_name(code));
		assert_true(strlen(d->name) > 0);
		if (d->type == OPT_T_UNKNOWN)
			fail_msg("option %u (%s) has no type", code, d->name);
	}
	/* The types the descriptors promise for the options the client uses. */
	assert_int_equal(dhcp_opt_desc(1)->type, OPT_T_IP);
	assert_int_equal(dhcp_opt_desc(3)->type, OPT_T_IP_LIST);
	assert_int_equal(dhcp_opt_desc(6)->type, OPT_T_IP_LIST);
	assert_int_equal(dhcp_opt_desc(12)->type, OPT_T_DOMAIN);
	assert_int_equal(dhcp_opt_desc(15)->type, OPT_T_DOMAIN);
	assert_int_equal(dhcp_opt_desc(26)->type, OPT_T_U16);
	assert_int_equal(dhcp_opt_desc(33)->type, OPT_T_IP_PAIRS);
	assert_int_equal(dhcp_opt_desc(51)->type, OPT_T_U32);
	assert_int_equal(dhcp_opt_desc(53)->type, OPT_T_MSG_TYPE);
	assert_int_equal(dhcp_opt_desc(54)->type, OPT_T_IP);
	assert_int_equal(dhcp_opt_desc(55)->type, OPT_T_U8_LIST);
	assert_int_equal(dhcp_opt_desc(80)->type, OPT_T_FLAG);
	assert_int_equal(dhcp_opt_desc(119)->type, OPT_T_DOMAIN_LIST);
	assert_int_equal(dhcp_opt_desc(121)->type, OPT_T_ROUTES);
	assert_int_equal(dhcp_opt_desc(249)->type, OPT_T_ROUTES);
	assert_string_equal(dhcp_opt_name(54), "server-id");
}

static void test_unknown_codes(void **state)
{
	(void)state;
	const uint8_t unknown[] = { 0, 62, 63, 78, 79, 83, 100, 200, 224, 250, 254, 255 };
	for (size_t i = 0; i < sizeof(unknown); i++) {
		const struct dhcp_opt_desc *d = dhcp_opt_desc(unknown[i]);
		assert_non_null(d);
		assert_null(d->name);
		assert_null(dhcp_opt_name(unknown[i]));
		assert_int_equal(d->type, OPT_T_UNKNOWN);
		/* Unknown options are kept as bytes, whatever their length. */
		assert_int_equal(check(unknown[i], val, 0), WIRE_OK);
		assert_int_equal(check(unknown[i], val, 255), WIRE_OK);
		assert_int_equal(check(unknown[i], val, U16MAX), WIRE_OK);
	}
}

static void test_names_unique_and_rules_sane(void **state)
{
	(void)state;
	for (unsigned a = 0; a < 256; a++) {
		const struct dhcp_opt_desc *d = dhcp_opt_desc((uint8_t)a);
		if (!d->name)
			continue;
		assert_int_not_equal(d->type, OPT_T_UNKNOWN);
		if (d->min_len > d->max_len)
			fail_msg("option %u: min %u > max %u", a, d->min_len, d->max_len);
		assert_true(d->multiple >= 1);
		assert_int_equal(d->min_len % d->multiple, 0);
		assert_true(d->min_value <= d->max_value || d->type == OPT_T_S32 ||
			    d->max_value == 0);
		/* Names are lower-case words joined by '-', as the printers show them. */
		for (const char *p = d->name; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
				    *p == '-');
		for (unsigned b = a + 1; b < 256; b++) {
			const char *other = dhcp_opt_name((uint8_t)b);
			if (other && strcmp(other, d->name) == 0)
				fail_msg("options %u and %u are both \"%s\"", a, b, d->name);
		}
	}
	assert_null(dhcp_opt_name(DHCP_OPT_PAD));
	assert_null(dhcp_opt_name(DHCP_OPT_END));
}

/*
 * For every table entry: the shortest and the longest valid lengths pass,
 * one shorter, one longer and (for multiples) one off the step fail with
 * OPT_LENGTH.
 */
static void test_boundary_lengths(void **state)
{
	(void)state;
	for (unsigned a = 1; a < 255; a++) {
		uint8_t code = (uint8_t)a;
		const struct dhcp_opt_desc *d = dhcp_opt_desc(code);
		size_t lo = d->min_len, hi = d->max_len - d->max_len % d->multiple;
		if (!d->name)
			continue;
		fill_valid(d, lo);
		if (check(code, val, lo) != WIRE_OK)
			fail_msg("option %u (%s): min length %zu refused", a, d->name, lo);
		fill_valid(d, hi);
		if (check(code, val, hi) != WIRE_OK)
			fail_msg("option %u (%s): max length %zu refused", a, d->name, hi);
		if (lo > 0) {
			fill_valid(d, lo - 1);
			assert_int_equal(check(code, val, lo - 1), WIRE_OPT_LENGTH);
		}
		fill_valid(d, hi + d->multiple);
		assert_int_equal(check(code, val, (size_t)hi + d->multiple), WIRE_OPT_LENGTH);
		fill_valid(d, (size_t)d->max_len + 1);
		assert_int_equal(check(code, val, (size_t)d->max_len + 1), WIRE_OPT_LENGTH);
		if (d->multiple > 1) {
			fill_valid(d, lo + 1);
			assert_int_equal(check(code, val, lo + 1), WIRE_OPT_LENGTH);
			fill_valid(d, hi - 1);
			assert_int_equal(check(code, val, hi - 1), WIRE_OPT_LENGTH);
		}
	}
}

/* Per type, concrete lengths, so a table typo cannot hide in the loop above. */
static void test_lengths_per_type(void **state)
{
	(void)state;
	memset(val, 0, 64);
	/* ip: exactly 4 */
	assert_int_equal(check(54, val, 3), WIRE_OPT_LENGTH);
	assert_int_equal(check(54, val, 4), WIRE_OK);
	assert_int_equal(check(54, val, 5), WIRE_OPT_LENGTH);
	/* ip list: 4, 8, ... */
	assert_int_equal(check(6, val, 0), WIRE_OPT_LENGTH);
	assert_int_equal(check(6, val, 4), WIRE_OK);
	assert_int_equal(check(6, val, 6), WIRE_OPT_LENGTH);
	assert_int_equal(check(6, val, 8), WIRE_OK);
	/* ip pairs: 8, 16, ... */
	assert_int_equal(check(33, val, 4), WIRE_OPT_LENGTH);
	assert_int_equal(check(33, val, 8), WIRE_OK);
	assert_int_equal(check(33, val, 12), WIRE_OPT_LENGTH);
	assert_int_equal(check(33, val, 16), WIRE_OK);
	/* u8, bool, message type: exactly 1 */
	val[0] = 1;
	assert_int_equal(check(23, val, 0), WIRE_OPT_LENGTH);
	assert_int_equal(check(23, val, 1), WIRE_OK);
	assert_int_equal(check(23, val, 2), WIRE_OPT_LENGTH);
	assert_int_equal(check(19, val, 2), WIRE_OPT_LENGTH);
	assert_int_equal(check(53, val, 2), WIRE_OPT_LENGTH);
	assert_int_equal(check(53, val, 0), WIRE_OPT_LENGTH);
	/* u16: exactly 2 */
	val[0] = 0x05, val[1] = 0xdc;
	assert_int_equal(check(26, val, 1), WIRE_OPT_LENGTH);
	assert_int_equal(check(26, val, 2), WIRE_OK);
	assert_int_equal(check(26, val, 3), WIRE_OPT_LENGTH);
	/* u32 / s32: exactly 4 */
	assert_int_equal(check(51, val, 3), WIRE_OPT_LENGTH);
	assert_int_equal(check(51, val, 4), WIRE_OK);
	assert_int_equal(check(51, val, 5), WIRE_OPT_LENGTH);
	assert_int_equal(check(2, val, 3), WIRE_OPT_LENGTH);
	assert_int_equal(check(2, val, 4), WIRE_OK);
	assert_int_equal(check(2, val, 8), WIRE_OPT_LENGTH);
	/* u16 list: even, at least 2 */
	assert_int_equal(check(25, val, 1), WIRE_OPT_LENGTH);
	assert_int_equal(check(25, val, 3), WIRE_OPT_LENGTH);
	/* flag: exactly 0 */
	assert_int_equal(check(80, val, 0), WIRE_OK);
	assert_int_equal(check(80, val, 1), WIRE_OPT_LENGTH);
	/* strings and domains: at least 1 */
	assert_int_equal(check(15, val, 0), WIRE_OPT_LENGTH);
	assert_int_equal(check(15, val, 1), WIRE_OK);
	assert_int_equal(check(56, val, 0), WIRE_OPT_LENGTH);
	/* client id: type + at least one byte */
	assert_int_equal(check(61, val, 1), WIRE_OPT_LENGTH);
	assert_int_equal(check(61, val, 2), WIRE_OK);
	/* fqdn: flags, rcode1, rcode2 */
	assert_int_equal(check(81, val, 2), WIRE_OPT_LENGTH);
	assert_int_equal(check(81, val, 3), WIRE_OK);
	/* routes: at least 5 (a default route) */
	memset(val, 0, 16);
	assert_int_equal(check(121, val, 4), WIRE_OPT_LENGTH);
	assert_int_equal(check(121, val, 5), WIRE_OK);
	assert_int_equal(check(249, val, 4), WIRE_OPT_LENGTH);
	/* domain list: at least 1 (the root) */
	assert_int_equal(check(119, val, 0), WIRE_OPT_LENGTH);
	assert_int_equal(check(119, val, 1), WIRE_OK);
}

static void test_value_ranges(void **state)
{
	(void)state;
	/* RFC 2132 5.1: MTU at least 68 */
	assert_int_equal(check_u16(26, 67), WIRE_OPT_VALUE);
	assert_int_equal(check_u16(26, 68), WIRE_OK);
	assert_int_equal(check_u16(26, 0), WIRE_OPT_VALUE);
	assert_int_equal(check_u16(26, 65535), WIRE_OK);
	/* RFC 2132 9.10: max message size at least 576 */
	assert_int_equal(check_u16(57, 575), WIRE_OPT_VALUE);
	assert_int_equal(check_u16(57, 576), WIRE_OK);
	assert_int_equal(check_u16(57, 65535), WIRE_OK);
	/* RFC 2132 4.2: max datagram reassembly at least 576 */
	assert_int_equal(check_u16(22, 575), WIRE_OPT_VALUE);
	assert_int_equal(check_u16(22, 576), WIRE_OK);
	/* RFC 2132 9.3: overload 1..3 */
	assert_int_equal(check_u8(52, 0), WIRE_OPT_VALUE);
	for (uint8_t v = 1; v <= 3; v++)
		assert_int_equal(check_u8(52, v), WIRE_OK);
	assert_int_equal(check_u8(52, 4), WIRE_OPT_VALUE);
	assert_int_equal(check_u8(52, 255), WIRE_OPT_VALUE);
	/* Booleans: 0 or 1, every one of them. */
	for (unsigned a = 1; a < 255; a++) {
		const struct dhcp_opt_desc *d = dhcp_opt_desc((uint8_t)a);
		if (d->type != OPT_T_BOOL)
			continue;
		assert_int_equal(check_u8((uint8_t)a, 0), WIRE_OK);
		assert_int_equal(check_u8((uint8_t)a, 1), WIRE_OK);
		assert_int_equal(check_u8((uint8_t)a, 2), WIRE_OPT_VALUE);
		assert_int_equal(check_u8((uint8_t)a, 255), WIRE_OPT_VALUE);
	}
	assert_int_equal(dhcp_opt_desc(19)->type, OPT_T_BOOL);
	/* RFC 2563: auto-configure 0 or 1 */
	assert_int_equal(check_u8(116, 0), WIRE_OK);
	assert_int_equal(check_u8(116, 1), WIRE_OK);
	assert_int_equal(check_u8(116, 2), WIRE_OPT_VALUE);
	/* RFC 2132 8.7: NetBIOS node type 0x1, 0x2, 0x4 or 0x8 */
	assert_int_equal(check_u8(46, 0), WIRE_OPT_VALUE);
	assert_int_equal(check_u8(46, 1), WIRE_OK);
	assert_int_equal(check_u8(46, 2), WIRE_OK);
	assert_int_equal(check_u8(46, 3), WIRE_OPT_VALUE);
	assert_int_equal(check_u8(46, 5), WIRE_OPT_VALUE);
	assert_int_equal(check_u8(46, 4), WIRE_OK);
	assert_int_equal(check_u8(46, 8), WIRE_OK);
	assert_int_equal(check_u8(46, 9), WIRE_OPT_VALUE);
	assert_int_equal(check_u8(46, 16), WIRE_OPT_VALUE);
	/* RFC 2132 3.14/7.1: TTLs 1..255 */
	assert_int_equal(check_u8(23, 0), WIRE_OPT_VALUE);
	assert_int_equal(check_u8(23, 1), WIRE_OK);
	assert_int_equal(check_u8(37, 0), WIRE_OPT_VALUE);
	assert_int_equal(check_u8(37, 255), WIRE_OK);
	/* Message type 1..18 */
	assert_int_equal(check_u8(53, 0), WIRE_OPT_VALUE);
	for (uint8_t v = 1; v <= DHCP_MSG_TYPE_MAX; v++) {
		assert_int_equal(check_u8(53, v), WIRE_OK);
		assert_non_null(dhcp_msg_type_name(v));
	}
	assert_int_equal(check_u8(53, 19), WIRE_OPT_VALUE);
	assert_int_equal(check_u8(53, 255), WIRE_OPT_VALUE);
	assert_null(dhcp_msg_type_name(0));
	assert_null(dhcp_msg_type_name(19));
	/* u32 without a floor takes every value, lease time included. */
	assert_int_equal(check_u32(51, 0), WIRE_OK);
	assert_int_equal(check_u32(51, 0xffffffffu), WIRE_OK);
	assert_int_equal(check_u32(108, 0), WIRE_OK);
	/* MTU plateau table: every entry at least 68, bad offset at the entry */
	{
		const uint8_t plateau[] = { 0x05, 0xdc, 0x00, 0x44, 0x00, 0x43 };
		size_t bad = 0;
		assert_int_equal(check(25, plateau, 4), WIRE_OK);
		struct guarded g = guard_copy(plateau, sizeof(plateau));
		assert_int_equal(dhcp_opt_validate(25, g.data, g.len, &bad), WIRE_OPT_VALUE);
		assert_int_equal(bad, 4);
		/* On success the offset says nothing, so it is left at 0. */
		assert_int_equal(dhcp_opt_validate(25, g.data, 4, &bad), WIRE_OK);
		assert_int_equal(bad, 0);
		guard_free(&g);
	}
}

/* Structured values delegate to their decoders: the reason comes through. */
static void test_structured_values(void **state)
{
	size_t bad = 0;
	(void)state;

	const uint8_t route_p33[] = { 33, 1, 2, 3, 4, 192, 0, 2, 1 };
	assert_int_equal(check(121, route_p33, sizeof(route_p33)), WIRE_ROUTE_PREFIX);
	const uint8_t route_two[] = { 0, 192, 0, 2, 1, 8, 10, 192, 0, 2 };
	assert_int_equal(check(249, route_two, sizeof(route_two)), WIRE_ROUTE_TRUNCATED);
	assert_int_equal(dhcp_opt_validate(249, route_two, sizeof(route_two), &bad),
			 WIRE_ROUTE_TRUNCATED);
	assert_int_equal(bad, 5);
	const uint8_t dns_loop[] = { 1, 'a', 0, 0xc0, 3 };
	assert_int_equal(check(119, dns_loop, sizeof(dns_loop)), WIRE_DNS_PTR_LOOP);
	assert_int_equal(dhcp_opt_validate(119, dns_loop, sizeof(dns_loop), &bad),
			 WIRE_DNS_PTR_LOOP);
	assert_int_equal(bad, 3);
}

static void test_reason_texts(void **state)
{
	(void)state;
	for (int a = 0; a < WIRE_REASON_COUNT; a++) {
		const char *ta = wire_reason_text((enum wire_reason)a);
		const char *na = wire_reason_name((enum wire_reason)a);
		assert_non_null(ta);
		assert_non_null(na);
		assert_true(strlen(ta) > 0);
		assert_true(strlen(na) > 0);
		assert_string_not_equal(ta, "unknown reason");
		assert_string_not_equal(na, "UNKNOWN");
		for (const char *p = na; *p; p++)
			assert_true((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
				    *p == '_');
		for (int b = a + 1; b < WIRE_REASON_COUNT; b++) {
			assert_string_not_equal(ta, wire_reason_text((enum wire_reason)b));
			assert_string_not_equal(na, wire_reason_name((enum wire_reason)b));
		}
	}
	assert_string_equal(wire_reason_name(WIRE_OK), "OK");
	assert_string_equal(wire_reason_name(WIRE_OPT_LENGTH), "OPT_LENGTH");
	assert_string_equal(wire_reason_name(WIRE_REASON_COUNT), "UNKNOWN");
	assert_string_equal(wire_reason_text(WIRE_REASON_COUNT), "unknown reason");
	assert_string_equal(wire_reason_name((enum wire_reason)1000), "UNKNOWN");
}

static void test_error_format(void **state)
{
	struct wire_error e;
	char line[256];
	int n;
	(void)state;

	wire_error_set(&e, WIRE_OPT_OVERRUN, 1234, 121);
	n = wire_error_format(&e, line, sizeof(line));
	assert_int_equal(n, (int)strlen(line));
	assert_non_null(strstr(line, wire_reason_text(WIRE_OPT_OVERRUN)));
	assert_non_null(strstr(line, "offset 1234"));
	assert_non_null(strstr(line, "option 121"));

	wire_error_set(&e, WIRE_BAD_COOKIE, 236, -1);
	wire_error_format(&e, line, sizeof(line));
	assert_non_null(strstr(line, "offset 236"));
	assert_null(strstr(line, "option"));

	/* Option 0 is an option too (a PAD where a code was expected). */
	wire_error_set(&e, WIRE_OPT_LENGTH, 0, 0);
	wire_error_format(&e, line, sizeof(line));
	assert_non_null(strstr(line, "offset 0"));
	assert_non_null(strstr(line, "option 0"));

	/* Truncated like snprintf, never past the buffer. */
	struct guarded g = guard_copy(line, 16);
	wire_error_set(&e, WIRE_OPT_OVERRUN, 1234, 121);
	n = wire_error_format(&e, (char *)g.data, 16);
	assert_true(n > 15);
	assert_int_equal(g.data[15], '\0');
	assert_int_equal(strlen((char *)g.data), 15);
	guard_free(&g);

	/* wire_error_set tolerates a NULL error. */
	wire_error_set(NULL, WIRE_NO_ROOM, 1, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_options_present),
		cmocka_unit_test(test_unknown_codes),
		cmocka_unit_test(test_names_unique_and_rules_sane),
		cmocka_unit_test(test_boundary_lengths),
		cmocka_unit_test(test_lengths_per_type),
		cmocka_unit_test(test_value_ranges),
		cmocka_unit_test(test_structured_values),
		cmocka_unit_test(test_reason_texts),
		cmocka_unit_test(test_error_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
