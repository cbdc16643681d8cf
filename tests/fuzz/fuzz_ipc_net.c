/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The net role's side of its channel: the input is one record from the
 * engine (header + body) as net reads it, and goes the way on_engine and
 * send_dhcp/send_arp in src/lessee/role_net.c take it, without the sockets:
 *
 *   ipc_frame_check (the framing ipc_recv applies; first record, seq 1)
 *   -> ipc_msg_check(ENGINE -> NET)
 *   -> SEND_DHCP: ipc_check_send with net's MAC, dhcp_build into net's
 *      buffer; SEND_ARP: ipc_check_arp, frame_build_arp.
 *
 * A refusal anywhere is fine (net exits). What net does build must hold
 * (abort otherwise), since net is what stands between a fooled engine and
 * the wire:
 *   - only SEND_DHCP and SEND_ARP get past the catalogue (role_net.c treats
 *     anything that is not SEND_DHCP as ARP);
 *   - a built DHCP payload parses with dhcp_parse, is a BOOTREQUEST for
 *     Ethernet from our MAC (chaddr, rest zero), of a client message type,
 *     ciaddr the source address, and carries every option of the request
 *     with the same value and none dropped or added;
 *   - a broadcast is framed (frame_build_udp, as send_dhcp does) and parses
 *     back as UDP 68 -> 67, from our MAC and the source address, to the
 *     broadcast addresses, with the payload unchanged; a unicast goes to a
 *     unicast address from one;
 *   - an ARP request is framed and parses back as a request from our MAC
 *     for a unicast address, sender IP 0 for a probe and the address for
 *     an announcement.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lessee/ipc_msg.h"
