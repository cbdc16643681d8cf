"""Nothing leaks (issue 7): lessee under valgrind's memcheck, every process
(supervisor and the three roles, --trace-children), through VG_SECONDS of
10 s leases renewed every 5 s by Kea, then SIGTERM. Every process's log must
show zero errors and nothing definitely or indirectly lost.

valgrind cannot run a sandboxed role (src/os/sandbox.c says why), so this
runs a separate build made with -Dsandbox=false, -Dtests=disabled:
LESSEE_VALGRIND_BIN, which tests/net/run points at build-valgrind/ and
`make check` builds. The sandbox itself is tested by every other test.
"""

import glob
import os
import re
import shutil
import signal
import time

import pytest

import procstat
from harness import Lessee, wait_ack
from servers import ServerConfig, make_server

VG_SECONDS = int(os.environ.get("VG_SECONDS", "40"))
LEASE, T1, T2 = 10, 5, 8
VG_SETUP = ("meson setup build-valgrind --buildtype=debug -Dsandbox=false -Dtests=disabled "
            "-Dtools=disabled && ninja -C build-valgrind")
ROLES = ("supervisor", "engine", "net", "apply")


def valgrind_bin():
    assert shutil.which("valgrind"), "valgrind is not installed (scripts/deps test installs it)"
    b = os.environ.get("LESSEE_VALGRIND_BIN", "")
    assert b and os.access(b, os.X_OK), \
        f"LESSEE_VALGRIND_BIN={b!r}: no -Dsandbox=false build (make check builds it; or {VG_SETUP})"
    return os.path.realpath(b)


def valgrind_argv(logdir):
    return ["valgrind", "--trace-children=yes", "--leak-check=full",
            "--show-leak-kinds=definite,indirect", "--errors-for-leak-kinds=definite,indirect",
            "--error-exitcode=99", "--vgdb=no", "--num-callers=30",
            f"--log-file={logdir}/vg.%p"]


def read_logs(logdir):
    """{role: (path, text)} for every process valgrind followed."""
    out = {}
    for path in sorted(glob.glob(os.path.join(logdir, "vg.*"))):
        with open(path) as f:
            text = f.read()
        m = re.search(r"^==\d+== Command: (.*)$", text, re.M)
        argv = m.group(1).split() if m else []
        role = argv[argv.index("--role") + 1] if "--role" in argv[:-1] else "supervisor"
        assert role not in out, f"two valgrind logs for {role}: {out[role][0]}, {path}"
        out[role] = (path, text)
    return out


def leak_verdict(text):
    """'' if the log shows no error and nothing definitely or indirectly
    lost, else the lines that say otherwise."""
    bad = []
    m = re.search(r"ERROR SUMMARY: (\d+) errors", text)
    if not m or m.group(1) != "0":
        bad.append(m.group(0) if m else "no ERROR SUMMARY (killed before its end?)")
    if "All heap blocks were freed" not in text:
        for kind in ("definitely lost", "indirectly lost"):
            k = re.search(rf"{kind}: ([\d,]+) bytes", text)
            if not k or k.group(1) != "0":
                bad.append(k.group(0) if k else f"no '{kind}' line")
    return "; ".join(bad)


def summary_lines(text):
    keep = ("in use at exit", "total heap usage", "definitely lost", "indirectly lost",
            "All heap blocks", "ERROR SUMMARY")
    return [line.split("== ", 1)[-1].strip() for line in text.splitlines() if any(k in line for k in keep)]


@pytest.mark.kea
def test_valgrind(request, lab):
    binary = valgrind_bin()
    make_server("kea", lab.server, ServerConfig(lease=LEASE, t1=T1, t2=T2)).start()
    cap = lab.client.capture(bpf="udp port 67 or udp port 68")
    logdir = lab.path("valgrind")
    os.makedirs(logdir)
    le = Lessee(lab, binary)
    le.proc = lab.client.popen(valgrind_argv(logdir) + le.argv("-d"), name="lessee-valgrind")
    addr = le.wait_bound(timeout=60)     # memcheck starts each process ~20x slower
    assert "sandbox: OFF" in le.proc.stderr(), \
        f"{binary} is not a -Dsandbox=false build ({VG_SETUP}):\n{le.log()}"
    # Renewals for VG_SECONDS: each one must still get its ACK.
    after, renewals = wait_ack(cap, 0.0, addr=addr).time, 0
    deadline = time.monotonic() + VG_SECONDS
    while time.monotonic() < deadline:           # bounded by time
        m = wait_ack(cap, after, addr=addr, timeout=T2 + 10)
        after, renewals = m.time, renewals + 1
    le.signal(signal.SIGTERM)
    rc = le.wait_exit(90)                        # the leak check runs in every process

    logs = read_logs(logdir)
    lines = []
    for role in ROLES:
        if role in logs:
            lines.append(f"  {role}: " + " | ".join(summary_lines(logs[role][1])))
    procstat.report(request, f"valgrind: {renewals} renewals in {VG_SECONDS} s, exit {rc}\n" +
                    "\n".join(lines))
    assert sorted(logs) == sorted(ROLES), f"valgrind logs for {sorted(logs)}, want {ROLES}"
    bad = {r: leak_verdict(t) for r, (_, t) in logs.items()}
    bad = {r: v for r, v in bad.items() if v}
    assert not bad, "valgrind: " + "; ".join(f"{r}: {v} ({logs[r][0]})" for r, v in bad.items()) \
        + "\n" + "\n".join(logs[r][1][-6000:] for r in bad)
    assert rc == 0, f"lessee under valgrind exited {rc}:\n{le.log()}"
    assert renewals >= VG_SECONDS // T1 - 2, f"only {renewals} renewals in {VG_SECONDS} s"
