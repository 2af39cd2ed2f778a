// Interop peer: Botan 2.19 over a UDP socket (see peer_common.h). Botan's TLS
// channel is sans-I/O like ours: this program feeds it datagrams and timer
// checks and sends what it emits.
#include <botan/auto_rng.h>
#include <botan/certstor.h>
#include <botan/credentials_manager.h>
#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/tls_callbacks.h>
#include <botan/tls_client.h>
#include <botan/tls_exceptn.h>
#include <botan/tls_messages.h>
#include <botan/tls_policy.h>
#include <botan/tls_server.h>
#include <botan/tls_session_manager.h>
#include <botan/x509cert.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "peer_common.h"
}

namespace {

using namespace Botan;

struct SuiteParts {
    const char* iana;
    const char* cipher;
    const char* signature;
};

const SuiteParts kSuites[] = {
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "AES-128/GCM", "ECDSA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "AES-256/GCM", "ECDSA"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ChaCha20Poly1305", "ECDSA"},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "AES-128/GCM", "RSA"},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "AES-256/GCM", "RSA"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ChaCha20Poly1305", "RSA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "AES-128/CCM", "ECDSA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "AES-128/CCM(8)", "ECDSA"},
};

TLS::Group_Params group_of(const std::string& name) {
    if (name == "secp256r1") return TLS::Group_Params::SECP256R1;
    if (name == "secp384r1") return TLS::Group_Params::SECP384R1;
    return TLS::Group_Params::X25519;
}

const char* name_of(TLS::Group_Params group) {
    switch (group) {
        case TLS::Group_Params::SECP256R1: return "secp256r1";
        case TLS::Group_Params::SECP384R1: return "secp384r1";
        case TLS::Group_Params::X25519: return "x25519";
        default: return "?";
    }
}

// Offers exactly the suite, group and MTU of the cell.
class CellPolicy : public TLS::Policy {
public:
    CellPolicy(const peer_options& o, const SuiteParts& suite) : options_(o), suite_(suite) {}

    std::vector<std::string> allowed_ciphers() const override { return {suite_.cipher}; }
    std::vector<std::string> allowed_key_exchange_methods() const override { return {"ECDH"}; }
    std::vector<std::string> allowed_macs() const override { return {"AEAD"}; }
    // The suite's authentication is ECDSA or RSA; an Ed25519 certificate
    // goes with ECDSA suites (RFC 8422), so allow it there.
    std::vector<std::string> allowed_signature_methods() const override {
        if (std::strcmp(suite_.signature, "ECDSA") == 0) return {"ECDSA", "Ed25519"};
        return {"RSA"};
    }
    // Ed25519 signs the message itself ("Pure"), without a separate hash.
    std::vector<std::string> allowed_signature_hashes() const override { return {"SHA-384", "SHA-256", "Pure"}; }
    std::vector<TLS::Group_Params> key_exchange_groups() const override {
        const char* groups[3];
        const int count = peer_groups(&options_, groups);
        std::vector<TLS::Group_Params> out;
        for (int i = 0; i < count; ++i) out.push_back(group_of(groups[i]));
        return out;
    }
    bool allow_tls10() const override { return false; }
    bool allow_tls11() const override { return false; }
    bool allow_tls12() const override { return false; }
    bool allow_dtls10() const override { return false; }
    bool allow_dtls12() const override { return true; }
    bool require_cert_revocation_info() const override { return false; }
    bool require_client_certificate_authentication() const override { return options_.client_auth != 0; }
    size_t dtls_default_mtu() const override { return static_cast<size_t>(options_.mtu); }
    size_t dtls_maximum_timeout() const override { return PEER_TIMEOUT_MS; }

private:
    const peer_options& options_;
    const SuiteParts& suite_;
};

class Credentials : public Credentials_Manager {
public:
    Credentials(const peer_options& o, RandomNumberGenerator& rng) {
        if (o.ca) roots_.add_certificate(X509_Certificate(std::string(o.ca)));
        if (o.cert && (o.is_server || o.client_auth)) {
            DataSource_Stream chain(o.cert);
            while (!chain.end_of_data()) {
                try {
                    chain_.emplace_back(chain);
                } catch (const Decoding_Error&) {
                    break;  // only whitespace after the last certificate
                }
            }
            DataSource_Stream key(o.key);
            try {
                key_.reset(PKCS8::load_key(key, rng));
            } catch (const std::exception& e) {
                peer_unsupported("Botan cannot load the key: %s", e.what());
            }
        }
    }

    std::vector<Certificate_Store*> trusted_certificate_authorities(const std::string&, const std::string&) override {
        return {&roots_};
    }

    std::vector<X509_Certificate> cert_chain(const std::vector<std::string>& key_types, const std::string&,
                                             const std::string&) override {
        if (!key_) return {};
        for (const std::string& type : key_types) {
            if (type == key_->algo_name()) return chain_;
        }
        return {};
    }

    Private_Key* private_key_for(const X509_Certificate&, const std::string&, const std::string&) override {
        return key_.get();
    }

private:
    Certificate_Store_In_Memory roots_;
    std::vector<X509_Certificate> chain_;
    std::unique_ptr<Private_Key> key_;
};

class Peer : public TLS::Callbacks {
public:
    Peer(const peer_options& o, int fd) : options_(o), fd_(fd) {}

