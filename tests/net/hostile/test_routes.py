"""Route and configuration attacks (issue 7): a rogue server answers with a
well-formed lease whose routes, router, DNS servers or MTU would harm the
host if applied as given.

Policy (src/lessee/validate.c, DESIGN.md "Daemon and privilege
separation"): the apply role checks the whole lease before it touches
anything, and a lease that breaks a rule is refused as a whole ("lease
refused: <why>" in the log) -- no address, route, MTU or resolv.conf change.
The engine then forgets the refused lease (sending nothing), ignores that
server for 5 minutes and looks for another (src/client/client.c,
on_lease_refused), so a rogue that answers first cannot keep lessee off a
link with an honest server on it. The engine drops a few things earlier,
without refusing the lease: an MTU under 576 (RFC 791; the wire parser
drops one under 68, RFC 2132 5.1) and an option 121 with more than 16
routes (then option 3 applies). Each case checks the client's addresses,
routes, MTU and resolv.conf exactly.
"""

import ipaddress
import time

import pytest

from harness import Lessee
from lab import wait_until
from rogue import ACK, DISCOVER, OFFER, REQUEST, good_options, opt, reply, serve_normally
from conftest import system_state

ADDR = "192.0.2.100"
SERVER = "192.0.2.1"
NET = "192.0.2.0/24"
CONNECTED = (NET, None, ADDR)           # the kernel's prefix route for ADDR/24
DEFAULT = ("default", SERVER, ADDR)


def classless(*routes):
    """Option 121 data (RFC 3442 3): per route the prefix length, the
    significant octets of the destination, the router."""
    out = b""
    for cidr, gateway in routes:
        net = ipaddress.ip_network(cidr)
        octets = (net.prefixlen + 7) // 8
        out += bytes([net.prefixlen]) + net.network_address.packed[:octets]
        out += ipaddress.ip_address(gateway).packed
    return out


def expect_routes(state, *want):
    got = sorted(state["routes"], key=repr)
    assert got == sorted(want, key=repr), f"routes: {got}"


def serve(hostile, extra=(), **kw):
    return hostile.rogue(serve_normally(ADDR, extra=list(extra), **kw))


# ---------------------------------------------------------------- TunnelVision

TUNNELVISION = classless(("0.0.0.0/1", SERVER), ("128.0.0.0/1", SERVER), ("0.0.0.0/0", SERVER))


def test_tunnelvision_refused(hostile):
    """TunnelVision (CVE-2024-3661): a rogue server pushes 0.0.0.0/1 and
    128.0.0.0/1, more specific than a VPN's default route, and pulls every
    packet out of the tunnel in clear. Refused by default: the whole lease,
    naming the CVE."""
    serve(hostile, [opt(121, TUNNELVISION)])
    lsn = hostile.lessee("--acd", "off")
    line = hostile.expect_refused(lsn, "classless route 0.0.0.0/1 via 192.0.2.1 covers part "
                                       "of the default route (TunnelVision, CVE-2024-3661)")
    assert "128.0.0.0/1" not in line


def test_tunnelvision_accepted_with_override(hostile):
    """TunnelVision (CVE-2024-3661) with --accept-route-override: the
    operator said yes, so the split routes are installed as given."""
    serve(hostile, [opt(121, TUNNELVISION)])
    lsn = hostile.lessee("--acd", "off", "--accept-route-override")
    state = hostile.expect_lease(lsn, ADDR)
    expect_routes(state, CONNECTED, DEFAULT, ("0.0.0.0/1", SERVER, ADDR),
                  ("128.0.0.0/1", SERVER, ADDR))
    assert state["mtu"] == 1500


def test_subnet_wider_than_8_refused(hostile):
    """TunnelVision's other door (CVE-2024-3661): a subnet mask of
    128.0.0.0 makes half the Internet "on-link", so it is sent to the rogue
    by ARP and never enters a VPN's tunnel."""
    serve(hostile, [opt(1, ["128.0.0.0"])])
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_refused(lsn, "prefix 128.0.0.0/1 is wider than /8 and would cover part of "
                                "the default route (CVE-2024-3661)")


