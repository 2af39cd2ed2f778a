# Every way to start `dtls` wrongly ends with exactly one clear line on
# stderr, nothing on stdout, and a non-zero exit status: 2 for a command line
# that is wrong in itself, 1 for one that fails when it is carried out.
source "$(dirname "$0")/lib.sh"
require_tool openssl openssl
make_certs
echo "not a certificate" >garbage.pem
cases=0

# expect STATUS MESSAGE-REGEX dtls-arguments...
expect() {
    local want_status=$1 pattern=$2
    shift 2
    local status=0
    timeout 20 "$DTLS" "$@" </dev/null >stdout.txt 2>stderr.txt || status=$?
    local shown="dtls $*"
    [[ $status == "$want_status" ]] || { cat stderr.txt >&2; fail "$shown: exit $status, expected $want_status"; }
    [[ $(wc -l <stderr.txt) == 1 ]] || { cat stderr.txt >&2; fail "$shown: expected exactly one line on stderr"; }
    grep -Eq -- "$pattern" stderr.txt || fail "$shown: stderr was \"$(cat stderr.txt)\", expected /$pattern/"
    [[ ! -s stdout.txt ]] || fail "$shown: printed on stdout"
    cases=$((cases + 1))
}

server=(server --listen 127.0.0.1:0)
creds=(--cert server.pem --key server.key)

# The command line itself (status 2).
expect 2 '^dtls: A subcommand is required'
expect 2 "^dtls: unknown command 'bogus'" bogus
expect 2 '^dtls: --listen is required' server "${creds[@]}"
expect 2 '^dtls: --cert is required' server --listen 127.0.0.1:0 --key server.key
expect 2 '^dtls: expected HOST:PORT, got "127\.0\.0\.1"' server --listen 127.0.0.1 "${creds[@]}"
expect 2 '^dtls: port must be a number from 0 to 65535' server --listen 127.0.0.1:99999 "${creds[@]}"
expect 2 '^dtls: port must be a number from 0 to 65535' client 127.0.0.1:http
expect 2 '^dtls: put an IPv6 address in brackets' client ::1:4433
expect 2 '^dtls: --local-port: Value 0 not in range 1 to 65535' client 127.0.0.1:4433 --local-port 0
expect 2 '^dtls: --mtu: Value 100 not in range' "${server[@]}" "${creds[@]}" --mtu 100
expect 2 '^dtls: --verify-client: sometimes not in' "${server[@]}" "${creds[@]}" --verify-client sometimes
expect 2 '^dtls: --max-connections: Value 0 not in range' "${server[@]}" "${creds[@]}" --max-connections 0
expect 2 '^dtls: --idle-timeout: ' "${server[@]}" "${creds[@]}" --idle-timeout 0
expect 2 '^dtls: --session-tickets: Value 9 not in range 0 to 8' "${server[@]}" "${creds[@]}" --session-tickets 9
expect 2 '^dtls: --ticket-lifetime: Value 604801 not in range 1 to 604800' "${server[@]}" "${creds[@]}" \
    --ticket-lifetime 604801
expect 2 '^dtls: --ca excludes --insecure' client 127.0.0.1:4433 --ca ca.pem --insecure
expect 2 '^dtls: --cert requires --key' client 127.0.0.1:4433 --ca ca.pem --cert client.pem
expect 2 '^dtls: --timeout: ' client 127.0.0.1:4433 --timeout -1
expect 2 '^dtls: target is required' client --ca ca.pem
expect 2 '^dtls: .*not expected: --bogus' demo --bogus
# DTLS-SRTP, keying material export, fingerprints and --self-signed.
expect 2 '^dtls: --srtp: unknown SRTP profile "SRTP_NULL_HMAC_SHA1_80"' client 127.0.0.1:4433 \
    --srtp SRTP_AES128_CM_HMAC_SHA1_80,SRTP_NULL_HMAC_SHA1_80
expect 2 '^dtls: --srtp: unknown SRTP profile "srtp_aead_aes_128_gcm"' "${server[@]}" "${creds[@]}" \
    --srtp srtp_aead_aes_128_gcm
expect 2 '^dtls: --srtp-mki requires --srtp' client 127.0.0.1:4433 --srtp-mki 0a0b
expect 2 '^dtls: --srtp-mki: "0x0a" is not hex digits' client 127.0.0.1:4433 --srtp SRTP_AEAD_AES_128_GCM \
    --srtp-mki 0x0a
expect 2 '^dtls: --srtp-accept-mki requires --srtp' "${server[@]}" "${creds[@]}" --srtp-accept-mki
expect 2 '^dtls: --export: expected LABEL:LENGTH \("EXTRACTOR-dtls_srtp:60"\), got "EXTRACTOR-dtls_srtp"' \
    client 127.0.0.1:4433 --export EXTRACTOR-dtls_srtp
expect 2 '^dtls: --export: LENGTH must be a number of bytes from 1 to 1024, got "0"' "${server[@]}" "${creds[@]}" \
    --export EXTRACTOR-dtls_srtp:0
