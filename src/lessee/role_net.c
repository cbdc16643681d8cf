/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The net role: moves bytes between the link and the engine, and nothing
 * else. It holds the raw packet socket (BPF: IPv4/UDP to port 68 and ARP,
 * locked), the UDP socket on port 68 for unicast, and a netlink socket for
 * carrier events; it keeps CAP_NET_RAW only.
 *
 * It never parses DHCP. Up, it passes frames whole. Down, it accepts only
 * typed requests, checks them (a client message from our own MAC, to a
 * sane destination; an ARP probe or announcement from our MAC) and builds
 * the frame itself with src/wire, so a fooled engine cannot make it send
 * arbitrary bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <unistd.h>

#include "lessee/cli.h"
#include "lessee/ipc_msg.h"
#include "lessee/log.h"
#include "lessee/macaddr.h"
#include "lessee/roles.h"
#include "os/evloop.h"
#include "os/netlink.h"
#include "os/packet.h"
#include "os/privdrop.h"
#include "os/sandbox.h"
#include "wire/frame.h"

enum { TAG_ENGINE, TAG_PACKET, TAG_UDP, TAG_LINK };

struct net {
	const struct lessee_opts *opts;
	struct ipc_chan engine;
	struct if_info ifi;
	int packet_fd;
	int udp_fd;
	struct nl_conn events;
	struct nl_watch watch;
	bool up;
	uint64_t dropped_big;
	struct arp_guard guard;
};

