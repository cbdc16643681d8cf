/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * build -> parse round trip. The input is decoded into a struct dhcp_out:
 *
 *   0..43   op htype hlen hops xid(4) secs(2) flags(2) ciaddr yiaddr siaddr
 *           giaddr (4 each) chaddr(16)
 *   44      message type (option 53, through dhcp_out_init)
 *   45      bit 0: sname and file follow; bit 1: an emission order follows;
 *           bit 2: changes by hand follow
 *   46..47  a second, arbitrary buffer size (big-endian)
 *   [64 + 128 bytes of sname and file]
 *   [n, then n codes: the order parameter of dhcp_build]
 *   [k (mod 8), then k changes of 3 bytes (what, where, value) made to the
 *   struct after the options are added, as the net role may receive it over
 *   IPC: a pool byte, an option's code, or an option's length (kept inside
 *   the pool); see change()]
 *   then options until the input ends: code, length byte (255: two more
 *   bytes give a length up to the pool size), value (cut short at the end).
 *
 * dhcp_out_add must give exactly the model's verdict: PAD/END, duplicate,
 * no room, option 52, then dhcp_opt_validate. dhcp_build must refuse exactly
 * what the model says the parser would refuse or drop (bounds, op, hlen,
 * message type, then the first bad option in emission order), with the
 * reason, offset and option predicted. What it builds goes into a buffer
 * whose end is the end of an exact-size heap allocation, with room for
 * exactly the expected length (so ASan sees a write past cap), then one byte
 * short and at the arbitrary size: NO_ROOM exactly when it does not fit,
 * else the same bytes. The output is parsed: header, sname/file, type and
 * option order as built, and every option present with the same bytes
 * (values over 255 bytes come back concatenated, RFC 3396), none dropped.
 * Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/dhcp.h"
#include "wire/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARPHRD_ETHER_TYPE 1u

struct input {
	const uint8_t *p;
	size_t len, off;
};

static uint8_t take_u8(struct input *in)
{
	return in->off < in->len ? in->p[in->off++] : 0;
}

static uint16_t take_be16(struct input *in)
{
	uint16_t hi = take_u8(in);
	return (uint16_t)(hi << 8 | take_u8(in));
}

static uint32_t take_be32(struct input *in)
{
	uint32_t hi = take_be16(in);
	return hi << 16 | take_be16(in);
}

/* Up to n bytes; fewer at the end of the input. */
static const uint8_t *take_bytes(struct input *in, size_t n, size_t *got)
{
	const uint8_t *p = in->p + in->off;

	*got = n < in->len - in->off ? n : in->len - in->off;
	in->off += *got;
	return p;
}

static void take_copy(struct input *in, uint8_t *dst, size_t n)
{
	size_t got;
	const uint8_t *p = take_bytes(in, n, &got);

	memset(dst, 0, n);
	memcpy(dst, p, got);
}

struct model {
	struct dhcp_out out;
	bool with_order;
	uint8_t order[256];
	size_t n_order;
	uint8_t changes[8][3];
	size_t n_changes;
	uint16_t other_cap;
};

/* What dhcp_build must return, and where. */
struct verdict {
	enum wire_reason reason;
	size_t offset;
	int option;
};

static void take_header(struct input *in, struct dhcp_header *h)
{
	h->op = take_u8(in);
	h->htype = take_u8(in);
	h->hlen = take_u8(in);
	h->hops = take_u8(in);
	h->xid = take_be32(in);
	h->secs = take_be16(in);
	h->flags = take_be16(in);
	h->ciaddr = take_be32(in);
	h->yiaddr = take_be32(in);
	h->siaddr = take_be32(in);
	h->giaddr = take_be32(in);
	take_copy(in, h->chaddr, sizeof(h->chaddr));
}

/* The model of one option's rule: what the parser would drop it for. */
static enum wire_reason value_rule(uint8_t code, const uint8_t *val, size_t len)
{
	size_t bad;

	/* RFC 2132 9.3: the builder writes sname/file as given, never options. */
	if (code == DHCP_OPT_OVERLOAD)
		return WIRE_BAD_OVERLOAD;
	return dhcp_opt_validate(code, val, len, &bad);
}

/* Add one option and check dhcp_out_add's verdict against the rules. */
static void add_option(struct dhcp_out *out, uint8_t code, const uint8_t *val, size_t len)
{
	bool dup = dhcp_out_get(out, code, &(size_t){ 0 }) != NULL;
	size_t before = out->n_opts, pool = out->pool_used;
	enum wire_reason want, r = dhcp_out_add(out, code, val, len);

	if (code == DHCP_OPT_PAD || code == DHCP_OPT_END)
		want = WIRE_BAD_CODE;
	else if (dup)
		want = WIRE_DUPLICATE;
	else if (before >= DHCP_OUT_MAX_OPTS || len > DHCP_OUT_POOL - pool)
		want = WIRE_NO_ROOM;
	else
		want = value_rule(code, val, len);
	if (r != want || out->n_opts != before + (r == WIRE_OK))
		abort();
}

