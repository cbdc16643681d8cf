"""lessee's privilege separation seen from /proc while it holds a lease
(DESIGN.md "Daemon and privilege separation", issue 5 "Processes").

The daemon we start (-d) is the supervisor; its children are the roles, each
a fork+exec of the same binary. A role is recognised by what it holds:
net CAP_NET_RAW only, apply CAP_NET_ADMIN only, engine nothing (and an
unprivileged uid and an empty root). Runs against dnsmasq only: the roles do
not depend on the server.
"""

import os
import signal

import pytest

from harness import ns_pids, write_hook
from lab import CAP_NET_ADMIN, CAP_NET_RAW, caps, children, pid_alive, proc_status, wait_until

pytestmark = pytest.mark.parametrize(
    "kind", [pytest.param("dnsmasq", marks=pytest.mark.dnsmasq, id="dnsmasq")])

ROLE_CAPS = {"net": {CAP_NET_RAW}, "apply": {CAP_NET_ADMIN}, "engine": set()}
CAP_KILL = 5  # linux/capability.h: the supervisor's one capability, to stop the roles


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def roles_of(pid, expect, role_caps=ROLE_CAPS):
    """{role: pid} for the supervisor's children, classified by CapEff (and,
    between two roles with no capability, by uid: the engine is not root);
    fails unless there are exactly the expected roles."""
    kids = wait_until(lambda: (lambda k: k if len(k) >= len(expect) else None)(children(pid)),
                      5, f"{len(expect)} role processes under pid {pid}")
    found, detail, ok = {}, [], len(kids) == len(expect)
    for k in kids:
        st = proc_status(k)
        if st is None:
            continue
        eff = caps(st["CapEff"])
        root = st["Uid"].split()[0] == "0"
        fits = [r for r in expect if role_caps[r] == eff and r not in found]
        if len(fits) > 1:
            fits = [r for r in fits if (r == "engine") != root]
        role = fits[0] if fits else None
        detail.append(f"  pid {k} ({role or 'no such role'}): uid {' '.join(st['Uid'].split())} "
                      f"CapEff {st['CapEff']} CapPrm {st['CapPrm']} "
                      f"NoNewPrivs {st.get('NoNewPrivs')} cmdline {cmdline(k)}")
        ok &= role is not None
        if role:
            found[role] = k
    assert ok and sorted(found) == sorted(expect), \
        f"want exactly the roles {', '.join(expect)} under pid {pid}; its children:\n" + \
        "\n".join(detail)
    return found


def netlink_sockets(pid):
    """Inodes of the netlink sockets pid holds (its fds against its
    namespace's /proc/PID/net/netlink)."""
    with open(f"/proc/{pid}/net/netlink") as f:
        nl = {line.split()[-1] for line in f.readlines()[1:] if line.split()}
    held = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in nl:
            held.add(target[8:-1])
    return held


# What the engine may hold: /dev/null as stdin and stdout, the daemon's
# stderr (its log), its three channels, its epoll and its timer. Nothing else.
ENGINE_FDS = {"/dev/null": 2, "stderr": 1, "socket": 3, "anon_inode:[eventpoll]": 1,
              "anon_inode:[timerfd]": 1}


def engine_fds(pid):
    """Counts of the engine's fds by kind (see ENGINE_FDS)."""
    kinds = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
        if fd == "2":
            kind = "stderr"
        elif target.startswith("socket:"):
            kind = "socket"
        else:
            kind = target
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def check_role(role, pid, binary, role_caps=ROLE_CAPS):
    st = proc_status(pid)
    assert st is not None, f"{role} (pid {pid}) is gone"
    where = f"{role} (pid {pid})"
    assert os.path.realpath(f"/proc/{pid}/exe") == binary, \
        f"{where} must be an exec of {binary}, is {os.readlink(f'/proc/{pid}/exe')}"
    assert st.get("NoNewPrivs") == "1", f"{where}: NoNewPrivs {st.get('NoNewPrivs')}"
    want = role_caps[role]
    assert caps(st["CapEff"]) == want, f"{where}: CapEff {st['CapEff']}"
    assert caps(st["CapPrm"]) == want, f"{where}: CapPrm {st['CapPrm']} (could raise more)"
    assert caps(st.get("CapAmb", "0")) <= want, f"{where}: CapAmb {st.get('CapAmb')}"
    assert caps(st["CapBnd"]) == want, f"{where}: CapBnd {st['CapBnd']}"
    # 2: a seccomp filter is installed (src/os/sandbox.c)
    assert st.get("Seccomp") == "2", f"{where}: Seccomp {st.get('Seccomp')}"
    if role == "engine":
        fds = engine_fds(pid)
        assert fds == ENGINE_FDS, f"{where}: fds {fds}, want only {ENGINE_FDS}"
        uids = [int(x) for x in st["Uid"].split()]
        gids = [int(x) for x in st["Gid"].split()]
        assert all(u != 0 for u in uids), f"{where}: uids {uids}, must not be root"
        assert all(g != 0 for g in gids), f"{where}: gids {gids}, must not be root"
        groups = [int(x) for x in st.get("Groups", "").split()]
        assert 0 not in groups, f"{where}: supplementary groups {groups}"
        root = os.readlink(f"/proc/{pid}/root")
        assert root != "/", f"{where}: root is {root}, must be an empty chroot"
        assert os.listdir(f"/proc/{pid}/root") == [], f"{where}: its root is not empty"


