/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014; the constants are Vigna's public-domain
 * reference). One 64-bit word of state, a full 2^64 period, and every seed
 * is good, including 0. It is not a cryptographic generator: it only
 * desynchronises clients (xid, jitter, fuzz, option order). The caller seeds
 * it (the daemon with getrandom(), tests with a fixed number), so the
 * engine replays exactly.
 */
#include "internal.h"

void client_prng_seed(struct client_prng *rng, uint64_t seed)
{
	rng->state = seed;
}

uint64_t client_prng_next(struct client_prng *rng)
{
	uint64_t z = (rng->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * Lemire's multiply-shift would need 128-bit arithmetic; the spans here are
 * at most a few hours in milliseconds, so the modulo bias (span / 2^64) is
 * far below anything observable.
 */
uint64_t client_prng_range(struct client_prng *rng, uint64_t lo, uint64_t hi)
{
	uint64_t span;

	if (hi <= lo)
		return lo;
	span = hi - lo;
	if (span == UINT64_MAX)
		return client_prng_next(rng);
	return lo + client_prng_next(rng) % (span + 1);
}
