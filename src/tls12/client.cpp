// The DTLS 1.2 client handshake (RFC 6347 4.2, RFC 5246 7.3):
//
//   ClientHello                 ->
//                               <- HelloVerifyRequest      (cookie exchange)
//   ClientHello (with cookie)   ->
//                               <- ServerHello, Certificate, ServerKeyExchange,
//                                  [CertificateRequest], ServerHelloDone
//   [Certificate], ClientKeyExchange, [CertificateVerify],
//   ChangeCipherSpec, Finished  ->
//                               <- [NewSessionTicket], ChangeCipherSpec, Finished
//
// or, when the server resumes the session the hello offered (RFC 5246 7.3,
// RFC 5077 3.1), the abbreviated handshake, where our flight is the last:
//
//   ClientHello (session ID, ticket) ->
//                               <- ServerHello, [NewSessionTicket],
//                                  ChangeCipherSpec, Finished
//   ChangeCipherSpec, Finished  ->
//
// With a pre-shared key suite the server sends no Certificate (and a
// ServerKeyExchange only with a hint or an ECDHE share), and the
// ClientKeyExchange names our key by its identity.
#include <algorithm>
#include <variant>

#include "crypto/credential.hpp"
#include "crypto/key_exchange.hpp"
#include "crypto/random.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/psk_key_exchange.hpp"
#include "messages/new_session_ticket12.hpp"
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

constexpr int kMaxHelloVerifyRequests = 2;

// The states, each with what it alone needs.
struct ExpectServerHello {
    messages::ClientHello hello;
    int hello_verify_requests = 0;
};
struct ExpectCertificate {};
struct ExpectServerKeyExchange {
    crypto::PublicKey server_key;
};
struct ExpectCertificateRequestOrDone {
    crypto::KeyShare share;
    crypto::SecretBytes premaster;
};
struct ExpectServerHelloDone {
    crypto::KeyShare share;
    crypto::SecretBytes premaster;
    messages::CertificateRequest request;
};
// PSK suites: the ServerKeyExchange, or for the PSK alone ServerHelloDone
// (a server without a hint sends no ServerKeyExchange).
struct ExpectPskServerKeyExchange {};
struct ExpectPskServerHelloDone {
    std::optional<crypto::KeyShare> share;  // ECDHE_PSK
    crypto::SecretBytes ecdhe_secret;       // ECDHE_PSK
};
struct ExpectNewSessionTicket {};  // the ServerHello promised one
struct ExpectChangeCipherSpec {};
struct ExpectFinished {};

using ClientState = std::variant<ExpectServerHello, ExpectCertificate, ExpectServerKeyExchange,
                                 ExpectCertificateRequestOrDone, ExpectServerHelloDone, ExpectPskServerKeyExchange,
                                 ExpectPskServerHelloDone, ExpectNewSessionTicket, ExpectChangeCipherSpec,
                                 ExpectFinished>;

class ClientHandshake final : public Handshake {
public:
    ClientHandshake(std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust)
        : Handshake(Role::client, std::move(config), std::move(trust)) {}

    // Continues after `sent`, a hello that offered DTLS 1.3 as well, went out
    // as message 0 and was answered the DTLS 1.2 way.
    ClientHandshake(std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust,
                    messages::ClientHello sent)
        : Handshake(Role::client, std::move(config), std::move(trust)), offered_dtls13_(true) {
        state_ = std::make_unique<ClientState>(ExpectServerHello{std::move(sent), 0});
    }

    // The transcript of a hello that was sent before this state machine took over.
    Status adopt_sent_hello() {
        auto hello = make_message(HandshakeType::client_hello, encoded(std::get<ExpectServerHello>(*state_).hello));
        if (!hello) return hello.error();
        return Ok{};
    }

