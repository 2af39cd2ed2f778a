// The bodies of the TLS 1.3 extensions, each as RFC 8446 4.2 lays it out
// for the message that carries it. See tls13_extension_bodies.hpp for what
// the three kinds of function return.
#include "messages/tls13_extension_bodies.hpp"

#include <algorithm>
#include <utility>

#include "messages/codec.hpp"

namespace dtls::messages {

namespace {

constexpr size_t kMinBinderLength = 32;  // PskBinderEntry<32..255> (RFC 8446 4.2.11)

// KeyShareEntry: NamedGroup group; opaque key_exchange<1..2^16-1>.
bool read_key_share_entry(wire::Reader& r, KeyShareEntry& out) {
    std::span<const uint8_t> key_exchange;
    if (!r.u16(out.group) || !r.vec16(key_exchange) || key_exchange.empty()) return false;
    out.key_exchange = to_bytes(key_exchange);
    return true;
}

void write_key_share_entry(const KeyShareEntry& entry, wire::Writer& w) {
    w.u16(entry.group);
    w.vec16(entry.key_exchange);
}

// OfferedPsks: PskIdentity identities<7..2^16-1>; PskBinderEntry
// binders<33..2^16-1>. Both lists must hold at least one entry, which is what
// the minimum lengths say.
bool read_offered_psks(wire::Reader& body, OfferedPsks& out) {
    wire::Reader identities{std::span<const uint8_t>{}};
    if (!body.vec16(identities) || identities.empty()) return false;
    while (!identities.empty()) {
        PskIdentity entry;
        std::span<const uint8_t> identity;
        if (!identities.vec16(identity) || identity.empty() || !identities.u32(entry.obfuscated_ticket_age)) {
            return false;
        }
        entry.identity = to_bytes(identity);
        out.identities.push_back(std::move(entry));
    }
    wire::Reader binders{std::span<const uint8_t>{}};
    if (!body.vec16(binders) || binders.empty()) return false;
    while (!binders.empty()) {
        std::span<const uint8_t> binder;
        if (!binders.vec8(binder) || binder.size() < kMinBinderLength) return false;
        out.binders.push_back(to_bytes(binder));
    }
    return true;
}

}  // namespace

// --- supported_versions (RFC 8446 4.2.1) --------------------------------------
// ClientHello: ProtocolVersion versions<2..254>. ServerHello and
// HelloRetryRequest: ProtocolVersion selected_version.

bool read_supported_versions(wire::Reader& body, ExtensionContext context, Extensions& out) {
    if (context != ExtensionContext::client_hello) {
        uint16_t selected;
        if (!body.u16(selected)) return false;
        out.supported_versions = std::vector<uint16_t>{selected};
        return true;
    }
    wire::Reader list{std::span<const uint8_t>{}};
    if (!body.vec8(list) || list.empty() || list.remaining() % 2 != 0) return false;
    std::vector<uint16_t> versions;
    uint16_t version;
    while (list.u16(version)) versions.push_back(version);
    out.supported_versions = std::move(versions);
    return true;
}

bool write_supported_versions(const Extensions& in, ExtensionContext context, wire::Writer& w) {
    const std::vector<uint16_t>& versions = *in.supported_versions;
    if (context != ExtensionContext::client_hello) {
        if (versions.size() != 1) return false;
        w.u16(versions.front());
        return true;
    }
    w.vec8([&] {
        for (uint16_t version : versions) w.u16(version);
    });
    return true;
}

// --- key_share (RFC 8446 4.2.8) -----------------------------------------------
// ClientHello: KeyShareEntry client_shares<0..2^16-1>. ServerHello: one
// KeyShareEntry. HelloRetryRequest: NamedGroup selected_group.

bool read_key_share(wire::Reader& body, ExtensionContext context, Extensions& out) {
    if (context == ExtensionContext::hello_retry_request) {
        uint16_t group;
        if (!body.u16(group)) return false;
        out.key_share_selected_group = group;
        return true;
    }
    if (context == ExtensionContext::server_hello) {
        KeyShareEntry entry;
        if (!read_key_share_entry(body, entry)) return false;
        out.key_shares = std::vector<KeyShareEntry>{std::move(entry)};
        return true;
    }
    wire::Reader list{std::span<const uint8_t>{}};
    if (!body.vec16(list)) return false;
    std::vector<KeyShareEntry> shares;
    while (!list.empty()) {
        KeyShareEntry entry;
        if (!read_key_share_entry(list, entry)) return false;
        shares.push_back(std::move(entry));
    }
    out.key_shares = std::move(shares);
    return true;
}

bool write_key_share(const Extensions& in, ExtensionContext context, wire::Writer& w) {
    if (context == ExtensionContext::hello_retry_request) {
        if (!in.key_share_selected_group || in.key_shares) return false;
        w.u16(*in.key_share_selected_group);
        return true;
    }
    if (!in.key_shares || in.key_share_selected_group) return false;
    if (context == ExtensionContext::server_hello) {
        if (in.key_shares->size() != 1) return false;
        write_key_share_entry(in.key_shares->front(), w);
        return true;
    }
    w.vec16([&] {
        for (const KeyShareEntry& entry : *in.key_shares) write_key_share_entry(entry, w);
    });
    return true;
}

// RFC 8446 4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for
// the same group", and servers may check. Sorting a copy keeps the check
// O(n log n) however many shares a peer packs into 64 KiB.
const char* check_key_share(const Extensions& in, ExtensionContext context) {
    if (context != ExtensionContext::client_hello) return nullptr;
    std::vector<uint16_t> groups;
    groups.reserve(in.key_shares->size());
    for (const KeyShareEntry& entry : *in.key_shares) groups.push_back(entry.group);
    std::sort(groups.begin(), groups.end());
    if (std::adjacent_find(groups.begin(), groups.end()) != groups.end()) return "key_share offers a group twice";
    return nullptr;
}

// --- cookie (RFC 8446 4.2.2): opaque cookie<1..2^16-1> ------------------------

bool read_cookie(wire::Reader& body, ExtensionContext, Extensions& out) {
    std::span<const uint8_t> cookie;
    if (!body.vec16(cookie) || cookie.empty()) return false;
    out.cookie = to_bytes(cookie);
    return true;
}

bool write_cookie(const Extensions& in, ExtensionContext, wire::Writer& w) {
    w.vec16(*in.cookie);
    return true;
}

// --- psk_key_exchange_modes (RFC 8446 4.2.9) ----------------------------------
// PskKeyExchangeMode ke_modes<1..255>.

bool read_psk_key_exchange_modes(wire::Reader& body, ExtensionContext, Extensions& out) {
    return read_u8_list(body, out.psk_key_exchange_modes.emplace());
}

bool write_psk_key_exchange_modes(const Extensions& in, ExtensionContext, wire::Writer& w) {
    w.vec8(*in.psk_key_exchange_modes);
    return true;
}

// --- pre_shared_key (RFC 8446 4.2.11) -----------------------------------------
// ClientHello: OfferedPsks. ServerHello: uint16 selected_identity. That it is
// the last extension of a ClientHello is checked by the table loop, which
// sees the whole block.

bool read_pre_shared_key(wire::Reader& body, ExtensionContext context, Extensions& out) {
    if (context == ExtensionContext::server_hello) {
        uint16_t selected;
        if (!body.u16(selected)) return false;
        out.selected_psk_identity = selected;
        return true;
    }
    return read_offered_psks(body, out.offered_psks.emplace());
}

bool write_pre_shared_key(const Extensions& in, ExtensionContext context, wire::Writer& w) {
    if (context == ExtensionContext::server_hello) {
        if (!in.selected_psk_identity || in.offered_psks) return false;
        w.u16(*in.selected_psk_identity);
        return true;
    }
    if (!in.offered_psks || in.selected_psk_identity) return false;
    const OfferedPsks& offer = *in.offered_psks;
    w.vec16([&] {
        for (const PskIdentity& entry : offer.identities) {
            w.vec16(entry.identity);
            w.u32(entry.obfuscated_ticket_age);
        }
    });
    w.vec16([&] {
        for (const Bytes& binder : offer.binders) w.vec8(binder);
    });
    return true;
}

// "binders: A series of HMAC values, one for each value in the identities
// list and in the same order" (RFC 8446 4.2.11).
const char* check_pre_shared_key(const Extensions& in, ExtensionContext context) {
    if (context != ExtensionContext::client_hello) return nullptr;
    if (in.offered_psks->binders.size() != in.offered_psks->identities.size()) {
        return "pre_shared_key has not one binder per identity";
    }
    return nullptr;
}

// --- early_data (RFC 8446 4.2.10) ---------------------------------------------
// Empty in a ClientHello and EncryptedExtensions; NewSessionTicket: uint32
// max_early_data_size.

bool read_early_data(wire::Reader& body, ExtensionContext context, Extensions& out) {
    if (context == ExtensionContext::new_session_ticket) {
        uint32_t max_size;
        if (!body.u32(max_size)) return false;
        out.max_early_data_size = max_size;
    }
    out.early_data = true;
    return true;
}

bool write_early_data(const Extensions& in, ExtensionContext context, wire::Writer& w) {
    if (context == ExtensionContext::new_session_ticket) {
        if (!in.max_early_data_size) return false;
        w.u32(*in.max_early_data_size);
        return true;
    }
    return !in.max_early_data_size;
}

}  // namespace dtls::messages
