// The server front door: stateless HelloVerifyRequests bound to the address,
// rotating cookie secrets, and nothing but the start of a ClientHello let in.
#include <gtest/gtest.h>

#include "messages/messages.hpp"
#include "support/certs.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {
namespace {

const Issued& server_cert() {
    static Issued cert = TestCa::create().issue(KeyKind::ecdsa_p256, "server.test");
    return cert;
}

struct FrontDoor {
    Config config = dtls12_config();
    Instant start = Instant{} + std::chrono::hours(1);
    std::optional<Server> server;
    std::vector<uint8_t> address{10, 0, 0, 1, 0x12, 0x34};

    FrontDoor() {
        config.credential = std::make_shared<Credential>(credential_of(server_cert()));
        config.cookie_secret_lifetime = std::chrono::minutes(5);
        server.emplace(std::move(*Server::create(config, start)));
    }

    // A fresh client's first ClientHello datagram.
    static std::vector<uint8_t> first_hello(Instant now) {
        Config c = dtls12_config();
        c.verify_peer = false;
        auto client = Connection::client(c, now);
        std::vector<uint8_t> d;
        EXPECT_TRUE(client->poll_datagram(d));
        return d;
    }
};

// Returns the client's second ClientHello (with the cookie) after one
// HelloVerifyRequest from `door` for `address`.
std::vector<uint8_t> hello_with_cookie(FrontDoor& door, const std::vector<uint8_t>& address, Instant now) {
    Config c = dtls12_config();
    c.verify_peer = false;
    auto client = Connection::client(c, now);
    std::vector<uint8_t> d, reply;
    EXPECT_TRUE(client->poll_datagram(d));
    auto answer = door.server->handle_datagram(address, d, now, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::reply);
    client->handle_datagram(reply, now);
    EXPECT_TRUE(client->poll_datagram(d));
    return d;
}

// conformance: RFC6347-4.2.1-9 RFC6347-4.2.1-11 RFC6347-4.2.1-14
TEST(FrontDoor, AnswersWithSmallerHelloVerifyRequestAndNoConnection) {
    FrontDoor door;
    std::vector<uint8_t> hello = FrontDoor::first_hello(door.start), reply;
    auto answer = door.server->handle_datagram(door.address, hello, door.start, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::reply);
    EXPECT_FALSE(answer.connection);
    EXPECT_LE(reply.size(), hello.size());
    ASSERT_GT(reply.size(), 13u);
    EXPECT_EQ(reply[0], 22);   // handshake record
    EXPECT_EQ(reply[13], 3);   // HelloVerifyRequest
    // The record sequence number echoes the ClientHello's (RFC 6347 4.2.1).
    EXPECT_TRUE(std::equal(reply.begin() + 3, reply.begin() + 11, hello.begin() + 3));
}

TEST(FrontDoor, ValidCookieFromSameAddressIsAccepted) {
    FrontDoor door;
    std::vector<uint8_t> second = hello_with_cookie(door, door.address, door.start), reply;
    auto answer = door.server->handle_datagram(door.address, second, door.start, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::accepted);
    ASSERT_TRUE(answer.connection);
    std::vector<uint8_t> flight;
    EXPECT_TRUE(answer.connection->poll_datagram(flight));  // ServerHello..ServerHelloDone
}

// conformance: RFC6347-4.2.1-16
TEST(FrontDoor, CookieIsBoundToTheAddress) {
    FrontDoor door;
    std::vector<uint8_t> second = hello_with_cookie(door, door.address, door.start), reply;
    std::vector<uint8_t> other{10, 0, 0, 2, 0x12, 0x34};
    auto answer = door.server->handle_datagram(other, second, door.start, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::reply);
    EXPECT_FALSE(answer.connection);
}

// RFC 6347 4.2.1: the client sends the same version, random, session_id,
// cipher suites and compression methods with the cookie. A hello that
// changes any of them has no valid cookie: it gets a fresh
// HelloVerifyRequest, never a connection.
// conformance: RFC6347-4.2.1-6
TEST(FrontDoor, CookieIsBoundToTheHelloFieldsItCovers) {
    constexpr size_t kBody = 13 + 12;  // record header, handshake header
    auto field_offsets = [](const std::vector<uint8_t>& datagram) {
        messages::ClientHelloPrefix prefix;
        const std::span<const uint8_t> body(datagram.begin() + kBody, datagram.end());
        EXPECT_TRUE(messages::read_client_hello_prefix(body, prefix));
        struct Offsets {
            size_t random, last_suite_byte, compression;
        };
        return Offsets{static_cast<size_t>(prefix.random.data() - datagram.data()),
                       static_cast<size_t>(prefix.cipher_suites.data() + prefix.cipher_suites.size() - 1 -
                                           datagram.data()),
                       static_cast<size_t>(prefix.compression_methods.data() - datagram.data())};
    };
    FrontDoor door;
    const std::vector<uint8_t> second = hello_with_cookie(door, door.address, door.start);
    const auto at = field_offsets(second);
    struct Change {
        const char* what;
        size_t offset;
    };
    for (const Change& change : {Change{"random", at.random}, Change{"cipher suites", at.last_suite_byte},
                                 Change{"compression methods", at.compression}}) {
        std::vector<uint8_t> altered = second, reply;
        altered[change.offset] ^= 0x01;
        auto answer = door.server->handle_datagram(door.address, altered, door.start, reply);
        EXPECT_EQ(answer.outcome, Server::Outcome::reply) << change.what;
        EXPECT_FALSE(answer.connection) << change.what;
        ASSERT_GT(reply.size(), 13u);
        EXPECT_EQ(reply[13], 3) << change.what << ": a HelloVerifyRequest";
    }
    // The same hello unchanged is accepted.
    std::vector<uint8_t> reply;
    EXPECT_EQ(door.server->handle_datagram(door.address, second, door.start, reply).outcome,
              Server::Outcome::accepted);
}

TEST(FrontDoor, CookieSurvivesOneRotationButNotTwo) {
    FrontDoor door;
    const auto lifetime = door.config.cookie_secret_lifetime;
    std::vector<uint8_t> second = hello_with_cookie(door, door.address, door.start), reply;
    // Just after the first rotation: made with what is now the previous secret.
    auto later = door.server->handle_datagram(door.address, second, door.start + lifetime + std::chrono::seconds(1), reply);
    EXPECT_EQ(later.outcome, Server::Outcome::accepted);

    FrontDoor door2;
    std::vector<uint8_t> second2 = hello_with_cookie(door2, door2.address, door2.start);
    door2.server->handle_datagram(door2.address, FrontDoor::first_hello(door2.start), door2.start + lifetime, reply);
    auto stale = door2.server->handle_datagram(door2.address, second2, door2.start + 2 * lifetime + std::chrono::seconds(1),
                                               reply);
    EXPECT_EQ(stale.outcome, Server::Outcome::reply);
}

// The same when nothing at all arrives between the cookie and its use: a
// secret that sat idle for two lifetimes is gone, not merely demoted to the
// previous one.
TEST(FrontDoor, CookieExpiresAfterTwoIdleLifetimes) {
    FrontDoor door;
    const auto lifetime = door.config.cookie_secret_lifetime;
    std::vector<uint8_t> second = hello_with_cookie(door, door.address, door.start), reply;
    auto stale = door.server->handle_datagram(door.address, second, door.start + 2 * lifetime + std::chrono::seconds(1),
                                              reply);
    EXPECT_EQ(stale.outcome, Server::Outcome::reply);
    EXPECT_FALSE(stale.connection);
}

// A cookie issued late in a secret's lifetime is made with the secret in
// force then, so it is still good one lifetime later (the keys a thread
// keeps are refreshed when the secret rotates, not after two lifetimes).
TEST(FrontDoor, CookieIssuedLateInALifetimeLastsAnotherLifetime) {
    FrontDoor door;
    const auto lifetime = door.config.cookie_secret_lifetime;
    std::vector<uint8_t> reply;
    door.server->handle_datagram(door.address, FrontDoor::first_hello(door.start), door.start, reply);
    const Instant issued = door.start + lifetime + lifetime / 2;
    std::vector<uint8_t> second = hello_with_cookie(door, door.address, issued);
    auto answer = door.server->handle_datagram(door.address, second, issued + lifetime * 3 / 5, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::accepted);
}

TEST(FrontDoor, DropsAnythingButTheStartOfAClientHello) {
    FrontDoor door;
    std::vector<uint8_t> hello = FrontDoor::first_hello(door.start), reply;
    std::vector<std::vector<uint8_t>> bad;
    bad.push_back({});
    bad.push_back({23, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0});  // application data
    bad.push_back(std::vector<uint8_t>(hello.begin(), hello.begin() + 20));  // truncated
    std::vector<uint8_t> epoch1 = hello;
    epoch1[4] = 1;
    bad.push_back(epoch1);
    // A well-formed later fragment (offset 1) is not the start of a hello.
    std::vector<uint8_t> later_fragment(hello.begin(), hello.end() - 1);
    const size_t body = hello.size() - 25;
    later_fragment[12] = static_cast<uint8_t>(later_fragment[12] - 1);  // record length
    later_fragment[21] = 1;                                             // fragment_offset
    later_fragment[23] = static_cast<uint8_t>((body - 1) >> 8);         // fragment_length
    later_fragment[24] = static_cast<uint8_t>(body - 1);
    bad.push_back(later_fragment);
    std::vector<uint8_t> cut = hello;  // a first fragment that ends inside the random
    cut.resize(13 + 12 + 20);
    cut[11] = 0;
    cut[12] = 12 + 20;
    cut[22] = 0;
    cut[23] = 0;
    cut[24] = 20;
    bad.push_back(cut);
    std::vector<uint8_t> not_hello = hello;
    not_hello[13] = 2;  // ServerHello
    bad.push_back(not_hello);
    for (size_t i = 0; i < bad.size(); ++i) {
        // Each case from its own address: the front door collects a hello's
        // fragments per address, and the later fragment of case 4 and the
        // first of case 5 would otherwise add up to a (garbled) whole hello,
        // one in 256 of which parses.
        std::vector<uint8_t> address = door.address;
        address[3] = static_cast<uint8_t>(10 + i);
        auto answer = door.server->handle_datagram(address, bad[i], door.start, reply);
        EXPECT_EQ(answer.outcome, Server::Outcome::dropped) << "case " << i;
        EXPECT_TRUE(reply.empty()) << "case " << i;
    }
}

// Only a record of a DTLS version ({254, x}) can start a handshake. TLS
// 1.2's 0x0303 or a zero version is dropped without an answer; the first
// ClientHello's record may say DTLS 1.0 ({254, 255}, as OpenSSL sends it).
TEST(FrontDoor, RecordVersionMustBeADtlsVersion) {
    FrontDoor door;
    const std::vector<uint8_t> hello = FrontDoor::first_hello(door.start);
    for (const auto& [major, minor] : {std::pair{0x03, 0x03}, std::pair{0x00, 0x00}, std::pair{0xff, 0xfd}}) {
        std::vector<uint8_t> other = hello, reply;
        other[1] = static_cast<uint8_t>(major);
        other[2] = static_cast<uint8_t>(minor);
        auto answer = door.server->handle_datagram(door.address, other, door.start, reply);
        EXPECT_EQ(answer.outcome, Server::Outcome::dropped) << std::hex << major << minor;
        EXPECT_TRUE(reply.empty());
    }
    for (uint8_t minor : {0xfd, 0xff}) {
        std::vector<uint8_t> dtls = hello, reply;
        dtls[2] = minor;
        auto answer = door.server->handle_datagram(door.address, dtls, door.start, reply);
        EXPECT_EQ(answer.outcome, Server::Outcome::reply) << "record version {254, " << int{minor} << "}";
    }
}

TEST(FrontDoor, CookiesOffAcceptsAtOnce) {
    FrontDoor door;
    door.config.cookies = false;
    door.server.emplace(std::move(*Server::create(door.config, door.start)));
    std::vector<uint8_t> reply;
    auto answer = door.server->handle_datagram(door.address, FrontDoor::first_hello(door.start), door.start, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::accepted);
}

TEST(FrontDoor, ServerWithoutCredentialIsRefused) {
    Config config;
    auto server = Server::create(config, Instant{});
    ASSERT_FALSE(server);
    EXPECT_EQ(server.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(server.error().reason.find("certificate"), std::string::npos);
}

TEST(Config, ClientWithoutTrustIsRefusedWithReason) {
    Config config;
    auto client = Connection::client(config, Instant{});
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(client.error().reason.find("verify_peer"), std::string::npos);
    config.verify_peer = false;
    config.mtu = 100;
    auto small = Connection::client(config, Instant{});
    ASSERT_FALSE(small);
    EXPECT_NE(small.error().reason.find("MTU 100"), std::string::npos);
}

// What the ClientHello carries must fit its length fields: a configuration
// that could not be sent is refused when the Client is made.
TEST(Config, NamesAndListsTooLongToSendAreRefused) {
    Config base;
    base.verify_peer = false;
    ASSERT_TRUE(Client::create(base).ok());

    Config long_name = base;
    long_name.server_name = std::string(256, 'a');
    ASSERT_FALSE(Client::create(long_name).ok());
    EXPECT_EQ(Client::create(long_name).error().code, ErrorCode::invalid_argument);
    long_name.server_name = std::string(255, 'a');
    EXPECT_TRUE(Client::create(long_name).ok());

    Config nul = base;
    nul.server_name = std::string("a\0b", 3);
    EXPECT_FALSE(Client::create(nul).ok());

    Config alpn = base;
    alpn.alpn.assign(258, std::string(254, 'p'));  // 258 x 255 bytes > 65535
    ASSERT_FALSE(Client::create(alpn).ok());
    EXPECT_NE(Client::create(alpn).error().reason.find("ALPN list"), std::string::npos);
    alpn.alpn.assign(257, std::string(254, 'p'));  // 257 x 255 = 65535 bytes, the most there is room for
    EXPECT_TRUE(Client::create(alpn).ok());

    Config suites = base;
    suites.cipher_suites.assign(40000, CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    EXPECT_FALSE(Client::create(suites).ok());
}

}  // namespace
}  // namespace dtls::test
