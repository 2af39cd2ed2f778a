#include "tls13/versions.hpp"

#include <algorithm>

#include "tls12/handshake.hpp"
#include "tls13/handshake.hpp"

namespace dtls::tls13 {

namespace {

using messages::HandshakeType;
using Action = engine::FragmentRule::Action;

// Whether the server's first answer is a DTLS 1.2 one: a HelloVerifyRequest
// (which DTLS 1.3 servers never send, RFC 9147 5), or a ServerHello without
// supported_versions. A ServerHello that does not parse is left to the
// DTLS 1.3 client to refuse.
bool answers_as_dtls12(const transport::Message& m) {
    if (m.type == HandshakeType::hello_verify_request) return true;
    if (m.type != HandshakeType::server_hello) return false;
    auto sh = messages::decode_server_hello(m.body);
    return sh && !sh->extensions.supported_versions;
}

class VersionChoosingClient final : public engine::Protocol {
public:
    VersionChoosingClient(std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust)
        : config_(std::move(config)), trust_(std::move(trust)), dtls13_(make_dtls13_client(config_, trust_)) {}

    void at(Instant now) override {
        now_ = now;
        active().at(now);
    }
    Result<engine::Step> start() override { return dtls13_->start(); }

    Result<engine::Step> on_message(const transport::Message& m) override {
        if (dtls13_ && dtls13_->first_hello() && answers_as_dtls12(m)) {
            if (!config_->enables(ProtocolVersion::dtls1_2)) {
                return Error::from(Fault::unsupported_version, "the server speaks DTLS 1.2, which is not enabled");
            }
            auto dtls12 = tls12::make_client_after_hello(config_, trust_, *dtls13_->first_hello());
            if (!dtls12) return dtls12.error();
            dtls12_ = std::move(*dtls12);
            dtls12_->at(now_);
            dtls13_.reset();
        }
        return active().on_message(m);
    }

    engine::CipherChange on_change_cipher_spec(uint64_t epoch, std::span<const uint8_t> payload) override {
        return active().on_change_cipher_spec(epoch, payload);
    }

    engine::FragmentRule screen(uint64_t epoch, const transport::FragmentHeader& header,
                                bool established) const override {
        // Until the server has answered, its answer may be a DTLS 1.2 one.
        if (dtls13_ && dtls13_->first_hello() && epoch == 0 &&
            header.type == HandshakeType::hello_verify_request) {
            return {};
        }
        return active().screen(epoch, header, established);
    }

    const Negotiated& negotiated() const override { return active().negotiated(); }
    void finish() override { active().finish(); }
    bool acknowledges_records() const override { return active().acknowledges_records(); }
    Result<engine::Step> update_keys(bool request_peer) override { return active().update_keys(request_peer); }
    bool use_spare_connection_id() override { return active().use_spare_connection_id(); }
    void flight_acknowledged() override { active().flight_acknowledged(); }
    std::optional<Error> on_unauthenticated_record() override { return active().on_unauthenticated_record(); }
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context, bool use_context,
                                         size_t length) const override {
        return active().export_keying_material(label, context, use_context, length);
    }

private:
    engine::Protocol& active() { return dtls13_ ? static_cast<engine::Protocol&>(*dtls13_) : *dtls12_; }
    const engine::Protocol& active() const {
        return dtls13_ ? static_cast<const engine::Protocol&>(*dtls13_) : *dtls12_;
    }

    std::shared_ptr<const Config> config_;
    std::shared_ptr<const crypto::TrustStore> trust_;
    std::unique_ptr<Handshake> dtls13_;  // until the server chooses DTLS 1.2
    std::unique_ptr<engine::Protocol> dtls12_;
    Instant now_{};
};

class VersionChoosingServer final : public engine::Protocol {
public:
    VersionChoosingServer(std::shared_ptr<const Config> config, std::shared_ptr<const crypto::TrustStore> trust,
                          std::optional<RetryContext> retry, std::shared_ptr<resumption::TicketKeys> tickets,
                          std::shared_ptr<resumption::SessionIdCache> session_ids)
        : config_(std::move(config)),
          trust_(std::move(trust)),
          retry_(std::move(retry)),
          tickets_(std::move(tickets)),
          session_ids_(std::move(session_ids)) {}

    void at(Instant now) override {
        now_ = now;
        if (chosen_) chosen_->at(now);
    }

    Result<engine::Step> start() override {
        engine::Step step;
        step.await_reply = false;
        return step;
    }

