#!/usr/bin/python3
"""lessee side by side with the DHCP clients people run now: ISC dhclient,
dhcpcd and busybox udhcpc, in one namespace lab against dnsmasq and Kea
(issue 8).

    bench/peers.py [--build BUILD] [--runs 11] [--cycles 20] [--mem-runs 3]
                   [--servers dnsmasq,kea] [--out FILE|-] [--no-machine]

Root only. Prints one report to stdout (progress goes to stderr) and writes
it to --out (default bench/results/peers.txt; "-": stdout only, which is how
bench/run calls it: it adds its own machine header and writes the file).
A benchmark: it prints figures and verdicts against issue 8's targets and
never fails on them; it fails only when it cannot measure.

What is measured, every client in the same lab, one at a time:
  time to lease  process start -> lease applied and the process returned,
                 a fresh DORA each run (no lease file, no address, empty
                 resolv.conf), --runs runs per client, interleaved run by
                 run (the order rotates), split into phases from a capture;
  CPU per lease  user+sys of the whole process tree (wait4 rusage, children
                 included; we are the subreaper, so daemonized or orphaned
                 processes are reaped here and counted), --cycles DORAs;
  memory         each client in its daemon mode, bound: PSS, USS, RSS and
                 page tables summed over all its processes, where the pages
                 go (binary, libraries, .bss, heap, stack), lessee per role;
  binaries       file size, static/dynamic, ldd;
  codec          lessee's instructions per parse, from bench/results/codec.txt.

Safety (DESIGN.md, "Safety rules for tests"): the lab is tests/net/lab.py's
(namespaces lsn-<pid>-*, TEST-NET 192.0.2.0/24, everything removed on exit,
/etc/netns/<ns>/resolv.conf made before anything runs, so `ip netns exec`
shows it as /etc/resolv.conf). Every client process is started as
`ip netns exec <client ns> CLIENT ...`, so it sees only the lab's eth0, and
under that in a mount and UTS namespace of its own (see the launcher) where
temp dirs cover the host dirs the peers would otherwise write or run hooks
from: dhclient's hook dirs, dhcpcd's /var/lib/dhcpcd, /run/dhcpcd and hooks.
The host's /etc/resolv.conf, hostname, /etc/dhcp and /var/lib/dhcpcd are
compared before and after and the result is printed.
"""

import argparse
import ctypes
import datetime
import hashlib
import os
import platform
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def shown(path):
    """A path as the report prints it: relative to the checkout when inside
    it, so the results file names nothing of the machine it ran on."""
    full = os.path.abspath(path)
    return os.path.relpath(full, ROOT) if full.startswith(ROOT + os.sep) else full
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "net"))

import lab as labmod                                       # noqa: E402
from lab import IFNAME, Lab, LabError, wait_until          # noqa: E402
from servers import ServerConfig, make_server              # noqa: E402

CFG = ServerConfig()            # 600 s lease, pool 192.0.2.100-200, all options
RUN_TIMEOUT = 40.0              # one client run, start to exit (rfc5227 ACD ~ 8 s)
BIND_TIMEOUT = 40.0             # a daemon until bound
SETTLE = 1.0                    # bound -> memory sample (announces, hooks done)


def log(msg):
    print(f"peers: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- isolation

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_CHILD_SUBREAPER = 36

# The launcher every client is started through. Python forks with fork(),
# not vfork(), as soon as a preexec_fn is given, and that fork, the copy-on-
# write faults after it and the exec that tears the copy down cost this
# Python process 10-40 ms a run, noise that is not the client's. So Python
# starts this small program (vfork: no preexec_fn), which sets up the
# client's namespaces, writes when it is done and execs the client:
#
#   launch STAMP_FD PARENT_PID [SRC DST]... -- PROGRAM ARG...
#
# PDEATHSIG and its own session as the lab gives every process; a private
# mount namespace with each SRC (a temp dir) bind-mounted on DST (a host dir
# the client would write); a UTS namespace (a hostname hook cannot rename the
# host). Then it writes "MONOTONIC_NS CPU_US" to STAMP_FD, closes it and
# execs PROGRAM, which here is always `ip netns exec <client ns> CLIENT`.
LAUNCH_C = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "launch: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "",
		strerror(errno));
	exit(126);
}

int main(int argc, char **argv)
{
	struct timespec ts;
	struct rusage ru;
	char stamp[64];
	int fd, i, n;

	if (argc < 5)
		return 126;
	fd = atoi(argv[1]);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		die("prctl", NULL);
	if (getppid() != (pid_t)atol(argv[2]))
		return 126;                     /* the parent is already gone */
	if (setsid() < 0)
		die("setsid", NULL);
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS) != 0)
		die("unshare", NULL);
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		die("make / private", NULL);
	for (i = 3; i + 1 < argc && strcmp(argv[i], "--") != 0; i += 2)
		if (mount(argv[i], argv[i + 1], NULL, MS_BIND, NULL) != 0)
			die("bind on", argv[i + 1]);
	if (i >= argc - 1 || strcmp(argv[i], "--") != 0)
		return 126;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	getrusage(RUSAGE_SELF, &ru);
	n = snprintf(stamp, sizeof(stamp), "%lld %lld\n",
		     (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec,
		     (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
		     ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	if (write(fd, stamp, (size_t)n) != n)
		die("write", NULL);
	close(fd);
	execvp(argv[i + 1], argv + i + 1);
	die("exec", argv[i + 1]);
	return 126;
}
"""


def build_launcher(d):
    """Compile LAUNCH_C into d (static if the toolchain can); its path."""
    src, exe = os.path.join(d, "launch.c"), os.path.join(d, "launch")
    with open(src, "w") as f:
        f.write(LAUNCH_C)
    err = ""
    for static in (["-static"], []):
        r = subprocess.run(["gcc", "-O2", "-Wall", "-o", exe, src] + static, capture_output=True,
                           text=True, timeout=120)
        if r.returncode == 0:
            return exe
        err = r.stderr
    raise LabError(f"cannot build the launcher: {err.strip()}")


class MountPoints:
    """Host directories that the binds need as mount points. Normally the
    packages made them; one that is missing (/run/dhcpcd, made by a running
    dhcpcd only) is created empty and removed at the end."""

    def __init__(self):
        self.created = []

    def need(self, path):
        if not os.path.isdir(path):
            os.makedirs(path, mode=0o755)
            self.created.append(path)
        return path

    def remove(self):
        for p in reversed(self.created):
            try:
                os.rmdir(p)
            except OSError as e:
                log(f"could not remove {p}: {e}")
        self.created = []


# ---------------------------------------------------------------- clients

DHCLIENT_CONF = """\
# Debian's /etc/dhcp/dhclient.conf, the IPv4 part
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
send host-name = gethostname();
request subnet-mask, broadcast-address, time-offset, routers,
        domain-name, domain-name-servers, domain-search, host-name,
        netbios-name-servers, netbios-scope, interface-mtu,
        rfc3442-classless-static-routes, ntp-servers;
"""

# Sourced by Debian's dhclient-script before it acts (an enter hook may
# redefine its functions, as resolvconf's does). Its own make_resolv_conf
# builds /etc/resolv.conf.dhclient-new.PID beside resolv.conf, i.e. in the
# host's /etc: only resolv.conf itself is the namespace's file. This one
# writes the same content straight into /etc/resolv.conf.
DHCLIENT_ENTER_HOOK = """\
make_resolv_conf() {
    [ -n "$new_domain_name_servers" ] || return 0
    {
        [ -n "$new_domain_name" ] && echo "domain ${new_domain_name%% *}"
        if [ -n "$new_domain_search" ]; then
            echo "search $new_domain_search"
        elif [ -n "$new_domain_name" ]; then
            echo "search $new_domain_name"
        fi
        for ns in $new_domain_name_servers; do echo "nameserver $ns"; done
    } > /etc/resolv.conf
}
"""

# Debian's /etc/dhcpcd.conf less its IPv6 line (-4 on the command line).
DHCPCD_CONF = """\
duid
persistent
vendorclassid
option domain_name_servers, domain_name, domain_search
option classless_static_routes
option interface_mtu
option host_name
option rapid_commit
require dhcp_server_identifier
"""

# busybox udhcpc's hook: apply the lease with ip(8).
UDHCPC_SCRIPT = """\
#!/bin/sh
case "$1" in
deconfig)
    ip -4 addr flush dev "$interface"
    ip link set dev "$interface" up ;;
bound|renew)
    ip addr replace "$ip/${mask:-24}" broadcast "${broadcast:-+}" dev "$interface"
    for r in $router; do
        ip route replace default via "$r" dev "$interface"
        break
    done
    {
        [ -n "$domain" ] && echo "search $domain"
        for d in $dns; do echo "nameserver $d"; done
    } > /etc/resolv.conf ;;
