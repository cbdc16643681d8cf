/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The apply role: the only process that changes the system. It keeps
 * CAP_NET_ADMIN (none with --no-configure), holds the rtnetlink socket, the
 * lease store and the resolv.conf target, and has hooks run. It never parses
 * a packet: it takes typed lease events from the engine and trusts none of
 * them, validating every field (validate_lease) before touching anything.
 * With -sf, or --resolv-conf resolvconf | resolved, it forks the hook
 * runner (hookrun.h) before its seccomp filter and never forks or execs
 * itself after that: the runner runs the script and the DNS programs.
 *
 * With --random-mac it also owns the link's hardware address: it sets a
 * new one before the engine may start (macaddr.h), at most once more with
 * --random-mac=stable when the engine names another network, and puts the
 * original back when it exits, unless the lease is kept.
 */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lessee/cli.h"
#include "lessee/hookenv.h"
#include "lessee/hookrun.h"
#include "lessee/ipc_msg.h"
#include "lessee/leasefile.h"
#include "lessee/leasejson.h"
#include "lessee/log.h"
#include "lessee/macaddr.h"
#include "lessee/resolv.h"
#include "lessee/roles.h"
#include "lessee/validate.h"
#include "os/evloop.h"
#include "os/netlink.h"
#include "os/privdrop.h"
#include "os/sandbox.h"
#include "wire/print.h"

#define HOOK_TIMEOUT_MS 30000u
#define ROUTE_METRIC    100u   /* below NetworkManager's 600, like dhclient's 0+ */

struct apply {
	const struct lessee_opts *opts;
	struct ipc_chan engine;
	int ifindex;
	bool configure;            /* false with --no-configure */
	struct nl_conn nl;
	struct validate_policy policy;
	bool have_applied;         /* `applied` is on the system */
	struct client_lease applied;
	bool have_stored;          /* `stored` was sent to the engine at start */
	struct client_lease stored;
	struct hookrun runner;     /* fd -1 without -sf and a DNS program */
	/* --random-mac */
	bool mac_changed;          /* the link has an address we set */
	bool mac_switched;         /* stable: the one switch of this start done */
	uint8_t mac_original[6];   /* put back at exit */
	uint8_t mac_current[6];
	uint8_t secret[MACADDR_SECRET_LEN];  /* stable; never leaves this role */
	struct ipc_mac mac_msg;    /* what the engine was told */
};

enum { TAG_ENGINE, TAG_RUNNER };

static struct apply app;
static uint8_t rx_buf[IPC_BUF_MAX];

static int64_t wall_offset_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - (int64_t)mono_now_ms();
}

static int64_t wall_expiry(const struct client_lease *l)
{
	return hookenv_wall_expiry(l, wall_offset_ms());
}

/*
 * The engine gone (EPIPE) means the daemon is stopping: the requests it sent
 * before are still queued here and are carried out (a STOP deconfigure
 * queued behind a slow hook must still run), then the channel's end exits.
 */
static void to_engine(uint16_t type, const void *body, size_t len)
{
	int r = ipc_send(&app.engine, type, body, len);
	if (r == -EPIPE)
		return;
	if (r < 0)
		log_fatal("sending %s to the engine: %s", ipc_type_name(type), strerror(-r));
}

/* ---- hooks and JSON ------------------------------------------------------ */

/*
 * The runner is part of the daemon: gone or broken, apply stops too, and
 * with it the daemon, as when any role dies (DESIGN.md "Daemon and
 * privilege separation": on anything unexpected the process exits). No
 * waitpid for its status: wait4 is outside apply's seccomp allowlist.
 */
static _Noreturn void runner_gone(int err)
{
	log_fatal("the hook runner (pid %d) is gone or broken: %s", (int)app.runner.pid,
		  strerror(-err));
}

/* Have the runner run -sf SCRIPT with the dhclient-script environment; no
 * shell, no argv from the network, a bounded wait (in hookrun.c). */
