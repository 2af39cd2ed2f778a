// Return routability check negotiation (RFC 9853 3): the client's rrc
// offer, the server's answer and the client's check of it. rrc goes only
// with connection_id: a client offers it only beside its connection_id
// offer, and a server answers it only when it answers connection_id too.
// The rules are the same for DTLS 1.3 (RFC 9853 10.2: the answer is in the
// ServerHello there too), so src/tls13/ uses these as they are.
#pragma once

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "messages/extensions.hpp"

namespace dtls::tls12 {

// Whether a client whose hello carries `offer` (connection_id already
// decided) offers rrc: Config::return_routability_check and a CID offer.
bool rrc_offer(const Config& config, const messages::Extensions& offer);

// A server's answer to the client's hello `offer`, given the ServerHello
// extensions `answer` it is building (connection_id already decided):
// rrc only when the client offered it with connection_id, we answer
// connection_id, and Config::return_routability_check. Fills `negotiated`.
bool rrc_answer(const Config& config, const messages::Extensions& offer, const messages::Extensions& answer,
                Negotiated& negotiated);

// A client's check of the ServerHello: rrc we did not offer is
// unsupported_extension, and so is rrc without connection_id (RFC 9853 3:
// the server MUST NOT send one without the other). Fills `negotiated`.
Status check_rrc_answer(const messages::Extensions& offered, const messages::Extensions& answer,
                        Negotiated& negotiated);

}  // namespace dtls::tls12
