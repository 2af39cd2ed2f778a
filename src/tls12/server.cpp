// The DTLS 1.2 server handshake, from the ClientHello the front door let in:
//
//   ClientHello                  ->
//                                <- ServerHello, Certificate, ServerKeyExchange,
//                                   [CertificateRequest], ServerHelloDone
//   [Certificate], ClientKeyExchange, [CertificateVerify],
//   ChangeCipherSpec, Finished   ->
//                                <- ChangeCipherSpec, Finished
#include <algorithm>
#include <variant>

#include "crypto/credential.hpp"
#include "crypto/key_exchange.hpp"
#include "crypto/random.hpp"
#include "messages/hello_retry_request.hpp"
#include "record/content_type.hpp"
#include "tls12/certificate_type_negotiation.hpp"
#include "tls12/handshake.hpp"
#include "tls12/negotiation.hpp"
#include "tls12/record_size_negotiation.hpp"
#include "tls12/srtp_negotiation.hpp"

namespace dtls::tls12 {

namespace {

using messages::HandshakeType;
using messages::encoded;
using transport::Message;

constexpr uint16_t kEmptyRenegotiationInfoScsv = 0x00FF;
constexpr uint8_t kCertTypeRsaSign = 1;
constexpr uint8_t kCertTypeEcdsaSign = 64;

// The states, each with what it alone needs.
struct ExpectClientHello {};
struct ExpectCertificate {
    crypto::KeyShare share;
};
struct ExpectClientKeyExchange {
    crypto::KeyShare share;
    std::optional<crypto::PublicKey> client_key;  // when the client sent a certificate
};
struct ExpectCertificateVerify {
    crypto::PublicKey client_key;
};
struct ExpectChangeCipherSpec {};
struct ExpectFinished {};

using ServerState = std::variant<ExpectClientHello, ExpectCertificate, ExpectClientKeyExchange,
                                 ExpectCertificateVerify, ExpectChangeCipherSpec, ExpectFinished>;

class ServerHandshake final : public Handshake {
public:
    ServerHandshake(std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust)
        : Handshake(Role::server, std::move(config), std::move(trust)),
          state_(std::make_unique<ServerState>(ExpectClientHello{})) {}

    Result<engine::Step> start() override {
        engine::Step step;
        step.await_reply = false;
        return step;
    }

    // What each state accepts, in one place.
    Result<engine::Step> on_message(const Message& m) override {
        if (!state_) return unexpected(m);
        if (std::holds_alternative<ExpectClientHello>(*state_)) {
            if (m.type == HandshakeType::client_hello) return on_client_hello(m);
        } else if (auto* s = std::get_if<ExpectCertificate>(&*state_)) {
            if (m.type == HandshakeType::certificate) return on_certificate(*s, m);
        } else if (auto* s = std::get_if<ExpectClientKeyExchange>(&*state_)) {
            if (m.type == HandshakeType::client_key_exchange) return on_client_key_exchange(*s, m);
        } else if (auto* s = std::get_if<ExpectCertificateVerify>(&*state_)) {
            if (m.type == HandshakeType::certificate_verify) return on_certificate_verify(*s, m);
        } else if (std::holds_alternative<ExpectFinished>(*state_)) {
            if (m.type == HandshakeType::finished) return on_finished(m);
        }
        return unexpected(m);
    }

private:
    const char* waiting_for() const override {
        if (!state_) return "nothing (handshake complete)";
        struct Name {
            const char* operator()(const ExpectClientHello&) const { return "ClientHello"; }
            const char* operator()(const ExpectCertificate&) const { return "Certificate"; }
            const char* operator()(const ExpectClientKeyExchange&) const { return "ClientKeyExchange"; }
            const char* operator()(const ExpectCertificateVerify&) const { return "CertificateVerify"; }
            const char* operator()(const ExpectChangeCipherSpec&) const { return "ChangeCipherSpec"; }
            const char* operator()(const ExpectFinished&) const { return "Finished"; }
        };
        return std::visit(Name{}, *state_);
    }

