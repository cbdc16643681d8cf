#!/usr/bin/python3
"""Write the named seed corpora of the libFuzzer harnesses.

    tests/fuzz/make-seeds.py [--clean] [--out DIR] [PCAP ...]

Two sources:
  * hand-made messages built here (overload, RFC 3396 splits, option 119
    compression, option 121/249 routes, malformed cases the parser must
    refuse or drop), so the interesting shapes are in the corpus from the
    first run;
  * real captures (default: tests/data/*.pcap and *.pcapng): every DHCP or
    ARP frame, named "<type>-<capture>" (ack-dnsmasq-dhclient); from each,
    the values of options 61/81/82/119/121/249 and the whole message in
    the round-trip encoding, options in the server's order.

Output goes to DIR/fuzz_frame (Ethernet frames and bare IPv4 packets),
DIR/fuzz_bootp (UDP payloads), DIR/fuzz_options (code byte + value) and
DIR/fuzz_roundtrip (the harness's own input encoding, see fuzz_roundtrip.c).
DIR defaults to tests/fuzz/corpus next to this script. Plain pcap/pcapng
parsing: no scapy needed. --clean empties the four directories first.

The IPC harnesses' seeds (fuzz_ipc_net, fuzz_ipc_apply, fuzz_ipc_engine)
are C structs and the engine's own states, so a C program writes them:
BUILD/tests/fuzz/ipc_seeds [--clean] tests/fuzz/corpus (a -Dfuzz=true build).
"""
import argparse
import glob
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

COOKIE = b"\x63\x82\x53\x63"
MSG_TYPES = {1: "discover", 2: "offer", 3: "request", 4: "decline", 5: "ack",
             6: "nak", 7: "release", 8: "inform", 9: "forcerenew"}

CLIENT_MAC = bytes.fromhex("02005e0000a1")
SERVER_MAC = bytes.fromhex("02005e000001")


def ip(s):
    return bytes(int(x) for x in s.split("."))


# ---- DHCP messages ---------------------------------------------------------

def opt(code, value):
    """One option, split into 255-byte instances (RFC 3396) when longer."""
    if code in (0, 255):
        return bytes([code])
    if len(value) == 0:
        return bytes([code, 0])
    out = b""
    for i in range(0, len(value), 255):
        chunk = value[i:i + 255]
        out += bytes([code, len(chunk)]) + chunk
    return out


def header(op=2, xid=0x3903F326, yiaddr="192.0.2.100", siaddr="0.0.0.0",
           ciaddr="0.0.0.0", giaddr="0.0.0.0", flags=0, htype=1, hlen=6,
           chaddr=CLIENT_MAC, sname=b"", file=b""):
    h = struct.pack("!BBBBIHH", op, htype, hlen, 0, xid, 0, flags)
    h += ip(ciaddr) + ip(yiaddr) + ip(siaddr) + ip(giaddr)
    h += chaddr.ljust(16, b"\0")
    h += sname.ljust(64, b"\0")[:64] + file.ljust(128, b"\0")[:128]
    return h + COOKIE


def dhcp(options, end=True, pad=True, **kw):
    """options: list of (code, value) or raw bytes, in wire order."""
    body = b""
    for o in options:
        body += o if isinstance(o, bytes) else opt(*o)
    msg = header(**kw) + body + (b"\xff" if end else b"")
    if pad and len(msg) < 300:
        msg = msg.ljust(300, b"\0")
    return msg


def dns_name(name):
    out = b""
    for label in name.split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def route(prefix, dst, gw):
    n = (prefix + 7) // 8
    return bytes([prefix]) + ip(dst)[:n] + ip(gw)


SID = (54, ip("192.0.2.1"))
LEASE = (51, struct.pack("!I", 600))
MASK = (1, ip("255.255.255.0"))
ROUTER = (3, ip("192.0.2.1"))
DNS = (6, ip("192.0.2.53") + ip("198.51.100.53"))


def t(n):
    return (53, bytes([n]))


def search_compressed():
    # example.com, sub.example.com (pointer to example.com), example.net
    a = dns_name("example.com")
    b = b"\x03sub\xc0\x00"
    c = dns_name("example.net")
    return a + b + c


