/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lessee-dump: decode DHCP traffic from a pcap file, a hex dump or a live
 * link, one line (or one JSON object) per DHCP message and a clear error line
 * for each DHCP frame that does not parse.
 *
 * Frames go through exactly the wire codec the client uses. Three outcomes
 * per frame, kept apart as everywhere in lessee: not DHCP (skipped, counted),
 * malformed (an error line naming reason, offset and option), and DHCP (a
 * decoded line). When started as root, the tool opens its input and then
 * drops to nobody before it parses a single byte.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "wire/cursor.h"
#include "wire/dhcp.h"
#include "wire/frame.h"
#include "wire/print.h"
#include "wire/reason.h"

#define PROG "lessee-dump"
#define FRAME_MAX (65536u + 64u)        /* largest IPv4 datagram plus a link header */
#define LINE_CAP (2u * 1024u * 1024u)   /* worst-case JSON of a 64 KiB message fits */
#define LINE_RESERVE 64u                /* for the truncation note and the newline */
#define SLL_HDR_LEN 16u                 /* DLT_LINUX_SLL: protocol at offset 14 */
#define SLL2_HDR_LEN 20u                /* DLT_LINUX_SLL2: protocol at offset 0 */
#define ETHERTYPE_VLAN 0x8100u          /* IEEE 802.1Q: a 4-byte tag, then the type */
#define VLAN_HDR_LEN (ETH_HDR_LEN + 4u)
#define NOBODY_ID 65534u
#define LIVE_FILTER "udp and (port 67 or port 68)"

enum link { LINK_ETHER, LINK_SLL, LINK_SLL2, LINK_RAW, LINK_BARE };
enum source { SRC_NONE, SRC_PCAP, SRC_HEX, SRC_LIVE };

struct dump {
	bool json;
	bool live;
	bool no_udp_csum;       /* -K: trust UDP checksums as tcpdump -K does */
	unsigned long count;    /* stop after this many lines; 0 = no limit */
	unsigned long printed;  /* DHCP messages and error lines written */
	unsigned long errors;   /* of which error lines */
	unsigned long skipped;  /* frames that were not DHCP */
};

/* Where a message came from, when it came in a UDP datagram. */
struct origin {
	uint32_t src, dst;
	uint16_t sport, dport;
};

static volatile sig_atomic_t stop_requested;
static pcap_t *live_handle;
static char line_buf[LINE_CAP];
static uint8_t scratch[FRAME_MAX];
static struct dhcp_msg msg;

/* ---- output: one fwrite per line ------------------------------------------ */

static void line_begin(struct strbuf *sb, const struct dump *d, unsigned long n)
{
	sb_init(sb, line_buf, LINE_CAP - LINE_RESERVE);
	sb_printf(sb, d->json ? "{\"frame\": %lu" : "%lu  ", n);
}

static void put_endpoint(struct strbuf *sb, uint32_t addr, uint16_t port)
{
	sb_ip(sb, addr);
	sb_printf(sb, ":%u", (unsigned)port);
}

static void line_end(struct strbuf *sb, struct dump *d, unsigned long n)
{
	if (sb->truncated && d->json) {
		sb_init(sb, line_buf, LINE_CAP);
		sb_printf(sb, "{\"frame\": %lu, \"error\": \"output line too long\", "
			  "\"reason\": \"NO_ROOM\"}", n);
	} else if (sb->truncated) {
		sb->cap = LINE_CAP;
		sb_puts(sb, " [line truncated]");
	} else if (d->json) {
		sb_putc(sb, '}');
	}
	sb->cap = LINE_CAP;
	sb_putc(sb, '\n');
	fwrite(sb->buf, 1, sb->len, stdout);
	if (d->live)
		fflush(stdout);
	d->printed++;
}

static void put_origin(struct strbuf *sb, const struct dump *d, const struct origin *o)
{
	if (!o)
		return;
	sb_puts(sb, d->json ? ", \"src\": \"" : "");
	put_endpoint(sb, o->src, o->sport);
	sb_puts(sb, d->json ? "\", \"dst\": \"" : " > ");
	put_endpoint(sb, o->dst, o->dport);
	sb_puts(sb, d->json ? "\"" : "  ");
}

