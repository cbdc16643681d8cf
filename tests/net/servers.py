"""The four DHCP servers lessee is tested against, started in a lab host from
one common description (ServerConfig).

    srv = make_server("kea", lab.server, ServerConfig(lease=20, t1=4, t2=8)).start()
    ...
    srv.restart(ServerConfig(pool=("192.0.2.201", "192.0.2.210")))   # fresh state
    srv.stop()

Every server: subnet 192.0.2.0/24, authoritative, no ping/ARP check before an
offer (so the first DISCOVER gets the OFFER), every option sent whether asked
or not: 1, 3, 6, 15, 26, 28, 51, 54, 58, 59, 119, 121. Config, lease database,
pid and log files live in the lab's temp dir (one subdir per server).

Short leases (T1/T2 are always sent, 58/59, so a test controls them exactly):
  dnsmasq  the lease time has a hard minimum of 120 s ("The minimum lease time
           is two minutes", dnsmasq(8)); T1/T2 given with --dhcp-option-force
           58/59 replace dnsmasq's own, so renew/rebind come as early as wanted
           while option 51 says 120.
  kea      any valid-lifetime (min/max-valid-lifetime pinned to it);
           renew-timer/rebind-timer.
  dhcpd    any default-lease-time (min/max-lease-time pinned to it); 58/59 as
           dhcp-renewal-time/dhcp-rebinding-time; dhcp-cache-threshold 0, or
           a renewal early in the lease is answered with the time left only.
  udhcpd   "opt lease N" is the lease (min_lease, 60 s by default, only clamps
           what a client asks for in option 51: set to 1); 58/59 as raw hex.
"""

import dataclasses
import ipaddress
import os
import shutil
import signal
import struct

from lab import LabError, wait_until

KINDS = ("dnsmasq", "kea", "dhcpd", "udhcpd")


@dataclasses.dataclass
class ServerConfig:
    pool: tuple = ("192.0.2.100", "192.0.2.200")
    lease: int = 600
    t1: int = None               # default lease/2
    t2: int = None               # default lease*7/8
    netmask: str = "255.255.255.0"
    broadcast: str = "192.0.2.255"
    routers: tuple = ("192.0.2.1",)
    dns: tuple = ("192.0.2.53", "192.0.2.54")
    domain: str = "example.test"
    search: tuple = ("example.test", "lab.example.test")
    # (prefix, gateway); RFC 3442: with 121 the client ignores 3, so the
    # default route is in here too.
    routes: tuple = (("198.51.100.0/24", "192.0.2.1"), ("0.0.0.0/0", "192.0.2.1"))
    mtu: int = 1400
    # Ranges the server still knows but no longer hands out (a renumbered
    # pool): ISC dhcpd NAKs a request for an address it knows nothing about
    # only if it is off the subnet, so there the old range stays declared as
    # a pool closed to all clients ("lease unavailable" -> NAK). The other
    # servers NAK unknown addresses in an authoritative subnet anyway.
    retired: tuple = ()

    def timers(self, lease):
        t1 = self.t1 if self.t1 is not None else lease // 2
        t2 = self.t2 if self.t2 is not None else lease * 7 // 8
        return t1, t2

    def rfc3442(self):
        """Option 121 payload."""
        out = b""
        for prefix, gw in self.routes:
            n = ipaddress.ip_network(prefix)
            sig = (n.prefixlen + 7) // 8
            out += bytes([n.prefixlen]) + n.network_address.packed[:sig] + \
                ipaddress.ip_address(gw).packed
        return out

    def in_pool(self, addr):
        a = ipaddress.ip_address(addr.split("/")[0])
        return ipaddress.ip_address(self.pool[0]) <= a <= ipaddress.ip_address(self.pool[1])


