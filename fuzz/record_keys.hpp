// Fixed record keys for the record fuzz target and its seed generator, one
// per AEAD, chosen by the input's first byte.
#pragma once

#include <cstdint>

#include "record/epoch_table.hpp"

namespace dtls::fuzz {

// An epoch table whose epoch 1 is open in both directions under the keys of
// AEAD number `selector % 3` (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305).
// Sealing with one and opening with another of the same selector round-trips.
record::EpochTable epoch_table_with_keys(uint8_t selector);

}  // namespace dtls::fuzz
