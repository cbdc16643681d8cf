/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Property tests of the message codec with a seeded PRNG (charrua's
 * build -> parse property, systemd's "a build always fits"):
 *
 *   (a) parse(build(m)) == m for 100,000 generated messages: valid values of
 *       every type in the option table (lists, ranged integers, strings,
 *       option 119 name lists, option 121/249 routes), values over 255 bytes
 *       (RFC 3396 splits), unknown codes, random header fields and a random
 *       emission order;
 *   (b) build never writes outside its buffer, for every cap from 0 to 600
 *       and around the exact size: the buffer ends at an unmapped page and a
 *       canary guards the bytes before it; it returns NO_ROOM exactly when
 *       the message does not fit, and otherwise the same bytes;
 *   (c) 100,000 random mutations of built messages never crash dhcp_parse,
 *       parsed from a buffer flush against an unmapped page, and whatever
 *       parses is consistent (every present option passes its rule again);
 *   (d) the builder is the parser's gate, for 100,000 random outs (any op,
 *       hlen and message type, any code, values that break their rule, and
 *       one in four outs then changed by hand as the net role may receive
 *       one over IPC): dhcp_out_add refuses exactly what a model of the
 *       rules refuses, dhcp_build succeeds exactly when the whole out obeys
 *       them, and whatever it builds parses with no option dropped and every
 *       value as given.
 *
 * The seed is LESSEE_SEED from the environment, else the time; it is printed
 * at the start and with every failure. Each iteration reseeds from (seed,
 * property, iteration), so LESSEE_SEED=N replays a failure exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/dhcp.h"
#include "wire/dns.h"
#include "wire/options.h"
#include "wire/routes.h"

#define ROUNDTRIP_RUNS 100000u
#define BOUNDS_MESSAGES 1000u
#define BOUNDS_MAX_CAP 600u
#define MUTATION_RUNS 100000u
#define RANDOM_OUT_RUNS 100000u
#define MSG_MAX 4096u        /* largest message the generator can make */
#define CANARY 0xa5u
#define ARPHRD_ETHER_TYPE 1u

/* ---- seeded PRNG (splitmix64) and failure reporting ---------------------- */

static uint64_t base_seed;
static uint64_t rng;
static const char *cur_prop = "";
static size_t cur_iter;

static uint64_t next64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n is 0. */
static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(next64() % n) : 0;
}

static uint32_t between(uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(next64() % ((uint64_t)hi - lo + 1));
}

static bool chance(uint32_t one_in)
{
	return below(one_in) == 0;
}

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)next64();
}

static void reseed(const char *prop, size_t iter)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = prop; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	cur_prop = prop;
	cur_iter = iter;
	rng = base_seed ^ h ^ ((uint64_t)iter * 0xd1342543de82ef95ull);
}

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			print_error("property %s failed: %s (%s:%d)\n"                  \
				    "  replay with LESSEE_SEED=%llu (iteration %zu)\n",   \
				    cur_prop, #cond, __FILE__, __LINE__,                \
				    (unsigned long long)base_seed, cur_iter);           \
			fail();                                                         \
		}                                                                       \
	} while (0)

/* ---- value generators, one per option type -------------------------------- */

static uint8_t known_codes[256];
static size_t n_known;
static uint8_t unknown_codes[256];
static size_t n_unknown;

static void init_codes(void)
{
	n_known = n_unknown = 0;
	for (unsigned c = 1; c < 255; c++) {
		if (c == DHCP_OPT_MSG_TYPE)
			continue; /* dhcp_out_init adds it */
		if (c == DHCP_OPT_OVERLOAD)
			continue; /* the builder refuses it: see (d) */
		if (dhcp_opt_name((uint8_t)c))
			known_codes[n_known++] = (uint8_t)c;
		else
			unknown_codes[n_unknown++] = (uint8_t)c;
	}
}

/* A length for a value of `unit`-byte items: short, or over 255 bytes. */
static size_t gen_count(size_t unit, size_t min_items, bool long_value)
{
	size_t n = long_value ? between(256, 700) / unit + 1 : between(0, 12);
	return n < min_items ? min_items : n;
}

