/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Link framing: Ethernet II + IPv4 + UDP for DHCP, and Ethernet ARP for
 * address conflict detection (RFC 5227). Parsers check every header length
 * and checksum themselves; a BPF filter in front only saves work.
 */
#ifndef LESSEE_WIRE_FRAME_H
#define LESSEE_WIRE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reason.h"

#define ETH_ADDR_LEN   6u
#define ETH_HDR_LEN    14u
#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_ARP  0x0806u
#define IPV4_HDR_LEN   20u
#define UDP_HDR_LEN    8u
#define IPPROTO_UDP_NUM 17u
#define DHCP_SERVER_PORT 67u
#define DHCP_CLIENT_PORT 68u
#define ARP_LEN        28u
#define ARP_OP_REQUEST 1u
#define ARP_OP_REPLY   2u
/* Ethernet + IPv4 (no options) + UDP in front of a DHCP message. */
#define UDP_FRAME_OVERHEAD (ETH_HDR_LEN + IPV4_HDR_LEN + UDP_HDR_LEN)

struct udp_view {
	uint8_t eth_dst[ETH_ADDR_LEN];
	uint8_t eth_src[ETH_ADDR_LEN];
	uint32_t ip_src;    /* host byte order */
	uint32_t ip_dst;
	uint8_t ttl;
	uint16_t port_src;
	uint16_t port_dst;
	const uint8_t *payload;
	size_t payload_len;
	size_t payload_off; /* offset of the payload in the buffer parsed */
};

/*
 * Parse an Ethernet frame carrying IPv4/UDP. csum_not_ready is the kernel's
 * TP_STATUS_CSUMNOTREADY (veth, virtio): the UDP checksum was never filled
 * in, so it is not checked; the IPv4 header checksum always is.
 */
enum wire_reason frame_parse_udp(const uint8_t *frame, size_t len, bool csum_not_ready,
				 struct udp_view *out, struct wire_error *err);

/* The same from the IPv4 header on (raw IP captures, cooked link types). */
enum wire_reason ipv4_parse_udp(const uint8_t *pkt, size_t len, bool csum_not_ready,
				struct udp_view *out, struct wire_error *err);

struct udp_frame_spec {
	uint8_t eth_dst[ETH_ADDR_LEN];
	uint8_t eth_src[ETH_ADDR_LEN];
	uint32_t ip_src;
	uint32_t ip_dst;
	uint16_t port_src;
	uint16_t port_dst;
	uint8_t ttl;        /* 0 means 64 */
	uint8_t tos;        /* RFC 2474 DSCP<<2; DHCP clients commonly use 0xc0 */
};

/* Build Ethernet + IPv4 + UDP around payload, both checksums filled. */
enum wire_reason frame_build_udp(const struct udp_frame_spec *spec, const uint8_t *payload,
				 size_t payload_len, uint8_t *buf, size_t cap,
				 size_t *out_len);

struct arp_view {
	uint8_t eth_dst[ETH_ADDR_LEN];
	uint8_t eth_src[ETH_ADDR_LEN];
	uint16_t op;
	uint8_t sha[ETH_ADDR_LEN];
	uint32_t spa;       /* host byte order */
	uint8_t tha[ETH_ADDR_LEN];
	uint32_t tpa;
};

enum wire_reason frame_parse_arp(const uint8_t *frame, size_t len, struct arp_view *out,
				 struct wire_error *err);
enum wire_reason frame_build_arp(const struct arp_view *arp, uint8_t *buf, size_t cap,
				 size_t *out_len);

/* RFC 1071 one's-complement sum folded to 16 bits, not inverted. */
uint32_t inet_sum(const uint8_t *data, size_t len, uint32_t sum);
uint16_t inet_fold(uint32_t sum);

#endif
