#include "support/black_hole.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <memory>
#include <utility>

#include "support/certs.hpp"
#include "support/endpoints.hpp"

namespace dtls::test {

namespace {

// Passes everything through to `inner`, noting each datagram it sends and
// the sender's MTU at that moment.
class Recorder : public LinkPeer {
public:
    Recorder(LinkPeer& inner, std::function<size_t()> mtu, std::vector<SentDatagram>& sent)
        : inner_(inner), mtu_(std::move(mtu)), sent_(sent) {}

    void receive(std::span<const uint8_t> datagram, Instant now) override { inner_.receive(datagram, now); }
    bool poll_datagram(std::vector<uint8_t>& out) override {
        if (!inner_.poll_datagram(out)) return false;
        sent_.push_back({out.size(), mtu_()});
        return true;
    }
    std::optional<Instant> next_timeout() const override { return inner_.next_timeout(); }
    void handle_timeout(Instant now) override { inner_.handle_timeout(now); }
    bool done() const override { return inner_.done(); }

private:
    LinkPeer& inner_;
    std::function<size_t()> mtu_;
    std::vector<SentDatagram>& sent_;
};

const Issued& client_cert() {
    static const Issued issued = shared_ca().issue(KeyKind::rsa2048, "client.test");
    return issued;
}

Config client_config(const BlackHoleCase& c) {
    Config config;
    config.ca_pem = shared_ca().cert_pem();
    config.server_name = "server.test";
    config.mtu = c.mtu;
    config.max_version = c.version;
    config.pmtu_backoff_after = c.pmtu_backoff_after;
    if (c.client_certificate) config.credential = std::make_shared<Credential>(credential_of(client_cert()));
    return config;
}

// An RSA certificate makes the server's flight larger than 1000 bytes in
// both versions (the certificate and a 256-byte signature).
Config server_config(const BlackHoleCase& c) {
    Config config;
    config.credential = std::make_shared<Credential>(credential_of(shared_server_cert(KeyKind::rsa2048)));
    config.mtu = c.mtu;
    config.max_version = c.version;
    config.pmtu_backoff_after = c.pmtu_backoff_after;
    if (c.client_certificate) {
        config.client_auth = ClientAuth::require;
        config.ca_pem = shared_ca().cert_pem();
    }
    return config;
}

// Our client or our server endpoint: both record the same things.
template <class Side>
SideResult result_of(Side& side) {
    SideResult r;
    r.complete = side.record().handshake_complete;
    r.failure = side.record().failure;
    if (side.connection()) {
        r.mtu = side.connection()->mtu();
        r.stats = side.connection()->stats();
    }
    return r;
}

LinkOptions path(const BlackHoleCase& c) {
    LinkOptions o;
    o.mtu = c.path_mtu;  // no loss, no duplicates, no reordering: only the size matters
    return o;
}

BlackHoleRun run_with_openssl_server(const BlackHoleCase& c, Instant start) {
    BlackHoleRun run;
    ClientEndpoint client(client_config(c), start);
    OpenSslPeerOptions o;
    o.role = PeerRole::server;
    const Issued& server_cert = shared_server_cert(KeyKind::rsa2048);
    o.cert_chain_pem = server_cert.chain_pem;
    o.key_pem = server_cert.key_pem;
    o.ca_pem = shared_ca().cert_pem();
    o.verify_peer = o.require_client_certificate = c.client_certificate;
    o.mtu = c.path_mtu;  // libssl has no back-off of its own over a memory BIO
    OpenSslEndpoint server(o, start);
    Recorder client_side(client, [&] { return client.connection() ? client.connection()->mtu() : 0; }, run.client.sent);
    Recorder server_side(server, [] { return size_t{0}; }, run.server.sent);
    Link link(client_side, server_side, path(c), start);
    link.run_until([&] { return (client.record().handshake_complete && server.peer().handshake_complete()) ||
                                (client.done() && server.done()); });
    std::vector<SentDatagram> sent = std::move(run.client.sent);
    run.client = result_of(client);
    run.client.sent = std::move(sent);
    run.server.complete = server.peer().handshake_complete();
    run.link = link.stats();
    run.elapsed = link.stats().elapsed;
    return run;
}

}  // namespace

BlackHoleRun run_black_hole(const BlackHoleCase& c) {
    const Instant start = Instant{} + std::chrono::hours(1);
    if (c.openssl_server) return run_with_openssl_server(c, start);
    BlackHoleRun run;
    ClientEndpoint client(client_config(c), start);
    ServerEndpoint server(server_config(c), start);
    Recorder client_side(client, [&] { return client.connection() ? client.connection()->mtu() : 0; }, run.client.sent);
    Recorder server_side(server, [&] { return server.connection() ? server.connection()->mtu() : c.mtu; },
                         run.server.sent);
    Link link(client_side, server_side, path(c), start);
    const bool completed = link.run_until([&] {
        return (client.record().handshake_complete && server.record().handshake_complete) ||
               (client.done() && server.done() && server.connection());
    });
    run.elapsed = link.stats().elapsed;
    if (completed && client.record().handshake_complete && server.record().handshake_complete) {
        // The size the server settled on carries its largest record.
        const Bytes payload(server.connection()->max_payload(), 0x5a);
        if (server.send(payload, link.now())) {
            link.run_for(std::chrono::seconds(1));
            run.full_record_arrived = !client.received().empty() && client.received().back() == payload;
        }
    }
    std::vector<SentDatagram> client_sent = std::move(run.client.sent);
    std::vector<SentDatagram> server_sent = std::move(run.server.sent);
    run.client = result_of(client);
    run.server = result_of(server);
    run.client.sent = std::move(client_sent);
    run.server.sent = std::move(server_sent);
    run.link = link.stats();
    return run;
}

bool fits_after_backoff(const std::vector<SentDatagram>& sent, size_t limit) {
    bool backed_off = false;
    for (const SentDatagram& d : sent) {
        if (d.mtu != 0 && d.size > d.mtu) return false;
        if (d.mtu != 0 && d.mtu <= limit) backed_off = true;
        if (backed_off && d.size > limit) return false;
    }
    return true;
}

namespace {

std::string failure_of(const SideResult& side) { return side.failure ? side.failure->to_string() : "no error"; }

// How many back-off steps lie between the largest datagram a side sent at
// `mtu` and the path MTU that finally let its flight through.
uint64_t useful_steps(const std::vector<SentDatagram>& sent, size_t mtu, size_t path_mtu) {
    size_t largest = 0;
    for (const SentDatagram& d : sent) {
        if (d.mtu == mtu) largest = std::max(largest, d.size);
    }
    uint64_t steps = 0;
    for (size_t step : Config::pmtu_backoff_steps) {
        if (step < largest && step >= path_mtu) ++steps;
    }
    return steps;
}

}  // namespace

Duration expect_black_hole_handshake(ProtocolVersion version, bool client_certificate) {
    BlackHoleCase c;
    c.version = version;
    c.client_certificate = client_certificate;
    const BlackHoleRun run = run_black_hole(c);
    EXPECT_TRUE(run.client.complete && run.server.complete)
        << "client: " << failure_of(run.client) << "; server: " << failure_of(run.server);
    EXPECT_GT(run.link.b_to_a.oversize_dropped, 0u) << "the server's flight never met the black hole";

    // The server steps through every size from the largest datagram it sent
    // at 1500 down to the path's MTU, skipping none that would have shrunk
    // it (DTLS 1.3: 1200 and 1000; DTLS 1.2, whose flight is smaller: 1000).
    EXPECT_EQ(run.server.mtu, c.path_mtu);
    EXPECT_EQ(run.server.stats.pmtu_backoffs, useful_steps(run.server.sent, c.mtu, c.path_mtu));
    EXPECT_TRUE(fits_after_backoff(run.server.sent, c.path_mtu));
    EXPECT_LE(run.server.stats.retransmissions, Config{}.max_retransmits);
    EXPECT_TRUE(run.full_record_arrived) << "a record of max_payload() at the MTU that worked did not arrive";
    if (client_certificate) {
        EXPECT_EQ(run.client.mtu, c.path_mtu);
        EXPECT_GE(run.client.stats.pmtu_backoffs, 1u);
        EXPECT_TRUE(fits_after_backoff(run.client.sent, c.path_mtu));
    } else {
        // The client's hellos and Finished fit any step: resending them
        // smaller would prove nothing, so its MTU stays.
        EXPECT_EQ(run.client.mtu, c.mtu);
        EXPECT_EQ(run.client.stats.pmtu_backoffs, 0u);
        EXPECT_EQ(run.link.a_to_b.oversize_dropped, 0u);
    }
    return run.elapsed;
}

void expect_black_hole_fails_without_backoff(ProtocolVersion version) {
    BlackHoleCase c;
    c.version = version;
    c.pmtu_backoff_after = 0;
    const BlackHoleRun run = run_black_hole(c);
    EXPECT_FALSE(run.client.complete);
    EXPECT_FALSE(run.server.complete);
    ASSERT_TRUE(run.client.failure.has_value());
    EXPECT_EQ(run.client.failure->code, ErrorCode::timeout) << run.client.failure->to_string();
    EXPECT_EQ(run.server.mtu, c.mtu);
    EXPECT_EQ(run.server.stats.pmtu_backoffs, 0u);
    EXPECT_EQ(run.client.stats.pmtu_backoffs, 0u);
}

void expect_clean_path_keeps_mtu(ProtocolVersion version) {
    for (bool client_certificate : {false, true}) {
        BlackHoleCase c;
        c.version = version;
        c.path_mtu = Config::max_mtu;
        c.client_certificate = client_certificate;
        const BlackHoleRun run = run_black_hole(c);
        EXPECT_TRUE(run.client.complete && run.server.complete);
        for (const SideResult* side : {&run.client, &run.server}) {
            EXPECT_EQ(side->mtu, c.mtu);
            EXPECT_EQ(side->stats.pmtu_backoffs, 0u);
            EXPECT_EQ(side->stats.retransmissions, 0u);
        }
        EXPECT_TRUE(run.full_record_arrived);
    }
}

}  // namespace dtls::test