static void run_hook(enum hookenv_reason reason, const struct client_lease *new_lease,
		     const struct client_lease *old_lease)
{
	static char *envp[HOOKRUN_VARS_MAX];
	static char envbuf[HOOKRUN_ENV_MAX];
	struct hookrun_result res;
	struct hookenv env;
	struct hookenv_args args = {
		.reason = reason, .ifname = app.opts->ifname,
		.new_lease = new_lease, .new_expiry = new_lease ? wall_expiry(new_lease) : 0,
		.old_lease = old_lease, .old_expiry = old_lease ? wall_expiry(old_lease) : 0,
		.anonymous = app.opts->anonymous,
	};

	if (!app.opts->script[0])
		return;
	hookenv_init(&env, envp, sizeof(envp) / sizeof(envp[0]), envbuf, sizeof(envbuf));
	enum hookenv_status st = hookenv_build(&env, &args);
	if (st != HOOKENV_OK && st != HOOKENV_BAD_VALUE) {
		log_msg(LOG_LVL_ERROR, "hook %s not run: %s", hookenv_reason_name(reason),
			hookenv_status_name(st));
		return;
	}
	if (st == HOOKENV_BAD_VALUE)
		log_msg(LOG_LVL_WARNING, "hook %s: %s left out (failed validation)",
			hookenv_reason_name(reason), env.bad);
	int r = hookrun_call(&app.runner, reason, envp, &res);
	if (r < 0)
		runner_gone(r);
}

static void print_json(enum client_hook_reason reason, const struct client_lease *l)
{
	static char line[8192];
	struct strbuf sb;
	struct leasejson_args args = {
		.event = leasejson_event_from_client(reason), .ifname = app.opts->ifname,
		.lease = l, .expiry = l ? wall_expiry(l) : 0, .anonymous = app.opts->anonymous,
	};

	if (!app.opts->json && app.configure)
		return;
	sb_init(&sb, line, sizeof(line) - 1);
	if (leasejson_render(&sb, &args) != LEASEJSON_OK) {
		log_msg(LOG_LVL_ERROR, "JSON lease event not written");
		return;
	}
	line[sb.len] = '\n';
	if (write(STDOUT_FILENO, line, sb.len + 1) < 0)
		log_msg(LOG_LVL_WARNING, "stdout: %s", strerror(errno));
}

/* ---- the system ---------------------------------------------------------- */

static uint32_t lifetime_s(const struct client_lease *l)
{
	if (client_lease_infinite(l))
		return NL_LIFETIME_FOREVER;
	uint64_t now = mono_now_ms();
	return l->expires_at > now ? (uint32_t)((l->expires_at - now) / 1000u) : 0;
}

/* The routes a lease asks for: option 121 wins over option 3 (RFC 3442). */
static size_t lease_routes(const struct client_lease *l, struct nl_route4 *out)
{
	size_t n = 0;

	if (l->n_routes > 0) {
		for (size_t i = 0; i < l->n_routes; i++) {
			out[n] = (struct nl_route4){ .ifindex = app.ifindex, .dst = l->routes[i].dst,
				.prefix = l->routes[i].prefix, .gateway = l->routes[i].gateway,
				.prefsrc = l->address, .metric = ROUTE_METRIC };
			n++;
		}
	} else if (l->n_routers > 0) {
		out[n++] = (struct nl_route4){ .ifindex = app.ifindex, .gateway = l->routers[0],
			.prefsrc = l->address, .metric = ROUTE_METRIC };
	}
	return n;
}

static void remove_lease(const struct client_lease *l)
{
	struct nl_route4 routes[CLIENT_MAX_ROUTES + 1];
	size_t n = lease_routes(l, routes);
	struct nl_addr4 a = { .ifindex = app.ifindex, .addr = l->address, .prefix = l->prefix };

	for (size_t i = n; i-- > 0;)
		nl_route_del(&app.nl, &routes[i]);
	int r = nl_addr_del(&app.nl, &a);
	if (r < 0 && r != -EADDRNOTAVAIL)
		log_msg(LOG_LVL_WARNING, "removing address: %s", strerror(-r));
}