esac
exit 0
"""


def _write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def _empty_dir(d):
    for n in os.listdir(d):
        p = os.path.join(d, n)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.unlink(p)


class Client:
    """One program: how to run it once (time, CPU) and as a daemon (memory),
    which host dirs it needs covered, and what to forget between runs."""
    name = None

    def __init__(self, lab, mounts):
        self.lab = lab
        self.dir = lab.path(f"peer-{self.name}")
        os.makedirs(self.dir, exist_ok=True)
        self.mounts = mounts
        self.binds = []

    def p(self, *parts):
        return os.path.join(self.dir, *parts)

    def bind(self, host_dir, name):
        """Cover host_dir with a temp dir of ours for this client's processes."""
        src = self.p(name)
        os.makedirs(src, exist_ok=True)
        self.binds.append((src, self.mounts.need(host_dir)))
        return src

    def binary(self):
        raise NotImplementedError

    def clean(self):
        """Forget the lease: the next run is a fresh DORA."""
        for n in ("lease", "pid"):
            if os.path.exists(self.p(n)):
                os.unlink(self.p(n))


class LesseeClient(Client):
    name = "lessee"

    def __init__(self, lab, mounts, binary):
        super().__init__(lab, mounts)
        self.bin = binary

    def binary(self):
        return self.bin

    def common(self):
        return ["-lf", self.p("lease"), "-pf", self.p("pid"), "--resolv-conf", "/etc/resolv.conf"]

    def oneshot(self, acd):
        return [self.bin, "--oneshot", "--acd", acd] + self.common() + [IFNAME]

    def daemon(self):
        return [self.bin, "-d"] + self.common() + [IFNAME]       # --acd fast, the default


class DhclientClient(Client):
    name = "dhclient"
    script = "/sbin/dhclient-script"

    def __init__(self, lab, mounts):
        super().__init__(lab, mounts)
        self.conf = _write(self.p("dhclient.conf"), DHCLIENT_CONF)
        # Debian's dhclient-script, with its hook dirs replaced: the enter
        # hook above, and of the exit hooks only rfc3442-classless-routes
        # (the others, e.g. systemd's timesyncd, may restart host services).
        enter = self.bind("/etc/dhcp/dhclient-enter-hooks.d", "enter-hooks.d")
        _write(os.path.join(enter, "bench-resolv-conf"), DHCLIENT_ENTER_HOOK)
        exit_ = self.bind("/etc/dhcp/dhclient-exit-hooks.d", "exit-hooks.d")
        rfc3442 = "/etc/dhcp/dhclient-exit-hooks.d/rfc3442-classless-routes"
        if os.path.exists(rfc3442):
            shutil.copy(rfc3442, exit_)

    def binary(self):
        return shutil.which("dhclient")

    def common(self):
        return ["-4", "-cf", self.conf, "-sf", self.script, "-lf", self.p("lease"),
                "-pf", self.p("pid"), IFNAME]

    def oneshot(self):
        # -1: try once; once bound, dhclient forks its daemon and the command
        # returns. The daemon is stopped (and its CPU counted) afterwards.
        return ["dhclient", "-1"] + self.common()

    def daemon(self):
        return ["dhclient", "-d"] + self.common()


class DhcpcdClient(Client):
    name = "dhcpcd"

    def __init__(self, lab, mounts):
        super().__init__(lab, mounts)
        self.conf = _write(self.p("dhcpcd.conf"), DHCPCD_CONF)
        # dhcpcd has no option for its state dirs (compiled in): leases, DUID
        # and secret in /var/lib/dhcpcd, pid files, control sockets and hook
        # state in /run/dhcpcd. Both are temp dirs here. Of its hooks, only
        # resolv.conf and hostname run (the NTP ones may restart host services).
        self.db = self.bind("/var/lib/dhcpcd", "var-lib-dhcpcd")
        self.rundir = self.bind("/run/dhcpcd", "run-dhcpcd")
        hooks = self.bind("/usr/lib/dhcpcd/dhcpcd-hooks", "dhcpcd-hooks")
        for h in ("20-resolv.conf", "30-hostname"):
            src = os.path.join("/usr/lib/dhcpcd/dhcpcd-hooks", h)
            if os.path.exists(src):
                shutil.copy(src, hooks)

    def binary(self):
        return shutil.which("dhcpcd")

    def oneshot(self, arp):
        return (["dhcpcd", "-f", self.conf, "-4", "-1"] + ([] if arp else ["--noarp"]) +
                [IFNAME])

    def daemon(self):
        return ["dhcpcd", "-f", self.conf, "-4", "-B", IFNAME]

    def clean(self):
        # the lease goes, the DUID stays (a host keeps it: same client id)
        for n in os.listdir(self.db):
            if n != "duid":
                os.unlink(os.path.join(self.db, n))
        _empty_dir(self.rundir)


