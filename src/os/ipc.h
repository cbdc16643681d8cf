/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Framing for the channels between the roles: AF_UNIX SOCK_SEQPACKET, one
 * record per message, each a fixed header then a body. The framing checks
 * what any message must satisfy (whole record, declared length equals the
 * received length, sequence numbers strictly in order); the catalogue
 * (src/lessee/ipc_msg.h) checks each type's exact size and fields.
 */
#ifndef LESSEE_OS_IPC_H
#define LESSEE_OS_IPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ipc_hdr {
	uint16_t type;
	uint16_t reserved;   /* must be 0 */
	uint32_t len;        /* body bytes */
	uint32_t seq;        /* per direction, from 1, +1 per message */
};

struct ipc_chan {
	int fd;
	uint32_t tx_seq;
	uint32_t rx_seq;
	const char *peer;    /* for log lines: "engine", "net", ... */
};

void ipc_chan_init(struct ipc_chan *ch, int fd, const char *peer);

/* A connected SOCK_SEQPACKET pair, close-on-exec. */
int ipc_pair(int fds[2]);

/* Send one message; -errno on failure (-EMSGSIZE when the body is too big). */
int ipc_send(struct ipc_chan *ch, uint16_t type, const void *body, size_t len);

/*
 * Receive one message into buf (cap bytes, header included). Returns the
 * body length (>= 0) with *hdr filled and *body pointing into buf, 0 with
 * *hdr->type == 0 at EOF (the peer is gone, also when it closed with our
 * records unread), or -errno: -EBADMSG for a record that breaks the framing
 * (short, truncated, wrong length, reserved bits, out-of-sequence) — the
 * caller must then exit.
 */
ssize_t ipc_recv(struct ipc_chan *ch, void *buf, size_t cap, struct ipc_hdr *hdr,
		 const void **body);

/*
 * The framing checks alone, on one record of n bytes as it was received
 * whole (no socket: ipc_recv calls it on every record, the fuzz harnesses
 * on theirs): a whole header, type not 0, reserved 0, the declared length
 * equal to the bytes after the header, and sequence number expected_seq.
 * Returns the body length with *hdr filled and *body pointing into buf,
 * or -EBADMSG (*body NULL; *hdr holds the header when there was one).
 */
ssize_t ipc_frame_check(const void *buf, size_t n, uint32_t expected_seq, struct ipc_hdr *hdr,
			const void **body);

#endif
