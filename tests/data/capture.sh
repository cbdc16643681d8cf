#!/usr/bin/env bash
# Record real DHCPv4 exchanges between real servers and real clients as pcap
# files: known-answer fixtures for lessee's wire codec tests.
#
#   tests/data/capture.sh                  # all 12 server-client pairs
#   tests/data/capture.sh kea-udhcpc ...   # only these
#
# Root only. All traffic stays in two network namespaces made here, joined by
# a veth pair; host interfaces, routes and resolv.conf are never touched, and
# daemon state lives in a mktemp dir removed on exit. Needs iproute2, ethtool,
# tcpdump, dnsmasq, kea-dhcp4, isc-dhcp-server/-client, dhcpcd, busybox.
# shellcheck disable=SC2317  # functions are called indirectly ("start_$srv")
set -euo pipefail

OUT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVERS=(dnsmasq kea dhcpd udhcpd)
CLIENTS=(dhclient dhcpcd udhcpc)
SNS=lessee-cap-srv-$$ CNS=lessee-cap-cli-$$
SIF=cap-srv CIF=cap-cli
# Fixed MACs keep chaddr and client-ids stable from one recording to the next.
SMAC=02:00:00:00:02:01 CMAC=02:00:00:00:02:64
TMP="" BG=() FAILED=()
# Remove /etc/netns on exit too if this run is what creates it.
[[ -d /etc/netns ]] && ETC_NETNS_OURS=0 || ETC_NETNS_OURS=1
# Bail out before the trap is set: cleanup must never remove a namespace that
# is not ours.
for ns in "$SNS" "$CNS"; do [[ ! -e /run/netns/$ns ]] || { echo "$ns already exists" >&2; exit 1; }; done