def hand_made_messages():
    seeds = {}
    seeds["discover-minimal"] = dhcp([t(1), (55, bytes([1, 3, 6, 15, 51, 54, 119, 121]))],
                                     op=1, yiaddr="0.0.0.0")
    seeds["request-selecting"] = dhcp([t(3), (50, ip("192.0.2.100")), SID,
                                       (61, b"\x01" + CLIENT_MAC), (12, b"lessee-host"),
                                       (57, struct.pack("!H", 1500)),
                                       (55, bytes([1, 3, 6, 15, 26, 28, 42, 119, 121]))],
                                      op=1, yiaddr="0.0.0.0")
    seeds["offer-basic"] = dhcp([t(2), SID, LEASE, MASK, ROUTER, DNS])
    seeds["ack-full"] = dhcp([t(5), SID, LEASE, MASK, ROUTER, DNS,
                              (2, struct.pack("!i", -3600)), (15, b"example.com"),
                              (12, b"client-1"), (26, struct.pack("!H", 1400)),
                              (28, ip("192.0.2.255")), (42, ip("192.0.2.123")),
                              (58, struct.pack("!I", 300)), (59, struct.pack("!I", 525)),
                              (119, search_compressed()),
                              (121, route(24, "198.51.100.0", "192.0.2.1") +
                               route(0, "0.0.0.0", "192.0.2.1")),
                              (108, struct.pack("!I", 1800)), (114, b"https://portal.example/"),
                              (80, b""), (252, b"http://wpad.example/wpad.dat"),
                              (43, b"\x01\x04vend"), (200, b"\xde\xad\xbe\xef")])
    seeds["nak"] = dhcp([t(6), SID, (56, b"address not available")], yiaddr="0.0.0.0")
    seeds["inform-ack"] = dhcp([t(5), SID, DNS, (15, b"example.org")], yiaddr="0.0.0.0",
                               ciaddr="192.0.2.77")
    seeds["release"] = dhcp([t(7), SID], op=1, yiaddr="0.0.0.0", ciaddr="192.0.2.100")
    seeds["decline"] = dhcp([t(4), SID, (50, ip("192.0.2.100"))], op=1, yiaddr="0.0.0.0")
    seeds["forcerenew"] = dhcp([t(9), SID])
    seeds["relay-82"] = dhcp([t(2), SID, LEASE, (82, b"\x01\x04eth0\x02\x06" + SERVER_MAC)],
                             giaddr="198.51.100.1")
    seeds["bootp-plain"] = dhcp([MASK, ROUTER])

    # Option overload (RFC 2131 4.1, RFC 2132 9.3): options continue in file
    # (1), sname (2) or both (3); END closes each area.
    file_opts = opt(*ROUTER) + opt(*DNS) + b"\xff"
    sname_opts = opt(15, b"example.com") + b"\xff"
    seeds["offer-overload-file"] = dhcp([t(2), SID, (52, b"\x01"), LEASE],
                                        file=file_opts)
    seeds["offer-overload-sname"] = dhcp([t(2), SID, (52, b"\x02"), LEASE],
                                         sname=sname_opts)
    seeds["offer-overload-both"] = dhcp([t(2), SID, (52, b"\x03"), LEASE],
                                        file=file_opts, sname=sname_opts)
    # A split option whose second half sits in file (concatenated in order).
    s = search_compressed()
    seeds["split-119-overload"] = dhcp([t(5), SID, (52, b"\x01"), opt(119, s[:9])],
                                       file=opt(119, s[9:]) + b"\xff")

    # RFC 3396 splits in the options field.
    names = [dns_name("n%02d.example.com" % i) for i in range(20)]
    seeds["split-119"] = dhcp([t(5), SID, LEASE, (119, b"".join(names))])
    routes = b"".join(route(24, "198.51.%d.0" % i, "192.0.2.1") for i in range(40))
    seeds["split-121"] = dhcp([t(5), SID, LEASE, (121, routes)])
    seeds["split-vendor-43"] = dhcp([t(5), SID, (43, bytes(range(256)) * 2)])
    seeds["split-dns-6"] = dhcp([t(5), SID, (6, b"".join(ip("192.0.2.%d" % i)
                                                         for i in range(1, 100)))])
    # Instances not adjacent: still one value, in order.
    seeds["split-interleaved"] = dhcp([t(5), opt(3, ip("192.0.2.1")), SID,
                                       opt(3, ip("192.0.2.2"))])

    seeds["routes-121-prefixes"] = dhcp([t(5), SID, (121, route(0, "0.0.0.0", "192.0.2.1") +
                                                     route(8, "10.0.0.0", "192.0.2.2") +
                                                     route(25, "198.51.100.128", "0.0.0.0") +
                                                     route(32, "203.0.113.7", "192.0.2.3"))])
    seeds["routes-249"] = dhcp([t(5), SID, (249, route(16, "172.16.0.0", "192.0.2.1"))])
    seeds["routes-33-static"] = dhcp([t(5), SID, (33, ip("198.51.100.0") + ip("192.0.2.1"))])

    # Malformed: each must be refused or dropped with its reason.
    seeds["bad-mtu-length"] = dhcp([t(5), SID, b"\x1a\x03\x05\xdc\x00", LEASE])
    seeds["bad-option-overrun"] = dhcp([t(5), SID, b"\x0c\x40short"], end=False, pad=False)
    seeds["bad-no-server-id"] = dhcp([t(2), LEASE])
    seeds["bad-no-msg-type"] = dhcp([SID, LEASE, (55, b"\x01")])
    seeds["bad-msg-type-99"] = dhcp([t(99), SID])
    seeds["bad-missing-end"] = dhcp([t(5), SID, LEASE], end=False, pad=False)
    seeds["bad-overload-in-file"] = dhcp([t(2), SID, (52, b"\x01")],
                                         file=opt(52, b"\x02") + b"\xff")
    seeds["bad-overload-value"] = dhcp([t(2), SID, (52, b"\x07")])
    seeds["bad-119-loop"] = dhcp([t(5), SID, (119, b"\x03abc\xc0\x00")])
    seeds["bad-119-forward"] = dhcp([t(5), SID, (119, b"\xc0\x02\x03abc\x00")])
    seeds["bad-119-label"] = dhcp([t(5), SID, (119, b"\x40" + b"a" * 64 + b"\x00")])
    seeds["bad-121-hostbits"] = dhcp([t(5), SID, (121, b"\x16\xc6\x33\x65" + ip("192.0.2.1"))])
    seeds["bad-121-prefix"] = dhcp([t(5), SID, (121, b"\x21" + b"\x01" * 8)])
    seeds["bad-121-truncated"] = dhcp([t(5), SID, (121, b"\x18\xc6\x33\x64\xc0\x00")])
    seeds["bad-hlen"] = dhcp([t(5), SID], hlen=17)
    seeds["bad-cookie"] = dhcp([t(5), SID])[:236] + b"\x63\x82\x53\x64" + opt(*t(5)) + b"\xff"
    seeds["bad-truncated-header"] = dhcp([t(5)])[:200]
    seeds["ib-htype-32"] = dhcp([t(5), SID, (61, b"\xff" + bytes(19))], htype=32, hlen=0)
    return seeds


