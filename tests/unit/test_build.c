/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dhcp_out / dhcp_build: the appenders refuse PAD/END, duplicates and
 * overflow; the builder keeps RFC 2131's layout, pads to the BOOTP minimum,
 * honours the option order asked for, splits long values (RFC 3396) and
 * never writes past the buffer it is given (every output buffer here ends
 * flush against an unmapped page).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/dhcp.h"

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

static void test_hlen_over_16_refused(void **state)
{
	struct dhcp_header h = hdr;
	size_t len = 1;
	(void)state;

	h.hlen = 17;
	dhcp_out_init(&out, &h, DHCPDISCOVER);
	assert_int_equal(dhcp_build(&out, NULL, 0, buf, sizeof(buf), &len, &err),
			 WIRE_BAD_ARGUMENT);
	assert_int_equal(len, 0);
	h.hlen = 16;
	h.htype = 32;
	dhcp_out_init(&out, &h, DHCPDISCOVER);
	assert_int_equal(dhcp_build(&out, NULL, 0, buf, sizeof(buf), &len, &err), WIRE_OK);
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
		cmocka_unit_test(test_hlen_over_16_refused),
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
