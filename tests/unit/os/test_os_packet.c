/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * src/os/packet: the locked BPF filter on a real veth pair (what it lets
 * through, what it refuses), PACKET_AUXDATA, the UDP socket on port 68 and
 * the interface facts. Frames are built with src/wire and parsed back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nstest.h"
#include "os/netlink.h"
#include "os/packet.h"
#include "wire/dhcp.h"
#include "wire/frame.h"

#define FRAME_MAX 1600u

static struct nl_conn *nl;
static int p0, p1;           /* p0: the client side; p1: the "server" side */
static int fd0, fd1;         /* filtered packet sockets on p0 and p1 */
static struct if_info if0, if1;
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int group_setup(void **state)
{
	(void)state;
	nl = calloc(1, sizeof *nl);
	if (nl == NULL || nl_open(nl, 0) != 0)
		return -1;
	if (nstest_veth(nl, "lsp0", "lsp1", &p0, &p1) != 0 ||
	    !nstest_wait_carrier(nl, p0, true, 3000) ||
	    !nstest_wait_carrier(nl, p1, true, 3000))
		return -1;
	if (if_info_get("lsp0", &if0) != 0 || if_info_get("lsp1", &if1) != 0)
		return -1;
	fd0 = packet_open(p0);
	fd1 = packet_open(p1);
	return fd0 >= 0 && fd1 >= 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	close(fd0);
	close(fd1);
	nl_close(nl);
	free(nl);
	return 0;
}

/* An OFFER from 192.0.2.1:67 to 255.255.255.255:68, as a server sends it. */
static size_t offer_frame(uint32_t xid, uint16_t dport, uint8_t *buf)
{
	struct dhcp_header h = { .op = BOOTREPLY, .htype = 1, .hlen = 6, .xid = xid,
				 .yiaddr = TN1(100) };
	static struct dhcp_out out;
	uint8_t msg[600];
	size_t msg_len = 0, len = 0;

	memcpy(h.chaddr, if0.mac, 6);
	dhcp_out_init(&out, &h, DHCPOFFER);
	assert_int_equal(dhcp_out_add_ip(&out, DHCP_OPT_SERVER_ID, TN1(1)), WIRE_OK);
	assert_int_equal(dhcp_build(&out, NULL, 0, msg, sizeof msg, &msg_len, NULL), WIRE_OK);
	struct udp_frame_spec spec = {
		.ip_src = TN1(1), .ip_dst = 0xffffffffu, .port_src = 67, .port_dst = dport,
	};
	memcpy(spec.eth_dst, bcast, 6);
	memcpy(spec.eth_src, if1.mac, 6);
	assert_int_equal(frame_build_udp(&spec, msg, msg_len, buf, FRAME_MAX, &len), WIRE_OK);
	return len;
}

static void ip_recheck(uint8_t *frame)
{
	uint8_t *ip = frame + ETH_HDR_LEN;

	ip[10] = ip[11] = 0;
	uint16_t c = (uint16_t)~inet_fold(inet_sum(ip, IPV4_HDR_LEN, 0));
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}

/* Wait up to ms for a frame on fd; packet_recv's result. */
static int recv_within(int fd, uint8_t *buf, size_t cap, size_t *len, bool *csum, int ms)
{
	if (!nstest_readable(fd, ms))
		return -EAGAIN;
	return packet_recv(fd, buf, cap, len, csum);
}

/* The xid of a received DHCP frame, fully parsed by src/wire. */
static uint32_t parsed_xid(const uint8_t *frame, size_t len, bool csum)
{
	struct udp_view udp;
	static struct dhcp_msg msg;
	static uint8_t scratch[FRAME_MAX];

	assert_int_equal(frame_parse_udp(frame, len, csum, &udp, NULL), WIRE_OK);
	assert_int_equal(udp.port_dst, 68);
	assert_int_equal(dhcp_parse(udp.payload, udp.payload_len, scratch, sizeof scratch,
				    &msg, NULL), WIRE_OK);
	return msg.hdr.xid;
}

static void send1(const uint8_t *frame, size_t len)
{
	assert_int_equal(packet_send(fd1, p1, frame, len), 0);
}

