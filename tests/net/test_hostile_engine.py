"""A hostile engine on the apply role's channel (issue 5: "a test that plays a
hostile engine on the apply socket and shows every invalid request refused
and logged"; DESIGN.md "Daemon and privilege separation").

hostile-engine (tests/net/hostile_engine.c, built next to lessee) starts one
apply role per case in the client host, the way the supervisor does, sends
it records no honest engine would (broken framing, wrong direction and
sizes, fields out of range, leases out of policy, names with shell
metacharacters) and checks each is refused and logged, then that nothing on
the system changed. Two controls show a valid lease is applied (and undone).
No DHCP server is involved: the lab's server host only sits on the link.

Here: every case line is "ok", the table is not shorter than it was, and the
client host comes out as it went in (only the operator's address, no route,
no /1 route, the same MTU, no resolv.conf line with a metacharacter, no lease
file).
"""

import os
import re

import pytest

from lab import IFNAME

pytestmark = pytest.mark.noserver

# The number of cases in hostile_engine.c's table when this test was
# written: a table that shrinks without this line changing fails.
MIN_CASES = 113
# An address the operator put on the link: no request of the engine's may
# remove it (a DECONFIGURE for it is one of the cases).
OPERATOR_ADDR = "192.0.2.200/32"
# A resolv.conf line lessee may write (resolv.c): nothing a shell or a
# resolver would read as more than one token per name.
RESOLV_LINE = re.compile(r"^(#.*|nameserver [0-9.]+|(search|domain)( [A-Za-z0-9.-]+)+|"
                         r"options [a-z0-9:_ -]+|)$")
METACHARS = set(";$`'\"\\|&<>{}*?!\0")


def hostile_engine_bin(lessee_bin):
    """BUILD/src/lessee/lessee -> BUILD/tests/net/hostile-engine."""
    build = os.path.dirname(os.path.dirname(os.path.dirname(lessee_bin)))
    return os.path.join(build, "tests", "net", "hostile-engine")


def test_hostile_engine(lab, lessee_bin):
    """Every invalid request refused and logged; only the controls applied."""
    prog = hostile_engine_bin(lessee_bin)
    # Never skipped: a build without it must show up as a failure.
    assert os.path.isfile(prog) and os.access(prog, os.X_OK), \
        f"{prog}: missing (tests/net/meson.build builds it with the daemon and the tests)"
    cli = lab.client
    work = lab.path("hostile")
    os.mkdir(work, 0o700)
    mtu = cli.mtu()
    etc_resolv = cli.read_resolv_conf()
    assert cli.addresses() == [], f"the client host starts with addresses: {cli.addresses()}"
    cli.add_address(OPERATOR_ADDR)

    proc = cli.popen([prog, lessee_bin, IFNAME, work], name="hostile-engine")
    status = proc.wait(timeout=600)
    out = proc.stdout()
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    ok = [line[3:] for line in lines if line.startswith("ok ")]
    bad = [line for line in lines if not line.startswith("ok ")]
    assert not bad and status == 0, \
        f"hostile-engine exit {status}; not ok:\n" + "\n".join(bad) + \
        f"\n--- its stderr (apply's logs of the failed cases):\n{proc.stderr()[-12000:]}"
    assert len(ok) == len(set(ok)), "a case name appears twice"
    assert len(ok) >= MIN_CASES, f"only {len(ok)} cases ran, want at least {MIN_CASES}"
    assert f"# {len(ok)} cases, 0 failed" in out, out[-500:]

    # The client host as it was: the controls undid their lease, the
    # operator's address is still there.
    left = [f"{a['local']}/{a['prefixlen']}" for a in cli.addresses()]
    assert left == [OPERATOR_ADDR], f"addresses on {IFNAME}: {left}, want only {OPERATOR_ADDR}"
    routes = cli.routes()
    assert not [r for r in routes if r.get("dst") in ("0.0.0.0/1", "128.0.0.0/1")], \
        f"a TunnelVision route survived: {routes}"
    assert routes == [], f"routes left in the client host: {routes}"  # a /32 has none
    assert cli.mtu() == mtu, f"MTU of {IFNAME} changed: {mtu} -> {cli.mtu()}"
    assert cli.read_resolv_conf() == etc_resolv, "the namespace's /etc/resolv.conf changed"
    assert not os.path.exists(os.path.join(work, "lease")), "a lease file was written"
    # Only the controls wrote resolv.conf; nothing else may be in it.
    with open(os.path.join(work, "resolv.conf")) as f:
        text = f.read()
    assert "nameserver 192.0.2.53" in text, f"the controls' resolv.conf:\n{text}"
    for line in text.split("\n"):
        assert RESOLV_LINE.match(line) and not set(line) & METACHARS, \
            f"resolv.conf line {line!r}:\n{text}"
