#include "summary.hpp"

#include <cstdint>
#include <span>

namespace dtls_tool {

namespace {

// Lower case, as the SDP and key log conventions our users compare with.
std::string to_hex(std::span<const uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * bytes.size());
    for (uint8_t byte : bytes) {
        out += digits[byte >> 4];
        out += digits[byte & 0x0F];
    }
    return out;
}

}  // namespace

std::string describe(const dtls::Negotiated& n) {
    // A resumed DTLS 1.2 handshake reuses the session's master secret: it
    // has no key exchange, so no group. The PSK alone has none either.
    const bool no_key_exchange = n.resumed && n.version == dtls::ProtocolVersion::dtls1_2;
    const bool no_group = n.group == dtls::NamedGroup{};
    std::string out = std::string(dtls::to_string(n.version)) + ", " + dtls::to_string(n.cipher_suite) + ", " +
                      (no_key_exchange ? std::string("no key exchange")
                                       : no_group ? std::string("no (EC)DHE") : std::string(dtls::to_string(n.group)));
    if (!n.alpn.empty()) out += ", ALPN " + n.alpn;
    if (n.srtp_profile) out += std::string(", SRTP ") + dtls::to_string(*n.srtp_profile);
    if (!n.srtp_mki.empty()) out += ", MKI " + to_hex(n.srtp_mki);
    if (n.resumed) out += ", resumed";
    if (!n.psk_identity.empty()) out += ", PSK identity " + n.psk_identity;
    if (n.server_certificate_type == dtls::CertificateType::raw_public_key) out += ", server raw public key";
    if (n.client_certificate_type == dtls::CertificateType::raw_public_key) out += ", client raw public key";
    return out;
}

std::optional<std::string> describe_record_size_limit(const dtls::Negotiated& n) {
    if (!n.peer_record_size_limit || !n.record_size_limit) return std::nullopt;
    return "record size limit: the peer's " + std::to_string(*n.peer_record_size_limit) + ", ours " +
           std::to_string(*n.record_size_limit) + (n.max_fragment_length ? " (max_fragment_length)" : "");
}

std::optional<std::string> describe_connection_id(const dtls::Negotiated& n) {
    if (!n.connection_id) return std::nullopt;
    auto text = [](const dtls::Bytes& cid) { return cid.empty() ? std::string("none") : to_hex(cid); };
    return "connection ID: ours " + text(n.our_connection_id) + ", the peer's " + text(n.peer_connection_id);
}

std::optional<std::string> describe_return_routability_check(const dtls::Negotiated& n) {
    if (!n.connection_id) return std::nullopt;
    return std::string("return routability check (RFC 9853): ") + (n.return_routability_check ? "agreed" : "not agreed");
}

dtls::Result<std::string> exported_keying_material(const dtls::Connection& connection, const ExportRequest& request) {
    auto material = connection.export_keying_material(request.label, {}, false, request.length);
    if (!material) {
        return dtls::Error{material.error().code, std::nullopt,
                           "cannot export keying material: " + material.error().reason};
    }
    return "exported keying material " + request.label + " " + std::to_string(request.length) + ": " +
           to_hex(*material);
}

}  // namespace dtls_tool
