// A man in the middle for negative tests: our client and our server (behind
// its front door) joined by a path the test controls step by step, with a
// filter that may rewrite, drop or multiply every datagram, and a record of
// every datagram each side emitted (before the filter), so a test can decode
// the alert a side sent. Plus small codecs to take datagrams apart into
// records and handshake fragments and put them back together with correct
// lengths. Everything runs on a virtual clock.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dtls/dtls.hpp"
#include "support/dtls12_config.hpp"
#include "transport/fragment.hpp"
#include "messages/messages.hpp"
#include "record/dtls12_header.hpp"
#include "support/certs.hpp"

namespace dtls::test {

// --- Taking datagrams apart -------------------------------------------------

struct WireRecord {
    record::Dtls12Header header;
    Bytes body;
};

// The records of a well-formed datagram (stops at the first malformed one).
inline std::vector<WireRecord> split_records(std::span<const uint8_t> datagram) {
    std::vector<WireRecord> out;
    wire::Reader r(datagram);
    while (!r.empty()) {
        WireRecord rec;
        std::span<const uint8_t> body;
        if (!record::read_dtls12_record(r, rec.header, body)) break;
        rec.body.assign(body.begin(), body.end());
        out.push_back(std::move(rec));
    }
    return out;
}

inline Bytes join_records(const std::vector<WireRecord>& records) {
    Bytes out;
    wire::Writer w(out);
    for (const WireRecord& rec : records) {
        record::Dtls12Header h = rec.header;
        h.length = static_cast<uint16_t>(rec.body.size());
        record::write_dtls12_header(h, w);
        w.bytes(rec.body);
    }
    return out;
}

struct WireFragment {
    transport::FragmentHeader header;
    Bytes body;
};

inline std::vector<WireFragment> split_fragments(std::span<const uint8_t> record_body) {
    std::vector<WireFragment> out;
    wire::Reader r(record_body);
    while (!r.empty()) {
        WireFragment f;
        std::span<const uint8_t> body;
        if (!transport::read_fragment(r, f.header, body)) break;
        f.body.assign(body.begin(), body.end());
        out.push_back(std::move(f));
    }
    return out;
}

// One handshake fragment as a record body, with its header written as given
// (fragment_length follows the body unless `keep_lengths`).
inline Bytes fragment_bytes(transport::FragmentHeader h, std::span<const uint8_t> body, bool keep_lengths = false) {
    if (!keep_lengths) h.fragment_length = static_cast<uint32_t>(body.size());
    Bytes out;
    wire::Writer w(out);
    transport::write_fragment_header(h, w);
    w.bytes(body);
    return out;
}

// A plaintext (epoch 0) record of `type` holding `body`.
inline Bytes plaintext_record(record::ContentType type, std::span<const uint8_t> body, uint64_t sequence = 1000,
                              uint16_t epoch = 0) {
    const record::Dtls12Header header{type, record::kVersionDtls12, epoch, sequence, 0};
    return join_records({WireRecord{header, Bytes(body.begin(), body.end())}});
}

// A whole handshake message (one fragment) in one plaintext record.
inline Bytes handshake_record(messages::HandshakeType type, uint16_t message_seq, std::span<const uint8_t> body,
                              uint64_t sequence = 1000) {
    const auto length = static_cast<uint32_t>(body.size());
    return plaintext_record(record::ContentType::handshake,
                            fragment_bytes({type, length, message_seq, 0, length}, body), sequence);
}

inline Bytes change_cipher_spec_record(uint64_t sequence = 1000) {
    const uint8_t one[1] = {1};
    return plaintext_record(record::ContentType::change_cipher_spec, one, sequence);
}

// Calls `edit` on every whole (unfragmented) plaintext handshake message of
// `type` in the datagram and re-encodes the datagram with fixed lengths.
// Returns how many messages were edited.
inline int edit_messages(Bytes& datagram, messages::HandshakeType type, const std::function<void(Bytes& body)>& edit) {
    std::vector<WireRecord> records = split_records(datagram);
    int edited = 0;
    for (WireRecord& rec : records) {
        if (rec.header.type != record::ContentType::handshake || rec.header.epoch != 0) continue;
        std::vector<WireFragment> fragments = split_fragments(rec.body);
        bool changed = false;
        for (WireFragment& f : fragments) {
            if (f.header.type != type || f.header.fragment_offset != 0 || f.header.fragment_length != f.header.length) {
                continue;
            }
            edit(f.body);
            f.header.length = f.header.fragment_length = static_cast<uint32_t>(f.body.size());
            changed = true;
            ++edited;
        }
        if (!changed) continue;
        rec.body.clear();
        for (const WireFragment& f : fragments) {
            Bytes b = fragment_bytes(f.header, f.body);
            rec.body.insert(rec.body.end(), b.begin(), b.end());
        }
    }
    if (edited) datagram = join_records(records);
    return edited;
}

// Decodes, changes and re-encodes every ClientHello in the datagram.
inline int edit_client_hello(Bytes& datagram, const std::function<void(messages::ClientHello&)>& change) {
    return edit_messages(datagram, messages::HandshakeType::client_hello, [&](Bytes& body) {
        auto hello = messages::decode_client_hello(body);
        if (!hello) {
            ADD_FAILURE() << "ClientHello does not decode: " << hello.error().to_string();
            return;
        }
        change(*hello);
        body.clear();
        wire::Writer w(body);
        EXPECT_TRUE(messages::encode(*hello, w));
    });
}

inline bool holds_message(std::span<const uint8_t> datagram, messages::HandshakeType type) {
    for (const WireRecord& rec : split_records(datagram)) {
        if (rec.header.type != record::ContentType::handshake || rec.header.epoch != 0) continue;
        for (const WireFragment& f : split_fragments(rec.body)) {
            if (f.header.type == type) return true;
        }
    }
    return false;
}

inline bool holds_content(std::span<const uint8_t> datagram, record::ContentType type) {
    for (const WireRecord& rec : split_records(datagram)) {
        if (rec.header.type == type) return true;
    }
    return false;
}

inline std::span<const uint8_t> span_of(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// --- Alerts on the wire -----------------------------------------------------

struct AlertSeen {
    uint16_t epoch = 0;
    std::optional<uint8_t> level;  // known only for plaintext (epoch 0) alerts
    std::optional<Alert> description;
};

// Every alert record in the datagrams, in order.
inline std::vector<AlertSeen> alerts_in(const std::vector<Bytes>& datagrams) {
    std::vector<AlertSeen> out;
    for (const Bytes& d : datagrams) {
        for (const WireRecord& rec : split_records(d)) {
            if (rec.header.type != record::ContentType::alert) continue;
            AlertSeen a;
            a.epoch = rec.header.epoch;
            if (rec.header.epoch == 0 && rec.body.size() == 2) {
                a.level = rec.body[0];
                a.description = static_cast<Alert>(rec.body[1]);
            }
            out.push_back(a);
        }
    }
    return out;
}

// The side emitted exactly one alert, plaintext, fatal, with this description.
inline void expect_plaintext_fatal_alert(const std::vector<Bytes>& emitted, Alert alert) {
    std::vector<AlertSeen> alerts = alerts_in(emitted);
    ASSERT_EQ(alerts.size(), 1u) << "expected exactly one alert record";
    EXPECT_EQ(alerts[0].epoch, 0);
    EXPECT_EQ(alerts[0].level, std::optional<uint8_t>(2));
    EXPECT_EQ(alerts[0].description, std::optional<Alert>(alert))
        << "got " << to_string(alerts[0].description.value_or(Alert::close_notify));
}

// Everything a connection has to send now.
inline std::vector<Bytes> drain_datagrams(Connection& c) {
    std::vector<Bytes> out;
    Bytes d;
    while (c.poll_datagram(d)) out.push_back(d);
    return out;
}

// --- Outcomes ---------------------------------------------------------------

inline const event::Failed* failed_event(const std::vector<Event>& events) {
    for (const Event& e : events) {
        if (auto* f = std::get_if<event::Failed>(&e)) return f;
    }
    return nullptr;
}

inline size_t count_complete(const std::vector<Event>& events) {
    size_t n = 0;
    for (const Event& e : events) n += std::holds_alternative<event::HandshakeComplete>(e);
    return n;
}

// The connection failed with this code and alert, its error() and its one
// Failed event agree, and its text (reason and alert) contains `reason_part`.
inline void expect_failure(const Connection& c, const std::vector<Event>& events, ErrorCode code,
                           std::optional<Alert> alert, const std::string& reason_part = "") {
    EXPECT_EQ(c.state(), State::failed);
    ASSERT_TRUE(c.error().has_value()) << "no error recorded";
    const Error& e = *c.error();
    EXPECT_EQ(e.code, code) << e.to_string();
    EXPECT_EQ(e.alert, alert) << e.to_string();
    EXPECT_NE(e.to_string().find(reason_part), std::string::npos) << "error: " << e.to_string();
    const event::Failed* f = failed_event(events);
    ASSERT_NE(f, nullptr) << "no Failed event";
    EXPECT_EQ(f->error.code, e.code);
    EXPECT_EQ(f->error.alert, e.alert);
    EXPECT_EQ(f->error.reason, e.reason);
    EXPECT_EQ(count_complete(events), 0u);
}

// The connection failed with this fault: the error and the Failed event name
// it, with the alert the fault table gives it, sent.
inline void expect_fault(const Connection& c, const std::vector<Event>& events, Fault fault) {
    expect_failure(c, events, alert_for(fault) ? ErrorCode::alert_sent : ErrorCode::timeout, alert_for(fault));
    ASSERT_TRUE(c.error().has_value());
    EXPECT_EQ(c.error()->fault, fault) << c.error()->to_string();
    const event::Failed* f = failed_event(events);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->error.fault, fault);
}

// --- Certificates -----------------------------------------------------------

inline const TestCa& test_ca() {
    static TestCa ca = TestCa::create(KeyKind::ecdsa_p256, "negative test CA");
    return ca;
}

inline const TestCa& other_ca() {
    static TestCa ca = TestCa::create(KeyKind::ecdsa_p256, "some other CA");
    return ca;
}

inline std::shared_ptr<Credential> server_credential(KeyKind kind = KeyKind::ecdsa_p256, IssueOptions options = {}) {
    if (options.dns_names.empty() && options.ip_addresses.empty()) options.dns_names = {"server.test"};
    return std::make_shared<Credential>(credential_of(test_ca().issue(kind, "server.test", options)));
}

// --- The path ---------------------------------------------------------------

enum class Direction { to_server, to_client };

// Returns the datagrams to deliver in place of `datagram` (none drops it).
using Filter = std::function<std::vector<Bytes>(Direction, Bytes datagram)>;

struct Mitm {
    Config client_config = dtls12_config();
    Config server_config = dtls12_config();
    Instant now = Instant{} + std::chrono::hours(1);
    std::vector<uint8_t> client_address{127, 0, 0, 1, 0x30, 0x39};
    Filter filter;

