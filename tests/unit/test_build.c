/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhcp_out / dhcp_build: the appenders refuse PAD/END, duplicates, overflow,
 * option 52 and every value the parser would drop; the builder refuses what
 * the parser would refuse (op, hlen, no or bad message type) and checks an
 * out filled by hand as strictly as dhcp_out_add; it keeps RFC 2131's
 * layout, pads to the BOOTP minimum, honours the option order asked for,
 * splits long values (RFC 3396) and never writes past the buffer it is given
 * (every output buffer here ends flush against an unmapped page).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/dhcp.h"
#include "wire/options.h"

static struct dhcp_out out;
static uint8_t buf[8192];
static uint8_t scratch[8192];
static struct dhcp_msg msg;
static struct wire_error err;
static const uint8_t zeros[8192];

static const struct dhcp_header hdr = {
	.op = BOOTREQUEST,
	.htype = 1,
	.hlen = 6,
	.hops = 0,
	.xid = 0x3903f326u,
	.secs = 0x0102,
	.flags = DHCP_FLAG_BROADCAST,
	.ciaddr = 0xc0000264u,
	.yiaddr = 0xc0000265u,
	.siaddr = 0xc0000201u,
	.giaddr = 0xc6336401u,
	.chaddr = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 },
};

static size_t build_ok(const uint8_t *order, size_t n_order)
{
	size_t len = 0;

	assert_int_equal(dhcp_build(&out, order, n_order, buf, sizeof(buf), &len, &err),
			 WIRE_OK);
	assert_int_equal(err.reason, WIRE_OK);
	return len;
}

/*
 * The codes of the options area in order of appearance (one entry per
 * instance), up to and including END; returns the offset just after END.
 */
static size_t walk_codes(const uint8_t *b, size_t len, uint8_t *codes, size_t *n)
{
	size_t off = DHCP_OPTIONS_OFF;

	*n = 0;
	while (off < len) {
		uint8_t code = b[off];
		codes[(*n)++] = code;
		if (code == DHCP_OPT_END)
			return off + 1;
		assert_int_not_equal(code, DHCP_OPT_PAD);
		assert_true(off + 2 <= len);
		off += 2u + b[off + 1];
	}
	fail_msg("no END in the options area");
	return 0;
}

static void parse_back(size_t len)
{
	assert_int_equal(dhcp_parse(buf, len, scratch, sizeof(scratch), &msg, &err), WIRE_OK);
	assert_int_equal(msg.n_dropped, 0);
	assert_false(msg.missing_end);
}

/* ---- appenders ---------------------------------------------------------- */

static void test_init_adds_message_type(void **state)
{
	const uint8_t *v;
	size_t n;
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPDISCOVER);
	assert_int_equal(out.n_opts, 1);
	v = dhcp_out_get(&out, DHCP_OPT_MSG_TYPE, &n);
	assert_non_null(v);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], DHCPDISCOVER);
	assert_null(dhcp_out_get(&out, DHCP_OPT_SERVER_ID, &n));
	assert_memory_equal(out.sname, zeros, sizeof(out.sname));
	assert_memory_equal(out.file, zeros, sizeof(out.file));
}

static void test_pad_end_refused(void **state)
{
	const uint8_t v = 1;
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPDISCOVER);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_PAD, &v, 1), WIRE_BAD_CODE);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_END, &v, 1), WIRE_BAD_CODE);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_PAD, NULL, 0), WIRE_BAD_CODE);
	assert_int_equal(dhcp_out_add_u8(&out, DHCP_OPT_END, 0), WIRE_BAD_CODE);
	assert_int_equal(dhcp_out_add_u32(&out, DHCP_OPT_PAD, 0), WIRE_BAD_CODE);
	assert_int_equal(out.n_opts, 1);
	assert_int_equal(out.pool_used, 1);
}

static void test_duplicates_refused(void **state)
{
	const uint8_t *v;
	size_t n;
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add_ip(&out, DHCP_OPT_SERVER_ID, 0xc0000201u), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, DHCP_OPT_SERVER_ID, 0xc0000202u),
			 WIRE_DUPLICATE);
	assert_int_equal(dhcp_out_add_u16(&out, DHCP_OPT_SERVER_ID, 1), WIRE_DUPLICATE);
	/* The message type added by init is a duplicate too. */
	assert_int_equal(dhcp_out_add_u8(&out, DHCP_OPT_MSG_TYPE, DHCPACK), WIRE_DUPLICATE);
	v = dhcp_out_get(&out, DHCP_OPT_SERVER_ID, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(v, "\xc0\x00\x02\x01", 4);
	v = dhcp_out_get(&out, DHCP_OPT_MSG_TYPE, &n);
	assert_int_equal(v[0], DHCPREQUEST);
	assert_int_equal(out.n_opts, 2);
}

static void test_typed_appenders_big_endian(void **state)
{
	const uint8_t *v;
	size_t n;
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add_u16(&out, DHCP_OPT_MAX_MSG_SIZE, 1500), WIRE_OK);
	assert_int_equal(dhcp_out_add_u32(&out, DHCP_OPT_LEASE_TIME, 0x01020304u), WIRE_OK);
	v = dhcp_out_get(&out, DHCP_OPT_MAX_MSG_SIZE, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(v, "\x05\xdc", 2);
	v = dhcp_out_get(&out, DHCP_OPT_LEASE_TIME, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(v, "\x01\x02\x03\x04", 4);
}

/* Values are copied at add time: the caller's buffer may be reused. */
static void test_values_copied(void **state)
{
	uint8_t v[4] = { 192, 0, 2, 53 };
	const uint8_t *got;
	size_t n;
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_DNS, v, sizeof(v)), WIRE_OK);
	memset(v, 0xee, sizeof(v));
	got = dhcp_out_get(&out, DHCP_OPT_DNS, &n);
	assert_memory_equal(got, "\xc0\x00\x02\x35", 4);
}

