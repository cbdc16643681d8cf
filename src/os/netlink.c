/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rtnetlink core (netlink(7), rtnetlink(7), libmnl): the connection, the
 * request/acknowledge exchange, dumps, links and carrier events. Addresses
 * and routes are in netlink_route.c.
 */
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "netlink.h"
#include "oserr.h"

/* A bound on datagrams per exchange: ~2 GiB of dump, far beyond any table
 * we read, so a confused kernel conversation cannot spin for ever. */
#define NL_MAX_BATCHES 65536u
/* Event datagrams handled per nl_watch_read; the rest wait for the next
 * wake-up (epoll is level-triggered). */
#define NL_WATCH_BATCHES 256u

/* linux/if.h (RFC 2863 lower layer up); glibc's net/if.h, which the same
 * unit needs for IFNAMSIZ and clashes with linux/if.h, lacks it. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

static int nl_set_timeout(struct nl_conn *c)
{
	struct timeval tv = {
		.tv_sec = NL_RECV_TIMEOUT_MS / 1000,
		.tv_usec = (NL_RECV_TIMEOUT_MS % 1000) * 1000,
	};

	if (setsockopt(mnl_socket_get_fd(c->sock), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof tv) < 0)
		return os_errno();
	return 0;
}

static int nl_setup(struct nl_conn *c, unsigned int groups)
{
	int one = 1;

	if (mnl_socket_bind(c->sock, groups, MNL_SOCKET_AUTOPID) < 0)
		return os_errno();
	/* netlink(7) NETLINK_CAP_ACK: error acks without the request echoed. */
	if (mnl_socket_setsockopt(c->sock, NETLINK_CAP_ACK, &one, sizeof one) < 0)
		return os_errno();
	c->portid = mnl_socket_get_portid(c->sock);
	return groups == 0 ? nl_set_timeout(c) : 0;
}

int nl_open(struct nl_conn *c, unsigned int groups)
{
	int flags = SOCK_CLOEXEC | (groups != 0 ? SOCK_NONBLOCK : 0);

	c->seq = 0;
	c->portid = 0;
	c->sock = mnl_socket_open2(NETLINK_ROUTE, flags);
	if (c->sock == NULL)
		return os_errno();
	int err = nl_setup(c, groups);
	if (err < 0)
		nl_close(c);
	return err;
}

void nl_close(struct nl_conn *c)
{
	if (c->sock != NULL)
		mnl_socket_close(c->sock);
	c->sock = NULL;
}

int nl_fd(const struct nl_conn *c)
{
	return c->sock != NULL ? mnl_socket_get_fd(c->sock) : -EBADF;
}

struct nlmsghdr *nl_msg_start(struct nl_conn *c, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(c->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	nlh->nlmsg_seq = ++c->seq;
	return nlh;
}

/* Read answers to seq until the ack (or NLMSG_DONE), each through cb. */
static int nl_receive(struct nl_conn *c, uint32_t seq, mnl_cb_t cb, void *arg)
{
	for (unsigned int i = 0; i < NL_MAX_BATCHES; i++) {
		ssize_t n = mnl_socket_recvfrom(c->sock, c->buf, sizeof c->buf);
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : os_errno();
		/* libmnl turns NLMSG_ERROR into errno = -error (0: the ack,
		 * MNL_CB_STOP) and checks the sequence and port id. */
		int r = mnl_cb_run(c->buf, (size_t)n, seq, c->portid, cb, arg);
		if (r == MNL_CB_ERROR)
			return os_errno();
		if (r == MNL_CB_STOP)
			return 0;
	}
	return -E2BIG;
}

static int nl_send(struct nl_conn *c, const struct nlmsghdr *nlh)
{
	ssize_t n = mnl_socket_sendto(c->sock, nlh, nlh->nlmsg_len);

	if (n < 0)
		return os_errno();
	return (size_t)n == nlh->nlmsg_len ? 0 : -EIO;
}

/* Send with NLM_F_ACK; answers before the ack go to cb. */
static int nl_transact(struct nl_conn *c, struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	int err = nl_send(c, nlh);
	return err < 0 ? err : nl_receive(c, nlh->nlmsg_seq, cb, arg);
}

int nl_request(struct nl_conn *c, struct nlmsghdr *nlh)
{
	return nl_transact(c, nlh, NULL, NULL);
}

int nl_dump(struct nl_conn *c, struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	/* netlink(7): a dump ends with NLMSG_DONE and gets no ack. */
	nlh->nlmsg_flags |= NLM_F_DUMP;
	int err = nl_send(c, nlh);
	return err < 0 ? err : nl_receive(c, nlh->nlmsg_seq, cb, arg);
}

/* ---- links ---------------------------------------------------------------- */

static struct ifinfomsg *nl_put_ifinfo(struct nlmsghdr *nlh, int ifindex)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return ifi;
}