static void test_dhcp_frame_delivered(void **state)
{
	uint8_t f[FRAME_MAX], got[FRAME_MAX];
	size_t len = offer_frame(0x12345678u, 68, f), n = 0;
	bool csum = true;

	(void)state;
	send1(f, len);
	assert_int_equal(recv_within(fd0, got, sizeof got, &n, &csum, 2000), 0);
	assert_int_equal(n, len);
	assert_memory_equal(got, f, len);
	assert_false(csum);   /* we computed the checksum ourselves */
	assert_int_equal(parsed_xid(got, n, csum), 0x12345678u);
	assert_int_equal(packet_recv(fd0, got, sizeof got, &n, &csum), -EAGAIN);
}

static void test_arp_delivered(void **state)
{
	struct arp_view arp = { .op = ARP_OP_REQUEST, .spa = 0, .tpa = TN1(100) };
	struct arp_view back;
	uint8_t f[FRAME_MAX], got[FRAME_MAX];
	size_t len = 0, n = 0;
	bool csum;

	(void)state;
	memcpy(arp.eth_dst, bcast, 6);
	memcpy(arp.eth_src, if1.mac, 6);
	memcpy(arp.sha, if1.mac, 6);
	assert_int_equal(frame_build_arp(&arp, f, sizeof f, &len), WIRE_OK);
	send1(f, len);
	assert_int_equal(recv_within(fd0, got, sizeof got, &n, &csum, 2000), 0);
	assert_int_equal(frame_parse_arp(got, n, &back, NULL), WIRE_OK);
	assert_int_equal(back.tpa, TN1(100));
	assert_memory_equal(back.sha, if1.mac, 6);
}

/*
 * Everything the filter must refuse, then one good frame: the good one is
 * the first and only thing that arrives (veth keeps order).
 */
static void test_filter_refuses(void **state)
{
	uint8_t f[FRAME_MAX], got[FRAME_MAX], tagged[FRAME_MAX + 4];
	size_t len, n = 0;
	bool csum;

	(void)state;
	len = offer_frame(1, 68, f);
	f[ETH_HDR_LEN + 9] = 6;                          /* TCP, port 68 */
	ip_recheck(f);
	send1(f, len);
	send1(f, offer_frame(2, 53, f));                 /* UDP to port 53 */
	len = offer_frame(3, 68, f);
	f[ETH_HDR_LEN + 6] = 0x20;                       /* MF: first fragment */
	ip_recheck(f);
	send1(f, len);
	len = offer_frame(4, 68, f);
	f[ETH_HDR_LEN + 7] = 0x10;                       /* offset: later fragment */
	ip_recheck(f);
	send1(f, len);
	len = offer_frame(5, 68, f);
	f[ETH_HDR_LEN] = 0x65;                           /* IP version 6, type IPv4 */
	send1(f, len);
	len = offer_frame(6, 68, f);
	f[12] = 0x86;                                    /* EtherType IPv6 */
	f[13] = 0xdd;
	send1(f, len);
	len = offer_frame(7, 68, f);                     /* 802.1Q VLAN 10 */
	memcpy(tagged, f, 12);
	memcpy(tagged + 12, "\x81\x00\x00\x0a", 4);
	memcpy(tagged + 16, f + 12, len - 12);
	send1(tagged, len + 4);
	send1(f, offer_frame(0xabcdef01u, 68, f));       /* the good one */
	assert_int_equal(recv_within(fd0, got, sizeof got, &n, &csum, 2000), 0);
	assert_int_equal(parsed_xid(got, n, csum), 0xabcdef01u);
	assert_int_equal(recv_within(fd0, got, sizeof got, &n, &csum, 200), -EAGAIN);
}

static void test_own_frames_not_seen(void **state)
{
	uint8_t f[FRAME_MAX], got[FRAME_MAX];
	size_t len = offer_frame(0x0badcafeu, 68, f), n = 0;
	bool csum;

	(void)state;
	/* Another socket sends out of p0 (a socket never sees its own
	 * frames anyway): the peer's socket sees the frame, p0's does not,
	 * although ETH_P_ALL shows a socket what leaves its interface too. */
	int other = packet_open(p0);
	assert_true(other >= 0);
	assert_int_equal(packet_send(other, p0, f, len), 0);
	assert_int_equal(recv_within(fd1, got, sizeof got, &n, &csum, 2000), 0);
	assert_int_equal(parsed_xid(got, n, csum), 0x0badcafeu);
	assert_int_equal(recv_within(fd0, got, sizeof got, &n, &csum, 200), -EAGAIN);
	close(other);
}

