/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * packet(7), socket(7), udp(7), netdevice(7), filter (Documentation/
 * networking/filter.rst). Every function returns a negative errno on failure.
 */
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "oserr.h"
#include "packet.h"
#include "wire/frame.h"

/* Offsets in an untagged Ethernet frame (ETH_HDR_LEN = 14). */
#define OFF_ETHERTYPE 12u
#define OFF_IP_VIHL   14u
#define OFF_IP_FRAG   20u   /* flags + fragment offset */
#define OFF_IP_PROTO  23u
#define OFF_UDP_DPORT 2u    /* from the UDP header, after X = IHL * 4 */
#define IP_MF_OFFSET  0x3fffu  /* RFC 791: MF flag and fragment offset */

/* Instruction numbers of the filter below, so jumps can be named. */
enum {
	F_PKTTYPE, F_OUTGOING, F_VLAN, F_UNTAGGED, F_ETHERTYPE, F_IS_ARP,
	F_IS_IP, F_VIHL, F_VERSION_MASK, F_IS_V4, F_PROTO, F_IS_UDP, F_FRAG,
	F_NOT_FRAG, F_IHL, F_DPORT, F_IS_68, F_ACCEPT, F_DROP, F_LEN
};

/* Jump offset from instruction `from` to instruction `to` (filter.rst). */
#define TO(from, to) ((uint8_t)((to) - (from) - 1))

/*
 * Classic BPF: accept IPv4/UDP to port 68 that is not a fragment, and ARP;
 * drop what we sent ourselves (PACKET_OUTGOING: ETH_P_ALL also sees our own
 * transmissions) and anything with a VLAN tag stripped by the NIC (it belongs
 * to another LAN). This only saves work: src/wire checks every header again.
 */
static void build_filter(struct sock_filter f[F_LEN])
{
	const struct sock_filter prog[F_LEN] = {
		[F_PKTTYPE] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
		[F_OUTGOING] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING,
					TO(F_OUTGOING, F_DROP), 0),
		[F_VLAN] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				    (uint32_t)(SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)),
		[F_UNTAGGED] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, TO(F_UNTAGGED, F_DROP)),
		[F_ETHERTYPE] = BPF_STMT(BPF_LD | BPF_H | BPF_ABS, OFF_ETHERTYPE),
		[F_IS_ARP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_ARP,
				      TO(F_IS_ARP, F_ACCEPT), 0),
		[F_IS_IP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_IPV4, 0,
				     TO(F_IS_IP, F_DROP)),
		[F_VIHL] = BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_IP_VIHL),
		[F_VERSION_MASK] = BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),
		[F_IS_V4] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x40, 0, TO(F_IS_V4, F_DROP)),
		[F_PROTO] = BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_IP_PROTO),
		[F_IS_UDP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0,
				      TO(F_IS_UDP, F_DROP)),
		[F_FRAG] = BPF_STMT(BPF_LD | BPF_H | BPF_ABS, OFF_IP_FRAG),
		[F_NOT_FRAG] = BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, IP_MF_OFFSET,
					TO(F_NOT_FRAG, F_DROP), 0),
		/* X = 4 * (IHL nibble): where the UDP header starts. */
		[F_IHL] = BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, OFF_IP_VIHL),
		[F_DPORT] = BPF_STMT(BPF_LD | BPF_H | BPF_IND, OFF_IP_VIHL + OFF_UDP_DPORT),
		[F_IS_68] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 0,
				     TO(F_IS_68, F_DROP)),
		[F_ACCEPT] = BPF_STMT(BPF_RET | BPF_K, UINT32_MAX),
		[F_DROP] = BPF_STMT(BPF_RET | BPF_K, 0),
	};

	memcpy(f, prog, sizeof prog);
}

static int set_int(int fd, int level, int name, int value)
{
	if (setsockopt(fd, level, name, &value, sizeof value) < 0)
		return os_errno();
	return 0;
}

static int attach_locked_filter(int fd)
{
	struct sock_filter insns[F_LEN];
	struct sock_fprog prog = { .len = F_LEN, .filter = insns };

	build_filter(insns);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0)
		return os_errno();
	/* socket(7) SO_LOCK_FILTER: once set, attach and detach fail with
	 * EPERM, and the lock itself cannot be cleared. */
	return set_int(fd, SOL_SOCKET, SO_LOCK_FILTER, 1);
}

static int bind_link(int fd, int ifindex)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	return bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0 ? os_errno() : 0;
}

static int packet_setup(int fd, int ifindex)
{
	int err = attach_locked_filter(fd);

	if (err == 0)
		err = set_int(fd, SOL_PACKET, PACKET_AUXDATA, 1);
	if (err == 0)
		err = bind_link(fd, ifindex);
	return err;
}

int packet_open(int ifindex)
{
	if (ifindex <= 0)
		return -EINVAL;
	/* packet(7): protocol 0 receives nothing until bind(), so the filter
	 * is in place before the first frame can be queued. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return os_errno();
	int err = packet_setup(fd, ifindex);
	if (err < 0) {
		close(fd);
		return err;
	}
	return fd;
}

/* The PACKET_AUXDATA control message, or NULL. */
static const struct tpacket_auxdata *find_auxdata(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct tpacket_auxdata)))
			return (const struct tpacket_auxdata *)(const void *)CMSG_DATA(c);
	}
	return NULL;
}

