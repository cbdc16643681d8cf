/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the src/os tests: each test program runs in a network namespace
 * of its own, made in-process with unshare(CLONE_NEWNET) before anything
 * else, so nothing can touch the host's interfaces and everything vanishes
 * when the program exits. Not root, or no namespace: the program FAILS
 * (exit 1, reason on stderr); it never skips.
 */
#ifndef LESSEE_TEST_NSTEST_H
#define LESSEE_TEST_NSTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "os/netlink.h"

/* unshare(CLONE_NEWNET) and bring lo up, or print why and exit(1). */
void nstest_enter(const char *prog);

/* Create a veth pair a <-> b (RTM_NEWLINK kind "veth"), both set up. */
int nstest_veth(struct nl_conn *c, const char *a, const char *b, int *ia, int *ib);
/* Delete a link (RTM_DELLINK). */
int nstest_del_link(struct nl_conn *c, int ifindex);
/* Wait (at most ms) until ifindex has carrier == up; true if it did. */
bool nstest_wait_carrier(struct nl_conn *c, int ifindex, bool up, int ms);
/* Wait (at most ms) until fd is readable; true if it is. */
bool nstest_readable(int fd, int ms);

/* TEST-NET addresses, host byte order (RFC 5737). */
#define TN1(x) ((uint32_t)(192u << 24 | 0u << 16 | 2u << 8 | (x)))      /* 192.0.2.x */
#define TN2(x) ((uint32_t)(198u << 24 | 51u << 16 | 100u << 8 | (x)))   /* 198.51.100.x */
#define TN3(x) ((uint32_t)(203u << 24 | 0u << 16 | 113u << 8 | (x)))    /* 203.0.113.x */

#endif
