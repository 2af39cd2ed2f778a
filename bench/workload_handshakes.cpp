// Workload 1: full handshakes per second, client and server in one process
// over in-memory datagrams, with and without the cookie exchange. The limit
// column is workload 2's public-key work, run interleaved with the two.
#include <array>
#include <cstring>

#include "libssl_side.hpp"
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

Row handshake_row(bool cookies, const SliceOptions& slices) {
    OursOptions ours_options;
    ours_options.cookies = cookies;
    Result<Server> made = Server::create(server_config(ours_options), Clock::now());
    if (!made) return {};
    auto server = std::make_shared<Server>(std::move(*made));
    // Made once, as the libssl side makes its SSL_CTX once.
    Result<Client> client_made = Client::create(client_config(ours_options));
    if (!client_made) return {};
    auto client = std::make_shared<Client>(std::move(*client_made));
    auto address = std::make_shared<AddressCounter>();
    auto scratch = std::make_shared<std::vector<uint8_t>>();
    Contender ours{"ours: handshake", [=]() -> uint64_t {
                       return handshake(*server, *client, address->next(), Clock::now(), *scratch) ? 1 : 0;
                   }};

    LibsslOptions libssl_options;
    libssl_options.cookies = cookies;
    std::shared_ptr<SSL_CTX> server_context(make_server_context(libssl_options), SSL_CTX_free);
    std::shared_ptr<SSL_CTX> client_context(make_client_context(libssl_options), SSL_CTX_free);
    Contender libssl{"libssl: handshake", [=]() -> uint64_t {
                         LibsslPair pair(client_context.get(), server_context.get(), 1200);
                         return pair.handshake() ? 1 : 0;
                     }};

    std::vector<Rates> rates = run_interleaved({ours, libssl, public_key_limit_contender()}, slices);

    Row row;
    row.workload = "1. Handshakes";
    row.variant = cookies ? "with cookie exchange" : "without cookie exchange";
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
    return {handshake_row(true, slices), handshake_row(false, slices)};
}

}  // namespace dtls::bench
