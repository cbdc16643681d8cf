/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Known answers from real traffic: tests/data/SERVER-CLIENT.pcap, one DORA
 * (and the client's RELEASE) between each of dnsmasq, ISC Kea, ISC dhcpd and
 * busybox udhcpd and each of dhclient, dhcpcd and udhcpc, recorded by
 * tests/data/capture.sh. All four servers are configured alike (the script
 * holds the configurations), so their replies must decode to the same lease;
 * what differs between them (option order, 119 compression, addressing of
 * the reply) is pinned per server below, as read with `tcpdump -vvv -n -e -r`
 * and as tests/data/README.md describes it.
 *
 * Every frame goes through frame_parse_udp with csum_not_ready=false: the
 * script turns transmit checksum offload off on both veth ends, so even the
 * frames a server sent through the kernel's UDP stack (dnsmasq) carry
 * complete checksums. A partial checksum here would fail loudly, which is
 * what we want: the test would then need the kernel's flag, which a pcap
 * does not record.
 *
 * Every frame and every payload is parsed from a copy flush against an
 * unmapped page, and every message is built again from its parsed view and
 * must come out byte for byte as captured.
 */
#include <dirent.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "wire/dhcp.h"
#include "wire/dns.h"
#include "wire/frame.h"
#include "wire/routes.h"

#define MIN_CAPTURES 12
#define MAX_FRAMES   64
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const uint8_t server_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x02, 0x01 };
static const uint8_t client_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x02, 0x64 };
static const uint8_t broadcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---- known answers ----------------------------------------------------------- */

/* What every server was configured to hand out (capture.sh). */
#define SERVER_ID  IP4(192, 0, 2, 1)
#define LEASE      600u
#define RENEW      300u
#define REBIND     525u
#define MASK       IP4(255, 255, 255, 0)
#define BROADCAST  IP4(192, 0, 2, 255)
#define ROUTER     IP4(192, 0, 2, 1)
#define DNS1       IP4(192, 0, 2, 53)
#define DNS2       IP4(192, 0, 2, 54)
#define NTP        IP4(192, 0, 2, 123)
#define MTU        1400u
#define DOMAIN     "example.test"
#define POOL_FIRST IP4(192, 0, 2, 100)
#define POOL_LAST  IP4(192, 0, 2, 200)

struct server_truth {
	const char *name;
	uint32_t yiaddr;        /* each server's choice for the fixed client MAC */
	uint32_t siaddr;
	bool broadcast_reply;   /* IP and Ethernet broadcast, else unicast to yiaddr */
	uint8_t ttl;
	size_t search_len;      /* option 119 bytes: 20 compressed, 32 not */
	bool echoes_client_id;  /* RFC 6842 */
	uint8_t order[20];      /* option order of OFFER and ACK, without 61 */
	size_t n_order;
};

static const struct server_truth servers[] = {
	{ "dnsmasq", IP4(192, 0, 2, 181), IP4(192, 0, 2, 1), false, 64, 20, false,
	  { 53, 54, 51, 58, 59, 121, 42, 26, 119, 15, 6, 3, 1, 28 }, 14 },
	{ "kea", IP4(192, 0, 2, 100), 0, false, 128, 32, true,
	  { 53, 1, 3, 6, 15, 26, 28, 42, 51, 54, 58, 59, 119, 121 }, 14 },
	{ "dhcpd", IP4(192, 0, 2, 100), 0, false, 128, 20, false,
	  { 53, 54, 51, 58, 59, 1, 3, 6, 15, 26, 28, 42, 119, 121 }, 14 },
	{ "udhcpd", IP4(192, 0, 2, 134), 0, true, 64, 32, false,
	  { 53, 54, 51, 1, 3, 6, 15, 26, 28, 42, 58, 59, 119, 121 }, 14 },
};

struct client_truth {
	const char *name;
	uint8_t prl[16];
	size_t n_prl;
	uint16_t max_msg_size;  /* 0: not sent */
	uint8_t client_id[32];  /* exactly as sent, if sent */
	size_t client_id_len;   /* 0: not sent */
	const char *vendor_class;
	bool release_ciaddr;    /* RELEASE from the bound address, ciaddr set */
};

