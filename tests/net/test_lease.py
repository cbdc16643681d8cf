"""lessee against real servers (issue 5): each test runs against dnsmasq, Kea,
ISC dhcpd and busybox udhcpd (pytest -m <server> picks one), in a fresh lab.

What goes on the wire is read from a capture of the client's switch port and
decoded by the lab (not by lessee's code); what lessee applied is read with
`ip -j` in the client namespace and from the namespace's resolv.conf.
"""

import ipaddress
import os
import signal
import time

import pytest

from harness import (FOREVER, HOOK_REASONS, JSON_EVENTS, Lessee, client_msgs, event_name,
                     hook_calls, is_broadcast, is_unicast_to_server, leaf_values,
                     ns_pids, resolv_conf, route, valid_lifetime, wait_ack, write_hook)
from lab import CLIENT_MAC, SERVER_IP, wait_until
from servers import ServerConfig, make_server

SHORT = dict(lease=20, t1=3, t2=6)      # renew after 3 s, rebind after 6 s
NEW_POOL = ("192.0.2.201", "192.0.2.210")
OLD_POOL = ("192.0.2.100", "192.0.2.200")


def only(*kinds):
    return pytest.mark.parametrize("kind", [pytest.param(k, marks=getattr(pytest.mark, k), id=k)
                                            for k in kinds])


def bound_ack(net, addr, timeout=5):
    """The ACK that bound addr (the last one for it so far)."""
    wait_until(lambda: [m for m in net.cap.dhcp() if m.type == "ACK" and m.yiaddr == addr],
               timeout, f"the ACK for {addr} in the capture")
    return [m for m in net.cap.dhcp() if m.type == "ACK" and m.yiaddr == addr][-1]


def no_discover_between(net, t0, t1):
    d = [m for m in client_msgs(net.cap) if m.type == "DISCOVER" and t0 < m.time < t1]
    assert not d, f"unexpected DISCOVER (lease lost?):\n{net.cap.summary()}"


# ------------------------------------------------------------------ fresh

def test_fresh_lease_applied(net):
    """DORA, then address/prefix/broadcast with the lease lifetime, default
    and classless routes, MTU and resolv.conf all applied."""
    srv, c = net.server, net.client
    le = net.lessee().start()
    addr = le.wait_bound(in_pool=srv.config.in_pool)

    def applied():
        rs = c.routes()
        ns, _, _ = resolv_conf(c)
        return route(rs, "default") and route(rs, "198.51.100.0/24") and ns and c.mtu() == 1400
    try:
        wait_until(applied, 5, "routes, MTU and resolv.conf")
    except TimeoutError:
        pass        # the asserts below say what is missing

    info = [a for a in c.addresses() if a["local"] == addr]
    assert len(c.addresses()) == 1, c.addresses()
    a = info[0]
    assert a["prefixlen"] == 24
    assert a.get("broadcast") == "192.0.2.255", a
    lease = srv.effective_lease
    assert a["valid_life_time"] != FOREVER, "address must carry the lease's valid lifetime"
    assert 0 < a["valid_life_time"] <= lease, a

    rs = c.routes()
    d = route(rs, "default")
    assert d and d.get("gateway") == "192.0.2.1" and d.get("dev") == "eth0", rs
    cl = route(rs, "198.51.100.0/24")
    assert cl and cl.get("gateway") == "192.0.2.1" and cl.get("dev") == "eth0", rs
    assert route(rs, "192.0.2.0/24"), f"no prefix route: {rs}"
    assert c.mtu() == 1400

    ns, search, domain = resolv_conf(c)
    assert ns == ["192.0.2.53", "192.0.2.54"], c.read_resolv_conf()
    assert search[:2] == ["example.test", "lab.example.test"] or \
        (not search and domain == "example.test"), c.read_resolv_conf()

    # the exchange: DISCOVER, OFFER, REQUEST (selecting: 50 + 54), ACK
    ack = bound_ack(net, addr)
    req = [m for m in client_msgs(net.cap) if m.type == "REQUEST" and m.xid == ack.xid]
    assert req, net.cap.summary()
    assert req[0].requested_ip == addr and req[0].server_id == SERVER_IP, req[0]
    assert req[0].ciaddr == "0.0.0.0"
    assert [m for m in client_msgs(net.cap) if m.type == "DISCOVER"], net.cap.summary()
    assert le.alive()


