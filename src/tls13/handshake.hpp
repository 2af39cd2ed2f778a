// What the DTLS 1.3 client and server handshakes share (RFC 9147 5, RFC 8446
// 4): the transcript over the 4-byte TLS handshake header, the key schedule
// walked as the messages arrive, the epochs each message belongs to, the
// CertificateVerify and Finished computations, and the rules DTLS 1.3 gives
// records (no ChangeCipherSpec; every flight is acknowledged).
//
// As in src/tls12/, each role keeps its progress as a std::variant of state
// types, and a handler checks a message completely before it replaces the
// state; a message that fails ends the connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key_exchange.hpp"
#include "crypto/signature.hpp"
#include "crypto/trust_store.hpp"
#include "dtls/config.hpp"
#include "engine/protocol.hpp"
#include "messages/extensions.hpp"
#include "messages/messages.hpp"
#include "messages/tls13_messages.hpp"
#include "resumption/ticket_keys.hpp"
#include "tls13/cipher_suites.hpp"
#include "tls13/hello_retry.hpp"
#include "tls13/key_schedule.hpp"
#include "transport/transcript.hpp"

namespace dtls::tls13 {

// RFC 9147 6.1: epoch 0 carries the hellos in plaintext, epoch 2 the rest of
// the handshake, epoch 3 the first application keys; each KeyUpdate moves a
// direction to the next epoch. (Epoch 1 is for early data, which is refused.)
constexpr uint64_t kHandshakeEpoch = 2;
constexpr uint64_t kApplicationEpoch = 3;

// PKCS#1 v1.5 signature schemes, which exist only in DTLS 1.2 (RFC 8446
// 4.2.3): never offered for DTLS 1.3 signatures.
bool is_pkcs1(SignatureScheme scheme);

// Whether a key of this type may sign or verify with `scheme` in DTLS 1.3:
// ECDSA schemes name their curve, RSA signs with PSS only (RFC 8446 4.2.3).
bool usable_in_tls13(crypto::KeyType key, SignatureScheme scheme);

// The DTLS 1.3 suites of the configuration, in its order.
std::vector<uint16_t> configured_suites(const Config& config);

class Handshake : public engine::Protocol {
public:
    Handshake(Role role, std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust);

    engine::CipherChange on_change_cipher_spec(uint64_t epoch, std::span<const uint8_t> payload) final;
    engine::FragmentRule screen(uint64_t epoch, const transport::FragmentHeader& header,
                                bool established) const final;
    void at(Instant now) final { now_ = now; }
    const Negotiated& negotiated() const final { return negotiated_; }
    void finish() final;
    bool acknowledges_records() const final { return true; }
    Result<engine::Step> update_keys(bool request_peer) final;
    bool use_spare_connection_id() final;
    void flight_acknowledged() final { key_update_unacknowledged_ = false; }
    // DTLS 1.3 drops such records (RFC 9147 4.5.2); the usage limits count them.
    std::optional<Error> on_unauthenticated_record() final { return std::nullopt; }
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context, bool use_context,
                                         size_t length) const final;

    // Client: the ClientHello sent first, until the server answers it (a
    // server that answers the DTLS 1.2 way hands it to a DTLS 1.2 client).
    virtual const messages::ClientHello* first_hello() const { return nullptr; }

protected:
    virtual const char* waiting_for() const = 0;

    // Makes an outgoing handshake message: assigns its message_seq and adds
    // it to the transcript.
    Result<transport::FlightMessage> make_message(messages::HandshakeType type, Result<Bytes> body, uint64_t epoch);
    // An outgoing handshake message with the next message_seq.
    Result<transport::FlightMessage> numbered_message(messages::HandshakeType type, Result<Bytes> body,
                                                      uint64_t epoch);
    // A message after the handshake (NewSessionTicket, KeyUpdate): in our
    // current write epoch, and outside the transcript, which is gone.
    Result<transport::FlightMessage> make_post_handshake_message(messages::HandshakeType type, Result<Bytes> body);
    // Adds a received message to the transcript.
    Status record_received(const transport::Message& m);
    // Transcript-Hash of everything so far, with the suite's hash.
    Result<Bytes> transcript_hash() const;
    // After a HelloRetryRequest the first ClientHello gives way to its hash
    // (RFC 8446 4.4.1): the transcript, which holds just that hello, restarts
    // as message_hash(its hash). Returns the hash.
    Result<Bytes> replace_client_hello1_by_its_hash();
    // The transcript restarts as message_hash(client_hello1_hash) (a server
    // rebuilding it from the front door's cookie).
    Status restart_transcript(std::span<const uint8_t> client_hello1_hash);

    // The (EC)DHE secret; a peer share that is not a valid key is
    // key_share_invalid (illegal_parameter).
    static Result<crypto::SecretBytes> agree(const crypto::KeyShare& ours, std::span<const uint8_t> peer_share);

    // Fixes the suite, and with it the hash of the transcript and the keys.
    void choose_suite(const SuiteInfo& suite);