static void test_filter_locked(void **state)
{
	struct sock_filter accept_all = BPF_STMT(BPF_RET | BPF_K, UINT32_MAX);
	struct sock_fprog prog = { .len = 1, .filter = &accept_all };
	int dummy = 0, locked = 0;
	socklen_t sl = sizeof locked;

	(void)state;
	assert_int_equal(getsockopt(fd0, SOL_SOCKET, SO_LOCK_FILTER, &locked, &sl), 0);
	assert_int_equal(locked, 1);
	errno = 0;
	assert_int_equal(setsockopt(fd0, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog), -1);
	assert_int_equal(errno, EPERM);
	errno = 0;
	assert_int_equal(setsockopt(fd0, SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof dummy), -1);
	assert_int_equal(errno, EPERM);
	/* The lock cannot be lifted either. */
	assert_int_equal(setsockopt(fd0, SOL_SOCKET, SO_LOCK_FILTER, &dummy, sizeof dummy), -1);
	assert_int_equal(errno, EPERM);
}

static void test_recv_errors(void **state)
{
	uint8_t f[FRAME_MAX], small[64];
	size_t n = 0;
	bool csum;

	(void)state;
	assert_int_equal(packet_recv(fd0, small, sizeof small, &n, &csum), -EAGAIN);
	send1(f, offer_frame(9, 68, f));
	assert_int_equal(recv_within(fd0, small, sizeof small, &n, &csum, 2000), -EMSGSIZE);
	assert_int_equal(packet_recv(fd0, small, sizeof small, &n, &csum), -EAGAIN);
	assert_int_equal(packet_send(fd0, p0, f, 10), -EINVAL);
	assert_int_equal(packet_open(0), -EINVAL);
}

static int add_addr(int ifindex, uint32_t addr)
{
	struct nl_addr4 a = { .ifindex = ifindex, .addr = addr, .prefix = 24,
			      .valid_lft = NL_LIFETIME_FOREVER,
			      .preferred_lft = NL_LIFETIME_FOREVER };
	int err = nl_addr_add(nl, &a);

	return err == -EEXIST ? 0 : err;
}

/* A permanent neighbour entry (arp(7) SIOCSARP): ip on dev is at mac. */
static void static_neigh(const char *dev, uint32_t ip, const uint8_t *mac)
{
	struct arpreq ar;
	struct sockaddr_in *pa = (struct sockaddr_in *)(void *)&ar.arp_pa;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(s >= 0);
	memset(&ar, 0, sizeof ar);
	pa->sin_family = AF_INET;
	pa->sin_addr.s_addr = htonl(ip);
	ar.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(ar.arp_ha.sa_data, mac, 6);
	ar.arp_flags = ATF_COM | ATF_PERM;
	memcpy(ar.arp_dev, dev, strlen(dev) + 1);
	assert_int_equal(ioctl(s, SIOCSARP, &ar), 0);
	close(s);
}

/*
 * A datagram from an ordinary UDP socket leaves veth with its checksum to
 * be filled in (CHECKSUM_PARTIAL): packet_recv must say so, and the codec
 * then parses it.
 */
static void test_csum_not_ready_reported(void **state)
{
	uint8_t got[FRAME_MAX];
	const char msg[] = "not a DHCP message, only a datagram";
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(67) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(68),
				  .sin_addr.s_addr = htonl(TN1(100)) };
	struct udp_view udp;
	size_t n = 0;
	bool csum = false;
	int one = 1;

	(void)state;
	assert_int_equal(add_addr(p1, TN1(1)), 0);
	/* Reach 192.0.2.100 over the link, not through lo: nobody has it,
	 * and a static neighbour entry on p1 points it at p0's MAC. */
	static_neigh("lsp1", TN1(100), if0.mac);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(s >= 0);
	assert_int_equal(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
	from.sin_addr.s_addr = htonl(TN1(1));
	assert_int_equal(bind(s, (struct sockaddr *)&from, sizeof from), 0);
	assert_int_equal(sendto(s, msg, sizeof msg, 0, (struct sockaddr *)&to, sizeof to),
			 (ssize_t)sizeof msg);
	close(s);
	assert_int_equal(recv_within(fd0, got, sizeof got, &n, &csum, 2000), 0);
	assert_true(csum);
	assert_int_equal(frame_parse_udp(got, n, csum, &udp, NULL), WIRE_OK);
	assert_int_equal(udp.payload_len, sizeof msg);
	assert_memory_equal(udp.payload, msg, sizeof msg);
}