static void print_error(struct dump *d, unsigned long n, const struct origin *o,
			const struct wire_error *err)
{
	char text[256];
	struct strbuf sb;

	line_begin(&sb, d, n);
	if (d->json) {
		put_origin(&sb, d, o);
		sb_puts(&sb, ", \"error\": ");
		sb_json_string(&sb, (const uint8_t *)wire_reason_text(err->reason),
			       strlen(wire_reason_text(err->reason)));
		sb_printf(&sb, ", \"reason\": \"%s\", \"offset\": %zu",
			  wire_reason_name(err->reason), err->offset);
		if (err->option >= 0)
			sb_printf(&sb, ", \"option\": %d", err->option);
	} else {
		wire_error_format(err, text, sizeof text);
		sb_printf(&sb, "error: %s", text);
	}
	d->errors++;
	line_end(&sb, d, n);
}

static void print_msg(struct dump *d, unsigned long n, const struct origin *o)
{
	struct strbuf sb;

	line_begin(&sb, d, n);
	put_origin(&sb, d, o);
	if (d->json) {
		sb_puts(&sb, ", ");
		dhcp_print_json_members(&sb, &msg);
	} else {
		dhcp_print_line(&sb, &msg);
	}
	line_end(&sb, d, n);
}

/* ---- decoding one frame ------------------------------------------------------ */

static bool dhcp_port(uint16_t port)
{
	return port == DHCP_SERVER_PORT || port == DHCP_CLIENT_PORT;
}

/* base: offset of the message in the frame, so error offsets are frame offsets. */
static void decode_dhcp(struct dump *d, unsigned long n, const struct origin *o,
			const uint8_t *p, size_t len, size_t base)
{
	struct wire_error err;

	if (dhcp_parse(p, len, scratch, sizeof scratch, &msg, &err) != WIRE_OK) {
		err.offset += base;
		print_error(d, n, o, &err);
		return;
	}
	print_msg(d, n, o);
}

/*
 * After a framing error: true when the bytes say plainly that this is not
 * DHCP (IPv6, not UDP, or UDP between other ports). When they cannot say,
 * the frame is reported.
 */
static bool plainly_not_dhcp(const uint8_t *ip, size_t len)
{
	struct wire_cursor c = wc_init(ip, len);
	uint8_t vihl = wc_u8(&c);
	uint16_t frag, sport, dport;
	size_t ihl = (size_t)(vihl & 0x0fu) * 4u;
	uint8_t proto;

	if (c.failed || vihl >> 4 != 4)
		return !c.failed && vihl >> 4 == 6;
	wc_bytes(&c, 5);        /* tos, total length, id */
	frag = wc_be16(&c);
	wc_u8(&c);              /* ttl */
	proto = wc_u8(&c);
	if (c.failed)
		return false;
	if (proto != IPPROTO_UDP_NUM)
		return true;
	if ((frag & 0x1fffu) != 0 || ihl < IPV4_HDR_LEN || !wc_seek(&c, ihl))
		return false;
	sport = wc_be16(&c);
	dport = wc_be16(&c);
	return !c.failed && !dhcp_port(sport) && !dhcp_port(dport);
}

/* Where IPv4 starts for this link type; false when the frame is not IPv4. */
static bool locate_ip(enum link lt, const uint8_t *p, size_t len, size_t *ip_off)
{
	struct wire_cursor c = wc_init(p, len);
	uint16_t proto = 0;

	switch (lt) {
	case LINK_ETHER:
		*ip_off = ETH_HDR_LEN;
		wc_bytes(&c, 2 * ETH_ADDR_LEN);
		proto = wc_be16(&c);
		if (proto != ETHERTYPE_VLAN)
			return c.failed || proto != ETHERTYPE_ARP; /* short: frame.c reports */
		*ip_off = VLAN_HDR_LEN;
		wc_be16(&c); /* priority, VLAN id */
		proto = wc_be16(&c);
		break;
	case LINK_SLL:
		*ip_off = SLL_HDR_LEN;
		wc_bytes(&c, SLL_HDR_LEN - 2);
		proto = wc_be16(&c);
		break;
	case LINK_SLL2:
		*ip_off = SLL2_HDR_LEN;
		proto = wc_be16(&c);
		wc_bytes(&c, SLL2_HDR_LEN - 2);
		break;
	case LINK_RAW:
	case LINK_BARE:
		*ip_off = 0;
		return (wc_u8(&c) >> 4) != 6;
	}
	return c.failed || proto == ETHERTYPE_IPV4; /* short: reported below */
}

