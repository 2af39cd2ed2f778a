# Key logs: a session between `dtls client` and `dtls server` is captured on
# loopback, and tshark decrypts it with the key log the client wrote through
# SSLKEYLOGFILE (and the server through --keylog), showing the application
# data that was sent and echoed. Without the key log it shows none.
source "$(dirname "$0")/lib.sh"
require_tool tshark tshark
require_tool dumpcap tshark
require_tool openssl openssl
make_certs

# DTLS 1.2: its key log is one CLIENT_RANDOM line. (DTLS 1.3 logs its traffic
# secrets; this test does not yet show tshark reading a DTLS 1.3 session.)
start_dtls_server server --cert server.pem --key server.key --echo --keylog server.keys --max-version 1.2
start_bg 60 dumpcap -q -i lo -f "udp port $SERVER_PORT" -w capture.pcapng </dev/null >dumpcap.out 2>dumpcap.err
dumpcap_pid=$LAST_PID
wait_for_text dumpcap.err '^Capturing on' 10
# The capture is live once a probe datagram to the server's port is in the
# file (dumpcap writes each packet at once). The server drops the probe: it
# is no DTLS record.
captured_packets() { tshark -r capture.pcapng 2>/dev/null | wc -l; }
probe_captured() {
    echo probe >"/dev/udp/127.0.0.1/$SERVER_PORT"
    (($(captured_packets) > 0))
}
wait_until 10 "dumpcap capturing" probe_captured

printf 'tshark can read this\nand this too\n' >input.txt
status=0
SSLKEYLOGFILE=client.keys timeout 20 "$DTLS" client "127.0.0.1:$SERVER_PORT" --ca ca.pem --server-name localhost \
    <input.txt >client.out 2>client.err || status=$?
[[ $status == 0 ]] || { cat client.err >&2; fail "dtls client exited $status"; }
diff input.txt client.out || fail "echoes differ"
wait_for_text server.err ' closed$' 5
# The client's close_notify is the session's last datagram: stop capturing
# once it is in the file.
close_notify_captured() {
    tshark -r capture.pcapng -d "udp.port==$SERVER_PORT,dtls" -o "tls.keylog_file:client.keys" -Y dtls \
        2>/dev/null | grep -q 'Close Notify'
}
wait_until 10 "the close_notify in the capture" close_notify_captured
kill -INT "$dumpcap_pid"
wait "$dumpcap_pid" || true
stop_server server

# Both ends logged the same master secret, in the NSS format.
expect_line client.keys '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$'
[[ $(wc -l <client.keys) == 1 ]] || fail "expected one key log line from the client"
cmp client.keys server.keys || fail "client and server key logs differ"

# The application data tshark shows, one record per line, as text.
decrypted_records() {
    tshark -r capture.pcapng -d "udp.port==$SERVER_PORT,dtls" "$@" -Y dtls -T fields -e data.data 2>tshark.err |
        { grep -v '^$' || true; } | while read -r hex; do
            printf '%b\n' "$(sed 's/../\\x&/g' <<<"$hex")"
        done
}

decrypted_records -o "tls.keylog_file:client.keys" >decrypted.txt
echo "--- tshark decrypted:"
cat decrypted.txt
# Each line was sent by the client and echoed by the server: twice each.
[[ $(grep -cx 'tshark can read this' decrypted.txt) == 2 ]] || fail "tshark did not show the first record twice"
[[ $(grep -cx 'and this too' decrypted.txt) == 2 ]] || fail "tshark did not show the second record twice"
tshark -r capture.pcapng -d "udp.port==$SERVER_PORT,dtls" -o "tls.keylog_file:client.keys" -Y dtls \
    2>/dev/null >summary.txt
expect_line summary.txt 'Client Hello'
expect_line summary.txt 'Hello Verify Request'
expect_line summary.txt 'Close Notify'
pass "tshark decrypts the session with the client's SSLKEYLOGFILE"

decrypted_records >without_keys.txt
[[ ! -s without_keys.txt ]] || fail "tshark showed application data without the key log"
pass "without the key log tshark shows no application data"