# ------------------------------------------------------------------ renew

@pytest.mark.server_config(**SHORT)
def test_renew_unicast_extends_lease(net):
    """At T1 a unicast REQUEST (ciaddr set, no 50/54) to the server; its ACK
    extends the lease (the address's valid lifetime goes back up)."""
    srv, c = net.server, net.client
    le = net.lessee().start()
    addr = le.wait_bound()
    ack = bound_ack(net, addr)
    lease = srv.effective_lease

    req = net.cap.wait_dhcp(lambda m: m.from_client and m.type == "REQUEST" and
                            m.ciaddr == addr, SHORT["t1"] + 6, "the renewing REQUEST",
                            after=ack.time)
    dt = req.time - ack.time
    assert SHORT["t1"] * 0.7 <= dt <= SHORT["t1"] + 2, \
        f"renew {dt:.2f} s after the ACK, T1={SHORT['t1']}"
    assert is_unicast_to_server(req), f"renew must be unicast to the server: {req}"
    assert req.ip_src == addr, req
    assert req.requested_ip is None and req.server_id is None, \
        f"RENEWING REQUEST must carry neither option 50 nor 54 (RFC 2131 4.3.2): {req}"
    ack2 = wait_ack(net.cap, req.time - 0.001, addr=addr, timeout=5)
    assert ack2.xid == req.xid

    def extended():
        v = valid_lifetime(c, addr)
        return v is not None and v >= lease - 2
    wait_until(extended, 3, f"valid lifetime back near {lease} s after the renewal "
               f"(now {valid_lifetime(c, addr)})")
    assert c.address() == f"{addr}/24"
    no_discover_between(net, ack.time, time.time())
    assert le.alive()


# ------------------------------------------------------------------ rebind

@pytest.mark.server_config(**SHORT)
def test_rebind_to_second_server(net, kind):
    """First server gone: the unicast renewals go unanswered, at T2 a
    broadcast REQUEST (ciaddr set, no 50/54) is answered by a second server
    (192.0.2.2, same lease database) and the address is kept."""
    srv, c = net.server, net.client
    h3 = net.lab.add_host("h3", addr="192.0.2.2/24")
    le = net.lessee().start()
    addr = le.wait_bound()
    ack = bound_ack(net, addr)
    lease = srv.effective_lease
    srv.stop()
    srv2 = make_server(kind, h3, srv.config, name=f"{kind}-second")
    srv2.seed_leases_from(srv)
    srv2.start()

    rb = net.cap.wait_dhcp(lambda m: m.from_client and m.type == "REQUEST" and is_broadcast(m),
                           SHORT["t2"] + 8, "the rebinding (broadcast) REQUEST", after=ack.time)
    dt = rb.time - ack.time
    assert SHORT["t2"] * 0.7 <= dt <= SHORT["t2"] + 3, \
        f"rebind {dt:.2f} s after the ACK, T2={SHORT['t2']}"
    assert rb.ciaddr == addr and rb.requested_ip is None and rb.server_id is None, \
        f"REBINDING REQUEST: ciaddr set, no option 50 or 54 (RFC 2131 4.3.2): {rb}"
    renews = [m for m in client_msgs(net.cap)
              if m.type == "REQUEST" and ack.time < m.time < rb.time]
    assert renews and all(is_unicast_to_server(m) for m in renews), \
        f"unicast renewals to the first server expected before rebinding:\n{net.cap.summary()}"
    ack2 = wait_ack(net.cap, rb.time - 0.001, addr=addr, server_ip="192.0.2.2", timeout=5)
    assert ack2.xid == rb.xid
    wait_until(lambda: (valid_lifetime(c, addr) or 0) >= lease - 2, 3,
               "valid lifetime extended by the second server's ACK")
    assert c.address() == f"{addr}/24"
    no_discover_between(net, ack.time, time.time())
    assert le.alive()


# ------------------------------------------------------------------ NAK

