// dtls_bench_memory (workload 4): heap held per established, idle server
// connection, ours and libssl's, at 1,000 connections and at as many as fit
// the time and memory budget up to 100,000 (and ours at 1,000 with an
// 8-byte connection ID each way, RFC 9146); and the cost of finding a
// connection by its address in an application's map as the count grows.
//
// Every byte is counted (heap_count.hpp): C++ operator new and OPENSSL_malloc.
// Each handshake is real (nothing can be reused); the client is destroyed
// after it, and the server connection kept exactly as the library left it.
#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>
#include <string_view>
#include <unordered_map>

#include "command_line.hpp"
#include "heap_count.hpp"
#include "libssl_side.hpp"
#include "ours_side.hpp"
#include "report.hpp"

namespace dtls::bench {

namespace {

using Steady = std::chrono::steady_clock;

struct Plan {
    size_t first = 1000;              // the small count
    size_t goal = 100000;             // the large count, if the budget allows
    std::chrono::seconds time{30};    // for growing to `goal` (ours gets twice this: its count is the one judged)
    size_t max_heap = size_t{3} << 30;  // per library: stop before the machine runs out
};

size_t live() { return heap::cxx_bytes() + heap::openssl_bytes(); }

std::array<uint8_t, 18> address_of(uint64_t n) {
    std::array<uint8_t, 18> a{0x20, 0x01, 0x0d, 0xb8};
    std::memcpy(a.data() + 8, &n, sizeof n);
    return a;
}

struct Measurement {
    size_t count = 0;
    double per_connection = 0;  // bytes
    double cxx_share = 0;       // bytes per connection from operator new
    double openssl_share = 0;   // bytes per connection from OPENSSL_malloc
    double seconds = 0;         // spent on handshakes to get here
};

struct Baseline {
    size_t cxx = heap::cxx_bytes();
    size_t openssl = heap::openssl_bytes();

