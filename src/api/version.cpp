#include "dtls/version.hpp"

#include "crypto/library_version.hpp"

namespace dtls {

// DTLS_VERSION_STRING comes from CMake's project(VERSION), the one place the
// version is set.
std::string_view version() noexcept { return DTLS_VERSION_STRING; }

std::string_view openssl_version() noexcept { return crypto::library_version(); }

}  // namespace dtls
