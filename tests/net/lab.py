"""A throwaway network lab in Linux network namespaces, for lessee's tests.

    with Lab() as lab:                    # switch + server host + client host
        lab.server.run(["ip", "addr"])
        cap = lab.client.capture()        # frames on the client's link
        p = lab.client.popen(["lessee", "-d", "eth0"], name="lessee")
        wait_until(lambda: lab.client.addresses(), 10, "an address")
        h3 = lab.add_host("h3", addr="192.0.2.150/24")   # third host, same link

Topology: one "switch" namespace holds a bridge (br0, no STP, no forward
delay); every host is a namespace with one interface, eth0, joined to the
switch by a veth pair whose other end (p-<host>) is a bridge port. So the
client's carrier can be cut without touching the server (set p-cli down), and
a capture on p-cli sees exactly what goes to and from the client.

Safety (DESIGN.md "Safety rules for tests"): namespaces are named
lsn-<pid>-<n>-<host>; /etc/netns/<ns>/resolv.conf exists before anything
runs inside a host, so `ip netns exec` bind-mounts it over /etc/resolv.conf
and nothing can write the host's; addresses are TEST-NET only; every process
started here is tracked and killed, every namespace and /etc/netns dir removed
on exit (also on exceptions, KeyboardInterrupt, SIGTERM and at interpreter
exit); every wait is bounded. Root only.
"""

import atexit
import ctypes
import fcntl
import ipaddress
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

PREFIX = "lsn"
NETNS_RUN = "/run/netns"
ETC_NETNS = "/etc/netns"
LOCK = "/run/lsn-netns.lock"

SUBNET = ipaddress.ip_network("192.0.2.0/24")
SERVER_IP = "192.0.2.1"
SERVER_MAC = "02:00:00:00:02:01"
CLIENT_MAC = "02:00:00:00:02:64"
IFNAME = "eth0"

_live_labs = []
_counter = 0
_sigterm_installed = False


class LabError(RuntimeError):
    pass


# ---------------------------------------------------------------- waiting