    bool expects_change_cipher_spec() const override {
        return state_ && std::holds_alternative<ExpectChangeCipherSpec>(*state_);
    }
    void change_cipher_spec_received() override { *state_ = ExpectFinished{}; }

    // Server preference: the first configured suite the client offers that
    // our key can authenticate.
    const SuiteInfo* choose_suite(const messages::ClientHello& ch, crypto::KeyType key) const {
        for (CipherSuite s : config_.cipher_suites) {
            const SuiteInfo* info = find_suite(static_cast<uint16_t>(s));
            if (info && contains(ch.cipher_suites, static_cast<uint16_t>(s)) && key_matches_suite(key, info->auth)) {
                return info;
            }
        }
        return nullptr;
    }

    std::optional<NamedGroup> choose_group(const messages::ClientHello& ch) const {
        for (NamedGroup g : config_.groups) {
            // A client that sends no list is taken to support the common
            // curves (RFC 8422 4); P-256 and x25519 are safe assumptions.
            if (!ch.extensions.supported_groups ? g != NamedGroup::secp384r1
                                                : contains(*ch.extensions.supported_groups, static_cast<uint16_t>(g))) {
                return g;
            }
        }
        return std::nullopt;
    }

    Result<engine::Step> on_client_hello(const Message& m) {
        auto parsed = messages::decode_client_hello(m.body);
        if (!parsed) return parsed.error();
        const messages::ClientHello& ch = *parsed;
        const messages::Extensions& ext = ch.extensions;

        // DTLS versions count down: 0xFEFD (1.2) is "higher" than 0xFEFF (1.0).
        if (!record::is_dtls_version(ch.version)) {
            return Error::from(Fault::unsupported_version, "ClientHello is not a DTLS hello");
        }
        if (ch.version > messages::kDtls12) {
            return Error::from(Fault::unsupported_version, "client offers only DTLS 1.0, which is not supported");
        }
        if (std::find(ch.compression_methods.begin(), ch.compression_methods.end(), 0) == ch.compression_methods.end()) {
            return Error::from(Fault::no_null_compression, "client does not offer null compression");
        }
        if (ext.renegotiation_info && !ext.renegotiation_info->empty()) {
            return Error::from(Fault::renegotiation_info_not_empty,
                               "renegotiation_info is not empty on a new connection");
        }
        if (!ext.extended_master_secret && config_.require_extended_master_secret) {
            return Error::from(Fault::extended_master_secret_missing,
                               "client does not support extended master secret");
        }

        const Credential& cred = *config_.credential;
        const crypto::KeyType key_type = cred.data().key.type();
        const SuiteInfo* suite = choose_suite(ch, key_type);
        if (!suite) return Error::from(Fault::no_common_cipher_suite, "no cipher suite in common");
        std::optional<NamedGroup> group = choose_group(ch);
        if (!group) return Error::from(Fault::no_common_group, "no key exchange group in common");
        std::optional<SignatureScheme> scheme = choose_signature_scheme(
            config_.signature_schemes, ext.signature_algorithms ? &*ext.signature_algorithms : nullptr, key_type);
        if (!scheme) return Error::from(Fault::no_common_signature_scheme, "no signature scheme in common");
        if (ext.ec_point_formats &&
            std::find(ext.ec_point_formats->begin(), ext.ec_point_formats->end(), 0) == ext.ec_point_formats->end()) {
            return Error::from(Fault::forbidden_value, "client does not accept uncompressed points");
        }

        messages::ServerHello sh;
        if (!crypto::random_bytes(sh.random)) return Error::from(Fault::internal_failure, "the random generator failed");
        // A server that could have spoken DTLS 1.3 says so, so that a client
        // that offered 1.3 can tell an attacker removed it (RFC 8446 4.1.3).
        if (config_.enables(ProtocolVersion::dtls1_3)) {
            std::copy(messages::kDowngradeToDtls12.begin(), messages::kDowngradeToDtls12.end(),
                      sh.random.end() - messages::kDowngradeToDtls12.size());
        }
        sh.cipher_suite = static_cast<uint16_t>(suite->id);
        std::string alpn;
        if (ext.alpn && !config_.alpn.empty()) {
            auto chosen = std::find_if(config_.alpn.begin(), config_.alpn.end(), [&](const std::string& p) {
                return std::find(ext.alpn->begin(), ext.alpn->end(), p) != ext.alpn->end();
            });
            if (chosen == config_.alpn.end()) {
                return Error::from(Fault::no_common_application_protocol, "no ALPN protocol in common");
            }
            sh.extensions.alpn = std::vector<std::string>{*chosen};
            alpn = *chosen;
        }
        sh.extensions.use_srtp = srtp_answer(config_, ext.use_srtp, negotiated_);
        auto ask_for_certificate = answer_certificate_types(config_, ext, sh.extensions, negotiated_);
        if (!ask_for_certificate) return ask_for_certificate.error();
        record_size_answer(config_, ext, false, sh.extensions, negotiated_);
        sh.extensions.extended_master_secret = ext.extended_master_secret;
        if (ext.renegotiation_info || contains(ch.cipher_suites, kEmptyRenegotiationInfoScsv)) {
            sh.extensions.renegotiation_info = Bytes{};
        }
        if (ext.ec_point_formats) sh.extensions.ec_point_formats = std::vector<uint8_t>{0};

        auto share = crypto::KeyShare::generate(*group);
        if (!share) return internal(share.error());
        messages::ServerKeyExchange ske;
        ske.group = static_cast<uint16_t>(*group);
        ske.public_key = share->public_key();
        ske.signature_scheme = static_cast<uint16_t>(*scheme);
        auto signed_data = messages::server_key_exchange_signed_data(ch.random, sh.random, ske);
        if (!signed_data) return signed_data.error();
        auto signature = cred.data().key.sign(*scheme, *signed_data);
        if (!signature) return internal(signature.error());
        ske.signature = std::move(*signature);

        if (Status r = record_received(m); !r) return r.error();
        keys_.emplace(*suite, ch.random, sh.random);
        negotiated_.cipher_suite = suite->id;
        negotiated_.group = *group;
        negotiated_.alpn = std::move(alpn);
        negotiated_.extended_master_secret = ext.extended_master_secret;
        negotiated_.server_name = ext.server_name.value_or("");
        // The server's first message_seq mirrors the ClientHello it answers
        // (1 after a cookie exchange, 0 without one).
        next_send_seq_ = m.seq;

        transport::Flight flight{"ServerHello..ServerHelloDone", {}};
        auto add = [&](HandshakeType type, Result<Bytes> body) -> Status {
            auto message = make_message(type, std::move(body));
            if (!message) return message.error();
            flight.messages.push_back(std::move(*message));
            return Ok{};
        };
        if (Status s = add(HandshakeType::server_hello, encoded(sh)); !s) return s.error();
        const bool raw_key = negotiated_.server_certificate_type == CertificateType::raw_public_key;
        if (Status s = add(HandshakeType::certificate, encoded(messages::Certificate{cred.chain(), raw_key})); !s) {
            return s.error();
        }
        if (Status s = add(HandshakeType::server_key_exchange, encoded(ske)); !s) return s.error();
        if (*ask_for_certificate) {
            messages::CertificateRequest cr;
            cr.certificate_types = {kCertTypeEcdsaSign, kCertTypeRsaSign};
            for (SignatureScheme s : config_.signature_schemes) cr.signature_schemes.push_back(static_cast<uint16_t>(s));
            if (Status s = add(HandshakeType::certificate_request, encoded(cr)); !s) return s.error();
        }
        if (Status s = add(HandshakeType::server_hello_done, Bytes{}); !s) return s.error();

        if (*ask_for_certificate) {
            *state_ = ExpectCertificate{std::move(*share)};
        } else {
            *state_ = ExpectClientKeyExchange{std::move(*share), std::nullopt};
        }
        engine::Step step;
        step.flight = std::move(flight);
        return step;
    }