static void test_pool_exhaustion(void **state)
{
	static uint8_t big[DHCP_OUT_POOL];
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	/* One byte of the pool holds the message type. */
	assert_int_equal(dhcp_out_add(&out, 200, big, DHCP_OUT_POOL), WIRE_NO_ROOM);
	assert_int_equal(dhcp_out_add(&out, 200, big, DHCP_OUT_POOL - 1u), WIRE_OK);
	assert_int_equal(out.pool_used, DHCP_OUT_POOL);
	assert_int_equal(dhcp_out_add(&out, 201, big, 1), WIRE_NO_ROOM);
	/* A zero-length option needs no pool. */
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_RAPID_COMMIT, NULL, 0), WIRE_OK);
	assert_int_equal(out.n_opts, 3);

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add(&out, 200, big, (size_t)UINT16_MAX + 2u), WIRE_NO_ROOM);
	assert_int_equal(dhcp_out_add(&out, 200, big, SIZE_MAX), WIRE_NO_ROOM);
	assert_int_equal(out.n_opts, 1);
	assert_int_equal(out.pool_used, 1);
}

static void test_option_count_exhaustion(void **state)
{
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	/* 130.. are codes the table does not know, so any value is kept. */
	for (unsigned code = 130; out.n_opts < DHCP_OUT_MAX_OPTS; code++)
		assert_int_equal(dhcp_out_add_u8(&out, (uint8_t)code, 1), WIRE_OK);
	assert_int_equal(dhcp_out_add_u8(&out, 250, 1), WIRE_NO_ROOM);
	assert_int_equal(dhcp_out_add(&out, 251, NULL, 0), WIRE_NO_ROOM);
	assert_int_equal(out.n_opts, DHCP_OUT_MAX_OPTS);
	/* The full set still builds and parses back, 64 options in all. */
	size_t len = build_ok(NULL, 0);
	parse_back(len);
	assert_int_equal(msg.n_order, DHCP_OUT_MAX_OPTS);
}

/* ---- layout ------------------------------------------------------------- */

static void test_cap_under_300_refused(void **state)
{
	size_t len = 1234;
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPDISCOVER);
	for (size_t cap = 0; cap < BOOTP_MIN_LEN; cap += (cap < 240 ? 60 : 1)) {
		struct guarded g = guard_copy(zeros, cap);
		err.reason = WIRE_OK;
		assert_int_equal(dhcp_build(&out, NULL, 0, g.data, cap, &len, &err),
				 WIRE_NO_ROOM);
		assert_int_equal(err.reason, WIRE_NO_ROOM);
		assert_int_equal(len, 0);
		/* Nothing was written at all. */
		if (cap > 0)
			assert_memory_equal(g.data, zeros, cap);
		guard_free(&g);
	}
}

/* A build that must be refused: the reason, where, and nothing returned. */
static void build_refused(enum wire_reason why, size_t offset, int option)
{
	size_t len = 1;

	err.reason = WIRE_OK;
	assert_int_equal(dhcp_build(&out, NULL, 0, buf, sizeof(buf), &len, &err), why);
	assert_int_equal(err.reason, why);
	assert_int_equal(err.offset, offset);
	assert_int_equal(err.option, option);
	assert_int_equal(len, 0);
}

/* Test-only: out built with a valid header, then h's op, htype and hlen
 * written over the bytes (the builder refuses to write them itself). */
static size_t build_patched_header(const struct dhcp_header *h)
{
	static struct dhcp_out good;
	size_t len = 0;

	good = out;
	good.hdr = hdr;
	assert_int_equal(dhcp_build(&good, NULL, 0, buf, sizeof(buf), &len, &err), WIRE_OK);
	buf[0] = h->op;
	buf[1] = h->htype;
	buf[2] = h->hlen;
	return len;
}

/* RFC 2131 2: the parser's header rules, which the builder obeys. */
static void test_header_refusals(void **state)
{
	static const struct {
		uint8_t op, htype, hlen;
		enum wire_reason why;
	} cases[] = {
		{ 0, 1, 6, WIRE_BAD_OP },
		{ 3, 1, 6, WIRE_BAD_OP },
		{ 255, 1, 6, WIRE_BAD_OP },
		{ 0, 1, 7, WIRE_BAD_OP },        /* op is checked first */
		{ BOOTREQUEST, 1, 7, WIRE_BAD_HLEN },
		{ BOOTREPLY, 1, 0, WIRE_BAD_HLEN },
		{ BOOTREQUEST, 1, 16, WIRE_BAD_HLEN },
		{ BOOTREQUEST, 6, 17, WIRE_BAD_HLEN },
		{ BOOTREPLY, 32, 255, WIRE_BAD_HLEN },
		{ BOOTREQUEST, 1, 6, WIRE_OK },
		{ BOOTREPLY, 1, 6, WIRE_OK },
		{ BOOTREQUEST, 32, 16, WIRE_OK },   /* InfiniBand-sized */
		{ BOOTREPLY, 6, 0, WIRE_OK },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dhcp_header h = hdr;
		h.op = cases[i].op;
		h.htype = cases[i].htype;
		h.hlen = cases[i].hlen;
		dhcp_out_init(&out, &h, DHCPDISCOVER);
		if (cases[i].why == WIRE_OK) {
			parse_back(build_ok(NULL, 0));
			assert_int_equal(msg.hdr.hlen, h.hlen);
			continue;
		}
		size_t at = cases[i].why == WIRE_BAD_OP ? 0 : 2;
		build_refused(cases[i].why, at, -1);
		/* The parser says the same of those bytes, at the same offset. */
		size_t len = build_patched_header(&h);
		assert_int_equal(dhcp_parse(buf, len, scratch, sizeof(scratch), &msg, &err),
				 cases[i].why);
		assert_int_equal(err.offset, at);
	}
}

