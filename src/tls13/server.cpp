// The DTLS 1.3 server handshake (RFC 9147 5, RFC 8446 2), from the
// ClientHello the front door let in:
//
//   ClientHello                  ->
//                                <- HelloRetryRequest   (no share we take)
//   ClientHello (again)          ->
//                                <- ServerHello; then in epoch 2:
//                                   EncryptedExtensions, [CertificateRequest],
//                                   Certificate, CertificateVerify, Finished
//   in epoch 2: [Certificate, [CertificateVerify]], Finished ->
//                                <- ACK
//
// When the front door sent the HelloRetryRequest itself (with a cookie), the
// connection starts at the second ClientHello and rebuilds the transcript
// from what the cookie carried.
//
// A ClientHello that returns one of our session tickets with a binder that
// verifies resumes its session (RFC 8446 2.2, psk_dhe_ke only): the flight is
// ServerHello, EncryptedExtensions, Finished, and the client answers with its
// Finished. A ticket we cannot open, expired, or for another hash or server
// name gets a full handshake. Once the client's Finished is in, a server
// with session tickets sends them (NewSessionTicket, acknowledged like any
// flight).
#include <algorithm>
#include <variant>

#include "crypto/credential.hpp"
#include "crypto/key_exchange.hpp"
#include "crypto/random.hpp"
#include "messages/tls13_messages.hpp"
#include "tls12/psk.hpp"
#include "tls12/certificate_type_negotiation.hpp"
#include "tls12/cid_negotiation.hpp"
#include "tls12/record_size_negotiation.hpp"
#include "tls12/rrc_negotiation.hpp"
#include "tls12/srtp_negotiation.hpp"
#include "tls13/handshake.hpp"
#include "tls13/negotiation.hpp"
#include "tls13/psk_suite.hpp"
#include "tls13/resumption.hpp"

