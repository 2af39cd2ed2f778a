// The DTLS 1.2 server handshake, from the ClientHello the front door let in:
//
//   ClientHello                  ->
//                                <- ServerHello, Certificate, ServerKeyExchange,
//                                   [CertificateRequest], ServerHelloDone
//   [Certificate], ClientKeyExchange, [CertificateVerify],
//   ChangeCipherSpec, Finished   ->
//                                <- ChangeCipherSpec, Finished
#include <algorithm>

#include "tls12/handshake.hpp"
#include "tls12/negotiation.hpp"

#include "crypto/credential.hpp"
#include "crypto/random.hpp"

namespace dtls::tls12 {

namespace {

using handshake::HandshakeType;
using handshake::Message;
using handshake::encoded;

constexpr uint16_t kEmptyRenegotiationInfoScsv = 0x00FF;
constexpr uint8_t kCertTypeRsaSign = 1;
constexpr uint8_t kCertTypeEcdsaSign = 64;

class ServerHandshake final : public Handshake {
public:
    explicit ServerHandshake(HandshakeContext& ctx) : ctx_(ctx) {}

    Result<Step> start() override { return Step{std::nullopt, false, false}; }

    const char* waiting_for() const override {
        switch (state_) {
            case State::client_hello: return "ClientHello";
            case State::certificate: return "Certificate";
            case State::client_key_exchange: return "ClientKeyExchange";
            case State::certificate_verify: return "CertificateVerify";
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
            case State::client_hello:
                if (m.type == HandshakeType::client_hello) return on_client_hello(m);
                break;
            case State::certificate:
                if (m.type == HandshakeType::certificate) return on_certificate(m);
                break;
            case State::client_key_exchange:
                if (m.type == HandshakeType::client_key_exchange) return on_client_key_exchange(m);
                break;
            case State::certificate_verify:
                if (m.type == HandshakeType::certificate_verify) return on_certificate_verify(m);
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
        client_hello,
        certificate,
        client_key_exchange,
        certificate_verify,
        change_cipher_spec,
        finished,
        done,
    };

    // Server preference: the first configured suite the client offers that
    // our key can authenticate.
    const SuiteInfo* choose_suite(const handshake::ClientHello& ch, crypto::KeyType key) const {
        for (CipherSuite s : ctx_.config.cipher_suites) {
            const SuiteInfo* info = find_suite(static_cast<uint16_t>(s));
            if (info && contains(ch.cipher_suites, static_cast<uint16_t>(s)) && key_matches_suite(key, info->auth)) {
                return info;
            }
        }
        return nullptr;
    }

    std::optional<NamedGroup> choose_group(const handshake::ClientHello& ch) const {
        for (NamedGroup g : ctx_.config.groups) {
            // A client that sends no list is taken to support the common
            // curves (RFC 8422 4); P-256 and x25519 are safe assumptions.
            if (!ch.extensions.supported_groups ? g != NamedGroup::secp384r1
                                                : contains(*ch.extensions.supported_groups, static_cast<uint16_t>(g))) {
                return g;
            }
        }
        return std::nullopt;
    }

    Result<Step> on_client_hello(const Message& m) {
        auto parsed = handshake::decode_client_hello(m.body);
        if (!parsed) return parsed.error();
        const handshake::ClientHello& ch = *parsed;
        const handshake::Extensions& ext = ch.extensions;

        // DTLS versions count down: 0xFEFD (1.2) is "higher" than 0xFEFF
        // (1.0), and every DTLS version has 0xFE as its first byte.
        if ((ch.version >> 8) != 0xFE) {
            return alert_error(Alert::protocol_version, "ClientHello is not a DTLS hello");
        }
        if (ch.version > handshake::kDtls12) {
            return alert_error(Alert::protocol_version, "client offers only DTLS 1.0, which is not supported");
        }
        if (std::find(ch.compression_methods.begin(), ch.compression_methods.end(), 0) == ch.compression_methods.end()) {
            return alert_error(Alert::illegal_parameter, "client does not offer null compression");
        }
        if (ext.renegotiation_info && !ext.renegotiation_info->empty()) {
            return alert_error(Alert::handshake_failure, "renegotiation_info is not empty on a new connection");
        }
        if (!ext.extended_master_secret && ctx_.config.require_extended_master_secret) {
            return alert_error(Alert::handshake_failure, "client does not support extended master secret");
        }

        const Credential& cred = *ctx_.config.credential;
        const crypto::KeyType key_type = cred.data().key.type();
        const SuiteInfo* suite = choose_suite(ch, key_type);
        if (!suite) return alert_error(Alert::handshake_failure, "no cipher suite in common");
        std::optional<NamedGroup> group = choose_group(ch);
        if (!group) return alert_error(Alert::handshake_failure, "no key exchange group in common");
        std::optional<SignatureScheme> scheme = choose_signature_scheme(
            ctx_.config.signature_schemes, ext.signature_algorithms ? &*ext.signature_algorithms : nullptr, key_type);
        if (!scheme) return alert_error(Alert::handshake_failure, "no signature scheme in common");
        if (ext.ec_point_formats &&
            std::find(ext.ec_point_formats->begin(), ext.ec_point_formats->end(), 0) == ext.ec_point_formats->end()) {
            return alert_error(Alert::illegal_parameter, "client does not accept uncompressed points");
        }

        handshake::ServerHello sh;
        crypto::random_bytes(sh.random);
        sh.cipher_suite = static_cast<uint16_t>(suite->id);
        if (ext.alpn && !ctx_.config.alpn.empty()) {
            auto chosen = std::find_if(ctx_.config.alpn.begin(), ctx_.config.alpn.end(), [&](const std::string& p) {
                return std::find(ext.alpn->begin(), ext.alpn->end(), p) != ext.alpn->end();
            });
            if (chosen == ctx_.config.alpn.end()) {
                return alert_error(Alert::no_application_protocol, "no ALPN protocol in common");
            }
            sh.extensions.alpn = std::vector<std::string>{*chosen};
            ctx_.negotiated.alpn = *chosen;
        }
        sh.extensions.extended_master_secret = ext.extended_master_secret;
        if (ext.renegotiation_info || contains(ch.cipher_suites, kEmptyRenegotiationInfoScsv)) {
            sh.extensions.renegotiation_info = Bytes{};
        }
        if (ext.ec_point_formats) sh.extensions.ec_point_formats = std::vector<uint8_t>{0};

        ctx_.record_received(m);
        ctx_.client_random = ch.random;
        ctx_.server_random = sh.random;
        ctx_.keys.emplace(*suite, ctx_.client_random, ctx_.server_random);
        ctx_.negotiated.cipher_suite = suite->id;
        ctx_.negotiated.group = *group;
        ctx_.negotiated.extended_master_secret = ext.extended_master_secret;
        ctx_.negotiated.server_name = ext.server_name.value_or("");
        // The server's first message_seq mirrors the ClientHello it answers
        // (1 after a cookie exchange, 0 without one).
        ctx_.next_send_seq = m.seq;

        auto share = crypto::KeyShare::generate(*group);
        if (!share) return share.error();
        handshake::ServerKeyExchange ske;
        ske.group = static_cast<uint16_t>(*group);
        ske.public_key = share->public_key();
        ske.signature_scheme = static_cast<uint16_t>(*scheme);
        auto signature =
            cred.data().key.sign(*scheme, handshake::server_key_exchange_signed_data(ch.random, sh.random, ske));
        if (!signature) return signature.error();
        ske.signature = std::move(*signature);
        share_.emplace(std::move(*share));

        handshake::Flight flight{"ServerHello..ServerHelloDone", {}};
        flight.messages.push_back(ctx_.make_message(HandshakeType::server_hello, encoded(sh)));
        flight.messages.push_back(
            ctx_.make_message(HandshakeType::certificate, encoded(handshake::Certificate{cred.chain()})));
        flight.messages.push_back(ctx_.make_message(HandshakeType::server_key_exchange, encoded(ske)));
        if (ctx_.config.client_auth != ClientAuth::none) {
            handshake::CertificateRequest cr;
            cr.certificate_types = {kCertTypeEcdsaSign, kCertTypeRsaSign};
            for (SignatureScheme s : ctx_.config.signature_schemes) cr.signature_schemes.push_back(static_cast<uint16_t>(s));
            flight.messages.push_back(ctx_.make_message(HandshakeType::certificate_request, encoded(cr)));
            state_ = State::certificate;
        } else {
            state_ = State::client_key_exchange;
        }
        flight.messages.push_back(ctx_.make_message(HandshakeType::server_hello_done, {}));
        return Step{std::move(flight), true, false};
    }

    Result<Step> on_certificate(const Message& m) {
        auto cert = handshake::decode_certificate(m.body);
        if (!cert) return cert.error();
        if (cert->chain.empty()) {
            if (ctx_.config.client_auth == ClientAuth::require) {
                return alert_error(Alert::handshake_failure, "client did not send a certificate");
            }
        } else {
            auto key = ctx_.check_peer_chain(cert->chain, false);
            if (!key) return key.error();
            client_key_.emplace(std::move(*key));
        }
        ctx_.record_received(m);
        state_ = State::client_key_exchange;
        return Step{};
    }

    Result<Step> on_client_key_exchange(const Message& m) {
        auto cke = handshake::decode_client_key_exchange(m.body);
        if (!cke) return cke.error();
        auto premaster = share_->agree(cke->public_key);
        if (!premaster) return premaster.error();
        share_.reset();
        ctx_.record_received(m);
        if (Status s = ctx_.install_keys(premaster->span(), false); !s) return s.error();
        state_ = client_key_ ? State::certificate_verify : State::change_cipher_spec;
        return Step{};
    }

    Result<Step> on_certificate_verify(const Message& m) {
        auto cv = handshake::decode_certificate_verify(m.body);
        if (!cv) return cv.error();
        const auto scheme = static_cast<SignatureScheme>(cv->signature_scheme);
        if (!configured(ctx_.config.signature_schemes, cv->signature_scheme) ||
            !crypto::key_supports(client_key_->type(), scheme)) {
            return alert_error(Alert::illegal_parameter, "client signed with a scheme we did not offer");
        }
        if (!client_key_->verify(scheme, ctx_.transcript, cv->signature)) {
            return alert_error(Alert::decrypt_error, "CertificateVerify signature does not verify");
        }
        ctx_.negotiated.peer_signature_scheme = scheme;
        ctx_.record_received(m);
        state_ = State::change_cipher_spec;
        return Step{};
    }

    Result<Step> on_finished(const Message& m) {
        auto fin = handshake::decode_finished(m.body);
        if (!fin) return fin.error();
        Bytes expected = ctx_.keys->finished(true, ctx_.transcript_hash());
        if (!crypto::equal_constant_time(expected, fin->verify_data)) {
            return alert_error(Alert::decrypt_error, "client Finished does not verify");
        }
        ctx_.record_received(m);

        handshake::Flight flight{"ChangeCipherSpec..Finished", {}};
        flight.messages.push_back(HandshakeContext::change_cipher_spec());
        Bytes verify_data = ctx_.keys->finished(false, ctx_.transcript_hash());
        flight.messages.push_back(
            ctx_.make_message(HandshakeType::finished, encoded(handshake::Finished{std::move(verify_data)}), 1));
        ctx_.records.begin_write_epoch1();
        state_ = State::done;
        // The last flight is not timed: it is sent again only when the
        // client retransmits its own (RFC 6347 4.2.4).
        return Step{std::move(flight), false, true};
    }

    HandshakeContext& ctx_;
    State state_ = State::client_hello;
    std::optional<crypto::KeyShare> share_;
    std::optional<crypto::PublicKey> client_key_;
};

}  // namespace

std::unique_ptr<Handshake> make_server(HandshakeContext& ctx) { return std::make_unique<ServerHandshake>(ctx); }

}  // namespace dtls::tls12
