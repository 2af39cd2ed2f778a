// CoAP over DTLS (RFC 7252 section 9) on our sans-I/O engine: one program, two
// modes.
//
//   coap_server --cert server.pem --key server.key [--ca ca.pem] [--port N] [--dtls12]
//       answers GET coaps://127.0.0.1:N/hello with 2.05 Content "hello from dtls"
//   coap_server --get coaps://127.0.0.1:N/some/path --ca ca.pem [--cert c.pem --key c.key]
//       [--no-verify] [--dtls12]
//       sends one confirmable GET and prints the response payload on stdout
// Either mode also takes a pre-shared key (--psk-identity ID --psk-key HEX;
// a server accepts that one identity), besides or instead of certificates,
// or raw public keys instead of certificates (--rpk-key: our key pair, sent
// as a bare public key; --rpk-peer: the peer's PUBLIC KEY PEM to trust, which
// makes a server require the client's key).
//
// Both are a plain poll() loop over one non-blocking UDP socket on 127.0.0.1,
// sleeping until the socket is readable or the engine's next_timeout().
// Diagnostics go to stderr; stdout carries only the payload (client).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "coap.hpp"
#include "dtls/dtls.hpp"

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }

struct Options {
    std::string get_url;  // client mode when set
    std::string cert, key, ca;
    std::string psk_identity, psk_key_hex;
    std::string rpk_key, rpk_peer;
    uint16_t port = 0;  // server: 0 lets the kernel choose (printed on stderr)
    bool verify = true;
    bool dtls12_only = false;
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "coap_server: %s\n"
                 "usage: coap_server --cert FILE --key FILE [--ca FILE] [--port N] [--dtls12]\n"
                 "       coap_server --get coaps://127.0.0.1:PORT/PATH [--ca FILE] [--no-verify]\n"
                 "                   [--cert FILE --key FILE] [--dtls12]\n"
                 "       either mode: [--psk-identity ID --psk-key HEX] [--rpk-key FILE] [--rpk-peer FILE]\n",
                 why);
    std::exit(2);
}

Options parse_arguments(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
            return argv[++i];
        };
        if (arg == "--get") options.get_url = next();
        else if (arg == "--cert") options.cert = next();
        else if (arg == "--key") options.key = next();
        else if (arg == "--ca") options.ca = next();
        else if (arg == "--port") options.port = static_cast<uint16_t>(std::stoul(next()));
        else if (arg == "--no-verify") options.verify = false;
        else if (arg == "--dtls12") options.dtls12_only = true;
        else if (arg == "--psk-identity") options.psk_identity = next();
        else if (arg == "--psk-key") options.psk_key_hex = next();
        else if (arg == "--rpk-key") options.rpk_key = next();
        else if (arg == "--rpk-peer") options.rpk_peer = next();
        else usage(("unknown argument " + arg).c_str());
    }
    if (options.cert.empty() != options.key.empty()) usage("--cert and --key go together");
    if (options.psk_identity.empty() != options.psk_key_hex.empty()) usage("--psk-identity and --psk-key go together");
    if (!options.cert.empty() && !(options.rpk_key.empty() && options.rpk_peer.empty())) {
        usage("--cert excludes --rpk-key and --rpk-peer");
    }
    return options;
}

// coaps://HOST:PORT/a/b -> an IPv4 address and the path segments. Only a
// numeric IPv4 host: this example speaks on loopback and resolves nothing.
struct Url {
    sockaddr_in address{};
    std::vector<std::string> path;
};

std::optional<Url> parse_url(const std::string& text) {
    const std::string scheme = "coaps://";
    if (text.rfind(scheme, 0) != 0) return std::nullopt;
    std::string rest = text.substr(scheme.size());
    std::string authority = rest.substr(0, rest.find('/'));
    std::string path = rest.size() > authority.size() ? rest.substr(authority.size() + 1) : "";
    Url url;
    url.address.sin_family = AF_INET;
    url.address.sin_port = htons(5684);  // the default coaps port (section 12.7)
    if (auto colon = authority.rfind(':'); colon != std::string::npos) {
        url.address.sin_port = htons(static_cast<uint16_t>(std::atoi(authority.substr(colon + 1).c_str())));
        authority.resize(colon);
    }
    if (inet_pton(AF_INET, authority.c_str(), &url.address.sin_addr) != 1) return std::nullopt;
    // Each segment is one Uri-Path option; an empty path (the root) is none.
    size_t start = 0;
    while (start < path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        url.path.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return url;
}

int open_socket() {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        std::perror("socket");
        std::exit(1);
    }
    return fd;
}

