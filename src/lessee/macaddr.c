/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The addresses --random-mac puts on the link (macaddr.h), SipHash-2-4 for
 * the stable ones, and the secret file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lessee/macaddr.h"

#define MAC_IG_BIT 0x01u   /* IEEE 802-2014 8.2.2: 1 = group address */
#define MAC_UL_BIT 0x02u   /* 1 = locally administered */
#define RANDOM_TRIES 8     /* a clash with `avoid` is 2^-46 per try */

/* ---- SipHash-2-4 (the paper, section 2) ---------------------------------- */

static uint64_t rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64u - b));
}

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 8; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

struct sip_state {
	uint64_t v0, v1, v2, v3;
};

static void sip_round(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = rotl(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl(s->v2, 32);
}

/* Compression: c = 2 rounds per 8-byte word. */
static void sip_absorb(struct sip_state *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

uint64_t macaddr_siphash24(const uint8_t key[16], const uint8_t *msg, size_t len)
{
	uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
	/* "somepseudorandomlygeneratedbytes", the paper's initial constants. */
	struct sip_state s = {
		k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
		k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull,
	};
	size_t full = len - len % 8;
	uint64_t last = (uint64_t)(len & 0xffu) << 56;

	for (size_t i = 0; i < full; i += 8)
		sip_absorb(&s, load_le64(msg + i));
	/* The last word: the 0..7 bytes left, little-endian, and len mod 256
	 * in the top byte. */
	for (size_t i = full; i < len; i++)
		last |= (uint64_t)msg[i] << (8u * (i - full));
	sip_absorb(&s, last);
	/* Finalization: d = 4 rounds. */
	s.v2 ^= 0xffu;
	for (int i = 0; i < 4; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

/* ---- addresses ----------------------------------------------------------- */

static bool rest_is_zero(const uint8_t mac[MACADDR_LEN])
{
	if (mac[0] & ~(MAC_IG_BIT | MAC_UL_BIT))
		return false;
	for (size_t i = 1; i < MACADDR_LEN; i++)
		if (mac[i])
			return false;
	return true;
}

bool macaddr_is_local_unicast(const uint8_t mac[MACADDR_LEN])
{
	return !(mac[0] & MAC_IG_BIT) && (mac[0] & MAC_UL_BIT) && !rest_is_zero(mac);
}

void macaddr_make_local_unicast(uint8_t mac[MACADDR_LEN])
{
	mac[0] = (uint8_t)((mac[0] & ~MAC_IG_BIT) | MAC_UL_BIT);
	/* 02:00:00:00:00:00 is no one's address in particular: a fixed
	 * stand-in in 2^-46 of cases costs nothing in privacy. */
	if (rest_is_zero(mac))
		mac[MACADDR_LEN - 1] = 1;
}

int macaddr_random(const uint8_t avoid[MACADDR_LEN], uint8_t out[MACADDR_LEN])
{
	for (int i = 0; i < RANDOM_TRIES; i++) {
		if (getrandom(out, MACADDR_LEN, 0) != (ssize_t)MACADDR_LEN)
			return errno ? -errno : -EIO;
		macaddr_make_local_unicast(out);
		if (memcmp(out, avoid, MACADDR_LEN) != 0)
			return 0;
	}
	return -EAGAIN;
}

/* The PRF's input: a version tag, then the fingerprint in network order. */
static size_t stable_input(const struct macaddr_network *net, uint8_t *buf)
{
	static const char tag[] = "lessee random-mac v1";
	size_t n = sizeof(tag) - 1;

	memcpy(buf, tag, n);
	for (int shift = 24; shift >= 0; shift -= 8)
		buf[n++] = (uint8_t)(net->server_id >> shift);
	for (int shift = 24; shift >= 0; shift -= 8)
		buf[n++] = (uint8_t)(net->subnet >> shift);
	buf[n++] = net->prefix;
	return n;
}

void macaddr_stable(const uint8_t secret[MACADDR_SECRET_LEN], const struct macaddr_network *net,
		    uint8_t out[MACADDR_LEN])
{
	uint8_t key[16], input[32];
	size_t len = stable_input(net, input);

	/* SipHash takes 128 bits of key: both halves of the secret count. */
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = secret[i] ^ secret[i + sizeof(key)];
	uint64_t h = macaddr_siphash24(key, input, len);
	for (size_t i = 0; i < MACADDR_LEN; i++)
		out[i] = (uint8_t)(h >> (8u * i));
	macaddr_make_local_unicast(out);
}

const char *macaddr_format(const uint8_t mac[MACADDR_LEN], char buf[MACADDR_TEXT_LEN])
{
	snprintf(buf, MACADDR_TEXT_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	return buf;
}

/* ---- the secret file ----------------------------------------------------- */

static int refuse(char *why, size_t why_size, int err, const char *text)
{
	snprintf(why, why_size, "%s", text);
	return err;
}

/* The file as found: ours, private, regular, exactly the secret's size. */
static int check_secret_file(int fd, char *why, size_t why_size)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return refuse(why, why_size, -errno, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return refuse(why, why_size, -EINVAL, "not a regular file");
	if (st.st_uid != geteuid())
		return refuse(why, why_size, -EPERM, "not owned by the user lessee runs as");
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(why, why_size, "mode %04o: group or others may use it (want 0600)",
			 (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	if (st.st_size != (off_t)MACADDR_SECRET_LEN) {
		snprintf(why, why_size, "%lld bytes, not %u", (long long)st.st_size,
			 MACADDR_SECRET_LEN);
		return -EINVAL;
	}
	return 0;
}

static int read_secret(int fd, uint8_t secret[MACADDR_SECRET_LEN], char *why, size_t why_size)
{
	int r = check_secret_file(fd, why, why_size);

	if (r < 0)
		return r;
	ssize_t n = read(fd, secret, MACADDR_SECRET_LEN);
	if (n < 0)
		return refuse(why, why_size, -errno, strerror(errno));
	if (n != (ssize_t)MACADDR_SECRET_LEN)
		return refuse(why, why_size, -EIO, "short read");
	return 0;
}

/* A new secret: only if there is none (O_EXCL), never through a symlink. */
static int create_secret(const char *path, uint8_t secret[MACADDR_SECRET_LEN], char *why,
			 size_t why_size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return refuse(why, why_size, -errno, strerror(errno));
	int r = 0;
	if (getrandom(secret, MACADDR_SECRET_LEN, 0) != (ssize_t)MACADDR_SECRET_LEN)
		r = refuse(why, why_size, -EIO, "getrandom failed");
	else if (write(fd, secret, MACADDR_SECRET_LEN) != (ssize_t)MACADDR_SECRET_LEN ||
		 fsync(fd) != 0)
		r = refuse(why, why_size, errno ? -errno : -EIO, "writing the new secret failed");
	close(fd);
	if (r < 0)
		unlink(path);
	return r;
}

int macaddr_secret_load(const char *path, uint8_t secret[MACADDR_SECRET_LEN], char *why,
			size_t why_size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0 && errno == ENOENT)
		return create_secret(path, secret, why, why_size);
	if (fd < 0 && errno == ELOOP)
		return refuse(why, why_size, -ELOOP, "a symbolic link");
	if (fd < 0)
		return refuse(why, why_size, -errno, strerror(errno));
	int r = read_secret(fd, secret, why, why_size);
	close(fd);
	return r;
}