expect 2 '^dtls: --export: LENGTH must be a number of bytes from 1 to 1024, got "sixty"' client 127.0.0.1:4433 \
    --export EXTRACTOR-dtls_srtp:sixty
expect 2 '^dtls: --ca excludes --peer-fingerprint' client 127.0.0.1:4433 --ca ca.pem --peer-fingerprint "sha-256 AB"
expect 2 '^dtls: --cert excludes --self-signed' "${server[@]}" "${creds[@]}" --self-signed
expect 2 '^dtls: --key is required with --cert' server --listen 127.0.0.1:0 --cert server.pem
expect 2 '^dtls: --cert excludes --self-signed' client 127.0.0.1:4433 --cert client.pem --key client.key --self-signed

# Files (status 1).
expect 1 "^dtls: cannot read certificate file 'missing\.pem'" "${server[@]}" --cert missing.pem --key server.key
expect 1 "^dtls: cannot read private key file 'missing\.key'" "${server[@]}" --cert server.pem --key missing.key
expect 1 '^dtls: private key does not match certificate' "${server[@]}" --cert server.pem --key other.key
expect 1 '^dtls: .*certificate' "${server[@]}" --cert garbage.pem --key server.key
expect 1 "^dtls: cannot read CA file 'missing\.pem': No such file" client 127.0.0.1:4433 --ca missing.pem
expect 1 "^dtls: cannot read CA file 'missing\.pem'" "${server[@]}" "${creds[@]}" --ca missing.pem \
    --verify-client require
expect 1 '^dtls: --verify-client require needs --ca FILE, --peer-fingerprint or --rpk-peer' "${server[@]}" "${creds[@]}" \
    --verify-client require
# A malformed fingerprint is refused by the library, which says what is wrong.
expect 1 '^dtls: peer_fingerprints: the sha-256 fingerprint has 2 bytes; expected 32' client 127.0.0.1:4433 \
    --peer-fingerprint "sha-256 AB:CD"
expect 1 '^dtls: peer_fingerprints: fingerprint hash "md5" is not accepted' "${server[@]}" "${creds[@]}" \
    --verify-client require --peer-fingerprint "md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"
expect 1 '^dtls: --peer-fingerprint needs --verify-client optional or require' "${server[@]}" "${creds[@]}" \
    --peer-fingerprint "sha-256 AB:CD"
expect 1 '^dtls: --session-tickets needs --verify-client none' "${server[@]}" "${creds[@]}" --session-tickets 1 \
    --verify-client optional --ca ca.pem
expect 1 '^dtls: --resume needs --verify-client none' "${server[@]}" "${creds[@]}" --resume \
    --verify-client require --ca ca.pem
expect 1 '^dtls: private key does not match certificate' client 127.0.0.1:4433 --ca ca.pem --cert client.pem \
    --key server.key
expect 1 '^dtls: cannot open key log file no/such/dir/keys: No such file' "${server[@]}" "${creds[@]}" \
    --keylog no/such/dir/keys
expect 1 '^dtls: cannot open key log file no/such/dir/keys' client 127.0.0.1:4433 --ca ca.pem --keylog no/such/dir/keys

# The network (status 1).
start_dtls_server busy "${creds[@]}"
expect 1 "^dtls: cannot listen on 127\.0\.0\.1:$SERVER_PORT: Address already in use" \
    server --listen "127.0.0.1:$SERVER_PORT" "${creds[@]}"
stop_server busy
port=$(free_udp_port)
expect 1 "^dtls: cannot reach 127\.0\.0\.1:$port: nothing is listening there \(connection refused\)" \
    client "127.0.0.1:$port" --ca ca.pem
expect 1 '^dtls: cannot resolve "no-such-host\.invalid"' client no-such-host.invalid:4433 --ca ca.pem
expect 1 '^dtls: cannot listen on .*:0: Cannot assign requested address' server --listen 192.0.2.1:0 "${creds[@]}"

# SSLKEYLOGFILE pointing nowhere is reported like --keylog.
status=0
SSLKEYLOGFILE=no/such/dir/keys timeout 20 "$DTLS" client 127.0.0.1:4433 --ca ca.pem </dev/null 2>stderr.txt ||
    status=$?
[[ $status == 1 ]] && grep -q '^dtls: cannot open key log file no/such/dir/keys' stderr.txt ||
    fail "SSLKEYLOGFILE to a missing directory: exit $status, stderr \"$(cat stderr.txt)\""

# Help is not an error.
timeout 5 "$DTLS" --help >help.txt || fail "dtls --help failed"
expect_line help.txt '^  demo '
expect_line help.txt '^  client '
expect_line help.txt '^  server '
for command in demo client server; do
    timeout 5 "$DTLS" "$command" --help >help.txt || fail "dtls $command --help failed"
    expect_line help.txt "^Usage: dtls $command "
done
pass "$cases bad invocations, each with one line and the right status; help for every command"
