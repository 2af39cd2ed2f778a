// DTLS-SRTP negotiation (RFC 5764 4.1): the client's use_srtp offer, the
// server's choice, and the client's check of that choice. DTLS 1.2 carries
// the answer in the ServerHello, DTLS 1.3 in EncryptedExtensions; the rules
// are the same, so both handshakes use these.
#pragma once

#include <optional>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "messages/extensions.hpp"

namespace dtls::tls12 {

// The use_srtp extension a client offers: none without srtp_profiles.
std::optional<messages::UseSrtp> srtp_offer(const Config& config);

// A server's answer to `offer`: its first profile the client offered, with
// the client's MKI echoed only under srtp_accept_mki. None when either side
// has no profiles or none is in common (RFC 5764 4.1.1: the handshake goes on
// without SRTP). Fills `negotiated` when there is an answer.
std::optional<messages::UseSrtp> srtp_answer(const Config& config, const std::optional<messages::UseSrtp>& offer,
                                             Negotiated& negotiated);

// A client's check of the server's answer against what it offered: one
// profile, one it offered, and an MKI that is empty or the one it offered.
// Fills `negotiated` when the answer is accepted.
Status check_srtp_answer(const Config& config, const std::optional<messages::UseSrtp>& answer,
                         Negotiated& negotiated);

}  // namespace dtls::tls12
