/* SPDX-License-Identifier: BSD-2-Clause */
/* The engine role's receive side for the fuzz harness; see ipc_world.h. */
#include "ipc_world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/ipc.h"
#include "wire/dhcp.h"
#include "wire/frame.h"

#define W_SEED  0x1e55ee5eedull   /* the engine takes getrandom's */
#define W_START 1000000u          /* ms on the virtual monotonic clock */

const uint8_t w_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
const uint8_t w_server_mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* role_engine.c: peer_of[] */
static const enum ipc_peer peer_of[W_CHAN_COUNT] = {
	IPC_PEER_SUPERVISOR, IPC_PEER_NET, IPC_PEER_APPLY,
};

/* Static: about 66 KiB (role_engine.c keeps it static too). */
static struct client_actions actions;

const struct lessee_opts *w_opts(void)
{
	static struct lessee_opts opts;
	static bool done;
	/* The engine's command line: defaults (ACD fast, client id from the
	 * MAC) and a host name, so option 12 is in what it sends. */
	static char *const argv[] = {
		"lessee", "--role", "engine", "-d", "--hostname", "fuzz-host", "eth0", NULL,
	};
	char err[256];

	if (!done) {
		if (cli_parse(7, argv, &opts, err, sizeof(err)) != 0) {
			fprintf(stderr, "ipc_world: %s\n", err);
			abort();
		}
		done = true;
	}
	return &opts;
}

static bool refuse(struct world *w, const char *why)
{
	w->refused = why;
	return false;
}

/* ---- role_engine.c, receive side ------------------------------------------ */

static void run_actions(struct world *w)
{
	if (w->sink)
		w->sink(w, &actions);
}

static void handle_event(struct world *w, const struct client_event *ev)
{
	client_handle(&w->client, ev, w->now, &actions);
	run_actions(w);
}

static void on_user(struct world *w, const struct ipc_user *u)
{
	struct client_event ev = ipc_user_event(u);

	if (!w->started) {
		w->pending = *u;
		w->pending_user = true;
		return;
	}
	handle_event(w, &ev);
}

static bool start_client(struct world *w)
{
	struct client_config cfg;

	cli_client_config(w_opts(), w->link.mac, &cfg);
	if (client_init(&w->client, &cfg, w->stored.present ? &w->stored.lease : NULL,
			W_SEED) != 0)
		return refuse(w, "the client configuration was refused");
	w->started = true;
	client_start(&w->client, w->now, &actions);
	run_actions(w);
	if (!w->link.up) {
		struct client_event ev = { .type = CLIENT_EV_LINK_DOWN };
		handle_event(w, &ev);
	}
	if (w->pending_user)
		on_user(w, &w->pending);
	return true;
}

/* An exact-size copy, so ASan flags a parser reading one byte past the
 * frame (in the role the frame sits in a larger buffer). */
static uint8_t *exact_copy(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (!c)
		abort();
	memcpy(c, p, n);
	return c;
}

static void on_dhcp_frame(struct world *w, const struct ipc_frame *f)
{
	uint8_t *data = exact_copy(f->data, f->len);
	struct udp_view udp;
	struct wire_error err;

	if (frame_parse_udp(data, f->len, f->csum_not_ready, &udp, &err) != WIRE_OK) {
		char why[160];

		wire_error_format(&err, why, sizeof(why));
		client_frame_dropped(&w->client, why, w->now, &actions);
		run_actions(w);
	} else if (udp.port_dst == DHCP_CLIENT_PORT && udp.port_src == DHCP_SERVER_PORT) {
		client_receive(&w->client, udp.payload, udp.payload_len, w->now, &actions);
		run_actions(w);
	}
	free(data);
}

/* RFC 5227 2.1.1: any ARP whose sender IP is the address, or a probe for it. */
static void on_arp_frame(struct world *w, const struct ipc_frame *f)
{
	uint8_t *data = exact_copy(f->data, f->len);
	struct arp_view arp;
	struct wire_error err;
	struct client_event ev = { .type = CLIENT_EV_ACD_CONFLICT };

	if (frame_parse_arp(data, f->len, &arp, &err) == WIRE_OK) {
		ev.u.acd.addr = arp.spa ? arp.spa : arp.tpa;
		memcpy(ev.u.acd.mac, arp.sha, sizeof(ev.u.acd.mac));
		handle_event(w, &ev);
	}
	free(data);
}

