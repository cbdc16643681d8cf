/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ethernet/IPv4/UDP and ARP framing: build -> parse round trips, and each
 * refusal with its exact reason and offset. Every frame is parsed from a
 * copy flush against an unmapped page, and every output buffer of the
 * builders ends at one, so any access past the length faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/frame.h"

#define IP_OFF  ETH_HDR_LEN
#define UDP_OFF (ETH_HDR_LEN + IPV4_HDR_LEN)

static uint8_t frame[2048];
static size_t frame_len;
static uint8_t payload[1500];
static struct udp_view view;
static struct wire_error err;
static const uint8_t zeros[2048];

static const struct udp_frame_spec spec = {
	.eth_dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	.eth_src = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 },
	.ip_src = 0xc0000201u,
	.ip_dst = 0xffffffffu,
	.port_src = DHCP_SERVER_PORT,
	.port_dst = DHCP_CLIENT_PORT,
	.ttl = 0,
	.tos = 0xc0,
};

static void build_frame(size_t payload_len)
{
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 13 + 5);
	assert_int_equal(frame_build_udp(&spec, payload, payload_len, frame, sizeof(frame),
					 &frame_len),
			 WIRE_OK);
	assert_int_equal(frame_len, UDP_FRAME_OVERHEAD + payload_len);
}

static enum wire_reason parse(const uint8_t *f, size_t len, bool csum_not_ready)
{
	struct guarded g = guard_copy(f, len);
	enum wire_reason r;

	memset(&view, 0, sizeof(view));
	err.reason = WIRE_OK;
	r = frame_parse_udp(g.data, g.len, csum_not_ready, &view, &err);
	assert_int_equal(err.reason, r);
	if (r == WIRE_OK) {
		/* The view points into the copy: check it before unmapping. */
		assert_ptr_equal(view.payload, g.data + view.payload_off);
		assert_true(view.payload_off + view.payload_len <= len);
	}
	guard_free(&g);
	view.payload = NULL;
	return r;
}

