// A ticket's PSK (see resumption.hpp).
#include "tls13/resumption.hpp"

namespace dtls::tls13 {

Result<crypto::SecretBytes> resumption_psk(const KeyDerivation& kdf, std::span<const uint8_t> resumption_master_secret,
                                           std::span<const uint8_t> ticket_nonce) {
    // HKDF-Expand-Label refuses a context over 255 bytes, which is the
    // nonce's own bound; the refusal becomes an internal failure there.
    return kdf.expand_label(resumption_master_secret, "resumption", ticket_nonce, kdf.hash_length());
}

}  // namespace dtls::tls13
