// Connection ID negotiation for DTLS 1.2 (RFC 9146 3): the CID this side
// issues, the client's offer, the server's answer and the client's check
// of that answer. Each side sends the CID it wants to receive; an empty
// one asks the peer to send records without a CID.
#pragma once

#include <optional>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/errors.hpp"

namespace dtls::tls12 {

// A CID to issue: Config::connection_id_length bytes from the application's
// generator, or random ones. An error when the generator returns another
// length (the application's mistake: the records it would route could not
// be framed) or the random generator fails.
Result<Bytes> issue_connection_id(const Config& config);

// The connection_id a client offers: none without connection_id_length.
Result<std::optional<Bytes>> cid_offer(const Config& config);

// A server's answer to `offer`: none unless the client offered and
// connection_id_length is set. Fills `negotiated` when there is one.
Result<std::optional<Bytes>> cid_answer(const Config& config, const std::optional<Bytes>& offer,
                                        Negotiated& negotiated);

// A client's check of the server's answer: one to a hello that offered none
// is unsupported_extension. Fills `negotiated` when the answer is accepted.
Status check_cid_answer(const std::optional<Bytes>& offered, const std::optional<Bytes>& answer,
                        Negotiated& negotiated);

}  // namespace dtls::tls12
