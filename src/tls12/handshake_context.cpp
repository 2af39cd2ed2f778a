#include "crypto/certificate_chain.hpp"
#include "crypto/hash.hpp"
#include "handshake/fragment.hpp"
#include "tls12/handshake.hpp"

namespace dtls::tls12 {

Error alert_error(Alert alert, std::string reason) { return Error{ErrorCode::alert_sent, alert, std::move(reason)}; }

Error unexpected(const handshake::Message& m, const Handshake& h) {
    return alert_error(Alert::unexpected_message,
                       std::string(handshake::to_string(m.type)) + " received while waiting for " + h.waiting_for());
}

void HandshakeContext::record_received(const handshake::Message& m) {
    handshake::append_transcript_form(m.type, m.seq, m.body, transcript);
}

handshake::FlightMessage HandshakeContext::make_message(handshake::HandshakeType type, Bytes body, uint16_t epoch) {
    handshake::FlightMessage m;
    m.content = record::ContentType::handshake;
    m.epoch = epoch;
    m.type = type;
    m.seq = next_send_seq++;
    m.body = std::move(body);
    handshake::append_transcript_form(m.type, m.seq, m.body, transcript);
    return m;
}

handshake::FlightMessage HandshakeContext::change_cipher_spec() {
    handshake::FlightMessage m;
    m.content = record::ContentType::change_cipher_spec;
    m.epoch = 0;
    m.body = {1};
    return m;
}

Bytes HandshakeContext::transcript_hash() const { return crypto::digest(keys->suite().prf_hash, transcript); }

Status HandshakeContext::install_keys(std::span<const uint8_t> premaster, bool client) {
    Bytes session_hash;
    if (negotiated.extended_master_secret) session_hash = transcript_hash();
    keys->derive_master_secret(premaster, session_hash);
    if (config.keylog) config.keylog(keys->keylog_line());

    TrafficKeys k = keys->traffic_keys();
    const SuiteInfo& suite = keys->suite();
    using Direction = record::RecordProtection::Direction;
    const crypto::SecretBytes& write_key = client ? k.client_key : k.server_key;
    const crypto::SecretBytes& write_iv = client ? k.client_iv : k.server_iv;
    const crypto::SecretBytes& read_key = client ? k.server_key : k.client_key;
    const crypto::SecretBytes& read_iv = client ? k.server_iv : k.client_iv;
    auto write = record::RecordProtection::create(suite.aead, Direction::seal, write_key.span(), write_iv.span());
    auto read = record::RecordProtection::create(suite.aead, Direction::open, read_key.span(), read_iv.span());
    if (!write) return write.error();
    if (!read) return read.error();
    records.set_write_keys(std::move(*write));
    records.set_read_keys(std::move(*read));
    return Ok{};
}

Result<crypto::PublicKey> HandshakeContext::check_peer_chain(const std::vector<Bytes>& chain, bool peer_is_server) {
    if (chain.empty()) return alert_error(Alert::bad_certificate, "peer sent no certificate");
    negotiated.peer_chain = chain;

    // Parsed once: the trust store and the signature check share the result.
    Result<crypto::CertificateChain> parsed =
        crypto::CertificateChain::parse(chain, trust ? &trust->certificate_cache() : nullptr);
    const bool verify = peer_is_server ? config.verify_peer : true;
    if (verify) {
        CertificateCheck check{chain, false, {}};
        Alert alert = Alert::bad_certificate;
        if (trust) {
            std::string name = peer_is_server ? config.server_name : std::string();
            crypto::ChainVerdict verdict{false, Alert::bad_certificate, parsed ? "" : parsed.error().reason};
            if (parsed) verdict = trust->verify(*parsed, name, peer_is_server);
            check.trusted = verdict.trusted;
            check.store_error = verdict.error;
            alert = verdict.alert;
        } else {
            check.store_error = "no trusted certificates configured";
            alert = Alert::unknown_ca;
        }
        if (config.verifier) {
            VerifyDecision decision = config.verifier(check);
            if (!decision.accept) {
                return alert_error(Alert::bad_certificate, "certificate rejected by verifier: " + decision.reason);
            }
        } else if (!check.trusted) {
            return alert_error(alert, "certificate verify failed: " + check.store_error);
        }
    }

    if (!parsed) return alert_error(parsed.error().alert.value_or(Alert::bad_certificate),
                                        "peer certificate: " + parsed.error().reason);
    auto key = parsed->leaf_key();
    if (!key) return alert_error(Alert::unsupported_certificate, "peer certificate key: " + key.error().reason);
    return key;
}

}  // namespace dtls::tls12