static void put_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Names of 0..4 labels (0: the root) from [a-z0-9-], encoded by dns.c. */
static size_t gen_names(uint8_t *v, size_t cap, bool long_value)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
	static char names[96][DNS_NAME_MAX + 1];
	const char *ptrs[96];
	size_t n = 0, total = 0, target = long_value ? between(256, 700) : between(1, 60);
	size_t len;

	while (n < 96 && total < target) {
		char *name = names[n];
		size_t labels = chance(16) ? 0 : between(1, 4), pos = 0, wire = 1;
		for (size_t l = 0; l < labels; l++) {
			size_t ll = chance(8) ? between(40, DNS_LABEL_MAX) : between(1, 10);
			if (wire + 1 + ll > DNS_NAME_MAX)
				break;
			if (pos > 0)
				name[pos++] = '.';
			for (size_t i = 0; i < ll; i++)
				name[pos++] = set[below(sizeof(set) - 1)];
			wire += 1 + ll;
		}
		name[pos] = '\0';
		ptrs[n++] = name;
		total += wire;
	}
	len = dns_list_encode(ptrs, n, v, cap);
	CHECK(len == total);
	return len;
}

static size_t gen_routes(uint8_t *v, size_t cap, bool long_value)
{
	struct wire_route r[128];
	size_t n = long_value ? between(40, 100) : between(1, 6), len, want = 0;

	for (size_t i = 0; i < n; i++) {
		r[i].prefix = (uint8_t)(chance(6) ? (chance(2) ? 0 : 32) : between(0, 32));
		r[i].dst = (uint32_t)next64();
		if (r[i].prefix < 32)
			r[i].dst &= r[i].prefix ? ~(0xffffffffu >> r[i].prefix) : 0;
		r[i].gateway = chance(5) ? 0 : (uint32_t)next64();
		want += 1 + (r[i].prefix + 7u) / 8 + 4;
	}
	len = routes_encode(r, n, v, cap);
	CHECK(len == want);
	return len;
}

/* A value that obeys the code's descriptor; returns its length. */
static size_t gen_value(uint8_t code, uint8_t *v, size_t cap, bool long_value)
{
	const struct dhcp_opt_desc *d = dhcp_opt_desc(code);
	size_t n;

	switch (d->type) {
	case OPT_T_IP:
	case OPT_T_S32:
		fill_random(v, 4);
		return 4;
	case OPT_T_IP_LIST:
		n = gen_count(4, d->min_len / 4, long_value);
		fill_random(v, 4 * n);
		return 4 * n;
	case OPT_T_IP_PAIRS:
		n = gen_count(8, 1, long_value);
		fill_random(v, 8 * n);
		return 8 * n;
	case OPT_T_U8:
	case OPT_T_BOOL:
		v[0] = (uint8_t)between(d->min_value, d->max_value);
		if (code == 46) /* RFC 2132 8.7: node types 1, 2, 4, 8 only */
			v[0] = (uint8_t)(1u << between(0, 3));
		return 1;
	case OPT_T_U16:
		put_be16(v, between(d->min_value, d->max_value));
		return 2;
	case OPT_T_U32:
		put_be32(v, between(d->min_value, d->max_value));
		return 4;
	case OPT_T_U16_LIST:
		n = gen_count(2, 1, long_value);
		for (size_t i = 0; i < n; i++)
			put_be16(v + 2 * i, between(d->min_value, d->max_value));
		return 2 * n;
	case OPT_T_U8_LIST:
	case OPT_T_STRING:
	case OPT_T_DOMAIN:
	case OPT_T_BYTES:
	case OPT_T_UNKNOWN:
		n = long_value ? between(256, 700) : between(d->min_len, 40);
		if (n < d->min_len)
			n = d->min_len;
		fill_random(v, n);
		return n;
	case OPT_T_DOMAIN_LIST:
		return gen_names(v, cap, long_value);
	case OPT_T_ROUTES:
		return gen_routes(v, cap, long_value);
	case OPT_T_FLAG:
		return 0;
	case OPT_T_MSG_TYPE:
		v[0] = (uint8_t)between(1, DHCP_MSG_TYPE_MAX);
		return 1;
	}
	return 0;
}

