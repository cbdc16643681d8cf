/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The apply role's side of its channel: the input is one record from the
 * engine (header + body) as apply reads it, and goes the way on_engine in
 * src/lessee/role_apply.c takes it, without netlink, files or hooks:
 *
 *   ipc_frame_check (the framing ipc_recv applies; first record, seq 1)
 *   -> ipc_msg_check(ENGINE -> APPLY)
 *   -> CONFIGURE: validate_lease under a fixed policy and context (what
 *      load_context reads from the host); PERSIST: validate_lease with no
 *      context (on_persist); DECONFIGURE: only of the lease applied before
 *      (a fixed one here), as on_deconfigure decides.
 *
 * A refusal is fine. A lease that passes must come out of every renderer
 * apply feeds it to, whole and clean (abort otherwise):
 *   - resolv_render: OK within RESOLV_TEXT_MAX; only "search", "domain",
 *     "nameserver" and comment lines, every value a host name or a dotted
 *     quad, no control byte, at most MAXNS servers and MAXDNSRCH names;
 *     the resolvectl argvs: no empty-but-one, no control byte, no
 *     argument after the interface that starts with '-';
 *   - hookenv_build (with no old lease, and over itself as the old one):
 *     OK for the reasons that carry a new lease, BAD_ARGUMENT for the
 *     others; every variable NAME=VALUE with NAME in [A-Za-z0-9_] and
 *     VALUE printable ASCII;
 *   - leasejson_render: OK within LEASEJSON_LINE_MAX, one line of valid
 *     JSON (a small checker below) with only printable ASCII;
 *   - PERSIST: leasefile_render succeeds within LEASEFILE_FILE_MAX and
 *     leasefile_parse under the same policy gives back the same lease
 *     (times to the second): what apply stores, it loads at the next start.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lessee/hookenv.h"
#include "lessee/ipc_msg.h"
#include "lessee/leasefile.h"
#include "lessee/leasejson.h"
#include "lessee/macaddr.h"
#include "lessee/resolv.h"
#include "lessee/validate.h"
#include "os/ipc.h"
#include "wire/print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const char ifname[] = "eth0";
/* wall-clock ms - monotonic ms (role_apply.c: wall_offset_ms). */
static const int64_t wall_offset = 1700000000000;

/* --deny 203.0.113.0/24; the host has 10/8 and 172.16/12 elsewhere. */
static const struct validate_policy policy = {
	.n_deny = 1, .deny = { { IP4(203, 0, 113, 0), 24 } },
};
static const struct validate_context host = {
	.n_local = 2, .local = { { IP4(10, 0, 0, 0), 8 }, { IP4(172, 16, 0, 0), 12 } },
};

static void die(const char *what)
{
	fprintf(stderr, "fuzz_ipc_apply: invariant broken: %s\n", what);
	abort();
}

static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* role_apply.c's wall_expiry, with this harness's fixed clock offset. */
static int64_t expiry_of(const struct client_lease *l)
{
	return hookenv_wall_expiry(l, wall_offset);
}

/* ---- JSON: just enough of RFC 8259 to say the line is one value ---------- */

struct json {
	const char *p, *end;
	int depth;
};

static bool json_value(struct json *j);

static bool json_lit(struct json *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static void json_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t'))
		j->p++;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool json_string(struct json *j)
{
	if (!json_lit(j, "\""))
		return false;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p++;

		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (j->p >= j->end)
			return false;
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++)
				if (j->p >= j->end || !is_hex(*j->p++))
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
			return false;
		}
	}
	return json_lit(j, "\"");
}

static bool json_number(struct json *j)
{
	const char *start = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	return j->p > start && j->p[-1] != '-';
}

/* Object (open '{', close '}', with keys) or array ('[' ']'). */
static bool json_container(struct json *j, char open, char close)
{
	if (!json_lit(j, (char[]){ open, 0 }) || ++j->depth > 8)
		return false;
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		json_ws(j);
		if (open == '{' && (!json_string(j) || (json_ws(j), !json_lit(j, ":"))))
			return false;
		if (!json_value(j))
			return false;
		json_ws(j);
		if (json_lit(j, (char[]){ close, 0 }))
			break;
		if (!json_lit(j, ","))
			return false;
	}
	j->depth--;
	return true;
}

static bool json_value(struct json *j)
{
	json_ws(j);
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{': return json_container(j, '{', '}');
	case '[': return json_container(j, '[', ']');
	case '"': return json_string(j);
	case 't': return json_lit(j, "true");
	case 'f': return json_lit(j, "false");
	case 'n': return json_lit(j, "null");
	default: return json_number(j);
	}
}

