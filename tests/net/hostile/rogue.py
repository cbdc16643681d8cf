"""A rogue DHCP server for lessee's hostile-network suite (issue 7).

The rogue lives in one of the lab's hosts (a namespace). It reads every
DHCP client message on that host's eth0 from a raw packet socket and hands
it to a Python handler, which returns the frames to send back: whole
Ethernet frames, built here field by field so that a test can break any
layer (Ethernet, IPv4, UDP, BOOTP, options). Replies match the client's xid
and chaddr unless a test says otherwise, so lessee takes them seriously.

    def handler(req, rogue):
        return [reply(req, OFFER, "192.0.2.100", good_options())]
    with Rogue(lab.server, handler) as r:
        ...

The packet socket is made inside the host's namespace (setns on this
thread only, then back), so the rogue runs in the test's own process: no
script to pass handlers to, and a handler's exception fails the test
(Rogue.stop re-raises it).
"""

import ctypes
import ipaddress
import os
import select
import socket
import struct
import threading
import time

CLONE_NEWNET = 0x40000000
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
COOKIE = b"\x63\x82\x53\x63"

DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = range(1, 9)
FORCERENEW = 9

BROADCAST_MAC = b"\xff" * 6
ROGUE_IP = "192.0.2.1"
ROGUE_MAC = "02:00:00:00:02:01"

_libc = ctypes.CDLL(None, use_errno=True)
_ns_lock = threading.Lock()


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"setns: {os.strerror(e)}")


def packet_socket(ns, ifname, proto=ETH_P_IP):
    """A raw AF_PACKET socket bound to ifname inside namespace ns."""
    with _ns_lock:
        home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(os.path.join("/run/netns", ns), os.O_RDONLY)
        try:
            _setns(target)
            try:
                s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
                s.bind((ifname, proto))
            finally:
                _setns(home)
        finally:
            os.close(home)
            os.close(target)
    return s


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", "")) if isinstance(mac, str) else bytes(mac)


def ip_bytes(addr):
    return ipaddress.IPv4Address(addr).packed if isinstance(addr, str) else bytes(addr)


# ---------------------------------------------------------------- checksums

def inet_sum(data):
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


# ---------------------------------------------------------------- parsing

class Request:
    """One client message as the rogue received it (decoded here, tolerant)."""

    def __init__(self, frame):
        self.frame = frame
        self.eth_src = frame[6:12]
        ihl = (frame[14] & 0x0f) * 4
        self.ip_src = frame[26:30]
        self.ip_dst = frame[30:34]
        udp = 14 + ihl
        self.sport, self.dport = struct.unpack("!HH", frame[udp:udp + 4])
        p = frame[udp + 8:]
        self.payload = p
        self.xid = p[4:8]
        self.secs = p[8:10]
        self.flags = struct.unpack("!H", p[10:12])[0]
        self.ciaddr = p[12:16]
        self.chaddr = p[28:44]
        self.options = {}
        self.order = []
        i = 240
        while i < len(p) and p[i] != 255:
            if p[i] == 0:
                i += 1
                continue
            if i + 2 > len(p) or i + 2 + p[i + 1] > len(p):
                break
            self.options[p[i]] = self.options.get(p[i], b"") + p[i + 2:i + 2 + p[i + 1]]
            self.order.append(p[i])
            i += 2 + p[i + 1]
        t = self.options.get(53, b"\x00")
        self.type = t[0] if t else 0

    @property
    def mac(self):
        return self.chaddr[:6]

    @property
    def requested(self):
        v = self.options.get(50)
        return str(ipaddress.IPv4Address(v)) if v and len(v) == 4 else None

    @property
    def server_id(self):
        v = self.options.get(54)
        return str(ipaddress.IPv4Address(v)) if v and len(v) == 4 else None

    def __repr__(self):
        return f"<Request type={self.type} xid={self.xid.hex()} ci={self.ciaddr.hex()}>"


def parse_client(frame):
    """The Request in frame if it is a client->server DHCP message, else None."""
    if len(frame) < 14 + 20 + 8 + 240 or frame[12:14] != b"\x08\x00":
        return None
    if frame[14] >> 4 != 4 or frame[23] != 17:
        return None
    ihl = (frame[14] & 0x0f) * 4
    udp = 14 + ihl
    if len(frame) < udp + 8 + 240:
        return None
    sport, dport = struct.unpack("!HH", frame[udp:udp + 4])
    p = frame[udp + 8:]
    if dport != 67 or p[0] != 1 or p[236:240] != COOKIE:
        return None
    return Request(frame)


# ---------------------------------------------------------------- building

def opt(code, value):
    """One option as (code, bytes); value: bytes, str (ASCII text), int (u32)
    or a list of IPv4 address strings (a single address too: [addr])."""
    if isinstance(value, int):
        value = struct.pack("!I", value)
    elif isinstance(value, str):
        value = value.encode()
    elif isinstance(value, (list, tuple)):
        value = b"".join(ip_bytes(a) for a in value)
    return (code, bytes(value))