/* ---- messages -------------------------------------------------------------- */

struct gen_msg {
	struct dhcp_out out;
	uint8_t msg_type;
	bool with_order;
	uint8_t order[300];
	size_t n_order;
};

static void gen_header(struct dhcp_header *h)
{
	h->op = (uint8_t)between(BOOTREQUEST, BOOTREPLY);
	if (chance(4)) {
		h->htype = (uint8_t)between(2, 255);
		h->hlen = (uint8_t)between(0, DHCP_CHADDR_LEN);
	} else {
		h->htype = ARPHRD_ETHER_TYPE;
		h->hlen = 6;
	}
	h->hops = (uint8_t)next64();
	h->xid = (uint32_t)next64();
	h->secs = (uint16_t)next64();
	h->flags = (uint16_t)next64();
	h->ciaddr = (uint32_t)next64();
	h->yiaddr = (uint32_t)next64();
	h->siaddr = (uint32_t)next64();
	h->giaddr = (uint32_t)next64();
	fill_random(h->chaddr, sizeof(h->chaddr));
}

/* Half the time an order: the codes shuffled, some left out, some repeated,
 * some not in the message at all. */
static void gen_order(struct gen_msg *g)
{
	g->with_order = chance(2);
	g->n_order = 0;
	if (!g->with_order)
		return;
	for (size_t i = 0; i < g->out.n_opts; i++)
		if (!chance(5))
			g->order[g->n_order++] = g->out.opts[i].code;
	for (size_t i = g->n_order; i > 1; i--) {
		size_t j = below((uint32_t)i);
		uint8_t t = g->order[i - 1];
		g->order[i - 1] = g->order[j];
		g->order[j] = t;
	}
	for (size_t extra = below(4); extra > 0; extra--)
		g->order[g->n_order++] = (uint8_t)next64();
}

/*
 * Up to max_opts options (distinct codes) whose values add up to about
 * `budget` bytes at most; one in long_one_in values is over 255 bytes.
 */
static void gen_message(struct gen_msg *g, size_t max_opts, size_t budget, uint32_t long_one_in)
{
	static uint8_t val[2048];
	struct dhcp_header h;
	size_t want = between(0, (uint32_t)max_opts), used = 0;

	gen_header(&h);
	g->msg_type = (uint8_t)between(1, DHCP_MSG_TYPE_MAX);
	dhcp_out_init(&g->out, &h, g->msg_type);
	fill_random(g->out.sname, sizeof(g->out.sname));
	fill_random(g->out.file, sizeof(g->out.file));
	for (size_t i = 0; i < want * 2 && g->out.n_opts <= want; i++) {
		uint8_t code = chance(8) ? unknown_codes[below((uint32_t)n_unknown)]
					 : known_codes[below((uint32_t)n_known)];
		size_t dummy, len, bad;
		if (dhcp_out_get(&g->out, code, &dummy))
			continue;
		len = gen_value(code, val, sizeof(val), long_one_in && chance(long_one_in));
		CHECK(dhcp_opt_validate(code, val, len, &bad) == WIRE_OK);
		if (used + len > budget || len > DHCP_OUT_POOL - g->out.pool_used)
			continue;
		CHECK(dhcp_out_add(&g->out, code, val, len) == WIRE_OK);
		used += len;
	}
	gen_order(g);
}

static size_t instances(size_t len)
{
	return len == 0 ? 1 : (len + 254) / 255;
}

/* 240 + every option's instances + END, padded to the BOOTP minimum. */
static size_t expected_len(const struct dhcp_out *out)
{
	size_t n = DHCP_OPTIONS_OFF + 1;

	for (size_t i = 0; i < out->n_opts; i++)
		n += 2 * instances(out->opts[i].len) + out->opts[i].len;
	return n < BOOTP_MIN_LEN ? BOOTP_MIN_LEN : n;
}

