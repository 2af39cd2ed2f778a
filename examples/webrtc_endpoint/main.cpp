// A WebRTC endpoint a browser can call on loopback, built on dtls: ICE-lite
// (it only answers the browser's connectivity checks), an SDP answer with
// our certificate's fingerprint, DTLS in the role given on the command line
// with use_srtp and the browser's certificate checked by the fingerprint in
// its offer, SRTP through libsrtp2 with the keys the handshake exported (it
// decrypts the browser's audio and sends audio of its own back), and a data
// channel over SCTP (usrsctp) in our DTLS records, on which it echoes the
// browser's message and has its own echoed.
//
// usage: webrtc_endpoint --role client|server [--max-version 1.2|1.3]
//                        [--timeout SECONDS]
// It prints "page: http://127.0.0.1:PORT/" once listening; a browser that
// opens the page makes the call, and the endpoint prints what both sides
// agreed and saw, then exits 0 if audio and data went both ways.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "dtls/certificate.hpp"
#include "dtls/demux.hpp"
#include "dtls/dtls.hpp"
#include "data_channel.hpp"
#include "dtls/srtp.hpp"
#include "http_server.hpp"
#include "page.hpp"
#include "sdp.hpp"
#include "srtp_session.hpp"
#include "stun.hpp"

namespace webrtc_example {
namespace {

using dtls::Clock;
using dtls::Instant;

constexpr auto kAudioInterval = std::chrono::milliseconds(20);
constexpr size_t kEnoughPackets = 25;
// usrsctp's timers run when we say; 10 ms is finer than any of them needs.
constexpr auto kSctpTimerInterval = std::chrono::milliseconds(10);
constexpr const char* kOurPing = "ping from dtls \xE2\x9C\x93";  // U+2713, to carry UTF-8 both ways

// ICE credentials from RFC 8839's ice-char set.
std::string random_ice_string(size_t length) {
    static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::vector<unsigned char> bytes(length);
    RAND_bytes(bytes.data(), static_cast<int>(length));
    std::string out;
    for (unsigned char b : bytes) out += kChars[b % 64];
    return out;
}

class Endpoint {
public:
    Endpoint(bool dtls_client, dtls::ProtocolVersion max_version, std::shared_ptr<dtls::Credential> credential)
        : dtls_client_(dtls_client), credential_(std::move(credential)),
          http_(0, [this](const HttpRequest& r) { return on_http(r); }) {
        udp_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (udp_ < 0 || ::bind(udp_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::getsockname(udp_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            udp_port_ = 0;
            return;
        }
        udp_port_ = ntohs(address.sin_port);
        config_.max_version = max_version;
    }
    ~Endpoint() {
        if (udp_ >= 0) ::close(udp_);
    }

    bool ready() const { return udp_port_ != 0 && http_.port() != 0; }
    int http_port() const { return http_.port(); }

    // Runs until the browser reports, the call fails, or `deadline`.
    int run(Instant deadline) {
        for (;;) {
            if (finished_) return outcome();
            Instant now = Clock::now();
            if (now >= deadline) {
                std::printf("error: no report from the browser in time\n");
                return outcome_failed();
            }
            Instant wake = deadline;
            if (connection_ && connection_->next_timeout()) wake = std::min(wake, *connection_->next_timeout());
            if (srtp_) wake = std::min(wake, next_audio_);
            if (data_) wake = std::min(wake, last_sctp_timers_ + kSctpTimerInterval);
            std::vector<pollfd> fds{{udp_, POLLIN, 0}};
            http_.add_poll_fds(fds);
            const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
            ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait)) + 1);
            now = Clock::now();
            if (fds[0].revents & POLLIN) read_udp(now);
            http_.handle(fds);
            if (connection_) {
                connection_->handle_timeout(now);
                drain(now);
            }
            if (srtp_ && now >= next_audio_) send_audio(now);
            if (data_ && now >= last_sctp_timers_ + kSctpTimerInterval) {
                now_ = now;
                const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_sctp_timers_);
                last_sctp_timers_ = now;
                data_->handle_timers(static_cast<uint32_t>(elapsed.count()));
                drain(now);
            }
        }
    }

private:
    HttpResponse on_http(const HttpRequest& request) {
        if (request.method == "GET" && request.path == "/") return {200, "text/html", kPage};
        if (request.method == "POST" && request.path == "/offer") return on_offer(request.body);
        if (request.method == "POST" && request.path == "/result") {
            std::printf("browser report:\n%s\n", request.body.c_str());
            browser_report_ = request.body;
            finished_ = true;
            return {200, "text/plain", "ok"};
        }
        return {404, "text/plain", "not found"};
    }

