#!/usr/bin/env bash
# WebRTC calls between headless browsers and examples/webrtc_endpoint (our
# engine: ICE-lite, DTLS with use_srtp, SRTP through libsrtp2), with the
# endpoint as the DTLS server and as the DTLS client, for Chromium and for
# Firefox ESR. Each call must complete the handshake with the browser's
# self-signed certificate checked by its SDP fingerprint, agree on what the
# browser's own statistics report (DTLS version, cipher suite, SRTP profile,
# roles), carry audio both ways (the endpoint decrypts the browser's SRTP
# with the keys it exported and the browser reports packets received from
# it), and carry a data channel message each way, echoed back unchanged
# (SCTP in our DTLS records; the browser's is 3 KB, so SCTP splits it over
# several records). When all pass, the results go to the page
# given as second argument.
#
# Everything runs in a network namespace of its own with only a loopback
# interface, so no packet can leave the machine. Its default route goes over
# lo with source 127.0.0.1: Firefox gathers ICE candidates only on the
# default route's interface (without a camera or microphone permission of its
# own it keeps to "default addresses only"), and Chromium gathers loopback
# candidates only with --allow-loopback-in-peer-connection. Both take a fake
# microphone (Chromium: --use-fake-device-for-media-stream and
# --use-fake-ui-for-media-stream; Firefox: media.navigator.streams.fake and
# media.navigator.permission.disabled in the profile's user.js). Each
# browser runs under `timeout` in a session of its own and is killed with
# its whole process group when the call ends; the test fails if any browser
# process is left.
#
# usage: webrtc_browsers.sh path/to/webrtc_endpoint [page]
set -euo pipefail

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

ENDPOINT=$(realpath "${1:?usage: $0 path/to/webrtc_endpoint [page]}")
PAGE=${2:-}
for tool in unshare ip chromium firefox-esr; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install-deps.sh installs it)"
done

if [[ ${WEBRTC_TEST_IN_NETNS:-} != 1 ]]; then
    exec unshare --net env WEBRTC_TEST_IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
ip route add default dev lo src 127.0.0.1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dtls-webrtc-test.XXXXXX")
BROWSER_PIDS=()
cleanup() {
    local pid
    for pid in "${BROWSER_PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

CHROMIUM_VERSION=$(chromium --version 2>/dev/null | grep -Eo 'Chromium [0-9.]+')
FIREFOX_VERSION=$(firefox-esr --version 2>/dev/null | grep -Eo 'Firefox [0-9.]+(esr)?')

# start_browser NAME URL: one headless browser on the page, in a session of
# its own (its pid is its process group's id). Sets BROWSER_PID.
start_browser() {
    local name=$1 url=$2 profile=$WORK/profile-$name-$3
    mkdir -p "$profile"
    case $name in
        chromium)
            # --no-sandbox: the sandbox cannot start as root, as CI runs.
            setsid timeout 90 chromium --headless=new --no-sandbox --disable-gpu --no-first-run \
                --user-data-dir="$profile" --use-fake-device-for-media-stream --use-fake-ui-for-media-stream \
                --allow-loopback-in-peer-connection "$url" >"$profile.log" 2>&1 &
            ;;
        firefox)
            cat >"$profile/user.js" <<'PREFS'
user_pref("media.navigator.streams.fake", true);
user_pref("media.navigator.permission.disabled", true);
user_pref("media.peerconnection.ice.loopback", true);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("app.update.enabled", false);
PREFS
            setsid timeout 90 firefox-esr --headless --no-remote --profile "$profile" "$url" >"$profile.log" 2>&1 &
            ;;
    esac
    BROWSER_PID=$!
    BROWSER_PIDS+=("$BROWSER_PID")
}

# stop_browser PID: the whole process group, then a check that none is left.
stop_browser() {
    kill -KILL -- "-$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while pgrep -g "$1" >/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    ! pgrep -g "$1" >/dev/null || fail "browser processes of group $1 are still running"
}

