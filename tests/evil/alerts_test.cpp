// Alerts at every point: a warning (user_canceled), a fatal alert
// (handshake_failure) and close_notify, injected in every state of both
// roles, as plaintext everywhere and sealed with the real keys where the
// attacked side reads epoch 1. The rule, per cell:
//
//   plaintext, attacked side reads epoch 0
//       fatal       -> fails with the alert received, sends nothing back
//                      (RFC 5246 7.2: a fatal alert ends the connection at once;
//                      before keys there is no telling it from the peer's, the
//                      spoofing risk RFC 6347 4.1.2.7 accepts for epoch 0)
//       warning     -> dropped: no effect, the handshake completes (RFC 5246 7.2.2)
//       close_notify-> closes and answers close_notify (RFC 5246 7.2.1)
//   plaintext, attacked side reads epoch 1
//       any         -> dropped: after the switch to epoch 1 the genuine peer
//                      protects its alerts, so a plaintext one is an invalid
//                      record (RFC 6347 4.1.2.7)
//   protected (authentic), attacked side reads epoch 1
//       same as plaintext at epoch 0: fatal fails, warning is ignored,
//       close_notify closes.
#include <gtest/gtest.h>

#include "evil/bystander.hpp"
#include "evil/outcome.hpp"
#include "evil/stages.hpp"

namespace dtls::test {
namespace {

enum class AlertKind { warning, fatal, close_notify };

struct AlertCell {
    size_t stage;
    AlertKind kind;
    bool sealed;
};

Bytes alert_body(AlertKind kind) {
    switch (kind) {
        case AlertKind::warning: return {1, static_cast<uint8_t>(Alert::user_canceled)};
        case AlertKind::fatal: return {2, static_cast<uint8_t>(Alert::handshake_failure)};
        case AlertKind::close_notify: return {1, static_cast<uint8_t>(Alert::close_notify)};
    }
    return {};
}

Expectation expected(const Stage& s, const AlertCell& cell) {
    if (s.reads_epoch1 && !cell.sealed) return dropped("plaintext alert after epoch 1 opened (RFC 6347 4.1.2.7)");
    switch (cell.kind) {
        case AlertKind::warning: return dropped("warning alert: no action (RFC 5246 7.2.2)");
        case AlertKind::fatal:
            return {Outcome::peer_fatal, Alert::handshake_failure, "fatal alert received (RFC 5246 7.2)"};
        case AlertKind::close_notify:
            return {Outcome::peer_closed, Alert::close_notify, "close_notify received (RFC 5246 7.2.1)"};
    }
    return {};
}

std::vector<AlertCell> all_cells() {
    std::vector<AlertCell> cells;
    for (size_t i = 0; i < all_stages().size(); ++i) {
        for (AlertKind kind : {AlertKind::warning, AlertKind::fatal, AlertKind::close_notify}) {
            cells.push_back({i, kind, false});
            if (all_stages()[i].reads_epoch1) cells.push_back({i, kind, true});
        }
    }
    return cells;
}

std::string cell_name(const AlertCell& c) {
    const char* kinds[] = {"Warning", "Fatal", "CloseNotify"};
    return std::string(all_stages()[c.stage].name) + "_" + (c.sealed ? "Protected" : "Plaintext") +
           kinds[static_cast<int>(c.kind)];
}

void PrintTo(const AlertCell& c, std::ostream* os) { *os << cell_name(c); }

class AlertInEveryState : public ::testing::TestWithParam<AlertCell> {};

TEST_P(AlertInEveryState, IsHonouredOnlyWhenItCouldBeGenuine) {
    const AlertCell& cell = GetParam();
    const Stage& stage = all_stages()[cell.stage];
    Bystander bystander;
    bystander.talk("before");

    EvilPeer e;
    ASSERT_TRUE(start_at(e, stage));
    const Before before = Before::of(e, stage.toward);
    const Bytes body = alert_body(cell.kind);
    bystander.talk("during");
    e.deliver(stage.toward, cell.sealed ? e.seal_toward(stage.toward, record::ContentType::alert, body)
                                        : plaintext_record(record::ContentType::alert, body, 901));
    expect_outcome(e, stage.toward, expected(stage, cell), before);

    bystander.expect_unharmed();
}

INSTANTIATE_TEST_SUITE_P(Table, AlertInEveryState, ::testing::ValuesIn(all_cells()),
                         [](const auto& info) { return cell_name(info.param); });

}  // namespace
}  // namespace dtls::test
