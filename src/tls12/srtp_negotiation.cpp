#include "tls12/srtp_negotiation.hpp"

#include <algorithm>

namespace dtls::tls12 {

std::optional<messages::UseSrtp> srtp_offer(const Config& config) {
    if (config.srtp_profiles.empty()) return std::nullopt;
    messages::UseSrtp offer;
    for (SrtpProfile p : config.srtp_profiles) offer.profiles.push_back(static_cast<uint16_t>(p));
    offer.mki = config.srtp_mki;
    return offer;
}

std::optional<messages::UseSrtp> srtp_answer(const Config& config, const std::optional<messages::UseSrtp>& offer,
                                             Negotiated& negotiated) {
    if (!offer) return std::nullopt;
    // Our preference decides, as for cipher suites; profiles we do not know
    // in the client's list are passed over.
    auto chosen = std::find_if(config.srtp_profiles.begin(), config.srtp_profiles.end(), [&](SrtpProfile p) {
        return std::find(offer->profiles.begin(), offer->profiles.end(), static_cast<uint16_t>(p)) !=
               offer->profiles.end();
    });
    if (chosen == config.srtp_profiles.end()) return std::nullopt;
    messages::UseSrtp answer;
    answer.profiles = {static_cast<uint16_t>(*chosen)};
    if (config.srtp_accept_mki) answer.mki = offer->mki;
    negotiated.srtp_profile = *chosen;
    negotiated.srtp_mki = answer.mki;
    return answer;
}

Status check_srtp_answer(const Config& config, const std::optional<messages::UseSrtp>& answer,
                         Negotiated& negotiated) {
    if (!answer) return Ok{};
    if (config.srtp_profiles.empty()) {
        return Error::from(Fault::unsolicited_extension, "the server answered use_srtp, which we did not offer");
    }
    if (answer->profiles.size() != 1) {
        return Error::from(Fault::forbidden_value, "the server's use_srtp holds " +
                                                       std::to_string(answer->profiles.size()) +
                                                       " profiles instead of the one it chose");
    }
    const uint16_t profile = answer->profiles.front();
    auto offered = std::find_if(config.srtp_profiles.begin(), config.srtp_profiles.end(),
                                [&](SrtpProfile p) { return static_cast<uint16_t>(p) == profile; });
    if (offered == config.srtp_profiles.end()) {
        return Error::from(Fault::not_offered, "the server chose SRTP profile " + std::to_string(profile) +
                                                   ", which we did not offer");
    }
    // RFC 5764 4.1.3: an empty MKI declines ours; any other must be ours.
    if (!answer->mki.empty() && answer->mki != config.srtp_mki) {
        return Error::from(Fault::forbidden_value, "the server's SRTP MKI is not the one we offered");
    }
    negotiated.srtp_profile = *offered;
    negotiated.srtp_mki = answer->mki;
    return Ok{};
}

}  // namespace dtls::tls12
