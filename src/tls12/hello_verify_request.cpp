#include "tls12/hello_verify_request.hpp"

#include "messages/messages.hpp"
#include "transport/fragment.hpp"

namespace dtls::tls12 {

bool write_hello_verify_request(uint64_t record_sequence, uint16_t message_seq, std::span<const uint8_t> cookie,
                                std::vector<uint8_t>& out) {
    const auto body_length = static_cast<uint32_t>(2 + 1 + cookie.size());
    // RFC 6347 4.2.1: the HelloVerifyRequest's own version field is DTLS 1.0
    // whatever is negotiated later; the record carrying it says DTLS 1.2.
    return transport::write_plaintext_message(
        record_sequence, messages::HandshakeType::hello_verify_request, message_seq, body_length,
        [&](wire::Writer& w) { return messages::encode_hello_verify_request(messages::kDtls10, cookie, w); }, out);
}

}  // namespace dtls::tls12