# ---- framing ---------------------------------------------------------------

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_ip(payload, src="192.0.2.1", dst="255.255.255.255", sport=67, dport=68,
           udp_csum=True, ihl_words=5):
    ulen = 8 + len(payload)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    if udp_csum:
        pseudo = ip(src) + ip(dst) + struct.pack("!BBH", 0, 17, ulen)
        c = csum(pseudo + udp) or 0xFFFF
        udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    opts = b"\x01" * (4 * (ihl_words - 5))
    total = 4 * ihl_words + ulen
    iph = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl_words, 0xC0, total, 0, 0, 64, 17, 0,
                      ip(src), ip(dst)) + opts
    iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
    return iph + udp


def ether(payload, ethertype=0x0800, dst=b"\xff" * 6, src=SERVER_MAC):
    return dst + src + struct.pack("!H", ethertype) + payload


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + ip(spa) + tha + ip(tpa)


def hand_made_frames(msgs):
    seeds = {}
    for name in ("offer-basic", "ack-full", "offer-overload-both", "split-119", "bad-mtu-length"):
        seeds["eth-" + name] = ether(udp_ip(msgs[name]))
    seeds["eth-discover"] = ether(udp_ip(msgs["discover-minimal"], src="0.0.0.0", sport=68,
                                         dport=67), src=CLIENT_MAC)
    seeds["eth-udp-csum-zero"] = ether(udp_ip(msgs["offer-basic"], udp_csum=False))
    seeds["eth-ip-options"] = ether(udp_ip(msgs["offer-basic"], ihl_words=6))
    seeds["eth-link-padding"] = ether(udp_ip(msgs["nak"])) + b"\0" * 18
    frag = bytearray(udp_ip(msgs["offer-basic"]))
    frag[6] = 0x20  # more fragments
    frag[10:12] = b"\0\0"
    frag[10:12] = struct.pack("!H", csum(bytes(frag[:20])))
    seeds["eth-fragment"] = ether(bytes(frag))
    seeds["ip-ack-full"] = udp_ip(msgs["ack-full"])
    seeds["arp-probe"] = ether(arp(1, CLIENT_MAC, "0.0.0.0", b"\0" * 6, "192.0.2.100"),
                               0x0806, src=CLIENT_MAC)
    seeds["arp-announce"] = ether(arp(1, CLIENT_MAC, "192.0.2.100", b"\0" * 6, "192.0.2.100"),
                                  0x0806, src=CLIENT_MAC)
    seeds["arp-reply-conflict"] = ether(arp(2, SERVER_MAC, "192.0.2.100", CLIENT_MAC,
                                            "0.0.0.0"), 0x0806, dst=CLIENT_MAC)
    return seeds


