// dtls_bench: runs the timing workloads in this process, runs the memory and
// loss binaries next to it (they need allocator and clock replacements that
// must stay out of a timing binary), and prints one table; --write-doc also
// writes it as docs/performance.md.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "command_line.hpp"
#include "machine.hpp"
#include "workloads.hpp"

namespace dtls::bench {

namespace {

const std::set<std::string> kWorkloads = {"handshakes", "limit", "records", "memory", "front-door", "loss"};

std::string own_directory() {
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return ".";
    std::string text(path, static_cast<size_t>(n));
    return text.substr(0, text.rfind('/'));
}

// Runs a helper binary with --tsv and collects the rows it prints; its
// progress on stderr passes through.
std::vector<Row> run_helper(const std::string& name, const CommonOptions& options) {
    std::string command = own_directory() + "/" + name + " --tsv";
    if (options.quick) command += " --quick";
    command += " --reps " + std::to_string(options.repetitions) + " --slice-ms " + std::to_string(options.slice_ms);
    std::vector<Row> rows;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        std::fprintf(stderr, "bench: cannot run %s\n", command.c_str());
        return rows;
    }
    std::string output;
    char buffer[4096];
    while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    const int status = pclose(pipe);
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line))
        if (std::optional<Row> row = from_tsv(line)) rows.push_back(*row);
    if (status != 0 || rows.empty()) {
        Row failed;
        failed.workload = name;
        failed.variant = "did not run";
        failed.note = "exit status " + std::to_string(status);
        rows.push_back(failed);
    }
    return rows;
}

void append(std::vector<Row>& rows, const std::vector<Row>& more) { rows.insert(rows.end(), more.begin(), more.end()); }

std::string command_text(int argc, char** argv) {
    std::string text = "dtls_bench";
    for (int i = 1; i < argc; ++i) text += std::string(" ") + argv[i];
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"dtls benchmark: ours, OpenSSL's libssl and the libcrypto limit, side by side"};
    CommonOptions options;
    options.add_to(app);
    std::string doc;
    std::vector<std::string> only;
    app.add_option("--write-doc", doc, "Also write the report as markdown to this file (docs/performance.md)");
    app.add_option("--only", only, "Run only these workloads")
        ->delimiter(',')
        ->check(CLI::IsMember(std::vector<std::string>(kWorkloads.begin(), kWorkloads.end())));
    CLI11_PARSE(app, argc, argv);

    const std::string machine = describe_machine();  // the load average before the run loads the machine
    const auto started = std::chrono::steady_clock::now();
    auto wanted = [&](const std::string& name) {
        if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) return false;
        std::fprintf(stderr, "bench: %s...\n", name.c_str());
        return true;
    };

    std::vector<Row> rows;
    // Handshakes take about a millisecond: longer slices keep the count per slice meaningful.
    if (wanted("handshakes")) append(rows, run_handshakes(options.slices(3)));
    if (wanted("limit")) append(rows, run_public_key_limit(options.slices()));
    if (wanted("records")) append(rows, run_records(options.slices()));
    if (wanted("memory")) append(rows, run_helper("dtls_bench_memory", options));
    if (wanted("front-door")) append(rows, run_front_door(options.slices()));
    if (wanted("loss")) append(rows, run_helper("dtls_bench_loss", options));

    if (options.quick) {
        // A smoke run: one short slice each is too noisy to judge a target.
        for (Row& row : rows) row.met.reset();
    }
    print_rows(rows, options.tsv);

    if (!doc.empty()) {
        RunInfo info;
        info.machine = machine;
        info.mode = options.quick ? "quick mode (one short slice each: not meaningful numbers)"
                                  : std::to_string(options.repetitions) + " repetitions of " +
                                        std::to_string(options.slice_ms) + " ms slices (x3 for handshakes)";
        info.command = command_text(argc, argv);
        info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::ofstream out(doc);
        out << render_markdown(rows, info);
        if (!out) {
            std::fprintf(stderr, "bench: cannot write %s\n", doc.c_str());
            return 1;
        }
        std::fprintf(stderr, "bench: wrote %s\n", doc.c_str());
    }
    for (const Row& row : rows)
        if (!row.ours && !row.limit) return 1;  // a workload did not run: the smoke test fails
    return 0;
}

}  // namespace dtls::bench

int main(int argc, char** argv) { return dtls::bench::main(argc, argv); }
