/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Write the named seed corpora of the three IPC harnesses:
 *
 *   BUILD/tests/fuzz/ipc_seeds [--clean] tests/fuzz/corpus
 *
 * C, not make-seeds.py: the records are C structs (padding, sizes), and
 * the engine's seeds must carry the xid and sequence numbers of the fixed
 * states fuzz_ipc_engine starts from, which only the engine itself knows.
 *
 *   fuzz_ipc_engine  "<state>-<what>": the state byte, then a record the
 *                    engine may get in that state (user requests, link
 *                    changes, the stored lease, apply's results, a server's
 *                    OFFER/ACK/NAK for the current exchange, ARP from
 *                    another host)
 *   fuzz_ipc_net     every SEND_DHCP and SEND_ARP the engine produced on
 *                    the way (DISCOVER, REQUEST in each state, RELEASE,
 *                    probes, announcements), as net reads them
 *   fuzz_ipc_apply   every CONFIGURE, PERSIST, DECONFIGURE and DROP the
 *                    engine produced, and leases at the limits (the
 *                    unit tests' fixtures: full lists, 253-character
 *                    names, classless routes, an infinite lease)
 *
 * Records identical to one already written are skipped. Rerun it after a
 * change to the IPC structs or to the engine's states; the seeds are only
 * a start, so stale ones cost coverage, never correctness.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipc_world.h"
#include "../unit/lessee/lease_fixture.h"

#define MAX_SEEDS 256

struct seed {
	char name[64];
	size_t len;
	uint8_t *data;
};

struct corpus {
	const char *dir;
	size_t n;
	struct seed s[MAX_SEEDS];
};

static struct corpus engine_c = { .dir = "fuzz_ipc_engine" };
static struct corpus net_c = { .dir = "fuzz_ipc_net" };
static struct corpus apply_c = { .dir = "fuzz_ipc_apply" };
/* What the current step is, for the names of the messages it makes. */
static const char *step = "start";

static bool taken(const struct corpus *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->s[i].name, name) == 0)
			return true;
	return false;
}

/* Keep one copy of each record, under its first name (made unique). */
static void add(struct corpus *c, const char *name, const uint8_t *data, size_t len)
{
	struct seed *s;

	if (len == 0)
		abort();
	for (size_t i = 0; i < c->n; i++)
		if (c->s[i].len == len && memcmp(c->s[i].data, data, len) == 0)
			return;
	if (c->n == MAX_SEEDS)
		abort();
	s = &c->s[c->n];
	snprintf(s->name, sizeof(s->name), "%s", name);
	for (int k = 2; taken(c, s->name); k++)
		snprintf(s->name, sizeof(s->name), "%s-%d", name, k);
	s->data = malloc(len);
	if (!s->data)
		abort();
	memcpy(s->data, data, len);
	s->len = len;
	c->n++;
}

/* ---- what the engine sends: seeds for net and apply ------------------------ */

static const char *lower(const char *s, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < cap; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	buf[i] = '\0';
	return buf;
}

/* "request-unicast-bound", "arp-probe-selecting", "configure-bound-requesting". */
static void message_name(const struct client_action *a, uint16_t type, const union ipc_body *b,
			 char *name, size_t cap)
{
	char t[32], r[32];
	size_t n;
	const uint8_t *mt;
	const char *tn;

	if (type == IPC_NET_SEND_DHCP) {
		mt = dhcp_out_get(&b->send.msg, DHCP_OPT_MSG_TYPE, &n);
		tn = mt ? dhcp_msg_type_name(mt[0]) : NULL;
		snprintf(name, cap, "%s-%s-%s", lower(tn ? tn : "none", t, sizeof(t)),
			 b->send.dest == CLIENT_DEST_UNICAST ? "unicast" : "broadcast", step);
	} else if (type == IPC_NET_SEND_ARP) {
		snprintf(name, cap, "arp-%s-%s",
			 b->arp.kind == IPC_ARP_PROBE ? "probe" : "announce", step);
	} else if (type == IPC_APPLY_DROP) {
		snprintf(name, cap, "drop-%s", step);
	} else {
		lower(client_hook_reason_name(a->type == CLIENT_ACT_DECONFIGURE ?
					      a->u.deconfigure.reason : a->u.configure.reason),
		      r, sizeof(r));
		/* "APPLY_CONFIGURE" -> "configure" */
		snprintf(name, cap, "%s-%s-%s", lower(ipc_type_name(type) + 6, t, sizeof(t)), r,
			 step);
	}
}

