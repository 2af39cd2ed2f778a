// The stages of the key schedule (see key_schedule.hpp). Every derivation
// checks the stage first, so a call out of order fails before it touches a
// secret; a stage changes only once its new secret exists.
#include "tls13/key_schedule.hpp"

#include <array>
#include <string>
#include <utility>

namespace dtls::tls13 {

namespace {

// "0" in RFC 8446 7.1: Hash.length zero bytes, for a missing PSK, a missing
// (EC)DHE shared secret and the IKM of the Master Secret. SHA-384 is the
// longest hash of a TLS 1.3 suite.
constexpr std::array<uint8_t, 48> kZeros{};

std::span<const uint8_t> zeros(const KeyDerivation& kdf) {
    return std::span<const uint8_t>(kZeros).first(kdf.hash_length());
}

}  // namespace

const char* to_string(KeySchedule::Stage stage) {
    switch (stage) {
        case KeySchedule::Stage::early: return "early";
        case KeySchedule::Stage::handshake: return "handshake";
        case KeySchedule::Stage::master: return "master";
        case KeySchedule::Stage::ended: return "ended";
    }
    return "unknown";
}

KeySchedule::KeySchedule(KeyDerivation kdf, crypto::SecretBytes early_secret)
    : kdf_(kdf), secret_(std::move(early_secret)) {}

Result<KeySchedule> KeySchedule::start(KeyDerivation kdf, std::span<const uint8_t> psk_or_zeros) {
    // The salt of the first extraction is "0", which an empty salt means.
    Result<crypto::SecretBytes> early_secret = kdf.extract({}, psk_or_zeros);
    if (!early_secret) return early_secret.error();
    return KeySchedule(kdf, std::move(*early_secret));
}

Result<KeySchedule> KeySchedule::without_psk(KeyDerivation kdf) { return start(kdf, zeros(kdf)); }

Result<KeySchedule> KeySchedule::with_psk(KeyDerivation kdf, std::span<const uint8_t> psk) {
    // HKDF-Extract(0, "") differs from HKDF-Extract(0, 0): an empty PSK is a
    // caller's mistake, not a way of saying "none".
    if (psk.empty()) return Error::from(Fault::internal_failure, "TLS 1.3 key schedule: an empty PSK");
    return start(kdf, psk);
}

Status KeySchedule::require(Stage stage, std::string_view what) const {
    if (stage_ != stage) {
        return Error::from(Fault::internal_failure, "TLS 1.3 key schedule: " + std::string(what) + " belongs to the " +
                                                        to_string(stage) + " stage, not the " + to_string(stage_) +
                                                        " stage");
    }
    return Ok{};
}

Result<crypto::SecretBytes> KeySchedule::derive(Stage stage, std::string_view label,
                                                std::span<const uint8_t> hash) const {
    if (Status ok = require(stage, label); !ok) return ok.error();
    return kdf_.derive_secret(secret_.span(), label, hash);
}

Result<TrafficSecrets> KeySchedule::derive_pair(Stage stage, std::string_view client_label,
                                                std::string_view server_label, std::span<const uint8_t> hash) const {
    Result<crypto::SecretBytes> client = derive(stage, client_label, hash);
    if (!client) return client.error();
    Result<crypto::SecretBytes> server = derive(stage, server_label, hash);
    if (!server) return server.error();
    return TrafficSecrets{std::move(*client), std::move(*server)};
}

Status KeySchedule::advance(Stage from, std::span<const uint8_t> ikm) {
    if (Status ok = require(from, "the next secret"); !ok) return ok;
    Result<crypto::SecretBytes> salt = kdf_.derive_secret_without_messages(secret_.span(), "derived");
    if (!salt) return salt.error();
    Result<crypto::SecretBytes> next = kdf_.extract(salt->span(), ikm);
    if (!next) return next.error();
    // The move assignment wipes the secret it replaces; `salt` wipes itself.
    secret_ = std::move(*next);
    stage_ = from == Stage::early ? Stage::handshake : Stage::master;
    return Ok{};
}

Result<crypto::SecretBytes> KeySchedule::binder_key(PskKind kind) const {
    if (Status ok = require(Stage::early, "binder_key"); !ok) return ok.error();
    return kdf_.derive_secret_without_messages(secret_.span(),
                                               kind == PskKind::external ? "ext binder" : "res binder");
}

Result<crypto::SecretBytes> KeySchedule::client_early_traffic_secret(std::span<const uint8_t> client_hello_hash) const {
    return derive(Stage::early, "c e traffic", client_hello_hash);
}

Result<crypto::SecretBytes> KeySchedule::early_exporter_master_secret(
    std::span<const uint8_t> client_hello_hash) const {
    return derive(Stage::early, "e exp master", client_hello_hash);
}

Status KeySchedule::derive_handshake_secret(std::span<const uint8_t> dhe_shared_secret) {
    // Like an empty PSK, an empty shared secret would silently differ from 0.
    if (dhe_shared_secret.empty()) {
        return Error::from(Fault::internal_failure, "TLS 1.3 key schedule: an empty (EC)DHE shared secret");
    }
    return advance(Stage::early, dhe_shared_secret);
}

Status KeySchedule::derive_handshake_secret_without_dhe() { return advance(Stage::early, zeros(kdf_)); }

Result<TrafficSecrets> KeySchedule::handshake_traffic_secrets(std::span<const uint8_t> server_hello_hash) const {
    return derive_pair(Stage::handshake, "c hs traffic", "s hs traffic", server_hello_hash);
}

Status KeySchedule::derive_master_secret() { return advance(Stage::handshake, zeros(kdf_)); }

Result<TrafficSecrets> KeySchedule::application_traffic_secrets(std::span<const uint8_t> server_finished_hash) const {
    return derive_pair(Stage::master, "c ap traffic", "s ap traffic", server_finished_hash);
}

Result<crypto::SecretBytes> KeySchedule::exporter_master_secret(std::span<const uint8_t> server_finished_hash) const {
    return derive(Stage::master, "exp master", server_finished_hash);
}

Result<crypto::SecretBytes> KeySchedule::resumption_master_secret(
    std::span<const uint8_t> client_finished_hash) const {
    return derive(Stage::master, "res master", client_finished_hash);
}

Status KeySchedule::end() {
    if (Status ok = require(Stage::master, "end"); !ok) return ok;
    secret_.clear();
    stage_ = Stage::ended;
    return Ok{};
}

}  // namespace dtls::tls13
