// The DTLS 1.3 state table: every handshake message type, injected in every
// state of both roles of a DTLS 1.3 handshake (with client authentication,
// and the states that differ without it), in the epoch the attacked side
// reads there (epoch 0 while it waits for the ServerHello, epoch 2 for the
// rest of the handshake, epoch 3 once established; RFC 9147 6.1), at the
// message_seq it expects next, so the reassembler hands it straight to the
// state machine. Protected messages are sealed with the real keys
// (evil/dtls13_evil_peer.hpp): the attacked side cannot tell them from its
// peer's. During the handshake a type the state accepts is not injected
// (a forged ServerHello or Finished is another table's business). The rule,
// per cell:
//
//   handshaking, epoch 0, a hello (ClientHello at the client)
//       -> fatal unexpected_message: out of order (RFC 8446 4).
//   handshaking, epoch 0, any other type
//       -> dropped: epoch 0 carries only the hellos (RFC 9147 6.1), so this
//          unauthenticated record is one no genuine peer sends; invalid
//          records are silently discarded (RFC 9147 4.5.2), which keeps a
//          forger from tearing the handshake down.
//   handshaking, epoch 2, any type the state does not accept
//       -> fatal unexpected_message: the record authenticates as the peer's,
//          and a handshake message out of order is fatal (RFC 8446 4);
//          EndOfEarlyData (RFC 8446 4.5) and a KeyUpdate before Finished
//          (RFC 8446 4.6.3) say so again. The same holds for a hello in an
//          epoch 2 record.
//   established (epoch 3), client: NewSessionTicket or KeyUpdate
//       -> accepted: both are post-handshake messages (RFC 8446 4.6.1,
//          4.6.3), acknowledged with an ACK (RFC 9147 5.8.4, 7, 8); the
//          association keeps carrying data.
//   established (epoch 3), server: KeyUpdate -> accepted, likewise.
//   established, any other type
//       -> fatal unexpected_message: a ClientHello at the server (RFC 8446
//          4.1.2: no renegotiation), a CertificateRequest at a client that
//          did not offer post_handshake_auth (RFC 8446 4.6.2), NewConnectionId
//          or RequestConnectionId when no CIDs were agreed (RFC 9147 9),
//          anything else out of order (RFC 8446 4).
//
// Each case also runs a second, established DTLS 1.3 pair that must lose
// nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "evil/bystander.hpp"
#include "evil/dtls13_evil_peer.hpp"
#include "messages/connection_id_messages.hpp"
#include "messages/messages.hpp"
#include "messages/tls13_messages.hpp"

