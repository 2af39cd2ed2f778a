// Several threads, one cookie secret: endpoints made from one Server, and one
// Server and its copies, used by threads of their own, accept clients
// at the same time while the secret rotates under them; the clients all come
// from one Client, so its trust store and certificate cache are shared too.
// Run under ThreadSanitizer in CI (scripts/test.sh), which fails on any data
// race.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "endpoint_harness.hpp"

namespace dtls::test {
namespace {

constexpr int kThreads = 4;
constexpr int kClientsPerThread = 6;

Config rotating_server_config() {
    Config config = endpoint_server_config();
    config.cookie_secret_lifetime = std::chrono::seconds(2);
    return config;
}

TEST(Threads, EndpointsFromOneServerAcceptClientsOfOneClientConcurrently) {
    const Instant start = Instant{} + std::chrono::hours(1);
    auto server = Server::create(rotating_server_config(), start);
    ASSERT_TRUE(server.ok());
    auto factory = Client::create(endpoint_client_config());
    ASSERT_TRUE(factory.ok());
    std::atomic<int> established{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            EndpointNet net{Endpoint(*server)};
            net.now = start;
            for (int c = 0; c < kClientsPerThread; ++c) {
                // Each client a second later: the shared secret rotates
                // every two, so the threads rotate it concurrently.
                net.now += std::chrono::seconds(1);
                net.add_client(address_of(static_cast<uint32_t>(t * 100 + c)), &*factory);
                net.pump();
            }
            for (auto& [address, client] : net.clients) {
                if (client.state() == State::established) ++established;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(established.load(), kThreads * kClientsPerThread);
}

TEST(Threads, OneServerAndItsCopiesMakeAndCheckCookiesConcurrently) {
    const Instant start = Instant{} + std::chrono::hours(1);
    auto server = Server::create(rotating_server_config(), start);
    ASSERT_TRUE(server.ok());
    std::atomic<int> accepted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            // Half the threads share the Server itself, half use a copy.
            std::optional<Server> copy;
            if (t % 2 == 1) copy.emplace(*server);
            Server& mine = copy ? *copy : *server;
            Instant now = start;
            for (int c = 0; c < kClientsPerThread; ++c) {
                now += std::chrono::seconds(1);
                const Bytes address = address_of(static_cast<uint32_t>(t * 100 + c));
                auto client = Connection::client(endpoint_client_config(), now);
                if (!client) continue;
                Bytes datagram, reply;
                if (!client->poll_datagram(datagram)) continue;
                if (mine.handle_datagram(address, datagram, now, reply).outcome != Server::Outcome::reply) continue;
                client->handle_datagram(reply, now);
                if (!client->poll_datagram(datagram)) continue;
                if (mine.handle_datagram(address, datagram, now, reply).outcome == Server::Outcome::accepted) {
                    ++accepted;
                }
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(accepted.load(), kThreads * kClientsPerThread);
}

}  // namespace
}  // namespace dtls::test
