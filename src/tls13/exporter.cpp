// The TLS 1.3 exporter (see exporter.hpp).
#include "tls13/exporter.hpp"

#include <string>
#include <vector>

namespace dtls::tls13 {

Result<crypto::SecretBytes> export_keying_material(const KeyDerivation& kdf,
                                                   std::span<const uint8_t> exporter_master_secret,
                                                   std::string_view label, std::span<const uint8_t> context,
                                                   size_t length) {
    // HkdfLabel's label is opaque<7..255> and holds the prefix too; its
    // length field allows 255 hash blocks (RFC 5869 2.3).
    if (kdf.label_prefix().size() + label.size() > 255) {
        return Error{ErrorCode::invalid_argument, std::nullopt,
                     "exporter label of " + std::to_string(label.size()) + " bytes is longer than " +
                         std::to_string(255 - kdf.label_prefix().size()) + " bytes"};
    }
    if (length > 255 * kdf.hash_length()) {
        return Error{ErrorCode::invalid_argument, std::nullopt,
                     "exporter output of " + std::to_string(length) + " bytes is longer than " +
                         std::to_string(255 * kdf.hash_length()) + " bytes"};
    }
    Result<crypto::SecretBytes> secret = kdf.derive_secret_without_messages(exporter_master_secret, label);
    if (!secret) return secret.error();
    Result<std::vector<uint8_t>> context_hash = kdf.hash_of(context);
    if (!context_hash) return context_hash.error();
    return kdf.expand_label(secret->span(), "exporter", *context_hash, length);
}

}  // namespace dtls::tls13
