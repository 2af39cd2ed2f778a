# DTLS 1.2 session resumption against OpenSSL's and GnuTLS's command-line
# peers and the test programs of wolfSSL 5.9.2 and Mbed TLS 3.6.7 over
# loopback UDP, in both roles, with session IDs and with session tickets
# (RFC 5077): `dtls client --resume` against `openssl s_server`,
# `gnutls-serv`, wolfSSL's example server and Mbed TLS's ssl_server2, and
# `openssl s_client -sess_out/-sess_in`, `gnutls-cli --resume`, wolfSSL's
# example client (`-r`) and ssl_client2 (`reconnect=1`) against
# `dtls server --resume`. Each check needs the second handshake to be an
# abbreviated one on our side (", resumed") and, where the peer prints it, on
# the peer's. wolfSSL and Mbed TLS are built from source by
# scripts/build-peers.sh; the test fails when they have not been built.
#
# wolfSSL's example client asks for a session ticket whenever the library
# has them (it has no option to stop), and `dtls server --resume` gives one
# to every client that asks, so that pair resumes by ticket only.
#
# Once every check has passed, it writes them to docs/interop-resumption.md
# (or to the page given as the fourth argument).
#
# Usage: resumption.sh path/to/dtls path/to/wolfssl-prefix path/to/mbedtls-prefix [page]
PAGE=$(cd "$(dirname "$0")/../.." && pwd)/docs/interop-resumption.md  # before lib.sh changes directory
source "$(dirname "$0")/lib.sh"
WOLFSSL=${1:?usage: $0 path/to/dtls path/to/wolfssl-prefix path/to/mbedtls-prefix [page]}
MBEDTLS=${2:?usage: $0 path/to/dtls path/to/wolfssl-prefix path/to/mbedtls-prefix [page]}
PAGE=${3:-$PAGE}
require_tool openssl openssl
require_tool gnutls-serv gnutls-bin
require_tool gnutls-cli gnutls-bin
for program in client server; do
    [[ -x $WOLFSSL/bin/$program ]] ||
        fail "wolfSSL's example $program is not at $WOLFSSL/bin/$program (run scripts/build-peers.sh)"
done
for program in ssl_client2 ssl_server2; do
    [[ -x $MBEDTLS/bin/$program ]] ||
        fail "Mbed TLS's $program is not at $MBEDTLS/bin/$program (run scripts/build-peers.sh)"
done
make_certs
# wolfSSL's examples look for their certificate folder even when told not to
# use its files.
mkdir -p certs
touch certs/dh2048.pem

OPENSSL_VERSION=$(openssl version | awk '{print $1, $2}')
GNUTLS_VERSION="GnuTLS $(gnutls-cli --version | awk 'NR == 1 {print $2}')"
# The prefixes are named after the release scripts/build-peers.sh built.
WOLF_VERSION="wolfSSL $(basename "$WOLFSSL" | sed 's/^wolfssl-//')"
MBED_VERSION="Mbed TLS $(basename "$MBEDTLS" | sed 's/^mbedtls-//')"
ROWS=()
row() { ROWS+=("$1|$2|$3|$4|$5"); pass "$1 ($3, $4): $5"; }

# dtls_client_resume NAME PORT: `dtls client --resume --trace` to a DTLS 1.2
# server, which must resume the session on the second connection. The trace
# shows whether the server sent a NewSessionTicket.
dtls_client_resume() {
    local name=$1 port=$2 status=0
    echo "hello, resumed" | timeout 30 "$DTLS" client "127.0.0.1:$port" --ca ca.pem --server-name localhost \
        --max-version 1.2 --resume --trace >"$name.out" 2>"$name.err" || status=$?
    [[ $status == 0 ]] || { cat "$name.err" >&2; fail "$name: dtls client --resume exited $status"; }
    expect_resumption "$name.err" '^connected to '
}

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

