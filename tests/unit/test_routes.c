/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 3442 classless static routes (options 121 and 249): the decoder over
 * every prefix length and destination width, the encoder's exact bytes and
 * refusals, round trips, and bounds (inputs and outputs flush against an
 * unmapped page).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/routes.h"

static struct wire_error err;
static const uint8_t zeros[1024];

static uint32_t mask_of(unsigned prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

/* Decode all routes of a guarded copy; -1 on error. */
static int decode(const uint8_t *data, size_t len, struct wire_route *routes, size_t max)
{
	struct guarded g = guard_copy(data, len);
	struct route_iter it;
	int r, n = 0;

	route_iter_init(&it, g.data, g.len);
	while ((r = route_iter_next(&it, &routes[n], &err)) > 0) {
		n++;
		assert_true((size_t)n <= max);
	}
	guard_free(&g);
	return r < 0 ? -1 : n;
}

static size_t encode_guarded(const struct wire_route *routes, size_t n, uint8_t *copy,
			     size_t cap)
{
	struct guarded g = guard_copy(zeros, cap);
	size_t w = routes_encode(routes, n, g.data, cap);
	if (w > 0)
		memcpy(copy, g.data, w);
	guard_free(&g);
	return w;
}

/* RFC 3442 page 4: the destination's significant octets, by prefix. */
static void test_rfc3442_examples(void **state)
{
	const uint8_t v[] = {
		0, 192, 0, 2, 1,                 /* 0.0.0.0/0      -> 0          */
		8, 10, 192, 0, 2, 1,             /* 10.0.0.0/8     -> 8.10       */
		12, 10, 16, 192, 0, 2, 1,        /* 10.16.0.0/12   -> 12.10.16   */
		16, 172, 16, 192, 0, 2, 1,       /* 172.16.0.0/16  -> 16.172.16  */
		24, 198, 51, 100, 0, 0, 0, 0,    /* /24 on-link                  */
		25, 10, 0, 0, 128, 192, 0, 2, 1, /* 10.0.0.128/25  -> 25.10.0.0.128 */
		32, 203, 0, 113, 9, 192, 0, 2, 1,
	};
	const struct wire_route want[] = {
		{ 0x00000000u, 0, 0xc0000201u },
		{ 0x0a000000u, 8, 0xc0000201u },
		{ 0x0a100000u, 12, 0xc0000201u },
		{ 0xac100000u, 16, 0xc0000201u },
		{ 0xc6336400u, 24, 0 },
		{ 0x0a000080u, 25, 0xc0000201u },
		{ 0xcb007109u, 32, 0xc0000201u },
	};
	struct wire_route got[16];
	uint8_t wire[128];
	(void)state;

	assert_int_equal(decode(v, sizeof(v), got, 16), 7);
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(got[i].dst, want[i].dst);
		assert_int_equal(got[i].prefix, want[i].prefix);
		assert_int_equal(got[i].gateway, want[i].gateway);
	}
	/* Gateway 0.0.0.0 means on-link and is kept as 0. */
	assert_int_equal(got[4].gateway, 0);
	assert_int_equal(encode_guarded(want, 7, wire, sizeof(v)), sizeof(v));
	assert_memory_equal(wire, v, sizeof(v));
	size_t bad = 77;
	assert_int_equal(routes_validate(v, sizeof(v), &bad), WIRE_OK);
	/* An empty list is no routes (the option's length rule refuses it). */
	assert_int_equal(decode(zeros, 0, got, 16), 0);
}

/* Every prefix 0..32: width ceil(p/8) octets, exact round trip. */
static void test_every_prefix(void **state)
{
	(void)state;
	for (unsigned p = 0; p <= 32; p++) {
		struct wire_route r = { 0xcb0071ffu & mask_of(p), (uint8_t)p, 0xc0000201u + p };
		struct wire_route got[2];
		uint8_t wire[16];
		size_t width = (p + 7) / 8;
		size_t w = encode_guarded(&r, 1, wire, 1 + width + 4);
		assert_int_equal(w, 1 + width + 4);
		assert_int_equal(wire[0], p);
		for (size_t b = 0; b < width; b++)
			assert_int_equal(wire[1 + b], (uint8_t)(r.dst >> (24 - 8 * b)));
		assert_int_equal(decode(wire, w, got, 2), 1);
		assert_int_equal(got[0].dst, r.dst);
		assert_int_equal(got[0].prefix, p);
		assert_int_equal(got[0].gateway, r.gateway);
		/* One byte short is a truncated route, never a read past the end. */
		assert_int_equal(decode(wire, w - 1, got, 2), -1);
		assert_int_equal(err.reason, WIRE_ROUTE_TRUNCATED);
		assert_int_equal(err.offset, 0);
		assert_int_equal(err.option, 121);
		/* With the lowest bit past the prefix set (where there is one in
		 * the octets sent), the destination has host bits. */
		if (p % 8 != 0) {
			wire[width] = (uint8_t)(wire[width] | (1u << (7 - p % 8)));
			assert_int_equal(decode(wire, w, got, 2), -1);
			assert_int_equal(err.reason, WIRE_ROUTE_HOST_BITS);
		}
	}
}