/* RFC 2132 9.6: init leaves out a type the parser refuses; build then
 * refuses the message, at the options field. */
static void test_message_type_refusals(void **state)
{
	const uint8_t bad[] = { 0, DHCP_MSG_TYPE_MAX + 1, 200, 255 };
	size_t n;
	(void)state;

	for (size_t i = 0; i < sizeof(bad); i++) {
		dhcp_out_init(&out, &hdr, bad[i]);
		assert_int_equal(out.n_opts, 0);
		assert_int_equal(out.pool_used, 0);
		assert_null(dhcp_out_get(&out, DHCP_OPT_MSG_TYPE, &n));
		assert_int_equal(dhcp_out_add_u8(&out, DHCP_OPT_MSG_TYPE, bad[i]), WIRE_OPT_VALUE);
		assert_int_equal(dhcp_out_add_ip(&out, DHCP_OPT_SERVER_ID, 0xc0000201u), WIRE_OK);
		build_refused(WIRE_NO_MSG_TYPE, DHCP_OPTIONS_OFF, DHCP_OPT_MSG_TYPE);
		/* A valid type added later makes the message whole. */
		assert_int_equal(dhcp_out_add_u8(&out, DHCP_OPT_MSG_TYPE, DHCPINFORM), WIRE_OK);
		parse_back(build_ok(NULL, 0));
		assert_int_equal(msg.type, DHCPINFORM);
	}
	for (unsigned t = 1; t <= DHCP_MSG_TYPE_MAX; t++) {
		dhcp_out_init(&out, &hdr, (uint8_t)t);
		parse_back(build_ok(NULL, 0));
		assert_int_equal(msg.type, t);
	}
}

/* RFC 2132 9.3: sname and file here are the caller's, never options. */
static void test_overload_refused(void **state)
{
	size_t n;
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPOFFER);
	for (unsigned v = 0; v <= 4; v++)
		assert_int_equal(dhcp_out_add_u8(&out, DHCP_OPT_OVERLOAD, (uint8_t)v),
				 WIRE_BAD_OVERLOAD);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_OVERLOAD, NULL, 0), WIRE_BAD_OVERLOAD);
	assert_null(dhcp_out_get(&out, DHCP_OPT_OVERLOAD, &n));
	assert_int_equal(out.n_opts, 1);
	/* So sname and file come back as they were given. */
	memset(out.sname, 0x35, sizeof(out.sname));
	memset(out.file, 0xff, sizeof(out.file));
	parse_back(build_ok(NULL, 0));
	assert_int_equal(msg.overload, 0);
	assert_int_equal(msg.n_order, 1);
	assert_memory_equal(msg.sname, out.sname, DHCP_SNAME_LEN);
	assert_memory_equal(msg.file, out.file, DHCP_FILE_LEN);
}

/* A value the parser would drop, and a good one for the same code. */
struct bad_value {
	uint8_t code;
	const char *bad;
	size_t bad_len;
	enum wire_reason why;
	const char *good;
	size_t good_len;
};

#define BV(code, bad, why, good) { code, bad, sizeof(bad) - 1, why, good, sizeof(good) - 1 }