@pytest.mark.parametrize("override", [False, True], ids=["default", "override"])
def test_route_over_local_prefix(hostile, override):
    """A classless route over a prefix another interface holds (a VPN's
    198.51.100.0/24 here) steals that prefix's traffic: the local-network
    variant of TunnelVision (CVE-2024-3661). Refused unless
    --accept-route-override."""
    c = hostile.client
    # a veth pair inside the client stands for the tunnel (no dummy module
    # needed); the namespace's removal takes it away
    c.run(["ip", "link", "add", "vpn0", "type", "veth", "peer", "name", "vpn1"])
    c.run(["ip", "addr", "add", "198.51.100.5/24", "dev", "vpn0"])
    c.run(["ip", "link", "set", "vpn1", "up"])
    c.run(["ip", "link", "set", "vpn0", "up"])
    hostile.before = system_state(c)
    vpn_routes = [r for r in c.routes() if r.get("dev") == "vpn0"]
    serve(hostile, [opt(121, classless(("198.51.100.0/25", SERVER), ("0.0.0.0/0", SERVER)))])
    if not override:
        lsn = hostile.lessee("--acd", "off")
        hostile.expect_refused(lsn, "classless route 198.51.100.0/25 overlaps local prefix "
                                    "198.51.100.0/24")
        return
    lsn = hostile.lessee("--acd", "off", "--accept-route-override")
    state = hostile.expect_lease(lsn, ADDR)
    assert ("198.51.100.0/25", SERVER, ADDR) in state["routes"], state["routes"]
    assert [r for r in c.routes() if r.get("dev") == "vpn0"] == vpn_routes


# ---------------------------------------------------------------- many routes

def test_sixteen_routes_split_across_instances(hostile):
    """RFC 3396 long option: 16 host routes (the most lessee takes) in two
    option 121 instances cut in the middle of a route. Clients that parsed
    each instance on its own read the second half misaligned (the class of
    the dhcpcd option 121 overrun, CVE-2019-11577 family); here every route
    must come out whole."""
    routes = [(f"203.0.113.{i}/32", SERVER) for i in range(1, 16)] + [("0.0.0.0/0", SERVER)]
    data = classless(*routes)
    assert len(data) == 15 * 9 + 5
    serve(hostile, [(121, data[:100]), (121, data[100:])])
    lsn = hostile.lessee("--acd", "off")
    state = hostile.expect_lease(lsn, ADDR)
    want = [CONNECTED, DEFAULT] + [(f"203.0.113.{i}", SERVER, ADDR) for i in range(1, 16)]
    expect_routes(state, *want)


@pytest.mark.parametrize("count", [17, 190], ids=["17", "190"])
def test_too_many_routes(hostile, count):
    """Hundreds of classless routes (RFC 3396 instances), from a server that
    wants to fill the routing table or hide one bad route among many. The
    engine drops option 121 as a whole when it holds more than 16 routes
    (src/client/lease.c: a table cut short is worse than none); the lease
    stands on option 3 (the router 192.0.2.1)."""
    routes = [(f"{10 + i}.0.0.0/8", SERVER) for i in range(count)]
    data = classless(*routes)
    assert len(data) > 255 or count < 40
    serve(hostile, [opt(121, data)])
    lsn = hostile.lessee("--acd", "off")
    state = hostile.expect_lease(lsn, ADDR)
    expect_routes(state, CONNECTED, DEFAULT)


# ---------------------------------------------------------------- routers

def test_router_outside_subnet_refused(hostile):
    """A router outside the subnet with no route to reach it: clients that
    installed it anyway got a default route the kernel cannot use, or used
    "onlink" and sent everything to whoever answers ARP for it."""
    serve(hostile, [opt(3, ["198.51.100.1"])])
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_refused(lsn, "router 198.51.100.1 is not on-link and no classless route "
                                "reaches it")


