// DTLS 1.3's connection ID messages (RFC 9147 9): NewConnectionId, which
// gives the peer CIDs to put in its records from now on (cid_immediate) or
// to keep for later (cid_spare), and RequestConnectionId, which asks the
// peer for more.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "messages/messages.hpp"

namespace dtls::messages {

enum class ConnectionIdUsage : uint8_t {
    cid_immediate = 0,
    cid_spare = 1,
};

struct NewConnectionId {
    std::vector<Bytes> cids;  // each 1..255 bytes (an empty one is refused: see the decoder)
    ConnectionIdUsage usage = ConnectionIdUsage::cid_spare;
};

struct RequestConnectionId {
    uint8_t num_cids = 0;
};

// A CID list longer than its 16-bit length field allows is malformed, as is
// any trailing byte. Refused as forbidden values: a usage other than the
// two defined, an empty CID (records cannot carry one: the C bit would be
// set with nothing after it), and cid_immediate without any CID to use.
Result<NewConnectionId> decode_new_connection_id(std::span<const uint8_t> body);
Result<RequestConnectionId> decode_request_connection_id(std::span<const uint8_t> body);

[[nodiscard]] bool encode(const NewConnectionId& m, wire::Writer& w);
[[nodiscard]] bool encode(const RequestConnectionId& m, wire::Writer& w);

}  // namespace dtls::messages