# ---- option values -----------------------------------------------------------

def hand_made_options():
    names = b"".join(dns_name("n%02d.example.com" % i) for i in range(20))
    v = {
        "119-compressed": (119, search_compressed()),
        "119-long": (119, names),
        "119-root": (119, b"\x00"),
        "119-ptr-chain": (119, dns_name("example.com") + b"\x01a\xc0\x00" + b"\x01b\xc0\x0d"),
        "119-loop": (119, b"\x03abc\xc0\x00"),
        "119-self": (119, b"\xc0\x00"),
        "119-forward": (119, b"\xc0\x02\x00"),
        "119-escapes": (119, b"\x05a.b\\c\x03x y\x00"),
        "119-name-255": (119, (b"\x3f" + b"a" * 63) * 3 + b"\x3d" + b"b" * 61 + b"\x00"),
        "121-prefixes": (121, route(0, "0.0.0.0", "192.0.2.1") + route(8, "10.0.0.0", "192.0.2.2")
                         + route(25, "198.51.100.128", "0.0.0.0")
                         + route(32, "203.0.113.7", "192.0.2.3")),
        "121-hostbits": (121, b"\x16\xc6\x33\x65" + ip("192.0.2.1")),
        "121-truncated": (121, b"\x20\xc6\x33\x64"),
        "249-one": (249, route(16, "172.16.0.0", "192.0.2.1")),
        "001-mask": (1, ip("255.255.255.0")),
        "003-routers": (3, ip("192.0.2.1") + ip("192.0.2.2")),
        "025-plateau": (25, struct.pack("!HHH", 68, 296, 1500)),
        "026-mtu": (26, struct.pack("!H", 1500)),
        "026-mtu-short": (26, b"\x05"),
        "033-static": (33, ip("198.51.100.0") + ip("192.0.2.1")),
        "046-node-type": (46, b"\x08"),
        "052-overload": (52, b"\x03"),
        "053-ack": (53, b"\x05"),
        "055-prl": (55, bytes([1, 3, 6, 15, 119, 121])),
        "057-max-size": (57, struct.pack("!H", 576)),
        "061-client-id": (61, b"\x01" + CLIENT_MAC),
        "080-rapid": (80, b""),
        "081-fqdn": (81, b"\x01\x00\x00host.example.com"),
        "082-relay": (82, b"\x01\x04eth0"),
        "116-autoconf": (116, b"\x01"),
        "200-unknown": (200, b"\x00\x01\x02"),
    }
    return {k: bytes([c]) + val for k, (c, val) in v.items()}


# ---- roundtrip encoding (see fuzz_roundtrip.c) -----------------------------

def rt_encode(options, msg_type=5, op=2, htype=1, hlen=6, sname_file=None, order=None,
              other_cap=0x0123):
    h = struct.pack("!BBBBIHH", op, htype, hlen, 0, 0x3903F326, 3, 0x8000)
    h += ip("0.0.0.0") + ip("192.0.2.100") + ip("192.0.2.1") + ip("0.0.0.0")
    h += CLIENT_MAC.ljust(16, b"\0")
    flags = (1 if sname_file is not None else 0) | (2 if order is not None else 0)
    out = h + bytes([msg_type, flags]) + struct.pack("!H", other_cap)
    if sname_file is not None:
        out += sname_file.ljust(192, b"\0")[:192]
    if order is not None:
        out += bytes([len(order)]) + bytes(order)
    return out + rt_options(options)


