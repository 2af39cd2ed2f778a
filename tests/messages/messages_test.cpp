// Handshake message codecs: every message survives a round trip with
// realistic contents, encodes to the RFC layout, and every malformed or
// forbidden form listed in the spec is rejected with the right alert.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "messages/messages.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {
namespace {

template <class M>
Bytes encode_body(const M& message) {
    Bytes out;
    wire::Writer w(out);
    EXPECT_TRUE(encode(message, w));
    EXPECT_TRUE(w.ok());
    return out;
}

Bytes pattern(size_t n, uint8_t seed) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + 7 * i);
    return b;
}

Random random_from(uint8_t seed) {
    Random r;
    Bytes b = pattern(r.size(), seed);
    std::copy(b.begin(), b.end(), r.begin());
    return r;
}

void expect_rejected(const Error& e, Alert alert, const std::string& reason) {
    EXPECT_EQ(e.code, ErrorCode::alert_sent);
    EXPECT_EQ(e.alert, alert);
    EXPECT_EQ(e.reason, reason);
}

// A browser-like DTLS ClientHello, second attempt (with cookie).
ClientHello realistic_client_hello() {
    ClientHello m;
    m.random = random_from(1);
    m.cookie = pattern(32, 2);
    m.cipher_suites = {0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0x00FF};
    m.compression_methods = {0};
    m.extensions.server_name = "media.example.com";
    m.extensions.supported_groups = {0x001D, 0x0017, 0x0018};
    m.extensions.ec_point_formats = {0};
    m.extensions.signature_algorithms = {0x0403, 0x0804, 0x0401, 0x0503};
    m.extensions.alpn = {"webrtc", "c-webrtc"};
    m.extensions.extended_master_secret = true;
    m.extensions.renegotiation_info = Bytes{};
    return m;
}

ServerHello realistic_server_hello() {
    ServerHello m;
    m.random = random_from(3);
    m.session_id = pattern(32, 4);
    m.cipher_suite = 0xC02B;
    m.extensions.server_name = "";
    m.extensions.ec_point_formats = {0};
    m.extensions.alpn = {"webrtc"};
    m.extensions.extended_master_secret = true;
    m.extensions.renegotiation_info = Bytes{};
    return m;
}

void expect_same_extensions(const Extensions& a, const Extensions& b) {
    EXPECT_EQ(a.server_name, b.server_name);
    EXPECT_EQ(a.supported_groups, b.supported_groups);
    EXPECT_EQ(a.ec_point_formats, b.ec_point_formats);
    EXPECT_EQ(a.signature_algorithms, b.signature_algorithms);
    EXPECT_EQ(a.alpn, b.alpn);
    EXPECT_EQ(a.extended_master_secret, b.extended_master_secret);
    EXPECT_EQ(a.renegotiation_info, b.renegotiation_info);
    EXPECT_EQ(a.unknown, b.unknown);
}

// --- round trips -------------------------------------------------------------

TEST(HandshakeMessages, ClientHelloRoundTrip) {
    const ClientHello m = realistic_client_hello();
    auto decoded = decode_client_hello(encode_body(m));
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->version, kDtls12);
    EXPECT_EQ(decoded->random, m.random);
    EXPECT_EQ(decoded->session_id, m.session_id);
    EXPECT_EQ(decoded->cookie, m.cookie);
    EXPECT_EQ(decoded->cipher_suites, m.cipher_suites);
    EXPECT_EQ(decoded->compression_methods, m.compression_methods);
    expect_same_extensions(decoded->extensions, m.extensions);
}

TEST(HandshakeMessages, ClientHelloWithoutExtensionsHasNoBlock) {
    ClientHello m;
    m.random = random_from(5);
    m.cipher_suites = {0xC02B};
    const Bytes body = encode_body(m);
    // version, random, empty session_id, empty cookie, one suite, one method.
    EXPECT_EQ(body.size(), 2u + 32 + 1 + 1 + 2 + 2 + 1 + 1);
    auto decoded = decode_client_hello(body);
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->cipher_suites, m.cipher_suites);
    expect_same_extensions(decoded->extensions, Extensions{});
}