/* One change by hand: what % 3 picks a pool byte, a code or a length. */
static void change(struct dhcp_out *out, const uint8_t c[3])
{
	struct dhcp_opt_out *o;

	if (out->n_opts == 0)
		return;
	o = &out->opts[c[1] % out->n_opts];
	switch (c[0] % 3) {
	case 0:
		if (out->pool_used > 0)
			out->pool[((size_t)(c[0] / 3) << 8 | c[1]) % out->pool_used] = c[2];
		break;
	case 1:
		o->code = c[2];
		break;
	default:
		o->len = (uint16_t)(c[2] % (out->pool_used - o->pool_off + 1u));
		break;
	}
}

static void decode(struct input *in, struct model *m)
{
	struct dhcp_header h;
	uint8_t flags;

	take_header(in, &h);
	uint8_t msg_type = take_u8(in);
	flags = take_u8(in);
	m->other_cap = take_be16(in);
	dhcp_out_init(&m->out, &h, msg_type);
	/* RFC 2132 9.6: a type the parser refuses is left out. */
	if (m->out.n_opts != (msg_type >= 1 && msg_type <= DHCP_MSG_TYPE_MAX))
		abort();
	if (flags & 1) {
		take_copy(in, m->out.sname, sizeof(m->out.sname));
		take_copy(in, m->out.file, sizeof(m->out.file));
	}
	m->with_order = flags & 2;
	m->n_order = 0;
	if (m->with_order) {
		m->n_order = take_u8(in);
		take_copy(in, m->order, m->n_order);
	}
	m->n_changes = flags & 4 ? take_u8(in) % 8u : 0;
	for (size_t i = 0; i < m->n_changes; i++)
		take_copy(in, m->changes[i], 3);
	while (in->off < in->len) {
		uint8_t code = take_u8(in);
		size_t len = take_u8(in), got;
		if (len == 255)
			len = take_be16(in) % (DHCP_OUT_POOL + 1u);
		const uint8_t *val = take_bytes(in, len, &got);
		add_option(&m->out, code, val, got);
	}
	for (size_t i = 0; i < m->n_changes; i++)
		change(&m->out, m->changes[i]);
}

/* RFC 3396 5: one instance per 255 bytes; an empty value is one instance. */
static size_t instances(size_t len)
{
	return len == 0 ? 1 : (len + 254) / 255;
}

static size_t expected_len(const struct dhcp_out *out)
{
	size_t n = DHCP_OPTIONS_OFF + 1; /* header, cookie, END */

	for (size_t i = 0; i < out->n_opts; i++)
		n += 2 * instances(out->opts[i].len) + out->opts[i].len;
	return n < BOOTP_MIN_LEN ? BOOTP_MIN_LEN : n;
}

/*
 * The entries of out->opts in emission order: every entry with a code
 * `order` names, in its order, then the rest by code (by index within a
 * code, which only a change by hand makes repeat).
 */
static size_t expected_order(const struct model *m, size_t *idx)
{
	const struct dhcp_out *out = &m->out;
	bool taken[DHCP_OUT_MAX_OPTS] = { false };
	size_t n = 0;

	for (size_t i = 0; m->with_order && i < m->n_order; i++)
		for (size_t j = 0; j < out->n_opts; j++)
			if (!taken[j] && out->opts[j].code == m->order[i]) {
				taken[j] = true;
				idx[n++] = j;
			}
	for (unsigned c = 0; c < 256; c++)
		for (size_t j = 0; j < out->n_opts; j++)
			if (!taken[j] && out->opts[j].code == c)
				idx[n++] = j;
	return n;
}

/* Build into an exact-size allocation of cap bytes. */
static enum wire_reason build_into(const struct model *m, size_t cap, uint8_t **buf,
				   size_t *len, struct wire_error *err)
{
	enum wire_reason r;

	*buf = malloc(cap);
	if (!*buf && cap > 0)
		abort();
	r = dhcp_build(&m->out, m->with_order ? m->order : NULL, m->n_order, *buf, cap, len,
		       err);
	if (r != err->reason || (r != WIRE_OK && *len != 0) || (r == WIRE_OK && *len > cap))
		abort();
	return r;
}

static struct verdict refuse(enum wire_reason reason, size_t offset, int option)
{
	struct verdict v = { reason, offset, option };
	return v;
}

/* No more value bytes than the pool holds (change() keeps each inside it). */
static bool in_bounds(const struct dhcp_out *out)
{
	size_t total = 0;

	for (size_t i = 0; i < out->n_opts; i++)
		total += out->opts[i].len;
	return total <= out->pool_used;
}

/* RFC 2131 2 and RFC 2132 9.6: what the parser refuses a whole message for. */
static struct verdict message_verdict(const struct dhcp_out *out)
{
	const struct dhcp_header *h = &out->hdr;
	size_t len;
	const uint8_t *type = dhcp_out_get(out, DHCP_OPT_MSG_TYPE, &len);

