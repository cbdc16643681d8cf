"""Fixtures for lessee's network tests (see lab.py, servers.py, harness.py).

Run through tests/net/run BUILD_DIR, which sets LESSEE_BIN. Nothing here is
skipped: without root, without working `ip netns`, without a server program
or without the lessee binary the session stops with the reason.

Markers: one per server (dnsmasq, kea, dhcpd, udhcpd) and noserver, so that
`-m kea` runs the Kea column; `server_config(**ServerConfig fields)` sets the
server's configuration for one test.
"""

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lab as labmod            # noqa: E402
from harness import Lessee       # noqa: E402
from servers import KINDS, ServerConfig, make_server   # noqa: E402

TOOLS = ["ip", "ss", "ethtool", "tcpdump", "dnsmasq", "kea-dhcp4", "dhcpd", "udhcpd"]


def pytest_configure(config):
    for k in KINDS:
        config.addinivalue_line("markers", f"{k}: runs against {k}")
    config.addinivalue_line("markers", "noserver: runs with no DHCP server on the link")
    config.addinivalue_line("markers", "server_config(**kw): ServerConfig for this test")
    config.addinivalue_line("markers", "slow: only in `make hostile` / `make soak`, not in "
                            "`make check` (which runs -m 'not slow')")


def _preflight():
    """The reason the session cannot run, or None."""
    if os.geteuid() != 0:
        return "network tests must run as root (namespaces, raw sockets)"
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        return f"missing programs: {', '.join(missing)} (scripts/deps test installs them)"
    ns = f"{labmod.PREFIX}-{os.getpid()}-0-preflight"
    r = subprocess.run(["ip", "netns", "add", ns], capture_output=True, text=True)
    if r.returncode != 0:
        return f"`ip netns add` failed: {r.stderr.strip()}"
    try:
        r = subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "add", "br0", "type",
                            "bridge"], capture_output=True, text=True)
        if r.returncode != 0:
            return f"cannot create a bridge in a namespace: {r.stderr.strip()}"
        r = subprocess.run(["ip", "-n", ns, "link", "add", "name", "va", "type", "veth",
                            "peer", "name", "vb"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return f"cannot create a veth pair in a namespace: {r.stderr.strip()}"
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    b = os.environ.get("LESSEE_BIN")
    if not b:
        return "LESSEE_BIN is not set (run tests/net/run BUILD_DIR)"
    if not (os.path.isfile(b) and os.access(b, os.X_OK)):
        return f"LESSEE_BIN={b}: no such executable (is the daemon built?)"
    return None


def _host_resolv_state():
    try:
        with open("/etc/resolv.conf", "rb") as f:
            data = f.read()
    except FileNotFoundError:
        data = None
    names = sorted(n for n in os.listdir("/etc") if "resolv" in n)
    return (hashlib.sha256(data).hexdigest() if data is not None else None, names)


def pytest_sessionstart(session):
    if session.config.option.collectonly:
        return
    reason = _preflight()
    if reason:
        pytest.exit(f"network tests cannot run: {reason}", returncode=3)
    stale = labmod.sweep_stale()
    if stale:
        print(f"removed stale lab namespaces: {' '.join(stale)}", file=sys.stderr)
    session.config._lsn_resolv = _host_resolv_state()


@pytest.fixture(scope="session", autouse=True)
def host_untouched(request):
    """The host's /etc/resolv.conf (and /etc) must come out as they went in:
    every test runs in namespaces with their own resolv.conf."""
    before = getattr(request.config, "_lsn_resolv", None) or _host_resolv_state()
    yield
    after = _host_resolv_state()
    assert after == before, (f"the host's /etc/resolv.conf or /etc/*resolv* changed: "
                             f"{before} -> {after}")


@pytest.fixture(scope="session")
def lessee_bin():
    return os.path.realpath(os.environ["LESSEE_BIN"])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, attach the lab's logs and what went on the wire."""
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed:
        lab = getattr(item, "_lab", None)
        if lab is not None and not lab._closed:
            rep.sections.append(("lab processes", lab.logs()))
            for cap in lab.captures:
                rep.sections.append((f"DHCP on {cap.port}", cap.summary()))


def _keep_tmp():
    return os.environ.get("LSN_KEEP_TMP") == "1"


@pytest.fixture
def lab(request):
    """A bare lab (switch, server host with 192.0.2.1, client host)."""
    with labmod.Lab(tag=request.node.name[:40].replace("/", "_"), keep_tmp=_keep_tmp()) as lb:
        request.node._lab = lb
        yield lb


def _kind_params():
    return [pytest.param(k, marks=getattr(pytest.mark, k), id=k) for k in KINDS]


@pytest.fixture(params=_kind_params())
def kind(request):
    return request.param


class Net:
    """A lab with one server running and a capture on the client's link."""

    def __init__(self, lab, server, cap, binary):
        self.lab, self.server, self.cap, self.binary = lab, server, cap, binary
        self.client = lab.client

    def lessee(self, name="lessee"):
        return Lessee(self.lab, self.binary, name)


@pytest.fixture
def net(request, lab, kind, lessee_bin):
    """Lab + the parametrized server (config from @pytest.mark.server_config)
    + a capture of the client's link."""
    m = request.node.get_closest_marker("server_config")
    cfg = ServerConfig(**(m.kwargs if m else {}))
    server = make_server(kind, lab.server, cfg).start()
    cap = lab.client.capture()
    yield Net(lab, server, cap, lessee_bin)