#include "os/ipc.h"
#include "wire/dhcp.h"
#include "wire/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* net's interface MAC (role_net.c: net.ifi.mac). */
static const uint8_t mac[ETH_ADDR_LEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
static const uint8_t bcast_mac[ETH_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void die(const char *what)
{
	fprintf(stderr, "fuzz_ipc_net: invariant broken: %s\n", what);
	abort();
}

static bool unicast(uint32_t a)
{
	uint8_t top = (uint8_t)(a >> 24);

	return top != 0 && top != 127 && top < 224;
}

/* Every option asked for is in the message with its value; nothing else. */
static void check_options(const struct dhcp_out *o, const struct dhcp_msg *m)
{
	const uint8_t *val;
	size_t len;

	if (m->n_dropped != 0)
		die("the built message has a dropped option");
	for (size_t i = 0; i < o->n_opts; i++) {
		const struct dhcp_opt_out *opt = &o->opts[i];

		if (!dhcp_get_bytes(m, opt->code, &val, &len) || len != opt->len ||
		    (len > 0 && memcmp(val, o->pool + opt->pool_off, len) != 0))
			die("an option of the request did not come through intact");
	}
	for (size_t i = 0; i < m->n_order; i++)
		if (!dhcp_out_get(o, m->order[i], &len))
			die("the built message has an option nobody asked for");
}

/* The payload as a receiver sees it: an exact-size copy, so ASan catches a
 * one-byte over-read in dhcp_parse. */
static void check_payload(const struct client_send *s, const uint8_t *payload, size_t len)
{
	static struct dhcp_msg m;
	uint8_t *copy = malloc(len), *scratch = malloc(len);
	struct wire_error err;

	if (!copy || !scratch)
		abort();
	memcpy(copy, payload, len);
	if (dhcp_parse(copy, len, scratch, len, &m, &err) != WIRE_OK)
		die("a built DHCP payload does not parse");
	if (m.hdr.op != BOOTREQUEST || m.hdr.htype != 1 || m.hdr.hlen != 6)
		die("not a BOOTREQUEST for Ethernet");
	if (memcmp(m.hdr.chaddr, mac, 6) != 0)
		die("chaddr is not our MAC");
	for (size_t i = 6; i < DHCP_CHADDR_LEN; i++)
		if (m.hdr.chaddr[i] != 0)
			die("chaddr has bytes after our MAC");
	if (m.type != DHCPDISCOVER && m.type != DHCPREQUEST && m.type != DHCPDECLINE &&
	    m.type != DHCPRELEASE && m.type != DHCPINFORM)
		die("not a client message type");
	if (m.hdr.ciaddr != s->src_ip || m.hdr.yiaddr || m.hdr.siaddr || m.hdr.giaddr)
		die("addresses in the header are not the request's");
	check_options(&s->msg, &m);
	free(scratch);
	free(copy);
}

/* send_dhcp's broadcast: the frame it builds, parsed back. */
static void check_broadcast(const struct client_send *s, const uint8_t *payload, size_t plen)
{
	static uint8_t tx_buf[IPC_FRAME_MAX + 64];   /* role_net.c's size */
	struct udp_frame_spec spec = {
		.ip_src = s->src_ip, .ip_dst = 0xffffffffu,
		.port_src = DHCP_CLIENT_PORT, .port_dst = DHCP_SERVER_PORT, .ttl = 64,
	};
	struct udp_view v;
	struct wire_error err;
	size_t flen;

	memcpy(spec.eth_dst, bcast_mac, ETH_ADDR_LEN);
	memcpy(spec.eth_src, mac, ETH_ADDR_LEN);
	if (frame_build_udp(&spec, payload, plen, tx_buf, sizeof(tx_buf), &flen) != WIRE_OK)
		die("a built DHCP payload does not fit net's frame buffer");
	if (frame_parse_udp(tx_buf, flen, false, &v, &err) != WIRE_OK)
		die("net's DHCP frame does not parse");
	if (v.port_src != DHCP_CLIENT_PORT || v.port_dst != DHCP_SERVER_PORT)
		die("net's DHCP frame is not UDP 68 -> 67");
	if (memcmp(v.eth_src, mac, ETH_ADDR_LEN) != 0 || memcmp(v.eth_dst, bcast_mac, ETH_ADDR_LEN) != 0)
		die("net's DHCP frame is not from our MAC to broadcast");
	if (v.ip_src != s->src_ip || v.ip_dst != 0xffffffffu)
		die("net's DHCP frame has the wrong IP addresses");
	if (v.payload_len != plen || memcmp(v.payload, payload, plen) != 0)
		die("net's DHCP frame does not carry the payload");
}

static void send_dhcp(const struct client_send *s)
{
	static uint8_t payload[IPC_FRAME_MAX];   /* role_net.c's size */
	struct wire_error err;
	size_t plen;

	if (ipc_check_send(s, mac) != NULL)
		return;
	if (dhcp_build(&s->msg, s->order, s->n_order, payload, sizeof(payload) - UDP_FRAME_OVERHEAD,
		       &plen, &err) != WIRE_OK)
		return;
	check_payload(s, payload, plen);
	if (s->dest == CLIENT_DEST_BROADCAST) {
		if (s->dst_ip != 0xffffffffu)
			die("a broadcast request not to 255.255.255.255 passed");
		check_broadcast(s, payload, plen);
	} else if (!unicast(s->dst_ip) || !unicast(s->src_ip)) {
		die("a unicast request between non-unicast addresses passed");
	}
}

static void send_arp(const struct ipc_arp *req)
{
	uint8_t buf[ETH_HDR_LEN + ARP_LEN];
	struct arp_view arp, back;
	struct wire_error err;
	size_t flen;

	if (ipc_check_arp(req, mac, &arp) != NULL)
		return;
	if (!unicast(req->address))
		die("an ARP request for a non-unicast address passed");
	if (frame_build_arp(&arp, buf, sizeof(buf), &flen) != WIRE_OK ||
	    frame_parse_arp(buf, flen, &back, &err) != WIRE_OK)
		die("net's ARP frame does not build or parse");
	if (back.op != ARP_OP_REQUEST || memcmp(back.sha, mac, ETH_ADDR_LEN) != 0 ||
	    memcmp(back.eth_src, mac, ETH_ADDR_LEN) != 0 ||
	    memcmp(back.eth_dst, bcast_mac, ETH_ADDR_LEN) != 0)
		die("net's ARP frame is not a broadcast request from our MAC");
	if (back.tpa != req->address ||
	    back.spa != (req->kind == IPC_ARP_ANNOUNCE ? req->address : 0))
		die("net's ARP frame is neither the probe nor the announcement asked for");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static union ipc_body body;
	struct ipc_hdr hdr;
	const void *raw;
	ssize_t n;

	/* ipc_recv into net's IPC_BUF_MAX buffer: a longer record is cut
	 * (MSG_TRUNC) and refused before any check. */
	if (size > IPC_BUF_MAX)
		return 0;
	n = ipc_frame_check(data, size, 1, &hdr, &raw);
	if (n < 0)
		return 0;
	if ((size_t)n != size - sizeof(hdr) || raw != data + sizeof(hdr) || hdr.seq != 1)
		die("ipc_frame_check passed a record it should not");
	if (ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_NET, hdr.type, raw, (size_t)n) != NULL)
		return 0;
	memcpy(&body, raw, (size_t)n);
	if (hdr.type == IPC_NET_SEND_DHCP)
		send_dhcp(&body.send);
	else if (hdr.type == IPC_NET_SEND_ARP)
		send_arp(&body.arp);
	else
		die("the catalogue let through a type net does not handle");
	return 0;
}
