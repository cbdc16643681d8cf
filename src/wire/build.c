/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Building DHCP messages. Every append checks the room left and keeps one
 * byte for END; values are copied into the message's own pool when added, so
 * a built message never points at memory the caller may have reused.
 *
 * The builder is the last gate before the wire: it never writes a message
 * that dhcp_parse would refuse or from which it would drop an option. The
 * option rules are checked when an option is added and again when the
 * message is built, since a struct dhcp_out may be filled by other means
 * (the net role gets it over IPC from the engine, which faces the network).
 */
#include <string.h>

#include "cursor.h"
#include "dhcp.h"
#include "header.h"

/* An invalid msg_type is not added: dhcp_build then refuses the message. */
void dhcp_out_init(struct dhcp_out *out, const struct dhcp_header *hdr, uint8_t msg_type)
{
	out->hdr = *hdr;
	memset(out->sname, 0, sizeof(out->sname));
	memset(out->file, 0, sizeof(out->file));
	out->n_opts = 0;
	out->pool_used = 0;
	dhcp_out_add_u8(out, DHCP_OPT_MSG_TYPE, msg_type);
}

static const struct dhcp_opt_out *find_opt(const struct dhcp_out *out, uint8_t code)
{
	for (size_t i = 0; i < out->n_opts; i++)
		if (out->opts[i].code == code)
			return &out->opts[i];
	return NULL;
}

/*
 * An option's value against the rule the parser applies to it (unknown codes
 * take any bytes), so nothing built is dropped on the other side.
 */
static enum wire_reason value_rules(uint8_t code, const uint8_t *data, size_t len)
{
	size_t bad;

	/* RFC 2132 9.3: 52 says sname/file hold options. This builder never
	 * puts options there (they carry the caller's sname and file as they
	 * are), so a 52 would make the receiver read those bytes as options. */
	if (code == DHCP_OPT_OVERLOAD)
		return WIRE_BAD_OVERLOAD;
	return dhcp_opt_validate(code, data, len, &bad);
}

enum wire_reason dhcp_out_add(struct dhcp_out *out, uint8_t code, const void *data,
			      size_t len)
{
	struct dhcp_opt_out *o;
	enum wire_reason r;

	if (code == DHCP_OPT_PAD || code == DHCP_OPT_END)
		return WIRE_BAD_CODE;
	if (find_opt(out, code))
		return WIRE_DUPLICATE;
	if (out->n_opts >= DHCP_OUT_MAX_OPTS || len > sizeof(out->pool) - out->pool_used)
		return WIRE_NO_ROOM;
	r = value_rules(code, data, len);
	if (r != WIRE_OK)
		return r;
	o = &out->opts[out->n_opts++];
	o->code = code;
	o->len = (uint16_t)len;
	o->pool_off = out->pool_used;
	if (len > 0)
		memcpy(out->pool + out->pool_used, data, len);
	out->pool_used = (uint16_t)(out->pool_used + len);
	return WIRE_OK;
}

enum wire_reason dhcp_out_add_u8(struct dhcp_out *out, uint8_t code, uint8_t v)
{
	return dhcp_out_add(out, code, &v, 1);
}

enum wire_reason dhcp_out_add_u16(struct dhcp_out *out, uint8_t code, uint16_t v)
{
	uint8_t b[2];
	wire_store_be16(b, v);
	return dhcp_out_add(out, code, b, sizeof(b));
}

enum wire_reason dhcp_out_add_u32(struct dhcp_out *out, uint8_t code, uint32_t v)
{
	uint8_t b[4];
	wire_store_be32(b, v);
	return dhcp_out_add(out, code, b, sizeof(b));
}

enum wire_reason dhcp_out_add_ip(struct dhcp_out *out, uint8_t code, uint32_t addr)
{
	return dhcp_out_add_u32(out, code, addr);
}

const uint8_t *dhcp_out_get(const struct dhcp_out *out, uint8_t code, size_t *len)
{
	const struct dhcp_opt_out *o = find_opt(out, code);

	if (!o)
		return NULL;
	*len = o->len;
	return out->pool + o->pool_off;
}

