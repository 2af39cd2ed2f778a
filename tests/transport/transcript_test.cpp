// The transcript holds each message in the form its version hashes: DTLS 1.2
// with the whole 12-byte handshake header (an unfragmented fragment, RFC 6347
// 4.2.6), DTLS 1.3 with the 4-byte TLS header (RFC 9147 5.2). Its hash is
// the hash of exactly those bytes.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "transport/transcript.hpp"

namespace dtls::transport {
namespace {

using messages::HandshakeType;

// conformance: RFC6347-4.2.6-1
TEST(Transcript, Dtls12FormIsAnUnfragmentedHeaderAndBody) {
    Transcript t(Transcript::HeaderForm::dtls12);
    ASSERT_TRUE(t.add(HandshakeType::client_hello, 0, Bytes{1, 2, 3}));
    ASSERT_TRUE(t.add(HandshakeType::finished, 4, Bytes(12, 0x5C)));
    Bytes expected = {1, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 20, 0, 0, 12, 0, 4, 0, 0, 0, 0, 0, 12};
    expected.insert(expected.end(), 12, 0x5C);
    EXPECT_EQ(Bytes(t.bytes().begin(), t.bytes().end()), expected);
}

TEST(Transcript, Tls13FormHasOnlyTypeAndLength) {
    Transcript t(Transcript::HeaderForm::tls13);
    ASSERT_TRUE(t.add(HandshakeType::client_hello, 7, Bytes{1, 2, 3}));
    ASSERT_TRUE(t.add(HandshakeType::server_hello_done, 8, Bytes{}));
    const Bytes expected = {1, 0, 0, 3, 1, 2, 3, 14, 0, 0, 0};
    EXPECT_EQ(Bytes(t.bytes().begin(), t.bytes().end()), expected);
}

TEST(Transcript, HashIsTheDigestOfTheBytes) {
    Transcript t(Transcript::HeaderForm::tls13);
    ASSERT_TRUE(t.add(HandshakeType::certificate, 1, Bytes(100, 0x42)));
    Bytes expected(32);
    unsigned int length = 0;
    ASSERT_EQ(EVP_Digest(t.bytes().data(), t.bytes().size(), expected.data(), &length, EVP_sha256(), nullptr), 1);
    auto hash = t.hash(crypto::HashAlgorithm::sha256);
    ASSERT_TRUE(hash.ok());
    EXPECT_EQ(*hash, expected);
}

TEST(Transcript, ClearForgetsEverything) {
    Transcript t(Transcript::HeaderForm::dtls12);
    ASSERT_TRUE(t.add(HandshakeType::client_hello, 0, Bytes(40, 1)));
    t.clear();
    EXPECT_TRUE(t.bytes().empty());
    ASSERT_TRUE(t.add(HandshakeType::client_hello, 1, Bytes{9}));
    EXPECT_EQ(t.bytes().size(), 13u);
}

TEST(Transcript, RefusesABodyTooLongForTheLengthField) {
    Transcript t(Transcript::HeaderForm::dtls12);
    EXPECT_FALSE(t.add(HandshakeType::certificate, 0, Bytes(size_t{1} << 24, 0)));
    EXPECT_TRUE(t.bytes().empty());
}

}  // namespace
}  // namespace dtls::transport
