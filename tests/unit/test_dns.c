/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Option 119 names (RFC 1035 3.1 and 4.1.4, RFC 3397): the decoder's text
 * form and escapes, compression chains, the text buffer bound, and the
 * encoder's refusals. test_parse.c covers the attack classes through
 * dhcp_parse; here the decoder and encoder are driven directly, with every
 * input and every output buffer flush against an unmapped page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/dns.h"

static struct wire_error err;
static const uint8_t zeros[4096];

/* Decode every name of a (guarded) list into names[], joined by ' '. */
static int decode_all(const uint8_t *data, size_t len, char *joined, size_t cap)
{
	struct guarded g = guard_copy(data, len);
	struct dns_list_iter it;
	char text[DNS_TEXT_MAX];
	int r, n = 0;
	size_t used = 0;

	joined[0] = '\0';
	dns_list_init(&it, g.data, g.len);
	while ((r = dns_list_next(&it, text, sizeof(text), &err)) > 0) {
		int w = snprintf(joined + used, cap - used, "%s%s", n ? " " : "", text);
		assert_true(w > 0 && (size_t)w < cap - used);
		used += (size_t)w;
		n++;
	}
	guard_free(&g);
	return r < 0 ? -1 : n;
}

static void expect_names(const uint8_t *data, size_t len, const char *want, int count)
{
	char joined[8192];

	assert_int_equal(decode_all(data, len, joined, sizeof(joined)), count);
	assert_string_equal(joined, want);
}

static void expect_error(const uint8_t *data, size_t len, enum wire_reason why,
			 size_t at)
{
	char joined[8192];
	size_t bad = 999;

	assert_int_equal(decode_all(data, len, joined, sizeof(joined)), -1);
	assert_int_equal(err.reason, why);
	assert_int_equal(err.offset, at);
	assert_int_equal(err.option, 119);
	struct guarded g = guard_copy(data, len);
	assert_int_equal(dns_list_validate(g.data, g.len, &bad), why);
	assert_int_equal(bad, at);
	guard_free(&g);
}

/* ---- decoding ------------------------------------------------------------ */

static void test_plain_names(void **state)
{
	const uint8_t one[] = { 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0 };
	const uint8_t two[] = { 1, 'a', 0, 3, 'b', '-', '_', 1, 'C', 0 };
	(void)state;

	expect_names(one, sizeof(one), "example.test", 1);
	expect_names(two, sizeof(two), "a b-_.C", 2);
	/* An empty list is no names at all (the option's length rule refuses it). */
	expect_names(zeros, 0, "", 0);
	size_t bad = 7;
	assert_int_equal(dns_list_validate(zeros, 0, &bad), WIRE_OK);
}

static void test_root_name(void **state)
{
	const uint8_t root[] = { 0 };
	const uint8_t three[] = { 0, 1, 'a', 0, 0 };
	const uint8_t ptr_to_root[] = { 0, 0xc0, 0 };
	(void)state;

	expect_names(root, sizeof(root), ".", 1);
	expect_names(three, sizeof(three), ". a .", 3);
	expect_names(ptr_to_root, sizeof(ptr_to_root), ". .", 2);
}

/* Every byte outside [A-Za-z0-9_-] in a label comes out as \DDD. */
static void test_escapes(void **state)
{
	const uint8_t dot[] = { 3, 'a', '.', 'b', 0 };
	const uint8_t nul[] = { 3, 'a', 0, 'b', 0 };
	const uint8_t ff[] = { 2, 0xff, 'z', 0 };
	const uint8_t mixed[] = { 5, ' ', '\\', ';', '$', 0x7f, 2, 0x80, 0xc0, 0 };
	(void)state;

	expect_names(dot, sizeof(dot), "a\\046b", 1);
	expect_names(nul, sizeof(nul), "a\\000b", 1);
	expect_names(ff, sizeof(ff), "\\255z", 1);
	expect_names(mixed, sizeof(mixed), "\\032\\092\\059\\036\\127.\\128\\192", 1);

	/* Each byte value alone in a label. */
	for (unsigned b = 0; b < 256; b++) {
		const uint8_t label[] = { 1, (uint8_t)b, 0 };
		char want[8];
		int plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
			    (b >= '0' && b <= '9') || b == '-' || b == '_';
		if (plain)
			snprintf(want, sizeof(want), "%c", (char)b);
		else
			snprintf(want, sizeof(want), "\\%03u", b);
		expect_names(label, sizeof(label), want, 1);
	}
}