static const struct bad_value bad_values[] = {
	/* OPT_T_IP, IP_LIST, IP_PAIRS, S32: lengths */
	BV(1, "\xff\xff\xff", WIRE_OPT_LENGTH, "\xff\xff\xff\x00"),
	BV(1, "\xff\xff\xff\x00\x00", WIRE_OPT_LENGTH, "\xff\xff\xff\x00"),
	BV(54, "", WIRE_OPT_LENGTH, "\xc0\x00\x02\x01"),
	BV(3, "", WIRE_OPT_LENGTH, "\xc0\x00\x02\x01"),
	BV(6, "\xc0\x00\x02\x01\xc0\x00", WIRE_OPT_LENGTH, "\xc0\x00\x02\x01"),
	BV(68, "\x01\x02", WIRE_OPT_LENGTH, ""),
	BV(33, "\xc0\x00\x02\x01", WIRE_OPT_LENGTH, "\xc6\x33\x64\x00\xc0\x00\x02\x01"),
	BV(2, "\x00\x10", WIRE_OPT_LENGTH, "\xff\xff\xf1\xf0"),
	/* integers: lengths and ranges */
	BV(26, "\x05", WIRE_OPT_LENGTH, "\x05\xdc"),
	BV(26, "\x00\x43", WIRE_OPT_VALUE, "\x00\x44"),          /* RFC 2132 5.1: >= 68 */
	BV(26, "\x00\x00", WIRE_OPT_VALUE, "\xff\xff"),
	BV(57, "\x02\x3f", WIRE_OPT_VALUE, "\x02\x40"),          /* RFC 2132 9.10: >= 576 */
	BV(57, "\x05\xdc\x00", WIRE_OPT_LENGTH, "\x05\xdc"),
	BV(22, "\x02\x3f", WIRE_OPT_VALUE, "\x02\x40"),          /* RFC 2132 4.1: >= 576 */
	BV(13, "\x01", WIRE_OPT_LENGTH, "\x00\x01"),
	BV(23, "\x00", WIRE_OPT_VALUE, "\x01"),                     /* RFC 2132 4.5: 1..255 */
	BV(23, "\x40\x40", WIRE_OPT_LENGTH, "\x40"),
	BV(37, "\x00", WIRE_OPT_VALUE, "\x40"),
	BV(19, "\x02", WIRE_OPT_VALUE, "\x01"),                     /* bool: 0 or 1 */
	BV(19, "", WIRE_OPT_LENGTH, "\x00"),
	BV(46, "\x00", WIRE_OPT_VALUE, "\x08"),                     /* RFC 2132 8.7 */
	BV(46, "\x03", WIRE_OPT_VALUE, "\x04"),
	BV(46, "\x09", WIRE_OPT_VALUE, "\x01"),
	BV(116, "\x02", WIRE_OPT_VALUE, "\x00"),                    /* RFC 2563 2 */
	BV(25, "\x05\xdc\x02", WIRE_OPT_LENGTH, "\x05\xdc\x02\x40"),
	BV(25, "\x05\xdc\x00\x43", WIRE_OPT_VALUE, "\x05\xdc\x00\x44"),
	BV(51, "\x0e\x10", WIRE_OPT_LENGTH, "\x00\x00\x0e\x10"),
	BV(108, "\x00\x07\x08", WIRE_OPT_LENGTH, "\x00\x00\x07\x08"),
	/* RFC 2132 9.6: the message type (tested on an out without one) */
	BV(53, "\x00", WIRE_OPT_VALUE, "\x01"),
	BV(53, "\x13", WIRE_OPT_VALUE, "\x12"),
	BV(53, "\xff", WIRE_OPT_VALUE, "\x05"),
	BV(53, "\x01\x01", WIRE_OPT_LENGTH, "\x03"),
	BV(53, "", WIRE_OPT_LENGTH, "\x08"),
	/* text and opaque bytes: minimum lengths */
	BV(12, "", WIRE_OPT_LENGTH, "host"),
	BV(15, "", WIRE_OPT_LENGTH, "example.com"),
	BV(56, "", WIRE_OPT_LENGTH, "no"),
	BV(60, "", WIRE_OPT_LENGTH, "vendor"),
	BV(55, "", WIRE_OPT_LENGTH, "\x01"),
	BV(61, "\x01", WIRE_OPT_LENGTH, "\x01\x02"),               /* RFC 2132 9.14 */
	BV(77, "\x01", WIRE_OPT_LENGTH, "\x01\x41"),               /* RFC 3004 */
	BV(81, "\x00\x00", WIRE_OPT_LENGTH, "\x00\x00\x00"),     /* RFC 4702 2.1 */
	BV(82, "\x01", WIRE_OPT_LENGTH, "\x01\x00"),               /* RFC 3046 2.0 */
	BV(43, "", WIRE_OPT_LENGTH, "\x01"),
	BV(80, "\x00", WIRE_OPT_LENGTH, ""),                         /* RFC 4039: no data */
	/* RFC 3397 / RFC 1035 4.1.4: domain search names */
	BV(119, "", WIRE_OPT_LENGTH, "\x00"),
	BV(119, "\x40\x00", WIRE_DNS_LABEL_LONG, "\x03" "abc\x00"),
	BV(119, "\x03" "ab", WIRE_DNS_TRUNCATED, "\x02" "ab\x00"),
	BV(119, "\xc0\x00", WIRE_DNS_PTR_LOOP, "\x01" "a\x00\xc0\x00"),
	BV(119, "\x00\xc0\x05", WIRE_DNS_PTR_RANGE, "\x00\xc0\x00"),
	BV(119, "\xc0\x02\x00", WIRE_DNS_PTR_FORWARD, "\x00\x00"),
	/* RFC 3442: classless routes (and the 249 alias) */
	BV(121, "\x00\xc0\x00\x02", WIRE_OPT_LENGTH, "\x00\xc0\x00\x02\x01"),
	BV(121, "\x21\xc0\x00\x02\x01\x00", WIRE_ROUTE_PREFIX, "\x20\xc0\x00\x02\x01\x00\x00\x00\x00"),
	BV(121, "\x18\xc6\x33\x64\xc0\x00", WIRE_ROUTE_TRUNCATED, "\x18\xc6\x33\x64\xc0\x00\x02\x01"),
	BV(121, "\x07\x0b\xc0\x00\x02\x01", WIRE_ROUTE_HOST_BITS, "\x07\x0a\xc0\x00\x02\x01"),
	BV(249, "\x21\xc0\x00\x02\x01\x00", WIRE_ROUTE_PREFIX, "\x00\xc0\x00\x02\x01"),
};

