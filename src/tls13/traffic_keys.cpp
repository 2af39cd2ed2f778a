// Traffic keys from a traffic secret (see traffic_keys.hpp).
#include "tls13/traffic_keys.hpp"

#include <utility>

namespace dtls::tls13 {

Result<TrafficKeys> derive_traffic_keys(const KeyDerivation& kdf, crypto::AeadCipher::Algorithm aead,
                                        std::span<const uint8_t> traffic_secret) {
    const size_t key_length = crypto::AeadCipher::key_length(aead);
    Result<crypto::SecretBytes> key = kdf.expand_label(traffic_secret, "key", {}, key_length);
    if (!key) return key.error();
    Result<crypto::SecretBytes> iv = kdf.expand_label(traffic_secret, "iv", {}, crypto::AeadCipher::nonce_length);
    if (!iv) return iv.error();
    Result<crypto::SecretBytes> sn_key = kdf.expand_label(traffic_secret, "sn", {}, key_length);
    if (!sn_key) return sn_key.error();
    return TrafficKeys{std::move(*key), std::move(*iv), std::move(*sn_key)};
}

}  // namespace dtls::tls13
