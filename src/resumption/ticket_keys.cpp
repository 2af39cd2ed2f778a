#include "resumption/ticket_keys.hpp"

#include "crypto/random.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::resumption {

namespace {

// The layout of the sealed contents below, which also says the version: a
// ticket of one version never resumes a session of the other.
constexpr uint8_t kFormatDtls13 = 1;
constexpr uint8_t kFormatDtls12 = 2;
constexpr size_t kNonceLength = crypto::AeadCipher::nonce_length;
constexpr size_t kTagLength = 16;

Error random_failed() { return Error{ErrorCode::internal, std::nullopt, "the random generator failed"}; }

// format | cipher_suite | issued (ns on the server's clock) | lifetime (s) |
// psk<1..255> | server_name<0..2^16-1> [| extended_master_secret |
// psk_identity<0..2^16-1> (DTLS 1.2)]
Bytes encode(const TicketContents& c) {
    Bytes out;
    wire::Writer w(out);
    const bool dtls12 = c.version == ProtocolVersion::dtls1_2;
    w.u8(dtls12 ? kFormatDtls12 : kFormatDtls13);
    w.u16(c.cipher_suite);
    w.u64(static_cast<uint64_t>(c.issued.time_since_epoch().count()));
    w.u32(static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(c.lifetime).count()));
    w.vec8(c.psk.span());
    w.vec16(std::span(reinterpret_cast<const uint8_t*>(c.server_name.data()), c.server_name.size()));
    if (dtls12) {
        w.u8(c.extended_master_secret ? 1 : 0);
        w.vec16(std::span(reinterpret_cast<const uint8_t*>(c.psk_identity.data()), c.psk_identity.size()));
    }
    if (!w.ok()) out.clear();
    return out;
}

std::optional<TicketContents> decode(std::span<const uint8_t> plain) {
    wire::Reader r(plain);
    uint8_t format = 0;
    uint64_t issued = 0;
    uint32_t lifetime = 0;
    std::span<const uint8_t> psk, name;
    TicketContents c;
    if (!r.u8(format) || (format != kFormatDtls13 && format != kFormatDtls12) || !r.u16(c.cipher_suite) ||
        !r.u64(issued) || !r.u32(lifetime) || !r.vec8(psk) || psk.empty() || !r.vec16(name)) {
        return std::nullopt;
    }
    c.version = format == kFormatDtls12 ? ProtocolVersion::dtls1_2 : ProtocolVersion::dtls1_3;
    if (c.version == ProtocolVersion::dtls1_2) {
        uint8_t ems = 0;
        std::span<const uint8_t> identity;
        if (!r.u8(ems) || ems > 1 || !r.vec16(identity)) return std::nullopt;
        c.extended_master_secret = ems == 1;
        c.psk_identity.assign(identity.begin(), identity.end());
    }
    if (!r.empty()) return std::nullopt;
    c.issued = Instant(Duration(static_cast<Duration::rep>(issued)));
    c.lifetime = std::chrono::seconds(lifetime);
    c.psk = crypto::SecretBytes(psk);
    c.server_name.assign(name.begin(), name.end());
    return c;
}

}  // namespace

TicketKeys::TicketKeys(Duration lifetime, Instant now, Key current, Key previous)
    : lifetime_(lifetime), rotated_at_(now), current_(std::move(current)), previous_(std::move(previous)) {}

Result<TicketKeys::Key> TicketKeys::fresh_key() {
    crypto::SecretBytes key(crypto::AeadCipher::key_length(crypto::AeadCipher::Algorithm::aes_256_gcm));
    std::array<uint8_t, kNameLength> name{};
    if (!crypto::random_bytes(key.span()) || !crypto::random_bytes(name)) return random_failed();
    auto cipher = crypto::AeadCipher::create(crypto::AeadCipher::Algorithm::aes_256_gcm, key.span());
    if (!cipher) return cipher.error();
    return Key{name, std::move(*cipher)};
}

Result<std::shared_ptr<TicketKeys>> TicketKeys::create(Duration lifetime, Instant now) {
    auto current = fresh_key();
    if (!current) return current.error();
    auto previous = fresh_key();
    if (!previous) return previous.error();
    return std::shared_ptr<TicketKeys>(new TicketKeys(lifetime, now, std::move(*current), std::move(*previous)));
}

Status TicketKeys::rotate_if_due(Instant now) {
    if (now - rotated_at_ < lifetime_) return Ok{};
    auto fresh = fresh_key();
    if (!fresh) return fresh.error();
    if (now - rotated_at_ >= 2 * lifetime_) {
        // The current key has outlived its second lifetime too: every
        // ticket it sealed has expired.
        auto other = fresh_key();
        if (!other) return other.error();
        previous_ = std::move(*other);
    } else {
        previous_ = std::move(current_);
    }
    current_ = std::move(*fresh);
    rotated_at_ = now;
    return Ok{};
}

Result<Bytes> TicketKeys::seal(const TicketContents& contents, Instant now) {
    Bytes plain = encode(contents);
    if (plain.empty()) return Error{ErrorCode::internal, std::nullopt, "ticket contents too long"};
    // Sized once: the spans below point into it.
    Bytes ticket(kNameLength + kNonceLength + plain.size() + kTagLength);
    const std::span<uint8_t> all(ticket);
    const std::span<uint8_t> nonce = all.subspan(kNameLength, kNonceLength);
    const std::span<uint8_t> text = all.subspan(kNameLength + kNonceLength, plain.size());
    const std::span<uint8_t> tag = all.last(kTagLength);
    std::copy(plain.begin(), plain.end(), text.begin());
    crypto::cleanse(plain);
    if (!crypto::random_bytes(nonce)) {
        crypto::cleanse(text);
        return random_failed();
    }
    std::lock_guard lock(mutex_);
    if (Status s = rotate_if_due(now); !s) {
        crypto::cleanse(text);
        return s.error();
    }
    std::copy(current_.name.begin(), current_.name.end(), ticket.begin());
    if (Status s = current_.cipher.seal(nonce, all.first(kNameLength), text, tag); !s) return s.error();
    return ticket;
}

std::optional<TicketContents> TicketKeys::open(std::span<const uint8_t> ticket, Instant now) {
    if (ticket.size() < kOverhead) return std::nullopt;
    Bytes text(ticket.begin() + kNameLength + kNonceLength, ticket.end() - kTagLength);
    std::optional<TicketContents> contents;
    {
        std::lock_guard lock(mutex_);
        if (!rotate_if_due(now)) return std::nullopt;
        // The key names are public (they travel in every ticket); which key
        // matched says nothing the ticket did not.
        Key* key = nullptr;
        if (std::equal(current_.name.begin(), current_.name.end(), ticket.begin())) key = &current_;
        if (std::equal(previous_.name.begin(), previous_.name.end(), ticket.begin())) key = &previous_;
        if (!key) return std::nullopt;
        if (!key->cipher.open(ticket.subspan(kNameLength, kNonceLength), ticket.first(kNameLength), text,
                              ticket.last(kTagLength))) {
            return std::nullopt;
        }
    }
    contents = decode(text);
    crypto::cleanse(text);
    if (!contents) return std::nullopt;
    // A ticket from the future is not one of ours either.
    if (contents->issued > now || now - contents->issued > contents->lifetime) return std::nullopt;
    return contents;
}

}  // namespace dtls::resumption
