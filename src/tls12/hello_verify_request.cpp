#include "tls12/hello_verify_request.hpp"

#include "messages/messages.hpp"
#include "record/dtls12_header.hpp"
#include "transport/fragment.hpp"

namespace dtls::tls12 {

bool write_hello_verify_request(uint64_t record_sequence, uint16_t message_seq, std::span<const uint8_t> cookie,
                                std::vector<uint8_t>& out) {
    out.clear();
    const auto body_length = static_cast<uint32_t>(2 + 1 + cookie.size());
    wire::Writer w(out);
    // RFC 6347 4.2.1: the HelloVerifyRequest's own version field is DTLS 1.0
    // whatever is negotiated later; the record carrying it says DTLS 1.2.
    const bool ok =
        record::write_dtls12_header({record::ContentType::handshake, record::kVersionDtls12, 0, record_sequence,
                                     static_cast<uint16_t>(transport::kHandshakeHeaderLength + body_length)},
                                    w) &&
        transport::write_fragment_header(
            {messages::HandshakeType::hello_verify_request, body_length, message_seq, 0, body_length}, w) &&
        messages::encode_hello_verify_request(messages::kDtls10, cookie, w);
    if (!ok) out.clear();
    return ok;
}

}  // namespace dtls::tls12