def encode_options(options, end=True):
    """options: [(code, bytes)] -> TLV bytes (a value over 255 bytes is split
    into RFC 3396 instances), then END. A (code, None) entry is a bare code
    byte (PAD, or a code with no length: a cut option)."""
    out = b""
    for code, value in options:
        if value is None:
            out += bytes([code])
            continue
        if not value:
            out += bytes([code, 0])
        while value:
            out += bytes([code, min(len(value), 255)]) + value[:255]
            value = value[255:]
    return out + (b"\xff" if end else b"")


def good_options(msgtype, server=ROGUE_IP, lease=600, mask="255.255.255.0",
                 router="192.0.2.1", dns=("192.0.2.53",), extra=()):
    """The options of an ordinary OFFER/ACK, then extra; a code in extra
    replaces the default one."""
    base = [opt(53, bytes([msgtype])), opt(54, [server]), opt(51, lease), opt(1, [mask])]
    if router:
        base.append(opt(3, [router]))
    if dns:
        base.append(opt(6, list(dns)))
    extra = list(extra)
    override = {c for c, _ in extra}
    return [o for o in base if o[0] not in override] + extra


def bootp(req, msgtype=None, yiaddr="0.0.0.0", options=None, siaddr="0.0.0.0",
          ciaddr="0.0.0.0", xid=None, chaddr=None, op=2, htype=1, hlen=6, flags=None,
          sname=b"", file=b"", cookie=COOKIE, raw_options=None, end=True):
    """A BOOTP/DHCP server message answering req. raw_options (bytes) replaces
    the encoded options entirely (END included or not: the caller's bytes)."""
    if options is None:
        options = good_options(msgtype) if msgtype else []
    head = struct.pack("!BBBB", op, htype, hlen, 0)
    head += xid if xid is not None else req.xid
    head += b"\x00\x00"
    head += struct.pack("!H", req.flags if flags is None else flags)
    head += ip_bytes(ciaddr) + ip_bytes(yiaddr) + ip_bytes(siaddr) + b"\x00" * 4
    ch = req.chaddr if chaddr is None else mac_bytes(chaddr)
    head += ch[:16].ljust(16, b"\x00")
    head += sname[:64].ljust(64, b"\x00") + file[:128].ljust(128, b"\x00")
    body = raw_options if raw_options is not None else encode_options(options, end)
    return head + cookie + body


def udp_frame(payload, dst_mac=BROADCAST_MAC, src_mac=ROGUE_MAC, src_ip=ROGUE_IP,
              dst_ip="255.255.255.255", sport=67, dport=68, ttl=64, ip_id=1,
              frag=0, udp_len=None, ip_len=None, udp_csum=None, ip_csum=None,
              ihl=5, version=4, proto=17, pad_to=None):
    """Ethernet + IPv4 + UDP around payload, checksums right unless given.
    frag: the IPv4 flags+fragment-offset field (0x2000 = more fragments)."""
    src, dst = ip_bytes(src_ip), ip_bytes(dst_ip)
    ulen = udp_len if udp_len is not None else 8 + len(payload)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    if udp_csum is None:
        pseudo = src + dst + struct.pack("!BBH", 0, 17, 8 + len(payload))
        udp_csum = inet_sum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", udp_csum) + udp[8:]
    options = b"\x00" * ((ihl - 5) * 4) if ihl > 5 else b""
    tlen = ip_len if ip_len is not None else 20 + len(options) + len(udp)
    ip = struct.pack("!BBHHHBBH4s4s", (version << 4) | (ihl & 0x0f), 0, tlen & 0xffff,
                     ip_id, frag, ttl, proto, 0, src, dst) + options
    if ip_csum is None:
        ip_csum = inet_sum(ip)
    ip = ip[:10] + struct.pack("!H", ip_csum) + ip[12:]
    frame = mac_bytes(dst_mac) + mac_bytes(src_mac) + b"\x08\x00" + ip + udp
    if pad_to and len(frame) < pad_to:
        frame += b"\x00" * (pad_to - len(frame))
    return frame


def reply(req, msgtype, yiaddr, options=None, **kw):
    """A well-formed server reply to req in a frame: broadcast IP and MAC
    (the client has no address yet), from the rogue's address; every
    keyword goes to bootp() or udp_frame(), whichever takes it."""
    frame_kw = {k: kw.pop(k) for k in list(kw) if k in _FRAME_KEYS}
    if options is None:
        options = good_options(msgtype)
    return udp_frame(bootp(req, msgtype, yiaddr, options, **kw), **frame_kw)


_FRAME_KEYS = {"dst_mac", "src_mac", "src_ip", "dst_ip", "sport", "dport", "ttl", "ip_id",
               "frag", "udp_len", "ip_len", "udp_csum", "ip_csum", "ihl", "version",
               "proto", "pad_to"}


