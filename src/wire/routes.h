/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classless static routes (RFC 3442, option 121; 249 is Microsoft's alias):
 * each route is a prefix length, the significant octets of the destination
 * (ceil(prefix/8)), then a 4-byte router.
 */
#ifndef LESSEE_WIRE_ROUTES_H
#define LESSEE_WIRE_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "reason.h"

struct wire_route {
	uint32_t dst;     /* host byte order, bits past prefix zero */
	uint8_t prefix;   /* 0..32 */
	uint32_t gateway; /* host byte order; 0 means on-link (RFC 3442) */
};

struct route_iter {
	struct wire_cursor cur;
};

void route_iter_init(struct route_iter *it, const uint8_t *data, size_t len);

/* 1 with a route, 0 at the end, -1 on a malformed route (err says why). */
int route_iter_next(struct route_iter *it, struct wire_route *route,
		    struct wire_error *err);

enum wire_reason routes_validate(const uint8_t *data, size_t len, size_t *bad_offset);

/* Encode; returns bytes written or 0 if a route is invalid or out is short. */
size_t routes_encode(const struct wire_route *routes, size_t n, uint8_t *out, size_t cap);

#endif
