"""--random-mac and --random-mac=stable on the wire (issue 9).

apply sets a locally administered unicast MAC on the link before the engine
sends anything; every client frame must carry it (Ethernet source, chaddr,
ARP sender), the link must show it, and the original must come back when
lessee stops (not with --keep). Stable mode: one address per network,
derived from a secret next to the lease file and the network's fingerprint
(server identifier, subnet): the same on one network twice, another on a
network with another server; with no stored network the first exchange
uses a per-start address and switches after the OFFER.

Runs against dnsmasq only (the MAC does not depend on the server); the
second network is a dnsmasq on a third host, 192.0.2.2.
"""

import os
import re
import stat
import time

import pytest

from lab import CLIENT_MAC
from servers import ServerConfig, make_server

pytestmark = pytest.mark.parametrize(
    "kind", [pytest.param("dnsmasq", marks=pytest.mark.dnsmasq, id="dnsmasq")])

SECOND_SERVER = "192.0.2.2"


def link_mac(host):
    return host.link()["address"].lower()


def local_unicast(mac):
    """IEEE 802 U/L bit set (locally administered), I/G clear (unicast),
    and not all zero in the other 46 bits."""
    octets = [int(x, 16) for x in mac.split(":")]
    return (len(octets) == 6 and octets[0] & 2 == 2 and octets[0] & 1 == 0
            and (octets[0] & 0xfc or any(octets[1:])))


def client_frames(net, after=0.0):
    """Every frame the client sent after `after`: its DHCP messages
    (Ethernet source, chaddr) and its ARP (sender: any but the other hosts)."""
    others = {h.mac for h in net.lab.hosts.values() if h is not net.client}
    dhcp = [m for m in net.cap.dhcp() if m.from_client and m.time > after]
    arp = [a for a in net.cap.arp() if a.time > after and a.hwsrc.lower() not in others]
    return dhcp, arp


def assert_all_from(net, mac, after=0.0, what=""):
    cap = net.cap
    dhcp, arp = client_frames(net, after)
    assert dhcp, f"no client DHCP message captured{what}:\n{cap.summary()}"
    bad = [m for m in dhcp if m.chaddr != mac or m.eth_src.lower() != mac]
    assert not bad, f"client frames not from {mac}{what}: {bad}\n{cap.summary()}"
    bad_arp = [a for a in arp if a.hwsrc.lower() != mac]
    assert not bad_arp, f"client ARP not from {mac}{what}: {bad_arp}"
    return dhcp


def mac_lines(le):
    """The apply role's 'MAC a -> b (why)' lines, as (a, b, why)."""
    return re.findall(r"MAC ([0-9a-f:]{17}) -> ([0-9a-f:]{17}) \((\w+)\)", le.log())


def run_bound(net, le, *extra):
    """Start with extra options, wait for the lease; (address, link MAC, t0)."""
    t0 = time.time()
    le.start(*extra)
    addr = le.wait_bound()
    return addr, link_mac(net.client), t0


# ------------------------------------------------------------------ per start

def test_random_mac_on_the_wire_and_restored(net):
    """Two starts: each with a new LAA unicast MAC that is the link's and
    every client frame's; the original is back after each stop."""
    seen = []
    for run in range(2):
        le = net.lessee(f"run{run}")
        addr, mac, t0 = run_bound(net, le, "--random-mac")
        assert mac != CLIENT_MAC and local_unicast(mac), mac
        msgs = assert_all_from(net, mac, after=t0, what=f" (start {run + 1})")
        assert {"DISCOVER", "REQUEST"} <= {m.type for m in msgs}, msgs
        assert (CLIENT_MAC, mac, "random") in mac_lines(le), le.log()
        assert le.stop() == 0, le.log()
        assert link_mac(net.client) == CLIENT_MAC, f"original MAC not restored\n{le.log()}"
        assert (mac, CLIENT_MAC, "restored") in mac_lines(le), le.log()
        assert not net.client.addresses(), "the address stays after a stop without --keep"
        seen.append(mac)
    assert seen[0] != seen[1], f"the same MAC on two starts: {seen}"


def test_random_mac_kept_with_keep(net):
    """--keep leaves the lease configured, so its MAC stays with it."""
    le = net.lessee()
    addr, mac, _ = run_bound(net, le, "--random-mac", "--keep")
    assert mac != CLIENT_MAC and local_unicast(mac), mac
    assert le.stop() == 0, le.log()
    assert link_mac(net.client) == mac, f"--keep: the MAC changed on stop\n{le.log()}"
    assert net.client.address() == f"{addr}/24"