    Result<engine::Step> start() override {
        messages::ClientHello hello;
        if (!crypto::random_bytes(hello.random)) {
            return Error::from(Fault::internal_failure, "the random generator failed");
        }
        for (CipherSuite s : config_.cipher_suites) {
            const SuiteInfo* info = find_suite(static_cast<uint16_t>(s));
            // PSK suites only with a key to use.
            if (info && (!info->uses_psk() || config_.psk)) hello.cipher_suites.push_back(static_cast<uint16_t>(s));
        }
        messages::Extensions& ext = hello.extensions;
        if (!config_.server_name.empty() && !is_ip_literal(config_.server_name)) ext.server_name = config_.server_name;
        ext.supported_groups.emplace();
        for (NamedGroup g : config_.groups) ext.supported_groups->push_back(static_cast<uint16_t>(g));
        ext.ec_point_formats = std::vector<uint8_t>{0};
        ext.signature_algorithms.emplace();
        for (SignatureScheme s : config_.signature_schemes) {
            ext.signature_algorithms->push_back(static_cast<uint16_t>(s));
        }
        if (!config_.alpn.empty()) ext.alpn = config_.alpn;
        ext.use_srtp = srtp_offer(config_);
        ext.record_size_limit = record_size_limit_offer(config_, true);
        auto cid = cid_offer(config_);
        if (!cid) return cid.error();
        ext.connection_id = std::move(*cid);
        ext.rrc = rrc_offer(config_, ext);
        offer_certificate_types(config_, ext);
        ext.extended_master_secret = true;
        ext.renegotiation_info = Bytes{};
        if (config_.session_cache) {
            offered_ = session_to_offer(config_, now_);
            if (offered_) {
                if (Status s = offer_session(*offered_, hello); !s) return s.error();
            } else {
                ext.session_ticket = Bytes{};  // asks for a ticket (RFC 5077 3.2)
            }
        }
        state_ = std::make_unique<ClientState>(ExpectServerHello{std::move(hello), 0});
        return send_hello(std::get<ExpectServerHello>(*state_));
    }

    // What each state accepts, in one place.
    Result<engine::Step> on_message(const Message& m) override {
        if (!state_) return unexpected(m);
        if (auto* s = std::get_if<ExpectServerHello>(&*state_)) {
            if (m.type == HandshakeType::hello_verify_request) return on_hello_verify_request(*s, m);
            if (m.type == HandshakeType::server_hello) return on_server_hello(*s, m);
        } else if (std::holds_alternative<ExpectCertificate>(*state_)) {
            if (m.type == HandshakeType::certificate) return on_certificate(m);
        } else if (auto* s = std::get_if<ExpectServerKeyExchange>(&*state_)) {
            if (m.type == HandshakeType::server_key_exchange) return on_server_key_exchange(*s, m);
        } else if (auto* s = std::get_if<ExpectCertificateRequestOrDone>(&*state_)) {
            if (m.type == HandshakeType::certificate_request) return on_certificate_request(*s, m);
            if (m.type == HandshakeType::server_hello_done) return on_server_hello_done(s->share, s->premaster, nullptr, m);
        } else if (auto* s = std::get_if<ExpectServerHelloDone>(&*state_)) {
            if (m.type == HandshakeType::server_hello_done) {
                return on_server_hello_done(s->share, s->premaster, &s->request, m);
            }
        } else if (std::holds_alternative<ExpectPskServerKeyExchange>(*state_)) {
            if (m.type == HandshakeType::server_key_exchange) return on_psk_server_key_exchange(m);
            if (m.type == HandshakeType::server_hello_done && !keys_->suite().uses_ecdhe()) {
                ExpectPskServerHelloDone no_key_exchange;
                return on_psk_server_hello_done(no_key_exchange, m);
            }
        } else if (auto* s = std::get_if<ExpectPskServerHelloDone>(&*state_)) {
            if (m.type == HandshakeType::server_hello_done) return on_psk_server_hello_done(*s, m);
        } else if (std::holds_alternative<ExpectNewSessionTicket>(*state_)) {
            if (m.type == HandshakeType::new_session_ticket) return on_new_session_ticket(m);
        } else if (std::holds_alternative<ExpectFinished>(*state_)) {
            if (m.type == HandshakeType::finished) return on_finished(m);
        }
        return unexpected(m);
    }

private:
    const char* waiting_for() const override {
        if (!state_) return "nothing (handshake complete)";
        struct Name {
            const char* operator()(const ExpectServerHello&) const { return "ServerHello"; }
            const char* operator()(const ExpectCertificate&) const { return "Certificate"; }
            const char* operator()(const ExpectServerKeyExchange&) const { return "ServerKeyExchange"; }
            const char* operator()(const ExpectCertificateRequestOrDone&) const {
                return "CertificateRequest or ServerHelloDone";
            }
            const char* operator()(const ExpectServerHelloDone&) const { return "ServerHelloDone"; }
            const char* operator()(const ExpectPskServerKeyExchange&) const {
                return "ServerKeyExchange or ServerHelloDone";
            }
            const char* operator()(const ExpectPskServerHelloDone&) const { return "ServerHelloDone"; }
            const char* operator()(const ExpectNewSessionTicket&) const { return "NewSessionTicket"; }
            const char* operator()(const ExpectChangeCipherSpec&) const { return "ChangeCipherSpec"; }
            const char* operator()(const ExpectFinished&) const { return "Finished"; }
        };
        return std::visit(Name{}, *state_);
    }