def rt_options(options):
    out = b""
    for code, val in options:
        if len(val) >= 255:
            out += bytes([code, 255]) + struct.pack("!H", len(val)) + val
        else:
            out += bytes([code, len(val)]) + val
    return out


def hand_made_roundtrip():
    base = [SID, LEASE, MASK, ROUTER, DNS, (15, b"example.com")]
    s = {}
    s["ack-code-order"] = rt_encode(base)
    s["ack-shuffled"] = rt_encode(base, order=[6, 53, 1, 54, 99, 3, 6])
    s["discover-request"] = rt_encode([(55, bytes([1, 3, 6, 15, 119])), (61, b"\x01" + CLIENT_MAC)],
                                      msg_type=1, op=1)
    s["long-43-split"] = rt_encode([SID, (43, bytes(range(256)) * 3)])
    s["long-119-split"] = rt_encode([SID, (119, b"".join(dns_name("n%02d.example.com" % i)
                                                         for i in range(30)))])
    s["long-121-split"] = rt_encode([SID, (121, b"".join(route(24, "198.51.%d.0" % i, "192.0.2.1")
                                                         for i in range(60)))])
    s["exact-255-256"] = rt_encode([(43, b"\x01" * 255), (60, b"\x02" * 256)])
    s["overload-sname-file"] = rt_encode([SID, (52, b"\x03")], sname_file=b"\x01" * 192)
    s["sname-file-text"] = rt_encode([SID], sname_file=b"server.example".ljust(64, b"\0") +
                                     b"/boot/pxelinux.0")
    s["invalid-values"] = rt_encode([(26, b"\x05"), (119, b"\xc0\x00"), (121, b"\x21"),
                                     (53, b"\x05"), (80, b"x"), (0, b"pad"), (255, b"")])
    s["rapid-commit-empty"] = rt_encode([(80, b""), (200, b"")])
    s["msg-type-bad"] = rt_encode(base, msg_type=0)
    s["hlen-16-htype-6"] = rt_encode(base, htype=6, hlen=16)
    s["hlen-17"] = rt_encode(base, htype=6, hlen=17)
    s["many-options"] = rt_encode([(c, bytes([c]) * (c % 7)) for c in range(130, 200)])
    s["pool-full"] = rt_encode([(43, b"\x01" * 1500), (60, b"\x02" * 600)])
    return s


# ---- captures ----------------------------------------------------------------