    Result<engine::Step> on_certificate(ExpectCertificate& s, const Message& m) {
        auto cert = negotiated_.client_certificate_type == CertificateType::raw_public_key
                        ? messages::decode_raw_public_key_certificate(m.body)
                        : messages::decode_certificate(m.body);
        if (!cert) return cert.error();
        std::optional<crypto::PublicKey> client_key;
        if (cert->chain.empty()) {
            if (config_.client_auth == ClientAuth::require) {
                return Error::from(Fault::certificate_required, "client did not send a certificate");
            }
        } else {
            auto key = check_peer_chain(cert->chain);
            if (!key) return key.error();
            client_key.emplace(std::move(*key));
        }
        if (Status r = record_received(m); !r) return r.error();
        *state_ = ExpectClientKeyExchange{std::move(s.share), std::move(client_key)};
        return engine::Step{};
    }

    Result<engine::Step> on_client_key_exchange(ExpectClientKeyExchange& s, const Message& m) {
        auto cke = messages::decode_client_key_exchange(m.body);
        if (!cke) return cke.error();
        auto premaster = s.share.agree(cke->public_key);
        if (!premaster) {
            if (premaster.error().code == ErrorCode::invalid_argument) {
                return Error::from(Fault::key_share_invalid, premaster.error().reason);
            }
            return internal(premaster.error());
        }
        if (Status r = record_received(m); !r) return r.error();
        auto keys = derive_keys(premaster->span());
        if (!keys) return keys.error();
        engine::Step step;
        step.keys = std::move(*keys);
        if (s.client_key) {
            *state_ = ExpectCertificateVerify{std::move(*s.client_key)};
            return step;
        }
        *state_ = ExpectChangeCipherSpec{};
        return expect_change_cipher_spec(std::move(step));
    }

