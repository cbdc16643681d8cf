/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The engine role's side of its three channels: one record from the
 * supervisor, net or apply (header + body) as the engine reads it, taken
 * the way on_channel and dispatch in src/lessee/role_engine.c take it
 * (ipc_world.c, without sockets or clock):
 *
 *   ipc_frame_check (the framing ipc_recv applies, with the channel's next
 *   sequence number) -> ipc_msg_check(sender -> ENGINE) -> dispatch:
 *   frames through frame_parse_udp / frame_parse_arp into client_receive
 *   or an ACD conflict, link and stored-lease messages, user requests,
 *   apply's results; the client started as start_client does.
 *
 * Input:
 *   0      bits 0-1 the channel: 0 supervisor, 1 and 3 net, 2 apply;
 *          bits 2-4 the engine's state before the record (enum w_state:
 *          waiting for the stored lease or the link, SELECTING,
 *          REQUESTING, BOUND, RENEWING, REBOOTING from a stored lease,
 *          LINK-DOWN), rebuilt for every input
 *   1..    the record
 *
 * A refusal is fine (the engine exits). After every client call (abort
 * otherwise):
 *   - no action overflow, at most one SET_TIMER and it is the deadline,
 *     and client_check() holds;
 *   - every message the engine would send in return passes its receiver's
 *     checks: ipc_msg_check to net or apply; for a DHCP send ipc_check_send
 *     with the link's MAC and dhcp_build into net's buffer; for an ARP
 *     request ipc_check_arp. A message the receiver refuses would stop
 *     the daemon, so the engine must never produce one, whatever it read.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_world.h"
#include "wire/dhcp.h"
#include "wire/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const struct world *w, const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ipc_engine: invariant broken: %s%s%s (state %s, t=%llu)\n", what,
		detail ? ": " : "", detail ? detail : "", client_state_name(client_state(&w->client)),
		(unsigned long long)w->now);
	abort();
}

/* What net does with the request before it sends anything (role_net.c). */
static void check_send(const struct world *w, const struct client_send *s)
{
	static uint8_t payload[IPC_FRAME_MAX];
	struct wire_error err;
	size_t len;
	const char *bad = ipc_check_send(s, w->client.cfg.mac);

	if (bad)
		die(w, "net would refuse the engine's send", bad);
	if (dhcp_build(&s->msg, s->order, s->n_order, payload, sizeof(payload) - UDP_FRAME_OVERHEAD,
		       &len, &err) != WIRE_OK)
		die(w, "net would fail to build the engine's send", wire_reason_text(err.reason));
}

static void check_message(const struct world *w, const struct client_action *a)
{
	static union ipc_body b;
	struct arp_view arp;
	enum ipc_peer to;
	uint16_t type;
	size_t len;
	const char *bad;

	if (!w_action_message(a, &to, &type, &b, &len))
		return;
	bad = ipc_msg_check(IPC_PEER_ENGINE, to, type, &b, len);
	if (bad)
		die(w, "the engine's message would be refused", bad);
	if (type == IPC_NET_SEND_DHCP)
		check_send(w, &b.send);
	if (type == IPC_NET_SEND_ARP && (bad = ipc_check_arp(&b.arp, w->client.cfg.mac, &arp)))
		die(w, "net would refuse the engine's ARP request", bad);
}

/* The sink: every client call's actions, as run_actions gets them. */
static void check_actions(struct world *w, const struct client_actions *out)
{
	size_t timers = 0;
	const char *why;

	if (out->overflow || out->n > CLIENT_MAX_ACTIONS)
		die(w, "action overflow", NULL);
	for (size_t i = 0; i < out->n; i++) {
		const struct client_action *a = &out->a[i];

		if (a->type == CLIENT_ACT_SET_TIMER && (timers++ > 0 ||
		    a->u.deadline != client_deadline(&w->client)))
			die(w, "SET_TIMER twice or not the deadline", NULL);
		check_message(w, a);
	}
	why = client_check(&w->client, w->now);
	if (why)
		die(w, "client_check", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct world states[W_STATE_COUNT], w;
	static const enum w_chan chans[4] = { W_CTL, W_NET, W_APPLY, W_NET };
	static bool built;

	if (!built) {
		for (int s = 0; s < W_STATE_COUNT; s++)
			w_build(&states[s], (enum w_state)s, check_actions);
		built = true;
	}
	if (size < 1)
		return 0;
	/* A copy per input: every input starts from the same engine. */
	memcpy(&w, &states[(data[0] >> 2) % W_STATE_COUNT], sizeof(w));
	w_feed(&w, chans[data[0] & 3], data + 1, size - 1);
	return 0;
}