namespace dtls::test {
namespace {

using messages::HandshakeType;

constexpr auto kUnknownType = static_cast<HandshakeType>(99);  // assigned to nothing

struct Stage13 {
    const char* name;
    ClientAuth auth;
    Direction toward;                       // the attacked side
    std::optional<HandshakeType> next;      // the genuine message it waits for; none: established
    uint64_t epoch;                         // the epoch it reads
    std::vector<HandshakeType> accepted;    // what its state takes (not injected while handshaking)
};

const std::vector<Stage13>& all_stages() {
    using T = HandshakeType;
    const auto require = ClientAuth::require, none = ClientAuth::none;
    static const std::vector<Stage13> stages = {
        {"ClientWaitsForServerHello", require, Direction::to_client, T::server_hello, kEpochPlaintext,
         {T::server_hello}},
        {"ClientWaitsForEncryptedExtensions", require, Direction::to_client, T::encrypted_extensions,
         kEpochHandshake, {T::encrypted_extensions}},
        {"ClientWaitsForCertificateRequestOrCertificate", require, Direction::to_client, T::certificate_request,
         kEpochHandshake, {T::certificate_request, T::certificate}},
        {"ClientWaitsForCertificateAfterRequest", require, Direction::to_client, T::certificate, kEpochHandshake,
         {T::certificate}},
        {"ClientWaitsForCertificateVerify", require, Direction::to_client, T::certificate_verify, kEpochHandshake,
         {T::certificate_verify}},
        {"ClientWaitsForFinished", require, Direction::to_client, T::finished, kEpochHandshake, {T::finished}},
        {"ClientEstablished", require, Direction::to_client, std::nullopt, kEpochApplication,
         {T::new_session_ticket, T::key_update}},
        {"ServerWaitsForCertificate", require, Direction::to_server, T::certificate, kEpochHandshake,
         {T::certificate}},
        {"ServerWaitsForCertificateVerify", require, Direction::to_server, T::certificate_verify, kEpochHandshake,
         {T::certificate_verify}},
        {"ServerWaitsForFinished", require, Direction::to_server, T::finished, kEpochHandshake, {T::finished}},
        {"ServerEstablished", require, Direction::to_server, std::nullopt, kEpochApplication, {T::key_update}},
        // Without client authentication: no CertificateRequest, so the
        // client meets the server's Certificate in the state that also
        // takes a request, and the server waits for Finished alone.
        {"NoClientAuth_ClientWaitsForCertificateRequestOrCertificate", none, Direction::to_client, T::certificate,
         kEpochHandshake, {T::certificate_request, T::certificate}},
        {"NoClientAuth_ServerWaitsForFinished", none, Direction::to_server, T::finished, kEpochHandshake,
         {T::finished}},
    };
    return stages;
}

const std::vector<HandshakeType>& all_message_types() {
    using T = HandshakeType;
    static const std::vector<HandshakeType> types = {
        T::client_hello, T::server_hello, T::new_session_ticket, T::end_of_early_data, T::encrypted_extensions,
        T::certificate, T::certificate_request, T::certificate_verify, T::finished, T::key_update,
        T::request_connection_id, T::new_connection_id, T::message_hash, kUnknownType,
    };
    return types;
}

std::string type_name(HandshakeType t) {
    if (t == kUnknownType) return "unknown_type_99";
    if (t == HandshakeType::end_of_early_data) return "end_of_early_data";
    if (t == HandshakeType::message_hash) return "message_hash";
    return messages::to_string(t);
}

bool is_hello(HandshakeType t) { return t == HandshakeType::client_hello || t == HandshakeType::server_hello; }

bool accepts(const Stage13& s, HandshakeType t) {
    return std::find(s.accepted.begin(), s.accepted.end(), t) != s.accepted.end();
}

// --- What must happen ----------------------------------------------------------

enum class Outcome13 {
    fatal,     // the attacked side sends this fatal alert and fails
    dropped,   // nothing observable; the genuine units then complete the handshake
    accepted,  // an established side takes it as its peer's: ACKs it, sends no alert, keeps carrying data
};

struct Expectation13 {
    Outcome13 outcome;
    std::optional<Alert> alert;
    const char* why;
};

Expectation13 expected(const Stage13& s, HandshakeType t) {
    const bool established = !s.next.has_value();
    if (established) {
        if (accepts(s, t)) return {Outcome13::accepted, std::nullopt, "post-handshake message (RFC 8446 4.6)"};
        return {Outcome13::fatal, Alert::unexpected_message,
                "not a post-handshake message this side takes (RFC 8446 4, 4.1.2, 4.6.2)"};
    }
    if (s.epoch == kEpochPlaintext && !is_hello(t)) {
        return {Outcome13::dropped, std::nullopt,
                "only the hellos are sent in epoch 0 (RFC 9147 6.1): an invalid record, discarded (RFC 9147 4.5.2)"};
    }
    return {Outcome13::fatal, Alert::unexpected_message, "handshake message out of order (RFC 8446 4)"};
}

// --- Bodies ------------------------------------------------------------------------

// Well-formed bodies of every type, taken where possible from a genuine
// DTLS 1.3 handshake of another session, so a rejection is about the state
// and not the bytes.
Bytes body_of(HandshakeType type, Role writer) {
    static const std::map<std::pair<Role, HandshakeType>, Bytes> genuine = [] {
        std::map<std::pair<Role, HandshakeType>, Bytes> out;
        Dtls13EvilPeer e;
        if (!e.start() || !e.advance_to(Direction::to_client, std::nullopt)) return out;
        for (Role r : {Role::client, Role::server}) {
            for (auto& [t, body] : e.messages_sent_by(r)) out[{r, t}] = body;
        }
        return out;
    }();
    switch (type) {
        case HandshakeType::end_of_early_data: return {};  // an empty body (RFC 8446 4.5)
        case HandshakeType::key_update: {
            Bytes body;
            wire::Writer w(body);
            EXPECT_TRUE(messages::encode(messages::KeyUpdate{}, w));
            return body;
        }
        case HandshakeType::new_session_ticket: {
            // Our server sends tickets only when configured to; a ticket the
            // client cannot resume with is still a well-formed one.
            messages::NewSessionTicket13 nst;
            nst.ticket_lifetime = 3600;
            nst.ticket_age_add = 0x01020304;
            nst.ticket_nonce = Bytes{0};
            nst.ticket = Bytes(32, 0x7E);
            Bytes body;
            wire::Writer w(body);
            EXPECT_TRUE(messages::encode(nst, w));
            return body;
        }
        case HandshakeType::new_connection_id: {
            Bytes body;
            wire::Writer w(body);
            EXPECT_TRUE(messages::encode(
                messages::NewConnectionId{{Bytes{1, 2, 3, 4}}, messages::ConnectionIdUsage::cid_immediate}, w));
            return body;
        }
        case HandshakeType::request_connection_id: return Bytes{1};  // num_cids
        case HandshakeType::message_hash: return Bytes(32, 0x33);  // a SHA-256 hash's length (RFC 8446 4.4.1)
        case HandshakeType::finished: return Bytes(32, 0x5A);      // a SHA-256 verify_data's length
        default: break;
    }
    if (type == kUnknownType) return Bytes(8, 0x42);
    for (Role r : {writer, writer == Role::client ? Role::server : Role::client}) {
        auto it = genuine.find({r, type});
        if (it != genuine.end()) return it->second;
    }
    ADD_FAILURE() << "no genuine body for " << type_name(type);
    return {};
}

// --- The checks ------------------------------------------------------------------------

void expect_outcome(Dtls13EvilPeer& e, Direction d, const Expectation13& x, const Before13& before) {
    Connection& c = e.target(d);
    const std::vector<Event>& events = e.events(d);
    const std::vector<Unit13> alerts = e.sent_by_target(d, before.emitted, record::ContentType::alert);
    switch (x.outcome) {
        case Outcome13::fatal: expect_fatal13(e, d, *x.alert, before); break;
        case Outcome13::dropped:
            EXPECT_EQ(c.state(), before.state);
            EXPECT_EQ(c.next_timeout(), before.timeout);
            EXPECT_EQ(events.size(), before.events) << "the injection produced an event";
            EXPECT_EQ(e.emitted(d).size(), before.emitted) << "the injection was answered";
            // The genuine units, untouched, still complete the handshake once.
            e.finish();
            EXPECT_EQ(e.m.client->state(), State::established) << e.m.describe();
            EXPECT_EQ(e.m.server_conn->state(), State::established) << e.m.describe();
            EXPECT_EQ(count_complete(e.m.client_events), 1u);
            EXPECT_EQ(count_complete(e.m.server_events), 1u);
            if (e.m.established()) {
                EXPECT_TRUE(e.carries_data("after the drop"));
            }
            break;
        case Outcome13::accepted: {
            EXPECT_EQ(c.state(), State::established) << e.m.describe();
            EXPECT_TRUE(alerts.empty()) << "the attacked side sent an alert";
            EXPECT_EQ(e.sent_by_target(d, before.emitted, record::ContentType::ack).size(), 1u)
                << "the post-handshake message was not acknowledged (RFC 9147 7)";
            EXPECT_EQ(count_complete(events), before.completes);
            EXPECT_TRUE(e.carries_data("after the post-handshake message"));
            break;
        }
    }
}

// --- The table ----------------------------------------------------------------------

struct Cell {
    size_t stage;
    HandshakeType type;
};

std::vector<Cell> all_cells() {
    std::vector<Cell> cells;
    const std::vector<Stage13>& stages = all_stages();
    for (size_t i = 0; i < stages.size(); ++i) {
        for (HandshakeType t : all_message_types()) {
            const bool established = !stages[i].next.has_value();
            if (established || !accepts(stages[i], t)) cells.push_back({i, t});
        }
    }
    return cells;
}

void PrintTo(const Cell& c, std::ostream* os) {
    *os << all_stages()[c.stage].name << " <- " << type_name(c.type);
}

class Dtls13EveryMessageInEveryState : public ::testing::TestWithParam<Cell> {};

// conformance: RFC9147-7-3 RFC8446-4-2 RFC8446-4.1.2-3 RFC8446-4.5-3 RFC8446-4.6.2-5 RFC8446-4.6.3-1
// conformance: RFC9147-9-11
TEST_P(Dtls13EveryMessageInEveryState, GetsTheOutcomeTheRfcAsks) {
    const Stage13& stage = all_stages()[GetParam().stage];
    const HandshakeType type = GetParam().type;
    const Expectation13 x = expected(stage, type);
    SCOPED_TRACE(std::string("expected: ") + x.why);

    Bystander bystander(ProtocolVersion::dtls1_3);
    bystander.talk("before");

    Dtls13EvilPeer e(stage.auth);
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(stage.toward, stage.next));
    ASSERT_EQ(e.target(stage.toward).state(), stage.next ? State::handshaking : State::established);
    const Before13 before = Before13::of(e, stage.toward);
    bystander.talk("during");
    const uint16_t seq = e.next_message_seq(stage.toward);
    e.deliver(stage.toward, e.message(stage.toward, stage.epoch, type, seq, body_of(type, writer_toward(stage.toward))));
    expect_outcome(e, stage.toward, x, before);

    bystander.expect_unharmed();
}

INSTANTIATE_TEST_SUITE_P(Table, Dtls13EveryMessageInEveryState, ::testing::ValuesIn(all_cells()),
                         [](const auto& info) {
                             return std::string(all_stages()[info.param.stage].name) + "_" +
                                    type_name(info.param.type);
                         });

}  // namespace
}  // namespace dtls::test
