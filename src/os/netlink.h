/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rtnetlink (NETLINK_ROUTE) through libmnl: IPv4 addresses, routes, link
 * settings, and carrier events. Every request is sent with NLM_F_ACK and
 * the kernel's answer comes back as 0 or a negative errno.
 *
 * Addresses and ports are host byte order, as in src/wire. One nl_conn is
 * one socket; use one for requests and another (opened with RTMGRP_LINK)
 * for events, so that events never interleave with an acknowledgement.
 */
#ifndef LESSEE_OS_NETLINK_H
#define LESSEE_OS_NETLINK_H

#include <libmnl/libmnl.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * MNL_SOCKET_BUFFER_SIZE is min(page size, 8192), a runtime value; dumps
 * are asked for with a 32 KiB buffer (libmnl's MNL_SOCKET_DUMP_SIZE), which
 * holds any message the kernel sends in one datagram here (a longer one
 * would come back as -ENOSPC, never truncated silently).
 */
#define NL_BUF_SIZE 32768u
#define NL_LIFETIME_FOREVER UINT32_MAX   /* INFINITY_LIFE_TIME */
#define NL_RECV_TIMEOUT_MS 5000          /* a request socket never blocks for ever */

struct nl_conn {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	_Alignas(8) uint8_t buf[NL_BUF_SIZE];  /* requests are built and answers read here */
};

/*
 * Open a NETLINK_ROUTE socket. groups == 0: a request socket (blocking,
 * NL_RECV_TIMEOUT_MS receive timeout). groups != 0 (e.g. RTMGRP_LINK): an
 * event socket, non-blocking, subscribed to those groups. After a timeout
 * the socket is out of step with the kernel: close it and open a new one.
 */
int nl_open(struct nl_conn *c, unsigned int groups);
void nl_close(struct nl_conn *c);
int nl_fd(const struct nl_conn *c);

/* Start a message of type with flags in c->buf (next sequence number). */
struct nlmsghdr *nl_msg_start(struct nl_conn *c, uint16_t type, uint16_t flags);
/* Send nlh (built in c->buf) with NLM_F_ACK; 0 or the kernel's -errno. */
int nl_request(struct nl_conn *c, struct nlmsghdr *nlh);
/* Send a dump request and call cb for each answer until NLMSG_DONE. */
int nl_dump(struct nl_conn *c, struct nlmsghdr *nlh, mnl_cb_t cb, void *arg);

/* ---- IPv4 addresses (rtnetlink(7) RTM_NEWADDR/RTM_DELADDR) ---------- */

struct nl_addr4 {
	int ifindex;
	uint32_t addr;
	uint8_t prefix;           /* 1..32 */
	uint32_t broadcast;       /* 0: none */
	uint32_t valid_lft;       /* seconds, NL_LIFETIME_FOREVER */
	uint32_t preferred_lft;   /* seconds, <= valid_lft */
	bool noprefixroute;       /* IFA_F_NOPREFIXROUTE: add the prefix route yourself */
};

/* Add; -EEXIST if the address is already there. */
int nl_addr_add(struct nl_conn *c, const struct nl_addr4 *a);
/* Add or update in place (lifetimes, broadcast): renewals. */
int nl_addr_replace(struct nl_conn *c, const struct nl_addr4 *a);
/* Delete (ifindex, addr, prefix); -EADDRNOTAVAIL if it is not there. */
int nl_addr_del(struct nl_conn *c, const struct nl_addr4 *a);
/*
 * The IPv4 addresses on ifindex. Fills up to max, sets *n to how many
 * exist; -ENOBUFS if that is more than max.
 */
int nl_addr_list(struct nl_conn *c, int ifindex, struct nl_addr4 *out, size_t max,
		 size_t *n);

struct nl_prefix4 {
	int ifindex;
	uint32_t network;         /* address & mask */
	uint8_t prefix;
};

/*
 * The IPv4 prefixes configured on every interface other than ifindex (lo
 * included), for apply's route-override check (an option 121 route must not
 * cover one: TunnelVision). -ENOBUFS if there are more than max: a partial
 * list would make the check unsound.
 */
int nl_prefixes_elsewhere(struct nl_conn *c, int ifindex, struct nl_prefix4 *out,
			  size_t max, size_t *n);

/* ---- IPv4 routes (RTM_NEWROUTE/RTM_DELROUTE), main table ------------- */

struct nl_route4 {
	int ifindex;              /* RTA_OIF */
	uint32_t dst;             /* 0 with prefix 0: the default route */
	uint8_t prefix;
	uint32_t gateway;         /* 0: on-link (scope link) */
	uint32_t prefsrc;         /* 0: none */
	uint32_t metric;          /* RTA_PRIORITY */
	bool onlink;              /* RTNH_F_ONLINK: gateway outside every prefix */
	uint8_t protocol;         /* read back; requests always use RTPROT_DHCP */
};

int nl_route_add(struct nl_conn *c, const struct nl_route4 *r);
int nl_route_replace(struct nl_conn *c, const struct nl_route4 *r);
/* Delete a route we added (matched on protocol RTPROT_DHCP too); -ESRCH if none. */
int nl_route_del(struct nl_conn *c, const struct nl_route4 *r);
/* IPv4 routes of the main table out of ifindex; -ENOBUFS as above. */
int nl_route_list(struct nl_conn *c, int ifindex, struct nl_route4 *out, size_t max,
		  size_t *n);

/* ---- links ------------------------------------------------------------ */

struct nl_link {
	int ifindex;
	uint32_t flags;           /* IFF_* */
	uint32_t mtu;
	uint8_t mac[6];
	uint8_t mac_len;
	uint8_t perm_mac[6];      /* IFLA_PERM_ADDRESS: the burnt-in address */
	bool has_perm_mac;        /* false when the kernel gives none (veth) */
	char name[IFNAMSIZ];
};

int nl_link_get(struct nl_conn *c, int ifindex, struct nl_link *out);
int nl_link_set_mtu(struct nl_conn *c, int ifindex, uint32_t mtu);
int nl_link_set_up(struct nl_conn *c, int ifindex, bool up);
/* Most drivers refuse while the link is up (-EBUSY): set it down first. */
int nl_link_set_mac(struct nl_conn *c, int ifindex, const uint8_t mac[6]);

/* Carrier from IFF_* flags: administratively up, RUNNING and LOWER_UP. */
bool nl_flags_carrier(uint32_t flags);

/* ---- carrier events (RTMGRP_LINK) --------------------------------------- */

enum nl_carrier {
	NL_CARRIER_DOWN,
	NL_CARRIER_UP,
	NL_LINK_GONE,             /* RTM_DELLINK: the interface was removed */
};

typedef void (*nl_watch_cb)(void *arg, enum nl_carrier state);
/* The link's hardware address changed to mac (--random-mac, ip link set
 * address ...). */
typedef void (*nl_watch_mac_cb)(void *arg, const uint8_t mac[6]);

struct nl_watch {
	int ifindex;
	enum nl_carrier state;
	uint8_t mac[6];           /* IFLA_ADDRESS as last seen */
	nl_watch_mac_cb on_mac;   /* NULL (nl_watch_init's): changes not reported */
};

/* Start watching link (state from nl_link_get on a request socket). */
void nl_watch_init(struct nl_watch *w, const struct nl_link *link);
/*
 * Drain the event socket c, calling cb once for each change of carrier of
 * w->ifindex, in order (a down-and-up within one batch gives two calls),
 * and w->on_mac (same arg), when set, for each change of its address.
 * Returns 0 when drained, -ENOBUFS if the kernel dropped events (socket
 * overrun: re-read the link and call nl_watch_sync), or another -errno.
 */
int nl_watch_read(struct nl_conn *c, struct nl_watch *w, nl_watch_cb cb, void *arg);
/* Feed a freshly read state; cb is called if it differs. */
void nl_watch_sync(struct nl_watch *w, const struct nl_link *link, nl_watch_cb cb,
		   void *arg);

#endif
