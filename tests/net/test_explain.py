"""lessee --explain against the wire (issue 9): what `lessee --explain --json`
prints must be what lessee then sends, field by field and option by option.

Each test runs --explain in the lab's client host with the very arguments
the daemon is then started with, checks that nothing left the client while
it ran (the capture on its switch port stays empty), then runs lessee for
real against dnsmasq and compares the DISCOVER, the REQUEST in SELECTING and
the renewing REQUEST (T1 = 3 s) with the explanation. Values that come from
the server (the placeholders: requested-ip, server-id, the leased ciaddr, the
unicast destination) are compared for presence and shape, not value; xid is
random; secs is compared where it does not depend on timing (the first
DISCOVER). In anonymous mode options are shuffled per message (RFC 7844 3.1),
so option sets and the PRL are compared as sets.

The comparison must be able to fail: after each match, mutated explanations
(an option dropped, a PRL reordered, a value changed, a destination flipped,
a header field changed) are compared with the same frames and each must be
reported.
"""

import copy
import json
import time

import pytest

from harness import is_broadcast
from lab import CLIENT_MAC, SERVER_IP, read_pcap_records, Dhcp

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


def wait_frame(cap, pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for f in client_frames(cap):
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
    """Explanations that must not match the frame expl matches."""
    def opt(m, code):
        return [o for o in m["options"] if o["code"] == code][0]

    out = []
    m = copy.deepcopy(expl)
    m["options"] = [o for o in m["options"] if o["code"] != 55]
    out.append(("PRL dropped", m))
    m = copy.deepcopy(expl)
    prl = bytes.fromhex(opt(m, 55)["hex"])
    opt(m, 55)["hex"] = (prl + bytes([252])).hex()
    out.append(("PRL with one more code", m))
    if not shuffled:
        m = copy.deepcopy(expl)
        opt(m, 55)["hex"] = prl[::-1].hex()
        out.append(("PRL reversed", m))
        m = copy.deepcopy(expl)
        m["option_order"]["codes"] = m["option_order"]["codes"][::-1]
        out.append(("option order reversed", m))
        m = copy.deepcopy(expl)
        opt(m, 61)["hex"] = "01" + "00" * 6
        out.append(("client id changed", m))
    m = copy.deepcopy(expl)
    m["destination"] = "unicast" if m["destination"] == "broadcast" else "broadcast"
    out.append(("destination flipped", m))
    m = copy.deepcopy(expl)
    for f in m["fields"]:
        if f["name"] == "chaddr":
            f["value"] = "02:00:00:00:02:65"
    out.append(("chaddr changed", m))
    m = copy.deepcopy(expl)
    m["options"].append({"code": 80, "hex": ""})
    out.append(("rapid commit added", m))
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


def message(doc, type_, state):
    ms = [m for m in doc["messages"] if m["type"] == type_ and m["state"] == state]
    assert len(ms) == 1, f"{type_} in {state}: {[(m['type'], m['state']) for m in doc['messages']]}"
    return ms[0]


def run_and_compare(net, extra, shuffled):
    le = net.lessee()
    doc = explain(net, le, *extra)
    time.sleep(0.5)      # anything --explain sent would be in the capture by now
    assert not client_frames(net.cap), f"--explain sent something:\n{net.cap.summary()}"
    assert doc["anonymous"] is shuffled

    le.start(*extra)
    addr = le.wait_bound()
    discover = wait_frame(net.cap, lambda f: f.d.type == "DISCOVER", 5, "DISCOVER")
    selecting = wait_frame(net.cap, lambda f: f.d.type == "REQUEST" and 54 in f.d.options,
                           5, "REQUEST in SELECTING")
    renewing = wait_frame(net.cap, lambda f: f.d.type == "REQUEST" and f.d.ciaddr == addr,
                          SHORT["t1"] + 8, "renewing REQUEST")

    e_dis = message(doc, "DISCOVER", "INIT")
    assert_same(e_dis, discover, shuffled, "DISCOVER")
    assert e_dis["fields"][5]["name"] == "secs"
    assert discover.header["secs"] == e_dis["fields"][5]["value"] == 0
    e_sel = message(doc, "REQUEST", "SELECTING")
    assert_same(e_sel, selecting, shuffled, "REQUEST in SELECTING")
    assert selecting.d.requested_ip == addr and selecting.d.server_id == SERVER_IP
    e_ren = message(doc, "REQUEST", "RENEWING")
    assert_same(e_ren, renewing, shuffled, "REQUEST in RENEWING")
    assert renewing.d.ip_dst == SERVER_IP and renewing.d.ip_src == addr, renewing
    for e, f in ((e_dis, discover), (e_sel, selecting), (e_ren, renewing)):
        assert_mutations_caught(e, f, shuffled)
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
