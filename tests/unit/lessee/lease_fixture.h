/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Leases and scratch directories shared by the src/lessee tests. Addresses
 * come from the TEST-NET ranges (RFC 5737).
 */
#ifndef LESSEE_TEST_LEASE_FIXTURE_H
#define LESSEE_TEST_LEASE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/*
 * 192.0.2.100/24 from server 192.0.2.1: router 192.0.2.1, DNS 192.0.2.53
 * and 198.51.100.53, NTP 192.0.2.123, domain example.com, search
 * example.com and lab.example.org, MTU 1500, 600 s lease (T1 300, T2 525)
 * obtained at monotonic 1000 ms. No classless routes.
 */
void fixture_lease(struct client_lease *l);

/* The same with option 121 instead of routers: 198.51.100.0/24 via
 * 192.0.2.1, 203.0.113.0/24 on-link, 0.0.0.0/0 via 192.0.2.1. */
void fixture_lease_routes(struct client_lease *l);

/* The largest lease: every list full, every name 253 characters. */
void fixture_lease_full(struct client_lease *l);

/* mkdtemp() under TMPDIR or /tmp into dir (>= 64 bytes); removes on clean. */
void fixture_tmpdir(char *dir, size_t cap);
/* Remove every file and empty directory in dir, then dir. */
void fixture_rmdir(const char *dir);
/* The number of entries in dir other than . and .. */
unsigned fixture_count_files(const char *dir);
/* Read a whole small file into buf (NUL-terminated); returns its length
 * or -1. */
long fixture_read(const char *path, char *buf, size_t cap);

#endif
