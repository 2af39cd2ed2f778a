// The evil peer: our genuine client and server joined through tests/tls12/
// mitm.hpp, with every datagram either side emits held back and cut into
// units (one handshake message, one ChangeCipherSpec, one protected record
// each). The test delivers the units one at a time to walk either side into
// any handshake state, injects whatever it likes there (plaintext records,
// or epoch 1 records sealed with the real keys recovered from the key log),
// and then either checks the rejection or lets the genuine units finish the
// handshake.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evil/evil_keys.hpp"
#include "tls12/mitm.hpp"

namespace dtls::test {

// One piece of a held datagram, re-framed as a record of its own.
struct Unit {
    Bytes record;
    record::Dtls12Header header;
    std::optional<messages::HandshakeType> message;  // a plaintext handshake message
    uint16_t message_seq = 0;
    Bytes body;  // the message body, for plaintext handshake units

    bool is_change_cipher_spec() const { return header.type == record::ContentType::change_cipher_spec; }
    bool is_protected() const { return header.epoch == 1; }
};

// Cuts a datagram into units; every plaintext handshake fragment must be a
// whole message (the flights of these tests fit the MTU).
inline std::vector<Unit> units_of(std::span<const uint8_t> datagram) {
    std::vector<Unit> out;
    for (const WireRecord& rec : split_records(datagram)) {
        if (rec.header.type != record::ContentType::handshake || rec.header.epoch != 0) {
            out.push_back(Unit{join_records({rec}), rec.header, std::nullopt, 0, {}});
            continue;
        }
        for (const WireFragment& f : split_fragments(rec.body)) {
            EXPECT_TRUE(f.header.fragment_offset == 0 && f.header.fragment_length == f.header.length)
                << "a handshake message was fragmented; the evil peer needs whole messages";
            Unit u;
            u.record = plaintext_record(record::ContentType::handshake, fragment_bytes(f.header, f.body),
                                        rec.header.sequence);
            u.header = rec.header;
            u.message = f.header.type;
            u.message_seq = f.header.message_seq;
            u.body = f.body;
            out.push_back(std::move(u));
        }
    }
    return out;
}

// What the next genuine unit toward the attacked side is: names a state.
struct NextUnit {
    enum Kind { message, change_cipher_spec, protected_record, nothing } kind = nothing;
    messages::HandshakeType type{};

    static NextUnit of(messages::HandshakeType t) { return {message, t}; }
    static NextUnit ccs() { return {change_cipher_spec, {}}; }
    static NextUnit protected_finished() { return {protected_record, {}}; }
    static NextUnit established() { return {nothing, {}}; }
};

inline Direction other(Direction d) { return d == Direction::to_client ? Direction::to_server : Direction::to_client; }
// The side that writes toward `d` (the side the evil peer impersonates).
inline Role writer_toward(Direction d) { return d == Direction::to_client ? Role::server : Role::client; }

inline const Issued& client_identity() {
    static Issued issued = test_ca().issue(KeyKind::ecdsa_p256, "client.test");
    return issued;
}

class EvilPeer {
public:
    explicit EvilPeer(ClientAuth auth = ClientAuth::require) {
        // The peer here reads and forges whole messages of flights fragmented
        // at the configured MTU, and stalls flights on purpose: the path MTU
        // back-off (tests/tls12/pmtu_backoff_test.cpp) would re-fragment the
        // retransmissions under it.
        for (Config* c : {&m.client_config, &m.server_config}) c->pmtu_backoff_after = 0;
        m.server_config.client_auth = auth;
        m.server_config.ca_pem = test_ca().cert_pem();
        if (auth != ClientAuth::none) {
            m.client_config.credential = std::make_shared<Credential>(credential_of(client_identity()));
        }
        // Both sides log the same master secret; either line will do.
        m.client_config.keylog = [this](std::string_view line) { keylog_ = std::string(line); };
        m.server_config.keylog = [this](std::string_view line) { keylog_ = std::string(line); };
        // EVIL_TRACE=1 prints both sides' engine traces, for a case that fails.
        if (std::getenv("EVIL_TRACE") != nullptr) {
            m.client_config.trace = [](std::string_view l) { print_trace("client", l); };
            m.server_config.trace = [](std::string_view l) { print_trace("server", l); };
        }
        m.filter = [this](Direction dir, Bytes d) -> std::vector<Bytes> {
            if (!holding_) return {std::move(d)};
            for (Unit& u : units_of(d)) queue(dir).push_back(std::move(u));
            return {};
        };
    }