/*
 * Plain Ethernet goes through frame_parse_udp; cooked, raw and VLAN-tagged
 * frames through ipv4_parse_udp from where IPv4 starts.
 *
 * In a file the UDP checksum is checked unless -K. Live, a frame the host
 * sends is captured before the NIC (or veth) fills its checksum in, and
 * libpcap cannot say which frames those are, so it is not checked.
 */
static enum wire_reason parse_udp(enum link lt, const uint8_t *p, size_t len, size_t ip_off,
				  bool skip_udp_csum, struct udp_view *v, struct wire_error *err)
{
	if (lt == LINK_ETHER && ip_off == ETH_HDR_LEN)
		return frame_parse_udp(p, len, skip_udp_csum, v, err);
	if (len < ip_off) {
		wire_error_set(err, WIRE_ETH_SHORT, 0, -1);
		return WIRE_ETH_SHORT;
	}
	return ipv4_parse_udp(p + ip_off, len - ip_off, skip_udp_csum, v, err);
}

static void process_frame(struct dump *d, unsigned long n, enum link lt, const uint8_t *p,
			  size_t len)
{
	struct udp_view v;
	struct wire_error err;
	struct origin o;
	size_t ip_off, base;

	if (lt == LINK_BARE) {
		decode_dhcp(d, n, NULL, p, len, 0);
		return;
	}
	if (!locate_ip(lt, p, len, &ip_off)) {
		d->skipped++;
		return;
	}
	base = lt == LINK_ETHER && ip_off == ETH_HDR_LEN ? 0 : ip_off;
	if (parse_udp(lt, p, len, ip_off, d->live || d->no_udp_csum, &v, &err) != WIRE_OK) {
		if (err.reason == WIRE_ETH_TYPE || err.reason == WIRE_IP_PROTO ||
		    (len > ip_off && plainly_not_dhcp(p + ip_off, len - ip_off))) {
			d->skipped++;
			return;
		}
		if (err.reason != WIRE_ETH_SHORT)
			err.offset += base;
		print_error(d, n, NULL, &err);
		return;
	}
	if (!dhcp_port(v.port_src) && !dhcp_port(v.port_dst)) {
		d->skipped++;
		return;
	}
	o = (struct origin){ v.ip_src, v.ip_dst, v.port_src, v.port_dst };
	decode_dhcp(d, n, &o, v.payload, v.payload_len, base + v.payload_off);
}

static bool done(const struct dump *d)
{
	return stop_requested || (d->count > 0 && d->printed >= d->count);
}

/* ---- privileges and signals ----------------------------------------------- */

