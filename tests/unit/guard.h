/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test inputs placed flush against an unmapped page: a parser that reads one
 * byte past the length it was given faults at once, with or without ASan.
 */
#ifndef LESSEE_TEST_GUARD_H
#define LESSEE_TEST_GUARD_H

#include <stddef.h>
#include <stdint.h>

struct guarded {
	uint8_t *data;   /* len bytes, the last one just before PROT_NONE */
	size_t len;
	void *map;
	size_t map_len;
};

/* Copy len bytes so that data[len] is the first byte of a PROT_NONE page. */
struct guarded guard_copy(const void *src, size_t len);
void guard_free(struct guarded *g);

#endif