    Measurement at(size_t count, double seconds) const {
        Measurement m;
        m.count = count;
        m.cxx_share = (static_cast<double>(heap::cxx_bytes()) - static_cast<double>(cxx)) / static_cast<double>(count);
        m.openssl_share =
            (static_cast<double>(heap::openssl_bytes()) - static_cast<double>(openssl)) / static_cast<double>(count);
        m.per_connection = m.cxx_share + m.openssl_share;
        m.seconds = seconds;
        return m;
    }
};

// Grows a set of idle server connections by calling `add` (one handshake,
// false on failure), measuring at plan.first and at the end.
template <class Add>
std::vector<Measurement> grow(const Plan& plan, size_t baseline_heap, Add add) {
    std::vector<Measurement> out;
    Baseline baseline;
    const Steady::time_point start = Steady::now();
    const Steady::time_point deadline = start + plan.time;
    size_t count = 0;
    auto elapsed = [&] { return std::chrono::duration<double>(Steady::now() - start).count(); };
    while (count < plan.goal) {
        if (!add(count)) {
            std::fprintf(stderr, "bench: memory: handshake %zu failed\n", count);
            break;
        }
        ++count;
        if (count == plan.first) out.push_back(baseline.at(count, elapsed()));
        if (count > plan.first && (count % 256 == 0) &&
            (Steady::now() > deadline || live() - baseline_heap > plan.max_heap))
            break;
    }
    if (count > plan.first) out.push_back(baseline.at(count, elapsed()));
    return out;
}

// What a measured connection of ours uses: the default is the workload's
// ECDHE-ECDSA AES-128-GCM suite; `psk` switches to RFC 7925's
// TLS_PSK_WITH_AES_128_CCM_8 with one pre-shared key and no certificate.
struct OursVariant {
    std::optional<size_t> cid_length;  // both sides issue a connection ID of that many bytes (DTLS 1.2 suites)
    bool psk = false;
};

std::vector<Measurement> measure_ours(Plan plan, bool& timer_running, const OursVariant& variant = {}) {
    plan.time *= 2;
    const std::optional<size_t> cid_length = variant.cid_length;
    OursOptions options;
    options.verify_peer = false;  // only the server is measured; the client's checks do not matter
    if (variant.psk) options.suite = CipherSuite::psk_aes128_ccm8;
    Config config = server_config(options);
    config.connection_id_length = cid_length;
    Config client = client_config(options);
    client.connection_id_length = cid_length;
    if (variant.psk) {
        const std::array<uint8_t, 16> key{0x6b, 0x65, 0x79, 0x21, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        const PreSharedKey psk("device-0001", key);
        config.credential.reset();
        config.psk = psk;
        config.max_version = ProtocolVersion::dtls1_2;  // a connection ID is a DTLS 1.2 extension here
        client.psk = psk;
        client.max_version = ProtocolVersion::dtls1_2;
    }
    Result<Server> made = Server::create(config, Clock::now());
    if (!made) return {};
    Server server = std::move(*made);
    Result<Client> client_made = Client::create(client);
    if (!client_made) return {};
    const Client& client_factory = *client_made;
    std::vector<Connection> kept;
    kept.reserve(plan.goal);
    std::vector<uint8_t> scratch;
    scratch.reserve(4096);
    const Instant now = Clock::now();
    auto result = grow(plan, live(), [&](size_t n) {
        const auto address = address_of(n);
        std::optional<Established> pair = handshake(server, client_factory, address, now, scratch);
        if (!pair || (cid_length && !pair->server.negotiated().connection_id)) return false;
        kept.push_back(std::move(pair->server));
        return true;
    });
    timer_running = !kept.empty() && kept.front().next_timeout().has_value();
    return result;
}

std::vector<Measurement> measure_libssl(const Plan& plan) {
    LibsslOptions options;
    options.verify_peer = false;
    SSL_CTX* server_context = make_server_context(options);
    SSL_CTX* client_context = make_client_context(options);
    // One path shared by every connection: handshakes run one at a time, and
    // idle connections read and write nothing.
    DatagramQueue to_server, to_client;
    DatagramPort client_port{&to_client, &to_server, 1200, {}};
    DatagramPort server_port{&to_server, &to_client, 1200, address_of(1)};
    std::vector<SSL*> kept;
    kept.reserve(plan.goal);
    auto result = grow(plan, live(), [&](size_t) {
        SSL* client = make_connection(client_context, client_port, true);
        SSL* server = make_connection(server_context, server_port, false);
        const bool ok = run_handshake(client, server);
        SSL_free(client);
        to_server.clear();
        to_client.clear();
        if (!ok) {
            SSL_free(server);
            return false;
        }
        kept.push_back(server);
        return true;
    });
    for (SSL* ssl : kept) SSL_free(ssl);
    SSL_CTX_free(server_context);
    SSL_CTX_free(client_context);
    return result;
}

std::string bytes_text(double bytes) { return format_value(bytes, "B"); }

Row heap_row(const std::string& variant, const std::optional<Measurement>& ours,
             const std::optional<Measurement>& libssl, const Plan& plan, bool large) {
    Row row;
    row.workload = "4. Memory";
    row.variant = variant;
    row.unit = "B";
    if (ours) row.ours = Sample{ours->per_connection, ours->per_connection, ours->per_connection};
    if (libssl) row.libssl = Sample{libssl->per_connection, libssl->per_connection, libssl->per_connection};
    if (ours && libssl) row.ours_over_libssl = ours->per_connection / libssl->per_connection;
    row.target = "<= 4 KiB";
    if (ours) row.met = ours->per_connection <= 4096;
    auto describe = [&](const char* who, const Measurement& m) {
        std::string text = std::string(who) + ": " + std::to_string(m.count) + " connections in " +
                           format_value(m.seconds, "s") + " (C++ heap " + bytes_text(m.cxx_share) +
                           ", libcrypto " + bytes_text(m.openssl_share) + ")";
        if (large && m.count < plan.goal) {
            text += ", budget reached before " + std::to_string(plan.goal) + ": " +
                    std::to_string(plan.goal) + " would hold about " +
                    format_value(m.per_connection * static_cast<double>(plan.goal) / (1 << 20), "") + " MiB";
        }
        return text;
    };
    if (ours) row.note = describe("ours", *ours);
    if (libssl) row.note += (row.note.empty() ? "" : "; ") + describe("libssl", *libssl);
    return row;
}

// Nanoseconds per lookup of a random known address in a map of `count`.
std::vector<double> lookup_costs(size_t count, const SliceOptions& slices) {
    using Key = std::array<uint8_t, 18>;
    struct KeyHash {
        size_t operator()(const Key& k) const {
            return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(k.data()), k.size()));
        }
    };
    std::mt19937_64 random(count);
    std::unordered_map<Key, uint32_t, KeyHash> map;
    map.reserve(count);
    std::vector<Key> keys(count);
    for (size_t i = 0; i < count; ++i) {
        for (uint8_t& b : keys[i]) b = static_cast<uint8_t>(random());
        map.emplace(keys[i], static_cast<uint32_t>(i));
    }
    std::vector<uint32_t> order(1 << 16);
    for (uint32_t& i : order) i = static_cast<uint32_t>(random() % count);
    std::vector<double> costs;
    for (int rep = 0; rep < slices.repetitions; ++rep) {
        const Steady::time_point start = Steady::now();
        uint64_t sum = 0, lookups = 0;
        do {
            for (uint32_t i : order) sum += map.find(keys[i])->second;
            lookups += order.size();
        } while (Steady::now() - start < slices.slice);
        keep(sum);
        costs.push_back(std::chrono::duration<double, std::nano>(Steady::now() - start).count() /
                        static_cast<double>(lookups));
    }
    return costs;
}

}  // namespace

