// The stateless HelloVerifyRequest a DTLS 1.2 front door answers with (RFC
// 6347 4.2.1): one plaintext record, echoing the ClientHello's record and
// message sequence numbers, written straight into the caller's buffer so that
// answering allocates nothing.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dtls::tls12 {

// Replaces `out` with the datagram. False if the cookie is longer than 255
// bytes or the sequence number longer than 48 bits.
[[nodiscard]] bool write_hello_verify_request(uint64_t record_sequence, uint16_t message_seq,
                                              std::span<const uint8_t> cookie, std::vector<uint8_t>& out);

}  // namespace dtls::tls12