def serve_normally(address="192.0.2.100", server=ROGUE_IP, lease=600, extra=()):
    """A handler that behaves like an honest server: OFFER on DISCOVER, ACK
    on REQUEST for the offered address (NAK for any other)."""
    def handler(req, rogue):
        if req.type == DISCOVER:
            return [reply(req, OFFER, address, good_options(OFFER, server, lease, extra=extra),
                          src_ip=server)]
        if req.type == REQUEST:
            asked = req.requested or str(ipaddress.IPv4Address(req.ciaddr))
            if asked != address:
                return [reply(req, NAK, "0.0.0.0", [opt(53, bytes([NAK])), opt(54, [server])],
                              src_ip=server)]
            return [reply(req, ACK, address, good_options(ACK, server, lease, extra=extra),
                          src_ip=server)]
        return []
    return handler


# ---------------------------------------------------------------- the server

class Rogue:
    """The rogue server thread on host (a lab Host). handler(req, rogue) ->
    iterable of frames. rogue.seen: every Request; rogue.sent: every frame."""

    def __init__(self, host, handler, ifname="eth0"):
        self.host, self.handler, self.ifname = host, handler, ifname
        self.seen, self.sent = [], []
        self.state = {}            # for handlers that count or remember
        self._stop = threading.Event()
        self._error = None
        self._sock = None
        self._thread = None

    def start(self):
        self._sock = packet_socket(self.host.ns, self.ifname)
        self._sock.setblocking(False)
        self._thread = threading.Thread(target=self._run, name="rogue", daemon=True)
        self._thread.start()
        return self

    def send(self, frames):
        for f in frames:
            self._sock.send(f)
            self.sent.append(f)

    def _run(self):
        try:
            while not self._stop.is_set():
                r, _, _ = select.select([self._sock], [], [], 0.05)
                if not r:
                    continue
                for _ in range(256):          # drain, bounded
                    try:
                        frame, addr = self._sock.recvfrom(65535)
                    except BlockingIOError:
                        break
                    if addr[2] == PACKET_OUTGOING:
                        continue
                    req = parse_client(frame)
                    if req is None:
                        continue
                    self.seen.append(req)
                    self.send(self.handler(req, self) or [])
        except BaseException as e:      # surfaced by stop()
            self._error = e

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(5)
        if self._sock:
            self._sock.close()
            self._sock = None
        if self._error:
            raise self._error

    def types_seen(self):
        return [r.type for r in self.seen]

    def wait_for(self, pred, timeout, what):
        """Wait (bounded) until pred(self) is true."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._error:
                raise self._error
            if pred(self):
                return True
            time.sleep(0.02)
        raise AssertionError(f"rogue: timed out after {timeout} s waiting for {what}; "
                             f"seen {self.types_seen()}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


# ---------------------------------------------------------------- crafting

def tlv(code, data=b"", length=None):
    """One option's raw bytes; length (the length byte) may lie about data."""
    data = bytes(data)
    return bytes([code, len(data) if length is None else length]) + data


def dns_name(name):
    """RFC 1035 3.1 wire form of a dotted name, root label included."""
    out = b""
    for label in name.strip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def dns_pointer(offset):
    """RFC 1035 4.1.4 compression pointer to offset (within option 119's data)."""
    return struct.pack("!H", 0xc000 | offset)


def classless_route(dest, prefix, router):
    """One RFC 3442 option 121 entry: width, significant octets, router."""
    octets = (prefix + 7) // 8
    return bytes([prefix]) + ip_bytes(dest)[:octets] + ip_bytes(router)


class Burst:
    """A bounded burst of frames from the rogue's socket on its own thread,
    at most count frames within at most seconds: make_frame(i) -> frame.
    .sent counts the frames the kernel took."""

    def __init__(self, rogue, make_frame, count, seconds=30.0, per_second=None):
        self.rogue, self.make_frame, self.count, self.seconds = rogue, make_frame, count, seconds
        self.per_second = per_second     # pace (None: as fast as the kernel takes them)
        self.sent = 0
        self.started_at = self.ended_at = None
        self.error = None
        self._thread = threading.Thread(target=self._run, name="burst", daemon=True)

    def _run(self):
        deadline = time.monotonic() + self.seconds
        sock = packet_socket(self.rogue.host.ns, self.rogue.ifname)
        sock.setblocking(False)     # a full queue waits below, bounded by deadline
        self.started_at = time.monotonic()
        try:
            for i in range(self.count):
                if time.monotonic() > deadline:
                    break
                if self.per_second:
                    ahead = self.started_at + i / self.per_second - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
                try:
                    sock.send(self.make_frame(i))
                    self.sent += 1
                except BlockingIOError:
                    time.sleep(0.001)
        except BaseException as e:      # surfaced by join()
            self.error = e
        finally:
            self.ended_at = time.monotonic()
            sock.close()

    def start(self):
        self._thread.start()
        return self

    def join(self, timeout=None):
        self._thread.join(self.seconds + 5 if timeout is None else timeout)
        if self.error:
            raise self.error
        return self.sent