static void expect(const uint8_t *f, size_t len, bool csum_not_ready, enum wire_reason why,
		   size_t at)
{
	assert_int_equal(parse(f, len, csum_not_ready), why);
	assert_int_equal(err.offset, at);
	assert_int_equal(err.option, -1);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Recompute the IPv4 header checksum after editing the header. */
static void fix_ip_csum(uint8_t *f)
{
	size_t ihl = (size_t)(f[IP_OFF] & 0x0f) * 4;
	put16(f + IP_OFF + 10, 0);
	put16(f + IP_OFF + 10, (uint16_t)~inet_fold(inet_sum(f + IP_OFF, ihl, 0)));
}

/* Recompute the UDP checksum (header at udp_off) over its UDP length. */
static void fix_udp_csum(uint8_t *f, size_t udp_off)
{
	uint16_t udp_len = get16(f + udp_off + 4);
	uint32_t sum = inet_sum(f + IP_OFF + 12, 8, 0) + IPPROTO_UDP_NUM + udp_len;
	put16(f + udp_off + 6, 0);
	uint16_t c = (uint16_t)~inet_fold(inet_sum(f + udp_off, udp_len, sum));
	put16(f + udp_off + 6, c ? c : 0xffff);
}

/* ---- UDP ------------------------------------------------------------------ */

static void test_round_trip(void **state)
{
	(void)state;
	build_frame(300);
	assert_int_equal(get16(frame + 12), ETHERTYPE_IPV4);
	assert_int_equal(frame[IP_OFF], 0x45);
	assert_int_equal(frame[IP_OFF + 1], 0xc0);
	assert_int_equal(frame[IP_OFF + 8], 64);
	assert_int_equal(get16(frame + IP_OFF + 2), 20 + 8 + 300);
	assert_int_equal(get16(frame + IP_OFF + 6), 0); /* no fragment bits */

	assert_int_equal(parse(frame, frame_len, false), WIRE_OK);
	assert_memory_equal(view.eth_dst, spec.eth_dst, ETH_ADDR_LEN);
	assert_memory_equal(view.eth_src, spec.eth_src, ETH_ADDR_LEN);
	assert_int_equal(view.ip_src, spec.ip_src);
	assert_int_equal(view.ip_dst, spec.ip_dst);
	assert_int_equal(view.ttl, 64);
	assert_int_equal(view.port_src, 67);
	assert_int_equal(view.port_dst, 68);
	assert_int_equal(view.payload_len, 300);
	assert_int_equal(view.payload_off, UDP_FRAME_OVERHEAD);
	assert_memory_equal(frame + view.payload_off, payload, 300);

	/* Sizes down to an empty payload, with an explicit TTL. */
	struct udp_frame_spec s2 = spec;
	s2.ttl = 1;
	for (size_t n = 0; n <= 600; n += (n < 8 ? 1 : 97)) {
		assert_int_equal(frame_build_udp(&s2, payload, n, frame, sizeof(frame), &frame_len),
				 WIRE_OK);
		assert_int_equal(parse(frame, frame_len, false), WIRE_OK);
		assert_int_equal(view.payload_len, n);
		assert_int_equal(view.ttl, 1);
	}

	/* The IPv4 entry point: the same datagram without Ethernet. */
	build_frame(300);
	struct guarded g = guard_copy(frame + IP_OFF, frame_len - IP_OFF);
	memset(&view, 0xaa, sizeof(view));
	assert_int_equal(ipv4_parse_udp(g.data, g.len, false, &view, &err), WIRE_OK);
	assert_int_equal(view.payload_off, IPV4_HDR_LEN + UDP_HDR_LEN);
	assert_int_equal(view.payload_len, 300);
	assert_memory_equal(view.eth_src, zeros, ETH_ADDR_LEN);
	assert_memory_equal(view.eth_dst, zeros, ETH_ADDR_LEN);
	guard_free(&g);
}

static void test_build_bounds(void **state)
{
	size_t len = 99;
	(void)state;

	/* Every capacity short of the need: NO_ROOM, nothing past the end. */
	const size_t need = UDP_FRAME_OVERHEAD + 40;
	for (size_t cap = 0; cap <= need; cap++) {
		struct guarded g = guard_copy(zeros, cap);
		enum wire_reason r = frame_build_udp(&spec, payload, 40, g.data, cap, &len);
		assert_int_equal(r, cap < need ? WIRE_NO_ROOM : WIRE_OK);
		assert_int_equal(len, cap < need ? 0 : need);
		guard_free(&g);
	}
	/* A datagram over 65535 bytes cannot be described. */
	static uint8_t big[70000];
	assert_int_equal(frame_build_udp(&spec, big, 65535 - 28 + 1, big, sizeof(big), &len),
			 WIRE_BAD_ARGUMENT);
	assert_int_equal(len, 0);
}

/* RFC 768: a computed checksum of zero goes out as all ones, and parses. */
static void test_udp_checksum_zero_sent_as_ffff(void **state)
{
	(void)state;
	for (unsigned v = 0; v < 0x10000; v++) {
		uint8_t p[2] = { (uint8_t)(v >> 8), (uint8_t)v };
		assert_int_equal(frame_build_udp(&spec, p, 2, frame, sizeof(frame), &frame_len),
				 WIRE_OK);
		if (get16(frame + UDP_OFF + 6) != 0xffff)
			continue;
		assert_int_equal(parse(frame, frame_len, false), WIRE_OK);
		return;
	}
	fail_msg("no 2-byte payload gives a zero UDP checksum");
}

static void test_short_ethernet(void **state)
{
	(void)state;
	build_frame(300);
	for (size_t len = 0; len < ETH_HDR_LEN; len++)
		expect(frame, len, false, WIRE_ETH_SHORT, 0);
}

static void test_ether_type(void **state)
{
	const uint16_t types[] = { 0x86dd, 0x8100, 0x88a8, ETHERTYPE_ARP, 0x0000, 0x0801 };
	(void)state;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		build_frame(300);
		put16(frame + 12, types[i]);
		expect(frame, frame_len, false, WIRE_ETH_TYPE, 12);
	}
	/* 802.1Q: a tagged frame is refused, even with IPv4 behind the tag. */
	build_frame(300);
	memmove(frame + 16, frame + 12, frame_len - 12);
	put16(frame + 12, 0x8100);
	put16(frame + 14, 0x0005);
	expect(frame, frame_len + 4, false, WIRE_ETH_TYPE, 12);
}