    void tls_emit_data(const uint8_t data[], size_t size) override { send(fd_, data, size, 0); }
    void tls_record_received(uint64_t, const uint8_t data[], size_t size) override {
        received_.emplace_back(data, data + size);
    }
    void tls_alert(TLS::Alert alert) override {
        if (alert.type() == TLS::Alert::CLOSE_NOTIFY) {
            peer_closed_ = true;
        } else {
            peer_log("alert received: %s", alert.type_string().c_str());
        }
    }
    bool tls_session_established(const TLS::Session& session) override {
        suite_ = session.ciphersuite_code();
        return false;
    }
    void tls_session_activated() override { established_ = true; }
    std::string tls_server_choose_app_protocol(const std::vector<std::string>& offered) override {
        for (const std::string& protocol : offered) {
            if (options_.alpn && protocol == options_.alpn) return alpn_ = protocol;
        }
        return "";
    }
    // The ServerKeyExchange (sent or received) names the ECDHE group
    // (RFC 8422 5.4: curve_type 3, then the group): the peer's report of the
    // group comes from Botan's own message.
    void tls_inspect_handshake_msg(const TLS::Handshake_Message& message) override {
        const auto* kex = dynamic_cast<const TLS::Server_Key_Exchange*>(&message);
        if (kex == nullptr) return;
        const std::vector<uint8_t>& params = kex->params();
        if (params.size() >= 3 && params[0] == 3) group_ = static_cast<TLS::Group_Params>(params[1] << 8 | params[2]);
    }

    // Feeds datagrams and timer checks to the channel until `done` or timeout.
    template <class Done>
    bool pump(TLS::Channel& channel, Done done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(PEER_TIMEOUT_MS);
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            pollfd waiting{fd_, POLLIN, 0};
            if (poll(&waiting, 1, 50) == 1) {
                uint8_t datagram[65536];
                ssize_t length = recv(fd_, datagram, sizeof datagram, 0);
                if (length > 0) {
                    try {
                        channel.received_data(datagram, static_cast<size_t>(length));
                    } catch (const std::exception& e) {
                        peer_fail("Botan: %s", e.what());
                    }
                }
            }
            channel.timeout_check();
        }
        return true;
    }

    bool established_ = false;
    bool peer_closed_ = false;
    uint16_t suite_ = 0;
    TLS::Group_Params group_{};
    std::string alpn_;  // server: the protocol it chose
    std::deque<std::vector<uint8_t>> received_;

private:
    const peer_options& options_;
    int fd_;
};

struct Session {
    Peer* peer;
    TLS::Channel* channel;
};

int session_write(void* ctx, const uint8_t* data, size_t length) {
    auto* s = static_cast<Session*>(ctx);
    s->channel->send(data, length);
    return 0;
}

int session_read(void* ctx, uint8_t* buffer, size_t size) {
    auto* s = static_cast<Session*>(ctx);
    if (!s->peer->pump(*s->channel, [&] { return !s->peer->received_.empty() || s->peer->peer_closed_; })) return -1;
    if (s->peer->received_.empty()) return -1;
    std::vector<uint8_t> record = std::move(s->peer->received_.front());
    s->peer->received_.pop_front();
    if (record.size() > size) return -1;
    std::memcpy(buffer, record.data(), record.size());
    return static_cast<int>(record.size());
}

// Botan answers a close_notify with its own by itself (Channel::process_alert).
int session_answer_close(void* ctx) {
    auto* s = static_cast<Session*>(ctx);
    if (!s->peer->pump(*s->channel, [&] { return s->peer->peer_closed_; })) return -1;
    return s->channel->is_closed() ? 0 : -1;
}

int session_close_first(void* ctx) {
    auto* s = static_cast<Session*>(ctx);
    s->channel->close();
    return s->peer->pump(*s->channel, [&] { return s->peer->peer_closed_; }) ? 0 : -1;
}

}  // namespace

int main(int argc, char** argv) {
    peer_options o;
    peer_parse_args(argc, argv, &o);
    const SuiteParts* suite = nullptr;
    for (const SuiteParts& s : kSuites) {
        if (std::strcmp(s.iana, o.suite) == 0) suite = &s;
    }

    AutoSeeded_RNG rng;
    CellPolicy policy(o, *suite);
    Credentials credentials(o, rng);
    TLS::Session_Manager_Noop sessions;

    int fd = o.is_server ? peer_server_socket() : peer_client_socket(o.port);
    if (o.is_server) peer_server_await_client(fd);
    Peer peer(o, fd);
    std::unique_ptr<TLS::Channel> channel;
    try {
        if (o.is_server) {
            channel = std::make_unique<TLS::Server>(peer, sessions, credentials, policy, rng, true);
        } else {
            std::vector<std::string> alpn;
            if (o.alpn) alpn.push_back(o.alpn);
            channel = std::make_unique<TLS::Client>(peer, sessions, credentials, policy, rng,
                                                    TLS::Server_Information(o.host, static_cast<uint16_t>(o.port)),
                                                    TLS::Protocol_Version::DTLS_V12, alpn);
        }
    } catch (const std::exception& e) {
        peer_fail("Botan: %s", e.what());
    }
    if (!peer.pump(*channel, [&] { return peer.established_; })) peer_fail("handshake did not complete");
    auto* client = dynamic_cast<TLS::Client*>(channel.get());
    const std::string alpn = client ? client->application_protocol() : peer.alpn_;
    peer_report_established(peer.suite_, name_of(peer.group_), alpn.c_str());

    Session session{&peer, channel.get()};
    peer_session exchange{&session, session_write, session_read, session_close_first, session_answer_close};
    peer_run_exchange(&o, &exchange);
    return 0;
}