static void check_bad_value(const struct bad_value *b)
{
	size_t n, bad_at;

	/* 53 is tested on an out without one: init leaves out type 0. */
	dhcp_out_init(&out, &hdr, b->code == DHCP_OPT_MSG_TYPE ? 0 : DHCPREQUEST);
	uint16_t n_opts = out.n_opts, pool = out.pool_used;
	assert_int_equal(dhcp_opt_validate(b->code, (const uint8_t *)b->bad, b->bad_len, &bad_at),
			 b->why);
	if (dhcp_out_add(&out, b->code, b->bad, b->bad_len) != b->why)
		fail_msg("option %u: bad value not refused with %s", b->code,
			 wire_reason_name(b->why));
	assert_int_equal(out.n_opts, n_opts);
	assert_int_equal(out.pool_used, pool);
	assert_null(dhcp_out_get(&out, b->code, &n));
	/* The good value is taken and parses back unchanged, nothing dropped. */
	if (dhcp_out_add(&out, b->code, b->good, b->good_len) != WIRE_OK)
		fail_msg("option %u: good value refused", b->code);
	parse_back(build_ok(NULL, 0));
	assert_true(dhcp_has(&msg, b->code));
	assert_int_equal(msg.opt[b->code].len, b->good_len);
	if (b->good_len)
		assert_memory_equal(msg.opt[b->code].data, b->good, b->good_len);
}

static void test_bad_values_refused(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++)
		check_bad_value(&bad_values[i]);
}

/* Codes the table does not know take any bytes, of any length. */
static void test_unknown_codes_any_bytes(void **state)
{
	static uint8_t v[600];
	(void)state;

	memset(v, 0xff, sizeof(v));
	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add(&out, 224, NULL, 0), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 225, v, 1), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 254, v, sizeof(v)), WIRE_OK);
	parse_back(build_ok(NULL, 0));
	assert_int_equal(msg.n_order, 4);
}

/* PAD/END, then duplicate, then room, then the value: the first that fails. */
static void test_refusal_order(void **state)
{
	static uint8_t big[DHCP_OUT_POOL];
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_END, NULL, 0), WIRE_BAD_CODE);
	assert_int_equal(dhcp_out_add_u8(&out, DHCP_OPT_MSG_TYPE, 0), WIRE_DUPLICATE);
	assert_int_equal(dhcp_out_add_u16(&out, DHCP_OPT_MTU, 1500), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_MTU, "\x05", 1), WIRE_DUPLICATE);
	/* One byte of the pool left. */
	assert_int_equal(dhcp_out_add(&out, 200, big, DHCP_OUT_POOL - 4u), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_SERVER_ID, big, 5), WIRE_NO_ROOM);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_OVERLOAD, big, 2), WIRE_NO_ROOM);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_RAPID_COMMIT, big, 1), WIRE_OPT_LENGTH);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_OVERLOAD, NULL, 0), WIRE_BAD_OVERLOAD);
	assert_int_equal(out.n_opts, 3);
}

/*
 * An out filled by hand (as the net role receives one from the engine over
 * IPC) is checked as strictly as dhcp_out_add would. The good one below
 * lays out 26 at 240, 53 at 244, 61 at 247, 224 at 256.
 */
enum { I_TYPE, I_MTU, I_CID, I_UNKNOWN };

static void good_out(void)
{
	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add_u16(&out, DHCP_OPT_MTU, 1500), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 61, "\x01\x02\x00\x5e\x10\x20\x30", 7), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 224, "ab", 2), WIRE_OK);
	assert_int_equal(out.opts[I_UNKNOWN].code, 224);
	parse_back(build_ok(NULL, 0));
}

static uint8_t *value_of(size_t i)
{
	return out.pool + out.opts[i].pool_off;
}

static void test_build_rechecks_out(void **state)
{
	(void)state;

	good_out();
	value_of(I_MTU)[0] = 0;     /* MTU 67: RFC 2132 5.1 says at least 68 */
	value_of(I_MTU)[1] = 67;
	build_refused(WIRE_OPT_VALUE, 240, DHCP_OPT_MTU);
	good_out();
	value_of(I_TYPE)[0] = 0;
	build_refused(WIRE_BAD_MSG_TYPE, DHCP_OPTIONS_OFF, DHCP_OPT_MSG_TYPE);
	good_out();
	out.opts[I_TYPE].len = 2;        /* into 26's bytes ... */
	out.opts[I_CID].len = 6;         /* ... the pool still holds them all */
	build_refused(WIRE_BAD_MSG_TYPE, DHCP_OPTIONS_OFF, DHCP_OPT_MSG_TYPE);
	good_out();
	out.opts[I_TYPE].code = 225;
	build_refused(WIRE_NO_MSG_TYPE, DHCP_OPTIONS_OFF, DHCP_OPT_MSG_TYPE);
	good_out();
	out.opts[I_CID].len = 1;
	build_refused(WIRE_OPT_LENGTH, 247, 61);
	good_out();
	out.opts[I_UNKNOWN].code = DHCP_OPT_OVERLOAD;
	build_refused(WIRE_BAD_OVERLOAD, 244, DHCP_OPT_OVERLOAD);
	good_out();
	out.opts[I_UNKNOWN].code = DHCP_OPT_PAD;
	build_refused(WIRE_BAD_CODE, 240, DHCP_OPT_PAD);
	good_out();
	out.opts[I_UNKNOWN].code = DHCP_OPT_END;
	build_refused(WIRE_BAD_CODE, 256, DHCP_OPT_END);
	good_out();
	out.opts[I_UNKNOWN].code = 61;   /* 61 twice: the later entry refused */
	build_refused(WIRE_DUPLICATE, 256, 61);
	good_out();
	out.hdr.op = 0;                  /* the header before any option */
	out.opts[I_CID].len = 1;
	build_refused(WIRE_BAD_OP, 0, -1);
}

