/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench_codec: how fast src/wire parses and builds the real messages in
 * the captures in tests/data (*.pcap), and proof that parsing allocates nothing.
 *
 *   bench_codec [DIR]             table: per capture and overall, the median
 *                                 ns per parse and per build (>= 15 repeats
 *                                 of a timed loop, CLOCK_MONOTONIC), messages
 *                                 per second, and heap allocations counted
 *                                 during the timed loops (must be 0)
 *   bench_codec --one FILE N [CODES]
 *                                 parse FILE's first ACK exactly N times and
 *                                 print its option count (for callgrind:
 *                                 instructions per parse = (Ir(N=1001) -
 *                                 Ir(N=1)) / 1000, loading costs cancel out);
 *                                 with CODES (comma-separated), the ACK is
 *                                 first rebuilt with only those options
 *   bench_codec --typical DIR     print the capture whose first ACK has the
 *                                 option count nearest 10, and that count
 *
 * Allocations are counted by overriding malloc and friends here, forwarding
 * to glibc's __libc_* entry points. Under a sanitizer the override is left
 * out (it would bypass the sanitizer's allocator) and the count is reported
 * as not measured.
 */
#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wire/dhcp.h"
#include "wire/frame.h"

#define REPEATS     31          /* timed loops per figure; median taken */
#define MIN_LOOP_NS 500000ull   /* >= 0.5 ms a loop: short enough that few are preempted */
#define MAX_MSGS    4096
#define MAX_FILES   64
#define TYPICAL_OPTS 10

/* ---- allocation counter ---------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
	__has_feature(thread_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif
#ifndef BENCH_SANITIZED
#define BENCH_SANITIZED 0
#endif

static volatile int counting;
static volatile unsigned long alloc_count;

#if !BENCH_SANITIZED
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *p);

static inline void note_alloc(void)
{
	if (counting)
		alloc_count++;
}

void *malloc(size_t size)
{
	note_alloc();
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	note_alloc();
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	note_alloc();
	return __libc_realloc(p, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	note_alloc();
	return __libc_memalign(align, size);
}

void *memalign(size_t align, size_t size);
void *memalign(size_t align, size_t size)
{
	note_alloc();
	return __libc_memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	note_alloc();
	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	p = __libc_memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void free(void *p)
{
	__libc_free(p);
}
#endif

static void counting_start(void)
{
	alloc_count = 0;
	counting = 1;
}

static unsigned long counting_stop(void)
{
	counting = 0;
	return alloc_count;
}

/* The counter must see an allocation made on purpose, or its 0 means nothing. */
static bool counter_works(void)
{
	void *(*volatile alloc)(size_t) = malloc;
	void *p;
	unsigned long n;

	counting_start();
	p = alloc(16);
	n = counting_stop();
	free(p);
	return n == 1;
}

/* ---- messages from the captures -------------------------------------------- */

struct opt_copy {
	uint8_t code;
	uint16_t len;
	const uint8_t *data;
};

struct bench_msg {
	uint8_t *raw;           /* the UDP payload, exactly raw_len bytes */
	size_t raw_len;
	uint8_t type;
	struct dhcp_header hdr;
	size_t n_opts;          /* as parsed, without 53 */
	struct opt_copy opts[256];
	uint8_t order[256];     /* original order, 53 included */
	size_t n_order;
	uint8_t *values;        /* owns the option values */
};

struct capture {
	char name[256];
	size_t first, count;    /* into msgs[] */
	int ack_opts;           /* option count of the first ACK, -1 if none */
};

static struct bench_msg msgs[MAX_MSGS];
static size_t n_msgs;
static struct capture caps[MAX_FILES];
static size_t n_caps;

static struct dhcp_msg pmsg;
static uint8_t scratch[65536];
static struct dhcp_out bout;
static uint8_t bbuf[65536];

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "bench_codec: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

/* The IPv4 packet inside one captured frame, by link type; NULL if none. */
static const uint8_t *ipv4_of(int dlt, const uint8_t *f, size_t len, size_t *ip_len)
{
	size_t off;
	uint16_t proto;

	switch (dlt) {
	case DLT_EN10MB:
		if (len < 14)
			return NULL;
		proto = (uint16_t)(f[12] << 8 | f[13]);
		off = 14;
		break;
	case DLT_LINUX_SLL:
		if (len < 16)
			return NULL;
		proto = (uint16_t)(f[14] << 8 | f[15]);
		off = 16;
		break;
	case DLT_LINUX_SLL2:
		if (len < 20)
			return NULL;
		proto = (uint16_t)(f[0] << 8 | f[1]);
		off = 20;
		break;
	case DLT_RAW:
	case DLT_IPV4:
		proto = ETHERTYPE_IPV4;
		off = 0;
		break;
	default:
		return NULL;
	}
	if (proto != ETHERTYPE_IPV4)
		return NULL;
	*ip_len = len - off;
	return f + off;
}

/* Keep a DHCP payload with its options copied out for the build loop. */
static void keep(const uint8_t *payload, size_t len)
{
	struct bench_msg *m;
	struct wire_error err;
	size_t total = 0, used = 0;

	if (n_msgs == MAX_MSGS)
		die("too many messages", NULL);
	m = &msgs[n_msgs];
	m->raw = malloc(len);
	if (!m->raw)
		die("out of memory", NULL);
	memcpy(m->raw, payload, len);
	m->raw_len = len;
	if (dhcp_parse(m->raw, len, scratch, sizeof(scratch), &pmsg, &err) != WIRE_OK) {
		free(m->raw);
		return; /* not a DHCP message: not part of the benchmark */
	}
	if (pmsg.type != DHCPOFFER && pmsg.type != DHCPACK) {
		free(m->raw);
		return;
	}
	m->type = pmsg.type;
	m->hdr = pmsg.hdr;
	m->n_order = pmsg.n_order;
	memcpy(m->order, pmsg.order, pmsg.n_order);
	for (size_t i = 0; i < pmsg.n_order; i++)
		total += pmsg.opt[pmsg.order[i]].len;
	m->values = malloc(total + 1);
	if (!m->values)
		die("out of memory", NULL);
	m->n_opts = 0;
	for (size_t i = 0; i < pmsg.n_order; i++) {
		uint8_t code = pmsg.order[i];
		const struct dhcp_opt_ref *ref = &pmsg.opt[code];
		if (code == DHCP_OPT_MSG_TYPE)
			continue;
		memcpy(m->values + used, ref->data, ref->len);
		m->opts[m->n_opts].code = code;
		m->opts[m->n_opts].len = ref->len;
		m->opts[m->n_opts].data = m->values + used;
		m->n_opts++;
		used += ref->len;
	}
	n_msgs++;
}

static void load_pcap(const char *path, const char *name)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const uint8_t *frame;
	pcap_t *p = pcap_open_offline(path, errbuf);
	struct capture *c;
	int r;

	if (!p)
		die(path, errbuf);
	if (n_caps == MAX_FILES)
		die("too many captures", NULL);
	c = &caps[n_caps++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->first = n_msgs;
	c->ack_opts = -1;
	while ((r = pcap_next_ex(p, &ph, &frame)) == 1) {
		struct udp_view v;
		struct wire_error err;
		size_t ip_len;
		const uint8_t *ip = ipv4_of(pcap_datalink(p), frame, ph->caplen, &ip_len);
		if (!ip)
			continue;
		/* Transport checksums are test_captures' business, not this one's. */
		if (ipv4_parse_udp(ip, ip_len, true, &v, &err) != WIRE_OK)
			continue;
		if (v.port_src != DHCP_SERVER_PORT && v.port_dst != DHCP_CLIENT_PORT)
			continue;
		size_t before = n_msgs;
		keep(v.payload, v.payload_len);
		if (n_msgs > before && msgs[before].type == DHCPACK && c->ack_opts < 0)
			c->ack_opts = (int)msgs[before].n_order;
	}
	if (r == -1)
		die(path, pcap_geterr(p));
	pcap_close(p);
	c->count = n_msgs - c->first;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void load_dir(const char *dir)
{
	char *names[MAX_FILES];
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		die(dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".pcap") != 0)
			continue;
		if (n == MAX_FILES)
			die("too many captures in", dir);
		names[n] = strdup(e->d_name);
		if (!names[n])
			die("out of memory", NULL);
		n++;
	}
	closedir(d);
	if (n == 0)
		die("no .pcap files in", dir);
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		load_pcap(path, names[i]);
		free(names[i]);
	}
}