// Waits until the socket is readable or `wake` comes, whichever is first.
void wait_readable(int fd, std::optional<dtls::Instant> wake) {
    int timeout_ms = -1;
    if (wake) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(*wake - dtls::Clock::now());
        timeout_ms = static_cast<int>(std::clamp<long long>(left.count(), 0, 60'000));
    }
    pollfd entry{fd, POLLIN, 0};
    if (poll(&entry, 1, timeout_ms) < 0 && errno != EINTR) {
        std::perror("poll");
        std::exit(1);
    }
}

std::optional<dtls::Instant> earliest(std::optional<dtls::Instant> a, std::optional<dtls::Instant> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

template <typename T>
T or_exit(dtls::Result<T> result) {
    if (!result) {
        std::fprintf(stderr, "coap_server: %s\n", result.error().to_string().c_str());
        std::exit(1);
    }
    return std::move(*result);
}

// "0a1b..." -> bytes; exits on anything else.
std::vector<uint8_t> parse_hex(const std::string& text) {
    auto digit = [](char c) -> uint8_t {
        if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
        usage("--psk-key takes hex digits");
    };
    if (text.size() % 2 != 0) usage("--psk-key takes an even number of hex digits");
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i < text.size(); i += 2) {
        bytes.push_back(static_cast<uint8_t>(digit(text[i]) << 4 | digit(text[i + 1])));
    }
    return bytes;
}

dtls::Config base_config(const Options& options) {
    dtls::Config config;
    if (options.dtls12_only) config.max_version = dtls::ProtocolVersion::dtls1_2;
    if (!options.cert.empty()) {
        config.credential = std::make_shared<const dtls::Credential>(
            or_exit(dtls::Credential::from_files(options.cert, options.key)));
    }
    config.ca_file = options.ca;
    if (!options.rpk_key.empty() || !options.rpk_peer.empty()) {
        // Raw public keys only (RFC 7250): what we send and what we take.
        config.certificate_types = {dtls::CertificateType::raw_public_key};
    }
    if (!options.rpk_key.empty()) {
        config.credential = std::make_shared<const dtls::Credential>(
            or_exit(dtls::Credential::raw_public_key_from_file(options.rpk_key)));
    }
    if (!options.rpk_peer.empty()) {
        config.trusted_raw_public_keys = {or_exit(dtls::public_key_from_file(options.rpk_peer))};
        config.client_auth = dtls::ClientAuth::require;  // server only: the peer is the client
    }
    if (!options.psk_identity.empty()) {
        // PreSharedKey wipes its copy; the key came on the command line, so
        // this example does not try to wipe the others.
        config.psk.emplace(options.psk_identity, parse_hex(options.psk_key_hex));
        // Without a credential, keep only what a PSK can do: the DTLS 1.3
        // suites with SHA-256 (the hash of an external PSK) and the PSK suites.
        if (!config.credential) {
            config.cipher_suites = {dtls::CipherSuite::aes128_gcm_sha256, dtls::CipherSuite::aes128_ccm_sha256};
        }
        // TLS_PSK_WITH_AES_128_CCM_8 is the suite RFC 7925 4.2 (and RFC 7252
        // 9.1.3.1) requires of CoAP PSK peers, so it comes first: a server
        // picks it from any client that offers it. The others are for peers
        // that leave out 8-byte tags.
        for (dtls::CipherSuite suite : {dtls::CipherSuite::psk_aes128_ccm8, dtls::CipherSuite::psk_aes128_ccm,
                                        dtls::CipherSuite::psk_aes128_gcm_sha256}) {
            config.cipher_suites.push_back(suite);
        }
    }
    return config;
}

// The version and suite, and how the sides authenticated when that was not
// with certificates: the PSK identity the client sent, raw public keys.
void print_connected(const char* what, const dtls::Connection& connection, bool server) {
    const dtls::Negotiated& n = connection.negotiated();
    std::fprintf(stderr, "%s: %s, %s", what, dtls::to_string(n.version), dtls::to_string(n.cipher_suite));
    if (!n.psk_identity.empty()) std::fprintf(stderr, ", PSK identity \"%s\"", n.psk_identity.c_str());
    if (n.server_certificate_type == dtls::CertificateType::raw_public_key) {
        std::fprintf(stderr, ", server raw public key");
    }
    if (server && !n.peer_raw_public_key.empty()) std::fprintf(stderr, ", client raw public key");
    std::fputc('\n', stderr);
}

// ----------------------------------------------------------------- server

// The answer to one request, or nothing for a message that gets none.
std::optional<coap::Message> answer(const coap::Message& request, uint16_t& next_message_id) {
    coap::Message response;
    response.token = request.token;
    if (request.type == coap::Type::confirmable) {
        // Piggybacked: the ACK carries the response, with the request's
        // message ID (which is what matches it) and token (section 5.2.1).
        response.type = coap::Type::acknowledgement;
        response.message_id = request.message_id;
    } else if (request.type == coap::Type::non_confirmable) {
        response.type = coap::Type::non_confirmable;
        response.message_id = next_message_id++;
    } else {
        return std::nullopt;  // an ACK or RST from the client: we never send CON, nothing to match
    }
    if (request.code == coap::empty) {
        // A CoAP ping (empty CON) is answered with a RST (section 4.3).
        if (request.type != coap::Type::confirmable) return std::nullopt;
        coap::Message reset;
        reset.type = coap::Type::reset;
        reset.message_id = request.message_id;
        return reset;
    }
    if ((request.code >> 5) != 0) return std::nullopt;  // a response sent to a server: ignore
    // The critical options this server acts on or may safely ignore: the
    // URI parts, Accept (only text/plain exists here) and Block2 (the answer
    // is small enough to go whole, which a Block2 request allows).
    auto understood = [](uint16_t number) {
        return number == coap::option_uri_host || number == coap::option_uri_port ||
               number == coap::option_uri_path || number == coap::option_uri_query ||
               number == coap::option_accept || number == coap::option_block2;
    };
    bool unknown_critical = std::any_of(request.options.begin(), request.options.end(), [&](const coap::Option& o) {
        return coap::critical(o.number) && !understood(o.number);
    });
    if (unknown_critical && request.type == coap::Type::non_confirmable) {
        // Section 5.4.1: a NON with an unrecognised critical option is
        // rejected, which section 4.3 says is a RST.
        coap::Message reset;
        reset.type = coap::Type::reset;
        reset.message_id = request.message_id;
        return reset;
    }
    if (unknown_critical) {
        response.code = coap::bad_option;  // section 5.4.1: 4.02 to a CON
    } else if (request.code != coap::get) {
        response.code = coap::method_not_allowed;
    } else if (request.path() != "hello") {
        response.code = coap::not_found;
    } else {
        response.code = coap::content;
        response.options.push_back({coap::option_content_format, coap::uint_value(coap::text_plain)});
        const std::string text = "hello from dtls";
        response.payload.assign(text.begin(), text.end());
    }
    return response;
}

int run_server(const Options& options) {
    if (options.cert.empty() && options.rpk_key.empty() && options.psk_identity.empty()) {
        usage("the server needs --cert and --key, --rpk-key or --psk-identity and --psk-key");
    }
    dtls::Config config = base_config(options);
    auto endpoint = dtls::Endpoint::create(config, dtls::Clock::now());
    if (!endpoint) {
        std::fprintf(stderr, "coap_server: %s\n", endpoint.error().to_string().c_str());
        return 1;
    }
    int fd = open_socket();
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(options.port);
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof local;
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
        std::perror("bind");
        return 1;
    }
    std::fprintf(stderr, "listening on 127.0.0.1:%u\n", ntohs(local.sin_port));

    uint16_t next_message_id = static_cast<uint16_t>(std::random_device{}());
    std::vector<uint8_t> buffer(65536), out, to;
    while (!stop_requested) {
        wait_readable(fd, endpoint->next_timeout());
        dtls::Instant now = dtls::Clock::now();
        for (;;) {
            sockaddr_in from{};
            socklen_t from_length = sizeof from;
            ssize_t n = recvfrom(fd, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &from_length);
            if (n < 0) break;  // EAGAIN: drained (an ICMP error from a gone client is no reason to stop)
            // The sockaddr bytes are the peer's name: stable, and directly
            // usable as the destination of what the endpoint sends back.
            auto* bytes = reinterpret_cast<const uint8_t*>(&from);
            endpoint->handle_datagram({bytes, from_length}, {buffer.data(), static_cast<size_t>(n)}, now);
        }
        if (auto wake = endpoint->next_timeout(); wake && *wake <= now) endpoint->handle_timeout(now);
        while (auto event = endpoint->poll_event()) {
            auto* e = std::get_if<dtls::Event>(&event->what);
            if (!e) continue;
            if (std::holds_alternative<dtls::event::HandshakeComplete>(*e)) {
                if (const dtls::Connection* c = endpoint->connection(event->connection)) {
                    print_connected("handshake done", *c, true);
                }
            } else if (auto* data = std::get_if<dtls::event::ApplicationData>(e)) {
                // One record is one CoAP message (section 9.1.1: one DTLS
                // record per datagram carries exactly one message).
                auto request = coap::parse(data->data);
                if (!request) {
                    std::fprintf(stderr, "malformed CoAP message (%zu bytes) ignored\n", data->data.size());
                    continue;
                }
                std::fprintf(stderr, "request %s /%s\n", coap::code_string(request->code).c_str(),
                             request->path().c_str());
                if (auto response = answer(*request, next_message_id)) {
                    (void)endpoint->send(event->connection, coap::encode(*response), now);
                }
            } else if (std::holds_alternative<dtls::event::Closed>(*e)) {
                std::fprintf(stderr, "closed\n");
            } else if (auto* failed = std::get_if<dtls::event::Failed>(e)) {
                std::fprintf(stderr, "connection failed: %s\n", failed->error.to_string().c_str());
            }
        }
        while (endpoint->poll_datagram(out, to)) {
            (void)sendto(fd, out.data(), out.size(), 0, reinterpret_cast<const sockaddr*>(to.data()),
                         static_cast<socklen_t>(to.size()));
        }
    }
    // A polite goodbye on SIGTERM: close_notify to every client.
    endpoint->close_all(dtls::Clock::now());
    while (endpoint->poll_datagram(out, to)) {
        (void)sendto(fd, out.data(), out.size(), 0, reinterpret_cast<const sockaddr*>(to.data()),
                     static_cast<socklen_t>(to.size()));
    }
    close(fd);
    return 0;
}

