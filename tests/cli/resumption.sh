# DTLS 1.2 session resumption against OpenSSL's and GnuTLS's command-line
# peers over loopback UDP, in both roles, with session IDs and with session
# tickets (RFC 5077): `dtls client --resume` against `openssl s_server` and
# `gnutls-serv`, and `openssl s_client -sess_out/-sess_in` and
# `gnutls-cli --resume` against `dtls server --resume`. Each check needs the
# second handshake to be an abbreviated one on our side (", resumed") and,
# where the peer prints it, on the peer's.
#
# Once every check has passed, it writes them to docs/interop-resumption.md
# (or to the page given as the second argument).
#
# Usage: resumption.sh path/to/dtls [page]
PAGE=$(cd "$(dirname "$0")/../.." && pwd)/docs/interop-resumption.md  # before lib.sh changes directory
source "$(dirname "$0")/lib.sh"
PAGE=${2:-$PAGE}
require_tool openssl openssl
require_tool gnutls-serv gnutls-bin
require_tool gnutls-cli gnutls-bin
make_certs

OPENSSL_VERSION=$(openssl version | awk '{print $1, $2}')
GNUTLS_VERSION="GnuTLS $(gnutls-cli --version | awk 'NR == 1 {print $2}')"
ROWS=()
row() { ROWS+=("$1|$2|$3|$4|$5"); pass "$1 ($3, $4): $5"; }

# --- dtls client --resume -> openssl s_server ---------------------------------
# s_server prints "Reused session-id" for a resumed connection.
for mode in tickets ids; do
    no_ticket=()
    [[ $mode == ids ]] && no_ticket=(-no_ticket)
    mkfifo "to_s_server_$mode"
    exec 3<>"to_s_server_$mode"
    port=$(free_udp_port)
    start_bg 60 openssl s_server -dtls1_2 -accept "127.0.0.1:$port" -cert server.pem -key server.key -naccept 2 \
        "${no_ticket[@]}" <"to_s_server_$mode" >"s_server_$mode.out" 2>"s_server_$mode.err"
    s_server_pid=$LAST_PID
    wait_for_text "s_server_$mode.out" '^ACCEPT$' 10
    status=0
    timeout 30 "$DTLS" client "127.0.0.1:$port" --ca ca.pem --server-name localhost --max-version 1.2 --resume \
        </dev/null >"client_$mode.out" 2>"client_$mode.err" || status=$?
    [[ $status == 0 ]] || { cat "client_$mode.err" >&2; fail "dtls client --resume exited $status"; }
    expect_resumption "client_$mode.err" '^connected to '
    wait_for_text "s_server_$mode.out" '^Reused session-id$' 10
    exec 3>&-
    wait "$s_server_pid" || true
    what="session ticket"
    [[ $mode == ids ]] && what="session ID (s_server -no_ticket)"
    row "OpenSSL s_server" "$OPENSSL_VERSION" "peer is the server" "$what" \
        "resumed: our client's second connection and s_server (\`Reused session-id\`)"
done

# --- dtls client --resume -> gnutls-serv --------------------------------------
# gnutls-serv prints nothing about resumption; our client reports it only
# when the ServerHello echoed the session ID it offered, which a server does
# only when it resumes (RFC 5246 7.4.1.3).
for mode in tickets ids; do
    no_ticket=()
    [[ $mode == ids ]] && no_ticket=(--noticket)
    port=$(free_udp_port)
    start_bg 60 gnutls-serv --udp --echo -p "$port" --x509certfile server.pem --x509keyfile server.key \
        "${no_ticket[@]}" </dev/null >"gnutls_serv_$mode.out" 2>"gnutls_serv_$mode.err"
    gnutls_pid=$LAST_PID
    wait_until 10 "gnutls-serv listening" udp_port_bound "$port"
    status=0
    timeout 30 "$DTLS" client "127.0.0.1:$port" --ca ca.pem --server-name localhost --max-version 1.2 --resume \
        </dev/null >"client_gnutls_$mode.out" 2>"client_gnutls_$mode.err" || status=$?
    [[ $status == 0 ]] || { cat "client_gnutls_$mode.err" >&2; fail "dtls client --resume exited $status"; }
    expect_resumption "client_gnutls_$mode.err" '^connected to '
    kill "$gnutls_pid" 2>/dev/null || true
    wait "$gnutls_pid" || true
    what="session ticket"
    [[ $mode == ids ]] && what="session ID (gnutls-serv --noticket)"
    row "gnutls-serv" "$GNUTLS_VERSION" "peer is the server" "$what" \
        "resumed: our client's second connection (gnutls-serv does not print it)"
