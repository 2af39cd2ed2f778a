// Codecs for the DTLS 1.2 handshake message bodies, and for the hellos and
// Finished as DTLS 1.3 uses them. Field layouts follow RFC 6347 4.2.1
// (ClientHello cookie, HelloVerifyRequest), RFC 5246 7.4, RFC 8422 5.4
// (ECDHE ServerKeyExchange with a named curve) and RFC 8446 4.1.3-4.1.4 (a
// ServerHello that is a HelloRetryRequest). Each decoder reads every field
// through wire::Reader and rejects trailing bytes.
#include "messages/messages.hpp"

#include <algorithm>

#include "messages/codec.hpp"
#include "messages/hello_retry_request.hpp"

namespace dtls::messages {

namespace {

constexpr size_t kMaxSessionIdLength = 32;
constexpr uint8_t kNamedCurve = 3;  // ECCurveType named_curve (RFC 8422 5.4)

bool read_random(wire::Reader& r, Random& out) {
    std::span<const uint8_t> bytes;
    if (!r.bytes(out.size(), bytes)) return false;
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return true;
}

bool read_session_id(wire::Reader& r, Bytes& out) {
    std::span<const uint8_t> id;
    if (!r.vec8(id) || id.size() > kMaxSessionIdLength) return false;
    out = to_bytes(id);
    return true;
}

// certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1> (RFC 5246 7.4.2).
bool read_certificates(wire::Reader& r, std::vector<Bytes>& out) {
    wire::Reader list{std::span<const uint8_t>{}};
    if (!r.vec24(list)) return false;
    while (!list.empty()) {
        std::span<const uint8_t> cert;
        if (!list.vec24(cert) || cert.empty()) return false;
        out.push_back(to_bytes(cert));
    }
    return true;
}

// certificate_authorities<0..2^16-1> of DistinguishedName<1..2^16-1>
// (RFC 5246 7.4.4).
bool read_authorities(wire::Reader& r, std::vector<Bytes>& out) {
    wire::Reader list{std::span<const uint8_t>{}};
    if (!r.vec16(list)) return false;
    while (!list.empty()) {
        std::span<const uint8_t> name;
        if (!list.vec16(name) || name.empty()) return false;
        out.push_back(to_bytes(name));
    }
    return true;
}

// The ECDHE public point: opaque point<1..2^8-1> (RFC 8422 5.4, 5.7).
bool read_point(wire::Reader& r, Bytes& out) { return read_u8_list(r, out); }

ExtensionContext server_hello_context(const Random& random) {
    return random == kHelloRetryRequestRandom ? ExtensionContext::hello_retry_request
                                              : ExtensionContext::server_hello;
}

void write_ec_parameters(const ServerKeyExchange& m, wire::Writer& w) {
    w.u8(kNamedCurve);
    w.u16(m.group);
    w.vec8(m.public_key);
}

}  // namespace

const char* to_string(HandshakeType type) {
    switch (type) {
        case HandshakeType::hello_request: return "HelloRequest";
        case HandshakeType::client_hello: return "ClientHello";
        case HandshakeType::server_hello: return "ServerHello";
        case HandshakeType::hello_verify_request: return "HelloVerifyRequest";
        case HandshakeType::new_session_ticket: return "NewSessionTicket";
        case HandshakeType::end_of_early_data: return "EndOfEarlyData";
        case HandshakeType::encrypted_extensions: return "EncryptedExtensions";
        case HandshakeType::certificate: return "Certificate";
        case HandshakeType::server_key_exchange: return "ServerKeyExchange";
        case HandshakeType::certificate_request: return "CertificateRequest";
        case HandshakeType::server_hello_done: return "ServerHelloDone";
        case HandshakeType::certificate_verify: return "CertificateVerify";
        case HandshakeType::client_key_exchange: return "ClientKeyExchange";
        case HandshakeType::finished: return "Finished";
        case HandshakeType::key_update: return "KeyUpdate";
        case HandshakeType::request_connection_id: return "RequestConnectionId";
        case HandshakeType::new_connection_id: return "NewConnectionId";
        case HandshakeType::message_hash: return "message_hash";
    }
    return "unknown handshake message";
}

// --- ClientHello ------------------------------------------------------------

Result<ClientHello> decode_client_hello(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "ClientHello";
    wire::Reader r(body);
    ClientHello m;
    std::span<const uint8_t> cookie;
    if (!r.u16(m.version) || !read_random(r, m.random)) return malformed(kName, "truncated");
    if (!read_session_id(r, m.session_id)) return malformed(kName, "bad session_id");
    if (!r.vec8(cookie)) return malformed(kName, "bad cookie");
    if (!read_u16_list(r, m.cipher_suites)) return malformed(kName, "bad cipher_suites");
    if (!read_u8_list(r, m.compression_methods)) return malformed(kName, "bad compression_methods");
    if (Status s = decode_extensions_block(r, ExtensionContext::client_hello, kName, m.extensions); !s) {
        return s.error();
    }
    if (!r.empty()) return malformed(kName, "trailing bytes");
    m.cookie = to_bytes(cookie);
    return m;
}

bool read_client_hello_prefix(std::span<const uint8_t> body_start, ClientHelloPrefix& out) {
    wire::Reader r(body_start);
    ClientHelloPrefix p;
    if (!r.u16(p.version) || !r.bytes(32, p.random) || !r.vec8(p.session_id) || !r.vec8(p.cookie) ||
        !r.vec16(p.cipher_suites) || !r.vec8(p.compression_methods)) {
        return false;
    }
    if (p.session_id.size() > kMaxSessionIdLength) return false;
    out = p;
    return true;
}

std::optional<size_t> binders_offset(std::span<const uint8_t> client_hello_body) {
    wire::Reader r(client_hello_body);
    std::span<const uint8_t> skipped;
    wire::Reader block{std::span<const uint8_t>{}};
    uint16_t version;
    if (!r.u16(version) || !r.bytes(32, skipped) || !r.vec8(skipped) || !r.vec8(skipped) || !r.vec16(skipped) ||
        !r.vec8(skipped) || !r.vec16(block) || !r.empty()) {
        return std::nullopt;
    }
    while (!block.empty()) {
        uint16_t type;
        wire::Reader body{std::span<const uint8_t>{}};
        if (!block.u16(type) || !block.vec16(body)) return std::nullopt;
        if (type != kPreSharedKeyExtension) continue;
        // Last in the block, which ends the body: after the identities, the
        // binders list runs to the end of the body.
        if (!block.empty() || !body.vec16(skipped)) return std::nullopt;
        const size_t offset = client_hello_body.size() - body.remaining();
        if (!body.vec16(skipped) || !body.empty()) return std::nullopt;
        return offset;
    }
    return std::nullopt;
}

bool encode(const ClientHello& m, wire::Writer& w) {
    w.u16(m.version);
    w.bytes(m.random);
    w.vec8(m.session_id);
    w.vec8(m.cookie);
    write_u16_list(w, m.cipher_suites);
    w.vec8(m.compression_methods);
    return encode_extensions_block(m.extensions, ExtensionContext::client_hello, w) && w.ok();
}

// --- ServerHello ------------------------------------------------------------

Result<ServerHello> decode_server_hello(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "ServerHello";
    wire::Reader r(body);
    ServerHello m;
    if (!r.u16(m.version) || !read_random(r, m.random)) return malformed(kName, "truncated");
    if (!read_session_id(r, m.session_id)) return malformed(kName, "bad session_id");
    if (!r.u16(m.cipher_suite) || !r.u8(m.compression_method)) return malformed(kName, "truncated");
    // RFC 8446 4.1.3: the random says first whether this is a
    // HelloRetryRequest, whose extensions have bodies of their own.
    if (Status s = decode_extensions_block(r, server_hello_context(m.random), kName, m.extensions); !s) {
        return s.error();
    }
    if (!r.empty()) return malformed(kName, "trailing bytes");
    // RFC 7301 3.1: the server's protocol_name_list holds exactly one name.
    if (m.extensions.alpn && m.extensions.alpn->size() != 1) return malformed(kName, "ALPN must name one protocol");
    return m;
}

bool encode(const ServerHello& m, wire::Writer& w) {
    w.u16(m.version);
    w.bytes(m.random);
    w.vec8(m.session_id);
    w.u16(m.cipher_suite);
    w.u8(m.compression_method);
    return encode_extensions_block(m.extensions, server_hello_context(m.random), w) && w.ok();
}

// --- HelloVerifyRequest -----------------------------------------------------

Result<HelloVerifyRequest> decode_hello_verify_request(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "HelloVerifyRequest";
    wire::Reader r(body);
    HelloVerifyRequest m;
    std::span<const uint8_t> cookie;
    if (!r.u16(m.version) || !r.vec8(cookie)) return malformed(kName, "truncated");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    m.cookie = to_bytes(cookie);
    return m;
}

bool encode_hello_verify_request(uint16_t version, std::span<const uint8_t> cookie, wire::Writer& w) {
    w.u16(version);
    w.vec8(cookie);
    return w.ok();
}

bool encode(const HelloVerifyRequest& m, wire::Writer& w) { return encode_hello_verify_request(m.version, m.cookie, w); }

// --- Certificate ------------------------------------------------------------

Result<Certificate> decode_raw_public_key_certificate(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "Certificate";
    wire::Reader r(body);
    Certificate m;
    m.raw_public_key = true;
    std::span<const uint8_t> spki;
    if (!r.vec24(spki)) return malformed(kName, "bad ASN.1_subjectPublicKeyInfo (RFC 7250 3)");
    if (!spki.empty()) m.chain.push_back(to_bytes(spki));
    if (!r.empty()) return malformed(kName, "trailing bytes");
    return m;
}

Result<Certificate> decode_certificate(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "Certificate";
    wire::Reader r(body);
    Certificate m;
    if (!read_certificates(r, m.chain)) return malformed(kName, "bad certificate_list");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    return m;
}

bool encode(const Certificate& m, wire::Writer& w) {
    if (m.raw_public_key) {
        if (m.chain.size() > 1) return false;
        w.vec24(m.chain.empty() ? Bytes{} : m.chain.front());
        return w.ok();
    }
    w.vec24([&] {
        for (const Bytes& cert : m.chain) w.vec24(cert);
    });
    return w.ok();
}

// --- ServerKeyExchange ------------------------------------------------------

Result<ServerKeyExchange> decode_server_key_exchange(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "ServerKeyExchange";
    wire::Reader r(body);
    ServerKeyExchange m;
    uint8_t curve_type;
    std::span<const uint8_t> signature;
    if (!r.u8(curve_type)) return malformed(kName, "truncated");
    // explicit_prime and explicit_char2 curves are deprecated (RFC 8422 5.4).
    if (curve_type != kNamedCurve) return forbidden(kName, "curve_type is not named_curve");
    if (!r.u16(m.group)) return malformed(kName, "truncated");
    if (!read_point(r, m.public_key)) return malformed(kName, "bad public point");
    if (!r.u16(m.signature_scheme) || !r.vec16(signature)) return malformed(kName, "bad signature");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    m.signature = to_bytes(signature);
    return m;
}

bool encode(const ServerKeyExchange& m, wire::Writer& w) {
    write_ec_parameters(m, w);
    w.u16(m.signature_scheme);
    w.vec16(m.signature);
    return w.ok();
}

Result<Bytes> server_key_exchange_signed_data(const Random& client_random, const Random& server_random,
                                              const ServerKeyExchange& ske) {
    Bytes out;
    wire::Writer w(out);
    w.bytes(client_random);
    w.bytes(server_random);
    write_ec_parameters(ske, w);
    if (!w.ok()) return Error::from(Fault::internal_failure, "ServerKeyExchange: public key too long to encode");
    return out;
}

// --- CertificateRequest -----------------------------------------------------

Result<CertificateRequest> decode_certificate_request(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "CertificateRequest";
    wire::Reader r(body);
    CertificateRequest m;
    if (!read_u8_list(r, m.certificate_types)) return malformed(kName, "bad certificate_types");
    if (!read_u16_list(r, m.signature_schemes)) return malformed(kName, "bad supported_signature_algorithms");
    if (!read_authorities(r, m.authorities)) return malformed(kName, "bad certificate_authorities");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    return m;
}

bool encode(const CertificateRequest& m, wire::Writer& w) {
    w.vec8(m.certificate_types);
    write_u16_list(w, m.signature_schemes);
    w.vec16([&] {
        for (const Bytes& name : m.authorities) w.vec16(name);
    });
    return w.ok();
}

// --- ServerHelloDone --------------------------------------------------------

Result<ServerHelloDone> decode_server_hello_done(std::span<const uint8_t> body) {
    if (!body.empty()) return malformed("ServerHelloDone", "trailing bytes");
    return ServerHelloDone{};
}

bool encode(const ServerHelloDone&, wire::Writer& w) { return w.ok(); }

// --- CertificateVerify ------------------------------------------------------

Result<CertificateVerify> decode_certificate_verify(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "CertificateVerify";
    wire::Reader r(body);
    CertificateVerify m;
    std::span<const uint8_t> signature;
    if (!r.u16(m.signature_scheme) || !r.vec16(signature)) return malformed(kName, "truncated");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    m.signature = to_bytes(signature);
    return m;
}

bool encode(const CertificateVerify& m, wire::Writer& w) {
    w.u16(m.signature_scheme);
    w.vec16(m.signature);
    return w.ok();
}

// --- ClientKeyExchange ------------------------------------------------------

Result<ClientKeyExchange> decode_client_key_exchange(std::span<const uint8_t> body) {
    constexpr std::string_view kName = "ClientKeyExchange";
    wire::Reader r(body);
    ClientKeyExchange m;
    if (!read_point(r, m.public_key)) return malformed(kName, "bad public point");
    if (!r.empty()) return malformed(kName, "trailing bytes");
    return m;
}

bool encode(const ClientKeyExchange& m, wire::Writer& w) {
    w.vec8(m.public_key);
    return w.ok();
}

// --- Finished ---------------------------------------------------------------

// verify_data is the whole body; every suite we offer uses the default
// verify_data_length of 12 (RFC 5246 7.4.9).
constexpr size_t kVerifyDataLength = 12;

Result<Finished> decode_finished(std::span<const uint8_t> body) {
    wire::Reader r(body);
    std::span<const uint8_t> verify_data;
    if (!r.bytes(kVerifyDataLength, verify_data)) return malformed("Finished", "verify_data shorter than 12 bytes");
    if (!r.empty()) return malformed("Finished", "trailing bytes");
    return Finished{to_bytes(verify_data)};
}

// DTLS 1.3 (RFC 8446 4.4.4): verify_data[Hash.length], the whole body.
Result<Finished> decode_finished(std::span<const uint8_t> body, size_t verify_data_length) {
    wire::Reader r(body);
    std::span<const uint8_t> verify_data;
    if (!r.bytes(verify_data_length, verify_data)) {
        return malformed("Finished", "verify_data shorter than " + std::to_string(verify_data_length) + " bytes");
    }
    if (!r.empty()) return malformed("Finished", "trailing bytes");
    return Finished{to_bytes(verify_data)};
}

bool encode(const Finished& m, wire::Writer& w) {
    w.bytes(m.verify_data);
    return w.ok();
}

}  // namespace dtls::messages