static void check_json(const struct client_lease *l, enum client_hook_reason reason)
{
	static char line[LEASEJSON_LINE_MAX];
	struct strbuf sb;
	struct leasejson_args a = {
		.event = leasejson_event_from_client(reason), .ifname = ifname,
		.lease = l, .expiry = l ? expiry_of(l) : 0, .anonymous = false,
	};
	struct json j;

	sb_init(&sb, line, sizeof(line));
	if (leasejson_render(&sb, &a) != LEASEJSON_OK)
		die("leasejson_render failed on a lease that passed validation");
	if (sb.len < 2 || line[sb.len - 1] != '\n' || !printable(line, sb.len - 1))
		die("the JSON line is not one line of printable ASCII");
	j = (struct json){ line, line + sb.len - 1, 0 };
	if (!json_value(&j) || (json_ws(&j), j.p != j.end))
		die("the JSON line is not one valid JSON value");
}

/* ---- resolv.conf and resolvectl ---------------------------------------- */

/* One resolv.conf line (without its '\n'). */
static void check_resolv_line(const char *s, size_t n, unsigned *ns, unsigned *names)
{
	const char *sp = memchr(s, ' ', n);
	size_t kw = sp ? (size_t)(sp - s) : n;
	char value[CLIENT_NAME_MAX + 1];
	uint32_t a;

	if (n > 0 && s[0] == '#')
		return;
	if (!sp || kw == n - 1)
		die("resolv.conf line without a value");
	for (const char *v = sp + 1, *e; v < s + n; v = e + 1) {
		e = memchr(v, ' ', (size_t)(s + n - v));
		e = e ? e : s + n;
		if (e == v || (size_t)(e - v) > CLIENT_NAME_MAX)
			die("resolv.conf value empty or too long");
		memcpy(value, v, (size_t)(e - v));
		value[e - v] = '\0';
		if (kw == 10 && memcmp(s, "nameserver", 10) == 0) {
			if (!validate_parse_ip(value, &a) || ++*ns > RESOLV_MAXNS)
				die("resolv.conf nameserver is not a dotted quad, or too many");
		} else if ((kw == 6 && memcmp(s, "search", 6) == 0) ||
			   (kw == 6 && memcmp(s, "domain", 6) == 0)) {
			if (!validate_hostname_charset(value) || ++*names > RESOLV_MAXDNSRCH)
				die("resolv.conf search/domain value is not a host name, or too many");
		} else {
			die("resolv.conf line with an unknown keyword");
		}
	}
}

static void check_resolv_text(const char *text, size_t len)
{
	unsigned ns = 0, names = 0;

	if (len == 0 || text[len - 1] != '\n' || strlen(text) != len)
		die("resolv.conf text is empty, unterminated or has a NUL");
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (size_t)(nl - (text + at));

		if (!printable(text + at, n))
			die("resolv.conf line with a control byte");
		check_resolv_line(text + at, n, &ns, &names);
		at += n + 1;
	}
}

static void check_argv(const struct resolv_cmd *cmd)
{
	if (cmd->argc < 3 || cmd->argc >= RESOLV_ARGV_MAX || cmd->argv[cmd->argc] != NULL)
		die("resolvectl argv of a bad length or not NULL-terminated");
	for (size_t i = 0; i < cmd->argc; i++) {
		const char *arg = cmd->argv[i];

		if (!arg || !printable(arg, strlen(arg)))
			die("resolvectl argument missing or with a control byte");
		if (i >= 2 && arg[0] == '-')
			die("resolvectl argument that reads as an option");
	}
}

static void check_dns(const struct client_lease *l)
{
	static char text[RESOLV_TEXT_MAX];
	static struct resolv_cmd cmd;
	size_t len;

	if (resolv_render(ifname, l, text, sizeof(text), &len) != RESOLV_OK)
		die("resolv_render failed on a lease that passed validation");
	check_resolv_text(text, len);
	if (resolv_cmd_resolvectl_dns(ifname, l, &cmd) != RESOLV_OK)
		die("resolvectl dns refused a lease that passed validation");
	check_argv(&cmd);
	if (resolv_cmd_resolvectl_domain(ifname, l, &cmd) != RESOLV_OK)
		die("resolvectl domain refused a lease that passed validation");
	check_argv(&cmd);
}

/* ---- the hook environment ------------------------------------------------ */