int main(int argc, char** argv) {
    const bool counting = heap::count_openssl();  // before anything allocates through libcrypto
    CLI::App app{"dtls benchmark, workload 4: heap per idle connection, lookup by address"};
    CommonOptions options;
    options.add_to(app);
    CLI11_PARSE(app, argc, argv);
    if (!counting) {
        std::fprintf(stderr, "bench: memory: CRYPTO_set_mem_functions refused; libcrypto bytes not counted\n");
        return 1;
    }

    Plan plan;
    if (options.quick) {
        plan.first = 200;
        plan.goal = 1000;
        plan.time = std::chrono::seconds(5);
    }
    std::fprintf(stderr, "bench: memory: ours, up to %zu connections...\n", plan.goal);
    bool timer_running = false;
    std::vector<Measurement> ours = measure_ours(plan, timer_running);
    std::fprintf(stderr, "bench: memory: libssl, up to %zu connections...\n", plan.goal);
    std::vector<Measurement> libssl = measure_libssl(plan);
    constexpr size_t kCidLength = 8;
    Plan cid_plan = plan;
    cid_plan.goal = plan.first;
    std::fprintf(stderr, "bench: memory: ours with connection IDs, %zu connections...\n", cid_plan.goal);
    bool cid_timer_running = false;
    std::vector<Measurement> ours_cid = measure_ours(cid_plan, cid_timer_running, {.cid_length = kCidLength});
    std::fprintf(stderr, "bench: memory: ours with PSK, CCM_8 and connection IDs, %zu connections...\n",
                 cid_plan.goal);
    bool psk_timer_running = false;
    std::vector<Measurement> ours_psk =
        measure_ours(cid_plan, psk_timer_running, {.cid_length = kCidLength, .psk = true});

    std::vector<Row> rows;
    auto pick = [](const std::vector<Measurement>& m, size_t i) {
        return i < m.size() ? std::optional<Measurement>(m[i]) : std::nullopt;
    };
    rows.push_back(heap_row("heap per idle server connection, " + std::to_string(plan.first) + " connections",
                            pick(ours, 0), pick(libssl, 0), plan, false));
    rows.push_back(heap_row("heap per idle server connection, up to " + std::to_string(plan.goal), pick(ours, 1),
                            pick(libssl, 1), plan, true));
    if (timer_running) rows.back().note += "; ours: an idle server connection still has a timer armed";
    rows.push_back(heap_row("heap per idle server connection with " + std::to_string(kCidLength) +
                                "-byte connection IDs each way (RFC 9146), " + std::to_string(cid_plan.first) +
                                " connections",
                            pick(ours_cid, 0), std::nullopt, cid_plan, false));
    if (cid_timer_running) rows.back().note += "; ours: an idle server connection still has a timer armed";
    rows.push_back(heap_row("heap per idle server connection, DTLS 1.2 TLS_PSK_WITH_AES_128_CCM_8 with " +
                                std::to_string(kCidLength) + "-byte connection IDs each way, " +
                                std::to_string(cid_plan.first) + " connections",
                            pick(ours_psk, 0), std::nullopt, cid_plan, false));
    if (psk_timer_running) rows.back().note += "; ours: an idle server connection still has a timer armed";

    const SliceOptions slices = options.slices();
    for (size_t count : {size_t{1000}, size_t{10000}, size_t{100000}}) {
        if (options.quick && count > 10000) break;
        Row row;
        row.workload = "4. Lookup by address";
        row.variant = "std::unordered_map, " + std::to_string(count) + " addresses";
        row.unit = "ns";
        row.ours = Sample::of(lookup_costs(count, slices));
        row.note = "the application's map (18-byte IPv6 address + port keys), the same for either library";
        rows.push_back(row);
    }

    print_rows(rows, options.tsv);
    return 0;
}

}  // namespace dtls::bench

int main(int argc, char** argv) { return dtls::bench::main(argc, argv); }
