// What the attacked side must do with an injected record, and the checks
// that prove it did. Every outcome also proves the handshake was not
// completed by the injection: a HandshakeComplete event can only come from
// the genuine messages, all of them.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "evil/evil_peer.hpp"

namespace dtls::test {

enum class Outcome {
    fatal,         // the attacked side sends this fatal alert and fails
    dropped,       // nothing observable happens; the genuine flights then complete the handshake
    warning,       // an established side answers with this warning alert and stays established
    peer_fatal,    // a fatal alert was received: the side fails and sends nothing
    peer_closed,   // close_notify was received: the side closes and answers close_notify
    incomplete,    // the side waits for a message that never comes and fails only when its time runs out
    reported,      // a server hands a ClientHello of another client to the application (event::NewClientHello)
                   // and otherwise goes on as if it had been dropped
};

struct Expectation {
    Outcome outcome = Outcome::dropped;
    std::optional<Alert> alert;
    const char* why = "";
};

inline Expectation fatal(Alert a, const char* why) { return {Outcome::fatal, a, why}; }
inline Expectation dropped(const char* why) { return {Outcome::dropped, std::nullopt, why}; }
inline Expectation warning(Alert a, const char* why) { return {Outcome::warning, a, why}; }
inline Expectation reported(const char* why) { return {Outcome::reported, std::nullopt, why}; }

inline const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::fatal: return "fatal alert sent";
        case Outcome::dropped: return "silently dropped";
        case Outcome::warning: return "warning alert sent";
        case Outcome::peer_fatal: return "failed by the received alert";
        case Outcome::peer_closed: return "closed by close_notify";
        case Outcome::incomplete: return "never completes";
        case Outcome::reported: return "reported to the application";
    }
    return "?";
}

// The attacked side just before the injection.
struct Before {
    State state;
    std::optional<Instant> timeout;
    size_t events, emitted, completes, data;

    static Before of(EvilPeer& e, Direction d) {
        return {e.target(d).state(), e.target(d).next_timeout(), e.events(d).size(), e.emitted(d).size(),
                count_complete(e.events(d)), EvilPeer::data_count(e.events(d))};
    }
};

inline void expect_one_alert(EvilPeer& e, Direction d, const Before& before, uint8_t level, Alert alert) {
    std::vector<AlertSeen> alerts = e.alerts_emitted(d, before.emitted);
    ASSERT_EQ(alerts.size(), 1u) << "expected exactly one alert from the attacked side";
    EXPECT_EQ(alerts[0].level, std::optional<uint8_t>(level)) << "alert in epoch " << alerts[0].epoch;
    EXPECT_EQ(alerts[0].description, std::optional<Alert>(alert))
        << "got " << to_string(alerts[0].description.value_or(Alert::close_notify));
}

// Checks the outcome of an injection toward `d` made after `before`.
inline void expect_outcome(EvilPeer& e, Direction d, const Expectation& x, const Before& before) {
    Connection& c = e.target(d);
    const std::vector<Event>& events = e.events(d);
    SCOPED_TRACE(std::string("expected: ") + outcome_name(x.outcome) + " (" + x.why + ")");
    switch (x.outcome) {
        case Outcome::fatal:
            EXPECT_EQ(c.state(), State::failed) << e.m.describe();
            ASSERT_TRUE(c.error().has_value());
            EXPECT_EQ(c.error()->code, ErrorCode::alert_sent) << c.error()->to_string();
            EXPECT_EQ(c.error()->alert, x.alert) << c.error()->to_string();
            EXPECT_NE(failed_event(events), nullptr);
            expect_one_alert(e, d, before, 2, *x.alert);
            break;
        case Outcome::peer_fatal:
            EXPECT_EQ(c.state(), State::failed);
            ASSERT_TRUE(c.error().has_value());
            EXPECT_EQ(c.error()->code, ErrorCode::alert_received) << c.error()->to_string();
            EXPECT_EQ(c.error()->alert, x.alert);
            EXPECT_NE(failed_event(events), nullptr);
            EXPECT_EQ(e.emitted(d).size(), before.emitted) << "answered a fatal alert";
            break;
        case Outcome::peer_closed:
            EXPECT_EQ(c.state(), State::closed);
            ASSERT_FALSE(events.empty());
            EXPECT_TRUE(std::holds_alternative<event::Closed>(events.back()));
            expect_one_alert(e, d, before, 1, Alert::close_notify);
            break;
        case Outcome::warning:
            EXPECT_EQ(c.state(), State::established);
            EXPECT_EQ(events.size(), before.events);
            expect_one_alert(e, d, before, 1, *x.alert);
            EXPECT_TRUE(e.carries_data("after the warning"));
            break;
        case Outcome::reported:
        case Outcome::dropped:
            EXPECT_EQ(c.state(), before.state);
            EXPECT_EQ(c.next_timeout(), before.timeout);
            if (x.outcome == Outcome::reported) {
                ASSERT_EQ(events.size(), before.events + 1) << "expected exactly one event";
                EXPECT_TRUE(std::holds_alternative<event::NewClientHello>(events.back()));
            } else {
                EXPECT_EQ(events.size(), before.events) << "the injection produced an event";
            }
            EXPECT_EQ(e.emitted(d).size(), before.emitted) << "the injection was answered";
            // The genuine flights, untouched, still complete the handshake once.
            e.finish();
            EXPECT_TRUE(e.m.established()) << "the handshake did not survive the dropped injection: " << e.m.describe();
            EXPECT_EQ(count_complete(e.m.client_events), 1u);
            EXPECT_EQ(count_complete(e.m.server_events), 1u);
            // Nothing the evil peer sent was delivered later either (held
            // epoch 1 records are replayed once the epoch opens).
            EXPECT_EQ(EvilPeer::data_count(events), before.data) << "injected data was delivered";
            if (e.m.established()) {
                EXPECT_TRUE(e.carries_data("after the drop"));
            }
            break;
        case Outcome::incomplete:
            EXPECT_EQ(c.state(), State::handshaking);
            EXPECT_TRUE(e.time_out(d)) << "still handshaking after every timer";
            EXPECT_EQ(c.state(), State::failed);
            ASSERT_TRUE(c.error().has_value());
            EXPECT_EQ(c.error()->code, ErrorCode::timeout) << c.error()->to_string();
            break;
    }
    if (x.outcome != Outcome::dropped && x.outcome != Outcome::warning && x.outcome != Outcome::reported) {
        EXPECT_EQ(count_complete(events), before.completes) << "the injection completed the handshake";
    }
}

}  // namespace dtls::test
