// Helpers shared by the DTLS 1.3 codec tests: encoding a message or an
// extensions block, building extensions by hand, and matching a decoder's
// fault and reason.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "dtls/errors.hpp"
#include "messages/codec.hpp"
#include "messages/messages.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::messages::testing {

template <class M>
Bytes encode_body(const M& message) {
    Bytes out;
    wire::Writer w(out);
    EXPECT_TRUE(encode(message, w));
    return out;
}

// One extension: type(2) + body<0..2^16-1>.
inline Bytes ext(uint16_t type, const Bytes& body) {
    Bytes out;
    wire::Writer w(out);
    w.u16(type);
    w.vec16(body);
    return out;
}

// An extensions block: vec16 of the given extensions, in order.
inline Bytes block_of(std::initializer_list<Bytes> extensions) {
    Bytes out;
    wire::Writer w(out);
    w.vec16([&] {
        for (const Bytes& e : extensions) w.bytes(e);
    });
    return out;
}

inline Bytes encode_block(const Extensions& extensions, ExtensionContext context) {
    Bytes out;
    wire::Writer w(out);
    EXPECT_TRUE(encode_extensions_block(extensions, context, w));
    EXPECT_TRUE(w.ok());
    return out;
}

// Decodes a whole block as message "Test"; bytes left after it fail too.
inline Result<Extensions> decode_block(const Bytes& block, ExtensionContext context) {
    wire::Reader r(block);
    Extensions out;
    if (Status s = decode_extensions_block(r, context, "Test", out); !s) return s.error();
    if (!r.empty()) return Error::from(Fault::internal_failure, "test: bytes left after the block");
    return out;
}

template <class T>
void expect_fault(const Result<T>& r, Fault fault, const std::string& reason) {
    ASSERT_FALSE(r) << "expected: " << reason;
    EXPECT_EQ(r.error().fault, fault) << r.error().reason;
    EXPECT_EQ(r.error().alert, alert_for(fault));
    EXPECT_EQ(r.error().reason, reason);
}

}  // namespace dtls::messages::testing