static int install_routes(const struct client_lease *l)
{
	struct nl_route4 routes[CLIENT_MAX_ROUTES + 1];
	size_t n = lease_routes(l, routes);

	/* On-link routes first: a gateway may be reached only through one. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			if ((routes[i].gateway != 0) != (pass == 1))
				continue;
			int r = nl_route_replace(&app.nl, &routes[i]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int install_lease(const struct client_lease *l)
{
	struct nl_addr4 a = { .ifindex = app.ifindex, .addr = l->address, .prefix = l->prefix,
		.broadcast = l->broadcast, .valid_lft = lifetime_s(l) };
	int r;

	a.preferred_lft = a.valid_lft;
	if (app.have_applied && app.applied.address != l->address)
		remove_lease(&app.applied);
	if ((r = nl_addr_replace(&app.nl, &a)) < 0)
		return r;
	if (l->mtu && (r = nl_link_set_mtu(&app.nl, app.ifindex, l->mtu)) < 0)
		return r;
	return install_routes(l);
}

/*
 * One DNS command through the runner. A request that fails the runner's
 * own check (nothing sent) costs only the DNS setting: the lease was
 * validated with the same rules, so it is logged, not fatal. Anything
 * else means the runner is broken or gone.
 */
static void dns_call(const struct hookrun_dns *d)
{
	struct hookrun_result res;
	int r = hookrun_dns_call(&app.runner, d, &res);

	if (r < 0 && r != -EINVAL)
		runner_gone(r);
}

/* resolvectl dns IFNAME ADDR..., then domain IFNAME NAME...: the search
 * list, else the domain name (as resolv_render and resolv.c choose). */
static void resolved_set(const struct client_lease *l)
{
	struct hookrun_dns d;

	memset(&d, 0, sizeof(d));
	d.cmd = HOOKRUN_DNS_RESOLVECTL_DNS;
	d.n_addrs = (uint8_t)l->n_dns;
	memcpy(d.addrs, l->dns, l->n_dns * sizeof(d.addrs[0]));
	dns_call(&d);
	memset(&d, 0, sizeof(d));
	d.cmd = HOOKRUN_DNS_RESOLVECTL_DOMAIN;
	for (unsigned i = 0; i < l->n_search; i++)
		d.names[d.n_names++] = l->search[i];
	if (l->n_search == 0 && l->domain_name[0] != '\0')
		d.names[d.n_names++] = l->domain_name;
	dns_call(&d);
}

/* Bound, renew, rebind, reboot: the lease's DNS settings, per the mode. */
static void write_dns(const struct client_lease *l)
{
	static char text[RESOLV_TEXT_MAX];
	struct hookrun_dns d;
	size_t len;

	if (app.opts->resolv_mode == RESOLV_NONE)
		return;
	if (app.opts->resolv_mode == RESOLV_RESOLVED) {
		resolved_set(l);
		return;
	}
	if (resolv_render(app.opts->ifname, l, text, sizeof(text), &len) != RESOLV_OK) {
		log_msg(LOG_LVL_ERROR, "DNS not configured: the lease's names failed a check");
		return;
	}
	if (app.opts->resolv_mode == RESOLV_RESOLVCONF) {
		memset(&d, 0, sizeof(d));
		d.cmd = HOOKRUN_DNS_RESOLVCONF_ADD;
		d.text = text;
		d.text_len = len;
		dns_call(&d);
		return;
	}
	int r = resolv_write(app.opts->resolv_conf, text, len);
	if (r < 0)
		log_msg(LOG_LVL_ERROR, "writing %s: %s", app.opts->resolv_conf, strerror(-r));
}

/* Expiry, release, stop without --keep: take back what write_dns gave
 * resolvconf or resolved. A written resolv.conf file stays, as before. */
static void remove_dns(void)
{
	struct hookrun_dns d;

	memset(&d, 0, sizeof(d));
	if (app.opts->resolv_mode == RESOLV_RESOLVCONF)
		d.cmd = HOOKRUN_DNS_RESOLVCONF_DELETE;
	else if (app.opts->resolv_mode == RESOLV_RESOLVED)
		d.cmd = HOOKRUN_DNS_RESOLVECTL_REVERT;
	else
		return;
	dns_call(&d);
}

/* ---- the hardware address (--random-mac) --------------------------------- */

/* Only for the run itself: -r and -x act on a running lessee, or (-r with
 * none running) release with the address the link has. */
static bool mac_randomized(void)
{
	return app.opts->random_mac && app.opts->action == CLI_RUN;
}

/*
 * Most drivers refuse a new address while the link is up (-EBUSY): down,
 * set, then the admin state it had. A failure leaves the link as up as it
 * was and returns the error.
 */
static int link_set_mac(const uint8_t mac[6])
{
	struct nl_link link;
	int r = nl_link_get(&app.nl, app.ifindex, &link);
	bool was_up = r == 0 && (link.flags & IFF_UP);

	if (r < 0)
		return r;
	if (was_up && (r = nl_link_set_up(&app.nl, app.ifindex, false)) < 0)
		return r;
	r = nl_link_set_mac(&app.nl, app.ifindex, mac);
	if (was_up) {
		int up = nl_link_set_up(&app.nl, app.ifindex, true);
		if (r == 0)
			r = up;
	}
	return r;
}

/* Set mac (why: "random", "stable", "restored"), logging the change. */
static int change_mac(const uint8_t mac[6], const char *why)
{
	char from[MACADDR_TEXT_LEN], to[MACADDR_TEXT_LEN];
	int r;

	if (memcmp(mac, app.mac_current, 6) == 0)
		return 0;
	if ((r = link_set_mac(mac)) < 0)
		return r;
	log_msg(LOG_LVL_INFO, "MAC %s -> %s (%s)", macaddr_format(app.mac_current, from),
		macaddr_format(mac, to), why);
	memcpy(app.mac_current, mac, 6);
	return 0;
}

/*
 * At exit (atexit: the engine gone, a fatal error): the original address
 * back, unless a lease stays configured on purpose (--keep, --oneshot),
 * which must keep the address it was got with. Never log_fatal here.
 */
static void restore_mac(void)
{
	if (!app.mac_changed)
		return;
	if ((app.opts->keep || app.opts->oneshot) && app.have_applied)
		return;
	int r = change_mac(app.mac_original, "restored");
	if (r < 0)
		log_msg(LOG_LVL_ERROR, "putting back the original MAC: %s", strerror(-r));
}

static void tell_engine_mac(void)
{
	memcpy(app.mac_msg.mac, app.mac_current, 6);
	to_engine(IPC_APPLY_MAC, &app.mac_msg, sizeof(app.mac_msg));
}

/* Keep the address apply derives for a network, and tell the engine. */
static void set_stable_mac(const struct ipc_fingerprint *fp)
{
	struct macaddr_network net = { fp->server_id, fp->subnet, fp->prefix };
	uint8_t mac[6];

	macaddr_stable(app.secret, &net, mac);
	int r = change_mac(mac, "stable");
	if (r < 0)
		log_fatal("setting the MAC of %s: %s", app.opts->ifname, strerror(-r));
	app.mac_msg.stable = 1;
	app.mac_msg.net = *fp;
}

/*
 * Before the engine may start: the original address (the permanent one
 * when the kernel knows it), then the new one. stored: the lease file's
 * network (stable mode), or NULL for a per-start address.
 */
static void start_mac(const struct ipc_fingerprint *stored)
{
	struct nl_link link;
	uint8_t mac[6];
	int r = nl_link_get(&app.nl, app.ifindex, &link);

	if (r < 0)
		log_fatal("reading link %s: %s", app.opts->ifname, strerror(-r));
	if (link.mac_len != 6)
		log_fatal("--random-mac: %s has no Ethernet address", app.opts->ifname);
	memcpy(app.mac_current, link.mac, 6);
	memcpy(app.mac_original, link.has_perm_mac ? link.perm_mac : link.mac, 6);
	app.mac_changed = true;   /* from here on, exit puts the original back */
	if (atexit(restore_mac) != 0)
		log_fatal("atexit failed");
	if (stored) {
		set_stable_mac(stored);
	} else {
		if ((r = macaddr_random(link.mac, mac)) < 0)
			log_fatal("a random MAC: %s", strerror(-r));
		if ((r = change_mac(mac, "random")) < 0)
			log_fatal("setting the MAC of %s: %s", app.opts->ifname, strerror(-r));
	}
	tell_engine_mac();
}

/*
 * The engine met a network other than the one the address was made for
 * (the first exchange of a start, with no or another stored network). Only
 * in stable mode, only once per start: anything else is a fooled engine.
 */
static void on_switch_mac(const struct ipc_fingerprint *fp)
{
	if (!mac_randomized() || !app.opts->random_mac_stable)
		log_fatal("refused APPLY_SWITCH_MAC from the engine: not in --random-mac=stable mode");
	if (app.mac_switched)
		log_fatal("refused APPLY_SWITCH_MAC from the engine: a second switch in one start");
	app.mac_switched = true;
	set_stable_mac(fp);
	tell_engine_mac();
}

/* The secret stays in the lease file's directory: <leasefile>.secret. */
static void load_secret(void)
{
	char path[CLI_PATH_MAX + sizeof(MACADDR_SECRET_SUFFIX)];
	char why[160];

	snprintf(path, sizeof(path), "%s%s", app.opts->leasefile, MACADDR_SECRET_SUFFIX);
	if (macaddr_secret_load(path, app.secret, why, sizeof(why)) < 0)
		log_fatal("--random-mac=stable: secret %s: %s", path, why);
}

/*
 * The original address goes back when this role exits, which it does when
 * the engine is gone. A SIGTERM or SIGINT for the whole group (Ctrl-C in
 * the foreground) would kill it first: those wait until then. After the
 * runner's fork, so hooks run with the usual mask.
 */
static void hold_stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		log_fatal("sigprocmask: %s", strerror(errno));
}