/* A raw, unfiltered IPv4 socket on p1: what really left p0. */
static int sniff_open(void)
{
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_IP));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = p1 };

	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sll, sizeof sll), 0);
	return s;
}

static void test_udp_unicast_to_server(void **state)
{
	const uint8_t payload[] = { 1, 1, 6, 0, 0xde, 0xad, 0xbe, 0xef };
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	uint8_t got[FRAME_MAX];
	struct udp_view udp;
	bool found = false;

	(void)state;
	assert_int_equal(add_addr(p0, TN1(100)), 0);
	int u = udp_client_open("lsp0");
	assert_true(u >= 0);
	/* SO_REUSEADDR: a second client socket on port 68 coexists. */
	int u2 = udp_client_open("lsp0");
	assert_true(u2 >= 0);
	assert_int_equal(getsockname(u, (struct sockaddr *)&sin, &sl), 0);
	assert_int_equal(ntohs(sin.sin_port), 68);
	assert_int_equal(sin.sin_addr.s_addr, htonl(INADDR_ANY));
	/* The server 192.0.2.9 is on the link (a static neighbour -> p1). */
	static_neigh("lsp0", TN1(9), if1.mac);
	int sniff = sniff_open();
	assert_int_equal(udp_send(u, TN1(9), payload, sizeof payload), 0);
	for (int i = 0; i < 20 && !found; i++) {
		ssize_t n = nstest_readable(sniff, 100) ? recv(sniff, got, sizeof got, 0) : -1;
		/* Our own UDP send: the checksum may be left to the "NIC". */
		found = n > 0 && frame_parse_udp(got, (size_t)n, true, &udp, NULL) == WIRE_OK &&
			udp.port_dst == 67;
	}
	assert_true(found);
	assert_int_equal(udp.ip_src, TN1(100));
	assert_int_equal(udp.ip_dst, TN1(9));
	assert_int_equal(udp.port_src, 68);
	assert_int_equal(udp.payload_len, sizeof payload);
	assert_memory_equal(udp.payload, payload, sizeof payload);
	assert_int_equal(udp_send(u, TN1(9), payload, 0), -EINVAL);
	close(sniff);
	close(u2);
	close(u);
}

static void test_udp_open_errors(void **state)
{
	(void)state;
	assert_int_equal(udp_client_open(""), -EINVAL);
	assert_int_equal(udp_client_open("sixteen-chars-xx"), -EINVAL);
	assert_int_equal(udp_client_open("nosuch0"), -ENODEV);
}

static void test_if_info(void **state)
{
	struct if_info info;

	(void)state;
	assert_int_equal(if_info_get("lsp0", &info), 0);
	assert_string_equal(info.name, "lsp0");
	assert_int_equal(info.ifindex, p0);
	assert_int_equal(info.hwtype, ARPHRD_ETHER);
	assert_int_equal(info.mtu, 1500);
	/* veth has a random address and no burnt-in one. */
	assert_false(info.has_perm_mac);
	assert_false(memcmp(info.mac, if1.mac, 6) == 0);
	assert_int_equal(if_info_get("lo", &info), 0);
	assert_int_equal(info.hwtype, ARPHRD_LOOPBACK);
	assert_int_equal(if_info_get("nosuch0", &info), -ENODEV);
	assert_int_equal(if_info_get("", &info), -EINVAL);
	assert_int_equal(if_info_get("sixteen-chars-xx", &info), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dhcp_frame_delivered),
		cmocka_unit_test(test_arp_delivered),
		cmocka_unit_test(test_filter_refuses),
		cmocka_unit_test(test_own_frames_not_seen),
		cmocka_unit_test(test_filter_locked),
		cmocka_unit_test(test_recv_errors),
		cmocka_unit_test(test_csum_not_ready_reported),
		cmocka_unit_test(test_udp_unicast_to_server),
		cmocka_unit_test(test_udp_open_errors),
		cmocka_unit_test(test_if_info),
	};

	nstest_enter("test_os_packet");
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