    Mitm m;

    // The cookie exchange runs untouched; from then on every datagram is held.
    bool start() {
        if (!m.until_server_accepted()) return false;
        holding_ = true;
        flush();
        return true;
    }

    // The same with a copy of `server` (copies share its session cache), for
    // a second connection that resumes a session of the first.
    bool start_on(const Server& server) {
        m.server.emplace(server);
        auto c = Connection::client(m.client_config, m.now);
        if (!c) {
            ADD_FAILURE() << "client: " << c.error().to_string();
            return false;
        }
        m.client.emplace(std::move(*c));
        for (int i = 0; i < 3 && !m.server_conn; ++i) {
            m.client_to_server();
            if (!m.server_conn) m.server_to_client();
        }
        if (!m.server_conn) ADD_FAILURE() << "the front door did not accept the client";
        holding_ = true;
        flush();
        return m.server_conn.has_value();
    }

    std::deque<Unit>& queue(Direction d) { return queues_[d == Direction::to_client ? 0 : 1]; }
    Connection& target(Direction d) { return d == Direction::to_client ? *m.client : *m.server_conn; }
    std::vector<Event>& events(Direction d) { return d == Direction::to_client ? m.client_events : m.server_events; }
    // Everything the side that `d` leads to has emitted (before the filter).
    const std::vector<Bytes>& emitted(Direction d) const {
        return d == Direction::to_client ? m.from_client : m.from_server;
    }

    // Moves what either side has to send into the queues.
    void flush() {
        m.client_to_server();
        if (m.server_conn) m.server_to_client();
    }

    void deliver_next(Direction d) {
        Unit u = std::move(queue(d).front());
        queue(d).pop_front();
        if (std::optional<uint16_t> seq = message_seq_of(u, writer_toward(d))) last_seq_[index(d)] = *seq;
        deliver(d, u.record);
    }

    // Hands one datagram to the side `d` leads to, then collects the answers.
    void deliver(Direction d, std::span<const uint8_t> datagram) {
        if (d == Direction::to_client) {
            m.deliver_to_client(datagram);
        } else {
            m.deliver_to_server(datagram);
        }
        flush();
    }

    // Delivers genuine units until the next one toward `d` is `next`, moving
    // the other direction's units whenever the attacked side has to wait
    // for its peer's answer.
    bool advance_to(Direction d, NextUnit next) {
        for (int i = 0; i < 100; ++i) {
            if (matches(d, next)) return true;
            if (!queue(other(d)).empty()) {
                while (!queue(other(d)).empty()) deliver_next(other(d));
                continue;
            }
            if (queue(d).empty()) break;
            deliver_next(d);
        }
        ADD_FAILURE() << "could not reach the state before the next unit";
        return false;
    }

    // Delivers every held unit, both ways, until neither side sends more.
    void finish() {
        for (int i = 0; i < 100 && (!queue(Direction::to_client).empty() || !queue(Direction::to_server).empty());
             ++i) {
            while (!queue(Direction::to_server).empty()) deliver_next(Direction::to_server);
            while (!queue(Direction::to_client).empty()) deliver_next(Direction::to_client);
        }
    }

    // Fires timers (both sides) until the side `d` leads to is no longer
    // handshaking, delivering nothing; false if it still is after `limit`.
    bool time_out(Direction d, int limit = 60) {
        for (int i = 0; i < limit && target(d).state() == State::handshaking; ++i) {
            if (!m.fire_next_timer()) return false;
            flush();
        }
        return target(d).state() != State::handshaking;
    }

    // The message_seq the side `d` leads to expects next.
    uint16_t next_message_seq(Direction d) {
        for (const Unit& u : queue(d)) {
            if (std::optional<uint16_t> seq = message_seq_of(u, writer_toward(d))) return *seq;
        }
        return static_cast<uint16_t>(last_seq_[index(d)] + 1);
    }