/* ---- requests ------------------------------------------------------------ */

static void load_context(struct validate_context *ctx)
{
	struct nl_prefix4 local[VALIDATE_LOCAL_MAX];
	size_t n = 0;

	memset(ctx, 0, sizeof(*ctx));
	if (!app.configure)
		return;
	int r = nl_prefixes_elsewhere(&app.nl, app.ifindex, local, VALIDATE_LOCAL_MAX, &n);
	if (r < 0)
		log_fatal("reading the host's prefixes: %s", strerror(-r));
	for (size_t i = 0; i < n; i++) {
		ctx->local[i].addr = local[i].network;
		ctx->local[i].prefix = local[i].prefix;
	}
	ctx->n_local = (uint8_t)n;
}

static void on_configure(const struct ipc_lease_event *ev)
{
	struct validate_context ctx;
	struct validate_error why;
	struct ipc_result res;
	const struct client_lease *l = &ev->lease;

	memset(&res, 0, sizeof(res));
	res.address = l->address;
	load_context(&ctx);
	if (validate_lease(l, &app.policy, &ctx, &why) != VALIDATE_OK) {
		log_msg(LOG_LVL_ERROR, "lease refused: %s", why.text);
		to_engine(IPC_APPLY_RESULT, &res, sizeof(res));
		return;
	}
	if (app.configure) {
		int r = install_lease(l);
		if (r < 0) {
			log_msg(LOG_LVL_ERROR, "applying the lease: %s", strerror(-r));
			to_engine(IPC_APPLY_RESULT, &res, sizeof(res));
			return;
		}
		write_dns(l);
	}
	run_hook(hookenv_reason_from_client(ev->reason), l, app.have_applied ? &app.applied : NULL);
	print_json(ev->reason, l);
	app.applied = *l;
	app.have_applied = true;
	app.have_stored = false;   /* replaced: the engine now holds this one */
	res.applied = 1;
	log_msg(LOG_LVL_INFO, "applied %u.%u.%u.%u/%u", l->address >> 24, l->address >> 16 & 255,
		l->address >> 8 & 255, l->address & 255, l->prefix);
	to_engine(IPC_APPLY_RESULT, &res, sizeof(res));
}

