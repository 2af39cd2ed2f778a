#include "tls12/rrc_negotiation.hpp"

namespace dtls::tls12 {

bool rrc_offer(const Config& config, const messages::Extensions& offer) {
    return config.return_routability_check && offer.connection_id.has_value();
}

bool rrc_answer(const Config& config, const messages::Extensions& offer, const messages::Extensions& answer,
                Negotiated& negotiated) {
    if (!config.return_routability_check || !offer.rrc || !offer.connection_id || !answer.connection_id) return false;
    negotiated.return_routability_check = true;
    return true;
}

Status check_rrc_answer(const messages::Extensions& offered, const messages::Extensions& answer,
                        Negotiated& negotiated) {
    if (!answer.rrc) return Ok{};
    if (!offered.rrc) return Error::from(Fault::unsolicited_extension, "the server answered rrc, which we did not offer");
    if (!answer.connection_id) {
        return Error::from(Fault::unsolicited_extension, "the server answered rrc without connection_id (RFC 9853 3)");
    }
    negotiated.return_routability_check = true;
    return Ok{};
}

}  // namespace dtls::tls12
