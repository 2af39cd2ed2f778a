// The RFC 9853 message codec; see return_routability_check.hpp.
#include "messages/return_routability_check.hpp"

#include <algorithm>

#include "messages/codec.hpp"

namespace dtls::messages {

Result<std::optional<RrcMessage>> decode_rrc(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "return_routability_check";
    wire::Reader r(body);
    uint8_t type;
    if (!r.u8(type)) return malformed(kName, "empty");
    if (type > static_cast<uint8_t>(RrcType::path_drop)) return std::optional<RrcMessage>();
    std::span<const uint8_t> cookie;
    if (!r.bytes(RrcCookie{}.size(), cookie)) return malformed(kName, "truncated cookie");
    if (!r.empty()) return malformed(kName, "trailing bytes after the cookie");
    RrcMessage m;
    m.type = static_cast<RrcType>(type);
    std::copy(cookie.begin(), cookie.end(), m.cookie.begin());
    return std::optional<RrcMessage>(m);
}

std::array<uint8_t, kRrcMessageLength> encode_rrc(const RrcMessage& m) {
    std::array<uint8_t, kRrcMessageLength> out{};
    out[0] = static_cast<uint8_t>(m.type);
    std::copy(m.cookie.begin(), m.cookie.end(), out.begin() + 1);
    return out;
}

}  // namespace dtls::messages