static const struct client_truth clients[] = {
	{ "dhclient", { 1, 28, 2, 3, 15, 6, 119, 12, 26, 121, 42 }, 11, 0, { 0 }, 0, NULL, true },
	/* RFC 4361: type 255, IAID, then the DUID-LL capture.sh derives from
	 * the MAC (type 3, hardware type 1, MAC). */
	{ "dhcpcd", { 1, 121, 3, 6, 12, 15, 26, 28, 33, 42, 51, 54, 58, 59, 119 }, 15, 1472,
	  { 0xff, 0x00, 0x00, 0x02, 0x64, 0x00, 0x03, 0x00, 0x01,
	    0x02, 0x00, 0x00, 0x00, 0x02, 0x64 }, 15, NULL, false },
	/* Type 1 and the MAC (RFC 2132 9.14). */
	{ "udhcpc", { 1, 3, 6, 12, 15, 28, 42 }, 7, 576,
	  { 0x01, 0x02, 0x00, 0x00, 0x00, 0x02, 0x64 }, 7, "udhcp 1.35.0", true },
};

#define N_SERVERS (sizeof(servers) / sizeof(servers[0]))
#define N_CLIENTS (sizeof(clients) / sizeof(clients[0]))

/* ---- reading a capture ------------------------------------------------------- */

struct frame_rec {
	struct udp_view udp;
	struct dhcp_msg msg;
	uint8_t scratch[1500];
	struct guarded payload;  /* msg points into it */
};

static struct frame_rec frames[MAX_FRAMES];
static size_t n_frames;
static const char *data_dir;

static void free_frames(void)
{
	for (size_t i = 0; i < n_frames; i++)
		guard_free(&frames[i].payload);
	n_frames = 0;
}

static void parse_frame(const char *file, size_t index, const uint8_t *bytes, size_t len)
{
	struct frame_rec *f = &frames[n_frames];
	struct guarded g = guard_copy(bytes, len);
	struct wire_error err;
	enum wire_reason r;
	char why[160];

	r = frame_parse_udp(g.data, g.len, false, &f->udp, &err);
	if (r != WIRE_OK) {
		wire_error_format(&err, why, sizeof(why));
		fail_msg("%s frame %zu: %s", file, index + 1, why);
	}
	/* The payload gets its own guarded copy, so the DHCP parser's bound is
	 * the UDP length and not the end of the frame. */
	f->payload = guard_copy(f->udp.payload, f->udp.payload_len);
	f->udp.payload = f->payload.data;
	guard_free(&g);
	r = dhcp_parse(f->payload.data, f->payload.len, f->scratch, sizeof(f->scratch), &f->msg,
		       &err);
	if (r != WIRE_OK) {
		wire_error_format(&err, why, sizeof(why));
		fail_msg("%s frame %zu: %s", file, index + 1, why);
	}
	if (f->msg.n_dropped != 0)
		fail_msg("%s frame %zu: option %u dropped: %s", file, index + 1,
			 f->msg.dropped[0].code,
			 wire_reason_text((enum wire_reason)f->msg.dropped[0].reason));
	assert_false(f->msg.missing_end);
	n_frames++;
}

static void load(const char *file)
{
	char path[4096], errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const uint8_t *bytes;
	pcap_t *p;
	int r;

	snprintf(path, sizeof(path), "%s/%s", data_dir, file);
	p = pcap_open_offline(path, errbuf);
	if (!p)
		fail_msg("%s: %s", path, errbuf);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	free_frames();
	while ((r = pcap_next_ex(p, &ph, &bytes)) == 1) {
		assert_int_equal(ph->caplen, ph->len);
		if (n_frames == MAX_FRAMES)
			fail_msg("%s: more than %d frames", file, MAX_FRAMES);
		parse_frame(file, n_frames, bytes, ph->caplen);
	}
	if (r != PCAP_ERROR_BREAK)
		fail_msg("%s: %s", path, pcap_geterr(p));
	pcap_close(p);
}

/* ---- checks ------------------------------------------------------------------ */

