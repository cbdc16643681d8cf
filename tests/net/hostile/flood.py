"""Junk for lessee at line rate: a mix of malformed DHCP, well-formed DHCP
that is not for it (foreign xid or foreign chaddr), and ARP, built once, then
sent from a raw AF_PACKET socket in a paced loop.

    frames = build_frames(CLIENT_MAC, seed=7)      # list of bytes
    write_frames(path, frames)
    # in the flooding host:  python3 flood.py FRAMES IFNAME RATE SECONDS RESULT
    # RESULT (JSON): {"sent": n, "errors": n, "elapsed": s, "rate": frames/s}

Frames are built here by hand (struct), not with scapy: a malformed frame
is the point, and hand-built bytes say exactly what is wrong with each.
Every address is TEST-NET (192.0.2.0/24); no ARP frame names an address of
the server's pool (192.0.2.100-200) or the server (192.0.2.1), so none is an
address conflict (RFC 5227) for the lease lessee gets or a claim on the
server's address. DHCP replies go from port 67 to port 68, so the server
host's DHCP server never reads one.
"""

import json
import random
import socket
import struct
import sys
import time

from rogue import inet_sum as csum, mac_bytes    # one RFC 1071 sum for the suite

BROADCAST = b"\xff" * 6
COOKIE = b"\x63\x82\x53\x63"
ETH_IP, ETH_ARP = 0x0800, 0x0806
# Addresses the junk may name: outside the pool and not the server's.
JUNK_HOSTS = list(range(2, 60)) + list(range(210, 250))
# Every fourth frame is broadcast; the others go to the client's MAC.
BROADCAST_EVERY = 4


def ip_addr(host):
    return bytes([192, 0, 2, host])


def ipv4(src, dst, payload, proto=17, total=None, ihl=5, flags_frag=0, bad_sum=False):
    """An IPv4 header (RFC 791) + payload; total/ihl/flags may lie."""
    total = 20 + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 0x1234, flags_frag, 64, proto, 0,
                    src, dst)
    s = csum(h) ^ (0x5555 if bad_sum else 0)
    return h[:10] + struct.pack("!H", s) + h[12:] + payload


def udp(src, dst, sport, dport, payload, length=None, bad_sum=False):
    """A UDP header (RFC 768) with its pseudo-header checksum; length may lie."""
    length = 8 + len(payload) if length is None else length
    h = struct.pack("!HHHH", sport, dport, length, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, 8 + len(payload))
    s = csum(pseudo + h + payload) or 0xFFFF
    if bad_sum:
        s = s ^ 0x00FF or 1
    return h[:6] + struct.pack("!H", s) + payload


def bootp(op=2, xid=0, chaddr=b"", yiaddr=ip_addr(150), hlen=6, options=b"", cookie=COOKIE):
    """A BOOTP/DHCP message (RFC 2131 2) with the given options after the cookie."""
    hdr = struct.pack("!BBBBIHH4s4s4s4s", op, 1, hlen, 0, xid, 0, 0, b"\0" * 4, yiaddr,
                      b"\0" * 4, b"\0" * 4)
    body = hdr + chaddr.ljust(16, b"\0") + b"\0" * 64 + b"\0" * 128 + cookie + options
    return body.ljust(300, b"\0")


def opt(code, data):
    return bytes([code, len(data)]) + data


def reply_options(mtype, server_host=1):
    """A complete reply's options: type, server id, lease, mask, router, end."""
    return (opt(53, bytes([mtype])) + opt(54, ip_addr(server_host)) +
            opt(51, struct.pack("!I", 600)) + opt(1, b"\xff\xff\xff\x00") +
            opt(3, ip_addr(1)) + b"\xff")


def eth(dst, src, ethertype, payload):
    return dst + src + struct.pack("!H", ethertype) + payload


def dhcp_frame(dst_mac, src_mac, payload, ip_kw=None, udp_kw=None, ip_dst=b"\xff" * 4):
    seg = udp(ip_addr(1), ip_dst, 67, 68, payload, **(udp_kw or {}))
    return eth(dst_mac, src_mac, ETH_IP, ipv4(ip_addr(1), ip_dst, seg, **(ip_kw or {})))


def arp(op, sha, spa, tha, tpa, hlen=6):
    return struct.pack("!HHBBH", 1, 0x0800, hlen, 4, op) + sha + spa + tha + tpa


# ---------------------------------------------------------------- the mix

def _foreign_replies(rng, chaddr):
    """Well-formed OFFER/ACK/NAK that are not for the client: a random xid
    (the client's is random too, so never equal) or another chaddr."""
    other = bytes([2, 0, 0, 9, rng.randrange(256), rng.randrange(256)])
    xid = rng.getrandbits(32)
    mtype = rng.choice((2, 5, 5, 6))       # OFFER, ACK, NAK
    server = rng.choice((1, 66))           # the real server's id, or a rogue's
    who = rng.choice((chaddr, other))
    return bootp(xid=xid, chaddr=who, options=reply_options(mtype, server))