class UdhcpcClient(Client):
    name = "udhcpc"

    def __init__(self, lab, mounts):
        super().__init__(lab, mounts)
        self.script = _write(self.p("udhcpc.script"), UDHCPC_SCRIPT, 0o755)
        self.cmd = ["udhcpc"] if shutil.which("udhcpc") else ["busybox", "udhcpc"]

    def binary(self):
        return os.path.realpath(shutil.which(self.cmd[0]))

    def common(self):
        return ["-i", IFNAME, "-s", self.script, "-p", self.p("pid")]

    def oneshot(self):
        return self.cmd + ["-q", "-n"] + self.common()

    def daemon(self):
        return self.cmd + ["-f"] + self.common()


class Variant:
    """One line of the time table: a client and the argv of one run."""

    def __init__(self, key, label, client, argv):
        self.key, self.label, self.client, self.argv = key, label, client, argv


# ---------------------------------------------------------------- /proc

def proc_tree(root):
    """root and all its descendants (from /proc/*/stat ppid)."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += labmod.children(pid)
    return out


def proc_state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        return s[s.rfind(")") + 2:].split()[0]
    except OSError:
        return None


def rollup(pid):
    """/proc/PID/smaps_rollup as {field: kB}."""
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            m = re.match(r"^(\w+):\s+(\d+) kB", line)
            if m:
                out[m.group(1)] = int(m.group(2))
    return out


CATEGORIES = ("binary", "libc", "ld.so", "other libs", ".bss", "heap", "stack", "anon", "other")
FILE_CATEGORIES = ("binary", "libc", "ld.so", "other libs")


def smaps(pid):
    """One process's mappings: dicts with start, end, offset, path, cat and
    the kB fields of /proc/PID/smaps (Rss, Pss, Private_Dirty, ...). cat
    says what the mapping holds (CATEGORIES); an anonymous mapping right
    after a file's last mapping is that file's .bss past the end of the
    file: '.bss' for the executable, the library's own category for a
    library."""
    exe = os.path.realpath(f"/proc/{pid}/exe")
    vmas = []
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ \S+\s*(.*)$", line)
            if head:
                start, end = int(head.group(1), 16), int(head.group(2), 16)
                path = head.group(4)
                prev = vmas[-1] if vmas else None
                if path == exe:
                    cat = "binary"
                elif (not path and prev and prev["cat"] in FILE_CATEGORIES and
                      prev["path"] and start == prev["end"]):
                    cat = ".bss" if prev["cat"] == "binary" else prev["cat"]
                elif path == "[heap]":
                    cat = "heap"
                elif path.startswith("[stack"):
                    cat = "stack"
                elif not path:
                    cat = "anon"
                elif "/libc.so" in path:
                    cat = "libc"
                elif "/ld-linux" in path:
                    cat = "ld.so"
                elif ".so" in path:
                    cat = "other libs"
                else:
                    cat = "other"          # [vdso], [vvar], locale files ...
                vmas.append({"start": start, "end": end, "offset": int(head.group(3), 16),
                             "path": path, "cat": cat})
                continue
            m = re.match(r"^(\w+):\s+(\d+) kB", line)
            if m and vmas:
                vmas[-1][m.group(1)] = int(m.group(2))
    return vmas


def by_category(vmas):
    """PSS and USS (kB) per category, and the mapped size (kB) of the .bss,
    heap and stack."""
    pss = dict.fromkeys(CATEGORIES, 0)
    uss = dict.fromkeys(CATEGORIES, 0)
    size = {".bss": 0, "heap": 0, "stack": 0}
    for v in vmas:
        pss[v["cat"]] += v.get("Pss", 0)
        uss[v["cat"]] += v.get("Private_Clean", 0) + v.get("Private_Dirty", 0)
        if v["cat"] in size:
            size[v["cat"]] += (v["end"] - v["start"]) // 1024
    return pss, uss, size


def alone_kb(all_vmas):
    """The client's memory as if no other process on the machine mapped its
    files: file pages counted once across the client's own processes (the
    same file range in several of them counts once), plus its anonymous
    pages (PSS of anonymous mappings, so that pages a fork shares between
    its processes count once; copy-on-write pages of file mappings as
    private). PSS depends on what else runs (libc is shared with every
    process, busybox with any other applet); this does not."""
    files, anon = {}, 0
    for v in all_vmas:
        if v["path"].startswith("["):
            if v["path"] in ("[heap]",) or v["path"].startswith("[stack"):
                anon += v.get("Pss", 0)
            continue                     # [vdso], [vvar]: the kernel's
        if not v["path"]:
            anon += v.get("Pss", 0)
            continue
        anon += v.get("Anonymous", 0)
        key = (v["path"], v["offset"], v["end"] - v["start"])
        files[key] = max(files.get(key, 0), v.get("Rss", 0) - v.get("Anonymous", 0))
    return anon + sum(files.values())


def proc_role(pid):
    """A label for one process of a client: lessee's --role, else comm."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
        with open(f"/proc/{pid}/comm") as f:
            comm = f.read().strip()
    except OSError:
        return "?"
    if b"--role" in argv:
        i = argv.index(b"--role")
        return argv[i + 1].decode() if i + 1 < len(argv) else comm
    return comm


def sample_memory(root):
    """One sample of a client's process tree: totals and per process."""
    procs, all_vmas = [], []
    for pid in proc_tree(root):
        try:
            r = rollup(pid)
            vmas = smaps(pid)
        except OSError:
            continue                # gone between listing and reading
        all_vmas += vmas
        cats, ucats, sizes = by_category(vmas)
        status = labmod.proc_status(pid) or {}
        pte = int(status.get("VmPTE", "0 kB").split()[0])
        procs.append({"pid": pid, "role": proc_role(pid), "pss": r.get("Pss", 0),
                      "rss": r.get("Rss", 0),
                      "uss": r.get("Private_Clean", 0) + r.get("Private_Dirty", 0),
                      "anon": r.get("Anonymous", 0), "pte": pte, "cats": cats,
                      "ucats": ucats, "sizes": sizes})
    total = {k: sum(p[k] for p in procs) for k in ("pss", "rss", "uss", "anon", "pte")}
    total["procs"] = len(procs)
    total["alone"] = alone_kb(all_vmas)
    total["cats"] = {c: sum(p["cats"][c] for p in procs) for c in CATEGORIES}
    total["ucats"] = {c: sum(p["ucats"][c] for p in procs) for c in CATEGORIES}
    return total, procs


# ---------------------------------------------------------------- the wire

PHASES = ("start>DISCOVER", "DISCOVER>OFFER", "OFFER>REQUEST", "REQUEST>ACK", "ACK>exit")


