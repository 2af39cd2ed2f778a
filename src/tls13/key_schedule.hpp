// The TLS 1.3 key schedule of one handshake (RFC 8446 section 7.1), with the
// DTLS 1.3 label prefix by default (RFC 9147 section 5.9).
//
// It walks the left side of RFC 8446's diagram and holds one secret at a
// time, the secret of its stage:
//
//   early      Early Secret     = HKDF-Extract(0, PSK, or 0 without one)
//                -> binder_key, client_early_traffic_secret,
//                   early_exporter_master_secret
//   handshake  Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""),
//                                              (EC)DHE shared secret, or 0 without one)
//                -> client_ and server_handshake_traffic_secret
//   master     Master Secret    = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0)
//                -> client_ and server_application_traffic_secret_0,
//                   exporter_master_secret, resumption_master_secret
//   ended      nothing
//
// Moving on replaces the stage's secret, and SecretBytes wipes what it
// replaces: RFC 8446 7.1 asks that a secret be erased once everything
// derived from it has been computed, and the stages are exactly those
// points. The secrets on the right of the diagram are handed to the caller
// (in SecretBytes) and not kept here.
//
// Callers pass transcript hashes, not messages: Transcript-Hash(ClientHello
// ... ServerHello) and so on, from the transcript they keep; each must be
// Hash.length bytes. A call that does not fit the stage is the caller's bug:
// it fails with Fault::internal_failure and changes nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/secret.hpp"
#include "dtls/errors.hpp"
#include "tls13/key_derivation.hpp"

namespace dtls::tls13 {

// One secret per direction, as the handshake and application stages make
// them (RFC 8446 7.1).
struct TrafficSecrets {
    crypto::SecretBytes client;
    crypto::SecretBytes server;
};

class KeySchedule {
public:
    enum class Stage { early, handshake, master, ended };

    // Where the PSK of the Early Secret came from, which picks the binder
    // key's label so that one kind cannot stand in for the other (RFC 8446
    // 7.1): "ext binder" for one provisioned outside TLS, "res binder" for
    // one from a NewSessionTicket.
    enum class PskKind { external, resumption };

    // The early stage without a PSK: Early Secret = HKDF-Extract(0, 0). (A
    // full handshake still takes this step; its Early Secret only salts the
    // next one.)
    static Result<KeySchedule> without_psk(KeyDerivation kdf);
    // The early stage with a PSK, which must not be empty (the zero PSK is
    // without_psk). A client offering several PSKs keeps one schedule each.
    static Result<KeySchedule> with_psk(KeyDerivation kdf, std::span<const uint8_t> psk);

    const KeyDerivation& kdf() const { return kdf_; }
    Stage stage() const { return stage_; }

    // The secret of the current stage (Early, Handshake or Master Secret;
    // empty once ended). For known-answer tests: nothing on the wire or in a
    // key log is made from it directly.
    std::span<const uint8_t> stage_secret() const { return secret_.span(); }

    // --- early stage ---
    // binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "");
    // the PSK binder is verify_data (finished.hpp) with it as the base key.
    Result<crypto::SecretBytes> binder_key(PskKind kind) const;
    // Derive-Secret(Early Secret, "c e traffic", ClientHello): the 0-RTT keys.
    Result<crypto::SecretBytes> client_early_traffic_secret(std::span<const uint8_t> client_hello_hash) const;
    // Derive-Secret(Early Secret, "e exp master", ClientHello).
    Result<crypto::SecretBytes> early_exporter_master_secret(std::span<const uint8_t> client_hello_hash) const;

    // Early -> handshake, from the (EC)DHE shared secret (not empty). The
    // Early Secret is wiped.
    Status derive_handshake_secret(std::span<const uint8_t> dhe_shared_secret);
    // The same for psk_ke, a PSK without (EC)DHE: the shared secret is 0.
    Status derive_handshake_secret_without_dhe();

    // --- handshake stage ---
    // Derive-Secret(Handshake Secret, "c hs traffic" and "s hs traffic",
    // ClientHello...ServerHello).
    Result<TrafficSecrets> handshake_traffic_secrets(std::span<const uint8_t> server_hello_hash) const;

    // Handshake -> master. The Handshake Secret is wiped: take the handshake
    // traffic secrets first.
    Status derive_master_secret();

    // --- master stage ---
    // Derive-Secret(Master Secret, "c ap traffic" and "s ap traffic",
    // ClientHello...server Finished).
    Result<TrafficSecrets> application_traffic_secrets(std::span<const uint8_t> server_finished_hash) const;
    // Derive-Secret(Master Secret, "exp master", ClientHello...server Finished).
    Result<crypto::SecretBytes> exporter_master_secret(std::span<const uint8_t> server_finished_hash) const;
    // Derive-Secret(Master Secret, "res master", ClientHello...client Finished).
    Result<crypto::SecretBytes> resumption_master_secret(std::span<const uint8_t> client_finished_hash) const;

    // Master -> ended: wipes the Master Secret once every secret above has
    // been taken. (Destroying the schedule wipes it too.)
    Status end();

private:
    KeySchedule(KeyDerivation kdf, crypto::SecretBytes early_secret);
    static Result<KeySchedule> start(KeyDerivation kdf, std::span<const uint8_t> psk_or_zeros);

    Status require(Stage stage, std::string_view what) const;
    Result<crypto::SecretBytes> derive(Stage stage, std::string_view label, std::span<const uint8_t> hash) const;
    Result<TrafficSecrets> derive_pair(Stage stage, std::string_view client_label, std::string_view server_label,
                                       std::span<const uint8_t> hash) const;
    // The next secret down the left side: HKDF-Extract(Derive-Secret(current,
    // "derived", ""), ikm), replacing the current one.
    Status advance(Stage from, std::span<const uint8_t> ikm);

    KeyDerivation kdf_;
    Stage stage_ = Stage::early;
    crypto::SecretBytes secret_;
};

const char* to_string(KeySchedule::Stage stage);

}  // namespace dtls::tls13