def test_router_reached_by_onlink_classless_route(hostile):
    """RFC 3442: a route with router 0.0.0.0 is on-link, so a router in that
    prefix is reachable (a cloud-style lease); installed in order, on-link
    route first."""
    serve(hostile, [opt(121, classless(("198.51.100.0/24", "0.0.0.0"),
                                       ("0.0.0.0/0", "198.51.100.1")))])
    lsn = hostile.lessee("--acd", "off")
    state = hostile.expect_lease(lsn, ADDR)
    expect_routes(state, CONNECTED, ("198.51.100.0/24", None, ADDR),
                  ("default", "198.51.100.1", ADDR))


@pytest.mark.parametrize("router,why", [
    ("192.0.2.255", "router 192.0.2.255 is the broadcast address of our prefix"),
    ("192.0.2.100", "router 192.0.2.100 is our own address"),
    ("0.0.0.0", "router 0.0.0.0 is not a unicast address"),
    ("224.0.0.1", "router 224.0.0.1 is not a unicast address"),
    ("127.0.0.1", "router 127.0.0.1 is not a unicast address"),
], ids=["broadcast", "own-address", "zero", "multicast", "loopback"])
def test_bad_router_refused(hostile, router, why):
    """Routers that are no next hop at all: the subnet broadcast (every host
    gets our traffic), our own address (a routing loop), 0.0.0.0,
    multicast, loopback. Clients that passed option 3 to `route add`
    unchecked installed these."""
    serve(hostile, [opt(3, [router])])
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_refused(lsn, why)


# ---------------------------------------------------------------- DNS

@pytest.mark.parametrize("dns", [
    ["0.0.0.0"],
    ["255.255.255.255"],
    ["192.0.2.53", "224.0.0.1"],
    ["127.0.0.53"],
], ids=["zero", "broadcast", "multicast-second", "loopback"])
def test_bad_dns_refused(hostile, dns):
    """DNS servers 0.0.0.0 and 255.255.255.255: glibc reads "nameserver
    0.0.0.0" as this host and sends queries to whatever listens on port 53
    here; a broadcast name server sends every query to the whole link.
    Refused as a whole lease; resolv.conf untouched."""
    serve(hostile, [opt(6, dns)])
    lsn = hostile.lessee("--acd", "off")
    bad = dns[-1]
    hostile.expect_refused(lsn, f"DNS server {bad} is not a unicast address")


def test_more_than_maxns_dns(hostile):
    """Ten DNS servers: glibc reads three (MAXNS); the engine keeps 8
    (DESIGN.md) and resolv.conf lists three and says so."""
    dns = [f"192.0.2.{50 + i}" for i in range(10)]
    serve(hostile, [opt(6, dns)])
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, ADDR)
    text = hostile.client.read_resolv_conf()
    ns = [ln.split()[1] for ln in text.splitlines() if ln.startswith("nameserver ")]
    assert ns == dns[:3], text
    assert "# 5 more name server(s)" in text, text


# ---------------------------------------------------------------- MTU

MTU_OPT = 26


@pytest.mark.parametrize("mtu,want,dropped_by", [
    (0, 1500, "parser"),
    (67, 1500, "parser"),
    (68, 1500, "engine"),
    (575, 1500, "engine"),
    (576, 576, None),
    (9000, 9000, None),
    (65535, 65535, None),
], ids=["0", "67", "68", "575", "576", "9000", "65535"])
def test_mtu(hostile, mtu, want, dropped_by):
    """Interface MTU (option 26): clients that applied it unchecked could be
    cut off by a tiny MTU (68 is legal on the wire, RFC 791, but no TCP
    segment with options fits). Under 68 the wire parser drops the option
    (RFC 2132 5.1: minimum 68); 68..575 is under the 576 every host must
    take (RFC 791, RFC 1122 3.3.3) and the engine drops it, as dhcpcd and
    Debian's dhclient-script ignore it; either way the lease stands with
    the link's MTU and the log names the value. 576 and up is applied."""
    serve(hostile, [(MTU_OPT, mtu.to_bytes(2, "big"))])
    lsn = hostile.lessee("--acd", "off")
    state = hostile.expect_lease(lsn, ADDR)
    assert state["mtu"] == want
    expect_routes(state, CONNECTED, DEFAULT)
    log = lsn.log()
    assert "lease refused" not in log, log
    if dropped_by == "parser":
        assert "option 26 at offset" in log, log
    elif dropped_by == "engine":
        assert f"lease kept without MTU {mtu} (under 576, RFC 791)" in log, log
    else:
        assert "option 26 at offset" not in log and "lease kept without" not in log, log