static void test_prefix_over_32(void **state)
{
	struct wire_route got[4];
	(void)state;

	for (unsigned p = 33; p < 256; p += (p < 40 ? 1 : 37)) {
		uint8_t v[] = { 0, 0, 0, 0, 0, (uint8_t)p, 1, 2, 3, 4, 192, 0, 2, 1 };
		assert_int_equal(decode(v, sizeof(v), got, 4), -1);
		assert_int_equal(err.reason, WIRE_ROUTE_PREFIX);
		assert_int_equal(err.offset, 5);
		size_t bad = 0;
		assert_int_equal(routes_validate(v, sizeof(v), &bad), WIRE_ROUTE_PREFIX);
		assert_int_equal(bad, 5);
	}
}

/* Every truncation of a three-route list: ok only on route boundaries. */
static void test_truncations(void **state)
{
	const uint8_t v[] = { 24, 198, 51, 100, 192, 0, 2, 1,
			      0, 192, 0, 2, 1,
			      32, 10, 0, 0, 1, 0, 0, 0, 0 };
	struct wire_route got[4];
	(void)state;

	for (size_t len = 0; len <= sizeof(v); len++) {
		int r = decode(v, len, got, 4);
		if (len == 0)
			assert_int_equal(r, 0);
		else if (len == 8)
			assert_int_equal(r, 1);
		else if (len == 13)
			assert_int_equal(r, 2);
		else if (len == sizeof(v))
			assert_int_equal(r, 3);
		else {
			assert_int_equal(r, -1);
			assert_int_equal(err.reason, WIRE_ROUTE_TRUNCATED);
			assert_int_equal(err.offset, len < 8 ? 0 : len < 13 ? 8 : 13);
		}
	}
}

static void test_host_bits(void **state)
{
	struct wire_route got[2];
	size_t bad = 0;
	(void)state;

	/* 10.0.0.1/24: the fourth octet is not even sent, so no host bits. */
	const uint8_t short24[] = { 24, 10, 0, 0, 192, 0, 2, 1 };
	assert_int_equal(decode(short24, sizeof(short24), got, 2), 1);
	assert_int_equal(got[0].dst, 0x0a000000u);
	/* 10.0.0.1/31: the last bit is past the prefix. */
	const uint8_t p31[] = { 31, 10, 0, 0, 1, 192, 0, 2, 1 };
	assert_int_equal(decode(p31, sizeof(p31), got, 2), -1);
	assert_int_equal(err.reason, WIRE_ROUTE_HOST_BITS);
	/* 10.64.0.0/9: bit 22 is past the prefix (after a good default route). */
	const uint8_t p9[] = { 0, 0, 0, 0, 0, 9, 10, 0x40, 192, 0, 2, 1 };
	assert_int_equal(routes_validate(p9, sizeof(p9), &bad), WIRE_ROUTE_HOST_BITS);
	assert_int_equal(bad, 5);
	/* 10.128.0.0/9: bit 23 is the last one of the prefix. */
	const uint8_t p9ok[] = { 9, 10, 0x80, 192, 0, 2, 1 };
	assert_int_equal(decode(p9ok, sizeof(p9ok), got, 2), 1);
	assert_int_equal(got[0].dst, 0x0a800000u);
}

static void test_encode_refusals(void **state)
{
	uint8_t wire[64];
	(void)state;

	const struct wire_route p33 = { 0x0a000000u, 33, 0 };
	assert_int_equal(routes_encode(&p33, 1, wire, sizeof(wire)), 0);
	const struct wire_route p255 = { 0, 255, 0 };
	assert_int_equal(routes_encode(&p255, 1, wire, sizeof(wire)), 0);
	for (unsigned p = 0; p < 32; p++) {
		struct wire_route host = { mask_of(p) ^ 0xffffffffu, (uint8_t)p, 0 };
		assert_int_equal(routes_encode(&host, 1, wire, sizeof(wire)), 0);
		host.dst = 1;
		assert_int_equal(routes_encode(&host, 1, wire, sizeof(wire)), 0);
	}
	const struct wire_route default_route = { 0, 0, 0xc0000201u };
	assert_int_equal(routes_encode(&default_route, 1, wire, sizeof(wire)), 5);
	/* One bad route spoils the list. */
	const struct wire_route list[] = { { 0, 0, 1 }, { 0x0a000001u, 8, 1 } };
	assert_int_equal(routes_encode(list, 2, wire, sizeof(wire)), 0);
}

/* Output buffers of every size short of the need: 0, never past the end. */
static void test_encode_short_output(void **state)
{
	const struct wire_route list[] = {
		{ 0xc6336400u, 24, 0xc0000201u },
		{ 0, 0, 0xc0000201u },
		{ 0xcb007109u, 32, 0 },
	};
	uint8_t copy[64];
	const size_t need = 8 + 5 + 9;
	(void)state;

	for (size_t cap = 0; cap < need; cap++)
		assert_int_equal(encode_guarded(list, 3, copy, cap), 0);
	assert_int_equal(encode_guarded(list, 3, copy, need), need);
	assert_int_equal(encode_guarded(list, 3, copy, need + 3), need);
	struct wire_route got[4];
	assert_int_equal(decode(copy, need, got, 4), 3);
	assert_int_equal(got[2].dst, 0xcb007109u);
	assert_int_equal(got[2].gateway, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3442_examples),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_prefix_over_32),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_host_bits),
		cmocka_unit_test(test_encode_refusals),
		cmocka_unit_test(test_encode_short_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