def wait_until(pred, timeout, what, interval=0.05):
    """Poll pred() every interval until it returns something truthy, at most
    timeout seconds; return that value or raise TimeoutError naming what."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def _check(cmd, timeout=15, input=None):
    """Run a host command (iproute2 and friends); raise with its stderr."""
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=input)
    if r.returncode != 0:
        raise LabError(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()}")
    return r


# ---------------------------------------------------------------- processes

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _child_setup():
    # If the test process dies (even by SIGKILL) the child gets SIGKILL: no
    # daemon outlives the run. Survives the exec in `ip netns exec`.
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.setsid()


class Proc:
    """A process started in a namespace, with its output in files."""

    def __init__(self, lab, name, argv, popen, out_path, err_path):
        self.lab, self.name, self.argv = lab, name, argv
        self.popen = popen
        self.out_path, self.err_path = out_path, err_path

    @property
    def pid(self):
        return self.popen.pid

    @property
    def returncode(self):
        return self.popen.poll()

    def alive(self):
        return self.popen.poll() is None

    def wait(self, timeout):
        """Wait at most timeout seconds; return the exit status or raise."""
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"{self.name} (pid {self.pid}) still running after "
                               f"{timeout:g} s") from None

    def send_signal(self, sig):
        if self.alive():
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, sig=signal.SIGTERM, timeout=5.0):
        """Signal, wait up to timeout, then SIGKILL the process group."""
        if not self.alive():
            return self.popen.returncode
        self.send_signal(sig)
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            return self.popen.wait(timeout=5)

    def stdout(self):
        return _read(self.out_path)

    def stderr(self):
        return _read(self.err_path)

    def output(self):
        """Both streams, for assertion messages."""
        return (f"--- {self.name} argv: {' '.join(self.argv)}\n"
                f"--- exit: {self.returncode}\n--- stdout:\n{self.stdout()[-4000:]}"
                f"--- stderr:\n{self.stderr()[-6000:]}")


def _read(path, mode="r"):
    try:
        with open(path, mode) as f:
            return f.read()
    except FileNotFoundError:
        return "" if mode == "r" else b""


# ---------------------------------------------------------------- capture

DHCP_TYPES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK",
              6: "NAK", 7: "RELEASE", 8: "INFORM"}


class Dhcp:
    """One DHCP message seen on the wire (decoded here, not by lessee's code)."""

    def __init__(self, t, eth_src, eth_dst, ip_src, ip_dst, sport, dport, payload):
        self.time = t
        self.eth_src, self.eth_dst = eth_src, eth_dst
        self.ip_src, self.ip_dst = ip_src, ip_dst
        self.sport, self.dport = sport, dport
        p = payload
        if len(p) < 240 or p[236:240] != b"\x63\x82\x53\x63":
            raise ValueError("not a DHCP message")
        self.op = p[0]
        self.xid = struct.unpack("!I", p[4:8])[0]
        self.flags = struct.unpack("!H", p[10:12])[0]
        self.ciaddr, self.yiaddr, self.siaddr, self.giaddr = (
            str(ipaddress.IPv4Address(p[i:i + 4])) for i in (12, 16, 20, 24))
        self.chaddr = ":".join(f"{b:02x}" for b in p[28:34])
        self.options = {}      # code -> bytes (RFC 3396 instances concatenated)
        self.option_order = []
        i = 240
        while i < len(p):
            code = p[i]
            if code == 255:
                break
            if code == 0:
                i += 1
                continue
            if i + 1 >= len(p) or i + 2 + p[i + 1] > len(p):
                break
            data = p[i + 2:i + 2 + p[i + 1]]
            self.options[code] = self.options.get(code, b"") + data
            self.option_order.append(code)
            i += 2 + p[i + 1]
        mt = self.options.get(53, b"\x00")
        self.type = DHCP_TYPES.get(mt[0], f"TYPE{mt[0]}") if mt else "NONE"

    def ip_option(self, code):
        v = self.options.get(code)
        return str(ipaddress.IPv4Address(v[:4])) if v and len(v) >= 4 else None

    def u32_option(self, code):
        v = self.options.get(code)
        return struct.unpack("!I", v[:4])[0] if v and len(v) >= 4 else None

    @property
    def requested_ip(self):
        return self.ip_option(50)

    @property
    def server_id(self):
        return self.ip_option(54)

    @property
    def from_client(self):
        return self.op == 1

    def __repr__(self):
        extra = []
        if self.requested_ip:
            extra.append(f"req={self.requested_ip}")
        if self.server_id:
            extra.append(f"sid={self.server_id}")
        return (f"<{self.type} {self.ip_src}>{self.ip_dst} eth {self.eth_src}>{self.eth_dst} "
                f"xid={self.xid:#x} ci={self.ciaddr} yi={self.yiaddr} {' '.join(extra)} "
                f"t={self.time:.3f}>")


class Arp:
    def __init__(self, t, op, hwsrc, psrc, hwdst, pdst, eth_dst):
        self.time, self.op = t, op
        self.hwsrc, self.psrc, self.hwdst, self.pdst = hwsrc, psrc, hwdst, pdst
        self.eth_dst = eth_dst

    def __repr__(self):
        kind = {1: "who-has", 2: "is-at"}.get(self.op, str(self.op))
        return f"<ARP {kind} {self.pdst} tell {self.psrc} ({self.hwsrc}) t={self.time:.3f}>"


def read_pcap_records(path):
    """(time, frame bytes) for each complete record of a classic pcap that may
    still be being written (a trailing partial record is ignored)."""
    data = _read(path, "rb")
    if len(data) < 24:
        return []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise LabError(f"{path}: not a classic pcap file")
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    out, i = [], 24
    while i + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(endian + "IIII", data[i:i + 16])
        if i + 16 + incl > len(data):
            break
        out.append((sec + frac / (1e9 if nano else 1e6), data[i + 16:i + 16 + incl]))
        i += 16 + incl
    return out


class Capture:
    """tcpdump on one switch port, written to a pcap in the lab's temp dir and
    read back (with scapy for the framing) while it runs or after."""

    def __init__(self, lab, port, path, bpf):
        self.lab, self.port, self.path, self.bpf = lab, port, path, bpf
        self.proc = None

    def start(self):
        # -U + --immediate-mode: each frame reaches the file as it is seen
        # (otherwise frames wait in the capture ring and are lost on stop).
        # -Z root: stay root to write into the root-only temp dir.
        self.proc = self.lab.switch_popen(
            ["tcpdump", "-i", self.port, "-n", "-U", "--immediate-mode", "-s", "0", "-Z", "root",
             "-w", self.path] + self.bpf.split(), name=f"tcpdump-{self.port}")
        wait_until(lambda: "listening on" in self.proc.stderr() or not self.proc.alive(),
                   10, f"tcpdump on {self.port} to start")
        if not self.proc.alive():
            raise LabError(f"tcpdump failed:\n{self.proc.output()}")
        return self

    def stop(self):
        if self.proc:
            time.sleep(0.2)   # let the last frame in flight reach the file
            self.proc.stop()

    def frames(self):
        """scapy Ether objects, in order."""
        from scapy.layers.l2 import Ether
        return [(t, Ether(b)) for t, b in read_pcap_records(self.path)]

    def dhcp(self):
        """Every DHCP message (UDP 67/68 with the magic cookie), in order."""
        from scapy.layers.inet import IP, UDP
        from scapy.layers.l2 import Ether
        out = []
        for t, raw in read_pcap_records(self.path):
            e = Ether(raw)
            if IP not in e or UDP not in e:
                continue
            u = e[UDP]
            if {u.sport, u.dport} & {67, 68} == set():
                continue
            try:
                out.append(Dhcp(t, e.src, e.dst, e[IP].src, e[IP].dst, u.sport, u.dport,
                                bytes(u.payload)))
            except ValueError:
                continue
        return out

    def arp(self):
        from scapy.layers.l2 import ARP, Ether
        out = []
        for t, raw in read_pcap_records(self.path):
            e = Ether(raw)
            if ARP in e:
                a = e[ARP]
                out.append(Arp(t, a.op, a.hwsrc, a.psrc, a.hwdst, a.pdst, e.dst))
        return out

    def wait_dhcp(self, pred, timeout, what, after=0.0):
        """Wait until a DHCP message with time > after satisfies pred; return it."""
        def find():
            for m in self.dhcp():
                if m.time > after and pred(m):
                    return m
            return None
        try:
            return wait_until(find, timeout, what, interval=0.1)
        except TimeoutError as e:
            raise TimeoutError(f"{e}\nDHCP seen on {self.port}:\n" + self.summary()) from None

    def summary(self):
        return "\n".join(f"  {m!r}" for m in self.dhcp()) or "  (nothing)"


# ---------------------------------------------------------------- hosts

class Host:
    """A namespace with one interface eth0 on the lab's switch."""

    def __init__(self, lab, name, mac):
        self.lab, self.name, self.mac = lab, name, mac
        self.ns = f"{lab.prefix}-{name}"
        self.ifname = IFNAME
        self.port = f"p-{name}"

    @property
    def resolv_conf(self):
        """The file `ip netns exec` shows as /etc/resolv.conf in this host."""
        return os.path.join(ETC_NETNS, self.ns, "resolv.conf")

    def read_resolv_conf(self):
        return _read(self.resolv_conf)

    def argv(self, cmd):
        return ["ip", "netns", "exec", self.ns] + list(cmd)

    def run(self, cmd, check=True, timeout=15, input=None, env=None):
        """Run a command in this host; return CompletedProcess (text)."""
        r = subprocess.run(self.argv(cmd), capture_output=True, text=True, timeout=timeout,
                           input=input, env=env)
        if check and r.returncode != 0:
            raise LabError(f"[{self.name}] {' '.join(cmd)}: exit {r.returncode}: "
                           f"{r.stdout.strip()} {r.stderr.strip()}")
        return r

    def popen(self, cmd, name=None, env=None, stdin=subprocess.DEVNULL):
        """Start a tracked background process in this host."""
        return self.lab._popen(self.argv(cmd), name or os.path.basename(cmd[0]), env, stdin)

    def ip_json(self, *args):
        r = self.run(["ip", "-j"] + list(args))
        return json.loads(r.stdout or "[]")

    def link(self, ifname=None):
        """`ip -j link show dev IF` as one dict."""
        return self.ip_json("link", "show", "dev", ifname or self.ifname)[0]

    def mtu(self, ifname=None):
        return self.link(ifname)["mtu"]

    def carrier(self, ifname=None):
        return "NO-CARRIER" not in self.link(ifname)["flags"]

    def addresses(self, ifname=None):
        """IPv4 addr_info dicts of the interface (local, prefixlen, broadcast,
        valid_life_time, ...)."""
        j = self.ip_json("-4", "addr", "show", "dev", ifname or self.ifname)
        return j[0].get("addr_info", []) if j else []

    def address(self, ifname=None):
        """The one IPv4 address as 'a.b.c.d/len', None if none, error if several."""
        a = self.addresses(ifname)
        if not a:
            return None
        if len(a) > 1:
            raise AssertionError(f"{self.name}: several IPv4 addresses: {a}")
        return f"{a[0]['local']}/{a[0]['prefixlen']}"

    def routes(self, table="main"):
        """`ip -j -4 route show table T` (dst, gateway, dev, protocol, ...)."""
        return self.ip_json("-4", "route", "show", "table", table)

    def add_address(self, cidr, ifname=None):
        self.run(["ip", "addr", "add", cidr, "dev", ifname or self.ifname])

    def del_address(self, cidr, ifname=None):
        self.run(["ip", "addr", "del", cidr, "dev", ifname or self.ifname])

    def flush_addresses(self, ifname=None):
        self.run(["ip", "-4", "addr", "flush", "dev", ifname or self.ifname])

    def carrier_off(self):
        """Cut the client's carrier: the peer end (switch port) goes down."""
        self.lab.switch_run(["ip", "link", "set", self.port, "down"])
        wait_until(lambda: not self.carrier(), 5, f"{self.name}: carrier off")

    def carrier_on(self):
        self.lab.switch_run(["ip", "link", "set", self.port, "up"])
        wait_until(lambda: self.carrier(), 5, f"{self.name}: carrier on")

    def capture(self, bpf="udp port 67 or udp port 68 or arp", name=None):
        """Start tcpdump on this host's switch port: every frame to and from
        the host, as the other hosts see it."""
        path = os.path.join(self.lab.tmp, f"{name or self.name}-{len(self.lab.captures)}.pcap")
        cap = Capture(self.lab, self.port, path, bpf)
        self.lab.captures.append(cap)
        return cap.start()

    def arp_probe(self, target, timeout=2.0):
        """Send an RFC 5227 ARP probe (sender IP 0) for target from this host
        (scapy, in the namespace); return the MAC that answers, or None."""
        code = ("import sys\n"
                "from scapy.all import ARP, Ether, conf, srp1\n"
                "conf.verb = 0\n"
                f"r = srp1(Ether(dst='ff:ff:ff:ff:ff:ff', src='{self.mac}') / ARP(op=1, "
                f"hwsrc='{self.mac}', psrc='0.0.0.0', pdst='{target}'), iface='{self.ifname}', "
                f"timeout={timeout})\n"
                "print(r[ARP].hwsrc if r is not None and r[ARP].op == 2 else '')\n")
        r = self.run(["/usr/bin/python3", "-c", code], timeout=timeout + 20)
        return r.stdout.strip() or None

    def udp_bound(self, port):
        r = self.run(["ss", "-Hlun", f"sport = :{port}"], check=False)
        return bool(r.stdout.strip())


# ---------------------------------------------------------------- the lab

def _ns_exists(ns):
    return os.path.exists(os.path.join(NETNS_RUN, ns))


def _ns_pids(ns):
    r = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True, timeout=10)
    return [int(p) for p in r.stdout.split()] if r.returncode == 0 else []