static bool on_link(struct world *w, const struct ipc_link *l)
{
	bool was_up = w->link.up;

	w->link = *l;
	if (!w->have_link) {
		w->have_link = true;
		return true;
	}
	if (memcmp(l->mac, w->client.cfg.mac, sizeof(l->mac)) != 0 && w->started)
		return refuse(w, "the interface's MAC address changed under us");
	if (w->started && was_up != (bool)l->up) {
		struct client_event ev = { .type = l->up ? CLIENT_EV_LINK_UP : CLIENT_EV_LINK_DOWN };
		handle_event(w, &ev);
	}
	return true;
}

static bool dispatch(struct world *w, uint16_t type, const union ipc_body *b)
{
	switch ((enum ipc_type)type) {
	case IPC_CTL_USER:
		on_user(w, &b->user);
		break;
	case IPC_NET_FRAME:
		if (w->started)
			on_dhcp_frame(w, &b->frame);
		break;
	case IPC_NET_ARP_FRAME:
		if (w->started)
			on_arp_frame(w, &b->frame);
		break;
	case IPC_NET_LINK:
		if (!on_link(w, &b->link))
			return false;
		break;
	case IPC_APPLY_STORED:
		if (w->have_stored)
			return refuse(w, "apply sent a second stored lease");
		w->stored = b->stored;
		w->have_stored = true;
		break;
	case IPC_APPLY_RESULT:
		/* A status line to the supervisor; a refusal also goes to the
		 * client (role_engine.c, on_apply_result). */
		if (!b->result.applied && w->started) {
			struct client_event ev = { .type = CLIENT_EV_LEASE_REFUSED,
						   .u.refused = b->result.address };
			handle_event(w, &ev);
		}
		break;
	case IPC_APPLY_MAC:
		/* on_apply_mac: the world runs without --random-mac. */
		return refuse(w, "apply set a MAC without --random-mac");
	case IPC_APPLY_SWITCH_MAC:
	case IPC_CTL_STATUS:
	case IPC_NET_SEND_DHCP:
	case IPC_NET_SEND_ARP:
	case IPC_APPLY_CONFIGURE:
	case IPC_APPLY_DECONFIGURE:
	case IPC_APPLY_PERSIST:
	case IPC_APPLY_DROP:
	case IPC_TYPE_COUNT:
		fprintf(stderr, "ipc_world: the catalogue let %s through to the engine\n",
			ipc_type_name(type));
		abort();   /* role_engine.c: log_fatal("internal: ...") */
	}
	if (!w->started && w->have_link && w->have_stored)
		return start_client(w);
	return true;
}

bool w_feed(struct world *w, enum w_chan chan, const uint8_t *rec, size_t n)
{
	static union ipc_body body;
	struct ipc_hdr hdr;
	const void *raw;
	ssize_t len;
	const char *bad;

	if (n == 0)
		return refuse(w, "the peer closed its channel");   /* recv's 0 */
	if (n > IPC_BUF_MAX)
		return refuse(w, "record cut by recv (MSG_TRUNC)");
	len = ipc_frame_check(rec, n, w->rx_seq[chan] + 1, &hdr, &raw);
	if (len < 0)
		return refuse(w, "bad framing");
	w->rx_seq[chan]++;
	bad = ipc_msg_check(peer_of[chan], IPC_PEER_ENGINE, hdr.type, raw, (size_t)len);
	if (bad)
		return refuse(w, bad);
	memcpy(&body, raw, (size_t)len);
	return dispatch(w, hdr.type, &body);
}

/* ---- role_engine.c, send side ---------------------------------------------- */

static void lease_event(const struct client_action *a, union ipc_body *b)
{
	memset(&b->lease, 0, sizeof(b->lease));
	b->lease.lease = a->u.configure.lease;
	b->lease.reason = (uint8_t)a->u.configure.reason;
	b->lease.anonymous = w_opts()->anonymous;
}

static void arp_request(enum ipc_arp_kind kind, const struct client_action *a,
			union ipc_body *b)
{
	memset(&b->arp, 0, sizeof(b->arp));
	b->arp.kind = (uint8_t)kind;
	b->arp.address = a->u.acd.addr;
}

