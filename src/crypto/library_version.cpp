#include "crypto/library_version.hpp"

#include <openssl/crypto.h>

namespace dtls::crypto {

std::string_view library_version() noexcept { return OpenSSL_version(OPENSSL_VERSION); }

}  // namespace dtls::crypto
