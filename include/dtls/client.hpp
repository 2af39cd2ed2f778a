/// @file
/// dtls::Client: client connections that share one checked configuration.
#pragma once

#include <memory>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/errors.hpp"

namespace dtls {

/// Opens client connections that share one checked configuration. The
/// configuration is checked and the trust anchors (ca_file, ca_path, ca_pem)
/// are loaded once, when the Client is created, instead of for every
/// connection: the counterpart of an SSL_CTX in OpenSSL. Create one Client per
/// configuration and keep it for as long as connections are opened from it.
class Client {
public:
    /// Checks the configuration and loads its trust anchors. The Client keeps
    /// its own copy: later changes to `config` do not affect it.
    static Result<Client> create(const Config& config);

    /// A new client connection, its ClientHello ready to poll at once. Each
    /// connection has its own state; they share only the configuration and
    /// the trust anchors, which no connection changes. connect() may be
    /// called from several threads at once; the Config's callbacks
    /// (verifier, keylog, trace) are then shared by connections that may run
    /// on different threads, so they must be safe to call concurrently (as
    /// for the connections of one Server).
    Result<Connection> connect(Instant now) const;

    /// The Client's copy of the configuration.
    const Config& config() const { return *config_; }

private:
    struct Shared;
    Client(std::shared_ptr<const Config> config, std::shared_ptr<const Shared> shared);
    std::shared_ptr<const Config> config_;
    std::shared_ptr<const Shared> shared_;
};

}  // namespace dtls
