/* SPDX-License-Identifier: BSD-2-Clause */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/cursor.h"

static void test_reads_in_order(void **state)
{
	const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct wire_cursor c = wc_init(b, sizeof(b));
	(void)state;

	assert_int_equal(wc_u8(&c), 0x01);
	assert_int_equal(wc_be16(&c), 0x0203);
	assert_int_equal(wc_be32(&c), 0x04050607u);
	assert_false(c.failed);
	assert_int_equal(wc_remaining(&c), 0);
}

static void test_failure_is_sticky_and_moves_nothing(void **state)
{
	const uint8_t b[] = { 0xaa, 0xbb, 0xcc };
	struct wire_cursor c = wc_init(b, sizeof(b));
	(void)state;

	assert_int_equal(wc_be32(&c), 0);
	assert_true(c.failed);
	assert_int_equal(c.off, 0);
	/* A read that would fit on its own still fails once the cursor failed. */
	assert_int_equal(wc_u8(&c), 0);
	assert_null(wc_bytes(&c, 1));
}

static void test_sub_cursor_is_bounded(void **state)
{
	const uint8_t b[] = { 2, 0x10, 0x20, 0x30 };
	struct wire_cursor c = wc_init(b, sizeof(b));
	(void)state;

	uint8_t n = wc_u8(&c);
	struct wire_cursor s = wc_sub(&c, n);
	assert_false(s.failed);
	assert_int_equal(wc_be16(&s), 0x1020);
	assert_int_equal(wc_u8(&s), 0);
	assert_true(s.failed);
	assert_int_equal(wc_u8(&c), 0x30);
	assert_false(c.failed);

	struct wire_cursor too_long = wc_sub(&c, 1);
	assert_true(too_long.failed);
	assert_true(c.failed);
}

static void test_seek_bounds(void **state)
{
	const uint8_t b[] = { 1, 2, 3 };
	struct wire_cursor c = wc_init(b, sizeof(b));
	(void)state;

	assert_true(wc_seek(&c, 3));
	assert_int_equal(wc_remaining(&c), 0);
	assert_false(wc_seek(&c, 4));
	assert_true(c.failed);
}

/* Reading every byte of a guarded buffer touches none past its end. */
static void test_guarded_reads(void **state)
{
	uint8_t src[37];
	(void)state;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)i;
	struct guarded g = guard_copy(src, sizeof(src));
	struct wire_cursor c = wc_init(g.data, g.len);
	unsigned sum = 0;
	while (wc_remaining(&c) >= 4)
		sum += wc_be32(&c) & 0xff;
	while (wc_remaining(&c) > 0)
		sum += wc_u8(&c);
	assert_int_equal(wc_be32(&c), 0);
	assert_true(c.failed);
	assert_int_not_equal(sum, 0);
	guard_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_in_order),
		cmocka_unit_test(test_failure_is_sticky_and_moves_nothing),
		cmocka_unit_test(test_sub_cursor_is_bounded),
		cmocka_unit_test(test_seek_bounds),
		cmocka_unit_test(test_guarded_reads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