static void expect_ip(const struct dhcp_msg *m, uint8_t code, uint32_t want)
{
	uint32_t v = 0;
	if (!dhcp_get_ip(m, code, &v))
		fail_msg("option %u missing or not an address", code);
	assert_int_equal(v, want);
}

static void expect_u32(const struct dhcp_msg *m, uint8_t code, uint32_t want)
{
	uint32_t v = 0;
	if (!dhcp_get_u32(m, code, &v))
		fail_msg("option %u missing or not 4 bytes", code);
	assert_int_equal(v, want);
}

static void expect_ips(const struct dhcp_msg *m, uint8_t code, const uint32_t *want, size_t n)
{
	uint32_t got[8];
	assert_int_equal(dhcp_get_ip_list(m, code, got, 8), n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void expect_bytes(const struct dhcp_msg *m, uint8_t code, const void *want, size_t n)
{
	const uint8_t *d;
	size_t len;
	if (!dhcp_get_bytes(m, code, &d, &len))
		fail_msg("option %u missing", code);
	assert_int_equal(len, n);
	assert_memory_equal(d, want, n);
}

static void expect_search(const struct dhcp_msg *m, size_t wire_len)
{
	static const char *const want[] = { "example.test", "lab.example.test" };
	struct dns_list_iter it;
	struct wire_error err;
	char name[DNS_TEXT_MAX];
	const uint8_t *d;
	size_t len;

	assert_true(dhcp_get_bytes(m, DHCP_OPT_DOMAIN_SEARCH, &d, &len));
	assert_int_equal(len, wire_len);
	dns_list_init(&it, d, len);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(dns_list_next(&it, name, sizeof(name), &err), 1);
		assert_string_equal(name, want[i]);
	}
	assert_int_equal(dns_list_next(&it, name, sizeof(name), &err), 0);
}

static void expect_routes(const struct dhcp_msg *m)
{
	/* 198.51.100.0/24 via 192.0.2.1, then the default route via 192.0.2.1 */
	static const struct wire_route want[] = {
		{ IP4(198, 51, 100, 0), 24, IP4(192, 0, 2, 1) },
		{ 0, 0, IP4(192, 0, 2, 1) },
	};
	struct route_iter it;
	struct wire_route r;
	struct wire_error err;
	const uint8_t *d;
	size_t len;

	assert_true(dhcp_get_bytes(m, DHCP_OPT_CLASSLESS_ROUTE, &d, &len));
	assert_int_equal(len, 13);
	route_iter_init(&it, d, len);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(route_iter_next(&it, &r, &err), 1);
		assert_int_equal(r.dst, want[i].dst);
		assert_int_equal(r.prefix, want[i].prefix);
		assert_int_equal(r.gateway, want[i].gateway);
	}
	assert_int_equal(route_iter_next(&it, &r, &err), 0);
	assert_false(dhcp_seen(m, DHCP_OPT_MS_CLASSLESS_ROUTE));
}

