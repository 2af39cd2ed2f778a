// The handshake message types, and the typed DTLS 1.2 handshake messages and
// their codecs (RFC 6347 4.2, RFC 5246 7.4, RFC 8422 5). ClientHello,
// ServerHello, CertificateVerify and Finished serve DTLS 1.3 as well (RFC
// 9147 5.3, RFC 8446 4); the messages only DTLS 1.3 has are in
// tls13_messages.hpp. decode_* parses a message body strictly:
// trailing bytes, bad lengths and illegal values are errors naming the fault
// (Fault::malformed_message or Fault::forbidden_value). encode() appends a
// body and returns false when a field is too long for its length prefix, or
// an extension has no form in the message (a ServerHello with two key
// shares); the bytes are then unusable.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"
#include "messages/extensions.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {

// RFC 6347 4.2.2 and RFC 9147 5.2 (which adds the DTLS 1.3 types).
enum class HandshakeType : uint8_t {
    hello_request = 0,
    client_hello = 1,
    server_hello = 2,
    hello_verify_request = 3,
    new_session_ticket = 4,
    end_of_early_data = 5,  // never sent in DTLS 1.3 (RFC 9147 5.6): a name only
    encrypted_extensions = 8,
    request_connection_id = 9,  // DTLS 1.3 (RFC 9147 9)
    new_connection_id = 10,     // DTLS 1.3 (RFC 9147 9)
    certificate = 11,
    server_key_exchange = 12,
    certificate_request = 13,
    server_hello_done = 14,
    certificate_verify = 15,
    client_key_exchange = 16,
    finished = 20,
    key_update = 24,
    message_hash = 254,  // only in the transcript after a HelloRetryRequest (RFC 8446 4.4.1)
};

const char* to_string(HandshakeType type);

using Random = std::array<uint8_t, 32>;

constexpr uint16_t kDtls12 = 0xFEFD;
constexpr uint16_t kDtls10 = 0xFEFF;
// DTLS 1.3 is named only in supported_versions; every hello says kDtls12 in
// its version field (RFC 9147 5.3).
constexpr uint16_t kDtls13 = 0xFEFC;

struct ClientHello {
    uint16_t version = kDtls12;
    Random random{};
    Bytes session_id;
    Bytes cookie;
    std::vector<uint16_t> cipher_suites;  // includes SCSVs as sent
    Bytes compression_methods{0};
    Extensions extensions;
};

// The fields of a ClientHello before its extensions: what a stateless front
// door's HelloVerifyRequest cookie covers, since RFC 6347 4.2.1 has the
// client send the same values again with the cookie. Views into the parsed
// bytes.
struct ClientHelloPrefix {
    uint16_t version = 0;
    std::span<const uint8_t> random;
    std::span<const uint8_t> session_id;
    std::span<const uint8_t> cookie;
    std::span<const uint8_t> cipher_suites;        // the encoded list, without its length
    std::span<const uint8_t> compression_methods;  // likewise
};

// Reads those fields from the start of a ClientHello body; false if the
// bytes end before the compression methods do.
bool read_client_hello_prefix(std::span<const uint8_t> body_start, ClientHelloPrefix& out);

// Where the binders of the pre_shared_key extension start in an encoded
// ClientHello body: the offset of the binders list's 2-byte length. A PSK
// binder is computed over the ClientHello up to that point (RFC 8446
// 4.2.11.2: Truncate(ClientHello), its length fields left as they are for
// the whole message), after the 4-byte TLS header DTLS 1.3 hashes (RFC 9147
// 5.2). nullopt when the body does not parse, has no pre_shared_key, or has
// one that is not last.
std::optional<size_t> binders_offset(std::span<const uint8_t> client_hello_body);

struct ServerHello {
    uint16_t version = kDtls12;
    Random random{};
    Bytes session_id;
    uint16_t cipher_suite = 0;
    uint8_t compression_method = 0;
    Extensions extensions;
};

struct HelloVerifyRequest {
    uint16_t version = kDtls12;  // servers send DTLS 1.0 or 1.2 here
    Bytes cookie;
};

