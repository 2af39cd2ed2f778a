// The handshake transcript: every handshake message of the handshake, in
// order, in the form the key schedule and the signatures hash. DTLS 1.2
// hashes each message with its 12-byte DTLS header, written as one fragment
// covering the whole message (RFC 6347 4.2.6); DTLS 1.3 hashes the 4-byte TLS
// header, msg_type and length, without message_seq and fragment fields (RFC
// 9147 5.2).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/hash.hpp"
#include "dtls/errors.hpp"
#include "messages/messages.hpp"

namespace dtls::transport {

class Transcript {
public:
    enum class HeaderForm { dtls12, tls13 };

    explicit Transcript(HeaderForm form) : form_(form) {}
    ~Transcript();
    Transcript(Transcript&&) noexcept = default;
    Transcript& operator=(Transcript&&) noexcept = default;

    // Appends one whole message. False (nothing appended) if the body is too
    // long for the 24-bit length field.
    [[nodiscard]] bool add(messages::HandshakeType type, uint16_t message_seq, std::span<const uint8_t> body);

    // Appends a message already in the hashed form (DTLS 1.3's message_hash,
    // which stands for the first ClientHello after a HelloRetryRequest).
    void add_encoded(std::span<const uint8_t> message) { bytes_.insert(bytes_.end(), message.begin(), message.end()); }

    std::span<const uint8_t> bytes() const { return bytes_; }
    Result<Bytes> hash(crypto::HashAlgorithm alg) const;

    // Wipes and frees everything added (after the handshake, or when a DTLS
    // 1.2 client starts again after a HelloVerifyRequest).
    void clear();

private:
    HeaderForm form_;
    std::vector<uint8_t> bytes_;
};

}  // namespace dtls::transport
