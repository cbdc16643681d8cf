/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ethernet II, IPv4 (RFC 791), UDP (RFC 768) and ARP (RFC 826) framing.
 * Every length field is checked against the bytes actually present; nothing
 * relies on the BPF filter having looked at the headers first.
 */
#include <string.h>

#include "cursor.h"
#include "frame.h"

#define IP_FLAG_MF     0x2000u
#define IP_FRAG_OFFSET 0x1fffu
#define ARP_HTYPE_ETHER 1u

uint32_t inet_sum(const uint8_t *data, size_t len, uint32_t sum)
{
	struct wire_cursor c = wc_init(data, len);

	while (wc_remaining(&c) >= 2)
		sum += wc_be16(&c);
	if (wc_remaining(&c) == 1)
		sum += (uint32_t)wc_u8(&c) << 8;
	return sum;
}

uint16_t inet_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)sum;
}

static enum wire_reason fail(struct wire_error *err, enum wire_reason why, size_t at)
{
	wire_error_set(err, why, at, -1);
	return why;
}

/* RFC 768: the pseudo header covers addresses, protocol and UDP length. */
static uint32_t udp_pseudo_sum(uint32_t src, uint32_t dst, uint16_t udp_len)
{
	return (src >> 16) + (src & 0xffffu) + (dst >> 16) + (dst & 0xffffu) +
	       IPPROTO_UDP_NUM + udp_len;
}

static enum wire_reason parse_udp_part(size_t base, struct wire_cursor *ip,
				       bool csum_not_ready, struct udp_view *out,
				       struct wire_error *err)
{
	size_t at = base + ip->off;
	const uint8_t *udp = wc_bytes(ip, 0);
	size_t avail = wc_remaining(ip);

	out->port_src = wc_be16(ip);
	out->port_dst = wc_be16(ip);
	uint16_t udp_len = wc_be16(ip);
	uint16_t csum = wc_be16(ip);
	if (ip->failed || udp_len < UDP_HDR_LEN || udp_len > avail)
		return fail(err, WIRE_UDP_LENGTH, at + 4);
	/* RFC 768: a zero checksum means the sender computed none. */
	if (csum != 0 && !csum_not_ready) {
		uint32_t sum = udp_pseudo_sum(out->ip_src, out->ip_dst, udp_len);
		if (inet_fold(inet_sum(udp, udp_len, sum)) != 0xffffu)
			return fail(err, WIRE_UDP_CHECKSUM, at + 6);
	}
	out->payload = udp + UDP_HDR_LEN;
	out->payload_len = udp_len - UDP_HDR_LEN;
	out->payload_off = at + UDP_HDR_LEN;
	return WIRE_OK;
}

/* Parse IPv4 + UDP at pkt; base is pkt's offset in the outer buffer. */
static enum wire_reason parse_ipv4(const uint8_t *pkt, size_t len, size_t base,
				   bool csum_not_ready, struct udp_view *out,
				   struct wire_error *err)
{
	struct wire_cursor c = wc_init(pkt, len);
	uint8_t vihl = wc_u8(&c);
	size_t ihl = (size_t)(vihl & 0x0f) * 4;

	if (c.failed || len < IPV4_HDR_LEN)
		return fail(err, WIRE_IP_SHORT, base);
	if (vihl >> 4 != 4)
		return fail(err, WIRE_IP_VERSION, base);
	if (ihl < IPV4_HDR_LEN || ihl > len)
		return fail(err, WIRE_IP_IHL, base);
	wc_u8(&c); /* TOS */
	uint16_t total = wc_be16(&c);
	wc_be16(&c); /* identification */
	uint16_t frag = wc_be16(&c);
	out->ttl = wc_u8(&c);
	uint8_t proto = wc_u8(&c);
	wc_be16(&c); /* checksum, verified over the whole header below */
	out->ip_src = wc_be32(&c);
	out->ip_dst = wc_be32(&c);
	/* Link padding may follow the datagram; total length says where it ends. */
	if (total < ihl || total > len)
		return fail(err, WIRE_IP_LENGTH, base + 2);
	if (frag & (IP_FLAG_MF | IP_FRAG_OFFSET))
		return fail(err, WIRE_IP_FRAGMENT, base + 6);
	if (inet_fold(inet_sum(pkt, ihl, 0)) != 0xffffu)
		return fail(err, WIRE_IP_CHECKSUM, base + 10);
	if (proto != IPPROTO_UDP_NUM)
		return fail(err, WIRE_IP_PROTO, base + 9);
	struct wire_cursor dgram = wc_init(pkt, total);
	wc_seek(&dgram, ihl);
	return parse_udp_part(base, &dgram, csum_not_ready, out, err);
}

enum wire_reason ipv4_parse_udp(const uint8_t *pkt, size_t len, bool csum_not_ready,
				struct udp_view *out, struct wire_error *err)
{
	memset(out->eth_dst, 0, ETH_ADDR_LEN);
	memset(out->eth_src, 0, ETH_ADDR_LEN);
	return parse_ipv4(pkt, len, 0, csum_not_ready, out, err);
}

enum wire_reason frame_parse_udp(const uint8_t *frame, size_t len, bool csum_not_ready,
				 struct udp_view *out, struct wire_error *err)
{
	struct wire_cursor c = wc_init(frame, len);