class Server:
    kind = None
    min_lease = 1

    def __init__(self, host, config=None, name=None):
        self.host = host
        self.lab = host.lab
        self.config = config or ServerConfig()
        self.name = name or f"{self.kind}-{host.name}"
        self.dir = self.lab.path(self.name)
        os.makedirs(self.dir, exist_ok=True)
        self.proc = None
        addrs = host.addresses()
        if not addrs:
            raise LabError(f"{host.name} has no address to serve from")
        self.ip = addrs[0]["local"]

    @property
    def effective_lease(self):
        """The lease time the server really hands out (option 51)."""
        return max(self.config.lease, self.min_lease)

    @property
    def lease_db(self):
        raise NotImplementedError

    def p(self, name):
        return os.path.join(self.dir, name)

    def argv(self):
        raise NotImplementedError

    def write_config(self):
        pass

    def start(self):
        if self.proc and self.proc.alive():
            raise LabError(f"{self.name} already running")
        if not os.path.exists(self.lease_db):
            self.init_lease_db()
        self.write_config()
        self.proc = self.host.popen(self.argv(), name=self.name, env=self.env())
        # Ready once UDP port 67 is bound (all four open such a socket, Kea
        # next to its packet socket).
        try:
            wait_until(lambda: self.host.udp_bound(67) or not self.proc.alive(), 15,
                       f"{self.name} to bind port 67")
        except TimeoutError as e:
            raise LabError(f"{e}\n{self.proc.output()}") from None
        if not self.proc.alive():
            raise LabError(f"{self.name} exited at start:\n{self.proc.output()}")
        return self

    def env(self):
        return None

    def init_lease_db(self):
        open(self.lease_db, "w").close()

    def stop(self):
        """Stop cleanly (SIGTERM: the servers write their lease database)."""
        if self.proc:
            self.proc.stop(signal.SIGTERM, timeout=5)
            wait_until(lambda: not self.host.udp_bound(67), 5, f"{self.name} to release port 67")

    def wipe(self):
        """Forget every lease (server stopped)."""
        for f in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, f))

    def restart(self, config=None, fresh=True):
        """Stop, optionally change config and forget all leases, start."""
        self.stop()
        if config is not None:
            self.config = config
        if fresh:
            self.wipe()
        return self.start()

    def seed_leases_from(self, other):
        """Take over another (stopped) server's lease database, as a failover
        peer with shared state would."""
        if other.kind != self.kind:
            raise LabError("lease databases differ between server kinds")
        shutil.copyfile(other.lease_db, self.lease_db)

    def log(self):
        return self.proc.output() if self.proc else ""


class Dnsmasq(Server):
    kind = "dnsmasq"
    min_lease = 120

    @property
    def lease_db(self):
        return self.p("dnsmasq.leases")

    def argv(self):
        c = self.config
        t1, t2 = c.timers(self.effective_lease)
        routes = ",".join(f"{pfx},{gw}" for pfx, gw in c.routes)
        opts = [f"netmask,{c.netmask}", f"router,{','.join(c.routers)}",
                f"dns-server,{','.join(c.dns)}", f"domain-name,{c.domain}",
                f"domain-search,{','.join(c.search)}", f"mtu,{c.mtu}",
                f"classless-static-route,{routes}"]
        return (["dnsmasq", "--conf-file=/dev/null", "--port=0", "--no-daemon",
                 "--bind-interfaces", f"--interface={self.host.ifname}", "--no-resolv",
                 "--no-hosts", f"--dhcp-leasefile={self.lease_db}",
                 f"--pid-file={self.p('dnsmasq.pid')}", "--dhcp-authoritative", "--no-ping",
                 "--log-dhcp",
                 f"--dhcp-range={c.pool[0]},{c.pool[1]},{c.netmask},{c.broadcast},"
                 f"{self.effective_lease}",
                 f"--dhcp-option-force=28,{c.broadcast}",
                 f"--dhcp-option-force=58,{t1}", f"--dhcp-option-force=59,{t2}"]
                + [f"--dhcp-option-force=option:{o}" for o in opts])


class Kea(Server):
    kind = "kea"

    @property
    def lease_db(self):
        return self.p("kea-leases4.csv")

    def init_lease_db(self):
        pass       # Kea creates it

    def env(self):
        # Otherwise Kea puts its pid and lock files under /run/kea.
        e = dict(os.environ)
        e.update(KEA_LOCKFILE_DIR=self.dir, KEA_PIDFILE_DIR=self.dir)
        return e

    def write_config(self):
        import json
        c = self.config
        lease = self.effective_lease
        t1, t2 = c.timers(lease)
        od = [{"name": n, "data": d, "always-send": True} for n, d in (
            ("subnet-mask", c.netmask), ("routers", ", ".join(c.routers)),
            ("domain-name-servers", ", ".join(c.dns)), ("domain-name", c.domain),
            ("domain-search", ", ".join(c.search)), ("interface-mtu", str(c.mtu)),
            ("broadcast-address", c.broadcast))]
        # Kea 2.2 has no definition for option 121: raw RFC 3442 bytes.
        od.append({"code": 121, "csv-format": False, "data": c.rfc3442().hex().upper(),
                   "always-send": True})
        conf = {"Dhcp4": {
            "interfaces-config": {"interfaces": [self.host.ifname], "dhcp-socket-type": "raw"},
            "lease-database": {"type": "memfile", "persist": True, "name": self.lease_db,
                               "lfc-interval": 0},
            "authoritative": True,
            # a class nobody is in: the pools of retired ranges are closed
            "client-classes": [{"name": "retired", "test": "'a' == 'b'"}],
            "valid-lifetime": lease, "min-valid-lifetime": lease, "max-valid-lifetime": lease,
            "renew-timer": t1, "rebind-timer": t2,
            "subnet4": [{"id": 1, "subnet": "192.0.2.0/24",
                         "pools": [{"pool": f"{c.pool[0]} - {c.pool[1]}"}] +
                         [{"pool": f"{a} - {b}", "client-class": "retired"} for a, b in c.retired],
                         "option-data": od}],
            "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "stdout"}],
                         "severity": "DEBUG", "debuglevel": 15}],
        }}
        with open(self.p("kea.json"), "w") as f:
            json.dump(conf, f, indent=1)

    def argv(self):
        return ["kea-dhcp4", "-c", self.p("kea.json")]


