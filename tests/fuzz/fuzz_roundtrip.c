/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * build -> parse round trip. The input is decoded into a struct dhcp_out:
 *
 *   0..43   op htype hlen hops xid(4) secs(2) flags(2) ciaddr yiaddr siaddr
 *           giaddr (4 each) chaddr(16)
 *   44      message type (option 53)
 *   45      bit 0: sname and file follow; bit 1: an emission order follows
 *   46..47  a second, arbitrary buffer size (big-endian)
 *   [64 + 128 bytes of sname and file]
 *   [n, then n codes: the order parameter of dhcp_build]
 *   then options until the input ends: code, length byte (255: two more
 *   bytes give a length up to the pool size), value (cut short at the end).
 *
 * dhcp_out_add must accept exactly the distinct, non-PAD/END codes that fit.
 * The message is built into a buffer whose end is the end of an exact-size
 * heap allocation, with room for exactly the expected length (so ASan sees a
 * write past cap), then one byte short and at the arbitrary size: NO_ROOM
 * exactly when it does not fit, else the same bytes. The output is parsed:
 * header, sname/file, type and option order as built; every option whose
 * value passes its rule present with the same bytes (values over 255 bytes
 * come back concatenated, RFC 3396), every other one dropped for the reason
 * dhcp_opt_validate gives. Any mismatch aborts.
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
	uint8_t msg_type;
	bool with_order;
	uint8_t order[256];
	size_t n_order;
	uint16_t other_cap;
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
		want = WIRE_OK;
	if (r != want || out->n_opts != before + (r == WIRE_OK))
		abort();
}

static void decode(struct input *in, struct model *m)
{
	struct dhcp_header h;
	uint8_t flags;

	take_header(in, &h);
	m->msg_type = take_u8(in);
	flags = take_u8(in);
	m->other_cap = take_be16(in);
	dhcp_out_init(&m->out, &h, m->msg_type);
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
	while (in->off < in->len) {
		uint8_t code = take_u8(in);
		size_t len = take_u8(in), got;
		if (len == 255)
			len = take_be16(in) % (DHCP_OUT_POOL + 1u);
		const uint8_t *val = take_bytes(in, len, &got);
		add_option(&m->out, code, val, got);
	}
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

/* The codes in emission order: named by `order` first, then by code. */
static size_t expected_order(const struct model *m, uint8_t *codes)
{
	bool present[256] = { false }, done[256] = { false };
	size_t n = 0;

	for (size_t i = 0; i < m->out.n_opts; i++)
		present[m->out.opts[i].code] = true;
	for (size_t i = 0; m->with_order && i < m->n_order; i++) {
		uint8_t c = m->order[i];
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

/* Build into an exact-size allocation of cap bytes. */
static enum wire_reason build_into(const struct model *m, size_t cap, uint8_t **buf,
				   size_t *len)
{
	struct wire_error err;
	enum wire_reason r;

	*buf = malloc(cap);
	if (!*buf && cap > 0)
		abort();
	r = dhcp_build(&m->out, m->with_order ? m->order : NULL, m->n_order, *buf, cap, len,
		       &err);
	if (r != err.reason || (r != WIRE_OK && *len != 0) || (r == WIRE_OK && *len > cap))
		abort();
	return r;
}

static uint8_t valid_overload(const struct dhcp_out *out)
{
	size_t len;
	const uint8_t *v = dhcp_out_get(out, DHCP_OPT_OVERLOAD, &len);

	return v && len == 1 && v[0] >= 1 && v[0] <= 3 ? v[0] : 0;
}

static enum wire_reason expected_parse(const struct model *m)
{
	const struct dhcp_header *h = &m->out.hdr;

	if (h->op != BOOTREQUEST && h->op != BOOTREPLY)
		return WIRE_BAD_OP;
	if (h->htype == ARPHRD_ETHER_TYPE && h->hlen != 6)
		return WIRE_BAD_HLEN;
	if (m->msg_type < 1 || m->msg_type > DHCP_MSG_TYPE_MAX)
		return WIRE_BAD_MSG_TYPE;
	return WIRE_OK;
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

static void check_options(const struct dhcp_msg *msg, const struct model *m)
{
	uint8_t codes[256];
	size_t n = expected_order(m, codes);

	if (msg->n_order != n || memcmp(msg->order, codes, n) != 0 || msg->missing_end ||
	    msg->overload != valid_overload(&m->out) || msg->type != m->msg_type)
		abort();
	for (size_t i = 0; i < m->out.n_opts; i++) {
		const struct dhcp_opt_out *o = &m->out.opts[i];
		const struct dhcp_opt_ref *ref = &msg->opt[o->code];
		const uint8_t *val = m->out.pool + o->pool_off;
		size_t bad;
		enum wire_reason v = dhcp_opt_validate(o->code, val, o->len, &bad);

		if (!dhcp_seen(msg, o->code) || ref->instances != instances(o->len) ||
		    ref->len != o->len || ref->status != v || dhcp_has(msg, o->code) != (v == WIRE_OK))
			abort();
		if (v == WIRE_OK && o->len > 0 && memcmp(ref->data, val, o->len) != 0)
			abort();
	}
}

static void check_parse(const uint8_t *buf, size_t len, const struct model *m)
{
	static struct dhcp_msg msg;
	uint8_t *scratch = malloc(len);
	struct wire_error err;
	enum wire_reason r = dhcp_parse(buf, len, scratch, len, &msg, &err);

	if (r != expected_parse(m))
		abort();
	if (r == WIRE_OK) {
		check_header(&msg, &m->out);
		check_options(&msg, m);
	}
	free(scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct input in = { data, size, 0 };
	uint8_t *buf, *other;
	size_t want, len, other_len, cap;
	enum wire_reason r;

	decode(&in, &m);
	/* With overload on, file/sname hold options: keep them all PAD. */
	if (valid_overload(&m.out)) {
		memset(m.out.sname, 0, sizeof(m.out.sname));
		memset(m.out.file, 0, sizeof(m.out.file));
	}
	want = expected_len(&m.out);

	r = build_into(&m, want, &buf, &len);
	if (m.out.hdr.hlen > DHCP_CHADDR_LEN) {
		if (r != WIRE_BAD_ARGUMENT)
			abort();
		free(buf);
		return 0;
	}
	if (r != WIRE_OK || len != want)
		abort();
	check_parse(buf, len, &m);

	r = build_into(&m, want - 1, &other, &other_len);
	if (r != WIRE_NO_ROOM)
		abort();
	free(other);

	cap = m.other_cap % (want + 64u);
	r = build_into(&m, cap, &other, &other_len);
	if ((r == WIRE_NO_ROOM) != (cap < want))
		abort();
	if (r == WIRE_OK && (other_len != want || memcmp(other, buf, want) != 0))
		abort();
	free(other);
	free(buf);
	return 0;
}
