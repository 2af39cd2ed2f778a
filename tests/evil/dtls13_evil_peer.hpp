// The DTLS 1.3 evil peer: our genuine client and server, both DTLS 1.3
// only, joined through tests/tls12/mitm.hpp, every datagram held back and cut
// into units of one record each (the flight writer puts one handshake message
// in each record, so a unit is one message, one ACK or one alert). The test
// delivers units one at a time to walk either side into any handshake state
// and injects a message there: in plaintext (epoch 0), or sealed with the real
// epoch 2 or 3 keys, which it derives from the secrets both sides write to the
// key log (RFC 9147 6.1, RFC 8446 7.3), so the attacked side takes it for its
// peer's. The same keys open every protected record either side sends, which
// names the genuine units and reads the alerts and ACKs the attacked side
// answers with.
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
#include "evil/evil_peer.hpp"
#include "messages/hello_retry_request.hpp"
#include "record/dtls13_protection.hpp"
#include "record/dtls12_header.hpp"
#include "record/unified_header.hpp"
#include "tls12/mitm.hpp"
#include "tls13/cipher_suites.hpp"
#include "tls13/traffic_keys.hpp"
#include "transport/fragment.hpp"

namespace dtls::test {

constexpr uint64_t kEpochPlaintext = 0, kEpochHandshake = 2, kEpochApplication = 3;

// One record of a held datagram, as a datagram of its own, with what it holds
// (protected records opened with the real keys).
struct Unit13 {
    Bytes record;
    uint64_t epoch = 0;
    std::optional<record::ContentType> content;  // unknown if it did not open
    Bytes plaintext;                             // the record's content
    std::optional<messages::HandshakeType> message;
    uint16_t message_seq = 0;
    Bytes body;  // the whole message body (messages are never fragmented here)
};

class Dtls13EvilPeer {
public:
    explicit Dtls13EvilPeer(ClientAuth auth = ClientAuth::require) {
        for (Config* c : {&m.client_config, &m.server_config}) {
            c->min_version = ProtocolVersion::dtls1_3;
            c->max_version = ProtocolVersion::dtls1_3;
            // Both sides log the same secrets; either line will do.
            c->keylog = [this](std::string_view line) { remember_secret(line); };
            // Whole messages of flights at the configured MTU, as in
            // evil_peer.hpp: no path MTU back-off.
            c->pmtu_backoff_after = 0;
        }
        m.server_config.client_auth = auth;
        m.server_config.ca_pem = test_ca().cert_pem();
        if (auth != ClientAuth::none) {
            m.client_config.credential = std::make_shared<Credential>(credential_of(client_identity()));
        }
        // EVIL_TRACE=1 prints both sides' engine traces, for a case that fails.
        if (std::getenv("EVIL_TRACE") != nullptr) {
            m.client_config.trace = [](std::string_view l) { std::fprintf(stderr, "client %.*s\n", int(l.size()), l.data()); };
            m.server_config.trace = [](std::string_view l) { std::fprintf(stderr, "server %.*s\n", int(l.size()), l.data()); };
        }
        m.filter = [this](Direction dir, Bytes d) -> std::vector<Bytes> {
            // Every datagram is taken apart and logged, held or not, so the
            // alerts and ACKs each side sent can be read afterwards.
            const Role writer = writer_toward(dir);
            const size_t index = filtered_[idx(writer)]++;  // Mitm filters every datagram, in order
            std::vector<Unit13> units = units_of(writer, d);
            for (const Unit13& u : units) sent_[idx(writer)].push_back({index, u});
            if (!holding_) return {std::move(d)};
            for (Unit13& u : units) queue(dir).push_back(std::move(u));
            return {};
        };
    }

    Mitm m;

    // The cookie exchange (a HelloRetryRequest from the front door) runs
    // untouched; from then on every datagram is held.
    bool start() {
        if (!m.until_server_accepted()) return false;
        holding_ = true;
        flush();
        return true;
    }

    std::deque<Unit13>& queue(Direction d) { return queues_[d == Direction::to_client ? 0 : 1]; }
    Connection& target(Direction d) { return d == Direction::to_client ? *m.client : *m.server_conn; }
    std::vector<Event>& events(Direction d) { return d == Direction::to_client ? m.client_events : m.server_events; }
    // Everything the side that `d` leads to has emitted (before the filter).
    const std::vector<Bytes>& emitted(Direction d) const {
        return d == Direction::to_client ? m.from_client : m.from_server;
    }

