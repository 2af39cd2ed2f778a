// The DTLS 1.2 client handshake (RFC 6347 4.2, RFC 5246 7.3):
//
//   ClientHello                 ->
//                               <- HelloVerifyRequest      (cookie exchange)
//   ClientHello (with cookie)   ->
//                               <- ServerHello, Certificate, ServerKeyExchange,
//                                  [CertificateRequest], ServerHelloDone
//   [Certificate], ClientKeyExchange, [CertificateVerify],
//   ChangeCipherSpec, Finished  ->
//                               <- ChangeCipherSpec, Finished
#include <algorithm>

#include "crypto/credential.hpp"
#include "crypto/random.hpp"
#include "tls12/handshake.hpp"
#include "tls12/negotiation.hpp"

namespace dtls::tls12 {

namespace {

using handshake::HandshakeType;
using handshake::Message;
using handshake::encoded;

constexpr int kMaxHelloVerifyRequests = 2;

class ClientHandshake final : public Handshake {
public:
    explicit ClientHandshake(HandshakeContext& ctx) : ctx_(ctx) {}

    Result<Step> start() override {
        crypto::random_bytes(ctx_.client_random);
        hello_.random = ctx_.client_random;
        for (CipherSuite s : ctx_.config.cipher_suites) hello_.cipher_suites.push_back(static_cast<uint16_t>(s));
        handshake::Extensions& ext = hello_.extensions;
        if (!ctx_.config.server_name.empty() && !is_ip_literal(ctx_.config.server_name)) {
            ext.server_name = ctx_.config.server_name;
        }
        ext.supported_groups.emplace();
        for (NamedGroup g : ctx_.config.groups) ext.supported_groups->push_back(static_cast<uint16_t>(g));
        ext.ec_point_formats = std::vector<uint8_t>{0};
        ext.signature_algorithms.emplace();
        for (SignatureScheme s : ctx_.config.signature_schemes) {
            ext.signature_algorithms->push_back(static_cast<uint16_t>(s));
        }
        if (!ctx_.config.alpn.empty()) ext.alpn = ctx_.config.alpn;
        ext.extended_master_secret = true;
        ext.renegotiation_info = Bytes{};
        return send_hello();
    }

    const char* waiting_for() const override {
        switch (state_) {
            case State::server_hello: return "ServerHello";
            case State::certificate: return "Certificate";
            case State::server_key_exchange: return "ServerKeyExchange";
            case State::certificate_request_or_done: return "CertificateRequest or ServerHelloDone";
            case State::server_hello_done: return "ServerHelloDone";
            case State::change_cipher_spec: return "ChangeCipherSpec";
            case State::finished: return "Finished";
            case State::done: return "nothing (handshake complete)";
        }
        return "?";
    }

    bool expects_change_cipher_spec() const override { return state_ == State::change_cipher_spec; }
    void on_change_cipher_spec() override {
        ctx_.records.activate_read_epoch1();
        state_ = State::finished;
    }

    Result<Step> on_message(const Message& m) override {
        switch (state_) {
            case State::server_hello:
                if (m.type == HandshakeType::hello_verify_request) return on_hello_verify_request(m);
                if (m.type == HandshakeType::server_hello) return on_server_hello(m);
                break;
            case State::certificate:
                if (m.type == HandshakeType::certificate) return on_certificate(m);
                break;
            case State::server_key_exchange:
                if (m.type == HandshakeType::server_key_exchange) return on_server_key_exchange(m);
                break;
            case State::certificate_request_or_done:
                if (m.type == HandshakeType::certificate_request) return on_certificate_request(m);
                if (m.type == HandshakeType::server_hello_done) return on_server_hello_done(m);
                break;
            case State::server_hello_done:
                if (m.type == HandshakeType::server_hello_done) return on_server_hello_done(m);
                break;
            case State::finished:
                if (m.type == HandshakeType::finished) return on_finished(m);
                break;
            case State::change_cipher_spec:
            case State::done: break;
        }
        return unexpected(m, *this);
    }

private:
    enum class State {
        server_hello,
        certificate,
        server_key_exchange,
        certificate_request_or_done,
        server_hello_done,
        change_cipher_spec,
        finished,
        done,
    };