/* The codes in emission order: those `order` names first, then by code. */
static size_t expected_order(const struct gen_msg *g, uint8_t *codes)
{
	bool present[256] = { false }, done[256] = { false };
	size_t n = 0;

	for (size_t i = 0; i < g->out.n_opts; i++)
		present[g->out.opts[i].code] = true;
	for (size_t i = 0; g->with_order && i < g->n_order; i++) {
		uint8_t c = g->order[i];
		if (present[c] && !done[c]) {
			done[c] = true;
			codes[n++] = c;
		}
	}
	for (unsigned c = 0; c < 256; c++)
		if (present[c] && !done[c])
			codes[n++] = (uint8_t)c;
	return n;
}

static enum wire_reason build(const struct gen_msg *g, uint8_t *buf, size_t cap, size_t *len)
{
	struct wire_error err;
	enum wire_reason r = dhcp_build(&g->out, g->with_order ? g->order : NULL, g->n_order,
					buf, cap, len, &err);

	CHECK(r == err.reason);
	return r;
}

/* ---- guarded buffers: data ends where an unmapped page begins -------------- */

static struct guarded msg_area, scratch_area, build_area;

static void setup_areas(void)
{
	static uint8_t zero[MSG_MAX + 64];

	msg_area = guard_copy(zero, MSG_MAX);
	scratch_area = guard_copy(zero, MSG_MAX);
	build_area = guard_copy(zero, BOUNDS_MAX_CAP + 64);
}

static void teardown_areas(void)
{
	guard_free(&msg_area);
	guard_free(&scratch_area);
	guard_free(&build_area);
}

/* Parse len bytes placed flush against the guard page, scratch likewise. */
static enum wire_reason parse_guarded(const uint8_t *src, size_t len, struct dhcp_msg *msg)
{
	uint8_t *buf = msg_area.data + msg_area.len - len;
	uint8_t *scratch = scratch_area.data + scratch_area.len - len;
	struct wire_error err;
	enum wire_reason r;

	if (len > 0)
		memmove(buf, src, len);
	r = dhcp_parse(buf, len, scratch, len, msg, &err);
	CHECK(r == err.reason);
	return r;
}

/* ---- (a) parse(build(m)) == m ----------------------------------------------- */

static void check_same(const struct gen_msg *g, const struct dhcp_msg *msg)
{
	const struct dhcp_header *a = &msg->hdr, *b = &g->out.hdr;
	uint8_t codes[256];
	size_t n = expected_order(g, codes);

	CHECK(a->op == b->op && a->htype == b->htype && a->hlen == b->hlen && a->hops == b->hops);
	CHECK(a->xid == b->xid && a->secs == b->secs && a->flags == b->flags);
	CHECK(a->ciaddr == b->ciaddr && a->yiaddr == b->yiaddr && a->siaddr == b->siaddr &&
	      a->giaddr == b->giaddr);
	CHECK(memcmp(a->chaddr, b->chaddr, DHCP_CHADDR_LEN) == 0);
	CHECK(memcmp(msg->sname, g->out.sname, DHCP_SNAME_LEN) == 0);
	CHECK(memcmp(msg->file, g->out.file, DHCP_FILE_LEN) == 0);
	CHECK(msg->type == g->msg_type);
	CHECK(msg->overload == 0);
	CHECK(!msg->missing_end);
	CHECK(msg->n_dropped == 0);
	CHECK(msg->n_order == n);
	CHECK(memcmp(msg->order, codes, n) == 0);
	for (size_t i = 0; i < g->out.n_opts; i++) {
		const struct dhcp_opt_out *o = &g->out.opts[i];
		const uint8_t *val;
		size_t len;
		CHECK(dhcp_get_bytes(msg, o->code, &val, &len));
		CHECK(len == o->len);
		CHECK(len == 0 || memcmp(val, g->out.pool + o->pool_off, len) == 0);
		CHECK(msg->opt[o->code].instances == instances(o->len));
	}
}

