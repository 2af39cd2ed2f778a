// Session::serialize() and Session::deserialize() (include/dtls/session.hpp).
// A session serialized more than 7 days after it was received does not
// deserialize (no session lives that long).
//
//   format (1) | version (2) | cipher_suite (2) | age (8, ns) | time left (8, ns) |
//   psk<0..255> | ticket<0..2^16-1> | master_secret<0..255> | session_id<0..32> |
//   extended_master_secret (1) | age_add (4) | server_name<0..2^16-1> |
//   peer_signature_scheme (2) | peer_chain<0..2^24-1> of certificate<1..2^24-1>
#include <algorithm>

#include "crypto/secret.hpp"
#include "dtls/session.hpp"
#include "resumption/session_data.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls {

namespace {

constexpr uint8_t kFormat = 1;
constexpr size_t kMaxSessionIdLength = 32;
// No session lives longer (RFC 8446 4.6.1; our DTLS 1.2 client applies the
// same cap), so a longer age or time left is not one of ours.
constexpr Duration kMaxLifetime = std::chrono::hours(24 * 7);

uint64_t nanoseconds(Duration d) { return static_cast<uint64_t>(std::max(d, Duration::zero()).count()); }

std::span<const uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Error not_a_session(const char* what) {
    return Error{ErrorCode::invalid_argument, std::nullopt, std::string("not a serialized session: ") + what};
}

}  // namespace

Bytes Session::serialize(Instant now) const {
    const detail::SessionData& d = *data_;
    Bytes out;
    wire::Writer w(out);
    w.u8(kFormat);
    w.u16(static_cast<uint16_t>(d.version));
    w.u16(static_cast<uint16_t>(d.cipher_suite));
    w.u64(nanoseconds(now - d.received));
    w.u64(nanoseconds(d.expires - now));
    w.vec8(d.psk.span());
    w.vec16(d.ticket);
    w.vec8(d.master_secret.span());
    w.vec8(d.session_id);
    w.u8(d.extended_master_secret ? 1 : 0);
    w.u32(d.age_add);
    w.vec16(bytes_of(d.server_name));
    w.u16(static_cast<uint16_t>(d.peer_signature_scheme));
    w.vec24([&] {
        for (const Bytes& certificate : d.peer_chain) w.vec24(certificate);
    });
    // Every field came from a handshake that fit the same length limits.
    if (!w.ok()) {
        crypto::cleanse(out);
        out.clear();
    }
    return out;
}

Result<Session> Session::deserialize(std::span<const uint8_t> bytes, Instant now) {
    wire::Reader r(bytes);
    auto d = std::make_shared<detail::SessionData>();
    uint8_t format = 0, ems = 0;
    uint16_t version = 0, suite = 0, scheme = 0;
    uint64_t age = 0, left = 0;
    std::span<const uint8_t> psk, ticket, master, id, name, certificates;
    if (!r.u8(format)) return not_a_session("empty");
    if (format != kFormat) return not_a_session("unknown format");
    if (!r.u16(version) || !r.u16(suite) || !r.u64(age) || !r.u64(left) || !r.vec8(psk) || !r.vec16(ticket) ||
        !r.vec8(master) || !r.vec8(id) || !r.u8(ems) || !r.u32(d->age_add) || !r.vec16(name) || !r.u16(scheme) ||
        !r.vec24(certificates) || !r.empty()) {
        return not_a_session("truncated or trailing bytes");
    }
    d->version = static_cast<ProtocolVersion>(version);
    if (d->version != ProtocolVersion::dtls1_2 && d->version != ProtocolVersion::dtls1_3) {
        return not_a_session("unknown version");
    }
    const auto max_ns = static_cast<uint64_t>(kMaxLifetime.count());
    if (ems > 1 || id.size() > kMaxSessionIdLength || age > max_ns || left > max_ns) {
        return not_a_session("a field out of range");
    }
    wire::Reader chain(certificates);
    while (!chain.empty()) {
        std::span<const uint8_t> certificate;
        if (!chain.vec24(certificate) || certificate.empty()) return not_a_session("malformed certificate chain");
        d->peer_chain.emplace_back(certificate.begin(), certificate.end());
    }
    d->cipher_suite = static_cast<CipherSuite>(suite);
    d->received = now - Duration(static_cast<Duration::rep>(age));
    d->expires = now + Duration(static_cast<Duration::rep>(left));
    d->psk = crypto::SecretBytes(psk);
    d->ticket.assign(ticket.begin(), ticket.end());
    d->master_secret = crypto::SecretBytes(master);
    d->session_id.assign(id.begin(), id.end());
    d->extended_master_secret = ems == 1;
    d->server_name.assign(name.begin(), name.end());
    d->peer_signature_scheme = static_cast<SignatureScheme>(scheme);
    return Session(std::move(d));
}

}  // namespace dtls
