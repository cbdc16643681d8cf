/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/lessee/macaddr: SipHash-2-4 against the paper's vectors, the bits of
 * every address --random-mac makes, the stable derivation, and the secret
 * file (created private, read back strictly, refused when it is not).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lessee/macaddr.h"

static char dir[256];

/*
 * SipHash-2-4 with key 00 01 .. 0f over messages 00 01 .. (n-1) bytes, n =
 * 0..17: the reference implementation's vectors (the n = 15 one is the
 * paper's worked example, Appendix A: a129ca6149be45e5). They cover the
 * empty message, every tail length 1..7, one full word (8) and a word
 * plus every tail, and two words (16).
 */
static const uint64_t sip_vectors[18] = {
	0x726fdb47dd0e0e31ull, 0x74f839c593dc67fdull, 0x0d6c8009d9a94f5aull,
	0x85676696d7fb7e2dull, 0xcf2794e0277187b7ull, 0x18765564cd99a68dull,
	0xcbc9466e58fee3ceull, 0xab0200f58b01d137ull, 0x93f5f5799a932462ull,
	0x9e0082df0ba9e4b0ull, 0x7a5dbbc594ddb9f3ull, 0xf4b32f46226bada7ull,
	0x751e8fbc860ee5fbull, 0x14ea5627c0843d90ull, 0xf723ca908e7af2eeull,
	0xa129ca6149be45e5ull, 0x3f2acc7f57c29bdbull, 0x699ae9f52cbe4794ull,
};

static void test_siphash_vectors(void **state)
{
	uint8_t key[16], msg[18];

	(void)state;
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	for (size_t n = 0; n < sizeof(sip_vectors) / sizeof(sip_vectors[0]); n++)
		if (macaddr_siphash24(key, msg, n) != sip_vectors[n])
			fail_msg("SipHash-2-4 of %zu bytes: %016llx, want %016llx", n,
				 (unsigned long long)macaddr_siphash24(key, msg, n),
				 (unsigned long long)sip_vectors[n]);
	key[15] ^= 1;   /* the key counts */
	assert_true(macaddr_siphash24(key, msg, 15) != sip_vectors[15]);
}

static void test_local_unicast_bits(void **state)
{
	uint8_t m[6];

	(void)state;
	memset(m, 0xff, sizeof(m));          /* group, local: becomes individual */
	macaddr_make_local_unicast(m);
	assert_int_equal(m[0], 0xfe);
	assert_true(macaddr_is_local_unicast(m));
	memset(m, 0, sizeof(m));             /* universal: becomes local */
	m[3] = 7;
	macaddr_make_local_unicast(m);
	assert_int_equal(m[0], 0x02);
	assert_int_equal(m[3], 7);
	memset(m, 0, sizeof(m));             /* nothing left: not 02:00:..:00 */
	macaddr_make_local_unicast(m);
	assert_true(macaddr_is_local_unicast(m));
	assert_int_equal(m[5], 1);

	static const uint8_t no[][6] = {
		{ 0x02, 0, 0, 0, 0, 0 },         /* only the U/L bit */
		{ 0x03, 0, 0, 0, 0, 1 },         /* group */
		{ 0x00, 0, 0, 0, 2, 0x64 },      /* universal */
		{ 0x01, 0x80, 0xc2, 0, 0, 0 },   /* universal group (802.1D) */
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (macaddr_is_local_unicast(no[i]))
			fail_msg("case %zu taken for a local unicast address", i);
	static const uint8_t yes[6] = { 0x06, 0, 0, 0, 0, 0 };   /* bit 2 counts */
	assert_true(macaddr_is_local_unicast(yes));
}

static void test_random(void **state)
{
	uint8_t avoid[6] = { 0x02, 0, 0, 0, 2, 0x64 }, a[6], b[6];

	(void)state;
	assert_int_equal(macaddr_random(avoid, a), 0);
	assert_int_equal(macaddr_random(avoid, b), 0);
	assert_true(macaddr_is_local_unicast(a) && macaddr_is_local_unicast(b));
	assert_memory_not_equal(a, avoid, 6);
	/* 2^-46 of the time this fails by chance: a stuck generator, always. */
	assert_memory_not_equal(a, b, 6);
	for (int i = 0; i < 200; i++) {
		assert_int_equal(macaddr_random(a, b), 0);
		assert_true(macaddr_is_local_unicast(b));
		assert_memory_not_equal(a, b, 6);
	}
}

static void test_stable(void **state)
{
	uint8_t secret[MACADDR_SECRET_LEN], a[6], b[6];
	struct macaddr_network net = { 0xc0000201u, 0xc0000200u, 24 };
	struct macaddr_network other = net;

	(void)state;
	for (size_t i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)(i * 7 + 1);
	macaddr_stable(secret, &net, a);
	macaddr_stable(secret, &net, b);
	assert_memory_equal(a, b, 6);                    /* same network: same */
	assert_true(macaddr_is_local_unicast(a));
	other.server_id = 0xc0000202u;                   /* another server */
	macaddr_stable(secret, &other, b);
	assert_memory_not_equal(a, b, 6);
	assert_true(macaddr_is_local_unicast(b));
	other = net;
	other.prefix = 25;                               /* another subnet */
	macaddr_stable(secret, &other, b);
	assert_memory_not_equal(a, b, 6);
	secret[31] ^= 0x80;                              /* both halves count */
	macaddr_stable(secret, &net, b);
	assert_memory_not_equal(a, b, 6);
	secret[31] ^= 0x80;
	secret[0] ^= 0x80;
	macaddr_stable(secret, &net, b);
	assert_memory_not_equal(a, b, 6);
}

static void test_format(void **state)
{
	static const uint8_t m[6] = { 0x02, 0xab, 0, 0x10, 0xff, 0x01 };
	char buf[MACADDR_TEXT_LEN];

	(void)state;
	assert_string_equal(macaddr_format(m, buf), "02:ab:00:10:ff:01");
}

/* ---- the secret file ------------------------------------------------------ */

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_macaddr.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	static const char *const names[] = { "new", "loose", "short", "long", "link", "sub" };
	char path[320];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) != 0)
			rmdir(path);
	}
	return rmdir(dir);
}

