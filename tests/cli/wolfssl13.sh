# DTLS 1.3 interop with wolfSSL 5.9.2's example client and server over
# loopback UDP, both roles: every DTLS 1.3 suite both sides enable by default,
# every key exchange group both sides support (x25519, secp256r1, and
# secp384r1 with our client: wolfSSL's example client cannot be made to leave
# secp256r1 out, which our server prefers to secp384r1), including the
# HelloRetryRequests that ask for a group, every signature scheme either side
# picks with certificates of each key type we sign with (ECDSA P-256 in the
# other checks, and RSA 2048, ECDSA P-384 and Ed25519 server certificates
# issued here), the stateless HelloRetryRequest cookie of each side, client
# certificates, a KeyUpdate from wolfSSL answered by ours,
# a NewSessionTicket acknowledged, session resumption with a ticket from
# either side, use_srtp (DTLS-SRTP, RFC 5764) with each SRTP profile both
# support (the SRTP_PROFILES list below), and the fall back to DTLS 1.2 with a
# DTLS 1.2-only wolfSSL.
# wolfSSL is built from source by scripts/build-peers.sh (Debian 12's wolfSSL
# has no DTLS 1.3); the test fails when it has not been built.
#
# Once every check has passed, it writes them to the page given as the third
# argument (docs/interop-dtls13.md), which docs/interop.md links to.
#
# Usage: wolfssl13.sh path/to/dtls path/to/wolfssl-prefix [page]
source "$(dirname "$0")/lib.sh"
WOLFSSL=${1:?usage: $0 path/to/dtls path/to/wolfssl-prefix [page]}
PAGE=${2:-}
# Each passed check, as "direction|what", for the page.
CHECKS=()
check_passed() {
    pass "$1 -> $2: $3"
    CHECKS+=("$1|$2|$3")
}
for program in client server; do
    [[ -x $WOLFSSL/bin/$program ]] ||
        fail "wolfSSL's example $program is not at $WOLFSSL/bin/$program (run scripts/build-peers.sh)"
done
make_certs
# The examples refuse to start unless they find the wolfSSL source tree's
# certs/ folder (they look for this file); nothing is read from it here,
# since every certificate and key is given on the command line.
mkdir -p certs
touch certs/dh2048.pem

# Server certificates of the other key types we sign with, from the same CA
# and with server.pem's extensions (server.ext, left by make_certs: the same
# names, key usage and extended key usage). In DTLS 1.3 each key type has
# its scheme: rsa_pss_rsae_sha256 for RSA (the first RSA-PSS scheme in both
# our and wolfSSL's lists, and both pick the first they share), and
# ecdsa_secp384r1_sha384 and ed25519, the only ones for those keys. Neither
# side picks rsa_pss_rsae_sha384, which both support, and neither wolfSSL's
# examples nor our tool can be told to.
# server_cert KIND KEY-OPTIONS...: server-KIND.pem and server-KIND.key.
server_cert() {
    local kind=$1
    shift
    openssl req -newkey "$@" -nodes -keyout "server-$kind.key" -out "server-$kind.csr" -subj "/CN=server.test" \
        2>/dev/null || fail "openssl could not make a $kind key"
    openssl x509 -req -in "server-$kind.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
        -out "server-$kind.pem" 2>/dev/null || fail "openssl could not issue the $kind certificate"
}
server_cert rsa rsa:2048
server_cert p384 ec -pkeyopt ec_paramgen_curve:P-384
server_cert ed25519 ed25519
# KIND|description|the CertificateVerify's length in our client's trace (2
# bytes of scheme, 2 of length, then the signature: 256 bytes for RSA 2048, a
# DER ECDSA P-384 signature of at most 104, 64 for Ed25519); as the last
# field, read takes it whole, with its "|".
SIGNATURE_KINDS=(
    "rsa|an RSA 2048 certificate (RSA-PSS; the scheme is not shown, both prefer rsa_pss_rsae_sha256)|260"
    "p384|an ECDSA P-384 certificate (ecdsa_secp384r1_sha384)|(9[0-9]|10[0-8])"
    "ed25519|an Ed25519 certificate (ed25519)|68"
)