    std::optional<Connection> client;
    std::optional<Server> server;
    std::optional<Connection> server_conn;
    std::vector<Bytes> from_client, from_server;  // everything emitted, before the filter
    std::vector<Event> client_events, server_events;
    size_t front_door_drops = 0, front_door_replies = 0;

    Mitm() {
        client_config.ca_pem = test_ca().cert_pem();
        client_config.server_name = "server.test";
        server_config.credential = server_credential();
    }

    bool start() {
        auto s = Server::create(server_config, now);
        if (!s) {
            ADD_FAILURE() << "server: " << s.error().to_string();
            return false;
        }
        server.emplace(std::move(*s));
        auto c = Connection::client(client_config, now);
        if (!c) {
            ADD_FAILURE() << "client: " << c.error().to_string();
            return false;
        }
        client.emplace(std::move(*c));
        return true;
    }

    // The first ClientHello reaches the front door; with cookies the
    // HelloVerifyRequest goes back and the second ClientHello is accepted.
    // Afterwards the server connection exists, its first flight not yet
    // delivered.
    bool until_server_accepted() {
        if (!start()) return false;
        for (int i = 0; i < 3 && !server_conn; ++i) {
            client_to_server();
            if (!server_conn) server_to_client();
        }
        if (!server_conn) ADD_FAILURE() << "the front door did not accept the client";
        return server_conn.has_value();
    }