TEST(HandshakeMessages, ClientHelloEncodesRfcLayout) {
    ClientHello m;
    m.random = random_from(0);
    m.session_id = {0xAA};
    m.cookie = {0xC1, 0xC2};
    m.cipher_suites = {0xC02B};
    m.extensions.extended_master_secret = true;
    Bytes expected = {0xFE, 0xFD};
    expected.insert(expected.end(), m.random.begin(), m.random.end());
    const Bytes tail = {0x01, 0xAA,              // session_id
                        0x02, 0xC1, 0xC2,        // cookie
                        0x00, 0x02, 0xC0, 0x2B,  // cipher_suites
                        0x01, 0x00,              // compression_methods
                        0x00, 0x04, 0x00, 0x17, 0x00, 0x00};  // extensions: EMS, empty
    expected.insert(expected.end(), tail.begin(), tail.end());
    EXPECT_EQ(encode_body(m), expected);
}

TEST(HandshakeMessages, ServerHelloRoundTrip) {
    const ServerHello m = realistic_server_hello();
    auto decoded = decode_server_hello(encode_body(m));
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->version, m.version);
    EXPECT_EQ(decoded->random, m.random);
    EXPECT_EQ(decoded->session_id, m.session_id);
    EXPECT_EQ(decoded->cipher_suite, m.cipher_suite);
    EXPECT_EQ(decoded->compression_method, 0);
    expect_same_extensions(decoded->extensions, m.extensions);
}

TEST(HandshakeMessages, HelloVerifyRequestRoundTripAndLayout) {
    HelloVerifyRequest m;
    m.version = kDtls10;  // what servers send for compatibility (RFC 6347 4.2.1)
    m.cookie = pattern(20, 9);
    const Bytes body = encode_body(m);
    ASSERT_EQ(body.size(), 2u + 1 + 20);
    EXPECT_EQ(body[0], 0xFE);
    EXPECT_EQ(body[1], 0xFF);
    EXPECT_EQ(body[2], 20);
    auto decoded = decode_hello_verify_request(body);
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->version, kDtls10);
    EXPECT_EQ(decoded->cookie, m.cookie);
}

TEST(HandshakeMessages, CertificateRoundTrip) {
    Certificate m;
    m.chain = {pattern(612, 10), pattern(880, 11)};
    const Bytes body = encode_body(m);
    EXPECT_EQ(body.size(), 3u + 3 + 612 + 3 + 880);
    auto decoded = decode_certificate(body);
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->chain, m.chain);

    // A client with no certificate sends an empty list.
    auto empty = decode_certificate(encode_body(Certificate{}));
    ASSERT_TRUE(empty) << empty.error().reason;
    EXPECT_TRUE(empty->chain.empty());
}

// RFC 7250 3: with raw public keys agreed, the DTLS 1.2 Certificate is one
// SubjectPublicKeyInfo<1..2^24-1>, not a list of certificates.
TEST(HandshakeMessages, RawPublicKeyCertificateRoundTrip) {
    Certificate m{{pattern(91, 12)}, true};
    const Bytes body = encode_body(m);
    EXPECT_EQ(body.size(), 3u + 91);
    auto decoded = decode_raw_public_key_certificate(body);
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->chain, m.chain);
    EXPECT_TRUE(decoded->raw_public_key);

    Bytes trailing = body;
    trailing.push_back(0);
    EXPECT_FALSE(decode_raw_public_key_certificate(trailing));
    EXPECT_FALSE(decode_raw_public_key_certificate(Bytes{0, 0}));  // truncated length
    Bytes two = m.chain.front();
    m.chain.push_back(two);
    Bytes out;
    wire::Writer w(out);
    EXPECT_FALSE(encode(m, w));  // two keys have no encoding
}

ServerKeyExchange realistic_server_key_exchange() {
    ServerKeyExchange m;
    m.group = 0x0017;                  // secp256r1
    m.public_key = pattern(65, 0x04);  // uncompressed point
    m.signature_scheme = 0x0403;
    m.signature = pattern(71, 12);
    return m;
}

TEST(HandshakeMessages, ServerKeyExchangeRoundTrip) {
    const ServerKeyExchange m = realistic_server_key_exchange();
    const Bytes body = encode_body(m);
    EXPECT_EQ(body[0], 3);  // named_curve
    auto decoded = decode_server_key_exchange(body);
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->group, m.group);
    EXPECT_EQ(decoded->public_key, m.public_key);
    EXPECT_EQ(decoded->signature_scheme, m.signature_scheme);
    EXPECT_EQ(decoded->signature, m.signature);
}