static void capture(struct world *w, const struct client_actions *out)
{
	static union ipc_body b;
	static uint8_t rec[IPC_BUF_MAX];
	enum ipc_peer to;
	uint16_t type;
	size_t len, n;
	char name[64];

	(void)w;
	for (size_t i = 0; i < out->n; i++) {
		if (!w_action_message(&out->a[i], &to, &type, &b, &len))
			continue;
		message_name(&out->a[i], type, &b, name, sizeof(name));
		n = w_record(rec, sizeof(rec), type, 1, &b, len);
		add(to == IPC_PEER_NET ? &net_c : &apply_c, name, rec, n);
	}
}

static void lease_seed(const char *name, uint16_t type, const struct client_lease *l)
{
	static struct ipc_lease_event ev;
	static uint8_t rec[IPC_BUF_MAX];

	memset(&ev, 0, sizeof(ev));
	ev.lease = *l;
	ev.reason = CLIENT_HOOK_BOUND;
	add(&apply_c, name, rec, w_record(rec, sizeof(rec), type, 1, &ev, sizeof(ev)));
}

/* --random-mac=stable: the engine names a network, never an address. */
static void switch_seeds(void)
{
	static uint8_t rec[IPC_BUF_MAX];
	struct ipc_fingerprint fp;

	memset(&fp, 0, sizeof(fp));
	fp.server_id = W_SERVER;
	fp.subnet = W_IP4(192, 0, 2, 0);
	fp.prefix = 24;
	add(&apply_c, "switch-mac", rec,
	    w_record(rec, sizeof(rec), IPC_APPLY_SWITCH_MAC, 1, &fp, sizeof(fp)));
	fp.subnet = W_ADDRESS;   /* refused: host bits */
	add(&apply_c, "switch-mac-host-bits", rec,
	    w_record(rec, sizeof(rec), IPC_APPLY_SWITCH_MAC, 1, &fp, sizeof(fp)));
}

static void fixture_seeds(void)
{
	static struct client_lease l;

	switch_seeds();
	fixture_lease(&l);
	lease_seed("configure-fixture", IPC_APPLY_CONFIGURE, &l);
	fixture_lease_routes(&l);
	lease_seed("configure-fixture-routes", IPC_APPLY_CONFIGURE, &l);
	lease_seed("persist-fixture-routes", IPC_APPLY_PERSIST, &l);
	fixture_lease_full(&l);
	lease_seed("configure-fixture-full", IPC_APPLY_CONFIGURE, &l);
	lease_seed("persist-fixture-full", IPC_APPLY_PERSIST, &l);
	fixture_lease(&l);
	l.lease_s = l.t1_s = l.t2_s = UINT32_MAX;
	l.t1_at = l.t2_at = l.expires_at = CLIENT_NEVER;
	lease_seed("configure-fixture-infinite", IPC_APPLY_CONFIGURE, &l);
	lease_seed("persist-fixture-infinite", IPC_APPLY_PERSIST, &l);
}

/* ---- what the engine reads: its own seeds --------------------------------- */

static const char *const state_names[W_STATE_COUNT] = {
	"wait-stored", "wait-link", "selecting", "requesting", "bound", "renewing",
	"rebooting", "link-down",
};

/* One engine seed, fed to a copy of w so what it answers is kept too. */
static void engine_seed(const struct world *w, enum w_state st, enum w_chan chan,
			const char *what, uint16_t type, const void *body, size_t len)
{
	static uint8_t buf[1 + IPC_BUF_MAX];
	static struct world copy;
	static char name[64];
	size_t n;

	buf[0] = (uint8_t)((unsigned)st << 2 | (unsigned)chan);
	n = w_next_record(w, chan, buf + 1, sizeof(buf) - 1, type, body, len);
	snprintf(name, sizeof(name), "%s-%s", state_names[st], what);
	add(&engine_c, name, buf, n + 1);
	memcpy(&copy, w, sizeof(copy));
	step = name;
	w_feed(&copy, chan, buf + 1, n);
}

static void user_seeds(const struct world *w, enum w_state st)
{
	static const struct { const char *what; uint8_t request, keep; } u[] = {
		{ "user-renew", IPC_USER_RENEW, 0 }, { "user-release", IPC_USER_RELEASE, 0 },
		{ "user-stop", IPC_USER_STOP, 0 }, { "user-stop-keep", IPC_USER_STOP, 1 },
	};
	struct ipc_user b;

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		memset(&b, 0, sizeof(b));
		b.request = u[i].request;
		b.keep = u[i].keep;
		engine_seed(w, st, W_CTL, u[i].what, IPC_CTL_USER, &b, sizeof(b));
	}
}

