/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The engine role's receive side (src/lessee/role_engine.c: on_channel,
 * dispatch and what each case does) without sockets, clock or randomness,
 * for fuzz_ipc_engine and the seed writer ipc_seeds. The role's functions
 * are static and carry out actions through sockets, so this is a copy of
 * their decisions, kept line for line in the same order; the decoders it
 * calls (ipc_frame_check, ipc_msg_check, frame_parse_udp, frame_parse_arp,
 * client_receive, client_handle, cli_client_config, client_init) are the
 * real ones.
 *
 * A world starts in one of a few fixed states, each reached from nothing
 * by feeding it records and timer events; the same calls always give the
 * same world (fixed PRNG seed, virtual clock).
 */
#ifndef LESSEE_FUZZ_IPC_WORLD_H
#define LESSEE_FUZZ_IPC_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "lessee/cli.h"
#include "lessee/ipc_msg.h"

#define W_IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define W_SERVER   W_IP4(192, 0, 2, 1)
#define W_ADDRESS  W_IP4(192, 0, 2, 100)

/* The engine's channels, as role_engine.c numbers them (TAG_CTL..). */
enum w_chan { W_CTL, W_NET, W_APPLY, W_CHAN_COUNT };

enum w_state {
	W_WAIT_STORED,   /* link known, no stored-lease message yet */
	W_WAIT_LINK,     /* no stored lease, no link message yet */
	W_SELECTING,     /* started, DISCOVER sent */
	W_REQUESTING,    /* OFFER taken, REQUEST sent */
	W_BOUND,         /* ACK, probes done */
	W_RENEWING,      /* T1 passed */
	W_REBOOTING,     /* started from a stored lease, REQUEST sent */
	W_LINK_DOWN,     /* bound, then carrier lost */
	W_STATE_COUNT
};

extern const uint8_t w_mac[6];          /* the interface's (net's link message) */
extern const uint8_t w_server_mac[6];

struct world;

/* Called with the actions of every client call, as run_actions gets them. */
typedef void (*w_sink)(struct world *w, const struct client_actions *out);

struct world {
	/* role_engine.c's struct engine, without the channels and fds */
	bool have_link;
	bool have_stored;
	bool started;
	bool pending_user;
	struct ipc_user pending;
	struct ipc_link link;
	struct ipc_stored stored;
	struct client client;
	/* the harness's side */
	uint32_t rx_seq[W_CHAN_COUNT];  /* records read per channel */
	uint64_t now;                   /* the virtual monotonic clock, ms */
	const char *refused;            /* why the engine would exit, or NULL */
	w_sink sink;
};

/* The options every world runs with: cli_parse of a fixed command line. */
const struct lessee_opts *w_opts(void);

/* Build world s from nothing; aborts if the state is not reached. */
void w_build(struct world *w, enum w_state s, w_sink sink);

/*
 * Read one record (header + body, n bytes, as recv returned it) on chan,
 * and do what the engine does with it. Returns false, with w->refused
 * saying why, when the engine would exit.
 */
bool w_feed(struct world *w, enum w_chan chan, const uint8_t *rec, size_t n);

/*
 * The message run_action (role_engine.c) sends for action a: to net
 * (SEND_DHCP, SEND_ARP) or apply (CONFIGURE, PERSIST, DECONFIGURE, DROP),
 * body and length filled. False for the others (timers, logs, status).
 */
bool w_action_message(const struct client_action *a, enum ipc_peer *to, uint16_t *type,
		      union ipc_body *b, size_t *len);

/* Encode one record; returns its length (0 when cap is too small). */
size_t w_record(uint8_t *buf, size_t cap, uint16_t type, uint32_t seq, const void *body,
		size_t len);

/* Encode the next record on chan of w (the sequence number it expects). */
size_t w_next_record(const struct world *w, enum w_chan chan, uint8_t *buf, size_t cap,
		     uint16_t type, const void *body, size_t len);

/*
 * A server's reply to the client's current exchange (its xid, offering
 * W_ADDRESS for 600 s with the usual options) as the frame net would pass
 * up: Ethernet + IPv4 + UDP 67 -> 68 with both checksums. csum_not_ready
 * is the flag sent along (the UDP checksum is right either way).
 */
void w_reply(const struct world *w, uint8_t msg_type, bool csum_not_ready, struct ipc_frame *f);

/* An ARP frame from another host: op, sender IP, target IP. */
void w_arp(uint16_t op, uint32_t spa, uint32_t tpa, struct ipc_frame *f);

/* A lease as apply stores it: W_ADDRESS/24, valid at the world's start. */
void w_stored_lease(struct client_lease *l);

#endif