    void flush() {
        m.client_to_server();
        if (m.server_conn) m.server_to_client();
    }

    void deliver_next(Direction d) {
        Unit13 u = std::move(queue(d).front());
        queue(d).pop_front();
        if (u.message) last_seq_[d == Direction::to_client ? 0 : 1] = u.message_seq;
        deliver(d, u.record);
    }

    void deliver(Direction d, std::span<const uint8_t> datagram) {
        if (d == Direction::to_client) {
            m.deliver_to_client(datagram);
        } else {
            m.deliver_to_server(datagram);
        }
        flush();
    }

    // Delivers genuine units until the next one toward `d` is the handshake
    // message `next` (nothing: until both queues are empty, established),
    // moving the other direction's units whenever the attacked side has to
    // wait for its peer.
    bool advance_to(Direction d, std::optional<messages::HandshakeType> next) {
        for (int i = 0; i < 200; ++i) {
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

    void finish() {
        for (int i = 0; i < 100 && (!queue(Direction::to_client).empty() || !queue(Direction::to_server).empty());
             ++i) {
            while (!queue(Direction::to_server).empty()) deliver_next(Direction::to_server);
            while (!queue(Direction::to_client).empty()) deliver_next(Direction::to_client);
        }
    }

    // The message_seq the side `d` leads to expects next.
    uint16_t next_message_seq(Direction d) {
        for (const Unit13& u : queue(d)) {
            if (u.message) return u.message_seq;
        }
        return static_cast<uint16_t>(last_seq_[d == Direction::to_client ? 0 : 1] + 1);
    }

    // A handshake message as the side that writes toward `d`: plaintext in
    // epoch 0, else sealed with that side's real keys of `epoch`. Sequence
    // numbers start a little ahead of the genuine writer's (both stay inside
    // the receiver's replay window) and never repeat.
    Bytes message(Direction d, uint64_t epoch, messages::HandshakeType type, uint16_t message_seq,
                  std::span<const uint8_t> body) {
        const auto length = static_cast<uint32_t>(body.size());
        const Bytes fragment = fragment_bytes({type, length, message_seq, 0, length}, body);
        if (epoch == kEpochPlaintext) return plaintext_record(record::ContentType::handshake, fragment, 900);
        Bytes out;
        record::Dtls13Protection* p = protection(writer_toward(d), epoch, record::Dtls13Protection::Direction::seal);
        if (p == nullptr) {
            ADD_FAILURE() << "no epoch " << epoch << " keys yet";
            return out;
        }
        // With connection IDs (RFC 9147 9), the receiver's CID as the
        // genuine writer puts it there.
        record::Dtls13Protection::HeaderOptions header;
        header.cid = target(d).negotiated().our_connection_id;
        EXPECT_TRUE(p->seal(epoch, evil_sequence_++, record::ContentType::handshake, fragment, header, out));
        return out;
    }

    // Every record of `type` the side `d` leads to sent from datagram
    // `since` on, opened.
    std::vector<Unit13> sent_by_target(Direction d, size_t since, record::ContentType type) const {
        std::vector<Unit13> out;
        for (const auto& [index, u] : sent_[idx(d == Direction::to_client ? Role::client : Role::server)]) {
            if (index >= since && u.content == type) out.push_back(u);
        }
        return out;
    }

    // Every handshake message `writer` sent, by type (the last of each).
    std::map<messages::HandshakeType, Bytes> messages_sent_by(Role writer) const {
        std::map<messages::HandshakeType, Bytes> out;
        for (const auto& [index, u] : sent_[idx(writer)]) {
            if (u.message) out[*u.message] = u.body;
        }
        return out;
    }

    // Both sides send one record to each other; true if each arrived once.
    ::testing::AssertionResult carries_data(const std::string& tag) {
        const size_t client_before = EvilPeer::data_count(m.client_events);
        const size_t server_before = EvilPeer::data_count(m.server_events);
        const std::string up = "up " + tag, down = "down " + tag;
        if (!m.client->send(span_of(up), m.now)) return ::testing::AssertionFailure() << "client cannot send";
        if (!m.server_conn->send(span_of(down), m.now)) return ::testing::AssertionFailure() << "server cannot send";
        flush();
        finish();
        if (EvilPeer::data_count(m.server_events) != server_before + 1 || EvilPeer::last_data(m.server_events) != up) {
            return ::testing::AssertionFailure() << "the server did not receive \"" << up << "\" exactly once";
        }
        if (EvilPeer::data_count(m.client_events) != client_before + 1 || EvilPeer::last_data(m.client_events) != down) {
            return ::testing::AssertionFailure() << "the client did not receive \"" << down << "\" exactly once";
        }
        return ::testing::AssertionSuccess();
    }

private:
    static size_t idx(Role r) { return r == Role::client ? 0 : 1; }

    bool matches(Direction d, std::optional<messages::HandshakeType> next) {
        if (!next) return queue(d).empty() && queue(other(d)).empty();
        return !queue(d).empty() && queue(d).front().message == next;
    }

    // "LABEL <client random> <secret>" (engine/key_log.hpp).
    void remember_secret(std::string_view line) {
        const size_t first = line.find(' '), second = line.rfind(' ');
        if (first == std::string_view::npos || second == first) return;
        if (std::optional<Bytes> secret = from_hex(line.substr(second + 1))) {
            secrets_[std::string(line.substr(0, first))] = *secret;
        }
    }

    // The protection of `writer`'s records in `epoch` (2 or 3), made from the
    // logged traffic secret and the suite the ServerHello chose.
    record::Dtls13Protection* protection(Role writer, uint64_t epoch, record::Dtls13Protection::Direction direction) {
        const auto key = std::tuple{writer, epoch, direction};
        if (auto it = protections_.find(key); it != protections_.end()) return &it->second;
        if (suite_ == nullptr || (epoch != kEpochHandshake && epoch != kEpochApplication)) return nullptr;
        const char* label = epoch == kEpochHandshake
                                ? (writer == Role::client ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET" : "SERVER_HANDSHAKE_TRAFFIC_SECRET")
                                : (writer == Role::client ? "CLIENT_TRAFFIC_SECRET_0" : "SERVER_TRAFFIC_SECRET_0");
        auto secret = secrets_.find(label);
        if (secret == secrets_.end()) return nullptr;
        auto keys = tls13::derive_traffic_keys(tls13::KeyDerivation(suite_->hash), suite_->aead, secret->second);
        if (!keys) return nullptr;
        auto p = record::Dtls13Protection::create(suite_->aead, direction, keys->key.span(), keys->iv.span(),
                                                  keys->sn_key.span());
        if (!p) return nullptr;
        return &protections_.emplace(key, std::move(*p)).first->second;
    }

    // Splits a datagram `writer` sent into units, opening what it can.
    std::vector<Unit13> units_of(Role writer, std::span<const uint8_t> datagram) {
        std::vector<Unit13> out;
        wire::Reader r(datagram);
        while (!r.empty()) {
            const size_t at = datagram.size() - r.remaining();
            if (record::is_unified_header(datagram[at])) {
                record::UnifiedHeader h;
                std::span<const uint8_t> body;
                // The receiver issued the CID a record carries, if any.
                const Config& receiver = writer == Role::server ? m.client_config : m.server_config;
                if (!record::read_unified_record(r, receiver.connection_id_length.value_or(0), h, body)) break;
                Unit13 u;
                u.record.assign(datagram.begin() + static_cast<std::ptrdiff_t>(at),
                                datagram.begin() + static_cast<std::ptrdiff_t>(datagram.size() - r.remaining()));
                open(writer, h, u);
                out.push_back(std::move(u));
                continue;
            }
            record::Dtls12Header h;
            std::span<const uint8_t> body;
            if (!record::read_dtls12_record(r, h, body)) break;
            if (h.type != record::ContentType::handshake) {
                out.push_back(Unit13{plaintext_record(h.type, body, h.sequence, static_cast<uint16_t>(h.epoch)),
                                     h.epoch, h.type, Bytes(body.begin(), body.end()), std::nullopt, 0, {}});
                continue;
            }
            for (const WireFragment& f : split_fragments(body)) {
                EXPECT_TRUE(f.header.fragment_offset == 0 && f.header.fragment_length == f.header.length)
                    << "a hello was fragmented; the evil peer needs whole messages";
                Unit13 u{handshake_record(f.header.type, f.header.message_seq, f.body, h.sequence), h.epoch,
                         record::ContentType::handshake, {}, f.header.type, f.header.message_seq, f.body};
                if (writer == Role::server && f.header.type == messages::HandshakeType::server_hello) {
                    auto sh = messages::decode_server_hello(f.body);
                    if (sh && !messages::is_hello_retry_request(*sh)) suite_ = tls13::find_suite(sh->cipher_suite);
                }
                out.push_back(std::move(u));
            }
        }
        return out;
    }

    // Opens a copy of the unit's record, tracking the highest sequence
    // number per writer and epoch to rebuild the full one (RFC 9147 4.2.2).
    void open(Role writer, const record::UnifiedHeader& parsed, Unit13& u) {
        // During the handshake the two epoch bits name the epoch (RFC 9147 4.2.1).
        u.epoch = parsed.epoch_bits == 2 ? kEpochHandshake : kEpochApplication;
        record::Dtls13Protection* p = protection(writer, u.epoch, record::Dtls13Protection::Direction::open);
        if (p == nullptr) return;
        Bytes copy = u.record;
        const size_t header_length = record::unified_header_length(parsed);
        std::span<uint8_t> header(copy.data(), header_length), body(copy.data() + header_length, copy.size() - header_length);
        record::UnifiedHeader h = parsed;
        std::optional<uint16_t> low = p->unmask_sequence(header, h, body);
        if (!low) return;
        std::optional<uint64_t>& highest = highest_[std::pair{writer, u.epoch}];
        const uint64_t sequence = record::reconstruct_sequence(highest, *low, h.long_sequence ? 16 : 8);
        auto opened = p->open(header, sequence, body);
        if (!opened) return;
        if (!highest || sequence > *highest) highest = sequence;
        u.content = opened->type;
        u.plaintext.assign(opened->content.begin(), opened->content.end());
        if (u.content != record::ContentType::handshake) return;
        std::vector<WireFragment> fragments = split_fragments(u.plaintext);
        EXPECT_EQ(fragments.size(), 1u) << "a record held more than one handshake fragment";
        if (fragments.empty()) return;
        EXPECT_TRUE(fragments[0].header.fragment_offset == 0 && fragments[0].header.fragment_length == fragments[0].header.length)
            << "a handshake message was fragmented; the evil peer needs whole messages";
        u.message = fragments[0].header.type;
        u.message_seq = fragments[0].header.message_seq;
        u.body = fragments[0].body;
    }

    bool holding_ = false;
    std::deque<Unit13> queues_[2];
    uint16_t last_seq_[2] = {0, 0};
    std::map<std::string, Bytes> secrets_;
    const tls13::SuiteInfo* suite_ = nullptr;
    std::map<std::tuple<Role, uint64_t, record::Dtls13Protection::Direction>, record::Dtls13Protection> protections_;
    std::map<std::pair<Role, uint64_t>, std::optional<uint64_t>> highest_;
    std::vector<std::pair<size_t, Unit13>> sent_[2];  // per writer: (datagram index, unit)
    size_t filtered_[2] = {0, 0};
    uint64_t evil_sequence_ = 40;
};

// The attacked side just before an injection.
struct Before13 {
    State state;
    std::optional<Instant> timeout;
    size_t events, emitted, completes, data;

    static Before13 of(Dtls13EvilPeer& e, Direction d) {
        return {e.target(d).state(), e.target(d).next_timeout(), e.events(d).size(), e.emitted(d).size(),
                count_complete(e.events(d)), EvilPeer::data_count(e.events(d))};
    }
};

// After the injection the side `d` leads to failed with `alert` sent: one
// alert record, fatal, and the handshake not completed.
inline void expect_fatal13(Dtls13EvilPeer& e, Direction d, Alert alert, const Before13& before) {
    const Connection& c = e.target(d);
    const std::vector<Event>& events = e.events(d);
    const std::vector<Unit13> alerts = e.sent_by_target(d, before.emitted, record::ContentType::alert);
    EXPECT_EQ(c.state(), State::failed) << e.m.describe();
    ASSERT_TRUE(c.error().has_value());
    EXPECT_EQ(c.error()->code, ErrorCode::alert_sent) << c.error()->to_string();
    EXPECT_EQ(c.error()->alert, alert) << c.error()->to_string();
    EXPECT_NE(failed_event(events), nullptr);
    ASSERT_EQ(alerts.size(), 1u) << "expected exactly one alert from the attacked side";
    ASSERT_EQ(alerts[0].plaintext.size(), 2u) << "alert in epoch " << alerts[0].epoch << " did not open";
    EXPECT_EQ(alerts[0].plaintext[0], 2) << "not a fatal alert";
    EXPECT_EQ(static_cast<Alert>(alerts[0].plaintext[1]), alert)
        << "got " << to_string(static_cast<Alert>(alerts[0].plaintext[1]));
    EXPECT_EQ(count_complete(events), before.completes) << "the injection completed the handshake";
}

}  // namespace dtls::test
