#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace dtls::bench {

Sample Sample::of(std::vector<double> values) {
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    const double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return {median, values.front(), values.back()};
}

double paired_ratio(const std::vector<double>& ours, const std::vector<double>& theirs) {
    std::vector<double> ratios;
    for (size_t i = 0; i < ours.size() && i < theirs.size(); ++i)
        if (theirs[i] != 0) ratios.push_back(ours[i] / theirs[i]);
    return Sample::of(ratios).median;
}

void judge_ratio(Row& row, const std::optional<double>& ratio, double threshold, bool at_least,
                 const std::string& target) {
    row.target = target;
    if (ratio) row.met = at_least ? *ratio >= threshold : *ratio <= threshold;
}

namespace {

// Fields are written with %.17g so nothing is lost between the binaries.
std::string number(double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", v);
    return buffer;
}

std::string sample_field(const std::optional<Sample>& s) {
    if (!s) return "-";
    return number(s->median) + "," + number(s->min) + "," + number(s->max);
}

std::optional<Sample> parse_sample(const std::string& field) {
    if (field == "-") return std::nullopt;
    Sample s;
    if (std::sscanf(field.c_str(), "%lf,%lf,%lf", &s.median, &s.min, &s.max) != 3) return std::nullopt;
    return s;
}

std::string optional_number(const std::optional<double>& v) { return v ? number(*v) : "-"; }

std::optional<double> parse_number(const std::string& field) {
    if (field == "-") return std::nullopt;
    return std::strtod(field.c_str(), nullptr);
}

std::string clean(std::string text) {
    std::replace(text.begin(), text.end(), '\t', ' ');
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

}  // namespace

std::string to_tsv(const Row& r) {
    std::string met = r.met ? (*r.met ? "yes" : "no") : "-";
    std::vector<std::string> fields = {"row",
                                       clean(r.workload),
                                       clean(r.variant),
                                       clean(r.unit),
                                       sample_field(r.ours),
                                       sample_field(r.libssl),
                                       sample_field(r.limit),
                                       optional_number(r.ours_over_libssl),
                                       optional_number(r.ours_over_limit),
                                       clean(r.target),
                                       met,
                                       clean(r.note)};
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) line += (i ? "\t" : "") + fields[i];
    return line;
}

std::optional<Row> from_tsv(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    std::string field;
    while (std::getline(in, field, '\t')) fields.push_back(field);
    if (line.ends_with('\t')) fields.emplace_back();
    if (fields.size() != 12 || fields[0] != "row") return std::nullopt;
    Row r;
    r.workload = fields[1];
    r.variant = fields[2];
    r.unit = fields[3];
    r.ours = parse_sample(fields[4]);
    r.libssl = parse_sample(fields[5]);
    r.limit = parse_sample(fields[6]);
    r.ours_over_libssl = parse_number(fields[7]);
    r.ours_over_limit = parse_number(fields[8]);
    r.target = fields[9];
    if (fields[10] != "-") r.met = fields[10] == "yes";
    r.note = fields[11];
    return r;
}

std::string format_value(double v, const std::string& unit) {
    char buffer[64];
    const double a = std::fabs(v);
    if (unit == "B") {
        if (a >= 10 * 1024.0) std::snprintf(buffer, sizeof buffer, "%.1f KiB", v / 1024);
        else std::snprintf(buffer, sizeof buffer, "%.0f B", v);
    } else if (unit == "s") {
        std::snprintf(buffer, sizeof buffer, "%.2f s", v);
    } else if (unit == "ns") {
        std::snprintf(buffer, sizeof buffer, "%.1f ns", v);
    } else if (a >= 1e6) {
        std::snprintf(buffer, sizeof buffer, "%.2f M", v / 1e6);
    } else if (a >= 1e4) {
        std::snprintf(buffer, sizeof buffer, "%.1f k", v / 1e3);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.0f", v);
    }
    return buffer;
}

std::string format_ratio(double ratio) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", ratio);
    return buffer;
}

