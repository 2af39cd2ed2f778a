# Interop with GnuTLS's command-line peers over loopback UDP, in both roles,
# with data both ways: `dtls client` against `gnutls-serv --udp --echo`, and
# `gnutls-cli --udp` against `dtls server --echo`.
source "$(dirname "$0")/lib.sh"
require_tool gnutls-serv gnutls-bin
require_tool gnutls-cli gnutls-bin
require_tool openssl openssl
make_certs

# --- dtls client -> gnutls-serv --echo -------------------------------------
port=$(free_udp_port)
start_bg 60 gnutls-serv --udp --echo -p "$port" --x509certfile server.pem --x509keyfile server.key \
    </dev/null >gnutls-serv.out 2>gnutls-serv.err
wait_for_text gnutls-serv.err "listening on IPv4 .* port $port\.\.\.done" 10
printf 'hello gnutls\nsecond record\n' >input.txt
status=0
timeout 20 "$DTLS" client "127.0.0.1:$port" --ca ca.pem --server-name localhost <input.txt >client.out \
    2>client.err || status=$?
[[ $status == 0 ]] || { cat client.err >&2; fail "dtls client exited $status"; }
expect_line client.err '^connected to 127\.0\.0\.1:[0-9]+: DTLS 1\.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'
diff input.txt client.out || fail "gnutls-serv's echoes differ from what was sent"
pass "dtls client <-> gnutls-serv --echo, data both ways"

# --- gnutls-cli -> dtls server --echo --------------------------------------
start_dtls_server server --cert server.pem --key server.key --echo
mkfifo to_gnutls
exec 3<>to_gnutls
start_bg 30 gnutls-cli --udp -p "$SERVER_PORT" --x509cafile ca.pem 127.0.0.1 <to_gnutls >gnutls-cli.out \
    2>gnutls-cli.err
gnutls_pid=$LAST_PID
wait_for_text gnutls-cli.out '^- Handshake was completed' 10
wait_for_text server.err 'handshake done: DTLS 1\.2' 5
echo "hello dtls, from gnutls-cli" >&3
wait_for_text server.out ': hello dtls, from gnutls-cli$' 10
wait_for_text gnutls-cli.out '^hello dtls, from gnutls-cli$' 10  # the echo
exec 3>&-  # gnutls-cli sends close_notify at end of input
status=0
wait "$gnutls_pid" || status=$?
[[ $status == 0 ]] || { cat gnutls-cli.err >&2; fail "gnutls-cli exited $status"; }
wait_for_text server.err ' closed$' 5
stop_server server
pass "gnutls-cli <-> dtls server, data both ways"

# --- record_size_limit (RFC 8449), GnuTLS 3.7 (DTLS 1.2 only) ----------------
# dtls client --record-size-limit -> gnutls-serv --recordsize (512 is the
# smallest it takes): both limits are reported, a line that fits the
# server's limit gets through, and a longer one is refused by our client
# rather than sent (gnutls-serv would answer it with record_overflow).
# gnutls-serv echoes a line in several records, so the echo is counted, not
# compared line by line; and since the client stops once as many records
# came back as it sent lines, its input stays open until the last echo is in.
port=$(free_udp_port)
start_bg 60 gnutls-serv --udp --echo -p "$port" --recordsize=512 --x509certfile server.pem \
    --x509keyfile server.key </dev/null >rsl-serv.out 2>rsl-serv.err
wait_for_text rsl-serv.err "listening on IPv4 .* port $port\.\.\.done" 10
fits=$(printf 'k%.0s' {1..500})
too_long=$(printf 'x%.0s' {1..600})
mkfifo to_rsl_client
exec 3<>to_rsl_client
start_bg 20 "$DTLS" client "127.0.0.1:$port" --ca ca.pem --server-name localhost --record-size-limit 1000 \
    <to_rsl_client >rsl-client.out 2>rsl-client.err
client_pid=$LAST_PID
wait_for_text rsl-client.err "^record size limit: " 10
printf '%s\n%s\nafter\n' "$fits" "$too_long" >&3
wait_for_text rsl-client.out '^after$' 10
exec 3>&-
status=0
wait "$client_pid" || status=$?
[[ $status == 0 ]] || { cat rsl-client.err >&2; fail "dtls client exited $status"; }
expect_line rsl-client.err "^record size limit: the peer's 512, ours 1000$"
expect_line rsl-client.err '^dtls: skipped a line of 600 bytes: at most 512 fit'
[[ $(tr -cd k <rsl-client.out | wc -c) == 500 ]] || fail "the 500-byte line did not come back whole"
expect_line rsl-client.out '^after$'
[[ $(tr -cd x <rsl-client.out | wc -c) == 0 ]] || fail "the 600-byte line was sent"
pass "dtls client --record-size-limit 1000 <-> gnutls-serv --recordsize=512"

# gnutls-cli --recordsize -> dtls server --record-size-limit: the client's
# limit is kept by our server's records (its handshake flight and a 500-byte
# echo), and ours is reported to it.
start_dtls_server rsl-server --cert server.pem --key server.key --echo --record-size-limit 1000
mkfifo to_rsl_cli
exec 3<>to_rsl_cli
start_bg 30 gnutls-cli --udp -p "$SERVER_PORT" --x509cafile ca.pem --recordsize=512 127.0.0.1 <to_rsl_cli \
    >rsl-cli.out 2>rsl-cli.err
gnutls_pid=$LAST_PID
wait_for_text rsl-cli.out '^- Handshake was completed' 10
wait_for_text rsl-server.err "record size limit: the peer's 512, ours 1000$" 5
line500=$(printf 'e%.0s' {1..500})
echo "$line500" >&3
wait_for_text rsl-cli.out "^$line500\$" 10  # the echo, in one record of 500 bytes
exec 3>&-
status=0
wait "$gnutls_pid" || status=$?
[[ $status == 0 ]] || { cat rsl-cli.err >&2; fail "gnutls-cli exited $status"; }
stop_server rsl-server
pass "gnutls-cli --recordsize=512 <-> dtls server --record-size-limit 1000"
