// The TLS 1.3 extensions (RFC 8446 4.2), read and written in each message
// that may carry them: exact encodings, round trips, the per-message forms
// of supported_versions, key_share, pre_shared_key and early_data, and the
// rejections RFC 8446 calls for (duplicate key-share groups, pre_shared_key
// not last, one binder per identity, extensions in messages that do not
// allow them). Also binders_offset(), which locates what a PSK binder
// covers.
#include <gtest/gtest.h>

#include "codec_testing.hpp"
#include "messages/messages.hpp"

namespace dtls::messages {
namespace {

using testing::block_of;
using testing::decode_block;
using testing::encode_block;
using testing::expect_fault;
using testing::ext;

constexpr ExtensionContext kCH = ExtensionContext::client_hello;
constexpr ExtensionContext kSH = ExtensionContext::server_hello;
constexpr ExtensionContext kHRR = ExtensionContext::hello_retry_request;
constexpr ExtensionContext kEE = ExtensionContext::encrypted_extensions;
constexpr ExtensionContext kCR = ExtensionContext::certificate_request;
constexpr ExtensionContext kCT = ExtensionContext::certificate;
constexpr ExtensionContext kNST = ExtensionContext::new_session_ticket;

bool encodes(const Extensions& e, ExtensionContext context) {
    Bytes out;
    wire::Writer w(out);
    return encode_extensions_block(e, context, w) && w.ok();
}

Bytes filled(size_t n, uint8_t value) { return Bytes(n, value); }

OfferedPsks two_psks() {
    OfferedPsks offer;
    offer.identities = {{filled(16, 0xA1), 0x01020304}, {filled(3, 0xA2), 0}};
    offer.binders = {filled(32, 0xB1), filled(48, 0xB2)};
    return offer;
}

// --- supported_versions --------------------------------------------------------

TEST(Tls13Extensions, SupportedVersionsListInClientHello) {
    Extensions e;
    e.supported_versions = std::vector<uint16_t>{kDtls13, kDtls12};
    const Bytes block = encode_block(e, kCH);
    EXPECT_EQ(block, (Bytes{0x00, 0x09, 0x00, 0x2B, 0x00, 0x05, 0x04, 0xFE, 0xFC, 0xFE, 0xFD}));
    auto r = decode_block(block, kCH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->supported_versions, e.supported_versions);
    EXPECT_TRUE(r->unknown.empty());
}

TEST(Tls13Extensions, SupportedVersionsSelectedInServerHelloAndHelloRetryRequest) {
    Extensions e;
    e.supported_versions = std::vector<uint16_t>{kDtls13};
    for (ExtensionContext context : {kSH, kHRR}) {
        const Bytes block = encode_block(e, context);
        EXPECT_EQ(block, (Bytes{0x00, 0x06, 0x00, 0x2B, 0x00, 0x02, 0xFE, 0xFC}));
        auto r = decode_block(block, context);
        ASSERT_TRUE(r) << r.error().reason;
        EXPECT_EQ(r->supported_versions, e.supported_versions);
    }
    e.supported_versions = std::vector<uint16_t>{kDtls13, kDtls12};  // a server selects one
    EXPECT_FALSE(encodes(e, kSH));
}

TEST(Tls13Extensions, MalformedSupportedVersions) {
    const std::string reason = "Test: malformed extension supported_versions";
    expect_fault(decode_block(block_of({ext(43, {0x00})}), kCH), Fault::malformed_message, reason);  // empty list
    expect_fault(decode_block(block_of({ext(43, {0x03, 0xFE, 0xFC, 0xFE})}), kCH), Fault::malformed_message,
                 reason);  // odd length
    expect_fault(decode_block(block_of({ext(43, {0x02, 0xFE, 0xFC})}), kSH), Fault::malformed_message,
                 reason);  // a list where one version belongs
    expect_fault(decode_block(block_of({ext(43, {0xFE})}), kHRR), Fault::malformed_message, reason);
}

// --- key_share -----------------------------------------------------------------

TEST(Tls13Extensions, KeyShareListInClientHello) {
    Extensions e;
    e.key_shares = std::vector<KeyShareEntry>{{0x001D, filled(32, 0x11)}, {0x0017, filled(65, 0x04)}};
    const Bytes block = encode_block(e, kCH);
    ASSERT_EQ(block.size(), 2u + 4 + 2 + (4 + 32) + (4 + 65));
    EXPECT_EQ(Bytes(block.begin(), block.begin() + 12),
              (Bytes{0x00, 0x6F, 0x00, 0x33, 0x00, 0x6B, 0x00, 0x69, 0x00, 0x1D, 0x00, 0x20}));
    auto r = decode_block(block, kCH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->key_shares, e.key_shares);
    EXPECT_FALSE(r->key_share_selected_group);
}

TEST(Tls13Extensions, ClientHelloMayOfferNoKeyShares) {
    // RFC 8446 4.2.8: an empty client_shares asks the server to choose a group.
    Extensions e;
    e.key_shares = std::vector<KeyShareEntry>{};
    const Bytes block = encode_block(e, kCH);
    EXPECT_EQ(block, (Bytes{0x00, 0x06, 0x00, 0x33, 0x00, 0x02, 0x00, 0x00}));
    auto r = decode_block(block, kCH);
    ASSERT_TRUE(r) << r.error().reason;
    ASSERT_TRUE(r->key_shares);
    EXPECT_TRUE(r->key_shares->empty());
}

TEST(Tls13Extensions, KeyShareOneEntryInServerHello) {
    Extensions e;
    e.key_shares = std::vector<KeyShareEntry>{{0x001D, {0x01, 0x02, 0x03}}};
    const Bytes block = encode_block(e, kSH);
    EXPECT_EQ(block, (Bytes{0x00, 0x0B, 0x00, 0x33, 0x00, 0x07, 0x00, 0x1D, 0x00, 0x03, 0x01, 0x02, 0x03}));
    auto r = decode_block(block, kSH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->key_shares, e.key_shares);

    e.key_shares->push_back({0x0017, {0x04}});  // a ServerHello carries exactly one
    EXPECT_FALSE(encodes(e, kSH));
    e.key_shares->clear();
    EXPECT_FALSE(encodes(e, kSH));
}

TEST(Tls13Extensions, KeyShareSelectedGroupInHelloRetryRequest) {
    Extensions e;
    e.key_share_selected_group = 0x0017;
    const Bytes block = encode_block(e, kHRR);
    EXPECT_EQ(block, (Bytes{0x00, 0x06, 0x00, 0x33, 0x00, 0x02, 0x00, 0x17}));
    auto r = decode_block(block, kHRR);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->key_share_selected_group, std::optional<uint16_t>(0x0017));
    EXPECT_FALSE(r->key_shares);