/* The longest name, every byte escaped, fits DNS_TEXT_MAX. */
static void test_worst_case_text(void **state)
{
	uint8_t name[DNS_NAME_MAX];
	char joined[8192];
	size_t n = 0;
	(void)state;

	/* 63 + 63 + 63 + 61 label bytes: 4 * 64 - 2 + 1 = 255 bytes of wire. */
	const uint8_t labels[] = { 63, 63, 63, 61 };
	for (size_t l = 0; l < sizeof(labels); l++) {
		name[n++] = labels[l];
		memset(name + n, 0xff, labels[l]);
		n += labels[l];
	}
	name[n++] = 0;
	assert_int_equal(n, DNS_NAME_MAX);
	assert_int_equal(decode_all(name, n, joined, sizeof(joined)), 1);
	assert_int_equal(strlen(joined), 4u * 250u + 3u);
	assert_true(strlen(joined) + 1 <= DNS_TEXT_MAX);
}

/*
 * Text buffers of every size up to the one needed, each flush against an
 * unmapped page: NO_ROOM until the name and its NUL fit, never a write
 * past the buffer, and the iterator stays on the name so a retry works.
 */
static void check_text_caps(const uint8_t *data, size_t len, const char *first)
{
	size_t need = strlen(first) + 1;
	struct guarded in = guard_copy(data, len);

	for (size_t cap = 0; cap <= need; cap++) {
		struct guarded out = guard_copy(zeros, cap);
		struct dns_list_iter it;
		char *text = (char *)out.data;
		dns_list_init(&it, in.data, in.len);
		int r = dns_list_next(&it, cap ? text : NULL, cap, &err);
		if (cap < need) {
			assert_int_equal(r, -1);
			assert_int_equal(err.reason, WIRE_NO_ROOM);
			assert_int_equal(err.offset, 0);
			assert_int_equal(it.off, 0);
		} else {
			assert_int_equal(r, 1);
			assert_string_equal(text, first);
		}
		guard_free(&out);
	}
	guard_free(&in);
}

static void test_text_buffer_too_small(void **state)
{
	const uint8_t plain[] = { 3, 'a', 'b', 'c', 2, 'd', 'e', 0, 1, 'x', 0 };
	const uint8_t escaped[] = { 2, 0, '.', 0 };
	const uint8_t root[] = { 0 };
	const uint8_t ptr[] = { 2, 'a', 'b', 0, 1, 'z', 0xc0, 0 };
	const uint8_t single[] = { 1, 'z', 0 };
	(void)state;

	check_text_caps(plain, sizeof(plain), "abc.de");
	check_text_caps(escaped, sizeof(escaped), "\\000\\046");
	check_text_caps(root, sizeof(root), ".");
	check_text_caps(single, sizeof(single), "z");

	/* A retry with room after NO_ROOM reads the same name, then the next. */
	struct dns_list_iter it;
	char small[3], big[DNS_TEXT_MAX];
	dns_list_init(&it, ptr, sizeof(ptr));
	assert_int_equal(dns_list_next(&it, big, sizeof(big), &err), 1);
	assert_string_equal(big, "ab");
	assert_int_equal(dns_list_next(&it, small, sizeof(small), &err), -1);
	assert_int_equal(err.reason, WIRE_NO_ROOM);
	assert_int_equal(err.offset, 4);
	/* A failed call leaves an empty string, never a partial name. */
	assert_string_equal(small, "");
	assert_int_equal(dns_list_next(&it, big, sizeof(big), &err), 1);
	assert_string_equal(big, "z.ab");
	assert_int_equal(dns_list_next(&it, big, sizeof(big), &err), 0);
}