class Dhcpd(Server):
    kind = "dhcpd"

    @property
    def lease_db(self):
        return self.p("dhcpd.leases")

    def write_config(self):
        c = self.config
        lease = self.effective_lease
        t1, t2 = c.timers(lease)
        r121 = ", ".join(str(b) for b in c.rfc3442())
        q = ", ".join(f'"{s}"' for s in c.search)
        retired = "".join(f"  pool {{ range {a} {b}; deny all clients; }}\n" for a, b in c.retired)
        conf = f"""\
authoritative; ping-check false;
# no lease reuse: otherwise a renewal within 25 % of the lease time gets the
# remaining time, not a new lease (and the renew test sees no extension)
dhcp-cache-threshold 0;
default-lease-time {lease}; max-lease-time {lease}; min-lease-time {lease};
option classless-routes code 121 = array of unsigned integer 8;
subnet 192.0.2.0 netmask {c.netmask} {{
  pool {{ range {c.pool[0]} {c.pool[1]}; }}
{retired}  option subnet-mask {c.netmask};
  option broadcast-address {c.broadcast};
  option routers {", ".join(c.routers)};
  option domain-name-servers {", ".join(c.dns)};
  option domain-name "{c.domain}";
  option domain-search {q};
  option classless-routes {r121};
  option interface-mtu {c.mtu};
  option dhcp-renewal-time {t1}; option dhcp-rebinding-time {t2};
  # replaces the client's request list: everything is sent
  option dhcp-parameter-request-list 1,3,6,15,26,28,51,54,58,59,119,121;
}}
"""
        with open(self.p("dhcpd.conf"), "w") as f:
            f.write(conf)

    def argv(self):
        return ["dhcpd", "-4", "-f", "-d", "-cf", self.p("dhcpd.conf"), "-lf", self.lease_db,
                "-pf", self.p("dhcpd.pid"), self.host.ifname]


class Udhcpd(Server):
    kind = "udhcpd"

    @property
    def lease_db(self):
        return self.p("udhcpd.leases")

    def init_lease_db(self):
        pass       # udhcpd starts without one

    def write_config(self):
        c = self.config
        lease = self.effective_lease
        t1, t2 = c.timers(lease)
        routes = " ".join(f"{pfx} {gw}" for pfx, gw in c.routes)
        conf = f"""\
interface {self.host.ifname}
start {c.pool[0]}
end {c.pool[1]}
max_leases 254
min_lease 1
lease_file {self.lease_db}
pidfile {self.p("udhcpd.pid")}
opt subnet {c.netmask}
opt broadcast {c.broadcast}
opt router {" ".join(c.routers)}
opt dns {" ".join(c.dns)}
opt domain {c.domain}
opt search {" ".join(c.search)}
opt staticroutes {routes}
opt mtu {c.mtu}
opt lease {lease}
opt 58 {struct.pack("!I", t1).hex()}
opt 59 {struct.pack("!I", t2).hex()}
"""
        with open(self.p("udhcpd.conf"), "w") as f:
            f.write(conf)

    def argv(self):
        # -a 0: no ARP ping before an offer (it would skip an address whose
        # owner answers ARP: the ACD test needs the server to offer it).
        return ["udhcpd", "-f", "-a", "0", self.p("udhcpd.conf")]


CLASSES = {c.kind: c for c in (Dnsmasq, Kea, Dhcpd, Udhcpd)}


def make_server(kind, host, config=None, name=None):
    return CLASSES[kind](host, config, name)