// ----------------------------------------------------------------- client

int run_client(const Options& options) {
    auto url = parse_url(options.get_url);
    if (!url) usage("--get takes coaps://IPv4:PORT/PATH");
    dtls::Config config = base_config(options);
    config.verify_peer = options.verify;
    // The URL names an IP address, which the server's certificate lists as
    // an IP subjectAltName; we send no SNI for an address (RFC 6066 3).
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &url->address.sin_addr, host, sizeof host);
    config.server_name = host;

    int fd = open_socket();
    // connect(): only the server's datagrams arrive, and a closed port shows
    // up as ECONNREFUSED instead of a silent retransmission loop.
    if (connect(fd, reinterpret_cast<const sockaddr*>(&url->address), sizeof url->address) != 0) {
        std::perror("connect");
        return 1;
    }
    auto connection = dtls::Connection::client(config, dtls::Clock::now());
    if (!connection) {
        std::fprintf(stderr, "coap_server: %s\n", connection.error().to_string().c_str());
        return 1;
    }
    dtls::Connection& conn = *connection;

    std::mt19937 random(std::random_device{}());
    coap::Message request;
    request.type = coap::Type::confirmable;
    request.code = coap::get;
    request.message_id = static_cast<uint16_t>(random());
    for (int i = 0; i < 4; ++i) request.token.push_back(static_cast<uint8_t>(random()));
    for (const std::string& segment : url->path) {
        request.options.push_back({coap::option_uri_path, std::vector<uint8_t>(segment.begin(), segment.end())});
    }
    const std::vector<uint8_t> request_bytes = coap::encode(request);

    // CoAP's own retransmission of the CON (section 4.2): DTLS retransmits
    // only handshake flights, a lost application record is CoAP's to resend.
    // ACK_TIMEOUT 2 s doubled each time, MAX_RETRANSMIT 4 (no random factor).
    std::optional<dtls::Instant> coap_resend;
    auto coap_timeout = std::chrono::seconds(2);
    int coap_sends = 0;
    bool acknowledged = false;  // an empty ACK: the response comes separately
    int exit_code = 1;
    bool done = false;
    const dtls::Instant give_up = dtls::Clock::now() + std::chrono::seconds(60);

    std::vector<uint8_t> out, buffer(65536);
    auto send_request = [&](dtls::Instant now) {
        (void)conn.send(request_bytes, now);
        coap_resend = now + coap_timeout * (1 << coap_sends);
        ++coap_sends;
    };
    auto on_message = [&](const coap::Message& m, dtls::Instant now) {
        if (m.type == coap::Type::reset && m.message_id == request.message_id) {
            std::fprintf(stderr, "the server reset the request\n");
            done = true;
            return;
        }
        if (m.type == coap::Type::acknowledgement && m.message_id == request.message_id && m.code == coap::empty) {
            acknowledged = true;  // separate response follows (section 5.2.2)
            coap_resend.reset();
            return;
        }
        if ((m.code >> 5) < 2 || m.token != request.token) return;  // not a response to ours
        if (m.type == coap::Type::acknowledgement && m.message_id != request.message_id) return;
        if (m.type == coap::Type::confirmable) {
            // A separate response is itself confirmable: acknowledge it.
            coap::Message ack;
            ack.type = coap::Type::acknowledgement;
            ack.message_id = m.message_id;
            (void)conn.send(coap::encode(ack), now);
        }
        std::fprintf(stderr, "response %s, %zu bytes of payload\n", coap::code_string(m.code).c_str(),
                     m.payload.size());
        std::fwrite(m.payload.data(), 1, m.payload.size(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
        exit_code = (m.code >> 5) == 2 ? 0 : 1;
        done = true;
    };
    auto drain = [&](dtls::Instant now) {
        while (conn.poll_datagram(out)) (void)send(fd, out.data(), out.size(), 0);
        while (auto event = conn.poll_event()) {
            if (std::holds_alternative<dtls::event::HandshakeComplete>(*event)) {
                print_connected("connected", conn, false);
                send_request(now);
            } else if (auto* data = std::get_if<dtls::event::ApplicationData>(&*event)) {
                if (auto m = coap::parse(data->data)) on_message(*m, now);
                else std::fprintf(stderr, "malformed CoAP message ignored\n");
            } else if (std::holds_alternative<dtls::event::Closed>(*event)) {
                std::fprintf(stderr, "the server closed the connection\n");
                done = true;
            } else if (auto* failed = std::get_if<dtls::event::Failed>(&*event)) {
                std::fprintf(stderr, "DTLS failed: %s\n", failed->error.to_string().c_str());
                done = true;
            }
            while (conn.poll_datagram(out)) (void)send(fd, out.data(), out.size(), 0);
        }
    };

    drain(dtls::Clock::now());  // the ClientHello
    while (!done && !stop_requested) {
        wait_readable(fd, earliest(earliest(conn.next_timeout(), coap_resend), give_up));
        dtls::Instant now = dtls::Clock::now();
        for (;;) {
            ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
                std::perror("recv");  // ECONNREFUSED: nothing listens there
                return 1;
            }
            conn.handle_datagram({buffer.data(), static_cast<size_t>(n)}, now);
        }
        if (auto wake = conn.next_timeout(); wake && *wake <= now) conn.handle_timeout(now);
        if (coap_resend && *coap_resend <= now && !acknowledged) {
            if (coap_sends > 4) {
                std::fprintf(stderr, "no CoAP response after %d transmissions\n", coap_sends);
                done = true;
            } else {
                send_request(now);
            }
        }
        if (now >= give_up) {
            std::fprintf(stderr, "gave up after 60 s\n");
            done = true;
        }
        drain(now);
    }
    if (conn.state() == dtls::State::established) {
        conn.close(dtls::Clock::now());
        while (conn.poll_datagram(out)) (void)send(fd, out.data(), out.size(), 0);
    }
    close(fd);
    return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
    Options options = parse_arguments(argc, argv);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    return options.get_url.empty() ? run_server(options) : run_client(options);
}
