// What a benchmark run reports: one Row per measured case (ours, libssl and
// the raw-crypto limit side by side, with the ratios and the target),
// shown as a terminal table and written as docs/performance.md. The helper
// binaries (memory, loss) hand their rows to the driver as TSV lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dtls::bench {

// Median, min and max of repeated measurements of one quantity.
struct Sample {
    double median = 0;
    double min = 0;
    double max = 0;

    static Sample of(std::vector<double> values);
};

// The median over repetitions of ours[i] / theirs[i]: each repetition's two
// slices ran back to back, so they saw the same machine noise.
double paired_ratio(const std::vector<double>& ours, const std::vector<double>& theirs);

struct Row {
    std::string workload;  // e.g. "3. Records"
    std::string variant;   // e.g. "AES-128-GCM, 1200 B"
    std::string unit;      // e.g. "records/s"
    std::optional<Sample> ours;
    std::optional<Sample> libssl;
    std::optional<Sample> limit;
    std::optional<double> ours_over_libssl;
    std::optional<double> ours_over_limit;
    std::string target;     // the target for this row, empty if none
    std::optional<bool> met;
    std::string note;
};

// One row as one TSV line (no tabs or newlines inside fields), and back.
std::string to_tsv(const Row& row);
std::optional<Row> from_tsv(const std::string& line);

// Sets `met` and `target` for a row from a ratio and its threshold.
void judge_ratio(Row& row, const std::optional<double>& ratio, double threshold, bool at_least,
                 const std::string& target);

// The terminal table.
std::string render_terminal(const std::vector<Row>& rows);
// The rows on standard output: TSV lines for the driver, or the table.
void print_rows(const std::vector<Row>& rows, bool tsv);

struct RunInfo {
    std::string machine;  // markdown lines describing the machine and build
    std::string mode;     // "full (5 repetitions ...)" or "quick"
    std::string command;  // how this run was invoked
    double seconds = 0;   // wall time of the whole run
};

// docs/performance.md: how to reproduce, the machine, the method, the table
// and each target's verdict.
std::string render_markdown(const std::vector<Row>& rows, const RunInfo& info);

// Number formatting shared by both renderings.
std::string format_value(double value, const std::string& unit);
std::string format_ratio(double ratio);

}  // namespace dtls::bench