/* Every truncation of a valid frame, with the reason each length earns. */
static void test_truncations(void **state)
{
	(void)state;
	build_frame(300);
	for (size_t len = 0; len < frame_len; len++) {
		if (len < ETH_HDR_LEN)
			expect(frame, len, false, WIRE_ETH_SHORT, 0);
		else if (len < ETH_HDR_LEN + IPV4_HDR_LEN)
			expect(frame, len, false, WIRE_IP_SHORT, IP_OFF);
		else
			expect(frame, len, false, WIRE_IP_LENGTH, IP_OFF + 2);
	}
}

static void test_ip_version(void **state)
{
	(void)state;
	const uint8_t versions[] = { 0x65, 0x05, 0x35, 0x55, 0xf5 };
	for (size_t i = 0; i < sizeof(versions); i++) {
		build_frame(300);
		frame[IP_OFF] = versions[i];
		fix_ip_csum(frame);
		expect(frame, frame_len, false, WIRE_IP_VERSION, IP_OFF);
	}
}

static void test_ip_ihl(void **state)
{
	(void)state;
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		build_frame(300);
		frame[IP_OFF] = (uint8_t)(0x40 | ihl);
		expect(frame, frame_len, false, WIRE_IP_IHL, IP_OFF);
	}
	/* IHL 15 (60 bytes) in a datagram of 28 + 20 bytes. */
	build_frame(20);
	frame[IP_OFF] = 0x4f;
	expect(frame, frame_len, false, WIRE_IP_IHL, IP_OFF);
	/* IHL past the frame by one byte: 24-byte header, 23 bytes present. */
	build_frame(0);
	frame[IP_OFF] = 0x46;
	expect(frame, ETH_HDR_LEN + 23, false, WIRE_IP_IHL, IP_OFF);
}

static void test_ip_total_length(void **state)
{
	(void)state;
	build_frame(300);
	put16(frame + IP_OFF + 2, (uint16_t)(frame_len - IP_OFF + 1));
	fix_ip_csum(frame);
	expect(frame, frame_len, false, WIRE_IP_LENGTH, IP_OFF + 2);
	put16(frame + IP_OFF + 2, 19);
	fix_ip_csum(frame);
	expect(frame, frame_len, false, WIRE_IP_LENGTH, IP_OFF + 2);
	put16(frame + IP_OFF + 2, 0);
	fix_ip_csum(frame);
	expect(frame, frame_len, false, WIRE_IP_LENGTH, IP_OFF + 2);
	put16(frame + IP_OFF + 2, 0xffff);
	fix_ip_csum(frame);
	expect(frame, frame_len, false, WIRE_IP_LENGTH, IP_OFF + 2);
	/* A header but no room for UDP: a UDP length error, not an over-read. */
	for (uint16_t total = 20; total < 28; total++) {
		put16(frame + IP_OFF + 2, total);
		fix_ip_csum(frame);
		expect(frame, frame_len, false, WIRE_UDP_LENGTH, UDP_OFF + 4);
	}
}

static void test_ip_fragments(void **state)
{
	(void)state;
	const uint16_t frags[] = { 0x2000, 0x0001, 0x1fff, 0x2001, 0x6000, 0x4001 };
	for (size_t i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		build_frame(300);
		put16(frame + IP_OFF + 6, frags[i]);
		fix_ip_csum(frame);
		expect(frame, frame_len, false, WIRE_IP_FRAGMENT, IP_OFF + 6);
	}
	/* DF alone is not a fragment (and the reserved bit is not looked at). */
	build_frame(300);
	put16(frame + IP_OFF + 6, 0x4000);
	fix_ip_csum(frame);
	assert_int_equal(parse(frame, frame_len, false), WIRE_OK);
}