    // The group alone has no form in a ClientHello or ServerHello, nor a
    // share in a HelloRetryRequest.
    EXPECT_FALSE(encodes(e, kCH));
    EXPECT_FALSE(encodes(e, kSH));
    Extensions share;
    share.key_shares = std::vector<KeyShareEntry>{{0x0017, {0x04}}};
    EXPECT_FALSE(encodes(share, kHRR));
}

// conformance: RFC8446-4.2.8-3
TEST(Tls13Extensions, DuplicateKeyShareGroupIsForbidden) {
    const Bytes shares = {0x00, 0x0F,                    // client_shares, 15 bytes
                          0x00, 0x1D, 0x00, 0x01, 0xAA,  // x25519
                          0x00, 0x17, 0x00, 0x01, 0xBB,  // secp256r1
                          0x00, 0x1D, 0x00, 0x01, 0xCC}; // x25519 again
    expect_fault(decode_block(block_of({ext(51, shares)}), kCH), Fault::forbidden_value,
                 "Test: key_share offers a group twice");
}

TEST(Tls13Extensions, MalformedKeyShares) {
    const std::string reason = "Test: malformed extension key_share";
    // an empty key_exchange
    expect_fault(decode_block(block_of({ext(51, {0x00, 0x04, 0x00, 0x1D, 0x00, 0x00})}), kCH),
                 Fault::malformed_message, reason);
    // an entry cut short inside the list
    expect_fault(decode_block(block_of({ext(51, {0x00, 0x05, 0x00, 0x1D, 0x00, 0x02, 0xAA})}), kCH),
                 Fault::malformed_message, reason);
    // a ServerHello entry followed by another
    expect_fault(decode_block(block_of({ext(51, {0x00, 0x1D, 0x00, 0x01, 0xAA, 0x00, 0x17, 0x00, 0x01, 0xBB})}),
                              kSH),
                 Fault::malformed_message, reason);
    // a HelloRetryRequest group of three bytes
    expect_fault(decode_block(block_of({ext(51, {0x00, 0x17, 0x00})}), kHRR), Fault::malformed_message, reason);
}

// --- cookie, psk_key_exchange_modes, signature_algorithms_cert --------------------

TEST(Tls13Extensions, CookieInClientHelloAndHelloRetryRequest) {
    Extensions e;
    e.cookie = filled(40, 0xC0);
    for (ExtensionContext context : {kCH, kHRR}) {
        const Bytes block = encode_block(e, context);
        ASSERT_EQ(block.size(), 2u + 4 + 2 + 40);
        EXPECT_EQ(Bytes(block.begin(), block.begin() + 8), (Bytes{0x00, 0x2E, 0x00, 0x2C, 0x00, 0x2A, 0x00, 0x28}));
        auto r = decode_block(block, context);
        ASSERT_TRUE(r) << r.error().reason;
        EXPECT_EQ(r->cookie, e.cookie);
    }
    expect_fault(decode_block(block_of({ext(44, {0x00, 0x00})}), kCH), Fault::malformed_message,
                 "Test: malformed extension cookie");
}

TEST(Tls13Extensions, PskKeyExchangeModes) {
    Extensions e;
    e.psk_key_exchange_modes = std::vector<uint8_t>{1};  // psk_dhe_ke
    const Bytes block = encode_block(e, kCH);
    EXPECT_EQ(block, (Bytes{0x00, 0x06, 0x00, 0x2D, 0x00, 0x02, 0x01, 0x01}));
    auto r = decode_block(block, kCH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->psk_key_exchange_modes, e.psk_key_exchange_modes);
    expect_fault(decode_block(block_of({ext(45, {0x00})}), kCH), Fault::malformed_message,
                 "Test: malformed extension psk_key_exchange_modes");
}

TEST(Tls13Extensions, SignatureAlgorithmsCertInClientHelloAndCertificateRequest) {
    Extensions e;
    e.signature_algorithms_cert = std::vector<uint16_t>{0x0403, 0x0804};
    for (ExtensionContext context : {kCH, kCR}) {
        const Bytes block = encode_block(e, context);
        EXPECT_EQ(block, (Bytes{0x00, 0x0A, 0x00, 0x32, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04}));
        auto r = decode_block(block, context);
        ASSERT_TRUE(r) << r.error().reason;
        EXPECT_EQ(r->signature_algorithms_cert, e.signature_algorithms_cert);
    }
    expect_fault(decode_block(block_of({ext(50, {0x00, 0x00})}), kCR), Fault::malformed_message,
                 "Test: malformed extension signature_algorithms_cert");
}

// --- pre_shared_key ------------------------------------------------------------

TEST(Tls13Extensions, OfferedPsksRoundTripAndLayout) {
    Extensions e;
    e.offered_psks = two_psks();
    const Bytes block = encode_block(e, kCH);
    // identities: (2 + 16 + 4) + (2 + 3 + 4) = 31; binders: (1 + 32) + (1 + 48) = 82.
    ASSERT_EQ(block.size(), 2u + 4 + 2 + 31 + 2 + 82);
    EXPECT_EQ(Bytes(block.begin(), block.begin() + 10),
              (Bytes{0x00, 0x79, 0x00, 0x29, 0x00, 0x75, 0x00, 0x1F, 0x00, 0x10}));
    EXPECT_EQ(Bytes(block.begin() + 26, block.begin() + 30), (Bytes{0x01, 0x02, 0x03, 0x04}));  // ticket age
    auto r = decode_block(block, kCH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->offered_psks, e.offered_psks);
}

TEST(Tls13Extensions, SelectedIdentityInServerHello) {
    Extensions e;
    e.selected_psk_identity = 1;
    const Bytes block = encode_block(e, kSH);
    EXPECT_EQ(block, (Bytes{0x00, 0x06, 0x00, 0x29, 0x00, 0x02, 0x00, 0x01}));
    auto r = decode_block(block, kSH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->selected_psk_identity, std::optional<uint16_t>(1));
    EXPECT_FALSE(r->offered_psks);
    EXPECT_FALSE(encodes(e, kCH));
}

// conformance: RFC8446-4.2.11-15
TEST(Tls13Extensions, PreSharedKeyIsWrittenLast) {
    Extensions e;
    e.offered_psks = two_psks();
    e.server_name = "example.com";
    e.key_shares = std::vector<KeyShareEntry>{{0x001D, filled(32, 1)}};
    e.psk_key_exchange_modes = std::vector<uint8_t>{1};
    e.renegotiation_info = Bytes{};
    e.early_data = true;
    const Bytes block = encode_block(e, kCH);
    // The last extension: type 41 with a 0x75-byte body, ending the block.
    const size_t psk_start = block.size() - (4 + 0x75);
    EXPECT_EQ(Bytes(block.begin() + psk_start, block.begin() + psk_start + 4), (Bytes{0x00, 0x29, 0x00, 0x75}));
    auto r = decode_block(block, kCH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->offered_psks, e.offered_psks);
    EXPECT_TRUE(r->early_data);
}

Bytes offered_psks_body(size_t identities, size_t binders) {
    Bytes out;
    wire::Writer w(out);
    w.vec16([&] {
        for (size_t i = 0; i < identities; ++i) {
            w.vec16(Bytes{static_cast<uint8_t>(i + 1)});
            w.u32(0);
        }
    });
    w.vec16([&] {
        for (size_t i = 0; i < binders; ++i) w.vec8(filled(32, static_cast<uint8_t>(i)));
    });
    return out;
}

// conformance: RFC8446-4.2-4 RFC8446-4.2.11-16
TEST(Tls13Extensions, PreSharedKeyMustBeLastInClientHello) {
    const std::string reason = "Test: pre_shared_key is not the last extension";
    expect_fault(decode_block(block_of({ext(41, offered_psks_body(1, 1)), ext(23, {})}), kCH),
                 Fault::forbidden_value, reason);
    // followed by an extension we do not know: still not last
    expect_fault(decode_block(block_of({ext(41, offered_psks_body(1, 1)), ext(0x3A3A, {})}), kCH),
                 Fault::forbidden_value, reason);
    // anywhere in a ServerHello (RFC 8446 4.2)
    auto r = decode_block(block_of({ext(41, {0x00, 0x00}), ext(43, {0xFE, 0xFC})}), kSH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->selected_psk_identity, std::optional<uint16_t>(0));
}

TEST(Tls13Extensions, OneBinderPerIdentity) {
    const std::string reason = "Test: pre_shared_key has not one binder per identity";
    expect_fault(decode_block(block_of({ext(41, offered_psks_body(2, 1))}), kCH), Fault::forbidden_value, reason);
    expect_fault(decode_block(block_of({ext(41, offered_psks_body(1, 2))}), kCH), Fault::forbidden_value, reason);
    EXPECT_TRUE(decode_block(block_of({ext(41, offered_psks_body(3, 3))}), kCH));
}

TEST(Tls13Extensions, MalformedOfferedPsks) {
    const std::string reason = "Test: malformed extension pre_shared_key";
    // no identities, no binders
    expect_fault(decode_block(block_of({ext(41, {0x00, 0x00, 0x00, 0x00})}), kCH), Fault::malformed_message,
                 reason);
    // an empty identity
    Bytes empty_identity = {0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x20};
    const Bytes binder = filled(32, 7);
    empty_identity.insert(empty_identity.end(), binder.begin(), binder.end());
    expect_fault(decode_block(block_of({ext(41, empty_identity)}), kCH), Fault::malformed_message, reason);
    // a binder of 31 bytes (PskBinderEntry<32..255>)
    Bytes short_binder = {0x00, 0x07, 0x00, 0x01, 0x61, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x1F};
    const Bytes binder31 = filled(31, 7);
    short_binder.insert(short_binder.end(), binder31.begin(), binder31.end());
    expect_fault(decode_block(block_of({ext(41, short_binder)}), kCH), Fault::malformed_message, reason);
    // identities without binders
    expect_fault(decode_block(block_of({ext(41, {0x00, 0x07, 0x00, 0x01, 0x61, 0x00, 0x00, 0x00, 0x00})}), kCH),
                 Fault::malformed_message, reason);
}

// --- early_data ----------------------------------------------------------------

TEST(Tls13Extensions, EarlyDataIsEmptyInClientHelloAndEncryptedExtensions) {
    Extensions e;
    e.early_data = true;
    for (ExtensionContext context : {kCH, kEE}) {
        const Bytes block = encode_block(e, context);
        EXPECT_EQ(block, (Bytes{0x00, 0x04, 0x00, 0x2A, 0x00, 0x00}));
        auto r = decode_block(block, context);
        ASSERT_TRUE(r) << r.error().reason;
        EXPECT_TRUE(r->early_data);
        EXPECT_FALSE(r->max_early_data_size);
    }
    expect_fault(decode_block(block_of({ext(42, {0x00, 0x00, 0x04, 0x00})}), kEE), Fault::malformed_message,
                 "Test: malformed extension early_data");
    e.max_early_data_size = 1024;  // only a NewSessionTicket carries a size
    EXPECT_FALSE(encodes(e, kEE));
}

TEST(Tls13Extensions, EarlyDataCarriesMaxSizeInNewSessionTicket) {
    Extensions e;
    e.max_early_data_size = 0x400;
    const Bytes block = encode_block(e, kNST);
    EXPECT_EQ(block, (Bytes{0x00, 0x08, 0x00, 0x2A, 0x00, 0x04, 0x00, 0x00, 0x04, 0x00}));
    auto r = decode_block(block, kNST);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(r->early_data);
    EXPECT_EQ(r->max_early_data_size, std::optional<uint32_t>(0x400));
    expect_fault(decode_block(block_of({ext(42, {})}), kNST), Fault::malformed_message,
                 "Test: malformed extension early_data");
    Extensions flag_only;
    flag_only.early_data = true;
    EXPECT_FALSE(encodes(flag_only, kNST));
}

// --- EncryptedExtensions forms of the hello extensions ------------------------

TEST(Tls13Extensions, EncryptedExtensionsCarryServerNameAlpnAndGroups) {
    Extensions e;
    e.server_name = "";
    e.supported_groups = std::vector<uint16_t>{0x001D, 0x0017};
    e.alpn = std::vector<std::string>{"h2"};
    auto r = decode_block(encode_block(e, kEE), kEE);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->server_name, std::optional<std::string>(""));
    EXPECT_EQ(r->supported_groups, e.supported_groups);
    EXPECT_EQ(r->alpn, e.alpn);