static void link_seeds(const struct world *w, enum w_state st)
{
	struct ipc_link l;

	memset(&l, 0, sizeof(l));
	memcpy(l.mac, w_mac, 6);
	l.up = 1;
	engine_seed(w, st, W_NET, "link-up", IPC_NET_LINK, &l, sizeof(l));
	l.up = 0;
	engine_seed(w, st, W_NET, "link-down", IPC_NET_LINK, &l, sizeof(l));
	if (st == W_BOUND) {
		l.up = 1;
		l.mac[5] ^= 0x80;   /* refused: the MAC changed under the engine */
		engine_seed(w, st, W_NET, "link-other-mac", IPC_NET_LINK, &l, sizeof(l));
	}
}

static void apply_seeds(const struct world *w, enum w_state st)
{
	static struct ipc_stored stored;
	struct ipc_result r;

	if (st == W_WAIT_STORED) {
		struct ipc_mac m;
		memset(&m, 0, sizeof(m));
		memcpy(m.mac, w_mac, 6);   /* refused: no --random-mac */
		engine_seed(w, st, W_APPLY, "mac-unasked", IPC_APPLY_MAC, &m, sizeof(m));
		memset(&stored, 0, sizeof(stored));
		engine_seed(w, st, W_APPLY, "stored-none", IPC_APPLY_STORED, &stored,
			    sizeof(stored));
		stored.present = 1;
		w_stored_lease(&stored.lease);
		engine_seed(w, st, W_APPLY, "stored-lease", IPC_APPLY_STORED, &stored,
			    sizeof(stored));
	}
	if (st == W_BOUND) {
		memset(&r, 0, sizeof(r));
		r.address = W_ADDRESS;
		r.applied = 1;
		engine_seed(w, st, W_APPLY, "result-applied", IPC_APPLY_RESULT, &r, sizeof(r));
		r.applied = 0;
		engine_seed(w, st, W_APPLY, "result-refused", IPC_APPLY_RESULT, &r, sizeof(r));
	}
}

static void frame_seeds(const struct world *w, enum w_state st)
{
	static struct ipc_frame f;
	static const struct { const char *what; uint8_t type; bool not_ready; } r[] = {
		{ "offer", DHCPOFFER, false }, { "ack", DHCPACK, false },
		{ "ack-csum-not-ready", DHCPACK, true }, { "nak", DHCPNAK, false },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		w_reply(w, r[i].type, r[i].not_ready, &f);
		engine_seed(w, st, W_NET, r[i].what, IPC_NET_FRAME, &f, sizeof(f));
	}
	if (st != W_BOUND && st != W_LINK_DOWN)
		return;
	w_arp(ARP_OP_REPLY, W_ADDRESS, W_ADDRESS, &f);
	engine_seed(w, st, W_NET, "arp-conflict", IPC_NET_ARP_FRAME, &f, sizeof(f));
	w_arp(ARP_OP_REQUEST, 0, W_ADDRESS, &f);
	engine_seed(w, st, W_NET, "arp-probe", IPC_NET_ARP_FRAME, &f, sizeof(f));
}

static void state_seeds(enum w_state st)
{
	static struct world w;
	static char name[64];

	snprintf(name, sizeof(name), "to-%s", state_names[st]);
	step = name;
	w_build(&w, st, capture);
	user_seeds(&w, st);
	link_seeds(&w, st);
	apply_seeds(&w, st);
	if (st != W_WAIT_STORED && st != W_WAIT_LINK)
		frame_seeds(&w, st);
}

/* ---- output ------------------------------------------------------------------ */

static void clean_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char f[4096];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(f, sizeof(f), "%s/%s", path, e->d_name);
		unlink(f);
	}
	closedir(d);
}

static void write_corpus(const char *root, const struct corpus *c, bool clean)
{
	char dir[4096], path[4200];
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/%s", root, c->dir);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		perror(dir);
		exit(1);
	}
	if (clean)
		clean_dir(dir);
	for (size_t i = 0; i < c->n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, c->s[i].name);
		fp = fopen(path, "wb");
		if (!fp || fwrite(c->s[i].data, 1, c->s[i].len, fp) != c->s[i].len ||
		    fclose(fp) != 0) {
			perror(path);
			exit(1);
		}
	}
	printf("%s: %zu seeds\n", dir, c->n);
}

int main(int argc, char **argv)
{
	bool clean = argc == 3 && strcmp(argv[1], "--clean") == 0;

	if (argc != 2 + clean) {
		fprintf(stderr, "usage: ipc_seeds [--clean] CORPUS_DIR\n");
		return 2;
	}
	for (int st = 0; st < W_STATE_COUNT; st++)
		state_seeds((enum w_state)st);
	fixture_seeds();
	write_corpus(argv[1 + clean], &engine_c, clean);
	write_corpus(argv[1 + clean], &net_c, clean);
	write_corpus(argv[1 + clean], &apply_c, clean);
	return 0;
}