namespace {

std::string sample_cell(const std::optional<Sample>& s, const std::string& unit, bool with_range) {
    if (!s) return "";
    std::string text = format_value(s->median, unit);
    if (with_range && s->min != s->max)
        text += " (" + format_value(s->min, unit) + " .. " + format_value(s->max, unit) + ")";
    return text;
}

std::string met_cell(const Row& r) {
    if (!r.met) return r.target.empty() ? "" : "n/a";
    return *r.met ? "yes" : "NO";
}

std::vector<std::vector<std::string>> table_cells(const std::vector<Row>& rows, bool with_range) {
    std::vector<std::vector<std::string>> table;
    table.push_back({"Workload", "Case", "Unit", "Ours", "libssl", "Limit", "Ours/libssl", "Ours/limit", "Target",
                     "Met"});
    for (const Row& r : rows) {
        table.push_back({r.workload, r.variant, r.unit, sample_cell(r.ours, r.unit, with_range),
                         sample_cell(r.libssl, r.unit, with_range), sample_cell(r.limit, r.unit, with_range),
                         r.ours_over_libssl ? format_ratio(*r.ours_over_libssl) : "",
                         r.ours_over_limit ? format_ratio(*r.ours_over_limit) : "", r.target, met_cell(r)});
    }
    return table;
}

}  // namespace