    // An EncryptedExtensions server_name is empty (RFC 6066 3).
    const Bytes named = {0x00, 0x06, 0x00, 0x00, 0x03, 'a', '.', 'b'};
    expect_fault(decode_block(block_of({ext(0, named)}), kEE), Fault::malformed_message,
                 "Test: malformed extension server_name");
    e.server_name = "a.b";
    EXPECT_FALSE(encodes(e, kEE));
}

// --- which message allows which extension (RFC 8446 4.2) ------------------------

// conformance: RFC8446-4.2-3
TEST(Tls13Extensions, KnownExtensionInTheWrongMessageIsForbidden) {
    struct Case {
        ExtensionContext context;
        Bytes extension;
        const char* name;
    };
    const Case cases[] = {
        {kEE, ext(23, {}), "extended_master_secret"},
        {kEE, ext(51, {0x00, 0x17}), "key_share"},
        {kEE, ext(13, {0x00, 0x02, 0x04, 0x03}), "signature_algorithms"},
        {kSH, ext(44, {0x00, 0x01, 0x01}), "cookie"},
        {kSH, ext(45, {0x01, 0x01}), "psk_key_exchange_modes"},
        {kSH, ext(42, {}), "early_data"},
        {kHRR, ext(41, {0x00, 0x00}), "pre_shared_key"},
        {kHRR, ext(0, {}), "server_name"},
        {kCR, ext(10, {0x00, 0x02, 0x00, 0x17}), "supported_groups"},
        {kCT, ext(13, {0x00, 0x02, 0x04, 0x03}), "signature_algorithms"},
        {kNST, ext(43, {0xFE, 0xFC}), "supported_versions"},
    };
    for (const Case& c : cases) {
        expect_fault(decode_block(block_of({c.extension}), c.context), Fault::forbidden_value,
                     std::string("Test: extension ") + c.name + " is not allowed in this message");
    }
    Extensions e;
    e.extended_master_secret = true;
    EXPECT_FALSE(encodes(e, kEE));
    EXPECT_TRUE(encodes(e, kSH));  // a DTLS 1.2 ServerHello
}