static void test_ip_checksum(void **state)
{
	(void)state;
	build_frame(300);
	frame[IP_OFF + 11] ^= 1;
	expect(frame, frame_len, false, WIRE_IP_CHECKSUM, IP_OFF + 10);
	/* csum_not_ready never covers the IPv4 header. */
	expect(frame, frame_len, true, WIRE_IP_CHECKSUM, IP_OFF + 10);
	/* A changed field with the old checksum: TTL, source address. */
	build_frame(300);
	frame[IP_OFF + 8] = 63;
	expect(frame, frame_len, false, WIRE_IP_CHECKSUM, IP_OFF + 10);
	build_frame(300);
	frame[IP_OFF + 12] = 10;
	expect(frame, frame_len, true, WIRE_IP_CHECKSUM, IP_OFF + 10);
}

static void test_ip_protocol(void **state)
{
	(void)state;
	const uint8_t protos[] = { 0, 1, 6, 41, 136, 255 };
	for (size_t i = 0; i < sizeof(protos); i++) {
		build_frame(300);
		frame[IP_OFF + 9] = protos[i];
		fix_ip_csum(frame);
		expect(frame, frame_len, false, WIRE_IP_PROTO, IP_OFF + 9);
	}
}

static void test_udp_length(void **state)
{
	(void)state;
	for (uint16_t l = 0; l < 8; l++) {
		build_frame(300);
		put16(frame + UDP_OFF + 4, l);
		expect(frame, frame_len, false, WIRE_UDP_LENGTH, UDP_OFF + 4);
	}
	build_frame(300);
	put16(frame + UDP_OFF + 4, 8 + 301);
	expect(frame, frame_len, false, WIRE_UDP_LENGTH, UDP_OFF + 4);
	expect(frame, frame_len, true, WIRE_UDP_LENGTH, UDP_OFF + 4);
	put16(frame + UDP_OFF + 4, 0xffff);
	expect(frame, frame_len, false, WIRE_UDP_LENGTH, UDP_OFF + 4);
	/* The UDP length past the IP datagram but inside the frame (padding). */
	build_frame(300);
	memset(frame + frame_len, 0, 16);
	put16(frame + UDP_OFF + 4, 8 + 310);
	expect(frame, frame_len + 16, false, WIRE_UDP_LENGTH, UDP_OFF + 4);
	/* Shorter than the IP payload: the UDP length wins. */
	build_frame(300);
	put16(frame + UDP_OFF + 4, 8 + 100);
	fix_udp_csum(frame, UDP_OFF);
	assert_int_equal(parse(frame, frame_len, false), WIRE_OK);
	assert_int_equal(view.payload_len, 100);
	/* Exactly a header: an empty payload. */
	put16(frame + UDP_OFF + 4, 8);
	fix_udp_csum(frame, UDP_OFF);
	assert_int_equal(parse(frame, frame_len, false), WIRE_OK);
	assert_int_equal(view.payload_len, 0);
}

static void test_udp_checksum(void **state)
{
	(void)state;
	build_frame(300);
	frame[UDP_FRAME_OVERHEAD + 17] ^= 0x40;
	expect(frame, frame_len, false, WIRE_UDP_CHECKSUM, UDP_OFF + 6);
	/* TP_STATUS_CSUMNOTREADY: the kernel never filled it in, so not checked. */
	assert_int_equal(parse(frame, frame_len, true), WIRE_OK);
	assert_int_equal(view.payload_len, 300);
	/* The pseudo header counts: a different destination address. */
	build_frame(300);
	frame[IP_OFF + 19] = 1;
	fix_ip_csum(frame);
	expect(frame, frame_len, false, WIRE_UDP_CHECKSUM, UDP_OFF + 6);
	/* Ports are covered too. */
	build_frame(300);
	frame[UDP_OFF + 1] = 68;
	expect(frame, frame_len, false, WIRE_UDP_CHECKSUM, UDP_OFF + 6);
	/* Odd payload lengths pad the sum with a zero byte (RFC 768). */
	build_frame(301);
	assert_int_equal(parse(frame, frame_len, false), WIRE_OK);
	frame[frame_len - 1] ^= 1;
	expect(frame, frame_len, false, WIRE_UDP_CHECKSUM, UDP_OFF + 6);
}

/* RFC 768: checksum 0 means none was computed; anything goes. */
static void test_udp_checksum_absent(void **state)
{
	(void)state;
	build_frame(300);
	put16(frame + UDP_OFF + 6, 0);
	frame[UDP_FRAME_OVERHEAD + 9] ^= 0xff;
	assert_int_equal(parse(frame, frame_len, false), WIRE_OK);
	assert_int_equal(parse(frame, frame_len, true), WIRE_OK);
}