TEST(HandshakeMessages, ServerKeyExchangeSignedDataIsRandomsThenParams) {
    const ServerKeyExchange m = realistic_server_key_exchange();
    const Random client = random_from(20);
    const Random server = random_from(40);
    Bytes expected(client.begin(), client.end());
    expected.insert(expected.end(), server.begin(), server.end());
    expected.insert(expected.end(), {3, 0x00, 0x17, 65});
    expected.insert(expected.end(), m.public_key.begin(), m.public_key.end());
    EXPECT_EQ(*server_key_exchange_signed_data(client, server, m), expected);
}

TEST(HandshakeMessages, CertificateRequestRoundTrip) {
    CertificateRequest m;
    m.certificate_types = {64, 1};
    m.signature_schemes = {0x0403, 0x0804, 0x0401};
    m.authorities = {pattern(40, 13), pattern(55, 14)};
    auto decoded = decode_certificate_request(encode_body(m));
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->certificate_types, m.certificate_types);
    EXPECT_EQ(decoded->signature_schemes, m.signature_schemes);
    EXPECT_EQ(decoded->authorities, m.authorities);
}

TEST(HandshakeMessages, ServerHelloDoneIsEmpty) {
    EXPECT_TRUE(encode_body(ServerHelloDone{}).empty());
    EXPECT_TRUE(decode_server_hello_done({}));
}

TEST(HandshakeMessages, CertificateVerifyRoundTrip) {
    CertificateVerify m{0x0403, pattern(72, 15)};
    auto decoded = decode_certificate_verify(encode_body(m));
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->signature_scheme, m.signature_scheme);
    EXPECT_EQ(decoded->signature, m.signature);
}

TEST(HandshakeMessages, ClientKeyExchangeRoundTrip) {
    ClientKeyExchange m{pattern(32, 16)};  // an X25519 share
    const Bytes body = encode_body(m);
    EXPECT_EQ(body.size(), 33u);
    auto decoded = decode_client_key_exchange(body);
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->public_key, m.public_key);
}

TEST(HandshakeMessages, FinishedRoundTrip) {
    Finished m{pattern(12, 17)};
    const Bytes body = encode_body(m);
    EXPECT_EQ(body, m.verify_data);  // no length prefix
    auto decoded = decode_finished(body);
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->verify_data, m.verify_data);
}

TEST(HandshakeMessages, TypeNames) {
    EXPECT_STREQ(to_string(HandshakeType::client_hello), "ClientHello");
    EXPECT_STREQ(to_string(HandshakeType::server_hello_done), "ServerHelloDone");
    EXPECT_STREQ(to_string(static_cast<HandshakeType>(99)), "unknown handshake message");
}

// --- generic rejections: one valid encoding of every message -----------------

using Decoder = std::function<std::optional<Error>(std::span<const uint8_t>)>;

// The DTLS 1.2 Finished decoder, picked out of its overload set (the DTLS
// 1.3 one also takes the verify_data length).
Result<Finished> decode_dtls12_finished(std::span<const uint8_t> body) { return decode_finished(body); }

template <class M, class Decode>
Decoder as_decoder(Decode decode) {
    return [decode](std::span<const uint8_t> body) -> std::optional<Error> {
        Result<M> r = decode(body);
        if (r) return std::nullopt;
        return r.error();
    };
}

struct Sample {
    std::string name;
    Bytes body;
    Decoder decode;
    // Prefixes that are themselves valid (a hello without its extensions).
    std::optional<size_t> valid_prefix;
};

std::vector<Sample> samples() {
    ClientHello ch = realistic_client_hello();
    ClientHello ch_bare = ch;
    ch_bare.extensions = {};
    ServerHello sh = realistic_server_hello();
    ServerHello sh_bare = sh;
    sh_bare.extensions = {};
    CertificateRequest cr{{64}, {0x0403}, {pattern(30, 1)}};
    return {
        {"ClientHello", encode_body(ch), as_decoder<ClientHello>(decode_client_hello), encode_body(ch_bare).size()},
        {"ServerHello", encode_body(sh), as_decoder<ServerHello>(decode_server_hello), encode_body(sh_bare).size()},
        {"HelloVerifyRequest", encode_body(HelloVerifyRequest{kDtls12, pattern(32, 1)}),
         as_decoder<HelloVerifyRequest>(decode_hello_verify_request), std::nullopt},
        {"Certificate", encode_body(Certificate{{pattern(300, 1)}}), as_decoder<Certificate>(decode_certificate),
         std::nullopt},
        {"ServerKeyExchange", encode_body(realistic_server_key_exchange()),
         as_decoder<ServerKeyExchange>(decode_server_key_exchange), std::nullopt},
        {"CertificateRequest", encode_body(cr), as_decoder<CertificateRequest>(decode_certificate_request),
         std::nullopt},
        {"ServerHelloDone", {}, as_decoder<ServerHelloDone>(decode_server_hello_done), std::nullopt},
        {"CertificateVerify", encode_body(CertificateVerify{0x0403, pattern(70, 1)}),
         as_decoder<CertificateVerify>(decode_certificate_verify), std::nullopt},
        {"ClientKeyExchange", encode_body(ClientKeyExchange{pattern(65, 1)}),
         as_decoder<ClientKeyExchange>(decode_client_key_exchange), std::nullopt},
        {"Finished", encode_body(Finished{pattern(12, 1)}), as_decoder<Finished>(decode_dtls12_finished), std::nullopt},
    };
}

