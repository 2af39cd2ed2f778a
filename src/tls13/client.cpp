// The DTLS 1.3 client handshake (RFC 9147 5, RFC 8446 2):
//
//   ClientHello                  ->
//                                <- HelloRetryRequest        (at most one)
//   ClientHello (again)          ->
//                                <- ServerHello; then in epoch 2:
//                                   EncryptedExtensions, [CertificateRequest],
//                                   Certificate, CertificateVerify, Finished
//   in epoch 2: [Certificate, [CertificateVerify]], Finished ->
//                                <- ACK
//
// The client's last flight is retransmitted until the server acknowledges
// it. After the handshake, each NewSessionTicket is acknowledged and, with a
// session cache, kept there as a Session.
//
// With a session cache holding a session for the server name, the
// ClientHello offers it (pre_shared_key, psk_dhe_ke, with its binder) and
// still carries a key share; a server that takes it answers ServerHello,
// EncryptedExtensions, Finished, with no certificates (RFC 8446 2.2).
#include <algorithm>
#include <variant>

#include "crypto/credential.hpp"
#include "crypto/key_exchange.hpp"
#include "crypto/random.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/tls13_messages.hpp"
#include "tls12/certificate_type_negotiation.hpp"
#include "tls12/cid_negotiation.hpp"
#include "tls12/cipher_suites.hpp"
#include "tls12/negotiation.hpp"
#include "tls12/record_size_negotiation.hpp"
#include "tls12/rrc_negotiation.hpp"
#include "tls12/srtp_negotiation.hpp"
#include "dtls/session.hpp"
#include "resumption/session_data.hpp"
#include "tls13/handshake.hpp"
#include "tls13/resumption.hpp"

namespace dtls::tls13 {

namespace {

using messages::HandshakeType;
using messages::encoded;
using transport::Message;

// The states, each with what it alone needs.
// A PSK offered in the ClientHello, with the early stage of the key
// schedule it starts: a session's (from a ticket), or else the external
// one of Config::psk.
struct Offer {
    std::optional<Session> session;
    KeySchedule early;