    // --- Real keys ---------------------------------------------------------

    bool has_keys() { return keys() != nullptr; }

    // The epoch 1 keys, once a side has logged its master secret.
    const EpochKeys* keys() {
        if (keys_) return &*keys_;
        if (keylog_.empty()) return nullptr;
        std::optional<messages::ClientHello> hello;
        std::optional<messages::ServerHello> server_hello;
        for (const Bytes& d : m.from_client) {
            for (const Unit& u : units_of(d)) {
                if (u.message == messages::HandshakeType::client_hello) {
                    hello = *messages::decode_client_hello(u.body);
                }
            }
        }
        for (const Bytes& d : m.from_server) {
            for (const Unit& u : units_of(d)) {
                if (u.message == messages::HandshakeType::server_hello) {
                    server_hello = *messages::decode_server_hello(u.body);
                }
            }
        }
        if (!hello || !server_hello) return nullptr;
        keys_ = keys_from_keylog(keylog_, hello->random, *server_hello);
        EXPECT_TRUE(keys_.has_value()) << "key log line does not expand: " << keylog_;
        return keys_ ? &*keys_ : nullptr;
    }

    // An epoch 1 record sealed as the side that writes toward `d`. Sequence
    // numbers start a little ahead of the genuine writer's (so both stay
    // inside the receiver's 64-record window) and never repeat.
    Bytes seal_toward(Direction d, record::ContentType type, std::span<const uint8_t> plaintext,
                      std::optional<uint64_t> sequence = std::nullopt) {
        Bytes out;
        const EpochKeys* k = keys();
        if (k == nullptr) {
            ADD_FAILURE() << "no keys yet";
            return out;
        }
        k->of(writer_toward(d), record::RecordProtection::Direction::seal)
            .seal(type, record::kVersionDtls12, 1, sequence.value_or(evil_sequence_++), plaintext, out);
        return out;
    }

    Bytes protected_message(Direction d, messages::HandshakeType type, uint16_t message_seq,
                            std::span<const uint8_t> body, std::optional<uint64_t> sequence = std::nullopt) {
        const auto length = static_cast<uint32_t>(body.size());
        return seal_toward(d, record::ContentType::handshake,
                           fragment_bytes({type, length, message_seq, 0, length}, body), sequence);
    }

    // Opens an epoch 1 record written by `writer`; nothing if it does not
    // authenticate.
    std::optional<Bytes> open(Role writer, const WireRecord& rec) {
        const EpochKeys* k = keys();
        if (k == nullptr || rec.header.epoch != 1) return std::nullopt;
        Bytes body = rec.body;
        record::RecordProtection p = k->of(writer, record::RecordProtection::Direction::open);
        auto plain = p.open(rec.header.type, rec.header.version, rec.header.epoch, rec.header.sequence, body);
        if (!plain) return std::nullopt;
        return Bytes(plain->begin(), plain->end());
    }

    // The plaintext handshake messages `writer` has emitted so far, each
    // message_seq once, in order of message_seq.
    std::vector<Unit> messages_sent_by(Role writer) const {
        std::map<uint16_t, Unit> by_seq;
        for (const Bytes& d : writer == Role::client ? m.from_client : m.from_server) {
            for (Unit& u : units_of(d)) {
                if (u.message) by_seq.emplace(u.message_seq, std::move(u));
            }
        }
        std::vector<Unit> out;
        for (auto& [seq, u] : by_seq) out.push_back(std::move(u));
        return out;
    }

    // The body of the Finished `writer` sent (opened with the real keys).
    std::optional<Bytes> finished_sent_by(Role writer) {
        for (const Bytes& d : writer == Role::client ? m.from_client : m.from_server) {
            for (const WireRecord& rec : split_records(d)) {
                if (rec.header.type != record::ContentType::handshake || rec.header.epoch != 1) continue;
                std::optional<Bytes> plain = open(writer, rec);
                if (!plain) continue;
                for (const WireFragment& f : split_fragments(*plain)) {
                    if (f.header.type == messages::HandshakeType::finished) return f.body;
                }
            }
        }
        return std::nullopt;
    }

