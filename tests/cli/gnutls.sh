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
