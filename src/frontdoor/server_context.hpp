// What a server's front door and every connection it creates share, fixed
// when the Server is created: the configuration, the engine's settings, the
// store that checks client certificates, and the cookie secret.
#pragma once

#include <memory>

#include "crypto/trust_store.hpp"
#include "dtls/config.hpp"
#include "engine/settings.hpp"
#include "frontdoor/cookie_secret.hpp"
#include "resumption/session_id_cache.hpp"
#include "resumption/ticket_keys.hpp"

namespace dtls::frontdoor {

struct ServerContext {
    std::shared_ptr<const Config> config;
    std::shared_ptr<const engine::Settings> settings;
    std::shared_ptr<const crypto::TrustStore> trust;  // null unless client certificates are checked against roots
    std::shared_ptr<CookieSecret> cookie_secret;
    std::shared_ptr<resumption::TicketKeys> ticket_keys;  // null unless the server sends session tickets
    std::shared_ptr<resumption::SessionIdCache> session_ids;  // null unless the server keeps DTLS 1.2 sessions by ID
};

}  // namespace dtls::frontdoor
