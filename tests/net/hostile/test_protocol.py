"""Protocol attacks (issue 7): well-formed messages that match lessee's xid
and chaddr but lie about what they offer, or come from a server lessee does
not talk to. Each case ends with the checks of conftest.py (alive, no
sanitizer report, configuration exactly as policy says) and, where an
honest server follows, a lease within a bound; the log must name the rule
that dropped the bad message.
"""

import time

import pytest

from harness import FOREVER, hook_calls, valid_lifetime, write_hook
from lab import CLIENT_MAC, wait_until
from rogue import (ACK, DISCOVER, FORCERENEW, NAK, OFFER, REQUEST, Burst, bootp,
                   good_options, opt, reply, serve_normally, udp_frame)

GOOD = "192.0.2.100"
OTHER = "192.0.2.66"      # a second server on the link, or what a lie offers
BIND_S = 8


def then_honest(bad_offer=None, bad_ack=None, address=GOOD, lease=600, extra=()):
    """Handler: bad_offer(req) frames before each honest OFFER, bad_ack(req)
    frames before each honest ACK; the honest server is serve_normally."""
    honest = serve_normally(address, lease=lease, extra=extra)

    def handler(req, rogue):
        bad = {DISCOVER: bad_offer, REQUEST: bad_ack}.get(req.type)
        return (list(bad(req)) if bad else []) + honest(req, rogue)
    return handler


def requested(r):
    return [q.requested for q in r.seen if q.type == REQUEST]


def assert_log(lsn, text):
    assert text in lsn.log(), f"the log does not say {text!r}:\n{lsn.log()}"


# ---------------------------------------------------------------- OFFERs

def test_offer_without_server_id_then_good_server(hostile):
    """An OFFER with no server identifier, and a good server right behind it
    on another host: a real client took such an OFFER and wedged for ever
    (DESIGN.md); lessee ignores it (RFC 2131 table 3: MUST carry 54)."""
    rogue_host = hostile.lab.add_host("rogue", addr=f"{OTHER}/24")

    def no_sid(req, rogue):
        if req.type != DISCOVER:
            return []
        opts = [o for o in good_options(OFFER, server=OTHER) if o[0] != 54]
        return [reply(req, OFFER, OTHER, opts, src_ip=OTHER, src_mac="02:00:00:00:02:42")]
    honest = serve_normally(GOOD)

    def late_honest(req, rogue):
        if req.type == DISCOVER:
            time.sleep(0.2)          # so that the bad OFFER is the first one
        return honest(req, rogue)
    bad = hostile.rogue(no_sid, host=rogue_host)
    good = hostile.rogue(late_honest)
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    assert OTHER not in requested(good) and bad.sent
    assert_log(lsn, "no server identifier")


def test_offer_without_server_id_does_not_wedge(hostile):
    """Only an OFFER without server identifier answers the first DISCOVER;
    the good server answers from the second on. The client that wedged
    here never sent another DISCOVER; lessee keeps selecting (RFC 2131 4.1
    retransmission) and binds on the next round."""
    honest = serve_normally(GOOD)

    def handler(req, rogue):
        if req.type == DISCOVER and rogue.types_seen().count(DISCOVER) == 1:
            opts = [o for o in good_options(OFFER) if o[0] != 54]
            return [reply(req, OFFER, OTHER, opts)]
        return honest(req, rogue)
    r = hostile.rogue(handler)
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=15)
    assert r.types_seen().count(DISCOVER) >= 2 and OTHER not in requested(r)
    assert_log(lsn, "no server identifier")


BAD_YIADDRS = ["0.0.0.0", "255.255.255.255", "127.0.0.1", "224.0.0.1", "192.0.2.255",
               "192.0.2.0", "240.0.0.1"]


@pytest.mark.parametrize("yiaddr", BAD_YIADDRS)
def test_offer_of_unusable_address(hostile, yiaddr):
    """OFFERs of this-network, limited broadcast, loopback, multicast, the
    subnet's broadcast and network addresses, class E: a client that
    configures them breaks the host's routing (RFC 1122 3.2.1.3; busybox
    udhcpc and others took any yiaddr). The honest OFFER right after binds."""
    r = hostile.rogue(then_honest(lambda req: [reply(req, OFFER, yiaddr)]))
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    assert yiaddr not in requested(r)
    assert_log(lsn, "yiaddr is not a usable unicast address")


