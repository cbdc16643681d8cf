"""lessee under a flood (issue 7): a third host on the link sends 10,000 junk
frames a second at the client for 30 s (malformed DHCP, well-formed replies
with a foreign xid or chaddr, ARP; see flood.py) while a real server
answers. lessee must get its lease within a bound, renew under the flood,
stay within a CPU budget and not grow.

CPU is CPU time (utime + stime of every lessee process, procstat.py), from
the moment lessee is bound to the end of the flood, so a loaded machine
does not make it larger. The budget is about 3x what was measured on the
2-core CI machine with the ASan build (the CI build); the figures are
printed on every run.
"""

import json
import os
import signal
import time

import pytest

import procstat
from flood import build_frames, write_frames
from harness import Lessee, wait_ack
from lab import CLIENT_MAC, SERVER_MAC, wait_until
from servers import ServerConfig, make_server

FLOOD_PY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "flood.py")
RATE = 10_000            # frames per second (issue 7)
SECONDS = 30
MIN_SHARE = 0.8          # below 80 % of RATE * SECONDS the flood did not happen
BOUND_WITHIN = 15.0      # s from start to a configured lease, under the flood
# Measured on the 2-core machine, all four processes, 2026-12-06: ASan+UBSan
# build 0.265-0.281 core-s per s of flood (26-28 us a frame), release build
# 0.24-0.26; about half in net, half in the engine (0.215 once the engine's
# log lines were rate-limited). Budget about 3x the ASan figure.
CPU_BUDGET = 0.8         # CPU seconds per second of flood, all processes
RSS_GROWTH_KB = 256      # per process, from bound to the end of the flood
# STYLE.md "What we do" 4: malformed input is counted and warned about at a
# limited rate, not a line a frame (30 s of flood is ~135,000 malformed).
# The engine says at most 5 lines per kind of input per 10 s: 15 'malformed
# message' lines in 30 s, under 100 lines in all (measured 92, with -v).
MALFORMED_WARNINGS_MAX = 30
LOG_LINES_MAX = 400


def rx_packets(host):
    """Frames the host's eth0 has received (the kernel's counter)."""
    return host.ip_json("-s", "link", "show", "dev", host.ifname)[0]["stats64"]["rx"]["packets"]


def start_flood(lab):
    """The flooding host and its sender (flood.py in the host's namespace);
    returns (sender Proc, path of its JSON result)."""
    h = lab.add_host("flood")
    frames = lab.path("flood.frames")
    write_frames(frames, build_frames(CLIENT_MAC, h.mac, seed=7))
    result = lab.path("flood.json")
    proc = h.popen(["/usr/bin/python3", FLOOD_PY, frames, h.ifname, str(RATE), str(SECONDS),
                    result], name="flood")
    return proc, result


def flood_result(proc, result):
    rc = proc.wait(SECONDS + 30)
    assert rc == 0, f"the flood sender failed:\n{proc.output()}"
    with open(result) as f:
        return json.load(f)


def describe(kind, fl, addr, bound_after, before, after, log):
    """The run's figures, for the log."""
    per_frame_us = fl["cpu"] / max(1, fl["delivered_in_window"]) * 1e6
    return "\n".join([
        f"flood ({kind}): sent {fl['sent']} frames in {fl['elapsed']:.1f} s "
        f"({fl['rate']:.0f}/s, {fl['errors']} send errors), "
        f"{fl['delivered']} reached the client's eth0",
        f"  lease {addr} after {bound_after:.2f} s under the flood",
        f"  CPU {fl['cpu']:.2f} s over {fl['window']:.1f} s bound = {fl['load']:.3f} core-s/s, "
        f"{per_frame_us:.1f} us a frame (budget {CPU_BUDGET} core-s/s)",
        "  per role: " + ", ".join(f"{r} {after[r]['cpu'] - before[r]['cpu']:.2f} s"
                                   for r in procstat.ROLES),
        "  RSS kB start -> end: " + ", ".join(f"{r} {before[r]['rss']} -> {after[r]['rss']}"
                                              for r in procstat.ROLES),
        f"  log: {log.count(chr(10))} lines, {log.count('malformed message')} "
        "'malformed message' warnings"])


@pytest.mark.parametrize("kind", [
    pytest.param("dnsmasq", marks=pytest.mark.dnsmasq, id="dnsmasq"),
    pytest.param("kea", marks=[pytest.mark.kea, pytest.mark.slow], id="kea"),
])
def test_flood(request, lab, lessee_bin, kind):
    server = make_server(kind, lab.server, ServerConfig()).start()
    # The real exchanges only: the flood itself would fill the disk.
    cap = lab.client.capture(bpf=f"ether host {SERVER_MAC} or ether src {CLIENT_MAC}")
    rx0 = rx_packets(lab.client)
    sender, result = start_flood(lab)
    time.sleep(1.0)
    assert sender.alive(), f"the flood sender exited at start:\n{sender.output()}"

    le = Lessee(lab, lessee_bin).start()
    t_start = time.monotonic()
    addr = le.wait_bound(timeout=BOUND_WITHIN)
    bound_after = time.monotonic() - t_start
    pids = procstat.roles(le.pid)
    before, cpu0, t0 = procstat.sample(pids), procstat.tree_cpu_seconds(le.pid), time.monotonic()

    # A renewal in the middle of the flood gets its ACK.
    wait_until(lambda: time.monotonic() - t0 > SECONDS / 2 - 2, SECONDS, "mid-flood")
    asked = time.time()
    le.signal(signal.SIGUSR1)
    wait_ack(cap, asked, addr=addr, timeout=10)

    fl = flood_result(sender, result)
    fl["cpu"], fl["window"] = procstat.tree_cpu_seconds(le.pid) - cpu0, time.monotonic() - t0
    fl["load"] = fl["cpu"] / fl["window"]
    after = procstat.sample(pids)
    fl["delivered"] = rx_packets(lab.client) - rx0
    # the frames of the flood that came while lessee was bound
    fl["delivered_in_window"] = fl["delivered"] * min(1.0, fl["window"] / fl["elapsed"])
    log = le.proc.stderr()
    procstat.report(request, describe(kind, fl, addr, bound_after, before, after, log))

    assert fl["rate"] >= MIN_SHARE * RATE, f"the flood did not happen: {fl}"
    assert fl["delivered"] >= MIN_SHARE * RATE * SECONDS, \
        f"only {fl['delivered']} frames reached the client (sender: {fl})"
    assert le.alive(), f"lessee died under the flood:\n{le.log()}"
    assert lab.client.address() == f"{addr}/24", "the lease was lost under the flood"
    assert server.proc.alive(), f"{kind} died:\n{server.log()}"
    for r in procstat.ROLES:
        grew = after[r]["rss"] - before[r]["rss"]
        assert grew <= RSS_GROWTH_KB, f"{r} grew by {grew} kB under the flood"
        assert after[r]["fds"] == before[r]["fds"], \
            f"{r}: {before[r]['fds']} -> {after[r]['fds']} open descriptors"
    assert fl["load"] <= CPU_BUDGET, \
        f"lessee used {fl['load']:.3f} core-s per s under the flood (budget {CPU_BUDGET})"
    malformed = log.count("malformed message")
    assert malformed <= MALFORMED_WARNINGS_MAX, \
        f"{malformed} 'malformed message' warnings in {SECONDS} s: malformed input is not " \
        "rate-limited (STYLE.md 'What we do' 4)"
    lines = log.count("\n")
    assert lines <= LOG_LINES_MAX, f"{lines} log lines in {SECONDS} s of flood (-v)"