TEST(HandshakeMessages, EverySampleDecodes) {
    for (const Sample& s : samples()) {
        EXPECT_EQ(s.decode(s.body), std::nullopt) << s.name;
    }
}

TEST(HandshakeMessages, TrailingByteIsRejected) {
    for (const Sample& s : samples()) {
        Bytes body = s.body;
        body.push_back(0);
        std::optional<Error> e = s.decode(body);
        ASSERT_TRUE(e) << s.name;
        expect_rejected(*e, Alert::decode_error, s.name + ": trailing bytes");
    }
}

TEST(HandshakeMessages, EveryTruncationIsRejected) {
    for (const Sample& s : samples()) {
        for (size_t n = 0; n < s.body.size(); ++n) {
            if (n == s.valid_prefix) continue;
            std::optional<Error> e = s.decode(std::span(s.body).first(n));
            ASSERT_TRUE(e) << s.name << " cut at " << n;
            EXPECT_EQ(e->alert, Alert::decode_error) << s.name << " cut at " << n;
            EXPECT_EQ(e->code, ErrorCode::alert_sent);
            EXPECT_EQ(e->reason.rfind(s.name + ": ", 0), 0u) << e->reason;
        }
    }
}

// --- specific malformed fields ---------------------------------------------------

// A ClientHello assembled from raw field encodings, so one field at a time
// can be made malformed.
struct RawClientHello {
    Bytes session_id = {0};
    Bytes cookie = {0};
    Bytes cipher_suites = {0x00, 0x02, 0xC0, 0x2B};
    Bytes compression_methods = {0x01, 0x00};
    Bytes extensions;

    Bytes build() const {
        Bytes out = {0xFE, 0xFD};
        out.resize(2 + 32, 0x5A);
        for (const Bytes* field : {&session_id, &cookie, &cipher_suites, &compression_methods, &extensions}) {
            out.insert(out.end(), field->begin(), field->end());
        }
        return out;
    }
};

TEST(HandshakeMessages, RawClientHelloBaselineDecodes) {
    auto decoded = decode_client_hello(RawClientHello{}.build());
    ASSERT_TRUE(decoded) << decoded.error().reason;
    EXPECT_EQ(decoded->cipher_suites, std::vector<uint16_t>{0xC02B});
}

TEST(HandshakeMessages, ClientHelloEmptyCipherSuitesRejected) {
    RawClientHello raw;
    raw.cipher_suites = {0x00, 0x00};
    auto r = decode_client_hello(raw.build());
    ASSERT_FALSE(r);
    expect_rejected(r.error(), Alert::decode_error, "ClientHello: bad cipher_suites");
}

TEST(HandshakeMessages, ClientHelloOddLengthCipherSuitesRejected) {
    RawClientHello raw;
    raw.cipher_suites = {0x00, 0x03, 0xC0, 0x2B, 0xC0};
    auto r = decode_client_hello(raw.build());
    ASSERT_FALSE(r);
    expect_rejected(r.error(), Alert::decode_error, "ClientHello: bad cipher_suites");
}

TEST(HandshakeMessages, ClientHelloEmptyCompressionMethodsRejected) {
    RawClientHello raw;
    raw.compression_methods = {0x00};
    auto r = decode_client_hello(raw.build());
    ASSERT_FALSE(r);
    expect_rejected(r.error(), Alert::decode_error, "ClientHello: bad compression_methods");
}

TEST(HandshakeMessages, ClientHelloLongSessionIdRejected) {
    RawClientHello raw;
    raw.session_id = Bytes(34, 0x11);
    raw.session_id[0] = 33;
    auto r = decode_client_hello(raw.build());
    ASSERT_FALSE(r);
    expect_rejected(r.error(), Alert::decode_error, "ClientHello: bad session_id");
}

