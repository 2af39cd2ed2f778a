#include "stun.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <zlib.h>

#include <cstring>

namespace webrtc_example {

namespace {

constexpr uint16_t kBindingRequest = 0x0001;
constexpr uint16_t kBindingSuccess = 0x0101;
constexpr uint32_t kMagicCookie = 0x2112A442;
constexpr uint16_t kUsername = 0x0006;
constexpr uint16_t kMessageIntegrity = 0x0008;
constexpr uint16_t kXorMappedAddress = 0x0020;
constexpr uint16_t kFingerprint = 0x8028;
constexpr uint32_t kFingerprintXor = 0x5354554E;  // "STUN"
constexpr size_t kHeader = 20;
constexpr size_t kHmacSha1 = 20;

uint16_t u16(std::span<const uint8_t> b, size_t at) { return static_cast<uint16_t>(b[at] << 8 | b[at + 1]); }
uint32_t u32(std::span<const uint8_t> b, size_t at) {
    return static_cast<uint32_t>(b[at]) << 24 | static_cast<uint32_t>(b[at + 1]) << 16 |
           static_cast<uint32_t>(b[at + 2]) << 8 | b[at + 3];
}
void put16(std::vector<uint8_t>& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}
void put32(std::vector<uint8_t>& out, uint32_t v) {
    put16(out, static_cast<uint16_t>(v >> 16));
    put16(out, static_cast<uint16_t>(v));
}
void set16(std::vector<uint8_t>& out, size_t at, uint16_t v) {
    out[at] = static_cast<uint8_t>(v >> 8);
    out[at + 1] = static_cast<uint8_t>(v);
}

// HMAC-SHA1 of `message` with the short-term credential (RFC 8489 9.2.2:
// the key is the password itself).
std::vector<uint8_t> hmac_sha1(const std::string& password, std::span<const uint8_t> message) {
    std::vector<uint8_t> mac(kHmacSha1);
    unsigned int length = 0;
    HMAC(EVP_sha1(), password.data(), static_cast<int>(password.size()), message.data(), message.size(), mac.data(),
         &length);
    return mac;
}

// RFC 8489 14.5: the MAC covers the message up to the attribute, with the
// header's length counting up to the end of MESSAGE-INTEGRITY.
bool integrity_verifies(std::span<const uint8_t> request, size_t integrity_at, const std::string& password) {
    std::vector<uint8_t> covered(request.begin(), request.begin() + static_cast<std::ptrdiff_t>(integrity_at));
    set16(covered, 2, static_cast<uint16_t>(integrity_at + 4 + kHmacSha1 - kHeader));
    std::vector<uint8_t> expected = hmac_sha1(password, covered);
    return CRYPTO_memcmp(expected.data(), request.data() + integrity_at + 4, kHmacSha1) == 0;
}

}  // namespace

std::optional<std::vector<uint8_t>> answer_binding_request(std::span<const uint8_t> request,
                                                           const std::string& local_ufrag,
                                                           const std::string& local_password,
                                                           const sockaddr_in& from) {
    if (request.size() < kHeader || u16(request, 0) != kBindingRequest || u32(request, 4) != kMagicCookie ||
        u16(request, 2) + kHeader != request.size()) {
        return std::nullopt;
    }
    // USERNAME is "<our ufrag>:<their ufrag>" (RFC 8445 7.2.2).
    bool username_ok = false;
    std::optional<size_t> integrity_at;
    for (size_t at = kHeader; at + 4 <= request.size();) {
        const uint16_t type = u16(request, at), length = u16(request, at + 2);
        if (at + 4 + length > request.size()) return std::nullopt;
        if (type == kUsername) {
            std::string username(request.begin() + static_cast<std::ptrdiff_t>(at + 4),
                                 request.begin() + static_cast<std::ptrdiff_t>(at + 4 + length));
            username_ok = username.rfind(local_ufrag + ":", 0) == 0;
        } else if (type == kMessageIntegrity && length == kHmacSha1) {
            integrity_at = at;
            break;  // only FINGERPRINT may follow, and it is not needed here
        }
        at += 4 + ((length + 3u) & ~3u);
    }
    if (!username_ok || !integrity_at || !integrity_verifies(request, *integrity_at, local_password)) {
        return std::nullopt;
    }

    std::vector<uint8_t> out;
    put16(out, kBindingSuccess);
    put16(out, 0);  // length, set below
    out.insert(out.end(), request.begin() + 4, request.begin() + kHeader);  // magic cookie and transaction id
    // XOR-MAPPED-ADDRESS, IPv4: the port and address XORed with the cookie.
    put16(out, kXorMappedAddress);
    put16(out, 8);
    put16(out, 0x0001);
    put16(out, static_cast<uint16_t>(ntohs(from.sin_port) ^ (kMagicCookie >> 16)));
    put32(out, ntohl(from.sin_addr.s_addr) ^ kMagicCookie);
    // MESSAGE-INTEGRITY over what precedes it.
    const size_t integrity = out.size();
    set16(out, 2, static_cast<uint16_t>(integrity + 4 + kHmacSha1 - kHeader));
    std::vector<uint8_t> mac = hmac_sha1(local_password, out);
    put16(out, kMessageIntegrity);
    put16(out, kHmacSha1);
    out.insert(out.end(), mac.begin(), mac.end());
    // FINGERPRINT: CRC-32 of everything before it, XORed with "STUN".
    set16(out, 2, static_cast<uint16_t>(out.size() + 8 - kHeader));
    const auto crc = static_cast<uint32_t>(crc32(0L, out.data(), static_cast<uInt>(out.size())));
    put16(out, kFingerprint);
    put16(out, 4);
    put32(out, crc ^ kFingerprintXor);
    return out;
}

}  // namespace webrtc_example
