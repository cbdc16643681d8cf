/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one checked cursor through which untrusted bytes are read.
 *
 * A cursor is (base, length, offset, sticky error). Every read compares the
 * request with the bytes remaining (never `p + n > end`, which can overflow);
 * a failed read sets the sticky flag, returns zero and moves nothing, so a
 * parser can read a whole fixed header and check the flag once.
 */
#ifndef LESSEE_WIRE_CURSOR_H
#define LESSEE_WIRE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wire_cursor {
	const uint8_t *base;
	size_t len;
	size_t off;
	bool failed;
};

static inline struct wire_cursor wc_init(const uint8_t *base, size_t len)
{
	struct wire_cursor c = { .base = base, .len = len, .off = 0, .failed = false };
	return c;
}

static inline size_t wc_remaining(const struct wire_cursor *c)
{
	return c->len - c->off;
}

/* Claim n bytes: true and advanced when they are there, else sticky failure. */
static inline bool wc_take(struct wire_cursor *c, size_t n, const uint8_t **p)
{
	if (c->failed || n > wc_remaining(c)) {
		c->failed = true;
		return false;
	}
	*p = c->base + c->off;
	c->off += n;
	return true;
}

static inline uint8_t wc_u8(struct wire_cursor *c)
{
	const uint8_t *p;
	return wc_take(c, 1, &p) ? p[0] : 0;
}

static inline uint16_t wc_be16(struct wire_cursor *c)
{
	const uint8_t *p;
	if (!wc_take(c, 2, &p))
		return 0;
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t wc_be32(struct wire_cursor *c)
{
	const uint8_t *p;
	if (!wc_take(c, 4, &p))
		return 0;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A view of the next n bytes (no copy); NULL and failure when short. */
static inline const uint8_t *wc_bytes(struct wire_cursor *c, size_t n)
{
	const uint8_t *p;
	return wc_take(c, n, &p) ? p : NULL;
}

/* Copy the next n bytes out; zero-fills dst on failure. */
static inline bool wc_copy(struct wire_cursor *c, void *dst, size_t n)
{
	const uint8_t *p;
	if (!wc_take(c, n, &p)) {
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, p, n);
	return true;
}

/* A cursor over the next n bytes, which the outer cursor skips. */
static inline struct wire_cursor wc_sub(struct wire_cursor *c, size_t n)
{
	const uint8_t *p;
	if (!wc_take(c, n, &p)) {
		struct wire_cursor bad = { .base = c->base, .len = 0, .off = 0, .failed = true };
		return bad;
	}
	return wc_init(p, n);
}

/* A cursor at an absolute offset of the same buffer (DNS compression). */
static inline bool wc_seek(struct wire_cursor *c, size_t off)
{
	if (c->failed || off > c->len) {
		c->failed = true;
		return false;
	}
	c->off = off;
	return true;
}

/* Big-endian stores for builders, whose room the caller already checked. */
static inline void wire_store_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void wire_store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