/* Ethernet pads short frames to 60 bytes; the IPv4 total length rules. */
static void test_ethernet_padding(void **state)
{
	(void)state;
	build_frame(4);
	assert_int_equal(frame_len, 46);
	memset(frame + frame_len, 0xee, 60 - frame_len);
	assert_int_equal(parse(frame, 60, false), WIRE_OK);
	assert_int_equal(view.payload_len, 4);
	assert_int_equal(view.payload_off, UDP_FRAME_OVERHEAD);
	build_frame(300);
	memset(frame + frame_len, 0x55, 64);
	assert_int_equal(parse(frame, frame_len + 64, false), WIRE_OK);
	assert_int_equal(view.payload_len, 300);
}

/* IPv4 options: the UDP header follows IHL, and payload_off says so. */
static void test_ip_options_payload_off(void **state)
{
	(void)state;
	build_frame(300);
	memmove(frame + UDP_OFF + 8, frame + UDP_OFF, frame_len - UDP_OFF);
	/* Router alert (RFC 2113) + NOP NOP NOP EOL: 8 bytes of options. */
	const uint8_t opts[] = { 0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00 };
	memcpy(frame + UDP_OFF, opts, sizeof(opts));
	frame[IP_OFF] = 0x47;
	put16(frame + IP_OFF + 2, (uint16_t)(frame_len + 8 - IP_OFF));
	fix_ip_csum(frame);
	assert_int_equal(parse(frame, frame_len + 8, false), WIRE_OK);
	assert_int_equal(view.payload_off, UDP_FRAME_OVERHEAD + 8);
	assert_int_equal(view.payload_len, 300);
	assert_int_equal(view.port_dst, 68);
	/* IHL 15: 40 bytes of options. */
	build_frame(300);
	memmove(frame + UDP_OFF + 40, frame + UDP_OFF, frame_len - UDP_OFF);
	memset(frame + UDP_OFF, 0x01, 40);
	frame[IP_OFF] = 0x4f;
	put16(frame + IP_OFF + 2, (uint16_t)(frame_len + 40 - IP_OFF));
	fix_ip_csum(frame);
	assert_int_equal(parse(frame, frame_len + 40, false), WIRE_OK);
	assert_int_equal(view.payload_off, UDP_FRAME_OVERHEAD + 40);
	/* Checked in the right order: IHL 15 with a wrong checksum. */
	frame[IP_OFF + 30] ^= 1;
	expect(frame, frame_len + 40, false, WIRE_IP_CHECKSUM, IP_OFF + 10);
}

/* ---- ARP -------------------------------------------------------------------- */

static const struct arp_view probe = {
	.eth_dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	.eth_src = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x02 },
	.op = ARP_OP_REQUEST,
	.sha = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x02 },
	.spa = 0,
	.tha = { 0 },
	.tpa = 0xc0000264u,
};

static struct arp_view arp;

static enum wire_reason parse_arp(const uint8_t *f, size_t len)
{
	struct guarded g = guard_copy(f, len);
	enum wire_reason r;

	memset(&arp, 0, sizeof(arp));
	err.reason = WIRE_OK;
	r = frame_parse_arp(g.data, g.len, &arp, &err);
	assert_int_equal(err.reason, r);
	guard_free(&g);
	return r;
}

static void build_arp(const struct arp_view *a)
{
	assert_int_equal(frame_build_arp(a, frame, sizeof(frame), &frame_len), WIRE_OK);
	assert_int_equal(frame_len, ETH_HDR_LEN + ARP_LEN);
}