    bool expects_change_cipher_spec() const override {
        return state_ && std::holds_alternative<ExpectChangeCipherSpec>(*state_);
    }
    void change_cipher_spec_received() override { *state_ = ExpectFinished{}; }

    Result<engine::Step> send_hello(const ExpectServerHello& s) {
        // The first ClientHello and the HelloVerifyRequest stay out of the
        // transcript (RFC 6347 4.2.1); only the hello that is answered counts.
        transcript_.clear();
        auto hello = make_message(HandshakeType::client_hello, encoded(s.hello));
        if (!hello) return hello.error();
        engine::Step step;
        step.flight = transport::Flight{"ClientHello", {std::move(*hello)}};
        return step;
    }

    Result<engine::Step> on_hello_verify_request(ExpectServerHello& s, const Message& m) {
        auto hvr = messages::decode_hello_verify_request(m.body);
        if (!hvr) return hvr.error();
        if (s.hello_verify_requests >= kMaxHelloVerifyRequests) {
            return Error::from(Fault::too_many_hello_verify_requests, "too many HelloVerifyRequests");
        }
        if (hvr->cookie.empty()) return Error::from(Fault::forbidden_value, "HelloVerifyRequest with an empty cookie");
        ++s.hello_verify_requests;
        s.hello.cookie = hvr->cookie;
        return send_hello(s);
    }