    KeySchedule::PskKind kind() const {
        return session ? KeySchedule::PskKind::resumption : KeySchedule::PskKind::external;
    }
};

struct ExpectServerHello {
    messages::ClientHello hello;
    std::vector<crypto::KeyShare> shares;  // one per key share in `hello`
    std::optional<uint16_t> retry_suite;   // set once a HelloRetryRequest came
    std::optional<Offer> offer;
};
struct ExpectEncryptedExtensions {
    bool resumed = false;
};
struct ExpectCertificateOrRequest {};
struct ExpectCertificate {
    std::optional<messages::CertificateRequest13> request;
};
struct ExpectCertificateVerify {
    crypto::PublicKey server_key;
    std::optional<messages::CertificateRequest13> request;
};
struct ExpectFinished {
    std::optional<messages::CertificateRequest13> request;
};
struct Established {};

using ClientState = std::variant<ExpectServerHello, ExpectEncryptedExtensions, ExpectCertificateOrRequest,
                                 ExpectCertificate, ExpectCertificateVerify, ExpectFinished, Established>;


bool contains(const std::vector<uint16_t>& list, uint16_t value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

class ClientHandshake final : public Handshake {
public:
    ClientHandshake(std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust)
        : Handshake(Role::client, std::move(config), std::move(trust)) {}

    Result<engine::Step> start() override {
        messages::ClientHello hello;
        if (!crypto::random_bytes(hello.random)) {
            return Error::from(Fault::internal_failure, "the random generator failed");
        }
        client_random_ = hello.random;
        const bool also_dtls12 = config_.enables(ProtocolVersion::dtls1_2);
        hello.cipher_suites = configured_suites(config_);
        if (also_dtls12) {
            for (CipherSuite s : config_.cipher_suites) {
                if (tls12::find_suite(static_cast<uint16_t>(s))) hello.cipher_suites.push_back(static_cast<uint16_t>(s));
            }
        }
        messages::Extensions& ext = hello.extensions;
        ext.supported_versions = std::vector<uint16_t>{messages::kDtls13};
        if (also_dtls12) ext.supported_versions->push_back(messages::kDtls12);
        if (!config_.server_name.empty() && !tls12::is_ip_literal(config_.server_name)) {
            ext.server_name = config_.server_name;
        }
        ext.supported_groups.emplace();
        for (NamedGroup g : config_.groups) ext.supported_groups->push_back(static_cast<uint16_t>(g));
        ext.signature_algorithms.emplace();
        for (SignatureScheme s : config_.signature_schemes) {
            if (!is_pkcs1(s) || also_dtls12) ext.signature_algorithms->push_back(static_cast<uint16_t>(s));
        }
        if (!config_.alpn.empty()) ext.alpn = config_.alpn;
        ext.use_srtp = tls12::srtp_offer(config_);
        ext.record_size_limit = tls12::record_size_limit_offer(config_, also_dtls12);
        tls12::offer_certificate_types(config_, ext);
        // RFC 9147 9 applies RFC 9146's extension to DTLS 1.3 unchanged; a
        // server that picks DTLS 1.2 answers the same offer.
        auto cid = tls12::cid_offer(config_);
        if (!cid) return cid.error();
        ext.connection_id = std::move(*cid);
        // RFC 9853 10.2: rrc beside connection_id, for either version.
        ext.rrc = tls12::rrc_offer(config_, ext);
        if (also_dtls12) {
            ext.ec_point_formats = std::vector<uint8_t>{0};
            ext.extended_master_secret = true;
            ext.renegotiation_info = Bytes{};
        }
        // One share, for our most preferred group; a server that wants
        // another asks with a HelloRetryRequest.
        auto share = crypto::KeyShare::generate(config_.groups.front());
        if (!share) return internal(share.error());
        ext.key_shares = std::vector<messages::KeyShareEntry>{
            {static_cast<uint16_t>(config_.groups.front()), share->public_key()}};
        ExpectServerHello s{std::move(hello), {}, std::nullopt, std::nullopt};
        s.shares.push_back(std::move(*share));
        if (config_.psk) {
            auto offer = external_psk_to_offer();
            if (!offer) return offer.error();
            s.offer = std::move(*offer);
        } else if (config_.session_cache) {
            auto offer = session_to_offer();
            if (!offer) return offer.error();
            s.offer = std::move(*offer);
        }
        state_ = std::make_unique<ClientState>(std::move(s));
        return send_hello(std::get<ExpectServerHello>(*state_));
    }

    const messages::ClientHello* first_hello() const override {
        const auto* s = state_ ? std::get_if<ExpectServerHello>(&*state_) : nullptr;
        return s && !s->retry_suite ? &s->hello : nullptr;
    }

    // What each state accepts, in one place.
    Result<engine::Step> on_message(const Message& m) override {
        if (!state_) return unexpected(m);
        if (auto* s = std::get_if<ExpectServerHello>(&*state_)) {
            if (m.type == HandshakeType::server_hello) return on_server_hello(*s, m);
        } else if (std::holds_alternative<ExpectEncryptedExtensions>(*state_)) {
            if (m.type == HandshakeType::encrypted_extensions) {
                return on_encrypted_extensions(std::get<ExpectEncryptedExtensions>(*state_).resumed, m);
            }
        } else if (std::holds_alternative<ExpectCertificateOrRequest>(*state_)) {
            if (m.type == HandshakeType::certificate_request) return on_certificate_request(m);
            if (m.type == HandshakeType::certificate) return on_certificate(std::nullopt, m);
        } else if (auto* s = std::get_if<ExpectCertificate>(&*state_)) {
            if (m.type == HandshakeType::certificate) return on_certificate(std::move(s->request), m);
        } else if (auto* s = std::get_if<ExpectCertificateVerify>(&*state_)) {
            if (m.type == HandshakeType::certificate_verify) return on_certificate_verify(*s, m);
        } else if (auto* s = std::get_if<ExpectFinished>(&*state_)) {
            if (m.type == HandshakeType::finished) return on_finished(*s, m);
        } else if (std::holds_alternative<Established>(*state_)) {
            if (m.type == HandshakeType::new_session_ticket) return on_new_session_ticket(m);
            if (m.type == HandshakeType::key_update) return on_key_update(m);
            if (m.type == HandshakeType::new_connection_id || m.type == HandshakeType::request_connection_id) {
                return on_connection_id_message(m);
            }
        }
        return unexpected(m);
    }

private:
    const char* waiting_for() const override {
        if (!state_) return "nothing";
        struct Name {
            const char* operator()(const ExpectServerHello&) const { return "ServerHello"; }
            const char* operator()(const ExpectEncryptedExtensions&) const { return "EncryptedExtensions"; }
            const char* operator()(const ExpectCertificateOrRequest&) const {
                return "CertificateRequest or Certificate";
            }
            const char* operator()(const ExpectCertificate&) const { return "Certificate"; }
            const char* operator()(const ExpectCertificateVerify&) const { return "CertificateVerify"; }
            const char* operator()(const ExpectFinished&) const { return "Finished"; }
            const char* operator()(const Established&) const { return "post-handshake messages"; }
        };
        return std::visit(Name{}, *state_);
    }

    // A session from the cache for our server name, if one is left that a
    // suite we offer can resume (one with the session's hash).
    Result<std::optional<Offer>> session_to_offer() {
        std::optional<Session> session = config_.session_cache->take(config_.server_name, now_);
        if (!session) return std::optional<Offer>{};
        if (session->version() != ProtocolVersion::dtls1_3) {
            // A DTLS 1.2 session is resumed only by a client that offers
            // DTLS 1.2 alone; it stays in the cache for one.
            config_.session_cache->store(std::move(*session));
            return std::optional<Offer>{};
        }
        const SuiteInfo* suite = find_suite(static_cast<uint16_t>(session->cipher_suite()));
        const std::vector<uint16_t> ours = configured_suites(config_);
        if (!suite || !std::any_of(ours.begin(), ours.end(), [&](uint16_t code) {
                const SuiteInfo* other = find_suite(code);
                return other && other->hash == suite->hash;
            })) {
            return std::optional<Offer>{};
        }
        auto early = KeySchedule::with_psk(KeyDerivation(suite->hash), session->data().psk.span());
        if (!early) return early.error();
        return std::optional<Offer>{Offer{std::move(*session), std::move(*early)}};
    }

    // Config::psk as an external PSK (RFC 8446 2.2), with SHA-256, the hash
    // a PSK provisioned without one uses (RFC 8446 4.2.11), if a suite we
    // offer has that hash.
    Result<std::optional<Offer>> external_psk_to_offer() {
        const std::vector<uint16_t> ours = configured_suites(config_);
        if (!std::any_of(ours.begin(), ours.end(), [](uint16_t code) {
                const SuiteInfo* suite = find_suite(code);
                return suite && suite->hash == crypto::HashAlgorithm::sha256;
            })) {
            return std::optional<Offer>{};
        }
        auto early = KeySchedule::with_psk(KeyDerivation(crypto::HashAlgorithm::sha256), config_.psk->key());
        if (!early) return early.error();
        return std::optional<Offer>{Offer{std::nullopt, std::move(*early)}};
    }

    // The pre_shared_key and psk_key_exchange_modes of the offer, the
    // binder computed over the hello as it will be sent (RFC 8446 4.2.11.2).
    Status add_offer(ExpectServerHello& s) {
        const KeyDerivation& kdf = s.offer->early.kdf();
        messages::Extensions& ext = s.hello.extensions;
        messages::PskIdentity identity;
        if (s.offer->session) {
            const detail::SessionData& session = s.offer->session->data();
            const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now_ - session.received);
            identity = {session.ticket, static_cast<uint32_t>(age.count()) + session.age_add};
        } else {
            // An external PSK has no age: 0 (RFC 8446 4.2.11).
            identity = {Bytes(config_.psk->identity().begin(), config_.psk->identity().end()), 0};
        }
        ext.psk_key_exchange_modes = std::vector<uint8_t>{kPskDheKe};
        if (!s.offer->session && config_.psk_without_dhe) ext.psk_key_exchange_modes->push_back(kPskKe);
        ext.offered_psks = messages::OfferedPsks{{std::move(identity)}, {Bytes(kdf.hash_length(), 0)}};
        auto body = encoded(s.hello);
        if (!body) return body.error();
        auto binder = psk_binder(kdf, s.offer->early, s.offer->kind(), *body);
        if (!binder) return binder.error();
        ext.offered_psks->binders.front() = std::move(*binder);
        return Ok{};
    }

    Result<engine::Step> send_hello(ExpectServerHello& s) {
        if (s.offer) {
            if (Status o = add_offer(s); !o) return o.error();
        }
        auto hello = make_message(HandshakeType::client_hello, encoded(s.hello), 0);
        if (!hello) return hello.error();
        engine::Step step;
        step.flight = transport::Flight{"ClientHello", {std::move(*hello)}};
        return step;
    }

    // The checks a ServerHello and a HelloRetryRequest share (RFC 8446
    // 4.1.3, 4.1.4; RFC 9147 5.3, 5.4).
    Result<const SuiteInfo*> check_server_hello_fields(const ExpectServerHello& s, const messages::ServerHello& sh) {
        const messages::Extensions& ext = sh.extensions;
        if (!ext.supported_versions) {
            return Error::from(Fault::unsupported_version, "the server chose DTLS 1.2, which is not enabled");
        }
        if (ext.supported_versions->size() != 1 || ext.supported_versions->front() != messages::kDtls13) {
            return Error::from(Fault::not_offered, "the server chose a version we did not offer");
        }
        if (sh.version != messages::kDtls12) {
            return Error::from(Fault::forbidden_value, "legacy_version of a DTLS 1.3 ServerHello must be DTLS 1.2");
        }
        if (!sh.session_id.empty()) {
            return Error::from(Fault::forbidden_value, "legacy_session_id_echo must be empty in DTLS 1.3");
        }
        if (sh.compression_method != 0) return Error::from(Fault::forbidden_value, "the server chose compression");
        const SuiteInfo* suite = find_suite(sh.cipher_suite);
        if (!suite || !contains(s.hello.cipher_suites, sh.cipher_suite)) {
            return Error::from(Fault::not_offered, "the server chose a cipher suite we did not offer");
        }
        if (s.retry_suite && *s.retry_suite != sh.cipher_suite) {
            return Error::from(Fault::forbidden_value, "the ServerHello's suite is not the HelloRetryRequest's");
        }
        if (!ext.unknown.empty() || ext.server_name || ext.supported_groups || ext.ec_point_formats ||
            ext.signature_algorithms || ext.signature_algorithms_cert || ext.alpn || ext.extended_master_secret ||
            ext.renegotiation_info || ext.psk_key_exchange_modes || ext.offered_psks || ext.early_data ||
            ext.max_early_data_size || ext.record_size_limit || ext.max_fragment_length ||
            ext.client_certificate_types || ext.server_certificate_types || ext.session_ticket) {
            return Error::from(Fault::unsolicited_extension, "ServerHello has an extension we did not offer");
        }
        return suite;
    }

    Result<engine::Step> on_server_hello(ExpectServerHello& s, const Message& m) {
        auto sh = messages::decode_server_hello(m.body);
        if (!sh) return sh.error();
        if (messages::is_hello_retry_request(*sh)) return on_hello_retry_request(s, *sh, m);
        auto suite = check_server_hello_fields(s, *sh);
        if (!suite) return suite.error();
        if (sh->extensions.cookie) return Error::from(Fault::unsolicited_extension, "a cookie in a ServerHello");
        // The answer comes in the ServerHello, as in DTLS 1.2 (RFC 9146 3; the
        // extension's TLS 1.3 messages are CH and SH), so that the server's
        // first protected records already carry our CID.
        if (Status r = tls12::check_cid_answer(s.hello.extensions.connection_id, sh->extensions.connection_id,
                                               negotiated_);
            !r) {
            return r.error();
        }
        if (Status r = tls12::check_rrc_answer(s.hello.extensions, sh->extensions, negotiated_); !r) return r.error();
        const bool resumed = sh->extensions.selected_psk_identity.has_value();
        if (resumed) {
            // RFC 8446 4.2.11: the identity we offered (there is one), and
            // a suite with the hash of its PSK.
            if (!s.offer) return Error::from(Fault::unsolicited_extension, "the server chose a PSK we did not offer");
            if (*sh->extensions.selected_psk_identity != 0 || (*suite)->hash != s.offer->early.kdf().hash()) {
                return Error::from(Fault::forbidden_value, "the server chose a PSK identity or hash we did not offer");
            }
        }
        // psk_ke: our external PSK without (EC)DHE, if we offered that mode.
        const bool without_dhe = resumed && !s.offer->session && config_.psk_without_dhe &&
                                 !sh->extensions.key_shares;
        std::optional<NamedGroup> group;
        crypto::SecretBytes dhe;
        if (!without_dhe) {
            if (!sh->extensions.key_shares || sh->extensions.key_shares->size() != 1) {
                return Error::from(Fault::missing_extension, "ServerHello has no key_share");
            }
            const messages::KeyShareEntry& entry = sh->extensions.key_shares->front();
            auto share = std::find_if(s.shares.begin(), s.shares.end(), [&](const crypto::KeyShare& k) {
                return static_cast<uint16_t>(k.group()) == entry.group;
            });
            if (share == s.shares.end()) {
                return Error::from(Fault::forbidden_value, "the server's key share is for a group we sent no share for");
            }
            auto secret = agree(*share, entry.key_exchange);
            if (!secret) return secret.error();
            dhe = std::move(*secret);
            group = share->group();
        }
        choose_suite(**suite);
        if (Status r = record_received(m); !r) return r.error();
        if (resumed && s.offer->session) {
            const detail::SessionData& session = s.offer->session->data();
            negotiated_.resumed = true;
            negotiated_.peer_chain = session.peer_chain;
            negotiated_.peer_signature_scheme = session.peer_signature_scheme;
        } else if (resumed) {
            negotiated_.psk_identity = config_.psk->identity();
        }
        if (resumed) start_schedule_with(std::move(s.offer->early));
        auto keys = without_dhe ? derive_handshake_keys_without_dhe() : derive_handshake_keys(dhe.span());
        if (!keys) return keys.error();
        if (group) negotiated_.group = *group;
        negotiated_.server_name = s.hello.extensions.server_name.value_or("");
        *state_ = ExpectEncryptedExtensions{resumed};  // frees the key shares and the offer
        engine::Step step;
        step.keys = std::move(*keys);
        step.read_epoch = kHandshakeEpoch;
        step.write_epoch = kHandshakeEpoch;
        return step;
    }

    Result<engine::Step> on_hello_retry_request(ExpectServerHello& s, const messages::ServerHello& hrr,
                                                const Message& m) {
        if (s.retry_suite) return Error::from(Fault::unexpected_message, "a second HelloRetryRequest");
        auto suite = check_server_hello_fields(s, hrr);
        if (!suite) return suite.error();
        const messages::Extensions& ext = hrr.extensions;
        const std::optional<uint16_t> group = ext.key_share_selected_group;
        if (group) {
            const bool ours = std::any_of(config_.groups.begin(), config_.groups.end(),
                                          [&](NamedGroup g) { return static_cast<uint16_t>(g) == *group; });
            const bool already_sent = std::any_of(s.shares.begin(), s.shares.end(), [&](const crypto::KeyShare& k) {
                return static_cast<uint16_t>(k.group()) == *group;
            });
            if (!ours || already_sent) {
                return Error::from(Fault::forbidden_value,
                                   "HelloRetryRequest asks for a group we did not offer or already sent a share for");
            }
        }
        if (!group && !ext.cookie) {
            return Error::from(Fault::forbidden_value, "a HelloRetryRequest that would not change the ClientHello");
        }
        if (ext.selected_psk_identity) {
            return Error::from(Fault::unsolicited_extension, "pre_shared_key in a HelloRetryRequest");
        }
        // A PSK whose hash is not the chosen suite's cannot be used: the
        // second hello does without it (RFC 8446 4.1.4).
        if (s.offer && s.offer->early.kdf().hash() != (*suite)->hash) {
            s.offer.reset();
            s.hello.extensions.offered_psks.reset();
            s.hello.extensions.psk_key_exchange_modes.reset();
        }

        // The first ClientHello gives way to its hash in the transcript
        // (RFC 8446 4.4.1), with the hash of the suite the server chose.
        choose_suite(**suite);
        if (auto folded = replace_client_hello1_by_its_hash(); !folded) return folded.error();
        if (Status r = record_received(m); !r) return r.error();

        // The second hello differs only where the server asked (RFC 8446 4.1.2).
        if (ext.cookie) s.hello.extensions.cookie = ext.cookie;
        if (group) {
            auto share = crypto::KeyShare::generate(static_cast<NamedGroup>(*group));
            if (!share) return internal(share.error());
            s.hello.extensions.key_shares = std::vector<messages::KeyShareEntry>{{*group, share->public_key()}};
            s.shares.clear();
            s.shares.push_back(std::move(*share));
        }
        s.retry_suite = hrr.cipher_suite;
        return send_hello(s);
    }

    Result<engine::Step> on_encrypted_extensions(bool resumed, const Message& m) {
        auto ee = messages::decode_encrypted_extensions(m.body);
        if (!ee) return ee.error();
        const messages::Extensions& ext = ee->extensions;
        if (!ext.unknown.empty() || ext.early_data || (ext.server_name && config_.server_name.empty()) ||
            (ext.alpn && config_.alpn.empty())) {
            return Error::from(Fault::unsolicited_extension, "EncryptedExtensions has an extension we did not offer");
        }
        if (ext.server_name && !ext.server_name->empty()) {
            return Error::from(Fault::forbidden_value, "server_name in EncryptedExtensions must be empty");
        }
        if (ext.alpn && (ext.alpn->size() != 1 || std::find(config_.alpn.begin(), config_.alpn.end(),
                                                            ext.alpn->front()) == config_.alpn.end())) {
            return Error::from(Fault::not_offered, "the server chose an ALPN protocol we did not offer");
        }
        if (Status r = tls12::check_srtp_answer(config_, ext.use_srtp, negotiated_); !r) return r.error();
        if (!resumed) {
            if (Status r = tls12::check_certificate_type_answer(config_, ext, negotiated_); !r) return r.error();
        }
        const std::optional<uint16_t> offered_limit =
            tls12::record_size_limit_offer(config_, config_.enables(ProtocolVersion::dtls1_2));
        if (Status r = tls12::check_record_size_answer(offered_limit, ext, negotiated_); !r) return r.error();
        if (Status r = record_received(m); !r) return r.error();
        if (ext.alpn) negotiated_.alpn = ext.alpn->front();
        // A resumed session shows no certificates: the Finished comes next.
        if (resumed) {
            *state_ = ExpectFinished{};
        } else {
            *state_ = ExpectCertificateOrRequest{};
        }
        return engine::Step{};
    }

    Result<engine::Step> on_certificate_request(const Message& m) {
        auto cr = messages::decode_certificate_request13(m.body);
        if (!cr) return cr.error();
        if (!cr->request_context.empty()) {
            return Error::from(Fault::forbidden_value, "certificate_request_context must be empty in the handshake");
        }
        if (Status r = record_received(m); !r) return r.error();
        *state_ = ExpectCertificate{std::move(*cr)};
        return engine::Step{};
    }

    Result<engine::Step> on_certificate(std::optional<messages::CertificateRequest13> request, const Message& m) {
        auto certificate = messages::decode_certificate13(m.body);
        if (!certificate) return certificate.error();
        if (!certificate->request_context.empty()) {
            return Error::from(Fault::forbidden_value, "certificate_request_context must be empty in the handshake");
        }
        // RFC 8446 4.4.2.4: a server must authenticate.
        if (certificate->entries.empty()) return Error::from(Fault::malformed_message, "the server sent no certificate");
        auto key = check_peer_chain(certificate->entries);
        if (!key) return key.error();
        if (Status r = record_received(m); !r) return r.error();
        *state_ = ExpectCertificateVerify{std::move(*key), std::move(request)};
        return engine::Step{};
    }

    Result<engine::Step> on_certificate_verify(ExpectCertificateVerify& s, const Message& m) {
        if (Status c = check_certificate_verify(s.server_key, m); !c) return c.error();
        *state_ = ExpectFinished{std::move(s.request)};
        return engine::Step{};
    }

    Result<engine::Step> on_finished(const ExpectFinished& s, const Message& m) {
        auto fin = messages::decode_finished(m.body, kdf_->hash_length());
        if (!fin) return fin.error();
        if (Status c = check_finished(Role::server, fin->verify_data); !c) return c.error();
        if (Status r = record_received(m); !r) return r.error();
        auto application_keys = derive_application_keys();
        if (!application_keys) return application_keys.error();

        transport::Flight flight{"Finished", {}};
        if (s.request) {
            // Our certificate if we have one the server's schemes can sign
            // for, else an empty Certificate (RFC 8446 4.4.2).
            std::optional<SignatureScheme> scheme;
            const std::vector<uint16_t>* offer = s.request->extensions.signature_algorithms
                                                     ? &*s.request->extensions.signature_algorithms
                                                     : nullptr;
            if (tls12::credential_fits(config_, negotiated_) && offer) {
                scheme = choose_signature_scheme(*offer, config_.credential->data().key.type());
            }
            auto certificate = make_certificate(scheme.has_value());
            if (!certificate) return certificate.error();
            flight.messages.push_back(std::move(*certificate));
            if (scheme) {
                auto verify = make_message(HandshakeType::certificate_verify, make_certificate_verify(*scheme),
                                           kHandshakeEpoch);
                if (!verify) return verify.error();
                flight.messages.push_back(std::move(*verify));
            }
            flight.name = "Certificate..Finished";
        }
        auto verify_data = finished_verify_data(Role::client);
        if (!verify_data) return verify_data.error();
        auto finished = make_message(HandshakeType::finished, encoded(messages::Finished{std::move(*verify_data)}),
                                     kHandshakeEpoch);
        if (!finished) return finished.error();
        flight.messages.push_back(std::move(*finished));
        if (Status r = derive_resumption_secret(); !r) return r.error();

        *state_ = Established{};
        engine::Step step;
        step.keys = std::move(*application_keys);
        step.read_epoch = kApplicationEpoch;
        step.write_epoch = kApplicationEpoch;
        step.flight = std::move(flight);
        // Sent again until the server acknowledges it (RFC 9147 5.8.3).
        step.await_reply = true;
        step.complete = true;
        return step;
    }

    Result<engine::Step> on_new_session_ticket(const Message& m) {
        auto ticket = messages::decode_new_session_ticket13(m.body);
        if (!ticket) return ticket.error();
        // A lifetime of 0 says not to use the ticket (RFC 8446 4.6.1).
        if (config_.session_cache && ticket->ticket_lifetime > 0) {
            auto psk = resumption_psk(*kdf_, resumption_secret_.span(), ticket->ticket_nonce);
            if (!psk) return psk.error();
            auto session = std::make_shared<detail::SessionData>();
            session->cipher_suite = negotiated_.cipher_suite;
            session->psk = std::move(*psk);
            session->ticket = std::move(ticket->ticket);
            session->age_add = ticket->ticket_age_add;
            session->received = now_;
            session->expires = now_ + std::min<Duration>(std::chrono::seconds(ticket->ticket_lifetime), kMaxTicketLifetime);
            session->server_name = config_.server_name;
            session->peer_chain = negotiated_.peer_chain;
            session->peer_signature_scheme = negotiated_.peer_signature_scheme;
            config_.session_cache->store(Session(std::move(session)));
        }
        engine::Step step;
        step.acknowledge = true;
        return step;
    }

    std::unique_ptr<ClientState> state_;
};

}  // namespace

std::unique_ptr<Handshake> make_dtls13_client(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust) {
    return std::make_unique<ClientHandshake>(std::move(config), std::move(trust));
}

}  // namespace dtls::tls13