# --- dtls client --resume -> Mbed TLS ssl_server2 ----------------------------
# At debug level 3 ssl_server2 says where a session came from ("restored
# from ticket" or "from cache") and "a session has been resumed".
for mode in tickets ids; do
    tickets=1 source_text=ticket what="session ticket"
    [[ $mode == ids ]] && tickets=0 source_text=cache what="session ID (ssl_server2 tickets=0)"
    port=$(free_udp_port)
    start_bg 60 "$MBEDTLS/bin/ssl_server2" dtls=1 server_addr=127.0.0.1 server_port="$port" crt_file=server.pem \
        key_file=server.key force_version=dtls12 tickets=$tickets debug_level=3 </dev/null >"mbed_server_$mode.out" 2>&1
    mbed_pid=$LAST_PID
    wait_until 10 "ssl_server2 binding port $port" udp_port_bound "$port"
    dtls_client_resume "client_mbed_$mode" "$port"
    wait_for_text "mbed_server_$mode.out" "session successfully restored from $source_text" 10
    wait_for_text "mbed_server_$mode.out" '\|3\| a session has been resumed' 10
    kill -TERM "$mbed_pid" 2>/dev/null || true
    wait "$mbed_pid" || true
    row "Mbed TLS ssl_server2" "$MBED_VERSION" "peer is the server" "$what" \
        "resumed: our client's second connection and ssl_server2 (\`session successfully restored from $source_text\`)"
done

# --- dtls client --resume -> wolfSSL's example server ---------------------------
# `-r` lets one client resume, after which the server exits; it prints "SSL
# reused session" for the resumed connection. `-T o` turns its DTLS 1.2
# tickets off; our client's trace shows whether a NewSessionTicket came.
for mode in tickets ids; do
    no_ticket=() what="session ticket"
    [[ $mode == ids ]] && no_ticket=(-T o) what="session ID (wolfSSL server -T o)"
    port=$(free_udp_port)
    start_bg 60 "$WOLFSSL/bin/server" -u -v 3 -p "$port" -c server.pem -k server.key -d -e -r "${no_ticket[@]}" \
        </dev/null >"wolf_server_$mode.out" 2>"wolf_server_$mode.err"
    wolf_pid=$LAST_PID
    wait_until 10 "wolfSSL's server binding port $port" udp_port_bound "$port"
    dtls_client_resume "client_wolf_$mode" "$port"
    expect_line "client_wolf_$mode.out" '^hello, resumed$'
    tickets=$(grep -c ' NewSessionTicket ' "client_wolf_$mode.err" || true)
    if [[ $mode == tickets ]]; then
        ((tickets > 0)) || { cat "client_wolf_$mode.err" >&2; fail "wolfSSL's server sent no session ticket"; }
    else
        ((tickets == 0)) || { cat "client_wolf_$mode.err" >&2; fail "wolfSSL's server -T o sent a session ticket"; }
    fi
    wait_exit "$wolf_pid" 15
    [[ $EXIT_STATUS == 0 ]] || { cat "wolf_server_$mode.out" "wolf_server_$mode.err" >&2; fail "wolfSSL's server exited $EXIT_STATUS"; }
    expect_line "wolf_server_$mode.out" '^SSL reused session$'
    row "wolfSSL example server" "$WOLF_VERSION" "peer is the server" "$what" \
        "resumed: our client's second connection and wolfSSL's server (\`SSL reused session\`)"
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

# --- Mbed TLS ssl_client2 reconnect=1 -> dtls server --resume -------------------
# ssl_client2 makes one exchange (our server echoes it), reconnects from a
# new port offering the session, and at debug level 3 says whether the
# server resumed it and whether it got a ticket. With tickets=0 it asks for
# none, so our server resumes it by session ID.
for mode in tickets ids; do
    tickets=1 what="session ticket"
    [[ $mode == ids ]] && tickets=0 what="session ID (ssl_client2 tickets=0)"
    timeout 30 "$MBEDTLS/bin/ssl_client2" dtls=1 server_addr=127.0.0.1 server_port="$SERVER_PORT" \
        server_name=localhost ca_file=ca.pem force_version=dtls12 reconnect=1 tickets=$tickets debug_level=3 \
        </dev/null >"mbed_client_$mode.out" 2>&1 || { cat "mbed_client_$mode.out" >&2; fail "ssl_client2 reconnect=1 failed"; }
    expect_line "mbed_client_$mode.out" '\|3\| no session has been resumed'
    expect_line "mbed_client_$mode.out" '\|3\| a session has been resumed'
    tickets=$(grep -c '=> parse new session ticket' "mbed_client_$mode.out" || true)
    if [[ $mode == tickets ]]; then
        ((tickets > 0)) || fail "ssl_client2 got no session ticket from our server"
    else
        ((tickets == 0)) || fail "ssl_client2 tickets=0 got a session ticket from our server"
    fi
    row "Mbed TLS ssl_client2" "$MBED_VERSION" "peer is the client" "$what" \
        "resumed: ssl_client2 (\`a session has been resumed\`) and our server"
