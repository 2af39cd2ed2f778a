# Raw public keys (RFC 7250) with GnuTLS 3.7's command-line peers over
# loopback UDP, DTLS 1.2 (GnuTLS has no DTLS 1.3), in both roles: a server
# that authenticates with a raw key, and both sides with raw keys. Each side
# is given the other's public key; our side checks it (--rpk-peer) and says
# which certificate types were used, data goes both ways. A server key the
# client does not trust fails with bad_certificate.
#
# Once every check has passed, it writes them to docs/interop-rpk.md (or to
# the page given as the second argument).
#
# Usage: rpk.sh path/to/dtls [page]
PAGE=$(cd "$(dirname "$0")/../.." && pwd)/docs/interop-rpk.md  # before lib.sh changes directory
source "$(dirname "$0")/lib.sh"
PAGE=${1:-$PAGE}
require_tool gnutls-serv gnutls-bin
require_tool gnutls-cli gnutls-bin
require_tool openssl openssl

GNUTLS_VERSION="GnuTLS $(gnutls-cli --version | awk 'NR == 1 {print $2}')"
DTLS_VERSION=$("$DTLS" --version | awk '{print $1, $2}')
# GnuTLS negotiates raw public keys only when its priority string allows them.
PRIORITY="NORMAL:-VERS-ALL:+VERS-DTLS1.2:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK"

# A P-256 key pair per side (PKCS#8, as GnuTLS wants), the public half as
# "PUBLIC KEY" PEM, and one more that nobody uses.
for who in server client stranger; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$who.key" 2>/dev/null ||
        fail "openssl genpkey failed"
    openssl pkey -in "$who.key" -pubout -out "$who.pub" || fail "openssl pkey -pubout failed"
done

ROWS=()
passed() {
    pass "$1: $3"
    ROWS+=("$1|$2|$3")
}

# --- dtls client -> gnutls-serv --echo, raw keys --------------------------------
# serve_gnutls PREFIX [ARGS...]: gnutls-serv with our server key as a raw key.
serve_gnutls() {
    local prefix=$1
    shift
    GNUTLS_PORT=$(free_udp_port)
    start_bg 60 gnutls-serv --udp --echo -p "$GNUTLS_PORT" --priority "$PRIORITY" --rawpkkeyfile server.key \
        --rawpkfile server.pub "$@" </dev/null >"$prefix-serv.out" 2>"$prefix-serv.err"
    GNUTLS_PID=$LAST_PID
    wait_for_text "$prefix-serv.err" "listening on IPv4 .* port $GNUTLS_PORT\.\.\.done" 10
}

serve_gnutls srv
printf 'hello gnutls\nsecond record\n' >input.txt
status=0
timeout 20 "$DTLS" client "127.0.0.1:$GNUTLS_PORT" --rpk-peer server.pub <input.txt >client.out 2>client.err ||
    status=$?
[[ $status == 0 ]] || { cat client.err >&2; fail "dtls client exited $status"; }
expect_line client.err '^connected to 127\.0\.0\.1:[0-9]+: DTLS 1\.2, .*, server raw public key'
diff input.txt client.out || fail "gnutls-serv's echoes differ from what was sent"
passed "dtls client -> gnutls-serv" "$GNUTLS_VERSION" "server authenticated by a raw public key, data both ways"

# The same server, a key our client does not trust.
status=0
timeout 20 "$DTLS" client "127.0.0.1:$GNUTLS_PORT" --rpk-peer stranger.pub </dev/null >untrusted.out \
    2>untrusted.err || status=$?
[[ $status != 0 ]] || fail "dtls client accepted an untrusted raw public key"
expect_line untrusted.err 'raw public key verify failed.*alert sent: bad_certificate'
passed "dtls client -> gnutls-serv" "$GNUTLS_VERSION" "an untrusted server key is refused with bad_certificate"
kill_tree "$GNUTLS_PID"

# Both sides with raw keys: gnutls-serv asks for (and requires) the client's.
serve_gnutls mutual --require-client-cert
status=0
timeout 20 "$DTLS" client "127.0.0.1:$GNUTLS_PORT" --rpk-peer server.pub --rpk-key client.key <input.txt \
    >mutual.out 2>mutual.err || status=$?
