/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPv4 addresses and routes over rtnetlink (rtnetlink(7), libmnl).
 * Requests are small and fixed in shape (at most 8 attributes of at most
 * 16 bytes) in a 32 KiB buffer, so the unchecked mnl_attr_put_* are safe.
 */
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink.h"
#include "oserr.h"

static uint32_t prefix_mask(uint8_t prefix)
{
	return prefix == 0 ? 0 : UINT32_MAX << (32 - prefix);
}

static void put_ip(struct nlmsghdr *nlh, uint16_t type, uint32_t addr)
{
	mnl_attr_put_u32(nlh, type, htonl(addr));
}

/* ---- addresses ---------------------------------------------------------- */

static int addr_check(const struct nl_addr4 *a)
{
	if (a == NULL || a->ifindex <= 0 || a->prefix < 1 || a->prefix > 32)
		return -EINVAL;
	/* rtnetlink(7) IFA_CACHEINFO: preferred beyond valid is refused. */
	if (a->preferred_lft > a->valid_lft)
		return -EINVAL;
	return 0;
}

static struct nlmsghdr *addr_msg(struct nl_conn *c, uint16_t type, uint16_t flags,
				 const struct nl_addr4 *a)
{
	struct nlmsghdr *nlh = nl_msg_start(c, type, flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = a->prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)a->ifindex;
	/* IFA_LOCAL is the address; IFA_ADDRESS the same on a broadcast
	 * link (it is the peer only on point-to-point links). */
	put_ip(nlh, IFA_LOCAL, a->addr);
	put_ip(nlh, IFA_ADDRESS, a->addr);
	return nlh;
}

static int addr_set(struct nl_conn *c, const struct nl_addr4 *a, uint16_t flags)
{
	int err = addr_check(a);

	if (err < 0)
		return err;
	struct nlmsghdr *nlh = addr_msg(c, RTM_NEWADDR, flags, a);
	if (a->broadcast != 0)
		put_ip(nlh, IFA_BROADCAST, a->broadcast);
	struct ifa_cacheinfo ci = {
		.ifa_prefered = a->preferred_lft,
		.ifa_valid = a->valid_lft,
	};
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof ci, &ci);
	if (a->noprefixroute)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NOPREFIXROUTE);
	return nl_request(c, nlh);
}

int nl_addr_add(struct nl_conn *c, const struct nl_addr4 *a)
{
	return addr_set(c, a, NLM_F_CREATE | NLM_F_EXCL);
}

int nl_addr_replace(struct nl_conn *c, const struct nl_addr4 *a)
{
	/* NLM_F_REPLACE on an existing IPv4 address updates its lifetimes
	 * in place (inet_rtm_newaddr), no delete-and-add gap. */
	return addr_set(c, a, NLM_F_CREATE | NLM_F_REPLACE);
}

int nl_addr_del(struct nl_conn *c, const struct nl_addr4 *a)
{
	if (a == NULL || a->ifindex <= 0 || a->prefix < 1 || a->prefix > 32)
		return -EINVAL;
	return nl_request(c, addr_msg(c, RTM_DELADDR, 0, a));
}

/* Reading addresses back: one dump, filtered here. */
struct addr_dump {
	int ifindex;
	bool others;              /* every interface but ifindex */
	struct nl_addr4 *addrs;   /* or, for prefixes: */
	struct nl_prefix4 *prefixes;
	size_t max;
	size_t n;
};

