#include "tls12/key_schedule.hpp"

#include <algorithm>

namespace dtls::tls12 {

namespace {

Bytes concat(std::span<const uint8_t> a, std::span<const uint8_t> b) {
    Bytes out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

std::string hex(std::span<const uint8_t> bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace

KeySchedule::KeySchedule(const SuiteInfo& suite, const handshake::Random& client_random,
                         const handshake::Random& server_random)
    : suite_(suite), client_random_(client_random), server_random_(server_random) {}

void KeySchedule::derive_master_secret(std::span<const uint8_t> premaster, std::span<const uint8_t> session_hash) {
    master_secret_ = crypto::SecretBytes(48);
    if (!session_hash.empty()) {
        crypto::prf(suite_.prf_hash, premaster, "extended master secret", session_hash, master_secret_.span());
    } else {
        Bytes seed = concat(client_random_, server_random_);
        crypto::prf(suite_.prf_hash, premaster, "master secret", seed, master_secret_.span());
    }
}

TrafficKeys KeySchedule::traffic_keys() const {
    // AEAD suites have no MAC keys: key_block = client key, server key,
    // client IV, server IV (RFC 5246 6.3, RFC 5288 3).
    const size_t k = suite_.key_length, iv = suite_.iv_length;
    crypto::SecretBytes block(2 * k + 2 * iv);
    Bytes seed = concat(server_random_, client_random_);
    crypto::prf(suite_.prf_hash, master_secret_.span(), "key expansion", seed, block.span());
    std::span<const uint8_t> b = block.span();
    TrafficKeys keys;
    keys.client_key = crypto::SecretBytes(b.subspan(0, k));
    keys.server_key = crypto::SecretBytes(b.subspan(k, k));
    keys.client_iv = crypto::SecretBytes(b.subspan(2 * k, iv));
    keys.server_iv = crypto::SecretBytes(b.subspan(2 * k + iv, iv));
    return keys;
}

Bytes KeySchedule::finished(bool from_client, std::span<const uint8_t> transcript_hash) const {
    Bytes out(12);
    crypto::prf(suite_.prf_hash, master_secret_.span(), from_client ? "client finished" : "server finished",
                transcript_hash, out);
    return out;
}

Bytes KeySchedule::export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                          bool use_context, size_t length) const {
    if (master_secret_.empty()) return {};
    Bytes seed = concat(client_random_, server_random_);
    if (use_context) {
        seed.push_back(static_cast<uint8_t>(context.size() >> 8));
        seed.push_back(static_cast<uint8_t>(context.size()));
        seed.insert(seed.end(), context.begin(), context.end());
    }
    Bytes out(length);
    crypto::prf(suite_.prf_hash, master_secret_.span(), label, seed, out);
    return out;
}

std::string KeySchedule::keylog_line() const {
    return "CLIENT_RANDOM " + hex(client_random_) + " " + hex(master_secret_.span());
}

}  // namespace dtls::tls12