# Signal every process inside our namespaces: all of them are ours (dhcpcd's
# privsep helpers, say, outlive the parent we started).
ns_kill() {
    local ns pids
    for ns in "$SNS" "$CNS"; do
        read -ra pids <<<"$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')"
        ((${#pids[@]} == 0)) || kill "-$1" "${pids[@]}" 2>/dev/null || true
    done
}
ns_empty() { [[ -z "$(ip netns pids "$SNS" 2>/dev/null)$(ip netns pids "$CNS" 2>/dev/null)" ]]; }

cleanup() {
    set +e
    ns_kill KILL
    ((${#BG[@]})) && kill -KILL "${BG[@]}" 2>/dev/null
    wait 2>/dev/null
    for ns in "$SNS" "$CNS"; do ip netns del "$ns" 2>/dev/null; rm -rf "/etc/netns/$ns"; done
    ((ETC_NETNS_OURS)) && rmdir /etc/netns 2>/dev/null
    [[ -z $TMP ]] || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "capture.sh: $*" >&2; exit 1; }
# Poll every 0.1 s, at most $1 times, until the rest of the line succeeds.
wait_for() { local n=$1; shift; while ((n-- > 0)); do "$@" && return 0; sleep 0.1; done; return 1; }
bg() { "$@" & BG+=($!); }
in_s() { ip netns exec "$SNS" "$@"; }
in_c() { ip netns exec "$CNS" "$@"; }
# Stop the last background job (a `timeout` wrapper forwards TERM to its child).
stop_last() { kill -TERM "${BG[-1]}" 2>/dev/null || true; wait "${BG[-1]}" || true; }

[[ $EUID -eq 0 ]] || die "must run as root (namespaces, raw sockets)"
for t in ip ss ethtool tcpdump timeout unshare dnsmasq kea-dhcp4 dhcpd udhcpd dhclient dhcpcd udhcpc; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done
if (($#)); then PAIRS=("$@"); else
    PAIRS=(); for s in "${SERVERS[@]}"; do for c in "${CLIENTS[@]}"; do PAIRS+=("$s-$c"); done; done
fi
for p in "${PAIRS[@]}"; do
    [[ " ${SERVERS[*]} " == *" ${p%%-*} "* && " ${CLIENTS[*]} " == *" ${p#*-} "* ]] || die "unknown pair: $p"
done
TMP=$(mktemp -d /tmp/lessee-capture.XXXXXX)

# Fresh namespaces for every capture: no ARP, lease or address state carries over.
netns_up() {
    local ns
    for ns in "$SNS" "$CNS"; do
        ip netns add "$ns"
        # ip netns exec bind-mounts this over /etc/resolv.conf, so nothing run
        # inside can rewrite the host's.
        mkdir -p "/etc/netns/$ns" && : >"/etc/netns/$ns/resolv.conf"
        # No IPv6: keeps router solicitations and MLD reports off the wire.
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip -n "$ns" link set lo up
    done
    ip link add "$SIF" address "$SMAC" netns "$SNS" type veth peer name "$CIF" address "$CMAC" netns "$CNS"
    # veth offloads UDP checksums: what a daemon sends through a kernel UDP
    # socket (dnsmasq) would be captured with only the pseudo-header sum.
    in_s ethtool -K "$SIF" tx off >/dev/null
    in_c ethtool -K "$CIF" tx off >/dev/null
    ip -n "$SNS" addr add 192.0.2.1/24 dev "$SIF"
    ip -n "$SNS" link set "$SIF" up
    ip -n "$CNS" link set "$CIF" up
}
netns_down() {
    local ns
    ns_kill TERM   # lets tcpdump and the daemons exit cleanly first
    wait_for 30 ns_empty || ns_kill KILL
    for ns in "$SNS" "$CNS"; do ip netns del "$ns"; rm -rf "/etc/netns/$ns"; done
    wait "${BG[@]}" 2>/dev/null || true
    BG=()
}

# ---- servers: same pool and options everywhere, all sent unasked ----
start_dnsmasq() {
    local o opts=()
    for o in netmask,255.255.255.0 router,192.0.2.1 dns-server,192.0.2.53,192.0.2.54 \
        domain-name,example.test domain-search,example.test,lab.example.test mtu,1400 \
        ntp-server,192.0.2.123 classless-static-route,198.51.100.0/24,192.0.2.1,0.0.0.0/0,192.0.2.1; do
        opts+=("--dhcp-option-force=option:$o")
    done
    # --no-ping: no 3 s ICMP probe before OFFER, so the client sends one DISCOVER.
    bg timeout 60 ip netns exec "$SNS" dnsmasq --conf-file=/dev/null --port=0 --no-daemon \
        --bind-interfaces --interface="$SIF" --dhcp-leasefile="$D/dnsmasq.leases" --pid-file="$D/dnsmasq.pid" \
        --dhcp-authoritative --no-ping --dhcp-range=192.0.2.100,192.0.2.200,255.255.255.0,600 \
        --dhcp-option-force=28,192.0.2.255 "${opts[@]}"
}

start_kea() {
    local o od=""
    for o in subnet-mask=255.255.255.0 routers=192.0.2.1 "domain-name-servers=192.0.2.53, 192.0.2.54" \
        domain-name=example.test "domain-search=example.test, lab.example.test" interface-mtu=1400 \
        ntp-servers=192.0.2.123 broadcast-address=192.0.2.255; do
        od+="{ \"name\": \"${o%%=*}\", \"data\": \"${o#*=}\", \"always-send\": true },"
    done
    # Kea 2.2 has no definition for option 121: send it as raw RFC 3442 bytes
    # (198.51.100.0/24 via 192.0.2.1, 0.0.0.0/0 via 192.0.2.1).
    cat >"$D/kea.json" <<EOF
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "$SIF" ], "dhcp-socket-type": "raw" },
  "lease-database": { "type": "memfile", "persist": true, "name": "$D/kea-leases4.csv", "lfc-interval": 0 },
  "authoritative": true, "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 525,
  "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24", "pools": [ { "pool": "192.0.2.100 - 192.0.2.200" } ],
    "option-data": [ $od
      { "code": 121, "csv-format": false, "data": "18C63364C000020100C0000201", "always-send": true } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "stdout" } ], "severity": "INFO" } ]
} }
EOF
    # Otherwise Kea puts its pid and lock files under /run/kea.
    bg timeout 60 env KEA_LOCKFILE_DIR="$D" KEA_PIDFILE_DIR="$D" ip netns exec "$SNS" kea-dhcp4 -c "$D/kea.json"
}

start_dhcpd() {
    # A parameter-request-list set on the server replaces the client's, so
    # all of these are sent whatever the client asked for.
    cat >"$D/dhcpd.conf" <<EOF
authoritative; ping-check false;
default-lease-time 600; max-lease-time 600;
option classless-routes code 121 = array of unsigned integer 8;
subnet 192.0.2.0 netmask 255.255.255.0 {
  range 192.0.2.100 192.0.2.200;
  option subnet-mask 255.255.255.0;
  option broadcast-address 192.0.2.255;
  option routers 192.0.2.1;
  option domain-name-servers 192.0.2.53, 192.0.2.54;
  option domain-name "example.test";
  option domain-search "example.test", "lab.example.test";
  option classless-routes 24,198,51,100, 192,0,2,1, 0, 192,0,2,1;
  option interface-mtu 1400;
  option ntp-servers 192.0.2.123;
  option dhcp-renewal-time 300; option dhcp-rebinding-time 525;
  option dhcp-parameter-request-list 1,3,6,15,26,28,42,51,54,58,59,119,121;
}
EOF
    : >"$D/dhcpd.leases"
    bg timeout 60 ip netns exec "$SNS" dhcpd -4 -f -d -cf "$D/dhcpd.conf" -lf "$D/dhcpd.leases" -pf "$D/dhcpd.pid" "$SIF"
}

start_udhcpd() {
    # 58/59 have no udhcpd name; "opt <code> <hex>" sends the raw bytes.
    cat >"$D/udhcpd.conf" <<EOF
interface $SIF
start 192.0.2.100
end 192.0.2.200
lease_file $D/udhcpd.leases
pidfile $D/udhcpd.pid
opt subnet 255.255.255.0
opt broadcast 192.0.2.255
opt router 192.0.2.1
opt dns 192.0.2.53 192.0.2.54
opt domain example.test
opt search example.test lab.example.test
opt staticroutes 198.51.100.0/24 192.0.2.1 0.0.0.0/0 192.0.2.1
opt mtu 1400
opt ntpsrv 192.0.2.123
opt lease 600
opt 58 0000012c
opt 59 0000020d
EOF
    # -a 100: short ARP probe before OFFER (default 2 s) keeps one DISCOVER.
    bg timeout 60 ip netns exec "$SNS" udhcpd -f -a 100 "$D/udhcpd.conf"
}

# ---- clients: DORA, then RELEASE ----
# dhclient and udhcpc send RELEASE through a kernel UDP socket, which needs
# the leased address on the interface: this hook puts it there (client
# namespace only), configures nothing else, and leaves a marker once done.
write_hook() {
    cat >"$D/hook" <<'EOF'
#!/bin/sh
case "$1/${reason:-}" in
bound/*|renew/*) ip addr replace "$ip/$mask" dev "$interface" ;;
*/BOUND|*/RENEW|*/REBOOT) ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
*) exit 0 ;;
esac
: >"$0.bound"
EOF
    chmod +x "$D/hook"
}