struct Certificate {
    std::vector<Bytes> chain;  // DER, leaf first; may be empty (client)
    // RFC 7250 3: once raw public keys are agreed, the body is one
    // ASN.1_subjectPublicKeyInfo<1..2^24-1> instead of a list; `chain` then
    // holds that alone (or nothing, encoded as an empty vector).
    bool raw_public_key = false;
};

// ECDHE parameters with a named curve (curve_type 3) and their signature.
struct ServerKeyExchange {
    uint16_t group = 0;
    Bytes public_key;
    uint16_t signature_scheme = 0;
    Bytes signature;
};

// The bytes a ServerKeyExchange signature covers:
// client_random || server_random || ECParameters || public point.
Result<Bytes> server_key_exchange_signed_data(const Random& client_random, const Random& server_random,
                                              const ServerKeyExchange& ske);

struct CertificateRequest {
    std::vector<uint8_t> certificate_types;  // 64 = ecdsa_sign, 1 = rsa_sign
    std::vector<uint16_t> signature_schemes;
    std::vector<Bytes> authorities;          // DER distinguished names
};

struct ServerHelloDone {};

struct CertificateVerify {
    uint16_t signature_scheme = 0;
    Bytes signature;
};

struct ClientKeyExchange {
    Bytes public_key;  // ECDHE point
};

struct Finished {
    Bytes verify_data;  // DTLS 1.2: 12 bytes for every suite we support; DTLS 1.3: the hash length
};

Result<ClientHello> decode_client_hello(std::span<const uint8_t> body);
Result<ServerHello> decode_server_hello(std::span<const uint8_t> body);
Result<HelloVerifyRequest> decode_hello_verify_request(std::span<const uint8_t> body);
Result<Certificate> decode_certificate(std::span<const uint8_t> body);
// The RFC 7250 3 form, once raw public keys are agreed (raw_public_key set).
Result<Certificate> decode_raw_public_key_certificate(std::span<const uint8_t> body);
Result<ServerKeyExchange> decode_server_key_exchange(std::span<const uint8_t> body);
Result<CertificateRequest> decode_certificate_request(std::span<const uint8_t> body);
Result<ServerHelloDone> decode_server_hello_done(std::span<const uint8_t> body);
Result<CertificateVerify> decode_certificate_verify(std::span<const uint8_t> body);
Result<ClientKeyExchange> decode_client_key_exchange(std::span<const uint8_t> body);
Result<Finished> decode_finished(std::span<const uint8_t> body);
// DTLS 1.3: verify_data is as long as the suite's hash (RFC 8446 4.4.4), 32
// or 48 bytes.
Result<Finished> decode_finished(std::span<const uint8_t> body, size_t verify_data_length);

[[nodiscard]] bool encode(const ClientHello& m, wire::Writer& w);
[[nodiscard]] bool encode(const ServerHello& m, wire::Writer& w);
[[nodiscard]] bool encode(const HelloVerifyRequest& m, wire::Writer& w);
// The same without building a message: the front door's allocation-free path.
[[nodiscard]] bool encode_hello_verify_request(uint16_t version, std::span<const uint8_t> cookie, wire::Writer& w);
[[nodiscard]] bool encode(const Certificate& m, wire::Writer& w);
[[nodiscard]] bool encode(const ServerKeyExchange& m, wire::Writer& w);
[[nodiscard]] bool encode(const CertificateRequest& m, wire::Writer& w);
[[nodiscard]] bool encode(const ServerHelloDone& m, wire::Writer& w);
[[nodiscard]] bool encode(const CertificateVerify& m, wire::Writer& w);
[[nodiscard]] bool encode(const ClientKeyExchange& m, wire::Writer& w);
[[nodiscard]] bool encode(const Finished& m, wire::Writer& w);

// The encoded body of any message above (or of tls13_messages.hpp, ack.hpp),
// as a new byte vector; an internal_failure if a field is too long for its
// length prefix or a value has no encoding in its message.
template <class Message>
Result<Bytes> encoded(const Message& message) {
    Bytes out;
    wire::Writer w(out);
    if (!encode(message, w)) return Error::from(Fault::internal_failure, "a message field cannot be encoded");
    return out;
}

}  // namespace dtls::messages