class Wire:
    """The client's DHCP and ARP frames, from tcpdump on its switch port (the
    lab's capture), decoded here without scapy and read as the file grows,
    so that each run can be split into phases afterwards."""

    def __init__(self, lab):
        self.cap = lab.client.capture(name="wire")
        self.mac = bytes.fromhex(lab.client_mac.replace(":", ""))
        self.n = 0
        self.events = []            # (pcap time, "DISCOVER" | ... | "ARP")

    def read(self):
        recs = labmod.read_pcap_records(self.cap.path)
        for t, fr in recs[self.n:]:
            kind = self.decode(t, fr)
            if kind:
                self.events.append((t, kind))
        self.n = len(recs)

    def decode(self, t, fr):
        if len(fr) < 42:
            return None
        etype = int.from_bytes(fr[12:14], "big")
        if etype == 0x0806:
            return "ARP" if fr[22:28] == self.mac else None       # sender MAC: ours
        if etype != 0x0800 or fr[23] != 17:
            return None
        udp = 14 + (fr[14] & 15) * 4
        sport = int.from_bytes(fr[udp:udp + 2], "big")
        dport = int.from_bytes(fr[udp + 2:udp + 4], "big")
        if {sport, dport} != {67, 68}:
            return None
        try:
            m = labmod.Dhcp(t, None, None, None, None, sport, dport, fr[udp + 8:])
        except ValueError:
            return None
        return m.type if m.chaddr == self.mac.hex(":") else None

    def phases(self, t0, t1):
        """Seconds of each phase of one run whose process ran from t0 to t1
        (wall clock), and the number of ARP frames it sent; None for a
        phase whose message is not on the wire."""
        evs = [(t, k) for t, k in self.events if t0 <= t <= t1 + 0.05]

        def first(kind, after):
            if after is None:
                return None
            return next((t for t, k in evs if k == kind and t >= after), None)
        d = first("DISCOVER", t0)
        o = first("OFFER", d)
        r = first("REQUEST", o)
        a = first("ACK", r)
        marks = [t0, d, o, r, a, t1]
        out = [None if x is None or y is None else y - x for x, y in zip(marks, marks[1:])]
        return out, sum(1 for t, k in evs if k == "ARP" and t <= t1)


# ---------------------------------------------------------------- the bench

class Failure(Exception):
    pass


