/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guard.h"

struct guarded guard_copy(const void *src, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data_pages = (len + page - 1) / page;
	struct guarded g;

	if (data_pages == 0)
		data_pages = 1;
	g.map_len = (data_pages + 1) * page;
	g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g.map == MAP_FAILED) {
		perror("guard_copy: mmap");
		abort();
	}
	if (mprotect((uint8_t *)g.map + data_pages * page, page, PROT_NONE) != 0) {
		perror("guard_copy: mprotect");
		abort();
	}
	g.data = (uint8_t *)g.map + data_pages * page - len;
	g.len = len;
	if (len > 0)
		memcpy(g.data, src, len);
	return g;
}

void guard_free(struct guarded *g)
{
	munmap(g->map, g->map_len);
	g->map = NULL;
	g->data = NULL;
}
