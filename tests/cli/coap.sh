# CoAP over DTLS (examples/coap_server) against libcoap 4.3.1's tools
# (Debian libcoap3-bin), with certificates (ECDSA P-256), pre-shared keys and
# raw public keys:
#   coap-client-openssl, coap-client-gnutls  GET /hello  -> our server
#   our client  GET / and /time  -> coap-server-openssl, coap-server-gnutls
#   PSK: the same four (GET /time from the servers), DTLS 1.2
#   TLS_PSK_WITH_AES_128_CCM_8; a wrong key refused by our server
#   RPK: coap-client-gnutls -> our server, our client -> coap-server-gnutls
#        (libcoap's OpenSSL build has no RPK support); untrusted keys refused
# Run as `bash tests/cli/coap.sh path/to/coap_server`. Every case must pass;
# a result line per case (tool, role, DTLS version, suite) is printed.
source "$(dirname "$0")/lib.sh"
COAP=$DTLS  # lib.sh calls its argument DTLS; here it is the example program
for tool in coap-client-openssl coap-client-gnutls coap-server-openssl coap-server-gnutls; do
    require_tool "$tool" libcoap3-bin
done
require_tool openssl openssl
make_certs

RESULTS=()
record() { RESULTS+=("$(printf '%-20s %-36s %s' "$1" "$2" "$3")"); }

# --- libcoap clients -> our server -----------------------------------------
start_bg 120 "$COAP" --cert server.pem --key server.key >server.out 2>server.err
server_pid=$LAST_PID
wait_for_text server.err '^listening on ' 10
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' server.err)

handshakes=0
for lib in openssl gnutls; do
    # -R: trust our CA and check the server's certificate (libcoap also
    # matches 127.0.0.1 against its IP subjectAltName); -c/-j: a client
    # certificate, which our server does not ask for; -B: give up after 10 s.
    status=0
    timeout 20 "coap-client-$lib" -B 10 -R ca.pem -c client.pem -j client.key \
        "coaps://127.0.0.1:$port/hello" >"client-$lib.out" 2>"client-$lib.err" || status=$?
    if [[ $status != 0 || $(cat "client-$lib.out") != "hello from dtls" ]]; then
        cat "client-$lib.out" "client-$lib.err" server.err >&2
        fail "coap-client-$lib GET /hello: exit $status, payload '$(cat "client-$lib.out")'"
    fi
    handshakes=$((handshakes + 1))
    wait_until 5 "server saw coap-client-$lib" \
        bash -c "(( \$(grep -c '^handshake done: ' server.err) >= $handshakes ))"
    negotiated=$(grep '^handshake done: ' server.err | sed -n "${handshakes}p" | sed 's/^handshake done: //')
    record "coap-client-$lib" "client -> our server, GET /hello" "$negotiated"
    pass "coap-client-$lib GET coaps://127.0.0.1:$port/hello -> 'hello from dtls' ($negotiated)"
done

# The codec's corners, with libcoap encoding the requests (coap-client
# prints a non-2.xx code on stderr):
# coap_get NAME EXTENDED-REGEX coap-client-openssl-options...: the pattern is
# looked for in the payload (-w: ends with a newline) and in stderr.
coap_get() {
    local name=$1 pattern=$2
    shift 2
    timeout 20 coap-client-openssl -B 10 -R ca.pem -w "$@" >"$name.out" 2>"$name.err" || true
    cat "$name.out" "$name.err" >"$name.all"
    expect_line "$name.all" "$pattern"
}
# A path we do not serve: 4.04; a 20-byte Uri-Path segment takes the
# 13 form (one extended length byte).
coap_get not-found '4\.04' "coaps://127.0.0.1:$port/hello/abcdefghijklmnopqrst"
pass "coap-client-openssl GET /hello/abcdefghijklmnopqrst -> 4.04"
# An elective option 2000 (even) with a 300-byte value: delta 1989 and
# length 300 both take the 14 form (two extended bytes); it is ignored.
coap_get extended '^hello from dtls$' -O "2000,$(printf 'x%.0s' $(seq 300))" "coaps://127.0.0.1:$port/hello"
pass "coap-client-openssl GET /hello with a 300-byte option 2000 -> 'hello from dtls'"
# An unknown critical option (odd) is refused with 4.02 (RFC 7252 5.4.1).
coap_get bad-option '4\.02' -O 2001,x "coaps://127.0.0.1:$port/hello"
pass "coap-client-openssl GET /hello with critical option 2001 -> 4.02"
# A PUT: 4.05; a non-confirmable GET: a non-confirmable 2.05.
coap_get put '4\.05' -m put -e x "coaps://127.0.0.1:$port/hello"
pass "coap-client-openssl PUT /hello -> 4.05"
coap_get non '^hello from dtls$' -N "coaps://127.0.0.1:$port/hello"
pass "coap-client-openssl NON GET /hello -> 'hello from dtls'"

