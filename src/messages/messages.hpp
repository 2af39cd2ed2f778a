// Typed DTLS 1.2 handshake messages and their codecs (RFC 6347 4.2,
// RFC 5246 7.4, RFC 8422 5). decode_* parses a message body strictly:
// trailing bytes, bad lengths and illegal values are errors naming the fault
// (Fault::malformed_message or Fault::forbidden_value). encode() appends a
// body and returns false when a field is too long for its length prefix;
// the bytes are then unusable.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {

enum class HandshakeType : uint8_t {
    hello_request = 0,
    client_hello = 1,
    server_hello = 2,
    hello_verify_request = 3,
    certificate = 11,
    server_key_exchange = 12,
    certificate_request = 13,
    server_hello_done = 14,
    certificate_verify = 15,
    client_key_exchange = 16,
    finished = 20,
};

const char* to_string(HandshakeType type);

using Random = std::array<uint8_t, 32>;

// Extensions we understand. Absent optional = extension not present.
// Unknown extensions are skipped; a repeated extension type is a
// decode error (illegal_parameter).
struct Extensions {
    std::optional<std::string> server_name;      // host_name; ""= empty ext (server ack)
    std::optional<std::vector<uint16_t>> supported_groups;
    std::optional<std::vector<uint8_t>> ec_point_formats;
    std::optional<std::vector<uint16_t>> signature_algorithms;
    std::optional<std::vector<std::string>> alpn;  // ServerHello: exactly one
    bool extended_master_secret = false;
    std::optional<Bytes> renegotiation_info;       // renegotiated_connection
    std::vector<uint16_t> unknown;                 // types we skipped, in order
};

constexpr uint16_t kDtls12 = 0xFEFD;
constexpr uint16_t kDtls10 = 0xFEFF;

struct ClientHello {
    uint16_t version = kDtls12;
    Random random{};
    Bytes session_id;
    Bytes cookie;
    std::vector<uint16_t> cipher_suites;  // includes SCSVs as sent
    Bytes compression_methods{0};
    Extensions extensions;
};

// The leading fields of a ClientHello, up to and including the cookie: what
// a stateless front door needs, readable from the first fragment of a
// ClientHello too large for one datagram. Views into the parsed bytes.
struct ClientHelloPrefix {
    uint16_t version = 0;
    std::span<const uint8_t> random;
    std::span<const uint8_t> session_id;
    std::span<const uint8_t> cookie;
};

// Reads the prefix from the start of a ClientHello body (whole or first
// fragment); false if the bytes end before the cookie does.
bool read_client_hello_prefix(std::span<const uint8_t> body_start, ClientHelloPrefix& out);

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
    Bytes verify_data;  // 12 bytes for every suite we support
};

Result<ClientHello> decode_client_hello(std::span<const uint8_t> body);
Result<ServerHello> decode_server_hello(std::span<const uint8_t> body);
Result<HelloVerifyRequest> decode_hello_verify_request(std::span<const uint8_t> body);
Result<Certificate> decode_certificate(std::span<const uint8_t> body);
Result<ServerKeyExchange> decode_server_key_exchange(std::span<const uint8_t> body);
Result<CertificateRequest> decode_certificate_request(std::span<const uint8_t> body);
Result<ServerHelloDone> decode_server_hello_done(std::span<const uint8_t> body);
Result<CertificateVerify> decode_certificate_verify(std::span<const uint8_t> body);
Result<ClientKeyExchange> decode_client_key_exchange(std::span<const uint8_t> body);
Result<Finished> decode_finished(std::span<const uint8_t> body);

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

// The encoded body of any message above, as a new byte vector; an
// internal_failure if a field is too long for its length prefix.
template <class Message>
Result<Bytes> encoded(const Message& message) {
    Bytes out;
    wire::Writer w(out);
    if (!encode(message, w)) return Error::from(Fault::internal_failure, "a message field is too long to encode");
    return out;
}

}  // namespace dtls::messages