class Bench:
    def __init__(self, lab, args, lessee_bin, mounts):
        self.lab, self.args = lab, args
        self.host = lab.client
        self.mounts = mounts
        self.resolv = os.path.join(labmod.ETC_NETNS, lab.client.ns, "resolv.conf")
        self.lessee = LesseeClient(lab, self.mounts, lessee_bin)
        self.dhclient = DhclientClient(lab, self.mounts)
        self.dhcpcd = DhcpcdClient(lab, self.mounts)
        self.udhcpc = UdhcpcClient(lab, self.mounts)
        self.clients = [self.lessee, self.dhclient, self.dhcpcd, self.udhcpc]
        L, D, C, U = self.lessee, self.dhclient, self.dhcpcd, self.udhcpc
        self.variants = {v.key: v for v in (
            Variant("lessee-off", "lessee --oneshot --acd off", L, L.oneshot("off")),
            Variant("lessee-fast", "lessee --oneshot --acd fast", L, L.oneshot("fast")),
            Variant("lessee-rfc", "lessee --oneshot --acd rfc5227", L, L.oneshot("rfc5227")),
            Variant("dhclient", "dhclient -1", D, D.oneshot()),
            Variant("dhcpcd-arp", "dhcpcd -1 (ARP)", C, C.oneshot(True)),
            Variant("dhcpcd-noarp", "dhcpcd -1 --noarp", C, C.oneshot(False)),
            Variant("udhcpc", "udhcpc -q -n", U, U.oneshot()),
        )}
        self.server = None
        self.launcher = build_launcher(lab.tmp)

    # -- processes

    def spawn(self, argv, name, binds):
        """Start argv in the client namespace through the launcher: (Proc,
        start, cpu0) where start is (CLOCK_MONOTONIC ns, wall clock s) when
        the launcher exec'd `ip netns exec`, and cpu0 the seconds it had
        used until then (not the client's)."""
        out, err = self.lab.path(f"{name}.out"), self.lab.path(f"{name}.err")
        rfd, wfd = os.pipe()
        cmd = [self.launcher, str(wfd), str(os.getpid())]
        for src, dst in binds:
            cmd += [src, dst]
        cmd += ["--", "ip", "netns", "exec", self.host.ns] + list(argv)
        try:
            with open(out, "wb") as fo, open(err, "wb") as fe:
                p = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                     pass_fds=(wfd,), close_fds=True)
            # the offset between the clocks, to place the start on the wire
            wall_minus_mono = time.time() - time.monotonic_ns() / 1e9
            os.close(wfd)
            wfd = None
            stamp = b""
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:      # until the launcher execs
                if not select.select([rfd], [], [], deadline - time.monotonic())[0]:
                    break
                chunk = os.read(rfd, 64)
                if not chunk:
                    break
                stamp += chunk
        finally:
            os.close(rfd)
            if wfd is not None:
                os.close(wfd)
        proc = labmod.Proc(self.lab, name, argv, p, out, err)
        self.lab.procs.append(proc)           # the lab stops it if we die
        try:
            t0, cpu0_us = (int(x) for x in stamp.split())
        except ValueError:
            proc.stop(signal.SIGKILL, timeout=5)
            raise Failure(f"{name}: could not start: {proc.stderr().strip()}") from None
        return proc, (t0, t0 / 1e9 + wall_minus_mono), cpu0_us / 1e6

    @staticmethod
    def wait_exit(proc, timeout):
        """Wait for our child to exit, at most timeout s, and reap it:
        (exit code, rusage, t ns), or None if it still runs."""
        fd = os.pidfd_open(proc.pid)
        try:
            ready, _, _ = select.select([fd], [], [], timeout)
            t = time.monotonic_ns()
        finally:
            os.close(fd)
        if not ready:
            return None
        _, status, ru = os.wait4(proc.pid, 0)
        proc.popen.returncode = os.waitstatus_to_exitcode(status)
        return proc.popen.returncode, ru, t

    def reap_leftovers(self, timeout=5.0):
        """Stop what a client left running (dhclient's daemon, dhcpcd's
        helpers) and reap every child of ours the lab does not track: as
        subreaper we inherit orphans. Returns their user+sys seconds."""
        cpu = 0.0
        tracked = {p.pid for p in self.lab.procs if p.popen.returncode is None}
        deadline = time.monotonic() + timeout
        signalled = {}
        while True:
            stray = [p for p in labmod.children(os.getpid()) if p not in tracked]
            # and anything else in the client namespace (not ours: kill only)
            stray_ns = [p for p in labmod._ns_pids(self.host.ns) if p not in stray]
            if not stray and not stray_ns:
                return cpu
            now = time.monotonic()
            if now > deadline:
                raise Failure(f"processes left in the client namespace: {stray + stray_ns}")
            for pid in stray + stray_ns:
                if proc_state(pid) == "Z" and pid in stray:
                    try:
                        _, _, ru = os.wait4(pid, os.WNOHANG)
                        cpu += ru.ru_utime + ru.ru_stime
                    except ChildProcessError:
                        pass
                    continue
                first = signalled.setdefault(pid, now)
                sig = signal.SIGTERM if now - first < 2.0 else signal.SIGKILL
                if now == first or sig == signal.SIGKILL:
                    try:
                        os.kill(pid, sig)
                    except ProcessLookupError:
                        pass
            time.sleep(0.02)

    def reset(self, client):
        """Back to a client namespace with no address, no route, an empty
        resolv.conf and no lease file."""
        cpu = self.reap_leftovers()
        self.host.run(["ip", "link", "set", "dev", IFNAME, "up"])
        self.host.run(["ip", "-4", "addr", "flush", "dev", IFNAME])
        self.host.run(["ip", "-4", "route", "flush", "dev", IFNAME])
        with open(self.resolv, "w"):
            pass
        client.clean()
        return cpu

    def applied(self):
        """What the client put in place: (address in the pool, default
        route, DNS in resolv.conf)."""
        addr = any(CFG.in_pool(a["local"]) for a in self.host.addresses())
        route = any(r.get("dst") == "default" for r in self.host.routes())
        with open(self.resolv) as f:
            dns = CFG.dns[0] in f.read()
        return addr, route, dns

    def one_lease(self, v):
        """One fresh DORA by variant v, start to exit: a dict with ok, ms,
        cpu (s), applied, and the reason when not ok."""
        proc, (t0, wall0), cpu0 = self.spawn(v.argv, v.key, v.client.binds)
        r = self.wait_exit(proc, RUN_TIMEOUT)
        res = {"ok": False, "ms": None, "cpu": 0.0, "applied": (False, False, False),
               "wall": (wall0, None)}
        if r is None:
            proc.stop(signal.SIGKILL, timeout=5)
            res["why"] = f"still running after {RUN_TIMEOUT:g} s"
        else:
            code, ru, t1 = r
            res["ms"] = (t1 - t0) / 1e6
            res["wall"] = (wall0, wall0 + (t1 - t0) / 1e9)
            res["cpu"] = ru.ru_utime + ru.ru_stime - cpu0
            res["applied"] = self.applied()
            if code != 0:
                res["why"] = f"exit {code}: {proc.stderr().strip()[-300:]}"
            elif not res["applied"][0]:
                res["why"] = "exit 0 but no address from the pool on eth0"
            else:
                res["ok"] = True
        res["cpu"] += self.reset(v.client)        # + what it left behind
        return res

    def bound_daemon(self, client):
        """Start client's daemon, wait until bound, sample its memory, stop
        it: (totals, per process)."""
        proc, _, _ = self.spawn(client.daemon(), f"{client.name}-daemon", client.binds)
        try:
            def bound():
                if not proc.alive():
                    raise Failure(f"{client.name} daemon exited: {proc.stderr()[-400:]}")
                return self.applied()[0]
            wait_until(bound, BIND_TIMEOUT, f"{client.name} daemon to bind")
            time.sleep(SETTLE)
            return sample_memory(proc.pid)
        finally:
            proc.stop(signal.SIGTERM, timeout=10)
            self.reset(client)

    # -- phases

    def start_server(self, kind):
        if self.server:
            self.server.stop()
        self.server = make_server(kind, self.lab.server, CFG).start()

    def rotate(self, keys, i):
        k = i % len(keys)
        return keys[k:] + keys[:k]

    def time_phase(self, keys, wire, floor):
        """--runs rounds of one fresh lease by each variant in keys; each
        run's phases from the wire. Each round also adds one run of
        /bin/true to the list floor."""
        res = {k: [] for k in keys}
        n = self.args.runs
        for i in range(n):
            t = time.monotonic()
            floor.append(self.one_floor())
            for k in self.rotate(keys, i):
                res[k].append(self.one_lease(self.variants[k]))
            log(f"time to lease: round {i + 1}/{n} ({time.monotonic() - t:.1f} s)")
        time.sleep(0.2)             # the last frames reach the capture file
        wire.read()
        for runs in res.values():
            for r in runs:
                if r["ok"]:
                    r["phases"], r["arp"] = wire.phases(*r["wall"])
        return res

    def one_floor(self):
        """What every run pays around the client itself: the launcher's
        exec of `ip netns exec`, ip's own namespace work, the exits and
        our wakeup, with /bin/true as the client: (ms wall, ms CPU)."""
        proc, (t0, _), cpu0 = self.spawn(["true"], "floor", [])
        code, ru, t1 = self.wait_exit(proc, 10) or (None, None, None)
        if code != 0:
            raise Failure(f"`ip netns exec {self.host.ns} true` failed: {proc.stderr()}")
        return (t1 - t0) / 1e6, (ru.ru_utime + ru.ru_stime - cpu0) * 1000

    def cpu_phase(self):
        # The slow ones (several seconds of ACD wait, no CPU) are left out;
        # their CPU comes from the time runs.
        keys = ["lessee-off", "lessee-fast", "dhclient", "dhcpcd-noarp", "udhcpc"]
        res = {k: [] for k in keys}
        n = self.args.cycles
        t = time.monotonic()
        for i in range(n):
            for k in self.rotate(keys, i):
                res[k].append(self.one_lease(self.variants[k]))
            if (i + 1) % 10 == 0 or i + 1 == n:
                log(f"CPU per lease: cycle {i + 1}/{n} ({time.monotonic() - t:.1f} s)")
        return res

    def mem_phase(self):
        res = {c.name: [] for c in self.clients}
        for i in range(self.args.mem_runs):
            for c in self.rotate(self.clients, i):
                res[c.name].append(self.bound_daemon(c))
            log(f"memory: round {i + 1}/{self.args.mem_runs}")
        return res


# ---------------------------------------------------------------- facts

def dpkg_version(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True,
                       text=True)
    return r.stdout.strip() if r.returncode == 0 and r.stdout.strip() else None


def git_commit():
    def git(*a):
        return subprocess.run(["git", "-C", REPO] + list(a), capture_output=True, text=True)
    r = git("rev-parse", "--short", "HEAD")
    if r.returncode != 0:
        return "unknown"
    # diff (unlike status) never writes the index
    dirty = git("diff", "--quiet", "HEAD", "--", "src", "meson.build").returncode != 0
    return r.stdout.strip() + (" + uncommitted changes in src/" if dirty else "")


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def elf_linking(path):
    """'dynamic' (has PT_INTERP) or 'static', and PIE or not, from the ELF
    program headers (64-bit little endian only; else '?')."""
    with open(path, "rb") as f:
        h = f.read(64)
        if h[:4] != b"\x7fELF" or h[4] != 2 or h[5] != 1:
            return "?"
        e_type = struct.unpack_from("<H", h, 16)[0]
        phoff = struct.unpack_from("<Q", h, 32)[0]
        phentsize, phnum = struct.unpack_from("<HH", h, 54)
        f.seek(phoff)
        ph = f.read(phentsize * phnum)
    interp = any(struct.unpack_from("<I", ph, i * phentsize)[0] == 3 for i in range(phnum))
    return ("dynamic" if interp else "static") + (", PIE" if e_type == 3 else "")