	if (!in_bounds(out))
		return refuse(WIRE_BAD_ARGUMENT, 0, -1);
	if (h->op != BOOTREQUEST && h->op != BOOTREPLY)
		return refuse(WIRE_BAD_OP, 0, -1);
	if (h->hlen > DHCP_CHADDR_LEN || (h->htype == ARPHRD_ETHER_TYPE && h->hlen != 6))
		return refuse(WIRE_BAD_HLEN, 2, -1);
	if (!type)
		return refuse(WIRE_NO_MSG_TYPE, DHCP_OPTIONS_OFF, DHCP_OPT_MSG_TYPE);
	if (len != 1 || type[0] < 1 || type[0] > DHCP_MSG_TYPE_MAX)
		return refuse(WIRE_BAD_MSG_TYPE, DHCP_OPTIONS_OFF, DHCP_OPT_MSG_TYPE);
	return refuse(WIRE_OK, 0, -1);
}

/* Then the first option in emission order the parser would not take
 * whole, at the offset where it would start. */
static struct verdict expected_build(const struct model *m)
{
	struct verdict v = message_verdict(&m->out);
	bool seen[256] = { false };
	size_t idx[DHCP_OUT_MAX_OPTS], n, at = DHCP_OPTIONS_OFF;

	if (v.reason != WIRE_OK)
		return v;
	n = expected_order(m, idx);
	for (size_t i = 0; i < n; i++) {
		const struct dhcp_opt_out *o = &m->out.opts[idx[i]];
		enum wire_reason r = value_rule(o->code, m->out.pool + o->pool_off, o->len);
		if (o->code == DHCP_OPT_PAD || o->code == DHCP_OPT_END)
			r = WIRE_BAD_CODE;
		else if (seen[o->code])
			r = WIRE_DUPLICATE;
		if (r != WIRE_OK)
			return refuse(r, at, o->code);
		seen[o->code] = true;
		at += 2 * instances(o->len) + o->len;
	}
	return v;
}

static void check_header(const struct dhcp_msg *msg, const struct dhcp_out *out)
{
	const struct dhcp_header *a = &msg->hdr, *b = &out->hdr;

	if (a->op != b->op || a->htype != b->htype || a->hlen != b->hlen || a->hops != b->hops ||
	    a->xid != b->xid || a->secs != b->secs || a->flags != b->flags ||
	    a->ciaddr != b->ciaddr || a->yiaddr != b->yiaddr || a->siaddr != b->siaddr ||
	    a->giaddr != b->giaddr || memcmp(a->chaddr, b->chaddr, DHCP_CHADDR_LEN) != 0 ||
	    memcmp(msg->sname, out->sname, DHCP_SNAME_LEN) != 0 ||
	    memcmp(msg->file, out->file, DHCP_FILE_LEN) != 0)
		abort();
}

/* Every option as built, none dropped, in emission order. */
static void check_options(const struct dhcp_msg *msg, const struct model *m)
{
	size_t idx[DHCP_OUT_MAX_OPTS], n = expected_order(m, idx), type_len;
	const uint8_t *type = dhcp_out_get(&m->out, DHCP_OPT_MSG_TYPE, &type_len);

	if (msg->n_order != n || msg->missing_end || msg->overload != 0 ||
	    msg->n_dropped != 0 || msg->type != type[0])
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct dhcp_opt_out *o = &m->out.opts[idx[i]];
		const struct dhcp_opt_ref *ref = &msg->opt[o->code];

		if (msg->order[i] != o->code || !dhcp_has(msg, o->code) ||
		    ref->instances != instances(o->len) || ref->len != o->len)
			abort();
		if (o->len > 0 && memcmp(ref->data, m->out.pool + o->pool_off, o->len) != 0)
			abort();
	}
}

/* What the builder let out parses, whole. */
static void check_parse(const uint8_t *buf, size_t len, const struct model *m)
{
	static struct dhcp_msg msg;
	uint8_t *scratch = malloc(len);
	struct wire_error err;

	if (dhcp_parse(buf, len, scratch, len, &msg, &err) != WIRE_OK)
		abort();
	check_header(&msg, &m->out);
	check_options(&msg, m);
	free(scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct input in = { data, size, 0 };
	struct wire_error err;
	struct verdict v;
	uint8_t *buf, *other;
	size_t want, len, other_len, cap;
	enum wire_reason r;

	decode(&in, &m);
	v = expected_build(&m);
	want = expected_len(&m.out);

	/* Room for everything: only a rule can refuse, exactly as predicted. */
	r = build_into(&m, want, &buf, &len, &err);
	if (r != v.reason || err.offset != v.offset || err.option != v.option)
		abort();
	if (r != WIRE_OK) {
		free(buf);
		return 0;
	}
	if (len != want)
		abort();
	check_parse(buf, len, &m);

	r = build_into(&m, want - 1, &other, &other_len, &err);
	if (r != WIRE_NO_ROOM)
		abort();
	free(other);

	cap = m.other_cap % (want + 64u);
	r = build_into(&m, cap, &other, &other_len, &err);
	if ((r == WIRE_NO_ROOM) != (cap < want))
		abort();
	if (r == WIRE_OK && (other_len != want || memcmp(other, buf, want) != 0))
		abort();
	free(other);
	free(buf);
	return 0;
}