    // The (EC)DHE secret is known and the ServerHello is in the transcript:
    // derives the handshake traffic secrets (from the PSK schedule
    // start_schedule_with began, or from none) and returns the epoch 2 keys
    // of both directions. Without a secret (psk_ke) the schedule takes
    // Hash.length zeros in its place (RFC 8446 7.1).
    Result<std::vector<engine::EpochKeys>> derive_handshake_keys(std::span<const uint8_t> dhe_shared_secret);
    Result<std::vector<engine::EpochKeys>> derive_handshake_keys_without_dhe();
    Result<std::vector<engine::EpochKeys>> handshake_keys_from_schedule();
    // The PSK binder of a ClientHello body (RFC 8446 4.2.11.2): HMAC with
    // the binder key of `early` over the transcript so far and the body cut
    // where its binders start. `kdf` is the PSK's hash; the body must have a
    // pre_shared_key extension last.
    Result<Bytes> psk_binder(const KeyDerivation& kdf, const KeySchedule& early, KeySchedule::PskKind kind,
                             std::span<const uint8_t> hello_body) const;
    // Whether `binder` is that binder, compared in constant time; a wrong
    // one is decrypt_error (RFC 8446 4.2.11).
    Status check_psk_binder(const KeyDerivation& kdf, const KeySchedule& early, KeySchedule::PskKind kind,
                            std::span<const uint8_t> hello_body,
                            std::span<const uint8_t> binder) const;
    // The key schedule starts from a PSK (a resumed session) instead of none.
    void start_schedule_with(KeySchedule early) { schedule_.emplace(std::move(early)); }

    // The server Finished is in the transcript: derives the application
    // traffic secrets and the exporter secret, and returns the epoch 3 keys
    // of both directions.
    Result<std::vector<engine::EpochKeys>> derive_application_keys();
    // The client Finished is in the transcript: the resumption secret; the
    // key schedule has nothing more to give.
    Status derive_resumption_secret();

    // The verify_data `sender` sends now, over the transcript so far.
    Result<Bytes> finished_verify_data(Role sender) const;
    Status check_finished(Role sender, std::span<const uint8_t> received) const;

    // The bytes a CertificateVerify by `signer` signs now (RFC 8446 4.4.3).
    Result<Bytes> certificate_verify_content(Role signer) const;
    // Signs a CertificateVerify with our credential.
    Result<Bytes> make_certificate_verify(SignatureScheme scheme) const;
    // Checks a received CertificateVerify against the peer's key; on success
    // records the scheme.
    Status check_certificate_verify(const crypto::PublicKey& peer_key, const transport::Message& m);

    // The first of our schemes that the peer offered and our key can use.
    std::optional<SignatureScheme> choose_signature_scheme(const std::vector<uint16_t>& peer_offer,
                                                           crypto::KeyType key) const;

    // Checks the peer's chain with the trust store and the application's
    // verifier; on success returns the leaf's public key.
    Result<crypto::PublicKey> check_peer_chain(const std::vector<messages::CertificateEntry>& entries);
    // Our Certificate message (an empty one when `with_chain` is false).
    Result<transport::FlightMessage> make_certificate(bool with_chain);

    Error unexpected(const transport::Message& m) const;

    // A KeyUpdate from the peer, once established (RFC 8446 4.6.3, RFC 9147
    // 8): the keys of its next epoch, an ACK, and our own KeyUpdate when it
    // asks for one and none of ours is in flight.
    Result<engine::Step> on_key_update(const transport::Message& m);

    // NewConnectionId or RequestConnectionId, once established (RFC 9147
    // 9): unexpected_message unless the hellos agreed the CIDs they need.
    // cid_immediate makes our records carry its first CID from now on; the
    // other CIDs are kept as spares, in order, up to kMaxSpareConnectionIds
    // (further ones are discarded, as RFC 9147 9 allows). A request is
    // acknowledged without an answer (we issue no CIDs after the handshake:
    // an endpoint routes by the one it registered). See
    // docs/connection-id.md.
    Result<engine::Step> on_connection_id_message(const transport::Message& m);
    static constexpr size_t kMaxSpareConnectionIds = 8;

    Role role_;
    std::shared_ptr<const Config> config_owner_;
    const Config& config_;
    std::shared_ptr<const crypto::TrustStore> trust_;
    Negotiated negotiated_;
    transport::Transcript transcript_{transport::Transcript::HeaderForm::tls13};
    const SuiteInfo* suite_ = nullptr;
    std::optional<KeyDerivation> kdf_;
    std::optional<KeySchedule> schedule_;
    messages::Random client_random_{};  // names the secrets in the key log
    uint16_t next_send_seq_ = 0;
    Instant now_{};                      // of the input being handled
    crypto::SecretBytes resumption_secret_;  // once the client Finished is in the transcript

private:
    void log_secret(std::string_view label, std::span<const uint8_t> secret) const;
    // The keys of `epoch` from a pair of traffic secrets: ours to write, the
    // peer's to read.
    Result<std::vector<engine::EpochKeys>> both_directions(uint64_t epoch, const TrafficSecrets& secrets) const;
    Result<engine::EpochKeys> epoch_keys(engine::EpochKeys::Direction direction, uint64_t epoch,
                                         std::span<const uint8_t> secret) const;

    // Our KeyUpdate: the next write epoch's keys, the message asking or not
    // for the peer's, sent until acknowledged.
    Result<engine::Step> send_key_update(bool request_peer);

    TrafficSecrets handshake_secrets_;
    TrafficSecrets application_secrets_;  // each direction's current generation
    uint64_t read_generation_ = kApplicationEpoch;   // the epoch of the peer's current secret
    uint64_t write_generation_ = kApplicationEpoch;  // of ours
    bool key_update_unacknowledged_ = false;
    std::vector<Bytes> spare_peer_cids_;  // from NewConnectionId, oldest first (a vector: no allocation while empty)
    crypto::SecretBytes exporter_secret_;
};

// A failure of ours that is not the peer's fault.
Error internal(const Error& cause);

// The DTLS 1.3 state machines alone; versions.hpp adds the choice of version.
std::unique_ptr<Handshake> make_dtls13_client(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust);
// `retry`: the connection was made by the front door for a second
// ClientHello that carried its cookie; null for a first ClientHello.
// `tickets`: the keys of our session tickets, null when we send none.
std::unique_ptr<Handshake> make_dtls13_server(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust,
                                              std::optional<RetryContext> retry,
                                              std::shared_ptr<resumption::TicketKeys> tickets);

}  // namespace dtls::tls13
