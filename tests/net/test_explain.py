"""lessee --explain against the wire (issue 9): what `lessee --explain --json`
prints must be what lessee then sends, field by field and option by option.

Each test runs --explain in the lab's client host with the very arguments
the daemon is then started with, checks that nothing left the client while
it ran (the capture on its switch port stays empty), then runs lessee for
real and compares what it sent with the explanation:

- against dnsmasq: the DISCOVER, the REQUEST in SELECTING and the renewing
  REQUEST (T1 = 3 s);
- against the rogue of tests/net/hostile playing the explanation's own
  fictitious server (192.0.2.1 offering 192.0.2.100): the same three, the
  REBINDING REQUEST (T1 2 s, T2 4 s, renewals unanswered), then after a
  restart on the stored lease the INIT-REBOOT REQUEST at start (none in
  anonymous mode, and none goes out), the INIT-REBOOT REQUEST on carrier
  return, and the RELEASE of `lessee -r` (none in anonymous mode, and none
  goes out); and, with another host on the offered address, the DECLINE
  (--acd fast).

Values that come from the server (the placeholders: requested-ip,
server-id, the leased ciaddr, the unicast destination) are compared for
presence and shape, not value (against the rogue they are also checked to be
the placeholders' own); xid is random; secs is compared where it does not
depend on timing (0 in the first DISCOVER, not 0 in REBINDING). In anonymous
mode options are shuffled per message (RFC 7844 3.1), so option sets and
the PRL are compared as sets.

The comparison must be able to fail: after each match, mutated explanations
(an option dropped or added, a PRL reordered, a value changed, a destination
flipped, a header field changed) are compared with the same frames and each
must be reported.
"""

import copy
import json
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile"))

from harness import Lessee, is_broadcast                                    # noqa: E402
from lab import CLIENT_MAC, SERVER_IP, read_pcap_records, Dhcp              # noqa: E402
from rogue import ACK, DISCOVER, OFFER, REQUEST, Rogue, good_options, opt, reply  # noqa: E402
from test_anonymity import kind_of                                          # noqa: E402

SHORT = dict(lease=20, t1=3, t2=100)     # dnsmasq: lease 120 s (its floor), renew at 3 s
SERVER_SIDE = {50, 54}                   # option values the fictitious server stands for
NAMED = ["--hostname", "explain-lab", "--vendor-class", "lessee-explain-test"]

dnsmasq_only = pytest.mark.parametrize(
    "kind", [pytest.param("dnsmasq", marks=pytest.mark.dnsmasq, id="dnsmasq")])


# ----------------------------------------------------------------- the wire

class Frame:
    """A client message from the capture: lab.Dhcp plus the header bytes
    lab.Dhcp does not decode (htype, hlen, hops, secs)."""

    def __init__(self, t, eth_src, eth_dst, ip_src, ip_dst, payload):
        self.d = Dhcp(t, eth_src, eth_dst, ip_src, ip_dst, 68, 67, payload)
        self.payload = payload
        self.header = {
            "op": "BOOTREQUEST" if payload[0] == 1 else str(payload[0]),
            "htype": payload[1], "hlen": payload[2], "hops": payload[3],
            "secs": int.from_bytes(payload[8:10], "big"), "flags": self.d.flags,
            "ciaddr": self.d.ciaddr, "yiaddr": self.d.yiaddr, "siaddr": self.d.siaddr,
            "giaddr": self.d.giaddr, "chaddr": self.d.chaddr,
            "sname": "" if not any(payload[44:108]) else "(not empty)",
            "file": "" if not any(payload[108:236]) else "(not empty)",
        }

    def __repr__(self):
        return repr(self.d)