TEST(Tls13Extensions, UnknownExtensionsAreListedInEveryMessage) {
    // status_request (5) and signed_certificate_timestamp (18) may ride on a
    // CertificateEntry; we read neither.
    auto r = decode_block(block_of({ext(5, {0x01, 0x02}), ext(18, {0x03})}), kCT);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->unknown, (std::vector<uint16_t>{5, 18}));
    // duplicates stay forbidden, known or not
    expect_fault(decode_block(block_of({ext(5, {}), ext(5, {})}), kCT), Fault::forbidden_value,
                 "Test: duplicate extension 5");
}

TEST(Tls13Extensions, TheBlockIsMandatoryOutsideTheHellos) {
    for (ExtensionContext context : {kEE, kCR, kCT, kNST}) {
        expect_fault(decode_block({}, context), Fault::malformed_message, "Test: truncated extensions");
        EXPECT_EQ(encode_block(Extensions{}, context), (Bytes{0x00, 0x00}));
        auto r = decode_block({0x00, 0x00}, context);
        EXPECT_TRUE(r);
    }
    for (ExtensionContext context : {kCH, kSH, kHRR}) {
        EXPECT_TRUE(decode_block({}, context));
        EXPECT_TRUE(encode_block(Extensions{}, context).empty());
    }
}

