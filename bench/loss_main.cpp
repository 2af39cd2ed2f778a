// dtls_bench_loss (workload 6): time to complete a handshake over a lossy
// link, ours against ours and libssl against libssl, with the same timer
// settings, in virtual time on tests/support's impaired-link simulator; and
// ours in DTLS 1.3 (libssl 3.0 has none) against our DTLS 1.2 rows. It
// links tests/support's gettimeofday replacement (libssl's timer reads the
// time of day), which is why it is not part of the timing binary.
#include <cstdio>
#include <algorithm>
#include <iostream>

#include "command_line.hpp"
#include "report.hpp"
#include "support/certs.hpp"
#include "support/endpoints.hpp"
#include "support/impaired_link.hpp"

namespace dtls::bench {

namespace {

using namespace std::chrono_literals;

constexpr size_t kMtu = 1200;
constexpr Duration kInitialTimeout = 1s;
constexpr Duration kMaxTimeout = 60s;
// libssl gives up after 12 timer expiries in a row (DTLS1_TMO_ALERT_COUNT,
// fixed); ours is set to the same.
constexpr unsigned kRetransmits = 12;

const test::TestCa& ca() {
    static const test::TestCa c = test::TestCa::create(test::KeyKind::ecdsa_p256);
    return c;
}

const test::Issued& server_cert() {
    static const test::Issued cert = [] {
        test::IssueOptions names;
        names.dns_names = {"bench.test"};
        return ca().issue(test::KeyKind::ecdsa_p256, "bench.test", names);
    }();
    return cert;
}

Config our_config(bool server, ProtocolVersion version = ProtocolVersion::dtls1_2) {
    Config c;
    c.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256};
    if (version == ProtocolVersion::dtls1_3) {
        c.min_version = c.max_version = ProtocolVersion::dtls1_3;
        c.cipher_suites = {CipherSuite::aes128_gcm_sha256};
    }
    c.mtu = kMtu;
    c.initial_retransmit_timeout = kInitialTimeout;
    c.max_retransmit_timeout = kMaxTimeout;
    c.max_retransmits = kRetransmits;
    c.handshake_timeout = std::chrono::hours(1);  // libssl has no such deadline
    if (server) {
        static const auto credential = std::make_shared<const Credential>(test::credential_of(server_cert()));
        c.credential = credential;
    } else {
        c.ca_pem = ca().cert_pem();
        c.server_name = "bench.test";
    }
    return c;
}

test::OpenSslPeerOptions libssl_options(bool server) {
    test::OpenSslPeerOptions o;
    o.role = server ? test::PeerRole::server : test::PeerRole::client;
    o.cipher_list = "ECDHE-ECDSA-AES128-GCM-SHA256";
    o.mtu = kMtu;
    o.initial_retransmit_timeout = kInitialTimeout;
    o.max_retransmit_timeout = kMaxTimeout;
    if (server) {
        o.cert_chain_pem = server_cert().chain_pem;
        o.key_pem = server_cert().key_pem;
    } else {
        o.ca_pem = ca().cert_pem();
        o.verify_peer = true;
        o.expected_host_name = "bench.test";
    }
    return o;
}

test::LinkOptions lossy(double loss, uint64_t seed) {
    test::LinkOptions o;
    o.seed = seed;
    o.loss_a_to_b = o.loss_b_to_a = loss;
    o.mtu = kMtu;
    return o;
}

const test::RunLimits kLimits{std::chrono::hours(1), 100000};

// A completed handshake: virtual seconds until both sides completed, and
// the datagrams both sides handed to the link until then.
struct Completed {
    double seconds = 0;
    uint64_t datagrams = 0;
};

template <class Client, class Server, class Done>
std::optional<Completed> completion(Client& client, Server& server, double loss, uint64_t seed, Instant start,
                                    Done both_done) {
    test::Link link(client, server, lossy(loss, seed), start);
    if (!link.run_until([&] { return both_done(); }, kLimits)) return std::nullopt;
    return Completed{std::chrono::duration<double>(link.now() - start).count(),
                     link.stats().a_to_b.datagrams + link.stats().b_to_a.datagrams};
}

std::optional<Completed> ours_once(double loss, uint64_t seed, ProtocolVersion version = ProtocolVersion::dtls1_2) {
    const Instant start = Instant{} + std::chrono::hours(1);
    test::ClientEndpoint client(our_config(false, version), start);
    test::ServerEndpoint server(our_config(true, version), start);
    return completion(client, server, loss, seed, start, [&] {
        return client.record().handshake_complete && server.record().handshake_complete;
    });
}

std::optional<Completed> libssl_once(double loss, uint64_t seed) {
    const Instant start = Instant{} + std::chrono::hours(1);
    test::OpenSslEndpoint client(libssl_options(false), start);
    test::OpenSslEndpoint server(libssl_options(true), start);
    return completion(client, server, loss, seed, start, [&] {
        return client.peer().handshake_complete() && server.peer().handshake_complete();
    });
}

struct Outcome {
    std::vector<double> seconds;  // completed handshakes
    uint64_t datagrams = 0;       // sent by both sides in those handshakes
    int failed = 0;

