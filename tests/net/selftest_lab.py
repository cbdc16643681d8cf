#!/usr/bin/python3
"""Self-test of the lab with a known-good client (ISC dhclient), no lessee.

    /usr/bin/python3 tests/net/selftest_lab.py [dnsmasq kea dhcpd udhcpd]

For each server: a fresh lab, the server with a 20 s lease (T1 3 s, T2 6 s),
and `dhclient -1 -d` with a hook that puts the leased address on eth0 (as in
tests/data/capture.sh). Checks, from the capture of the client's link and
from the client namespace:
  - DISCOVER/OFFER/REQUEST/ACK, the address configured, every option the
    tests rely on present in the ACK (1 3 6 15 26 28 51 54 58 59 119 121),
    with 51/58/59 as configured (dnsmasq: 51 = 120, its minimum);
  - the renewal at T1 is unicast to the server and ACKed;
  - dhclient -r sends a RELEASE;
  - lab plumbing: carrier off/on of the client's link, a third host that owns
    an address answers the client's ARP for it, the namespace resolv.conf is
    the one `ip netns exec` shows, and nothing is left behind afterwards.
Not collected by pytest (no test_ prefix); exits non-zero if any check fails.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lab import NETNS_RUN, SERVER_IP, Lab, wait_until   # noqa: E402
from servers import KINDS, ServerConfig, make_server                 # noqa: E402

CFG = ServerConfig(lease=20, t1=3, t2=6)
WANT_OPTIONS = {1, 3, 6, 15, 26, 28, 51, 54, 58, 59, 119, 121}

HOOK = """#!/bin/sh
case "${reason:-}" in
BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
RELEASE|STOP|EXPIRE) ip -4 addr flush dev "$interface" ;;
*) exit 0 ;;
esac
echo "$reason" >> "$0.log"
"""

DHCLIENT_CONF = """option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
request subnet-mask, broadcast-address, time-offset, routers, domain-name, domain-name-servers,
  domain-search, host-name, interface-mtu, rfc3442-classless-static-routes, ntp-servers;
"""


def check(ok, what, results):
    results.append((bool(ok), what))
    print(f"    {'ok  ' if ok else 'FAIL'} {what}", flush=True)
    return ok


def one(kind):
    results = []
    print(f"== {kind}", flush=True)
    with Lab(tag=f"selftest-{kind}") as lab:
        srv = make_server(kind, lab.server, CFG).start()
        cap = lab.client.capture()
        hook = lab.path("hook")
        with open(hook, "w") as f:
            f.write(HOOK)
        os.chmod(hook, 0o755)
        conf = lab.path("dhclient.conf")
        with open(conf, "w") as f:
            f.write(DHCLIENT_CONF)
        args = ["-4", "-v", "-cf", conf, "-sf", hook, "-lf", lab.path("dhclient.leases"),
                "-pf", lab.path("dhclient.pid"), "eth0"]
        t0 = time.time()
        dh = lab.client.popen(["dhclient", "-1", "-d"] + args, name="dhclient")
        try:
            addr = wait_until(lambda: lab.client.address(), 15, "dhclient's address")
        except TimeoutError as e:
            check(False, str(e), results)
            print(dh.output(), srv.log(), sep="\n")
            return results
        acks = [m for m in cap.dhcp() if m.type == "ACK"]
        kinds = [m.type for m in cap.dhcp()]
        check(kinds[:4] == ["DISCOVER", "OFFER", "REQUEST", "ACK"],
              f"DORA on the wire: {' '.join(kinds)}", results)
        ack = acks[0] if acks else None
        check(ack and f"{ack.yiaddr}/24" == addr and CFG.in_pool(addr),
              f"lease {addr} in {time.time() - t0:.2f} s", results)
        if ack:
            have = set(ack.options)
            check(WANT_OPTIONS <= have, f"ACK options {sorted(have)}", results)
            check((ack.u32_option(51), ack.u32_option(58), ack.u32_option(59)) ==
                  (srv.effective_lease, 3, 6),
                  f"lease/T1/T2 = {ack.u32_option(51)}/{ack.u32_option(58)}/"
                  f"{ack.u32_option(59)} s", results)
            check(ack.server_id == SERVER_IP, f"server id {ack.server_id}", results)
            try:
                ren = cap.wait_dhcp(lambda m: m.from_client and m.type == "REQUEST" and
                                    m.ciaddr == ack.yiaddr, 10, "the renewal", after=ack.time)
                check(ren.ip_dst == SERVER_IP and ren.eth_dst == srv.host.mac,
                      f"renewal {ren.time - ack.time:.1f} s after ACK, unicast to "
                      f"{ren.ip_dst}", results)
                ack2 = cap.wait_dhcp(lambda m: m.type == "ACK" and m.xid == ren.xid, 5,
                                     "the renewal's ACK")
                check(ack2.u32_option(51) == srv.effective_lease,
                      f"renewal ACKed, lease {ack2.u32_option(51)} s", results)
            except TimeoutError as e:
                check(False, str(e).splitlines()[0], results)

        # lab plumbing: carrier, third host ARP, resolv.conf
        lab.client.carrier_off()
        check(not lab.client.carrier(), "carrier off when the switch port is down", results)
        lab.client.carrier_on()
        check(lab.client.carrier(), "carrier back", results)
        h3 = lab.add_host("h3", addr="192.0.2.150/24")
        who = lab.client.arp_probe("192.0.2.150")
        seen = [a for a in cap.arp() if a.op == 2 and a.psrc == "192.0.2.150"]
        check(who == h3.mac and seen, f"third host answers an ARP probe for its address "
              f"({who})", results)
        check(lab.client.arp_probe("192.0.2.151", timeout=0.5) is None,
              "nobody answers for a free address", results)
        lab.client.run(["sh", "-c", "echo 'nameserver 192.0.2.99' > /etc/resolv.conf"])
        check("192.0.2.99" in lab.client.read_resolv_conf(),
              "/etc/resolv.conf in the client ns is the lab's file", results)

        t = time.time()
        lab.client.run(["dhclient", "-r"] + args, check=False, timeout=20)
        try:
            rel = cap.wait_dhcp(lambda m: m.from_client and m.type == "RELEASE", 5, "RELEASE",
                                after=t)
            check(rel.ciaddr == ack.yiaddr, f"RELEASE of {rel.ciaddr}", results)
        except TimeoutError as e:
            check(False, str(e).splitlines()[0], results)
        dh.wait(10) if dh.alive() else None
        nss = list(lab._namespaces)
    left = [n for n in nss if os.path.exists(os.path.join(NETNS_RUN, n)) or
            os.path.exists(os.path.join("/etc/netns", n))]
    check(not left, "namespaces and /etc/netns dirs removed", results)
    return results


def main():
    kinds = sys.argv[1:] or list(KINDS)
    if os.geteuid() != 0:
        sys.exit("selftest_lab: must run as root")
    with open("/etc/resolv.conf", "rb") as f:
        before = f.read()
    summary = []
    for k in kinds:
        r = one(k)
        summary.append((k, sum(ok for ok, _ in r), len(r)))
    with open("/etc/resolv.conf", "rb") as f:
        host_ok = f.read() == before
    print()
    for k, ok, n in summary:
        print(f"{k:8} {ok}/{n} checks passed")
    print(f"host /etc/resolv.conf {'untouched' if host_ok else 'CHANGED'}")
    sys.exit(0 if host_ok and all(ok == n for _, ok, n in summary) else 1)


if __name__ == "__main__":
    main()