    // Hands a datagram to the server side: the front door until it accepted,
    // then the connection. A front-door reply is recorded and queued for the
    // next server_to_client().
    void deliver_to_server(std::span<const uint8_t> d) {
        if (server_conn) {
            server_conn->handle_datagram(d, now);
            drain_events();
            return;
        }
        std::vector<uint8_t> reply;
        auto answer = server->handle_datagram(client_address, d, now, reply);
        switch (answer.outcome) {
            case Server::Outcome::dropped: ++front_door_drops; break;
            case Server::Outcome::reply:
                ++front_door_replies;
                from_server.push_back(reply);
                pending_to_client_.push_back(reply);
                break;
            case Server::Outcome::accepted: server_conn.emplace(std::move(*answer.connection)); break;
        }
        drain_events();
    }

    void deliver_to_client(std::span<const uint8_t> d) {
        client->handle_datagram(d, now);
        drain_events();
    }

    // Moves what the client has to send to the server. Returns datagrams emitted.
    size_t client_to_server() {
        std::vector<Bytes> out;
        Bytes d;
        while (client->poll_datagram(d)) {
            from_client.push_back(d);
            out.push_back(d);
        }
        for (Bytes& x : out) {
            for (Bytes& y : through_filter(Direction::to_server, std::move(x))) deliver_to_server(y);
        }
        return out.size();
    }