static void test_parse_build_roundtrip(void **state)
{
	static struct gen_msg g;
	static struct dhcp_msg msg;
	static uint8_t buf[MSG_MAX];
	size_t len, splits = 0, ordered = 0, options = 0, bytes = 0;
	(void)state;

	for (size_t iter = 0; iter < ROUNDTRIP_RUNS; iter++) {
		reseed("roundtrip", iter);
		gen_message(&g, 30, DHCP_OUT_POOL, 10);
		CHECK(build(&g, buf, sizeof(buf), &len) == WIRE_OK);
		CHECK(len == expected_len(&g.out));
		CHECK(parse_guarded(buf, len, &msg) == WIRE_OK);
		check_same(&g, &msg);
		for (size_t i = 0; i < g.out.n_opts; i++)
			splits += g.out.opts[i].len > 255;
		ordered += g.with_order;
		options += g.out.n_opts;
		bytes += len;
	}
	print_message("roundtrip: %u messages, %zu options (%zu split), %zu with an order, "
		      "%zu bytes\n", ROUNDTRIP_RUNS, options, splits, ordered, bytes);
	/* The generator must really reach what the property is about. */
	CHECK(splits > ROUNDTRIP_RUNS / 10);
	CHECK(ordered > ROUNDTRIP_RUNS / 4);
}

/* ---- (b) build stays inside its buffer ---------------------------------------- */

static void build_at_cap(const struct gen_msg *g, size_t cap, const uint8_t *ref, size_t ref_len)
{
	uint8_t *end = build_area.data + build_area.len;
	uint8_t *buf = end - cap;
	size_t len = 12345, before = build_area.len - cap;
	enum wire_reason r;

	memset(build_area.data, CANARY, build_area.len);
	r = build(g, buf, cap, &len);
	if (cap < ref_len) {
		CHECK(r == WIRE_NO_ROOM);
		CHECK(len == 0);
	} else {
		CHECK(r == WIRE_OK);
		CHECK(len == ref_len);
		CHECK(memcmp(buf, ref, len) == 0);
	}
	for (size_t i = 0; i < before; i++)
		CHECK(build_area.data[i] == CANARY);
}

static void test_build_bounds(void **state)
{
	static struct gen_msg g;
	static uint8_t ref[MSG_MAX];
	size_t ref_len, fits = 0, no_room = 0;
	(void)state;

	for (size_t iter = 0; iter < BOUNDS_MESSAGES; iter++) {
		reseed("build-bounds", iter);
		/* mostly messages around the 300..600 byte caps, some larger */
		gen_message(&g, chance(4) ? 30 : 8, chance(4) ? DHCP_OUT_POOL : between(0, 400), 12);
		CHECK(build(&g, ref, sizeof(ref), &ref_len) == WIRE_OK);
		CHECK(ref_len == expected_len(&g.out));
		for (size_t cap = 0; cap <= BOUNDS_MAX_CAP; cap++) {
			build_at_cap(&g, cap, ref, ref_len);
			if (cap < ref_len)
				no_room++;
			else
				fits++;
		}
	}
	/* Larger than the guarded area: one byte short must still be refused. */
	for (size_t iter = 0; iter < BOUNDS_MESSAGES; iter++) {
		reseed("build-bounds-large", iter);
		gen_message(&g, 40, DHCP_OUT_POOL, 3);
		CHECK(build(&g, ref, sizeof(ref), &ref_len) == WIRE_OK);
		for (size_t cap = ref_len - 1; cap <= ref_len + 1; cap++) {
			struct guarded area = guard_copy(ref, cap);
			size_t len;
			memset(area.data, CANARY, cap);
			CHECK(build(&g, area.data, cap, &len) == (cap < ref_len ? WIRE_NO_ROOM : WIRE_OK));
			if (cap >= ref_len)
				CHECK(len == ref_len && memcmp(area.data, ref, len) == 0);
			guard_free(&area);
		}
	}
	print_message("build-bounds: %zu builds fitted, %zu refused\n", fits, no_room);
	CHECK(fits > 0 && no_room > 0);
}

/* ---- (c) mutations never crash the parser ----------------------------------------- */