    Result<Step> send_hello() {
        // The first ClientHello and the HelloVerifyRequest stay out of the
        // transcript (RFC 6347 4.2.1); only the hello that is answered counts.
        ctx_.transcript.clear();
        handshake::Flight flight{"ClientHello", {}};
        flight.messages.push_back(ctx_.make_message(HandshakeType::client_hello, encoded(hello_)));
        return Step{std::move(flight), true, false};
    }

    Result<Step> on_hello_verify_request(const Message& m) {
        auto hvr = handshake::decode_hello_verify_request(m.body);
        if (!hvr) return hvr.error();
        if (++hello_verify_requests_ > kMaxHelloVerifyRequests) {
            return alert_error(Alert::unexpected_message, "too many HelloVerifyRequests");
        }
        if (hvr->cookie.empty()) return alert_error(Alert::illegal_parameter, "HelloVerifyRequest with an empty cookie");
        hello_.cookie = hvr->cookie;
        return send_hello();
    }

    Result<Step> on_server_hello(const Message& m) {
        auto sh = handshake::decode_server_hello(m.body);
        if (!sh) return sh.error();
        if (sh->version != handshake::kDtls12) {
            return alert_error(Alert::protocol_version, "server chose a version other than DTLS 1.2");
        }
        const SuiteInfo* suite = find_suite(sh->cipher_suite);
        if (!suite || !contains(hello_.cipher_suites, sh->cipher_suite)) {
            return alert_error(Alert::illegal_parameter, "server chose a cipher suite we did not offer");
        }
        if (sh->compression_method != 0) return alert_error(Alert::illegal_parameter, "server chose compression");
        const handshake::Extensions& ext = sh->extensions;
        if (!ext.unknown.empty() || ext.supported_groups || ext.signature_algorithms ||
            (ext.server_name && !hello_.extensions.server_name) || (ext.alpn && !hello_.extensions.alpn)) {
            return alert_error(Alert::unsupported_extension, "ServerHello has an extension we did not offer");
        }
        if (ext.server_name && !ext.server_name->empty()) {
            return alert_error(Alert::illegal_parameter, "server_name in ServerHello must be empty");
        }
        if (ext.renegotiation_info && !ext.renegotiation_info->empty()) {
            return alert_error(Alert::handshake_failure, "renegotiation_info is not empty on a new connection");
        }
        if (ext.ec_point_formats && std::find(ext.ec_point_formats->begin(), ext.ec_point_formats->end(), 0) ==
                                        ext.ec_point_formats->end()) {
            return alert_error(Alert::illegal_parameter, "server does not accept uncompressed points");
        }
        if (ext.alpn) {
            if (ext.alpn->size() != 1 ||
                std::find(ctx_.config.alpn.begin(), ctx_.config.alpn.end(), ext.alpn->front()) ==
                    ctx_.config.alpn.end()) {
                return alert_error(Alert::illegal_parameter, "server chose an ALPN protocol we did not offer");
            }
            ctx_.negotiated.alpn = ext.alpn->front();
        }
        ctx_.negotiated.extended_master_secret = ext.extended_master_secret;
        if (!ext.extended_master_secret && ctx_.config.require_extended_master_secret) {
            return alert_error(Alert::handshake_failure, "server does not support extended master secret");
        }
        ctx_.record_received(m);
        ctx_.server_random = sh->random;
        ctx_.keys.emplace(*suite, ctx_.client_random, ctx_.server_random);
        ctx_.negotiated.cipher_suite = suite->id;
        ctx_.negotiated.server_name = hello_.extensions.server_name.value_or("");
        state_ = State::certificate;
        return Step{};
    }

    Result<Step> on_certificate(const Message& m) {
        auto cert = handshake::decode_certificate(m.body);
        if (!cert) return cert.error();
        auto key = ctx_.check_peer_chain(cert->chain, true);
        if (!key) return key.error();
        if (!key_matches_suite(key->type(), ctx_.keys->suite().auth)) {
            return alert_error(Alert::unsupported_certificate, "server certificate key does not fit the cipher suite");
        }
        server_key_.emplace(std::move(*key));
        ctx_.record_received(m);
        state_ = State::server_key_exchange;
        return Step{};
    }

