#include "tls12/record_size_negotiation.hpp"

namespace dtls::tls12 {

namespace {

// RFC 8449 4: the protocol's maximum, which a server with no limit of its
// own announces; DTLS 1.3's counts the content type byte.
constexpr uint16_t protocol_maximum(bool dtls13) { return dtls13 ? kMaxRecordSizeLimit + 1 : kMaxRecordSizeLimit; }

}  // namespace

std::optional<uint16_t> record_size_limit_offer(const Config& config, bool may_be_dtls12) {
    if (config.record_size_limit == 0) return std::nullopt;
    return static_cast<uint16_t>(may_be_dtls12 ? config.record_size_limit : config.record_size_limit + 1);
}

void record_size_answer(const Config& config, const messages::Extensions& offer, bool dtls13,
                        messages::Extensions& answer, Negotiated& negotiated) {
    if (offer.record_size_limit) {
        const uint16_t ours = config.record_size_limit == 0
                                  ? protocol_maximum(dtls13)
                                  : static_cast<uint16_t>(config.record_size_limit + (dtls13 ? 1 : 0));
        answer.record_size_limit = ours;
        negotiated.record_size_limit = ours;
        negotiated.peer_record_size_limit = *offer.record_size_limit;
        return;
    }
    if (offer.max_fragment_length) {
        // RFC 6066 4: the server echoes the value, and from then on both
        // sides send at most 2^(8+code) bytes of plaintext per record.
        answer.max_fragment_length = offer.max_fragment_length;
        const auto length = static_cast<uint16_t>(1u << (8 + *offer.max_fragment_length));
        negotiated.record_size_limit = length;
        negotiated.peer_record_size_limit = length;
        negotiated.max_fragment_length = true;
    }
}

Status check_record_size_answer(std::optional<uint16_t> offered, const messages::Extensions& answer,
                                Negotiated& negotiated) {
    // We never offer max_fragment_length: record_size_limit replaces it.
    if (answer.max_fragment_length) {
        return Error::from(Fault::unsolicited_extension,
                           "the server answered max_fragment_length, which we did not offer");
    }
    if (!answer.record_size_limit) return Ok{};
    if (!offered) {
        return Error::from(Fault::unsolicited_extension,
                           "the server answered record_size_limit, which we did not offer");
    }
    negotiated.record_size_limit = *offered;
    negotiated.peer_record_size_limit = *answer.record_size_limit;
    return Ok{};
}

}  // namespace dtls::tls12