@pytest.mark.parametrize("terms,reason", [
    pytest.param({"mask": m}, "subnet mask is not contiguous", id=f"mask-{m}")
    for m in ("255.0.255.0", "255.255.255.1", "0.255.255.255", "0.0.0.0")
] + [pytest.param({"lease": 0}, "lease time of 0", id="lease-0")])
def test_offer_with_bad_terms(hostile, terms, reason):
    """Non-contiguous (or zero) subnet masks: no prefix length exists for
    them, and a client that counts bits configures a wrong subnet. Lease
    time 0: a lease over before it starts (a client that took it renewed in
    a tight loop or divided by it). The honest OFFER right after binds."""
    bad = lambda req: [reply(req, OFFER, OTHER, good_options(OFFER, **terms))]
    r = hostile.rogue(then_honest(bad))
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    assert OTHER not in requested(r)
    assert_log(lsn, reason)


def test_lease_infinite(hostile):
    """Lease 0xffffffff is infinity (RFC 2131 3.3), not a number to add to
    the clock: the address is configured with no expiry, and no renewal
    timer overflows into an immediate renewal."""
    r = hostile.rogue(serve_normally(GOOD, lease=FOREVER))
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    assert valid_lifetime(hostile.client, GOOD) == FOREVER
    n = len(r.seen)
    time.sleep(1.5)
    assert len(r.seen) == n, f"messages after an infinite lease: {r.seen[n:]}"


@pytest.mark.parametrize("t1,t2,want", [
    pytest.param(500, 400, (300, 525), id="t1-over-t2"),
    pytest.param(100, 900, (300, 525), id="t2-over-lease"),
    pytest.param(700, 800, (300, 525), id="both-over-lease"),
    pytest.param(200, 400, (200, 400), id="sane"),
])
def test_renewal_times(hostile, t1, t2, want):
    """T1 > T2, T2 past the lease: both fall back to 0.5 and 0.875 of the
    lease (RFC 2131 4.4.5), so that a client never renews after it must
    rebind, or rebinds after expiry. Read from the hook's environment."""
    script, calls = write_hook(hostile.lab)
    extra = [opt(58, t1), opt(59, t2)]
    hostile.rogue(serve_normally(GOOD, lease=600, extra=extra))
    lsn = hostile.lessee("--acd", "off", hook=script)
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    bound = wait_until(lambda: [c for c in hook_calls(calls) if c.get("reason") == "BOUND"],
                       5, "the BOUND hook")
    env = bound[0]
    got = (int(env["new_dhcp_renewal_time"]), int(env["new_dhcp_rebinding_time"]))
    assert got == want, env


def test_renewal_time_zero_no_storm(hostile):
    """T1 = 0 (and a T2 of 1 s): taken at face value each ACK starts the next
    renewal at once, a REQUEST storm driven by the server. Counted over 3 s
    after binding: at most a few REQUESTs."""
    r = hostile.rogue(serve_normally(GOOD, lease=600, extra=[opt(58, 0), opt(59, 1)]))
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    n = r.types_seen().count(REQUEST)
    time.sleep(3)
    more = r.types_seen().count(REQUEST) - n
    assert more <= 4, f"{more} REQUESTs in 3 s after binding:\n{lsn.log()[-3000:]}"
    hostile.assert_healthy(lsn)


# ---------------------------------------------------------------- NAK, ACK

def nak_from(server, with_sid=True):
    def make(req):
        opts = [opt(53, bytes([NAK]))] + ([opt(54, [server])] if with_sid else [])
        return [reply(req, NAK, "0.0.0.0", opts, src_ip=server)]
    return make


@pytest.mark.parametrize("with_sid,reason", [
    pytest.param(True, "from a server we are not talking to", id="other-server"),
    pytest.param(False, "no server identifier", id="no-server-id"),
])
def test_nak_from_stranger_in_requesting(hostile, with_sid, reason):
    """A NAK from a server we did not choose (or from no server at all)
    while REQUESTING: a rogue that can NAK every exchange keeps a client
    off the network (RFC 2131 4.4.1: the REQUEST names its server)."""
    r = hostile.rogue(then_honest(bad_ack=nak_from(OTHER, with_sid)))
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    assert r.types_seen().count(DISCOVER) == 1, r.seen
    assert_log(lsn, reason)


