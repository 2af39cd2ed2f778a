// Every handshake message type, injected in every state of both roles where
// that state does not accept it (plaintext while the attacked side reads
// epoch 0, sealed with the real keys once it reads epoch 1), at the
// message_seq the attacked side expects next, so the reassembler hands it
// straight to the state machine. The rule, per cell:
//
//   handshaking, any type the state does not accept
//       -> fatal unexpected_message. RFC 5246 7.4 (messages out of order are
//          a fatal error) and 7.2.2; the record itself is valid, so RFC 6347
//          4.1.2.7's silent discard of invalid records does not apply.
//   client handshaking, HelloRequest
//       -> dropped: RFC 5246 7.4.1.1, a negotiating client ignores it.
//   established, protected ClientHello (at the server) or HelloRequest (at
//   the client)
//       -> warning no_renegotiation, stays established: we never renegotiate
//          (RFC 5246 7.2.2, RFC 5746 4.2 and 4.4).
//   established, any other type
//       -> dropped: after the handshake only the peer's last flight may
//          legitimately reappear (RFC 6347 4.2.4); anything else is ignored
//          rather than allowed to tear down a working association.
//
// Each case also runs a second, established pair that must lose nothing.
#include <gtest/gtest.h>

#include "evil/bystander.hpp"
#include "evil/outcome.hpp"
#include "evil/stages.hpp"
#include "messages/messages.hpp"

namespace dtls::test {
namespace {

struct Cell {
    size_t stage;
    HandshakeType type;
};

Expectation expected(const Stage& s, HandshakeType type) {
    const bool established = s.next.kind == NextUnit::nothing;
    const bool at_client = s.toward == Direction::to_client;
    if (established) {
        const HandshakeType renegotiation = at_client ? HandshakeType::hello_request : HandshakeType::client_hello;
        if (type == renegotiation) {
            return warning(Alert::no_renegotiation, "renegotiation request: refused with a warning (RFC 5746)");
        }
        return dropped("handshake message after the handshake: ignored (RFC 6347 4.2.4 only resends)");
    }
    if (!at_client && type == HandshakeType::client_hello && !s.reads_epoch1) {
        // The injected hello comes from another handshake, so its random is
        // not this association's: a restarted client's, or a forgery.
        return reported("another client's hello: the application's front door decides (RFC 6347 4.2.8)");
    }
    if (at_client && type == HandshakeType::hello_request) {
        // Dropped before reassembly, so it cannot use up the message_seq a
        // genuine message of the flight needs.
        return dropped("HelloRequest while negotiating: ignored (RFC 5246 7.4.1.1)");
    }
    return fatal(Alert::unexpected_message, "message the state does not accept (RFC 5246 7.4)");
}

std::vector<Cell> all_cells() {
    std::vector<Cell> cells;
    const std::vector<Stage>& stages = all_stages();
    for (size_t i = 0; i < stages.size(); ++i) {
        for (HandshakeType t : all_message_types()) {
            const auto& allowed = stages[i].allowed;
            if (std::find(allowed.begin(), allowed.end(), t) == allowed.end()) cells.push_back({i, t});
        }
    }
    return cells;
}

void PrintTo(const Cell& c, std::ostream* os) {
    *os << all_stages()[c.stage].name << " <- " << messages::to_string(c.type);
}

class EveryMessageInEveryState : public ::testing::TestWithParam<Cell> {};

TEST_P(EveryMessageInEveryState, IsRejectedOrDroppedAndNeverCompletesTheHandshake) {
    const Stage& stage = all_stages()[GetParam().stage];
    const HandshakeType type = GetParam().type;
    Bystander bystander;
    bystander.talk("before");

    EvilPeer e;
    ASSERT_TRUE(start_at(e, stage));
    const Before before = Before::of(e, stage.toward);
    bystander.talk("during");
    e.deliver(stage.toward, inject_message(e, stage, type));
    expect_outcome(e, stage.toward, expected(stage, type), before);

    bystander.expect_unharmed();
}

INSTANTIATE_TEST_SUITE_P(Table, EveryMessageInEveryState, ::testing::ValuesIn(all_cells()), [](const auto& info) {
    return std::string(all_stages()[info.param.stage].name) + "_" + messages::to_string(info.param.type);
});

}  // namespace
}  // namespace dtls::test