    HttpResponse on_offer(const std::string& sdp) {
        std::string error;
        std::optional<Offer> offer = parse_offer(sdp, error);
        if (!offer) return {400, "text/plain", error};
        config_.credential = credential_;
        config_.peer_fingerprints = offer->fingerprints;
        config_.srtp_profiles = {dtls::SrtpProfile::aead_aes_128_gcm, dtls::SrtpProfile::aes128_cm_hmac_sha1_80};
        config_.client_auth = dtls::ClientAuth::require;  // RFC 8827 6.5: both sides show a certificate
        if (!dtls_client_) {
            auto server = dtls::Server::create(config_, Clock::now());
            if (!server) return {400, "text/plain", server.error().to_string()};
            server_.emplace(std::move(*server));
        } else {
            config_.client_auth = dtls::ClientAuth::none;
        }
        Answer answer{ice_ufrag_, ice_password_,
                      dtls::certificate_fingerprint(credential_->chain().front()),
                      dtls_client_, "127.0.0.1", udp_port_, ssrc_};
        std::printf("offer: %zu fingerprint(s), Opus payload type %d; we are the DTLS %s\n",
                    offer->fingerprints.size(), offer->opus_payload_type, dtls_client_ ? "client" : "server");
        payload_type_ = static_cast<uint8_t>(offer->opus_payload_type);
        offer_sctp_port_ = offer->sctp_port;
        have_offer_ = true;
        return {200, "application/sdp", write_answer(*offer, answer)};
    }