/* Root opened the input; the parsing runs as nobody, with no way back. */
static int drop_root(void)
{
	if (geteuid() != 0)
		return 0;
	if (setgroups(0, NULL) != 0 || setgid(NOBODY_ID) != 0 || setuid(NOBODY_ID) != 0)
		return -1;
	if (setuid(0) == 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (live_handle)
		pcap_breakloop(live_handle);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocking read must return */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ---- hex input ---------------------------------------------------------------- */

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * One line of hex: whitespace and ':' ignored, '#' starts a comment.
 * NULL with the byte count in *out_len (0: nothing on the line), or what
 * is wrong with the line.
 */
static const char *hex_decode(const char *line, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t n = 0, nibbles = 0;
	const char *s;

	for (s = line; *s != '\0' && *s != '#'; s++) {
		int v = hex_value(*s);

		if (v < 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == ':'))
			continue;
		if (v < 0)
			return "invalid character in hex";
		if (nibbles / 2 >= cap)
			return "frame longer than 65600 bytes";
		if (nibbles % 2 == 0)
			out[n] = (uint8_t)(v << 4);
		else
			out[n++] |= (uint8_t)v;
		nibbles++;
	}
	if (nibbles % 2 != 0)
		return "odd number of hex digits";
	*out_len = n;
	return NULL;
}

/* RFC 2131 figure 1: op 1 or 2 first, the magic cookie at 236. */
static bool looks_like_bare_dhcp(const uint8_t *p, size_t len)
{
	struct wire_cursor c = wc_init(p, len);
	uint8_t op = wc_u8(&c);

	if (op != BOOTREQUEST && op != BOOTREPLY)
		return false;
	wc_seek(&c, DHCP_FIXED_LEN);
	return wc_be32(&c) == DHCP_COOKIE && !c.failed;
}

static void print_hex_error(struct dump *d, unsigned long n, const char *what,
			    unsigned long lineno)
{
	struct strbuf sb;

	line_begin(&sb, d, n);
	if (d->json)
		sb_printf(&sb, ", \"error\": \"malformed hex: %s\", \"reason\": \"BAD_HEX\", "
			  "\"line\": %lu", what, lineno);
	else
		sb_printf(&sb, "error: malformed hex: %s at line %lu", what, lineno);
	d->errors++;
	line_end(&sb, d, n);
}

static FILE *open_hex(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	return fopen(path, "r");
}

static int run_hex(struct dump *d, const char *path)
{
	static uint8_t frame[FRAME_MAX];
	unsigned long lineno = 0, n = 0;
	char *line = NULL;
	size_t line_cap = 0, len;
	FILE *in = open_hex(path);
	int rc = 0;

	if (!in) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (drop_root() != 0) {
		fprintf(stderr, PROG ": cannot drop root privileges: %s\n", strerror(errno));
		return 1;
	}
	while (!done(d) && getline(&line, &line_cap, in) >= 0) {
		const char *bad = hex_decode(line, frame, sizeof frame, &len);

		lineno++;
		if (!bad && len == 0)
			continue;
		n++;
		if (bad)
			print_hex_error(d, n, bad, lineno);
		else
			process_frame(d, n, looks_like_bare_dhcp(frame, len) ? LINK_BARE : LINK_ETHER,
				      frame, len);
	}
	if (ferror(in) && !stop_requested) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		rc = 1;
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return rc;
}

/* ---- pcap input: files and live links -------------------------------------- */

static bool link_of(int dlt, enum link *lt)
{
	switch (dlt) {
	case DLT_EN10MB:
		*lt = LINK_ETHER;
		return true;
	case DLT_LINUX_SLL:
		*lt = LINK_SLL;
		return true;
	case DLT_LINUX_SLL2:
		*lt = LINK_SLL2;
		return true;
	case DLT_RAW:
	case DLT_IPV4:
		*lt = LINK_RAW;
		return true;
	default:
		return false;
	}
}

static pcap_t *open_live(const char *ifname, char *errbuf)
{
	struct bpf_program prog;
	pcap_t *p = pcap_create(ifname, errbuf);
	int r;

	if (!p)
		return NULL;
	pcap_set_snaplen(p, 262144);
	pcap_set_promisc(p, 1);
	pcap_set_immediate_mode(p, 1);
	pcap_set_timeout(p, 250);
	r = pcap_activate(p);
	if (r > 0)
		fprintf(stderr, PROG ": %s: %s\n", ifname, pcap_statustostr(r));
	if (r < 0 || pcap_compile(p, &prog, LIVE_FILTER, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(p, &prog) != 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s",
			 r < 0 && r != PCAP_ERROR ? pcap_statustostr(r) : pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	pcap_freecode(&prog);
	return p;
}

static int read_packets(struct dump *d, pcap_t *p, enum link lt, const char *name)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	unsigned long n = 0;
	int r = 0;

	while (!done(d)) {
		r = pcap_next_ex(p, &hdr, &data);
		if (r == 0)
			continue; /* live timeout: look at the stop flag again */
		if (r != 1)
			break;
		n++;
		process_frame(d, n, lt, data, hdr->caplen);
	}
	if (r == PCAP_ERROR) {
		fprintf(stderr, PROG ": %s: %s\n", name, pcap_geterr(p));
		return 1;
	}
	return 0;
}

static int run_pcap(struct dump *d, const char *name)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = d->live ? open_live(name, errbuf) : pcap_open_offline(name, errbuf);
	enum link lt;
	int rc;

	if (!p) {
		/* libpcap names the file in some messages and not in others */
		if (strncmp(errbuf, name, strlen(name)) == 0)
			fprintf(stderr, PROG ": %s\n", errbuf);
		else
			fprintf(stderr, PROG ": %s: %s\n", name, errbuf);
		return 1;
	}
	if (!link_of(pcap_datalink(p), &lt)) {
		fprintf(stderr, PROG ": %s: unsupported link type %s\n", name,
			pcap_datalink_val_to_name(pcap_datalink(p)));
		pcap_close(p);
		return 1;
	}
	if (drop_root() != 0) {
		fprintf(stderr, PROG ": cannot drop root privileges: %s\n", strerror(errno));
		pcap_close(p);
		return 1;
	}
	live_handle = d->live ? p : NULL;
	rc = read_packets(d, p, lt, name);
	live_handle = NULL;
	pcap_close(p);
	return rc;
}

/* ---- command line ---------------------------------------------------------------- */

static void usage(FILE *to)
{
	fprintf(to, "usage: " PROG " [--json] [-K] [-c COUNT] (-r FILE.pcap | -x HEXFILE | -i IFNAME)\n");
}

static int usage_error(const char *what)
{
	fprintf(stderr, PROG ": %s\n", what);
	usage(stderr);
	return 1;
}

static bool parse_count(const char *s, unsigned long *count)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	*count = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *count > 0;
}

