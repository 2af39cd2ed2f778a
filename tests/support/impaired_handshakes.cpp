#include "support/impaired_handshakes.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "support/certs.hpp"
#include "support/endpoints.hpp"
#include "support/impaired_link.hpp"

namespace dtls::test {

namespace {

Config config(bool server, size_t mtu, ProtocolVersion version) {
    Config c;
    if (server) {
        c.credential = std::make_shared<Credential>(credential_of(shared_server_cert(KeyKind::ecdsa_p256)));
    } else {
        c.ca_pem = shared_ca().cert_pem();
        c.server_name = "server.test";
    }
    c.mtu = mtu;
    c.max_retransmits = 20;  // 30% loss each way needs more than the default
    c.handshake_timeout = std::chrono::hours(1);
    c.max_version = version;
    return c;
}

std::span<const uint8_t> bytes_of(const char* s) { return {reinterpret_cast<const uint8_t*>(s), std::strlen(s)}; }

}  // namespace

void expect_impaired_handshakes(const Impairment& imp, ProtocolVersion version) {
    int failures = 0;
    for (int seed = 1; seed <= imp.seeds; ++seed) {
        const Instant start = Instant{} + std::chrono::hours(1);
        ClientEndpoint client(config(false, imp.mtu, version), start);
        ServerEndpoint server(config(true, imp.mtu, version), start);
        LinkOptions o;
        o.seed = static_cast<uint64_t>(seed);
        o.loss_a_to_b = o.loss_b_to_a = imp.loss;
        o.duplicate = imp.duplicate;
        o.reorder = imp.reorder;
        o.mtu = imp.mtu;
        Link link(client, server, o, start);
        const bool done = link.run_until([&] {
            return client.record().handshake_complete && server.record().handshake_complete;
        }, RunLimits{std::chrono::hours(1), 100000});
        if (!done) {
            ++failures;
            ADD_FAILURE() << "seed " << seed << ": handshake did not complete; client "
                          << (client.record().failure ? client.record().failure->to_string() : "no error")
                          << "; server " << (server.record().failure ? server.record().failure->to_string() : "no error")
                          << " state " << (server.connection() ? static_cast<int>(server.connection()->state()) : -1)
                          << " retransmissions " << (server.connection() ? server.connection()->stats().retransmissions : 0)
                          << " dropped " << (server.connection() ? server.connection()->stats().records_dropped : 0)
                          << " link rounds " << link.stats().rounds << " c->s " << link.stats().a_to_b.datagrams << "/"
                          << link.stats().a_to_b.delivered << "/" << link.stats().a_to_b.oversize_dropped << " s->c "
                          << link.stats().b_to_a.datagrams << "/" << link.stats().b_to_a.delivered << "/"
                          << link.stats().b_to_a.dropped << "/" << link.stats().b_to_a.oversize_dropped << " overflow "
                          << link.stats().queue_overflow << " elapsed "
                          << std::chrono::duration_cast<std::chrono::seconds>(link.stats().elapsed).count();
            if (failures > 3) return;
            continue;
        }
        EXPECT_EQ(client.connection()->negotiated().version, version) << "seed " << seed;
        EXPECT_EQ(link.stats().a_to_b.oversize_dropped + link.stats().b_to_a.oversize_dropped, 0u) << "seed " << seed;
        // Application data is unreliable by design; check it over a clean path.
        link.options().loss_a_to_b = link.options().loss_b_to_a = 0;
        link.options().duplicate = 0;
        ASSERT_TRUE(client.send(bytes_of("to server"), link.now()));
        ASSERT_TRUE(server.send(bytes_of("to client"), link.now()));
        link.run_for(std::chrono::seconds(1));
        ASSERT_GE(server.received().size(), 1u) << "seed " << seed;
        ASSERT_GE(client.received().size(), 1u) << "seed " << seed;
        EXPECT_EQ(std::string(server.received()[0].begin(), server.received()[0].end()), "to server");
        EXPECT_EQ(std::string(client.received()[0].begin(), client.received()[0].end()), "to client");
        if (failures > 3) return;
    }
}

}  // namespace dtls::test