# Our own client against our server: DTLS 1.3 (libcoap's TLS libraries,
# OpenSSL 3.0 and GnuTLS 3.7, speak only DTLS 1.2).
timeout 20 "$COAP" --get "coaps://127.0.0.1:$port/hello" --ca ca.pem >self.out 2>self.err ||
    { cat self.err >&2; fail "our client against our server"; }
[[ $(cat self.out) == "hello from dtls" ]] || fail "our client got '$(cat self.out)' from our server"
expect_line self.err '^connected: DTLS 1\.3'
record "(ours)" "client -> our server, GET /hello" "$(sed -n 's/^connected: //p' self.err)"
pass "our client -> our server over DTLS 1.3"

kill -TERM "$server_pid"
wait_exit "$server_pid" 10
[[ $EXIT_STATUS == 0 ]] || { cat server.err >&2; fail "our server exited $EXIT_STATUS after SIGTERM"; }

# --- our client -> libcoap servers ------------------------------------------
# coap-server listens for plain CoAP on -p PORT and for DTLS on PORT+1. With
# -R it checks client certificates and requires one (both variants refuse a
# client without: handshake_failure from OpenSSL, bad_certificate from GnuTLS),
# so our client presents client.pem.
for lib in openssl gnutls; do
    for _ in $(seq 20); do
        base=$(free_udp_port)
        udp_port_bound $((base + 1)) || break
    done
    dtls_port=$((base + 1))
    start_bg 60 "coap-server-$lib" -A 127.0.0.1 -p "$base" -c server.pem -j server.key -R ca.pem \
        >"server-$lib.out" 2>"server-$lib.err"
    peer_pid=$LAST_PID
    wait_until 10 "coap-server-$lib listening on $dtls_port" udp_port_bound "$dtls_port"

    # The root resource: libcoap's banner.
    status=0
    timeout 20 "$COAP" --get "coaps://127.0.0.1:$dtls_port/" --ca ca.pem --cert client.pem --key client.key \
        >"root-$lib.out" 2>"root-$lib.err" || status=$?
    if [[ $status != 0 ]] || ! grep -q '^This is a test server made with libcoap' "root-$lib.out"; then
        cat "root-$lib.out" "root-$lib.err" "server-$lib.err" >&2
        fail "our client GET / from coap-server-$lib: exit $status"
    fi
    negotiated=$(sed -n 's/^connected: //p' "root-$lib.err")
    record "coap-server-$lib" "our client -> server, GET /" "$negotiated"
    pass "our client GET coaps://127.0.0.1:$dtls_port/ from coap-server-$lib ($negotiated)"

    # /time: the server's clock as "Mmm DD hh:mm:ss".
    status=0
    timeout 20 "$COAP" --get "coaps://127.0.0.1:$dtls_port/time" --ca ca.pem --cert client.pem --key client.key \
        >"time-$lib.out" 2>"time-$lib.err" || status=$?
    if [[ $status != 0 ]] || ! grep -Eq '^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' "time-$lib.out"; then
        cat "time-$lib.out" "time-$lib.err" "server-$lib.err" >&2
        fail "our client GET /time from coap-server-$lib: exit $status"
    fi
    record "coap-server-$lib" "our client -> server, GET /time" "$(sed -n 's/^connected: //p' "time-$lib.err")"
    pass "our client GET /time from coap-server-$lib -> '$(cat "time-$lib.out")'"

    kill -TERM "$peer_pid"
    wait_exit "$peer_pid" 10
done

