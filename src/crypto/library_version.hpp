// The version of the libcrypto this process loaded (not the headers we were
// compiled with), for `dtls --version` and dtls::openssl_version().
#pragma once

#include <string_view>

namespace dtls::crypto {

std::string_view library_version() noexcept;

}  // namespace dtls::crypto