def client_frames(cap):
    """Every DHCP message the client sent, in order (decoded here, with
    scapy for the framing, not with lessee's code)."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    out = []
    for t, raw in read_pcap_records(cap.path):
        e = Ether(raw)
        if IP not in e or UDP not in e or e[UDP].sport != 68 or e[UDP].dport != 67:
            continue
        try:
            out.append(Frame(t, e.src, e.dst, e[IP].src, e[IP].dst, bytes(e[UDP].payload)))
        except ValueError:
            continue
    return out


def client_frames_after(cap, after):
    return [f for f in client_frames(cap) if f.d.time > after]


def wait_frame(cap, pred, timeout, what, after=0.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for f in client_frames_after(cap, after):
            if pred(f):
                return f
        time.sleep(0.1)
    raise AssertionError(f"no {what} within {timeout} s:\n{cap.summary()}")


# ----------------------------------------------------------------- compare

def differences(expl, frame, shuffled):
    """What differs between one explained message and one frame; [] if none."""
    errs = []
    fields = {f["name"]: f["value"] for f in expl["fields"]}
    for name in ("op", "htype", "hlen", "hops", "flags", "yiaddr", "siaddr", "giaddr",
                 "chaddr", "sname", "file"):
        if fields.get(name) != frame.header[name]:
            errs.append(f"{name}: explained {fields.get(name)!r}, sent {frame.header[name]!r}")
    # ciaddr: the leased address is server-side; zero or not must agree.
    if (fields["ciaddr"] == "0.0.0.0") != (frame.header["ciaddr"] == "0.0.0.0"):
        errs.append(f"ciaddr: explained {fields['ciaddr']}, sent {frame.header['ciaddr']}")
    if (expl["destination"] == "broadcast") != is_broadcast(frame.d):
        errs.append(f"destination: explained {expl['destination']}, sent to "
                    f"{frame.d.ip_dst} ({frame.d.eth_dst})")
    want = {o["code"]: bytes.fromhex(o["hex"]) for o in expl["options"]}
    got = frame.d.options
    if set(want) != set(got):
        errs.append(f"option set: explained {sorted(want)}, sent {sorted(got)}")
    for code in sorted(set(want) & set(got)):
        if code in SERVER_SIDE:
            if len(want[code]) != len(got[code]):
                errs.append(f"option {code}: explained {len(want[code])} bytes, "
                            f"sent {len(got[code])}")
        elif code == 55 and shuffled:
            if sorted(want[code]) != sorted(got[code]):
                errs.append(f"PRL set: explained {list(want[code])}, sent {list(got[code])}")
        elif want[code] != got[code]:
            errs.append(f"option {code}: explained {want[code].hex()}, sent {got[code].hex()}")
    if not shuffled and expl["option_order"]["codes"] != frame.d.option_order:
        errs.append(f"option order: explained {expl['option_order']['codes']}, "
                    f"sent {frame.d.option_order}")
    return errs


def assert_same(expl, frame, shuffled, what):
    errs = differences(expl, frame, shuffled)
    assert not errs, f"{what}: --explain and the wire disagree:\n  " + "\n  ".join(errs) + \
        f"\nexplained: {json.dumps(expl)[:3000]}\nsent: {frame!r}"


def mutations(expl, shuffled):
    """Explanations that must not match the frame expl matches. DECLINE and
    RELEASE carry no PRL (RFC 2131 table 5), anonymous messages no client
    id: the mutations fit the message."""
    def option_of(m, code):
        return [o for o in m["options"] if o["code"] == code][0]

    def mutated(what, change):
        m = copy.deepcopy(expl)
        change(m)
        out.append((what, m))

    def set_field(m, name, value):
        for f in m["fields"]:
            if f["name"] == name:
                f["value"] = value

    codes = {o["code"] for o in expl["options"]}
    out = []
    if 55 in codes:
        prl = bytes.fromhex(option_of(expl, 55)["hex"])
        mutated("PRL dropped", lambda m: m.update(
            options=[o for o in m["options"] if o["code"] != 55]))
        mutated("PRL with one more code",
                lambda m: option_of(m, 55).update(hex=(prl + bytes([252])).hex()))
        if not shuffled:
            mutated("PRL reversed", lambda m: option_of(m, 55).update(hex=prl[::-1].hex()))
    else:
        mutated("PRL added", lambda m: m["options"].append({"code": 55, "hex": "0103"}))
    if not shuffled:
        mutated("option order reversed",
                lambda m: m["option_order"].update(codes=m["option_order"]["codes"][::-1]))
    if 61 in codes and not shuffled:
        mutated("client id changed", lambda m: option_of(m, 61).update(hex="01" + "00" * 6))
    mutated("message type changed", lambda m: option_of(m, 53).update(hex="08"))
    mutated("destination flipped", lambda m: m.update(
        destination="unicast" if m["destination"] == "broadcast" else "broadcast"))
    mutated("chaddr changed", lambda m: set_field(m, "chaddr", "02:00:00:00:02:65"))
    ciaddr = {f["name"]: f["value"] for f in expl["fields"]}["ciaddr"]
    mutated("ciaddr zero-ness flipped", lambda m: set_field(
        m, "ciaddr", "192.0.2.100" if ciaddr == "0.0.0.0" else "0.0.0.0"))
    mutated("rapid commit added", lambda m: m["options"].append({"code": 80, "hex": ""}))
    return out


def assert_mutations_caught(expl, frame, shuffled):
    for what, m in mutations(expl, shuffled):
        assert differences(m, frame, shuffled), f"the comparison missed a mutation: {what}"


# ----------------------------------------------------------------- runs

def explain(net, le, *extra):
    r = net.client.run(le.argv("--explain", "--json", *extra), check=False, timeout=30)
    assert r.returncode == 0, f"--explain failed: {r.stderr}"
    doc = json.loads(r.stdout)
    assert doc["sent"] is False and doc["interface"] == "eth0", doc
    assert doc["mac"] == CLIENT_MAC, doc["mac"]
    return doc


def explain_sending_nothing(net, cap, le, extra, after=0.0):
    """--explain with extra; nothing from the client reaches the capture."""
    doc = explain(net, le, *extra)
    time.sleep(0.5)      # anything --explain sent would be in the capture by now
    sent = client_frames_after(cap, after)
    assert not sent, f"--explain sent something: {sent}"
    assert doc["anonymous"] is ("--anonymous" in extra)
    return doc


def message(doc, type_, state, trigger=None):
    """The one explained message of type_ in state (two INIT-REBOOT
    REQUESTs are told apart by a word of their trigger)."""
    ms = [m for m in doc["messages"] if m["type"] == type_ and m["state"] == state
          and (trigger is None or trigger in m["trigger"])]
    assert len(ms) == 1, f"{type_} in {state}: {[(m['type'], m['state']) for m in doc['messages']]}"
    return ms[0]


def not_sent(doc):
    return {(n["type"], n["state"]) for n in doc["not_sent"]}


def assert_matches(expl, frame, shuffled, what):
    """The frame is what was explained, and every mutation of the
    explanation is told apart from it."""
    assert_same(expl, frame, shuffled, what)
    assert_mutations_caught(expl, frame, shuffled)


def run_and_compare(net, extra, shuffled):
    le = net.lessee()
    doc = explain_sending_nothing(net, net.cap, le, extra)

    le.start(*extra)
    addr = le.wait_bound()
    discover = wait_frame(net.cap, lambda f: f.d.type == "DISCOVER", 5, "DISCOVER")
    selecting = wait_frame(net.cap, lambda f: f.d.type == "REQUEST" and 54 in f.d.options,
                           5, "REQUEST in SELECTING")
    renewing = wait_frame(net.cap, lambda f: f.d.type == "REQUEST" and f.d.ciaddr == addr,
                          SHORT["t1"] + 8, "renewing REQUEST")

    e_dis = message(doc, "DISCOVER", "INIT")
    assert_matches(e_dis, discover, shuffled, "DISCOVER")
    assert e_dis["fields"][5]["name"] == "secs"
    assert discover.header["secs"] == e_dis["fields"][5]["value"] == 0
    assert_matches(message(doc, "REQUEST", "SELECTING"), selecting, shuffled,
                   "REQUEST in SELECTING")
    assert selecting.d.requested_ip == addr and selecting.d.server_id == SERVER_IP
    assert_matches(message(doc, "REQUEST", "RENEWING"), renewing, shuffled,
                   "REQUEST in RENEWING")
    assert renewing.d.ip_dst == SERVER_IP and renewing.d.ip_src == addr, renewing
    le.stop()
    return doc


@dnsmasq_only
@pytest.mark.server_config(**SHORT)
def test_explain_matches_wire(net):
    """Host name and vendor class set: every option, its bytes and the
    option order as explained, in DISCOVER, REQUEST and the renewal."""
    doc = run_and_compare(net, NAMED, shuffled=False)
    o = {x["code"]: x for x in message(doc, "DISCOVER", "INIT")["options"]}
    assert o[12]["identifies"] and o[60]["identifies"] and o[61]["identifies"], o


@dnsmasq_only
@pytest.mark.server_config(**SHORT)
def test_explain_matches_wire_anonymous(net):
    """RFC 7844: the same option sets as explained, in any order; no
    client id, host name or vendor class on the wire or in the explanation."""
    doc = run_and_compare(net, ["--anonymous"], shuffled=True)
    for m in doc["messages"]:
        assert not {12, 60, 61, 57} & {o["code"] for o in m["options"]}, m
    assert {n["type"] for n in doc["not_sent"]} >= {"RELEASE"}


@dnsmasq_only
def test_explain_needs_no_privilege(net):
    """As nobody, with no capability: the same messages, nothing sent."""
    le = net.lessee()
    as_root = explain(net, le)
    r = net.client.run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                        "--inh-caps=-all", "--bounding-set=-all"] +
                       le.argv("--explain", "--json"), check=False, timeout=30)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    strip = lambda d: [(m["type"], m["state"], m["options"]) for m in d["messages"]]
    assert strip(doc) == strip(as_root)
    time.sleep(0.5)
    assert not client_frames(net.cap), f"--explain sent something:\n{net.cap.summary()}"


# ----------------------------------------------------------------- the rogue

# The rogue plays the explanation's fictitious server: its address and the
# address it offers are the placeholders (checked against the document).
ADDRESS = "192.0.2.100"
FIRST = dict(lease=8, t1=2, t2=4)          # RENEWING at 2 s, REBINDING at 4 s
LATER = dict(lease=600, t1=300, t2=500)    # BOUND for the rest of the test
MODES = pytest.mark.parametrize("extra, shuffled", [(NAMED, False), (["--anonymous"], True)],
                                ids=["default", "anonymous"])


def placeholder_server():
    """OFFER/ACK 192.0.2.100 from 192.0.2.1 with short timers; a renewing
    REQUEST (unicast) gets no answer, so REBINDING follows at T2; the
    rebinding REQUEST and every exchange after it are ACKed with a long
    lease (INIT-REBOOT verifies, a new DISCOVER in anonymous mode)."""
    def answer(req, msgtype, timers):
        extra = [opt(58, timers["t1"]), opt(59, timers["t2"])]
        return [reply(req, msgtype, ADDRESS,
                      good_options(msgtype, lease=timers["lease"], extra=extra))]

    def handler(req, rogue):
        timers = LATER if rogue.state.get("rebound") else FIRST
        if req.type == DISCOVER:
            return answer(req, OFFER, timers)
        if req.type != REQUEST:
            return []
        if req.ciaddr != b"\0\0\0\0":
            if req.ip_dst != b"\xff" * 4:
                return []                     # RENEWING: unanswered
            rogue.state["rebound"] = True
            timers = LATER
        return answer(req, ACK, timers)
    return handler


def assert_placeholders_real(doc, frame):
    """Against the rogue, the server-side values the comparison takes for
    presence and length are the placeholders' own values."""
    p = doc["placeholders"]
    assert (p["server"], p["address"]) == (SERVER_IP, ADDRESS), p
    for code, want in ((50, ADDRESS), (54, SERVER_IP)):
        if code in frame.d.options:
            assert frame.d.ip_option(code) == want, frame
    assert frame.d.ciaddr in ("0.0.0.0", ADDRESS), frame
    if not is_broadcast(frame.d):
        assert frame.d.ip_dst == SERVER_IP and frame.d.ip_src == ADDRESS, frame