// --- binders_offset --------------------------------------------------------------

ClientHello hello_offering_psks() {
    ClientHello m;
    m.cipher_suites = {0x1301};
    m.extensions.supported_versions = std::vector<uint16_t>{kDtls13};
    m.extensions.key_shares = std::vector<KeyShareEntry>{{0x001D, filled(32, 5)}};
    m.extensions.psk_key_exchange_modes = std::vector<uint8_t>{1};
    m.extensions.offered_psks = two_psks();
    return m;
}

TEST(Tls13Extensions, BindersOffsetPointsAtTheBindersList) {
    const ClientHello m = hello_offering_psks();
    const Bytes body = *encoded(m);
    const std::optional<size_t> offset = binders_offset(body);
    ASSERT_TRUE(offset);
    // binders: 2-byte length, then (1 + 32) + (1 + 48) bytes, to the end.
    ASSERT_EQ(*offset, body.size() - 2 - 82);
    EXPECT_EQ(body[*offset], 0x00);
    EXPECT_EQ(body[*offset + 1], 82);
    EXPECT_EQ(body[*offset + 2], 32);

    // What the binders cover does not depend on their values.
    ClientHello other = m;
    other.extensions.offered_psks->binders = {filled(32, 0xEE), filled(48, 0xEF)};
    const Bytes other_body = *encoded(other);
    EXPECT_EQ(binders_offset(other_body), offset);
    EXPECT_TRUE(std::equal(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(*offset), other_body.begin()));

    auto decoded = decode_client_hello(body);
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->extensions.offered_psks, m.extensions.offered_psks);
}