/*
 * The RELEASE (RFC 2131 4.4.6) goes out through net's UDP socket, which may
 * first need an ARP exchange with the server; that needs our address, and
 * the engine asked net and us at the same moment. Removing the address at
 * once loses the RELEASE (seen in the lab: "who-has server tell 0.0.0.0"
 * and no RELEASE). A short pause lets it leave; dhcpcd waits likewise.
 */
#define RELEASE_SETTLE_MS 200

static void on_deconfigure(const struct ipc_deconfigure *d)
{
	bool applied = app.have_applied && app.applied.address == d->address;
	bool stored = app.have_stored && app.stored.address == d->address;
	uint32_t a = d->address;

	/* Only an address this lessee holds: the lease it applied, or the one
	 * it stored (-r after a restart). Anything else may be an operator's
	 * address on the same link, which a fooled engine must not remove. A
	 * lease this role refused can still be deconfigured by the engine,
	 * which does not know of the refusal: so log, do not exit. */
	if (!applied && !stored) {
		if (validate_ip_unicast(d->address))
			log_msg(LOG_LVL_WARNING, "deconfigure of %u.%u.%u.%u ignored: not an "
				"address lessee applied or stored", a >> 24, a >> 16 & 255,
				a >> 8 & 255, a & 255);
		return;
	}
	/* Not applied by this process: -r after a restart, the stored lease. */
	const struct client_lease gone = applied ? app.applied : app.stored;
	if (app.configure && !d->keep && validate_ip_unicast(d->address)) {
		if (d->reason == CLIENT_HOOK_RELEASE) {
			const struct timespec settle = { 0, RELEASE_SETTLE_MS * 1000000L };
			nanosleep(&settle, NULL);
		}
		remove_lease(&gone);
		remove_dns();
	}
	run_hook(hookenv_reason_from_client(d->reason), NULL, &gone);
	print_json(d->reason, &gone);
	app.have_applied = false;
	app.have_stored = false;
}