def compare(doc, frame, shuffled, type_, state, trigger=None):
    assert_matches(message(doc, type_, state, trigger), frame, shuffled,
                   f"{type_} in {state}" + (f" ({trigger})" if trigger else ""))
    assert_placeholders_real(doc, frame)


def first_run(lab, cap, le, extra, shuffled):
    """Bind, let T1 and T2 pass: DISCOVER, REQUEST in SELECTING, RENEWING
    and REBINDING as explained."""
    doc = explain_sending_nothing(lab, cap, le, extra)
    le.start(*extra)
    assert le.wait_bound() == ADDRESS
    rebinding = wait_frame(cap, lambda f: kind_of(f.d) == "REBINDING", FIRST["t2"] + 8,
                           "a rebinding REQUEST")
    frames = {kind_of(f.d): f for f in reversed(client_frames(cap))}    # the first of each
    compare(doc, frames["DISCOVER"], shuffled, "DISCOVER", "INIT")
    compare(doc, frames["SELECTING"], shuffled, "REQUEST", "SELECTING")
    compare(doc, frames["RENEWING"], shuffled, "REQUEST", "RENEWING")
    compare(doc, rebinding, shuffled, "REQUEST", "REBINDING")
    secs = {f["name"]: f["value"] for f in message(doc, "REQUEST", "REBINDING")["fields"]}
    # RFC 2131 4.4.5: secs counts from the first REQUEST of the renewal.
    assert secs["secs"] > 0 and rebinding.header["secs"] > 0, (secs, rebinding.header)
    assert le.stop() == 0, le.log()


