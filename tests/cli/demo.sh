# `dtls demo`: the README's first command completes a handshake with cookies,
# echoes three messages and prints a summary a person can read.
source "$(dirname "$0")/lib.sh"

status=0
timeout 30 "$DTLS" demo >demo.out 2>demo.err || status=$?
cat demo.out
[[ $status == 0 ]] || { cat demo.err >&2; fail "dtls demo exited $status"; }

expect_line demo.out '^client: echo 1 "first message"$'
expect_line demo.out '^client: echo 2 "second message"$'
expect_line demo.out '^client: echo 3 "third message"$'
expect_line demo.out '^protocol +DTLS 1\.3$'
expect_line demo.out '^cipher suite +TLS_AES_128_GCM_SHA256$'
expect_line demo.out '^group +x25519$'
expect_line demo.out '^server signature +ecdsa_secp256r1_sha256$'
expect_line demo.out '^server subject +CN=localhost$'
# Cookie exchange (HelloRetryRequest) and the full handshake: two round trips;
# one per echo.
expect_line demo.out '^round trips +2 handshake, 3 echo$'
# ClientHello twice, Finished, three messages, close_notify.
expect_line demo.out '^client -> server +7 datagrams, [0-9]+ bytes$'
expect_line demo.out '^server -> client +[0-9]+ datagrams, [0-9]+ bytes$'
expect_line demo.out '^retransmissions +0$'
expect_line demo.out '^time +[0-9.]+ ms handshake, [0-9.]+ ms in all$'
[[ ! -s demo.err ]] || { cat demo.err >&2; fail "dtls demo wrote to stderr"; }

# --trace shows both sides' ladders, including the stateless cookie.
timeout 30 "$DTLS" demo --trace >trace.out 2>trace.err || fail "dtls demo --trace failed"
expect_line trace.err 'server +front door: ClientHello without a valid cookie, HelloRetryRequest sent'
expect_line trace.err 'client +-> datagram [0-9]+ bytes of ClientHello'
expect_line trace.err 'client +ServerHello message_seq 0'
expect_line trace.err 'client +handshake complete: TLS_AES_128_GCM_SHA256, x25519'
# Each datagram is labelled with the side that sends it: the client's flights
# (ClientHello twice, then Finished) say client, not server.
awk '/-> datagram [0-9]+ bytes of (ClientHello|Finished)$/ { n++; if ($3 != "client") bad++ }
     END { exit !(n >= 3 && bad == 0) }' trace.err ||
    { cat trace.err >&2; fail "dtls demo --trace: the client's flights are not all labelled client"; }
pass "dtls demo"
