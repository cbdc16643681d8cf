"""Injection attacks (issue 7): a rogue server puts shell metacharacters,
quotes, newlines, NUL, format strings, non-UTF-8 and over-long text into
every string option, hoping one reaches a hook script, a file or the kernel
as is -- the dhclient-script and NetworkManager command injections.

Where the strings go in lessee (DESIGN.md, src/client/lease.c,
src/lessee/validate.c, hookenv.c): only the domain name (15) and the search
list (119) reach anything, and only if each is an RFC 1035 host name
(letters, digits, inner hyphens, dots; dns_is_host_name in src/wire/dns.c).
The engine drops a name that is not one (the domain name, or that one
search name, keeping the others) with a warning that shows it escaped, and
the lease stands without it, as dhclient, dhcpcd and systemd-networkd do;
apply checks the names again before anything is written. Every other string
option (host name, root path, NIS domain, TFTP server, boot file, WPAD,
captive portal, FQDN, message ...) is used nowhere: it must not show up in
a hook's environment, the JSON lines, the lease file or resolv.conf.

The hook used here is careless on purpose: it eval's every new_/old_ value
and writes resolv.conf lines from them unquoted, as the hooks behind
CVE-2011-0997 and CVE-2018-1111 did, so a value that got through would run
`touch PWNED` (test_hook_trap_fires proves the trap works).
"""

import os
import signal

import pytest

from harness import hook_calls, resolv_conf
from lab import wait_until
from rogue import DISCOVER, REQUEST, opt, serve_normally

ADDR = "192.0.2.100"

HOOK = """#!/bin/sh
# Records its environment, then uses every new_/old_ value the careless way
# (eval, unquoted echo into a resolv.conf-like file): a trap for anything
# lessee lets through.
f="{calls}/call.$(/bin/date +%s%N).$$"
/usr/bin/env -0 > "$f.tmp" && /bin/mv "$f.tmp" "$f"
for name in $(/usr/bin/env | /bin/sed -n 's/^\\(\\(new\\|old\\)_[a-z0-9_]*\\)=.*/\\1/p'); do
    eval "value=\\${{$name}}"
    eval "echo $value" > /dev/null 2>&1
done
echo "domain $new_domain_name" >> "{resolv}"
echo "search $new_domain_search" >> "{resolv}"
exit 0
"""

# The variables hookenv.c may set (DESIGN.md "Hooks"), and the PWD that
# /bin/sh sets itself; nothing else.
HOOK_VARS = {"reason", "interface", "medium", "PATH", "anonymous", "PWD"} | {
    f"{p}_{n}" for p in ("new", "old") for n in (
        "ip_address", "subnet_mask", "network_number", "broadcast_address", "routers",
        "rfc3442_classless_static_routes", "domain_name_servers", "ntp_servers",
        "domain_name", "domain_search", "interface_mtu", "dhcp_lease_time",
        "dhcp_renewal_time", "dhcp_rebinding_time", "dhcp_server_identifier", "expiry")}


class Trap:
    """The careless hook, its records and the file an injected command
    would create."""

    def __init__(self, lab):
        self.lab = lab
        self.pwned = lab.path("PWNED")
        self.calls = lab.path("hook-calls")
        self.resolv = lab.path("hook-resolv")
        self.script = lab.path("hook.sh")
        os.makedirs(self.calls, exist_ok=True)
        with open(self.script, "w") as f:
            f.write(HOOK.format(calls=self.calls, resolv=self.resolv))
        os.chmod(self.script, 0o755)

    def payload(self, text):
        return text.replace("{F}", self.pwned) if isinstance(text, str) else text

    def env_calls(self):
        return hook_calls(self.calls)

    def resolv_lines(self):
        if not os.path.exists(self.resolv):
            return []
        with open(self.resolv, "rb") as f:
            return f.read().decode(errors="replace").splitlines()

    def assert_not_fired(self):
        assert not os.path.exists(self.pwned), "an injected command ran"
        for line in self.resolv_lines():
            assert line.split(" ")[0] in ("domain", "search"), f"injected hook line {line!r}"


@pytest.fixture
def trap(lab):
    return Trap(lab)