    // Every alert the side `d` leads to emitted from datagram `since` on,
    // protected ones opened with the real keys.
    std::vector<AlertSeen> alerts_emitted(Direction d, size_t since) {
        std::vector<AlertSeen> out;
        const Role writer = d == Direction::to_client ? Role::client : Role::server;
        const std::vector<Bytes>& all = emitted(d);
        for (size_t i = since; i < all.size(); ++i) {
            for (const WireRecord& rec : split_records(all[i])) {
                if (rec.header.type != record::ContentType::alert) continue;
                AlertSeen a;
                a.epoch = rec.header.epoch;
                std::optional<Bytes> body = rec.header.epoch == 0 ? rec.body : open(writer, rec);
                if (body && body->size() == 2) {
                    a.level = (*body)[0];
                    a.description = static_cast<Alert>((*body)[1]);
                }
                out.push_back(a);
            }
        }
        return out;
    }

    // Both sides send one record to each other; true if each arrived once.
    ::testing::AssertionResult carries_data(const std::string& tag) {
        const size_t client_before = data_count(m.client_events), server_before = data_count(m.server_events);
        const std::string up = "up " + tag, down = "down " + tag;
        if (!m.client->send(span_of(up), m.now)) return ::testing::AssertionFailure() << "client cannot send";
        if (!m.server_conn->send(span_of(down), m.now)) return ::testing::AssertionFailure() << "server cannot send";
        flush();
        finish();
        if (data_count(m.server_events) != server_before + 1 || last_data(m.server_events) != up) {
            return ::testing::AssertionFailure() << "the server did not receive \"" << up << "\" exactly once";
        }
        if (data_count(m.client_events) != client_before + 1 || last_data(m.client_events) != down) {
            return ::testing::AssertionFailure() << "the client did not receive \"" << down << "\" exactly once";
        }
        return ::testing::AssertionSuccess();
    }

    static size_t data_count(const std::vector<Event>& events) {
        size_t n = 0;
        for (const Event& e : events) n += std::holds_alternative<event::ApplicationData>(e);
        return n;
    }

    static std::string last_data(const std::vector<Event>& events) {
        for (auto it = events.rbegin(); it != events.rend(); ++it) {
            if (auto* d = std::get_if<event::ApplicationData>(&*it)) return std::string(d->data.begin(), d->data.end());
        }
        return {};
    }

private:
    static void print_trace(const char* side, std::string_view line) {
        std::fprintf(stderr, "%s %.*s\n", side, static_cast<int>(line.size()), line.data());
    }

    static size_t index(Direction d) { return d == Direction::to_client ? 0 : 1; }

    bool matches(Direction d, NextUnit next) {
        const std::deque<Unit>& q = queue(d);
        switch (next.kind) {
            case NextUnit::nothing: return q.empty() && queue(other(d)).empty();
            case NextUnit::message: return !q.empty() && q.front().message == next.type;
            case NextUnit::change_cipher_spec: return !q.empty() && q.front().is_change_cipher_spec();
            case NextUnit::protected_record: return !q.empty() && q.front().is_protected();
        }
        return false;
    }

    // The message_seq a handshake unit carries (protected ones are opened).
    std::optional<uint16_t> message_seq_of(const Unit& u, Role writer) {
        if (u.message) return u.message_seq;
        if (!u.is_protected() || u.header.type != record::ContentType::handshake) return std::nullopt;
        const std::vector<WireRecord> recs = split_records(u.record);
        if (recs.size() != 1) return std::nullopt;
        std::optional<Bytes> plain = open(writer, recs[0]);
        if (!plain) return std::nullopt;
        std::vector<WireFragment> fragments = split_fragments(*plain);
        if (fragments.empty()) return std::nullopt;
        return fragments.front().header.message_seq;
    }

    bool holding_ = false;
    std::deque<Unit> queues_[2];
    uint16_t last_seq_[2] = {0, 0};
    std::string keylog_;
    std::optional<EpochKeys> keys_;
    uint64_t evil_sequence_ = 40;
};

}  // namespace dtls::test
