// ECDHE key shares: published answers for x25519 (RFC 7748) and P-256
// (RFC 5903), agreement between fresh shares, and strict rejection of peer
// keys that are malformed, off the curve or of small order.
#include <gtest/gtest.h>

#include "crypto/key_exchange.hpp"
#include "hex.hpp"

namespace dtls::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

// conformance: RFC8446-7.4.2-2
TEST(KeyExchange, X25519MatchesRfc7748Section6_1) {
    auto alice = KeyShare::from_private_key(
        NamedGroup::x25519, from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    auto bob = KeyShare::from_private_key(
        NamedGroup::x25519, from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    ASSERT_TRUE(alice.ok() && bob.ok());
    EXPECT_EQ(to_hex(alice->public_key()), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    EXPECT_EQ(to_hex(bob->public_key()), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

    const char* shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    auto alice_secret = alice->agree(bob->public_key());
    auto bob_secret = bob->agree(alice->public_key());
    ASSERT_TRUE(alice_secret.ok() && bob_secret.ok());
    EXPECT_EQ(to_hex(alice_secret->span()), shared);
    EXPECT_EQ(to_hex(bob_secret->span()), shared);
}

// conformance: RFC8446-7.4.2-1
TEST(KeyExchange, P256MatchesRfc5903Section8_1) {
    auto initiator = KeyShare::from_private_key(
        NamedGroup::secp256r1, from_hex("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"));
    auto responder = KeyShare::from_private_key(
        NamedGroup::secp256r1, from_hex("C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"));
    ASSERT_TRUE(initiator.ok() && responder.ok());
    EXPECT_EQ(to_hex(initiator->public_key()),
              "04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
              "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3");
    EXPECT_EQ(to_hex(responder->public_key()),
              "04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
              "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab");
    auto secret = initiator->agree(responder->public_key());
    ASSERT_TRUE(secret.ok()) << secret.error().reason;
    EXPECT_EQ(to_hex(secret->span()), "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
}

TEST(KeyExchange, FromPrivateKeyRejectsInvalidScalars) {
    EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::secp256r1, std::vector<uint8_t>(32, 0)).ok());
    // The P-256 group order n is not a valid scalar, nor is anything above it.
    EXPECT_FALSE(KeyShare::from_private_key(
                     NamedGroup::secp256r1,
                     from_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"))
                     .ok());
    EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::secp256r1, std::vector<uint8_t>(32, 0xff)).ok());
    EXPECT_FALSE(KeyShare::from_private_key(NamedGroup::x25519, std::vector<uint8_t>(31, 1)).ok());
}

struct GroupCase {
    NamedGroup group;
    size_t public_length;
    size_t secret_length;
};

class KeyExchangeGroups : public ::testing::TestWithParam<GroupCase> {};

TEST_P(KeyExchangeGroups, FreshSharesAgreeOnTheSameSecret) {
    auto a = KeyShare::generate(GetParam().group);
    auto b = KeyShare::generate(GetParam().group);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->group(), GetParam().group);
    ASSERT_EQ(a->public_key().size(), GetParam().public_length);
    if (GetParam().group != NamedGroup::x25519) {
        EXPECT_EQ(a->public_key()[0], 0x04) << "uncompressed point";
    }
    EXPECT_NE(a->public_key(), b->public_key());

    auto ab = a->agree(b->public_key());
    auto ba = b->agree(a->public_key());
    ASSERT_TRUE(ab.ok()) << ab.error().reason;
    ASSERT_TRUE(ba.ok()) << ba.error().reason;
    EXPECT_EQ(ab->size(), GetParam().secret_length);
    EXPECT_EQ(to_hex(ab->span()), to_hex(ba->span()));

    // A third party's share gives a different secret.
    auto c = KeyShare::generate(GetParam().group);
    ASSERT_TRUE(c.ok());
    auto ac = a->agree(c->public_key());
    ASSERT_TRUE(ac.ok());
    EXPECT_NE(to_hex(ac->span()), to_hex(ab->span()));
}

void expect_invalid_peer_key(const KeyShare& share, const std::vector<uint8_t>& peer, const char* what) {
    auto result = share.agree(peer);
    ASSERT_FALSE(result.ok()) << what << " was accepted";
    EXPECT_EQ(result.error().code, ErrorCode::invalid_argument) << what;
    EXPECT_FALSE(result.error().alert.has_value()) << what;
}

TEST_P(KeyExchangeGroups, RejectsPeerKeysOfTheWrongLength) {
    auto share = KeyShare::generate(GetParam().group);
    auto peer = KeyShare::generate(GetParam().group);
    ASSERT_TRUE(share.ok() && peer.ok());
    std::vector<uint8_t> good = peer->public_key();

    expect_invalid_peer_key(*share, {}, "an empty key");
    expect_invalid_peer_key(*share, std::vector<uint8_t>(good.begin(), good.end() - 1), "a short key");
    std::vector<uint8_t> longer = good;
    longer.push_back(0);
    expect_invalid_peer_key(*share, longer, "a long key");
}

INSTANTIATE_TEST_SUITE_P(All, KeyExchangeGroups,
                         ::testing::Values(GroupCase{NamedGroup::x25519, 32, 32},
                                           GroupCase{NamedGroup::secp256r1, 65, 32},
                                           GroupCase{NamedGroup::secp384r1, 97, 48}),
                         [](const ::testing::TestParamInfo<GroupCase>& info) {
                             switch (info.param.group) {
                                 case NamedGroup::x25519: return std::string("x25519");
                                 case NamedGroup::secp256r1: return std::string("secp256r1");
                                 case NamedGroup::secp384r1: return std::string("secp384r1");
                             }
                             return std::string("unknown");
                         });

// conformance: RFC8446-4.2.8.2-1
TEST(KeyExchange, RejectsInvalidNistPoints) {
    for (NamedGroup group : {NamedGroup::secp256r1, NamedGroup::secp384r1}) {
        SCOPED_TRACE(group == NamedGroup::secp256r1 ? "secp256r1" : "secp384r1");
        auto share = KeyShare::generate(group);
        auto peer = KeyShare::generate(group);
        ASSERT_TRUE(share.ok() && peer.ok());
        const std::vector<uint8_t> good = peer->public_key();
        ASSERT_TRUE(share->agree(good).ok());

        std::vector<uint8_t> off_curve = good;
        off_curve.back() ^= 0x01;  // same X, wrong Y
        expect_invalid_peer_key(*share, off_curve, "a point off the curve");

        std::vector<uint8_t> compressed_tag = good;
        compressed_tag[0] = 0x02;
        expect_invalid_peer_key(*share, compressed_tag, "a compressed-point prefix");

        // The hybrid form has the uncompressed length and is valid X9.62,
        // but RFC 8422 allows only the uncompressed form.
        std::vector<uint8_t> hybrid = good;
        hybrid[0] = static_cast<uint8_t>(0x06 | (good.back() & 1));
        expect_invalid_peer_key(*share, hybrid, "a hybrid-form point");

        std::vector<uint8_t> zero_point(good.size(), 0);
        zero_point[0] = 0x04;
        expect_invalid_peer_key(*share, zero_point, "the point (0, 0)");

        expect_invalid_peer_key(*share, {0x00}, "the point at infinity");
    }
}

// conformance: RFC8446-7.4.2-3
TEST(KeyExchange, RejectsX25519PointsGivingAnAllZeroSecret) {
    auto share = KeyShare::generate(NamedGroup::x25519);
    ASSERT_TRUE(share.ok());
    // u = 0 and u = 1 are of small order: every private key maps them to zero.
    std::vector<uint8_t> zero(32, 0);
    std::vector<uint8_t> one(32, 0);
    one[0] = 1;
    // A point of order 8 listed among the small-order points (e.g. in libsodium).
    std::vector<uint8_t> order8 = from_hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
    expect_invalid_peer_key(*share, zero, "u = 0");
    expect_invalid_peer_key(*share, one, "u = 1");
    expect_invalid_peer_key(*share, order8, "a point of order 8");
}

TEST(KeyExchange, RejectsAShareFromAnotherGroup) {
    auto p256 = KeyShare::generate(NamedGroup::secp256r1);
    auto p384 = KeyShare::generate(NamedGroup::secp384r1);
    auto x = KeyShare::generate(NamedGroup::x25519);
    ASSERT_TRUE(p256.ok() && p384.ok() && x.ok());
    expect_invalid_peer_key(*p256, p384->public_key(), "a P-384 key on P-256");
    expect_invalid_peer_key(*p384, p256->public_key(), "a P-256 key on P-384");
    expect_invalid_peer_key(*x, p256->public_key(), "a P-256 key on x25519");
}

}  // namespace
}  // namespace dtls::crypto