# --- pre-shared keys ----------------------------------------------------------
# libcoap 4.3.1 takes -k KEY as text (its bytes are the key); ours takes hex.
PSK_TEXT=secretPSK
PSK_HEX=$(printf '%s' "$PSK_TEXT" | od -An -tx1 | tr -d ' \n')
WRONG_HEX=$(printf '%s' wrongPSK | od -An -tx1 | tr -d ' \n')
CCM8='TLS_PSK_WITH_AES_128_CCM_8'

# libcoap clients -> our server, which knows one identity and has no
# certificate. Both clients offer CCM_8; our server prefers it.
start_bg 120 "$COAP" --psk-identity coap-client --psk-key "$PSK_HEX" >psk-server.out 2>psk-server.err
server_pid=$LAST_PID
wait_for_text psk-server.err '^listening on ' 10
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' psk-server.err)
handshakes=0
for lib in openssl gnutls; do
    status=0
    timeout 20 "coap-client-$lib" -B 10 -u coap-client -k "$PSK_TEXT" \
        "coaps://127.0.0.1:$port/hello" >"psk-client-$lib.out" 2>"psk-client-$lib.err" || status=$?
    if [[ $status != 0 || $(cat "psk-client-$lib.out") != "hello from dtls" ]]; then
        cat "psk-client-$lib.out" "psk-client-$lib.err" psk-server.err >&2
        fail "coap-client-$lib -u coap-client -k ... GET /hello: exit $status, payload '$(cat "psk-client-$lib.out")'"
    fi
    handshakes=$((handshakes + 1))
    wait_until 5 "server saw coap-client-$lib" \
        bash -c "(( \$(grep -c '^handshake done: ' psk-server.err) >= $handshakes ))"
    negotiated=$(grep '^handshake done: ' psk-server.err | sed -n "${handshakes}p" | sed 's/^handshake done: //')
    [[ $negotiated == "DTLS 1.2, $CCM8, PSK identity \"coap-client\"" ]] ||
        fail "coap-client-$lib with PSK negotiated '$negotiated', expected DTLS 1.2, $CCM8, identity coap-client"
    record "coap-client-$lib" "PSK client -> our server, GET /hello" "$negotiated"
    pass "coap-client-$lib PSK GET /hello -> 'hello from dtls' ($negotiated)"
done
# The key authenticates: the same identity with another key gets nothing.
status=0
timeout 20 coap-client-openssl -B 5 -u coap-client -k wrongPSK "coaps://127.0.0.1:$port/hello" \
    >psk-wrong.out 2>psk-wrong.err || status=$?
# (libcoap logs on stdout: the alert our server sent shows up there.)
cat psk-wrong.out psk-wrong.err >psk-wrong.all
! grep -q 'hello from dtls' psk-wrong.all || fail "coap-client-openssl with the wrong key got the resource"
expect_line psk-wrong.all 'alert.*decrypt error'
wait_until 10 "server refused the wrong key" grep -q 'connection failed: ' psk-server.err
pass "coap-client-openssl with the wrong PSK gets decrypt_error (our $(grep -m1 'connection failed: ' psk-server.err))"

# Our client with the key: DTLS 1.3, the key as an external PSK; with a
# different key it fails.
timeout 20 "$COAP" --get "coaps://127.0.0.1:$port/hello" --psk-identity coap-client --psk-key "$PSK_HEX" \
    >psk-self.out 2>psk-self.err || { cat psk-self.err >&2; fail "our PSK client against our PSK server"; }
[[ $(cat psk-self.out) == "hello from dtls" ]] || fail "our PSK client got '$(cat psk-self.out)'"
expect_line psk-self.err '^connected: DTLS 1\.3, TLS_AES_128_GCM_SHA256, PSK identity "coap-client"$'
record "(ours)" "PSK client -> our server, GET /hello" "$(sed -n 's/^connected: //p' psk-self.err)"
pass "our PSK client -> our PSK server over DTLS 1.3"
if timeout 20 "$COAP" --get "coaps://127.0.0.1:$port/hello" --psk-identity coap-client --psk-key "$WRONG_HEX" \
    >psk-self-wrong.out 2>psk-self-wrong.err; then
    fail "our client with the wrong PSK got '$(cat psk-self-wrong.out)'"
fi
expect_line psk-self-wrong.err '^DTLS failed: '
pass "our client with the wrong PSK fails: $(grep -m1 '^DTLS failed: ' psk-self-wrong.err)"

