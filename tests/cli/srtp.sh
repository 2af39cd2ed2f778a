# DTLS-SRTP (RFC 5764) interop with the command-line peers of OpenSSL 3.0
# (`openssl s_server`/`s_client -dtls1_2 -use_srtp`) and GnuTLS 3.7
# (`gnutls-serv`/`gnutls-cli --udp --srtp-profiles`), in both roles, over
# loopback UDP. For each SRTP profile the peer supports, both sides must name
# the same profile, and the keying material SRTP's master keys are cut from
# (RFC 5764 4.2: label EXTRACTOR-dtls_srtp, no context, 2 * (key + salt)
# bytes) must be the same on both sides wherever the peer prints it. Also:
# no profile in common (the handshake goes on without SRTP), an MKI that
# OpenSSL declines and one our server accepts, and WebRTC's way of trusting
# a peer: --self-signed and --peer-fingerprint, checked against the
# fingerprints OpenSSL computes. Neither peer speaks DTLS 1.3, so the
# interop is DTLS 1.2; one check, between our own client and server, is
# DTLS 1.3.
#
# Once every check has passed, it writes them to docs/interop-srtp.md (or to
# the page given as the second argument).
#
# Usage: srtp.sh path/to/dtls [page]
PAGE=$(cd "$(dirname "$0")/../.." && pwd)/docs/interop-srtp.md  # before lib.sh changes directory
source "$(dirname "$0")/lib.sh"
PAGE=${1:-$PAGE}
require_tool openssl openssl
require_tool gnutls-serv gnutls-bin
require_tool gnutls-cli gnutls-bin
make_certs

LABEL=EXTRACTOR-dtls_srtp
OPENSSL_VERSION=$(openssl version | awk '{print $1, $2}')
GNUTLS_VERSION="GnuTLS $(gnutls-cli --version | awk 'NR == 1 {print $2}')"
DTLS_VERSION=$("$DTLS" --version | awk '{print $1, $2}')
# Our name (also GnuTLS's)|OpenSSL's name|bytes of keying material, 2 *
# (key + salt): 16 + 14 for the AES-CM profiles (RFC 5764 4.1.2), 16 + 12
# and 32 + 12 for AEAD_AES_128_GCM and AEAD_AES_256_GCM (RFC 7714 12).
PROFILES=(
    "SRTP_AES128_CM_HMAC_SHA1_80|SRTP_AES128_CM_SHA1_80|60"
    "SRTP_AES128_CM_HMAC_SHA1_32|SRTP_AES128_CM_SHA1_32|60"
    "SRTP_AEAD_AES_128_GCM|SRTP_AEAD_AES_128_GCM|56"
    "SRTP_AEAD_AES_256_GCM|SRTP_AEAD_AES_256_GCM|88"
)
# GnuTLS 3.7.9 has no AEAD profiles (checked below, so that a GnuTLS that
# gains them makes this list grow).
GNUTLS_PROFILES=(SRTP_AES128_CM_HMAC_SHA1_80 SRTP_AES128_CM_HMAC_SHA1_32)
# Every profile, in our order, for the side that should pick the one the
# other side offers.
ALL_PROFILES=$(for entry in "${PROFILES[@]}"; do echo "${entry%%|*}"; done | paste -sd,)

# The page's rows: "peer|version|role|DTLS version|profile|keys" for the
# SRTP table, "peer|version|checked" for the other one.
SRTP_ROWS=()
OTHER_ROWS=()
srtp_passed() {
    pass "$1: $3, $5, keys: $6"
    SRTP_ROWS+=("$1|$2|$3|$4|$5|$6")
}
other_passed() {
    pass "$1: $3"
    OTHER_ROWS+=("$1|$2|$3")
}

# our_keys FILE: the keying material our --export printed in FILE.
our_keys() { sed -n "s/.*exported keying material $LABEL [0-9]*: //p" "$1"; }
# our_version FILE: the version on our "connected to" or "handshake done" line.
our_version() { sed -nE 's/.*(connected to [^ ]+|handshake done): (DTLS 1\.[23]),.*/\2/p' "$1" | head -n 1; }
openssl_keys() { sed -n 's/^ *Keying material: //p' "$1"; }

