// A flight is data: the list of messages one side sends before waiting for
// the peer. It is serialised into datagrams on demand, one per call, at
// whatever the MTU is at that moment, so the first transmission, every
// retransmission and an MTU change all take the same path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "handshake/messages.hpp"
#include "record/record_layer.hpp"

namespace dtls::handshake {

struct FlightMessage {
    record::ContentType content = record::ContentType::handshake;  // or change_cipher_spec
    uint16_t epoch = 0;
    HandshakeType type{};  // handshake messages only
    uint16_t seq = 0;
    Bytes body;
};

struct Flight {
    std::string name;  // by content, e.g. "ServerHello..ServerHelloDone"
    std::vector<FlightMessage> messages;
};

// Walks a flight, producing datagrams that each fit the MTU. Records are
// packed together while they fit; a handshake message larger than the space
// left is fragmented.
class FlightWriter {
public:
    // Starts (or restarts) sending `flight` from its first byte.
    void start(const Flight* flight);
    void stop() { flight_ = nullptr; }
    bool active() const { return flight_ != nullptr; }

    // Appends the next datagram to `out` (which the caller clears) and returns
    // true, or returns false when the flight has been sent completely.
    bool next_datagram(size_t mtu, record::RecordLayer& records, std::vector<uint8_t>& out);

private:
    const Flight* flight_ = nullptr;
    size_t message_ = 0;  // index of the message being sent
    size_t offset_ = 0;   // bytes of its body already sent
};

}  // namespace dtls::handshake
