// The libssl adapter lives apart from endpoints.cpp so that tests of libssl
// against itself link without our engine.
#include "support/endpoints.hpp"

namespace dtls::test {

OpenSslEndpoint::OpenSslEndpoint(const OpenSslPeerOptions& options, Instant now) : peer_(options, now) {}

void OpenSslEndpoint::collect_received() {
    for (auto& record : peer_.take_received()) received_.push_back(std::move(record));
}

void OpenSslEndpoint::receive(std::span<const uint8_t> datagram, Instant now) {
    peer_.set_now(now);
    peer_.receive(datagram);
    collect_received();
}

bool OpenSslEndpoint::poll_datagram(std::vector<uint8_t>& out) { return peer_.poll_datagram(out); }

std::optional<Instant> OpenSslEndpoint::next_timeout() const { return peer_.next_timeout(); }

void OpenSslEndpoint::handle_timeout(Instant now) {
    peer_.handle_timeout(now);
    collect_received();
}

bool OpenSslEndpoint::done() const { return peer_.handshake_complete() || peer_.failed(); }

bool OpenSslEndpoint::send(std::span<const uint8_t> data, Instant now) {
    peer_.set_now(now);
    return peer_.send(data) == static_cast<int>(data.size());
}

void OpenSslEndpoint::close(Instant now) {
    peer_.set_now(now);
    peer_.close();
}

}  // namespace dtls::test
