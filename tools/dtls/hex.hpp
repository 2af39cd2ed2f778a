// Hex text on the command line (--srtp-mki, --psk) as bytes.
#pragma once

#include <optional>
#include <string_view>

#include "dtls/config.hpp"

namespace dtls_tool {

// Pairs of hex digits, either case; none if the length is odd or a
// character is not a hex digit. Empty text gives no bytes.
std::optional<dtls::Bytes> decode_hex(std::string_view text);

}  // namespace dtls_tool