done

# --- openssl s_client -sess_out / -sess_in -> dtls server --resume ------------
start_dtls_server server --cert server.pem --key server.key --resume --echo
for mode in tickets ids; do
    no_ticket=()
    [[ $mode == ids ]] && no_ticket=(-no_ticket)
    s_client=(openssl s_client -dtls1_2 -connect "127.0.0.1:$SERVER_PORT" -CAfile ca.pem -verify_return_error
        -servername localhost "${no_ticket[@]}")
    timeout 20 "${s_client[@]}" -sess_out "session_$mode.pem" </dev/null >"s_client_${mode}_1.out" 2>&1 ||
        { cat "s_client_${mode}_1.out" >&2; fail "openssl s_client -sess_out failed"; }
    expect_line "s_client_${mode}_1.out" '^New, TLSv1\.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256$'
    timeout 20 "${s_client[@]}" -sess_in "session_$mode.pem" </dev/null >"s_client_${mode}_2.out" 2>&1 ||
        { cat "s_client_${mode}_2.out" >&2; fail "openssl s_client -sess_in failed"; }
    expect_line "s_client_${mode}_2.out" '^Reused, TLSv1\.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256$'
    what="session ticket"
    [[ $mode == ids ]] && what="session ID (s_client -no_ticket)"
    row "OpenSSL s_client" "$OPENSSL_VERSION" "peer is the client" "$what" \
        "resumed: s_client (\`Reused, TLSv1.2\`) and our server"
done

# --- gnutls-cli --resume -> dtls server --resume --------------------------------
for mode in tickets ids; do
    no_ticket=()
    [[ $mode == ids ]] && no_ticket=(--noticket)
    timeout 20 gnutls-cli --udp --resume "${no_ticket[@]}" --x509cafile ca.pem -p "$SERVER_PORT" localhost \
        </dev/null >"gnutls_cli_$mode.out" 2>&1 || true
    expect_line "gnutls_cli_$mode.out" '^\*\*\* This is a resumed session'
    what="session ticket"
    [[ $mode == ids ]] && what="session ID (gnutls-cli --noticket)"
    row "gnutls-cli" "$GNUTLS_VERSION" "peer is the client" "$what" \
        "resumed: gnutls-cli (\`This is a resumed session\`) and our server"
done
stop_server server
# Four clients, each a full handshake then a resumed one, in order.
full=$(grep -Ec 'handshake done: DTLS 1\.2, .*x25519$' server.err || true)
resumed=$(grep -Ec 'handshake done: DTLS 1\.2, .*, resumed$' server.err || true)
[[ $full == 4 && $resumed == 4 ]] || { cat server.err >&2; fail "dtls server: $full full and $resumed resumed handshakes, expected 4 and 4"; }
pass "dtls server saw 4 full handshakes and 4 resumed ones"

# --- The page -----------------------------------------------------------------
{
    echo "# Interoperability: DTLS 1.2 session resumption"
    echo
    echo "Generated by the resumption interop test (\`ctest -R cli_resumption\`, which runs"
    echo "\`tests/cli/resumption.sh\`); do not edit by hand. It is written only when every check passes."
    echo
    echo "\`dtls client --resume --max-version 1.2\` and \`dtls server --resume\` against the command-line tools of"
    echo "$OPENSSL_VERSION and $GNUTLS_VERSION (Debian 12 packages), over UDP on 127.0.0.1: a full handshake,"
    echo "then a second connection from a new port that offers the session, by its ticket (RFC 5077) or by its session"
    echo "ID alone (the peer's option that turns tickets off). \"Resumed\" means the second handshake was the"
    echo "abbreviated one (RFC 5246 7.3) on the sides listed."
    echo
    echo "| Peer | Peer version | Role | Resumed by | Result |"
    echo "| --- | --- | --- | --- | --- |"
    for r in "${ROWS[@]}"; do
        IFS='|' read -r peer version role what result <<<"$r"
        echo "| $peer | $version | $role | $what | $result |"
    done
} >"$PAGE"
pass "wrote $PAGE"
