// HKDF-Extract, HKDF-Expand-Label and Derive-Secret (RFC 8446 section 7.1)
// bound to the two choices every TLS 1.3 and DTLS 1.3 derivation depends on
// besides its inputs: the cipher suite's hash, and the label prefix, which
// is "tls13 " in TLS 1.3 and "dtls13" in DTLS 1.3 (RFC 9147 section 5.9).
// The key schedule, the traffic keys, Finished, KeyUpdate, the exporter and
// resumption all derive through this one type, so a connection cannot mix
// hashes or prefixes.
//
// The inputs here are our own secrets and transcript hashes, so a failure is
// our fault (a broken provider, a hash of the wrong length): it is reported
// as Fault::internal_failure, never as something the peer did.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/hash.hpp"
#include "crypto/secret.hpp"
#include "dtls/errors.hpp"

namespace dtls::tls13 {

// Which protocol's HKDF-Expand-Label prefix to use. DTLS 1.3 is the default
// everywhere in this layer; TLS 1.3's exists so that the published TLS 1.3
// traces (RFC 8448) can check the derivations.
enum class LabelPrefix { tls13, dtls13 };

class KeyDerivation {
public:
    explicit KeyDerivation(crypto::HashAlgorithm hash, LabelPrefix prefix = LabelPrefix::dtls13)
        : hash_(hash), prefix_(prefix) {}

    crypto::HashAlgorithm hash() const { return hash_; }
    LabelPrefix prefix() const { return prefix_; }
    // The prefix's bytes: crypto::tls13_label_prefix or dtls13_label_prefix.
    std::string_view label_prefix() const;
    // Hash.length: the length of every secret in the key schedule.
    size_t hash_length() const { return crypto::hash_length(hash_); }

    // Hash(data), as Transcript-Hash and the exporter's Hash(context_value).
    Result<std::vector<uint8_t>> hash_of(std::span<const uint8_t> data) const;

    // HKDF-Extract(salt, IKM); an empty salt is Hash.length zeros ("0").
    Result<crypto::SecretBytes> extract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm) const;

    // HKDF-Expand-Label(Secret, Label, Context, Length) with this prefix.
    Result<crypto::SecretBytes> expand_label(std::span<const uint8_t> secret, std::string_view label,
                                             std::span<const uint8_t> context, size_t length) const;

    // Derive-Secret(Secret, Label, Messages) given Transcript-Hash(Messages),
    // which must be hash_length() bytes: a hash of another length means the
    // caller passed messages, or another suite's hash.
    Result<crypto::SecretBytes> derive_secret(std::span<const uint8_t> secret, std::string_view label,
                                              std::span<const uint8_t> transcript_hash) const;

    // Derive-Secret(Secret, Label, ""): the transcript of no messages, whose
    // hash is Hash("") (the "derived" steps, the binder keys, the exporter).
    Result<crypto::SecretBytes> derive_secret_without_messages(std::span<const uint8_t> secret,
                                                               std::string_view label) const;

private:
    crypto::HashAlgorithm hash_;
    LabelPrefix prefix_;
};

// The error for a failure of our own in this layer: Fault::internal_failure
// (an internal_error alert), with what was being derived and why.
Error derivation_failed(std::string_view what, const Error& cause);

}  // namespace dtls::tls13