# ------------------------------------------------------------------ stable

def test_stable_same_mac_on_one_network(net):
    """No stored network: a per-start MAC for the first exchange, then the
    switch after the OFFER (no REQUEST ever leaves with the first MAC), and
    the lease with the stable MAC. Restarted with the same lease file and
    secret: that MAC from the first frame on, no switch."""
    le = net.lessee("stable")
    addr, stable_mac, t0 = run_bound(net, le, "--random-mac=stable")
    assert local_unicast(stable_mac) and stable_mac != CLIENT_MAC, stable_mac
    changes = mac_lines(le)
    assert [c[2] for c in changes] == ["random", "stable"], le.log()
    first_mac = changes[0][1]
    assert changes[1] == (first_mac, stable_mac, "stable"), changes
    assert "asking apply for its stable MAC" in le.log()
    dhcp, _ = client_frames(net, t0)
    first = [m for m in dhcp if m.chaddr == first_mac]
    assert first and {m.type for m in first} == {"DISCOVER"}, \
        f"the first MAC may only DISCOVER:\n{net.cap.summary()}"
    assert all(m.eth_src.lower() == m.chaddr for m in dhcp), dhcp
    assert {m.chaddr for m in dhcp} == {first_mac, stable_mac}, net.cap.summary()
    later = [m for m in dhcp if m.time > max(f.time for f in first)]
    assert later and all(m.chaddr == stable_mac for m in later), net.cap.summary()
    secret = le.lease_file + ".secret"
    st = os.stat(secret)
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_size == 32, (oct(st.st_mode), st.st_size)
    assert le.stop() == 0, le.log()
    assert link_mac(net.client) == CLIENT_MAC, le.log()

    again = net.lessee("stable")          # same lease file, same secret
    _, mac2, t1 = run_bound(net, again, "--random-mac=stable")
    assert mac2 == stable_mac, f"stable MAC changed on one network\n{again.log()}"
    assert mac_lines(again)[0] == (CLIENT_MAC, stable_mac, "stable"), again.log()
    assert "asking apply" not in again.log(), again.log()
    assert_all_from(net, stable_mac, after=t1, what=" (second run)")
    assert again.stop() == 0, again.log()


def test_stable_differs_between_networks(net, lab):
    """The lease file names network A (server 192.0.2.1); on network B
    (server 192.0.2.2, A's server gone) the stored network's MAC is used
    until B's OFFER, then B's own. B twice gives the same MAC; A's and B's
    differ."""
    le = net.lessee("nets")
    _, mac_a, _ = run_bound(net, le, "--random-mac=stable")
    assert le.stop() == 0, le.log()
    net.server.stop()
    h3 = lab.add_host("h3", addr=f"{SECOND_SERVER}/24")
    make_server("dnsmasq", h3, ServerConfig()).start()

    on_b = net.lessee("nets")
    _, mac_b, t0 = run_bound(net, on_b, "--random-mac=stable")
    assert local_unicast(mac_b) and mac_b not in (mac_a, CLIENT_MAC), (mac_a, mac_b)
    assert mac_lines(on_b)[:2] == [(CLIENT_MAC, mac_a, "stable"), (mac_a, mac_b, "stable")], \
        on_b.log()
    acks = [m for m in net.cap.dhcp() if m.type == "ACK" and m.time > t0]
    assert acks and {m.server_id for m in acks} == {SECOND_SERVER}, net.cap.summary()
    assert acks[-1].chaddr == mac_b
    assert on_b.stop() == 0, on_b.log()

    again = net.lessee("nets")
    _, mac_b2, t1 = run_bound(net, again, "--random-mac=stable")
    assert mac_b2 == mac_b, again.log()
    assert "asking apply" not in again.log()
    assert_all_from(net, mac_b, after=t1, what=" (network B again)")
    assert again.stop() == 0, again.log()
    assert link_mac(net.client) == CLIENT_MAC


def test_stable_secret_refused_when_readable(net):
    """A secret others could read is refused with a clear error, before the
    link is touched."""
    le = net.lessee("loose")
    with open(le.lease_file + ".secret", "wb") as f:
        f.write(os.urandom(32))
    os.chmod(le.lease_file + ".secret", 0o644)
    rc, _, r = le.run("--random-mac=stable", "-d", timeout=20)
    assert rc != 0
    assert "secret" in r.stderr and "0644" in r.stderr, r.stderr
    assert link_mac(net.client) == CLIENT_MAC
    assert not client_frames(net)[0], net.cap.summary()
