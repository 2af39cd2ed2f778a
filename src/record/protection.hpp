// The protection of one epoch in one direction: DTLS 1.2's AEAD with the
// 13-byte header (RecordProtection), DTLS 1.2's with a connection ID in a
// tls12_cid record (CidProtection, RFC 9146), or DTLS 1.3's with the unified
// header and encrypted record numbers (Dtls13Protection). The epoch table
// holds one per protected epoch; which one decides the record format of that
// epoch.
#pragma once

#include <variant>

#include "record/cid_protection.hpp"
#include "record/dtls13_protection.hpp"
#include "record/record_protection.hpp"

namespace dtls::record {

using Protection = std::variant<RecordProtection, Dtls13Protection, CidProtection>;

}  // namespace dtls::record
