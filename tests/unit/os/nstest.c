/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE   /* unshare(2) */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nstest.h"

void nstest_enter(const char *prog)
{
	struct nl_conn *c;

	if (geteuid() != 0) {
		fprintf(stderr, "FAIL %s: must run as root (euid %u): it creates a network "
			"namespace and raw sockets\n", prog, (unsigned)geteuid());
		exit(1);
	}
	if (unshare(CLONE_NEWNET) != 0) {
		fprintf(stderr, "FAIL %s: unshare(CLONE_NEWNET): %s\n", prog, strerror(errno));
		exit(1);
	}
	c = calloc(1, sizeof *c);
	int err = c == NULL ? -ENOMEM : nl_open(c, 0);
	if (err == 0)
		err = nl_link_set_up(c, 1, true);   /* lo is always ifindex 1 */
	if (c != NULL)
		nl_close(c);
	free(c);
	if (err != 0) {
		fprintf(stderr, "FAIL %s: bringing lo up in the new namespace: %s\n", prog,
			strerror(-err));
		exit(1);
	}
}

static int link_index(const char *name)
{
	unsigned int i = if_nametoindex(name);

	return i == 0 ? -errno : (int)i;
}

/* ip-link(8) "type veth peer name b", spelled out in rtnetlink. */
static int veth_add(struct nl_conn *c, const char *a, const char *b)
{
	struct nlmsghdr *nlh = nl_msg_start(c, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, a);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	struct ifinfomsg *pifi = mnl_nlmsg_put_extra_header(nlh, sizeof *pifi);
	pifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, b);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_request(c, nlh);
}

int nstest_veth(struct nl_conn *c, const char *a, const char *b, int *ia, int *ib)
{
	int err = veth_add(c, a, b);

	if (err < 0)
		return err;
	*ia = link_index(a);
	*ib = link_index(b);
	if (*ia < 0 || *ib < 0)
		return -ENODEV;
	err = nl_link_set_up(c, *ia, true);
	return err < 0 ? err : nl_link_set_up(c, *ib, true);
}

int nstest_del_link(struct nl_conn *c, int ifindex)
{
	struct nlmsghdr *nlh = nl_msg_start(c, RTM_DELLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nl_request(c, nlh);
}

bool nstest_wait_carrier(struct nl_conn *c, int ifindex, bool up, int ms)
{
	const struct timespec tick = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };

	for (int waited = 0; waited <= ms; waited += 10) {
		struct nl_link link;
		if (nl_link_get(c, ifindex, &link) == 0 && nl_flags_carrier(link.flags) == up)
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

bool nstest_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN) != 0;
}