def to_bytes(value):
    return value.encode() if isinstance(value, str) else value


def no_injected_lines(text, what):
    """No line of text was written by the payload (a nameserver 6.6.6.6 or a
    touch command on a line of its own)."""
    for line in text.splitlines():
        assert "6.6.6.6" not in line and not line.lstrip().startswith("touch"), \
            f"injected line in {what}: {line!r}\n{text}"


def no_forged_log_lines(log):
    """Every line lessee wrote starts with its own tag: a newline in a name
    it quotes did not start a line of the attacker's."""
    for line in log.splitlines():
        if line.startswith("--- "):      # the harness's headers
            continue
        assert line.startswith("lessee[") or not line.strip(), f"forged log line {line!r}"


def assert_lease_file_clean(path):
    """The lease file, if any, is printable ASCII and holds no payload."""
    if not os.path.exists(path):
        return
    with open(path, "rb") as f:
        raw = f.read()
    assert all(b == 0x0a or 0x20 <= b < 0x7f for b in raw), raw
    assert b"touch" not in raw and b"6.6.6.6" not in raw, raw


def check_after(hostile, lsn, trap):
    """What every case ends with: nothing ran, no file or log line was
    forged, the lease file holds nothing of the payload."""
    trap.assert_not_fired()
    for env in trap.env_calls():
        assert set(env) <= HOOK_VARS, f"unexpected hook variables {set(env) - HOOK_VARS}"
        for k, v in env.items():
            assert "touch" not in v and "6.6.6.6" not in v, f"{k}={v!r} reached the hook"
    no_injected_lines(hostile.client.read_resolv_conf(), "resolv.conf")
    no_forged_log_lines(lsn.log())
    assert_lease_file_clean(lsn.lease_file)


def test_hook_trap_fires(lab, trap):
    """The trap is armed: fed a bad value directly, the careless hook runs
    the injected command (so the other cases can fail)."""
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "reason": "BOUND",
           "new_domain_name": f"$(touch {trap.pwned})"}
    lab.client.run([trap.script], env=env)
    assert os.path.exists(trap.pwned)


# ---------------------------------------------------------------- option 15

def labels(*names):
    return ".".join(names)


LONG_254 = labels("a" * 63, "b" * 63, "c" * 63, "d" * 62)
LONG_400 = labels(*["e" * 63] * 6) + ".example.com"

# (id, value): every one is dropped by the engine and the lease kept.
DOMAIN_CASES = [
    ("semicolon", "example.com; touch {F}"),
    ("command-substitution", "$(touch {F}).example.com"),
    ("backticks", "`touch {F}`.example.com"),
    ("pipe", "example.com|touch {F}"),
    ("and", "example.com&&touch {F}"),
    ("redirect", "example.com>{F}"),
    ("quotes", "a'\"; touch {F}; echo \"'"),
    ("newline-nameserver", "example.com\nnameserver 6.6.6.6"),
    ("newline-command", "example.com\ntouch {F}"),
    ("format-string", "%n%n%s%s%x.example.com"),
    ("non-utf8", b"\xff\xfe\xc3(.example.com"),
    ("leading-dash", "-oProxyCommand=touch {F}"),
    ("space", "example.com lab.example.org"),
    ("underscore", "corp_ad.example.com"),
    ("long-254", LONG_254),
    ("nul", "example.com\0; touch {F}"),
    ("long-400", LONG_400),
]


def bound_hooks(trap):
    return wait_until(lambda: [e for e in trap.env_calls() if e.get("reason") == "BOUND"], 5,
                      "the BOUND hook")