TEST(Tls13Extensions, BindersOffsetOfHellosWithoutUsableBinders) {
    ClientHello m = hello_offering_psks();
    Bytes body = *encoded(m);
    body.pop_back();
    EXPECT_FALSE(binders_offset(body));  // cut short
    body = *encoded(m);
    body.push_back(0);
    EXPECT_FALSE(binders_offset(body));  // trailing byte

    m.extensions.offered_psks.reset();
    EXPECT_FALSE(binders_offset(*encoded(m)));  // no pre_shared_key

    // pre_shared_key followed by another extension
    ClientHello bare;
    bare.cipher_suites = {0x1301};
    Bytes not_last = *encoded(bare);
    const Bytes block = block_of({ext(41, offered_psks_body(1, 1)), ext(23, {})});
    not_last.insert(not_last.end(), block.begin(), block.end());
    EXPECT_FALSE(binders_offset(not_last));
    EXPECT_FALSE(binders_offset(Bytes{}));
}

// --- client_certificate_type, server_certificate_type (RFC 7250 4.1) -----------

TEST(CertificateTypeExtensions, ClientHelloListsTypesInPreferenceOrder) {
    Extensions e;
    e.client_certificate_types = std::vector<uint8_t>{kCertificateTypeRawPublicKey, kCertificateTypeX509};
    e.server_certificate_types = std::vector<uint8_t>{kCertificateTypeRawPublicKey};
    const Bytes block = encode_block(e, kCH);
    EXPECT_EQ(block, (Bytes{0x00, 0x0D,                                // block length 13
                            0x00, 0x13, 0x00, 0x03, 0x02, 0x02, 0x00,  // client_certificate_type: [2, 0]
                            0x00, 0x14, 0x00, 0x02, 0x01, 0x02}));     // server_certificate_type: [2]
    auto r = decode_block(block, kCH);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->client_certificate_types, e.client_certificate_types);
    EXPECT_EQ(r->server_certificate_types, e.server_certificate_types);
}