static void test_arp_round_trip(void **state)
{
	(void)state;
	build_arp(&probe);
	/* RFC 826 layout. */
	assert_int_equal(get16(frame + 12), ETHERTYPE_ARP);
	assert_memory_equal(frame + 14, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	assert_memory_equal(frame + 38, "\xc0\x00\x02\x64", 4);
	assert_int_equal(parse_arp(frame, frame_len), WIRE_OK);
	assert_memory_equal(&arp, &probe, sizeof(arp));

	struct arp_view reply = probe;
	reply.op = ARP_OP_REPLY;
	reply.spa = 0xc0000264u;
	reply.tpa = 0xc0000201u;
	memcpy(reply.tha, "\x02\x00\x5e\x00\x00\x09", 6);
	build_arp(&reply);
	/* Padded to the Ethernet minimum, as it arrives from the wire. */
	memset(frame + frame_len, 0, 60 - frame_len);
	assert_int_equal(parse_arp(frame, 60), WIRE_OK);
	assert_int_equal(arp.op, ARP_OP_REPLY);
	assert_int_equal(arp.spa, reply.spa);
	assert_int_equal(arp.tpa, reply.tpa);
	assert_memory_equal(arp.tha, reply.tha, 6);
}

static void test_arp_refusals(void **state)
{
	(void)state;
	/* offset within the frame, bad value */
	const struct { size_t at; uint8_t v; } bad[] = {
		{ 15, 6 },    /* htype 6 (IEEE 802) */
		{ 14, 1 },    /* htype 0x0101 */
		{ 16, 0x86 }, /* ptype 0x8600 */
		{ 17, 0x06 }, /* ptype 0x0806 */
		{ 18, 8 },    /* hlen 8 */
		{ 18, 0 },
		{ 19, 16 },   /* plen 16 */
		{ 21, 3 },    /* op 3 (RARP request) */
		{ 21, 0 },    /* op 0 */
		{ 20, 1 },    /* op 0x0101 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		build_arp(&probe);
		frame[bad[i].at] = bad[i].v;
		assert_int_equal(parse_arp(frame, frame_len), WIRE_ARP_FORMAT);
		assert_int_equal(err.offset, ETH_HDR_LEN);
	}
	/* Every truncation. */
	build_arp(&probe);
	for (size_t len = 0; len < frame_len; len++) {
		enum wire_reason want = len < ETH_HDR_LEN ? WIRE_ETH_SHORT : WIRE_ARP_FORMAT;
		assert_int_equal(parse_arp(frame, len), want);
	}
	/* Not ARP at all. */
	build_arp(&probe);
	put16(frame + 12, ETHERTYPE_IPV4);
	assert_int_equal(parse_arp(frame, frame_len), WIRE_ETH_TYPE);
	assert_int_equal(err.offset, 12);
	put16(frame + 12, 0x8100);
	assert_int_equal(parse_arp(frame, frame_len), WIRE_ETH_TYPE);
}

static void test_arp_build_bounds(void **state)
{
	size_t len = 5;
	(void)state;

	struct arp_view a = probe;
	a.op = 3;
	assert_int_equal(frame_build_arp(&a, frame, sizeof(frame), &len), WIRE_BAD_ARGUMENT);
	assert_int_equal(len, 0);
	a.op = 0;
	assert_int_equal(frame_build_arp(&a, frame, sizeof(frame), &len), WIRE_BAD_ARGUMENT);
	for (size_t cap = 0; cap <= ETH_HDR_LEN + ARP_LEN; cap++) {
		struct guarded g = guard_copy(zeros, cap);
		enum wire_reason r = frame_build_arp(&probe, g.data, cap, &len);
		assert_int_equal(r, cap < ETH_HDR_LEN + ARP_LEN ? WIRE_NO_ROOM : WIRE_OK);
		guard_free(&g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_build_bounds),
		cmocka_unit_test(test_udp_checksum_zero_sent_as_ffff),
		cmocka_unit_test(test_short_ethernet),
		cmocka_unit_test(test_ether_type),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_ip_version),
		cmocka_unit_test(test_ip_ihl),
		cmocka_unit_test(test_ip_total_length),
		cmocka_unit_test(test_ip_fragments),
		cmocka_unit_test(test_ip_checksum),
		cmocka_unit_test(test_ip_protocol),
		cmocka_unit_test(test_udp_length),
		cmocka_unit_test(test_udp_checksum),
		cmocka_unit_test(test_udp_checksum_absent),
		cmocka_unit_test(test_ethernet_padding),
		cmocka_unit_test(test_ip_options_payload_off),
		cmocka_unit_test(test_arp_round_trip),
		cmocka_unit_test(test_arp_refusals),
		cmocka_unit_test(test_arp_build_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