static void on_persist(const struct ipc_lease_event *ev)
{
	struct leasefile_error err;
	struct validate_error why;
	struct validate_context none;

	memset(&none, 0, sizeof(none));
	if (validate_lease(&ev->lease, &app.policy, &none, &why) != VALIDATE_OK) {
		log_msg(LOG_LVL_ERROR, "lease not stored: %s", why.text);
		return;
	}
	if (leasefile_save(app.opts->leasefile, app.opts->ifname, &ev->lease, wall_offset_ms(),
			   &err) != LEASEFILE_OK)
		log_msg(LOG_LVL_ERROR, "lease file %s: %s", app.opts->leasefile, err.text);
}

static void on_engine(void)
{
	static union ipc_body body;
	struct ipc_hdr hdr;
	const void *raw;
	ssize_t n = ipc_recv(&app.engine, rx_buf, sizeof(rx_buf), &hdr, &raw);
	const char *bad;

	if (n == 0 && hdr.type == 0)
		exit(0); /* the engine is gone: the daemon is stopping */
	if (n < 0)
		log_fatal("bad message from the engine: %s", strerror((int)-n));
	bad = ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_APPLY, hdr.type, raw, (size_t)n);
	if (bad)
		log_fatal("refused %s from the engine: %s", ipc_type_name(hdr.type), bad);
	memcpy(&body, raw, (size_t)n);
	switch (hdr.type) {
	case IPC_APPLY_CONFIGURE:
		on_configure(&body.lease);
		break;
	case IPC_APPLY_DECONFIGURE:
		on_deconfigure(&body.deconf);
		break;
	case IPC_APPLY_PERSIST:
		on_persist(&body.lease);
		break;
	case IPC_APPLY_DROP:
		if (unlink(app.opts->leasefile) != 0 && errno != ENOENT)
			log_msg(LOG_LVL_WARNING, "removing %s: %s", app.opts->leasefile,
				strerror(errno));
		break;
	case IPC_APPLY_SWITCH_MAC:
		on_switch_mac(&body.fingerprint);
		break;
	default:
		log_fatal("internal: %s from the engine", ipc_type_name(hdr.type));
	}
}