ROWS=()
# call BROWSER ROLE VERSION: one call with our endpoint as the DTLS ROLE,
# speaking DTLS 1.2 and 1.3 (VERSION 1.3) or DTLS 1.2 only (1.2).
call() {
    local browser=$1 role=$2 max_version=$3 name="$1-$2-$3"
    timeout 80 "$ENDPOINT" --role "$role" --max-version "$max_version" --timeout 60 >"$name.out" 2>&1 &
    local endpoint=$!
    local deadline=$((SECONDS + 10))
    until grep -q '^page: ' "$name.out" || ((SECONDS > deadline)); do sleep 0.05; done
    local url
    url=$(sed -n 's/^page: //p' "$name.out")
    [[ -n $url ]] || fail "$name: the endpoint did not start: $(cat "$name.out")"
    start_browser "$browser" "$url" "$role-$max_version"
    local status=0
    wait "$endpoint" || status=$?
    stop_browser "$BROWSER_PID"
    sed "s/^/  $name: /" "$name.out"
    ((status == 0)) || fail "$name: the call did not succeed (endpoint exit status $status)"

    # The page keeps what is the same on every run: the datagram counts,
    # not the times or bytes (signature lengths vary), which the log shows.
    local dtls datagrams version
    dtls=$(grep -m1 '^dtls: ' "$name.out" | sed 's/^dtls: //; s/, we are the .*//')
    datagrams=$(grep -m1 '^handshake: ' "$name.out" |
        sed -E 's/^handshake: [0-9]+ ms, ([0-9]+) datagrams? \([0-9]+ bytes\) received, ([0-9]+) .*/\1 in, \2 out/')
    version=$([[ $browser == chromium ]] && echo "$CHROMIUM_VERSION" || echo "$FIREFOX_VERSION")
    IFS=',' read -r dtls_version suite group srtp <<<"$dtls"
    [[ $dtls_version == "DTLS $max_version" ]] ||
        fail "$name: $dtls_version, where the browser could speak DTLS $max_version with us"
    ROWS+=("| $version | $role | $([[ $max_version == 1.2 ]] && echo "1.2" || echo "1.2, 1.3") | $dtls_version | ${suite# } | ${group# } | ${srtp# SRTP } | $datagrams | yes | yes |")
    echo "ok: $version, endpoint as DTLS $role: $dtls"
}

for browser in chromium firefox; do
    for max_version in 1.3 1.2; do
        for role in server client; do
            call "$browser" "$role" "$max_version"
        done
    done
done

if [[ -n $PAGE ]]; then
    {
        cat <<'TEXT'
# Interoperability: browsers (WebRTC)

Generated by the browser test (`ctest -R browser_webrtc`, which runs `tests/browser/webrtc_browsers.sh`); do not
edit by hand. It is written only when every call passes.

Headless Chromium and Firefox ESR (Debian 12 packages) call `examples/webrtc_endpoint` over loopback in a network
namespace: ICE-lite, each side's self-signed certificate checked by the fingerprint in the other's SDP, use_srtp, and
Opus audio both ways through SRTP (libsrtp2 on our side, with the keys from `dtls::srtp_keys()`), and a data channel
the browser opens (SCTP through usrsctp on our side, in our DTLS records) on which each side's message comes back
unchanged from the other (the browser's is 3 KB, more than one record holds). "Our role" is the
endpoint's DTLS role. "We speak": the endpoint offers or accepts DTLS 1.2 and 1.3, so the version agreed is the
newest the browser offers, or DTLS 1.2 only. In every row the browser's own statistics (RTCTransportStats) report
the same version, cipher suite, SRTP profile and roles as we do, or the call fails. Handshake datagrams: those of our
connection until the handshake's end (as a server, the stateless cookie exchange before it is not counted). Audio:
at least 25 Opus packets each way, decrypted by libsrtp2 on our side and counted in the browser's inbound-rtp
statistics on its side.

| Browser | Our role | We speak | DTLS version | Cipher suite | Group | SRTP profile | Handshake datagrams | Audio both ways | Data channel echo both ways |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
TEXT
        printf '%s\n' "${ROWS[@]}"
    } >"$PAGE"
fi
echo "all browser calls passed"