    size_t server_to_client() {
        // Front-door replies first, then the connection's datagrams.
        std::vector<Bytes> out = std::move(pending_to_client_);
        pending_to_client_.clear();
        Bytes d;
        while (server_conn && server_conn->poll_datagram(d)) {
            from_server.push_back(d);
            out.push_back(d);
        }
        for (Bytes& x : out) {
            for (Bytes& y : through_filter(Direction::to_client, std::move(x))) deliver_to_client(y);
        }
        return out.size();
    }

    // Both ways until neither side has anything to send.
    void pump(int max_rounds = 100) {
        for (int i = 0; i < max_rounds; ++i) {
            const size_t moved = client_to_server() + server_to_client();
            if (moved == 0) return;
        }
    }

    // Jumps the clock to the earliest timer of either side and fires it.
    bool fire_next_timer() {
        std::optional<Instant> t = client->next_timeout();
        if (server_conn) {
            auto s = server_conn->next_timeout();
            if (s && (!t || *s < *t)) t = s;
        }
        if (!t) return false;
        now = std::max(now, *t);
        client->handle_timeout(now);
        if (server_conn) server_conn->handle_timeout(now);
        drain_events();
        return true;
    }

    // Pumps, and fires timers while the handshake is not over, up to a limit.
    void run(int max_timers = 20) {
        pump();
        for (int i = 0; i < max_timers && !over(); ++i) {
            if (!fire_next_timer()) break;
            pump();
        }
    }

    bool over() const {
        auto done = [](const Connection& c) { return c.state() != State::handshaking; };
        return done(*client) && server_conn && done(*server_conn);
    }

    bool established() const {
        return client->state() == State::established && server_conn && server_conn->state() == State::established;
    }

    void drain_events() {
        while (auto e = client->poll_event()) client_events.push_back(std::move(*e));
        if (server_conn) {
            while (auto e = server_conn->poll_event()) server_events.push_back(std::move(*e));
        }
    }

    std::string describe() const {
        std::string s = "client state " + std::to_string(static_cast<int>(client->state()));
        if (client->error()) s += " (" + client->error()->to_string() + ")";
        if (server_conn) {
            s += "; server state " + std::to_string(static_cast<int>(server_conn->state()));
            if (server_conn->error()) s += " (" + server_conn->error()->to_string() + ")";
        } else {
            s += "; no server connection";
        }
        return s;
    }

private:
    std::vector<Bytes> through_filter(Direction dir, Bytes d) {
        if (!filter) return {std::move(d)};
        return filter(dir, std::move(d));
    }

    std::vector<Bytes> pending_to_client_;
};

}  // namespace dtls::test
