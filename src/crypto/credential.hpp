// What dtls::Credential holds: the chain as DER and the parsed private key.
#pragma once

#include <vector>

#include "crypto/signature.hpp"
#include "dtls/config.hpp"

namespace dtls::detail {

struct CredentialData {
    std::vector<Bytes> chain;  // leaf first
    crypto::PrivateKey key;
};

}  // namespace dtls::detail