[[ $status == 0 ]] || { cat mutual.err >&2; cat mutual-serv.out >&2; fail "dtls client exited $status"; }
expect_line mutual.err '^connected to .*: DTLS 1\.2, .*, server raw public key, client raw public key'
diff input.txt mutual.out || fail "gnutls-serv's echoes differ from what was sent"
passed "dtls client -> gnutls-serv" "$GNUTLS_VERSION" "both sides authenticated by raw public keys, data both ways"
kill_tree "$GNUTLS_PID"

# --- gnutls-cli -> dtls server --echo, raw keys ---------------------------------
# gnutls_to_us NAME [ARGS...]: gnutls-cli sends a line to our echo server
# (already started as NAME) and must get it back; gnutls-cli takes the server's
# raw key without a trust store (--insecure): the check of interest is ours.
gnutls_to_us() {
    local name=$1
    shift
    mkfifo "to_$name"
    exec 3<>"to_$name"
    start_bg 30 gnutls-cli --udp -p "$SERVER_PORT" --priority "$PRIORITY" --insecure "$@" 127.0.0.1 <"to_$name" \
        >"$name-cli.out" 2>"$name-cli.err"
    local pid=$LAST_PID
    wait_for_text "$name-cli.out" '^- Handshake was completed' 10
    echo "hello dtls, from gnutls-cli" >&3
    wait_for_text "$name.out" ': hello dtls, from gnutls-cli$' 10
    wait_for_text "$name-cli.out" '^hello dtls, from gnutls-cli$' 10  # the echo
    exec 3>&-
    status=0
    wait "$pid" || status=$?
    [[ $status == 0 ]] || { cat "$name-cli.err" >&2; fail "gnutls-cli exited $status"; }
}

start_dtls_server rpk-server --rpk-key server.key --echo
gnutls_to_us rpk-server
expect_line rpk-server.err 'handshake done: DTLS 1\.2, .*, server raw public key'
expect_line rpk-server-cli.out 'Certificate type: Raw Public Key'
stop_server rpk-server
passed "gnutls-cli -> dtls server" "$GNUTLS_VERSION" "server authenticated by a raw public key, data both ways"

start_dtls_server mutual-server --rpk-key server.key --rpk-peer client.pub --verify-client require --echo
gnutls_to_us mutual-server --rawpkkeyfile client.key --rawpkfile client.pub
expect_line mutual-server.err 'handshake done: DTLS 1\.2, .*, server raw public key, client raw public key'
stop_server mutual-server
passed "gnutls-cli -> dtls server" "$GNUTLS_VERSION" "both sides authenticated by raw public keys, data both ways"

# Our server refuses a client key it does not trust.
start_dtls_server strict-server --rpk-key server.key --rpk-peer stranger.pub --verify-client require --echo
status=0
timeout 20 gnutls-cli --udp -p "$SERVER_PORT" --priority "$PRIORITY" --insecure --rawpkkeyfile client.key \
    --rawpkfile client.pub 127.0.0.1 </dev/null >strict-cli.out 2>strict-cli.err || status=$?
[[ $status != 0 ]] || fail "gnutls-cli got through with an untrusted client key"
wait_for_text strict-server.err 'raw public key verify failed.*alert sent: bad_certificate' 10
expect_line strict-cli.out 'Received alert \[42\]'  # bad_certificate
stop_server strict-server
passed "gnutls-cli -> dtls server" "$GNUTLS_VERSION" "an untrusted client key is refused with bad_certificate"

{
    echo "# Raw public key interop (RFC 7250)"
    echo
    echo "Written by tests/cli/rpk.sh (ctest -R cli_rpk) after every check passed, with $DTLS_VERSION."
    echo "Over loopback UDP, DTLS 1.2 (GnuTLS 3.7 has no DTLS 1.3), P-256 keys, GnuTLS priority"
    echo "\`$PRIORITY\`. Our raw public key tests against ourselves, DTLS 1.2 and 1.3, are tests/rpk/."
    echo
    echo "| Peer and role | Version | Checked |"
    echo "|---|---|---|"
    for row in "${ROWS[@]}"; do
        IFS='|' read -r who version what <<<"$row"
        echo "| $who | $version | $what |"
    done
} >"$PAGE.tmp" && mv "$PAGE.tmp" "$PAGE" || fail "could not write $PAGE"
pass "wrote $PAGE"
