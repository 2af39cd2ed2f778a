# RFC 9146 connection ID interop with Mbed TLS 3.6.7's ssl_client2 and
# ssl_server2 (`cid=1`) over loopback UDP, both roles: each side reports the
# CIDs of the other (ours in our summary line, Mbed TLS's "Peer CID" line
# must show the CID we issued), with CIDs both ways, a zero-length CID on
# either side (one direction only), our client's offer of RFC 9853's rrc
# (which Mbed TLS ignores), each DTLS 1.2 AEAD suite both enable, and a
# client whose source port changes mid-session: a relay
# (udp_rebinding_relay.py) rewrites Mbed TLS's client's port after its
# first datagrams, our server follows the connection by its CID (RFC 9146 6)
# and the exchanges go on both ways. Mbed TLS is built from source by
# scripts/build-peers.sh (Debian 12's Mbed TLS 2.28 has no RFC 9146 CID);
# the test fails when it has not been built.
#
# The port change is tested with our server only: ssl_server2 connects its
# socket to the client's first address, so datagrams from a new port never
# reach it.
#
# Once every check has passed, it writes them to the page given as the third
# argument (docs/interop-cid.md), which docs/interop.md links to, keeping the
# DTLS 1.3 section tests/cli/wolfssl13_cid.sh writes there.
#
# Usage: mbedtls_cid.sh path/to/dtls path/to/mbedtls-prefix [page]
source "$(dirname "$0")/lib.sh"
MBEDTLS=${1:?usage: $0 path/to/dtls path/to/mbedtls-prefix [page]}
PAGE=${2:-}
RELAY=$(dirname "$(realpath "${BASH_SOURCE[0]}")")/udp_rebinding_relay.py
CHECKS=()
check_passed() {
    pass "$1 -> $2: $3"
    CHECKS+=("$1|$2|$3")
}
for program in ssl_client2 ssl_server2; do
    [[ -x $MBEDTLS/bin/$program ]] ||
        fail "Mbed TLS's $program is not at $MBEDTLS/bin/$program (run scripts/build-peers.sh)"
done
require_tool python3 python3
make_certs

# "49b5ba" -> "49 b5 ba ": Mbed TLS prints a CID as spaced hex bytes.
spaced() { sed 's/../& /g' <<<"$1"; }

# The CID our side reports as its own ("ours HEX") in FILE.
our_cid() { sed -n 's/.*connection ID: ours \([0-9a-f]*\|none\), .*/\1/p' "$1" | head -n 1; }

# mbedtls_server NAME [options]: ssl_server2 on a free port, CIDs on.
mbedtls_server() {
    local name=$1
    shift
    MBED_PORT=$(free_udp_port)
    rm -f "$name.out"
    start_bg 60 "$MBEDTLS/bin/ssl_server2" dtls=1 server_addr=127.0.0.1 server_port="$MBED_PORT" \
        crt_file=server.pem key_file=server.key force_version=dtls12 cid=1 "$@" </dev/null >"$name.out" 2>&1
    MBED_PID=$LAST_PID
    wait_until 10 "ssl_server2 binding port $MBED_PORT" udp_port_bound "$MBED_PORT"
}

# --- Our client, Mbed TLS's server -------------------------------------------

# dtls_client NAME CID-LENGTH: one line to ssl_server2, whose HTTP answer
# must come back.
dtls_client() {
    local name=$1 length=$2
    echo "hello mbedtls, from dtls" | timeout 30 "$DTLS" client "127.0.0.1:$MBED_PORT" --ca ca.pem \
        --server-name localhost --max-version 1.2 --cid "$length" >"$name.out" 2>"$name.err" || {
        cat "$name.err" >&2
        fail "$name: dtls client exited non-zero"
    }
    expect_line "$name.out" 'Mbed TLS Test Server'
}

mbedtls_server mbed-server cid_val=beef
dtls_client cid-both 4
expect_line cid-both.err '^connected to 127\.0\.0\.1:[0-9]+: DTLS 1\.2, '
expect_line cid-both.err '^connection ID: ours [0-9a-f]{8}, the peer.s beef$'
ours=$(our_cid cid-both.err)
wait_for_text mbed-server.out "Peer CID \(length 4 Bytes\): $(spaced "$ours")" 5
check_passed "dtls client --cid 4" "ssl_server2 cid=1 cid_val=beef" \
    "CIDs both ways: each side's records carry the other's CID, and both report them"

dtls_client cid-zero 0
expect_line cid-zero.err '^connection ID: ours none, the peer.s beef$'
wait_for_text mbed-server.out 'Peer CID \(length 0 Bytes\)' 5
check_passed "dtls client --cid 0" "ssl_server2 cid=1 cid_val=beef" \
    "a zero-length CID of ours: only our records carry one (the server's)"
kill -TERM "$MBED_PID"