static int check_received(struct msghdr *msg, const struct sockaddr_ll *from,
			  bool *csum_not_ready)
{
	if (msg->msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (from->sll_pkttype == PACKET_OUTGOING)
		return -ENOMSG;
	const struct tpacket_auxdata *aux = find_auxdata(msg);
	if (aux == NULL)
		return -EPROTO;
	if (aux->tp_status & TP_STATUS_VLAN_VALID)
		return -ENOMSG;
	*csum_not_ready = (aux->tp_status & TP_STATUS_CSUMNOTREADY) != 0;
	return 0;
}

int packet_recv(int fd, uint8_t *buf, size_t cap, size_t *len, bool *csum_not_ready)
{
	union {
		struct cmsghdr align;
		uint8_t bytes[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} control;
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg;

	memset(&msg, 0, sizeof msg);
	memset(&from, 0, sizeof from);
	msg.msg_name = &from;
	msg.msg_namelen = sizeof from;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.bytes;
	msg.msg_controllen = sizeof control.bytes;
	ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return os_errno();
	int err = check_received(&msg, &from, csum_not_ready);
	if (err < 0)
		return err;
	*len = (size_t)n;
	return 0;
}

int packet_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll;

	if (ifindex <= 0 || len < ETH_HDR_LEN)
		return -EINVAL;
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = ETH_ADDR_LEN;
	memcpy(sll.sll_addr, frame, ETH_ADDR_LEN);
	/* Already in network byte order in the frame. */
	memcpy(&sll.sll_protocol, frame + OFF_ETHERTYPE, sizeof sll.sll_protocol);
	ssize_t n = sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof sll);
	if (n < 0)
		return os_errno();
	return (size_t)n == len ? 0 : -EIO;
}

/* ---- UDP ---------------------------------------------------------------- */

static int ifname_check(const char *ifname)
{
	size_t n = ifname != NULL ? strnlen(ifname, IFNAMSIZ) : 0;

	/* netdevice(7): names are at most IFNAMSIZ - 1 bytes. */
	return n == 0 || n >= IFNAMSIZ ? -EINVAL : 0;
}

static int udp_setup(int fd, const char *ifname)
{
	struct sockaddr_in sin;

	/* socket(7) SO_REUSEADDR: share port 68 with another client socket. */
	int err = set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (err < 0)
		return err;
	/* socket(7) SO_BINDTODEVICE: only this interface, in and out. */
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		       (socklen_t)strlen(ifname) + 1) < 0)
		return os_errno();
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(DHCP_CLIENT_PORT);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	return bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 ? os_errno() : 0;
}

int udp_client_open(const char *ifname)
{
	int err = ifname_check(ifname);

	if (err < 0)
		return err;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
	if (fd < 0)
		return os_errno();
	err = udp_setup(fd, ifname);
	if (err < 0) {
		close(fd);
		return err;
	}
	return fd;
}

int udp_send(int fd, uint32_t dst_ip, const uint8_t *payload, size_t len)
{
	struct sockaddr_in sin;

	if (payload == NULL || len == 0)
		return -EINVAL;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(DHCP_SERVER_PORT);
	sin.sin_addr.s_addr = htonl(dst_ip);
	ssize_t n = sendto(fd, payload, len, 0, (struct sockaddr *)&sin, sizeof sin);
	if (n < 0)
		return os_errno();
	return (size_t)n == len ? 0 : -EIO;
}

/* ---- interface facts ---------------------------------------------------- */

static int ioctl_ifr(int sock, unsigned long req, const char *ifname, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof *ifr);
	memcpy(ifr->ifr_name, ifname, strlen(ifname) + 1);
	return ioctl(sock, req, ifr) < 0 ? os_errno() : 0;
}

/* ethtool ETHTOOL_GPERMADDR (linux/ethtool.h); unprivileged. */
static int perm_addr(int sock, const char *ifname, struct if_info *out)
{
	union {   /* the header, then room for its flexible data[] */
		struct ethtool_perm_addr h;
		uint8_t room[sizeof(struct ethtool_perm_addr) + MAX_ADDR_LEN];
	} epa;
	struct ifreq ifr;
	static const uint8_t zero[6];

	memset(&epa, 0, sizeof epa);
	epa.h.cmd = ETHTOOL_GPERMADDR;
	epa.h.size = MAX_ADDR_LEN;
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, ifname, strlen(ifname) + 1);
	ifr.ifr_data = (char *)&epa;
	if (ioctl(sock, SIOCETHTOOL, &ifr) < 0)
		return errno == EOPNOTSUPP ? 0 : os_errno();
	if (epa.h.size != ETH_ADDR_LEN || memcmp(epa.h.data, zero, 6) == 0)
		return 0;  /* none reported (veth, tun, ...) */
	memcpy(out->perm_mac, epa.h.data, ETH_ADDR_LEN);
	out->has_perm_mac = true;
	return 0;
}

static int query_if(int sock, const char *ifname, struct if_info *out)
{
	struct ifreq ifr;
	int err = ioctl_ifr(sock, SIOCGIFINDEX, ifname, &ifr);

	if (err < 0)
		return err;
	out->ifindex = ifr.ifr_ifindex;
	if ((err = ioctl_ifr(sock, SIOCGIFHWADDR, ifname, &ifr)) < 0)
		return err;
	out->hwtype = ifr.ifr_hwaddr.sa_family;
	memcpy(out->mac, ifr.ifr_hwaddr.sa_data, ETH_ADDR_LEN);
	if ((err = ioctl_ifr(sock, SIOCGIFMTU, ifname, &ifr)) < 0)
		return err;
	if (ifr.ifr_mtu <= 0)
		return -EINVAL;
	out->mtu = (uint32_t)ifr.ifr_mtu;
	return perm_addr(sock, ifname, out);
}

int if_info_get(const char *ifname, struct if_info *out)
{
	int err = ifname_check(ifname);

	if (err < 0)
		return err;
	memset(out, 0, sizeof *out);
	memcpy(out->name, ifname, strlen(ifname) + 1);
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return os_errno();
	err = query_if(sock, ifname, out);
	close(sock);
	return err;
}