# ---------------------------------------------------------------- refused leases

HONEST = "192.0.2.2"
HONEST_ADDR = "192.0.2.150"


def ours_only(handler, server):
    """RFC 2131 4.3.2: a server ignores a REQUEST naming another server."""
    def wrapped(req, rogue):
        if req.type == REQUEST and req.server_id not in (None, server):
            return []
        return handler(req, rogue)
    return wrapped


def honest_server(hostile, delay):
    """An honest server on a second host (192.0.2.2) that answers every
    message `delay` seconds late, so that a rogue answers first."""
    host = hostile.lab.add_host("honest", addr=f"{HONEST}/24")
    serve_ok = ours_only(serve_normally(HONEST_ADDR, server=HONEST,
                                        extra=[opt(3, [HONEST])]), HONEST)

    def late(req, rogue):
        frames = serve_ok(req, rogue)
        if frames:
            time.sleep(delay)     # bounded: one handler call at a time
        return frames
    return hostile.rogue(late, host=host)


def requests_to(rogue, server):
    return [r for r in rogue.seen if r.type == REQUEST and r.server_id == server]


@pytest.mark.parametrize("bad", ["tunnelvision", "router-off-subnet"])
def test_refused_rogue_then_honest(hostile, bad):
    """A rogue that answers first with a lease lessee refuses (TunnelVision
    routes, CVE-2024-3661, or a router outside the subnet) and an honest
    server that answers later. lessee used to stay BOUND on the refused
    lease until T1 and then renew it: a denial of service. Now the engine
    forgets it (no RELEASE, no DECLINE: the rogue's address is not in use),
    ignores the rogue for 5 minutes, DISCOVERs at once and takes the
    honest lease, within 15 s; the rogue is not asked again."""
    extra = [opt(121, TUNNELVISION)] if bad == "tunnelvision" else [opt(3, ["198.51.100.1"])]
    rogue = hostile.rogue(ours_only(serve_normally(ADDR, extra=extra), SERVER))
    honest = honest_server(hostile, 0.5)
    lsn = hostile.lessee("--acd", "off")
    why = "TunnelVision" if bad == "tunnelvision" else "router 198.51.100.1 is not on-link"
    t0 = time.monotonic()
    assert why in hostile.wait_log(lsn, "lease refused: ", 10)
    state = hostile.expect_lease(lsn, HONEST_ADDR, timeout=15)
    assert time.monotonic() - t0 < 15
    expect_routes(state, CONNECTED[:2] + (HONEST_ADDR,), ("default", HONEST, HONEST_ADDR))
    hostile.wait_log(lsn, f"lease of {ADDR} from {SERVER} refused by local policy", 1)
    hostile.wait_log(lsn, f"the lease for {ADDR} was refused; looking for another server", 1)
    hostile.wait_log(lsn, f"server-id={SERVER} in SELECTING: the server's last lease was "
                          f"refused by local policy", 1)
    # the rogue was asked once (before the refusal), sent nothing it could
    # read as a DECLINE or RELEASE, and then only saw DISCOVERs
    time.sleep(1)
    assert len(requests_to(rogue, SERVER)) == 1, rogue.seen
    assert all(r.type in (DISCOVER, REQUEST) for r in rogue.seen), rogue.types_seen()
    assert len(requests_to(honest, HONEST)) == 1, honest.seen
    assert rogue.types_seen().count(DISCOVER) >= 2, rogue.types_seen()


