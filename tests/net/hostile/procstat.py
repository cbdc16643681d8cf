"""lessee's processes seen from /proc: which pid is which role, and what
each one costs (CPU time, resident memory, open descriptors).

The daemon we start with -d is the supervisor; its children are the roles,
each a fork+exec of the same binary with `--role NAME` in its argv (see
src/lessee/supervisor.c), and apply may have a hook runner below it. CPU is
read as CPU time (utime + stime from /proc/PID/stat), never wall time, so a
loaded machine makes a figure no larger.
"""

import os

from lab import children, proc_status

CLK_TCK = os.sysconf("SC_CLK_TCK")
ROLES = ("supervisor", "net", "engine", "apply")


def cmdline(pid):
    """argv of pid as a list of str ([] if it is gone)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            raw = f.read()
    except OSError:
        return []
    return [a.decode(errors="replace") for a in raw.split(b"\0") if a]


def role_of(pid):
    """'net', 'engine' or 'apply' from `--role NAME`, else 'supervisor'."""
    argv = cmdline(pid)
    for i, a in enumerate(argv[:-1]):
        if a == "--role":
            return argv[i + 1]
    return "supervisor"


def descendants(pid):
    """pid and every process below it, parents first."""
    out, todo = [], [pid]
    while todo and len(out) < 64:      # bounded: lessee has 4 or 5 processes
        p = todo.pop(0)
        out.append(p)
        todo += children(p)
    return out


def roles(supervisor):
    """{role: pid} for the supervisor and its three role children."""
    found = {"supervisor": supervisor}
    for k in children(supervisor):
        found[role_of(k)] = k
    missing = [r for r in ROLES if r not in found]
    if missing:
        raise AssertionError(f"lessee (pid {supervisor}) has no {', '.join(missing)} role: "
                             f"children {children(supervisor)}")
    return found


def cpu_seconds(pid):
    """utime + stime of pid in seconds (proc(5) fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    # comm may hold spaces and parens: count fields after the last ')'
    rest = s[s.rfind(")") + 2:].split()
    return (int(rest[11]) + int(rest[12])) / CLK_TCK


def rss_kb(pid):
    st = proc_status(pid)
    if st is None:
        raise AssertionError(f"pid {pid} is gone")
    return int(st["VmRSS"].split()[0])


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def tree_cpu_seconds(supervisor):
    """CPU time of the supervisor and every process below it."""
    return sum(cpu_seconds(p) for p in descendants(supervisor))


def sample(role_pids):
    """{role: {"cpu": s, "rss": kB, "fds": n}} for each role's process."""
    return {r: {"cpu": cpu_seconds(p), "rss": rss_kb(p), "fds": fd_count(p)}
            for r, p in role_pids.items()}


def series_figures(samples, key):
    """{role: (first, last, max)} of one figure over a list of samples."""
    out = {}
    for r in samples[0]:
        vals = [s[r][key] for s in samples]
        out[r] = (vals[0], vals[-1], max(vals))
    return out


def format_figures(title, figures, unit):
    lines = [f"{title} (first / last / max, {unit}):"]
    for r in ROLES:
        if r in figures:
            first, last, top = figures[r]
            lines.append(f"  {r:<10} {first:>8} {last:>8} {top:>8}")
    return "\n".join(lines)


def report(request, text):
    """Print figures into the run log, also when the test passes (pytest
    shows a passing test's captured output only with -s)."""
    capman = request.config.pluginmanager.getplugin("capturemanager")
    if capman is None:
        print(text)
        return
    with capman.global_and_fixture_disabled():
        print("\n" + text, flush=True)