    Result<engine::Step> on_server_hello(const ExpectServerHello& s, const Message& m) {
        auto sh = messages::decode_server_hello(m.body);
        if (!sh) return sh.error();
        const messages::ClientHello& hello = s.hello;
        if (sh->version != messages::kDtls12) {
            return Error::from(Fault::unsupported_version, "server chose a version other than DTLS 1.2");
        }
        const SuiteInfo* suite = find_suite(sh->cipher_suite);
        if (!suite || !contains(hello.cipher_suites, sh->cipher_suite)) {
            return Error::from(Fault::not_offered, "server chose a cipher suite we did not offer");
        }
        if (sh->compression_method != 0) return Error::from(Fault::not_offered, "server chose compression");
        // A server that speaks DTLS 1.3 says so in its random when it picks
        // DTLS 1.2; to a client that offered 1.3 that means an attacker took
        // 1.3 out of the hello (RFC 8446 4.1.3).
        if (offered_dtls13_ && messages::downgrade_sentinel(sh->random) != messages::DowngradeSentinel::none) {
            return Error::from(Fault::forbidden_value,
                               "the server's random says it speaks DTLS 1.3, yet it chose DTLS 1.2: a downgrade");
        }
        const messages::Extensions& ext = sh->extensions;
        // DTLS 1.3's extensions (supported_versions, key_share,
        // pre_shared_key) are unsolicited in a DTLS 1.2 ServerHello.
        if (!ext.unknown.empty() || ext.supported_groups || ext.signature_algorithms || ext.supported_versions ||
            ext.key_shares || ext.key_share_selected_group || ext.selected_psk_identity ||
            (ext.server_name && !hello.extensions.server_name) || (ext.alpn && !hello.extensions.alpn) ||
            (ext.session_ticket && !hello.extensions.session_ticket)) {
            return Error::from(Fault::unsolicited_extension, "ServerHello has an extension we did not offer");
        }
        if (ext.server_name && !ext.server_name->empty()) {
            return Error::from(Fault::forbidden_value, "server_name in ServerHello must be empty");
        }
        if (ext.renegotiation_info && !ext.renegotiation_info->empty()) {
            return Error::from(Fault::renegotiation_info_not_empty,
                               "renegotiation_info is not empty on a new connection");
        }
        if (ext.ec_point_formats && std::find(ext.ec_point_formats->begin(), ext.ec_point_formats->end(), 0) ==
                                        ext.ec_point_formats->end()) {
            return Error::from(Fault::forbidden_value, "server does not accept uncompressed points");
        }
        if (ext.alpn && (ext.alpn->size() != 1 || std::find(config_.alpn.begin(), config_.alpn.end(),
                                                            ext.alpn->front()) == config_.alpn.end())) {
            return Error::from(Fault::not_offered, "server chose an ALPN protocol we did not offer");
        }
        if (!ext.extended_master_secret && config_.require_extended_master_secret) {
            return Error::from(Fault::extended_master_secret_missing,
                               "server does not support extended master secret");
        }
        if (Status r = check_srtp_answer(config_, ext.use_srtp, negotiated_); !r) return r.error();
        if (!suite->uses_psk()) {
            if (Status r = check_certificate_type_answer(config_, ext, negotiated_); !r) return r.error();
        }
        if (Status r = check_record_size_answer(hello.extensions.record_size_limit, ext, negotiated_); !r) {
            return r.error();
        }
        if (Status r = check_cid_answer(hello.extensions.connection_id, ext.connection_id, negotiated_); !r) {
            return r.error();
        }
        if (Status r = check_rrc_answer(hello.extensions, ext, negotiated_); !r) return r.error();
        const bool resumed = offered_ && !hello.session_id.empty() && sh->session_id == hello.session_id;
        if (resumed) {
            if (Status r = check_resumed_hello(*sh); !r) return r.error();
        }
        if (Status r = record_received(m); !r) return r.error();
        if (ext.alpn) negotiated_.alpn = ext.alpn->front();
        negotiated_.extended_master_secret = ext.extended_master_secret;
        keys_.emplace(*suite, hello.random, sh->random);
        negotiated_.cipher_suite = suite->id;
        negotiated_.server_name = hello.extensions.server_name.value_or("");
        ticket_promised_ = ext.session_ticket.has_value();
        if (suite->uses_psk()) negotiated_.psk_identity = config_.psk->identity();
        if (resumed) return start_abbreviated();
        session_id_ = sh->session_id;
        if (suite->uses_psk()) {
            *state_ = ExpectPskServerKeyExchange{};
        } else {
            *state_ = ExpectCertificate{};
        }
        return engine::Step{};
    }

    Result<engine::Step> on_certificate(const Message& m) {
        auto cert = negotiated_.server_certificate_type == CertificateType::raw_public_key
                        ? messages::decode_raw_public_key_certificate(m.body)
                        : messages::decode_certificate(m.body);
        if (!cert) return cert.error();
        auto key = check_peer_chain(cert->chain);
        if (!key) return key.error();
        if (!key_matches_suite(key->type(), keys_->suite().auth)) {
            return Error::from(Fault::certificate_unsupported, "server certificate key does not fit the cipher suite");
        }
        if (Status r = record_received(m); !r) return r.error();
        *state_ = ExpectServerKeyExchange{std::move(*key)};
        return engine::Step{};
    }