    void add(const std::optional<Completed>& c) {
        if (!c) {
            ++failed;
            return;
        }
        seconds.push_back(c->seconds);
        datagrams += c->datagrams;
    }
};

std::string summary(const char* who, const Outcome& o) {
    std::vector<double> sorted = o.seconds;
    std::sort(sorted.begin(), sorted.end());
    const double p90 = sorted.empty() ? 0 : sorted[std::min(sorted.size() - 1, sorted.size() * 9 / 10)];
    char per_handshake[32] = "-";
    if (!o.seconds.empty()) {
        std::snprintf(per_handshake, sizeof per_handshake, "%.2f",
                      static_cast<double>(o.datagrams) / static_cast<double>(o.seconds.size()));
    }
    return std::string(who) + " p90 " + format_value(p90, "s") + ", " + per_handshake +
           " datagrams per completed handshake, " + std::to_string(o.failed) + " of " +
           std::to_string(o.seconds.size() + static_cast<size_t>(o.failed)) + " did not complete";
}

// DTLS 1.3, ours alone: the same seeds and link as the DTLS 1.2 rows.
Row dtls13_loss_row(double loss, int seeds) {
    Outcome ours;
    for (int seed = 1; seed <= seeds; ++seed) ours.add(ours_once(loss, static_cast<uint64_t>(seed), ProtocolVersion::dtls1_3));
    Row row;
    row.workload = "6. Loss";
    row.variant = "DTLS 1.3, " + std::to_string(static_cast<int>(loss * 100 + 0.5)) + "% loss each way, " +
                  std::to_string(seeds) + " seeds";
    row.unit = "s";
    if (!ours.seconds.empty()) row.ours = Sample::of(ours.seconds);
    row.note = "virtual time; no libssl DTLS 1.3 to compare; " + summary("ours", ours);
    return row;
}

Row loss_row(double loss, int seeds) {
    Outcome ours, libssl;
    // The same seeds for both: the link makes the same loss decisions for
    // the same sequence of datagrams.
    for (int seed = 1; seed <= seeds; ++seed) {
        ours.add(ours_once(loss, static_cast<uint64_t>(seed)));
        libssl.add(libssl_once(loss, static_cast<uint64_t>(seed)));
    }
    Row row;
    row.workload = "6. Loss";
    row.variant = std::to_string(static_cast<int>(loss * 100 + 0.5)) + "% loss each way, " + std::to_string(seeds) +
                  " seeds";
    row.unit = "s";
    if (!ours.seconds.empty()) row.ours = Sample::of(ours.seconds);
    if (!libssl.seconds.empty()) row.libssl = Sample::of(libssl.seconds);
    if (row.ours && row.libssl) row.ours_over_libssl = row.ours->median / row.libssl->median;
    // Lower is better: no worse than libssl means a ratio of at most 1, and
    // no more handshakes lost.
    row.target = "median <= libssl's";
    if (row.ours_over_libssl) row.met = *row.ours_over_libssl <= 1.0 && ours.failed <= libssl.failed;
    row.note = "virtual time; " + summary("ours", ours) + "; " + summary("libssl", libssl);
    return row;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"dtls benchmark, workload 6: handshake completion time under loss (virtual time)"};
    CommonOptions options;
    options.add_to(app);
    int seeds = 201;
    app.add_option("--seeds", seeds, "Seeds per loss rate (the median is over seeds)")->check(CLI::Range(1, 100000));
    CLI11_PARSE(app, argc, argv);
    if (options.quick) seeds = std::min(seeds, 21);

    std::vector<Row> rows;
    for (double loss : {0.10, 0.30}) rows.push_back(loss_row(loss, seeds));
    for (double loss : {0.10, 0.30}) rows.push_back(dtls13_loss_row(loss, seeds));
    print_rows(rows, options.tsv);
    return 0;
}

}  // namespace dtls::bench

int main(int argc, char** argv) { return dtls::bench::main(argc, argv); }
