// The page a browser loads from the example: it sends audio from the
// browser's (fake) microphone to the example, which answers its offer, opens
// a data channel on which each side sends a message the other echoes, and
// reports what the browser's WebRTC statistics say once audio flows both
// ways and its message came back, as "key=value" lines posted to /result.
#pragma once

namespace webrtc_example {

inline constexpr const char* kPage = R"HTML(<!doctype html>
<html><head><meta charset="utf-8"><title>dtls WebRTC example</title></head>
<body><pre id="log"></pre><script>
const log = (line) => { document.getElementById('log').textContent += line + '\n'; };
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const post = (path, body) => fetch(path, {method: 'POST', body});

async function run() {
  const pc = new RTCPeerConnection();
  const stream = await navigator.mediaDevices.getUserMedia({audio: true});
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  // A message of ours must come back unchanged; one of the endpoint's is
  // echoed unchanged.
  // Longer than a datagram: SCTP splits it, each piece in one DTLS record.
  const ping = 'ping from the browser \u2713 ' + 'x'.repeat(3000);
  let echoed = false;
  const channel = pc.createDataChannel('echo');
  channel.onopen = () => channel.send(ping);
  channel.onmessage = (e) => {
    if (e.data === ping) echoed = true;
    else channel.send(e.data);
  };
  await pc.setLocalDescription(await pc.createOffer());
  const answer = await post('/offer', pc.localDescription.sdp);
  if (!answer.ok) throw new Error('the example refused the offer: ' + await answer.text());
  await pc.setRemoteDescription({type: 'answer', sdp: await answer.text()});
  log('answer applied');

  // Until audio has gone both ways (or 20 s): then report.
  for (let i = 0; i < 100; i++) {
    await sleep(200);
    const report = {};
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'transport') Object.assign(report, {
        dtlsState: s.dtlsState, tlsVersion: s.tlsVersion, dtlsCipher: s.dtlsCipher,
        srtpCipher: s.srtpCipher, dtlsRole: s.dtlsRole});
      if (s.type === 'inbound-rtp' && s.kind === 'audio') report.packetsReceived = s.packetsReceived;
      if (s.type === 'outbound-rtp' && s.kind === 'audio') report.packetsSent = s.packetsSent;
    });
    report.connectionState = pc.connectionState;
    if (report.dtlsState === 'failed' || pc.connectionState === 'failed') break;
    if (report.packetsReceived >= 25 && report.packetsSent >= 25 && echoed) {
      report.dataChannel = 'echoed';
      report.userAgent = navigator.userAgent;
      await post('/result', Object.entries(report).map(([k, v]) => k + '=' + v).join('\n'));
      log('reported');
      return;
    }
  }
  throw new Error('audio or data did not flow both ways within 20 s; connectionState ' + pc.connectionState +
    ', data channel ' + channel.readyState + (echoed ? ', echoed' : ', not echoed'));
}
run().catch((e) => { log(String(e)); post('/result', 'error=' + e); });
</script></body></html>
)HTML";

}  // namespace webrtc_example
