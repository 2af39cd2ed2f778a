// Rejects configurations that cannot work, with a reason, before any
// connection is made from them; and turns a checked Config into what the
// lower layers take.
#pragma once

#include <memory>

#include "crypto/trust_store.hpp"
#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "engine/settings.hpp"

namespace dtls {

Status check_config(const Config& config, Role role);

// Whether any trusted roots are configured (ca_file, ca_path or ca_pem).
bool has_trust_anchors(const Config& config);
crypto::TrustAnchors trust_anchors(const Config& config);

std::shared_ptr<const engine::Settings> engine_settings(const Config& config);

}  // namespace dtls