/* The stored lease, checked like any other (it goes to the engine once,
 * send_stored); *net gets its network. False when there is none. */
static bool load_stored(struct ipc_fingerprint *net)
{
	static struct leasefile_record rec;
	struct leasefile_error err;
	struct validate_context none;

	memset(&none, 0, sizeof(none));
	enum leasefile_reason r = leasefile_load(app.opts->leasefile, wall_offset_ms(),
						 &app.policy, &none, &rec, &err);
	if (r == LEASEFILE_OK && strcmp(rec.ifname, app.opts->ifname) == 0) {
		app.stored = rec.lease;
		app.have_stored = true;
		memset(net, 0, sizeof(*net));
		net->server_id = rec.net.server_id;
		net->subnet = rec.net.subnet;
		net->prefix = rec.net.prefix;
		return true;
	}
	if (r != LEASEFILE_OK) {
		/* A missing file is the usual first start: say so only with -v. */
		log_msg(r == LEASEFILE_IO ? LOG_LVL_DEBUG : LOG_LVL_WARNING,
			"stored lease %s not used: %s", app.opts->leasefile, err.text);
	}
	return false;
}

static void send_stored(void)
{
	static struct ipc_stored st;

	memset(&st, 0, sizeof(st));
	st.present = app.have_stored;
	if (app.have_stored)
		st.lease = app.stored;
	to_engine(IPC_APPLY_STORED, &st, sizeof(st));
}

static void set_policy(void)
{
	const struct lessee_opts *o = app.opts;

	app.policy.accept_route_override = o->accept_route_override;
	app.policy.n_allow = o->n_allow;
	app.policy.n_deny = o->n_deny;
	for (size_t i = 0; i < o->n_allow; i++)
		app.policy.allow[i] = (struct validate_prefix){ o->allow[i].addr, o->allow[i].len };
	for (size_t i = 0; i < o->n_deny; i++)
		app.policy.deny[i] = (struct validate_prefix){ o->deny[i].addr, o->deny[i].len };
}

