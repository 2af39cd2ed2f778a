// The epoch 1 keys of a genuine handshake, recovered the way a debugging
// peer would: the master secret from the NSS key log line
// ("CLIENT_RANDOM <client random> <master secret>") and the randoms from the
// hellos, expanded with the TLS 1.2 PRF (RFC 5246 6.3). With them the evil
// peer seals records either side accepts as authentic, and opens what
// either side sends in epoch 1 (for example the alert it answered with).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "crypto/hash.hpp"
#include "dtls/dtls.hpp"
#include "messages/messages.hpp"
#include "record/record_protection.hpp"
#include "tls12/cipher_suites.hpp"

namespace dtls::test {

inline std::optional<Bytes> from_hex(std::string_view hex) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    if (hex.size() % 2 != 0) return std::nullopt;
    Bytes out;
    for (size_t i = 0; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<uint8_t>(hi << 4 | lo));
    }
    return out;
}

struct EpochKeys {
    const tls12::SuiteInfo* suite = nullptr;
    Bytes master_secret;
    Bytes client_key, server_key, client_iv, server_iv;

    // The protection for `writer`'s epoch 1 records: sealing them as
    // `writer` does, or opening them as its peer does.
    record::RecordProtection of(Role writer, record::RecordProtection::Direction direction) const {
        const bool client = writer == Role::client;
        auto p = record::RecordProtection::create(suite->aead, direction, client ? client_key : server_key,
                                                  client ? client_iv : server_iv);
        EXPECT_TRUE(p) << p.error().to_string();
        return std::move(*p);
    }
};

// Parses the key log line, checks it belongs to `client_random`, and expands
// the master secret for the suite the ServerHello chose.
inline std::optional<EpochKeys> keys_from_keylog(std::string_view line, const messages::Random& client_random,
                                                 const messages::ServerHello& server_hello) {
    constexpr std::string_view label = "CLIENT_RANDOM ";
    if (line.substr(0, label.size()) != label) return std::nullopt;
    line.remove_prefix(label.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    std::optional<Bytes> random = from_hex(line.substr(0, space));
    std::optional<Bytes> master = from_hex(line.substr(space + 1));
    if (!random || !master || master->size() != 48) return std::nullopt;
    if (!std::equal(random->begin(), random->end(), client_random.begin(), client_random.end())) return std::nullopt;

    EpochKeys keys;
    keys.suite = tls12::find_suite(server_hello.cipher_suite);
    if (keys.suite == nullptr) return std::nullopt;
    keys.master_secret = *master;
    // key_block = PRF(master, "key expansion", server_random + client_random):
    // client key, server key, client IV, server IV (AEAD suites, no MAC keys).
    Bytes seed(server_hello.random.begin(), server_hello.random.end());
    seed.insert(seed.end(), client_random.begin(), client_random.end());
    const size_t k = keys.suite->key_length, iv = keys.suite->iv_length;
    Bytes block(2 * k + 2 * iv);
    if (!crypto::prf(keys.suite->prf_hash, keys.master_secret, "key expansion", seed, block)) return std::nullopt;
    auto part = [&](size_t at, size_t n) { return Bytes(block.begin() + at, block.begin() + at + n); };
    keys.client_key = part(0, k);
    keys.server_key = part(k, k);
    keys.client_iv = part(2 * k, iv);
    keys.server_iv = part(2 * k + iv, iv);
    return keys;
}

// A message as the DTLS 1.2 transcript holds it (RFC 6347 4.2.6): the
// 12-byte handshake header of one fragment covering the whole body, then the
// body. Written out here by hand, apart from the library's own transcript.
inline void append_transcript_form(messages::HandshakeType type, uint16_t message_seq, std::span<const uint8_t> body,
                                   Bytes& out) {
    const auto length = static_cast<uint32_t>(body.size());
    const uint8_t header[12] = {static_cast<uint8_t>(type),
                                static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 8),
                                static_cast<uint8_t>(length),
                                static_cast<uint8_t>(message_seq >> 8), static_cast<uint8_t>(message_seq),
                                0, 0, 0,
                                static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 8),
                                static_cast<uint8_t>(length)};
    out.insert(out.end(), std::begin(header), std::end(header));
    out.insert(out.end(), body.begin(), body.end());
}

// verify_data of a Finished (RFC 5246 7.4.9) over the transcript given in
// its DTLS form (append_transcript_form of every message).
inline Bytes finished_verify_data(const EpochKeys& keys, bool from_client, std::span<const uint8_t> transcript) {
    const Bytes hash = *crypto::digest(keys.suite->prf_hash, transcript);
    Bytes out(12);
    EXPECT_TRUE(crypto::prf(keys.suite->prf_hash, keys.master_secret,
                            from_client ? "client finished" : "server finished", hash, out));
    return out;
}

}  // namespace dtls::test
