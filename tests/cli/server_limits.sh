# The server's lifecycle and limits: SIGTERM and SIGINT send close_notify to
# every connected client and exit 0; --idle-timeout closes a silent client;
# --max-connections ignores new clients while full.
source "$(dirname "$0")/lib.sh"
require_tool openssl openssl
make_certs

# connect NAME FD [client options...]: a `dtls client` whose input is a FIFO
# the test holds open on descriptor FD, connected (its handshake done) when
# this returns.
connect() {
    local name=$1 fd=$2
    shift 2
    mkfifo "$name.in"
    eval "exec $fd<>$name.in"
    start_bg 30 "$DTLS" client "127.0.0.1:$SERVER_PORT" --ca ca.pem --server-name localhost "$@" <"$name.in" \
        >"$name.out" 2>"$name.err"
    eval "${name}_pid=$LAST_PID"
    wait_for_text "$name.err" '^connected to ' 10
}

# expect_closed_by_server NAME: the client heard close_notify and exited 0.
expect_closed_by_server() {
    local name=$1 pid_var="${1}_pid"
    wait_exit "${!pid_var}" 30
    [[ $EXIT_STATUS == 0 ]] || { cat "$name.err" >&2; fail "$name exited $EXIT_STATUS"; }
    expect_line "$name.err" "^closed by 127\.0\.0\.1:$SERVER_PORT$"
}

for signal in TERM INT; do
    start_dtls_server server --cert server.pem --key server.key --echo
    connect alice 3
    connect bob 4
    echo "before the signal" >&3
    wait_for_text alice.out '^before the signal$' 5
    kill "-$signal" "$SERVER_PID"
    wait_exit "$SERVER_PID" 10
    [[ $EXIT_STATUS == 0 ]] || fail "server exited $EXIT_STATUS after SIG$signal"
    expect_line server.err '^stopping: sent close_notify to 2 peers$'
    expect_closed_by_server alice
    expect_closed_by_server bob
    exec 3>&- 4>&-
    rm -f alice.* bob.*
    pass "SIG$signal: close_notify to every client, exit 0"
done

start_dtls_server idle --cert server.pem --key server.key --echo --idle-timeout 1 --stats --stats-interval 60
connect quiet 3
expect_closed_by_server quiet  # within the client's own 30 s bound
expect_line idle.err '^127\.0\.0\.1:[0-9]+ idle for 1 s: closing$'
stop_server idle
expect_line idle.err ' 1 idle-closed;'
exec 3>&-
pass "--idle-timeout closes a silent client with close_notify"

start_dtls_server full --cert server.pem --key server.key --echo --max-connections 1 --stats --stats-interval 60
connect first 3
status=0
timeout 20 "$DTLS" client "127.0.0.1:$SERVER_PORT" --ca ca.pem --server-name localhost --timeout 2 </dev/null \
    >second.out 2>second.err || status=$?
[[ $status == 1 ]] || fail "second client while full: exit $status, expected 1"
expect_line second.err "^dtls: no handshake with 127\.0\.0\.1:$SERVER_PORT within 2 seconds$"
echo "still served" >&3
wait_for_text first.out '^still served$' 5
stop_server full
expect_line full.err 'drops: not-hello 0, full [1-9][0-9]*,'
expect_closed_by_server first
exec 3>&-
pass "--max-connections 1 ignores a second client; the first is still served"

# A client that dies without close_notify and comes back on the same port
# (RFC 6347 4.2.8): its new ClientHello reaches the old connection, the front
# door answers it with a cookie, and the new connection replaces the old one.
start_dtls_server restart --cert server.pem --key server.key --echo --stats --stats-interval 60
port=$(free_udp_port)
connect crashed 3 --local-port "$port"
echo "before the crash" >&3
wait_for_text crashed.out '^before the crash$' 5
pkill -KILL -P "$crashed_pid"  # the client itself, not its timeout wrapper: no close_notify
wait "$crashed_pid" 2>/dev/null || true
exec 3>&-
status=0
timeout 20 "$DTLS" client "127.0.0.1:$SERVER_PORT" --ca ca.pem --server-name localhost --local-port "$port" \
    --timeout 5 <<<"after the restart" >back.out 2>back.err || status=$?
[[ $status == 0 ]] || { cat back.err restart.err >&2; fail "restarted client: exit $status, expected 0"; }
expect_line back.out '^after the restart$'
expect_line restart.err "^127\.0\.0\.1:$port restarted its handshake: the new connection replaces the old one$"
wait_for_text restart.err "^127\.0\.0\.1:$port closed$" 5  # its close_notify may still be on the way
stop_server restart
expect_line restart.err '^stats: connections 0 open, 2 accepted, .*handshakes 2 done, 0 failed;'
pass "a client restarting on the same port gets a new connection"
