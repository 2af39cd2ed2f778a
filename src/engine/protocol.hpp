// The seam between the version-independent engine and a protocol version's
// handshake state machine (src/tls12/, later src/tls13/). A state machine
// sees only whole, in-order handshake messages and the records its version
// gives meaning to; it answers with a Step saying what the engine should do.
// It never touches datagrams, records, keys in use or timers: key changes are
// part of the Step, and the engine applies them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dtls/connection.hpp"
#include "dtls/errors.hpp"
#include "record/protection.hpp"
#include "record/usage_limits.hpp"
#include "transport/flight.hpp"
#include "transport/fragment.hpp"
#include "transport/reassembler.hpp"

namespace dtls::engine {

// Keys for one epoch in one direction, ready to install.
struct EpochKeys {
    enum class Direction { read, write };
    Direction direction = Direction::write;
    uint64_t epoch = 0;
    record::Protection protection;
    record::UsageLimits limits;  // DTLS 1.3's; DTLS 1.2 keys have none
};

// What the engine does after an input to the state machine, in this order:
// install keys, switch the read and write epochs, send the flight (the
// retransmission timer runs while the state machine waits for a reply, or
// for the ACK of a flight nothing answers), report completion, and
// acknowledge the peer's records.
struct Step {
    std::vector<EpochKeys> keys;
    std::optional<uint64_t> read_epoch;   // start opening this epoch now
    std::optional<uint64_t> write_epoch;  // records outside flights go out in this epoch from now on
    std::optional<transport::Flight> flight;
    bool await_reply = true;
    bool complete = false;
    // DTLS 1.3: send an ACK for the handshake records of the peer's flight
    // (its last flight of the handshake, or a post-handshake message), which
    // nothing else will acknowledge (RFC 9147 7.1).
    bool acknowledge = false;
    // DTLS 1.3 KeyUpdate: records outside flights move to this epoch (whose
    // keys are in `keys`) once the flight is fully acknowledged, not before
    // (RFC 9147 8, as corrected by its errata).
    std::optional<uint64_t> write_epoch_when_acknowledged;
};

// What a ChangeCipherSpec record did.
struct CipherChange {
    bool dropped = false;       // out of place or malformed: dropped and counted
    const char* why = "";       // for traces
    std::optional<Step> step;   // it took effect now
};

// What to do with a handshake fragment before it reaches the reassembler.
struct FragmentRule {
    enum class Action {
        reassemble,  // an ordinary fragment
        ignore,      // dropped without effect (`why` says why, for traces)
        refuse,      // answered with the warning alert `refusal` (at most once per record), then dropped
    };
    Action action = Action::reassemble;
    const char* why = "";
    Alert refusal = Alert::no_renegotiation;
};

class Protocol {
public:
    virtual ~Protocol() = default;

    // The time of the input that the calls which follow belong to (the
    // engine passes it before each one): for what depends on time, such as
    // a session ticket's age.
    virtual void at(Instant now) { (void)now; }
    // The first step: a client's first flight; nothing for a server.
    virtual Result<Step> start() = 0;
    // The next whole handshake message, in message_seq order.
    virtual Result<Step> on_message(const transport::Message& message) = 0;
    // A ChangeCipherSpec record (DTLS 1.2 gives it meaning).
    virtual CipherChange on_change_cipher_spec(uint64_t epoch, std::span<const uint8_t> payload) = 0;
    // The version's rules for a handshake fragment that arrives in `epoch`,
    // during the handshake or once it is complete.
    virtual FragmentRule screen(uint64_t epoch, const transport::FragmentHeader& header, bool established) const = 0;

    // What has been agreed so far (all of it once the handshake is complete).
    virtual const Negotiated& negotiated() const = 0;

    // The handshake is over: drop what only the handshake needed.
    virtual void finish() = 0;
    // Once finished: a protocol that only chose the version and forwards
    // every call to the one it chose hands that one over, so an established
    // connection keeps no wrapper; any other returns null.
    virtual std::unique_ptr<Protocol> release_chosen() { return nullptr; }

    // Whether this version acknowledges records (DTLS 1.3): the engine then
    // logs which record carried which part of a flight, takes ACK records,
    // and expects unified-header records. A state machine that chooses its
    // version during the handshake may change its answer; the engine asks
    // again after every step.
    virtual bool acknowledges_records() const = 0;

    // DTLS 1.3: a KeyUpdate of our own, asking the peer to update too when
    // `request_peer`. Asked only once complete and while no flight of ours
    // awaits its ACK; a refusal is an invalid_state error (DTLS 1.2 has no
    // KeyUpdate), which does not end the connection.
    virtual Result<Step> update_keys(bool request_peer) = 0;
    // DTLS 1.3 (RFC 9147 9): puts the oldest spare CID the peer gave in
    // negotiated().peer_connection_id, for the records we send from now on.
    // False if there is none (and always in DTLS 1.2).
    virtual bool use_spare_connection_id() { return false; }
    // Our flight was fully acknowledged.
    virtual void flight_acknowledged() {}
    // Before the handshake completes, a record of the current protected read
    // epoch failed to authenticate right after a ChangeCipherSpec (where a
    // DTLS 1.2 peer's Finished travels). An error ends the connection (the two sides'
    // keys disagree); none drops the record, as DTLS drops records that do
    // not authenticate.
    virtual std::optional<Error> on_unauthenticated_record() = 0;

    // The exporter of this version (RFC 5705 for DTLS 1.2), once complete.
    virtual Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                                 bool use_context, size_t length) const = 0;
};

}  // namespace dtls::engine