kill -TERM "$server_pid"
wait_exit "$server_pid" 10
[[ $EXIT_STATUS == 0 ]] || { cat psk-server.err >&2; fail "our PSK server exited $EXIT_STATUS after SIGTERM"; }

# Our client -> libcoap servers with -k: they take any identity with that
# key (and send the identity hint "CoAP").
for lib in openssl gnutls; do
    for _ in $(seq 20); do
        base=$(free_udp_port)
        udp_port_bound $((base + 1)) || break
    done
    dtls_port=$((base + 1))
    start_bg 60 "coap-server-$lib" -A 127.0.0.1 -p "$base" -k "$PSK_TEXT" \
        >"psk-server-$lib.out" 2>"psk-server-$lib.err"
    peer_pid=$LAST_PID
    wait_until 10 "coap-server-$lib listening on $dtls_port" udp_port_bound "$dtls_port"
    status=0
    timeout 20 "$COAP" --get "coaps://127.0.0.1:$dtls_port/time" --psk-identity our-client --psk-key "$PSK_HEX" \
        >"psk-time-$lib.out" 2>"psk-time-$lib.err" || status=$?
    if [[ $status != 0 ]] || ! grep -Eq '^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' "psk-time-$lib.out"; then
        cat "psk-time-$lib.out" "psk-time-$lib.err" "psk-server-$lib.err" >&2
        fail "our PSK client GET /time from coap-server-$lib: exit $status"
    fi
    negotiated=$(sed -n 's/^connected: //p' "psk-time-$lib.err")
    [[ $negotiated == "DTLS 1.2, $CCM8, PSK identity \"our-client\"" ]] ||
        fail "our PSK client and coap-server-$lib negotiated '$negotiated', expected DTLS 1.2, $CCM8"
    record "coap-server-$lib" "our PSK client -> server, GET /time" "$negotiated"
    pass "our PSK client GET /time from coap-server-$lib -> '$(cat "psk-time-$lib.out")' ($negotiated)"
    kill -TERM "$peer_pid"
    wait_exit "$peer_pid" 10
done

# --- raw public keys (RFC 7250) -------------------------------------------------
# Only libcoap's GnuTLS build has them (coap-client-openssl -h: "no RPK
# support"). -M takes a PEM file with the EC PRIVATE KEY; our side takes the
# same file as --rpk-key and the other side's PUBLIC KEY as --rpk-peer.
for side in server client; do
    openssl ecparam -genkey -name prime256v1 -noout -out "$side-rpk.pem"
    openssl pkey -in "$side-rpk.pem" -pubout -out "$side-rpk.pub"
done
RPK_SUITE='DTLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, server raw public key'

# coap-client-gnutls -> our server, which requires the client's key.
# (libcoap 4.3.1's coap-client takes any server key: it has no option naming
# the one to trust.)
start_bg 120 "$COAP" --rpk-key server-rpk.pem --rpk-peer client-rpk.pub >rpk-server.out 2>rpk-server.err
server_pid=$LAST_PID
wait_for_text rpk-server.err '^listening on ' 10
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' rpk-server.err)
status=0
timeout 20 coap-client-gnutls -B 10 -M client-rpk.pem "coaps://127.0.0.1:$port/hello" \
    >rpk-client-gnutls.out 2>rpk-client-gnutls.err || status=$?
if [[ $status != 0 || $(cat rpk-client-gnutls.out) != "hello from dtls" ]]; then
    cat rpk-client-gnutls.out rpk-client-gnutls.err rpk-server.err >&2
    fail "coap-client-gnutls -M GET /hello: exit $status, payload '$(cat rpk-client-gnutls.out)'"
fi
wait_for_text rpk-server.err '^handshake done: ' 5
negotiated=$(sed -n '1s/^handshake done: //p' <(grep '^handshake done: ' rpk-server.err))
[[ $negotiated == "$RPK_SUITE, client raw public key" ]] ||
    fail "coap-client-gnutls with RPK negotiated '$negotiated', expected $RPK_SUITE, client raw public key"
record "coap-client-gnutls" "RPK client -> our server, GET /hello" "$negotiated"
pass "coap-client-gnutls RPK GET /hello -> 'hello from dtls' ($negotiated)"
# A client key the server does not trust (the server's own) is refused.
timeout 20 coap-client-gnutls -B 5 -M server-rpk.pem "coaps://127.0.0.1:$port/hello" \
    >rpk-client-wrong.out 2>rpk-client-wrong.err || true
