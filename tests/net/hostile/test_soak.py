"""Soak (issue 7): a 10 s lease (T1 5 s, T2 8 s) from Kea for SOAK_SECONDS
(default 120, the CI run; `make soak` sets SOAK_MINUTES * 60). Every
renewal is a REQUEST unicast to the server at T1 (RFC 2131 4.4.5) and gets
its ACK; nothing is ever broadcast again (no REBINDING, no INIT); the
address never leaves the interface. Each role's VmRSS and open descriptor
count are sampled between renewals: descriptors exactly flat, RSS flat
after the first renewals (a small bound). The figures are printed.
"""

import os
import struct
import time

import pytest

import procstat
from harness import Lessee
from lab import CLIENT_MAC, SERVER_IP, SERVER_MAC, Dhcp, read_pcap_records
from servers import ServerConfig, make_server

SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "120"))
LEASE, T1, T2 = 10, 5, 8
SAMPLE_AFTER_ACK = 2.0   # s: apply has written the lease; the next REQUEST is ~3 s away
WARMUP_RENEWALS = 3      # RSS may still grow while code paths run the first time
RSS_FLAT_KB = 64         # after warm-up, max - min of each role's VmRSS
POLL = 0.25              # s between checks that the address is still there


class WireLog:
    """The DHCP messages of a capture, decoded as they arrive (each record
    once: a 30-minute soak must not re-read its whole capture every poll)."""

    def __init__(self, cap):
        self.cap, self.msgs, self.seen = cap, [], 0

    def update(self):
        records = read_pcap_records(self.cap.path)
        for t, raw in records[self.seen:]:
            m = decode(t, raw)
            if m is not None:
                self.msgs.append(m)
        self.seen = len(records)
        return self.msgs


def decode(t, raw):
    """A Dhcp from an Ethernet/IPv4/UDP frame on port 67/68, else None."""
    if len(raw) < 42 or raw[12:14] != b"\x08\x00":
        return None
    ihl = (raw[14] & 0x0F) * 4
    if raw[23] != 17 or len(raw) < 14 + ihl + 8:
        return None
    u = 14 + ihl
    sport, dport = struct.unpack("!HH", raw[u:u + 4])
    if {sport, dport} != {67, 68}:
        return None
    mac = lambda b: ":".join(f"{x:02x}" for x in b)     # noqa: E731
    ip = lambda b: ".".join(str(x) for x in b)           # noqa: E731
    try:
        return Dhcp(t, mac(raw[6:12]), mac(raw[0:6]), ip(raw[26:30]), ip(raw[30:34]), sport,
                    dport, raw[u + 8:])
    except ValueError:
        return None


def soak(lab, le, wire, addr, pids):
    """Run SOAK_SECONDS: check the address every POLL, sample every role
    SAMPLE_AFTER_ACK after each ACK. Returns the samples."""
    samples, pending = [], []
    acks = 0
    deadline = time.monotonic() + SOAK_SECONDS
    while time.monotonic() < deadline:          # bounded by time
        assert le.alive(), f"lessee exited during the soak:\n{le.log()}"
        assert lab.client.address() == f"{addr}/24", \
            f"the address left eth0 at {time.time():.3f}:\n{le.log()}"
        new = [m for m in wire.update() if m.type == "ACK"]
        if len(new) > acks:
            pending.append(time.monotonic() + SAMPLE_AFTER_ACK)
            acks = len(new)
        if pending and time.monotonic() >= pending[0]:
            pending.pop(0)
            samples.append(procstat.sample(pids))
        time.sleep(POLL)
    return samples


def check_renewals(msgs, addr, end):
    """Every client message after the first ACK is a unicast REQUEST for
    addr answered by an ACK; returns the number of renewals."""
    first_ack = next(i for i, m in enumerate(msgs) if m.type == "ACK")
    acked = {m.xid for m in msgs if m.type == "ACK" and m.yiaddr == addr}
    nak = [m for m in msgs if m.type == "NAK"]
    assert not nak, f"NAK during the soak: {nak}"
    renewals, last_ack = 0, msgs[first_ack].time
    for m in msgs[first_ack + 1:]:
        if m.type == "ACK":
            last_ack = m.time
        if not m.from_client or m.chaddr != CLIENT_MAC:
            continue
        assert m.type == "REQUEST", f"{m!r}: only renewals after binding"
        # RFC 2131 4.4.5: RENEWING at T1 (with a little fuzz), long before T2
        gap = m.time - last_ack
        assert T1 - 1.5 <= gap < T2, f"{m!r}: {gap:.2f} s after the last ACK, not at T1 {T1} s"
        assert m.ip_dst == SERVER_IP and m.eth_dst == SERVER_MAC and m.ciaddr == addr, \
            f"{m!r}: a renewal is unicast to the server from {addr} (RFC 2131 4.4.5); " \
            "broadcast means REBINDING"
        assert m.xid in acked or m.time > end - 1.0, f"{m!r} got no ACK"
        renewals += 1
    return renewals


@pytest.mark.kea
def test_soak(request, lab, lessee_bin):
    make_server("kea", lab.server, ServerConfig(lease=LEASE, t1=T1, t2=T2)).start()
    cap = lab.client.capture(bpf="udp port 67 or udp port 68")
    wire = WireLog(cap)
    le = Lessee(lab, lessee_bin).start()
    addr = le.wait_bound(timeout=15)
    pids = procstat.roles(le.pid)
    samples = soak(lab, le, wire, addr, pids)
    end = time.time()
    renewals = check_renewals(wire.update(), addr, end)

    rss = procstat.series_figures(samples, "rss")
    fds = procstat.series_figures(samples, "fds")
    warm = samples[WARMUP_RENEWALS:]
    procstat.report(request, "\n".join([
        f"soak: {SOAK_SECONDS} s, lease {LEASE} s / T1 {T1} s from Kea: {renewals} renewals, "
        f"{len(samples)} samples",
        procstat.format_figures("  VmRSS", rss, "kB"),
        procstat.format_figures("  open fds", fds, "count")]))

    want = int(SOAK_SECONDS / T1 * 0.7)
    assert renewals >= want, f"only {renewals} renewals in {SOAK_SECONDS} s (want >= {want})"
    assert len(warm) >= 2, f"only {len(samples)} samples"
    log = le.proc.stderr()
    for bad in ("expired", "REBINDING", "rebind"):
        assert bad not in log, f"{bad!r} in lessee's log during the soak:\n{le.log()}"
    for r in procstat.ROLES:
        counts = {s[r]["fds"] for s in samples}
        assert len(counts) == 1, f"{r}: open descriptors changed: {[s[r]['fds'] for s in samples]}"
        vals = [s[r]["rss"] for s in warm]
        assert max(vals) - min(vals) <= RSS_FLAT_KB, \
            f"{r}: VmRSS not flat after {WARMUP_RENEWALS} renewals: {vals} kB"
