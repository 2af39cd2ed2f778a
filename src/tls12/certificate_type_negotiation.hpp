// Certificate type negotiation (RFC 7250 4): which of X.509 and raw public
// keys each side's Certificate message carries. The client offers
// server_certificate_type and client_certificate_type, the server answers
// (in the ServerHello in DTLS 1.2, in EncryptedExtensions in DTLS 1.3) and
// the client checks the answer. The rules are the same in both versions, so
// both handshakes use these.
#pragma once

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/errors.hpp"
#include "messages/extensions.hpp"

namespace dtls::tls12 {

// "The types we accept" below are Config::certificate_types, less those we
// check the peer with but have nothing to check with: raw_public_key
// without trusted_raw_public_keys or a verifier, X.509 without trusted roots,
// peer_fingerprints or a verifier.
//
// Sets the two extensions of a client's hello: server_certificate_type with
// the types we accept when raw_public_key is one, and
// client_certificate_type with our credential's type when that is a raw
// public key. Under the default (X.509 alone) neither is sent.
void offer_certificate_types(const Config& config, messages::Extensions& hello);

// A server's answer to the client's `offer`: our credential's type for our
// certificate, and, when we would ask for a client certificate, the first
// type we accept that the client offered for its own. Answers each
// extension the client sent (into `answer`) and fills `negotiated`. Returns
// whether to ask for a client certificate: false when client_auth is none,
// or request without a type in common (RFC 7250 4.2 then omits
// client_certificate_type). Fault::no_common_certificate_type when the client
// accepts none of our certificate, or client_auth is require and no type of
// the client's is one we accept.
Result<bool> answer_certificate_types(const Config& config, const messages::Extensions& offer,
                                      messages::Extensions& answer, Negotiated& negotiated);

// A client's check of the server's answer against what
// offer_certificate_types() offered: an answer only to an extension we sent,
// naming a type we offered; no server_certificate_type means X.509, which
// must then be one we accept. Fills `negotiated` when the answer is accepted.
Status check_certificate_type_answer(const Config& config, const messages::Extensions& answer,
                                     Negotiated& negotiated);

// The type the peer's Certificate carries, as negotiated.
inline CertificateType peer_certificate_type(Role our_role, const Negotiated& negotiated) {
    return our_role == Role::client ? negotiated.server_certificate_type : negotiated.client_certificate_type;
}

// Whether our credential is of the type the server asked the client for
// (a client whose credential is not sends an empty Certificate).
inline bool credential_fits(const Config& config, const Negotiated& negotiated) {
    return config.credential && config.credential->type() == negotiated.client_certificate_type;
}

}  // namespace dtls::tls12
