# DTLS 1.3 connection ID interop (RFC 9147 9) with wolfSSL 5.9.2 over
# loopback UDP, both roles, DTLS 1.3 forced on both sides. wolfSSL's example
# programs cannot turn CIDs on, so its side is wolfssl13_cid_peer.c, which
# calls wolfSSL_dtls_cid_use()/wolfSSL_dtls_cid_set() and prints the CIDs
# wolfSSL negotiated (wolfSSL_dtls_cid_is_enabled and the rx/tx CIDs). Each
# case checks both sides report the same pair of CIDs and that data comes
# back: CIDs both ways and a zero-length CID on either side; our server
# follows wolfSSL's client to a new source port by its CID (a relay,
# udp_rebinding_relay.py, rewrites the port after the handshake); and a
# DTLS 1.3 record with a CID no connection issued is dropped and counted.
#
# Once every check has passed, it writes its rows into the page given as the
# third argument (docs/interop-cid.md), between the wolfssl13_cid markers
# (tests/cli/mbedtls_cid.sh, which writes the rest of the page, keeps them).
#
# Usage: wolfssl13_cid.sh path/to/dtls path/to/wolfssl13_cid_peer [page]
source "$(dirname "$0")/lib.sh"
PEER=${1:?usage: $0 path/to/dtls path/to/wolfssl13_cid_peer [page]}
PAGE=${2:-}
[[ -x $PEER ]] || fail "wolfssl13_cid_peer is not built at $PEER: it is built only when wolfSSL 5.9.2 is" \
    "(run scripts/build-peers.sh, then configure again)"
RELAY=$(dirname "$(realpath "${BASH_SOURCE[0]}")")/udp_rebinding_relay.py
require_tool python3 python3
CHECKS=()
check_passed() {
    pass "$1 -> $2: $3"
    CHECKS+=("$1|$2|$3")
}
make_certs

# The CID our side reports as its own / the peer's ("none" when empty).
our_cid() { sed -n 's/.*connection ID: ours \([0-9a-f]*\|none\), .*/\1/p' "$1" | head -n 1; }

# --- Our client, wolfSSL's server --------------------------------------------

# wolfssl_server NAME CID: wolfssl13_cid_peer serving one client.
wolfssl_server() {
    local name=$1 cid=$2
    rm -f "$name".*
    start_bg 40 "$PEER" server 0 server.pem server.key "$cid" </dev/null >"$name.server.out" 2>"$name.server.err"
    WOLFSSL_PID=$LAST_PID
    wait_for_text "$name.server.err" '^listening on 127\.0\.0\.1:[0-9]+$' 10
    WOLFSSL_PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$name.server.err")
}

# client_case NAME OUR-LENGTH WOLFSSL-CID: our client with --cid OUR-LENGTH,
# one line echoed; both sides must report the same CIDs.
client_case() {
    local name=$1 length=$2 theirs=$3
    wolfssl_server "$name" "$theirs"
    echo "hello wolfssl, from dtls" | timeout 30 "$DTLS" client "127.0.0.1:$WOLFSSL_PORT" --ca ca.pem \
        --server-name localhost --min-version 1.3 --cid "$length" >"$name.client.out" 2>"$name.client.err" || {
        cat "$name.client.err" "$name.server.err" >&2
        fail "$name: dtls client exited non-zero"
    }
    expect_line "$name.client.err" "^connected to 127\.0\.0\.1:$WOLFSSL_PORT: DTLS 1\.3, "
    expect_line "$name.client.out" '^hello wolfssl, from dtls$'
    local expected_theirs=$theirs
    [[ $theirs == - ]] && expected_theirs=none
    local ours_pattern="[0-9a-f]{$((2 * length))}"
    ((length == 0)) && ours_pattern=none
    expect_line "$name.client.err" "^connection ID: ours $ours_pattern, the peer.s $expected_theirs$"
    # Our client offers RFC 9853's rrc beside connection_id; wolfSSL does not answer it.
    expect_line "$name.client.err" '^return routability check \(RFC 9853\): not agreed$'
    local ours
    ours=$(our_cid "$name.client.err")
    [[ -n $ours ]] || fail "$name: our client reported no CID"
    wait_exit "$WOLFSSL_PID" 10
    [[ $EXIT_STATUS == 0 ]] || {
        cat "$name.server.err" >&2
        fail "$name: the wolfSSL server exited $EXIT_STATUS"
    }
    expect_line "$name.server.err" '^handshake done: DTLSv1\.3$'
    expect_line "$name.server.err" "^cid: enabled ours $expected_theirs, the peer's $ours$"
}

client_case cid-both 4 beef
check_passed "dtls client --min-version 1.3 --cid 4" "wolfssl13_cid_peer server CID beef" \
    "CIDs both ways in DTLS 1.3: each side reports the other's CID, and data comes back"
client_case cid-ours-empty 0 c0ffee
check_passed "dtls client --min-version 1.3 --cid 0" "wolfssl13_cid_peer server CID c0ffee" \
    "a zero-length CID of ours: only our records carry one (the server's)"
client_case cid-theirs-empty 5 -
check_passed "dtls client --min-version 1.3 --cid 5" "wolfssl13_cid_peer server, empty CID" \
    "a zero-length CID of wolfSSL's: only its records carry one (ours)"

# --- wolfSSL's client, our server --------------------------------------------