def _wait_new_pool_lease(net, le, nak_after, old):
    nak = net.cap.wait_dhcp(lambda m: m.type == "NAK", 10, "the server's NAK", after=nak_after)
    disc = net.cap.wait_dhcp(lambda m: m.from_client and m.type == "DISCOVER", 15,
                             "a DISCOVER after the NAK", after=nak.time)
    new = le.wait_bound(timeout=15, in_pool=lambda a: ipaddress.ip_address(NEW_POOL[0]) <=
                        ipaddress.ip_address(a) <= ipaddress.ip_address(NEW_POOL[1]))
    wait_until(lambda: old not in [a["local"] for a in net.client.addresses()], 5,
               f"the NAKed address {old} to be removed")
    assert net.client.address() == f"{new}/24"
    assert disc.time > nak.time
    return nak


# dnsmasq NAKs any unknown address; Kea and ISC dhcpd NAK one in a range they
# still declare but no longer hand out; busybox udhcpd never answers a
# RENEWING request for a lease it does not have (it NAKs only SELECTING and
# INIT-REBOOT requests), so it gets the INIT-REBOOT case only.
@only("dnsmasq", "kea", "dhcpd")
def test_nak_on_renew_after_pool_change(net):
    """Server restarted with another pool; SIGUSR1 renews now; the server
    NAKs; lessee drops the address and gets one from the new pool."""
    le = net.lessee().start()
    old = le.wait_bound()
    net.server.restart(ServerConfig(pool=NEW_POOL, retired=(OLD_POOL,)))
    t = time.time()
    le.signal(signal.SIGUSR1)
    req = net.cap.wait_dhcp(lambda m: m.from_client and m.type == "REQUEST" and m.ciaddr == old,
                            5, "the REQUEST that SIGUSR1 asks for", after=t)
    assert is_unicast_to_server(req), req
    nak = _wait_new_pool_lease(net, le, t, old)
    assert nak.xid == req.xid
    assert le.alive()


def test_nak_on_init_reboot_after_pool_change(net):
    """lessee stopped; server restarted with another pool; lessee restarted
    with its lease file asks for the old address (INIT-REBOOT), is NAKed and
    gets one from the new pool."""
    le = net.lessee().start()
    old = le.wait_bound()
    assert le.stop() == 0
    net.server.restart(ServerConfig(pool=NEW_POOL, retired=(OLD_POOL,)))
    t = time.time()
    le2 = net.lessee().start()     # same lease file
    req = net.cap.wait_dhcp(lambda m: m.from_client and m.type == "REQUEST", 10,
                            "the INIT-REBOOT REQUEST", after=t)
    assert req.requested_ip == old and req.server_id is None, req
    nak = _wait_new_pool_lease(net, le2, t, old)
    assert nak.xid == req.xid


# ------------------------------------------------------------------ release

def test_release(net):
    """`lessee -r` (same pid and lease file) sends RELEASE unicast to the
    server (ciaddr, option 54, no 50), removes the address, and the running
    daemon is gone, as with dhclient -r."""
    le = net.lessee().start()
    addr = le.wait_bound()
    t = time.time()
    rc, _, r = le.run("-r", timeout=20)
    assert rc == 0, f"lessee -r: exit {rc}\n{r.stdout}\n{r.stderr}"
    rel = net.cap.wait_dhcp(lambda m: m.from_client and m.type == "RELEASE", 5, "a RELEASE",
                            after=t)
    assert rel.ciaddr == addr and rel.server_id == SERVER_IP, rel
    assert rel.requested_ip is None, f"RELEASE must not carry option 50: {rel}"
    assert is_unicast_to_server(rel), f"RELEASE is unicast to the server: {rel}"
    wait_until(lambda: not net.client.addresses(), 5, "the released address to be removed")
    le.wait_exit(10)


# ------------------------------------------------------------------ INIT-REBOOT