	wc_copy(&c, out->eth_dst, ETH_ADDR_LEN);
	wc_copy(&c, out->eth_src, ETH_ADDR_LEN);
	uint16_t type = wc_be16(&c);
	if (c.failed)
		return fail(err, WIRE_ETH_SHORT, 0);
	if (type != ETHERTYPE_IPV4)
		return fail(err, WIRE_ETH_TYPE, 12);
	return parse_ipv4(frame + ETH_HDR_LEN, len - ETH_HDR_LEN, ETH_HDR_LEN,
			  csum_not_ready, out, err);
}

/* ---- building ---------------------------------------------------------- */

static void put_eth(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(p, dst, ETH_ADDR_LEN);
	memcpy(p + ETH_ADDR_LEN, src, ETH_ADDR_LEN);
	wire_store_be16(p + 12, type);
}

enum wire_reason frame_build_udp(const struct udp_frame_spec *spec, const uint8_t *payload,
				 size_t payload_len, uint8_t *buf, size_t cap,
				 size_t *out_len)
{
	size_t udp_len = UDP_HDR_LEN + payload_len;
	size_t ip_len = IPV4_HDR_LEN + udp_len;
	uint8_t *ip = buf + ETH_HDR_LEN, *udp = ip + IPV4_HDR_LEN;

	*out_len = 0;
	if (ip_len > 0xffffu)
		return WIRE_BAD_ARGUMENT;
	if (cap < ETH_HDR_LEN || cap - ETH_HDR_LEN < ip_len)
		return WIRE_NO_ROOM;
	put_eth(buf, spec->eth_dst, spec->eth_src, ETHERTYPE_IPV4);
	memset(ip, 0, IPV4_HDR_LEN);
	ip[0] = 0x45;
	ip[1] = spec->tos;
	wire_store_be16(ip + 2, (uint16_t)ip_len);
	ip[8] = spec->ttl ? spec->ttl : 64;
	ip[9] = IPPROTO_UDP_NUM;
	wire_store_be32(ip + 12, spec->ip_src);
	wire_store_be32(ip + 16, spec->ip_dst);
	wire_store_be16(ip + 10, (uint16_t)~inet_fold(inet_sum(ip, IPV4_HDR_LEN, 0)));

	wire_store_be16(udp, spec->port_src);
	wire_store_be16(udp + 2, spec->port_dst);
	wire_store_be16(udp + 4, (uint16_t)udp_len);
	wire_store_be16(udp + 6, 0);
	memcpy(udp + UDP_HDR_LEN, payload, payload_len);
	uint32_t sum = udp_pseudo_sum(spec->ip_src, spec->ip_dst, (uint16_t)udp_len);
	uint16_t csum = (uint16_t)~inet_fold(inet_sum(udp, udp_len, sum));
	/* RFC 768: a computed zero is sent as all ones. */
	wire_store_be16(udp + 6, csum ? csum : 0xffffu);
	*out_len = ETH_HDR_LEN + ip_len;
	return WIRE_OK;
}

enum wire_reason frame_parse_arp(const uint8_t *frame, size_t len, struct arp_view *out,
				 struct wire_error *err)
{
	struct wire_cursor c = wc_init(frame, len);

	wc_copy(&c, out->eth_dst, ETH_ADDR_LEN);
	wc_copy(&c, out->eth_src, ETH_ADDR_LEN);
	uint16_t type = wc_be16(&c);
	if (c.failed)
		return fail(err, WIRE_ETH_SHORT, 0);
	if (type != ETHERTYPE_ARP)
		return fail(err, WIRE_ETH_TYPE, 12);
	uint16_t htype = wc_be16(&c), ptype = wc_be16(&c);
	uint8_t hlen = wc_u8(&c), plen = wc_u8(&c);
	out->op = wc_be16(&c);
	wc_copy(&c, out->sha, ETH_ADDR_LEN);
	out->spa = wc_be32(&c);
	wc_copy(&c, out->tha, ETH_ADDR_LEN);
	out->tpa = wc_be32(&c);
	if (c.failed || htype != ARP_HTYPE_ETHER || ptype != ETHERTYPE_IPV4 ||
	    hlen != ETH_ADDR_LEN || plen != 4 ||
	    (out->op != ARP_OP_REQUEST && out->op != ARP_OP_REPLY))
		return fail(err, WIRE_ARP_FORMAT, ETH_HDR_LEN);
	return WIRE_OK;
}

enum wire_reason frame_build_arp(const struct arp_view *arp, uint8_t *buf, size_t cap,
				 size_t *out_len)
{
	uint8_t *p = buf + ETH_HDR_LEN;

	*out_len = 0;
	if (cap < ETH_HDR_LEN + ARP_LEN)
		return WIRE_NO_ROOM;
	if (arp->op != ARP_OP_REQUEST && arp->op != ARP_OP_REPLY)
		return WIRE_BAD_ARGUMENT;
	put_eth(buf, arp->eth_dst, arp->eth_src, ETHERTYPE_ARP);
	wire_store_be16(p, ARP_HTYPE_ETHER);
	wire_store_be16(p + 2, ETHERTYPE_IPV4);
	p[4] = ETH_ADDR_LEN;
	p[5] = 4;
	wire_store_be16(p + 6, arp->op);
	memcpy(p + 8, arp->sha, ETH_ADDR_LEN);
	wire_store_be32(p + 14, arp->spa);
	memcpy(p + 18, arp->tha, ETH_ADDR_LEN);
	wire_store_be32(p + 24, arp->tpa);
	*out_len = ETH_HDR_LEN + ARP_LEN;
	return WIRE_OK;
}
