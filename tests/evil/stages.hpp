// Every state of both roles in a full handshake with client authentication
// (so CertificateRequest, the client's Certificate and CertificateVerify all
// exist), named by what the attacked side waits for, and reached by letting
// the genuine units through until that message is the next one.
#pragma once

#include <map>
#include <vector>

#include "evil/evil_peer.hpp"

namespace dtls::test {

using messages::HandshakeType;

struct Stage {
    const char* name;
    Direction toward;         // the attacked side: to_client attacks the client
    NextUnit next;            // the genuine unit it waits for
    bool reads_epoch1;        // records toward it are protected here
    std::vector<HandshakeType> allowed;  // message types its state accepts
};

inline const std::vector<Stage>& all_stages() {
    static const std::vector<Stage> stages = {
        {"ClientWaitsForServerHello", Direction::to_client, NextUnit::of(HandshakeType::server_hello), false,
         {HandshakeType::server_hello, HandshakeType::hello_verify_request}},
        {"ClientWaitsForCertificate", Direction::to_client, NextUnit::of(HandshakeType::certificate), false,
         {HandshakeType::certificate}},
        {"ClientWaitsForServerKeyExchange", Direction::to_client, NextUnit::of(HandshakeType::server_key_exchange),
         false, {HandshakeType::server_key_exchange}},
        {"ClientWaitsForCertificateRequestOrDone", Direction::to_client,
         NextUnit::of(HandshakeType::certificate_request), false,
         {HandshakeType::certificate_request, HandshakeType::server_hello_done}},
        {"ClientWaitsForServerHelloDone", Direction::to_client, NextUnit::of(HandshakeType::server_hello_done), false,
         {HandshakeType::server_hello_done}},
        {"ClientWaitsForChangeCipherSpec", Direction::to_client, NextUnit::ccs(), false, {}},
        {"ClientWaitsForFinished", Direction::to_client, NextUnit::protected_finished(), true,
         {HandshakeType::finished}},
        {"ClientEstablished", Direction::to_client, NextUnit::established(), true, {}},
        {"ServerWaitsForCertificate", Direction::to_server, NextUnit::of(HandshakeType::certificate), false,
         {HandshakeType::certificate}},
        {"ServerWaitsForClientKeyExchange", Direction::to_server, NextUnit::of(HandshakeType::client_key_exchange),
         false, {HandshakeType::client_key_exchange}},
        {"ServerWaitsForCertificateVerify", Direction::to_server, NextUnit::of(HandshakeType::certificate_verify),
         false, {HandshakeType::certificate_verify}},
        {"ServerWaitsForChangeCipherSpec", Direction::to_server, NextUnit::ccs(), false, {}},
        {"ServerWaitsForFinished", Direction::to_server, NextUnit::protected_finished(), true,
         {HandshakeType::finished}},
        {"ServerEstablished", Direction::to_server, NextUnit::established(), true, {}},
    };
    return stages;
}

inline const std::vector<HandshakeType>& all_message_types() {
    static const std::vector<HandshakeType> types = {
        HandshakeType::hello_request,       HandshakeType::client_hello,        HandshakeType::server_hello,
        HandshakeType::hello_verify_request, HandshakeType::certificate,        HandshakeType::server_key_exchange,
        HandshakeType::certificate_request, HandshakeType::server_hello_done,   HandshakeType::certificate_verify,
        HandshakeType::client_key_exchange, HandshakeType::finished,
    };
    return types;
}

// Well-formed bodies of every message type, taken from a genuine handshake
// of another session, so a rejection is about the state and not the bytes.
inline Bytes genuine_body(HandshakeType type, Role writer) {
    static const std::map<std::pair<Role, HandshakeType>, Bytes> bodies = [] {
        std::map<std::pair<Role, HandshakeType>, Bytes> out;
        EvilPeer e;
        if (!e.start()) return out;
        e.advance_to(Direction::to_client, NextUnit::established());
        for (auto [role, datagrams] : {std::pair{Role::client, &e.m.from_client}, {Role::server, &e.m.from_server}}) {
            for (const Bytes& d : *datagrams) {
                for (const Unit& u : units_of(d)) {
                    if (u.message) out[{role, *u.message}] = u.body;
                }
            }
        }
        return out;
    }();
    if (type == HandshakeType::hello_request) return {};
    if (type == HandshakeType::finished) return Bytes(12, 0x5A);
    for (Role r : {writer, writer == Role::client ? Role::server : Role::client}) {
        auto it = bodies.find({r, type});
        if (it != bodies.end()) return it->second;
    }
    ADD_FAILURE() << "no genuine body for " << messages::to_string(type);
    return {};
}

// A message of `type` where the attacked side expects its next one:
// plaintext while it reads epoch 0, sealed with the real keys once it reads
// epoch 1.
inline Bytes inject_message(EvilPeer& e, const Stage& s, HandshakeType type) {
    const uint16_t seq = e.next_message_seq(s.toward);
    const Bytes body = genuine_body(type, writer_toward(s.toward));
    if (s.reads_epoch1) return e.protected_message(s.toward, type, seq, body);
    return handshake_record(type, seq, body, 900);
}

// Starts a genuine handshake and runs it up to the moment `s` names, just
// before the attacked side's next unit.
inline bool start_at(EvilPeer& e, const Stage& s) { return e.start() && e.advance_to(s.toward, s.next); }

}  // namespace dtls::test