    Result<engine::Step> on_certificate_verify(const ExpectCertificateVerify& s, const Message& m) {
        auto cv = messages::decode_certificate_verify(m.body);
        if (!cv) return cv.error();
        const auto scheme = static_cast<SignatureScheme>(cv->signature_scheme);
        if (!configured(config_.signature_schemes, cv->signature_scheme) ||
            !crypto::key_supports(s.client_key.type(), scheme)) {
            return Error::from(Fault::not_offered, "client signed with a scheme we did not offer");
        }
        if (!s.client_key.verify(scheme, transcript_.bytes(), cv->signature)) {
            return Error::from(Fault::signature_invalid, "CertificateVerify signature does not verify");
        }
        if (Status r = record_received(m); !r) return r.error();
        negotiated_.peer_signature_scheme = scheme;
        *state_ = ExpectChangeCipherSpec{};
        return expect_change_cipher_spec(engine::Step{});
    }

    Result<engine::Step> on_finished(const Message& m) {
        auto fin = messages::decode_finished(m.body);
        if (!fin) return fin.error();
        auto hash = transcript_hash();
        if (!hash) return hash.error();
        auto expected = keys_->finished(true, *hash);
        if (!expected) return internal(expected.error());
        if (!crypto::equal_constant_time(*expected, fin->verify_data)) {
            return Error::from(Fault::finished_invalid, "client Finished does not verify");
        }
        if (Status r = record_received(m); !r) return r.error();

        auto our_hash = transcript_hash();
        if (!our_hash) return our_hash.error();
        auto verify_data = keys_->finished(false, *our_hash);
        if (!verify_data) return internal(verify_data.error());
        auto finished = make_message(HandshakeType::finished,
                                     encoded(messages::Finished{std::move(*verify_data)}), kProtectedEpoch);
        if (!finished) return finished.error();

        state_.reset();
        engine::Step step;
        step.write_epoch = kProtectedEpoch;
        step.flight = transport::Flight{"ChangeCipherSpec..Finished", {change_cipher_spec_message(), std::move(*finished)}};
        // The last flight is not timed: it is sent again only when the
        // client retransmits its own (RFC 6347 4.2.4).
        step.await_reply = false;
        step.complete = true;
        return step;
    }

    // Empty once the handshake is complete.
    std::unique_ptr<ServerState> state_;
};

}  // namespace

std::unique_ptr<engine::Protocol> make_server(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust) {
    return std::make_unique<ServerHandshake>(std::move(config), std::move(trust));
}

}  // namespace dtls::tls12