/* ---- marshalling ------------------------------------------------------- */

struct writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
};

static void put(struct writer *w, const void *data, size_t n)
{
	memcpy(w->buf + w->len, data, n);
	w->len += n;
}

static void put_u8(struct writer *w, uint8_t v)
{
	w->buf[w->len++] = v;
}

static void put_be16(struct writer *w, uint16_t v)
{
	wire_store_be16(w->buf + w->len, v);
	w->len += 2;
}

static void put_be32(struct writer *w, uint32_t v)
{
	wire_store_be32(w->buf + w->len, v);
	w->len += 4;
}

/* RFC 2131 figure 1; the caller checked that 240 bytes fit. */
static void put_header(struct writer *w, const struct dhcp_out *out)
{
	const struct dhcp_header *h = &out->hdr;

	put_u8(w, h->op);
	put_u8(w, h->htype);
	put_u8(w, h->hlen);
	put_u8(w, h->hops);
	put_be32(w, h->xid);
	put_be16(w, h->secs);
	put_be16(w, h->flags);
	put_be32(w, h->ciaddr);
	put_be32(w, h->yiaddr);
	put_be32(w, h->siaddr);
	put_be32(w, h->giaddr);
	put(w, h->chaddr, sizeof(h->chaddr));
	put(w, out->sname, sizeof(out->sname));
	put(w, out->file, sizeof(out->file));
	put_be32(w, DHCP_COOKIE);
}

/* dhcp_out_add's rules again, for an out that may not have come through it;
 * seen collects the codes written so far (a bitmap). */
static enum wire_reason option_rules(const struct dhcp_out *out, const struct dhcp_opt_out *o,
				     uint8_t seen[32])
{
	uint8_t bit = (uint8_t)(1u << (o->code & 7));

	if (o->code == DHCP_OPT_PAD || o->code == DHCP_OPT_END)
		return WIRE_BAD_CODE;
	/* Two entries of one code would reach the parser as one value,
	 * concatenated (RFC 3396 7): neither value as given. */
	if (seen[o->code >> 3] & bit)
		return WIRE_DUPLICATE;
	seen[o->code >> 3] = (uint8_t)(seen[o->code >> 3] | bit);
	return value_rules(o->code, out->pool + o->pool_off, o->len);
}

/*
 * One option, split into instances of at most 255 bytes (RFC 3396 5); a
 * zero-length option is one instance. One byte always stays free for END.
 * A refusal names the offset where the option would have started.
 */
static enum wire_reason put_option(struct writer *w, const struct dhcp_out *out,
				   const struct dhcp_opt_out *o, uint8_t seen[32],
				   struct wire_error *err)
{
	const uint8_t *data = out->pool + o->pool_off;
	size_t left = o->len;
	enum wire_reason r = option_rules(out, o, seen);

	if (r != WIRE_OK) {
		wire_error_set(err, r, w->len, o->code);
		return r;
	}
	do {
		size_t chunk = left > 255 ? 255 : left;
		if (w->cap - w->len < 2 + chunk + 1) {
			wire_error_set(err, WIRE_NO_ROOM, w->len, o->code);
			return WIRE_NO_ROOM;
		}
		put_u8(w, o->code);
		put_u8(w, (uint8_t)chunk);
		put(w, data, chunk);
		data += chunk;
		left -= chunk;
	} while (left > 0);
	return WIRE_OK;
}

/*
 * The emission order as indices into out->opts: first the codes `order`
 * names (once each), then the rest by code.
 */
static size_t emission_order(const struct dhcp_out *out, const uint8_t *order,
			     size_t n_order, uint8_t idx[DHCP_OUT_MAX_OPTS])
{
	bool taken[DHCP_OUT_MAX_OPTS] = { false };
	size_t n = 0;

	for (size_t i = 0; order && i < n_order; i++) {
		for (size_t j = 0; j < out->n_opts; j++) {
			if (!taken[j] && out->opts[j].code == order[i]) {
				taken[j] = true;
				idx[n++] = (uint8_t)j;
			}
		}
	}
	size_t first_sorted = n;
	for (size_t j = 0; j < out->n_opts; j++) {
		if (taken[j])
			continue;
		/* insertion sort by code over at most 64 entries */
		size_t k = n++;
		while (k > first_sorted && out->opts[idx[k - 1]].code > out->opts[j].code) {
			idx[k] = idx[k - 1];
			k--;
		}
		idx[k] = (uint8_t)j;
	}
	return n;
}

