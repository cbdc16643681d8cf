"""--anonymous on the wire (issue 9): every RFC 7844 section 3 rule, checked
on each message type lessee sends, from a capture of the client's link.

The server is the rogue of tests/net/hostile (rogue.py), because its
timers can be made short enough to see RENEWING and REBINDING requests in
seconds and it can be told not to answer. What is checked is only what
lessee sends.

A control case runs the same exchange without --anonymous and shows the
checks fail there (client id, fixed option order), so they can fail.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile"))

from harness import Lessee, hook_calls, write_hook           # noqa: E402
from lab import CLIENT_MAC, SERVER_IP, wait_until             # noqa: E402
from rogue import (ACK, DISCOVER, OFFER, REQUEST, Rogue,      # noqa: E402
                   good_options, opt, reply)

# RFC 7844 3.6: the minimal parameter request list lessee documents
# (src/client/compose.c prl_anonymous): mask, router, DNS, domain name,
# search list, classless routes.
MINIMAL_PRL = {1, 3, 6, 15, 119, 121}
# Options an anonymous client never sends: host name (3.7), vendor-specific
# information, message (a free-text fingerprint), maximum message size,
# vendor class (3.10), client identifier (3.5: we send none), user class
# (3.10), client FQDN (3.8), client machine id (3.9), vendor-identifying
# classes (3.10).
NEVER = {12: "host name", 43: "vendor-specific", 56: "message", 57: "max message size",
         60: "vendor class", 61: "client identifier", 77: "user class", 81: "client FQDN",
         97: "client machine id", 124: "V-I vendor class", 125: "V-I vendor info"}
ADDRESS = "192.0.2.100"


def short_lease_server(address=ADDRESS, lease=8, t1=2, t2=4, answer_renewals=False):
    """OFFER/ACK the first exchange with short timers; renewals and rebinds
    (ciaddr set) get no answer unless answer_renewals."""
    extra = [opt(58, t1), opt(59, t2)]

    def handler(req, rogue):
        if req.type == DISCOVER:
            return [reply(req, OFFER, address, good_options(OFFER, lease=lease, extra=extra))]
        if req.type == REQUEST:
            renewing = req.ciaddr != b"\0\0\0\0"
            if renewing and not answer_renewals:
                return []
            return [reply(req, ACK, address, good_options(ACK, lease=lease, extra=extra))]
        return []
    return handler


def kind_of(m):
    """DISCOVER, SELECTING, RENEWING, REBINDING, INIT-REBOOT, DECLINE, RELEASE
    (RFC 2131 4.3.2 tells the REQUESTs apart by 54, 50 and ciaddr)."""
    if m.type != "REQUEST":
        return m.type
    if 54 in m.options:
        return "SELECTING"
    if m.ciaddr == "0.0.0.0":
        return "INIT-REBOOT"
    return "RENEWING" if m.ip_dst != "255.255.255.255" else "REBINDING"


def check_anonymous(m, mac=CLIENT_MAC, address=ADDRESS):
    """Every RFC 7844 section 3 rule that applies to one client message."""
    k = kind_of(m)
    sent = set(m.options)
    bad = {c: NEVER[c] for c in sent & set(NEVER)}
    assert not bad, f"{k} carries {bad}: {m}"
    assert m.chaddr == mac, f"{k}: chaddr {m.chaddr}, not the link's {mac}"
    if k in ("DISCOVER", "SELECTING", "RENEWING", "REBINDING", "INIT-REBOOT"):
        prl = m.options.get(55, b"")
        assert set(prl) == MINIMAL_PRL and len(prl) == len(MINIMAL_PRL), \
            f"{k}: PRL {list(prl)} is not the minimal list {sorted(MINIMAL_PRL)}"
    else:
        assert 55 not in sent, f"{k} carries a PRL"
    if k == "DISCOVER":
        assert 50 not in sent, f"DISCOVER asks for an address (RFC 7844 3.3): {m}"
        assert m.ciaddr == "0.0.0.0"
    elif k == "SELECTING":
        assert sent == {53, 54, 50, 55}, f"REQUEST (selecting) carries {sorted(sent)}"
        assert m.ciaddr == "0.0.0.0"
    elif k in ("RENEWING", "REBINDING"):
        # 3.2: ciaddr only for a lease got with this MAC, which it was.
        assert sent == {53, 55}, f"REQUEST ({k.lower()}) carries {sorted(sent)}"
        assert m.ciaddr == address
    elif k == "DECLINE":
        assert sent == {53, 50, 54}, f"DECLINE carries {sorted(sent)}"
    else:
        raise AssertionError(f"an anonymous client sent {k}: {m}")
    return k


def prl_order(m):
    return tuple(m.options.get(55, b""))


def start(lab, binary, *extra, name="lessee", hook=None, configure=True):
    lsn = Lessee(lab, binary, name)
    lsn.start("--acd", "off", *extra, hook=hook, configure=configure)
    return lsn


def test_anonymous_discover_and_requests_in_every_state(lab, lessee_bin):
    """DISCOVER, REQUEST selecting, renewing (unicast) and rebinding
    (broadcast): each follows RFC 7844 section 3; no RELEASE on stop; the
    hook and the log say anonymous."""
    cap = lab.client.capture()
    hook, calls = write_hook(lab)
    with Rogue(lab.server, short_lease_server()):
        lsn = start(lab, lessee_bin, "--anonymous", hook=hook)
        lsn.wait_bound(timeout=15)
        cap.wait_dhcp(lambda m: m.from_client and kind_of(m) == "REBINDING", 15,
                      "a rebinding REQUEST")
        assert lsn.stop(signal.SIGTERM, timeout=40) == 0, lsn.log()
    time.sleep(0.3)
    msgs = [m for m in cap.dhcp() if m.from_client]
    kinds = [check_anonymous(m) for m in msgs]
    for k in ("DISCOVER", "SELECTING", "RENEWING", "REBINDING"):
        assert k in kinds, f"no {k} captured: {kinds}"
    assert "RELEASE" not in kinds
    renew = next(m for m in msgs if kind_of(m) == "RENEWING")
    assert renew.ip_dst == SERVER_IP and renew.eth_dst != "ff:ff:ff:ff:ff:ff"
    # 3.6: the PRL is shuffled per message (6! orders: equal by chance
    # in 1 of 720 pairs; with 3+ messages all equal is below 1e-5).
    orders = {prl_order(m) for m in msgs if 55 in m.options}
    assert len(msgs) >= 4 and len(orders) >= 2, f"PRL order never changes: {orders}"
    bound = [c for c in hook_calls(calls) if c.get("reason") == "BOUND"]
    assert bound and bound[0].get("anonymous") == "1", bound


def test_anonymous_decline(lab, lessee_bin):
    """DECLINE after an ACD conflict carries 50 and 54 and nothing that
    identifies the client (RFC 7844 section 3; RFC 2131 table 5)."""
    lab.add_host("h3", addr=f"{ADDRESS}/24")
    cap = lab.client.capture()
    with Rogue(lab.server, short_lease_server(lease=600, t1=300, t2=500)):
        lsn = Lessee(lab, lessee_bin).start("--anonymous", "--acd", "fast")
        cap.wait_dhcp(lambda m: m.from_client and m.type == "DECLINE", 20, "a DECLINE")
        lsn.stop(signal.SIGTERM, timeout=40)
    kinds = [check_anonymous(m) for m in cap.dhcp() if m.from_client]
    assert "DECLINE" in kinds


def test_anonymous_restarts_begin_with_discover(lab, lessee_bin):
    """Five starts on one lease file: each begins with DISCOVER (no
    INIT-REBOOT, no Requested IP: the stored lease is not reused), and the
    REQUESTs' option order differs between messages (RFC 7844 3.1: 4!
    orders; five equal by chance: 1 in 330,000). -r then sends no RELEASE,
    says so, and still removes the address."""
    cap = lab.client.capture()
    firsts, orders = [], []
    with Rogue(lab.server, short_lease_server(lease=600, t1=300, t2=500)):
        for i in range(5):
            t0 = time.time()
            lsn = start(lab, lessee_bin, "--anonymous", *(["--keep"] if i == 4 else []))
            lsn.wait_bound(timeout=15)
            assert lsn.stop(signal.SIGTERM, timeout=40) == 0, lsn.log()
            time.sleep(0.2)
            mine = [m for m in cap.dhcp() if m.from_client and m.time >= t0]
            firsts.append(kind_of(mine[0]))
            for m in mine:
                check_anonymous(m)
            sel = [m for m in mine if kind_of(m) == "SELECTING"]
            orders.append(tuple(sel[0].option_order))
        assert lab.client.address() == f"{ADDRESS}/24", "--keep left no address"
        t0 = time.time()
        rc, _, r = Lessee(lab, lessee_bin).run("--anonymous", "-d", "-r")
    assert firsts == ["DISCOVER"] * 5, firsts
    assert len(set(orders)) >= 2, f"option order never changes: {orders}"
    assert rc == 0, r.stderr
    assert "no RELEASE sent (anonymous" in r.stderr, r.stderr
    time.sleep(0.3)
    assert not [m for m in cap.dhcp() if m.from_client and m.time >= t0], "-r sent something"
    assert lab.client.address() is None, "-r left the address"


def test_anonymous_json_says_so(lab, lessee_bin):
    """--no-configure's JSON lines carry "anonymous": true."""
    with Rogue(lab.server, short_lease_server(lease=600, t1=300, t2=500)):
        lsn = start(lab, lessee_bin, "--anonymous", configure=False)
        wait_until(lambda: any(e.get("event") == "bound" for e in lsn.stdout_json()), 15,
                   "a bound event")
        lsn.stop(signal.SIGTERM, timeout=40)
    bound = [e for e in lsn.stdout_json() if e.get("event") == "bound"]
    assert bound[0].get("anonymous") is True, bound


