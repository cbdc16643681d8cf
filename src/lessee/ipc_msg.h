/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC catalogue: every message the roles exchange, each with a
 * fixed-layout body. A receiver checks, in this order: the framing
 * (src/os/ipc.c), the direction (may this peer send this type at all), the
 * exact body size, then every field (ipc_msg_check). Anything unexpected
 * and the receiver exits: a role that dies cannot be exploited, and the
 * others notice the closed channel and stop the daemon.
 *
 *   supervisor <-> engine   IPC_CTL_*    user requests down, status up
 *   engine     <-> net      IPC_NET_*    typed send requests down, frames up
 *   engine     <-> apply    IPC_APPLY_*  typed lease events down, results up
 *
 * No message carries a pointer, a file descriptor or a free-form command.
 */
#ifndef LESSEE_IPC_MSG_H
#define LESSEE_IPC_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "os/ipc.h"
#include "wire/frame.h"

#define IPC_FRAME_MAX 2048u   /* a frame up from net; larger ones are dropped */
#define IPC_BUF_MAX   (sizeof(struct ipc_hdr) + sizeof(union ipc_body))

enum ipc_type {
	/* supervisor -> engine */
	IPC_CTL_USER = 1,       /* struct ipc_user */
	/* engine -> supervisor */
	IPC_CTL_STATUS,         /* struct ipc_status */
	/* engine -> net */
	IPC_NET_SEND_DHCP,      /* struct client_send */
	IPC_NET_SEND_ARP,       /* struct ipc_arp */
	/* net -> engine */
	IPC_NET_FRAME,          /* struct ipc_frame: DHCP (UDP to port 68) */
	IPC_NET_ARP_FRAME,      /* struct ipc_frame: ARP */
	IPC_NET_LINK,           /* struct ipc_link */
	/* engine -> apply */
	IPC_APPLY_CONFIGURE,    /* struct ipc_lease_event */
	IPC_APPLY_DECONFIGURE,  /* struct ipc_deconfigure */
	IPC_APPLY_PERSIST,      /* struct ipc_lease_event */
	IPC_APPLY_DROP,         /* no body */
	/* apply -> engine */
	IPC_APPLY_STORED,       /* struct ipc_stored: once, at start */
	IPC_APPLY_RESULT,       /* struct ipc_result: after each CONFIGURE */
	/* engine -> apply (--random-mac=stable: at most once per start) */
	IPC_APPLY_SWITCH_MAC,   /* struct ipc_fingerprint */
	/* apply -> engine (--random-mac: at start, and after a switch) */
	IPC_APPLY_MAC,          /* struct ipc_mac */
	IPC_TYPE_COUNT
};

enum ipc_user_request { IPC_USER_RENEW = 1, IPC_USER_RELEASE, IPC_USER_STOP };

struct ipc_user {
	uint8_t request;        /* enum ipc_user_request */
	uint8_t keep;           /* STOP: leave the configuration in place */
	uint8_t pad[2];
};

enum ipc_status_kind {
	IPC_STATUS_BOUND = 1,   /* a lease is applied (apply said so) */
	IPC_STATUS_LOST,        /* the lease is gone (expired, NAK, conflict) */
	IPC_STATUS_STOPPED,     /* the engine stopped: the daemon exits */
	IPC_STATUS_REFUSED,     /* apply refused the lease a server offered */
};

struct ipc_status {
	uint8_t kind;           /* enum ipc_status_kind */
	uint8_t pad[3];
	uint32_t address;
};

enum ipc_arp_kind { IPC_ARP_PROBE = 1, IPC_ARP_ANNOUNCE };

struct ipc_arp {
	uint8_t kind;           /* enum ipc_arp_kind */
	uint8_t pad[3];
	uint32_t address;
};

struct ipc_frame {
	uint16_t len;
	uint8_t csum_not_ready; /* PACKET_AUXDATA TP_STATUS_CSUMNOTREADY */
	uint8_t pad;
	uint8_t data[IPC_FRAME_MAX];
};

/* Sent by net at start (the interface's MAC and carrier) and on changes. */
struct ipc_link {
	uint8_t up;
	uint8_t pad;
	uint8_t mac[6];
};

struct ipc_lease_event {
	struct client_lease lease;
	uint8_t reason;         /* enum client_hook_reason */
	uint8_t anonymous;
	uint8_t pad[2];
};