namespace dtls::tls13 {

namespace {

using messages::HandshakeType;
using messages::encoded;
using transport::Message;

// The states, each with what it alone needs.
struct ExpectClientHello {
    // Set when a HelloRetryRequest was sent (by us or the front door): the
    // second hello must agree with it.
    std::optional<RetryContext> retry;
    // The front door sent it, with a cookie the second hello must return.
    bool cookie_sent = false;
};
struct ExpectCertificate {};
struct ExpectCertificateVerify {
    crypto::PublicKey client_key;
};
struct ExpectFinished {};
struct Established {};

using ServerState =
    std::variant<ExpectClientHello, ExpectCertificate, ExpectCertificateVerify, ExpectFinished, Established>;

bool contains(const std::vector<uint16_t>& list, uint16_t value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

// What the server decided from a ClientHello.
struct Choice {
    const SuiteInfo* suite = nullptr;
    SignatureScheme scheme{};
    NamedGroup group{};
    const messages::KeyShareEntry* share = nullptr;  // the client's share for `group`; null: ask for one
    std::string alpn;
};

// A PSK the client offered that we accept, its binder checked: a session
// to resume (from one of our tickets) or an external PSK.
struct Resumption {
    KeySchedule early;  // from the PSK
    uint16_t identity = 0;
    std::optional<std::string> external_identity;  // set for an external PSK
    bool without_dhe = false;                      // psk_ke: no (EC)DHE exchange
};

class ServerHandshake final : public Handshake {
public:
    ServerHandshake(std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust,
                    std::optional<RetryContext> retry, std::shared_ptr<resumption::TicketKeys> tickets)
        : Handshake(Role::server, std::move(config), std::move(trust)),
          tickets_(std::move(tickets)),
          state_(std::make_unique<ServerState>(ExpectClientHello{retry, retry.has_value()})) {}

    Result<engine::Step> start() override {
        engine::Step step;
        step.await_reply = false;
        return step;
    }

    // What each state accepts, in one place.
    Result<engine::Step> on_message(const Message& m) override {
        if (auto* s = std::get_if<ExpectClientHello>(&*state_)) {
            if (m.type == HandshakeType::client_hello) return on_client_hello(*s, m);
        } else if (std::holds_alternative<ExpectCertificate>(*state_)) {
            if (m.type == HandshakeType::certificate) return on_certificate(m);
        } else if (auto* s = std::get_if<ExpectCertificateVerify>(&*state_)) {
            if (m.type == HandshakeType::certificate_verify) return on_certificate_verify(*s, m);
        } else if (std::holds_alternative<ExpectFinished>(*state_)) {
            if (m.type == HandshakeType::finished) return on_finished(m);
        } else if (std::holds_alternative<Established>(*state_)) {
            if (m.type == HandshakeType::key_update) return on_key_update(m);
            if (m.type == HandshakeType::new_connection_id || m.type == HandshakeType::request_connection_id) {
                return on_connection_id_message(m);
            }
        }
        return unexpected(m);
    }

private:
    const char* waiting_for() const override {
        struct Name {
            const char* operator()(const ExpectClientHello&) const { return "ClientHello"; }
            const char* operator()(const ExpectCertificate&) const { return "Certificate"; }
            const char* operator()(const ExpectCertificateVerify&) const { return "CertificateVerify"; }
            const char* operator()(const ExpectFinished&) const { return "Finished"; }
            const char* operator()(const Established&) const { return "post-handshake messages"; }
        };
        return std::visit(Name{}, *state_);
    }

    // Everything decided from the hello, before any state changes.
    Result<Choice> choose(const messages::ClientHello& ch, const ExpectClientHello& s) const {
        const std::optional<RetryContext>& retry = s.retry;
        const messages::Extensions& ext = ch.extensions;
        // legacy_version is not looked at: with supported_versions present
        // (it is, to get here) RFC 8446 4.2.1 forbids using it.
        if (!ch.cookie.empty()) {
            return Error::from(Fault::forbidden_value, "legacy_cookie must be empty in a DTLS 1.3 ClientHello");
        }
        if (ch.compression_methods.size() != 1 || ch.compression_methods[0] != 0) {
            return Error::from(Fault::forbidden_value, "legacy_compression_methods must be null alone");
        }
        if (ext.cookie && !s.cookie_sent) return Error::from(Fault::forbidden_value, "a cookie this server did not issue");
        if (s.cookie_sent && !ext.cookie) {
            return Error::from(Fault::missing_extension, "the second ClientHello has no cookie");
        }
        if (!ext.signature_algorithms) {
            return Error::from(Fault::missing_extension, "ClientHello has no signature_algorithms");
        }
        if (!ext.supported_groups || !ext.key_shares) {
            return Error::from(Fault::missing_extension, "ClientHello has no supported_groups or key_share");
        }

        Choice choice;
        // After a HelloRetryRequest the suite must be the one it named.
        // Otherwise one that fits an offered PSK we would take (RFC 8446
        // 4.2.11), else our preferred one.
        choice.suite = suite_for_hello(config_, ch, tickets_.get(), now_);
        if (retry && !(choice.suite && choice.suite->code_point == retry->cipher_suite)) {
            const SuiteInfo* named = find_suite(retry->cipher_suite);
            if (!named || !contains(ch.cipher_suites, retry->cipher_suite)) {
                return Error::from(Fault::forbidden_value, "the second ClientHello dropped the suite we chose");
            }
            choice.suite = named;
        }
        if (!choice.suite) return Error::from(Fault::no_common_cipher_suite, "no DTLS 1.3 cipher suite in common");

        // A server with pre-shared keys alone signs nothing.
        if (config_.credential) {
            const crypto::KeyType key = config_.credential->data().key.type();
            std::optional<SignatureScheme> scheme = choose_signature_scheme(*ext.signature_algorithms, key);
            if (!scheme) return Error::from(Fault::no_common_signature_scheme, "no signature scheme in common");
            choice.scheme = *scheme;
        }

        std::optional<GroupChoice> group = preferred_group(config_, ch);
        if (retry) {
            // The second hello must carry a share for the group the first
            // exchange settled on, and, if we named it, only that share.
            const auto share = std::find_if(ext.key_shares->begin(), ext.key_shares->end(),
                                            [&](const messages::KeyShareEntry& e) { return e.group == retry->group; });
            if (share == ext.key_shares->end() || !contains(*ext.supported_groups, retry->group) ||
                (retry->group_requested && ext.key_shares->size() != 1)) {
                return Error::from(Fault::forbidden_value,
                                   "the second ClientHello's key shares are not what the HelloRetryRequest asked");
            }
            choice.group = static_cast<NamedGroup>(retry->group);
            choice.share = &*share;
        } else {
            if (!group) return Error::from(Fault::no_common_group, "no key exchange group in common");
            choice.group = group->group;
            choice.share = group->share;
        }

        if (ext.alpn && !config_.alpn.empty()) {
            auto chosen = std::find_if(config_.alpn.begin(), config_.alpn.end(), [&](const std::string& p) {
                return std::find(ext.alpn->begin(), ext.alpn->end(), p) != ext.alpn->end();
            });
            if (chosen == config_.alpn.end()) {
                return Error::from(Fault::no_common_application_protocol, "no ALPN protocol in common");
            }
            choice.alpn = *chosen;
        }
        return choice;
    }

    Result<engine::Step> on_client_hello(ExpectClientHello& s, const Message& m) {
        auto parsed = messages::decode_client_hello(m.body);
        if (!parsed) return parsed.error();
        const messages::ClientHello& ch = *parsed;
        auto choice = choose(ch, s);
        if (!choice) return choice.error();
        client_random_ = ch.random;
        // Our messages mirror the hello's message_seq (1 after a
        // HelloRetryRequest, 0 without one).
        next_send_seq_ = m.seq;

        if (s.cookie_sent) {
            // The front door sent the HelloRetryRequest: rebuild the
            // transcript it implies, message_hash(ClientHello1) and the
            // HelloRetryRequest exactly as sent (RFC 8446 4.4.1).
            choose_suite(*choice->suite);
            if (Status r = restart_transcript(s.retry->client_hello1_hash); !r) return r.error();
            RetryRequest request{s.retry->cipher_suite, std::nullopt, *ch.extensions.cookie};
            if (s.retry->group_requested) request.selected_group = s.retry->group;
            auto hrr = encode_hello_retry_request(request);
            if (!hrr) return hrr.error();
            if (!transcript_.add(HandshakeType::server_hello, 0, *hrr)) {
                return Error::from(Fault::internal_failure, "HelloRetryRequest too long");
            }
        }
        if (!choice->share) return send_hello_retry_request(s, *choice, m);
        negotiated_.server_name = ch.extensions.server_name.value_or("");
        return send_server_flight(ch, *choice, m);
    }

    Result<engine::Step> send_hello_retry_request(ExpectClientHello& s, const Choice& choice, const Message& m) {
        choose_suite(*choice.suite);
        if (Status r = record_received(m); !r) return r.error();
        auto hello1_hash = replace_client_hello1_by_its_hash();
        if (!hello1_hash) return hello1_hash.error();

        const auto group = static_cast<uint16_t>(choice.group);
        auto hrr = make_message(HandshakeType::server_hello,
                                encode_hello_retry_request({choice.suite->code_point, group, {}}), 0);
        if (!hrr) return hrr.error();
        s.retry = RetryContext{choice.suite->code_point, group, true, std::move(*hello1_hash)};
        engine::Step step;
        step.flight = transport::Flight{"HelloRetryRequest", {std::move(*hrr)}};
        return step;
    }

    // The session the ClientHello asks to resume, if it offers one of our
    // tickets that is still good for this suite and server name. Called
    // with the transcript up to (not including) this ClientHello.
    Result<std::optional<Resumption>> find_resumption(const messages::ClientHello& ch, const SuiteInfo& suite,
                                                      const Message& m) const {
        const messages::Extensions& ext = ch.extensions;
        if (!ext.offered_psks) return std::optional<Resumption>{};
        // RFC 8446 4.2.9: a PSK without its modes is refused outright.
        if (!ext.psk_key_exchange_modes) {
            return Error::from(Fault::missing_extension, "pre_shared_key without psk_key_exchange_modes");
        }
        const std::vector<uint8_t>& modes = *ext.psk_key_exchange_modes;
        const bool dhe_mode = std::find(modes.begin(), modes.end(), kPskDheKe) != modes.end();
        // psk_ke only when both sides allow it, and then in preference to
        // psk_dhe_ke: a server that allows it wants to save the exchange.
        const bool ke_mode =
            config_.psk_without_dhe && std::find(modes.begin(), modes.end(), kPskKe) != modes.end();
        if (!dhe_mode && !ke_mode) return std::optional<Resumption>{};
        const messages::OfferedPsks& offered = *ext.offered_psks;
        const size_t tried = std::min(offered.identities.size(), kMaxIdentitiesTried);
        for (size_t i = 0; i < tried; ++i) {
            auto external = find_external_psk(offered, i, suite, m);
            if (!external) return external.error();
            if (*external) {
                (*external)->without_dhe = ke_mode;
                return external;
            }
            // Tickets resume with psk_dhe_ke only.
            if (!tickets_ || !dhe_mode) continue;
            std::optional<resumption::TicketContents> ticket = tickets_->open(offered.identities[i].identity, now_);
            if (!ticket || ticket->version != ProtocolVersion::dtls1_3) continue;
            const SuiteInfo* issued_with = find_suite(ticket->cipher_suite);
            if (!issued_with || issued_with->hash != suite.hash ||
                ticket->server_name != ext.server_name.value_or("")) {
                continue;
            }
            KeyDerivation kdf(suite.hash);
            auto early = KeySchedule::with_psk(kdf, ticket->psk.span());
            if (!early) return early.error();
            if (Status b = check_psk_binder(kdf, *early, KeySchedule::PskKind::resumption, m.body, offered.binders[i]);
                !b) {
                return b.error();
            }
            return std::optional<Resumption>{
                Resumption{std::move(*early), static_cast<uint16_t>(i), std::nullopt, false}};
        }
        return std::optional<Resumption>{};
    }

    // Offered identity `i` as an external PSK (RFC 8446 2.2) that our
    // psk_lookup (or Config::psk) knows. Such a PSK uses SHA-256, so only a
    // suite with that hash can use it. A known identity whose binder does
    // not verify (a different key) ends the handshake with decrypt_error.
    Result<std::optional<Resumption>> find_external_psk(const messages::OfferedPsks& offered, size_t i,
                                                        const SuiteInfo& suite, const Message& m) const {
        if (!tls12::server_has_psk(config_) || suite.hash != crypto::HashAlgorithm::sha256) {
            return std::optional<Resumption>{};
        }
        const Bytes& identity = offered.identities[i].identity;
        std::optional<crypto::SecretBytes> key = tls12::find_psk(config_, identity);
        if (!key) return std::optional<Resumption>{};
        KeyDerivation kdf(suite.hash);
        auto early = KeySchedule::with_psk(kdf, key->span());
        if (!early) return early.error();
        if (Status b = check_psk_binder(kdf, *early, KeySchedule::PskKind::external, m.body, offered.binders[i]); !b) {
            return b.error();
        }
        return std::optional<Resumption>{Resumption{std::move(*early), static_cast<uint16_t>(i),
                                                    std::string(identity.begin(), identity.end()), false}};
    }

    Result<engine::Step> send_server_flight(const messages::ClientHello& ch, const Choice& choice, const Message& m) {
        auto resumed = find_resumption(ch, *choice.suite, m);
        if (!resumed) return resumed.error();
        const bool without_dhe = *resumed && (*resumed)->without_dhe;
        messages::ServerHello sh;
        if (!crypto::random_bytes(sh.random)) return Error::from(Fault::internal_failure, "the random generator failed");
        sh.cipher_suite = choice.suite->code_point;
        sh.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls13};
        crypto::SecretBytes dhe;
        if (!without_dhe) {
            auto share = crypto::KeyShare::generate(choice.group);
            if (!share) return internal(share.error());
            auto secret = agree(*share, choice.share->key_exchange);
            if (!secret) return secret.error();
            dhe = std::move(*secret);
            sh.extensions.key_shares =
                std::vector<messages::KeyShareEntry>{{static_cast<uint16_t>(choice.group), share->public_key()}};
            negotiated_.group = choice.group;
        }
        if (*resumed) {
            sh.extensions.selected_psk_identity = (*resumed)->identity;
            start_schedule_with(std::move((*resumed)->early));
            if ((*resumed)->external_identity) {
                negotiated_.psk_identity = *(*resumed)->external_identity;
            } else {
                negotiated_.resumed = true;
            }
            psk_authenticated_ = true;
        } else if (!config_.credential) {
            // A server with pre-shared keys alone has nothing else to offer.
            if (ch.extensions.offered_psks) {
                return Error::from(Fault::psk_identity_unknown,
                                   "the client offered no PSK identity we know (answered as a wrong key would be)");
            }
            return Error::from(Fault::no_common_cipher_suite,
                               "the client offered no pre-shared key, and this server has no certificate");
        }

        // RFC 9147 9 with RFC 9146 3: answered in the ServerHello, so that
        // our records from EncryptedExtensions on carry the client's CID.
        auto cid = tls12::cid_answer(config_, ch.extensions.connection_id, negotiated_);
        if (!cid) return cid.error();
        sh.extensions.connection_id = std::move(*cid);
        // RFC 9853 10.2: rrc in the ServerHello too, beside connection_id.
        sh.extensions.rrc = tls12::rrc_answer(config_, ch.extensions, sh.extensions, negotiated_);
        choose_suite(*choice.suite);
        if (Status r = record_received(m); !r) return r.error();
        transport::Flight flight{"ServerHello..Finished", {}};
        auto add = [&](HandshakeType type, Result<Bytes> body, uint64_t epoch) -> Status {
            auto message = make_message(type, std::move(body), epoch);
            if (!message) return message.error();
            flight.messages.push_back(std::move(*message));
            return Ok{};
        };
        if (Status s = add(HandshakeType::server_hello, encoded(sh), 0); !s) return s.error();
        auto handshake_keys = without_dhe ? derive_handshake_keys_without_dhe() : derive_handshake_keys(dhe.span());
        if (!handshake_keys) return handshake_keys.error();

        messages::EncryptedExtensions ee;
        if (!choice.alpn.empty()) ee.extensions.alpn = std::vector<std::string>{choice.alpn};
        ee.extensions.use_srtp = tls12::srtp_answer(config_, ch.extensions.use_srtp, negotiated_);
        tls12::record_size_answer(config_, ch.extensions, true, ee.extensions, negotiated_);
        // A resumed session was authenticated when it began, and an external
        // PSK authenticates both sides: no certificates either way (RFC 8446
        // 4.3.2: no CertificateRequest with a PSK), so no certificate types
        // to agree on.
        const bool resuming = psk_authenticated_;
        bool ask_for_certificate = false;
        if (!resuming) {
            auto ask = tls12::answer_certificate_types(config_, ch.extensions, ee.extensions, negotiated_);
            if (!ask) return ask.error();
            ask_for_certificate = *ask;
        }
        if (Status s = add(HandshakeType::encrypted_extensions, encoded(ee), kHandshakeEpoch); !s) return s.error();
        if (ask_for_certificate) {
            messages::CertificateRequest13 cr;
            cr.extensions.signature_algorithms.emplace();
            for (SignatureScheme scheme : config_.signature_schemes) {
                if (!is_pkcs1(scheme)) cr.extensions.signature_algorithms->push_back(static_cast<uint16_t>(scheme));
            }
            if (Status s = add(HandshakeType::certificate_request, encoded(cr), kHandshakeEpoch); !s) {
                return s.error();
            }
        }
        if (!resuming) {
            auto certificate = make_certificate(true);
            if (!certificate) return certificate.error();
            flight.messages.push_back(std::move(*certificate));
            if (Status s =
                    add(HandshakeType::certificate_verify, make_certificate_verify(choice.scheme), kHandshakeEpoch);
                !s) {
                return s.error();
            }
        }
        auto verify_data = finished_verify_data(Role::server);
        if (!verify_data) return verify_data.error();
        if (Status s = add(HandshakeType::finished, encoded(messages::Finished{std::move(*verify_data)}),
                           kHandshakeEpoch);
            !s) {
            return s.error();
        }
        auto application_keys = derive_application_keys();
        if (!application_keys) return application_keys.error();

        negotiated_.alpn = choice.alpn;
        if (ask_for_certificate) {
            *state_ = ExpectCertificate{};
        } else {
            *state_ = ExpectFinished{};
        }
        engine::Step step;
        step.keys = std::move(*handshake_keys);
        for (engine::EpochKeys& k : *application_keys) step.keys.push_back(std::move(k));
        step.read_epoch = kHandshakeEpoch;
        step.write_epoch = kHandshakeEpoch;
        step.flight = std::move(flight);
        return step;
    }

    Result<engine::Step> on_certificate(const Message& m) {
        auto certificate = messages::decode_certificate13(m.body);
        if (!certificate) return certificate.error();
        if (!certificate->request_context.empty()) {
            return Error::from(Fault::forbidden_value, "certificate_request_context must be empty in the handshake");
        }
        if (certificate->entries.empty()) {
            if (config_.client_auth == ClientAuth::require) {
                // DTLS 1.3 has an alert of its own for this (RFC 8446 4.4.2.4).
                return Error{ErrorCode::alert_sent, Alert::certificate_required,
                             "the client did not send a certificate", Fault::certificate_required};
            }
            if (Status r = record_received(m); !r) return r.error();
            *state_ = ExpectFinished{};
            return engine::Step{};
        }
        auto key = check_peer_chain(certificate->entries);
        if (!key) return key.error();
        if (Status r = record_received(m); !r) return r.error();
        *state_ = ExpectCertificateVerify{std::move(*key)};
        return engine::Step{};
    }

    Result<engine::Step> on_certificate_verify(const ExpectCertificateVerify& s, const Message& m) {
        if (Status c = check_certificate_verify(s.client_key, m); !c) return c.error();
        *state_ = ExpectFinished{};
        return engine::Step{};
    }

    Result<engine::Step> on_finished(const Message& m) {
        auto fin = messages::decode_finished(m.body, kdf_->hash_length());
        if (!fin) return fin.error();
        if (Status c = check_finished(Role::client, fin->verify_data); !c) return c.error();
        if (Status r = record_received(m); !r) return r.error();
        if (Status r = derive_resumption_secret(); !r) return r.error();
        *state_ = Established{};
        engine::Step step;
        step.read_epoch = kApplicationEpoch;
        step.write_epoch = kApplicationEpoch;
        step.await_reply = false;
        step.complete = true;
        step.acknowledge = true;  // the client retransmits its flight until we do
        if (tickets_ && config_.session_tickets > 0) {
            auto tickets = make_tickets();
            if (!tickets) return tickets.error();
            step.flight = std::move(*tickets);
            step.await_reply = true;  // sent again until acknowledged
        }
        resumption_secret_.clear();  // a server needs it for its tickets only
        return step;
    }

    // NewSessionTickets (RFC 8446 4.6.1), each with its own nonce and so its
    // own PSK, sealed into the ticket itself.
    Result<transport::Flight> make_tickets() {
        transport::Flight flight{"NewSessionTicket", {}};
        const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(config_.session_ticket_lifetime);
        for (unsigned i = 0; i < config_.session_tickets; ++i) {
            messages::NewSessionTicket13 nst;
            nst.ticket_lifetime = static_cast<uint32_t>(lifetime.count());
            if (!crypto::random_bytes(std::span(reinterpret_cast<uint8_t*>(&nst.ticket_age_add), 4))) {
                return Error::from(Fault::internal_failure, "the random generator failed");
            }
            nst.ticket_nonce = Bytes{static_cast<uint8_t>(i)};
            auto psk = resumption_psk(*kdf_, resumption_secret_.span(), nst.ticket_nonce);
            if (!psk) return psk.error();
            resumption::TicketContents contents;
            contents.cipher_suite = suite_->code_point;
            contents.issued = now_;
            contents.lifetime = lifetime;
            contents.psk = std::move(*psk);
            contents.server_name = negotiated_.server_name;
            auto ticket = tickets_->seal(contents, now_);
            if (!ticket) return internal(ticket.error());
            nst.ticket = std::move(*ticket);
            auto message = make_post_handshake_message(HandshakeType::new_session_ticket, encoded(nst));
            if (!message) return message.error();
            flight.messages.push_back(std::move(*message));
        }
        return flight;
    }

    std::shared_ptr<resumption::TicketKeys> tickets_;
    bool psk_authenticated_ = false;
    std::unique_ptr<ServerState> state_;
};

}  // namespace

std::unique_ptr<Handshake> make_dtls13_server(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust,
                                              std::optional<RetryContext> retry,
                                              std::shared_ptr<resumption::TicketKeys> tickets) {
    return std::make_unique<ServerHandshake>(std::move(config), std::move(trust), std::move(retry),
                                             std::move(tickets));
}

}  // namespace dtls::tls13