static void check_env_vars(const struct hookenv *env)
{
	size_t i;

	for (i = 0; i < env->envp_cap && env->envp[i]; i++) {
		const char *v = env->envp[i];
		const char *eq = strchr(v, '=');

		if (v < env->buf || v >= env->buf + env->used || !eq || eq == v)
			die("hook environment entry outside the buffer or without a name");
		for (const char *c = v; c < eq; c++)
			if (!(*c == '_' || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			      (*c >= '0' && *c <= '9')))
				die("hook environment name with a byte outside [A-Za-z0-9_]");
		if (!printable(eq + 1, strlen(eq + 1)))
			die("hook environment value with a control byte");
	}
	if (i != env->n || env->n >= env->envp_cap)
		die("hook environment count does not match its list");
}

static bool needs_new(enum hookenv_reason r)
{
	return r == HOOKENV_BOUND || r == HOOKENV_RENEW || r == HOOKENV_REBIND ||
	       r == HOOKENV_REBOOT || r == HOOKENV_TIMEOUT;
}

static void check_hookenv(enum hookenv_reason reason, const struct client_lease *new_lease,
			  const struct client_lease *old_lease)
{
	static char *envp[HOOKENV_VARS_MAX];
	static char buf[HOOKENV_BUF_SIZE];
	struct hookenv env;
	struct hookenv_args a = {
		.reason = reason, .ifname = ifname,
		.new_lease = new_lease, .new_expiry = new_lease ? expiry_of(new_lease) : 0,
		.old_lease = old_lease, .old_expiry = old_lease ? expiry_of(old_lease) : 0,
	};
	enum hookenv_status st;

	hookenv_init(&env, envp, HOOKENV_VARS_MAX, buf, sizeof(buf));
	st = hookenv_build(&env, &a);
	if ((unsigned)reason >= HOOKENV_REASON_COUNT || needs_new(reason) != (new_lease != NULL)) {
		if (st != HOOKENV_BAD_ARGUMENT)
			die("hookenv_build took a reason that does not match the leases");
		return;
	}
	if (st != HOOKENV_OK)
		die("hookenv_build failed on a lease that passed validation");
	check_env_vars(&env);
}

/* ---- the requests ---------------------------------------------------------- */

static bool same_list(const uint32_t *a, const uint32_t *b, unsigned n)
{
	return memcmp(a, b, n * sizeof(*a)) == 0;
}

/* What the file holds; list slots past their counts are not stored. */
static bool same_lease(const struct client_lease *a, const struct client_lease *b)
{
	if (a->address != b->address || a->prefix != b->prefix ||
	    a->prefix_from_server != b->prefix_from_server || a->broadcast != b->broadcast ||
	    a->server_id != b->server_id || a->mtu != b->mtu || a->lease_s != b->lease_s ||
	    a->t1_s != b->t1_s || a->t2_s != b->t2_s || memcmp(a->mac, b->mac, 6) != 0 ||
	    strcmp(a->domain_name, b->domain_name) != 0)
		return false;
	if (a->n_routers != b->n_routers || a->n_dns != b->n_dns || a->n_ntp != b->n_ntp ||
	    a->n_search != b->n_search || a->n_routes != b->n_routes ||
	    !same_list(a->routers, b->routers, a->n_routers) ||
	    !same_list(a->dns, b->dns, a->n_dns) || !same_list(a->ntp, b->ntp, a->n_ntp))
		return false;
	for (unsigned i = 0; i < a->n_search; i++)
		if (strcmp(a->search[i], b->search[i]) != 0)
			return false;
	for (unsigned i = 0; i < a->n_routes; i++)
		if (a->routes[i].dst != b->routes[i].dst || a->routes[i].prefix != b->routes[i].prefix ||
		    a->routes[i].gateway != b->routes[i].gateway)
			return false;
	return true;
}

/* Saved as whole wall-clock seconds (rounded down) unless clamped to the
 * file's range; CLIENT_NEVER as "never". */
static bool same_time(uint64_t stored, uint64_t loaded)
{
	if (stored == CLIENT_NEVER)
		return loaded == CLIENT_NEVER;
	if (stored > LEASEFILE_EPOCH_MAX * 1000u - (uint64_t)wall_offset)
		return true;   /* clamped: only the order is kept */
	return loaded <= stored && stored - loaded < 1000u;
}

/* on_persist stores the lease (leasefile_save = render + write); the next
 * start loads it (send_stored: leasefile_load = read + parse). */
