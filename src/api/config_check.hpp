// Rejects configurations that cannot work, with a reason, before any
// connection is made from them.
#pragma once

#include "dtls/config.hpp"
#include "dtls/connection.hpp"

namespace dtls {

Status check_config(const Config& config, Role role);

// Whether any trusted roots are configured (ca_file, ca_path or ca_pem).
bool has_trust_anchors(const Config& config);

}  // namespace dtls