struct ipc_deconfigure {
	uint32_t address;
	uint8_t reason;         /* enum client_hook_reason */
	uint8_t keep;           /* stop with --keep: leave it configured */
	uint8_t pad[2];
};

struct ipc_stored {
	uint8_t present;
	uint8_t pad[7];
	struct client_lease lease;  /* times on the engine's monotonic clock */
};

struct ipc_result {
	uint8_t applied;        /* 1 applied, 0 refused */
	uint8_t pad[3];
	uint32_t address;
};

/*
 * Which network a lease comes from (as the lease file stores it): the
 * server identifier and our subnet. The engine sends only this when it
 * wants the stable address of another network, never an address: apply
 * derives the address itself, so a fooled engine cannot pick one.
 */
struct ipc_fingerprint {
	uint32_t server_id;     /* a unicast address */
	uint32_t subnet;        /* no host bits */
	uint8_t prefix;         /* 1..32 */
	uint8_t pad[3];
};

/*
 * The address apply put on the link. The engine starts (or restarts) the
 * client only once net reports this address. With --random-mac=stable and
 * stable = 1 it was derived for `net`; stable = 0 (plain --random-mac, or
 * no network known yet) and `net` is all zero.
 */
struct ipc_mac {
	uint8_t mac[6];         /* locally administered unicast */
	uint8_t stable;
	uint8_t pad;
	struct ipc_fingerprint net;
};

union ipc_body {
	struct ipc_user user;
	struct ipc_status status;
	struct client_send send;
	struct ipc_arp arp;
	struct ipc_frame frame;
	struct ipc_link link;
	struct ipc_lease_event lease;
	struct ipc_deconfigure deconf;
	struct ipc_stored stored;
	struct ipc_result result;
	struct ipc_fingerprint fingerprint;
	struct ipc_mac mac;
};

/* Which role sends a type, which receives it. */
enum ipc_peer { IPC_PEER_SUPERVISOR, IPC_PEER_ENGINE, IPC_PEER_NET, IPC_PEER_APPLY };

const char *ipc_type_name(uint16_t type);

/*
 * Check one received message: that `from` may send `type` to `to`, the
 * exact size of the body, and every field of it. Returns NULL when it
 * passes, else a fixed string saying what is wrong (for the exit line).
 */
const char *ipc_msg_check(enum ipc_peer from, enum ipc_peer to, uint16_t type,
			  const void *body, size_t len);

/* A fingerprint's shape: unicast server, prefix 1..32, no host bits. */
const char *ipc_check_fingerprint(const struct ipc_fingerprint *fp);

/* The lease fields any receiver re-checks (counts, NUL-terminated names). */
const char *ipc_check_lease_shape(const struct client_lease *lease);

/* A client_send net may build: a client message from our own MAC. */
const char *ipc_check_send(const struct client_send *send, const uint8_t mac[6]);

/*
 * An ARP request net may send, and the frame for it: a probe or an
 * announcement (RFC 5227 2.1.1, 2.3) of a unicast address, from our own
 * MAC, broadcast. Returns NULL with *arp filled for frame_build_arp, else
 * why it is refused (*arp then untouched).
 */
/*
 * RFC 5227's order, kept by net itself so that a fooled engine cannot claim
 * another host's address (ARP spoofing of the gateway, say): an address is
 * announced (2.3) only after it was probed (2.1.1), and not once another
 * host has used it since the probe (2.1.1's conflict: an ARP from another
 * MAC with it as sender, or a probe of it from another MAC).
 */
struct arp_guard {
	uint32_t probed;       /* the address last probed, 0 = none */
	bool claimed;          /* another MAC used it since */
};

enum arp_guard_verdict { ARP_GUARD_OK, ARP_GUARD_NOT_PROBED, ARP_GUARD_CLAIMED };

void arp_guard_probe(struct arp_guard *g, uint32_t address);
/* An ARP frame net received (any bytes: parsed here with src/wire). */
void arp_guard_seen(struct arp_guard *g, const uint8_t *frame, size_t len, const uint8_t mac[6]);
enum arp_guard_verdict arp_guard_announce(const struct arp_guard *g, uint32_t address);

/* The client event a checked user request stands for (renew, release,
 * stop with or without keep). */
struct client_event ipc_user_event(const struct ipc_user *u);

const char *ipc_check_arp(const struct ipc_arp *req, const uint8_t mac[6],
			  struct arp_view *arp);

#endif
