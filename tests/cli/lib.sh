# Shared helpers for the `dtls` command-line tests. Each test script is run
# by CTest as `bash tests/cli/NAME.sh path/to/dtls [args]`, works in its own
# temporary directory on loopback only, bounds every process it starts with
# `timeout`, and stops them all on exit.
set -euo pipefail

DTLS=${1:?usage: $0 path/to/dtls}
DTLS=$(realpath "$DTLS")
shift
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dtls-cli-test.XXXXXX")
BACKGROUND=()

# kill_tree PID: SIGKILL to a `timeout` wrapper's child, then to it.
kill_tree() {
    pkill -KILL -P "$1" 2>/dev/null || true
    kill -KILL "$1" 2>/dev/null || true
}

# Stops what is still running: SIGTERM, and SIGKILL for anything still
# there 5 s later, so a stuck process cannot hold the test past CTest's limit.
cleanup() {
    local pid deadline=$((SECONDS + 5))
    for pid in "${BACKGROUND[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${BACKGROUND[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
        kill_tree "$pid"
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

pass() { echo "ok: $*"; }

# A test that needs an interop peer fails (never skips) when it is missing.
require_tool() {
    command -v "$1" >/dev/null || fail "$1 is not installed (Debian package $2; see scripts/install-deps.sh)"
}

# Runs a command in the background, bounded to `seconds`, and remembers its
# pid for cleanup. Sets LAST_PID. Redirections given to start_bg apply to
# the command (`<&0` keeps bash from giving a background job /dev/null).
# The test's FIFO ends (descriptors 3 to 6) are not inherited, so closing
# one in the test is what ends the reader's input.
# `--foreground` makes timeout pass a signal on once, to the command alone:
# without it timeout repeats the signal to its process group and adds a
# SIGCONT, which can cancel the SIGSTOP of LeakSanitizer's exit-time scan
# in a sanitizer build and leave the process spinning forever.
start_bg() {
    local seconds=$1
    shift
    timeout --foreground "$seconds" "$@" <&0 3>&- 4>&- 5>&- 6>&- &
    LAST_PID=$!
    BACKGROUND+=("$LAST_PID")
}

# wait_for_text FILE EXTENDED-REGEX [SECONDS]: polls until FILE matches.
# SECONDS is what an idle machine needs; the wait allows three times that,
# for a CI machine whose two cores run other suites at the same time (it
# returns as soon as the text is there, so only a failure takes longer).
wait_for_text() {
    local file=$1 pattern=$2 seconds=${3:-10}
    local deadline=$((SECONDS + 3 * seconds))
    until [[ -f $file ]] && grep -Eq -- "$pattern" "$file"; do
        if ((SECONDS >= deadline)); then
            echo "--- $file:" >&2
            cat "$file" >&2 2>/dev/null || true
            fail "no /$pattern/ in $file within $((3 * seconds)) s"
        fi
        sleep 0.05
    done
}

# wait_until SECONDS WHAT COMMAND...: polls until COMMAND succeeds, instead of
# sleeping a fixed time that a busy machine may not honour.
wait_until() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || fail "$what: not within $seconds s"
        sleep 0.05
    done
}

# udp_port_bound PORT: whether some socket has bound UDP port PORT.
udp_port_bound() { ss -Hlun "sport = :$1" | grep -q .; }

# expect_line FILE EXTENDED-REGEX: FILE has a line matching.
expect_line() {
    grep -Eq -- "$2" "$1" || {
        echo "--- $1:" >&2
        cat "$1" >&2
        fail "expected /$2/ in $1"
    }
}

# expect_resumption FILE EXTENDED-REGEX: the lines of FILE that match are two
# "connected to" or "handshake done" lines, of a full handshake and then of
# one that resumed its session (", resumed" at the end).
expect_resumption() {
    local lines
    lines=$(grep -E -- "$2" "$1" || true)
    if [[ $(wc -l <<<"$lines") != 2 || $(head -n 1 <<<"$lines") == *", resumed" ||
        $(tail -n 1 <<<"$lines") != *", resumed" ]]; then
        echo "--- $1:" >&2
        cat "$1" >&2
        fail "expected two /$2/ lines in $1, a full handshake and then a resumed one"
    fi
}

# start_dtls_server NAME [server options...]: a `dtls server` on an ephemeral
# port (default 127.0.0.1:0 unless --listen is given), with stdout in
# NAME.out and stderr in NAME.err. Sets SERVER_PID and SERVER_PORT. Signals
# sent to SERVER_PID reach the server once (see start_bg on --foreground).
start_dtls_server() {
    local name=$1
    shift
    local listen=(--listen 127.0.0.1:0)
    [[ " $* " == *" --listen "* ]] && listen=()
    # A file left by an earlier server of the same name must not be read as
    # this one's, nor be truncated under the reader by this one's redirect.
    rm -f "$name.out" "$name.err"
    timeout --foreground 280 "$DTLS" server "${listen[@]}" "$@" >"$name.out" 2>"$name.err" 3>&- 4>&- 5>&- 6>&- &
    SERVER_PID=$!
    BACKGROUND+=("$SERVER_PID")
    wait_for_text "$name.err" '^listening on ' 10
    SERVER_PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$name.err")
}

# wait_exit PID SECONDS: waits for a background process and sets
# EXIT_STATUS; one that has not exited within SECONDS fails the test (after
# a SIGKILL), well inside CTest's own limit.
wait_exit() {
    local pid=$1 seconds=$2
    local deadline=$((SECONDS + seconds))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
        kill_tree "$pid"
        fail "process $pid did not exit within $seconds s"
    fi
    EXIT_STATUS=0
    wait "$pid" || EXIT_STATUS=$?
}

# stop_server NAME: SIGTERM, then the server must exit 0 within 10 s.
stop_server() {
    kill -TERM "$SERVER_PID"
    wait_exit "$SERVER_PID" 10
    [[ $EXIT_STATUS == 0 ]] || {
        cat "$1.err" >&2
        fail "server exited $EXIT_STATUS after SIGTERM, expected 0"
    }
}

# A UDP port nothing listens on now, for peers that cannot pick their own.
free_udp_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 40000))
        if ! ss -Hlun "sport = :$port" | grep -q .; then
            echo "$port"
            return
        fi
    done
    fail "no free UDP port found"
}

# make_certs: in the current directory, a test CA (ca.pem), a server
# certificate for localhost, 127.0.0.1 and ::1 (server.pem, server.key), a
# client certificate (client.pem, client.key), and a second, unrelated CA
# (other-ca.pem) and key (other.key). ECDSA P-256 throughout.
make_certs() {
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=dtls test CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -x509 "${ec[@]}" -keyout other.key -out other-ca.pem -days 2 -subj "/CN=unrelated CA" 2>/dev/null
    local name
    for name in server client; do
        local usage=serverAuth san="DNS:localhost,IP:127.0.0.1,IP:::1"
        [[ $name == client ]] && usage=clientAuth san="DNS:client.test"
        openssl req "${ec[@]}" -keyout "$name.key" -out "$name.csr" -subj "/CN=$name.test" 2>/dev/null
        printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=%s\n' \
            "$san" "$usage" >"$name.ext"
        openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile "$name.ext" \
            -out "$name.pem" 2>/dev/null
    done
}
