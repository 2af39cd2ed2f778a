#include "messages/new_session_ticket12.hpp"

#include "messages/codec.hpp"

namespace dtls::messages {

// uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>;
Result<NewSessionTicket12> decode_new_session_ticket12(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "NewSessionTicket";
    wire::Reader r(body);
    NewSessionTicket12 m;
    std::span<const uint8_t> ticket;
    if (!r.u32(m.ticket_lifetime_hint)) return malformed(kName, "truncated ticket_lifetime_hint");
    if (!r.vec16(ticket)) return malformed(kName, "truncated ticket");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    m.ticket = to_bytes(ticket);
    return m;
}

bool encode(const NewSessionTicket12& m, wire::Writer& w) {
    w.u32(m.ticket_lifetime_hint);
    w.vec16(m.ticket);
    return w.ok();
}

}  // namespace dtls::messages
