# `dtls client` against `dtls server` over loopback, IPv4 or IPv6 (argument
# 4 or 6): echo over DTLS 1.3 (the default) and DTLS 1.2, ALPN, client
# certificates, a small MTU, no cookie, session resumption, the one-line
# failure when the client does not trust the server, and connection IDs with
# and without RFC 9853's rrc, including (IPv4) a client whose port changes.
source "$(dirname "$0")/lib.sh"
family=${1:?usage: loopback.sh DTLS 4|6}
case $family in
    4) host=127.0.0.1 ;;
    6) host='[::1]' ;;
    *) fail "family must be 4 or 6" ;;
esac
make_certs

# client NAME [options...] < input: runs `dtls client` to the server, bounded.
client() {
    local name=$1
    shift
    local status=0
    timeout 20 "$DTLS" client "$host:$SERVER_PORT" "$@" >"$name.out" 2>"$name.err" || status=$?
    echo "$status"
}

# Echo: every line comes back, in order, and the server printed each one.
start_dtls_server server --listen "$host:0" --cert server.pem --key server.key --echo --alpn coap,h2 --stats
expect_line server.err "^listening on $(sed 's/[][]/\\&/g' <<<"$host"):[0-9]+$"
printf 'first line\nsecond line\n\nlast line without newline' >input.txt
status=$(client echo --ca ca.pem --server-name localhost --alpn h2 <input.txt)
[[ $status == 0 ]] || { cat echo.err >&2; fail "client exited $status"; }
diff <(printf 'first line\nsecond line\n\nlast line without newline\n') echo.out || fail "echoes differ from input"
expect_line echo.err "^connected to .*: DTLS 1\.3, TLS_AES_128_GCM_SHA256, x25519, ALPN h2$"
expect_line server.out ': first line$'
expect_line server.out ': last line without newline$'
wait_for_text server.err ' closed$' 5
pass "IPv$family echo with ALPN"

# The client checks the server's IP address when no name is given.
status=$(client by_address --ca ca.pem <<<"by address")
[[ $status == 0 ]] || { cat by_address.err >&2; fail "client by address exited $status"; }
expect_line by_address.out '^by address$'
pass "IPv$family server certificate checked against the IP address"

# A client that speaks only DTLS 1.2 gets DTLS 1.2 from the same server.
status=$(client dtls12 --ca ca.pem --server-name localhost --alpn h2 --max-version 1.2 <<<"over 1.2")
[[ $status == 0 ]] || { cat dtls12.err >&2; fail "DTLS 1.2 client exited $status"; }
expect_line dtls12.out '^over 1\.2$'
expect_line dtls12.err "^connected to .*: DTLS 1\.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, x25519, ALPN h2$"
pass "IPv$family DTLS 1.2 client"

# Not trusting the server: one line, exit 1, and the server sees the alert.
status=$(client untrusted --ca other-ca.pem --server-name localhost <<<"never sent")
[[ $status == 1 ]] || fail "untrusted server: exit $status, expected 1"
[[ $(wc -l <untrusted.err) == 1 ]] || { cat untrusted.err >&2; fail "expected exactly one line on stderr"; }
expect_line untrusted.err '^dtls: certificate verify failed: unable to get local issuer certificate'
[[ ! -s untrusted.out ]] || fail "untrusted client printed data"
wait_for_text server.err 'handshake failed: .*unknown_ca' 5
pass "IPv$family untrusted server certificate"

status=$(client wrong_name --ca ca.pem --server-name example.com <<<"never sent")
[[ $status == 1 ]] || fail "wrong name: exit $status, expected 1"
expect_line wrong_name.err '^dtls: certificate verify failed: .*'
# The client has exited; its alert may still be on its way to the server.
wait_for_text server.err 'handshake failed: .*bad_certificate' 5
pass "IPv$family server name mismatch"

stop_server server
expect_line server.err '^stats: connections 0 open, 5 accepted, .*handshakes 3 done, 2 failed; cookies sent 5;'
pass "IPv$family server stats and clean exit"

# Client certificates required; a small MTU fragments the certificate flight.
start_dtls_server auth --listen "$host:0" --cert server.pem --key server.key --echo --ca ca.pem \
    --verify-client require --mtu 300
status=$(client with_cert --ca ca.pem --server-name localhost --cert client.pem --key client.key --mtu 300 <<<"signed")
[[ $status == 0 ]] || { cat with_cert.err >&2; fail "client with certificate exited $status"; }
expect_line with_cert.out '^signed$'
status=$(client without_cert --ca ca.pem --server-name localhost <<<"anonymous")
[[ $status == 1 ]] || fail "client without certificate: exit $status, expected 1"
expect_line without_cert.err '^dtls: .*handshake_failure|certificate'
stop_server auth
pass "IPv$family client certificate required, MTU 300"

# Without cookies the server accepts the first ClientHello.
start_dtls_server nocookie --listen "$host:0" --cert server.pem --key server.key --echo --no-cookie --stats
status=$(client nocookie_client --ca ca.pem --server-name localhost <<<"no cookie")
[[ $status == 0 ]] || { cat nocookie_client.err >&2; fail "client exited $status"; }
stop_server nocookie
expect_line nocookie.err '; cookies sent 0;'
pass "IPv$family --no-cookie"