static void mutate(uint8_t *b, size_t *len, size_t cap)
{
	static const uint8_t interesting[] = { 0, 1, 2, 4, 0x34, 0x35, 0x77, 0x79, 0xf9,
					       0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xfe, 0xff };
	size_t n = *len, at = n ? below((uint32_t)n) : 0;

	switch (below(8)) {
	case 0: /* flip a bit */
		if (n)
			b[at] ^= (uint8_t)(1u << below(8));
		break;
	case 1: /* an interesting byte, often in the options area */
		if (n > DHCP_OPTIONS_OFF && chance(2))
			at = between(DHCP_OPTIONS_OFF, (uint32_t)n - 1);
		if (n)
			b[at] = interesting[below(sizeof(interesting))];
		break;
	case 2: /* a length byte off by a little */
		if (n)
			b[at] = (uint8_t)(b[at] + between(0, 4) - 2);
		break;
	case 3: /* truncate */
		*len = below((uint32_t)n + 1);
		break;
	case 4: { /* insert random bytes */
		size_t k = between(1, 8);
		if (n + k > cap)
			break;
		memmove(b + at + k, b + at, n - at);
		fill_random(b + at, k);
		*len = n + k;
		break;
	}
	case 5: { /* delete a range */
		size_t k = between(1, 8);
		if (at + k > n)
			k = n - at;
		memmove(b + at, b + at + k, n - at - k);
		*len = n - k;
		break;
	}
	case 6: /* switch overload on (the areas then hold random options) */
		if (n >= DHCP_OPTIONS_OFF + 3) {
			b[DHCP_OPTIONS_OFF] = DHCP_OPT_OVERLOAD;
			b[DHCP_OPTIONS_OFF + 1] = 1;
			b[DHCP_OPTIONS_OFF + 2] = (uint8_t)between(1, 3);
			if (chance(2))
				fill_random(b + DHCP_SNAME_OFF, DHCP_SNAME_LEN + DHCP_FILE_LEN);
		}
		break;
	default: { /* copy a run of bytes over another place */
		size_t from = n ? below((uint32_t)n) : 0, k = between(1, 16);
		if (from + k > n || at + k > n)
			break;
		memmove(b + at, b + from, k);
		break;
	}
	}
}

/* Whatever parses is consistent: present options pass their rule again,
 * and 119/121/249 iterate to a clean end. */
static void check_consistent(const struct dhcp_msg *msg)
{
	CHECK(msg->type >= 1 && msg->type <= DHCP_MSG_TYPE_MAX);
	CHECK(msg->n_order <= 256);
	for (size_t i = 0; i < msg->n_order; i++) {
		uint8_t code = msg->order[i];
		const uint8_t *val;
		size_t len, bad;
		CHECK(dhcp_seen(msg, code));
		if (!dhcp_get_bytes(msg, code, &val, &len))
			continue;
		CHECK(dhcp_opt_validate(code, val, len, &bad) == WIRE_OK);
		if (code == DHCP_OPT_DOMAIN_SEARCH) {
			struct dns_list_iter it;
			struct wire_error err;
			char text[DNS_TEXT_MAX];
			size_t steps = 0;
			int r;
			dns_list_init(&it, val, len);
			while ((r = dns_list_next(&it, text, sizeof(text), &err)) > 0)
				CHECK(++steps <= len);
			CHECK(r == 0);
		}
		if (code == DHCP_OPT_CLASSLESS_ROUTE || code == DHCP_OPT_MS_CLASSLESS_ROUTE) {
			struct route_iter it;
			struct wire_route rt;
			struct wire_error err;
			size_t steps = 0;
			int r;
			route_iter_init(&it, val, len);
			while ((r = route_iter_next(&it, &rt, &err)) > 0)
				CHECK(++steps <= len / 5);
			CHECK(r == 0);
		}
	}
}

