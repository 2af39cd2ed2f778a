// Workload 5: ClientHellos without a cookie answered with a HelloVerifyRequest,
// per second on one core. The same ClientHello (our client's first datagram)
// is offered to both front doors from an address that changes every call.
// The limit is the cookie's HMAC-SHA256 alone, with a prepared key.
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "libssl_side.hpp"
#include "ours_side.hpp"
#include "workloads.hpp"

namespace dtls::bench {

namespace {

constexpr uint64_t kBatch = 256;

std::vector<uint8_t> first_client_hello() {
    Result<Connection> client = Connection::client(client_config({}), Clock::now());
    std::vector<uint8_t> hello;
    if (!client || !client->poll_datagram(hello)) return {};
    return hello;
}

void set_address(std::array<uint8_t, 18>& address, uint64_t counter) {
    std::memcpy(address.data() + 8, &counter, sizeof counter);
}

class OursFrontDoor {
public:
    explicit OursFrontDoor(std::vector<uint8_t> hello) : hello_(std::move(hello)) {
        Result<Server> server = Server::create(server_config({}), Clock::now());
        if (server) server_.emplace(std::move(*server));
    }
    bool run() {
        set_address(address_, ++counter_);
        Server::Answer answer = server_->handle_datagram(address_, hello_, Clock::now(), reply_);
        return answer.outcome == Server::Outcome::reply && !reply_.empty();
    }
    bool ready() const { return server_.has_value(); }

private:
    std::vector<uint8_t> hello_;
    std::optional<Server> server_;
    std::vector<uint8_t> reply_;
    std::array<uint8_t, 18> address_{0x20, 0x01, 0x0d, 0xb8};
    uint64_t counter_ = 0;
};

// DTLSv1_listen on one listening SSL object, as a libssl server loop does.
class LibsslFrontDoor {
public:
    explicit LibsslFrontDoor(std::vector<uint8_t> hello) : hello_(std::move(hello)) {
        context_ = make_server_context({});
        port_ = {&in_, &out_, 1200, {0x20, 0x01, 0x0d, 0xb8}};
        listener_ = make_connection(context_, port_, false);
        client_ = BIO_ADDR_new();
    }
    ~LibsslFrontDoor() {
        BIO_ADDR_free(client_);
        SSL_free(listener_);
        SSL_CTX_free(context_);
    }
    LibsslFrontDoor(const LibsslFrontDoor&) = delete;
    LibsslFrontDoor& operator=(const LibsslFrontDoor&) = delete;

    bool run() {
        std::array<uint8_t, 18> address = port_.peer;
        set_address(address, ++counter_);
        port_.peer = address;
        in_.push(hello_);
        // 0: no valid cookie yet, a HelloVerifyRequest was written.
        if (DTLSv1_listen(listener_, client_) != 0 || out_.empty()) return false;
        out_.clear();
        return true;
    }

private:
    std::vector<uint8_t> hello_;
    DatagramQueue in_;
    DatagramQueue out_;
    DatagramPort port_;
    SSL_CTX* context_ = nullptr;
    SSL* listener_ = nullptr;
    BIO_ADDR* client_ = nullptr;
    uint64_t counter_ = 0;
};

// One HMAC-SHA256 over what our cookie covers (address, version, random,
// session id: about 55 bytes), the key set once.
class CookieMac {
public:
    CookieMac() {
        mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        context_ = EVP_MAC_CTX_new(mac_);
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                     OSSL_PARAM_construct_end()};
        const std::span<const uint8_t> key = cookie_secret();
        ready_ = context_ != nullptr && EVP_MAC_init(context_, key.data(), key.size(), params) == 1;
    }
    ~CookieMac() {
        EVP_MAC_CTX_free(context_);
        EVP_MAC_free(mac_);
    }
    CookieMac(const CookieMac&) = delete;
    CookieMac& operator=(const CookieMac&) = delete;
    bool ready() const { return ready_; }

    bool run() {
        ++input_[8];
        std::array<uint8_t, 32> out{};
        size_t length = 0;
        // A null key keeps the one set in the constructor.
        return EVP_MAC_init(context_, nullptr, 0, nullptr) == 1 &&
               EVP_MAC_update(context_, input_.data(), input_.size()) == 1 &&
               EVP_MAC_final(context_, out.data(), &length, out.size()) == 1;
    }

private:
    EVP_MAC* mac_ = nullptr;
    EVP_MAC_CTX* context_ = nullptr;
    std::array<uint8_t, 55> input_{};
    bool ready_ = false;
};

template <class Work>
Contender batch_of(std::string name, std::shared_ptr<Work> work) {
    return {std::move(name), [work]() -> uint64_t {
                for (uint64_t i = 0; i < kBatch; ++i)
                    if (!work->run()) return 0;
                return kBatch;
            }};
}

}  // namespace

std::vector<Row> run_front_door(const SliceOptions& slices) {
    Row row;
    row.workload = "5. Front door";
    row.variant = "ClientHello -> HelloVerifyRequest";
    row.unit = "HVR/s";
    const std::vector<uint8_t> hello = first_client_hello();
    auto ours = std::make_shared<OursFrontDoor>(hello);
    auto libssl = std::make_shared<LibsslFrontDoor>(hello);
    auto mac = std::make_shared<CookieMac>();
    if (hello.empty() || !ours->ready() || !mac->ready()) {
        row.note = "setup failed";
        return {row};
    }
    std::vector<Rates> rates = run_interleaved(
        {batch_of("ours: front door", ours), batch_of("libssl: DTLSv1_listen", libssl), batch_of("limit: HMAC", mac)},
        slices);
    if (!rates[0].failed) row.ours = Sample::of(rates[0].per_repetition);
    if (!rates[1].failed) row.libssl = Sample::of(rates[1].per_repetition);
    if (!rates[2].failed) row.limit = Sample::of(rates[2].per_repetition);
    if (row.ours && row.libssl) row.ours_over_libssl = paired_ratio(rates[0].per_repetition, rates[1].per_repetition);
    if (row.ours && row.limit) row.ours_over_limit = paired_ratio(rates[0].per_repetition, rates[2].per_repetition);
    row.target = ">= 500k HVR/s";
    if (row.ours) row.met = row.ours->median >= 500000;
    row.note = "ClientHello of " + std::to_string(hello.size()) + " B from our client; limit: one HMAC-SHA256";
    if (rates[1].failed) row.note += "; libssl FAILED";
    return {row};
}

}  // namespace dtls::bench
