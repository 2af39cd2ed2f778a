// KeyUpdate's next traffic secret (see key_update.hpp).
#include "tls13/key_update.hpp"

namespace dtls::tls13 {

Result<crypto::SecretBytes> next_application_traffic_secret(const KeyDerivation& kdf,
                                                            std::span<const uint8_t> application_traffic_secret) {
    return kdf.expand_label(application_traffic_secret, "traffic upd", {}, kdf.hash_length());
}

}  // namespace dtls::tls13
