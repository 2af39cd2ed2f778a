// The DTLS 1.3 message codecs (RFC 8446 4.3.1, 4.3.2, 4.4.2, 4.4.4, 4.6.1,
// 4.6.3): round trips, exact layouts, every truncation and a trailing byte
// rejected, and the values the RFC forbids.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "codec_testing.hpp"
#include "messages/messages.hpp"
#include "messages/tls13_messages.hpp"

namespace dtls::messages {
namespace {

using testing::block_of;
using testing::encode_body;
using testing::expect_fault;
using testing::ext;

Bytes filled(size_t n, uint8_t value) { return Bytes(n, value); }

// Every strict prefix of a valid body, and the body with one byte more, must
// be refused as malformed.
template <class Message>
void expect_cuts_and_trailing_bytes_rejected(const Bytes& body,
                                             const std::function<Result<Message>(std::span<const uint8_t>)>& decode,
                                             const std::string& name) {
    ASSERT_TRUE(decode(body)) << name;
    for (size_t n = 0; n < body.size(); ++n) {
        auto r = decode(std::span<const uint8_t>(body.data(), n));
        ASSERT_FALSE(r) << name << " cut to " << n << " bytes";
        EXPECT_EQ(r.error().fault, Fault::malformed_message) << name << " cut to " << n << ": " << r.error().reason;
    }
    Bytes longer = body;
    longer.push_back(0);
    expect_fault(decode(longer), Fault::malformed_message, name + ": trailing bytes");
}

// --- EncryptedExtensions ------------------------------------------------------

TEST(Tls13Messages, EncryptedExtensionsRoundTrip) {
    EncryptedExtensions m;
    m.extensions.server_name = "";
    m.extensions.supported_groups = std::vector<uint16_t>{0x001D};
    m.extensions.alpn = std::vector<std::string>{"webrtc"};
    m.extensions.early_data = true;
    const Bytes body = encode_body(m);
    auto r = decode_encrypted_extensions(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->extensions.server_name, m.extensions.server_name);
    EXPECT_EQ(r->extensions.supported_groups, m.extensions.supported_groups);
    EXPECT_EQ(r->extensions.alpn, m.extensions.alpn);
    EXPECT_TRUE(r->extensions.early_data);
    expect_cuts_and_trailing_bytes_rejected<EncryptedExtensions>(body, decode_encrypted_extensions,
                                                                 "EncryptedExtensions");
}

TEST(Tls13Messages, EncryptedExtensionsAlwaysHasABlock) {
    EXPECT_EQ(encode_body(EncryptedExtensions{}), (Bytes{0x00, 0x00}));
    EXPECT_TRUE(decode_encrypted_extensions(Bytes{0x00, 0x00}));
    expect_fault(decode_encrypted_extensions(Bytes{}), Fault::malformed_message,
                 "EncryptedExtensions: truncated extensions");
}

TEST(Tls13Messages, EncryptedExtensionsAlpnNamesOneProtocol) {
    const Bytes two_names = {0x00, 0x08, 0x02, 'h', '2', 0x04, 'h', 't', 't', 'p'};
    expect_fault(decode_encrypted_extensions(block_of({ext(16, two_names)})), Fault::malformed_message,
                 "EncryptedExtensions: ALPN must name one protocol");
}

// conformance: RFC8446-4.3.1-2
TEST(Tls13Messages, EncryptedExtensionsRefuseHelloOnlyExtensions) {
    expect_fault(decode_encrypted_extensions(block_of({ext(43, {0xFE, 0xFC})})), Fault::forbidden_value,
                 "EncryptedExtensions: extension supported_versions is not allowed in this message");
}

// --- Certificate --------------------------------------------------------------

TEST(Tls13Messages, CertificateLayout) {
    Certificate13 m;
    m.request_context = {0xC7};
    m.entries.push_back({{0x30, 0x01}, {}});
    EXPECT_EQ(encode_body(m), (Bytes{0x01, 0xC7,                    // certificate_request_context
                                     0x00, 0x00, 0x07,              // certificate_list
                                     0x00, 0x00, 0x02, 0x30, 0x01,  // cert_data
                                     0x00, 0x00}));                 // extensions
}

TEST(Tls13Messages, CertificateRoundTrip) {
    Certificate13 m;
    m.entries.push_back({filled(300, 0x30), {}});
    m.entries.push_back({filled(1, 0x31), {}});
    const Bytes body = encode_body(m);
    auto r = decode_certificate13(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(r->request_context.empty());
    ASSERT_EQ(r->entries.size(), 2u);
    EXPECT_EQ(r->entries[0].cert_data, m.entries[0].cert_data);
    EXPECT_EQ(r->entries[1].cert_data, m.entries[1].cert_data);
    expect_cuts_and_trailing_bytes_rejected<Certificate13>(body, decode_certificate13, "Certificate");
}

TEST(Tls13Messages, CertificateWithoutEntries) {
    // A client without a certificate answers a request with an empty list.
    Certificate13 m;
    m.request_context = {1, 2, 3, 4};
    auto r = decode_certificate13(encode_body(m));
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->request_context, m.request_context);
    EXPECT_TRUE(r->entries.empty());
}

TEST(Tls13Messages, CertificateEntryExtensions) {
    // status_request (5) on an entry: unknown to us, listed.
    const Bytes body = {0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x01, 0x30, 0x00, 0x06, 0x00, 0x05, 0x00, 0x02, 0x01, 0x02};
    auto r = decode_certificate13(body);
    ASSERT_TRUE(r) << r.error().reason;
    ASSERT_EQ(r->entries.size(), 1u);
    EXPECT_EQ(r->entries[0].extensions.unknown, std::vector<uint16_t>{5});

    // An extension we know but that no CertificateEntry may carry.
    const Bytes ems = {0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x01, 0x30, 0x00, 0x04, 0x00, 0x17, 0x00, 0x00};
    expect_fault(decode_certificate13(ems), Fault::forbidden_value,
                 "Certificate: extension extended_master_secret is not allowed in this message");
    Certificate13 m;
    m.entries.push_back({{0x30}, {}});
    m.entries[0].extensions.extended_master_secret = true;
    Bytes out;
    wire::Writer w(out);
    EXPECT_FALSE(encode(m, w));
}

TEST(Tls13Messages, MalformedCertificates) {
    // an empty cert_data
    expect_fault(decode_certificate13(Bytes{0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00}),
                 Fault::malformed_message, "Certificate: bad cert_data");
    // an entry without its extensions block
    expect_fault(decode_certificate13(Bytes{0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x01, 0x30}),
                 Fault::malformed_message, "Certificate: truncated extensions");
    // a certificate_list longer than the message
    expect_fault(decode_certificate13(Bytes{0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x01, 0x30, 0x00, 0x00}),
                 Fault::malformed_message, "Certificate: bad certificate_list");
}

// --- CertificateRequest -------------------------------------------------------

TEST(Tls13Messages, CertificateRequestRoundTrip) {
    CertificateRequest13 m;
    m.request_context = {9, 8};
    m.extensions.signature_algorithms = std::vector<uint16_t>{0x0403, 0x0804};
    m.extensions.signature_algorithms_cert = std::vector<uint16_t>{0x0403};
    const Bytes body = encode_body(m);
    EXPECT_EQ(Bytes(body.begin(), body.begin() + 11),
              (Bytes{0x02, 0x09, 0x08, 0x00, 0x12, 0x00, 0x0D, 0x00, 0x06, 0x00, 0x04}));
    auto r = decode_certificate_request13(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->request_context, m.request_context);
    EXPECT_EQ(r->extensions.signature_algorithms, m.extensions.signature_algorithms);
    EXPECT_EQ(r->extensions.signature_algorithms_cert, m.extensions.signature_algorithms_cert);
    expect_cuts_and_trailing_bytes_rejected<CertificateRequest13>(body, decode_certificate_request13,
                                                                  "CertificateRequest");
}

// conformance: RFC8446-4.3.2-5
TEST(Tls13Messages, CertificateRequestNeedsSignatureAlgorithms) {
    CertificateRequest13 m;
    m.extensions.signature_algorithms_cert = std::vector<uint16_t>{0x0403};
    expect_fault(decode_certificate_request13(encode_body(m)), Fault::forbidden_value,
                 "CertificateRequest: signature_algorithms is missing");
    expect_fault(decode_certificate_request13(Bytes{0x00, 0x00, 0x00}), Fault::forbidden_value,
                 "CertificateRequest: signature_algorithms is missing");
}

// --- NewSessionTicket ---------------------------------------------------------

TEST(Tls13Messages, NewSessionTicketRoundTripAndLayout) {
    NewSessionTicket13 m;
    m.ticket_lifetime = 7200;
    m.ticket_age_add = 0xA1B2C3D4;
    m.ticket_nonce = {0x00, 0x01};
    m.ticket = {0x71, 0x72, 0x73};
    m.extensions.max_early_data_size = 16384;
    const Bytes body = encode_body(m);
    EXPECT_EQ(body, (Bytes{0x00, 0x00, 0x1C, 0x20,               // ticket_lifetime
                           0xA1, 0xB2, 0xC3, 0xD4,               // ticket_age_add
                           0x02, 0x00, 0x01,                     // ticket_nonce
                           0x00, 0x03, 0x71, 0x72, 0x73,         // ticket
                           0x00, 0x08, 0x00, 0x2A, 0x00, 0x04,   // extensions: early_data
                           0x00, 0x00, 0x40, 0x00}));
    auto r = decode_new_session_ticket13(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->ticket_lifetime, m.ticket_lifetime);
    EXPECT_EQ(r->ticket_age_add, m.ticket_age_add);
    EXPECT_EQ(r->ticket_nonce, m.ticket_nonce);
    EXPECT_EQ(r->ticket, m.ticket);
    EXPECT_EQ(r->extensions.max_early_data_size, m.extensions.max_early_data_size);
    expect_cuts_and_trailing_bytes_rejected<NewSessionTicket13>(body, decode_new_session_ticket13,
                                                                "NewSessionTicket");
}

TEST(Tls13Messages, NewSessionTicketNeedsATicket) {
    NewSessionTicket13 m;
    expect_fault(decode_new_session_ticket13(encode_body(m)), Fault::malformed_message,
                 "NewSessionTicket: bad ticket");
    m.ticket = {1};
    auto r = decode_new_session_ticket13(encode_body(m));
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(r->ticket_nonce.empty());
    EXPECT_FALSE(r->extensions.early_data);
}

// --- KeyUpdate ----------------------------------------------------------------

TEST(Tls13Messages, KeyUpdate) {
    for (KeyUpdateRequest request : {KeyUpdateRequest::update_not_requested, KeyUpdateRequest::update_requested}) {
        const Bytes body = encode_body(KeyUpdate{request});
        ASSERT_EQ(body, Bytes{static_cast<uint8_t>(request)});
        auto r = decode_key_update(body);
        ASSERT_TRUE(r) << r.error().reason;
        EXPECT_EQ(r->request_update, request);
    }
    expect_fault(decode_key_update(Bytes{2}), Fault::forbidden_value,
                 "KeyUpdate: request_update is neither update_not_requested nor update_requested");
    expect_fault(decode_key_update(Bytes{0xFF}), Fault::forbidden_value,
                 "KeyUpdate: request_update is neither update_not_requested nor update_requested");
    expect_fault(decode_key_update(Bytes{}), Fault::malformed_message, "KeyUpdate: truncated");
    expect_fault(decode_key_update(Bytes{1, 0}), Fault::malformed_message, "KeyUpdate: trailing bytes");
}

// --- Finished -----------------------------------------------------------------

TEST(Tls13Messages, FinishedIsAsLongAsTheHash) {
    for (size_t length : {size_t{32}, size_t{48}}) {
        const Bytes verify_data = filled(length, 0x5F);
        auto r = decode_finished(verify_data, length);
        ASSERT_TRUE(r) << r.error().reason;
        EXPECT_EQ(r->verify_data, verify_data);
        EXPECT_EQ(encode_body(*r), verify_data);
        expect_fault(decode_finished(filled(length - 1, 0), length), Fault::malformed_message,
                     "Finished: verify_data shorter than " + std::to_string(length) + " bytes");
        expect_fault(decode_finished(filled(length + 1, 0), length), Fault::malformed_message,
                     "Finished: trailing bytes");
    }
    // The DTLS 1.2 decoder still wants 12 bytes.
    expect_fault(decode_finished(filled(32, 0)), Fault::malformed_message, "Finished: trailing bytes");
}

// --- names --------------------------------------------------------------------

TEST(Tls13Messages, HandshakeTypeNames) {
    EXPECT_STREQ(to_string(HandshakeType::new_session_ticket), "NewSessionTicket");
    EXPECT_STREQ(to_string(HandshakeType::end_of_early_data), "EndOfEarlyData");
    EXPECT_STREQ(to_string(HandshakeType::encrypted_extensions), "EncryptedExtensions");
    EXPECT_STREQ(to_string(HandshakeType::key_update), "KeyUpdate");
    EXPECT_STREQ(to_string(HandshakeType::message_hash), "message_hash");
    EXPECT_EQ(static_cast<int>(HandshakeType::new_session_ticket), 4);
    EXPECT_EQ(static_cast<int>(HandshakeType::end_of_early_data), 5);
    EXPECT_EQ(static_cast<int>(HandshakeType::encrypted_extensions), 8);
    EXPECT_EQ(static_cast<int>(HandshakeType::key_update), 24);
    EXPECT_EQ(static_cast<int>(HandshakeType::message_hash), 254);
}

}  // namespace
}  // namespace dtls::messages