def restart_on_stored_lease(lab, cap, le, extra, shuffled):
    """Start again on the lease file: an INIT-REBOOT REQUEST as explained,
    or, anonymous, none explained and a DISCOVER on the wire (RFC 7844)."""
    t = time.time()
    doc = explain_sending_nothing(lab, cap, le, extra, after=t)
    le.start(*extra)
    assert le.wait_bound() == ADDRESS
    first = client_frames_after(cap, t)[0]
    if shuffled:
        assert ("REQUEST", "INIT-REBOOT") in not_sent(doc), doc["not_sent"]
        assert kind_of(first.d) == "DISCOVER", first
    else:
        assert kind_of(first.d) == "INIT-REBOOT", first
        compare(doc, first, shuffled, "REQUEST", "INIT-REBOOT", trigger="stored lease")
    return doc


def carrier_flap(lab, cap, doc, shuffled):
    """Carrier lost and back while bound: the INIT-REBOOT as explained."""
    lab.client.carrier_off()
    time.sleep(1)
    t = time.time()
    lab.client.carrier_on()
    verify = wait_frame(cap, lambda f: f.d.type == "REQUEST", 8,
                        "a REQUEST after carrier return", after=t)
    compare(doc, verify, shuffled, "REQUEST", "INIT-REBOOT", trigger="carrier")
    cap.wait_dhcp(lambda m: m.type == "ACK" and m.xid == verify.d.xid, 5,
                  "the rogue's ACK of the verifying REQUEST", after=t)