/* ---- timing ---------------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static volatile unsigned sink;

static void parse_set(size_t first, size_t count, unsigned long iters)
{
	struct wire_error err;
	unsigned acc = 0;

	for (unsigned long it = 0; it < iters; it++) {
		for (size_t i = first; i < first + count; i++) {
			const struct bench_msg *m = &msgs[i];
			acc += (unsigned)dhcp_parse(m->raw, m->raw_len, scratch, sizeof(scratch),
						    &pmsg, &err);
			acc += pmsg.n_order;
		}
	}
	sink = acc;
}

/* What a server does for a reply: fill a dhcp_out and marshal it. */
static void build_one(const struct bench_msg *m, size_t *len)
{
	struct wire_error err;

	dhcp_out_init(&bout, &m->hdr, m->type);
	for (size_t k = 0; k < m->n_opts; k++)
		dhcp_out_add(&bout, m->opts[k].code, m->opts[k].data, m->opts[k].len);
	if (dhcp_build(&bout, m->order, m->n_order, bbuf, sizeof(bbuf), len, &err) != WIRE_OK)
		die("build failed", wire_reason_text(err.reason));
}

static void build_set(size_t first, size_t count, unsigned long iters)
{
	unsigned acc = 0;
	size_t len;

	for (unsigned long it = 0; it < iters; it++) {
		for (size_t i = first; i < first + count; i++) {
			build_one(&msgs[i], &len);
			acc += (unsigned)len;
		}
	}
	sink = acc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct figure {
	double ns;             /* median ns per message */
	double spread;         /* interquartile range, percent of the median */
	unsigned long allocs;  /* during all timed loops */
};

/* Median over REPEATS timed loops, each long enough to time well. */
static struct figure measure(void (*fn)(size_t, size_t, unsigned long), size_t first,
			     size_t count)
{
	double per[REPEATS];
	unsigned long iters = 1;
	struct figure f = { 0, 0, 0 };

	for (;;) {
		uint64_t t0 = now_ns();
		fn(first, count, iters);
		if (now_ns() - t0 >= MIN_LOOP_NS || iters >= (1ul << 30))
			break;
		iters *= 2;
	}
	for (int r = 0; r < REPEATS; r++) {
		counting_start();
		uint64_t t0 = now_ns();
		fn(first, count, iters);
		uint64_t t1 = now_ns();
		f.allocs += counting_stop();
		per[r] = (double)(t1 - t0) / ((double)iters * (double)count);
	}
	qsort(per, REPEATS, sizeof(per[0]), cmp_double);
	f.ns = per[REPEATS / 2];
	f.spread = 100.0 * (per[3 * REPEATS / 4] - per[REPEATS / 4]) / f.ns;
	return f;
}

/* Each built message parses back with the same options, once, untimed. */
static void check_builds(void)
{
	static uint8_t scratch2[65536];
	static struct dhcp_msg back;

	for (size_t i = 0; i < n_msgs; i++) {
		struct wire_error err;
		size_t len;
		build_one(&msgs[i], &len);
		if (dhcp_parse(bbuf, len, scratch2, sizeof(scratch2), &back, &err) != WIRE_OK ||
		    back.n_order != msgs[i].n_order || back.n_dropped != 0 ||
		    memcmp(back.order, msgs[i].order, back.n_order) != 0)
			die("a built message does not parse back the same", NULL);
	}
}

static void table(const char *dir)
{
	struct figure p, b;
	unsigned long parse_allocs = 0, build_allocs = 0;
	size_t bytes;

	load_dir(dir);
	if (n_msgs == 0)
		die("no OFFER or ACK in the captures of", dir);
	check_builds();
	printf("%-24s %4s %4s %5s %9s %5s %9s %5s %10s %10s\n", "capture", "msgs", "opts",
	       "bytes", "parse ns", "iqr%", "build ns", "iqr%", "parses/s", "builds/s");
	for (size_t c = 0; c < n_caps; c++) {
		if (caps[c].count == 0) {
			printf("%-28s %4s (no OFFER/ACK)\n", caps[c].name, "0");
			continue;
		}
		bytes = 0;
		for (size_t i = caps[c].first; i < caps[c].first + caps[c].count; i++)
			bytes += msgs[i].raw_len;
		p = measure(parse_set, caps[c].first, caps[c].count);
		b = measure(build_set, caps[c].first, caps[c].count);
		parse_allocs += p.allocs;
		build_allocs += b.allocs;
		printf("%-24s %4zu %4d %5zu %9.1f %5.1f %9.1f %5.1f %10.0f %10.0f\n", caps[c].name,
		       caps[c].count, caps[c].ack_opts, bytes / caps[c].count, p.ns, p.spread,
		       b.ns, b.spread, 1e9 / p.ns, 1e9 / b.ns);
	}
	bytes = 0;
	for (size_t i = 0; i < n_msgs; i++)
		bytes += msgs[i].raw_len;
	p = measure(parse_set, 0, n_msgs);
	b = measure(build_set, 0, n_msgs);
	parse_allocs += p.allocs;
	build_allocs += b.allocs;
	printf("%-24s %4zu %4s %5zu %9.1f %5.1f %9.1f %5.1f %10.0f %10.0f\n", "overall", n_msgs,
	       "-", bytes / n_msgs, p.ns, p.spread, b.ns, b.spread, 1e9 / p.ns, 1e9 / b.ns);
	printf("\nmsgs: OFFERs and ACKs; opts: options in the first ACK; bytes: mean UDP payload.\n"
	       "ns per message: median of %d timed loops of >= %llu us each (CLOCK_MONOTONIC);\n"
	       "iqr%%: interquartile range of those loops, %% of the median (noise on a busy\n"
	       "host); build = dhcp_out_init + dhcp_out_add per option + dhcp_build, in the\n"
	       "captured order.\n",
	       REPEATS, MIN_LOOP_NS / 1000);
	if (BENCH_SANITIZED) {
		printf("heap allocations in timed loops: not measured (sanitizer build)\n");
		return;
	}
	if (!counter_works())
		die("the allocation counter does not see malloc", NULL);
	printf("heap allocations in timed parse loops: %lu\n", parse_allocs);
	printf("heap allocations in timed build loops: %lu\n", build_allocs);
	if (parse_allocs != 0)
		die("the parse path allocated", NULL);
}

/* ---- callgrind helpers ------------------------------------------------------- */

/* Keep only the options CODES names (message type always), then rebuild. */
static void cut_to(struct bench_msg *m, const char *codes)
{
	bool keep_code[256] = { false };
	size_t n = 0, len;
	char *end;

	keep_code[DHCP_OPT_MSG_TYPE] = true;
	for (const char *p = codes; *p; p = *end ? end + 1 : end) {
		unsigned long c = strtoul(p, &end, 10);
		if (end == p || c == 0 || c > 254 || (*end && *end != ','))
			die("--one: bad option list", codes);
		keep_code[c] = true;
	}
	for (size_t k = 0; k < m->n_opts; k++)
		if (keep_code[m->opts[k].code])
			m->opts[n++] = m->opts[k];
	m->n_opts = n;
	n = 0;
	for (size_t k = 0; k < m->n_order; k++)
		if (keep_code[m->order[k]])
			m->order[n++] = m->order[k];
	m->n_order = n;
	build_one(m, &len);
	m->raw = malloc(len);
	if (!m->raw)
		die("out of memory", NULL);
	memcpy(m->raw, bbuf, len);
	m->raw_len = len;
}

static void one(const char *path, const char *count, const char *codes)
{
	char *end;
	unsigned long n = strtoul(count, &end, 10);
	struct bench_msg *ack = NULL;

	if (*count == '\0' || *end != '\0')
		die("--one: not a count", count);
	load_pcap(path, path);
	for (size_t i = 0; i < n_msgs && !ack; i++)
		if (msgs[i].type == DHCPACK)
			ack = &msgs[i];
	if (!ack)
		die("no ACK in", path);
	if (codes)
		cut_to(ack, codes);
	for (unsigned long i = 0; i < n; i++)
		parse_set((size_t)(ack - msgs), 1, 1);
	printf("%zu\n", ack->n_order);
}

static void typical(const char *dir)
{
	int best = -1, best_dist = 1 << 30;

	load_dir(dir);
	for (size_t c = 0; c < n_caps; c++) {
		int dist = abs(caps[c].ack_opts - TYPICAL_OPTS);
		if (caps[c].ack_opts >= 0 && dist < best_dist) {
			best = (int)c;
			best_dist = dist;
		}
	}
	if (best < 0)
		die("no ACK in the captures of", dir);
	printf("%s/%s %d\n", dir, caps[best].name, caps[best].ack_opts);
}

int main(int argc, char **argv)
{
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "--one") == 0) {
		one(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--typical") == 0) {
		typical(argv[2]);
		return 0;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: bench_codec [DIR] | --one FILE.pcap N [CODES] | "
				"--typical DIR\n");
		return 1;
	}
	const char *dir = argc == 2 ? argv[1] : getenv("LESSEE_TEST_DATA");
	table(dir ? dir : "tests/data");
	return 0;
}
