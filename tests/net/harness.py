"""Running lessee in a lab and reading what it did: the glue between lab.py,
servers.py and the tests.

Every lessee started here runs in the client host, in the foreground (-d),
with its lease file, pid file and logs in the lab's temp dir, and with
`--resolv-conf /etc/resolv.conf`, which inside the namespace is the lab's
/etc/netns/<client>/resolv.conf (bind-mounted by `ip netns exec`).
"""

import ipaddress
import json
import os
import signal as _signal
import subprocess
import time

from lab import CLIENT_MAC, IFNAME, SERVER_IP, SERVER_MAC, wait_until

FOREVER = 4294967295
HOOK_REASONS = {"PREINIT", "BOUND", "RENEW", "REBIND", "REBOOT", "EXPIRE", "FAIL", "STOP",
                "RELEASE", "TIMEOUT"}
# issue 5 names the first six; the daemon also says rebooted and stopped
JSON_EVENTS = {"bound", "renewed", "rebound", "expired", "released", "nak", "rebooted",
               "stopped"}


def lessee_bin():
    return os.environ.get("LESSEE_BIN", "")


class Lessee:
    """One lessee daemon (or one-shot run) in the lab's client host."""

    def __init__(self, lab, binary, name="lessee"):
        self.lab, self.binary, self.name = lab, binary, name
        self.host = lab.client
        self.lease_file = lab.path(f"{name}.lease")
        self.pid_file = lab.path(f"{name}.pid")
        self.proc = None
        self.configure = True

    def argv(self, *extra, configure=True, hook=None):
        a = [self.binary, "-v", "-lf", self.lease_file, "-pf", self.pid_file, "--acd", "fast"]
        if configure:
            a += ["--resolv-conf", "/etc/resolv.conf"]
        else:
            a += ["--no-configure"]
        if hook:
            a += ["-sf", hook]
        return a + list(extra) + [IFNAME]

    def start(self, *extra, configure=True, hook=None):
        """Start the daemon in the foreground (-d); return self."""
        self.configure = configure
        self.proc = self.host.popen(self.argv("-d", *extra, configure=configure, hook=hook),
                                    name=self.name)
        return self

    def run(self, *extra, timeout=30, configure=True, hook=None):
        """Run to completion (--oneshot, -r, -x ...): (exit status, elapsed s,
        CompletedProcess)."""
        t0 = time.monotonic()
        r = self.host.run(self.argv(*extra, configure=configure, hook=hook), check=False,
                          timeout=timeout)
        return r.returncode, time.monotonic() - t0, r

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.alive()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=_signal.SIGTERM, timeout=10):
        """Signal and wait for the exit; return the exit status."""
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def log(self):
        return self.proc.output() if self.proc else ""

    def stdout_json(self):
        """stdout as JSON objects, one per line; every line must parse."""
        out = []
        # the last piece, without its newline yet, may still be being written
        for n, line in enumerate(self.proc.stdout().split("\n")[:-1], 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except ValueError as e:
                raise AssertionError(f"stdout line {n} is not JSON ({e}): {line!r}") from None
        return out

    def wait_bound(self, timeout=15, in_pool=None):
        """Wait until eth0 has an address in 192.0.2.0/24 (and in the pool,
        if given), then until the rest of the lease is applied too (default
        route, resolv.conf), so that what a test does next does not race the
        apply role; return the address as 'a.b.c.d'."""
        def bound():
            if not self.alive():
                raise AssertionError(f"lessee exited before binding:\n{self.log()}")
            for a in self.host.addresses():
                if ipaddress.ip_address(a["local"]) in ipaddress.ip_network("192.0.2.0/24"):
                    if in_pool is None or in_pool(a["local"]):
                        return a["local"]
            return None
        def rest():
            return route(self.host.routes(), "default") and resolv_conf(self.host)[0]
        try:
            addr = wait_until(bound, timeout, "lessee to configure an address")
            if self.configure:
                wait_until(rest, 5, f"lessee to apply the rest of the lease of {addr}")
            return addr
        except TimeoutError as e:
            raise AssertionError(f"{e}\n{self.log()}") from None

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except TimeoutError as e:
            raise AssertionError(f"{e}\n{self.log()}") from None


def address_info(host, addr):
    for a in host.addresses():
        if a["local"] == addr:
            return a
    return None


def valid_lifetime(host, addr):
    a = address_info(host, addr)
    return a.get("valid_life_time") if a else None


def resolv_conf(host):
    """(nameservers, search domains, domain) from the host's resolv.conf."""
    ns, search, domain = [], [], None
    for line in host.read_resolv_conf().splitlines():
        w = line.split()
        if not w or w[0].startswith(("#", ";")):
            continue
        if w[0] == "nameserver" and len(w) > 1:
            ns.append(w[1])
        elif w[0] == "search":
            search = [d.rstrip(".") for d in w[1:]]
        elif w[0] == "domain" and len(w) > 1:
            domain = w[1].rstrip(".")
    return ns, search, domain


def route(routes, dst):
    """The route to dst ('default' or a prefix) in `ip -j route` output."""
    for r in routes:
        if r.get("dst") == dst:
            return r
    return None


# ---------------------------------------------------------------- hook env

HOOK_SCRIPT = """#!/bin/sh
# Records each call's environment in its own file (NUL-separated env).
f="{dir}/call.$(/bin/date +%s%N).$$"
/usr/bin/env -0 > "$f.tmp" && /bin/mv "$f.tmp" "$f"
exit 0
"""


def write_hook(lab):
    """A hook script that records its environment; returns (script, dir)."""
    d = lab.path("hook-calls")
    os.makedirs(d, exist_ok=True)
    script = lab.path("hook.sh")
    with open(script, "w") as f:
        f.write(HOOK_SCRIPT.format(dir=d))
    os.chmod(script, 0o755)
    return script, d


def hook_calls(d):
    """The recorded calls in order: a list of env dicts."""
    calls = []
    names = sorted((n for n in os.listdir(d) if not n.endswith(".tmp")),
                   key=lambda n: int(n.split(".")[1]))
    for n in names:
        with open(os.path.join(d, n), "rb") as f:
            raw = f.read()
        env = {}
        for item in raw.split(b"\0"):
            if b"=" in item:
                k, v = item.split(b"=", 1)
                env[k.decode(errors="replace")] = v.decode(errors="replace")
        calls.append(env)
    return calls


# ---------------------------------------------------------------- JSON events

def event_name(obj):
    """The event of one --no-configure JSON line ("bound", "renewed", ...)."""
    for k in ("event", "type", "reason", "state", "action"):
        v = obj.get(k)
        if isinstance(v, str):
            return v.lower()
    return None


def leaf_values(obj):
    """Every scalar in a JSON value, as strings (prefix lengths stripped)."""
    out = set()
    if isinstance(obj, dict):
        for v in obj.values():
            out |= leaf_values(v)
    elif isinstance(obj, list):
        for v in obj:
            out |= leaf_values(v)
    elif obj is not None and not isinstance(obj, bool):
        s = str(obj)
        out.add(s)
        out.add(s.split("/")[0])
        out.add(s.rstrip("."))
    return out


# ---------------------------------------------------------------- wire

def client_msgs(cap, mac=CLIENT_MAC):
    return [m for m in cap.dhcp() if m.from_client and m.chaddr == mac]


def server_msgs(cap):
    return [m for m in cap.dhcp() if not m.from_client]


def is_unicast_to_server(m, server_ip=SERVER_IP, server_mac=SERVER_MAC):
    return m.ip_dst == server_ip and m.eth_dst == server_mac


def is_broadcast(m):
    return m.ip_dst == "255.255.255.255" and m.eth_dst == "ff:ff:ff:ff:ff:ff"


def wait_ack(cap, after, addr=None, server_ip=None, timeout=15):
    """The first ACK after `after` (optionally for addr / from server_ip)."""
    return cap.wait_dhcp(lambda m: m.type == "ACK"
                         and (addr is None or m.yiaddr == addr)
                         and (server_ip is None or m.server_id == server_ip),
                         timeout, f"an ACK{' for ' + addr if addr else ''}"
                         f"{' from ' + server_ip if server_ip else ''}", after=after)


def now_wire():
    """A timestamp comparable with capture times (both CLOCK_REALTIME)."""
    return time.time()


def ns_pids(host):
    r = subprocess.run(["ip", "netns", "pids", host.ns], capture_output=True, text=True,
                       timeout=10)
    return [int(p) for p in r.stdout.split()]