static void test_mutations_never_crash(void **state)
{
	static struct gen_msg g;
	static struct dhcp_msg msg;
	static uint8_t buf[MSG_MAX];
	size_t len, parsed = 0, refused = 0;
	(void)state;

	for (size_t iter = 0; iter < MUTATION_RUNS; iter++) {
		reseed("mutations", iter);
		gen_message(&g, 16, 900, 8);
		CHECK(build(&g, buf, MSG_MAX - 64, &len) == WIRE_OK);
		for (size_t k = between(1, 6); k > 0; k--)
			mutate(buf, &len, MSG_MAX);
		if (parse_guarded(buf, len, &msg) == WIRE_OK) {
			check_consistent(&msg);
			parsed++;
		} else {
			refused++;
		}
	}
	print_message("mutations: %zu parsed, %zu refused\n", parsed, refused);
	/* Both outcomes must be common, or the mutations test nothing. */
	CHECK(parsed > MUTATION_RUNS / 10 && refused > MUTATION_RUNS / 20);
}

/* ---- (d) the builder is the parser's gate -------------------------------------- */

/* Mostly a valid header; now and then an op, htype or hlen the parser refuses. */
static void gen_any_header(struct dhcp_header *h)
{
	gen_header(h);
	if (chance(10))
		h->op = chance(2) ? (uint8_t)between(0, 3) : (uint8_t)next64();
	if (chance(10))
		h->hlen = (uint8_t)between(0, 20);
	if (chance(20))
		h->htype = (uint8_t)between(0, 2);
}

/* A value for code that may break its rule: as generated, one byte
 * changed, a length a little off, or a few random bytes. */
static size_t gen_any_value(uint8_t code, uint8_t *v, size_t cap)
{
	size_t n = gen_value(code, v, cap - 2, chance(20));

	switch (below(4)) {
	case 0:
		break;
	case 1:
		if (n > 0)
			v[below((uint32_t)n)] = (uint8_t)next64();
		break;
	case 2: {
		size_t cut = between(0, 4);   /* n - 2 .. n + 2 */
		fill_random(v + n, 2);
		n = n + 2 < cut ? 0 : n + 2 - cut;
		break;
	}
	default:
		n = between(0, 8);
		fill_random(v, n);
		break;
	}
	return n;
}

/* The model of dhcp_out_add's verdict, in its order of checks. */
static enum wire_reason add_model(const struct dhcp_out *out, uint8_t code, const uint8_t *v,
				  size_t len)
{
	size_t dummy, bad;

	if (code == DHCP_OPT_PAD || code == DHCP_OPT_END)
		return WIRE_BAD_CODE;
	if (dhcp_out_get(out, code, &dummy))
		return WIRE_DUPLICATE;
	if (out->n_opts >= DHCP_OUT_MAX_OPTS || len > DHCP_OUT_POOL - out->pool_used)
		return WIRE_NO_ROOM;
	if (code == DHCP_OPT_OVERLOAD)
		return WIRE_BAD_OVERLOAD; /* RFC 2132 9.3: sname/file are not options */
	return dhcp_opt_validate(code, v, len, &bad);
}

/* Change the out by hand: a pool byte, a code or a length (inside the pool). */
static void tamper(struct dhcp_out *out)
{
	struct dhcp_opt_out *o;

	if (out->n_opts == 0)
		return;
	o = &out->opts[below(out->n_opts)];
	switch (below(3)) {
	case 0:
		if (o->len > 0)
			out->pool[o->pool_off + below(o->len)] = (uint8_t)next64();
		break;
	case 1:
		o->code = chance(2) ? (uint8_t)next64() : out->opts[below(out->n_opts)].code;
		break;
	default:
		o->len = (uint16_t)below((uint32_t)(out->pool_used - o->pool_off) + 1u);
		break;
	}
}

/* dhcp_out's bounds (tamper keeps each value in the pool, not the total). */
static bool out_in_bounds(const struct dhcp_out *out)
{
	size_t total = 0;

	for (size_t i = 0; i < out->n_opts; i++)
		total += out->opts[i].len;
	return total <= out->pool_used;
}

