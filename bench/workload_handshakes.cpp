// Workload 1: full handshakes per second, client and server in one process
// over in-memory datagrams, with and without the cookie exchange. The limit
// column is workload 2's public-key work, run interleaved with the two.
#include <array>
#include <cstring>

#include "libssl_side.hpp"
#include "pki.hpp"
#include "ours_side.hpp"
#include "workloads.hpp"

namespace dtls::bench {

namespace {

// An IPv6 address and port that changes with every handshake, as a server
// sees a new client each time.
class AddressCounter {
public:
    std::span<const uint8_t> next() {
        ++counter_;
        std::memcpy(bytes_.data() + 8, &counter_, sizeof counter_);
        return bytes_;
    }

private:
    std::array<uint8_t, 18> bytes_{0x20, 0x01, 0x0d, 0xb8};
    uint64_t counter_ = 0;
};

// Handshakes against one server certificate, or against a different one
// each time (kRotatingServers servers, more than a client's certificate
// cache holds), which shows what a client pays for a server it has not seen.
Row handshake_row(bool cookies, bool rotate, const SliceOptions& slices) {
    const size_t servers = rotate ? kRotatingServers : 1;
    std::vector<std::shared_ptr<Server>> our_servers;
    std::vector<std::shared_ptr<SSL_CTX>> libssl_servers;
    for (size_t i = 0; i < servers; ++i) {
        OursOptions ours_options;
        ours_options.cookies = cookies;
        ours_options.server_certificate = i;
        Result<Server> made = Server::create(server_config(ours_options), Clock::now());
        if (!made) return {};
        our_servers.push_back(std::make_shared<Server>(std::move(*made)));
        LibsslOptions libssl_options;
        libssl_options.cookies = cookies;
        libssl_options.server_certificate = i;
        libssl_servers.emplace_back(make_server_context(libssl_options), SSL_CTX_free);
    }
    // Made once, as the libssl side makes its SSL_CTX once.
    Result<Client> client_made = Client::create(client_config(OursOptions{}));
    if (!client_made) return {};
    auto client = std::make_shared<Client>(std::move(*client_made));
    auto address = std::make_shared<AddressCounter>();
    auto scratch = std::make_shared<std::vector<uint8_t>>();
    auto our_turn = std::make_shared<size_t>(0);
    Contender ours{"ours: handshake", [=]() -> uint64_t {
                       Server& server = *our_servers[(*our_turn)++ % our_servers.size()];
                       return handshake(server, *client, address->next(), Clock::now(), *scratch) ? 1 : 0;
                   }};

    LibsslOptions libssl_options;
    libssl_options.cookies = cookies;
    std::shared_ptr<SSL_CTX> client_context(make_client_context(libssl_options), SSL_CTX_free);
    auto libssl_turn = std::make_shared<size_t>(0);
    Contender libssl{"libssl: handshake", [=]() -> uint64_t {
                         SSL_CTX* server_context = libssl_servers[(*libssl_turn)++ % libssl_servers.size()].get();
                         LibsslPair pair(client_context.get(), server_context, 1200);
                         return pair.handshake() ? 1 : 0;
                     }};

    std::vector<Rates> rates = run_interleaved({ours, libssl, public_key_limit_contender()}, slices);

    Row row;
    row.workload = "1. Handshakes";
    row.variant = cookies ? "with cookie exchange" : "without cookie exchange";
    if (rotate) row.variant += ", a new server certificate each time";
    row.unit = "handshakes/s";
    if (!rates[0].failed) row.ours = Sample::of(rates[0].per_repetition);
    if (!rates[1].failed) row.libssl = Sample::of(rates[1].per_repetition);
    if (!rates[2].failed) row.limit = Sample::of(rates[2].per_repetition);
    if (row.ours && row.libssl) row.ours_over_libssl = paired_ratio(rates[0].per_repetition, rates[1].per_repetition);
    if (row.ours && row.limit) row.ours_over_limit = paired_ratio(rates[0].per_repetition, rates[2].per_repetition);
    judge_ratio(row, row.ours_over_libssl, 2.0, true, ">= 2x libssl");
    if (row.libssl && row.limit) {
        row.note = "libssl/limit " + format_ratio(paired_ratio(rates[1].per_repetition, rates[2].per_repetition));
    }
    if (rates[0].failed) row.note += " ours FAILED";
    if (rates[1].failed) row.note += " libssl FAILED";
    return row;
}

}  // namespace

std::vector<Row> run_handshakes(const SliceOptions& slices) {
    return {handshake_row(true, false, slices), handshake_row(false, false, slices),
            handshake_row(true, true, slices)};
}

}  // namespace dtls::bench