static int set_source(enum source *src, const char **arg, enum source want, const char *val)
{
	if (*src != SRC_NONE)
		return usage_error("-r, -x and -i: give exactly one source");
	*src = want;
	*arg = val;
	return 0;
}

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "read", required_argument, NULL, 'r' },
	{ "hex", required_argument, NULL, 'x' },
	{ "interface", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, 'c' },
	{ "dont-verify-checksums", no_argument, NULL, 'K' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_one(int ch, const char *optname, struct dump *d, enum source *src,
		     const char **arg)
{
	switch (ch) {
	case 'J':
		d->json = true;
		return 0;
	case 'r':
		return set_source(src, arg, SRC_PCAP, optarg);
	case 'x':
		return set_source(src, arg, SRC_HEX, optarg);
	case 'i':
		return set_source(src, arg, SRC_LIVE, optarg);
	case 'K':
		d->no_udp_csum = true;
		return 0;
	case 'c':
		if (!parse_count(optarg, &d->count))
			return usage_error("-c: COUNT must be a positive integer");
		return 0;
	case 'h':
		usage(stdout);
		return -1;
	case ':':
		fprintf(stderr, PROG ": %s: needs an argument\n", optname);
		break;
	default:
		fprintf(stderr, PROG ": %s: unknown option\n", optname);
		break;
	}
	usage(stderr);
	return 1;
}

/* 0 to run, -1 to exit 0 (help), 1 on a usage error. */
static int parse_args(int argc, char **argv, struct dump *d, enum source *src,
		      const char **arg)
{
	int ch, r;

	opterr = 0; /* report under our own name, not argv[0] */
	while ((ch = getopt_long(argc, argv, ":r:x:i:c:Kh", long_opts, NULL)) != -1) {
		char shortname[3] = { '-', (char)optopt, '\0' };

		r = parse_one(ch, optopt ? shortname : argv[optind - 1], d, src, arg);
		if (r != 0)
			return r;
	}
	if (optind < argc)
		return usage_error("unexpected argument after the options");
	if (*src == SRC_NONE)
		return usage_error("one of -r, -x or -i is needed");
	return 0;
}

int main(int argc, char **argv)
{
	struct dump d = { 0 };
	enum source src = SRC_NONE;
	const char *arg = NULL;
	int rc = parse_args(argc, argv, &d, &src, &arg);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	install_signals();
	d.live = src == SRC_LIVE;
	rc = src == SRC_HEX ? run_hex(&d, arg) : run_pcap(&d, arg);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": stdout: %s\n", strerror(errno));
		rc = 1;
	}
	if (rc == 0 || d.printed + d.skipped > 0)
		fprintf(stderr, PROG ": %lu lines, %lu of them errors; %lu frames not DHCP\n",
			d.printed, d.errors, d.skipped);
	return rc;
}
