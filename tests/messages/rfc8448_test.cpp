// Known answers: real TLS 1.3 handshake messages from RFC 8448 (Example
// Handshake Traces for TLS 1.3), parsed with the DTLS 1.3 codecs and
// re-encoded. A DTLS 1.3 body is the TLS 1.3 body for every message here
// but the ClientHello, which gains a legacy_cookie field (RFC 9147 5.3): so
// each message below loses its 4-byte TLS header, and a ClientHello is
// either read only for its extensions block or given an empty cookie to
// become a DTLS ClientHello. The traces say TLS in their version fields
// (0x0303 and 0x0304); the codecs do not judge versions.
//
// Our encoder writes the extensions it knows in a fixed order and never
// re-sends unknown ones (session_ticket, record_size_limit, padding here),
// so a block is compared extension by extension: every extension we know
// re-encodes to exactly the bytes of the trace. Where the trace has no
// unknown extension and our order, the whole body is compared.
#include <gtest/gtest.h>

#include <map>

#include "codec_testing.hpp"
#include "crypto/hex.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/messages.hpp"
#include "messages/tls13_messages.hpp"

namespace dtls::messages {
namespace {

using crypto::testing::from_hex;

// RFC 8448 section 3, {client} ClientHello (196 octets).
constexpr const char* kSection3ClientHello =
    "01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38"
    "c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef"
    "62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01"
    "00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76"
    "65 72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00"
    "17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00"
    "23 00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d"
    "e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e"
    "51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c 00 2b 00"
    "03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03"
    "02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01"
    "04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c"
    "00 02 40 01";

// RFC 8448 section 3, {server} ServerHello (90 octets).
constexpr const char* kSection3ServerHello =
    "02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e"
    "60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55"
    "77 2e d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24"
    "00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db"
    "f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0"
    "4e 75 1f 0f 00 2b 00 02 03 04";

// RFC 8448 section 3, {server} EncryptedExtensions (40 octets).
constexpr const char* kSection3EncryptedExtensions =
    "08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17"
    "00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 1c"
    "00 02 40 01 00 00 00 00";

// RFC 8448 section 3, {server} Certificate (445 octets).
constexpr const char* kSection3Certificate =
    "0b 00 01 b9 00 00 01 b5 00 01 b0 30 82 01 ac 30"
    "82 01 15 a0 03 02 01 02 02 01 02 30 0d 06 09 2a"
    "86 48 86 f7 0d 01 01 0b 05 00 30 0e 31 0c 30 0a"
    "06 03 55 04 03 13 03 72 73 61 30 1e 17 0d 31 36"
    "30 37 33 30 30 31 32 33 35 39 5a 17 0d 32 36 30"
    "37 33 30 30 31 32 33 35 39 5a 30 0e 31 0c 30 0a"
    "06 03 55 04 03 13 03 72 73 61 30 81 9f 30 0d 06"
    "09 2a 86 48 86 f7 0d 01 01 01 05 00 03 81 8d 00"
    "30 81 89 02 81 81 00 b4 bb 49 8f 82 79 30 3d 98"
    "08 36 39 9b 36 c6 98 8c 0c 68 de 55 e1 bd b8 26"
    "d3 90 1a 24 61 ea fd 2d e4 9a 91 d0 15 ab bc 9a"
    "95 13 7a ce 6c 1a f1 9e aa 6a f9 8c 7c ed 43 12"
    "09 98 e1 87 a8 0e e0 cc b0 52 4b 1b 01 8c 3e 0b"
    "63 26 4d 44 9a 6d 38 e2 2a 5f da 43 08 46 74 80"
    "30 53 0e f0 46 1c 8c a9 d9 ef bf ae 8e a6 d1 d0"
    "3e 2b d1 93 ef f0 ab 9a 80 02 c4 74 28 a6 d3 5a"
    "8d 88 d7 9f 7f 1e 3f 02 03 01 00 01 a3 1a 30 18"
    "30 09 06 03 55 1d 13 04 02 30 00 30 0b 06 03 55"
    "1d 0f 04 04 03 02 05 a0 30 0d 06 09 2a 86 48 86"
    "f7 0d 01 01 0b 05 00 03 81 81 00 85 aa d2 a0 e5"
    "b9 27 6b 90 8c 65 f7 3a 72 67 17 06 18 a5 4c 5f"
    "8a 7b 33 7d 2d f7 a5 94 36 54 17 f2 ea e8 f8 a5"
    "8c 8f 81 72 f9 31 9c f3 6b 7f d6 c5 5b 80 f2 1a"
    "03 01 51 56 72 60 96 fd 33 5e 5e 67 f2 db f1 02"
    "70 2e 60 8c ca e6 be c1 fc 63 a4 2a 99 be 5c 3e"
    "b7 10 7c 3c 54 e9 b9 eb 2b d5 20 3b 1c 3b 84 e0"
    "a8 b2 f7 59 40 9b a3 ea c9 d9 1d 40 2d cc 0c c8"
    "f8 96 12 29 ac 91 87 b4 2b 4d e1 00 00";

// RFC 8448 section 3, {server} CertificateVerify (136 octets).
constexpr const char* kSection3CertificateVerify =
    "0f 00 00 84 08 04 00 80 5a 74 7c 5d 88 fa 9b d2"
    "e5 5a b0 85 a6 10 15 b7 21 1f 82 4c d4 84 14 5a"
    "b3 ff 52 f1 fd a8 47 7b 0b 7a bc 90 db 78 e2 d3"
    "3a 5c 14 1a 07 86 53 fa 6b ef 78 0c 5e a2 48 ee"
    "aa a7 85 c4 f3 94 ca b6 d3 0b be 8d 48 59 ee 51"
    "1f 60 29 57 b1 54 11 ac 02 76 71 45 9e 46 44 5c"
    "9e a5 8c 18 1e 81 8e 95 b8 c3 fb 0b f3 27 84 09"
    "d3 be 15 2a 3d a5 04 3e 06 3d da 65 cd f5 ae a2"
    "0d 53 df ac d4 2f 74 f3";

// RFC 8448 section 3, {server} Finished (36 octets).
constexpr const char* kSection3ServerFinished =
    "14 00 00 20 9b 9b 14 1d 90 63 37 fb d2 cb dc e7"
    "1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54"
    "b7 8f 07 18";

// RFC 8448 section 3, {server} NewSessionTicket (205 octets).
constexpr const char* kSection3NewSessionTicket =
    "04 00 00 c9 00 00 00 1e fa d6 aa c5 02 00 00 00"
    "b2 2c 03 5d 82 93 59 ee 5f f7 af 4e c9 00 00 00"
    "00 26 2a 64 94 dc 48 6d 2c 8a 34 cb 33 fa 90 bf"
    "1b 00 70 ad 3c 49 88 83 c9 36 7c 09 a2 be 78 5a"
    "bc 55 cd 22 60 97 a3 a9 82 11 72 83 f8 2a 03 a1"
    "43 ef d3 ff 5d d3 6d 64 e8 61 be 7f d6 1d 28 27"
    "db 27 9c ce 14 50 77 d4 54 a3 66 4d 4e 6d a4 d2"
    "9e e0 37 25 a6 a4 da fc d0 fc 67 d2 ae a7 05 29"
    "51 3e 3d a2 67 7f a5 90 6c 5b 3f 7d 8f 92 f2 28"
    "bd a4 0d da 72 14 70 f9 fb f2 97 b5 ae a6 17 64"
    "6f ac 5c 03 27 2e 97 07 27 c6 21 a7 91 41 ef 5f"
    "7d e6 50 5e 5b fb c3 88 e9 33 43 69 40 93 93 4a"
    "e4 d3 57 00 08 00 2a 00 04 00 00 04 00";

// RFC 8448 section 4, {client} send handshake record: payload (512 octets).
constexpr const char* kSection4ClientHello =
    "01 00 01 fc 03 03 1b c3 ce b6 bb e3 9c ff 93 83"
    "55 b5 a5 0a db 6d b2 1b 7a 6a f6 49 d7 b4 bc 41"
    "9d 78 76 48 7d 95 00 00 06 13 01 13 03 13 02 01"
    "00 01 cd 00 00 00 0b 00 09 00 00 06 73 65 72 76"
    "65 72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00"
    "17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00"
    "33 00 26 00 24 00 1d 00 20 e4 ff b6 8a c0 5f 8d"
    "96 c9 9d a2 66 98 34 6c 6b e1 64 82 ba dd da fe"
    "05 1a 66 b4 f1 8d 66 8f 0b 00 2a 00 00 00 2b 00"
    "03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03"
    "02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01"
    "04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c"
    "00 02 40 01 00 15 00 57 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "29 00 dd 00 b8 00 b2 2c 03 5d 82 93 59 ee 5f f7"
    "af 4e c9 00 00 00 00 26 2a 64 94 dc 48 6d 2c 8a"
    "34 cb 33 fa 90 bf 1b 00 70 ad 3c 49 88 83 c9 36"
    "7c 09 a2 be 78 5a bc 55 cd 22 60 97 a3 a9 82 11"
    "72 83 f8 2a 03 a1 43 ef d3 ff 5d d3 6d 64 e8 61"
    "be 7f d6 1d 28 27 db 27 9c ce 14 50 77 d4 54 a3"
    "66 4d 4e 6d a4 d2 9e e0 37 25 a6 a4 da fc d0 fc"
    "67 d2 ae a7 05 29 51 3e 3d a2 67 7f a5 90 6c 5b"
    "3f 7d 8f 92 f2 28 bd a4 0d da 72 14 70 f9 fb f2"
    "97 b5 ae a6 17 64 6f ac 5c 03 27 2e 97 07 27 c6"
    "21 a7 91 41 ef 5f 7d e6 50 5e 5b fb c3 88 e9 33"
    "43 69 40 93 93 4a e4 d3 57 fa d6 aa cb 00 21 20"
    "3a dd 4f b2 d8 fd f8 22 a0 ca 3c f7 67 8e f5 e8"
    "8d ae 99 01 41 c5 92 4d 57 bb 6f a3 1b 9e 5f 9d";

// RFC 8448 section 4, {server} ServerHello (96 octets).
constexpr const char* kSection4ServerHello =
    "02 00 00 5c 03 03 3c cf d2 de c8 90 22 27 63 47"
    "2a e8 13 67 77 c9 d7 35 87 77 bb 66 e9 1e a5 12"
    "24 95 f5 59 ea 2d 00 13 01 00 00 34 00 29 00 02"
    "00 00 00 33 00 24 00 1d 00 20 12 17 61 ee 42 c3"
    "33 e1 b9 e7 7b 60 dd 57 c2 05 3c d9 45 12 ab 47"
    "f1 15 e8 6e ff 50 94 2c ea 31 00 2b 00 02 03 04";

// RFC 8448 section 4, {server} EncryptedExtensions (44 octets).
constexpr const char* kSection4EncryptedExtensions =
    "08 00 00 28 00 26 00 0a 00 14 00 12 00 1d 00 17"
    "00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 1c"
    "00 02 40 01 00 00 00 00 00 2a 00 00";

// RFC 8448 section 5, {server} ServerHello (176 octets), the HelloRetryRequest.
constexpr const char* kSection5HelloRetryRequest =
    "02 00 00 ac 03 03 cf 21 ad 74 e5 9a 61 11 be 1d"
    "8c 02 1e 65 b8 91 c2 a2 11 16 7a bb 8c 5e 07 9e"
    "09 e2 c8 a8 33 9c 00 13 01 00 00 84 00 33 00 02"
    "00 17 00 2c 00 74 00 72 71 dc d0 4b b8 8b c3 18"
    "91 19 39 8a 00 00 00 00 ee fa fc 76 c1 46 b8 23"
    "b0 96 f8 aa ca d3 65 dd 00 30 95 3f 4e df 62 56"
    "36 e5 f2 1b b2 e2 3f cc 65 4b 1b 5b 40 31 8d 10"
    "d1 37 ab cb b8 75 74 e3 6e 8a 1f 02 5f 7d fa 5d"
    "6e 50 78 1b 5e da 4a a1 5b 0c 8b e7 78 25 7d 16"
    "aa 30 30 e9 e7 84 1d d9 e4 c0 34 22 67 e8 ca 0c"
    "af 57 1f b2 b7 cf f0 f9 34 b0 00 2b 00 02 03 04";

// RFC 8448 section 5, {client} the second ClientHello (512 octets).
constexpr const char* kSection5ClientHello2 =
    "01 00 01 fc 03 03 b0 b1 c5 a5 aa 37 c5 91 9f 2e"
    "d1 d5 c6 ff f7 fc b7 84 97 16 94 5a 2b 8c ee 92"
    "58 a3 46 67 7b 6f 00 00 06 13 01 13 03 13 02 01"
    "00 01 cd 00 00 00 0b 00 09 00 00 06 73 65 72 76"
    "65 72 ff 01 00 01 00 00 0a 00 08 00 06 00 1d 00"
    "17 00 18 00 33 00 47 00 45 00 17 00 41 04 a6 da"
    "73 92 ec 59 1e 17 ab fd 53 59 64 b9 98 94 d1 3b"
    "ef b2 21 b3 de f2 eb e3 83 0e ac 8f 01 51 81 26"
    "77 c4 d6 d2 23 7e 85 cf 01 d6 91 0c fb 83 95 4e"
    "76 ba 73 52 83 05 34 15 98 97 e8 06 57 80 00 2b"
    "00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06"
    "03 02 03 08 04 08 05 08 06 04 01 05 01 06 01 02"
    "01 04 02 05 02 06 02 02 02 00 2c 00 74 00 72 71"
    "dc d0 4b b8 8b c3 18 91 19 39 8a 00 00 00 00 ee"
    "fa fc 76 c1 46 b8 23 b0 96 f8 aa ca d3 65 dd 00"
    "30 95 3f 4e df 62 56 36 e5 f2 1b b2 e2 3f cc 65"
    "4b 1b 5b 40 31 8d 10 d1 37 ab cb b8 75 74 e3 6e"
    "8a 1f 02 5f 7d fa 5d 6e 50 78 1b 5e da 4a a1 5b"
    "0c 8b e7 78 25 7d 16 aa 30 30 e9 e7 84 1d d9 e4"
    "c0 34 22 67 e8 ca 0c af 57 1f b2 b7 cf f0 f9 34"
    "b0 00 2d 00 02 01 01 00 1c 00 02 40 01 00 15 00"
    "af 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

// RFC 8448 section 6, {server} CertificateRequest (43 octets).
constexpr const char* kSection6CertificateRequest =
    "0d 00 00 27 00 00 24 00 0d 00 20 00 1e 04 03 05"
    "03 06 03 02 03 08 04 08 05 08 06 04 01 05 01 06"
    "01 02 01 04 02 05 02 06 02 02 02";

// The body of a TLS handshake message after checking its 4-byte header.
Bytes body_of(const char* hex, HandshakeType type) {
    const Bytes message = from_hex(hex);
    EXPECT_GE(message.size(), 4u);
    EXPECT_EQ(message[0], static_cast<uint8_t>(type));
    const size_t length = size_t{message[1]} << 16 | size_t{message[2]} << 8 | message[3];
    EXPECT_EQ(length, message.size() - 4);
    return Bytes(message.begin() + 4, message.end());
}

// The extensions block of a TLS 1.3 ClientHello body: what follows
// legacy_version, random, legacy_session_id, cipher_suites and
// legacy_compression_methods.
Bytes tls_client_hello_extensions(const Bytes& body) {
    wire::Reader r(body);
    uint16_t version;
    std::span<const uint8_t> skipped;
    EXPECT_TRUE(r.u16(version) && r.bytes(32, skipped) && r.vec8(skipped) && r.vec16(skipped) && r.vec8(skipped));
    return Bytes(r.rest().begin(), r.rest().end());
}

// The same ClientHello as DTLS 1.3 sends it: an empty legacy_cookie after
// legacy_session_id.
Bytes dtls_client_hello(const Bytes& tls_body) {
    const size_t session_id_end = 2 + 32 + 1 + tls_body[2 + 32];
    Bytes out(tls_body.begin(), tls_body.begin() + static_cast<std::ptrdiff_t>(session_id_end));
    out.push_back(0x00);
    out.insert(out.end(), tls_body.begin() + static_cast<std::ptrdiff_t>(session_id_end), tls_body.end());
    return out;
}

// Each extension of a block, whole (type, length, body), by type.
std::map<uint16_t, Bytes> extensions_by_type(const Bytes& block) {
    std::map<uint16_t, Bytes> out;
    wire::Reader r(block);
    wire::Reader list{std::span<const uint8_t>{}};
    EXPECT_TRUE(r.vec16(list) && r.empty());
    while (!list.empty()) {
        const std::span<const uint8_t> start = list.rest();
        uint16_t type;
        std::span<const uint8_t> body;
        EXPECT_TRUE(list.u16(type) && list.vec16(body));
        out[type] = Bytes(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(4 + body.size()));
    }
    return out;
}

// Every extension we know re-encodes to the trace's bytes, and the ones we
// left out are exactly the ones listed as unknown.
void expect_known_extensions_reencoded(const Bytes& block, const Extensions& decoded, ExtensionContext context) {
    const std::map<uint16_t, Bytes> original = extensions_by_type(block);
    const std::map<uint16_t, Bytes> ours = extensions_by_type(testing::encode_block(decoded, context));
    std::map<uint16_t, Bytes> expected = original;
    for (uint16_t type : decoded.unknown) expected.erase(type);
    EXPECT_EQ(ours, expected);
    EXPECT_EQ(ours.size() + decoded.unknown.size(), original.size());
}

Bytes extensions_block_after(const Bytes& body, size_t fixed_fields) {
    return Bytes(body.begin() + static_cast<std::ptrdiff_t>(fixed_fields), body.end());
}

constexpr size_t kServerHelloFixedFields = 2 + 32 + 1 + 2 + 1;  // with an empty legacy_session_id_echo

const std::vector<uint16_t> kTraceSignatureAlgorithms = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804,
                                                         0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
                                                         0x0201, 0x0402, 0x0502, 0x0602, 0x0202};
const std::vector<uint16_t> kTraceGroups = {0x001D, 0x0017, 0x0018, 0x0019, 0x0100,
                                            0x0101, 0x0102, 0x0103, 0x0104};

// --- section 3: a simple 1-RTT handshake -----------------------------------------

TEST(Rfc8448, Section3ClientHelloExtensions) {
    const Bytes block = tls_client_hello_extensions(body_of(kSection3ClientHello, HandshakeType::client_hello));
    auto r = testing::decode_block(block, ExtensionContext::client_hello);
    ASSERT_TRUE(r) << r.error().reason;
    const Extensions& e = *r;
    EXPECT_EQ(e.server_name, std::optional<std::string>("server"));
    EXPECT_EQ(e.renegotiation_info, std::optional<Bytes>(Bytes{}));
    EXPECT_EQ(e.supported_groups, kTraceGroups);
    ASSERT_TRUE(e.key_shares);
    ASSERT_EQ(e.key_shares->size(), 1u);
    EXPECT_EQ(e.key_shares->front().group, 0x001D);
    EXPECT_EQ(e.key_shares->front().key_exchange,
              from_hex("99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 "
                       "9a af 2c"));
    EXPECT_EQ(e.supported_versions, std::vector<uint16_t>{0x0304});
    EXPECT_EQ(e.signature_algorithms, kTraceSignatureAlgorithms);
    EXPECT_EQ(e.psk_key_exchange_modes, std::vector<uint8_t>{1});  // psk_dhe_ke
    EXPECT_EQ(e.session_ticket, std::optional<Bytes>(Bytes{}));  // asks for a TLS 1.2 ticket (RFC 5077)
    EXPECT_TRUE(e.unknown.empty());
    EXPECT_EQ(e.record_size_limit, 0x4001);           // 2^14 + 1, TLS 1.3's maximum (RFC 8449 4)
    EXPECT_FALSE(e.offered_psks);
    EXPECT_FALSE(e.early_data);
    expect_known_extensions_reencoded(block, e, ExtensionContext::client_hello);
}

TEST(Rfc8448, Section3ServerHello) {
    const Bytes body = body_of(kSection3ServerHello, HandshakeType::server_hello);
    auto r = decode_server_hello(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_FALSE(is_hello_retry_request(*r));
    EXPECT_EQ(downgrade_sentinel(r->random), DowngradeSentinel::none);
    EXPECT_EQ(r->version, 0x0303);
    EXPECT_EQ(r->random[0], 0xA6);
    EXPECT_TRUE(r->session_id.empty());
    EXPECT_EQ(r->cipher_suite, 0x1301);  // TLS_AES_128_GCM_SHA256
    EXPECT_EQ(r->compression_method, 0);
    ASSERT_TRUE(r->extensions.key_shares);
    ASSERT_EQ(r->extensions.key_shares->size(), 1u);
    EXPECT_EQ(r->extensions.key_shares->front().group, 0x001D);
    EXPECT_EQ(r->extensions.key_shares->front().key_exchange,
              from_hex("c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e "
                       "75 1f 0f"));
    EXPECT_EQ(r->extensions.supported_versions, std::vector<uint16_t>{0x0304});
    EXPECT_TRUE(r->extensions.unknown.empty());
    EXPECT_EQ(*encoded(*r), body);
}

TEST(Rfc8448, Section3EncryptedExtensions) {
    const Bytes body = body_of(kSection3EncryptedExtensions, HandshakeType::encrypted_extensions);
    auto r = decode_encrypted_extensions(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->extensions.supported_groups, kTraceGroups);
    EXPECT_EQ(r->extensions.server_name, std::optional<std::string>(""));
    EXPECT_TRUE(r->extensions.unknown.empty());
    EXPECT_EQ(r->extensions.record_size_limit, 0x4001);
    expect_known_extensions_reencoded(body, r->extensions, ExtensionContext::encrypted_extensions);
}

TEST(Rfc8448, Section3Certificate) {
    const Bytes body = body_of(kSection3Certificate, HandshakeType::certificate);
    auto r = decode_certificate13(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(r->request_context.empty());
    ASSERT_EQ(r->entries.size(), 1u);
    EXPECT_EQ(r->entries[0].cert_data.size(), 0x1B0u);
    EXPECT_EQ(Bytes(r->entries[0].cert_data.begin(), r->entries[0].cert_data.begin() + 4),
              (Bytes{0x30, 0x82, 0x01, 0xAC}));  // a DER SEQUENCE of 0x1AC bytes
    EXPECT_TRUE(r->entries[0].extensions.unknown.empty());
    EXPECT_EQ(testing::encode_body(*r), body);
}

TEST(Rfc8448, Section3CertificateVerify) {
    const Bytes body = body_of(kSection3CertificateVerify, HandshakeType::certificate_verify);
    auto r = decode_certificate_verify(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->signature_scheme, 0x0804);  // rsa_pss_rsae_sha256
    EXPECT_EQ(r->signature.size(), 128u);
    EXPECT_EQ(*encoded(*r), body);
}

TEST(Rfc8448, Section3ServerFinished) {
    const Bytes body = body_of(kSection3ServerFinished, HandshakeType::finished);
    auto r = decode_finished(body, 32);
    ASSERT_TRUE(r) << r.error().reason;
    // "finished (32 octets)" as the trace computes it just before.
    EXPECT_EQ(r->verify_data, from_hex("9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f "
                                       "ff ee 54 54 b7 8f 07 18"));
    EXPECT_EQ(*encoded(*r), body);
    EXPECT_FALSE(decode_finished(body, 48));
}

TEST(Rfc8448, Section3NewSessionTicket) {
    const Bytes body = body_of(kSection3NewSessionTicket, HandshakeType::new_session_ticket);
    auto r = decode_new_session_ticket13(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->ticket_lifetime, 30u);
    EXPECT_EQ(r->ticket_age_add, 0xFAD6AAC5u);
    EXPECT_EQ(r->ticket_nonce, (Bytes{0x00, 0x00}));
    EXPECT_EQ(r->ticket.size(), 0xB2u);
    EXPECT_TRUE(r->extensions.early_data);
    EXPECT_EQ(r->extensions.max_early_data_size, std::optional<uint32_t>(0x400));
    EXPECT_EQ(testing::encode_body(*r), body);
}

// --- section 4: resumption with 0-RTT ------------------------------------------

TEST(Rfc8448, Section4ClientHelloOffersTheTicket) {
    const Bytes tls_body = body_of(kSection4ClientHello, HandshakeType::client_hello);
    const Bytes block = tls_client_hello_extensions(tls_body);
    auto r = testing::decode_block(block, ExtensionContext::client_hello);
    ASSERT_TRUE(r) << r.error().reason;
    const Extensions& e = *r;
    EXPECT_TRUE(e.early_data);
    EXPECT_EQ(e.psk_key_exchange_modes, std::vector<uint8_t>{1});
    EXPECT_EQ(e.unknown, std::vector<uint16_t>{21});  // padding
    EXPECT_EQ(e.record_size_limit, 0x4001);
    ASSERT_TRUE(e.offered_psks);
    ASSERT_EQ(e.offered_psks->identities.size(), 1u);
    ASSERT_EQ(e.offered_psks->binders.size(), 1u);
    // The identity is the ticket of section 3, its age obfuscated with that
    // ticket's ticket_age_add.
    auto ticket = decode_new_session_ticket13(body_of(kSection3NewSessionTicket, HandshakeType::new_session_ticket));
    ASSERT_TRUE(ticket);
    EXPECT_EQ(e.offered_psks->identities[0].identity, ticket->ticket);
    EXPECT_EQ(e.offered_psks->identities[0].obfuscated_ticket_age, 0xFAD6AAC5u + 6);  // ticket_age_add + 6 ms
    EXPECT_EQ(e.offered_psks->binders[0],
              from_hex("3a dd 4f b2 d8 fd f8 22 a0 ca 3c f7 67 8e f5 e8 8d ae 99 01 41 c5 92 4d 57 bb 6f a3 1b "
                       "9e 5f 9d"));
    expect_known_extensions_reencoded(block, e, ExtensionContext::client_hello);

    // As a DTLS ClientHello, the binders start where the trace's
    // "ClientHello prefix (477 octets)" ends: 477 bytes of TLS message, less
    // its 4-byte header, plus the one-byte empty cookie.
    const Bytes dtls_body = dtls_client_hello(tls_body);
    EXPECT_EQ(binders_offset(dtls_body), std::optional<size_t>(477 - 4 + 1));
    auto hello = decode_client_hello(dtls_body);
    ASSERT_TRUE(hello) << hello.error().reason;
    EXPECT_EQ(hello->extensions.offered_psks, e.offered_psks);
}

TEST(Rfc8448, Section4ServerHelloAcceptsThePsk) {
    const Bytes body = body_of(kSection4ServerHello, HandshakeType::server_hello);
    auto r = decode_server_hello(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->extensions.selected_psk_identity, std::optional<uint16_t>(0));
    ASSERT_TRUE(r->extensions.key_shares);
    EXPECT_EQ(r->extensions.key_shares->front().group, 0x001D);
    EXPECT_EQ(r->extensions.supported_versions, std::vector<uint16_t>{0x0304});
    // The trace puts pre_shared_key first; we write it last.
    expect_known_extensions_reencoded(extensions_block_after(body, kServerHelloFixedFields), r->extensions,
                                      ExtensionContext::server_hello);
}

TEST(Rfc8448, Section4EncryptedExtensionsAcceptEarlyData) {
    const Bytes body = body_of(kSection4EncryptedExtensions, HandshakeType::encrypted_extensions);
    auto r = decode_encrypted_extensions(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(r->extensions.early_data);
    EXPECT_FALSE(r->extensions.max_early_data_size);
    EXPECT_EQ(r->extensions.server_name, std::optional<std::string>(""));
    expect_known_extensions_reencoded(body, r->extensions, ExtensionContext::encrypted_extensions);
}

// --- section 5: HelloRetryRequest -----------------------------------------------

TEST(Rfc8448, Section5HelloRetryRequest) {
    const Bytes body = body_of(kSection5HelloRetryRequest, HandshakeType::server_hello);
    auto r = decode_server_hello(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(is_hello_retry_request(*r));
    EXPECT_EQ(r->random, kHelloRetryRequestRandom);
    EXPECT_EQ(r->extensions.key_share_selected_group, std::optional<uint16_t>(0x0017));  // secp256r1
    EXPECT_FALSE(r->extensions.key_shares);
    ASSERT_TRUE(r->extensions.cookie);
    EXPECT_EQ(r->extensions.cookie->size(), 0x72u);
    EXPECT_EQ(r->extensions.supported_versions, std::vector<uint16_t>{0x0304});
    EXPECT_EQ(*encoded(*r), body);
}

TEST(Rfc8448, Section5SecondClientHelloReturnsTheCookie) {
    auto retry = decode_server_hello(body_of(kSection5HelloRetryRequest, HandshakeType::server_hello));
    ASSERT_TRUE(retry);
    const Bytes block = tls_client_hello_extensions(body_of(kSection5ClientHello2, HandshakeType::client_hello));
    auto r = testing::decode_block(block, ExtensionContext::client_hello);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->cookie, retry->extensions.cookie);
    ASSERT_TRUE(r->key_shares);
    ASSERT_EQ(r->key_shares->size(), 1u);
    EXPECT_EQ(r->key_shares->front().group, 0x0017);
    EXPECT_EQ(r->key_shares->front().key_exchange.size(), 65u);
    expect_known_extensions_reencoded(block, *r, ExtensionContext::client_hello);
}

// --- section 6: client authentication -------------------------------------------

TEST(Rfc8448, Section6CertificateRequest) {
    const Bytes body = body_of(kSection6CertificateRequest, HandshakeType::certificate_request);
    auto r = decode_certificate_request13(body);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_TRUE(r->request_context.empty());
    EXPECT_EQ(r->extensions.signature_algorithms, kTraceSignatureAlgorithms);
    EXPECT_EQ(testing::encode_body(*r), body);
}

}  // namespace
}  // namespace dtls::messages
