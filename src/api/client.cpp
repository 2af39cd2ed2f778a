// The client factory: checks a Config and loads its trust anchors once, then
// hands every connection it opens the same configuration and store.
#include "dtls/client.hpp"

#include "api/config_check.hpp"
#include "engine/connection.hpp"
#include "tls13/versions.hpp"

namespace dtls {

// What every connection from one Client shares and none changes.
struct Client::Shared {
    std::shared_ptr<const engine::Settings> settings;
    std::shared_ptr<const crypto::TrustStore> trust;  // null when the peer is not verified by a store
};

Client::Client(std::shared_ptr<const Config> config, std::shared_ptr<const Shared> shared)
    : config_(std::move(config)), shared_(std::move(shared)) {}

Result<Client> Client::create(const Config& config) {
    if (Status s = check_config(config, Role::client); !s) return s.error();
    auto shared = std::make_shared<Shared>();
    shared->settings = engine_settings(config);
    if (config.verify_peer && has_trust_anchors(config)) {
        auto store = crypto::TrustStore::create(trust_anchors(config));
        if (!store) return store.error();
        shared->trust = *store;
    }
    return Client(std::make_shared<const Config>(config), std::move(shared));
}

Result<Connection> Client::connect(Instant now) const {
    auto engine = std::make_unique<engine::Connection>(Role::client, shared_->settings,
                                                       tls13::make_client(config_, shared_->trust));
    if (Status s = engine->start(now); !s) return s.error();
    return Connection(std::move(engine));
}

}  // namespace dtls
