// The HelloRetryRequest random and what it changes in a ServerHello, the
// downgrade sentinels (RFC 8446 4.1.3, 4.1.4; RFC 9147 5.3), and the
// message_hash construct of the transcript after a retry (RFC 8446 4.4.1).
#include <gtest/gtest.h>

#include "codec_testing.hpp"
#include "crypto/hash.hpp"
#include "crypto/hex.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/messages.hpp"

namespace dtls::messages {
namespace {

using crypto::testing::as_bytes;
using crypto::testing::from_hex;
using testing::expect_fault;

// RFC 8446 4.1.3, as printed there.
constexpr const char* kRfc8446HelloRetryRequestRandom =
    "CF 21 AD 74 E5 9A 61 11 BE 1D 8C 02 1E 65 B8 91"
    "C2 A2 11 16 7A BB 8C 5E 07 9E 09 E2 C8 A8 33 9C";

TEST(HelloRetryRequest, RandomIsTheRfcValue) {
    const Bytes printed = from_hex(kRfc8446HelloRetryRequestRandom);
    EXPECT_EQ(Bytes(kHelloRetryRequestRandom.begin(), kHelloRetryRequestRandom.end()), printed);
    // ...which is SHA-256("HelloRetryRequest").
    auto digest = crypto::digest(crypto::HashAlgorithm::sha256, as_bytes("HelloRetryRequest"));
    ASSERT_TRUE(digest);
    EXPECT_EQ(*digest, printed);
}

ServerHello hello_retry_request() {
    ServerHello m;
    m.random = kHelloRetryRequestRandom;
    m.session_id = Bytes(32, 0x5E);
    m.cipher_suite = 0x1301;
    m.extensions.supported_versions = std::vector<uint16_t>{kDtls13};
    m.extensions.key_share_selected_group = 0x0017;
    m.extensions.cookie = Bytes(24, 0xC0);
    return m;
}

// conformance: RFC8446-4.1.3-9
TEST(HelloRetryRequest, IsRecognisedByItsRandom) {
    ServerHello m = hello_retry_request();
    EXPECT_TRUE(is_hello_retry_request(m));
    m.random[31] ^= 1;
    EXPECT_FALSE(is_hello_retry_request(m));
    EXPECT_FALSE(is_hello_retry_request(ServerHello{}));
}

TEST(HelloRetryRequest, DecodesWithItsOwnExtensionBodies) {
    const ServerHello m = hello_retry_request();
    const Bytes body = *encoded(m);
    auto r = decode_server_hello(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(is_hello_retry_request(*r));
    EXPECT_EQ(r->extensions.key_share_selected_group, std::optional<uint16_t>(0x0017));
    EXPECT_FALSE(r->extensions.key_shares);
    EXPECT_EQ(r->extensions.cookie, m.extensions.cookie);
    EXPECT_EQ(r->extensions.supported_versions, m.extensions.supported_versions);

    // The same bytes with an ordinary random are a ServerHello, where a
    // two-byte key_share is cut short and a cookie is not allowed.
    Bytes ordinary = body;
    ordinary[2] ^= 1;
    expect_fault(decode_server_hello(ordinary), Fault::malformed_message,
                 "ServerHello: malformed extension key_share");
}

TEST(HelloRetryRequest, RefusesWhatOnlyAServerHelloCarries) {
    ServerHello m = hello_retry_request();
    m.extensions.key_share_selected_group.reset();
    m.extensions.cookie.reset();
    m.extensions.extended_master_secret = true;
    Bytes out;
    wire::Writer w(out);
    EXPECT_FALSE(encode(m, w));  // no form in a HelloRetryRequest

    // Encoded as a ServerHello, then given the HelloRetryRequest random.
    m.random = Random{};
    auto body = encoded(m);
    ASSERT_TRUE(body);
    std::copy(kHelloRetryRequestRandom.begin(), kHelloRetryRequestRandom.end(), body->begin() + 2);
    expect_fault(decode_server_hello(*body), Fault::forbidden_value,
                 "ServerHello: extension extended_master_secret is not allowed in this message");
}

TEST(HelloRetryRequest, DowngradeSentinels) {
    // RFC 8446 4.1.3: "DOWNGRD" then 01 (TLS 1.2, here DTLS 1.2) or 00.
    EXPECT_EQ(Bytes(kDowngradeToDtls12.begin(), kDowngradeToDtls12.end()), from_hex("44 4F 57 4E 47 52 44 01"));
    EXPECT_EQ(Bytes(kDowngradeToDtls10.begin(), kDowngradeToDtls10.end()), from_hex("44 4F 57 4E 47 52 44 00"));

    Random random{};
    random.fill(0x44);
    EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::none);
    std::copy(kDowngradeToDtls12.begin(), kDowngradeToDtls12.end(), random.end() - 8);
    EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::dtls12);
    std::copy(kDowngradeToDtls10.begin(), kDowngradeToDtls10.end(), random.end() - 8);
    EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::dtls10);
    random[23] = 0;  // the sentinel only counts in the last 8 bytes
    EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::dtls10);
    random[24] = 0;
    EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::none);
    EXPECT_EQ(downgrade_sentinel(kHelloRetryRequestRandom), DowngradeSentinel::none);
}

TEST(HelloRetryRequest, SyntheticMessageHash) {
    for (size_t length : {size_t{32}, size_t{48}}) {
        Bytes hash(length);
        for (size_t i = 0; i < length; ++i) hash[i] = static_cast<uint8_t>(i);
        auto message = synthetic_message_hash(hash);
        ASSERT_TRUE(message);
        Bytes expected = {0xFE, 0x00, 0x00, static_cast<uint8_t>(length)};
        expected.insert(expected.end(), hash.begin(), hash.end());
        EXPECT_EQ(*message, expected);
    }
}

}  // namespace
}  // namespace dtls::messages
