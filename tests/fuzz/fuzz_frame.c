/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Link framing: the bytes as an Ethernet frame (UDP checksum checked and
 * not), as a bare IPv4 packet, and as an ARP frame; every payload that comes
 * out goes on to dhcp_parse.
 *
 * Mutations almost never keep a checksum right, so each input is also tried
 * with its IPv4 and UDP checksums fixed up: that copy must reach the UDP
 * payload whenever the lengths allow. Whatever parses is built again and
 * must parse back to the same view.
 *
 * Every parser sees an exact-size heap copy, so ASan flags a one-byte
 * over-read; the UDP payload gets its own exact-size copy for the same
 * reason.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/cursor.h"
#include "wire/dhcp.h"
#include "wire/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *dup_exact(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size);

	if (!p && size > 0)
		abort();
	if (size > 0)
		memcpy(p, data, size);
	return p;
}

static void check_dhcp(const uint8_t *payload, size_t len)
{
	uint8_t *copy = dup_exact(payload, len);
	uint8_t *scratch = malloc(len);
	struct dhcp_msg msg;
	struct wire_error err;
	enum wire_reason r;

	r = dhcp_parse(copy, len, scratch, len, &msg, &err);
	if (r != err.reason)
		abort();
	if (r == WIRE_OK && (msg.type == 0 || msg.type > DHCP_MSG_TYPE_MAX))
		abort();
	free(scratch);
	free(copy);
}

/* A successful view lies inside the bytes parsed. */
static void check_view(const struct udp_view *v, const uint8_t *buf, size_t len)
{
	if (v->payload != buf + v->payload_off || v->payload_off > len ||
	    v->payload_len > len - v->payload_off)
		abort();
}

/* Build the view again and parse the result: same addresses, same payload. */
static void check_rebuild(const struct udp_view *v)
{
	struct udp_frame_spec spec;
	struct udp_view back;
	struct wire_error err;
	size_t cap = UDP_FRAME_OVERHEAD + v->payload_len, out_len;
	uint8_t *buf = malloc(cap);

	if (!buf)
		abort();
	memset(&spec, 0, sizeof(spec));
	memcpy(spec.eth_dst, v->eth_dst, ETH_ADDR_LEN);
	memcpy(spec.eth_src, v->eth_src, ETH_ADDR_LEN);
	spec.ip_src = v->ip_src;
	spec.ip_dst = v->ip_dst;
	spec.port_src = v->port_src;
	spec.port_dst = v->port_dst;
	spec.ttl = v->ttl;
	if (frame_build_udp(&spec, v->payload, v->payload_len, buf, cap, &out_len) != WIRE_OK ||
	    out_len != cap)
		abort();
	if (frame_parse_udp(buf, out_len, false, &back, &err) != WIRE_OK)
		abort();
	if (back.ip_src != v->ip_src || back.ip_dst != v->ip_dst ||
	    back.port_src != v->port_src || back.port_dst != v->port_dst ||
	    back.payload_len != v->payload_len ||
	    memcmp(back.eth_dst, v->eth_dst, ETH_ADDR_LEN) != 0 ||
	    memcmp(back.eth_src, v->eth_src, ETH_ADDR_LEN) != 0 ||
	    (v->payload_len > 0 && memcmp(back.payload, v->payload, v->payload_len) != 0))
		abort();
	/* one byte short: refused, and nothing written past the end */
	if (frame_build_udp(&spec, v->payload, v->payload_len, buf, cap - 1, &out_len) !=
	    WIRE_NO_ROOM)
		abort();
	free(buf);
}

static void udp_case(const uint8_t *buf, size_t len, bool eth, bool not_ready)
{
	struct udp_view v;
	struct wire_error err;
	enum wire_reason r;

	r = eth ? frame_parse_udp(buf, len, not_ready, &v, &err)
		: ipv4_parse_udp(buf, len, not_ready, &v, &err);
	/* err is only written on failure */
	if (r != WIRE_OK && r != err.reason)
		abort();
	if (r != WIRE_OK)
		return;
	check_view(&v, buf, len);
	check_dhcp(v.payload, v.payload_len);
	check_rebuild(&v);
}

static uint16_t load_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

/*
 * Rewrite the IPv4 header checksum, and the UDP checksum when the UDP
 * length fits the datagram, of the packet at ip (len bytes to the end).
 */
static void fix_checksums(uint8_t *ip, size_t len)
{
	size_t ihl, total;

	if (len < IPV4_HDR_LEN)
		return;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_LEN || ihl > len)
		return;
	ip[10] = ip[11] = 0;
	wire_store_be16(ip + 10, (uint16_t)~inet_fold(inet_sum(ip, ihl, 0)));
	total = load_be16(ip + 2);
	if (total > len || total < ihl || total - ihl < UDP_HDR_LEN)
		return;
	uint8_t *udp = ip + ihl;
	size_t udp_len = load_be16(udp + 4);
	if (udp_len < UDP_HDR_LEN || udp_len > total - ihl)
		return;
	uint32_t src = (uint32_t)load_be16(ip + 12) << 16 | load_be16(ip + 14);
	uint32_t dst = (uint32_t)load_be16(ip + 16) << 16 | load_be16(ip + 18);
	uint32_t sum = (src >> 16) + (src & 0xffffu) + (dst >> 16) + (dst & 0xffffu) +
		       IPPROTO_UDP_NUM + (uint32_t)udp_len;
	udp[6] = udp[7] = 0;
	uint16_t csum = (uint16_t)~inet_fold(inet_sum(udp, udp_len, sum));
	wire_store_be16(udp + 6, csum ? csum : 0xffffu);
}

static void arp_case(const uint8_t *buf, size_t len)
{
	struct arp_view a, back;
	struct wire_error err;
	uint8_t out[ETH_HDR_LEN + ARP_LEN];
	size_t out_len;
	enum wire_reason r = frame_parse_arp(buf, len, &a, &err);

	if (r != WIRE_OK && r != err.reason)
		abort();
	if (r != WIRE_OK)
		return;
	if (a.op != ARP_OP_REQUEST && a.op != ARP_OP_REPLY)
		abort();
	if (frame_build_arp(&a, out, sizeof(out), &out_len) != WIRE_OK ||
	    out_len != sizeof(out) ||
	    frame_parse_arp(out, out_len, &back, &err) != WIRE_OK ||
	    back.op != a.op || back.spa != a.spa || back.tpa != a.tpa ||
	    memcmp(back.sha, a.sha, ETH_ADDR_LEN) != 0 ||
	    memcmp(back.tha, a.tha, ETH_ADDR_LEN) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = dup_exact(data, size);

	udp_case(buf, size, true, false);
	udp_case(buf, size, true, true);
	udp_case(buf, size, false, false);
	udp_case(buf, size, false, true);
	arp_case(buf, size);

	/* checksums fixed: as an Ethernet frame, then as a bare packet */
	if (size > ETH_HDR_LEN) {
		fix_checksums(buf + ETH_HDR_LEN, size - ETH_HDR_LEN);
		udp_case(buf, size, true, false);
		memcpy(buf, data, size);
	}
	fix_checksums(buf, size);
	udp_case(buf, size, false, false);
	free(buf);
	return 0;
}