def ldd(path):
    r = subprocess.run(["ldd", path], capture_output=True, text=True)
    names = []
    for line in r.stdout.splitlines():
        name = line.strip().split()[0] if line.strip() else ""
        if name and not name.startswith("linux-vdso"):
            names.append(os.path.basename(name))
    return names


def codec_figures():
    """The callgrind lines of bench/results/codec.txt, with its date and commit."""
    path = os.path.join(HERE, "results", "codec.txt")
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        return None
    date = re.search(r"^date:\s*(.*)$", text, re.M)
    commit = re.search(r"^commit:\s*(.*)$", text, re.M)
    rows = re.findall(r"^\s+(message\s+opts.*|10-option ACK.*|the real ACK of.*)$", text, re.M)
    return (date.group(1) if date else "?", commit.group(1) if commit else "?", rows)


def host_state():
    """What must come out of the run unchanged on the host."""
    def digest(p):
        try:
            with open(p, "rb") as f:
                return hashlib.sha256(f.read()).hexdigest()
        except FileNotFoundError:
            return None
    resolv = (digest("/etc/resolv.conf"), sorted(n for n in os.listdir("/etc") if "resolv" in n))
    dhcpcd_db = sorted(os.listdir("/var/lib/dhcpcd")) if os.path.isdir("/var/lib/dhcpcd") else None
    return {"/etc/resolv.conf": resolv, "hostname": socket.gethostname(),
            "/var/lib/dhcpcd": dhcpcd_db,
            "/etc/dhcp": sorted(os.listdir("/etc/dhcp")) if os.path.isdir("/etc/dhcp") else None}


# ---------------------------------------------------------------- printing

def table(headers, rows, left=1):
    """Plain text table: the first `left` columns left-aligned, the rest right."""
    cols = list(zip(*([headers] + rows))) if rows else [[h] for h in headers]
    w = [max(len(str(x)) for x in c) for c in cols]
    out = []
    for r in [headers] + rows:
        cells = [str(x).ljust(w[i]) if i < left else str(x).rjust(w[i]) for i, x in enumerate(r)]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def f1(x):
    return "-" if x is None else f"{x:.1f}"


def applied_str(runs):
    ok = [r for r in runs if r["ok"]]
    if not ok:
        return "-"
    parts = [name for i, name in enumerate(("addr", "route", "dns"))
             if all(r["applied"][i] for r in ok)]
    return "+".join(parts)


