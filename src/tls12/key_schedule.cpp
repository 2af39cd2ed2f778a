#include "tls12/key_schedule.hpp"

#include <algorithm>

#include "engine/key_log.hpp"

namespace dtls::tls12 {

namespace {

Bytes concat(std::span<const uint8_t> a, std::span<const uint8_t> b) {
    Bytes out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

Error prf_failed() { return Error::from(Fault::internal_failure, "the TLS 1.2 PRF failed"); }

// RFC 5705 4: the context's length is a uint16 in the PRF seed.
constexpr size_t kMaxExporterContext = 0xFFFF;

}  // namespace

KeySchedule::KeySchedule(const SuiteInfo& suite, const messages::Random& client_random,
                         const messages::Random& server_random)
    : suite_(suite), client_random_(client_random), server_random_(server_random) {}

Status KeySchedule::derive_master_secret(std::span<const uint8_t> premaster, std::span<const uint8_t> session_hash) {
    master_secret_ = crypto::SecretBytes(48);
    bool ok;
    if (!session_hash.empty()) {
        ok = crypto::prf(suite_.prf_hash, premaster, "extended master secret", session_hash, master_secret_.span());
    } else {
        Bytes seed = concat(client_random_, server_random_);
        ok = crypto::prf(suite_.prf_hash, premaster, "master secret", seed, master_secret_.span());
    }
    if (!ok) {
        master_secret_.clear();
        return prf_failed();
    }
    return Ok{};
}

Result<TrafficKeys> KeySchedule::traffic_keys() const {
    // AEAD suites have no MAC keys: key_block = client key, server key,
    // client IV, server IV (RFC 5246 6.3, RFC 5288 3).
    const size_t k = suite_.key_length, iv = suite_.iv_length;
    crypto::SecretBytes block(2 * k + 2 * iv);
    Bytes seed = concat(server_random_, client_random_);
    if (!crypto::prf(suite_.prf_hash, master_secret_.span(), "key expansion", seed, block.span())) return prf_failed();
    std::span<const uint8_t> b = block.span();
    TrafficKeys keys;
    keys.client_key = crypto::SecretBytes(b.subspan(0, k));
    keys.server_key = crypto::SecretBytes(b.subspan(k, k));
    keys.client_iv = crypto::SecretBytes(b.subspan(2 * k, iv));
    keys.server_iv = crypto::SecretBytes(b.subspan(2 * k + iv, iv));
    return keys;
}

Result<Bytes> KeySchedule::finished(bool from_client, std::span<const uint8_t> transcript_hash) const {
    Bytes out(12);
    if (!crypto::prf(suite_.prf_hash, master_secret_.span(), from_client ? "client finished" : "server finished",
                     transcript_hash, out)) {
        return prf_failed();
    }
    return out;
}

Result<Bytes> KeySchedule::export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                                  bool use_context, size_t length) const {
    if (master_secret_.empty()) {
        return Error{ErrorCode::invalid_state, std::nullopt, "keying material is available once established"};
    }
    if (use_context && context.size() > kMaxExporterContext) {
        return Error{ErrorCode::invalid_argument, std::nullopt,
                     "exporter context of " + std::to_string(context.size()) +
                         " bytes is longer than the 65535 bytes RFC 5705 allows"};
    }
    Bytes seed = concat(client_random_, server_random_);
    if (use_context) {
        seed.push_back(static_cast<uint8_t>(context.size() >> 8));
        seed.push_back(static_cast<uint8_t>(context.size()));
        seed.insert(seed.end(), context.begin(), context.end());
    }
    Bytes out(length);
    if (!crypto::prf(suite_.prf_hash, master_secret_.span(), label, seed, out)) return prf_failed();
    return out;
}

std::string KeySchedule::keylog_line() const {
    return engine::key_log_line("CLIENT_RANDOM", client_random_, master_secret_.span());
}

}  // namespace dtls::tls12