# wolfssl_client NAME PORT CID EXCHANGES: each line must come back.
wolfssl_client() {
    local name=$1 port=$2 cid=$3 exchanges=$4
    timeout 40 "$PEER" client "$port" ca.pem "$cid" "$exchanges" </dev/null >"$name.out" 2>"$name.err" || {
        cat "$name.err" >&2
        fail "$name: the wolfSSL client exited non-zero"
    }
    expect_line "$name.err" '^handshake done: DTLSv1\.3$'
    local got
    got=$(grep -c '^hello [0-9]* from wolfssl$' "$name.out" || true)
    [[ $got == "$exchanges" ]] || {
        cat "$name.out" "$name.err" >&2
        fail "$name: $got of $exchanges lines came back"
    }
}

start_dtls_server server --cert server.pem --key server.key --min-version 1.3 --echo --cid 6 --stats \
    --stats-interval 60
wolfssl_client wolf-client "$SERVER_PORT" dead 3
wait_for_text server.err 'connection ID: ours [0-9a-f]{12}, the peer.s dead$' 5
expect_line server.err 'handshake done: DTLS 1\.3, '
ours=$(our_cid server.err)
expect_line wolf-client.err "^cid: enabled ours dead, the peer's $ours$"
check_passed "wolfssl13_cid_peer client CID dead" "dtls server --min-version 1.3 --cid 6" \
    "CIDs both ways in DTLS 1.3: each side reports the other's CID, and 3 exchanges complete"

wolfssl_client wolf-client-empty "$SERVER_PORT" - 2
wait_for_text server.err 'connection ID: ours [0-9a-f]{12}, the peer.s none$' 5
expect_line wolf-client-empty.err "^cid: enabled ours none, the peer's [0-9a-f]{12}$"
check_passed "wolfssl13_cid_peer client, empty CID" "dtls server --min-version 1.3 --cid 6" \
    "a zero-length CID of the client's: only its records carry one (ours)"

# A DTLS 1.3 record (unified header with the C bit) whose CID no connection
# issued: dropped, counted, nothing sent back.
python3 - "$SERVER_PORT" <<'PY' || fail "could not send the forged record"
import socket, sys
record = bytes([0x3c]) + bytes(6 * [0xee]) + bytes([0, 7, 0, 24]) + bytes(24)
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
pass "dtls server --cid 6: a DTLS 1.3 record with a connection ID no connection issued is dropped, counted, not answered"

# The client's NAT rebinds after its handshake (its ClientHello twice, with
# and without the cookie, and its Finished: 3 datagrams) and the first
# exchange: the relay then sends from a new port, and our server must
# follow the client by its CID while every exchange comes back.
start_dtls_server server --cert server.pem --key server.key --min-version 1.3 --echo --cid 6
rm -f relay.out
start_bg 60 python3 "$RELAY" --server "$SERVER_PORT" --after 4 --seconds 50 </dev/null >relay.out 2>relay.err
wait_for_text relay.out '^listening on [0-9]+$' 10
RELAY_PORT=$(sed -n 's/^listening on //p' relay.out)
EXCHANGES=5
wolfssl_client wolf-client-moves "$RELAY_PORT" dead $EXCHANGES
expect_line relay.out '^rebound from [0-9]+ to [0-9]+ after 4 datagrams$'
new_port=$(sed -n 's/^rebound from [0-9]* to \([0-9]*\) after.*/\1/p' relay.out)
wait_for_text server.err "moved to 127\.0\.0\.1:$new_port \(connection ID\)$" 5
expect_line server.out "^127\.0\.0\.1:$new_port: hello [0-9] from wolfssl"
stop_server server
check_passed "wolfssl13_cid_peer client CID dead, through a relay that changes its source port" \
    "dtls server --min-version 1.3 --cid 6" \
    "the server follows the client to its new port by CID (RFC 9146 6 as RFC 9147 9 applies it), and all $EXCHANGES exchanges complete"

# --- The page ---------------------------------------------------------------

if [[ -n $PAGE ]]; then
    [[ -f $PAGE ]] || fail "$PAGE does not exist (tests/cli/mbedtls_cid.sh writes it)"
    {
        echo "<!-- wolfssl13_cid: begin -->"
        echo "## DTLS 1.3 (RFC 9147 9)"
        echo
        echo "Generated by the wolfSSL interop test (\`ctest -R cli_wolfssl13_cid\`, which runs"
        echo "\`tests/cli/wolfssl13_cid.sh\`); do not edit by hand."
        echo
        echo "Peer: wolfSSL 5.9.2 (\`tests/cli/wolfssl13_cid_peer.c\`, which turns its CIDs on with"
        echo "\`wolfSSL_dtls_cid_use\` and \`wolfSSL_dtls_cid_set\`, built against \`scripts/build-peers.sh\`'s"
        echo "wolfSSL), DTLS 1.3 only on both sides, over UDP on 127.0.0.1."
        echo
        echo "| Client | Server | Checked |"
        echo "| --- | --- | --- |"
        for entry in "${CHECKS[@]}"; do
            IFS='|' read -r client server what <<<"$entry"
            echo "| $client | $server | $what |"
        done
        echo "<!-- wolfssl13_cid: end -->"
    } >wolfssl13_cid.section || fail "could not write the page's section"
    python3 - "$PAGE" wolfssl13_cid.section <<'PY' || fail "could not write $PAGE"
import re, sys
page, section = sys.argv[1], open(sys.argv[2]).read()
text = open(page).read()
pattern = re.compile(r"<!-- wolfssl13_cid: begin -->.*?<!-- wolfssl13_cid: end -->\n", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(page + ".tmp", "w").write(text)
PY
    mv "$PAGE.tmp" "$PAGE" || fail "could not write $PAGE"
fi
