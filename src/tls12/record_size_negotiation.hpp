// record_size_limit (RFC 8449) and, for clients that still send it,
// max_fragment_length (RFC 6066 4): the client's offer, the server's answer
// and the client's check of it. DTLS 1.2 carries the answer in the
// ServerHello, DTLS 1.3 in EncryptedExtensions; only the meaning of the
// number differs (DTLS 1.3's counts the inner content type byte), so both
// handshakes use these and say which version they speak.
#pragma once

#include <cstdint>
#include <optional>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/errors.hpp"
#include "messages/extensions.hpp"

namespace dtls::tls12 {

// Config::record_size_limit's range: RFC 8449 4's floor, and DTLS 1.2's
// 2^14 bytes of plaintext (DTLS 1.3 adds the content type byte to both).
constexpr uint16_t kMinRecordSizeLimit = 64;
constexpr uint16_t kMaxRecordSizeLimit = 16384;

// The record_size_limit a client offers: none when Config::record_size_limit
// is 0. A hello that may still lead to DTLS 1.2 sends the configured value,
// which in DTLS 1.3 terms is one byte stricter; a DTLS 1.3-only hello sends
// it plus the content type byte.
std::optional<uint16_t> record_size_limit_offer(const Config& config, bool may_be_dtls12);

// A server's answer to the client's hello extensions, recording the limits
// of both sides in `negotiated`: its own record_size_limit when the client
// offered one (the configured value, or the protocol's maximum when none is
// configured, as RFC 8449 4 asks); otherwise the client's
// max_fragment_length echoed, which then limits both directions. Both
// offered: max_fragment_length is ignored (RFC 8449 5).
void record_size_answer(const Config& config, const messages::Extensions& offer, bool dtls13,
                        messages::Extensions& answer, Negotiated& negotiated);

// A client's check of the server's answer, given what its hello offered
// (`offered`: the value sent, if any): an answer to nothing is
// unsupported_extension. Records the limits in `negotiated`.
Status check_record_size_answer(std::optional<uint16_t> offered, const messages::Extensions& answer,
                                Negotiated& negotiated);

}  // namespace dtls::tls12
