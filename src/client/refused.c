/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Servers whose lease the daemon refused (its policy, src/lessee/validate.c).
 * Taking the first OFFER (offer.c) lets a rogue that answers first keep the
 * host off the network for as long as it answers with a lease we refuse;
 * listing its server identifier for a while lets the next OFFER, from an
 * honest server, win. The list is small and every entry runs out, so a
 * server refused by mistake (or by a policy fixed since) is tried again.
 */
#include "internal.h"

bool client_refused_listed(const struct client_refused *list, uint32_t server_id,
			   uint64_t now)
{
	for (size_t i = 0; i < CLIENT_REFUSED_MAX; i++)
		if (list[i].server_id == server_id && now < list[i].until)
			return true;
	return false;
}

/* Its own entry first (a refresh), else the one that lapses first: a
 * free or lapsed entry has the smallest `until` that matters. */
static size_t slot_for(const struct client_refused *list, uint32_t server_id)
{
	size_t best = 0;

	for (size_t i = 0; i < CLIENT_REFUSED_MAX; i++) {
		if (list[i].until != 0 && list[i].server_id == server_id)
			return i;
		if (list[i].until < list[best].until)
			best = i;
	}
	return best;
}

void client_refused_add(struct client_refused *list, uint32_t server_id, uint64_t now)
{
	struct client_refused *e = &list[slot_for(list, server_id)];

	e->server_id = server_id;
	e->until = client_add(now, CLIENT_REFUSED_HOLD_MS);
}