/*
 * The bounds dhcp_out_add keeps: every value inside the pool's used part,
 * and no more value bytes than that part holds (values shared between
 * options could otherwise add up past what a UDP datagram carries).
 */
static bool shape_ok(const struct dhcp_out *out)
{
	size_t total = 0;

	if (out->n_opts > DHCP_OUT_MAX_OPTS || out->pool_used > DHCP_OUT_POOL)
		return false;
	for (size_t i = 0; i < out->n_opts; i++) {
		const struct dhcp_opt_out *o = &out->opts[i];
		if (o->pool_off > out->pool_used || o->len > out->pool_used - o->pool_off)
			return false;
		total += o->len;
	}
	return total <= out->pool_used;
}

/*
 * RFC 2131 tables 3 and 5, RFC 2132 9.6: every DHCP message carries option
 * 53, of a known type. The parser's two refusals, at the options field since
 * nothing of it is written yet (dhcp_out_init leaves out an invalid type).
 */
static enum wire_reason check_msg_type(const struct dhcp_out *out, struct wire_error *err)
{
	const struct dhcp_opt_out *o = find_opt(out, DHCP_OPT_MSG_TYPE);
	enum wire_reason r = WIRE_OK;

	if (!o)
		r = WIRE_NO_MSG_TYPE;
	else if (value_rules(o->code, out->pool + o->pool_off, o->len) != WIRE_OK)
		r = WIRE_BAD_MSG_TYPE;
	if (r != WIRE_OK)
		wire_error_set(err, r, DHCP_OPTIONS_OFF, DHCP_OPT_MSG_TYPE);
	return r;
}

/*
 * Everything decided before a byte is written: the buffer holds the BOOTP
 * minimum, the out is well formed, the header passes the parser's rules and
 * carries a valid message type.
 */
static enum wire_reason check_message(const struct dhcp_out *out, size_t cap,
				      struct wire_error *err)
{
	enum wire_reason r;

	/* RFC 1542 2.1: at least 300 bytes, so relays don't drop it. */
	if (cap < BOOTP_MIN_LEN) {
		wire_error_set(err, WIRE_NO_ROOM, 0, -1);
		return WIRE_NO_ROOM;
	}
	if (!shape_ok(out)) {
		wire_error_set(err, WIRE_BAD_ARGUMENT, 0, -1);
		return WIRE_BAD_ARGUMENT;
	}
	r = dhcp_header_check(&out->hdr, err);
	if (r != WIRE_OK)
		return r;
	return check_msg_type(out, err);
}

enum wire_reason dhcp_build(const struct dhcp_out *out, const uint8_t *order, size_t n_order,
			    uint8_t *buf, size_t cap, size_t *out_len, struct wire_error *err)
{
	struct writer w = { buf, cap, 0 };
	uint8_t idx[DHCP_OUT_MAX_OPTS], seen[32] = { 0 };
	enum wire_reason r;
	size_t n;

	wire_error_set(err, WIRE_OK, 0, -1);
	*out_len = 0;
	r = check_message(out, cap, err);
	if (r != WIRE_OK)
		return r;
	put_header(&w, out);
	n = emission_order(out, order, n_order, idx);
	for (size_t i = 0; i < n; i++) {
		r = put_option(&w, out, &out->opts[idx[i]], seen, err);
		if (r != WIRE_OK)
			return r;
	}
	put_u8(&w, DHCP_OPT_END);
	if (w.len < BOOTP_MIN_LEN) {
		memset(buf + w.len, 0, BOOTP_MIN_LEN - w.len);
		w.len = BOOTP_MIN_LEN;
	}
	*out_len = w.len;
	return WIRE_OK;
}