    Result<engine::Step> on_server_key_exchange(const ExpectServerKeyExchange& s, const Message& m) {
        auto ske = messages::decode_server_key_exchange(m.body);
        if (!ske) return ske.error();
        if (!configured(config_.groups, ske->group)) {
            return Error::from(Fault::not_offered, "server chose a group we did not offer");
        }
        const auto scheme = static_cast<SignatureScheme>(ske->signature_scheme);
        if (!configured(config_.signature_schemes, ske->signature_scheme) ||
            !crypto::key_supports(s.server_key.type(), scheme)) {
            return Error::from(Fault::not_offered, "server signed with a scheme we did not offer");
        }
        auto signed_data = messages::server_key_exchange_signed_data(keys_->client_random(), keys_->server_random(), *ske);
        if (!signed_data) return signed_data.error();
        if (!s.server_key.verify(scheme, *signed_data, ske->signature)) {
            return Error::from(Fault::signature_invalid, "ServerKeyExchange signature does not verify");
        }
        auto share = crypto::KeyShare::generate(static_cast<NamedGroup>(ske->group));
        if (!share) return internal(share.error());
        auto premaster = share->agree(ske->public_key);
        if (!premaster) {
            if (premaster.error().code == ErrorCode::invalid_argument) {
                return Error::from(Fault::key_share_invalid, premaster.error().reason);
            }
            return internal(premaster.error());
        }
        if (Status r = record_received(m); !r) return r.error();
        negotiated_.group = static_cast<NamedGroup>(ske->group);
        negotiated_.peer_signature_scheme = scheme;
        *state_ = ExpectCertificateRequestOrDone{std::move(*share), std::move(*premaster)};
        return engine::Step{};
    }

    Result<engine::Step> on_certificate_request(ExpectCertificateRequestOrDone& s, const Message& m) {
        auto cr = messages::decode_certificate_request(m.body);
        if (!cr) return cr.error();
        if (Status r = record_received(m); !r) return r.error();
        *state_ = ExpectServerHelloDone{std::move(s.share), std::move(s.premaster), std::move(*cr)};
        return engine::Step{};
    }

    // `request` is the server's CertificateRequest, if it sent one.
    Result<engine::Step> on_server_hello_done(const crypto::KeyShare& share, const crypto::SecretBytes& premaster,
                                              const messages::CertificateRequest* request, const Message& m) {
        auto done = messages::decode_server_hello_done(m.body);
        if (!done) return done.error();
        if (Status r = record_received(m); !r) return r.error();

        transport::Flight flight{"ClientKeyExchange..Finished", {}};
        std::optional<SignatureScheme> client_scheme;
        if (request) {
            const Credential* cred = config_.credential.get();
            if (credential_fits(config_, negotiated_)) {
                client_scheme =
                    choose_signature_scheme(config_.signature_schemes, &request->signature_schemes, cred->data().key.type());
            }
            messages::Certificate ours;
            ours.raw_public_key = negotiated_.client_certificate_type == CertificateType::raw_public_key;
            if (client_scheme) ours.chain = cred->chain();
            auto certificate = make_message(HandshakeType::certificate, encoded(ours));
            if (!certificate) return certificate.error();
            flight.messages.push_back(std::move(*certificate));
        }
        auto cke = make_message(HandshakeType::client_key_exchange,
                                encoded(messages::ClientKeyExchange{share.public_key()}));
        if (!cke) return cke.error();
        flight.messages.push_back(std::move(*cke));
        return finish_flight(std::move(flight), premaster.span(), client_scheme);
    }

    // Ends our flight, which holds the ClientKeyExchange (and what precedes
    // it): derives the keys (the extended master secret's session hash
    // stops at the ClientKeyExchange), then adds CertificateVerify when we
    // sign with `client_scheme`, ChangeCipherSpec and Finished.
    Result<engine::Step> finish_flight(transport::Flight flight, std::span<const uint8_t> premaster,
                                       std::optional<SignatureScheme> client_scheme) {
        auto keys = derive_keys(premaster);
        if (!keys) return keys.error();

        if (client_scheme) {
            auto signature = config_.credential->data().key.sign(*client_scheme, transcript_.bytes());
            if (!signature) return internal(signature.error());
            messages::CertificateVerify cv{static_cast<uint16_t>(*client_scheme), std::move(*signature)};
            auto verify = make_message(HandshakeType::certificate_verify, encoded(cv));
            if (!verify) return verify.error();
            flight.messages.push_back(std::move(*verify));
        }
        flight.messages.push_back(change_cipher_spec_message());
        auto hash = transcript_hash();
        if (!hash) return hash.error();
        auto verify_data = keys_->finished(true, *hash);
        if (!verify_data) return internal(verify_data.error());
        auto finished = make_message(HandshakeType::finished,
                                     encoded(messages::Finished{std::move(*verify_data)}), kProtectedEpoch);
        if (!finished) return finished.error();
        flight.messages.push_back(std::move(*finished));

        engine::Step step;
        step.keys = std::move(*keys);
        step.write_epoch = kProtectedEpoch;
        step.flight = std::move(flight);
        if (ticket_promised_) {
            *state_ = ExpectNewSessionTicket{};  // frees the key share and the premaster secret
            return step;
        }
        *state_ = ExpectChangeCipherSpec{};  // frees the key share and the premaster secret
        return expect_change_cipher_spec(std::move(step));
    }

