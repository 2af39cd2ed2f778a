// A DTLS 1.2 client resuming a session checks that the server resumed it as
// it was: the same cipher suite (else illegal_parameter) and the same
// extended master secret state (RFC 7627 5.3, else handshake_failure). The
// server's ServerHello is rewritten on the way, as a rogue server would
// send it.
#include <gtest/gtest.h>

#include "tls12/mitm.hpp"

namespace dtls::test {
namespace {

// A first connection that leaves a DTLS 1.2 session in the client's cache,
// then a second one through the same server with `filter` on its path.
struct SecondConnection {
    Mitm first;
    Mitm second;

    explicit SecondConnection(bool require_extended_master_secret) {
        auto cache = SessionCache::in_memory();
        for (Mitm* m : {&first, &second}) {
            m->server_config.session_cache_capacity = 4;
            m->client_config.session_cache = cache;
            m->client_config.require_extended_master_secret = require_extended_master_secret;
        }
    }

    bool start(Filter filter) {
        if (!first.start()) return false;
        first.run();
        if (!first.established()) {
            ADD_FAILURE() << "first connection: " << first.describe();
            return false;
        }
        second.now = first.now + std::chrono::seconds(1);
        second.server.emplace(*first.server);
        auto c = Connection::client(second.client_config, second.now);
        if (!c) {
            ADD_FAILURE() << c.error().to_string();
            return false;
        }
        second.client.emplace(std::move(*c));
        second.filter = std::move(filter);
        second.run();
        return true;
    }
};

Filter rewrite_server_hello(std::function<void(messages::ServerHello&)> change) {
    return [change](Direction d, Bytes datagram) {
        if (d == Direction::to_client) {
            edit_messages(datagram, messages::HandshakeType::server_hello, [&](Bytes& body) {
                auto sh = messages::decode_server_hello(body);
                ASSERT_TRUE(sh);
                change(*sh);
                auto encoded = messages::encoded(*sh);
                ASSERT_TRUE(encoded);
                body = std::move(*encoded);
            });
        }
        return std::vector<Bytes>{std::move(datagram)};
    };
}

TEST(Dtls12ResumptionRogueServer, AnotherSuiteIsIllegalParameter) {
    SecondConnection run(true);
    ASSERT_TRUE(run.start(rewrite_server_hello([](messages::ServerHello& sh) {
        // Offered by the client, but not the session's suite.
        ASSERT_EQ(sh.cipher_suite, static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256));
        sh.cipher_suite = static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384);
    })));
    expect_fault(*run.second.client, run.second.client_events, Fault::forbidden_value);
    EXPECT_NE(run.second.client->error()->reason.find("another cipher suite"), std::string::npos);
}

// conformance: RFC7627-5.3-10
TEST(Dtls12ResumptionRogueServer, DroppedExtendedMasterSecretIsHandshakeFailure) {
    // Not required, so that only the resumption rule can refuse it.
    SecondConnection run(false);
    ASSERT_TRUE(run.start(rewrite_server_hello([](messages::ServerHello& sh) {
        ASSERT_TRUE(sh.extensions.extended_master_secret);
        sh.extensions.extended_master_secret = false;
    })));
    expect_fault(*run.second.client, run.second.client_events, Fault::extended_master_secret_missing);
    EXPECT_NE(run.second.client->error()->reason.find("resumed the session"), std::string::npos);
}

}  // namespace
}  // namespace dtls::test