# RFC 9853: our client offers rrc (extension 61) beside connection_id. Mbed
# TLS does not implement it: its server ignores the extension (its debug
# output names it) and the session with CIDs works as without it.
mbedtls_server mbed-rrc cid_val=beef debug_level=3
dtls_client cid-rrc 4
expect_line cid-rrc.err '^connection ID: ours [0-9a-f]{8}, the peer.s beef$'
expect_line cid-rrc.err '^return routability check \(RFC 9853\): not agreed$'
wait_for_text mbed-rrc.out 'unknown extension found: 61 \(ignoring\)' 5
kill -TERM "$MBED_PID"
check_passed "dtls client --cid 4 (offers rrc)" "ssl_server2 cid=1 debug_level=3" \
    "RFC 9853's rrc extension, which Mbed TLS does not implement, is ignored; CIDs work as without it"

for suite in TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 \
    TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 \
    TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256; do
    mbed_name=${suite%%:*} our_name=${suite##*:}
    mbedtls_server "mbed-$mbed_name" cid_val=c0ffee force_ciphersuite="$mbed_name"
    dtls_client "cid-$mbed_name" 5
    expect_line "cid-$mbed_name.err" "^connected to 127\.0\.0\.1:[0-9]+: DTLS 1\.2, $our_name, "
    expect_line "cid-$mbed_name.err" '^connection ID: ours [0-9a-f]{10}, the peer.s c0ffee$'
    kill -TERM "$MBED_PID"
    check_passed "dtls client --cid 5" "ssl_server2 cid=1" "CIDs both ways with $our_name"
done

# RFC 7925's profile for constrained devices: a pre-shared key with
# TLS_PSK_WITH_AES_128_CCM_8, and connection IDs.
PSK_KEY=00112233445566778899aabbccddeeff
mbedtls_server mbed-psk cid_val=c0de psk="$PSK_KEY" psk_identity=node-1 force_ciphersuite=TLS-PSK-WITH-AES-128-CCM-8
echo "hello mbedtls, from dtls" | timeout 30 "$DTLS" client "127.0.0.1:$MBED_PORT" --psk "$PSK_KEY" \
    --psk-identity node-1 --max-version 1.2 --cid 3 --cipher-suites TLS_PSK_WITH_AES_128_CCM_8 >cid-psk.out \
    2>cid-psk.err || {
    cat cid-psk.err >&2
    fail "cid-psk: dtls client exited non-zero"
}
expect_line cid-psk.out 'Mbed TLS Test Server'
expect_line cid-psk.err '^connected to 127\.0\.0\.1:[0-9]+: DTLS 1\.2, TLS_PSK_WITH_AES_128_CCM_8, no \(EC\)DHE, PSK identity node-1$'
expect_line cid-psk.err '^connection ID: ours [0-9a-f]{6}, the peer.s c0de$'
kill -TERM "$MBED_PID"
check_passed "dtls client --psk --cid 3 (TLS_PSK_WITH_AES_128_CCM_8)" "ssl_server2 cid=1 psk=" \
    "RFC 7925's profile: CIDs both ways with a pre-shared key and TLS_PSK_WITH_AES_128_CCM_8"

# --- Mbed TLS's client, our server -------------------------------------------

# mbedtls_client NAME PORT [options]: ssl_client2 with CIDs on; each of its
# exchanges is a request our --echo server sends back.
mbedtls_client() {
    local name=$1 port=$2
    shift 2
    timeout 30 "$MBEDTLS/bin/ssl_client2" dtls=1 server_addr=127.0.0.1 server_port="$port" \
        server_name=localhost ca_file=ca.pem force_version=dtls12 cid=1 "$@" </dev/null >"$name.out" 2>&1 || {
        cat "$name.out" >&2
        fail "$name: ssl_client2 exited non-zero"
    }
}

start_dtls_server server --cert server.pem --key server.key --echo --cid 6
mbedtls_client mbed-client "$SERVER_PORT" cid_val=dead
wait_for_text server.err 'connection ID: ours [0-9a-f]{12}, the peer.s dead$' 5
ours=$(our_cid server.err)
expect_line mbed-client.out "Peer CID \(length 6 Bytes\): $(spaced "$ours")"
check_passed "ssl_client2 cid=1 cid_val=dead" "dtls server --cid 6" \
    "CIDs both ways: each side's records carry the other's CID, and both report them"

mbedtls_client mbed-client-zero "$SERVER_PORT" cid_val=
wait_for_text server.err 'connection ID: ours [0-9a-f]{12}, the peer.s none$' 5
check_passed "ssl_client2 cid=1 cid_val= (empty)" "dtls server --cid 6" \
    "a zero-length CID of the client's: only its records carry one (ours)"
stop_server server

start_dtls_server server-psk --psk "$PSK_KEY" --psk-identity node-1 --max-version 1.2 --echo --cid 2 \
    --cipher-suites TLS_PSK_WITH_AES_128_CCM_8
timeout 30 "$MBEDTLS/bin/ssl_client2" dtls=1 server_addr=127.0.0.1 server_port="$SERVER_PORT" force_version=dtls12 \
    cid=1 cid_val=beef psk="$PSK_KEY" psk_identity=node-1 force_ciphersuite=TLS-PSK-WITH-AES-128-CCM-8 </dev/null \
    >mbed-client-psk.out 2>&1 || {
    cat mbed-client-psk.out >&2
    fail "mbed-client-psk: ssl_client2 exited non-zero"
}
wait_for_text server-psk.err 'connection ID: ours [0-9a-f]{4}, the peer.s beef$' 5
expect_line server-psk.err 'handshake done: DTLS 1\.2, TLS_PSK_WITH_AES_128_CCM_8, no \(EC\)DHE, PSK identity node-1$'
stop_server server-psk
check_passed "ssl_client2 cid=1 psk= (TLS-PSK-WITH-AES-128-CCM-8)" "dtls server --psk --cid 2" \
    "RFC 7925's profile: CIDs both ways with a pre-shared key and TLS_PSK_WITH_AES_128_CCM_8"

# A tls12_cid record with a CID the server never issued: dropped, counted,
# nothing sent back.
start_dtls_server server --cert server.pem --key server.key --echo --cid 6 --stats --stats-interval 60
python3 - "$SERVER_PORT" <<'PY' || fail "could not send the forged record"
import socket, sys
record = bytes([25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 7]) + bytes(6 * [0xee]) + bytes([0, 24]) + bytes(24)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(record, ("127.0.0.1", int(sys.argv[1])))
try:
    s.recvfrom(2048)
    sys.exit("the server answered a record with an unknown connection ID")
except socket.timeout:
    pass
PY
stop_server server
expect_line server.err 'drops: not-hello 0, .*, unknown-cid 1$'
pass "dtls server --cid 6: a tls12_cid record with a connection ID no connection issued is dropped, counted, not answered"

# The client's NAT rebinds: after its first 6 datagrams (the handshake's, and
# the first exchange's), the relay sends from a new port. Every exchange
# must come back, and our server must say it followed the client.
start_dtls_server server --cert server.pem --key server.key --echo --cid 6
rm -f relay.out
start_bg 60 python3 "$RELAY" --server "$SERVER_PORT" --after 6 --seconds 50 </dev/null >relay.out 2>relay.err
wait_for_text relay.out '^listening on [0-9]+$' 10
RELAY_PORT=$(sed -n 's/^listening on //p' relay.out)
EXCHANGES=5
mbedtls_client mbed-client-moves "$RELAY_PORT" cid_val=dead exchanges=$EXCHANGES read_timeout=5000
expect_line relay.out '^rebound from [0-9]+ to [0-9]+ after 6 datagrams$'
new_port=$(sed -n 's/^rebound from [0-9]* to \([0-9]*\) after.*/\1/p' relay.out)
wait_for_text server.err "moved to 127\.0\.0\.1:$new_port \(connection ID\)$" 5
reads=$(grep -c '< Read from server: [0-9]* bytes read' mbed-client-moves.out || true)
[[ $reads == "$EXCHANGES" ]] || {
    cat mbed-client-moves.out >&2
    fail "ssl_client2 read $reads answers after the port change, expected $EXCHANGES"
}
# Requests after the move reached our server from the new port.
expect_line server.out "^127\.0\.0\.1:$new_port: GET / HTTP/1\.0"
stop_server server
check_passed "ssl_client2 cid=1, through a relay that changes its source port" "dtls server --cid 6" \
    "the server follows the client to its new port by CID (RFC 9146 6), and all $EXCHANGES exchanges complete"

# --- The page ---------------------------------------------------------------

if [[ -n $PAGE ]]; then
    {
        echo "# Interoperability: Connection IDs"
        echo
        echo "## DTLS 1.2 (RFC 9146)"
        echo
        echo "Generated by the Mbed TLS interop test (\`ctest -R cli_mbedtls_cid\`, which runs"
        echo "\`tests/cli/mbedtls_cid.sh\`); do not edit by hand. It is written only when every check passes."
        echo
        echo "Peer: $(basename "$MBEDTLS") (its ssl_client2 and ssl_server2 programs, built by"
        echo "\`scripts/build-peers.sh\`), over UDP on 127.0.0.1, against \`dtls client\` and \`dtls server\` with"
        echo "\`--cid\`. How connection IDs are used is in [connection-id.md](connection-id.md)."
        echo
        echo "| Client | Server | Checked |"
        echo "| --- | --- | --- |"
        for entry in "${CHECKS[@]}"; do
            IFS='|' read -r client server what <<<"$entry"
            echo "| $client | $server | $what |"
        done
        # The DTLS 1.3 rows are tests/cli/wolfssl13_cid.sh's: kept as they are.
        if [[ -f $PAGE ]] && grep -q '^<!-- wolfssl13_cid: begin -->$' "$PAGE"; then
            echo
            sed -n '/^<!-- wolfssl13_cid: begin -->$/,/^<!-- wolfssl13_cid: end -->$/p' "$PAGE"
        fi
    } >"$PAGE.tmp" && mv "$PAGE.tmp" "$PAGE" || fail "could not write $PAGE"
fi
