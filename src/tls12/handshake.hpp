// What the DTLS 1.2 client and server handshakes share: the session being
// negotiated (randoms, key schedule, transcript, what was agreed), the rules
// DTLS 1.2 gives records (ChangeCipherSpec opens epoch 1; renegotiation is
// refused; a HelloRequest during the handshake is ignored), and the helpers
// both roles use to make messages, derive keys and check the peer.
//
// The roles (client.cpp, server.cpp) keep their progress as a std::variant of
// state types, each holding only what that state needs; a handler checks a
// message completely before it replaces the state, so a message that fails
// never moves the state machine on (every such failure ends the connection).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/signature.hpp"
#include "crypto/trust_store.hpp"
#include "dtls/config.hpp"
#include "engine/protocol.hpp"
#include "messages/messages.hpp"
#include "resumption/session_id_cache.hpp"
#include "resumption/ticket_keys.hpp"
#include "tls12/key_schedule.hpp"
#include "transport/transcript.hpp"

namespace dtls::tls12 {

// Epoch 1 carries everything after ChangeCipherSpec; DTLS 1.2 without
// renegotiation has no other protected epoch.
constexpr uint64_t kProtectedEpoch = 1;

class Handshake : public engine::Protocol {
public:
    Handshake(Role role, std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust);

    engine::CipherChange on_change_cipher_spec(uint64_t epoch, std::span<const uint8_t> payload) final;
    engine::FragmentRule screen(uint64_t epoch, const transport::FragmentHeader& header,
                                bool established) const final;
    const Negotiated& negotiated() const final { return negotiated_; }
    void at(Instant now) final { now_ = now; }
    void finish() final;
    bool acknowledges_records() const final { return false; }
    Result<engine::Step> update_keys(bool) final {
        return Error{ErrorCode::invalid_state, std::nullopt, "DTLS 1.2 has no KeyUpdate"};
    }
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context, bool use_context,
                                         size_t length) const final;
    // After ChangeCipherSpec only the peer's Finished comes in epoch 1 before
    // the handshake completes. When it fails to authenticate twice, each
    // time as the record right after a ChangeCipherSpec (the peer's flight
    // and its retransmission), our keys differ from the peer's:
    // with a PSK suite, a wrong key or an unknown identity. Failing then
    // gives a clear error in about one retransmission period rather than a
    // timeout after all of them. Garbage records elsewhere are dropped as
    // ever; one who can forge the peer's plaintext flight could end the
    // handshake anyway (a forged ClientKeyExchange does).
    std::optional<Error> on_unauthenticated_record() final;

protected:
    // The error for a peer whose Finished did not verify or authenticate.
    virtual Error finished_mismatch() const;
    // Checks the peer's Finished against the transcript (constant-time) and
    // adds it to the transcript.
    Status check_peer_finished(const transport::Message& m);

    // What the state machine waits for, for error messages.
    virtual const char* waiting_for() const = 0;

    // Whether the role's state is the one that waits for ChangeCipherSpec,
    // and moving on from it to waiting for Finished.
    virtual bool expects_change_cipher_spec() const = 0;
    virtual void change_cipher_spec_received() = 0;

    // A Step for entering the state that waits for ChangeCipherSpec: if one
    // arrived early it is taken now, and the Step opens epoch 1.
    engine::Step expect_change_cipher_spec(engine::Step step);

    // Makes an outgoing handshake message: assigns its message_seq and adds
    // it to the transcript.
    Result<transport::FlightMessage> make_message(messages::HandshakeType type, Result<Bytes> body,
                                                  uint64_t epoch = 0);
    static transport::FlightMessage change_cipher_spec_message();
    // Adds a received message to the transcript.
    Status record_received(const transport::Message& m);
    Result<Bytes> transcript_hash() const;

    // Derives the master secret from `premaster` and makes the epoch 1 keys
    // for both directions.
    Result<std::vector<engine::EpochKeys>> derive_keys(std::span<const uint8_t> premaster);
    // An abbreviated handshake: the epoch 1 keys from the master secret of
    // the session it resumes.
    Result<std::vector<engine::EpochKeys>> resume_keys(std::span<const uint8_t> master_secret);
    // The epoch 1 keys of both directions from the master secret in keys_.
    Result<std::vector<engine::EpochKeys>> epoch_keys();

    // Checks the peer's chain with the trust store and the application's
    // verifier; on success returns the leaf's public key.
    Result<crypto::PublicKey> check_peer_chain(const std::vector<Bytes>& chain);

    Error unexpected(const transport::Message& m) const;

    Role role_;
    std::shared_ptr<const Config> config_owner_;
    const Config& config_;
    std::shared_ptr<const crypto::TrustStore> trust_;
    Negotiated negotiated_;
    transport::Transcript transcript_{transport::Transcript::HeaderForm::dtls12};
    std::optional<KeySchedule> keys_;
    uint16_t next_send_seq_ = 0;
    bool early_change_cipher_spec_ = false;  // arrived before the messages that precede it
    bool change_cipher_spec_taken_ = false;
    unsigned unauthenticated_finished_ = 0;
    Instant now_{};  // the time of the current input
};

// A failure of ours that is not the peer's fault (the random generator, a
// signature, the PRF): internal_failure with what failed.
Error internal(const Error& cause);

std::unique_ptr<engine::Protocol> make_client(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust);
// A client whose first ClientHello (`sent`, message 0) offered DTLS 1.3 as
// well, taking over once the server answered it the DTLS 1.2 way (a
// HelloVerifyRequest, or a ServerHello without supported_versions). It
// refuses a ServerHello whose random carries a downgrade sentinel.
Result<std::unique_ptr<engine::Protocol>> make_client_after_hello(std::shared_ptr<const Config> config,
                                                                  std::shared_ptr<const crypto::TrustStore> trust,
                                                                  messages::ClientHello sent);
// The server's state machine; its first message is the ClientHello the
// front door accepted. With `tickets` it issues and takes session tickets,
// with `session_ids` it gives session IDs and resumes them.
std::unique_ptr<engine::Protocol> make_server(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust,
                                              std::shared_ptr<resumption::TicketKeys> tickets = nullptr,
                                              std::shared_ptr<resumption::SessionIdCache> session_ids = nullptr);

}  // namespace dtls::tls12