TEST(HandshakeMessages, ClientHelloCookieLongerThanBodyRejected) {
    RawClientHello raw;
    raw.cookie = {0xFF, 1, 2, 3};
    auto r = decode_client_hello(raw.build());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().alert, Alert::decode_error);
}

// conformance: RFC8446-4.1.2-17
TEST(HandshakeMessages, ClientHelloExtensionsLengthPastEndRejected) {
    RawClientHello raw;
    raw.extensions = {0x00, 0x08, 0x00, 0x17, 0x00, 0x00};
    auto r = decode_client_hello(raw.build());
    ASSERT_FALSE(r);
    expect_rejected(r.error(), Alert::decode_error, "ClientHello: truncated extensions");
}

TEST(HandshakeMessages, ServerHelloDoneWithBodyRejected) {
    const Bytes body = {0x00};
    auto r = decode_server_hello_done(body);
    ASSERT_FALSE(r);
    expect_rejected(r.error(), Alert::decode_error, "ServerHelloDone: trailing bytes");
}

TEST(HandshakeMessages, FinishedOfWrongLengthRejected) {
    for (size_t n : {0, 1, 11, 13, 32}) {
        auto r = decode_finished(Bytes(n, 0x42));
        ASSERT_FALSE(r) << n;
        EXPECT_EQ(r.error().alert, Alert::decode_error) << n;
        EXPECT_EQ(r.error().code, ErrorCode::alert_sent);
    }
}

TEST(HandshakeMessages, ServerKeyExchangeOtherCurveTypesAreIllegal) {
    for (uint8_t curve_type : {0, 1, 2, 4, 255}) {
        Bytes body = encode_body(realistic_server_key_exchange());
        body[0] = curve_type;
        auto r = decode_server_key_exchange(body);
        ASSERT_FALSE(r);
        expect_rejected(r.error(), Alert::illegal_parameter, "ServerKeyExchange: curve_type is not named_curve");
    }
}

TEST(HandshakeMessages, EmptyPublicPointsRejected) {
    ServerKeyExchange ske = realistic_server_key_exchange();
    ske.public_key.clear();
    auto r1 = decode_server_key_exchange(encode_body(ske));
    ASSERT_FALSE(r1);
    expect_rejected(r1.error(), Alert::decode_error, "ServerKeyExchange: bad public point");

    auto r2 = decode_client_key_exchange(Bytes{0x00});
    ASSERT_FALSE(r2);
    expect_rejected(r2.error(), Alert::decode_error, "ClientKeyExchange: bad public point");
}

TEST(HandshakeMessages, EmptyCertificateInListRejected) {
    // certificate_list of 3 bytes holding one ASN.1Cert of length 0.
    const Bytes body = {0x00, 0x00, 0x03, 0x00, 0x00, 0x00};
    auto r = decode_certificate(body);
    ASSERT_FALSE(r);
    expect_rejected(r.error(), Alert::decode_error, "Certificate: bad certificate_list");
}

TEST(HandshakeMessages, CertificateRequestEmptyListsRejected) {
    const CertificateRequest valid{{64}, {0x0403}, {}};
    ASSERT_TRUE(decode_certificate_request(encode_body(valid)));

    CertificateRequest no_types = valid;
    no_types.certificate_types.clear();
    auto r1 = decode_certificate_request(encode_body(no_types));
    ASSERT_FALSE(r1);
    expect_rejected(r1.error(), Alert::decode_error, "CertificateRequest: bad certificate_types");

    CertificateRequest no_schemes = valid;
    no_schemes.signature_schemes.clear();
    auto r2 = decode_certificate_request(encode_body(no_schemes));
    ASSERT_FALSE(r2);
    expect_rejected(r2.error(), Alert::decode_error, "CertificateRequest: bad supported_signature_algorithms");

    CertificateRequest empty_name = valid;
    empty_name.authorities = {Bytes{}};
    auto r3 = decode_certificate_request(encode_body(empty_name));
    ASSERT_FALSE(r3);
    expect_rejected(r3.error(), Alert::decode_error, "CertificateRequest: bad certificate_authorities");
}

TEST(HandshakeMessages, EncodingAnOverlongFieldFailsTheWriter) {
    HelloVerifyRequest m;
    m.cookie = Bytes(256, 1);
    Bytes out;
    wire::Writer w(out);
    EXPECT_FALSE(encode(m, w));
    EXPECT_FALSE(w.ok());
    EXPECT_FALSE(encoded(m).ok());
}

}  // namespace
}  // namespace dtls::messages