/* Bounds an out from elsewhere may break: refused before any read. */
static void test_build_rechecks_shape(void **state)
{
	(void)state;

	good_out();
	out.n_opts = DHCP_OUT_MAX_OPTS + 1;
	build_refused(WIRE_BAD_ARGUMENT, 0, -1);
	good_out();
	out.pool_used = DHCP_OUT_POOL + 1;
	build_refused(WIRE_BAD_ARGUMENT, 0, -1);
	good_out();
	out.opts[I_UNKNOWN].pool_off = out.pool_used;
	build_refused(WIRE_BAD_ARGUMENT, 0, -1);
	good_out();
	out.opts[I_UNKNOWN].len = 3;     /* one byte past pool_used */
	build_refused(WIRE_BAD_ARGUMENT, 0, -1);
	good_out();
	out.opts[I_UNKNOWN].pool_off = UINT16_MAX;
	out.opts[I_UNKNOWN].len = UINT16_MAX;
	build_refused(WIRE_BAD_ARGUMENT, 0, -1);
	good_out();
	out.opts[I_UNKNOWN].pool_off = 0; /* overlaps the others: more bytes than the pool */
	out.opts[I_UNKNOWN].len = out.pool_used;
	build_refused(WIRE_BAD_ARGUMENT, 0, -1);
	/* Up to pool_used exactly is fine. */
	good_out();
	out.opts[I_UNKNOWN].pool_off = (uint16_t)(out.pool_used - 1u);
	out.opts[I_UNKNOWN].len = 1;
	parse_back(build_ok(NULL, 0));
}

/* RFC 2131 figure 1 offsets. */
static void test_header_offsets(void **state)
{
	size_t len;
	(void)state;

	memset(buf, 0xaa, sizeof(buf));
	dhcp_out_init(&out, &hdr, DHCPDISCOVER);
	memcpy(out.sname, "server-name", 11);
	memcpy(out.file, "boot/file", 9);
	len = build_ok(NULL, 0);
	assert_int_equal(buf[0], BOOTREQUEST);
	assert_int_equal(buf[1], 1);
	assert_int_equal(buf[2], 6);
	assert_int_equal(buf[3], 0);
	assert_memory_equal(buf + 4, "\x39\x03\xf3\x26", 4);  /* xid */
	assert_memory_equal(buf + 8, "\x01\x02", 2);          /* secs */
	assert_memory_equal(buf + 10, "\x80\x00", 2);         /* flags */
	assert_memory_equal(buf + 12, "\xc0\x00\x02\x64", 4); /* ciaddr */
	assert_memory_equal(buf + 16, "\xc0\x00\x02\x65", 4); /* yiaddr */
	assert_memory_equal(buf + 20, "\xc0\x00\x02\x01", 4); /* siaddr */
	assert_memory_equal(buf + 24, "\xc6\x33\x64\x01", 4); /* giaddr */
	assert_memory_equal(buf + 28, "\x02\x00\x5e\x10\x20\x30", 6); /* chaddr */
	assert_memory_equal(buf + 34, zeros, 10);
	assert_memory_equal(buf + DHCP_SNAME_OFF, "server-name", 11);
	assert_memory_equal(buf + DHCP_SNAME_OFF + 11, zeros, DHCP_SNAME_LEN - 11);
	assert_memory_equal(buf + DHCP_FILE_OFF, "boot/file", 9);
	assert_memory_equal(buf + DHCP_FILE_OFF + 9, zeros, DHCP_FILE_LEN - 9);
	assert_memory_equal(buf + 236, "\x63\x82\x53\x63", 4); /* cookie */
	assert_memory_equal(buf + 240, "\x35\x01\x01\xff", 4);

	parse_back(len);
	assert_int_equal(msg.hdr.xid, hdr.xid);
	assert_int_equal(msg.hdr.secs, hdr.secs);
	assert_int_equal(msg.hdr.flags, hdr.flags);
	assert_int_equal(msg.hdr.ciaddr, hdr.ciaddr);
	assert_int_equal(msg.hdr.yiaddr, hdr.yiaddr);
	assert_int_equal(msg.hdr.siaddr, hdr.siaddr);
	assert_int_equal(msg.hdr.giaddr, hdr.giaddr);
	assert_memory_equal(msg.hdr.chaddr, hdr.chaddr, DHCP_CHADDR_LEN);
	assert_int_equal(msg.type, DHCPDISCOVER);
}

static void test_padded_to_300(void **state)
{
	size_t len, end;
	uint8_t codes[64];
	size_t n;
	(void)state;

	memset(buf, 0xaa, sizeof(buf));
	dhcp_out_init(&out, &hdr, DHCPDISCOVER);
	assert_int_equal(dhcp_out_add_ip(&out, DHCP_OPT_REQUESTED_IP, 0xc0000264u), WIRE_OK);
	len = build_ok(NULL, 0);
	assert_int_equal(len, BOOTP_MIN_LEN);
	end = walk_codes(buf, len, codes, &n);
	assert_int_equal(n, 3);
	assert_int_equal(codes[2], DHCP_OPT_END);
	assert_int_equal(end, 240u + 3u + 6u + 1u);
	assert_memory_equal(buf + end, zeros, BOOTP_MIN_LEN - end);
	/* Nothing past the 300 bytes was touched. */
	assert_int_equal(buf[BOOTP_MIN_LEN], 0xaa);
	parse_back(len);
}

