/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * --random-mac: the hardware addresses apply puts on the link, and the
 * secret behind --random-mac=stable. Everything here runs in apply; the
 * engine only ever learns the resulting address, never the secret.
 *
 *   per start  48 random bits (getrandom), made a locally administered
 *              unicast address (IEEE 802-2014 8.2.2: bit 0 of the first
 *              octet is I/G, 0 = individual; bit 1 is U/L, 1 = local).
 *   stable     SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 *              short-input PRF", 2012), keyed from a 32-byte secret kept
 *              next to the lease file, over the network fingerprint
 *              (server identifier, subnet/prefix, as the lease file stores
 *              it): the same address every time on one network, unlinkable
 *              addresses across networks (RFC 7844 5: the link-layer
 *              address is the first identifier to hide).
 *
 * SipHash is written here from the paper: it is small, made for short keyed
 * inputs, and Debian has no library that offers it on its own.
 */
#ifndef LESSEE_MACADDR_H
#define LESSEE_MACADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MACADDR_LEN          6u
#define MACADDR_SECRET_LEN   32u
#define MACADDR_SECRET_SUFFIX ".secret"
#define MACADDR_TEXT_LEN     18u   /* "02:00:00:00:00:01" + NUL */

/* SipHash-2-4 of msg[0..len) under the 128-bit key (little-endian words,
 * as in the paper's reference). */
uint64_t macaddr_siphash24(const uint8_t key[16], const uint8_t *msg, size_t len);

/* Locally administered, unicast, and not zero in the other 46 bits. */
bool macaddr_is_local_unicast(const uint8_t mac[MACADDR_LEN]);

/* Turn 48 bits into such an address (in place): clear I/G, set U/L, and
 * make an all-zero remainder non-zero. */
void macaddr_make_local_unicast(uint8_t mac[MACADDR_LEN]);

/* A fresh per-start address, different from `avoid` (the current one).
 * 0, or -errno from getrandom. */
int macaddr_random(const uint8_t avoid[MACADDR_LEN], uint8_t out[MACADDR_LEN]);

/* Which network: the lease file's fingerprint (leasefile.h). */
struct macaddr_network {
	uint32_t server_id;
	uint32_t subnet;
	uint8_t prefix;
};

/* The stable address for a network under a secret. */
void macaddr_stable(const uint8_t secret[MACADDR_SECRET_LEN], const struct macaddr_network *net,
		    uint8_t out[MACADDR_LEN]);

/*
 * The secret at path: read it back, or create it (O_CREAT | O_EXCL, mode
 * 0600, 32 bytes from getrandom, fsync) when there is none. Refused, with
 * a reason in why: not a regular file, a symlink, readable or writable by
 * group or others, not owned by us, not exactly 32 bytes. 0 or -errno.
 */
int macaddr_secret_load(const char *path, uint8_t secret[MACADDR_SECRET_LEN], char *why,
			size_t why_size);

/* "aa:bb:cc:dd:ee:ff" into buf (MACADDR_TEXT_LEN bytes); returns buf. */
const char *macaddr_format(const uint8_t mac[MACADDR_LEN], char buf[MACADDR_TEXT_LEN]);

#endif
