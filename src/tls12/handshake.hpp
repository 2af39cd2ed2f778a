// The interface between the connection engine and a role's handshake state
// machine. A state machine sees only whole, in-order handshake messages and
// ChangeCipherSpec; it answers with a Step saying what to send next, or an
// Error naming the alert. It never touches datagrams or timers.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "crypto/key_exchange.hpp"
#include "crypto/signature.hpp"
#include "crypto/trust_store.hpp"
#include "dtls/connection.hpp"
#include "handshake/flight.hpp"
#include "handshake/reassembler.hpp"
#include "record/record_layer.hpp"
#include "tls12/key_schedule.hpp"

namespace dtls::tls12 {

// What the engine does after a message: send a flight (and whether to wait
// for an answer with the retransmission timer), and whether the handshake is
// now complete.
struct Step {
    std::optional<handshake::Flight> flight;
    bool await_reply = true;
    bool complete = false;
};

// State both roles share while handshaking.
struct HandshakeContext {
    HandshakeContext(const Config& c, record::RecordLayer& r, Negotiated& n) : config(c), records(r), negotiated(n) {}

    const Config& config;
    record::RecordLayer& records;
    Negotiated& negotiated;
    std::shared_ptr<const crypto::TrustStore> trust;

    Bytes transcript;  // every message from the (cookie-carrying) ClientHello on
    handshake::Random client_random{};
    handshake::Random server_random{};
    std::optional<KeySchedule> keys;
    uint16_t next_send_seq = 0;

    // Appends a received message to the transcript.
    void record_received(const handshake::Message& m);
    // Makes an outgoing handshake message: assigns its message_seq and
    // appends it to the transcript.
    handshake::FlightMessage make_message(handshake::HandshakeType type, Bytes body, uint16_t epoch = 0);
    static handshake::FlightMessage change_cipher_spec();
    Bytes transcript_hash() const;

    // Derives the master secret and installs the epoch 1 keys for both
    // directions (the read side takes effect on ChangeCipherSpec).
    Status install_keys(std::span<const uint8_t> premaster, bool client);

    // Checks the peer chain with the trust store and the application
    // verifier; on success returns the leaf's public key.
    Result<crypto::PublicKey> check_peer_chain(const std::vector<Bytes>& chain, bool peer_is_server);
};

class Handshake {
public:
    virtual ~Handshake() = default;
    // The first flight (the client's ClientHello); nothing for a server.
    virtual Result<Step> start() = 0;
    virtual Result<Step> on_message(const handshake::Message& message) = 0;
    virtual bool expects_change_cipher_spec() const = 0;
    virtual void on_change_cipher_spec() = 0;
    // Name of what the state machine waits for, for error messages and traces.
    virtual const char* waiting_for() const = 0;
};

Error unexpected(const handshake::Message& m, const Handshake& h);
Error alert_error(Alert alert, std::string reason);

std::unique_ptr<Handshake> make_client(HandshakeContext& ctx);

// The server's state machine; its first message is the ClientHello the
// front door accepted.
std::unique_ptr<Handshake> make_server(HandshakeContext& ctx);

}  // namespace dtls::tls12