static struct net net;
static uint8_t rx_buf[IPC_BUF_MAX];
static struct ipc_frame frame_out;
static uint8_t tx_buf[IPC_FRAME_MAX + 64];
static const uint8_t eth_broadcast[ETH_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void to_engine(uint16_t type, const void *body, size_t len)
{
	int r = ipc_send(&net.engine, type, body, len);
	if (r < 0)
		log_fatal("sending %s to the engine: %s", ipc_type_name(type), strerror(-r));
}

static void send_link(void)
{
	struct ipc_link l;

	memset(&l, 0, sizeof(l));
	l.up = net.up;
	memcpy(l.mac, net.ifi.mac, sizeof(l.mac));
	to_engine(IPC_NET_LINK, &l, sizeof(l));
}

static void on_carrier(void *arg, enum nl_carrier state)
{
	(void)arg;
	if (state == NL_LINK_GONE)
		log_fatal("interface %s was removed", net.ifi.name);
	net.up = state == NL_CARRIER_UP;
	log_msg(LOG_LVL_INFO, "carrier %s on %s", net.up ? "up" : "down", net.ifi.name);
	send_link();
}

/*
 * apply set a new address (--random-mac), or someone else did: from now on
 * frames go out from it, chaddr and ARP are checked against it, and the
 * engine, which decides whether it asked for this, is told.
 */
static void on_mac(void *arg, const uint8_t mac[6])
{
	char was[MACADDR_TEXT_LEN], now[MACADDR_TEXT_LEN];

	(void)arg;
	log_msg(LOG_LVL_DEBUG, "address of %s: %s -> %s", net.ifi.name,
		macaddr_format(net.ifi.mac, was), macaddr_format(mac, now));
	memcpy(net.ifi.mac, mac, sizeof(net.ifi.mac));
	send_link();
}

/* Only the EtherType is looked at, to label the frame for the engine; an
 * ARP frame also goes past the ARP guard (ipc_msg.h). */
static void on_packet(void)
{
	size_t len;
	bool csum_not_ready;
	int r = packet_recv(net.packet_fd, frame_out.data, sizeof(frame_out.data), &len,
			    &csum_not_ready);

	/* ENETDOWN: the link went down (apply setting a new address takes it
	 * down and up); packet(7) sockets resume when it is up again. */
	if (r == -EAGAIN || r == -EINTR || r == -ENETDOWN)
		return;
	if (r == -EMSGSIZE) {
		net.dropped_big++;
		return;
	}
	if (r < 0)
		log_fatal("packet socket: %s", strerror(-r));
	struct wire_cursor c = wc_init(frame_out.data, len);
	wc_bytes(&c, 2 * ETH_ADDR_LEN);
	uint16_t ethertype = wc_be16(&c);
	if (c.failed)
		return;
	if (ethertype == ETHERTYPE_ARP)
		arp_guard_seen(&net.guard, frame_out.data, len, net.ifi.mac);
	frame_out.len = (uint16_t)len;
	frame_out.csum_not_ready = csum_not_ready;
	to_engine(ethertype == ETHERTYPE_ARP ? IPC_NET_ARP_FRAME : IPC_NET_FRAME, &frame_out,
		  sizeof(frame_out));
}

/* Unicast replies arrive on the packet socket too; the UDP socket's copy
 * is read and dropped so its queue never fills. */
static void drain_udp(void)
{
	uint8_t sink[64];
	while (recv(net.udp_fd, sink, sizeof(sink), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
}

static void send_dhcp(const struct client_send *s)
{
	uint8_t payload[IPC_FRAME_MAX];
	struct wire_error err;
	size_t plen, flen;
	const char *bad = ipc_check_send(s, net.ifi.mac);

	if (bad)
		log_fatal("refused a send request from the engine: %s", bad);
	if (dhcp_build(&s->msg, s->order, s->n_order, payload, sizeof(payload) - UDP_FRAME_OVERHEAD,
		       &plen, &err) != WIRE_OK)
		log_fatal("refused a send request from the engine: %s",
			  wire_reason_text(err.reason));
	if (s->dest == CLIENT_DEST_UNICAST) {
		int r = udp_send(net.udp_fd, s->dst_ip, payload, plen);
		if (r < 0)
			log_msg(LOG_LVL_WARNING, "unicast send: %s", strerror(-r));
		return;
	}
	struct udp_frame_spec spec = {
		.ip_src = s->src_ip,
		.ip_dst = 0xffffffffu,
		.port_src = DHCP_CLIENT_PORT,
		.port_dst = DHCP_SERVER_PORT,
		.ttl = 64,
		.tos = 0,
	};
	memcpy(spec.eth_dst, eth_broadcast, ETH_ADDR_LEN);
	memcpy(spec.eth_src, net.ifi.mac, ETH_ADDR_LEN);
	if (frame_build_udp(&spec, payload, plen, tx_buf, sizeof(tx_buf), &flen) != WIRE_OK)
		log_fatal("internal: a DHCP frame did not fit");
	int r = packet_send(net.packet_fd, net.ifi.ifindex, tx_buf, flen);
	if (r < 0)
		log_msg(LOG_LVL_WARNING, "broadcast send: %s", strerror(-r));
}

/* The checks and the frame's fields are ipc_check_arp's (RFC 5227 2.1.1,
 * 2.3), shared with the fuzz harness. */
static void send_arp(const struct ipc_arp *req)
{
	struct arp_view arp;
	size_t flen;
	const char *bad = ipc_check_arp(req, net.ifi.mac, &arp);

	if (bad)
		log_fatal("refused an ARP request from the engine: %s", bad);
	if (req->kind == IPC_ARP_PROBE)
		arp_guard_probe(&net.guard, req->address);
	switch (req->kind == IPC_ARP_ANNOUNCE ? arp_guard_announce(&net.guard, req->address)
					      : ARP_GUARD_OK) {
	case ARP_GUARD_OK:
		break;
	case ARP_GUARD_NOT_PROBED:
		/* An honest engine announces only what it probed (client.c). */
		log_fatal("refused an ARP request from the engine: announcement of an "
			  "address it did not probe");
	case ARP_GUARD_CLAIMED:
		/* Possibly an honest engine defending (RFC 5227 2.4): drop it. */
		log_msg(LOG_LVL_WARNING, "ARP announcement dropped: another host uses "
			"the address");
		return;
	}
	if (frame_build_arp(&arp, tx_buf, sizeof(tx_buf), &flen) != WIRE_OK)
		log_fatal("internal: an ARP frame did not fit");
	int r = packet_send(net.packet_fd, net.ifi.ifindex, tx_buf, flen);
	if (r < 0)
		log_msg(LOG_LVL_WARNING, "ARP send: %s", strerror(-r));
}

static void on_engine(void)
{
	static union ipc_body body;
	struct ipc_hdr hdr;
	const void *raw;
	ssize_t n = ipc_recv(&net.engine, rx_buf, sizeof(rx_buf), &hdr, &raw);
	const char *bad;

	if (n == 0 && hdr.type == 0)
		exit(0); /* the engine is gone: the daemon is stopping */
	if (n < 0)
		log_fatal("bad message from the engine: %s", strerror((int)-n));
	bad = ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_NET, hdr.type, raw, (size_t)n);
	if (bad)
		log_fatal("refused %s from the engine: %s", ipc_type_name(hdr.type), bad);
	memcpy(&body, raw, (size_t)n);
	if (hdr.type == IPC_NET_SEND_DHCP)
		send_dhcp(&body.send);
	else
		send_arp(&body.arp);
}

static void on_link_events(void)
{
	int r = nl_watch_read(&net.events, &net.watch, on_carrier, NULL);
	if (r == -ENOBUFS) {
		/* Events were lost: the next carrier change resynchronises. */
		log_msg(LOG_LVL_WARNING, "link events lost; carrier state may lag");
		return;
	}
	if (r < 0 && r != -EAGAIN)
		log_fatal("link events: %s", strerror(-r));
}

/* Open everything while still root; nothing is opened after the drop. */
static void open_sockets(void)
{
	struct nl_conn req;
	struct nl_link link;
	int r;

	if ((r = if_info_get(net.opts->ifname, &net.ifi)) < 0)
		log_fatal("interface %s: %s", net.opts->ifname, strerror(-r));
	if ((net.packet_fd = packet_open(net.ifi.ifindex)) < 0)
		log_fatal("packet socket on %s: %s", net.ifi.name, strerror(-net.packet_fd));
	if ((net.udp_fd = udp_client_open(net.ifi.name)) < 0)
		log_fatal("UDP socket on port 68: %s", strerror(-net.udp_fd));
	if ((r = nl_open(&net.events, RTMGRP_LINK)) < 0)
		log_fatal("netlink: %s", strerror(-r));
	if ((r = nl_open(&req, 0)) < 0 || (r = nl_link_get(&req, net.ifi.ifindex, &link)) < 0)
		log_fatal("reading link %s: %s", net.ifi.name, strerror(-r));
	nl_close(&req);
	nl_watch_init(&net.watch, &link);
	net.watch.on_mac = on_mac;
	/* Read after subscribing to events: a change between the two (apply
	 * starts at the same time) is in the link or among the events. */
	if (link.mac_len == sizeof(net.ifi.mac))
		memcpy(net.ifi.mac, link.mac, sizeof(net.ifi.mac));
	net.up = nl_flags_carrier(link.flags);
}

int role_net_main(const struct lessee_opts *opts)
{
	const char *why = NULL;
	int epfd;

	net.opts = opts;
	log_init("net", !opts->foreground && !opts->once && !opts->oneshot, opts->quiet,
		 opts->verbose);
	ipc_chan_init(&net.engine, ROLE_FD_FIRST, "engine");
	open_sockets();
	if (privdrop_role(OS_ROLE_NET, NULL, &why) < 0)
		log_fatal("dropping privileges: %s", why);
	if (sandbox_apply(OS_ROLE_NET, sandbox_flags(opts), &why) < 0)
		log_fatal("sandbox: %s", why);
	epfd = ev_open();
	if (epfd < 0 || ev_add(epfd, net.engine.fd, TAG_ENGINE) < 0 ||
	    ev_add(epfd, net.packet_fd, TAG_PACKET) < 0 || ev_add(epfd, net.udp_fd, TAG_UDP) < 0 ||
	    ev_add(epfd, nl_fd(&net.events), TAG_LINK) < 0)
		log_fatal("epoll: %s", strerror(errno));
	send_link();
	for (;;) {
		struct ev_ready ready[4];
		int n = ev_wait(epfd, ready, 4, -1);
		if (n < 0)
			log_fatal("epoll_wait: %s", strerror(-n));
		for (int i = 0; i < n; i++) {
			switch (ready[i].tag) {
			case TAG_ENGINE: on_engine(); break;
			case TAG_PACKET: on_packet(); break;
			case TAG_UDP: drain_udp(); break;
			case TAG_LINK: on_link_events(); break;
			default: break;
			}
		}
	}
}