bool w_action_message(const struct client_action *a, enum ipc_peer *to, uint16_t *type,
		      union ipc_body *b, size_t *len)
{
	*to = IPC_PEER_APPLY;
	switch (a->type) {
	case CLIENT_ACT_SEND:
		*to = IPC_PEER_NET;
		*type = IPC_NET_SEND_DHCP;
		*len = sizeof(b->send);
		memcpy(&b->send, &a->u.send, sizeof(b->send));
		return true;
	case CLIENT_ACT_ACD_PROBE:
	case CLIENT_ACT_ACD_ANNOUNCE:
		*to = IPC_PEER_NET;
		*type = IPC_NET_SEND_ARP;
		*len = sizeof(b->arp);
		arp_request(a->type == CLIENT_ACT_ACD_PROBE ? IPC_ARP_PROBE : IPC_ARP_ANNOUNCE, a, b);
		return true;
	case CLIENT_ACT_CONFIGURE:
	case CLIENT_ACT_PERSIST_LEASE:
		*type = a->type == CLIENT_ACT_CONFIGURE ? IPC_APPLY_CONFIGURE : IPC_APPLY_PERSIST;
		*len = sizeof(b->lease);
		lease_event(a, b);
		return true;
	case CLIENT_ACT_DECONFIGURE:
		*type = IPC_APPLY_DECONFIGURE;
		*len = sizeof(b->deconf);
		memset(&b->deconf, 0, sizeof(b->deconf));
		b->deconf.address = a->u.deconfigure.address;
		b->deconf.reason = (uint8_t)a->u.deconfigure.reason;
		b->deconf.keep = a->u.deconfigure.reason == CLIENT_HOOK_STOP && w_opts()->keep;
		return true;
	case CLIENT_ACT_DROP_LEASE:
		*type = IPC_APPLY_DROP;
		*len = 0;
		return true;
	case CLIENT_ACT_SET_TIMER:
	case CLIENT_ACT_LOG:
	case CLIENT_ACT_STOPPED:
		break;
	}
	return false;
}

/* ---- records and frames ---------------------------------------------------- */

size_t w_record(uint8_t *buf, size_t cap, uint16_t type, uint32_t seq, const void *body,
		size_t len)
{
	struct ipc_hdr h = { type, 0, (uint32_t)len, seq };

	if (cap < sizeof(h) || len > cap - sizeof(h))
		return 0;
	memcpy(buf, &h, sizeof(h));
	if (len > 0)
		memcpy(buf + sizeof(h), body, len);
	return sizeof(h) + len;
}

size_t w_next_record(const struct world *w, enum w_chan chan, uint8_t *buf, size_t cap,
		     uint16_t type, const void *body, size_t len)
{
	return w_record(buf, cap, type, w->rx_seq[chan] + 1, body, len);
}

static void reply_options(struct dhcp_out *o)
{
	dhcp_out_add_ip(o, DHCP_OPT_SERVER_ID, W_SERVER);
	dhcp_out_add_u32(o, DHCP_OPT_LEASE_TIME, 600);
	dhcp_out_add_ip(o, DHCP_OPT_SUBNET_MASK, W_IP4(255, 255, 255, 0));
	dhcp_out_add_ip(o, DHCP_OPT_ROUTER, W_SERVER);
	dhcp_out_add_ip(o, DHCP_OPT_DNS, W_IP4(192, 0, 2, 53));
	dhcp_out_add(o, DHCP_OPT_DOMAIN_NAME, "example.com", 11);
}

void w_reply(const struct world *w, uint8_t msg_type, bool csum_not_ready, struct ipc_frame *f)
{
	static struct dhcp_out o;
	static uint8_t payload[1500];
	struct dhcp_header h;
	struct udp_frame_spec spec = {
		.ip_src = W_SERVER, .ip_dst = 0xffffffffu,
		.port_src = DHCP_SERVER_PORT, .port_dst = DHCP_CLIENT_PORT, .ttl = 64,
	};
	struct wire_error err;
	size_t plen, flen;

	memset(&h, 0, sizeof(h));
	h.op = BOOTREPLY;
	h.htype = 1;
	h.hlen = 6;
	h.xid = w->client.xid;
	h.yiaddr = msg_type == DHCPNAK ? 0 : W_ADDRESS;
	memcpy(h.chaddr, w_mac, 6);
	dhcp_out_init(&o, &h, msg_type);
	if (msg_type == DHCPNAK)
		dhcp_out_add_ip(&o, DHCP_OPT_SERVER_ID, W_SERVER);
	else
		reply_options(&o);
	memcpy(spec.eth_dst, bcast, 6);
	memcpy(spec.eth_src, w_server_mac, 6);
	memset(f, 0, sizeof(*f));
	if (dhcp_build(&o, NULL, 0, payload, sizeof(payload), &plen, &err) != WIRE_OK ||
	    frame_build_udp(&spec, payload, plen, f->data, sizeof(f->data), &flen) != WIRE_OK)
		abort();
	f->len = (uint16_t)flen;
	f->csum_not_ready = csum_not_ready;
}

