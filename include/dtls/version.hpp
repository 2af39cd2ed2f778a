/// @file
/// Which dtls, and which OpenSSL under it, a program is running with.
#pragma once

#include <string_view>

namespace dtls {

/// The version of the dtls library this program runs with, "MAJOR.MINOR.PATCH"
/// (the version CMake's `project()` sets; CHANGELOG.md says what each one
/// holds). This is the library actually loaded, which for a shared libdtls may
/// differ from the headers the program was compiled with.
std::string_view version() noexcept;

/// The version string of the OpenSSL libcrypto that libdtls runs on, as
/// OpenSSL reports it at run time (for example "OpenSSL 3.0.17 1 Jul 2025").
std::string_view openssl_version() noexcept;

}  // namespace dtls
