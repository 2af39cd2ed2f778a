// The server front door: any datagram from an unknown address. It must
// answer only with a HelloVerifyRequest (DTLS 1.2) or a HelloRetryRequest
// (DTLS 1.3) no larger than the datagram, keep nothing, and create a
// connection only for a ClientHello whose cookie is valid for this address (the seed corpus holds real ones, made under the
// same seeded cookie secret, so mutations of them reach the accepting path).
//
// Input: an address selector byte (the cookie is bound to the address), then
// the datagram.
#include <cstdlib>
#include <vector>

#include "harness.hpp"

using namespace dtls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    fuzz::reset_randomness();
    fuzz::DrawingFor drawing(fuzz::Side::server);
    auto server = Server::create(fuzz::server_config(fuzz::profile_of(data[0] >> 2)), fuzz::kStart);
    if (!server) std::abort();

    std::vector<uint8_t> address = fuzz::kClientAddress;
    address.back() = static_cast<uint8_t>(address.back() + (data[0] & 3));  // 0: the generator's client
    const std::span<const uint8_t> datagram(data + 1, size - 1);
    std::vector<uint8_t> reply;
    Server::Answer answer = server->handle_datagram(address, datagram, fuzz::kStart, reply);
    switch (answer.outcome) {
        case Server::Outcome::dropped:
            if (!reply.empty() || answer.connection) std::abort();
            break;
        case Server::Outcome::reply:
            // One HelloVerifyRequest or HelloRetryRequest (a ServerHello in
            // form) record, never larger than the request.
            if (reply.empty() || reply.size() > datagram.size() || answer.connection) std::abort();
            if (reply.size() < 14 || reply[0] != 22 || (reply[13] != 3 && reply[13] != 2)) std::abort();
            break;
        case Server::Outcome::accepted: {
            if (!answer.connection || !reply.empty()) std::abort();
            Connection& c = *answer.connection;
            std::vector<uint8_t> d;
            while (c.poll_datagram(d)) {
                if (d.size() > c.mtu()) std::abort();
            }
            while (c.poll_event()) {
            }
            // The same datagram again, now to the connection (a retransmission).
            c.handle_datagram(datagram, fuzz::kStart);
            while (c.poll_datagram(d)) {
            }
            break;
        }
    }
    return 0;
}