void w_arp(uint16_t op, uint32_t spa, uint32_t tpa, struct ipc_frame *f)
{
	struct arp_view a;
	size_t flen;

	memset(&a, 0, sizeof(a));
	memcpy(a.eth_dst, bcast, 6);
	memcpy(a.eth_src, w_server_mac, 6);
	memcpy(a.sha, w_server_mac, 6);
	a.op = op;
	a.spa = spa;
	a.tpa = tpa;
	memset(f, 0, sizeof(*f));
	if (frame_build_arp(&a, f->data, sizeof(f->data), &flen) != WIRE_OK)
		abort();
	f->len = (uint16_t)flen;
}

void w_stored_lease(struct client_lease *l)
{
	uint64_t t0 = W_START - 60000u;   /* got a minute before the start */

	memset(l, 0, sizeof(*l));
	l->address = W_ADDRESS;
	l->prefix = 24;
	l->prefix_from_server = true;
	l->broadcast = W_IP4(192, 0, 2, 255);
	l->server_id = W_SERVER;
	l->n_routers = 1;
	l->routers[0] = W_SERVER;
	l->n_dns = 1;
	l->dns[0] = W_IP4(192, 0, 2, 53);
	strcpy(l->domain_name, "example.com");
	l->lease_s = 600;
	l->t1_s = 300;
	l->t2_s = 525;
	l->obtained_at = t0;
	l->t1_at = t0 + 300000u;
	l->t2_at = t0 + 525000u;
	l->expires_at = t0 + 600000u;
	memcpy(l->mac, w_mac, 6);
}

/* ---- the fixed states -------------------------------------------------------- */

static void must(struct world *w, bool ok, const char *step)
{
	if (!ok || w->refused) {
		fprintf(stderr, "ipc_world: building a state: %s: %s\n", step,
			w->refused ? w->refused : "failed");
		abort();
	}
}

static void feed_body(struct world *w, enum w_chan chan, uint16_t type, const void *body,
		      size_t len)
{
	static uint8_t rec[IPC_BUF_MAX];
	size_t n = w_next_record(w, chan, rec, sizeof(rec), type, body, len);

	must(w, n > 0 && w_feed(w, chan, rec, n), ipc_type_name(type));
}

static void feed_link(struct world *w, bool up)
{
	struct ipc_link l;

	memset(&l, 0, sizeof(l));
	l.up = up;
	memcpy(l.mac, w_mac, 6);
	feed_body(w, W_NET, IPC_NET_LINK, &l, sizeof(l));
}

static void feed_stored(struct world *w, bool present)
{
	static struct ipc_stored st;

	memset(&st, 0, sizeof(st));
	st.present = present;
	if (present)
		w_stored_lease(&st.lease);
	feed_body(w, W_APPLY, IPC_APPLY_STORED, &st, sizeof(st));
}

static void feed_reply(struct world *w, uint8_t type)
{
	static struct ipc_frame f;

	w_reply(w, type, false, &f);
	feed_body(w, W_NET, IPC_NET_FRAME, &f, sizeof(f));
}

/* Timer events (role_engine.c: on_timer) until the client is in state. */
static void run_to(struct world *w, enum client_state state)
{
	struct client_event ev = { .type = CLIENT_EV_TIMER };

	for (int i = 0; i < 64 && client_state(&w->client) != state; i++) {
		must(w, client_deadline(&w->client) != CLIENT_NEVER, "a timer to wait for");
		if (client_deadline(&w->client) > w->now)
			w->now = client_deadline(&w->client);
		handle_event(w, &ev);
	}
	must(w, client_state(&w->client) == state, client_state_name(state));
}

void w_build(struct world *w, enum w_state s, w_sink sink)
{
	bool offered = s == W_REQUESTING || s == W_BOUND || s == W_RENEWING || s == W_LINK_DOWN;
	bool acked = s == W_BOUND || s == W_RENEWING || s == W_LINK_DOWN;

	memset(w, 0, sizeof(*w));
	w->now = W_START;
	w->sink = sink;
	if (s != W_WAIT_LINK)
		feed_link(w, true);
	if (s != W_WAIT_STORED)
		feed_stored(w, s == W_REBOOTING);
	if (s == W_WAIT_STORED || s == W_WAIT_LINK)
		return;
	run_to(w, s == W_REBOOTING ? CLIENT_REBOOTING : CLIENT_SELECTING);
	if (offered) {
		feed_reply(w, DHCPOFFER);
		run_to(w, CLIENT_REQUESTING);
	}
	if (acked) {
		feed_reply(w, DHCPACK);
		run_to(w, CLIENT_BOUND);
	}
	if (s == W_RENEWING)
		run_to(w, CLIENT_RENEWING);
	if (s == W_LINK_DOWN) {
		feed_link(w, false);
		run_to(w, CLIENT_LINK_DOWN);
	}
}
