# One `dtls server --echo` serves 200 concurrent `dtls client` processes:
# every handshake completes, all 200 connections are open at once, and every
# client gets back exactly the lines it sent. Bounded: each client has 100 s,
# the whole test 300 s. Prints the wall time.
source "$(dirname "$0")/lib.sh"
require_tool openssl openssl
make_certs
clients=${1:-200}

start_dtls_server server --cert server.pem --key server.key --echo --stats --stats-interval 1 --max-connections 1000
mkdir in out
for ((i = 0; i < clients; i++)); do
    printf 'client %d says hello\nclient %d line two\nclient %d line three\n' "$i" "$i" "$i" >"in/$i"
done

# Each client's input is its own lines, then a FIFO the test holds open: the
# clients stay connected until the test closes it, so all are open at once.
# The test opens both ends once (descriptor 3 read-write, 4 read-only) and
# every `cat` reads the FIFO through an inherited copy of descriptor 4, so no
# reader opens it by name: a reader that opened it after the test closed its
# write end would wait forever for a writer.
mkfifo hold
exec 3<>hold 4<hold
started=$(date +%s.%N)
pids=()
for ((i = 0; i < clients; i++)); do
    cat "in/$i" - <&4 3>&- 4>&- | timeout 100 "$DTLS" client "127.0.0.1:$SERVER_PORT" --ca ca.pem \
        --server-name localhost --timeout 60 >"out/$i" 2>"out/$i.err" 3>&- 4>&- &
    pids+=($!)
done

wait_for_text server.err "handshakes $clients done" 100
handshakes_done=$(date +%s.%N)
expect_line server.err "^stats: connections $clients open, $clients accepted"
exec 3>&- 4<&-  # end of every client's input

# Every client now exits within a second or two (its --linger). One still
# running 30 s later is stuck: show what it and its input wait on before the
# clients' own 100 s limit ends them.
stuck_deadline=$((SECONDS + 30))
while ((SECONDS < stuck_deadline)) && pgrep -f "$DTLS client 127.0.0.1:$SERVER_PORT" >/dev/null; do sleep 0.2; done
if pgrep -f "$DTLS client 127.0.0.1:$SERVER_PORT" >/dev/null; then
    echo "--- processes still running 30 s after the end of input:" >&2
    ps -eo pid,ppid,pgid,stat,wchan:24,etime,args | grep -E "[d]tls client|[c]at in/" >&2 || true
    tail -n 3 server.err >&2
fi

failed=0
for ((i = 0; i < clients; i++)); do
    status=0
    wait "${pids[$i]}" || status=$?
    if [[ $status != 0 ]] || ! diff -q "in/$i" "out/$i" >/dev/null; then
        echo "client $i: exit $status" >&2
        cat "out/$i.err" >&2
        failed=$((failed + 1))
    fi
done
finished=$(date +%s.%N)
((failed == 0)) || fail "$failed of $clients clients failed or got wrong echoes"

stop_server server
expect_line server.err "handshakes $clients done, 0 failed"
[[ $(grep -c ' says hello$' server.out) == "$clients" ]] || fail "the server did not print every client's first line"
awk -v n="$clients" -v s="$started" -v h="$handshakes_done" -v f="$finished" 'BEGIN {
    printf "ok: %d concurrent clients, every echo matched; all handshakes done after %.2f s, all clients done after %.2f s\n",
        n, h - s, f - s }'
tail -n 1 server.err