# Resumption: the client's first connection waits for a ticket and closes;
# the second, from the fixed --local-port again, resumes the session.
start_dtls_server tickets --listen "$host:0" --cert server.pem --key server.key --echo --session-tickets 2
port=$(free_udp_port)
status=$(client resume --ca ca.pem --server-name localhost --resume --local-port "$port" <<<"resumed")
[[ $status == 0 ]] || { cat resume.err >&2; fail "client --resume exited $status"; }
expect_line resume.out '^resumed$'
expect_resumption resume.err '^connected to '
expect_line resume.err '^connected to .*: DTLS 1\.3, TLS_AES_128_GCM_SHA256, x25519, resumed$'
wait_for_text tickets.err ":$port handshake done: .*, resumed$" 5
expect_resumption tickets.err 'handshake done: '
stop_server tickets
pass "IPv$family --session-tickets and --resume"

# A server that sends no ticket: the client says so once --timeout has passed.
start_dtls_server notickets --listen "$host:0" --cert server.pem --key server.key
status=$(client noticket --ca ca.pem --server-name localhost --resume --timeout 1 <<<"never sent")
[[ $status == 1 ]] || { cat noticket.err >&2; fail "client --resume without a ticket: exit $status, expected 1"; }
expect_line noticket.err '^dtls: no session ticket from .* within 1 seconds$'
[[ ! -s noticket.out ]] || fail "client --resume without a ticket printed data"
wait_for_text notickets.err ' closed$' 5
stop_server notickets
pass "IPv$family --resume without a ticket"

# Connection IDs with RFC 9853's return routability check: agreed by
# default (in DTLS 1.2 and 1.3), and not when the client says --no-rrc.
start_dtls_server cid --listen "$host:0" --cert server.pem --key server.key --echo --cid 4
status=$(client cid_rrc --ca ca.pem --server-name localhost --max-version 1.2 --cid 0 <<<"with rrc")
[[ $status == 0 ]] || { cat cid_rrc.err >&2; fail "client --cid exited $status"; }
expect_line cid_rrc.out '^with rrc$'
expect_line cid_rrc.err '^connection ID: ours none, the peer.s [0-9a-f]{8}$'
expect_line cid_rrc.err '^return routability check \(RFC 9853\): agreed$'
wait_for_text cid.err 'return routability check \(RFC 9853\): agreed$' 5
status=$(client cid_no_rrc --ca ca.pem --server-name localhost --max-version 1.2 --cid 0 --no-rrc <<<"without")
[[ $status == 0 ]] || { cat cid_no_rrc.err >&2; fail "client --cid --no-rrc exited $status"; }
expect_line cid_no_rrc.out '^without$'
expect_line cid_no_rrc.err '^return routability check \(RFC 9853\): not agreed$'
wait_for_text cid.err 'return routability check \(RFC 9853\): not agreed$' 5
status=$(client cid_rrc13 --ca ca.pem --server-name localhost --cid 0 <<<"with rrc in 1.3")
[[ $status == 0 ]] || { cat cid_rrc13.err >&2; fail "client --cid (DTLS 1.3) exited $status"; }
expect_line cid_rrc13.out '^with rrc in 1.3$'
expect_line cid_rrc13.err '^connected to .*: DTLS 1\.3, '
expect_line cid_rrc13.err '^return routability check \(RFC 9853\): agreed$'
stop_server cid
pass "IPv$family --cid with and without --no-rrc, in DTLS 1.2 and 1.3"

# A NAT rebinding between our client and our server (the relay is IPv4
# only): after the client's three handshake datagrams, its records come from
# a new port; the server follows them, sends a path_challenge there, and the
# client's path_response confirms the address.
if [[ $family == 4 ]]; then
    require_tool python3 python3
    start_dtls_server moving --listen "$host:0" --cert server.pem --key server.key --echo --cid 4
    rm -f relay.out
    start_bg 30 python3 "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/udp_rebinding_relay.py" \
        --server "$SERVER_PORT" --after 3 --seconds 25 </dev/null >relay.out 2>relay.err
    wait_for_text relay.out '^listening on [0-9]+$' 10
    relay_port=$(sed -n 's/^listening on //p' relay.out)
    printf 'one\ntwo\nthree\n' | timeout 20 "$DTLS" client "$host:$relay_port" --ca ca.pem --server-name localhost \
        --max-version 1.2 --cid 0 >moved.out 2>moved.err || { cat moved.err >&2; fail "client through the relay failed"; }
    diff <(printf 'one\ntwo\nthree\n') moved.out || fail "echoes through the relay differ from input"
    expect_line relay.out '^rebound from [0-9]+ to [0-9]+ after 3 datagrams$'
    new_port=$(sed -n 's/^rebound from [0-9]* to \([0-9]*\) after.*/\1/p' relay.out)
    wait_for_text moving.err "moved to 127\.0\.0\.1:$new_port \(connection ID\)$" 5
    wait_for_text moving.err "^127\.0\.0\.1:$new_port address confirmed \(return routability check\)$" 5
    stop_server moving
    pass "IPv$family a client's new port confirmed by the return routability check"
fi
