/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The net role's sockets: a raw AF_PACKET socket behind a locked BPF filter
 * for frames before we have an address (and ARP), a UDP socket on port 68
 * for unicast renewals, and what we must know about the interface.
 */
#ifndef LESSEE_OS_PACKET_H
#define LESSEE_OS_PACKET_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Open a non-blocking, close-on-exec AF_PACKET/SOCK_RAW socket that sees
 * only, on interface ifindex, frames arriving from the link that are
 *   (a) IPv4, protocol UDP, destination port 68, not a fragment, untagged;
 *   (b) ARP, untagged.
 * The filter is attached before the socket is bound (so no unfiltered frame
 * is ever queued) and then locked with SO_LOCK_FILTER: after that nobody,
 * root included, can replace or remove it on this socket. PACKET_AUXDATA is
 * on, for packet_recv. Needs CAP_NET_RAW. Returns the fd or -errno.
 */
int packet_open(int ifindex);

/*
 * Read one frame into buf. Returns 0 and sets *len and *csum_not_ready (the
 * kernel's TP_STATUS_CSUMNOTREADY: the UDP checksum was never computed, as
 * on veth and virtio; hand it to frame_parse_udp). Otherwise:
 *   -EAGAIN   nothing pending;
 *   -EMSGSIZE the frame was longer than cap (it is consumed and dropped);
 *   -ENOMSG   a frame the filter should have refused (outgoing or VLAN
 *             tagged): consumed, not for us;
 *   -EPROTO   no PACKET_AUXDATA came with it (refuse rather than guess);
 *   other -errno from recvmsg.
 */
int packet_recv(int fd, uint8_t *buf, size_t cap, size_t *len, bool *csum_not_ready);

/* Send one whole Ethernet frame (header included) out of ifindex. */
int packet_send(int fd, int ifindex, const uint8_t *frame, size_t len);

/*
 * A non-blocking UDP socket bound to 0.0.0.0:68 on ifname only
 * (SO_BINDTODEVICE), with SO_REUSEADDR so that it coexists with another
 * client's socket on port 68, as dhclient's does. Used to send unicast
 * REQUESTs while RENEWING (RFC 2131 4.4.5), which need a routed path rather
 * than a raw frame. Needs CAP_NET_BIND_SERVICE (port 68), and CAP_NET_RAW
 * for SO_BINDTODEVICE on kernels before 5.7. Returns the fd or -errno.
 */
int udp_client_open(const char *ifname);

/* Send payload to dst_ip (host byte order), UDP port 67. */
int udp_send(int fd, uint32_t dst_ip, const uint8_t *payload, size_t len);

struct if_info {
	char name[IFNAMSIZ];
	int ifindex;
	uint16_t hwtype;           /* ARPHRD_ETHER for Ethernet */
	uint8_t mac[6];            /* current address */
	uint8_t perm_mac[6];       /* burnt-in address (ETHTOOL_GPERMADDR) */
	bool has_perm_mac;         /* false when the driver reports none */
	uint32_t mtu;
};

/*
 * Look up ifname: index, hardware type, current and permanent MAC, MTU.
 * Needs no privilege. -ENODEV if there is no such interface, -EINVAL for a
 * name that cannot be one.
 */
int if_info_get(const char *ifname, struct if_info *out);

#endif