static int link_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK;  /* newer than our headers: not ours to read */
	if (type == IFLA_MTU && mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	if (type == IFLA_IFNAME && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	if ((type == IFLA_ADDRESS || type == IFLA_PERM_ADDRESS) &&
	    mnl_attr_validate(attr, MNL_TYPE_BINARY) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static void link_copy(const struct ifinfomsg *ifi, const struct nlattr **tb,
		      struct nl_link *out)
{
	memset(out, 0, sizeof *out);
	out->ifindex = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	if (tb[IFLA_MTU] != NULL)
		out->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] != NULL) {
		uint16_t len = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		size_t copy = len < sizeof out->mac ? len : sizeof out->mac;
		memcpy(out->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), copy);
		out->mac_len = (uint8_t)(len < 255 ? len : 255);
	}
	/* rtnetlink sends IFLA_PERM_ADDRESS (Linux 5.6) only when the driver
	 * has one, i.e. non-zero; an Ethernet one is 6 bytes. */
	if (tb[IFLA_PERM_ADDRESS] != NULL &&
	    mnl_attr_get_payload_len(tb[IFLA_PERM_ADDRESS]) == sizeof out->perm_mac) {
		static const uint8_t zero[6];
		memcpy(out->perm_mac, mnl_attr_get_payload(tb[IFLA_PERM_ADDRESS]),
		       sizeof out->perm_mac);
		out->has_perm_mac = memcmp(out->perm_mac, zero, sizeof zero) != 0;
	}
	if (tb[IFLA_IFNAME] != NULL) {
		const char *name = mnl_attr_get_str(tb[IFLA_IFNAME]);
		size_t n = strnlen(name, IFNAMSIZ - 1);
		memcpy(out->name, name, n);
	}
}

/* Decode an RTM_NEWLINK into out; MNL_CB_ERROR with errno on a bad message. */
static int link_parse(const struct nlmsghdr *nlh, struct nl_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1];

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memset(tb, 0, sizeof tb);
	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr, tb) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	link_copy(mnl_nlmsg_get_payload(nlh), tb, out);
	return MNL_CB_OK;
}

static int link_get_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_link *out = arg;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	return link_parse(nlh, out);
}

int nl_link_get(struct nl_conn *c, int ifindex, struct nl_link *out)
{
	if (ifindex <= 0)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	struct nlmsghdr *nlh = nl_msg_start(c, RTM_GETLINK, 0);
	nl_put_ifinfo(nlh, ifindex);
	int err = nl_transact(c, nlh, link_get_cb, out);
	if (err == 0 && out->ifindex != ifindex)
		return -ENODEV;
	return err;
}

int nl_link_set_mtu(struct nl_conn *c, int ifindex, uint32_t mtu)
{
	if (ifindex <= 0 || mtu == 0)
		return -EINVAL;
	struct nlmsghdr *nlh = nl_msg_start(c, RTM_NEWLINK, 0);
	nl_put_ifinfo(nlh, ifindex);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_request(c, nlh);
}

