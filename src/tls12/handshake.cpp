#include "tls12/handshake.hpp"

#include "tls12/certificate_type_negotiation.hpp"
#include "tls12/peer_chain.hpp"

namespace dtls::tls12 {


Error internal(const Error& cause) { return Error::from(Fault::internal_failure, cause.reason); }

Handshake::Handshake(Role role, std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust)
    : role_(role), config_owner_(std::move(config)), config_(*config_owner_), trust_(std::move(trust)) {}

// --- Records: DTLS 1.2's rules ---------------------------------------------

engine::CipherChange Handshake::on_change_cipher_spec(uint64_t epoch, std::span<const uint8_t> payload) {
    if (epoch != 0 || payload.size() != 1 || payload[0] != 1) {
        return {true, "malformed or protected ChangeCipherSpec", std::nullopt};
    }
    if (change_cipher_spec_taken_) return {true, "ChangeCipherSpec again", std::nullopt};
    if (!expects_change_cipher_spec()) {
        // Reordered ahead of the messages before it: remembered and taken
        // only once the state machine asks for it, so it can never skip a
        // step (the CCS injection of OpenSSL CVE-2014-0224).
        early_change_cipher_spec_ = true;
        return {false, "ChangeCipherSpec early: applied when the messages before it are in", std::nullopt};
    }
    change_cipher_spec_taken_ = true;
    change_cipher_spec_received();
    engine::Step step;
    step.read_epoch = kProtectedEpoch;
    return {false, "", std::move(step)};
}

std::optional<Error> Handshake::on_unauthenticated_record() {
    constexpr unsigned kLimit = 2;
    if (!change_cipher_spec_taken_ || ++unauthenticated_finished_ < kLimit) return std::nullopt;
    Error e = finished_mismatch();
    e.reason += " (its Finished record does not authenticate under our keys)";
    return e;
}

Status Handshake::check_peer_finished(const transport::Message& m) {
    auto fin = messages::decode_finished(m.body);
    if (!fin) return fin.error();
    auto hash = transcript_hash();
    if (!hash) return hash.error();
    // The peer's Finished: the client's when we are the server.
    auto expected = keys_->finished(role_ == Role::server, *hash);
    if (!expected) return internal(expected.error());
    if (!crypto::equal_constant_time(*expected, fin->verify_data)) return finished_mismatch();
    return record_received(m);
}

Error Handshake::finished_mismatch() const {
    return Error::from(Fault::finished_invalid, role_ == Role::server ? "client Finished does not verify"
                                                                      : "server Finished does not verify");
}

engine::Step Handshake::expect_change_cipher_spec(engine::Step step) {
    if (early_change_cipher_spec_) {
        early_change_cipher_spec_ = false;
        change_cipher_spec_taken_ = true;
        change_cipher_spec_received();
        step.read_epoch = kProtectedEpoch;
    }
    return step;
}

engine::FragmentRule Handshake::screen(uint64_t epoch, const transport::FragmentHeader& header,
                                       bool established) const {
    using Action = engine::FragmentRule::Action;
    const bool hello_request = header.type == messages::HandshakeType::hello_request;
    if (!established) {
        // HelloRequest is not part of any handshake we make, and during one
        // it is to be ignored (RFC 5246 7.4.1.1); it must not use up the
        // message_seq a genuine message needs.
        if (role_ == Role::client && hello_request) return {Action::ignore, "HelloRequest during the handshake"};
        return {};
    }
    // A new handshake restarts message_seq at 0 (RFC 6347 4.2.2), so it
    // looks old; its type and protected epoch give it away.
    const bool asks_renegotiation = role_ == Role::server
                                        ? header.type == messages::HandshakeType::client_hello
                                        : hello_request;
    if (asks_renegotiation && epoch == kProtectedEpoch) {
        return {Action::refuse, "renegotiation is never done", Alert::no_renegotiation};
    }
    return {Action::ignore, "handshake message after the handshake"};
}

// --- Messages and keys -------------------------------------------------------

Result<transport::FlightMessage> Handshake::make_message(messages::HandshakeType type, Result<Bytes> body,
                                                         uint64_t epoch) {
    if (!body) return body.error();
    transport::FlightMessage m;
    m.content = record::ContentType::handshake;
    m.epoch = epoch;
    m.type = type;
    m.seq = next_send_seq_++;
    m.body = std::move(*body);
    if (!transcript_.add(m.type, m.seq, m.body)) {
        return Error::from(Fault::internal_failure, "handshake message too long");
    }
    return m;
}

transport::FlightMessage Handshake::change_cipher_spec_message() {
    transport::FlightMessage m;
    m.content = record::ContentType::change_cipher_spec;
    m.epoch = 0;
    m.body = {1};
    return m;
}

Status Handshake::record_received(const transport::Message& m) {
    if (!transcript_.add(m.type, m.seq, m.body)) return Error::from(Fault::internal_failure, "message too long");
    return Ok{};
}

Result<Bytes> Handshake::transcript_hash() const {
    auto hash = transcript_.hash(keys_->suite().prf_hash);
    if (!hash) return internal(hash.error());
    return hash;
}

Result<std::vector<engine::EpochKeys>> Handshake::derive_keys(std::span<const uint8_t> premaster) {
    Bytes session_hash;
    if (negotiated_.extended_master_secret) {
        auto hash = transcript_hash();
        if (!hash) return hash.error();
        session_hash = std::move(*hash);
    }
    if (Status s = keys_->derive_master_secret(premaster, session_hash); !s) return s.error();
    return epoch_keys();
}

Result<std::vector<engine::EpochKeys>> Handshake::resume_keys(std::span<const uint8_t> master_secret) {
    keys_->resume_master_secret(master_secret);
    return epoch_keys();
}

Result<std::vector<engine::EpochKeys>> Handshake::epoch_keys() {
    if (config_.keylog) config_.keylog(keys_->keylog_line());
    auto k = keys_->traffic_keys();
    if (!k) return k.error();
    const SuiteInfo& suite = keys_->suite();
    const bool client = role_ == Role::client;
    using Direction = record::RecordProtection::Direction;
    // RFC 9146 3: a direction whose receiver issued a non-empty CID uses
    // tls12_cid records from the first protected epoch on; the other keeps
    // RFC 6347's records.
    auto protection = [&](Direction direction, std::span<const uint8_t> key, std::span<const uint8_t> iv,
                          const Bytes& cid) -> Result<record::Protection> {
        if (!cid.empty()) {
            auto p = record::CidProtection::create(suite.aead, direction, key, iv, cid);
            if (!p) return p.error();
            return record::Protection(std::move(*p));
        }
        auto p = record::RecordProtection::create(suite.aead, direction, key, iv);
        if (!p) return p.error();
        return record::Protection(std::move(*p));
    };
    auto write = protection(Direction::seal, (client ? k->client_key : k->server_key).span(),
                            (client ? k->client_iv : k->server_iv).span(), negotiated_.peer_connection_id);
    auto read = protection(Direction::open, (client ? k->server_key : k->client_key).span(),
                           (client ? k->server_iv : k->client_iv).span(), negotiated_.our_connection_id);
    if (!write) return internal(write.error());
    if (!read) return internal(read.error());
    std::vector<engine::EpochKeys> keys;
    keys.push_back({engine::EpochKeys::Direction::write, kProtectedEpoch, std::move(*write), {}});
    keys.push_back({engine::EpochKeys::Direction::read, kProtectedEpoch, std::move(*read), {}});
    return keys;
}

Result<crypto::PublicKey> Handshake::check_peer_chain(const std::vector<Bytes>& chain) {
    if (peer_certificate_type(role_, negotiated_) == CertificateType::raw_public_key) {
        auto key = tls12::check_peer_raw_public_key(config_, role_, chain);
        if (key) negotiated_.peer_raw_public_key = chain.front();
        return key;
    }
    auto key = tls12::check_peer_chain(config_, trust_.get(), role_, chain);
    if (key) negotiated_.peer_chain = chain;
    return key;
}

Error Handshake::unexpected(const transport::Message& m) const {
    return Error::from(Fault::unexpected_message,
                       std::string(messages::to_string(m.type)) + " received while waiting for " + waiting_for());
}

void Handshake::finish() { transcript_.clear(); }

Result<Bytes> Handshake::export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                                bool use_context, size_t length) const {
    if (!keys_) return Error{ErrorCode::invalid_state, std::nullopt, "keying material is available once established"};
    return keys_->export_keying_material(label, context, use_context, length);
}

}  // namespace dtls::tls12