std::string render_terminal(const std::vector<Row>& rows) {
    auto table = table_cells(rows, false);
    std::vector<size_t> width(table[0].size(), 0);
    for (const auto& line : table)
        for (size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
    std::string out;
    std::string last_workload;
    for (size_t l = 0; l < table.size(); ++l) {
        const auto& line = table[l];
        for (size_t i = 0; i < line.size(); ++i) {
            // Repeated workload names are left blank so groups stand out.
            std::string cell = (i == 0 && l > 1 && line[0] == last_workload) ? "" : line[i];
            out += cell + std::string(width[i] - cell.size(), ' ') + (i + 1 < line.size() ? "  " : "");
        }
        last_workload = line[0];
        out += "\n";
        if (l == 0) {
            size_t total = 0;
            for (size_t w : width) total += w + 2;
            out += std::string(total - 2, '-') + "\n";
        }
    }
    out += "\nMedians shown; min .. max and notes are in docs/performance.md (--write-doc).\n";
    return out;
}

std::string render_markdown(const std::vector<Row>& rows, const RunInfo& info) {
    std::ostringstream md;
    md << "# Performance\n\n"
       << "This file is written by the benchmark (`bench/`), not by hand: `bash scripts/bench.sh` builds a\n"
       << "Release tree in `build-bench/`, runs every workload and rewrites this page. Each workload runs our\n"
       << "engine, OpenSSL's libssl and (where there is one) the raw libcrypto limit in the same process,\n"
       << "interleaved in short slices so that all of them see the same machine noise. The machine is shared\n"
       << "and noisy: compare the ratios of one run, not absolute numbers across runs.\n\n"
       << "## How to reproduce\n\n"
       << "```sh\n"
       << "bash scripts/bench.sh                 # full run, about 5 minutes, rewrites docs/performance.md\n"
       << "bash scripts/bench.sh --quick         # smoke run (CI), every workload briefly, no thresholds\n"
       << "build-bench/bench/dtls_bench --help   # options: --reps, --slice-ms, --only, --write-doc\n"
       << "```\n\n"
       << "This run: `" << info.command << "`, " << info.mode << ", " << static_cast<long>(info.seconds)
       << " s of wall time.\n\n"
       << "## Machine\n\n"
       << info.machine << "\n"
       << "## Method\n\n"
       << "- **Rates** are operations per second of one core, with client and server in the same process and\n"
       << "  thread, exchanging datagrams in memory (no sockets, no loss). Each repetition runs one slice of\n"
       << "  every contender back to back, in an order that rotates between repetitions; the table gives the\n"
       << "  median, min and max over repetitions. **Ratios** are the median over repetitions of the ratio of\n"
       << "  the two slices of that repetition.\n"
       << "- **1. Handshakes**: full handshakes, ECDHE-ECDSA with AES-128-GCM (suite 0xC02B), P-256 ECDSA\n"
       << "  server certificate issued by a test CA, key exchange on x25519 (the default group of both\n"
       << "  libraries), extended master secret, MTU 1200, the client verifying the server chain and host\n"
       << "  name. libssl: DTLS_method pinned to DTLS 1.2 on both sides, session cache and tickets off (we\n"
       << "  have neither, so neither side does that work), cookie exchange through SSL_OP_COOKIE_EXCHANGE with\n"
       << "  an HMAC-SHA256 cookie over the peer address. Ours: a `dtls::Client` (created once, like\n"
       << "  libssl's SSL_CTX) and the `Server` front door. A `Client` keeps the last 32 server\n"
       << "  certificates it parsed and does not parse them again (every check still runs); the row \"a new\n"
       << "  server certificate each time\" rotates through 64 servers with certificates of their own, so that\n"
       << "  this never helps, and shows the cost for a server the client has not seen.\n"
       << "- **2. Limit**: the public-key work of one handshake with prepared libcrypto contexts: one ECDSA\n"
       << "  P-256 signature, two verifications (the chain and ServerKeyExchange), two x25519 key generations\n"
       << "  and two x25519 derivations. Its rate is the ceiling for row 1.\n"
       << "- **3. Records**: one application record sealed by the client and opened by the server. Ours:\n"
       << "  `send` + `poll_datagram`, then `handle_datagram` + `poll_event`. libssl: `SSL_write` and\n"
       << "  `SSL_read` over a datagram BIO pair. Limit: one-shot EVP AEAD seal and open of the same payload\n"
       << "  with a 13-byte header as AAD and contexts keyed once. MTU 1500 so that 1200 B fits one record.\n"
       << "- **4. Memory**: heap held per established, idle server connection, measured in a separate binary\n"
       << "  that counts every byte through a replaced global `operator new` and `CRYPTO_set_mem_functions`\n"
       << "  (libcrypto's and libssl's allocations). Clients are destroyed after their handshake; the server\n"
       << "  keeps everything it keeps in production. Ours is also measured with an 8-byte connection ID\n"
       << "  each way (RFC 9146), and as RFC 7925's constrained profile: DTLS 1.2 TLS_PSK_WITH_AES_128_CCM_8\n"
       << "  with one pre-shared key and an 8-byte connection ID. The lookup rows time a\n"
       << "  `std::unordered_map` keyed by the 18 address bytes an application would use (IPv6 address and\n"
       << "  port), as the count grows.\n"
       << "- **5. Front door**: a ClientHello without a cookie answered with a HelloVerifyRequest, the\n"
       << "  peer address changing on every call. libssl: `DTLSv1_listen` with the same cookie callbacks as\n"
       << "  row 1. Limit: one HMAC-SHA256 of the cookie input with a prepared key.\n"
       << "- **6. Loss**: virtual time (the impaired-link simulator in `tests/support`), both sides of the\n"
       << "  same library, cookie exchange on, MTU 1200, 10 ms one-way latency, independent loss each way,\n"
       << "  retransmission timer 1 s initial, doubling to 60 s, 12 expiries before giving up (libssl's\n"
       << "  fixed count, set on ours too). Median, min and max over seeds of the time until both sides\n"
       << "  completed; handshakes that did not complete are counted in the note.\n\n"
       << "## Results\n\n";

    auto table = table_cells(rows, true);
    table[0].push_back("Note");
    for (size_t i = 0; i < rows.size(); ++i) table[i + 1].push_back(rows[i].note);
    for (size_t l = 0; l < table.size(); ++l) {
        md << "|";
        for (const std::string& cell : table[l]) md << " " << cell << " |";
        md << "\n";
        if (l == 0) {
            md << "|";
            for (size_t i = 0; i < table[l].size(); ++i) md << "---|";
            md << "\n";
        }
    }

    md << "\n## Targets\n\n";
    for (const Row& r : rows) {
        if (r.target.empty()) continue;
        md << "- " << r.workload << ", " << r.variant << ": target " << r.target << " — "
           << (r.met ? (*r.met ? "**met**" : "**missed**") : "not judged") << "\n";
    }
    return md.str();
}

void print_rows(const std::vector<Row>& rows, bool tsv) {
    if (tsv) {
        for (const Row& row : rows) std::cout << to_tsv(row) << "\n";
    } else {
        std::cout << render_terminal(rows);
    }
}

}  // namespace dtls::bench