static void check_store(const struct client_lease *l)
{
	static char text[LEASEFILE_FILE_MAX];
	static struct leasefile_record rec;
	struct leasefile_error err;
	const struct client_lease *b = &rec.lease;
	size_t len;

	if (leasefile_render(ifname, l, wall_offset, text, sizeof(text), &len, &err) != LEASEFILE_OK)
		die("leasefile_render failed on a lease that passed validation");
	if (leasefile_parse(text, len, wall_offset, &policy, NULL, &rec, &err) != LEASEFILE_OK) {
		fprintf(stderr, "fuzz_ipc_apply: %s\n%s", err.text, text);
		die("a stored lease does not load back");
	}
	if (strcmp(rec.ifname, ifname) != 0 || !same_lease(l, b))
		die("a stored lease loads back as another lease");
	if (!same_time(l->obtained_at, b->obtained_at) || !same_time(l->t1_at, b->t1_at) ||
	    !same_time(l->t2_at, b->t2_at) || !same_time(l->expires_at, b->expires_at))
		die("a stored lease loads back with other times");
}

static void accepted(const struct ipc_lease_event *ev)
{
	enum hookenv_reason reason = hookenv_reason_from_client(ev->reason);

	check_dns(&ev->lease);
	check_hookenv(reason, &ev->lease, NULL);
	check_hookenv(reason, &ev->lease, &ev->lease);
	check_json(&ev->lease, ev->reason);
}

static void on_lease(uint16_t type, const struct ipc_lease_event *ev)
{
	struct validate_error why;
	enum validate_reason r;

	r = validate_lease(&ev->lease, &policy, type == IPC_APPLY_CONFIGURE ? &host : NULL, &why);
	/* The text is logged as it is: validate.h promises it is safe. */
	if (r != why.reason || !printable(why.text, strlen(why.text)))
		die("validate_lease's reason or text is off");
	if (r != VALIDATE_OK)
		return;
	accepted(ev);
	if (type == IPC_APPLY_PERSIST)
		check_store(&ev->lease);
}

/* The lease applied by an earlier CONFIGURE (on_deconfigure's app.applied). */
static void applied_lease(struct client_lease *l)
{
	memset(l, 0, sizeof(*l));
	l->address = IP4(192, 0, 2, 100);
	l->prefix = 24;
	l->broadcast = IP4(192, 0, 2, 255);
	l->server_id = IP4(192, 0, 2, 1);
	l->n_routers = 1;
	l->routers[0] = IP4(192, 0, 2, 1);
	l->n_dns = 1;
	l->dns[0] = IP4(192, 0, 2, 53);
	strcpy(l->domain_name, "example.com");
	l->lease_s = 600;
	l->t1_s = 300;
	l->t2_s = 525;
	l->obtained_at = 1000;
	l->t1_at = 301000;
	l->t2_at = 526000;
	l->expires_at = 601000;
}

static void on_deconfigure(const struct ipc_deconfigure *d)
{
	static struct client_lease gone;

	applied_lease(&gone);
	if (d->address != gone.address)
		return;   /* not ours: logged and ignored */
	check_hookenv(hookenv_reason_from_client(d->reason), NULL, &gone);
	check_json(&gone, d->reason);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static union ipc_body body;
	struct ipc_hdr hdr;
	const void *raw;
	ssize_t n;

	if (size > IPC_BUF_MAX)
		return 0;   /* cut by recv (MSG_TRUNC) and refused */
	n = ipc_frame_check(data, size, 1, &hdr, &raw);
	if (n < 0)
		return 0;
	if ((size_t)n != size - sizeof(hdr) || raw != data + sizeof(hdr) || hdr.seq != 1)
		die("ipc_frame_check passed a record it should not");
	if (ipc_msg_check(IPC_PEER_ENGINE, IPC_PEER_APPLY, hdr.type, raw, (size_t)n) != NULL)
		return 0;
	memcpy(&body, raw, (size_t)n);
	switch (hdr.type) {
	case IPC_APPLY_CONFIGURE:
	case IPC_APPLY_PERSIST:
		on_lease(hdr.type, &body.lease);
		break;
	case IPC_APPLY_DECONFIGURE:
		on_deconfigure(&body.deconf);
		break;
	case IPC_APPLY_DROP:
		break;
	case IPC_APPLY_SWITCH_MAC: {
		/* on_switch_mac: the address apply derives for any fingerprint
		 * the catalogue passes is one it may put on the link. */
		static const uint8_t secret[MACADDR_SECRET_LEN] = { 1 };
		struct macaddr_network net = { body.fingerprint.server_id,
			body.fingerprint.subnet, body.fingerprint.prefix };
		uint8_t mac[MACADDR_LEN];
		macaddr_stable(secret, &net, mac);
		if (!macaddr_is_local_unicast(mac))
			die("a stable MAC that is not locally administered unicast");
		break;
	}
	default:
		die("the catalogue let through a type apply does not handle");
	}
	return 0;
}
