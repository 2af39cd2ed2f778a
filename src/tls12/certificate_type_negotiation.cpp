#include "tls12/certificate_type_negotiation.hpp"

#include <algorithm>
#include <string>

namespace dtls::tls12 {

namespace {

bool listed(const std::vector<uint8_t>& types, CertificateType type) {
    return std::find(types.begin(), types.end(), static_cast<uint8_t>(type)) != types.end();
}

// The types we take from the peer: certificate_types, less those we check
// the peer with but have nothing to check with (a side whose credential is
// a raw key, or a certificate, lists its type for itself, and may want the
// other type from its peer).
std::vector<CertificateType> accepted_from_peer(const Config& config, bool checks_peer) {
    const bool x509_checkable = !checks_peer || config.verifier || !config.peer_fingerprints.empty() ||
                                !config.ca_file.empty() || !config.ca_path.empty() || !config.ca_pem.empty();
    const bool raw_key_checkable = !checks_peer || config.verifier || !config.trusted_raw_public_keys.empty();
    std::vector<CertificateType> types;
    for (CertificateType t : config.certificate_types) {
        if (t == CertificateType::raw_public_key ? raw_key_checkable : x509_checkable) types.push_back(t);
    }
    return types;
}

bool accepted(const std::vector<CertificateType>& types, CertificateType type) {
    return std::find(types.begin(), types.end(), type) != types.end();
}

Error no_common_type(const std::string& why) { return Error::from(Fault::no_common_certificate_type, why); }

}  // namespace

void offer_certificate_types(const Config& config, messages::Extensions& hello) {
    const std::vector<CertificateType> types = accepted_from_peer(config, config.verify_peer);
    if (accepted(types, CertificateType::raw_public_key)) {
        hello.server_certificate_types.emplace();
        for (CertificateType t : types) {
            hello.server_certificate_types->push_back(static_cast<uint8_t>(t));
        }
    }
    // A client with an X.509 credential sends no list: X.509 is what the
    // extension's absence means.
    if (config.credential && config.credential->type() == CertificateType::raw_public_key) {
        hello.client_certificate_types = std::vector<uint8_t>{static_cast<uint8_t>(CertificateType::raw_public_key)};
    }
}

Result<bool> answer_certificate_types(const Config& config, const messages::Extensions& offer,
                                      messages::Extensions& answer, Negotiated& negotiated) {
    // Ours: we have one credential, so its type or nothing.
    const CertificateType ours = config.credential->type();
    if (offer.server_certificate_types) {
        if (!listed(*offer.server_certificate_types, ours)) {
            return no_common_type(std::string("the client does not accept our certificate type (") + to_string(ours) +
                                  ")");
        }
        answer.server_certificate_types = std::vector<uint8_t>{static_cast<uint8_t>(ours)};
    } else if (ours != CertificateType::x509) {
        return no_common_type("the client accepts only X.509 certificates and we have a raw public key");
    }
    negotiated.server_certificate_type = ours;

    if (config.client_auth == ClientAuth::none) return false;
    // A client that sends no list can only show X.509.
    const std::vector<uint8_t> theirs =
        offer.client_certificate_types.value_or(std::vector<uint8_t>{static_cast<uint8_t>(CertificateType::x509)});
    const std::vector<CertificateType> types = accepted_from_peer(config, true);
    auto chosen = std::find_if(types.begin(), types.end(), [&](CertificateType t) { return listed(theirs, t); });
    if (chosen == types.end()) {
        if (config.client_auth == ClientAuth::require) {
            return no_common_type("the client can show no certificate type we accept");
        }
        return false;
    }
    if (offer.client_certificate_types) answer.client_certificate_types = std::vector<uint8_t>{static_cast<uint8_t>(*chosen)};
    negotiated.client_certificate_type = *chosen;
    return true;
}

Status check_certificate_type_answer(const Config& config, const messages::Extensions& answer,
                                     Negotiated& negotiated) {
    messages::Extensions offered;
    offer_certificate_types(config, offered);
    // The codec reads exactly one type from an answer.
    if (answer.server_certificate_types) {
        if (!offered.server_certificate_types) {
            return Error::from(Fault::unsolicited_extension,
                               "the server answered server_certificate_type, which we did not offer");
        }
        const uint8_t type = answer.server_certificate_types->front();
        if (!listed(*offered.server_certificate_types, static_cast<CertificateType>(type))) {
            return Error::from(Fault::not_offered,
                               "the server chose certificate type " + std::to_string(type) + ", which we did not offer");
        }
        negotiated.server_certificate_type = static_cast<CertificateType>(type);
    } else {
        if (!accepted(accepted_from_peer(config, config.verify_peer), CertificateType::x509)) {
            return no_common_type("the server did not agree to a raw public key and we do not accept X.509");
        }
        negotiated.server_certificate_type = CertificateType::x509;
    }
    if (answer.client_certificate_types) {
        if (!offered.client_certificate_types) {
            return Error::from(Fault::unsolicited_extension,
                               "the server answered client_certificate_type, which we did not offer");
        }
        const uint8_t type = answer.client_certificate_types->front();
        if (!listed(*offered.client_certificate_types, static_cast<CertificateType>(type))) {
            return Error::from(Fault::not_offered, "the server asked for certificate type " + std::to_string(type) +
                                                       ", which we did not offer");
        }
        negotiated.client_certificate_type = static_cast<CertificateType>(type);
    } else {
        negotiated.client_certificate_type = CertificateType::x509;
    }
    return Ok{};
}

}  // namespace dtls::tls12