def test_restart_with_lease_file_init_reboot(net):
    """Stopped and restarted with its lease file, lessee's first message is
    an INIT-REBOOT REQUEST (option 50, no 54, ciaddr 0, broadcast), ACKed."""
    le = net.lessee().start()
    addr = le.wait_bound()
    assert le.stop() == 0, le.log()
    wait_until(lambda: not net.client.addresses(), 5, "SIGTERM to deconfigure the address")
    assert os.path.getsize(le.lease_file) > 0, "no lease file written"
    t = time.time()
    le2 = net.lessee().start()
    first = net.cap.wait_dhcp(lambda m: m.from_client, 10, "the first message after restart",
                              after=t)
    assert first.type == "REQUEST", f"expected INIT-REBOOT, got {first}\n{net.cap.summary()}"
    assert first.requested_ip == addr and first.server_id is None, first
    assert first.ciaddr == "0.0.0.0" and is_broadcast(first), first
    ack = wait_ack(net.cap, t, addr=addr, timeout=5)
    assert ack.xid == first.xid
    assert le2.wait_bound() == addr
    no_discover_between(net, t, time.time())


# ------------------------------------------------------------------ stop

@only("dnsmasq")
@pytest.mark.parametrize("keep", [False, True], ids=["deconfigure", "keep"])
def test_sigterm_stops(net, keep):
    """SIGTERM: exit 0; the address and lessee's routes go, unless --keep."""
    le = net.lessee().start(*(["--keep"] if keep else []))
    addr = le.wait_bound()
    assert le.stop() == 0, le.log()
    if keep:
        assert net.client.address() == f"{addr}/24"
        assert route(net.client.routes(), "default"), net.client.routes()
    else:
        wait_until(lambda: not net.client.addresses(), 5, "the address to be removed")
        rs = net.client.routes()
        assert route(rs, "default") is None and route(rs, "198.51.100.0/24") is None, rs
    assert not [m for m in client_msgs(net.cap) if m.type == "RELEASE"], \
        "SIGTERM stops without a RELEASE (SIGUSR2 or -r release)"


# ------------------------------------------------------------------ carrier

def test_carrier_off_on_verifies(net):
    """Carrier loss keeps the lease; carrier return sends an INIT-REBOOT
    REQUEST for it (option 50, no 54) and the ACK keeps it."""
    le = net.lessee().start()
    addr = le.wait_bound()
    net.client.carrier_off()
    time.sleep(1.5)
    assert addr in [a["local"] for a in net.client.addresses()], \
        "the address must survive carrier loss"
    t = time.time()
    net.client.carrier_on()
    req = net.cap.wait_dhcp(lambda m: m.from_client and m.type == "REQUEST", 10,
                            "a verifying REQUEST after carrier return", after=t)
    assert req.requested_ip == addr and req.server_id is None and req.ciaddr == "0.0.0.0", req
    ack = wait_ack(net.cap, t, addr=addr, timeout=5)
    assert ack.xid == req.xid
    assert net.client.address() == f"{addr}/24"
    no_discover_between(net, t, time.time())
    assert le.alive()


# ------------------------------------------------------------------ JSON

def test_no_configure_json_lines(net):
    """--no-configure: nothing applied; each lease event is one JSON line on
    stdout with the lease's fields; SIGHUP renews -> a "renewed" line.

    The renewal is unicast from the leased address (RFC 2131 4.4.5) and the
    server answers to ciaddr, so, as in a real lease-only deployment, the
    test then plays the consumer and puts the address on the link itself."""
    srv, c = net.server, net.client
    le = net.lessee().start(configure=False)

    def events():
        return [o for o in le.stdout_json()]
    try:
        evs = wait_until(lambda: [o for o in events() if event_name(o) == "bound"], 15,
                         "a \"bound\" JSON line on stdout")
    except TimeoutError as e:
        raise AssertionError(f"{e}\n{le.log()}") from None
    b = evs[0]
    ack = [m for m in net.cap.dhcp() if m.type == "ACK"][-1]
    v = leaf_values(b)
    for want in (ack.yiaddr, SERVER_IP, "192.0.2.53", "192.0.2.54", "example.test",
                 "lab.example.test", "1400", str(srv.effective_lease)):
        assert want in v, f"{want} missing from the bound event: {b}"
    assert "255.255.255.0" in v or "24" in v or any(x.endswith("/24") for x in v), \
        f"no netmask or prefix length in the bound event: {b}"
    assert "198.51.100.0" in v or any("198.51.100.0/24" in x for x in v), \
        f"classless route missing from the bound event: {b}"
    assert c.addresses() == [], "--no-configure must not configure an address"
    assert route(c.routes(), "default") is None
    assert c.read_resolv_conf() == ""

    c.add_address(f"{ack.yiaddr}/24")
    n = len(events())
    le.signal(signal.SIGHUP)
    try:
        wait_until(lambda: [o for o in events()[n:] if event_name(o) == "renewed"], 10,
                   "a \"renewed\" JSON line after SIGHUP")
    except TimeoutError as e:
        raise AssertionError(f"{e}\n{le.log()}") from None
    for o in events():
        assert event_name(o) in JSON_EVENTS, f"unknown event in {o}"
    assert [a["local"] for a in c.addresses()] == [ack.yiaddr], \
        "--no-configure must leave the consumer's address alone"
    assert route(c.routes(), "default") is None
    assert le.alive()


