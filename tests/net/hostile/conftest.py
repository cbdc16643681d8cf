"""Fixtures for the rogue-server suite (issue 7): a lab whose server host runs
the rogue (rogue.py) instead of a real server, lessee on the client host,
and the checks every case ends with.

After each case: lessee alive (or stopped cleanly, never by a signal), no
sanitizer report in its log, and the client's addresses, routes, MTU and
resolv.conf exactly as policy says (Hostile.expect_unconfigured /
expect_lease).
"""

import ipaddress
import os
import signal
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from harness import Lessee, resolv_conf, route     # noqa: E402
from lab import wait_until                           # noqa: E402
from rogue import Rogue                              # noqa: E402

SANITIZER_MARKS = ("AddressSanitizer", "UndefinedBehaviorSanitizer", "LeakSanitizer",
                   "runtime error:", "SUMMARY: ")


def system_state(host):
    """What lessee may change in the client host: addresses, routes, MTU,
    resolv.conf."""
    return {
        "addresses": sorted(f"{a['local']}/{a['prefixlen']}" for a in host.addresses()),
        "routes": sorted((r.get("dst"), r.get("gateway"), r.get("prefsrc")) for r in host.routes()),
        "mtu": host.mtu(),
        "resolv": host.read_resolv_conf(),
    }


class Hostile:
    """One case: lab, the rogue on the server host, lessee on the client."""

    def __init__(self, lab, binary):
        self.lab, self.binary = lab, binary
        self.client = lab.client
        self.rogues = []
        self.lessees = []
        self.before = system_state(self.client)

    def rogue(self, handler, host=None):
        r = Rogue(host or self.lab.server, handler).start()
        self.rogues.append(r)
        return r

    def lessee(self, *extra, configure=True, hook=None, name="lessee"):
        lsn = Lessee(self.lab, self.binary, name)
        lsn.start(*extra, configure=configure, hook=hook)
        self.lessees.append(lsn)
        return lsn

    # -- the checks every case ends with

    def assert_healthy(self, lsn):
        """Alive, or exited by itself with a status (never by a signal); no
        sanitizer report."""
        log = lsn.log()
        for mark in SANITIZER_MARKS:
            assert mark not in log, f"sanitizer report in lessee's log:\n{log}"
        if not lsn.alive():
            rc = lsn.proc.returncode
            assert rc is not None and rc >= 0, f"lessee died by signal {-rc}:\n{log}"
        assert "killed by signal" not in log, f"a role died by a signal:\n{log}"

    def expect_unconfigured(self, lsn, settle=0.3):
        """Nothing on the client changed since the case began."""
        self.assert_healthy(lsn)
        now = system_state(self.client)
        assert now == self.before, (f"the client's configuration changed:\n before {self.before}"
                                    f"\n after  {now}\n{lsn.log()}")

    def expect_lease(self, lsn, address, prefix=24, timeout=15, default_route=True):
        """lessee binds address/prefix within timeout; return the state.
        default_route=False: a lease without one (only classless routes)."""
        want = f"{address}/{prefix}"
        try:
            wait_until(lambda: want in system_state(self.client)["addresses"], timeout,
                       f"lessee to configure {want}")
        except TimeoutError as e:
            raise AssertionError(f"{e}\n{lsn.log()}") from None
        if default_route:
            wait_until(lambda: route(self.client.routes(), "default") is not None, 5,
                       "the default route")
        else:
            self.wait_log(lsn, f"applied {want}", 5)
        self.assert_healthy(lsn)
        state = system_state(self.client)
        assert state["addresses"] == [want], state
        return state

    def wait_log(self, lsn, text, timeout=10):
        """Wait (bounded) until text is in lessee's log; return the first
        log line holding it."""
        def found():
            return next((ln for ln in lsn.log().splitlines() if text in ln), None)
        try:
            return wait_until(found, timeout, f"{text!r} in lessee's log")
        except TimeoutError as e:
            raise AssertionError(f"{e}\n{lsn.log()}") from None

    def expect_refused(self, lsn, why, timeout=10, settle=0.3):
        """The apply role refused the lease, saying why (a piece of its
        "lease refused: ..." line), and nothing on the client changed.
        Returns that log line."""
        line = self.wait_log(lsn, "lease refused: ", timeout)
        assert why in line, f"refused for another reason than {why!r}: {line}"
        time.sleep(settle)      # anything applied after the refusal shows now
        self.expect_unconfigured(lsn)
        return line

    def close(self):
        errors = []
        for r in self.rogues:
            try:
                r.stop()
            except BaseException as e:     # a handler's failure fails the case
                errors.append(e)
        for lsn in self.lessees:
            if lsn.alive():
                lsn.stop(signal.SIGTERM, timeout=40)
            self.assert_healthy(lsn)
        if errors:
            raise errors[0]


@pytest.fixture
def hostile(lab, lessee_bin):
    h = Hostile(lab, lessee_bin)
    yield h
    h.close()


def in_subnet(addr, net="192.0.2.0/24"):
    return ipaddress.ip_address(addr) in ipaddress.ip_network(net)


__all__ = ["Hostile", "system_state", "resolv_conf", "in_subnet"]