    Result<Step> on_server_key_exchange(const Message& m) {
        auto ske = handshake::decode_server_key_exchange(m.body);
        if (!ske) return ske.error();
        if (!configured(ctx_.config.groups, ske->group)) {
            return alert_error(Alert::illegal_parameter, "server chose a group we did not offer");
        }
        const auto scheme = static_cast<SignatureScheme>(ske->signature_scheme);
        if (!contains(*hello_.extensions.signature_algorithms, ske->signature_scheme) ||
            !crypto::key_supports(server_key_->type(), scheme)) {
            return alert_error(Alert::illegal_parameter, "server signed with a scheme we did not offer");
        }
        Bytes signed_data = handshake::server_key_exchange_signed_data(ctx_.client_random, ctx_.server_random, *ske);
        if (!server_key_->verify(scheme, signed_data, ske->signature)) {
            return alert_error(Alert::decrypt_error, "ServerKeyExchange signature does not verify");
        }
        auto share = crypto::KeyShare::generate(static_cast<NamedGroup>(ske->group));
        if (!share) return share.error();
        auto premaster = share->agree(ske->public_key);
        if (!premaster) return premaster.error();
        premaster_ = std::move(*premaster);
        share_.emplace(std::move(*share));
        ctx_.negotiated.group = static_cast<NamedGroup>(ske->group);
        ctx_.negotiated.peer_signature_scheme = scheme;
        ctx_.record_received(m);
        state_ = State::certificate_request_or_done;
        return Step{};
    }

    Result<Step> on_certificate_request(const Message& m) {
        auto cr = handshake::decode_certificate_request(m.body);
        if (!cr) return cr.error();
        certificate_request_.emplace(std::move(*cr));
        ctx_.record_received(m);
        state_ = State::server_hello_done;
        return Step{};
    }

    Result<Step> on_server_hello_done(const Message& m) {
        auto done = handshake::decode_server_hello_done(m.body);
        if (!done) return done.error();
        ctx_.record_received(m);

        handshake::Flight flight{"ClientKeyExchange..Finished", {}};
        std::optional<SignatureScheme> client_scheme;
        if (certificate_request_) {
            const Credential* cred = ctx_.config.credential.get();
            if (cred) {
                client_scheme = choose_signature_scheme(ctx_.config.signature_schemes,
                                                        &certificate_request_->signature_schemes,
                                                        cred->data().key.type());
            }
            handshake::Certificate ours;
            if (client_scheme) ours.chain = cred->chain();
            flight.messages.push_back(ctx_.make_message(HandshakeType::certificate, encoded(ours)));
        }
        flight.messages.push_back(
            ctx_.make_message(HandshakeType::client_key_exchange, encoded(handshake::ClientKeyExchange{share_->public_key()})));
        if (Status s = ctx_.install_keys(premaster_.span(), true); !s) return s.error();
        premaster_.clear();
        share_.reset();

        if (client_scheme) {
            auto signature = ctx_.config.credential->data().key.sign(*client_scheme, ctx_.transcript);
            if (!signature) return signature.error();
            handshake::CertificateVerify cv{static_cast<uint16_t>(*client_scheme), std::move(*signature)};
            flight.messages.push_back(ctx_.make_message(HandshakeType::certificate_verify, encoded(cv)));
        }
        flight.messages.push_back(HandshakeContext::change_cipher_spec());
        Bytes verify_data = ctx_.keys->finished(true, ctx_.transcript_hash());
        flight.messages.push_back(
            ctx_.make_message(HandshakeType::finished, encoded(handshake::Finished{std::move(verify_data)}), 1));
        ctx_.records.begin_write_epoch1();
        state_ = State::change_cipher_spec;
        return Step{std::move(flight), true, false};
    }

    Result<Step> on_finished(const Message& m) {
        auto fin = handshake::decode_finished(m.body);
        if (!fin) return fin.error();
        Bytes expected = ctx_.keys->finished(false, ctx_.transcript_hash());
        if (!crypto::equal_constant_time(expected, fin->verify_data)) {
            return alert_error(Alert::decrypt_error, "server Finished does not verify");
        }
        ctx_.record_received(m);
        state_ = State::done;
        return Step{std::nullopt, false, true};
    }

    HandshakeContext& ctx_;
    State state_ = State::server_hello;
    handshake::ClientHello hello_;
    int hello_verify_requests_ = 0;
    std::optional<crypto::PublicKey> server_key_;
    std::optional<crypto::KeyShare> share_;
    crypto::SecretBytes premaster_;
    std::optional<handshake::CertificateRequest> certificate_request_;
};

}  // namespace

std::unique_ptr<Handshake> make_client(HandshakeContext& ctx) { return std::make_unique<ClientHandshake>(ctx); }

}  // namespace dtls::tls12