def report(b, args, facts, timing, cpu, mem, server_kinds):
    L = []
    L.append("== peers: lessee side by side with dhclient, dhcpcd and busybox udhcpc ==")
    L.append("")
    if not args.no_machine:
        L.append(f"date:    {facts['date']}")
        L.append(f"host:    nproc={os.cpu_count()}, kernel {platform.release()} "
                 f"{platform.machine()}")
        L.append(f"cpu:     {cpu_model()}")
        L.append(f"commit:  {facts['commit']}")
    L.append(f"load:    1-min load average {facts['load'][0]:.2f} at the start, "
             f"{facts['load'][1]:.2f} at the end (other work on the machine adds noise)")
    L.append(f"lessee:  {shown(b.lessee.bin)} (commit {facts['commit']})")
    L.append("peers:   " + ", ".join(f"{p} {facts['versions'].get(p) or 'not installed'}"
                                     for p in ("isc-dhcp-client", "dhcpcd-base", "busybox")))
    L.append("server:  " + ", ".join(f"{k} ({facts['versions'].get(s) or '?'})" for k, s in
                                     (("dnsmasq", "dnsmasq-base"),
                                      ("kea", "kea-dhcp4-server")) if k in server_kinds) +
             f"; 192.0.2.0/24, lease {CFG.lease} s, no ping before OFFER")
    fw, fc, fn = facts["floor"]
    L.append("lab:     tests/net/lab.py: namespaces on a bridge. A run starts when a small "
             "launcher, its")
    L.append("         namespaces set up, execs `ip netns exec NS CLIENT`, and ends when that "
             "process is reaped;")
    L.append(f"         with /bin/true as CLIENT that floor is {fw:.1f} ms wall, {fc:.1f} ms CPU "
             f"(median of {fn}, one")
    L.append("         each round), included in every figure below; 'net' columns subtract "
             "it.")
    L.append("clients: dhclient with Debian's /sbin/dhclient-script (resolv.conf written in "
             "place; of the exit")
    L.append("         hooks only rfc3442); dhcpcd with Debian's dhcpcd.conf (IPv4 part) and "
             "its resolv.conf and")
    L.append("         hostname hooks; udhcpc with a short ip(8) script; lessee applies the "
             "lease itself.")
    L.append("         ACD: lessee as named; dhcpcd per RFC 5227 unless --noarp; dhclient "
             "and udhcpc none.")

    for kind in server_kinds:
        res = timing[kind]
        ref = _median_ok(res["lessee-off"])
        L.append("")
        L.append(f"time to lease against {kind}: process start -> lease applied and process "
                 f"returned, ms ({args.runs} runs each, interleaved)")
        rows = []
        for k in res:
            runs = res[k]
            ok = [r["ms"] for r in runs if r["ok"]]
            med = statistics.median(ok) if ok else None
            rows.append([b.variants[k].label, f"{len(ok)}/{len(runs)}", f1(med),
                         f1(min(ok)) if ok else "-", f1(max(ok)) if ok else "-",
                         ratio(med, ref), f1(med - fw) if ok else "-", applied_str(runs)])
        L += table(["client", "ok", "median", "min", "max", "x lessee-off", "net", "applied"],
                   rows)
        fails = [(b.variants[k].label, r["why"]) for k in res for r in res[k] if not r["ok"]]
        for label, why in fails[:10]:
            L.append(f"  FAILED {label}: {why}")
        if len(fails) > 10:
            L.append(f"  ... {len(fails) - 10} more failed runs")
        L.append("")
        L.append(f"  where the time goes against {kind}, medians in ms, from a capture on the "
                 f"client's switch port:")
        rows = []
        for k in res:
            ok = [r for r in res[k] if r["ok"]]
            cells = []
            for i in range(len(PHASES)):
                xs = [r["phases"][i] * 1000 for r in ok if r["phases"][i] is not None]
                cells.append(f1(statistics.median(xs)) if xs else "-")
            arp = [r["arp"] for r in ok]
            rows.append([b.variants[k].label] + cells +
                        [f"{statistics.median(arp):.0f}" if arp else "-"])
        L += table(["client"] + list(PHASES) + ["ARP sent"], rows)
        L.append("  (start>DISCOVER holds the floor; dhcpcd waits a random time before its "
                 "first DISCOVER unless")
        L.append("   'nodelay'; udhcpc and dhclient run their script once before it: "
                 "deconfig, PREINIT)")
    if len(server_kinds) > 1:
        L.append("  Against the second server the two ACD-bound runs are left out (their time "
                 "is ACD timers).")

    # CPU
    main_kind = server_kinds[0]
    L.append("")
    L.append(f"CPU per lease against {main_kind}: user+sys of the whole process tree "
             f"(wait4 rusage incl. children and")
    L.append("leftovers, less the launcher's own), ms per fresh DORA")
    rows = []
    ref = _cpu_per_lease(cpu.get("lessee-off", []))
    for k, v in b.variants.items():
        runs = cpu.get(k)
        src = f"{args.cycles} cycles"
        if not runs:
            runs, src = timing[main_kind][k], f"{args.runs} time runs"
        ok = [r for r in runs if r["ok"]]
        per = _cpu_per_lease(runs)
        cpus = [r["cpu"] * 1000 for r in ok]
        rows.append([v.label, src, f"{len(ok)}/{len(runs)}", f1(per),
                     f1(min(cpus)) if cpus else "-", f1(max(cpus)) if cpus else "-",
                     ratio(per, ref), f1(per - fc) if per is not None else "-"])
    L += table(["client", "from", "ok", "ms/lease", "min", "max", "x lessee-off", "net"], rows,
               left=2)

    # memory
    L.append("")
    L.append(f"memory while bound (daemon mode, sampled {SETTLE:g} s after the address "
             f"appeared; median of {args.mem_runs}), kB")
    rows, med = [], {}
    argv_of = {"lessee": "lessee -d (--acd fast)", "dhclient": "dhclient -d",
               "dhcpcd": "dhcpcd -B (ARP)", "udhcpc": "udhcpc -f"}
    for c in b.clients:
        samples = [s[0] for s in mem[c.name]]
        m = {k: statistics.median(s[k] for s in samples)
             for k in ("pss", "uss", "rss", "alone", "pte", "procs")}
        m["cats"] = {cat: statistics.median(s["cats"][cat] for s in samples) for cat in CATEGORIES}
        med[c.name] = m
    ref = med["lessee"]["pss"]
    for c in b.clients:
        m = med[c.name]
        pss = [s[0]["pss"] for s in mem[c.name]]
        rows.append([argv_of[c.name], f"{m['procs']:.0f}", f"{m['pss']:.0f}",
                     f"{min(pss)}-{max(pss)}", ratio(m["pss"], ref), f"{m['uss']:.0f}",
                     f"{m['alone']:.0f}", ratio(m["alone"], med["lessee"]["alone"]),
                     f"{m['rss']:.0f}", f"{m['pte']:.0f}"])
    L += table(["client", "procs", "PSS", "PSS min-max", "x lessee", "USS", "alone",
                "x lessee", "RSS", "page tables"], rows)
    L.append("  Summed over all the client's processes. PSS: proportional set size, a page "
             "shared by n processes")
    L.append("  counts 1/n (so it depends on what else runs: libc is shared with every "
             "process, busybox with any")
    L.append("  other applet); USS: private pages only; alone: as if no other process "
             "mapped the client's files")
    L.append("  (each file page once across its processes, plus its anonymous pages); RSS "
             "counts shared pages in full;")
    L.append("  page tables: VmPTE, kernel memory per process that none of the others "
             "include.")
    L.append("")
    L.append("  where the PSS goes, kB (.bss: the anonymous mapping after the executable):")
    rows = [[argv_of[c.name]] + [f"{med[c.name]['cats'][cat]:.0f}" for cat in CATEGORIES]
            for c in b.clients]
    L += table(["client"] + list(CATEGORIES), rows)

    # lessee per role, from the median sample
    L.append("")
    L.append("  lessee per process (the sample with the median total PSS), kB. USS by what "
             "is mapped (libs: libc,")
    L.append("  ld.so and the other shared libraries, with their .bss); mapped: the size of "
             "the .bss, heap and stack:")
    samples = sorted(mem["lessee"], key=lambda s: s[0]["pss"])
    _, procs = samples[len(samples) // 2]
    rows = []
    for p in sorted(procs, key=lambda p: p["pid"]):
        role = "supervisor" if p["role"] == "lessee" else p["role"]
        u = p["ucats"]
        rows.append([role, p["pss"], p["uss"], p["rss"], p["pte"], u["binary"],
                     u["libc"] + u["ld.so"] + u["other libs"], u[".bss"], u["heap"], u["stack"],
                     u["anon"] + u["other"],
                     f"{p['sizes']['.bss']}/{p['sizes']['heap']}/{p['sizes']['stack']}"])
    L += table(["role", "PSS", "USS", "RSS", "PTE", "USS: binary", "libs", ".bss", "heap",
                "stack", "anon", "mapped .bss/heap/stack"], rows)

    # binaries
    L.append("")
    L.append("binaries:")
    rows = []
    ref_size = os.path.getsize(b.lessee.bin)
    for c in b.clients:
        path = c.binary()
        deps = ldd(path)
        rows.append([c.name, shown(path), f"{os.path.getsize(path) // 1024}",
                     ratio(os.path.getsize(path), ref_size), elf_linking(path),
                     str(len(deps)), " ".join(deps)])
    L += table(["client", "file", "kB", "x lessee", "linking", "ldd", "libraries"], rows, left=2)
    L.append("  udhcpc is an applet of the whole busybox binary; dhcpcd also dlopens "
             "its udev plugin.")

    # codec
    L.append("")
    cf = codec_figures()
    if cf:
        date, commit, rows = cf
        L.append(f"codec (lessee's src/wire, from bench/results/codec.txt of {date}, "
                 f"commit {commit}):")
        L.append("  instructions per dhcp_parse (parse + full validation), callgrind:")
        L += [f"  {r.strip()}" for r in rows]
    else:
        L.append("codec: no bench/results/codec.txt (run bench/run BUILD codec)")

    # targets
    L.append("")
    L.append("issue 8 targets (printed, not enforced):")
    t = timing[main_kind]
    off, fast, rfc = (_median_ok(t[k]) for k in ("lessee-off", "lessee-fast", "lessee-rfc"))
    dh, dc_arp = _median_ok(t["dhclient"]), _median_ok(t["dhcpcd-arp"])
    udh_pss, les_pss = med["udhcpc"]["pss"], med["lessee"]["pss"]

    def verdict(ok):
        return "ok" if ok else "MISSED"
    targets = []
    if off is not None and dh is not None:
        targets.append(["lessee --acd off <= dhclient / 2", f"{off:.1f} ms vs {dh / 2:.1f} ms",
                        f"{off - fw:.1f} vs {(dh - fw) / 2:.1f}", verdict(off <= dh / 2)])
    if fast is not None:
        targets.append(["lessee --acd fast < 300 ms", f"{fast:.1f} ms", f"{fast - fw:.1f}",
                        verdict(fast < 300)])
    if rfc is not None and dc_arp is not None:
        # "comparable": within 10 % of dhcpcd's median, or faster
        targets.append(["lessee --acd rfc5227 ~ dhcpcd (ARP)",
                        f"{rfc:.1f} ms vs {dc_arp:.1f} ms", f"{rfc - fw:.1f} vs {dc_arp - fw:.1f}",
                        verdict(rfc <= dc_arp * 1.10)])
    targets.append(["lessee PSS, all roles <= udhcpc PSS",
                    f"{les_pss:.0f} kB vs {udh_pss:.0f} kB",
                    f"alone {med['lessee']['alone']:.0f} vs {med['udhcpc']['alone']:.0f}",
                    verdict(les_pss <= udh_pss)])
    L += table(["target", "measured (medians)", "net of floor / alone", "verdict"], targets,
               left=3)
    L.append("  Verdicts on the measured medians; comparable = at most 10 % slower than "
             "dhcpcd's median.")
    L.append("")
    L.append(f"host after the run: {facts['host_check']}")
    return "\n".join(L) + "\n"


def _median_ok(runs):
    ok = [r["ms"] for r in runs if r["ok"]]
    return statistics.median(ok) if ok else None


def _cpu_per_lease(runs):
    ok = [r for r in runs if r["ok"]]
    return sum(r["cpu"] for r in ok) * 1000 / len(ok) if ok else None


# ---------------------------------------------------------------- main

def preflight(args):
    if os.geteuid() != 0:
        sys.exit("peers: must run as root (network namespaces, raw sockets, mounts)")
    missing = [t for t in ("ip", "ethtool", "tcpdump", "dnsmasq", "dhclient", "dhcpcd",
                           "busybox", "ldd", "dpkg-query", "gcc")
               if shutil.which(t) is None]
    if "kea" in args.servers and shutil.which("kea-dhcp4") is None:
        missing.append("kea-dhcp4")
    for f in (DhclientClient.script, "/usr/lib/dhcpcd/dhcpcd-hooks"):
        if not os.path.exists(f):
            missing.append(f)
    if missing:
        sys.exit(f"peers: missing {', '.join(missing)} (scripts/deps bench installs them)")
    for d in ("/etc/dhcp/dhclient-enter-hooks.d", "/etc/dhcp/dhclient-exit-hooks.d"):
        if not os.path.isdir(d):
            sys.exit(f"peers: {d} missing (isc-dhcp-client makes it): it must be covered "
                     f"so that dhclient-script cannot write the host's /etc")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(REPO, "build"),
                    help="release build dir (lessee from BUILD/src/lessee/lessee unless "
                         "LESSEE_BIN is set)")
    ap.add_argument("--runs", type=int, default=11, help="time-to-lease runs per client (11)")
    ap.add_argument("--cycles", type=int, default=20,
                    help="DORA cycles per client for CPU per lease (20; 100 for the issue's "
                         "figure)")
    ap.add_argument("--mem-runs", type=int, default=3, help="memory samples per client (3)")
    ap.add_argument("--servers", default="dnsmasq,kea",
                    help="comma-separated, dnsmasq and/or kea (dnsmasq,kea): time to lease "
                         "against each, the rest against the first")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "peers.txt"),
                    help="also write the report here ('-': stdout only)")
    ap.add_argument("--no-machine", action="store_true",
                    help="leave out date, host, cpu and commit (bench/run prints them)")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the lab's temp dir")
    args = ap.parse_args()
    args.servers = [s for s in args.servers.split(",") if s]
    if not args.servers or any(s not in ("dnsmasq", "kea") for s in args.servers):
        ap.error("--servers: dnsmasq and/or kea")
    if min(args.runs, args.cycles, args.mem_runs) < 1:
        ap.error("--runs, --cycles and --mem-runs must be at least 1")
    preflight(args)
    lessee_bin = os.environ.get("LESSEE_BIN") or os.path.join(args.build, "src", "lessee",
                                                               "lessee")
    lessee_bin = os.path.realpath(lessee_bin)
    if not os.access(lessee_bin, os.X_OK):
        sys.exit(f"peers: {lessee_bin}: no such executable (ninja -C {args.build})")

    facts = {"date": datetime.datetime.now(datetime.timezone.utc).strftime(
                 "%Y-%m-%d %H:%M:%S UTC"),
             "commit": git_commit(),
             "versions": {p: dpkg_version(p) for p in ("isc-dhcp-client", "dhcpcd-base",
                                                       "busybox", "dnsmasq-base",
                                                       "kea-dhcp4-server")}}
    before = host_state()
    load0 = os.getloadavg()[0]
    # Orphans (dhclient's daemon, roles whose parent exited) become our
    # children, so that their CPU time is counted and nothing escapes.
    if _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("peers: prctl(PR_SET_CHILD_SUBREAPER) failed")
    stale = labmod.sweep_stale()
    if stale:
        log(f"removed stale lab namespaces: {' '.join(stale)}")

    t_start = time.monotonic()
    b = None
    mounts = MountPoints()
    try:
        with Lab(tag="bench-peers", keep_tmp=args.keep_tmp) as lab:
            b = Bench(lab, args, lessee_bin, mounts)
            wire = Wire(lab)
            floor = []
            timing = {}
            for kind in args.servers:
                b.start_server(kind)
                for c in b.clients:
                    b.reset(c)
                # Against the second server the ACD-bound variants are left
                # out: their time is the ACD timers', whatever the server.
                keys = [k for k in b.variants
                        if kind == args.servers[0] or k not in ("lessee-rfc", "dhcpcd-arp")]
                log(f"{kind} up; time to lease, {args.runs} rounds of {len(keys)} clients")
                timing[kind] = b.time_phase(keys, wire, floor)
            wire.cap.stop()
            facts["floor"] = (statistics.median(w for w, _ in floor),
                              statistics.median(c for _, c in floor), len(floor))
            if b.server.kind != args.servers[0]:
                b.start_server(args.servers[0])
            log(f"CPU per lease, {args.cycles} cycles")
            cpu = b.cpu_phase()
            log(f"memory while bound, {args.mem_runs} rounds")
            mem = b.mem_phase()
            if b.server:
                b.server.stop()
    except (LabError, Failure, TimeoutError) as e:
        sys.exit(f"peers: {e}")
    finally:
        mounts.remove()
    after = host_state()
    facts["load"] = (load0, os.getloadavg()[0])
    changed = [k for k in before if before[k] != after[k]]
    facts["host_check"] = ("/etc/resolv.conf, hostname, /etc/dhcp and /var/lib/dhcpcd "
                           "unchanged" if not changed else "CHANGED: " + ", ".join(changed))
    if changed:
        log(f"the host changed during the run: {changed}: {before} -> {after}")
    text = report(b, args, facts, timing, cpu, mem, args.servers)
    text += f"(the whole benchmark took {time.monotonic() - t_start:.0f} s)\n"
    sys.stdout.write(text)
    sys.stdout.flush()
    if args.out != "-":
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, args.out)
        log(f"wrote {os.path.relpath(args.out, REPO)}")


if __name__ == "__main__":
    main()