# DTLS-SRTP: our name|wolfSSL's name (OpenSSL's, which its --srtp takes)|
# bytes of keying material, 2 * (key + salt): 60 for the AES-CM profiles, 56
# and 88 for AEAD_AES_128_GCM and AEAD_AES_256_GCM. wolfSSL 5.9.2 knows all
# four, and SRTP_NULL_SHA1_80 and _32, which we lack (it ignores any name it
# does not know). wolfSSL's side is given one profile, ours all four, so the
# side that chooses must choose that one.
SRTP_PROFILES=(
    "SRTP_AES128_CM_HMAC_SHA1_80|SRTP_AES128_CM_SHA1_80|60"
    "SRTP_AES128_CM_HMAC_SHA1_32|SRTP_AES128_CM_SHA1_32|60"
    "SRTP_AEAD_AES_128_GCM|SRTP_AEAD_AES_128_GCM|56"
    "SRTP_AEAD_AES_256_GCM|SRTP_AEAD_AES_256_GCM|88"
)
SRTP_LABEL=EXTRACTOR-dtls_srtp
SRTP_ALL=$(for entry in "${SRTP_PROFILES[@]}"; do echo "${entry%%|*}"; done | paste -sd,)

# srtp_keys_agree WHAT WOLF-NAME OUR-FILE LENGTH: the DTLS-SRTP keying
# material (RFC 5764 4.2: label EXTRACTOR-dtls_srtp, no context, LENGTH
# bytes) that our --export printed in OUR-FILE equals, but for case, the one
# wolfSSL's example printed after the handshake in WOLF-NAME.out (upper-case
# hex, "DTLS SRTP: Exported key material: ..."). Sets SRTP_KEYS to the words
# for the page.
# wolfSSL's examples export only when they kept the handshake's secrets
# (wolfSSL_KeepArrays, under HAVE_SECRET_CALLBACK, which
# scripts/build-peers.sh defines in the options.h they are compiled with).
srtp_keys_agree() {
    local what=$1 name=$2 length=$4 ours theirs
    ours=$(sed -n "s/.*exported keying material $SRTP_LABEL $length: //p" "$3")
    [[ $ours =~ ^[0-9a-f]+$ && ${#ours} == $((2 * length)) ]] ||
        fail "$what: dtls exported \"$ours\", expected $length bytes in hex"
    theirs=$(sed -n 's/^DTLS SRTP: Exported key material: //p' "$name.out")
    [[ $theirs =~ ^[0-9A-Fa-f]+$ && ${#theirs} == $((2 * length)) ]] ||
        fail "$what: wolfSSL exported \"$theirs\", expected $length bytes in hex"
    [[ ${ours,,} == "${theirs,,}" ]] || fail "$what: the keying material differs: dtls $ours, wolfSSL $theirs"
    SRTP_KEYS="keying material ($length bytes) matches wolfSSL's"
}

# --- dtls client -> wolfSSL server ----------------------------------------

# wolfssl_server NAME [options]: wolfSSL's DTLS 1.3 echo server on a free
# port, for one connection. Sets WOLF_PID and WOLF_PORT.
wolfssl_server() {
    local name=$1
    shift
    WOLF_PORT=$(free_udp_port)
    rm -f "$name.out" "$name.err"
    start_bg 60 "$WOLFSSL/bin/server" -u -p "$WOLF_PORT" -c server.pem -k server.key -e "$@" \
        </dev/null >"$name.out" 2>"$name.err"
    WOLF_PID=$LAST_PID
    # It prints nothing until a client comes: wait for its socket instead.
    wait_until 10 "wolfSSL's server binding port $WOLF_PORT" udp_port_bound "$WOLF_PORT"
}

# dtls_client_session NAME VERSION-REGEX [client options]: our client sends
# one line and expects it echoed, then closes.
dtls_client_session() {
    local name=$1 expected=$2
    shift 2
    echo "hello wolfssl, from dtls" | timeout 30 "$DTLS" client "127.0.0.1:$WOLF_PORT" --ca ca.pem \
        --server-name localhost "$@" >"$name.out" 2>"$name.err" || {
        cat "$name.err" >&2
        fail "$name: dtls client exited non-zero"
    }
    expect_line "$name.err" "^connected to 127\.0\.0\.1:[0-9]+: $expected"
    expect_line "$name.out" '^hello wolfssl, from dtls$'
}

wolfssl_server wolf1 -v 4 -d
dtls_client_session client1 'DTLS 1\.3, TLS_AES_(128|256)_GCM_SHA(256|384), x25519' --min-version 1.3 --trace
# wolfSSL answers the first hello with a HelloRetryRequest carrying a cookie,
# and sends a NewSessionTicket after the handshake, which we acknowledge.
expect_line client1.err 'ServerHello message_seq 0'
expect_line client1.err 'ServerHello message_seq 1'
expect_line client1.err 'NewSessionTicket message_seq'
expect_line client1.err '-> ACK of [0-9]+ records'
wait_exit "$WOLF_PID" 10
expect_line wolf1.out '^SSL version is DTLSv1\.3$'
check_passed "dtls client" "wolfSSL server" "DTLS 1.3, HelloRetryRequest cookie, NewSessionTicket acknowledged"

# The server requires a client certificate (wolfSSL does unless -d).
wolfssl_server wolf2 -v 4 -A ca.pem
dtls_client_session client2 'DTLS 1\.3' --max-version 1.3 --cert client.pem --key client.key
wait_exit "$WOLF_PID" 10
check_passed "dtls client" "wolfSSL server" "DTLS 1.3 with a client certificate"

# A small MTU: our flights in several datagrams, none larger than 300 bytes.
wolfssl_server wolf3 -v 4 -d
dtls_client_session client3 'DTLS 1\.3' --max-version 1.3 --mtu 300 --trace
if grep -Eo -- '-> datagram [0-9]+ bytes' client3.err | awk '$3 > 300 { bad = 1 } END { exit !bad }'; then
    fail "a datagram larger than the MTU of 300"
fi
wait_exit "$WOLF_PID" 10
check_passed "dtls client" "wolfSSL server" "DTLS 1.3 at MTU 300"

# wolfSSL speaking DTLS 1.2 only: our client offering both settles on 1.2.
wolfssl_server wolf4 -v 3 -d
dtls_client_session client4 'DTLS 1\.2, TLS_ECDHE_ECDSA_' --max-version 1.3
wait_exit "$WOLF_PID" 10
check_passed "dtls client (1.2 and 1.3)" "wolfSSL DTLS 1.2 server" "DTLS 1.2"

# Key exchange groups: our client sends an x25519 share (client1 above has
# it taken), and wolfSSL's server limited to one other group (--force-curve)
# asks for that group in its HelloRetryRequest.
for group in SECP256R1:secp256r1 SECP384R1:secp384r1; do
    wolf_name=${group%%:*} our_name=${group##*:}
    wolfssl_server "wolf-$our_name" -v 4 -d --force-curve "$wolf_name"
    dtls_client_session "client-$our_name" "DTLS 1\.3, TLS_[A-Z0-9_]+, $our_name$" --min-version 1.3
    wait_exit "$WOLF_PID" 10
    expect_line "wolf-$our_name.out" "^SSL curve name is $wolf_name$"
    check_passed "dtls client" "wolfSSL server" "DTLS 1.3 with $our_name, asked for in wolfSSL's HelloRetryRequest"
done

# Signature schemes: wolfSSL's server with each of the other certificates.
for entry in "${SIGNATURE_KINDS[@]}"; do
    IFS='|' read -r kind what length <<<"$entry"
    wolfssl_server "wolf-sig-$kind" -v 4 -d -c "server-$kind.pem" -k "server-$kind.key"
    dtls_client_session "client-sig-$kind" 'DTLS 1\.3' --min-version 1.3 --trace
    expect_line "client-sig-$kind.err" "CertificateVerify message_seq [0-9]+ bytes 0\.\.$length of $length$"
    wait_exit "$WOLF_PID" 10
    check_passed "dtls client" "wolfSSL server" "DTLS 1.3 with $what"
done

# Resumption: wolfSSL's server takes two connections (-C 2). Our client's
# first connection only waits for wolfSSL's ticket, then closes; the second,
# from a new port, offers the ticket and sends the line.
# wolfSSL's example server closes its socket after each connection and binds
# a new one, and a ClientHello that comes in between draws an ICMP port
# unreachable, which our client reports at once ("nothing is listening
# there"). Our second hello follows the first connection's close_notify by
# a millisecond or two, so a slow wolfSSL can lose that race (it does under
# strace): then, and only then, the check runs once more.
for attempt in 1 2; do
    wolfssl_server wolf5 -v 4 -d -C 2
    echo "hello wolfssl, from dtls" | timeout 30 "$DTLS" client "127.0.0.1:$WOLF_PORT" --ca ca.pem \
        --server-name localhost --min-version 1.3 --resume >client5.out 2>client5.err && break
    if ((attempt == 2)) || ! grep -q 'nothing is listening there' client5.err; then
        cat client5.err >&2
        fail "client5: dtls client exited non-zero"
    fi
    kill_tree "$WOLF_PID"
done
expect_resumption client5.err '^connected to '
expect_line client5.out '^hello wolfssl, from dtls$'
wait_exit "$WOLF_PID" 10
expect_line wolf5.out '^SSL reused session$'
check_passed "dtls client" "wolfSSL server" "DTLS 1.3 session resumption with wolfSSL's ticket, from a new port"

# DTLS-SRTP: our client offers every profile, wolfSSL's server (--srtp)
# accepts one, which must be the one agreed (in DTLS 1.3 the server's
# use_srtp is in its EncryptedExtensions).
for entry in "${SRTP_PROFILES[@]}"; do
    IFS='|' read -r ours theirs length <<<"$entry"
    wolfssl_server "wolf-server-srtp-$ours" -v 4 -d --srtp "$theirs"
    dtls_client_session "client-srtp-$ours" "DTLS 1\.3, .*, SRTP $ours\$" --min-version 1.3 --srtp "$SRTP_ALL" \
        --export "$SRTP_LABEL:$length"
    wait_exit "$WOLF_PID" 10
    expect_line "wolf-server-srtp-$ours.out" '^SSL version is DTLSv1\.3$'
    srtp_keys_agree "dtls client -> wolfSSL server, $ours" "wolf-server-srtp-$ours" "client-srtp-$ours.err" "$length"
    check_passed "dtls client" "wolfSSL server" "DTLS 1.3 use_srtp, $ours (wolfSSL's $theirs), $SRTP_KEYS"
done

# --- wolfSSL client -> dtls server ----------------------------------------

# wolfssl_client NAME [options]: wolfSSL's client sends "hello wolfssl!" and
# prints what comes back (our server echoes it).
wolfssl_client() {
    local name=$1
    shift
    timeout 30 "$WOLFSSL/bin/client" -u -h 127.0.0.1 -p "$SERVER_PORT" -A ca.pem -S localhost "$@" \
        </dev/null >"$name.out" 2>"$name.err" || {
        cat "$name.out" "$name.err" >&2
        fail "$name: wolfSSL client exited non-zero"
    }
    expect_line "$name.out" '^hello wolfssl!$'
}

start_dtls_server server --cert server.pem --key server.key --echo --max-version 1.3
for suite in TLS13-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256 TLS13-AES256-GCM-SHA384:TLS_AES_256_GCM_SHA384 \
    TLS13-CHACHA20-POLY1305-SHA256:TLS_CHACHA20_POLY1305_SHA256 TLS13-AES128-CCM-SHA256:TLS_AES_128_CCM_SHA256; do
    wolf_name=${suite%%:*} our_name=${suite##*:}
    wolfssl_client "wolf-$wolf_name" -v 4 -x -l "$wolf_name"
    expect_line "wolf-$wolf_name.out" "^SSL version is DTLSv1\.3$"
    expect_line "wolf-$wolf_name.out" "^SSL cipher suite is $our_name$"
    wait_for_text server.err "handshake done: DTLS 1\.3, $our_name, " 5
    check_passed "wolfSSL client" "dtls server" "DTLS 1.3 with $our_name, our HelloRetryRequest cookie"
done
stop_server server

# Key exchange groups, one server each (its "handshake done" line names the
# group). wolfSSL's client as run here lists secp521r1, secp384r1,
# secp256r1, x25519, secp224r1 and ffdhe2048 (after three ML-KEM hybrids)
# and sends the key shares its options ask for; -J sends none, and -H
# useSupCurve lists only secp384r1, secp256r1 and ffdhe2048. Where it sent no
# share we support, the HelloRetryRequest that carries our cookie also names
# our group; with --no-cookie the HelloRetryRequest only names the group.
# wolfSSL client options|our server options|group|description
GROUP_CHECKS=(
    "-Y||secp256r1|DTLS 1.3 with a secp256r1 key share"
    "-t||x25519|DTLS 1.3 with an x25519 key share"
    "-y||x25519|DTLS 1.3, only an ffdhe2048 key share (a group we lack) sent: our HelloRetryRequest asks for x25519"
    "-J -H useSupCurve||secp256r1|DTLS 1.3, no key share and no x25519 listed: our HelloRetryRequest asks for secp256r1"
    "-J|--no-cookie --trace|x25519|DTLS 1.3, no key share, our server without cookies: its HelloRetryRequest asks for x25519"
)
for index in "${!GROUP_CHECKS[@]}"; do
    IFS='|' read -r options server_options group what <<<"${GROUP_CHECKS[index]}"
    # shellcheck disable=SC2086 # both option lists are words
    start_dtls_server server --cert server.pem --key server.key --echo --max-version 1.3 $server_options
    # shellcheck disable=SC2086
    wolfssl_client "wolf-group$index" -v 4 -x $options
    expect_line "wolf-group$index.out" '^SSL version is DTLSv1\.3$'
    wait_for_text server.err "handshake done: DTLS 1\.3, TLS_[A-Z0-9_]+, $group$" 5
    [[ $server_options != *--no-cookie* ]] || expect_line server.err 'flight HelloRetryRequest'
    stop_server server
    check_passed "wolfSSL client" "dtls server" "$what"
done

# Signature schemes: our server with each of the other certificates, which
# wolfSSL's client checks against ca.pem.
for entry in "${SIGNATURE_KINDS[@]}"; do
    IFS='|' read -r kind what _ <<<"$entry"
    start_dtls_server server --cert "server-$kind.pem" --key "server-$kind.key" --echo --max-version 1.3
    wolfssl_client "wolf-sig-$kind" -v 4 -x
    expect_line "wolf-sig-$kind.out" '^SSL version is DTLSv1\.3$'
    wait_for_text server.err 'handshake done: DTLS 1\.3, ' 5
    stop_server server
    check_passed "wolfSSL client" "dtls server" "DTLS 1.3 with $what"
done

# Client certificate required by our server.
start_dtls_server server --cert server.pem --key server.key --echo --max-version 1.3 --verify-client require \
    --ca ca.pem
wolfssl_client wolf-cert -v 4 -c client.pem -k client.key
expect_line wolf-cert.out '^SSL version is DTLSv1\.3$'
wait_for_text server.err 'handshake done: DTLS 1\.3' 5
stop_server server
check_passed "wolfSSL client" "dtls server" "DTLS 1.3 with a client certificate"

# wolfSSL's client updates its keys before sending (-I), asking us to update
# too: we acknowledge its KeyUpdate, send our own, and it acknowledges ours.
start_dtls_server server --cert server.pem --key server.key --echo --trace
wolfssl_client wolf-ku -v 4 -x -I
expect_line wolf-ku.out '^SSL version is DTLSv1\.3$'
wait_for_text server.err 'KeyUpdate fully acknowledged' 5
expect_line server.err 'KeyUpdate message_seq'
expect_line server.err 'reading epoch 4'
stop_server server
check_passed "wolfSSL client" "dtls server" "DTLS 1.3 KeyUpdate from wolfSSL, ours in answer, both acknowledged"

# Resumption: our server sends a ticket after each handshake; wolfSSL's
# client (-r) waits for it (--waitTicket), connects again from a new port,
# offers it and sends "resuming wolfssl!", which comes back too.
start_dtls_server server --cert server.pem --key server.key --echo --session-tickets 1
wolfssl_client wolf-resume -v 4 -x -r --waitTicket
expect_line wolf-resume.out '^SSL reused session$'
expect_line wolf-resume.out 'resuming wolfssl!$'
wait_for_text server.err 'handshake done: DTLS 1\.3, .*, resumed$' 5
expect_resumption server.err 'handshake done: '
stop_server server
check_passed "wolfSSL client" "dtls server" "DTLS 1.3 session resumption with our ticket, from a new port"

# DTLS-SRTP: wolfSSL's client (--srtp) offers one profile; our server,
# accepting every one, must pick it.
for entry in "${SRTP_PROFILES[@]}"; do
    IFS='|' read -r ours theirs length <<<"$entry"
    start_dtls_server server --cert server.pem --key server.key --echo --max-version 1.3 --srtp "$SRTP_ALL" \
        --export "$SRTP_LABEL:$length"
    wolfssl_client "wolf-client-srtp-$ours" -v 4 -x --srtp "$theirs"
    expect_line "wolf-client-srtp-$ours.out" '^SSL version is DTLSv1\.3$'
    wait_for_text server.err "handshake done: DTLS 1\.3, .*, SRTP $ours\$" 5
    wait_for_text server.err "exported keying material $SRTP_LABEL $length: " 5
    stop_server server
    srtp_keys_agree "wolfSSL client -> dtls server, $ours" "wolf-client-srtp-$ours" server.err "$length"
    check_passed "wolfSSL client" "dtls server" "DTLS 1.3 use_srtp, $ours (wolfSSL's $theirs), $SRTP_KEYS"
done

# A DTLS 1.2-only wolfSSL client and our server enabling both: DTLS 1.2.
start_dtls_server server --cert server.pem --key server.key --echo --max-version 1.3
wolfssl_client wolf-12 -v 3 -x
expect_line wolf-12.out '^SSL version is DTLSv1\.2$'
wait_for_text server.err 'handshake done: DTLS 1\.2' 5
stop_server server
check_passed "wolfSSL DTLS 1.2 client" "dtls server (1.2 and 1.3)" "DTLS 1.2"

# --- The page ---------------------------------------------------------------

if [[ -n $PAGE ]]; then
    {
        echo "# Interoperability: DTLS 1.3"
        echo
        echo "Generated by the wolfSSL interop test (\`ctest -R cli_wolfssl13\`, which runs"
        echo "\`tests/cli/wolfssl13.sh\`); do not edit by hand. It is written only when every check passes."
        echo
        echo "Peer: $(basename "$WOLFSSL") (its example client and server, built by \`scripts/build-peers.sh\`), over UDP"
        echo "on 127.0.0.1, against \`dtls client\` and \`dtls server\`. Each check sends a line and gets it echoed."
        echo "The DTLS 1.2 peers are in [interop.md](interop.md)."
        echo
        echo "The use_srtp rows: our side offers (client) or accepts (server) every SRTP profile, wolfSSL's side one"
        echo "(its \`--srtp\`), and our summary line must name that one. The $SRTP_LABEL keying material wolfSSL"
        echo "prints (RFC 5764 4.2, 2 * (key + salt) bytes) must equal what \`--export\` prints; the DTLS 1.2"
        echo "DTLS-SRTP interop is in [interop-srtp.md](interop-srtp.md)."
        echo
        echo "| Client | Server | Checked |"
        echo "| --- | --- | --- |"
        for entry in "${CHECKS[@]}"; do
            IFS='|' read -r client server what <<<"$entry"
            echo "| $client | $server | $what |"
        done
    } >"$PAGE.tmp" && mv "$PAGE.tmp" "$PAGE" || fail "could not write $PAGE"
fi