@pytest.mark.parametrize("value", [c[1] for c in DOMAIN_CASES], ids=[c[0] for c in DOMAIN_CASES])
def test_domain_name(hostile, trap, value):
    """Domain name (option 15) with shell metacharacters, quotes, newlines,
    NUL, format strings, non-UTF-8, a leading '-' (an option to resolvectl),
    an underscore (an AD domain), over-long: ISC dhclient CVE-2011-0997 and
    NetworkManager's dhclient hook CVE-2018-1111 ran such names in a root
    shell; busybox udhcpc's CVE-2011-2716 was the same through its script.
    The engine drops the name with a warning and keeps the lease (as
    dhclient, dhcpcd and networkd do): the address, no domain in
    resolv.conf, no new_domain_name in the hook."""
    value = trap.payload(value)
    hostile.rogue(serve_normally(ADDR, extra=[opt(15, to_bytes(value))]))
    lsn = hostile.lessee("--acd", "off", hook=trap.script)
    hostile.expect_lease(lsn, ADDR)
    ns, search, domain = resolv_conf(hostile.client)
    assert (ns, search, domain) == (["192.0.2.53"], [], None), hostile.client.read_resolv_conf()
    bound = bound_hooks(trap)
    assert "new_domain_name" not in bound[0] and bound[0]["new_ip_address"] == ADDR
    hostile.wait_log(lsn, "lease kept without domain name \"", 1)
    assert "lease refused" not in lsn.log(), lsn.log()
    check_after(hostile, lsn, trap)


# ---------------------------------------------------------------- option 119

def dns_wire(*names):
    """RFC 1035 wire form of names given as lists of raw labels (any bytes,
    a '.' inside a label included; a label over 63 bytes is cut into
    several); no compression."""
    out = b""
    for name in names:
        for label in name:
            label = to_bytes(label)
            for i in range(0, len(label), 63):
                out += bytes([len(label[i:i + 63])]) + label[i:i + 63]
        out += b"\x00"
    return out


GOOD = ["lab", "example", "org"]

# (names, the search list that must remain)
SEARCH_CASES = [
    pytest.param([["x; touch {F}", "example", "com"]], [], id="semicolon"),
    pytest.param([["$(touch {F})", "example", "com"]], [], id="command-substitution"),
    pytest.param([["example\nnameserver 6", "6", "6", "6"]], [], id="newline-nameserver"),
    pytest.param([["evil.com", "example", "com"]], [], id="dot-inside-label"),
    pytest.param([["evil\0", "example", "com"]], [], id="nul-inside-label"),
    pytest.param([[b"\xff\xfe", "example", "com"]], [], id="non-utf8"),
    pytest.param([["-x", "example", "com"]], [], id="leading-dash"),
    pytest.param([["_ldap", "corp", "example"], GOOD], ["lab.example.org"], id="underscore-first"),
    pytest.param([GOOD, ["a b", "example", "com"]], ["lab.example.org"], id="second-name"),
]


@pytest.mark.parametrize("names,kept", SEARCH_CASES)
def test_domain_search(hostile, trap, names, kept):
    """Domain search (option 119, RFC 3397): a label may hold any byte, a '.'
    and a NUL included, so a name that looks fine once printed can carry a
    command or end early. The NetworkManager/dhclient hook injection
    (CVE-2018-1111) and systemd-networkd's refusal of such labels are the
    models. The engine prints odd bytes as \\DDD, which is no host name:
    each such name is dropped with a warning, the good ones and the lease
    kept."""
    data = dns_wire(*[[to_bytes(trap.payload(label)) for label in n] for n in names])
    hostile.rogue(serve_normally(ADDR, extra=[opt(119, data)]))
    lsn = hostile.lessee("--acd", "off", hook=trap.script)
    hostile.expect_lease(lsn, ADDR)
    bound = bound_hooks(trap)
    assert resolv_conf(hostile.client)[1] == kept, hostile.client.read_resolv_conf()
    hook_search = [d.rstrip(".") for d in bound[0].get("new_domain_search", "").split()]
    assert hook_search == kept, bound[0]
    hostile.wait_log(lsn, "1 search domain(s) that are not host names, first \"", 1)
    assert "lease refused" not in lsn.log(), lsn.log()
    check_after(hostile, lsn, trap)


# ---------------------------------------------------------------- other strings

FORMS = ["x;touch {F}", "$(touch {F})", "`touch {F}`", "x|touch {F}", "x&&touch {F}",
         "x>{F}", "x'\";touch {F};'", "x\nnameserver 6.6.6.6", "x\ntouch {F}",
         "-x;touch {F}", "%n%n%s;touch {F}"]