static void check_reply(const struct frame_rec *f, const struct server_truth *s,
			const struct frame_rec *request)
{
	const struct dhcp_msg *m = &f->msg;
	uint16_t mtu = 0;
	uint8_t order[256];
	size_t n = 0;

	assert_int_equal(m->hdr.op, BOOTREPLY);
	assert_int_equal(f->udp.port_src, DHCP_SERVER_PORT);
	assert_int_equal(f->udp.port_dst, DHCP_CLIENT_PORT);
	assert_int_equal(f->udp.ip_src, SERVER_ID);
	assert_memory_equal(f->udp.eth_src, server_mac, 6);
	assert_int_equal(f->udp.ttl, s->ttl);
	if (s->broadcast_reply) {
		assert_int_equal(f->udp.ip_dst, 0xffffffffu);
		assert_memory_equal(f->udp.eth_dst, broadcast_mac, 6);
	} else {
		assert_int_equal(f->udp.ip_dst, m->hdr.yiaddr);
		assert_memory_equal(f->udp.eth_dst, client_mac, 6);
	}
	assert_true(m->hdr.yiaddr >= POOL_FIRST && m->hdr.yiaddr <= POOL_LAST);
	assert_int_equal(m->hdr.yiaddr, s->yiaddr);
	assert_int_equal(m->hdr.siaddr, s->siaddr);
	assert_int_equal(m->hdr.ciaddr, 0);
	assert_int_equal(m->hdr.giaddr, 0);

	expect_ip(m, DHCP_OPT_SERVER_ID, SERVER_ID);
	expect_u32(m, DHCP_OPT_LEASE_TIME, LEASE);
	expect_u32(m, DHCP_OPT_T1, RENEW);
	expect_u32(m, DHCP_OPT_T2, REBIND);
	expect_ip(m, DHCP_OPT_SUBNET_MASK, MASK);
	expect_ip(m, DHCP_OPT_BROADCAST, BROADCAST);
	const uint32_t routers[] = { ROUTER }, dns[] = { DNS1, DNS2 }, ntp[] = { NTP };
	expect_ips(m, DHCP_OPT_ROUTER, routers, 1);
	expect_ips(m, DHCP_OPT_DNS, dns, 2);
	expect_ips(m, DHCP_OPT_NTP, ntp, 1);
	expect_bytes(m, DHCP_OPT_DOMAIN_NAME, DOMAIN, strlen(DOMAIN));
	assert_true(dhcp_get_u16(m, DHCP_OPT_MTU, &mtu));
	assert_int_equal(mtu, MTU);
	expect_search(m, s->search_len);
	expect_routes(m);

	/* The client identifier comes back only from Kea, and only if sent. */
	const uint8_t *cid;
	size_t cid_len;
	if (s->echoes_client_id && dhcp_get_bytes(&request->msg, DHCP_OPT_CLIENT_ID, &cid,
						  &cid_len))
		expect_bytes(m, DHCP_OPT_CLIENT_ID, cid, cid_len);
	else
		assert_false(dhcp_seen(m, DHCP_OPT_CLIENT_ID));
	for (size_t i = 0; i < m->n_order; i++)
		if (m->order[i] != DHCP_OPT_CLIENT_ID)
			order[n++] = m->order[i];
	assert_int_equal(n, s->n_order);
	assert_memory_equal(order, s->order, n);
}

static void check_request(const struct frame_rec *f, const struct client_truth *c)
{
	const struct dhcp_msg *m = &f->msg;
	uint16_t mms = 0;

	assert_int_equal(m->hdr.op, BOOTREQUEST);
	assert_int_equal(f->udp.port_src, DHCP_CLIENT_PORT);
	assert_int_equal(f->udp.port_dst, DHCP_SERVER_PORT);
	assert_memory_equal(f->udp.eth_src, client_mac, 6);
	expect_bytes(m, DHCP_OPT_PRL, c->prl, c->n_prl);
	if (c->max_msg_size) {
		assert_true(dhcp_get_u16(m, DHCP_OPT_MAX_MSG_SIZE, &mms));
		assert_int_equal(mms, c->max_msg_size);
	} else {
		assert_false(dhcp_seen(m, DHCP_OPT_MAX_MSG_SIZE));
	}
	if (c->client_id_len) {
		expect_bytes(m, DHCP_OPT_CLIENT_ID, c->client_id, c->client_id_len);
	} else {
		assert_false(dhcp_seen(m, DHCP_OPT_CLIENT_ID));
	}
	if (c->vendor_class)
		expect_bytes(m, DHCP_OPT_VENDOR_CLASS, c->vendor_class, strlen(c->vendor_class));
	else
		assert_false(dhcp_seen(m, DHCP_OPT_VENDOR_CLASS));
}

/* Build the parsed view again: the same bytes must come out. */
static void check_rebuild(const char *file, size_t index, const struct dhcp_msg *m)
{
	static struct dhcp_out out;
	uint8_t buf[1500];
	size_t len = 0;
	struct wire_error err;

	dhcp_out_init(&out, &m->hdr, m->type);
	memcpy(out.sname, m->sname, DHCP_SNAME_LEN);
	memcpy(out.file, m->file, DHCP_FILE_LEN);
	for (size_t i = 0; i < m->n_order; i++) {
		uint8_t code = m->order[i];
		if (code == DHCP_OPT_MSG_TYPE)
			continue;
		assert_int_equal(dhcp_out_add(&out, code, m->opt[code].data, m->opt[code].len),
				 WIRE_OK);
	}
	assert_int_equal(dhcp_build(&out, m->order, m->n_order, buf, sizeof(buf), &len, &err),
			 WIRE_OK);
	if (len != m->raw_len || memcmp(buf, m->raw, len) != 0)
		fail_msg("%s frame %zu: rebuilt message differs (%zu bytes, captured %zu)", file,
			 index + 1, len, m->raw_len);
}