static int addr_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	if ((type == IFA_LOCAL || type == IFA_ADDRESS || type == IFA_BROADCAST) &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	if (type == IFA_CACHEINFO &&
	    mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(struct ifa_cacheinfo)) < 0)
		return MNL_CB_ERROR;
	if (type == IFA_FLAGS && mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static uint32_t get_ip(const struct nlattr *attr)
{
	return ntohl(mnl_attr_get_u32(attr));
}

static void addr_fill(const struct ifaddrmsg *ifa, const struct nlattr **tb,
		      struct nl_addr4 *a)
{
	memset(a, 0, sizeof *a);
	a->ifindex = (int)ifa->ifa_index;
	a->prefix = ifa->ifa_prefixlen;
	a->addr = get_ip(tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS]);
	if (tb[IFA_BROADCAST] != NULL)
		a->broadcast = get_ip(tb[IFA_BROADCAST]);
	a->valid_lft = NL_LIFETIME_FOREVER;
	a->preferred_lft = NL_LIFETIME_FOREVER;
	if (tb[IFA_CACHEINFO] != NULL) {
		struct ifa_cacheinfo ci;
		memcpy(&ci, mnl_attr_get_payload(tb[IFA_CACHEINFO]), sizeof ci);
		a->valid_lft = ci.ifa_valid;
		a->preferred_lft = ci.ifa_prefered;
	}
	uint32_t flags = tb[IFA_FLAGS] != NULL ? mnl_attr_get_u32(tb[IFA_FLAGS])
					       : ifa->ifa_flags;
	a->noprefixroute = (flags & IFA_F_NOPREFIXROUTE) != 0;
}

static void addr_keep(struct addr_dump *d, const struct nl_addr4 *a)
{
	if (d->n < d->max && d->addrs != NULL)
		d->addrs[d->n] = *a;
	if (d->n < d->max && d->prefixes != NULL) {
		d->prefixes[d->n].ifindex = a->ifindex;
		d->prefixes[d->n].prefix = a->prefix;
		d->prefixes[d->n].network = a->addr & prefix_mask(a->prefix);
	}
	d->n++;
}

static int addr_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct addr_dump *d = arg;
	const struct nlattr *tb[IFA_MAX + 1];
	struct nl_addr4 a;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifaddrmsg))
		goto bad;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET || ifa->ifa_prefixlen > 32)
		return MNL_CB_OK;
	if (((int)ifa->ifa_index == d->ifindex) == d->others)
		return MNL_CB_OK;
	memset(tb, 0, sizeof tb);
	if (mnl_attr_parse(nlh, sizeof *ifa, addr_attr, tb) < 0)
		goto bad;
	if (tb[IFA_LOCAL] == NULL && tb[IFA_ADDRESS] == NULL)
		goto bad;
	addr_fill(ifa, tb, &a);
	addr_keep(d, &a);
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static int addr_dump_run(struct nl_conn *c, struct addr_dump *d, size_t *n)
{
	struct nlmsghdr *nlh = nl_msg_start(c, RTM_GETADDR, 0);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);

	ifa->ifa_family = AF_INET;
	int err = nl_dump(c, nlh, addr_dump_cb, d);
	if (n != NULL)
		*n = d->n;
	if (err < 0)
		return err;
	return d->n > d->max ? -ENOBUFS : 0;
}

int nl_addr_list(struct nl_conn *c, int ifindex, struct nl_addr4 *out, size_t max,
		 size_t *n)
{
	struct addr_dump d = { .ifindex = ifindex, .addrs = out, .max = max };

	if (ifindex <= 0 || (out == NULL && max > 0))
		return -EINVAL;
	return addr_dump_run(c, &d, n);
}

int nl_prefixes_elsewhere(struct nl_conn *c, int ifindex, struct nl_prefix4 *out,
			  size_t max, size_t *n)
{
	struct addr_dump d = {
		.ifindex = ifindex, .others = true, .prefixes = out, .max = max,
	};

	if (ifindex <= 0 || (out == NULL && max > 0))
		return -EINVAL;
	return addr_dump_run(c, &d, n);
}

/* ---- routes ------------------------------------------------------------- */

static int route_check(const struct nl_route4 *r)
{
	if (r == NULL || r->ifindex <= 0 || r->prefix > 32)
		return -EINVAL;
	if ((r->dst & ~prefix_mask(r->prefix)) != 0)
		return -EINVAL;  /* host bits set: the kernel says EINVAL too */
	if (r->onlink && r->gateway == 0)
		return -EINVAL;
	return 0;
}

/*
 * One route in the main table, protocol RTPROT_DHCP so that ours are told
 * apart from the administrator's (and deleted by protocol too). Scope as
 * rtnetlink(7) and ip-route(8) use it: universe for a route via a gateway,
 * link for a destination reached directly on the link.
 */
