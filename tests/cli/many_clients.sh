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
mkfifo hold
exec 3<>hold
started=$(date +%s.%N)
pids=()
for ((i = 0; i < clients; i++)); do
    cat "in/$i" hold 3>&- | timeout 100 "$DTLS" client "127.0.0.1:$SERVER_PORT" --ca ca.pem --server-name localhost \
        --timeout 60 >"out/$i" 2>"out/$i.err" 3>&- &
    pids+=($!)
done

wait_for_text server.err "handshakes $clients done" 100
handshakes_done=$(date +%s.%N)
expect_line server.err "^stats: connections $clients open, $clients accepted"
exec 3>&-  # end of every client's input

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