/* The lease file's directory (default /var/lib/lessee), made before the drop. */
static void make_lease_dir(void)
{
	char dir[CLI_PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", app.opts->leasefile);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		log_msg(LOG_LVL_WARNING, "lease directory %s: %s", dir, strerror(errno));
}

/*
 * apply keeps CAP_NET_ADMIN; with --no-configure it changes nothing on the
 * system, so it keeps no capability at all (same uid, same plan otherwise).
 */
static int drop_privileges(const char **why)
{
	struct privdrop_ids ids;
	struct privdrop_plan plan;
	int r;

	if (app.configure)
		return privdrop_role(OS_ROLE_APPLY, NULL, why);
	if ((r = privdrop_user_resolve(PRIVDROP_USER, false, &ids, why)) < 0)
		return r;
	if ((r = privdrop_plan_for(OS_ROLE_APPLY, &ids, PRIVDROP_EMPTY_DIR, &plan)) < 0) {
		*why = "no privilege plan for apply";
		return r;
	}
	plan.n_caps = 0;
	return privdrop_run(&plan, why);
}

/*
 * After the drop, so the runner has exactly apply's privileges; before the
 * sandbox, so it has no seccomp filter to pass on to the script (hookrun.h).
 */
static void start_runner(void)
{
	enum cli_resolv_mode m = app.opts->resolv_mode;
	struct hookrun_config cfg = {
		.script = app.opts->script[0] ? app.opts->script : NULL,
		.ifname = app.opts->ifname,
		.timeout_ms = HOOK_TIMEOUT_MS,
	};

	app.runner.fd = -1;
	/* The DNS programs change the system: not with --no-configure, where
	 * write_dns is never called either. */
	if (app.configure && m == RESOLV_RESOLVCONF)
		cfg.dns = HOOKRUN_DNS_RESOLVCONF;
	else if (app.configure && m == RESOLV_RESOLVED)
		cfg.dns = HOOKRUN_DNS_RESOLVED;
	if (!cfg.script && cfg.dns == HOOKRUN_DNS_NONE)
		return;
	int r = hookrun_start(&cfg, &app.runner);
	if (r < 0)
		log_fatal("starting the hook runner: %s", strerror(-r));
}

int role_apply_main(const struct lessee_opts *opts)
{
	const char *why = NULL;
	int epfd, r;

	app.opts = opts;
	app.configure = !opts->no_configure;
	log_init("apply", !opts->foreground && !opts->once && !opts->oneshot, opts->quiet,
		 opts->verbose);
	ipc_chan_init(&app.engine, ROLE_FD_FIRST, "engine");
	set_policy();
	app.ifindex = (int)if_nametoindex(opts->ifname);
	if (app.ifindex == 0)
		log_fatal("interface %s: %s", opts->ifname, strerror(errno));
	if (app.configure && (r = nl_open(&app.nl, 0)) < 0)
		log_fatal("netlink: %s", strerror(-r));
	make_lease_dir();
	if (drop_privileges(&why) < 0)
		log_fatal("dropping privileges: %s", why);
	start_runner();
	if (mac_randomized())
		hold_stop_signals();
	/* Before the filter: the owner check needs geteuid, outside it. */
	if (mac_randomized() && opts->random_mac_stable)
		load_secret();
	if (sandbox_apply(OS_ROLE_APPLY, sandbox_flags(opts), &why) < 0)
		log_fatal("sandbox: %s", why);
	struct ipc_fingerprint stored_net;
	bool have_net = load_stored(&stored_net);
	/* The new address before the PREINIT hook, which may bring the link
	 * up, and before the engine may send anything (it waits for it). */
	if (mac_randomized())
		start_mac(have_net && opts->random_mac_stable ? &stored_net : NULL);
	run_hook(HOOKENV_PREINIT, NULL, NULL);
	send_stored();
	epfd = ev_open();
	if (epfd < 0 || ev_add(epfd, app.engine.fd, TAG_ENGINE) < 0 ||
	    (app.runner.fd >= 0 && ev_add(epfd, app.runner.fd, TAG_RUNNER) < 0))
		log_fatal("epoll: %s", strerror(errno));
	for (;;) {
		struct ev_ready ready[2];
		int n = ev_wait(epfd, ready, 2, -1);
		if (n < 0)
			log_fatal("epoll_wait: %s", strerror(-n));
		for (int i = 0; i < n; i++) {
			/* Replies are read inside hookrun_call: the runner's end
			 * readable here means it hung up. */
			if (ready[i].tag == TAG_RUNNER)
				runner_gone(-EPIPE);
			on_engine();
		}
	}
}
