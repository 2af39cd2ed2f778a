// The timing workloads of dtls_bench, one file each. Every function runs ours,
// libssl's and (where there is one) the raw-crypto limit interleaved, and
// returns its table rows.
#pragma once

#include <vector>

#include "harness.hpp"
#include "report.hpp"

namespace dtls::bench {

// 1 (with the limit of 2 as a column) and 2: full handshakes per second.
std::vector<Row> run_handshakes(const SliceOptions& slices);
// 2: the public-key work of one handshake, operation by operation.
std::vector<Row> run_public_key_limit(const SliceOptions& slices);
// 3: application records sealed and opened.
std::vector<Row> run_records(const SliceOptions& slices);
// 5: HelloVerifyRequests per second from the server front door.
std::vector<Row> run_front_door(const SliceOptions& slices);

// The rate of one handshake's public-key work with prepared contexts
// (workload 2), as a contender for workload 1's limit column.
Contender public_key_limit_contender();

}  // namespace dtls::bench