def read_pcap(path):
    """Yield (linktype, frame bytes) from a pcap or pcapng file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic == b"\x0a\x0d\x0d\x0a":
        yield from read_pcapng(data)
        return
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        print("%s: not a pcap file, skipped" % path, file=sys.stderr)
        return
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0xFFFF
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        off += 16
        yield linktype, data[off:off + incl]
        off += incl


def read_pcapng(data):
    off, e, linktypes = 0, "<", []
    while off + 12 <= len(data):
        btype = struct.unpack(e + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            linktypes = []
        blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
        if blen < 12:
            return
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            linktypes.append(struct.unpack(e + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            iface, _, _, cap = struct.unpack(e + "IIII", body[:16])
            if iface < len(linktypes):
                yield linktypes[iface], body[20:20 + cap]
        off += blen


def to_ipv4(linktype, frame):
    """(ethernet frame or None, IPv4 packet or None, ARP or None)."""
    if linktype == 1:
        if len(frame) < 14:
            return None, None, None
        etype = struct.unpack("!H", frame[12:14])[0]
        if etype == 0x0800:
            return frame, frame[14:], None
        if etype == 0x0806:
            return frame, None, frame
        return None, None, None
    if linktype == 113 and len(frame) >= 16:  # Linux cooked v1
        etype = struct.unpack("!H", frame[14:16])[0]
        return None, (frame[16:] if etype == 0x0800 else None), None
    if linktype == 276 and len(frame) >= 20:  # Linux cooked v2
        etype = struct.unpack("!H", frame[0:2])[0]
        return None, (frame[20:] if etype == 0x0800 else None), None
    if linktype in (101, 228, 12, 14):  # raw IPv4
        return None, frame, None
    return None, None, None


def udp_payload(pkt):
    if len(pkt) < 20 or pkt[0] >> 4 != 4:
        return None
    ihl = (pkt[0] & 15) * 4
    if pkt[9] != 17 or len(pkt) < ihl + 8:
        return None
    sport, dport, ulen = struct.unpack("!HHH", pkt[ihl:ihl + 6])
    if {sport, dport} & {67, 68} and ulen >= 8:
        return pkt[ihl + 8:ihl + ulen]
    return None


def msg_type_of(payload):
    off = 240
    while off + 1 < len(payload):
        code = payload[off]
        if code == 0:
            off += 1
            continue
        if code == 255:
            break
        n = payload[off + 1]
        if code == 53 and n == 1 and off + 2 < len(payload):
            return MSG_TYPES.get(payload[off + 2], "type%d" % payload[off + 2])
        off += 2 + n
    return "bootp"


def options_of(payload):
    """{code: concatenated value} of the options field (no overload)."""
    out, order, off = {}, [], 240
    while off + 1 < len(payload):
        code = payload[off]
        if code == 0:
            off += 1
            continue
        if code == 255:
            break
        n = payload[off + 1]
        if code not in out:
            order.append(code)
        out[code] = out.get(code, b"") + payload[off + 2:off + 2 + n]
        off += 2 + n
    return out, order


def unique(seeds, name):
    if name not in seeds:
        return name
    i = 2
    while "%s-%d" % (name, i) in seeds:
        i += 1
    return "%s-%d" % (name, i)


def capture_seeds(paths):
    """Seeds named "<type>-<capture>", e.g. ack-dnsmasq-dhclient."""
    frames, payloads, values, roundtrip = {}, {}, {}, {}
    for path in paths:
        stem = os.path.splitext(os.path.basename(path))[0]
        for lt, frame in read_pcap(path):
            eth, pkt, arp_frame = to_ipv4(lt, frame)
            if arp_frame is not None:
                frames[unique(frames, "arp-" + stem)] = arp_frame
                continue
            payload = udp_payload(pkt) if pkt is not None else None
            if payload is None:
                continue
            name = "%s-%s" % (msg_type_of(payload), stem)
            frames[unique(frames, name)] = eth if eth is not None else pkt
            payloads[unique(payloads, name)] = payload
            opts, order = options_of(payload)
            # Real option values of the kinds that need decoding.
            for code in (61, 81, 82, 119, 121, 249):
                if code in opts:
                    key = unique(values, "%03d-%s" % (code, name))
                    values[key] = bytes([code]) + opts[code]
            # The same message for the builder, in the server's own order.
            if len(payload) >= 240 and 53 in opts and len(opts[53]) == 1:
                hdr = payload[:44]
                body = [(c, opts[c]) for c in order if c != 53 and len(opts[c]) <= 2048]
                roundtrip[unique(roundtrip, name)] = (
                    hdr + bytes([opts[53][0], 2]) + b"\x01\x2c" + bytes([len(order)]) +
                    bytes(order) + rt_options(body))
    return frames, payloads, values, roundtrip


# ---- output --------------------------------------------------------------------

def write_dir(path, seeds, clean):
    os.makedirs(path, exist_ok=True)
    if clean:
        for f in os.listdir(path):
            os.unlink(os.path.join(path, f))
    seen = set()
    written = 0
    for name in sorted(seeds):
        digest = hashlib.sha1(seeds[name]).digest()
        if digest in seen:
            continue  # identical bytes under another name
        seen.add(digest)
        with open(os.path.join(path, name), "wb") as f:
            f.write(seeds[name])
        written += 1
    print("%s: %d seeds" % (os.path.relpath(path, REPO), written))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--clean", action="store_true")
    ap.add_argument("pcaps", nargs="*")
    args = ap.parse_args()
    pcaps = args.pcaps or sorted(glob.glob(os.path.join(REPO, "tests", "data", "*.pcap")) +
                                 glob.glob(os.path.join(REPO, "tests", "data", "*.pcapng")))

    msgs = hand_made_messages()
    frames = hand_made_frames(msgs)
    cap_frames, cap_payloads, cap_values, cap_roundtrip = capture_seeds(pcaps)
    frames.update(cap_frames)
    payloads = dict(msgs)
    payloads.update(cap_payloads)
    values = hand_made_options()
    values.update(cap_values)
    roundtrip = hand_made_roundtrip()
    roundtrip.update(cap_roundtrip)

    write_dir(os.path.join(args.out, "fuzz_frame"), frames, args.clean)
    write_dir(os.path.join(args.out, "fuzz_bootp"), payloads, args.clean)
    write_dir(os.path.join(args.out, "fuzz_options"), values, args.clean)
    write_dir(os.path.join(args.out, "fuzz_roundtrip"), roundtrip, args.clean)


if __name__ == "__main__":
    main()