def test_roles_while_bound(net, lessee_bin):
    """Three roles under the supervisor: net (CAP_NET_RAW), engine (nothing,
    not root, empty root dir), apply (CAP_NET_ADMIN); the supervisor itself
    keeps only CAP_KILL; NoNewPrivs everywhere."""
    le = net.lessee().start()
    le.wait_bound()
    roles = roles_of(le.pid, ["net", "engine", "apply"])
    for role, pid in roles.items():
        check_role(role, pid, lessee_bin)
    st = proc_status(le.pid)
    for kind in ("CapEff", "CapPrm", "CapBnd"):
        assert caps(st[kind]) == {CAP_KILL}, \
            f"supervisor (pid {le.pid}): {kind} {st[kind]}, want CAP_KILL only"
    assert st.get("NoNewPrivs") == "1", f"supervisor: NoNewPrivs {st.get('NoNewPrivs')}"
    assert st.get("Seccomp") == "2", f"supervisor: Seccomp {st.get('Seccomp')}"
    # what --no-configure's apply must not hold, this one does
    assert netlink_sockets(roles["apply"]), "apply holds no rtnetlink socket"
    assert not netlink_sockets(roles["engine"]), "the engine holds a netlink socket"
    assert not children(roles["apply"]), "apply has a child without -sf (no hook runner)"


def test_hook_runner(net, lessee_bin):
    """-sf: the hook runner (src/lessee/hookrun.h) is apply's only child,
    forked after apply's privilege drop and before its seccomp filter: the
    same uid and capabilities as apply (CAP_NET_ADMIN only), NoNewPrivs, and
    no seccomp filter to pass on to the script."""
    script, _ = write_hook(net.lab)
    le = net.lessee().start(hook=script)
    le.wait_bound()
    apply = roles_of(le.pid, ["net", "engine", "apply"])["apply"]
    kids = children(apply)
    assert len(kids) == 1, f"apply (pid {apply}) children: {[cmdline(k) for k in kids]}"
    st, ast = proc_status(kids[0]), proc_status(apply)
    where = f"hook runner (pid {kids[0]})"
    assert st["Uid"] == ast["Uid"] and st["Gid"] == ast["Gid"], \
        f"{where}: Uid {st['Uid']} Gid {st['Gid']}, apply's {ast['Uid']} {ast['Gid']}"
    for kind in ("CapEff", "CapPrm", "CapBnd"):
        assert caps(st[kind]) == {CAP_NET_ADMIN}, f"{where}: {kind} {st[kind]}"
    assert caps(st.get("CapAmb", "0")) == set(), f"{where}: CapAmb {st.get('CapAmb')}"
    assert st.get("NoNewPrivs") == "1", f"{where}: NoNewPrivs {st.get('NoNewPrivs')}"
    assert st.get("Seccomp") == "0", f"{where}: Seccomp {st.get('Seccomp')}, want no filter"


def test_roles_no_configure(net, lessee_bin):
    """--no-configure: CAP_NET_ADMIN nowhere in the daemon. The apply role
    stays (it writes the JSON lines, the lease file and runs the hook, which
    the engine, facing the network, must not do) but holds no capability
    and no rtnetlink socket: it cannot change the system's configuration."""
    le = net.lessee().start(configure=False)
    wait_until(lambda: le.proc.stdout().strip(), 15, "the first JSON line")
    lease_only = dict(ROLE_CAPS, apply=set())
    roles = roles_of(le.pid, ["net", "engine", "apply"], lease_only)
    for role, pid in roles.items():
        check_role(role, pid, lessee_bin, lease_only)
    for pid in [le.pid] + list(roles.values()):
        st = proc_status(pid)
        assert CAP_NET_ADMIN not in caps(st["CapEff"]) | caps(st["CapPrm"]), \
            f"pid {pid} holds CAP_NET_ADMIN in --no-configure mode: {st['CapEff']}/{st['CapPrm']}"
    assert not netlink_sockets(roles["apply"]), \
        f"apply holds netlink sockets in --no-configure mode: {netlink_sockets(roles['apply'])}"


@pytest.mark.parametrize("victim", ["net", "engine", "apply", "supervisor"])
def test_killing_one_stops_all(net, victim):
    """SIGKILL one role (or the supervisor): the whole daemon stops within
    5 s; the supervisor does not report success."""
    le = net.lessee().start()
    le.wait_bound()
    roles = roles_of(le.pid, ["net", "engine", "apply"])
    everyone = [le.pid] + list(roles.values())
    target = le.pid if victim == "supervisor" else roles[victim]
    os.kill(target, signal.SIGKILL)
    try:
        wait_until(lambda: not any(pid_alive(p) for p in everyone), 5,
                   f"every lessee process to exit after SIGKILL of {victim}")
    except TimeoutError as e:
        left = {p: (proc_status(p) or {}).get("Name") for p in everyone if pid_alive(p)}
        raise AssertionError(f"{e}: still running {left}\n{le.log()}") from None
    rc = le.wait_exit(5)
    if victim != "supervisor":
        assert rc != 0, f"the supervisor exited 0 after its {victim} role was killed"
    wait_until(lambda: not ns_pids(net.client), 3, "no process left in the client namespace")


def test_engine_killed_by_its_filter_stops_all(net):
    """What the seccomp filter does to an engine that makes a forbidden call
    (SIGSYS, tests/unit/os/test_os_sandbox.c shows the kill): the daemon
    stops, exit non-zero, with one line naming the role and the signal."""
    le = net.lessee().start()
    le.wait_bound()
    roles = roles_of(le.pid, ["net", "engine", "apply"])
    os.kill(roles["engine"], signal.SIGSYS)
    rc = le.wait_exit(10)
    assert rc != 0, f"exit {rc} after the engine was killed\n{le.log()}"
    assert "the engine role was killed by signal 31 (Bad system call)" in le.log(), \
        le.log()
