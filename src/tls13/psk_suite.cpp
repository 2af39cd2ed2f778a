#include "tls13/psk_suite.hpp"

#include <algorithm>
#include <optional>

#include "tls12/psk.hpp"
#include "tls13/handshake.hpp"
#include "tls13/negotiation.hpp"
#include "tls13/resumption.hpp"

namespace dtls::tls13 {
namespace {

bool has(const std::vector<uint8_t>& modes, uint8_t mode) {
    return std::find(modes.begin(), modes.end(), mode) != modes.end();
}

// The hash of the first offered PSK the server would take, as the server's
// find_resumption() tries them.
std::optional<crypto::HashAlgorithm> offered_psk_hash(const Config& config, const messages::ClientHello& hello,
                                                      resumption::TicketKeys* tickets, Instant now) {
    const messages::Extensions& ext = hello.extensions;
    if (!ext.offered_psks || !ext.psk_key_exchange_modes) return std::nullopt;
    const bool dhe_mode = has(*ext.psk_key_exchange_modes, kPskDheKe);
    const bool ke_mode = config.psk_without_dhe && has(*ext.psk_key_exchange_modes, kPskKe);
    if (!dhe_mode && !ke_mode) return std::nullopt;
    const auto& identities = ext.offered_psks->identities;
    const size_t tried = std::min(identities.size(), kMaxIdentitiesTried);
    for (size_t i = 0; i < tried; ++i) {
        if (tls12::server_has_psk(config) && tls12::find_psk(config, identities[i].identity)) {
            return crypto::HashAlgorithm::sha256;
        }
        if (!tickets || !dhe_mode) continue;
        std::optional<resumption::TicketContents> ticket = tickets->open(identities[i].identity, now);
        if (!ticket || ticket->version != ProtocolVersion::dtls1_3 ||
            ticket->server_name != ext.server_name.value_or("")) {
            continue;
        }
        if (const SuiteInfo* issued_with = find_suite(ticket->cipher_suite)) return issued_with->hash;
    }
    return std::nullopt;
}

}  // namespace

const SuiteInfo* suite_for_hello(const Config& config, const messages::ClientHello& hello,
                                 resumption::TicketKeys* tickets, Instant now) {
    const SuiteInfo* preferred = preferred_suite(config, hello);
    if (!preferred) return nullptr;
    std::optional<crypto::HashAlgorithm> psk_hash = offered_psk_hash(config, hello, tickets, now);
    if (!psk_hash || preferred->hash == *psk_hash) return preferred;
    for (uint16_t code : configured_suites(config)) {
        const SuiteInfo* suite = find_suite(code);
        if (suite && suite->hash == *psk_hash &&
            std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(), code) != hello.cipher_suites.end()) {
            return suite;
        }
    }
    return preferred;
}

}  // namespace dtls::tls13