    Result<engine::Step> on_psk_server_key_exchange(const Message& m) {
        const bool ecdhe = keys_->suite().uses_ecdhe();
        auto ske = messages::decode_psk_server_key_exchange(m.body, ecdhe);
        if (!ske) return ske.error();
        ExpectPskServerHelloDone next;
        if (ecdhe) {
            if (!configured(config_.groups, ske->ecdhe->group)) {
                return Error::from(Fault::not_offered, "server chose a group we did not offer");
            }
            auto share = crypto::KeyShare::generate(static_cast<NamedGroup>(ske->ecdhe->group));
            if (!share) return internal(share.error());
            auto secret = share->agree(ske->ecdhe->public_key);
            if (!secret) {
                if (secret.error().code == ErrorCode::invalid_argument) {
                    return Error::from(Fault::key_share_invalid, secret.error().reason);
                }
                return internal(secret.error());
            }
            negotiated_.group = static_cast<NamedGroup>(ske->ecdhe->group);
            next.share.emplace(std::move(*share));
            next.ecdhe_secret = std::move(*secret);
        }
        if (Status r = record_received(m); !r) return r.error();
        negotiated_.psk_identity_hint.assign(ske->identity_hint.begin(), ske->identity_hint.end());
        *state_ = std::move(next);
        return engine::Step{};
    }

    Result<engine::Step> on_psk_server_hello_done(const ExpectPskServerHelloDone& s, const Message& m) {
        auto done = messages::decode_server_hello_done(m.body);
        if (!done) return done.error();
        if (Status r = record_received(m); !r) return r.error();
        const PreSharedKey& psk = *config_.psk;
        messages::PskClientKeyExchange ours;
        ours.identity.assign(psk.identity().begin(), psk.identity().end());
        if (s.share) ours.ecdhe_public_key = s.share->public_key();
        auto cke = make_message(HandshakeType::client_key_exchange, encoded(ours));
        if (!cke) return cke.error();
        transport::Flight flight{"ClientKeyExchange..Finished", {}};
        flight.messages.push_back(std::move(*cke));
        const crypto::SecretBytes premaster = psk_premaster(s.ecdhe_secret.span(), psk.key());
        return finish_flight(std::move(flight), premaster.span(), std::nullopt);
    }

    Result<engine::Step> on_finished(const Message& m) {
        if (negotiated_.resumed) return on_resumed_finished(m);
        if (Status r = check_peer_finished(m); !r) return r.error();
        state_.reset();
        keep_session();
        engine::Step step;
        step.await_reply = false;
        step.complete = true;
        return step;
    }

    // --- Resumption (tls12/resumption.hpp) ---------------------------------

    // The server resumes the session we offered: with its suite and its
    // kind of master secret (RFC 7627 5.3), or not at all.
    Status check_resumed_hello(const messages::ServerHello& sh) const {
        const detail::SessionData& session = offered_->data();
        if (sh.cipher_suite != static_cast<uint16_t>(session.cipher_suite)) {
            return Error::from(Fault::forbidden_value, "server resumed the session with another cipher suite");
        }
        if (sh.extensions.extended_master_secret != session.extended_master_secret) {
            return Error::from(Fault::extended_master_secret_missing,
                               "server resumed the session with a different extended_master_secret");
        }
        return Ok{};
    }