    void read_udp(Instant now) {
        std::vector<uint8_t> datagram(2048);
        sockaddr_in from{};
        socklen_t from_length = sizeof from;
        for (;;) {
            datagram.resize(2048);
            ssize_t n = ::recvfrom(udp_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&from),
                                   &from_length);
            if (n < 0) return;
            datagram.resize(static_cast<size_t>(n));
            switch (dtls::classify_datagram(datagram)) {
                case dtls::DatagramKind::stun: on_stun(datagram, from, now); break;
                case dtls::DatagramKind::dtls: on_dtls(datagram, from, now); break;
                case dtls::DatagramKind::rtp_rtcp: on_srtp(datagram); break;
                default: break;  // RFC 7983: anything else is dropped
            }
        }
    }

    void on_stun(const std::vector<uint8_t>& request, const sockaddr_in& from, Instant now) {
        if (!have_offer_) return;
        auto response = answer_binding_request(request, ice_ufrag_, ice_password_, from);
        if (!response) return;
        send_to(*response, from);
        if (!peer_) {
            peer_ = from;
            std::printf("ice: connectivity check answered\n");
        }
        // The DTLS client starts once ICE has found the path.
        if (dtls_client_ && !connection_) {
            auto client = dtls::Connection::client(config_, now);
            if (!client) {
                std::printf("error: %s\n", client.error().to_string().c_str());
                finished_ = true;
                return;
            }
            connection_.emplace(std::move(*client));
            handshake_started_ = now;
            drain(now);
        }
    }

    void on_dtls(const std::vector<uint8_t>& datagram, const sockaddr_in& from, Instant now) {
        if (!handshake_started_) handshake_started_ = now;
        if (connection_) {
            connection_->handle_datagram(datagram, now);
        } else if (server_) {
            std::vector<uint8_t> reply;
            const auto* address = reinterpret_cast<const uint8_t*>(&from);
            auto answer = server_->handle_datagram({address, sizeof from}, datagram, now, reply);
            if (answer.outcome == dtls::Server::Outcome::reply) send_to(reply, from);
            if (answer.outcome == dtls::Server::Outcome::accepted) connection_.emplace(std::move(*answer.connection));
        }
        if (connection_) drain(now);
    }

    void on_srtp(std::vector<uint8_t>& packet) {
        if (!srtp_) return;
        const bool rtcp = is_rtcp(packet);
        if (srtp_->unprotect(packet)) {
            ++(rtcp ? rtcp_received_ : rtp_received_);
        } else {
            ++srtp_failures_;
        }
    }

    // Until the connection has nothing more: handling an event can queue
    // datagrams (an SCTP packet answered at once).
    void drain(Instant now) {
        now_ = now;
        std::vector<uint8_t> datagram;
        for (bool more = true; more;) {
            while (connection_->poll_datagram(datagram)) {
                if (peer_) send_to(datagram, *peer_);
            }
            more = false;
            while (auto event = connection_->poll_event()) {
                more = true;
                if (std::holds_alternative<dtls::event::HandshakeComplete>(*event)) on_handshake_complete(now);
                if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                    if (data_) data_->handle_packet(data->data);
                }
                if (auto* failed = std::get_if<dtls::event::Failed>(&*event)) {
                    std::printf("error: DTLS failed: %s\n", failed->error.to_string().c_str());
                    finished_ = true;
                }
            }
        }
    }

    // SCTP over DTLS (RFC 8261): each SCTP packet is one record.
    void start_data_channels(Instant now) {
        data_.emplace(
            [this](std::span<const uint8_t> packet) {
                if (dtls::Status s = connection_->send(packet, now_); !s) {
                    std::printf("error: an SCTP packet of %zu bytes: %s\n", packet.size(),
                                s.error().to_string().c_str());
                    ++sctp_packets_refused_;
                }
            },
            [this](uint16_t stream, const std::string& text) { on_channel_message(stream, text); },
            [this](uint16_t stream, const std::string& label) {
                std::printf("data channel \"%s\" opened by the browser on stream %u\n", label.c_str(), stream);
                data_->send_text(stream, kOurPing);
            });
        last_sctp_timers_ = now;
        std::string error;
        if (!data_->start(static_cast<uint16_t>(answer_sctp_port_), static_cast<uint16_t>(offer_sctp_port_),
                          connection_->max_payload(), error)) {
            std::printf("error: %s\n", error.c_str());
            finished_ = true;
        }
    }

    // Our message back: the channel works both ways. Anything else is the
    // browser's, echoed unchanged.
    void on_channel_message(uint16_t stream, const std::string& text) {
        if (text == kOurPing) {
            std::printf("data channel: our message came back unchanged\n");
            our_ping_returned_ = true;
        } else {
            std::printf("data channel: echoing %zu bytes\n", text.size());
            data_->send_text(stream, text);
        }
    }

    void on_handshake_complete(Instant now) {
        const dtls::Negotiated& n = connection_->negotiated();
        const dtls::Stats& stats = connection_->stats();
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(now - *handshake_started_);
        std::printf("dtls: %s, %s, %s, SRTP %s, we are the %s\n", dtls::to_string(n.version),
                    dtls::to_string(n.cipher_suite), dtls::to_string(n.group),
                    n.srtp_profile ? dtls::to_string(*n.srtp_profile) : "none",
                    connection_->role() == dtls::Role::client ? "client" : "server");
        // Counted from our first DTLS datagram in or out; as a server, the
        // front door's cookie exchange is not in the connection's counts.
        std::printf("handshake: %lld ms, %llu datagrams (%llu bytes) received, %llu (%llu bytes) sent\n",
                    static_cast<long long>(took.count()), static_cast<unsigned long long>(stats.datagrams_received),
                    static_cast<unsigned long long>(stats.bytes_received),
                    static_cast<unsigned long long>(stats.datagrams_sent),
                    static_cast<unsigned long long>(stats.bytes_sent));
        negotiated_ = n;
        auto keys = dtls::srtp_keys(*connection_);
        if (!keys) {
            std::printf("error: %s\n", keys.error().to_string().c_str());
            finished_ = true;
            return;
        }
        srtp_.emplace(*keys, connection_->role());
        if (!srtp_->error().empty()) {
            std::printf("error: %s\n", srtp_->error().c_str());
            finished_ = true;
        }
        next_audio_ = now;
        start_data_channels(now);
    }

    // One 20 ms Opus packet of silence (RFC 6716 TOC 0xF8: CELT-only
    // fullband 20 ms mono, one frame; an empty frame decodes as silence).
    void send_audio(Instant now) {
        next_audio_ = now + kAudioInterval;
        if (!peer_) return;
        std::vector<uint8_t> rtp = {0x80, payload_type_};
        rtp.push_back(static_cast<uint8_t>(sequence_ >> 8));
        rtp.push_back(static_cast<uint8_t>(sequence_));
        for (int shift = 24; shift >= 0; shift -= 8) rtp.push_back(static_cast<uint8_t>(timestamp_ >> shift));
        for (int shift = 24; shift >= 0; shift -= 8) rtp.push_back(static_cast<uint8_t>(ssrc_ >> shift));
        rtp.push_back(0xF8);
        ++sequence_;
        timestamp_ += 960;  // 20 ms at 48 kHz
        if (srtp_->protect_rtp(rtp)) {
            send_to(rtp, *peer_);
            ++rtp_sent_;
        }
    }

    void send_to(const std::vector<uint8_t>& datagram, const sockaddr_in& to) {
        ::sendto(udp_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }

    bool browser_saw(const std::string& line) const {
        return ("\n" + browser_report_ + "\n").find("\n" + line + "\n") != std::string::npos;
    }

    int outcome() {
        std::printf("srtp: %zu RTP and %zu RTCP packets from the browser decrypted, %zu failed; %zu RTP sent\n",
                    rtp_received_, rtcp_received_, srtp_failures_, rtp_sent_);
        // Firefox has no transport statistics (no dtlsState): its peer
        // connection state says as much, since "connected" needs DTLS done.
        const bool browser_connected = browser_saw("connectionState=connected") &&
                                       (browser_report_.find("dtlsState=") == std::string::npos ||
                                        browser_saw("dtlsState=connected"));
        if (!negotiated_ || !negotiated_->srtp_profile || !browser_connected || rtp_received_ < kEnoughPackets ||
            rtp_sent_ < kEnoughPackets || !our_ping_returned_ || !browser_saw("dataChannel=echoed") ||
            sctp_packets_refused_ > 0) {
            return outcome_failed();
        }
        // What the browser's statistics say was agreed must be what we
        // agreed (each field only if the browser reports it).
        const std::string version = negotiated_->version == dtls::ProtocolVersion::dtls1_3 ? "FEFC" : "FEFD";
        const std::pair<const char*, std::string> agreed[] = {
            {"tlsVersion", version},
            {"dtlsCipher", dtls::to_string(negotiated_->cipher_suite)},
            {"srtpCipher", dtls::to_string(*negotiated_->srtp_profile)},
            {"dtlsRole", connection_->role() == dtls::Role::client ? "server" : "client"},
        };
        for (const auto& [key, value] : agreed) {
            if (browser_report_.find(std::string(key) + "=") != std::string::npos &&
                !browser_saw(std::string(key) + "=" + value)) {
                std::printf("error: the browser reports another %s than our %s\n", key, value.c_str());
                return outcome_failed();
            }
        }
        std::printf("result: ok\n");
        return 0;
    }
    int outcome_failed() {
        std::printf("result: failed\n");
        return 1;
    }

    const bool dtls_client_;
    std::shared_ptr<dtls::Credential> credential_;
    HttpServer http_;
    int udp_ = -1;
    int udp_port_ = 0;
    const std::string ice_ufrag_ = random_ice_string(8);
    const std::string ice_password_ = random_ice_string(24);
    const uint32_t ssrc_ = 0x0D71500D;
    dtls::Config config_;
    bool have_offer_ = false;
    std::optional<dtls::Server> server_;
    std::optional<dtls::Connection> connection_;
    std::optional<sockaddr_in> peer_;
    std::optional<Instant> handshake_started_;
    std::optional<dtls::Negotiated> negotiated_;
    std::optional<SrtpSession> srtp_;
    std::optional<DataChannels> data_;
    Instant last_sctp_timers_{};
    Instant now_{};
    int offer_sctp_port_ = 0;
    const int answer_sctp_port_ = 5000;
    bool our_ping_returned_ = false;
    size_t sctp_packets_refused_ = 0;  // larger than a record: the SCTP path MTU is wrong
    Instant next_audio_{};
    uint8_t payload_type_ = 111;
    uint16_t sequence_ = 1;
    uint32_t timestamp_ = 0;
    size_t rtp_received_ = 0, rtcp_received_ = 0, srtp_failures_ = 0, rtp_sent_ = 0;
    std::string browser_report_;
    bool finished_ = false;
};

}  // namespace
}  // namespace webrtc_example

