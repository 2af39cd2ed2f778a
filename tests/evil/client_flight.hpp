// Forging the client's final flight with the real keys: any choice of
// messages, in any order, with any message_seq, followed by a
// ChangeCipherSpec and a Finished whose verify_data is computed over exactly
// the messages sent (so it authenticates and verifies against what the
// server saw, the way a malicious client that holds the master secret would
// build it). Used to prove that only the state machine stands between a
// skipped CertificateVerify and an authenticated connection.
#pragma once

#include <optional>
#include <vector>

#include "evil/evil_peer.hpp"

namespace dtls::test {

struct FlightMessage {
    messages::HandshakeType type;
    uint16_t seq;
    Bytes body;
};

enum class FinishedForm { protected_record, plaintext };

// The server's transcript before the client's final flight: the ClientHello
// with the cookie and the server's first flight (HelloVerifyRequest and the
// first ClientHello stay out, RFC 6347 4.2.1).
inline Bytes transcript_before_client_flight(const EvilPeer& e) {
    Bytes out;
    for (const Unit& u : e.messages_sent_by(Role::client)) {
        if (u.message == messages::HandshakeType::client_hello && u.message_seq == 1) {
            append_transcript_form(*u.message, u.message_seq, u.body, out);
        }
    }
    for (const Unit& u : e.messages_sent_by(Role::server)) {
        if (u.message == messages::HandshakeType::hello_verify_request) continue;
        append_transcript_form(*u.message, u.message_seq, u.body, out);
    }
    return out;
}

// The genuine message of `type` in the client's held flight.
inline FlightMessage genuine_client_message(EvilPeer& e, messages::HandshakeType type) {
    for (const Unit& u : e.queue(Direction::to_server)) {
        if (u.message == type) return {type, u.message_seq, u.body};
    }
    ADD_FAILURE() << "the client's flight has no " << messages::to_string(type);
    return {type, 0, {}};
}

struct ForgedFlight {
    std::vector<Bytes> datagrams;  // messages, ChangeCipherSpec, Finished
    Bytes verify_data;
};

inline ForgedFlight forge_client_flight(EvilPeer& e, const std::vector<FlightMessage>& messages,
                                        uint16_t finished_seq, FinishedForm form = FinishedForm::protected_record) {
    ForgedFlight out;
    Bytes transcript = transcript_before_client_flight(e);
    for (const FlightMessage& msg : messages) {
        append_transcript_form(msg.type, msg.seq, msg.body, transcript);
        out.datagrams.push_back(handshake_record(msg.type, msg.seq, msg.body, 910 + msg.seq));
    }
    out.datagrams.push_back(change_cipher_spec_record(920));
    const EpochKeys* keys = e.keys();
    if (keys == nullptr) {
        ADD_FAILURE() << "no keys to forge the Finished with";
        return out;
    }
    out.verify_data = finished_verify_data(*keys, true, transcript);
    const auto finished = messages::HandshakeType::finished;
    if (form == FinishedForm::protected_record) {
        out.datagrams.push_back(e.protected_message(Direction::to_server, finished, finished_seq, out.verify_data));
    } else {
        out.datagrams.push_back(handshake_record(finished, finished_seq, out.verify_data, 921));
    }
    return out;
}

}  // namespace dtls::test
