// The crypto layer's HKDF with this connection's hash and label prefix, and
// its errors turned into faults of ours (see key_derivation.hpp).
#include "tls13/key_derivation.hpp"

#include <string>

#include "crypto/hkdf.hpp"

namespace dtls::tls13 {

Error derivation_failed(std::string_view what, const Error& cause) {
    return Error::from(Fault::internal_failure, std::string(what) + " failed: " + cause.reason);
}

std::string_view KeyDerivation::label_prefix() const {
    return prefix_ == LabelPrefix::tls13 ? crypto::tls13_label_prefix : crypto::dtls13_label_prefix;
}

Result<std::vector<uint8_t>> KeyDerivation::hash_of(std::span<const uint8_t> data) const {
    Result<std::vector<uint8_t>> hash = crypto::digest(hash_, data);
    if (!hash) return derivation_failed("hash", hash.error());
    return hash;
}

Result<crypto::SecretBytes> KeyDerivation::extract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm) const {
    Result<crypto::SecretBytes> prk = crypto::hkdf_extract(hash_, salt, ikm);
    if (!prk) return derivation_failed("HKDF-Extract", prk.error());
    return prk;
}

Result<crypto::SecretBytes> KeyDerivation::expand_label(std::span<const uint8_t> secret, std::string_view label,
                                                        std::span<const uint8_t> context, size_t length) const {
    Result<crypto::SecretBytes> out = crypto::hkdf_expand_label(hash_, secret, label_prefix(), label, context, length);
    if (!out) return derivation_failed("HKDF-Expand-Label \"" + std::string(label) + "\"", out.error());
    return out;
}

Result<crypto::SecretBytes> KeyDerivation::derive_secret(std::span<const uint8_t> secret, std::string_view label,
                                                         std::span<const uint8_t> transcript_hash) const {
    if (transcript_hash.size() != hash_length()) {
        return Error::from(Fault::internal_failure,
                           "Derive-Secret \"" + std::string(label) + "\": a transcript hash of " +
                               std::to_string(transcript_hash.size()) + " bytes, not " + std::to_string(hash_length()));
    }
    return expand_label(secret, label, transcript_hash, hash_length());
}

Result<crypto::SecretBytes> KeyDerivation::derive_secret_without_messages(std::span<const uint8_t> secret,
                                                                          std::string_view label) const {
    Result<std::vector<uint8_t>> empty_transcript_hash = hash_of({});
    if (!empty_transcript_hash) return empty_transcript_hash.error();
    return derive_secret(secret, label, *empty_transcript_hash);
}

}  // namespace dtls::tls13
