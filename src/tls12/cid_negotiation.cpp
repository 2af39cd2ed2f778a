#include "tls12/cid_negotiation.hpp"

#include "crypto/random.hpp"

namespace dtls::tls12 {

Result<Bytes> issue_connection_id(const Config& config) {
    const size_t length = config.connection_id_length.value_or(0);
    if (length == 0) return Bytes{};
    if (config.connection_id_generator) {
        Bytes cid = config.connection_id_generator();
        if (cid.size() != length) {
            return Error::from(Fault::internal_failure, "connection_id_generator returned " +
                                                            std::to_string(cid.size()) + " bytes instead of " +
                                                            std::to_string(length));
        }
        return cid;
    }
    // Random CIDs keep one connection's records unlinkable to another's and
    // make a collision within an endpoint improbable (it is still checked).
    Bytes cid(length);
    if (!crypto::random_bytes(cid)) return Error::from(Fault::internal_failure, "the random generator failed");
    return cid;
}

Result<std::optional<Bytes>> cid_offer(const Config& config) {
    if (!config.connection_id_length) return std::optional<Bytes>();
    auto cid = issue_connection_id(config);
    if (!cid) return cid.error();
    return std::optional<Bytes>(std::move(*cid));
}

Result<std::optional<Bytes>> cid_answer(const Config& config, const std::optional<Bytes>& offer,
                                        Negotiated& negotiated) {
    if (!offer || !config.connection_id_length) return std::optional<Bytes>();
    auto cid = issue_connection_id(config);
    if (!cid) return cid.error();
    negotiated.connection_id = true;
    negotiated.our_connection_id = *cid;
    negotiated.peer_connection_id = *offer;
    return std::optional<Bytes>(std::move(*cid));
}

Status check_cid_answer(const std::optional<Bytes>& offered, const std::optional<Bytes>& answer,
                        Negotiated& negotiated) {
    if (!answer) return Ok{};
    if (!offered) {
        return Error::from(Fault::unsolicited_extension, "the server answered connection_id, which we did not offer");
    }
    negotiated.connection_id = true;
    negotiated.our_connection_id = *offered;
    negotiated.peer_connection_id = *answer;
    return Ok{};
}

}  // namespace dtls::tls12