/* Exactly 300 bytes without padding, and one more with no padding either. */
static void test_end_last_at_boundary(void **state)
{
	uint8_t v[64] = { 0 };
	uint8_t codes[64];
	size_t n, len;
	(void)state;

	/* 240 + 3 (type) + 2 + k + 1 (END) = 300 -> k = 54 */
	for (size_t k = 50; k <= 58; k++) {
		memset(buf, 0xaa, sizeof(buf));
		dhcp_out_init(&out, &hdr, DHCPDISCOVER);
		assert_int_equal(dhcp_out_add(&out, 200, v, k), WIRE_OK);
		len = build_ok(NULL, 0);
		size_t natural = 240u + 3u + 2u + k + 1u;
		assert_int_equal(len, natural < BOOTP_MIN_LEN ? BOOTP_MIN_LEN : natural);
		assert_int_equal(walk_codes(buf, len, codes, &n), natural);
		assert_int_equal(codes[n - 1], DHCP_OPT_END);
		assert_int_equal(buf[len], 0xaa);
	}
}

static void test_code_order_default(void **state)
{
	uint8_t codes[64];
	size_t n, len;
	const uint8_t want[] = { 1, 3, 6, 12, 50, 53, 54, 55, 61, 200, 255 };
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add(&out, 200, "x", 1), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 61, "\x01\x02\x00\x5e\x10\x20\x30", 7), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 55, "\x01\x03\x06", 3), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, 54, 0xc0000201u), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, 50, 0xc0000264u), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 12, "host", 4), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, 6, 0xc0000235u), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, 3, 0xc0000201u), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, 1, 0xffffff00u), WIRE_OK);
	len = build_ok(NULL, 0);
	walk_codes(buf, len, codes, &n);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(codes, want, sizeof(want));
	parse_back(len);
	assert_memory_equal(msg.order, want, sizeof(want) - 1);
	/* An empty order list is the default order. */
	len = build_ok((const uint8_t *)"", 0);
	walk_codes(buf, len, codes, &n);
	assert_memory_equal(codes, want, sizeof(want));
}

static void test_caller_order(void **state)
{
	uint8_t codes[64];
	size_t n, len;
	/* 99 and 7 are not in the message; 54 is named twice. */
	const uint8_t order[] = { 55, 99, 54, 53, 7, 54 };
	const uint8_t want[] = { 55, 54, 53, 1, 3, 6, 61, 255 };
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add(&out, 61, "\x01\x02\x00\x5e\x10\x20\x30", 7), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 6, "\xc0\x00\x02\x35", 4), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 55, "\x01\x03\x06", 3), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, 54, 0xc0000201u), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, 3, 0xc0000201u), WIRE_OK);
	assert_int_equal(dhcp_out_add_ip(&out, 1, 0xffffff00u), WIRE_OK);
	len = build_ok(order, sizeof(order));
	walk_codes(buf, len, codes, &n);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(codes, want, sizeof(want));
	parse_back(len);
	assert_memory_equal(msg.order, want, sizeof(want) - 1);

	/* Every code named, in reverse: exactly that order. */
	const uint8_t rev[] = { 61, 55, 54, 53, 6, 3, 1 };
	len = build_ok(rev, sizeof(rev));
	walk_codes(buf, len, codes, &n);
	assert_int_equal(n, sizeof(rev) + 1);
	assert_memory_equal(codes, rev, sizeof(rev));
	/* n_order 0 with a list: the list is not read. */
	len = build_ok(rev, 0);
	walk_codes(buf, len, codes, &n);
	assert_int_equal(codes[0], 1);
	assert_int_equal(codes[6], 61);
	/* PAD/END in an order list name nothing in the message. */
	const uint8_t odd[] = { 0, 255, 6 };
	len = build_ok(odd, sizeof(odd));
	walk_codes(buf, len, codes, &n);
	assert_int_equal(codes[0], 6);
	assert_int_equal(codes[1], 1);
	assert_int_equal(n, 8);
}

/* RFC 3396: over 255 bytes is several instances, concatenated on parse. */
static void test_long_values_split(void **state)
{
	static uint8_t v[DHCP_OUT_POOL];
	uint8_t codes[64];
	size_t n, len, got_len;
	const uint8_t *got;
	(void)state;

	for (size_t i = 0; i < sizeof(v); i++)
		v[i] = (uint8_t)(i * 7 + 3);
	const size_t sizes[] = { 255, 256, 510, 511, 600, 765, 766, 1200 };
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t sz = sizes[s];
		size_t want_inst = (sz + 254) / 255;
		dhcp_out_init(&out, &hdr, DHCPREQUEST);
		assert_int_equal(dhcp_out_add(&out, 200, v, sz), WIRE_OK);
		/* A DNS list of 64 servers (256 bytes) through a known type too. */
		assert_int_equal(dhcp_out_add(&out, DHCP_OPT_DNS, v, 256), WIRE_OK);
		len = build_ok(NULL, 0);
		walk_codes(buf, len, codes, &n);
		assert_int_equal(n, 1 + 2 + want_inst + 1);
		for (size_t i = 0; i < want_inst; i++)
			assert_int_equal(codes[3 + i], 200);
		/* The instances are full 255-byte pieces, then the rest. */
		size_t off = 240u + 3u + 2u + 255u + 2u + 1u;
		for (size_t i = 0; i < want_inst; i++) {
			size_t piece = i + 1 < want_inst ? 255 : sz - 255 * i;
			assert_int_equal(buf[off], 200);
			assert_int_equal(buf[off + 1], piece);
			off += 2 + piece;
		}
		parse_back(len);
		assert_true(dhcp_get_bytes(&msg, 200, &got, &got_len));
		assert_int_equal(got_len, sz);
		assert_memory_equal(got, v, sz);
		assert_int_equal(msg.opt[200].instances, want_inst);
		assert_true(dhcp_get_bytes(&msg, DHCP_OPT_DNS, &got, &got_len));
		assert_int_equal(got_len, 256);
		assert_memory_equal(got, v, 256);
	}
}

