/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 3442 classless static routes. Each route: one byte of prefix length
 * (0..32), then ceil(prefix / 8) significant octets of the destination, then
 * the 4-byte router (0.0.0.0 meaning on-link, RFC 3442 page 5).
 */
#include "routes.h"

#include "cursor.h"
#include "options.h"

static uint32_t prefix_mask(uint8_t prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

void route_iter_init(struct route_iter *it, const uint8_t *data, size_t len)
{
	it->cur = wc_init(data, len);
}

static int route_fail(struct wire_error *err, enum wire_reason why, size_t at)
{
	wire_error_set(err, why, at, DHCP_OPT_CLASSLESS_ROUTE);
	return -1;
}

int route_iter_next(struct route_iter *it, struct wire_route *route,
		    struct wire_error *err)
{
	struct wire_cursor *c = &it->cur;
	size_t at = c->off;
	uint8_t prefix, octets;
	uint32_t dst = 0;

	if (wc_remaining(c) == 0)
		return 0;
	prefix = wc_u8(c);
	if (prefix > 32)
		return route_fail(err, WIRE_ROUTE_PREFIX, at);
	octets = (uint8_t)((prefix + 7) / 8);
	for (uint8_t i = 0; i < 4; i++)
		dst = dst << 8 | (i < octets ? wc_u8(c) : 0);
	route->gateway = wc_be32(c);
	if (c->failed)
		return route_fail(err, WIRE_ROUTE_TRUNCATED, at);
	/* Bits past the prefix would make the kernel refuse the route. */
	if (dst & ~prefix_mask(prefix))
		return route_fail(err, WIRE_ROUTE_HOST_BITS, at);
	route->dst = dst;
	route->prefix = prefix;
	return 1;
}

enum wire_reason routes_validate(const uint8_t *data, size_t len, size_t *bad_offset)
{
	struct route_iter it;
	struct wire_route r;
	struct wire_error err = { WIRE_OK, 0, -1 };
	int n;

	route_iter_init(&it, data, len);
	while ((n = route_iter_next(&it, &r, &err)) > 0)
		;
	if (n < 0) {
		*bad_offset = err.offset;
		return err.reason;
	}
	return WIRE_OK;
}

size_t routes_encode(const struct wire_route *routes, size_t n, uint8_t *out, size_t cap)
{
	size_t pos = 0;

	for (size_t i = 0; i < n; i++) {
		const struct wire_route *r = &routes[i];
		size_t octets = (r->prefix + 7u) / 8u;
		if (r->prefix > 32 || (r->dst & ~prefix_mask(r->prefix)))
			return 0;
		if (cap - pos < 1 + octets + 4)
			return 0;
		out[pos++] = r->prefix;
		for (size_t b = 0; b < octets; b++)
			out[pos++] = (uint8_t)(r->dst >> (24 - 8 * b));
		wire_store_be32(out + pos, r->gateway);
		pos += 4;
	}
	return pos;
}