static const struct server_truth *server_of(const char *file)
{
	for (size_t i = 0; i < N_SERVERS; i++) {
		size_t l = strlen(servers[i].name);
		if (strncmp(file, servers[i].name, l) == 0 && file[l] == '-')
			return &servers[i];
	}
	return NULL;
}

static const struct client_truth *client_of(const char *file)
{
	const char *dash = strchr(file, '-');
	for (size_t i = 0; dash && i < N_CLIENTS; i++) {
		size_t l = strlen(clients[i].name);
		if (strncmp(dash + 1, clients[i].name, l) == 0 &&
		    strcmp(dash + 1 + l, ".pcap") == 0)
			return &clients[i];
	}
	return NULL;
}

static void check_capture(const char *file)
{
	const struct server_truth *s = server_of(file);
	const struct client_truth *c = client_of(file);
	static const uint8_t dora[] = { DHCPDISCOVER, DHCPOFFER, DHCPREQUEST, DHCPACK };

	assert_non_null(s);
	assert_non_null(c);
	load(file);
	if (n_frames < 4)
		fail_msg("%s: %zu DHCP frames, a DORA needs 4", file, n_frames);
	for (size_t i = 0; i < n_frames; i++) {
		assert_memory_equal(frames[i].msg.hdr.chaddr, client_mac, 6);
		assert_int_equal(frames[i].msg.hdr.htype, 1);
		assert_int_equal(frames[i].msg.hdr.hlen, 6);
		check_rebuild(file, i, &frames[i].msg);
	}
	/* The exchange: DISCOVER, OFFER, REQUEST, ACK, in that order, one xid. */
	for (size_t i = 0; i < 4; i++) {
		if (frames[i].msg.type != dora[i])
			fail_msg("%s frame %zu: %s where %s was expected", file, i + 1,
				 dhcp_msg_type_name(frames[i].msg.type),
				 dhcp_msg_type_name(dora[i]));
		assert_int_equal(frames[i].msg.hdr.xid, frames[0].msg.hdr.xid);
	}
	check_request(&frames[0], c);
	check_reply(&frames[1], s, &frames[0]);
	check_request(&frames[2], c);
	check_reply(&frames[3], s, &frames[2]);
	/* RFC 2131 4.3.2: REQUEST in SELECTING names the server and the address. */
	expect_ip(&frames[2].msg, DHCP_OPT_SERVER_ID, SERVER_ID);
	expect_ip(&frames[2].msg, DHCP_OPT_REQUESTED_IP, frames[1].msg.hdr.yiaddr);
	assert_int_equal(frames[2].msg.hdr.ciaddr, 0);
	assert_false(dhcp_seen(&frames[0].msg, DHCP_OPT_SERVER_ID));
	/* Then the RELEASE capture.sh has every client send (RFC 2131 4.4.6). */
	if (n_frames != 5)
		fail_msg("%s: %zu frames, want DORA + RELEASE", file, n_frames);
	const struct dhcp_msg *rel = &frames[4].msg;
	assert_int_equal(rel->type, DHCPRELEASE);
	assert_int_equal(rel->hdr.op, BOOTREQUEST);
	expect_ip(rel, DHCP_OPT_SERVER_ID, SERVER_ID);
	/* 53 and 54, and the client identifier if the client has one. */
	assert_int_equal(rel->n_order, c->client_id_len ? 3 : 2);
	assert_int_equal(rel->order[0], DHCP_OPT_MSG_TYPE);
	assert_int_equal(rel->order[1], DHCP_OPT_SERVER_ID);
	assert_int_equal(rel->hdr.ciaddr, c->release_ciaddr ? frames[3].msg.hdr.yiaddr : 0);
	assert_int_equal(frames[4].udp.ip_src, c->release_ciaddr ? frames[3].msg.hdr.yiaddr : 0);
	assert_int_equal(frames[4].udp.port_src, DHCP_CLIENT_PORT);
	assert_int_equal(frames[4].udp.port_dst, DHCP_SERVER_PORT);
	if (c->client_id_len)
		expect_bytes(rel, DHCP_OPT_CLIENT_ID, c->client_id, c->client_id_len);
}