TEST(CertificateTypeExtensions, AnswerIsOneBareTypeInServerHelloAndEncryptedExtensions) {
    Extensions e;
    e.client_certificate_types = std::vector<uint8_t>{kCertificateTypeX509};
    e.server_certificate_types = std::vector<uint8_t>{kCertificateTypeRawPublicKey};
    for (ExtensionContext context : {kSH, kEE}) {
        const Bytes block = encode_block(e, context);
        EXPECT_EQ(block, (Bytes{0x00, 0x0A, 0x00, 0x13, 0x00, 0x01, 0x00, 0x00, 0x14, 0x00, 0x01, 0x02}));
        auto r = decode_block(block, context);
        ASSERT_TRUE(r) << r.error().reason;
        EXPECT_EQ(r->client_certificate_types, e.client_certificate_types);
        EXPECT_EQ(r->server_certificate_types, e.server_certificate_types);
    }
}

TEST(CertificateTypeExtensions, UnencodableValuesFailTheWriter) {
    Extensions two;
    two.server_certificate_types = std::vector<uint8_t>{kCertificateTypeRawPublicKey, kCertificateTypeX509};
    EXPECT_TRUE(encodes(two, kCH));
    EXPECT_FALSE(encodes(two, kSH));  // an answer names one type
    EXPECT_FALSE(encodes(two, kEE));
    Extensions none;
    none.client_certificate_types = std::vector<uint8_t>{};
    EXPECT_FALSE(encodes(none, kCH));  // the list is <1..2^8-1>
}

TEST(CertificateTypeExtensions, MalformedBodies) {
    for (uint16_t type : {uint16_t{19}, uint16_t{20}}) {
        const std::string reason = std::string("Test: malformed extension ") +
                                   (type == 19 ? "client_certificate_type" : "server_certificate_type");
        expect_fault(decode_block(block_of({ext(type, {0x00})}), kCH), Fault::malformed_message, reason);  // empty
        expect_fault(decode_block(block_of({ext(type, {0x02, 0x02})}), kCH), Fault::malformed_message,
                     reason);  // list shorter than its length
        expect_fault(decode_block(block_of({ext(type, {})}), kSH), Fault::malformed_message, reason);  // no type
        expect_fault(decode_block(block_of({ext(type, {0x01, 0x02})}), kEE), Fault::malformed_message,
                     reason);  // a list where one type belongs
    }
}

TEST(CertificateTypeExtensions, OnlyInHellosAndEncryptedExtensions) {
    for (ExtensionContext context : {kHRR, kCR, kCT, kNST}) {
        expect_fault(decode_block(block_of({ext(19, {0x02})}), context), Fault::forbidden_value,
                     "Test: extension client_certificate_type is not allowed in this message");
        expect_fault(decode_block(block_of({ext(20, {0x02})}), context), Fault::forbidden_value,
                     "Test: extension server_certificate_type is not allowed in this message");
    }
}

}  // namespace
}  // namespace dtls::messages