def _malformed_dhcp(rng, chaddr):
    """(payload, ip_kw, udp_kw): one of the ways a DHCP frame can be broken."""
    xid = rng.getrandbits(32)
    good = bootp(xid=xid, chaddr=chaddr, options=reply_options(5))
    kind = rng.randrange(13)
    cut = rng.randrange(1, 236)
    return [
        (good[:cut], {}, {}),                                        # cut BOOTP header
        (good, {"total": len(good) + 28 + rng.randrange(1, 400)}, {}),  # IP length too long
        (good, {"ihl": rng.randrange(0, 5)}, {}),                    # IP header too short
        (good, {"bad_sum": True}, {}),                               # bad IP checksum
        (good, {}, {"length": len(good) + 8 + rng.randrange(1, 400)}),  # UDP length too long
        (good, {}, {"length": rng.randrange(0, 8)}),                 # UDP length < header
        (good, {}, {"bad_sum": True}),                               # bad UDP checksum
        (bootp(xid=xid, chaddr=chaddr, options=reply_options(5), cookie=b"\0\0\0\0"), {}, {}),
        (bootp(xid=xid, chaddr=chaddr, options=opt(53, b"\x05") + b"\x36\xc8\xc0"), {}, {}),
        (bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600))), {}, {}),  # garbage
        (bootp(op=1, xid=xid, chaddr=chaddr, options=reply_options(5)), {}, {}),  # a request
        (bootp(xid=xid, chaddr=chaddr, hlen=rng.randrange(17, 256),
               options=reply_options(2)), {}, {}),                   # hlen > 16
        (good, {"flags_frag": 0x2000 | rng.randrange(0, 0x1FFF)}, {}),  # a fragment
    ][kind]


def _arp_frame(rng, src_mac):
    """Requests, replies, probes and announcements among junk addresses, and
    ARP with a wrong hardware length; never a pool or server address."""
    a, b = ip_addr(rng.choice(JUNK_HOSTS)), ip_addr(rng.choice(JUNK_HOSTS))
    kind = rng.randrange(5)
    if kind == 0:
        body = arp(1, src_mac, a, b"\0" * 6, b)            # request
    elif kind == 1:
        body = arp(2, src_mac, a, src_mac, b)              # reply
    elif kind == 2:
        body = arp(1, src_mac, b"\0" * 4, b"\0" * 6, a)    # probe
    elif kind == 3:
        body = arp(1, src_mac, a, b"\0" * 6, a)            # announcement
    else:
        body = arp(1, src_mac + b"\0\0", a, b"\0" * 8, b, hlen=8)[:rng.randrange(8, 36)]
    return body


def build_frames(client_mac, src_mac, count=512, seed=1):
    """count frames: about 45 % malformed DHCP, 35 % foreign replies, 20 %
    ARP; every BROADCAST_EVERY-th frame to ff:ff:ff:ff:ff:ff, the rest to
    the client's MAC. Deterministic for a seed."""
    rng = random.Random(seed)
    chaddr, src, client = mac_bytes(client_mac), mac_bytes(src_mac), mac_bytes(client_mac)
    frames = []
    for i in range(count):
        dst = BROADCAST if i % BROADCAST_EVERY == 0 else client
        r = rng.random()
        if r < 0.45:
            payload, ip_kw, udp_kw = _malformed_dhcp(rng, chaddr)
            frames.append(dhcp_frame(dst, src, payload, ip_kw, udp_kw))
        elif r < 0.80:
            ip_dst = rng.choice((b"\xff" * 4, ip_addr(150), ip_addr(rng.choice(JUNK_HOSTS))))
            frames.append(dhcp_frame(dst, src, _foreign_replies(rng, chaddr), ip_dst=ip_dst))
        else:
            frames.append(eth(dst, src, ETH_ARP, _arp_frame(rng, src)))
    return frames


def write_frames(path, frames):
    with open(path, "wb") as f:
        for fr in frames:
            f.write(struct.pack("!H", len(fr)) + fr)


def read_frames(path):
    with open(path, "rb") as f:
        data = f.read()
    out, i = [], 0
    while i + 2 <= len(data):
        n = struct.unpack("!H", data[i:i + 2])[0]
        out.append(data[i + 2:i + 2 + n])
        i += 2 + n
    return out


# ---------------------------------------------------------------- sender

BATCH_HZ = 200      # batches per second: 50 frames a batch at 10,000/s


def send_paced(sock, frames, rate, seconds):
    """Send frames round-robin at rate per second for seconds; return
    (sent, errors, elapsed). Paced by batches against a schedule from the
    start, so a late batch is made up by the next (at most one second of
    backlog, then the schedule moves on: no unbounded burst)."""
    per_batch = max(1, rate // BATCH_HZ)
    sent = errors = i = 0
    t0 = time.monotonic()
    n_batches = int(seconds * rate / per_batch)
    for b in range(n_batches):
        due = t0 + b * per_batch / rate
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        elif now - due > 1.0:
            break          # a second behind: report what went out
        for _ in range(per_batch):
            try:
                sock.send(frames[i])
                sent += 1
            except OSError:
                errors += 1        # ENOBUFS and the like: counted, not sent
            i = (i + 1) % len(frames)
    return sent, errors, time.monotonic() - t0


def main(argv):
    if len(argv) != 6:
        print("usage: flood.py FRAMES IFNAME RATE SECONDS RESULT.json", file=sys.stderr)
        return 1
    frames = read_frames(argv[1])
    rate, seconds = int(argv[3]), float(argv[4])
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    sock.bind((argv[2], 0))
    sent, errors, elapsed = send_paced(sock, frames, rate, seconds)
    with open(argv[5], "w") as f:
        json.dump({"sent": sent, "errors": errors, "elapsed": elapsed,
                   "rate": sent / elapsed if elapsed else 0.0}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