run_udhcpc() {
    # Not -q: busybox 1.35 quits on -q before it counts itself bound, and so
    # sends no RELEASE. Wait for the hook instead, then TERM: -R releases.
    bg timeout 30 ip netns exec "$CNS" udhcpc -f -n -R -t 5 -T 2 -i "$CIF" -s "$D/hook" >"$D/client.log" 2>&1
    wait_for 200 test -e "$D/hook.bound" || return 1
    stop_last
}

run_dhclient() {
    # Debian's stock request list, without "send host-name" (no build host
    # name in the fixtures).
    cat >"$D/dhclient.conf" <<EOF
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
request subnet-mask, broadcast-address, time-offset, routers, domain-name, domain-name-servers,
  domain-search, host-name, interface-mtu, rfc3442-classless-static-routes, ntp-servers;
EOF
    local args=(-4 -v -cf "$D/dhclient.conf" -sf "$D/hook" -lf "$D/dhclient.leases" -pf "$D/dhclient.pid"
        -df "$D/dhclient.duid")
    bg timeout 30 ip netns exec "$CNS" dhclient -d -1 "${args[@]}" "$CIF" >"$D/client.log" 2>&1
    wait_for 200 test -e "$D/hook.bound" || return 1
    # -r stops the running instance (through the pid file) and sends RELEASE.
    timeout 15 ip netns exec "$CNS" dhclient -r "${args[@]}" "$CIF" >>"$D/client.log" 2>&1
}