static void test_pointer_chains(void **state)
{
	/* 0: "a.test"  8: "b" -> 0  12: "c" -> 8  16: -> 12  18: "d" -> 2 */
	const uint8_t chain[] = { 1, 'a', 4, 't', 'e', 's', 't', 0,
				  1, 'b', 0xc0, 0,
				  1, 'c', 0xc0, 8,
				  0xc0, 12,
				  1, 'd', 0xc0, 2 };
	(void)state;

	expect_names(chain, sizeof(chain), "a.test b.a.test c.b.a.test c.b.a.test d.test", 5);
	/* A pointer using the high bits of its 14-bit offset (0xc1 0x00 = 256):
	 * 256 root names, "q" at 256, a pointer to it at 259. */
	static uint8_t far[261];
	char joined[8192];
	memset(far, 0, 256);
	far[256] = 1, far[257] = 'q', far[258] = 0;
	far[259] = 0xc1, far[260] = 0x00;
	assert_int_equal(decode_all(far, sizeof(far), joined, sizeof(joined)), 258);
	assert_string_equal(joined + strlen(joined) - 4, " q q");
	expect_error(far, sizeof(far) - 1, WIRE_DNS_TRUNCATED, 259);
}

/*
 * A long chain of backward pointers, each name one label longer than the
 * last: valid until the name reaches 255 bytes of wire form, and refused as
 * too long (not looped) one label later.
 */
static void test_long_pointer_chain(void **state)
{
	uint8_t list[1024];
	char joined[65536];
	size_t n = 0, prev;
	(void)state;

	list[n++] = 1, list[n++] = 'a', list[n++] = 0;
	prev = 0;
	/* Name k has k + 1 one-byte labels: 2(k + 1) + 1 bytes of wire. */
	for (int k = 1; k <= 126; k++) {
		size_t here = n;
		list[n++] = 1, list[n++] = 'x';
		list[n++] = (uint8_t)(0xc0 | prev >> 8), list[n++] = (uint8_t)prev;
		prev = here;
	}
	/* 127 labels: 255 bytes, the most a name may have. */
	assert_int_equal(decode_all(list, n, joined, sizeof(joined)), 127);
	const char *last = strrchr(joined, ' ') + 1;
	assert_int_equal(strlen(last), 127u * 2u - 1u);
	assert_int_equal(last[strlen(last) - 1], 'a');

	list[n++] = 1, list[n++] = 'y';
	list[n++] = (uint8_t)(0xc0 | prev >> 8), list[n++] = (uint8_t)prev;
	assert_int_equal(decode_all(list, n, joined, sizeof(joined)), -1);
	assert_int_equal(err.reason, WIRE_DNS_NAME_LONG);
}

static void test_pointer_refusals(void **state)
{
	(void)state;
	/* Into itself, to a later name, past the end, and the 10/01 label types. */
	const uint8_t self[] = { 1, 'a', 0, 0xc0, 3 };
	const uint8_t fwd[] = { 1, 'a', 0xc0, 5, 0, 1, 'b', 0 };
	const uint8_t range[] = { 0xc0, 2 };
	const uint8_t range14[] = { 1, 'a', 0, 0xff, 0xff };
	const uint8_t ext40[] = { 0x40, 0 };
	const uint8_t ext80[] = { 1, 'a', 0x80, 0 };
	/* Pointer back into the middle of its own name ("a" -> "b" -> "a"...). */
	const uint8_t mid[] = { 1, 'a', 1, 'b', 0xc0, 2 };
	expect_error(self, sizeof(self), WIRE_DNS_PTR_LOOP, 3);
	expect_error(fwd, sizeof(fwd), WIRE_DNS_PTR_FORWARD, 2);
	expect_error(range, sizeof(range), WIRE_DNS_PTR_RANGE, 0);
	expect_error(range14, sizeof(range14), WIRE_DNS_PTR_RANGE, 3);
	expect_error(ext40, sizeof(ext40), WIRE_DNS_LABEL_LONG, 0);
	expect_error(ext80, sizeof(ext80), WIRE_DNS_LABEL_LONG, 2);
	expect_error(mid, sizeof(mid), WIRE_DNS_PTR_LOOP, 4);
	/* Every truncation of a valid list fails or ends on a name boundary. */
	const uint8_t ok[] = { 1, 'a', 4, 't', 'e', 's', 't', 0, 1, 'b', 0xc0, 2 };
	for (size_t len = 1; len < sizeof(ok); len++) {
		char joined[1024];
		int r = decode_all(ok, len, joined, sizeof(joined));
		if (len == 8)
			assert_int_equal(r, 1);
		else
			assert_int_equal(r, -1);
	}
}