class _EtcNetnsLock:
    """Serialises mkdir/rmdir of /etc/netns between labs (parallel runs)."""

    def __enter__(self):
        self.fd = os.open(LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *a):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _remove_ns(ns):
    """Kill every process in ns (all are ours), delete it and its /etc/netns dir."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _ns_pids(ns) if _ns_exists(ns) else []
        for p in pids:
            try:
                os.kill(p, sig)
            except ProcessLookupError:
                pass
        if pids and sig == signal.SIGTERM:
            try:
                wait_until(lambda: not _ns_pids(ns), 2, f"{ns} empty", interval=0.05)
            except TimeoutError:
                pass
    errors = []
    if _ns_exists(ns):
        r = subprocess.run(["ip", "netns", "del", ns], capture_output=True, text=True, timeout=15)
        if r.returncode != 0:
            errors.append(f"ip netns del {ns}: {r.stderr.strip()}")
    d = os.path.join(ETC_NETNS, ns)
    with _EtcNetnsLock():
        shutil.rmtree(d, ignore_errors=True)
        try:
            os.rmdir(ETC_NETNS)         # only if empty, i.e. nobody else uses it
        except OSError:
            pass
    return errors


def sweep_stale():
    """Remove lsn-<pid>-* namespaces left by runs whose process is gone
    (a test run killed with SIGKILL cannot clean up after itself)."""
    removed = []
    try:
        names = os.listdir(NETNS_RUN)
    except FileNotFoundError:
        names = []
    for ns in names:
        parts = ns.split("-")
        if len(parts) < 3 or parts[0] != PREFIX or not parts[1].isdigit():
            continue
        if int(parts[1]) == os.getpid() or os.path.exists(f"/proc/{parts[1]}"):
            continue
        _remove_ns(ns)
        removed.append(ns)
    return removed


def _atexit_cleanup():
    for lab in list(_live_labs):
        lab.close()


def _on_sigterm(signum, frame):
    # As Ctrl-C: unwinds every `with Lab()` (pytest stops the session), and
    # atexit catches any lab left open.
    raise KeyboardInterrupt(f"signal {signum}")


atexit.register(_atexit_cleanup)


class Lab:
    """Context manager: a switch, a server host and a client host.

    lab.server  192.0.2.1/24 on eth0, MAC 02:00:00:00:02:01
    lab.client  no address, eth0 up, MAC 02:00:00:00:02:64
    lab.tmp     a temp dir (root only) for configs, logs, pcaps, leases
    """

    def __init__(self, tag="lab", keep_tmp=False, client_mac=CLIENT_MAC):
        global _counter, _sigterm_installed
        _counter += 1
        self.prefix = f"{PREFIX}-{os.getpid()}-{_counter}"
        self.tag = tag
        self.keep_tmp = keep_tmp
        self.client_mac = client_mac
        self.hosts = {}
        self.procs = []
        self.captures = []
        self.tmp = None
        self.switch_ns = f"{self.prefix}-sw"
        self._namespaces = []
        self._closed = False
        if not _sigterm_installed and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_sigterm)
            _sigterm_installed = True

    # -- life cycle

    def __enter__(self):
        _live_labs.append(self)
        try:
            self.tmp = tempfile.mkdtemp(prefix=f"lessee-{self.tag}-")
            self._add_ns(self.switch_ns)
            sw = ["ip", "netns", "exec", self.switch_ns]
            _check(["ip", "-n", self.switch_ns, "link", "add", "br0", "type", "bridge",
                    "stp_state", "0", "forward_delay", "0"])
            # br_netfilter, if loaded, must not see bridged frames.
            subprocess.run(sw + ["sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0",
                                 "net.bridge.bridge-nf-call-arptables=0"],
                           capture_output=True, timeout=10)
            _check(["ip", "-n", self.switch_ns, "link", "set", "br0", "up"])
            self.server = self.add_host("srv", mac=SERVER_MAC, addr=f"{SERVER_IP}/24")
            self.client = self.add_host("cli", mac=self.client_mac)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            self.close()
        except LabError as e:
            if exc_type is None:
                raise
            print(f"lab: {e}", file=sys.stderr)   # don't hide the first error
        return False

    def close(self):
        """Stop every process (TERM, then KILL after 3 s, all at once), remove
        the namespaces, their /etc/netns dirs and the temp dir."""
        if self._closed:
            return
        self._closed = True
        errors = []
        live = [p for p in self.procs if p.alive()]
        for p in live:
            p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 3
        while any(p.alive() for p in live) and time.monotonic() < deadline:
            time.sleep(0.02)
        for p in live:
            if p.alive():
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                try:
                    p.popen.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    errors.append(f"{p.name} (pid {p.pid}) survives SIGKILL")
        for ns in reversed(self._namespaces):
            errors += _remove_ns(ns)
        if self.tmp and not self.keep_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        if self in _live_labs:
            _live_labs.remove(self)
        if errors:
            raise LabError("lab cleanup: " + "; ".join(errors))

    # -- building

    def _add_ns(self, ns):
        if _ns_exists(ns):
            raise LabError(f"namespace {ns} already exists")
        # resolv.conf first: from the first `ip netns exec` on, the host's
        # /etc/resolv.conf is out of reach.
        with _EtcNetnsLock():
            os.makedirs(os.path.join(ETC_NETNS, ns), exist_ok=True)
            with open(os.path.join(ETC_NETNS, ns, "resolv.conf"), "w"):
                pass
        self._namespaces.append(ns)
        _check(["ip", "netns", "add", ns])
        # No IPv6: keeps router solicitations and MLD off the wire.
        _check(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1"])
        _check(["ip", "-n", ns, "link", "set", "lo", "up"])

    def add_host(self, name, mac=None, addr=None, up=True):
        """A host namespace joined to the switch; optional address 'a.b.c.d/len'
        (a host that owns an address answers ARP for it: the ACD conflict)."""
        if name in self.hosts:
            raise LabError(f"host {name} exists")
        if len(name) > 10:
            raise LabError("host name too long for an interface name")
        mac = mac or "02:00:00:00:03:%02x" % (len(self.hosts) + 1)
        h = Host(self, name, mac)
        self._add_ns(h.ns)
        _check(["ip", "link", "add", h.ifname, "address", mac, "netns", h.ns, "type", "veth",
                "peer", "name", h.port, "netns", self.switch_ns])
        # veth offloads checksums: without this, frames sent through a kernel
        # socket carry only the pseudo-header sum in captures.
        _check(["ip", "netns", "exec", h.ns, "ethtool", "-K", h.ifname, "tx", "off"])
        _check(["ip", "netns", "exec", self.switch_ns, "ethtool", "-K", h.port, "tx", "off"])
        _check(["ip", "-n", self.switch_ns, "link", "set", h.port, "master", "br0"])
        _check(["ip", "-n", self.switch_ns, "link", "set", h.port, "up"])
        if addr:
            _check(["ip", "-n", h.ns, "addr", "add", addr, "dev", h.ifname])
        if up:
            _check(["ip", "-n", h.ns, "link", "set", h.ifname, "up"])
        self.hosts[name] = h
        return h

    def switch_run(self, cmd, check=True, timeout=15):
        r = subprocess.run(["ip", "netns", "exec", self.switch_ns] + list(cmd),
                           capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise LabError(f"[switch] {' '.join(cmd)}: {r.stderr.strip()}")
        return r

    def switch_popen(self, cmd, name):
        return self._popen(["ip", "netns", "exec", self.switch_ns] + list(cmd), name, None,
                           subprocess.DEVNULL)

    def _popen(self, argv, name, env, stdin):
        if self._closed or self.tmp is None:
            raise LabError("lab is not open")
        n = len(self.procs)
        out = os.path.join(self.tmp, f"{n:02d}-{name}.out")
        err = os.path.join(self.tmp, f"{n:02d}-{name}.err")
        with open(out, "wb") as fo, open(err, "wb") as fe:
            p = subprocess.Popen(argv, stdout=fo, stderr=fe, stdin=stdin, env=env,
                                 preexec_fn=_child_setup, close_fds=True)
        proc = Proc(self, name, argv, p, out, err)
        self.procs.append(proc)
        return proc

    def path(self, *parts):
        """A path inside the lab's temp dir."""
        return os.path.join(self.tmp, *parts)

    def logs(self):
        """Every tracked process's output, for failure messages."""
        return "\n".join(p.output() for p in self.procs if not p.name.startswith("tcpdump"))


# ---------------------------------------------------------------- /proc

def proc_status(pid):
    """/proc/PID/status as a dict of strings (None if the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except (FileNotFoundError, ProcessLookupError):
        return None


def children(pid):
    """Direct children of pid (from /proc/*/stat)."""
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        # comm may hold spaces and parens: ppid is the 2nd field after the last ')'
        rest = s[s.rfind(")") + 2:].split()
        if len(rest) > 1 and int(rest[1]) == pid:
            kids.append(int(d))
    return sorted(kids)


def pid_alive(pid):
    st = proc_status(pid)
    return st is not None and not st.get("State", "").startswith("Z")


def caps(hexstr):
    """Set of capability numbers from a /proc status Cap* hex field."""
    v = int(hexstr, 16)
    return {i for i in range(64) if v >> i & 1}


CAP_NET_ADMIN = 12
CAP_NET_RAW = 13
