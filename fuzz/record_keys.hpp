// Fixed record keys for the record fuzz target and its seed generator,
// chosen by the input's first byte.
#pragma once

#include <cstdint>

#include "record/epoch_table.hpp"

namespace dtls::fuzz {

// Bit 3 of the selector picks DTLS 1.3 records (the unified header with
// encrypted record numbers, epoch 3) over DTLS 1.2 records (epoch 1).
inline bool selects_dtls13(uint8_t selector) { return (selector & 0x08) != 0; }
inline uint64_t epoch_of(uint8_t selector) { return selects_dtls13(selector) ? 3 : 1; }

// An epoch table whose epoch_of(selector) is open in both directions under
// fixed keys of AEAD number `selector % 3` (AES-128-GCM, AES-256-GCM,
// ChaCha20-Poly1305; for DTLS 1.3, `selector % 5` also reaches AES-128-CCM
// and AES-128-CCM_8). Sealing with one table and opening with another made
// from the same selector round-trips.
record::EpochTable epoch_table_with_keys(uint8_t selector);

}  // namespace dtls::fuzz
