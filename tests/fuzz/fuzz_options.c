/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One option value: the first byte is the code, the rest the (concatenated)
 * value. dhcp_opt_validate judges it; independently of the code, the value
 * is also walked as a domain list (RFC 1035 compression) and as classless
 * routes. Both iterators must stop within len steps, agree with their
 * validate functions, and give back what they read: routes re-encode to the
 * same bytes, plain names re-encode to a list that decodes to the same
 * names. A text buffer too small for a name must be refused, not overrun.
 *
 * The value is an exact-size heap copy, so ASan flags a one-byte over-read.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/dhcp.h"
#include "wire/dns.h"
#include "wire/options.h"
#include "wire/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NAMES 128u

static void check_validate(uint8_t code, const uint8_t *val, size_t len)
{
	const struct dhcp_opt_desc *d = dhcp_opt_desc(code);
	size_t bad = 0;
	enum wire_reason r = dhcp_opt_validate(code, val, len, &bad);

	if (r >= WIRE_REASON_COUNT || bad > len)
		abort();
	bool len_ok = len >= d->min_len && len <= d->max_len && len % d->multiple == 0;
	if (!len_ok && r != WIRE_OPT_LENGTH)
		abort();
	if (len_ok && r == WIRE_OPT_LENGTH)
		abort();
	if (d->type == OPT_T_DOMAIN_LIST && len_ok && r != dns_list_validate(val, len, &bad))
		abort();
	if (d->type == OPT_T_ROUTES && len_ok && r != routes_validate(val, len, &bad))
		abort();
}

/* Names decoded into text; returns whether they all are plain LDH text. */
static bool walk_names(const uint8_t *val, size_t len, char (*names)[DNS_TEXT_MAX],
		       size_t *n_names, int *last)
{
	struct dns_list_iter it;
	struct wire_error err;
	char text[DNS_TEXT_MAX];
	size_t steps = 0;
	bool plain = true;
	int r;

	*n_names = 0;
	dns_list_init(&it, val, len);
	while ((r = dns_list_next(&it, text, sizeof(text), &err)) > 0) {
		size_t tl = strlen(text);
		if (++steps > len || tl >= sizeof(text))
			abort();
		if (strchr(text, '\\') || strcmp(text, ".") == 0)
			plain = false;
		if (*n_names < MAX_NAMES)
			memcpy(names[(*n_names)++], text, tl + 1);
		else
			plain = false;
	}
	if (r < 0 && (err.reason == WIRE_OK || err.offset > len))
		abort();
	*last = r;
	return plain;
}

static void check_names(const uint8_t *val, size_t len)
{
	static char names[MAX_NAMES][DNS_TEXT_MAX], again[MAX_NAMES][DNS_TEXT_MAX];
	const char *ptrs[MAX_NAMES];
	size_t n, n2, bad;
	int last, last2;
	bool plain = walk_names(val, len, names, &n, &last);

	if ((last == 0) != (dns_list_validate(val, len, &bad) == WIRE_OK))
		abort();
	if (last != 0 || !plain || n == 0)
		return;
	/* Plain names encode without compression to at most 255 bytes each. */
	size_t cap = n * DNS_NAME_MAX;
	uint8_t *enc = malloc(cap);
	if (!enc)
		abort();
	for (size_t i = 0; i < n; i++)
		ptrs[i] = names[i];
	size_t enc_len = dns_list_encode(ptrs, n, enc, cap);
	if (enc_len == 0)
		abort();
	uint8_t *exact = malloc(enc_len);
	if (!exact)
		abort();
	memcpy(exact, enc, enc_len);
	if (!walk_names(exact, enc_len, again, &n2, &last2) || last2 != 0 || n2 != n)
		abort();
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], again[i]) != 0)
			abort();
	/* One byte short: refused without writing past the end. */
	if (dns_list_encode(ptrs, n, exact, enc_len - 1) != 0)
		abort();
	free(exact);
	free(enc);
}

/* A text buffer of every small size: a name either fits or is refused. */
static void check_small_text(const uint8_t *val, size_t len, size_t cap)
{
	struct dns_list_iter it;
	struct wire_error err;
	char *text = malloc(cap);
	size_t steps = 0;
	int r;

	if (!text && cap > 0)
		abort();
	dns_list_init(&it, val, len);
	while ((r = dns_list_next(&it, text, cap, &err)) > 0) {
		if (++steps > len || strlen(text) >= cap)
			abort();
	}
	if (r < 0 && it.off > len)
		abort();
	free(text);
}

static void check_routes(const uint8_t *val, size_t len)
{
	struct route_iter it;
	struct wire_route *routes = malloc((len / 5 + 1) * sizeof(*routes));
	struct wire_error err;
	size_t n = 0, bad;
	int r;

	if (!routes)
		abort();
	route_iter_init(&it, val, len);
	while ((r = route_iter_next(&it, &routes[n], &err)) > 0) {
		if (++n > len / 5 || routes[n - 1].prefix > 32)
			abort();
	}
	if ((r == 0) != (routes_validate(val, len, &bad) == WIRE_OK))
		abort();
	if (r == 0 && len > 0) {
		/* RFC 3442 encoding is canonical: the same bytes come back. */
		uint8_t *enc = malloc(len);
		if (!enc)
			abort();
		if (routes_encode(routes, n, enc, len) != len || memcmp(enc, val, len) != 0)
			abort();
		if (routes_encode(routes, n, enc, len - 1) != 0)
			abort();
		free(enc);
	}
	free(routes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t code = data[0];
	size_t len = size - 1;
	uint8_t *val = malloc(len);

	if (!val && len > 0)
		abort();
	if (len > 0)
		memcpy(val, data + 1, len);
	check_validate(code, val, len);
	check_names(val, len);
	check_small_text(val, len, code % 80u);
	check_routes(val, len);
	free(val);
	return 0;
}