static struct nlmsghdr *route_msg(struct nl_conn *c, uint16_t type, uint16_t flags,
				  const struct nl_route4 *r)
{
	struct nlmsghdr *nlh = nl_msg_start(c, type, flags);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_DHCP;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_scope = r->gateway != 0 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_flags = r->onlink ? RTNH_F_ONLINK : 0;
	if (r->prefix > 0)
		put_ip(nlh, RTA_DST, r->dst);
	if (r->gateway != 0)
		put_ip(nlh, RTA_GATEWAY, r->gateway);
	if (r->prefsrc != 0)
		put_ip(nlh, RTA_PREFSRC, r->prefsrc);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->ifindex);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	return nlh;
}

static int route_set(struct nl_conn *c, uint16_t type, uint16_t flags,
		     const struct nl_route4 *r)
{
	int err = route_check(r);

	return err < 0 ? err : nl_request(c, route_msg(c, type, flags, r));
}

int nl_route_add(struct nl_conn *c, const struct nl_route4 *r)
{
	return route_set(c, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r);
}

int nl_route_replace(struct nl_conn *c, const struct nl_route4 *r)
{
	return route_set(c, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r);
}

int nl_route_del(struct nl_conn *c, const struct nl_route4 *r)
{
	return route_set(c, RTM_DELROUTE, 0, r);
}

struct route_dump {
	int ifindex;
	struct nl_route4 *out;
	size_t max;
	size_t n;
};

static int route_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, RTA_MAX) < 0)
		return MNL_CB_OK;
	switch (type) {
	case RTA_DST:
	case RTA_GATEWAY:
	case RTA_PREFSRC:
	case RTA_OIF:
	case RTA_PRIORITY:
	case RTA_TABLE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		break;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static uint32_t route_table(const struct rtmsg *rtm, const struct nlattr **tb)
{
	return tb[RTA_TABLE] != NULL ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
}

static void route_fill(const struct rtmsg *rtm, const struct nlattr **tb,
		       struct nl_route4 *r)
{
	memset(r, 0, sizeof *r);
	r->ifindex = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	r->prefix = rtm->rtm_dst_len;
	r->protocol = rtm->rtm_protocol;
	r->onlink = (rtm->rtm_flags & RTNH_F_ONLINK) != 0;
	if (tb[RTA_DST] != NULL)
		r->dst = get_ip(tb[RTA_DST]);
	if (tb[RTA_GATEWAY] != NULL)
		r->gateway = get_ip(tb[RTA_GATEWAY]);
	if (tb[RTA_PREFSRC] != NULL)
		r->prefsrc = get_ip(tb[RTA_PREFSRC]);
	if (tb[RTA_PRIORITY] != NULL)
		r->metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
}

static int route_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct route_dump *d = arg;
	const struct nlattr *tb[RTA_MAX + 1];

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
		goto bad;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET || rtm->rtm_dst_len > 32)
		return MNL_CB_OK;
	memset(tb, 0, sizeof tb);
	if (mnl_attr_parse(nlh, sizeof *rtm, route_attr, tb) < 0)
		goto bad;
	/* Multipath routes carry no RTA_OIF: never ours, skipped. */
	if (route_table(rtm, tb) != RT_TABLE_MAIN || tb[RTA_OIF] == NULL ||
	    (int)mnl_attr_get_u32(tb[RTA_OIF]) != d->ifindex)
		return MNL_CB_OK;
	if (d->n < d->max)
		route_fill(rtm, tb, &d->out[d->n]);
	d->n++;
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

int nl_route_list(struct nl_conn *c, int ifindex, struct nl_route4 *out, size_t max,
		  size_t *n)
{
	struct route_dump d = { .ifindex = ifindex, .out = out, .max = max };

	if (ifindex <= 0 || (out == NULL && max > 0))
		return -EINVAL;
	struct nlmsghdr *nlh = nl_msg_start(c, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	rtm->rtm_family = AF_INET;
	int err = nl_dump(c, nlh, route_dump_cb, &d);
	if (n != NULL)
		*n = d.n;
	if (err < 0)
		return err;
	return d.n > d.max ? -ENOBUFS : 0;
}