def test_nak_from_stranger_while_renewing(hostile):
    """The same NAK during a unicast renewal (RENEWING talks to one server):
    the lease must stay, the address must not flap."""
    lease = 6
    r = hostile.rogue(then_honest(bad_ack=nak_from(OTHER), lease=lease))
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    renewals = lambda rg: [q for q in rg.seen if q.type == REQUEST and q.ciaddr != b"\0" * 4]
    r.wait_for(lambda rg: renewals(rg), lease, "a renewal")
    time.sleep(0.5)
    hostile.expect_lease(lsn, GOOD, timeout=1)
    assert r.types_seen().count(DISCOVER) == 1, r.seen
    assert_log(lsn, "from a server we are not talking to")


def test_ack_with_other_yiaddr(hostile):
    """An ACK for another address than the one OFFERed and requested: a
    client that took it configured an address nobody leased to it."""
    wrong = "192.0.2.101"
    bad = lambda req: [reply(req, ACK, wrong)]
    r = hostile.rogue(then_honest(bad_ack=bad))
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    assert_log(lsn, "yiaddr is not the address we asked for")
    assert r.types_seen().count(DISCOVER) == 1


# ---------------------------------------------------------------- floods

def test_offer_flood_with_wrong_xids(hostile):
    """10,000 OFFERs with our chaddr and wrong xids from a second host while
    the real server answers: a client that parses and logs each must still
    bind in bounded time (a rogue's cheap denial of service)."""
    count = 10000
    rogue_host = hostile.lab.add_host("flood", addr=f"{OTHER}/24")
    flooder = hostile.rogue(lambda req, rogue: [], host=rogue_host)
    good = hostile.rogue(serve_normally(GOOD))

    class Fake:
        xid = b"\0\0\0\0"
        flags = 0x8000
        chaddr = bytes.fromhex(CLIENT_MAC.replace(":", "")) + b"\0" * 10

    def frame(i):
        fake = Fake()
        fake.xid = (0x5a000000 + i).to_bytes(4, "big")
        return udp_frame(bootp(fake, OFFER, OTHER, good_options(OFFER, server=OTHER)),
                         src_ip=OTHER, src_mac="02:00:00:00:02:42")
    burst = Burst(flooder, frame, count, seconds=30, per_second=4000).start()
    t0 = time.monotonic()
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=15)
    bound_s = time.monotonic() - t0
    sent = burst.join()
    assert sent >= count * 0.95, f"only {sent} of {count} flood frames went out"
    assert good.seen and good.seen[0].type == DISCOVER
    assert burst.ended_at > t0 + bound_s * 0.5, "the flood was over before lessee began"
    assert OTHER not in requested(good)
    print(f"flood: {sent} OFFERs with wrong xids; lease in {bound_s:.2f} s")
    hostile.assert_healthy(lsn)


def test_forcerenew_ignored(hostile):
    """DHCPFORCERENEW without RFC 6704 authentication (RFC 3203 requires it):
    anyone on the link could make the client drop or renew its lease at
    will. Sent with the exchange's xid and the real server's identifier,
    broadcast and unicast: ignored, no REQUEST follows, the lease stays."""
    r = hostile.rogue(serve_normally(GOOD))
    lsn = hostile.lessee("--acd", "off")
    hostile.expect_lease(lsn, GOOD, timeout=BIND_S)
    last = r.seen[-1]
    n = len(r.seen)
    opts = [opt(53, bytes([FORCERENEW])), opt(54, ["192.0.2.1"])]
    frames = []
    for xid in (last.xid, b"\x12\x34\x56\x78"):
        body = bootp(last, FORCERENEW, "0.0.0.0", opts, ciaddr=GOOD, xid=xid)
        frames.append(udp_frame(body))
        frames.append(udp_frame(body, dst_mac=CLIENT_MAC, dst_ip=GOOD))
    r.send(frames)
    time.sleep(1.5)
    assert len(r.seen) == n, f"lessee answered a FORCERENEW: {r.seen[n:]}"
    hostile.expect_lease(lsn, GOOD, timeout=1)
    assert_log(lsn, "ignored FORCERENEW")