    // After the ServerHello of an abbreviated handshake: the session's master
    // secret gives the keys, and what the session showed of the server is
    // what this connection shows.
    Result<engine::Step> start_abbreviated() {
        const detail::SessionData& session = offered_->data();
        negotiated_.resumed = true;
        negotiated_.peer_chain = session.peer_chain;
        negotiated_.peer_signature_scheme = session.peer_signature_scheme;
        session_id_ = session.session_id;
        ticket_ = session.ticket;
        auto keys = resume_keys(session.master_secret.span());
        if (!keys) return keys.error();
        engine::Step step;
        step.keys = std::move(*keys);
        if (ticket_promised_) {
            *state_ = ExpectNewSessionTicket{};
            return step;
        }
        *state_ = ExpectChangeCipherSpec{};
        return expect_change_cipher_spec(std::move(step));
    }

    Result<engine::Step> on_new_session_ticket(const Message& m) {
        auto nst = messages::decode_new_session_ticket12(m.body);
        if (!nst) return nst.error();
        if (Status r = record_received(m); !r) return r.error();
        // An empty ticket takes back the one we had (RFC 5077 3.3).
        ticket_ = std::move(nst->ticket);
        ticket_lifetime_hint_ = nst->ticket_lifetime_hint;
        ticket_received_ = true;
        *state_ = ExpectChangeCipherSpec{};
        return expect_change_cipher_spec(engine::Step{});
    }

    // The server's Finished of an abbreviated handshake, answered by our
    // ChangeCipherSpec and Finished: the last flight, sent again only when
    // the server's flight comes again (RFC 6347 4.2.4).
    Result<engine::Step> on_resumed_finished(const Message& m) {
        if (Status r = check_peer_finished(m); !r) return r.error();
        auto our_hash = transcript_hash();
        if (!our_hash) return our_hash.error();
        auto verify_data = keys_->finished(true, *our_hash);
        if (!verify_data) return internal(verify_data.error());
        auto finished = make_message(HandshakeType::finished, encoded(messages::Finished{std::move(*verify_data)}),
                                     kProtectedEpoch);
        if (!finished) return finished.error();
        state_.reset();
        keep_session();
        engine::Step step;
        step.write_epoch = kProtectedEpoch;
        step.flight =
            transport::Flight{"ChangeCipherSpec..Finished", {change_cipher_spec_message(), std::move(*finished)}};
        step.await_reply = false;
        step.complete = true;
        return step;
    }

    // The session goes (back) into the cache for the next connection:
    // unchanged after a resumption without a new ticket.
    void keep_session() {
        if (!config_.session_cache) return;
        if (negotiated_.resumed && !ticket_received_) {
            config_.session_cache->store(*offered_);
            return;
        }
        std::optional<Session> session = session_to_keep(config_, negotiated_, keys_->master_secret(), session_id_,
                                                         ticket_, ticket_lifetime_hint_, now_);
        if (session) config_.session_cache->store(std::move(*session));
    }

    // Empty once the handshake is complete.
    std::unique_ptr<ClientState> state_;
    bool offered_dtls13_ = false;
    std::optional<Session> offered_;  // the session our hello offered
    bool ticket_promised_ = false;    // the ServerHello's SessionTicket: a NewSessionTicket comes
    Bytes session_id_;                // the server's name for the session
    Bytes ticket_;                    // the server's latest ticket for it
    uint32_t ticket_lifetime_hint_ = 0;
    bool ticket_received_ = false;
};

}  // namespace

std::unique_ptr<engine::Protocol> make_client(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust) {
    return std::make_unique<ClientHandshake>(std::move(config), std::move(trust));
}

Result<std::unique_ptr<engine::Protocol>> make_client_after_hello(std::shared_ptr<const Config> config,
                                                                  std::shared_ptr<const crypto::TrustStore> trust,
                                                                  messages::ClientHello sent) {
    auto client = std::make_unique<ClientHandshake>(std::move(config), std::move(trust), std::move(sent));
    if (Status s = client->adopt_sent_hello(); !s) return s.error();
    return std::unique_ptr<engine::Protocol>(std::move(client));
}

}  // namespace dtls::tls12