int main(int argc, char** argv) {
    std::optional<bool> dtls_client;
    long timeout_seconds = 60;
    bool usage_error = argc % 2 == 0;
    dtls::ProtocolVersion max_version = dtls::ProtocolVersion::dtls1_3;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--role" && (value == "client" || value == "server")) {
            dtls_client = value == "client";
        } else if (flag == "--max-version" && (value == "1.2" || value == "1.3")) {
            max_version = value == "1.2" ? dtls::ProtocolVersion::dtls1_2 : dtls::ProtocolVersion::dtls1_3;
        } else if (flag == "--timeout") {
            timeout_seconds = std::strtol(value.c_str(), nullptr, 10);
        } else {
            usage_error = true;
        }
    }
    if (!dtls_client || timeout_seconds <= 0 || usage_error) {
        std::fprintf(stderr, "usage: %s --role client|server [--max-version 1.2|1.3] [--timeout SECONDS]\n", argv[0]);
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    auto credential = dtls::generate_self_signed_credential();
    if (!credential) {
        std::fprintf(stderr, "%s\n", credential.error().to_string().c_str());
        return 1;
    }
    webrtc_example::Endpoint endpoint(*dtls_client, max_version, std::make_shared<dtls::Credential>(std::move(*credential)));
    if (!endpoint.ready()) {
        std::fprintf(stderr, "cannot open the sockets on 127.0.0.1\n");
        return 1;
    }
    std::printf("page: http://127.0.0.1:%d/\n", endpoint.http_port());
    return endpoint.run(dtls::Clock::now() + std::chrono::seconds(timeout_seconds));
}
