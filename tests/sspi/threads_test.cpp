// Several threads accept at once with one server credential, whose front
// door (and cookie secret) the accepting contexts share. Run under
// ThreadSanitizer in CI (scripts/test.sh), which fails on any data race. The
// SSPI clock is the real one here: the virtual test clock is a single
// process-wide value.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "sspi/sspi_peer.hpp"

namespace dtls::test {
namespace {

TEST(SspiThreads, SeveralThreadsAcceptWithOneCredential) {
    TestCa ca = TestCa::create();
    Issued leaf = ca.issue(KeyKind::ecdsa_p256, "localhost");
    SspiCredential server_cred, client_cred;
    ASSERT_EQ(server_credential(leaf, server_cred), SEC_E_OK) << DtlsSspiLastError();
    ASSERT_EQ(client_credential(ca.cert_pem(), client_cred), SEC_E_OK) << DtlsSspiLastError();

    constexpr int kThreads = 4;
    constexpr int kHandshakesPerThread = 3;
    std::atomic<int> established{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kHandshakesPerThread; ++i) {
                const Instant now = Clock::now();
                SspiPeer server(Role::server, server_cred.get(), {}, now);
                SspiPeer client(Role::client, client_cred.get(), {}, now);
                Link link(client, server, {}, now);
                if (link.run_until_done() && client.established() && server.established()) ++established;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(established.load(), kThreads * kHandshakesPerThread);
}

}  // namespace
}  // namespace dtls::test