! grep -q 'hello from dtls' rpk-client-wrong.out || fail "coap-client-gnutls with an untrusted key got the resource"
wait_until 10 "server refused the untrusted client key" grep -q '^connection failed: raw public key verify failed' \
    rpk-server.err
pass "coap-client-gnutls with an untrusted key is refused"

# Our client trusts the server's key alone: DTLS 1.3 with it; another
# trusted key refuses it.
timeout 20 "$COAP" --get "coaps://127.0.0.1:$port/hello" --rpk-peer server-rpk.pub --rpk-key client-rpk.pem \
    >rpk-self.out 2>rpk-self.err ||
    { cat rpk-self.err >&2; fail "our RPK client against our RPK server"; }
[[ $(cat rpk-self.out) == "hello from dtls" ]] || fail "our RPK client got '$(cat rpk-self.out)'"
expect_line rpk-self.err '^connected: DTLS 1\.3, TLS_AES_128_GCM_SHA256, server raw public key$'
record "(ours)" "RPK client -> our server, GET /hello" "$(sed -n 's/^connected: //p' rpk-self.err)"
pass "our RPK client -> our RPK server over DTLS 1.3"
if timeout 20 "$COAP" --get "coaps://127.0.0.1:$port/hello" --rpk-peer client-rpk.pub --rpk-key client-rpk.pem \
    >rpk-self-wrong.out 2>rpk-self-wrong.err; then
    fail "our client trusting another key got '$(cat rpk-self-wrong.out)'"
fi
expect_line rpk-self-wrong.err '^DTLS failed: raw public key verify failed'
pass "our client trusting another key refuses the server's"
kill -TERM "$server_pid"
wait_exit "$server_pid" 10
[[ $EXIT_STATUS == 0 ]] || { cat rpk-server.err >&2; fail "our RPK server exited $EXIT_STATUS after SIGTERM"; }

# Our client -> coap-server-gnutls -M, which requires a client key too
# (without one it sends bad_certificate).
for _ in $(seq 20); do
    base=$(free_udp_port)
    udp_port_bound $((base + 1)) || break
done
dtls_port=$((base + 1))
start_bg 60 coap-server-gnutls -A 127.0.0.1 -p "$base" -M server-rpk.pem >rpk-server-gnutls.out 2>rpk-server-gnutls.err
peer_pid=$LAST_PID
wait_until 10 "coap-server-gnutls listening on $dtls_port" udp_port_bound "$dtls_port"
status=0
timeout 20 "$COAP" --get "coaps://127.0.0.1:$dtls_port/time" --rpk-peer server-rpk.pub --rpk-key client-rpk.pem \
    >rpk-time.out 2>rpk-time.err || status=$?
if [[ $status != 0 ]] || ! grep -Eq '^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' rpk-time.out; then
    cat rpk-time.out rpk-time.err rpk-server-gnutls.err >&2
    fail "our RPK client GET /time from coap-server-gnutls: exit $status"
fi
negotiated=$(sed -n 's/^connected: //p' rpk-time.err)
[[ $negotiated == "$RPK_SUITE" ]] || fail "our RPK client and coap-server-gnutls negotiated '$negotiated'"
record "coap-server-gnutls" "our RPK client -> server, GET /time" "$negotiated"
pass "our RPK client GET /time from coap-server-gnutls -> '$(cat rpk-time.out)' ($negotiated)"
if timeout 20 "$COAP" --get "coaps://127.0.0.1:$dtls_port/time" --rpk-peer client-rpk.pub --rpk-key client-rpk.pem \
    >rpk-wrong.out 2>rpk-wrong.err; then
    fail "our client trusting another key got '$(cat rpk-wrong.out)' from coap-server-gnutls"
fi
expect_line rpk-wrong.err '^DTLS failed: raw public key verify failed'
pass "our client trusting another key refuses coap-server-gnutls's"
kill -TERM "$peer_pid"
wait_exit "$peer_pid" 10

echo
printf '%-20s %-36s %s\n' "peer" "case" "DTLS version, suite"
printf '%s\n' "${RESULTS[@]}"
