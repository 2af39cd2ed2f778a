#include "messages/psk_key_exchange.hpp"

#include "messages/codec.hpp"

namespace dtls::messages {

namespace {

constexpr uint8_t kNamedCurve = 3;  // ECCurveType named_curve (RFC 8422 5.4)

}  // namespace

Result<PskServerKeyExchange> decode_psk_server_key_exchange(std::span<const uint8_t> body, bool ecdhe) {
    constexpr std::string_view kName = "ServerKeyExchange";
    wire::Reader r(body);
    PskServerKeyExchange m;
    std::span<const uint8_t> hint;
    if (!r.vec16(hint)) return malformed(kName, "bad psk_identity_hint");
    m.identity_hint = to_bytes(hint);
    if (ecdhe) {
        EcdheParameters p;
        uint8_t curve_type;
        if (!r.u8(curve_type)) return malformed(kName, "truncated");
        if (curve_type != kNamedCurve) return forbidden(kName, "curve_type is not named_curve");
        if (!r.u16(p.group) || !read_u8_list(r, p.public_key)) return malformed(kName, "bad public point");
        m.ecdhe = std::move(p);
    }
    if (!r.empty()) return malformed(kName, "trailing bytes");
    return m;
}

bool encode(const PskServerKeyExchange& m, wire::Writer& w) {
    w.vec16(m.identity_hint);
    if (m.ecdhe) {
        w.u8(kNamedCurve);
        w.u16(m.ecdhe->group);
        w.vec8(m.ecdhe->public_key);
    }
    return w.ok();
}

Result<PskClientKeyExchange> decode_psk_client_key_exchange(std::span<const uint8_t> body, bool ecdhe) {
    constexpr std::string_view kName = "ClientKeyExchange";
    wire::Reader r(body);
    PskClientKeyExchange m;
    std::span<const uint8_t> identity;
    if (!r.vec16(identity)) return malformed(kName, "bad psk_identity");
    m.identity = to_bytes(identity);
    if (ecdhe) {
        Bytes point;
        if (!read_u8_list(r, point)) return malformed(kName, "bad public point");
        m.ecdhe_public_key = std::move(point);
    }
    if (!r.empty()) return malformed(kName, "trailing bytes");
    return m;
}

bool encode(const PskClientKeyExchange& m, wire::Writer& w) {
    w.vec16(m.identity);
    if (m.ecdhe_public_key) w.vec8(*m.ecdhe_public_key);
    return w.ok();
}

}  // namespace dtls::messages
