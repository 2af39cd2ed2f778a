// Deterministic mode (src/crypto/random_testing.hpp): with the random source
// fixed, a whole handshake and the data after it replay byte for byte; and a
// library built without DTLS_TESTING_HOOKS has no way to fix it.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "crypto/random_testing.hpp"
#include "dtls/dtls.hpp"
#include "support/certs.hpp"

namespace dtls::test {
namespace {

// The library archive this build produced (tests/CMakeLists.txt passes it).
std::string library_bytes() {
    std::ifstream in(DTLS_LIBRARY_FILE, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(TestingHooks, LibraryHasTheRandomOverrideExactlyWhenBuiltWithHooks) {
    const std::string library = library_bytes();
    ASSERT_GT(library.size(), 10000u) << "cannot read " << DTLS_LIBRARY_FILE;
    // A symbol the library certainly exports, to show the search can succeed.
    ASSERT_NE(library.find("random_bytes"), std::string::npos);
    // The mangled name of dtls::crypto::testing::set_random_source contains
    // the identifier verbatim.
#ifdef DTLS_TESTING_HOOKS
    EXPECT_NE(library.find("set_random_source"), std::string::npos);
#else
    EXPECT_EQ(library.find("set_random_source"), std::string::npos)
        << "a build without DTLS_TESTING_HOOKS must not be able to replace the random source";
#endif
}

#ifdef DTLS_TESTING_HOOKS

// Everything that crossed the wire, in order, tagged with its direction.
using Transcript = std::vector<std::pair<char, Bytes>>;

const Credential& ed25519_credential() {
    // One certificate for every run in this process: certificate creation
    // itself is not part of what is replayed.
    static const Credential credential = credential_of(self_signed(KeyKind::ed25519, "determinism.test"));
    return credential;
}

Config deterministic_config() {
    Config config;
    config.credential = std::make_shared<const Credential>(ed25519_credential());
    config.groups = {NamedGroup::x25519};  // key shares drawn from random_bytes
    config.signature_schemes = {SignatureScheme::ed25519};  // signatures without a random nonce
    config.verify_peer = false;
    config.mtu = 300;  // several datagrams per flight
    return config;
}

// A handshake through the front door, two application records and a
// close_notify, all at fixed virtual times.
Transcript run_session(uint64_t seed) {
    crypto::testing::ScopedRandomSeed fixed(seed);
    const Instant start = Instant{} + std::chrono::hours(5);
    const std::vector<uint8_t> address{10, 0, 0, 7, 0x12, 0x34};
    Transcript wire;
    auto server = Server::create(deterministic_config(), start);
    auto client = Connection::client(deterministic_config(), start);
    if (!server || !client) {
        ADD_FAILURE() << "cannot create endpoints";
        return wire;
    }
    std::optional<Connection> accepted;
    Instant now = start;
    Bytes d, reply;
    for (int round = 0; round < 20; ++round) {
        now += std::chrono::milliseconds(3);
        while (client->poll_datagram(d)) {
            wire.emplace_back('>', d);
            if (accepted) {
                accepted->handle_datagram(d, now);
                continue;
            }
            auto answer = server->handle_datagram(address, d, now, reply);
            if (answer.outcome == Server::Outcome::reply) {
                wire.emplace_back('<', reply);
                client->handle_datagram(reply, now);
            } else if (answer.outcome == Server::Outcome::accepted) {
                accepted.emplace(std::move(*answer.connection));
            }
        }
        while (accepted && accepted->poll_datagram(d)) {
            wire.emplace_back('<', d);
            client->handle_datagram(d, now);
        }
        if (round == 10 && client->state() == State::established) {
            const std::string hello = "hello, deterministic world";
            EXPECT_TRUE(client->send({reinterpret_cast<const uint8_t*>(hello.data()), hello.size()}, now).ok());
            EXPECT_TRUE(accepted->send({reinterpret_cast<const uint8_t*>(hello.data()), hello.size()}, now).ok());
        }
        if (round == 15) client->close(now);
    }
    EXPECT_EQ(client->state(), State::closed) << "the scripted session did not run to its end";
    return wire;
}

TEST(DeterministicMode, SameSeedReplaysTheWholeSessionByteForByte) {
    const Transcript first = run_session(42);
    const Transcript second = run_session(42);
    ASSERT_GE(first.size(), 10u);  // HelloVerifyRequest exchange, fragmented flights, data, alert
    ASSERT_EQ(first.size(), second.size());
    for (size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(first[i].first, second[i].first) << "datagram " << i;
        EXPECT_EQ(first[i].second, second[i].second) << "datagram " << i << " differs";
    }
}

TEST(DeterministicMode, DifferentSeedsGiveDifferentSessions) {
    const Transcript a = run_session(1);
    const Transcript b = run_session(2);
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    // The very first datagram already differs: the ClientHello's random.
    EXPECT_NE(a.front().second, b.front().second);
    EXPECT_NE(a, b);
}

TEST(DeterministicMode, WithoutASeedSessionsDiffer) {
    // The system source is back once the guard is gone.
    { crypto::testing::ScopedRandomSeed fixed(7); }
    auto first = Connection::client(deterministic_config(), Instant{});
    auto second = Connection::client(deterministic_config(), Instant{});
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(second.ok());
    Bytes a, b;
    ASSERT_TRUE(first->poll_datagram(a));
    ASSERT_TRUE(second->poll_datagram(b));
    EXPECT_NE(a, b);
}

TEST(DeterministicMode, SeededSourceIsAStableFunctionOfTheSeed) {
    auto one = crypto::testing::seeded_random_source(99);
    auto two = crypto::testing::seeded_random_source(99);
    std::vector<uint8_t> a(37), b(37);
    one(a);
    two(b);
    EXPECT_EQ(a, b);
    one(a);
    EXPECT_NE(a, b);  // the stream moves on
}

#endif  // DTLS_TESTING_HOOKS

}  // namespace
}  // namespace dtls::test