run_dhcpcd() {
    # Debian's stock config minus rapid_commit (we want the full DORA), plus
    # noarp (no probes to wait for) and release (RELEASE when stopped).
    # --noconfigure and -c /bin/true: dhcpcd configures nothing.
    cat >"$D/dhcpcd.conf" <<EOF
duid
vendorclassid
option domain_name_servers, domain_name, domain_search, host_name
option classless_static_routes, interface_mtu, ntp_servers
require dhcp_server_identifier
noarp
noipv4ll
release
EOF
    mkdir -p "$D/dhcpcd-db" "$D/dhcpcd-run"
    # A DUID-LL from the fixed MAC instead of a new time-based DUID-LLT keeps
    # the client-id (option 61) the same across recordings.
    echo "00:03:00:01:$CMAC" >"$D/dhcpcd-db/duid"
    # dhcpcd's state dirs (/var/lib/dhcpcd, /run/dhcpcd) are compiled in:
    # shadow them with temp dirs in a private mount namespace.
    # shellcheck disable=SC2016  # $1, $2 and $@ belong to the inner sh
    bg timeout 30 ip netns exec "$CNS" unshare -m --propagation private sh -c \
        'mount --bind "$1" /var/lib/dhcpcd && mount --bind "$2" /run && shift 2 && exec "$@"' sh \
        "$D/dhcpcd-db" "$D/dhcpcd-run" \
        dhcpcd -4 -B -d --noconfigure -c /bin/true -f "$D/dhcpcd.conf" "$CIF" >"$D/client.log" 2>&1
    wait_for 200 test -s "$D/dhcpcd-db/$CIF.lease" || return 1
    stop_last
}

port67_bound() { [[ -n "$(in_s ss -Hlun 'sport = :67')" ]]; }
msg_types() { tcpdump -r "$1" -vvv -n 2>/dev/null | sed -n 's/.*DHCP-Message (53), length 1: //p' | tr '\n' ' '; }

capture() {
    local srv=${1%%-*} cli=${1#*-} pcap n types t
    D=$TMP/$1 && mkdir -p "$D" && pcap=$D/$1.pcap
    netns_up
    # --immediate-mode: otherwise packets wait in the capture ring and are
    # lost when tcpdump is stopped a moment after the exchange.
    bg timeout 90 ip netns exec "$SNS" tcpdump -i "$SIF" --immediate-mode -U -s 0 -w "$pcap" \
        'udp and (port 67 or port 68)' 2>"$D/tcpdump.log"
    wait_for 50 grep -q 'listening on' "$D/tcpdump.log" || die "$1: tcpdump did not start"
    "start_$srv" >"$D/server.log" 2>&1
    # Ready once UDP port 67 is bound (all four servers open such a socket).
    wait_for 100 port67_bound || die "$1: $srv did not start"
    write_hook
    "run_$cli" || echo "$1: $cli did not finish, checking what was captured" >&2
    sleep 0.5   # let the last reply reach tcpdump
    netns_down  # stops tcpdump, server and client leftovers
    n=$(tcpdump -r "$pcap" -n 2>/dev/null | wc -l)
    types=$(msg_types "$pcap")
    printf '%-16s %2d packets: %s\n' "$1" "$n" "$types"
    for t in Discover Offer Request ACK; do
        if [[ " $types" != *" $t "* ]]; then
            echo "$1: no $t, pcap not saved" >&2; tail -n 5 "$D"/*.log >&2
            FAILED+=("$1"); return 0
        fi
    done
    cp "$pcap" "$OUT/$1.pcap"
}

# Not `capture || ...`: that would switch off set -e inside capture.
for p in "${PAIRS[@]}"; do capture "$p"; done
((${#FAILED[@]} == 0)) || die "failed: ${FAILED[*]}"