OTHER_CODES = [12, 14, 17, 40, 56, 62, 64, 66, 67, 81, 114, 252, 43, 224]


def other_strings(trap):
    """Every other string option lessee might be tempted to pass on, each
    with one of the payload forms (all of them fit one frame)."""
    out = []
    for i, code in enumerate(OTHER_CODES):
        p = trap.payload(FORMS[i % len(FORMS)]).encode()
        out.append(opt(code, b"\x01\x00\x00" + p if code == 81 else p))   # RFC 4702 flags
    return out


def test_other_strings(hostile, trap):
    """Host name (12; dhclient-script set it with `hostname $new_host_name`:
    CVE-2011-0997), root path, NIS domains, TFTP server and boot file (the
    busybox udhcpc CVE-2011-2716 list), message, WPAD, captive portal,
    FQDN, vendor and site options: lessee uses none of them, so the lease
    stands and none reaches the hook, resolv.conf, the lease file or the
    log. The lease file must then load back: a restart does INIT-REBOOT
    with it (RFC 2131 3.2)."""
    rogue = hostile.rogue(serve_normally(ADDR, extra=other_strings(trap)))
    lsn = hostile.lessee("--acd", "off", hook=trap.script)
    hostile.expect_lease(lsn, ADDR)
    wait_until(lambda: [e for e in trap.env_calls() if e.get("reason") == "BOUND"], 5,
               "the BOUND hook")
    check_after(hostile, lsn, trap)
    assert os.path.exists(lsn.lease_file)

    assert lsn.stop(signal.SIGTERM, timeout=20) == 0, lsn.log()
    hostile.assert_healthy(lsn)
    first = len(rogue.seen)
    again = hostile.lessee("--acd", "off", hook=trap.script, name="lessee")
    hostile.expect_lease(again, ADDR)
    msgs = rogue.seen[first:]
    assert msgs and msgs[0].type == REQUEST and msgs[0].requested == ADDR, msgs
    assert msgs[0].server_id is None, "INIT-REBOOT carries no server identifier"
    assert DISCOVER not in [m.type for m in msgs], msgs
    assert "not used" not in again.log(), again.log()
    check_after(hostile, again, trap)


# ---------------------------------------------------------------- JSON lines

def json_events(lsn):
    return [o.get("event") for o in lsn.stdout_json()]


def test_json_dropped_name(hostile):
    """--no-configure: a newline in the domain name must not split or forge
    a JSON line (a consumer reading one object per line would take the
    second half as a lease). The engine drops the name: one bound event
    with no domain; every stdout line is one JSON object."""
    value = "example.com\n{\"event\": \"bound\", \"address\": \"6.6.6.6\"}"
    hostile.rogue(serve_normally(ADDR, extra=[opt(15, value)]))
    lsn = hostile.lessee("--acd", "off", configure=False)
    events = wait_until(lambda: [o for o in lsn.stdout_json() if o.get("event") == "bound"],
                        10, "a bound JSON line")
    assert json_events(lsn) == ["bound"], lsn.proc.stdout()
    assert events[0]["address"] == ADDR and events[0]["domain"] is None, events[0]
    assert "6.6.6.6" not in lsn.proc.stdout()
    hostile.expect_unconfigured(lsn)


def test_json_hostile_strings(hostile, trap):
    """--no-configure with every other string option hostile and a NUL in
    the domain name: one bound event, valid JSON, no payload in it (the
    dropped name is null)."""
    extra = other_strings(trap) + [opt(15, b"example.com\0\n{\"event\": \"bound\"}")]
    hostile.rogue(serve_normally(ADDR, extra=extra))
    lsn = hostile.lessee("--acd", "off", configure=False)
    events = wait_until(lambda: [o for o in lsn.stdout_json() if o.get("event") == "bound"],
                        10, "a bound JSON line")
    assert len(events) == 1 and len(lsn.stdout_json()) == 1, lsn.proc.stdout()
    ev = events[0]
    assert ev["address"] == ADDR and ev["domain"] is None and ev["search"] == [], ev
    assert "touch" not in lsn.proc.stdout() and "6.6.6.6" not in lsn.proc.stdout()
    hostile.expect_unconfigured(lsn)