/* Its bounds and every rule the parser holds a message to, on the out. */
static bool out_obeys_rules(const struct dhcp_out *out)
{
	const struct dhcp_header *h = &out->hdr;
	bool seen[256] = { false };
	size_t type_len, bad;
	const uint8_t *type = dhcp_out_get(out, DHCP_OPT_MSG_TYPE, &type_len);

	if (!out_in_bounds(out))
		return false;
	if (h->op != BOOTREQUEST && h->op != BOOTREPLY)
		return false;
	if (h->hlen > DHCP_CHADDR_LEN || (h->htype == ARPHRD_ETHER_TYPE && h->hlen != 6))
		return false;
	if (!type || type_len != 1 || type[0] < 1 || type[0] > DHCP_MSG_TYPE_MAX)
		return false;
	for (size_t i = 0; i < out->n_opts; i++) {
		const struct dhcp_opt_out *o = &out->opts[i];
		if (o->code == DHCP_OPT_PAD || o->code == DHCP_OPT_END ||
		    o->code == DHCP_OPT_OVERLOAD || seen[o->code] ||
		    dhcp_opt_validate(o->code, out->pool + o->pool_off, o->len, &bad) != WIRE_OK)
			return false;
		seen[o->code] = true;
	}
	return true;
}

static void gen_any_out(struct gen_msg *g)
{
	static uint8_t val[2048];
	struct dhcp_header h;

	gen_any_header(&h);
	dhcp_out_init(&g->out, &h, chance(8) ? (uint8_t)next64() : (uint8_t)between(1, 18));
	fill_random(g->out.sname, sizeof(g->out.sname));
	fill_random(g->out.file, sizeof(g->out.file));
	for (size_t i = between(0, 30); i > 0; i--) {
		uint8_t code = chance(4) ? (uint8_t)next64() : known_codes[below((uint32_t)n_known)];
		if (chance(30))
			code = chance(2) ? DHCP_OPT_OVERLOAD : DHCP_OPT_MSG_TYPE;
		size_t len = gen_any_value(code, val, sizeof(val));
		enum wire_reason want = add_model(&g->out, code, val, len);
		CHECK(dhcp_out_add(&g->out, code, val, len) == want);
	}
	if (chance(4))
		for (size_t k = between(1, 3); k > 0; k--)
			tamper(&g->out);
	gen_order(g);
}

static void test_builder_gates_parser(void **state)
{
	static struct gen_msg g;
	static struct dhcp_msg msg;
	static uint8_t buf[MSG_MAX];
	size_t len, built = 0, refused = 0, type_len;
	(void)state;

	for (size_t iter = 0; iter < RANDOM_OUT_RUNS; iter++) {
		reseed("builder-gates-parser", iter);
		gen_any_out(&g);
		bool obeys = out_obeys_rules(&g.out);
		enum wire_reason r = build(&g, buf, sizeof(buf), &len);
		CHECK((r == WIRE_OK) == obeys);
		if (r != WIRE_OK) {
			CHECK(len == 0);
			refused++;
			continue;
		}
		g.msg_type = dhcp_out_get(&g.out, DHCP_OPT_MSG_TYPE, &type_len)[0];
		CHECK(len == expected_len(&g.out));
		CHECK(parse_guarded(buf, len, &msg) == WIRE_OK);
		check_same(&g, &msg);    /* nothing dropped, every value as given */
		built++;
	}
	print_message("builder-gates-parser: %zu built and parsed back whole, %zu refused\n",
		      built, refused);
	CHECK(built > RANDOM_OUT_RUNS / 5 && refused > RANDOM_OUT_RUNS / 5);
}

static int group_setup(void **state)
{
	(void)state;
	init_codes();
	setup_areas();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	teardown_areas();
	return 0;
}

int main(void)
{
	const char *env = getenv("LESSEE_SEED");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_build_roundtrip),
		cmocka_unit_test(test_build_bounds),
		cmocka_unit_test(test_mutations_never_crash),
		cmocka_unit_test(test_builder_gates_parser),
	};

	if (env && *env)
		base_seed = strtoull(env, NULL, 0);
	else
		base_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	printf("property tests: LESSEE_SEED=%llu\n", (unsigned long long)base_seed);
	fflush(stdout);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