int nl_link_set_up(struct nl_conn *c, int ifindex, bool up)
{
	if (ifindex <= 0)
		return -EINVAL;
	struct nlmsghdr *nlh = nl_msg_start(c, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = nl_put_ifinfo(nlh, ifindex);
	/* rtnetlink(7): ifi_change says which ifi_flags bits to apply. */
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nl_request(c, nlh);
}

int nl_link_set_mac(struct nl_conn *c, int ifindex, const uint8_t mac[6])
{
	if (ifindex <= 0 || mac == NULL)
		return -EINVAL;
	struct nlmsghdr *nlh = nl_msg_start(c, RTM_NEWLINK, 0);
	nl_put_ifinfo(nlh, ifindex);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	return nl_request(c, nlh);
}

bool nl_flags_carrier(uint32_t flags)
{
	/* IFF_LOWER_UP is the driver's carrier; IFF_RUNNING is RFC 2863
	 * operstate "up" (cleared while dormant, e.g. 802.1X not done). */
	const uint32_t need = IFF_UP | IFF_RUNNING | IFF_LOWER_UP;

	return (flags & need) == need;
}

/* ---- carrier events ------------------------------------------------------ */

struct watch_ctx {
	struct nl_watch *w;
	nl_watch_cb cb;
	void *arg;
};

static void watch_set(struct watch_ctx *x, enum nl_carrier state)
{
	if (x->w->state == state)
		return;
	x->w->state = state;
	x->cb(x->arg, state);
}

/* A new Ethernet address first: whoever follows the link then sees a
 * carrier change with the address it came with. */
static void watch_mac(struct watch_ctx *x, const struct nl_link *link)
{
	if (x->w->on_mac == NULL || link->mac_len != sizeof x->w->mac ||
	    memcmp(link->mac, x->w->mac, sizeof x->w->mac) == 0)
		return;
	memcpy(x->w->mac, link->mac, sizeof x->w->mac);
	x->w->on_mac(x->arg, x->w->mac);
}

static int watch_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct watch_ctx *x = arg;
	struct nl_link link;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	if (link_parse(nlh, &link) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (link.ifindex != x->w->ifindex)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_NEWLINK)
		watch_mac(x, &link);
	if (nlh->nlmsg_type == RTM_DELLINK)
		watch_set(x, NL_LINK_GONE);
	else
		watch_set(x, nl_flags_carrier(link.flags) ? NL_CARRIER_UP : NL_CARRIER_DOWN);
	return MNL_CB_OK;
}

void nl_watch_init(struct nl_watch *w, const struct nl_link *link)
{
	memcpy(w->mac, link->mac, sizeof w->mac);
	w->on_mac = NULL;
	w->ifindex = link->ifindex;
	w->state = nl_flags_carrier(link->flags) ? NL_CARRIER_UP : NL_CARRIER_DOWN;
}

void nl_watch_sync(struct nl_watch *w, const struct nl_link *link, nl_watch_cb cb,
		   void *arg)
{
	struct watch_ctx x = { .w = w, .cb = cb, .arg = arg };

	watch_set(&x, nl_flags_carrier(link->flags) ? NL_CARRIER_UP : NL_CARRIER_DOWN);
}

int nl_watch_read(struct nl_conn *c, struct nl_watch *w, nl_watch_cb cb, void *arg)
{
	struct watch_ctx x = { .w = w, .cb = cb, .arg = arg };

	for (unsigned int i = 0; i < NL_WATCH_BATCHES; i++) {
		ssize_t n = mnl_socket_recvfrom(c->sock, c->buf, sizeof c->buf);
		if (n < 0)
			return errno == EAGAIN ? 0 : os_errno();
		/* Events are not answers: no sequence or port id to match. */
		if (mnl_cb_run(c->buf, (size_t)n, 0, 0, watch_msg, &x) == MNL_CB_ERROR)
			return os_errno();
	}
	return 0;
}