# same_keys WHAT OURS THEIRS LENGTH: both are LENGTH bytes of hex, equal but
# for case (OpenSSL prints upper case, we and GnuTLS lower).
same_keys() {
    local what=$1 ours=$2 theirs=$3 length=$4
    [[ ${#ours} == $((2 * length)) ]] || fail "$what: dtls exported \"$ours\", expected $length bytes in hex"
    [[ ${#theirs} == $((2 * length)) ]] || fail "$what: the peer exported \"$theirs\", expected $length bytes in hex"
    [[ ${ours,,} == "${theirs,,}" ]] || fail "$what: the keying material differs: dtls $ours, peer $theirs"
}

# fingerprint_of PEM-FILE: the certificate's SHA-256 fingerprint as OpenSSL
# computes it, in RFC 8122's form ("sha-256 AB:CD:...").
fingerprint_of() {
    local text
    text=$(openssl x509 -in "$1" -noout -fingerprint -sha256 | sed -E 's/^[Ss][Hh][Aa]256 Fingerprint=/sha-256 /')
    [[ $text =~ ^sha-256\ ([0-9A-F]{2}:){31}[0-9A-F]{2}$ ]] || fail "unexpected fingerprint from openssl: $text"
    echo "$text"
}
# first_certificate FILE: the first PEM certificate printed in FILE.
first_certificate() { sed -n '/^-----BEGIN CERTIFICATE-----$/,$p' "$1" | sed '/^-----END CERTIFICATE-----$/q'; }
# printed_fingerprint_is WHAT LOG PEM-FILE: the "fingerprint:" line that
# --self-signed printed in LOG is OpenSSL's fingerprint of the certificate.
printed_fingerprint_is() {
    local printed expected
    printed=$(sed -n 's/^fingerprint: //p' "$2")
    expected=$(fingerprint_of "$3")
    [[ $printed == "$expected" ]] || fail "$1 printed the fingerprint \"$printed\", OpenSSL computes \"$expected\""
}

# --- Peers ------------------------------------------------------------------

# s_server stops at the end of its input, even before a client comes: it
# reads this FIFO, which the test holds open and never writes.
mkfifo to_s_server
exec 3<>to_s_server

# s_server NAME [options]: OpenSSL's server for one connection, on a free
# port. Sets S_SERVER_PID and S_SERVER_PORT.
s_server() {
    local name=$1
    shift
    S_SERVER_PORT=$(free_udp_port)
    rm -f "$name.out" "$name.err"
    start_bg 30 openssl s_server -dtls1_2 -accept "127.0.0.1:$S_SERVER_PORT" -naccept 1 -cert server.pem \
        -key server.key "$@" <to_s_server >"$name.out" 2>"$name.err"
    S_SERVER_PID=$LAST_PID
    wait_for_text "$name.out" '^ACCEPT$' 10
}

# dtls_client NAME PORT [options]: our client connects, sends nothing, and
# closes; it must exit 0.
dtls_client() {
    local name=$1 port=$2
    shift 2
    timeout 20 "$DTLS" client "127.0.0.1:$port" "$@" </dev/null >"$name.out" 2>"$name.err" || {
        cat "$name.err" >&2
        fail "$name: dtls client exited non-zero"
    }
    expect_line "$name.err" '^connected to '
}

# s_client NAME [options]: OpenSSL's client to our server; its input ends at
# once, so it closes after the handshake. It must exit 0.
s_client() {
    local name=$1
    shift
    timeout 20 openssl s_client -dtls1_2 -connect "127.0.0.1:$SERVER_PORT" "$@" </dev/null >"$name.out" \
        2>"$name.err" || {
        cat "$name.out" "$name.err" >&2
        fail "$name: openssl s_client exited non-zero"
    }
}
trusting_our_server=(-CAfile ca.pem -verify_return_error -servername localhost)
trusting_s_server=(--ca ca.pem --server-name localhost)

# server_done NAME: our server has printed its handshake and closed lines
# for the one client, then stops.
server_done() {
    wait_for_text "$1.err" ' closed$' 10
    stop_server "$1"
}

# --- dtls client -> openssl s_server ------------------------------------------
# Our client offers every profile; the peer accepts one, which must be the
# one agreed.
for entry in "${PROFILES[@]}"; do
    IFS='|' read -r ours theirs length <<<"$entry"
    s_server "s_server-$ours" -use_srtp "$theirs" -keymatexport "$LABEL" -keymatexportlen "$length"
    dtls_client "client-$ours" "$S_SERVER_PORT" "${trusting_s_server[@]}" --srtp "$ALL_PROFILES" \
        --export "$LABEL:$length"
    wait_exit "$S_SERVER_PID" 10
    expect_line "client-$ours.err" "^connected to [^ ]+: DTLS 1\.2, .*, SRTP $ours\$"
    expect_line "s_server-$ours.out" "^SRTP Extension negotiated, profile=$theirs\$"
    same_keys "dtls client -> s_server, $ours" "$(our_keys "client-$ours.err")" \
        "$(openssl_keys "s_server-$ours.out")" "$length"
    srtp_passed "OpenSSL s_server" "$OPENSSL_VERSION" "peer is server" "$(our_version "client-$ours.err")" \
        "$ours" "yes, $length bytes"
done

# --- openssl s_client -> dtls server ------------------------------------------
# The peer offers one profile; our server, accepting every one, must pick it.
for entry in "${PROFILES[@]}"; do
    IFS='|' read -r ours theirs length <<<"$entry"
    start_dtls_server "server-$ours" --cert server.pem --key server.key --srtp "$ALL_PROFILES" \
        --export "$LABEL:$length"
    s_client "s_client-$ours" "${trusting_our_server[@]}" -use_srtp "$theirs" -keymatexport "$LABEL" \
        -keymatexportlen "$length"
    server_done "server-$ours"
    expect_line "server-$ours.err" "handshake done: DTLS 1\.2, .*, SRTP $ours\$"
    expect_line "s_client-$ours.out" "^SRTP Extension negotiated, profile=$theirs\$"
    same_keys "s_client -> dtls server, $ours" "$(our_keys "server-$ours.err")" \
        "$(openssl_keys "s_client-$ours.out")" "$length"
    srtp_passed "OpenSSL s_client" "$OPENSSL_VERSION" "peer is client" \
        "$(our_version "server-$ours.err")" "$ours" "yes, $length bytes"
done

# --- GnuTLS -------------------------------------------------------------------

# The profiles GNUTLS_PROFILES leaves out are still refused as options.
for entry in "${PROFILES[@]}"; do
    ours=${entry%%|*}
    [[ " ${GNUTLS_PROFILES[*]} " == *" $ours "* ]] && continue
    timeout 5 gnutls-cli --udp --srtp-profiles="$ours" -p 9 127.0.0.1 </dev/null >gnutls-profile.out 2>&1 || true
    grep -q "Syntax error at: $ours" gnutls-profile.out ||
        fail "gnutls-cli no longer refuses --srtp-profiles=$ours: add it to GNUTLS_PROFILES"
done

# gnutls_serv NAME [options]: GnuTLS's echo server on a free port. Sets
# GNUTLS_PID.
gnutls_serv() {
    local name=$1
    shift
    GNUTLS_PORT=$(free_udp_port)
    start_bg 30 gnutls-serv --udp --echo -p "$GNUTLS_PORT" --x509certfile server.pem --x509keyfile server.key "$@" \
        </dev/null >"$name.out" 2>"$name.err"
    GNUTLS_PID=$LAST_PID
    wait_for_text "$name.err" "listening on IPv4 .* port $GNUTLS_PORT\.\.\.done" 10
}
stop_gnutls_serv() {
    kill -TERM "$GNUTLS_PID"
    wait_exit "$GNUTLS_PID" 10
}

# dtls client -> gnutls-serv. Over UDP, gnutls-serv prints neither the
# profile nor any keying material: only our side's profile can be checked
# (a profile our client did not offer, or none, would show there).
for ours in "${GNUTLS_PROFILES[@]}"; do
    gnutls_serv "gnutls-serv-$ours" --srtp-profiles="$ours"
    dtls_client "client-gnutls-$ours" "$GNUTLS_PORT" "${trusting_s_server[@]}" --srtp "$ALL_PROFILES" \
        --export "$LABEL:60"
    stop_gnutls_serv
    expect_line "client-gnutls-$ours.err" "^connected to [^ ]+: DTLS 1\.2, .*, SRTP $ours\$"
    srtp_passed "gnutls-serv" "$GNUTLS_VERSION" "peer is server" \
        "$(our_version "client-gnutls-$ours.err")" "$ours" "not shown: gnutls-serv prints no keying material over UDP"
done

# gnutls-cli -> dtls server.
for ours in "${GNUTLS_PROFILES[@]}"; do
    start_dtls_server "server-gnutls-$ours" --cert server.pem --key server.key --srtp "$ALL_PROFILES" \
        --export "$LABEL:60"
    timeout 20 gnutls-cli --udp -p "$SERVER_PORT" --x509cafile ca.pem --srtp-profiles="$ours" \
        --keymatexport "$LABEL" --keymatexportsize 60 127.0.0.1 </dev/null >"gnutls-cli-$ours.out" \
        2>"gnutls-cli-$ours.err" || {
        cat "gnutls-cli-$ours.out" "gnutls-cli-$ours.err" >&2
        fail "gnutls-cli exited non-zero"
    }
    server_done "server-gnutls-$ours"
    expect_line "server-gnutls-$ours.err" "handshake done: DTLS 1\.2, .*, SRTP $ours\$"
    expect_line "gnutls-cli-$ours.out" "^- SRTP profile: $ours\$"
    same_keys "gnutls-cli -> dtls server, $ours" "$(our_keys "server-gnutls-$ours.err")" \
        "$(sed -n 's/^- Key material: //p' "gnutls-cli-$ours.out")" 60
    srtp_passed "gnutls-cli" "$GNUTLS_VERSION" "peer is client" \
        "$(our_version "server-gnutls-$ours.err")" "$ours" "yes, 60 bytes"
done

# --- No profile in common -----------------------------------------------------
# The server answers without use_srtp and the handshake completes: no SRTP on
# either side (RFC 5764 4.1.1).
s_server s_server-none -use_srtp SRTP_AES128_CM_SHA1_80
dtls_client client-none "$S_SERVER_PORT" "${trusting_s_server[@]}" --srtp SRTP_AEAD_AES_256_GCM
wait_exit "$S_SERVER_PID" 10
expect_line s_server-none.out '^CIPHER is '
! grep -q 'SRTP' client-none.err || fail "SRTP agreed with no profile in common: $(cat client-none.err)"
! grep -q '^SRTP Extension negotiated' s_server-none.out || fail "s_server agreed on SRTP with no profile in common"
srtp_passed "OpenSSL s_server" "$OPENSSL_VERSION" "peer is server" "$(our_version client-none.err)" \
    "none in common (dtls SRTP_AEAD_AES_256_GCM, peer SRTP_AES128_CM_SHA1_80): no SRTP, handshake completes" "-"

start_dtls_server server-none --cert server.pem --key server.key --srtp SRTP_AEAD_AES_128_GCM
s_client s_client-none "${trusting_our_server[@]}" -use_srtp SRTP_AES128_CM_SHA1_32
server_done server-none
expect_line server-none.err 'handshake done: DTLS 1\.2'
! grep -q 'SRTP' server-none.err || fail "SRTP agreed with no profile in common: $(cat server-none.err)"
! grep -q '^SRTP Extension negotiated' s_client-none.out || fail "s_client agreed on SRTP with no profile in common"
srtp_passed "OpenSSL s_client" "$OPENSSL_VERSION" "peer is client" "$(our_version server-none.err)" \
    "none in common (peer SRTP_AES128_CM_SHA1_32, dtls SRTP_AEAD_AES_128_GCM): no SRTP, handshake completes" "-"

# --- MKI ----------------------------------------------------------------------
# OpenSSL reads a client's MKI but never uses one: its answer's empty MKI
# tells our client to use none (RFC 5764 4.1.3), and the keys do not change.
s_server s_server-mki -use_srtp SRTP_AES128_CM_SHA1_80 -keymatexport "$LABEL" -keymatexportlen 60
dtls_client client-mki "$S_SERVER_PORT" "${trusting_s_server[@]}" --srtp SRTP_AES128_CM_HMAC_SHA1_80 \
    --srtp-mki 0a0b0c --export "$LABEL:60"
wait_exit "$S_SERVER_PID" 10
expect_line client-mki.err '^connected to [^ ]+: DTLS 1\.2, .*, SRTP SRTP_AES128_CM_HMAC_SHA1_80$'
expect_line s_server-mki.out '^SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80$'
same_keys "dtls client with an MKI -> s_server" "$(our_keys client-mki.err)" "$(openssl_keys s_server-mki.out)" 60
other_passed "OpenSSL s_server" "$OPENSSL_VERSION" \
    "dtls client offers MKI 0a0b0c, OpenSSL answers without one: no MKI used, keys match"

# Our server with --srtp-accept-mki takes the MKI; the client trusts the
# server by the fingerprint it printed. Both sides speak DTLS 1.3, so this
# is DTLS-SRTP over DTLS 1.3 too.
start_dtls_server server-mki --self-signed --srtp SRTP_AEAD_AES_128_GCM --srtp-accept-mki --export "$LABEL:56"
server_fingerprint=$(sed -n 's/^fingerprint: //p' server-mki.err)
dtls_client client-mki2 "$SERVER_PORT" --peer-fingerprint "$server_fingerprint" --srtp SRTP_AEAD_AES_128_GCM \
    --srtp-mki 0a0b0c --export "$LABEL:56"
server_done server-mki
expect_line client-mki2.err '^connected to [^ ]+: DTLS 1\.3, .*, SRTP SRTP_AEAD_AES_128_GCM, MKI 0a0b0c$'
expect_line server-mki.err 'handshake done: DTLS 1\.3, .*, SRTP SRTP_AEAD_AES_128_GCM, MKI 0a0b0c$'
same_keys "dtls client with an MKI -> dtls server --srtp-accept-mki" "$(our_keys client-mki2.err)" \
    "$(our_keys server-mki.err)" 56
other_passed "dtls client and server" "$DTLS_VERSION" "DTLS 1.3, SRTP_AEAD_AES_128_GCM with MKI 0a0b0c offered and \
accepted (--srtp-accept-mki), server --self-signed trusted by --peer-fingerprint, keys match"

# --- Fingerprints -------------------------------------------------------------

# Our server's --self-signed certificate: the fingerprint it prints is the
# one OpenSSL computes for the certificate s_client received.
start_dtls_server server-self --self-signed
expect_line server-self.err '^fingerprint: sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$'
s_client s_client-self  # no -verify_return_error: the certificate is self-signed
server_done server-self
first_certificate s_client-self.out >server-self.pem
printed_fingerprint_is "dtls server --self-signed" server-self.err server-self.pem
other_passed "OpenSSL s_client" "$OPENSSL_VERSION" "dtls server --self-signed: the fingerprint it prints is OpenSSL's"

# Our client's --self-signed certificate, shown to s_server -verify (which
# asks for one and goes on whatever its check says).
s_server s_server-self -verify 1
dtls_client client-self "$S_SERVER_PORT" "${trusting_s_server[@]}" --self-signed
wait_exit "$S_SERVER_PID" 10
sed -n '/^Client certificate$/,$p' s_server-self.out | first_certificate /dev/stdin >client-self.pem
printed_fingerprint_is "dtls client --self-signed" client-self.err client-self.pem
other_passed "OpenSSL s_server" "$OPENSSL_VERSION" "dtls client --self-signed: the fingerprint it prints is OpenSSL's"

# Our client trusts s_server by fingerprint alone (no --ca): the right one
# connects, another one is refused.
s_server s_server-fp
dtls_client client-fp "$S_SERVER_PORT" --peer-fingerprint "$(fingerprint_of client.pem)" \
    --peer-fingerprint "$(fingerprint_of server.pem)"
wait_exit "$S_SERVER_PID" 10
s_server s_server-fp-wrong
status=0
timeout 20 "$DTLS" client "127.0.0.1:$S_SERVER_PORT" --peer-fingerprint "$(fingerprint_of client.pem)" </dev/null \
    >client-fp-wrong.out 2>client-fp-wrong.err || status=$?
[[ $status == 1 ]] || fail "dtls client with the wrong fingerprint exited $status, expected 1"
expect_line client-fp-wrong.err '^dtls: certificate verify failed: .*fingerprint.* \(alert sent: bad_certificate\)$'
kill -TERM "$S_SERVER_PID" 2>/dev/null || true  # it may have ended with the failed handshake
wait_exit "$S_SERVER_PID" 10
other_passed "OpenSSL s_server" "$OPENSSL_VERSION" "dtls client --peer-fingerprint (OpenSSL's fingerprint of \
s_server's certificate): connects; another fingerprint: refused, bad_certificate"

# Our server trusts client certificates by fingerprint alone.
start_dtls_server server-fp --cert server.pem --key server.key --verify-client require \
    --peer-fingerprint "$(fingerprint_of client.pem)"
s_client s_client-fp "${trusting_our_server[@]}" -cert client.pem -key client.key
server_done server-fp
expect_line server-fp.err 'handshake done: DTLS 1\.2'
start_dtls_server server-fp-wrong --cert server.pem --key server.key --verify-client require \
    --peer-fingerprint "$(fingerprint_of server.pem)"
timeout 20 openssl s_client -dtls1_2 -connect "127.0.0.1:$SERVER_PORT" "${trusting_our_server[@]}" -cert client.pem \
    -key client.key </dev/null >s_client-fp-wrong.out 2>s_client-fp-wrong.err || true
wait_for_text server-fp-wrong.err 'handshake failed: .*fingerprint' 10
stop_server server-fp-wrong
! grep -q 'handshake done' server-fp-wrong.err || fail "dtls server accepted a client certificate it had no fingerprint of"
other_passed "OpenSSL s_client" "$OPENSSL_VERSION" "dtls server --verify-client require --peer-fingerprint \
(OpenSSL's fingerprint of the client certificate): accepted; another fingerprint: refused"

# --- The page -----------------------------------------------------------------

{
    echo "# Interoperability: DTLS-SRTP"
    echo
    echo "Generated by the DTLS-SRTP interop test (\`ctest -R cli_srtp\`, which runs \`tests/cli/srtp.sh\`); do not"
    echo "edit by hand. It is written only when every check passes."
    echo
    echo "\`dtls client\` and \`dtls server\` with \`--srtp\` (RFC 5764 use_srtp) against the command-line tools of"
    echo "$OPENSSL_VERSION and $GNUTLS_VERSION (Debian 12 packages), over UDP on 127.0.0.1. The side that chooses is"
    echo "offered every profile by us, or accepts every profile as our server, and must choose the one the other side"
    echo "offers. \"Keys match\": the $LABEL keying material (RFC 5764 4.2, 2 * (key + salt) bytes, from which"
    echo "\`dtls::srtp_keys()\` cuts the SRTP master keys and salts) that \`--export\` prints equals the peer's."
    echo "Only DTLS 1.2: neither peer speaks DTLS 1.3. GnuTLS 3.7.9 has no AEAD (GCM) profiles, and \`gnutls-serv\`"
    echo "prints neither the profile nor keying material over UDP. use_srtp in DTLS 1.3 is checked against wolfSSL"
    echo "5.9.2 in [interop-dtls13.md](interop-dtls13.md), and against browsers in [interop-webrtc.md](interop-webrtc.md);"
    echo "the DTLS 1.2 library interop is in [interop.md](interop.md)."
    echo
    echo "| Peer | Peer version | Role | DTLS version | Profile | Keys match |"
    echo "| --- | --- | --- | --- | --- | --- |"
    for row in "${SRTP_ROWS[@]}"; do
        IFS='|' read -r peer version role dtls profile keys <<<"$row"
        echo "| $peer | $version | $role | $dtls | $profile | $keys |"
    done
    echo
    echo "## MKI and certificate fingerprints"
    echo
    echo "| Peer | Peer version | Checked |"
    echo "| --- | --- | --- |"
    for row in "${OTHER_ROWS[@]}"; do
        IFS='|' read -r peer version what <<<"$row"
        echo "| $peer | $version | $what |"
    done
} >"$PAGE.tmp" && mv "$PAGE.tmp" "$PAGE" || fail "could not write $PAGE"
pass "wrote $PAGE"
