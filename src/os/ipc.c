/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "os/ipc.h"

void ipc_chan_init(struct ipc_chan *ch, int fd, const char *peer)
{
	ch->fd = fd;
	ch->tx_seq = 0;
	ch->rx_seq = 0;
	ch->peer = peer;
}

int ipc_pair(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
		return -errno;
	return 0;
}

int ipc_send(struct ipc_chan *ch, uint16_t type, const void *body, size_t len)
{
	struct ipc_hdr h = { type, 0, (uint32_t)len, ch->tx_seq + 1 };
	struct iovec iov[2] = {
		{ &h, sizeof(h) },
		{ (void *)(uintptr_t)body, len },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	ssize_t n;

	if (len > UINT32_MAX - sizeof(h))
		return -EMSGSIZE;
	do {
		n = sendmsg(ch->fd, &m, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* SEQPACKET sends a record whole or not at all. */
	if ((size_t)n != sizeof(h) + len)
		return -EIO;
	ch->tx_seq++;
	return 0;
}

ssize_t ipc_frame_check(const void *buf, size_t n, uint32_t expected_seq, struct ipc_hdr *hdr,
			const void **body)
{
	memset(hdr, 0, sizeof(*hdr));
	*body = NULL;
	if (n < sizeof(*hdr))
		return -EBADMSG;
	/* Copy out: the record gives no alignment guarantee. */
	memcpy(hdr, buf, sizeof(*hdr));
	if (hdr->type == 0 || hdr->reserved != 0 || hdr->len != n - sizeof(*hdr) ||
	    hdr->seq != expected_seq)
		return -EBADMSG;
	*body = (const uint8_t *)buf + sizeof(*hdr);
	return (ssize_t)hdr->len;
}

ssize_t ipc_recv(struct ipc_chan *ch, void *buf, size_t cap, struct ipc_hdr *hdr,
		 const void **body)
{
	ssize_t n;

	memset(hdr, 0, sizeof(*hdr));
	*body = NULL;
	/*
	 * ECONNRESET: the peer closed with records of ours unread. The kernel
	 * reports that once, before the records the peer sent us earlier; read
	 * on, so those are still delivered, then the end of the channel.
	 */
	for (int resets = 0;;) {
		/* MSG_TRUNC: the real record length, so an oversized one is caught. */
		n = recv(ch->fd, buf, cap, MSG_TRUNC);
		if (n >= 0)
			break;
		if (errno == EINTR || (errno == ECONNRESET && resets++ == 0))
			continue;
		return -errno;
	}
	if (n == 0)
		return 0;
	/* Cut by the kernel: the rest of the record is lost, never read. */
	if ((size_t)n > cap)
		return -EBADMSG;
	n = ipc_frame_check(buf, (size_t)n, ch->rx_seq + 1, hdr, body);
	if (n >= 0)
		ch->rx_seq++;
	return n;
}
