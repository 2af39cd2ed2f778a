// The client factory: checks a Config and loads its trust anchors once, then
// hands every connection it opens the same configuration and store.
#include "dtls/client.hpp"

#include "api/config_check.hpp"
#include "tls12/connection_impl.hpp"

namespace dtls {

// What every connection from one Client shares and none changes.
struct Client::Shared {
    std::shared_ptr<const crypto::TrustStore> trust;  // null when the peer is not verified by a store
};

Client::Client(std::shared_ptr<const Config> config, std::shared_ptr<const Shared> shared)
    : config_(std::move(config)), shared_(std::move(shared)) {}

Result<Client> Client::create(const Config& config) {
    if (Status s = check_config(config, Role::client); !s) return s.error();
    auto shared = std::make_shared<Shared>();
    if (config.verify_peer && has_trust_anchors(config)) {
        auto store = crypto::TrustStore::create(config);
        if (!store) return store.error();
        shared->trust = *store;
    }
    return Client(std::make_shared<const Config>(config), std::move(shared));
}

Result<Connection> Client::connect(Instant now) const {
    auto impl = std::make_unique<ConnectionImpl>(Role::client, config_, shared_->trust);
    if (Status s = impl->start(now); !s) return s.error();
    return Connection(std::move(impl));
}

}  // namespace dtls
