// What the evil server tables (evil_server_test.cpp for DTLS 1.2,
// dtls13_evil_server_test.cpp for DTLS 1.3) share: the bytes-level edits
// that forge a server's message, and the check that a client that failed
// let no application data out.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "messages/messages.hpp"
#include "tls12/mitm.hpp"

namespace dtls::test {

template <class Message>
Bytes encoded_or_fail(const Message& message) {
    auto body = messages::encoded(message);
    if (!body) {
        ADD_FAILURE() << body.error().to_string();
        return {};
    }
    return *body;
}

inline messages::ServerHello decoded_server_hello(std::span<const uint8_t> body) {
    auto sh = messages::decode_server_hello(body);
    EXPECT_TRUE(sh) << sh.error().to_string();
    return sh ? *sh : messages::ServerHello{};
}

inline void set_u16(Bytes& b, size_t at, size_t value) {
    b.at(at) = static_cast<uint8_t>(value >> 8);
    b.at(at + 1) = static_cast<uint8_t>(value);
}

inline size_t u16_at(const Bytes& b, size_t at) { return static_cast<size_t>(b.at(at)) << 8 | b.at(at + 1); }

inline void add_to_u24(Bytes& b, size_t at, size_t delta) {
    const size_t value = (static_cast<size_t>(b.at(at)) << 16 | u16_at(b, at + 1)) + delta;
    b.at(at) = static_cast<uint8_t>(value >> 16);
    set_u16(b, at + 1, value & 0xFFFF);
}

// Where the extensions block (its u16 length) of an encoded ServerHello
// starts: after version, random, session_id, cipher_suite, compression.
inline size_t server_hello_extensions_at(const Bytes& body) {
    const size_t session_id_at = 2 + 32;
    return session_id_at + 1 + body.at(session_id_at) + 2 + 1;
}

// Appends one raw extension (type, data) to the extensions block whose u16
// length is at `block_at` and which ends the message.
inline Bytes with_raw_extension(Bytes body, size_t block_at, uint16_t type, const Bytes& data) {
    const size_t block = u16_at(body, block_at);
    Bytes ext(4);
    set_u16(ext, 0, type);
    set_u16(ext, 2, data.size());
    ext.insert(ext.end(), data.begin(), data.end());
    body.insert(body.begin() + static_cast<std::ptrdiff_t>(block_at + 2 + block), ext.begin(), ext.end());
    set_u16(body, block_at, block + ext.size());
    return body;
}

// The first extension of the block at `block_at`, repeated at its end.
inline Bytes with_first_extension_twice(Bytes body, size_t block_at) {
    const size_t first = block_at + 2;
    const size_t length = u16_at(body, first + 2);
    const Bytes data(body.begin() + static_cast<std::ptrdiff_t>(first + 4),
                     body.begin() + static_cast<std::ptrdiff_t>(first + 4 + length));
    const auto type = static_cast<uint16_t>(u16_at(body, first));
    return with_raw_extension(std::move(body), block_at, type, data);
}

// No record of application data ever left the client (`from_client`: all it
// emitted), and the failed client refuses to send any now.
inline void expect_no_application_data(Mitm& m) {
    const std::string probe = "must not leave";
    EXPECT_FALSE(m.client->send(span_of(probe), m.now)) << "the failed client accepted data to send";
    Bytes d;
    while (m.client->poll_datagram(d)) m.from_client.push_back(d);
    for (const Bytes& datagram : m.from_client) {
        EXPECT_FALSE(holds_content(datagram, record::ContentType::application_data))
            << "the client sent application data";
    }
}

}  // namespace dtls::test