/* ---- encoding ------------------------------------------------------------ */

static size_t encode_guarded(const char *const *names, size_t n, uint8_t *copy, size_t cap)
{
	struct guarded g = guard_copy(zeros, cap);
	size_t w = dns_list_encode(names, n, g.data, cap);
	if (w > 0)
		memcpy(copy, g.data, w);
	guard_free(&g);
	return w;
}

static void test_encode_exact_bytes(void **state)
{
	const char *const names[] = { "example.test", "a.b", "" };
	const uint8_t want[] = { 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0,
				 1, 'a', 1, 'b', 0, 0 };
	uint8_t got[64];
	(void)state;

	assert_int_equal(encode_guarded(names, 3, got, sizeof(got)), sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	/* A trailing dot names the same absolute name. */
	const char *const dotted[] = { "example.test." };
	assert_int_equal(encode_guarded(dotted, 1, got, sizeof(got)), 14);
	assert_memory_equal(got, want, 14);
}

static void test_encode_decode_round_trip(void **state)
{
	char l63[64], l61[62], big[300];
	uint8_t wire[2048];
	char want[8192];
	(void)state;

	memset(l63, 'a', 63), l63[63] = '\0';
	memset(l61, 'b', 61), l61[61] = '\0';
	/* Exactly 255 bytes of wire: 3 * (1 + 63) + (1 + 61) + 1. */
	snprintf(big, sizeof(big), "%s.%s.%s.%s", l63, l63, l63, l61);
	const char *const names[] = { "example.test", "lab.example.test", "x", l63, big,
				      "A-b_C.9", "xn--bcher-kva.test" };
	size_t n = sizeof(names) / sizeof(names[0]);
	size_t w = dns_list_encode(names, n, wire, sizeof(wire));
	assert_true(w > 0);
	want[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(want, i ? " " : "");
		strcat(want, names[i]);
	}
	expect_names(wire, w, want, (int)n);
	/* Each alone, at the exact size. */
	for (size_t i = 0; i < n; i++) {
		size_t need = strlen(names[i]) + 2;
		assert_int_equal(encode_guarded(&names[i], 1, wire, need), need);
		expect_names(wire, need, names[i], 1);
	}
	/* The root as the decoder writes it encodes back to one zero byte. */
	const char *const root[] = { "." };
	assert_int_equal(dns_list_encode(root, 1, wire, sizeof(wire)), 1);
	assert_int_equal(wire[0], 0);
	expect_names(wire, 1, ".", 1);
}

static void test_encode_refusals(void **state)
{
	char l64[65], l63[64], l62[63], big[300];
	uint8_t wire[1024];
	(void)state;

	memset(l64, 'a', 64), l64[64] = '\0';
	memset(l63, 'a', 63), l63[63] = '\0';
	memset(l62, 'b', 62), l62[62] = '\0';
	const char *const empty_mid[] = { "a..b" };
	const char *const empty_first[] = { ".a" };
	const char *const double_dot[] = { "a.." };
	const char *const long_label[] = { l64 };
	const char *const long_label2[] = { "ok", l64 };
	assert_int_equal(dns_list_encode(empty_mid, 1, wire, sizeof(wire)), 0);
	assert_int_equal(dns_list_encode(empty_first, 1, wire, sizeof(wire)), 0);
	assert_int_equal(dns_list_encode(double_dot, 1, wire, sizeof(wire)), 0);
	assert_int_equal(dns_list_encode(long_label, 1, wire, sizeof(wire)), 0);
	assert_int_equal(dns_list_encode(long_label2, 2, wire, sizeof(wire)), 0);
	/* 256 bytes of wire: one over. */
	snprintf(big, sizeof(big), "%s.%s.%s.%s", l63, l63, l63, l62);
	const char *const too_long[] = { big };
	assert_int_equal(dns_list_encode(too_long, 1, wire, sizeof(wire)), 0);
	/* The same name one byte shorter is fine. */
	big[strlen(big) - 1] = '\0';
	assert_int_equal(dns_list_encode(too_long, 1, wire, sizeof(wire)), 255);
}

/* Output buffers of every size short of the need: 0, never past the end. */
static void test_encode_short_output(void **state)
{
	const char *const names[] = { "example.test", "b", "" };
	uint8_t copy[64];
	size_t need = 14 + 3 + 1;
	(void)state;

	for (size_t cap = 0; cap < need; cap++)
		assert_int_equal(encode_guarded(names, 3, copy, cap), 0);
	assert_int_equal(encode_guarded(names, 3, copy, need), need);
	assert_int_equal(encode_guarded(names, 3, copy, need + 1), need);
}

/* ---- host names ------------------------------------------------------- */

/* dns_is_host_name on a guarded copy: a read past len faults. */
static bool host_name(const char *name, size_t len)
{
	struct guarded g = guard_copy(name, len);
	bool ok = dns_is_host_name((const char *)g.data, g.len);

	guard_free(&g);
	return ok;
}

static void test_host_names(void **state)
{
	static const char *const good[] = {
		"example.com", "example.com.", "a", "0a.b", "a-b.c", "1.2.3",
		"xn--bcher-kva.example", "A.B-C.d9",
	};
	static const char *const bad[] = {
		"", ".", "..", "a..b", ".a", "-a", "a-", "a.-b", "a-.b", "a_b", "_ldap.example",
		"a;reboot", "$(reboot)", "a$b", "`id`", "a|b", "a&b", "a>b", "a<b", "a(b",
		"a)b", "a b", "a'b", "a\"b", "a\nb", "a\tb", "a\\b", "a/b", "a*b", "a:b",
		"a\\032b.example", "caf\xc3\xa9.example", "\xff", "a\x7f", "a.b..",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!host_name(good[i], strlen(good[i])))
			fail_msg("refused \"%s\"", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (host_name(bad[i], strlen(bad[i])))
			fail_msg("accepted bad name %zu", i);
	assert_false(dns_is_host_name(NULL, 3));
}

/* The length is the name: a NUL inside is a byte like any other (refused),
 * and nothing past len is looked at. */
static void test_host_name_length(void **state)
{
	char name[300];
	(void)state;

	assert_false(host_name("example.com\0evil", 16));
	assert_true(host_name("example.com\0evil", 11));
	assert_false(host_name("example.com\0", 12));
	assert_true(host_name("example.com;x", 11));
	/* Labels of 63, names of 253 (+ a dot): RFC 1035 2.3.4. */
	memset(name, 'a', sizeof(name));
	assert_true(host_name(name, 63));
	assert_false(host_name(name, 64));
	name[63] = name[127] = name[191] = '.';
	name[253] = '.';
	assert_true(host_name(name, 253));
	assert_true(host_name(name, 254));      /* with the trailing dot */
	name[253] = 'a';
	assert_false(host_name(name, 254));
	name[254] = '.';
	assert_false(host_name(name, 255));     /* 254 + dot */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_names),
		cmocka_unit_test(test_root_name),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_worst_case_text),
		cmocka_unit_test(test_text_buffer_too_small),
		cmocka_unit_test(test_pointer_chains),
		cmocka_unit_test(test_long_pointer_chain),
		cmocka_unit_test(test_pointer_refusals),
		cmocka_unit_test(test_encode_exact_bytes),
		cmocka_unit_test(test_encode_decode_round_trip),
		cmocka_unit_test(test_encode_refusals),
		cmocka_unit_test(test_encode_short_output),
		cmocka_unit_test(test_host_names),
		cmocka_unit_test(test_host_name_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
