// The DTLS 1.2 server handshake, from the ClientHello the front door let in:
//
//   ClientHello                  ->
//                                <- ServerHello, Certificate, ServerKeyExchange,
//                                   [CertificateRequest], ServerHelloDone
//   [Certificate], ClientKeyExchange, [CertificateVerify],
//   ChangeCipherSpec, Finished   ->
//                                <- [NewSessionTicket], ChangeCipherSpec, Finished
//
// or, resuming a session from its ID or ticket (RFC 5246 7.3, RFC 5077 3.1):
//
//   ClientHello                  ->
//                                <- ServerHello, [NewSessionTicket],
//                                   ChangeCipherSpec, Finished
//   ChangeCipherSpec, Finished   ->
//
// With a pre-shared key suite there are no certificates: the server sends
// ServerHello, [ServerKeyExchange], ServerHelloDone (the ServerKeyExchange
// carries the identity hint, and the ECDHE share for ECDHE_PSK), and the
// client's ClientKeyExchange names its key.
#include <algorithm>
#include <variant>

#include "crypto/credential.hpp"
#include "crypto/key_exchange.hpp"
#include "crypto/random.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/psk_key_exchange.hpp"
#include "messages/new_session_ticket12.hpp"
#include "record/content_type.hpp"
#include "tls12/certificate_type_negotiation.hpp"
#include "tls12/handshake.hpp"
#include "tls12/negotiation.hpp"
#include "tls12/psk.hpp"
#include "tls12/cid_negotiation.hpp"
#include "tls12/rrc_negotiation.hpp"
#include "tls12/record_size_negotiation.hpp"
#include "tls12/resumption.hpp"
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
    std::optional<crypto::KeyShare> share;        // empty for the PSK alone
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
    ServerHandshake(std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust,
                    ServerSessions sessions)
        : Handshake(Role::server, std::move(config), std::move(trust)),
          state_(std::make_unique<ServerState>(ExpectClientHello{})),
          sessions_(std::move(sessions)) {}

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
    // we can authenticate: with our certificate's key, or with pre-shared
    // keys when we have a source of them.
    const SuiteInfo* choose_suite(const messages::ClientHello& ch) const {
        const Credential* cred = config_.credential.get();
        for (CipherSuite s : config_.cipher_suites) {
            const SuiteInfo* info = find_suite(static_cast<uint16_t>(s));
            if (!info || !contains(ch.cipher_suites, static_cast<uint16_t>(s))) continue;
            if (info->uses_psk() ? server_has_psk(config_)
                                 : cred && key_matches_suite(cred->data().key.type(), info->auth)) {
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
        auto resumable = session_to_resume(sessions_, config_, ch, now_);
        if (!resumable) return resumable.error();

        const SuiteInfo* suite = choose_suite(ch);
        if (!suite) return Error::from(Fault::no_common_cipher_suite, "no cipher suite in common");
        std::optional<NamedGroup> group;
        if (suite->uses_ecdhe()) {
            group = choose_group(ch);
            if (!group) return Error::from(Fault::no_common_group, "no key exchange group in common");
        }
        std::optional<SignatureScheme> scheme;
        if (!suite->uses_psk()) {
            scheme = choose_signature_scheme(config_.signature_schemes,
                                             ext.signature_algorithms ? &*ext.signature_algorithms : nullptr,
                                             config_.credential->data().key.type());
            if (!scheme) return Error::from(Fault::no_common_signature_scheme, "no signature scheme in common");
        }
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
        // A PSK suite shows no certificates, so there is no type to agree on.
        bool ask_for_certificate = false;
        if (!suite->uses_psk()) {
            auto ask = answer_certificate_types(config_, ext, sh.extensions, negotiated_);
            if (!ask) return ask.error();
            ask_for_certificate = *ask;
        }
        record_size_answer(config_, ext, false, sh.extensions, negotiated_);
        auto cid = cid_answer(config_, ext.connection_id, negotiated_);
        if (!cid) return cid.error();
        sh.extensions.connection_id = std::move(*cid);
        sh.extensions.rrc = rrc_answer(config_, ext, sh.extensions, negotiated_);
        sh.extensions.extended_master_secret = ext.extended_master_secret;
        if (ext.renegotiation_info || contains(ch.cipher_suites, kEmptyRenegotiationInfoScsv)) {
            sh.extensions.renegotiation_info = Bytes{};
        }
        if (ext.ec_point_formats) sh.extensions.ec_point_formats = std::vector<uint8_t>{0};
        if (*resumable) return resume(ch, std::move(sh), std::move(**resumable), std::move(alpn), m);
        if (Status s = offer_resumption(ch, sh); !s) return s.error();

        std::optional<crypto::KeyShare> share;
        if (group) {
            auto generated = crypto::KeyShare::generate(*group);
            if (!generated) return internal(generated.error());
            share.emplace(std::move(*generated));
        }

        if (Status r = record_received(m); !r) return r.error();
        keys_.emplace(*suite, ch.random, sh.random);
        negotiated_.cipher_suite = suite->id;
        if (group) negotiated_.group = *group;
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
        if (suite->uses_psk()) {
            // The hint goes in a ServerKeyExchange, which the PSK alone sends
            // only to carry one (RFC 4279 2); ECDHE_PSK always sends it.
            if (share || !config_.psk_identity_hint.empty()) {
                messages::PskServerKeyExchange ske;
                ske.identity_hint.assign(config_.psk_identity_hint.begin(), config_.psk_identity_hint.end());
                if (share) ske.ecdhe = messages::EcdheParameters{static_cast<uint16_t>(*group), share->public_key()};
                if (Status s = add(HandshakeType::server_key_exchange, encoded(ske)); !s) return s.error();
            }
            if (Status s = add(HandshakeType::server_hello_done, Bytes{}); !s) return s.error();
            *state_ = ExpectClientKeyExchange{std::move(share), std::nullopt};
            engine::Step step;
            step.flight = std::move(flight);
            return step;
        }

        const Credential& cred = *config_.credential;
        messages::ServerKeyExchange ske;
        ske.group = static_cast<uint16_t>(*group);
        ske.public_key = share->public_key();
        ske.signature_scheme = static_cast<uint16_t>(*scheme);
        auto signed_data = messages::server_key_exchange_signed_data(ch.random, sh.random, ske);
        if (!signed_data) return signed_data.error();
        auto signature = cred.data().key.sign(*scheme, *signed_data);
        if (!signature) return internal(signature.error());
        ske.signature = std::move(*signature);
        const bool raw_key = negotiated_.server_certificate_type == CertificateType::raw_public_key;
        if (Status s = add(HandshakeType::certificate, encoded(messages::Certificate{cred.chain(), raw_key})); !s) {
            return s.error();
        }
        if (Status s = add(HandshakeType::server_key_exchange, encoded(ske)); !s) return s.error();
        if (ask_for_certificate) {
            messages::CertificateRequest cr;
            cr.certificate_types = {kCertTypeEcdsaSign, kCertTypeRsaSign};
            for (SignatureScheme s : config_.signature_schemes) cr.signature_schemes.push_back(static_cast<uint16_t>(s));
            if (Status s = add(HandshakeType::certificate_request, encoded(cr)); !s) return s.error();
        }
        if (Status s = add(HandshakeType::server_hello_done, Bytes{}); !s) return s.error();

        if (ask_for_certificate) {
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

    // The premaster secret from a certificate suite's ClientKeyExchange.
    Result<crypto::SecretBytes> ecdhe_premaster(const crypto::KeyShare& share, std::span<const uint8_t> body) {
        auto cke = messages::decode_client_key_exchange(body);
        if (!cke) return cke.error();
        return agree(share, cke->public_key);
    }

    // The premaster secret from a PSK suite's ClientKeyExchange. An unknown
    // identity goes on with a random key, so that it fails where a wrong
    // key would, at the client's Finished (RFC 4279 2).
    Result<crypto::SecretBytes> psk_premaster_from(const std::optional<crypto::KeyShare>& share,
                                                   std::span<const uint8_t> body) {
        auto cke = messages::decode_psk_client_key_exchange(body, share.has_value());
        if (!cke) return cke.error();
        crypto::SecretBytes ecdhe_secret;
        if (share) {
            auto secret = agree(*share, *cke->ecdhe_public_key);
            if (!secret) return secret.error();
            ecdhe_secret = std::move(*secret);
        }
        std::optional<crypto::SecretBytes> key = find_psk(config_, cke->identity);
        if (!key) {
            psk_identity_unknown_ = true;
            key.emplace(kUnknownIdentityKeyLength);
            if (!crypto::random_bytes(key->span())) {
                return Error::from(Fault::internal_failure, "the random generator failed");
            }
        }
        negotiated_.psk_identity.assign(cke->identity.begin(), cke->identity.end());
        return psk_premaster(ecdhe_secret.span(), key->span());
    }

    Result<crypto::SecretBytes> agree(const crypto::KeyShare& share, std::span<const uint8_t> peer_public) {
        auto premaster = share.agree(peer_public);
        if (!premaster) {
            if (premaster.error().code == ErrorCode::invalid_argument) {
                return Error::from(Fault::key_share_invalid, premaster.error().reason);
            }
            return internal(premaster.error());
        }
        return premaster;
    }

    Result<engine::Step> on_client_key_exchange(ExpectClientKeyExchange& s, const Message& m) {
        auto premaster = keys_->suite().uses_psk() ? psk_premaster_from(s.share, m.body)
                                                   : ecdhe_premaster(*s.share, m.body);
        if (!premaster) return premaster.error();
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
        if (negotiated_.resumed) return on_resumed_finished(m);
        if (Status r = check_peer_finished(m); !r) return r.error();
        auto ticket = new_session_ticket();
        if (!ticket) return ticket.error();
        keep_session();

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
        if (*ticket) step.flight->messages.insert(step.flight->messages.begin(), std::move(**ticket));
        // The last flight is not timed: it is sent again only when the
        // client retransmits its own (RFC 6347 4.2.4).
        step.await_reply = false;
        step.complete = true;
        return step;
    }

    Error finished_mismatch() const override {
        if (psk_identity_unknown_) {
            return Error::from(Fault::psk_identity_unknown,
                               "the client's PSK identity is unknown (answered as a wrong key would be)");
        }
        return Handshake::finished_mismatch();
    }

    // The random key an unknown PSK identity is given: as long as a
    // SHA-256 output, so the handshake costs what a real one does.
    static constexpr size_t kUnknownIdentityKeyLength = 32;

    // --- Resumption (tls12/resumption.hpp) ---------------------------------

    // A full handshake: a session ID for the session if IDs are kept, and
    // the promise of a ticket to a client that asks for one.
    Status offer_resumption(const messages::ClientHello& ch, messages::ServerHello& sh) {
        if (sessions_.ids) {
            session_id_.assign(32, 0);
            if (!crypto::random_bytes(session_id_)) {
                return Error::from(Fault::internal_failure, "the random generator failed");
            }
            sh.session_id = session_id_;
        }
        issue_ticket_ = sessions_.tickets && ch.extensions.session_ticket.has_value();
        if (issue_ticket_) sh.extensions.session_ticket = Bytes{};
        return Ok{};
    }

    // Once the handshake has been checked: a session ID's session goes into
    // the cache.
    void keep_session() {
        if (session_id_.empty()) return;
        sessions_.ids->store(session_id_, resumption::CachedSession{static_cast<uint16_t>(negotiated_.cipher_suite),
                                                                    keys_->master_secret(),
                                                                    negotiated_.extended_master_secret,
                                                                    negotiated_.server_name, now_,
                                                                    negotiated_.psk_identity});
    }

    // The NewSessionTicket of our last flight, if we promised one.
    Result<std::optional<transport::FlightMessage>> new_session_ticket() {
        if (!issue_ticket_) return std::optional<transport::FlightMessage>{};
        resumption::TicketContents contents;
        contents.version = ProtocolVersion::dtls1_2;
        contents.cipher_suite = static_cast<uint16_t>(negotiated_.cipher_suite);
        contents.issued = now_;
        contents.lifetime = config_.session_ticket_lifetime;
        contents.psk = keys_->master_secret();
        contents.server_name = negotiated_.server_name;
        contents.extended_master_secret = negotiated_.extended_master_secret;
        contents.psk_identity = negotiated_.psk_identity;
        auto sealed = sessions_.tickets->seal(contents, now_);
        if (!sealed) return internal(sealed.error());
        messages::NewSessionTicket12 nst;
        nst.ticket_lifetime_hint = static_cast<uint32_t>(
            std::chrono::duration_cast<std::chrono::seconds>(config_.session_ticket_lifetime).count());
        nst.ticket = std::move(*sealed);
        auto message = make_message(HandshakeType::new_session_ticket, encoded(nst));
        if (!message) return message.error();
        return std::optional<transport::FlightMessage>{std::move(*message)};
    }

    // The abbreviated handshake: ServerHello (echoing the client's session
    // ID, RFC 5077 3.4), a fresh ticket if the client can take one,
    // ChangeCipherSpec and Finished, all in one flight, which is sent again
    // until the client's Finished arrives.
    Result<engine::Step> resume(const messages::ClientHello& ch, messages::ServerHello sh,
                                resumption::CachedSession session, std::string alpn, const Message& m) {
        const SuiteInfo* suite = find_suite(session.cipher_suite);
        sh.cipher_suite = session.cipher_suite;
        sh.session_id = ch.session_id;
        issue_ticket_ = sessions_.tickets && ch.extensions.session_ticket.has_value();
        if (issue_ticket_) sh.extensions.session_ticket = Bytes{};
        if (Status r = record_received(m); !r) return r.error();
        keys_.emplace(*suite, ch.random, sh.random);
        negotiated_.cipher_suite = suite->id;
        negotiated_.alpn = std::move(alpn);
        negotiated_.extended_master_secret = session.extended_master_secret;
        negotiated_.server_name = ch.extensions.server_name.value_or("");
        negotiated_.resumed = true;
        negotiated_.psk_identity = session.psk_identity;
        next_send_seq_ = m.seq;

        auto hello = make_message(HandshakeType::server_hello, encoded(sh));
        if (!hello) return hello.error();
        auto keys = resume_keys(session.master_secret.span());
        if (!keys) return keys.error();
        transport::Flight flight{"ServerHello..Finished", {std::move(*hello)}};
        auto ticket = new_session_ticket();
        if (!ticket) return ticket.error();
        if (*ticket) flight.messages.push_back(std::move(**ticket));
        flight.messages.push_back(change_cipher_spec_message());
        auto hash = transcript_hash();
        if (!hash) return hash.error();
        auto verify_data = keys_->finished(false, *hash);
        if (!verify_data) return internal(verify_data.error());
        auto finished = make_message(HandshakeType::finished, encoded(messages::Finished{std::move(*verify_data)}),
                                     kProtectedEpoch);
        if (!finished) return finished.error();
        flight.messages.push_back(std::move(*finished));

        engine::Step step;
        step.keys = std::move(*keys);
        step.write_epoch = kProtectedEpoch;
        step.flight = std::move(flight);
        *state_ = ExpectChangeCipherSpec{};
        return expect_change_cipher_spec(std::move(step));
    }

    // The client's Finished ends an abbreviated handshake; its flight is the
    // last, so ours is done with.
    Result<engine::Step> on_resumed_finished(const Message& m) {
        if (Status r = check_peer_finished(m); !r) return r.error();
        state_.reset();
        engine::Step step;
        step.await_reply = false;
        step.complete = true;
        return step;
    }

    // Empty once the handshake is complete.
    std::unique_ptr<ServerState> state_;
    bool psk_identity_unknown_ = false;
    ServerSessions sessions_;
    Bytes session_id_;           // a full handshake's session, when IDs are kept
    bool issue_ticket_ = false;  // a NewSessionTicket goes before our ChangeCipherSpec
};

}  // namespace

std::unique_ptr<engine::Protocol> make_server(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust,
                                              std::shared_ptr<resumption::TicketKeys> tickets,
                                              std::shared_ptr<resumption::SessionIdCache> session_ids) {
    return std::make_unique<ServerHandshake>(std::move(config), std::move(trust),
                                             ServerSessions{std::move(tickets), std::move(session_ids)});
}

}  // namespace dtls::tls12