def release(cap, le, doc, extra, shuffled):
    """lessee -r: the RELEASE as explained, or, anonymous, none explained
    and none on the wire (RFC 7844 section 3)."""
    time.sleep(0.5)       # the ACK of the carrier check taken: BOUND again
    t = time.time()
    rc, _, r = le.run("-r", *extra, timeout=20)
    assert rc == 0, r.stderr
    time.sleep(0.3)
    after = client_frames_after(cap, t)
    if shuffled:
        assert ("RELEASE", "BOUND") in not_sent(doc), doc["not_sent"]
        assert not after, f"an anonymous -r sent {after}"
    else:
        assert [f.d.type for f in after] == ["RELEASE"], after
        compare(doc, after[0], shuffled, "RELEASE", "BOUND")


@MODES
def test_explain_matches_wire_rebinding_reboot_release(lab, lessee_bin, extra, shuffled):
    """Against the placeholder server: REBINDING after unanswered renewals,
    then a restart on the stored lease, a carrier flap and -r."""
    cap = lab.client.capture()
    le = Lessee(lab, lessee_bin)
    with Rogue(lab.server, placeholder_server()):
        first_run(lab, cap, le, extra, shuffled)
        doc = restart_on_stored_lease(lab, cap, le, extra, shuffled)
        carrier_flap(lab, cap, doc, shuffled)
        release(cap, le, doc, extra, shuffled)
        le.wait_exit(10)


@MODES
def test_explain_matches_wire_decline(lab, lessee_bin, extra, shuffled):
    """Another host holds the offered address: the DECLINE after the ARP
    conflict (--acd fast) as explained (RFC 2131 table 5, RFC 5227 2.1.1)."""
    lab.add_host("h3", addr=f"{ADDRESS}/24")
    cap = lab.client.capture()
    le = Lessee(lab, lessee_bin)
    with Rogue(lab.server, placeholder_server()):
        doc = explain_sending_nothing(lab, cap, le, extra)
        le.start(*extra)
        decline = wait_frame(cap, lambda f: f.d.type == "DECLINE", 8, "a DECLINE")
        le.stop()
    compare(doc, decline, shuffled, "DECLINE", "CHECKING")
