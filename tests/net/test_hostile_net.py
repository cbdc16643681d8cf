"""A hostile engine on the net role's channel (issue 6: "a test harness
stands in for the engine on the net and apply sockets and sends every
malformed and every out-of-policy request it can (... frames to other ports
or MACs): each is refused, logged, and the system state ... unchanged
afterwards"; DESIGN.md "Daemon and privilege separation").

hostile-net (tests/net/hostile_net.c, built next to lessee) starts one net
role per case in the client host, the way the supervisor does, sends it
records no honest engine would (broken framing, wrong direction and sizes,
send requests out of policy: not our MAC, a server's message type, server
fields, a bad destination or source, options the builder refuses, ARP for
non-unicast addresses) and checks each is refused and logged (net exits
non-zero, not by a signal) with nothing leaving the interface. Two controls
show a valid DISCOVER and a valid ARP probe are sent. No DHCP server is
involved: the lab's server host only sits on the link.

Here: every case line is "ok", the table is not shorter than it was, and a
capture of every frame the client sent holds exactly the two control
frames: one DISCOVER (UDP 68 to 67, broadcast, from the client's MAC and
for it) and one ARP probe for 192.0.2.77, and nothing else: no other DHCP
message, no UDP to another port, no frame from another MAC, no other ARP.
"""

import os

import pytest

from lab import CLIENT_MAC, IFNAME

pytestmark = pytest.mark.noserver

# The number of cases in hostile_net.c's table when this test was written: a
# table that shrinks without this line changing fails.
MIN_CASES = 139
XID = 0x686e6574            # hostile_net.c's XID ("hnet")
PROBED = "192.0.2.77"       # the control probe's target
BROADCAST_MAC = "ff:ff:ff:ff:ff:ff"


def hostile_net_bin(lessee_bin):
    """BUILD/src/lessee/lessee -> BUILD/tests/net/hostile-net."""
    build = os.path.dirname(os.path.dirname(os.path.dirname(lessee_bin)))
    return os.path.join(build, "tests", "net", "hostile-net")


def describe(frame):
    """One line for an assertion message."""
    return frame.summary() if hasattr(frame, "summary") else repr(frame)


def is_control_discover(e):
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    if Ether not in e or IP not in e or UDP not in e:
        return False
    u, p = e[UDP], bytes(e[UDP].payload)
    return (e.src == CLIENT_MAC and e.dst == BROADCAST_MAC and e[IP].src == "0.0.0.0"
            and e[IP].dst == "255.255.255.255" and u.sport == 68 and u.dport == 67
            and len(p) >= 240 and p[0] == 1 and int.from_bytes(p[4:8], "big") == XID
            and p[28:34] == bytes.fromhex(CLIENT_MAC.replace(":", ""))
            and p[236:240] == b"\x63\x82\x53\x63" and p[240:243] == b"\x35\x01\x01")


def is_control_probe(e):
    from scapy.layers.l2 import ARP, Ether
    if Ether not in e or ARP not in e:
        return False
    a = e[ARP]
    return (e.src == CLIENT_MAC and e.dst == BROADCAST_MAC and a.op == 1
            and a.hwsrc == CLIENT_MAC and a.psrc == "0.0.0.0" and a.pdst == PROBED)


def test_hostile_net(lab, lessee_bin):
    """Every invalid request refused and logged; only the controls sent."""
    prog = hostile_net_bin(lessee_bin)
    # Never skipped: a build without it must show up as a failure.
    assert os.path.isfile(prog) and os.access(prog, os.X_OK), \
        f"{prog}: missing (tests/net/meson.build builds it with the daemon and the tests)"
    cli = lab.client
    work = lab.path("hostile-net")
    os.mkdir(work, 0o700)
    # No address, so no route: nothing but net can make the client send.
    assert cli.addresses() == [], f"the client host starts with addresses: {cli.addresses()}"
    # Every frame the client sends, not only DHCP and ARP: no filter, only
    # tcpdump's direction option "-Q in" (Capture puts the bpf string after
    # its other options, and with no expression this is one more option).
    # On the switch's port "in" is what comes from the client; what the
    # switch sends it (the bridge's own IGMP reports) is not its doing.
    # (The filter "inbound" would not do: libpcap 1.10 drops the client's
    # IPv4 broadcasts with it.)
    cap = cli.capture(bpf="-Q in", name="hostile-net")

    proc = cli.popen([prog, lessee_bin, IFNAME, work], name="hostile-net")
    status = proc.wait(timeout=600)
    cap.stop()
    out = proc.stdout()
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    ok = [line[3:] for line in lines if line.startswith("ok ")]
    bad = [line for line in lines if not line.startswith("ok ")]
    assert not bad and status == 0, \
        f"hostile-net exit {status}; not ok:\n" + "\n".join(bad) + \
        f"\n--- its stderr (net's logs of the failed cases):\n{proc.stderr()[-12000:]}"
    assert len(ok) == len(set(ok)), "a case name appears twice"
    assert len(ok) >= MIN_CASES, f"only {len(ok)} cases ran, want at least {MIN_CASES}"
    assert f"# {len(ok)} cases, 0 failed" in out, out[-500:]
    assert "control-discover-broadcast" in ok and "control-arp-probe" in ok, ok

    # The wire, decoded independently of lessee's code (scapy): the two
    # controls' frames, once each, and nothing else the client sent.
    from scapy.layers.inet import UDP
    frames = [e for _t, e in cap.frames()]
    discovers = [e for e in frames if is_control_discover(e)]
    probes = [e for e in frames if is_control_probe(e)]
    others = [e for e in frames if not is_control_discover(e) and not is_control_probe(e)]
    listing = "\n".join(f"  {describe(e)}" for e in frames) or "  (nothing)"
    # What a hostile engine must not achieve, one by one for the report.
    assert all(e.src == CLIENT_MAC for e in frames), f"a frame from another MAC:\n{listing}"
    dhcp = cap.dhcp()
    assert [(m.type, m.xid, m.chaddr) for m in dhcp] == [("DISCOVER", XID, CLIENT_MAC)], \
        f"DHCP besides the control DISCOVER on {cli.port}:\n{cap.summary()}"
    ports = {e[UDP].dport for e in frames if UDP in e}
    assert ports <= {67}, f"UDP to ports {sorted(ports)} on {cli.port}:\n{listing}"
    arp = cap.arp()
    assert len(arp) == 1 and arp[0].pdst == PROBED and arp[0].psrc == "0.0.0.0", \
        f"ARP besides the control probe on {cli.port}: {arp}"
    assert len(discovers) == 1, f"want one control DISCOVER on {cli.port}, saw:\n{listing}"
    assert len(probes) == 1, f"want one control ARP probe on {cli.port}, saw:\n{listing}"
    assert not others, f"frames besides the controls on {cli.port}:\n{listing}"
    assert cli.addresses() == [], f"addresses on {IFNAME} afterwards: {cli.addresses()}"