def test_control_without_anonymous_fails_the_checks(lab, lessee_bin):
    """The same checks on a default client must fail: it sends a client
    identifier and keeps one option order (so the checks above can fail)."""
    cap = lab.client.capture()
    orders = []
    with Rogue(lab.server, short_lease_server(lease=600, t1=300, t2=500)):
        for _ in range(2):
            t0 = time.time()
            lsn = start(lab, lessee_bin, "--hostname", "box")
            lsn.wait_bound(timeout=15)
            lsn.stop(signal.SIGTERM, timeout=40)
            time.sleep(0.2)
            mine = [m for m in cap.dhcp() if m.from_client and m.time >= t0]
            orders += [(kind_of(m), tuple(m.option_order), prl_order(m)) for m in mine]
            try:
                check_anonymous(mine[0])
            except AssertionError as e:
                assert "client identifier" in str(e) or "host name" in str(e), e
            else:
                raise AssertionError("a default DISCOVER passed the anonymity checks")
    by_kind = {}
    for k, o, p in orders:
        by_kind.setdefault(k, set()).add((o, p))
    assert all(len(v) == 1 for v in by_kind.values()), by_kind


def test_anonymous_ignores_address_hint(lab, lessee_bin):
    """With a stored lease from a non-anonymous run, an anonymous start
    neither asks for that address (3.3) nor INIT-REBOOTs."""
    cap = lab.client.capture()
    with Rogue(lab.server, short_lease_server(lease=600, t1=300, t2=500)):
        lsn = start(lab, lessee_bin)
        lsn.wait_bound(timeout=15)
        lsn.stop(signal.SIGTERM, timeout=40)
        t0 = time.time()
        lsn = start(lab, lessee_bin, "--anonymous")
        lsn.wait_bound(timeout=15)
        lsn.stop(signal.SIGTERM, timeout=40)
    time.sleep(0.2)
    mine = [m for m in cap.dhcp() if m.from_client and m.time >= t0]
    assert kind_of(mine[0]) == "DISCOVER", [kind_of(m) for m in mine]
    for m in mine:
        check_anonymous(m)
