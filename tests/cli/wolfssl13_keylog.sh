# The DTLS 1.3 key log of `dtls client --keylog`, checked against another
# implementation: wolfSSL 5.9.2 as the server (wolfssl13_keylog_server.c)
# writes the secrets it derives for the same session in the NSS key log
# format, and each of the five DTLS 1.3 lines (CLIENT_HANDSHAKE_TRAFFIC_SECRET,
# SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0,
# SERVER_TRAFFIC_SECRET_0, EXPORTER_SECRET) must be the same in both, for the
# same client random. tshark 4.0 (Debian 12) cannot read DTLS 1.3, so this is
# the independent check of those lines. Once with TLS_AES_128_GCM_SHA256 and
# once with TLS_AES_256_GCM_SHA384 (the SHA-384 key schedule); the suite is
# forced from wolfSSL's side, as `dtls client` has no option to choose one.
#
# Usage: wolfssl13_keylog.sh path/to/dtls path/to/wolfssl13_keylog_server
source "$(dirname "$0")/lib.sh"
SERVER=${1:?usage: $0 path/to/dtls path/to/wolfssl13_keylog_server}
[[ -x $SERVER ]] || fail "wolfssl13_keylog_server is not built at $SERVER: it is built only when wolfSSL 5.9.2 is" \
    "(run scripts/build-peers.sh, then configure again)"
make_certs

LABELS=(CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET CLIENT_TRAFFIC_SECRET_0
    SERVER_TRAFFIC_SECRET_0 EXPORTER_SECRET)
LABELS_REGEX=$(IFS='|' && echo "${LABELS[*]}")

# keylog_session NAME WOLFSSL-CIPHER OUR-SUITE: one session of our
# client with the wolfSSL server forced to the suite; leaves wolfSSL's key log
# in NAME.wolfssl.keys and ours in NAME.ours.keys.
keylog_session() {
    local name=$1 wolfssl_cipher=$2 suite=$3
    rm -f "$name".*
    start_bg 30 "$SERVER" 0 server.pem server.key "$name.wolfssl.keys" "$wolfssl_cipher" \
        </dev/null >"$name.server.out" 2>"$name.server.err"
    local server_pid=$LAST_PID
    wait_for_text "$name.server.err" '^listening on 127\.0\.0\.1:[0-9]+$' 10
    local port
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$name.server.err")

    echo "hello wolfssl, log your keys" | timeout 30 "$DTLS" client "127.0.0.1:$port" --ca ca.pem \
        --server-name localhost --min-version 1.3 --keylog "$name.ours.keys" \
        >"$name.client.out" 2>"$name.client.err" || {
        cat "$name.client.err" >&2
        fail "$name: dtls client exited non-zero"
    }
    expect_line "$name.client.err" "^connected to 127\.0\.0\.1:$port: DTLS 1\.3, $suite, "
    expect_line "$name.client.out" '^hello wolfssl, log your keys$'
    wait_exit "$server_pid" 10
    [[ $EXIT_STATUS == 0 ]] || {
        cat "$name.server.err" >&2
        fail "$name: the wolfSSL server exited $EXIT_STATUS"
    }
    expect_line "$name.server.err" "^handshake done: DTLSv1\.3, $suite$"
}

# compare_keylogs NAME HEX-DIGITS: our five DTLS 1.3 lines, for our one client
# random, are exactly wolfSSL's, each secret HEX-DIGITS long (the suite's hash).
compare_keylogs() {
    local name=$1 digits=$2
    local ours=$name.ours.keys theirs=$name.wolfssl.keys
    [[ -s $theirs ]] || fail "$name: wolfSSL logged no secrets"
    [[ -s $ours ]] || fail "$name: our client logged no secrets"
    local random
    random=$(awk 'NR == 1 { print $2 }' "$ours")
    [[ $random =~ ^[0-9a-f]{64}$ ]] || fail "$name: no client random in the first line of $ours"
    # Sorted, as the order differs (wolfSSL derives the exporter secret
    # before the application traffic secrets, we log it last).
    grep -E "^($LABELS_REGEX) " "$theirs" | sort -u >"$name.wolfssl.sorted" || true
    grep -E "^($LABELS_REGEX) " "$ours" | sort -u >"$name.ours.sorted" || true
    if ! diff -u --label "wolfSSL 5.9.2 ($theirs)" --label "dtls client ($ours)" \
        "$name.wolfssl.sorted" "$name.ours.sorted" >"$name.diff"; then
        cat "$name.diff" >&2
        fail "$name: our DTLS 1.3 key log differs from the secrets wolfSSL derived (diff above)"
    fi
    # Equal sets could still both lack a line, or hold two sessions: each
    # label once, for this client random, with a secret of the hash's size.
    local label
    for label in "${LABELS[@]}"; do
        [[ $(grep -Ec "^$label $random [0-9a-f]{$digits}$" "$name.ours.sorted") == 1 ]] || {
            cat "$name.ours.sorted" >&2
            fail "$name: expected one $label line for client random $random with a $digits-digit secret in both logs"
        }
    done
    [[ $(wc -l <"$name.ours.sorted") == "${#LABELS[@]}" ]] || {
        cat "$name.ours.sorted" >&2
        fail "$name: expected exactly ${#LABELS[@]} DTLS 1.3 key log lines"
    }
}

keylog_session sha256 TLS13-AES128-GCM-SHA256 TLS_AES_128_GCM_SHA256
compare_keylogs sha256 64
pass "TLS_AES_128_GCM_SHA256: the five DTLS 1.3 key log lines equal wolfSSL's secrets"

keylog_session sha384 TLS13-AES256-GCM-SHA384 TLS_AES_256_GCM_SHA384
compare_keylogs sha384 96
pass "TLS_AES_256_GCM_SHA384: the five DTLS 1.3 key log lines equal wolfSSL's secrets"