def test_refused_renewal(hostile):
    """A server whose RENEW ACK (RFC 2131 4.4.5) lessee refuses (here a
    router outside the subnet): the lease before it is still applied, but
    the server now insists on values lessee refuses. lessee takes the old
    lease down too (the address and its routes go; a resolv.conf file is
    left as a deconfigure leaves it), sends no RELEASE or DECLINE, ignores
    the server and keeps DISCOVERing."""
    def handler(req, rogue):
        renewing = req.ciaddr != b"\0\0\0\0"
        extra = [opt(58, 2), opt(59, 3)] + ([opt(3, ["198.51.100.1"])] if renewing else [])
        options = good_options(OFFER if req.type == DISCOVER else ACK, lease=20, extra=extra)
        if req.type == DISCOVER:
            return [reply(req, OFFER, ADDR, options)]
        if req.type == REQUEST:
            return [reply(req, ACK, ADDR, options, dst_ip=ADDR if renewing else
                          "255.255.255.255")]
        return []
    rogue = hostile.rogue(handler)
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, ADDR)
    assert "router 198.51.100.1 is not on-link" in hostile.wait_log(lsn, "lease refused: ", 10)
    def taken_down():
        now, before = system_state(hostile.client), hostile.before
        return all(now[k] == before[k] for k in ("addresses", "routes", "mtu"))
    try:
        wait_until(taken_down, 5, "the refused renewal's lease to be taken down")
    except TimeoutError as e:
        raise AssertionError(f"{e}\n{system_state(hostile.client)}\n{lsn.log()}") from None
    hostile.wait_log(lsn, f"lease of {ADDR} from {SERVER} refused by local policy", 1)
    seen = len(rogue.seen)
    rogue.wait_for(lambda r: DISCOVER in r.types_seen()[seen:], 10, "a DISCOVER")
    time.sleep(2)
    renews = [r for r in rogue.seen if r.type == REQUEST and r.ciaddr != b"\0\0\0\0"]
    assert len(renews) == 1, rogue.seen
    assert len(requests_to(rogue, SERVER)) == 1, rogue.seen     # the first DORA only
    assert all(r.type in (DISCOVER, REQUEST) for r in rogue.seen), rogue.types_seen()
    assert taken_down(), system_state(hostile.client)
    hostile.assert_healthy(lsn)


def test_refused_oneshot_takes_the_honest_lease(hostile):
    """--oneshot: a refused lease is no lease; the run goes on to the honest
    server's and exits 0 with it applied."""
    hostile.rogue(ours_only(serve_normally(ADDR, extra=[opt(121, TUNNELVISION)]), SERVER))
    honest_server(hostile, 0.5)
    lsn = Lessee(hostile.lab, hostile.binary, "oneshot")
    rc, elapsed, r = lsn.run("--oneshot", "--acd", "off", "--timeout", "15", timeout=30)
    out = r.stdout + r.stderr
    assert rc == 0, out
    assert elapsed < 15, out
    assert "lease refused: " in out and "looking for another server" in out, out
    assert system_state(hostile.client)["addresses"] == [f"{HONEST_ADDR}/24"], out


def test_refused_once_times_out(hostile):
    """-1 with only a server whose leases are refused: it keeps looking
    until --timeout, then exits 2 with nothing applied (dhclient's -1)."""
    rogue = hostile.rogue(ours_only(serve_normally(ADDR, extra=[opt(3, ["198.51.100.1"])]),
                                    SERVER))
    lsn = Lessee(hostile.lab, hostile.binary, "once")
    rc, elapsed, r = lsn.run("-1", "-d", "--acd", "off", "--timeout", "6", timeout=60)
    out = r.stdout + r.stderr
    assert rc == 2, out
    assert 5 <= elapsed < 45, out
    assert "no lease within 6 s" in out, out
    assert len(requests_to(rogue, SERVER)) == 1, rogue.seen
    assert rogue.types_seen().count(DISCOVER) >= 2, rogue.types_seen()
    assert system_state(hostile.client) == hostile.before
