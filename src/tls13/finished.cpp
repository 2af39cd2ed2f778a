// verify_data through the crypto layer's HMAC, keyed with a finished_key
// that is wiped as soon as the HMAC holds it (see finished.hpp).
#include "tls13/finished.hpp"

#include <string>

#include "crypto/hash.hpp"

namespace dtls::tls13 {

Result<crypto::SecretBytes> finished_key(const KeyDerivation& kdf, std::span<const uint8_t> base_key) {
    return kdf.expand_label(base_key, "finished", {}, kdf.hash_length());
}

Result<std::vector<uint8_t>> verify_data(const KeyDerivation& kdf, std::span<const uint8_t> base_key,
                                         std::span<const uint8_t> transcript_hash) {
    // Like Derive-Secret's, a hash of another length means messages, or
    // another suite's hash, were passed.
    if (transcript_hash.size() != kdf.hash_length()) {
        return Error::from(Fault::internal_failure, "verify_data: a transcript hash of " +
                                                        std::to_string(transcript_hash.size()) + " bytes, not " +
                                                        std::to_string(kdf.hash_length()));
    }
    Result<crypto::SecretBytes> key = finished_key(kdf, base_key);
    if (!key) return key.error();
    Result<crypto::Hmac> hmac = crypto::Hmac::create(kdf.hash(), key->span());
    if (!hmac) return derivation_failed("verify_data HMAC", hmac.error());
    std::vector<uint8_t> out(kdf.hash_length());
    if (!hmac->compute({transcript_hash}, out)) {
        return Error::from(Fault::internal_failure, "verify_data: HMAC failed");
    }
    return out;
}

Status check_verify_data(const KeyDerivation& kdf, std::span<const uint8_t> base_key,
                         std::span<const uint8_t> transcript_hash, std::span<const uint8_t> received) {
    Result<std::vector<uint8_t>> expected = verify_data(kdf, base_key, transcript_hash);
    if (!expected) return expected.error();
    if (!crypto::equal_constant_time(*expected, received)) {
        return Error::from(Fault::finished_invalid, "the peer's verify_data does not match the transcript");
    }
    return Ok{};
}

}  // namespace dtls::tls13