/* ---- the tests --------------------------------------------------------------- */

static char *names[64];
static size_t n_names;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int setup(void **state)
{
	DIR *d;
	struct dirent *e;

	(void)state;
	data_dir = getenv("LESSEE_TEST_DATA");
	if (!data_dir) {
		fprintf(stderr, "test_captures: LESSEE_TEST_DATA is not set\n");
		return -1;
	}
	d = opendir(data_dir);
	if (!d) {
		perror(data_dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL && n_names < 64) {
		size_t l = strlen(e->d_name);
		if (l > 5 && strcmp(e->d_name + l - 5, ".pcap") == 0)
			names[n_names++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n_names, sizeof(names[0]), by_name);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free_frames();
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	return 0;
}

/* Missing fixtures are a failure, never a skip; so is a capture nobody wrote
 * known answers for. */
static void test_all_captures_present(void **state)
{
	char want[64];
	(void)state;

	if (n_names < MIN_CAPTURES)
		fail_msg("%s holds %zu captures, want at least %d (tests/data/capture.sh records "
			 "them)", data_dir, n_names, MIN_CAPTURES);
	for (size_t s = 0; s < N_SERVERS; s++) {
		for (size_t c = 0; c < N_CLIENTS; c++) {
			bool found = false;
			snprintf(want, sizeof(want), "%s-%s.pcap", servers[s].name,
				 clients[c].name);
			for (size_t i = 0; i < n_names; i++)
				found = found || strcmp(names[i], want) == 0;
			if (!found)
				fail_msg("%s/%s is missing", data_dir, want);
		}
	}
	for (size_t i = 0; i < n_names; i++)
		if (!server_of(names[i]) || !client_of(names[i]))
			fail_msg("%s: no known answers for this capture; add them to "
				 "test_captures.c", names[i]);
}

/* One test per server-client pair; its name is the capture's. */
static void test_capture(void **state)
{
	check_capture((const char *)*state);
}

/* Every truncation of every captured message fails cleanly or parses, and
 * never reads past what it was given. */
static void test_truncated_captures(void **state)
{
	static uint8_t scratch[1500];
	static struct dhcp_msg m;
	struct wire_error err;
	(void)state;

	assert_true(n_names >= MIN_CAPTURES);
	for (size_t i = 0; i < n_names; i++) {
		load(names[i]);
		for (size_t k = 0; k < n_frames; k++) {
			const struct guarded *full = &frames[k].payload;
			for (size_t len = 0; len < full->len; len++) {
				struct guarded g = guard_copy(full->data, len);
				enum wire_reason r;
				r = dhcp_parse(g.data, len, scratch, sizeof(scratch), &m, &err);
				assert_int_equal(r, err.reason);
				if (len < DHCP_FIXED_LEN)
					assert_int_equal(r, WIRE_TRUNCATED);
				guard_free(&g);
			}
		}
	}
}

int main(void)
{
	static char pair_names[N_SERVERS * N_CLIENTS][64];
	struct CMUnitTest tests[2 + N_SERVERS * N_CLIENTS];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_all_captures_present);
	for (size_t s = 0; s < N_SERVERS; s++) {
		for (size_t c = 0; c < N_CLIENTS; c++) {
			char *name = pair_names[s * N_CLIENTS + c];
			snprintf(name, sizeof(pair_names[0]), "%s-%s.pcap", servers[s].name,
				 clients[c].name);
			tests[n++] = (struct CMUnitTest){ name, test_capture, NULL, NULL, name };
		}
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_truncated_captures);
	return _cmocka_run_group_tests("captures", tests, n, setup, teardown);
}