# ------------------------------------------------------------------ hook

def test_hook_environment(net):
    """-sf: BOUND with the dhclient-script variables, RENEW (SIGHUP) with
    old_* too, STOP on SIGTERM."""
    srv = net.server
    script, d = write_hook(net.lab)
    le = net.lessee().start(hook=script)
    addr = le.wait_bound()
    calls = wait_until(lambda: [e for e in hook_calls(d) if e.get("reason") == "BOUND"] and
                       hook_calls(d), 5, "a BOUND hook call")
    reasons = [e.get("reason") for e in calls]
    assert set(reasons) <= HOOK_REASONS, reasons
    if "PREINIT" in reasons:
        assert reasons.index("PREINIT") < reasons.index("BOUND"), reasons
    e = next(x for x in calls if x.get("reason") == "BOUND")
    want = {
        "interface": "eth0",
        "new_ip_address": addr,
        "new_subnet_mask": "255.255.255.0",
        "new_domain_name_servers": "192.0.2.53 192.0.2.54",
        "new_domain_name": "example.test",
        "new_broadcast_address": "192.0.2.255",
        "new_network_number": "192.0.2.0",
        "new_interface_mtu": "1400",
        "new_dhcp_lease_time": str(srv.effective_lease),
        "new_dhcp_server_identifier": SERVER_IP,
        "new_rfc3442_classless_static_routes": "24 198 51 100 192 0 2 1 0 192 0 2 1",
    }
    bad = {k: (e.get(k), v) for k, v in want.items() if (e.get(k) or "").strip() != v}
    assert not bad, f"BOUND env (got, want): {bad}"
    # RFC 3442: with option 121 the client ignores option 3, so new_routers
    # may be left out; if it is there it must be the server's.
    assert e.get("new_routers", "192.0.2.1") == "192.0.2.1", e.get("new_routers")
    assert [s.rstrip(".") for s in e.get("new_domain_search", "").split()] == \
        ["example.test", "lab.example.test"], e.get("new_domain_search")

    n = len(calls)
    le.signal(signal.SIGHUP)
    wait_until(lambda: [x for x in hook_calls(d)[n:] if x.get("reason") == "RENEW"], 10,
               "a RENEW hook call after SIGHUP")
    r = next(x for x in hook_calls(d)[n:] if x.get("reason") == "RENEW")
    assert r.get("new_ip_address") == addr and r.get("old_ip_address") == addr, \
        f"RENEW needs new_ and old_ip_address (dhclient-script compares them): {r}"

    n = len(hook_calls(d))
    assert le.stop() == 0, le.log()
    stops = [x for x in hook_calls(d)[n:] if x.get("reason") == "STOP"]
    # SIGTERM deconfigures (DESIGN.md "Signals"); a hook that set things up
    # (dhclient-script) must hear of it to undo them, as with dhclient -x.
    assert stops, f"no STOP hook call on SIGTERM: {[x.get('reason') for x in hook_calls(d)]}\n{le.log()}"
    assert stops[0].get("old_ip_address") == addr, stops[0]


# ------------------------------------------------------------------ ACD

