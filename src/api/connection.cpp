// Connection::client: the one-call way to open a client connection (the rest
// of dtls::Connection is in src/engine/connection_handle.cpp).
#include "dtls/client.hpp"
#include "dtls/connection.hpp"

namespace dtls {

Result<Connection> Connection::client(const Config& config, Instant now) {
    Result<Client> client = Client::create(config);
    if (!client) return client.error();
    return client->connect(now);
}

}  // namespace dtls