done

# --- wolfSSL's example client -r -> dtls server --resume ------------------------
# It prints "Session Ticket CB" for each ticket it gets and "reused session
# id" when its second connection resumed (by the ticket it holds).
timeout 30 "$WOLFSSL/bin/client" -u -v 3 -h 127.0.0.1 -p "$SERVER_PORT" -A ca.pem -S localhost -x -r \
    </dev/null >wolf_client.out 2>wolf_client.err || { cat wolf_client.out wolf_client.err >&2; fail "wolfSSL's client -r failed"; }
expect_line wolf_client.out '^Session Ticket CB: ticketSz = [1-9][0-9]*, ctx = initial session$'
expect_line wolf_client.out '^reused session id$'
row "wolfSSL example client" "$WOLF_VERSION" "peer is the client" "session ticket (it always asks for one)" \
    "resumed: wolfSSL's client (\`reused session id\`) and our server"
stop_server server
# Seven clients, each a full handshake then a resumed one, in order.
full=$(grep -Ec 'handshake done: DTLS 1\.2, .*x25519$' server.err || true)
resumed=$(grep -Ec 'handshake done: DTLS 1\.2, .*, resumed$' server.err || true)
[[ $full == 7 && $resumed == 7 ]] || { cat server.err >&2; fail "dtls server: $full full and $resumed resumed handshakes, expected 7 and 7"; }
pass "dtls server saw 7 full handshakes and 7 resumed ones"

# --- The page -----------------------------------------------------------------
{
    echo "# Interoperability: DTLS 1.2 session resumption"
    echo
    echo "Generated by the resumption interop test (\`ctest -R cli_resumption\`, which runs"
    echo "\`tests/cli/resumption.sh\`); do not edit by hand. It is written only when every check passes."
    echo
    echo "\`dtls client --resume --max-version 1.2\` and \`dtls server --resume\` against the command-line tools of"
    echo "$OPENSSL_VERSION and $GNUTLS_VERSION (Debian 12 packages) and the test programs of $WOLF_VERSION"
    echo "(\`examples/server\` and \`examples/client\`) and $MBED_VERSION (\`ssl_server2\` and \`ssl_client2\`), built by"
    echo "\`scripts/build-peers.sh\`, over UDP on 127.0.0.1: a full handshake, then a second connection from a new port"
    echo "that offers the session, by its ticket (RFC 5077) or by its session ID alone (the peer's option that turns"
    echo "tickets off). \"Resumed\" means the second handshake was the abbreviated one (RFC 5246 7.3) on the sides listed."
    echo
    echo "wolfSSL's example client has no session-ID-only row: built with session tickets, as here, it always asks for"
    echo "one (no option turns that off), and \`dtls server --resume\` gives a ticket to every DTLS 1.2 client that asks,"
    echo "so the pair resumes by ticket; the test checks that the client got one (\`Session Ticket CB\`)."
    echo
    echo "| Peer | Peer version | Role | Resumed by | Result |"
    echo "| --- | --- | --- | --- | --- |"
    for r in "${ROWS[@]}"; do
        IFS='|' read -r peer version role what result <<<"$r"
        echo "| $peer | $version | $role | $what | $result |"
    done
} >"$PAGE"
pass "wrote $PAGE"
