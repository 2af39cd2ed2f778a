// How much one DTLS 1.3 key may do before it must be replaced (RFC 9147
// 4.5.3 and Appendix B, RFC 8446 5.5): a number of records protected with
// it (confidentiality) and a number of received records that failed to
// authenticate with it (integrity, since DTLS drops forgeries instead of
// closing). The epoch table enforces both; the connection updates its keys
// well before either is reached.
#pragma once

#include <cstdint>
#include <limits>

#include "crypto/aead_cipher.hpp"

namespace dtls::record {

struct UsageLimits {
    static constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();
    uint64_t records = kUnlimited;   // records one key may protect
    uint64_t failures = kUnlimited;  // received records that may fail to authenticate with one key
};

// The limits of a DTLS 1.3 AEAD:
//   AES-GCM:            2^24.5 records, 2^36 failures
//   ChaCha20-Poly1305:  no record limit below the 2^48 sequence numbers, 2^36 failures
//   AES-CCM:            2^23 records, 2^23.5 failures
//   AES-CCM_8:          2^23 records, `ccm8_failures` (the RFC leaves it to the deployment: 2^7 keeps the
//                       margins of the others but lets anyone who can send 128 forged datagrams close the
//                       connection)
UsageLimits dtls13_usage_limits(crypto::AeadCipher::Algorithm aead, uint64_t ccm8_failures);

}  // namespace dtls::record
