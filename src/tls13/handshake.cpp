#include "tls13/handshake.hpp"

#include <algorithm>

#include "crypto/credential.hpp"
#include "engine/key_log.hpp"
#include "messages/connection_id_messages.hpp"
#include "messages/hello_retry_request.hpp"
#include "tls12/certificate_type_negotiation.hpp"
#include "tls12/peer_chain.hpp"
#include "tls13/exporter.hpp"
#include "tls13/finished.hpp"
#include "tls13/key_update.hpp"
#include "tls13/traffic_keys.hpp"

namespace dtls::tls13 {

namespace {

using messages::HandshakeType;

// The messages that travel in plaintext: the hellos (a HelloRetryRequest is
// a ServerHello in form).
bool is_hello(HandshakeType type) {
    return type == HandshakeType::client_hello || type == HandshakeType::server_hello;
}

}  // namespace

Error internal(const Error& cause) { return Error::from(Fault::internal_failure, cause.reason); }

bool is_pkcs1(SignatureScheme scheme) {
    return scheme == SignatureScheme::rsa_pkcs1_sha256 || scheme == SignatureScheme::rsa_pkcs1_sha384;
}

bool usable_in_tls13(crypto::KeyType key, SignatureScheme scheme) {
    switch (scheme) {
        case SignatureScheme::ecdsa_secp256r1_sha256: return key == crypto::KeyType::ecdsa_p256;
        case SignatureScheme::ecdsa_secp384r1_sha384: return key == crypto::KeyType::ecdsa_p384;
        case SignatureScheme::rsa_pss_rsae_sha256:
        case SignatureScheme::rsa_pss_rsae_sha384: return key == crypto::KeyType::rsa;
        case SignatureScheme::ed25519: return key == crypto::KeyType::ed25519;
        case SignatureScheme::rsa_pkcs1_sha256:
        case SignatureScheme::rsa_pkcs1_sha384: return false;
    }
    return false;
}

std::vector<uint16_t> configured_suites(const Config& config) {
    std::vector<uint16_t> out;
    for (CipherSuite s : config.cipher_suites) {
        if (find_suite(static_cast<uint16_t>(s))) out.push_back(static_cast<uint16_t>(s));
    }
    return out;
}

Handshake::Handshake(Role role, std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust)
    : role_(role), config_owner_(std::move(config)), config_(*config_owner_), trust_(std::move(trust)) {
    negotiated_.version = ProtocolVersion::dtls1_3;
}

// --- Records: DTLS 1.3's rules -----------------------------------------------

engine::CipherChange Handshake::on_change_cipher_spec(uint64_t, std::span<const uint8_t>) {
    // DTLS 1.3 has no compatibility mode: nobody sends ChangeCipherSpec
    // (RFC 9147 5). One that arrives is noise or a forgery; it is dropped.
    return {true, "ChangeCipherSpec is not part of DTLS 1.3", std::nullopt};
}

engine::FragmentRule Handshake::screen(uint64_t epoch, const transport::FragmentHeader& header,
                                       bool established) const {
    using Action = engine::FragmentRule::Action;
    if (!established) {
        // Each message has its epoch. One that must be protected but came in
        // plaintext is not genuine: anyone can write it, so it is dropped. A
        // hello in a protected record authenticated as the peer's: it goes
        // to the state machine, which ends the handshake with
        // unexpected_message as for any message out of order (RFC 8446 4).
        if (!is_hello(header.type) && epoch == 0) {
            return {Action::ignore, "a message that must be protected came in plaintext"};
        }
        if (epoch > kHandshakeEpoch) return {Action::ignore, "a handshake message in an application epoch"};
        return {};
    }
    // After the handshake only protected messages count; the state machine
    // answers those it does not expect.
    if (epoch < kApplicationEpoch) return {Action::ignore, "handshake message after the handshake"};
    return {};
}

// --- Messages ----------------------------------------------------------------

Result<transport::FlightMessage> Handshake::numbered_message(HandshakeType type, Result<Bytes> body, uint64_t epoch) {
    if (!body) return body.error();
    transport::FlightMessage m;
    m.content = record::ContentType::handshake;
    m.epoch = epoch;
    m.type = type;
    m.seq = next_send_seq_++;
    m.body = std::move(*body);
    return m;
}

Result<transport::FlightMessage> Handshake::make_message(HandshakeType type, Result<Bytes> body, uint64_t epoch) {
    auto m = numbered_message(type, std::move(body), epoch);
    if (!m) return m;
    if (!transcript_.add(m->type, m->seq, m->body)) {
        return Error::from(Fault::internal_failure, "handshake message too long");
    }
    return m;
}

Status Handshake::record_received(const transport::Message& m) {
    if (!transcript_.add(m.type, m.seq, m.body)) return Error::from(Fault::internal_failure, "message too long");
    return Ok{};
}

Result<Bytes> Handshake::replace_client_hello1_by_its_hash() {
    auto hello1_hash = transcript_hash();
    if (!hello1_hash) return hello1_hash.error();
    if (Status s = restart_transcript(*hello1_hash); !s) return s.error();
    return hello1_hash;
}

Status Handshake::restart_transcript(std::span<const uint8_t> client_hello1_hash) {
    auto message_hash = messages::synthetic_message_hash(client_hello1_hash);
    if (!message_hash) return message_hash.error();
    transcript_.clear();
    transcript_.add_encoded(*message_hash);
    return Ok{};
}

Result<crypto::SecretBytes> Handshake::agree(const crypto::KeyShare& ours, std::span<const uint8_t> peer_share) {
    auto shared = ours.agree(peer_share);
    if (shared) return shared;
    // A share that is not a valid point is the peer's fault; anything else is ours.
    if (shared.error().code == ErrorCode::invalid_argument) {
        return Error::from(Fault::key_share_invalid, shared.error().reason);
    }
    return internal(shared.error());
}

Result<Bytes> Handshake::transcript_hash() const {
    auto hash = transcript_.hash(suite_->hash);
    if (!hash) return internal(hash.error());
    return hash;
}

void Handshake::choose_suite(const SuiteInfo& suite) {
    suite_ = &suite;
    kdf_.emplace(suite.hash);
    negotiated_.cipher_suite = static_cast<CipherSuite>(suite.code_point);
}

Error Handshake::unexpected(const transport::Message& m) const {
    return Error::from(Fault::unexpected_message,
                       std::string(messages::to_string(m.type)) + " received while waiting for " + waiting_for());
}

// --- Keys ----------------------------------------------------------------------

void Handshake::log_secret(std::string_view label, std::span<const uint8_t> secret) const {
    // The NSS key log names TLS 1.3 secrets by these labels and the client
    // random; DTLS 1.3 uses the same ones.
    if (config_.keylog) config_.keylog(engine::key_log_line(label, client_random_, secret));
}

Result<engine::EpochKeys> Handshake::epoch_keys(engine::EpochKeys::Direction direction, uint64_t epoch,
                                                std::span<const uint8_t> secret) const {
    auto keys = derive_traffic_keys(*kdf_, suite_->aead, secret);
    if (!keys) return keys.error();
    using Direction = record::Dtls13Protection::Direction;
    auto protection = record::Dtls13Protection::create(
        suite_->aead, direction == engine::EpochKeys::Direction::write ? Direction::seal : Direction::open,
        keys->key.span(), keys->iv.span(), keys->sn_key.span());
    if (!protection) return internal(protection.error());
    return engine::EpochKeys{direction, epoch, std::move(*protection),
                             record::dtls13_usage_limits(suite_->aead, config_.dtls13_ccm8_failure_limit)};
}

Result<std::vector<engine::EpochKeys>> Handshake::both_directions(uint64_t epoch, const TrafficSecrets& secrets) const {
    const bool client = role_ == Role::client;
    using Direction = engine::EpochKeys::Direction;
    auto write = epoch_keys(Direction::write, epoch, (client ? secrets.client : secrets.server).span());
    if (!write) return write.error();
    auto read = epoch_keys(Direction::read, epoch, (client ? secrets.server : secrets.client).span());
    if (!read) return read.error();
    std::vector<engine::EpochKeys> keys;
    keys.push_back(std::move(*write));
    keys.push_back(std::move(*read));
    return keys;
}

Result<std::vector<engine::EpochKeys>> Handshake::derive_handshake_keys(std::span<const uint8_t> dhe_shared_secret) {
    if (!schedule_) {
        auto schedule = KeySchedule::without_psk(*kdf_);
        if (!schedule) return schedule.error();
        schedule_.emplace(std::move(*schedule));
    }
    if (Status s = schedule_->derive_handshake_secret(dhe_shared_secret); !s) return s.error();
    return handshake_keys_from_schedule();
}

Result<std::vector<engine::EpochKeys>> Handshake::derive_handshake_keys_without_dhe() {
    // Only a PSK's schedule can do without (EC)DHE.
    if (!schedule_) return Error::from(Fault::internal_failure, "TLS 1.3 key schedule: psk_ke without a PSK");
    if (Status s = schedule_->derive_handshake_secret_without_dhe(); !s) return s.error();
    return handshake_keys_from_schedule();
}

Result<std::vector<engine::EpochKeys>> Handshake::handshake_keys_from_schedule() {
    auto hash = transcript_hash();
    if (!hash) return hash.error();
    auto secrets = schedule_->handshake_traffic_secrets(*hash);
    if (!secrets) return secrets.error();
    handshake_secrets_ = std::move(*secrets);
    log_secret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", handshake_secrets_.client.span());
    log_secret("SERVER_HANDSHAKE_TRAFFIC_SECRET", handshake_secrets_.server.span());

    return both_directions(kHandshakeEpoch, handshake_secrets_);
}

Result<std::vector<engine::EpochKeys>> Handshake::derive_application_keys() {
    if (Status s = schedule_->derive_master_secret(); !s) return s.error();
    auto hash = transcript_hash();
    if (!hash) return hash.error();
    auto secrets = schedule_->application_traffic_secrets(*hash);
    if (!secrets) return secrets.error();
    application_secrets_ = std::move(*secrets);
    auto exporter = schedule_->exporter_master_secret(*hash);
    if (!exporter) return exporter.error();
    exporter_secret_ = std::move(*exporter);
    log_secret("CLIENT_TRAFFIC_SECRET_0", application_secrets_.client.span());
    log_secret("SERVER_TRAFFIC_SECRET_0", application_secrets_.server.span());
    log_secret("EXPORTER_SECRET", exporter_secret_.span());

    return both_directions(kApplicationEpoch, application_secrets_);
}

Status Handshake::derive_resumption_secret() {
    auto hash = transcript_hash();
    if (!hash) return hash.error();
    auto secret = schedule_->resumption_master_secret(*hash);
    if (!secret) return secret.error();
    resumption_secret_ = std::move(*secret);
    // The handshake secrets have done their work.
    handshake_secrets_ = TrafficSecrets{};
    return schedule_->end();
}

namespace {

// Transcript-Hash(transcript so far, Truncate(ClientHello)).
Result<Bytes> truncated_hello_hash(const KeyDerivation& kdf, std::span<const uint8_t> transcript,
                                   std::span<const uint8_t> hello_body) {
    const std::optional<size_t> cut = messages::binders_offset(hello_body);
    if (!cut) return Error::from(Fault::internal_failure, "the ClientHello has no binders to cut");
    Bytes hashed(transcript.begin(), transcript.end());
    // The TLS header gives the length of the whole body (RFC 9147 5.2).
    const size_t length = hello_body.size();
    hashed.push_back(static_cast<uint8_t>(messages::HandshakeType::client_hello));
    hashed.push_back(static_cast<uint8_t>(length >> 16));
    hashed.push_back(static_cast<uint8_t>(length >> 8));
    hashed.push_back(static_cast<uint8_t>(length));
    hashed.insert(hashed.end(), hello_body.begin(), hello_body.begin() + static_cast<std::ptrdiff_t>(*cut));
    auto hash = kdf.hash_of(hashed);
    if (!hash) return internal(hash.error());
    return Bytes(hash->begin(), hash->end());
}

}  // namespace

Result<Bytes> Handshake::psk_binder(const KeyDerivation& kdf, const KeySchedule& early, KeySchedule::PskKind kind,
                                    std::span<const uint8_t> hello_body) const {
    auto hash = truncated_hello_hash(kdf, transcript_.bytes(), hello_body);
    if (!hash) return hash.error();
    auto key = early.binder_key(kind);
    if (!key) return key.error();
    auto binder = verify_data(kdf, key->span(), *hash);
    if (!binder) return binder.error();
    return Bytes(binder->begin(), binder->end());
}

Status Handshake::check_psk_binder(const KeyDerivation& kdf, const KeySchedule& early, KeySchedule::PskKind kind,
                                   std::span<const uint8_t> hello_body, std::span<const uint8_t> binder) const {
    auto hash = truncated_hello_hash(kdf, transcript_.bytes(), hello_body);
    if (!hash) return hash.error();
    auto key = early.binder_key(kind);
    if (!key) return key.error();
    Status checked = check_verify_data(kdf, key->span(), *hash, binder);
    if (!checked && checked.error().fault == Fault::finished_invalid) {
        return Error::from(Fault::finished_invalid, "the PSK binder does not verify");
    }
    return checked;
}

Result<Bytes> Handshake::finished_verify_data(Role sender) const {
    auto hash = transcript_hash();
    if (!hash) return hash.error();
    const crypto::SecretBytes& base =
        sender == Role::client ? handshake_secrets_.client : handshake_secrets_.server;
    auto data = verify_data(*kdf_, base.span(), *hash);
    if (!data) return data.error();
    return Bytes(data->begin(), data->end());
}

Status Handshake::check_finished(Role sender, std::span<const uint8_t> received) const {
    auto hash = transcript_hash();
    if (!hash) return hash.error();
    const crypto::SecretBytes& base =
        sender == Role::client ? handshake_secrets_.client : handshake_secrets_.server;
    return check_verify_data(*kdf_, base.span(), *hash, received);
}

// --- Authentication ------------------------------------------------------------

Result<Bytes> Handshake::certificate_verify_content(Role signer) const {
    // 64 spaces, the context string, a zero byte, then the transcript hash
    // (RFC 8446 4.4.3; RFC 9147 keeps the TLS 1.3 strings).
    static constexpr std::string_view server_context = "TLS 1.3, server CertificateVerify";
    static constexpr std::string_view client_context = "TLS 1.3, client CertificateVerify";
    const std::string_view context = signer == Role::server ? server_context : client_context;
    auto hash = transcript_hash();
    if (!hash) return hash.error();
    Bytes content(64, 0x20);
    content.insert(content.end(), context.begin(), context.end());
    content.push_back(0);
    content.insert(content.end(), hash->begin(), hash->end());
    return content;
}

Result<Bytes> Handshake::make_certificate_verify(SignatureScheme scheme) const {
    auto content = certificate_verify_content(role_);
    if (!content) return content.error();
    auto signature = config_.credential->data().key.sign(scheme, *content);
    if (!signature) return internal(signature.error());
    return messages::encoded(messages::CertificateVerify{static_cast<uint16_t>(scheme), std::move(*signature)});
}

Status Handshake::check_certificate_verify(const crypto::PublicKey& peer_key, const transport::Message& m) {
    auto cv = messages::decode_certificate_verify(m.body);
    if (!cv) return cv.error();
    const auto scheme = static_cast<SignatureScheme>(cv->signature_scheme);
    // Only a scheme we offered, and one the key may use in 1.3 (RFC 8446
    // 4.4.3): an RSA PKCS#1 signature here is refused.
    if (!std::any_of(config_.signature_schemes.begin(), config_.signature_schemes.end(),
                     [&](SignatureScheme s) { return s == scheme; }) ||
        !usable_in_tls13(peer_key.type(), scheme)) {
        return Error::from(Fault::not_offered, "the peer signed with a scheme we did not offer for its key");
    }
    auto content = certificate_verify_content(role_ == Role::client ? Role::server : Role::client);
    if (!content) return content.error();
    if (!peer_key.verify(scheme, *content, cv->signature)) {
        return Error::from(Fault::signature_invalid, "CertificateVerify signature does not verify");
    }
    if (Status r = record_received(m); !r) return r.error();
    negotiated_.peer_signature_scheme = scheme;
    return Ok{};
}

std::optional<SignatureScheme> Handshake::choose_signature_scheme(const std::vector<uint16_t>& peer_offer,
                                                                  crypto::KeyType key) const {
    for (SignatureScheme s : config_.signature_schemes) {
        const bool offered =
            std::find(peer_offer.begin(), peer_offer.end(), static_cast<uint16_t>(s)) != peer_offer.end();
        if (offered && usable_in_tls13(key, s)) return s;
    }
    return std::nullopt;
}

Result<crypto::PublicKey> Handshake::check_peer_chain(const std::vector<messages::CertificateEntry>& entries) {
    std::vector<Bytes> chain;
    chain.reserve(entries.size());
    for (const messages::CertificateEntry& e : entries) chain.push_back(e.cert_data);
    if (tls12::peer_certificate_type(role_, negotiated_) == CertificateType::raw_public_key) {
        auto key = tls12::check_peer_raw_public_key(config_, role_, chain);
        if (key) negotiated_.peer_raw_public_key = chain.front();
        return key;
    }
    auto key = tls12::check_peer_chain(config_, trust_.get(), role_, chain);
    if (key) negotiated_.peer_chain = std::move(chain);
    return key;
}

Result<transport::FlightMessage> Handshake::make_certificate(bool with_chain) {
    messages::Certificate13 certificate;
    if (with_chain) {
        for (const Bytes& der : config_.credential->chain()) certificate.entries.push_back({der, {}});
    }
    return make_message(HandshakeType::certificate, messages::encoded(certificate), kHandshakeEpoch);
}

// --- After the handshake ---------------------------------------------------------

Result<transport::FlightMessage> Handshake::make_post_handshake_message(HandshakeType type, Result<Bytes> body) {
    return numbered_message(type, std::move(body), write_generation_);
}

void Handshake::finish() { transcript_.clear(); }

// --- KeyUpdate -----------------------------------------------------------------

Result<engine::Step> Handshake::on_key_update(const transport::Message& m) {
    auto update = messages::decode_key_update(m.body);
    if (!update) return update.error();
    crypto::SecretBytes& peer = role_ == Role::client ? application_secrets_.server : application_secrets_.client;
    auto next = next_application_traffic_secret(*kdf_, peer.span());
    if (!next) return internal(next.error());
    peer = std::move(*next);
    ++read_generation_;
    auto keys = epoch_keys(engine::EpochKeys::Direction::read, read_generation_, peer.span());
    if (!keys) return keys.error();

    engine::Step step;
    if (update->request_update == messages::KeyUpdateRequest::update_requested && !key_update_unacknowledged_) {
        auto ours = send_key_update(false);
        if (!ours) return ours.error();
        step = std::move(*ours);
    }
    // The new epoch opens when its first record authenticates; the old
    // one's keys stay until then (RFC 9147 8).
    step.keys.push_back(std::move(*keys));
    step.acknowledge = true;
    return step;
}

// --- Connection IDs (RFC 9147 9) -----------------------------------------------

Result<engine::Step> Handshake::on_connection_id_message(const transport::Message& m) {
    // Whoever sends NewConnectionId receives a CID (ours to it is not
    // empty); whoever sends RequestConnectionId sends one (ours from it).
    if (m.type == HandshakeType::new_connection_id) {
        if (!negotiated_.connection_id || negotiated_.peer_connection_id.empty()) {
            return Error::from(Fault::unexpected_message,
                               "NewConnectionId from a peer that agreed to receive no connection ID");
        }
        auto update = messages::decode_new_connection_id(m.body);
        if (!update) return update.error();
        // The engine puts the new CID in every record it seals from now on.
        size_t spares_from = 0;
        if (update->usage == messages::ConnectionIdUsage::cid_immediate) {
            negotiated_.peer_connection_id = std::move(update->cids.front());
            spares_from = 1;
        }
        for (size_t i = spares_from; i < update->cids.size() && spare_peer_cids_.size() < kMaxSpareConnectionIds;
             ++i) {
            spare_peer_cids_.push_back(std::move(update->cids[i]));
        }
    } else {
        if (!negotiated_.connection_id || negotiated_.our_connection_id.empty()) {
            return Error::from(Fault::unexpected_message,
                               "RequestConnectionId from a peer that sends no connection ID");
        }
        auto request = messages::decode_request_connection_id(m.body);
        if (!request) return request.error();
    }
    engine::Step step;
    step.acknowledge = true;
    return step;
}

// RFC 9147 9: receiver-provided CIDs are used in the order they came.
bool Handshake::use_spare_connection_id() {
    if (spare_peer_cids_.empty()) return false;
    negotiated_.peer_connection_id = std::move(spare_peer_cids_.front());
    spare_peer_cids_.erase(spare_peer_cids_.begin());
    return true;
}

// The engine asks only once established and while no flight of ours awaits
// its ACK (engine::Connection::update_keys).
Result<engine::Step> Handshake::update_keys(bool request_peer) { return send_key_update(request_peer); }

Result<engine::Step> Handshake::send_key_update(bool request_peer) {
    crypto::SecretBytes& ours = role_ == Role::client ? application_secrets_.client : application_secrets_.server;
    auto next = next_application_traffic_secret(*kdf_, ours.span());
    if (!next) return internal(next.error());
    messages::KeyUpdate update{request_peer ? messages::KeyUpdateRequest::update_requested
                                            : messages::KeyUpdateRequest::update_not_requested};
    auto message = make_post_handshake_message(HandshakeType::key_update, messages::encoded(update));
    if (!message) return message.error();

    ours = std::move(*next);
    ++write_generation_;
    auto keys = epoch_keys(engine::EpochKeys::Direction::write, write_generation_, ours.span());
    if (!keys) return keys.error();
    key_update_unacknowledged_ = true;
    engine::Step step;
    step.keys.push_back(std::move(*keys));
    step.flight = transport::Flight{"KeyUpdate", {std::move(*message)}};
    step.await_reply = true;  // sent again until acknowledged
    step.write_epoch_when_acknowledged = write_generation_;
    return step;
}

Result<Bytes> Handshake::export_keying_material(std::string_view label, std::span<const uint8_t> context, bool,
                                                size_t length) const {
    // TLS 1.3 makes no difference between no context and an empty one (RFC
    // 8446 7.5).
    if (exporter_secret_.empty()) {
        return Error{ErrorCode::invalid_state, std::nullopt, "keying material is available once established"};
    }
    auto out = tls13::export_keying_material(*kdf_, exporter_secret_.span(), label, context, length);
    if (!out) return out.error();
    return Bytes(out->span().begin(), out->span().end());
}

}  // namespace dtls::tls13