@pytest.mark.server_config(pool=("192.0.2.100", "192.0.2.101"))
def test_acd_conflict_declines(net):
    """A third host owns the offered address (.100): lessee's ARP probe finds
    it, a DECLINE (50 = .100, 54, ciaddr 0) goes out, and after the RFC 2131
    10 s pause a different address (.101) is bound. Every server here offers
    .100 first from this pool to this MAC (checked below)."""
    taken = "192.0.2.100"
    h3 = net.lab.add_host("h3", addr=f"{taken}/24")
    le = net.lessee().start()
    off = net.cap.wait_dhcp(lambda m: m.type == "OFFER", 10, "an OFFER")
    assert off.yiaddr == taken, f"lab assumption broken: first offer {off.yiaddr}, not {taken}"
    dec = net.cap.wait_dhcp(lambda m: m.from_client and m.type == "DECLINE", 10, "a DECLINE")
    assert dec.requested_ip == taken and dec.server_id == SERVER_IP, dec
    assert dec.ciaddr == "0.0.0.0", dec
    probes = [a for a in net.cap.arp() if a.op == 1 and a.pdst == taken and
              a.hwsrc == CLIENT_MAC and a.time < dec.time]
    assert probes, "no ARP probe for the offered address before the DECLINE"
    assert probes[0].psrc == "0.0.0.0", f"an ARP probe has sender IP 0 (RFC 5227): {probes[0]}"
    addr = le.wait_bound(timeout=25)
    assert addr == "192.0.2.101", addr
    disc = [m for m in client_msgs(net.cap) if m.type == "DISCOVER" and m.time > dec.time]
    assert disc and disc[0].time - dec.time >= 9, \
        f"restart {disc[0].time - dec.time if disc else None} s after DECLINE; RFC 2131 3.1.5: 10 s"
    assert net.client.address() == "192.0.2.101/24"
    assert h3.address() == f"{taken}/24"


# ------------------------------------------------------------------ --oneshot

def test_oneshot_exit_zero(net):
    """--oneshot: a lease applied, exit 0, no process left behind."""
    le = net.lessee()
    rc, dt, r = le.run("--oneshot", "--timeout", "10", timeout=30)
    assert rc == 0, f"exit {rc} after {dt:.1f} s\n{r.stdout}\n{r.stderr}"
    a = net.client.address()
    assert a and net.server.config.in_pool(a), a
    assert route(net.client.routes(), "default"), net.client.routes()
    wait_until(lambda: not ns_pids(net.client), 3, "no lessee process left after --oneshot")


@pytest.mark.noserver
@pytest.mark.parametrize("mode", ["--oneshot", "-1"])
def test_no_server_exit_two(lab, lessee_bin, mode):
    """No server: --oneshot / -1 with --timeout 3 exits 2 in about 3 s,
    having sent DISCOVERs, configured nothing and left nothing running."""
    cap = lab.client.capture()
    le = Lessee(lab, lessee_bin)
    rc, dt, r = le.run(mode, "--timeout", "3", timeout=20)
    assert rc == 2, f"exit {rc}\n{r.stdout}\n{r.stderr}"
    assert 2.5 <= dt <= 7, f"took {dt:.1f} s for --timeout 3"
    assert lab.client.addresses() == []
    assert [m for m in cap.dhcp() if m.type == "DISCOVER"], "no DISCOVER sent"
    wait_until(lambda: not ns_pids(lab.client), 3, "no lessee process left")


@pytest.mark.noserver
@pytest.mark.parametrize("args", [[], ["--bogus-option", "eth0"], ["--acd", "sometimes", "eth0"],
                                  ["--timeout", "x", "eth0"], ["--oneshot", "nosuchif0"]],
                         ids=["no-ifname", "bad-option", "bad-acd", "bad-timeout", "no-such-if"])
def test_usage_errors_exit_one(lab, lessee_bin, args):
    """Usage and start-up errors: exit 1 with a one-line reason on stderr."""
    r = lab.client.run([lessee_bin] + args, check=False, timeout=15)
    assert r.returncode == 1, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    assert r.stderr.strip(), "no reason given on stderr"
