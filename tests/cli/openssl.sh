# Interop with OpenSSL's command-line peers over loopback UDP, in both roles,
# with data both ways: `dtls client` against `openssl s_server -dtls1_2`, and
# `openssl s_client -dtls1_2` against `dtls server --echo`.
source "$(dirname "$0")/lib.sh"
require_tool openssl openssl
make_certs

# --- dtls client -> openssl s_server -------------------------------------
# Both sides read standard input from FIFOs the test holds open, so it can
# send in each direction once the other side is ready. (Opening a FIFO
# read-write never blocks; closing our end gives the reader end of file.)
mkfifo to_openssl to_dtls
exec 3<>to_openssl 4<>to_dtls
port=$(free_udp_port)
start_bg 60 openssl s_server -dtls1_2 -accept "127.0.0.1:$port" -cert server.pem -key server.key -naccept 1 \
    <to_openssl >s_server.out 2>s_server.err
s_server_pid=$LAST_PID
wait_for_text s_server.out '^ACCEPT$' 10
start_bg 30 "$DTLS" client "127.0.0.1:$port" --ca ca.pem --server-name localhost <to_dtls >client.out 2>client.err
client_pid=$LAST_PID
wait_for_text client.err '^connected to 127\.0\.0\.1:[0-9]+: DTLS 1\.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' 10
echo "hello openssl, from dtls" >&4
wait_for_text s_server.out 'hello openssl, from dtls' 10  # printed as received: no newline
echo "hello dtls, from openssl" >&3
wait_for_text client.out '^hello dtls, from openssl$' 10
exec 4>&-  # end of the client's input: close_notify, exit 0
status=0
wait "$client_pid" || status=$?
[[ $status == 0 ]] || { cat client.err >&2; fail "dtls client exited $status"; }
exec 3>&-
wait "$s_server_pid" || true
pass "dtls client <-> openssl s_server, data both ways"

# --- openssl s_client -> dtls server --------------------------------------
start_dtls_server server --cert server.pem --key server.key --echo
mkfifo to_s_client
exec 5<>to_s_client
start_bg 30 openssl s_client -dtls1_2 -connect "127.0.0.1:$SERVER_PORT" -CAfile ca.pem -verify_return_error \
    -servername localhost <to_s_client >s_client.out 2>s_client.err
s_client_pid=$LAST_PID
wait_for_text s_client.out 'Verify return code: 0 \(ok\)' 10
wait_for_text server.err 'handshake done: DTLS 1\.2' 5
echo "hello dtls, from s_client" >&5
wait_for_text server.out ': hello dtls, from s_client$' 10
wait_for_text s_client.out '^hello dtls, from s_client$' 10  # the echo
exec 5>&-  # s_client sends close_notify at end of input
status=0
wait "$s_client_pid" || status=$?
[[ $status == 0 ]] || { cat s_client.err >&2; fail "openssl s_client exited $status"; }
wait_for_text server.err ' closed$' 5
stop_server server
pass "openssl s_client <-> dtls server, data both ways"

# --- openssl s_client -maxfraglen 512 -> dtls server: max_fragment_length ---
# OpenSSL 3.0 has no record_size_limit (RFC 8449), only max_fragment_length
# (RFC 6066 4), which our server honours and echoes. libssl refuses any record
# over 512 bytes after the ServerHello (record_overflow), so the handshake
# completing shows the rest of our flight was cut to fit; the 500-byte echo
# is one record.
start_dtls_server mfl-server --cert server.pem --key server.key --echo
mkfifo to_mfl
exec 6<>to_mfl
start_bg 30 openssl s_client -dtls1_2 -maxfraglen 512 -connect "127.0.0.1:$SERVER_PORT" -CAfile ca.pem \
    -verify_return_error -servername localhost <to_mfl >mfl-client.out 2>mfl-client.err
mfl_pid=$LAST_PID
wait_for_text mfl-client.out 'Verify return code: 0 \(ok\)' 10
wait_for_text mfl-server.err "record size limit: the peer's 512, ours 512 \(max_fragment_length\)$" 5
line500=$(printf 'm%.0s' {1..500})
echo "$line500" >&6
wait_for_text mfl-client.out "^$line500\$" 10
exec 6>&-
status=0
wait "$mfl_pid" || status=$?
[[ $status == 0 ]] || { cat mfl-client.err >&2; fail "openssl s_client -maxfraglen 512 exited $status"; }
stop_server mfl-server
pass "openssl s_client -maxfraglen 512 <-> dtls server: max_fragment_length honoured"