static void test_zero_length_option(void **state)
{
	uint8_t codes[64];
	size_t n, len;
	(void)state;

	dhcp_out_init(&out, &hdr, DHCPDISCOVER);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_RAPID_COMMIT, NULL, 0), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 201, "", 0), WIRE_OK);
	len = build_ok(NULL, 0);
	walk_codes(buf, len, codes, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(buf + 240, "\x35\x01\x01\x50\x00\xc9\x00\xff", 8);
	parse_back(len);
	assert_true(dhcp_get_flag(&msg, DHCP_OPT_RAPID_COMMIT));
	assert_true(dhcp_has(&msg, 201));
	assert_int_equal(msg.opt[201].len, 0);
}

/*
 * Output buffers of every size from 300 up to the size needed, each flush
 * against an unmapped page: NO_ROOM (naming the option that did not fit)
 * until it fits, then exactly the bytes of an unbounded build.
 */
static void check_every_cap(const uint8_t *order, size_t n_order)
{
	size_t need = build_ok(order, n_order);
	uint8_t want[sizeof(buf)];

	memcpy(want, buf, need);
	assert_true(need > BOOTP_MIN_LEN);
	for (size_t cap = BOOTP_MIN_LEN; cap <= need + 2; cap++) {
		struct guarded g = guard_copy(zeros, cap);
		size_t len = 77;
		enum wire_reason r = dhcp_build(&out, order, n_order, g.data, cap, &len, &err);
		if (cap < need) {
			assert_int_equal(r, WIRE_NO_ROOM);
			assert_int_equal(err.reason, WIRE_NO_ROOM);
			assert_true(err.option > 0 && err.option < 255);
			assert_true(err.offset >= DHCP_OPTIONS_OFF && err.offset < cap);
			assert_int_equal(len, 0);
		} else {
			assert_int_equal(r, WIRE_OK);
			assert_int_equal(len, need);
			assert_memory_equal(g.data, want, need);
		}
		guard_free(&g);
	}
}

static void test_never_writes_past_cap(void **state)
{
	static uint8_t v[1000];
	(void)state;

	memset(v, 'v', sizeof(v));
	dhcp_out_init(&out, &hdr, DHCPREQUEST);
	assert_int_equal(dhcp_out_add(&out, 61, "\x01\x02\x00\x5e\x10\x20\x30", 7), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 55, "\x01\x03\x06\x0c\x0f\x1a\x1c\x2a", 8), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 12, "a-host-name", 11), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, DHCP_OPT_RAPID_COMMIT, NULL, 0), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 77, v, 600), WIRE_OK);
	assert_int_equal(dhcp_out_add(&out, 60, v, 40), WIRE_OK);
	check_every_cap(NULL, 0);
	const uint8_t order[] = { 77, 12, 53, 80 };
	check_every_cap(order, sizeof(order));

	/* Exactly 301 bytes: the smallest message not padded. */
	dhcp_out_init(&out, &hdr, DHCPDISCOVER);
	assert_int_equal(dhcp_out_add(&out, 200, v, 55), WIRE_OK);
	check_every_cap(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_adds_message_type),
		cmocka_unit_test(test_pad_end_refused),
		cmocka_unit_test(test_duplicates_refused),
		cmocka_unit_test(test_typed_appenders_big_endian),
		cmocka_unit_test(test_values_copied),
		cmocka_unit_test(test_pool_exhaustion),
		cmocka_unit_test(test_option_count_exhaustion),
		cmocka_unit_test(test_cap_under_300_refused),
		cmocka_unit_test(test_header_refusals),
		cmocka_unit_test(test_message_type_refusals),
		cmocka_unit_test(test_overload_refused),
		cmocka_unit_test(test_bad_values_refused),
		cmocka_unit_test(test_unknown_codes_any_bytes),
		cmocka_unit_test(test_refusal_order),
		cmocka_unit_test(test_build_rechecks_out),
		cmocka_unit_test(test_build_rechecks_shape),
		cmocka_unit_test(test_header_offsets),
		cmocka_unit_test(test_padded_to_300),
		cmocka_unit_test(test_end_last_at_boundary),
		cmocka_unit_test(test_code_order_default),
		cmocka_unit_test(test_caller_order),
		cmocka_unit_test(test_long_values_split),
		cmocka_unit_test(test_zero_length_option),
		cmocka_unit_test(test_never_writes_past_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
