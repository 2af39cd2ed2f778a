// The special ServerHello randoms and the message_hash construct of RFC
// 8446 4.1.3 and 4.4.1; see hello_retry_request.hpp.
#include "messages/hello_retry_request.hpp"

#include <algorithm>

#include "wire/writer.hpp"

namespace dtls::messages {

bool is_hello_retry_request(const ServerHello& hello) { return hello.random == kHelloRetryRequestRandom; }

DowngradeSentinel downgrade_sentinel(const Random& server_random) {
    const auto tail = std::span<const uint8_t>(server_random).last(kDowngradeToDtls12.size());
    if (std::equal(tail.begin(), tail.end(), kDowngradeToDtls12.begin())) return DowngradeSentinel::dtls12;
    if (std::equal(tail.begin(), tail.end(), kDowngradeToDtls10.begin())) return DowngradeSentinel::dtls10;
    return DowngradeSentinel::none;
}

Result<Bytes> synthetic_message_hash(std::span<const uint8_t> client_hello1_hash) {
    Bytes out;
    wire::Writer w(out);
    w.u8(static_cast<uint8_t>(HandshakeType::message_hash));
    w.vec24(client_hello1_hash);
    if (!w.ok()) return Error::from(Fault::internal_failure, "message_hash: the hash is too long to encode");
    return out;
}

}  // namespace dtls::messages