    Result<engine::Step> on_message(const transport::Message& m) override {
        if (!chosen_) {
            if (m.type != HandshakeType::client_hello) {
                return Error::from(Fault::unexpected_message, "expected ClientHello");
            }
            auto hello = messages::decode_client_hello(m.body);
            if (!hello) return hello.error();
            if (speaks_dtls13(*config_, *hello)) {
                chosen_ = make_dtls13_server(config_, trust_, std::move(retry_), tickets_);
            } else if (retry_) {
                // The front door answered this client's first hello as DTLS 1.3.
                return Error::from(Fault::forbidden_value, "the second ClientHello no longer offers DTLS 1.3");
            } else if (config_->enables(ProtocolVersion::dtls1_2)) {
                chosen_ = tls12::make_server(config_, trust_, tickets_, session_ids_);
            } else {
                return Error::from(Fault::unsupported_version, "the client does not offer DTLS 1.3");
            }
            chosen_->at(now_);
            if (auto started = chosen_->start(); !started) return started.error();
        }
        return chosen_->on_message(m);
    }

    engine::CipherChange on_change_cipher_spec(uint64_t epoch, std::span<const uint8_t> payload) override {
        if (!chosen_) return {true, "ChangeCipherSpec before the ClientHello", std::nullopt};
        return chosen_->on_change_cipher_spec(epoch, payload);
    }

    engine::FragmentRule screen(uint64_t epoch, const transport::FragmentHeader& header,
                                bool established) const override {
        if (chosen_) return chosen_->screen(epoch, header, established);
        if (epoch == 0 && header.type == HandshakeType::client_hello) return {};
        return {Action::ignore, "before the ClientHello"};
    }

    const Negotiated& negotiated() const override {
        // Shared by every connection: one per connection would add its size
        // to each idle connection's heap.
        static const Negotiated nothing;
        return chosen_ ? chosen_->negotiated() : nothing;
    }
    void finish() override {
        if (chosen_) chosen_->finish();
    }
    std::unique_ptr<engine::Protocol> release_chosen() override { return std::move(chosen_); }
    bool acknowledges_records() const override { return chosen_ && chosen_->acknowledges_records(); }
    Result<engine::Step> update_keys(bool request_peer) override {
        if (!chosen_) return Error{ErrorCode::invalid_state, std::nullopt, "keys can be updated once established"};
        return chosen_->update_keys(request_peer);
    }
    void flight_acknowledged() override {
        if (chosen_) chosen_->flight_acknowledged();
    }
    bool use_spare_connection_id() override { return chosen_ && chosen_->use_spare_connection_id(); }
    std::optional<Error> on_unauthenticated_record() override {
        return chosen_ ? chosen_->on_unauthenticated_record() : std::nullopt;
    }
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context, bool use_context,
                                         size_t length) const override {
        if (!chosen_) return Error{ErrorCode::invalid_state, std::nullopt, "no version negotiated"};
        return chosen_->export_keying_material(label, context, use_context, length);
    }

private:
    std::shared_ptr<const Config> config_;
    std::shared_ptr<const crypto::TrustStore> trust_;
    std::optional<RetryContext> retry_;
    std::shared_ptr<resumption::TicketKeys> tickets_;
    std::shared_ptr<resumption::SessionIdCache> session_ids_;
    Instant now_{};
    std::unique_ptr<engine::Protocol> chosen_;
};

}  // namespace

bool speaks_dtls13(const Config& config, const messages::ClientHello& hello) {
    if (!config.enables(ProtocolVersion::dtls1_3)) return false;
    const auto& versions = hello.extensions.supported_versions;
    return versions && std::find(versions->begin(), versions->end(), messages::kDtls13) != versions->end();
}

std::unique_ptr<engine::Protocol> make_client(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust) {
    if (!config->enables(ProtocolVersion::dtls1_3)) return tls12::make_client(std::move(config), std::move(trust));
    return std::make_unique<VersionChoosingClient>(std::move(config), std::move(trust));
}

std::unique_ptr<engine::Protocol> make_server(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust,
                                              std::optional<RetryContext> retry,
                                              std::shared_ptr<resumption::TicketKeys> tickets,
                                              std::shared_ptr<resumption::SessionIdCache> session_ids) {
    return std::make_unique<VersionChoosingServer>(std::move(config), std::move(trust), std::move(retry),
                                                   std::move(tickets), std::move(session_ids));
}

}  // namespace dtls::tls13