static const char *path_of(const char *name)
{
	static char path[320];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void put_file(const char *name, size_t len, mode_t mode)
{
	uint8_t data[64];
	int fd = open(path_of(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	memset(data, 0x5a, sizeof(data));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void test_secret_created_then_read(void **state)
{
	uint8_t first[MACADDR_SECRET_LEN], again[MACADDR_SECRET_LEN];
	static const uint8_t zero[MACADDR_SECRET_LEN];
	char why[160] = "";
	struct stat st;

	(void)state;
	assert_int_equal(macaddr_secret_load(path_of("new"), first, why, sizeof(why)), 0);
	assert_int_equal(stat(path_of("new"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, MACADDR_SECRET_LEN);
	assert_memory_not_equal(first, zero, sizeof(zero));
	assert_int_equal(macaddr_secret_load(path_of("new"), again, why, sizeof(why)), 0);
	assert_memory_equal(first, again, sizeof(first));
}

#define REFUSED(name, err, text) do { \
	uint8_t s_[MACADDR_SECRET_LEN]; \
	char why_[160] = ""; \
	assert_int_equal(macaddr_secret_load(path_of(name), s_, why_, sizeof(why_)), (err)); \
	if (!strstr(why_, (text))) \
		fail_msg("%s: reason \"%s\" lacks \"%s\"", (name), why_, (text)); \
} while (0)

static void test_secret_refused(void **state)
{
	(void)state;
	put_file("loose", MACADDR_SECRET_LEN, 0644);
	REFUSED("loose", -EPERM, "mode 0644");
	put_file("loose", MACADDR_SECRET_LEN, 0620);
	REFUSED("loose", -EPERM, "mode 0620");
	put_file("short", MACADDR_SECRET_LEN - 1, 0600);
	REFUSED("short", -EINVAL, "31 bytes, not 32");
	put_file("long", MACADDR_SECRET_LEN + 1, 0600);
	REFUSED("long", -EINVAL, "33 bytes, not 32");
	char target[320];
	snprintf(target, sizeof(target), "%s", path_of("new"));
	assert_int_equal(symlink(target, path_of("link")), 0);
	REFUSED("link", -ELOOP, "symbolic link");
	assert_int_equal(mkdir(path_of("sub"), 0700), 0);
	REFUSED("sub", -EINVAL, "not a regular file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_local_unicast_bits),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_secret_created_then_read),
		cmocka_unit_test(test_secret_refused),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
