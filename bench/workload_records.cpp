// Workload 3: application records sealed by the client and opened by the
// server, on established connections, against one-shot EVP AEAD seal + open
// of the same payload with contexts keyed once (the limit).
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string>

#include "libssl_side.hpp"
#include "ours_side.hpp"
#include "workloads.hpp"

namespace dtls::bench {

namespace {

constexpr size_t kMtu = 1500;  // 1200 B of payload plus record overhead fits one datagram
constexpr uint64_t kBatch = 64;

struct Aead {
    CipherSuite suite;
    const char* name;
    const char* libssl_cipher;
    const EVP_CIPHER* (*evp)();
};

const Aead kAeads[] = {
    {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, "AES-128-GCM", "ECDHE-ECDSA-AES128-GCM-SHA256", EVP_aes_128_gcm},
    {CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, "ChaCha20-Poly1305", "ECDHE-ECDSA-CHACHA20-POLY1305",
     EVP_chacha20_poly1305},
};

// The limit: sealing and opening one record in libcrypto alone, with contexts
// keyed once. libcrypto has two ways to do it, and the limit is the faster:
//  - the general AEAD calls (set the nonce, AAD, update, final, tag), and
//  - the TLS record one-shot: EVP_CTRL_AEAD_TLS1_AAD then a single EVP_Cipher
//    over the whole record, where the cipher builds the nonce itself from the
//    fixed IV and the sequence number, and can run stitched assembly (this is
//    what libssl uses).
class RawAead {
public:
    RawAead(const EVP_CIPHER* cipher, size_t payload)
        : gcm_(EVP_CIPHER_get_mode(cipher) == EVP_CIPH_GCM_MODE),
          payload_(payload),
          plaintext_(payload, 0x61),
          record_(payload + 8 + 16),
          opened_(payload + 8 + 16) {
        std::array<uint8_t, 32> key{};
        RAND_bytes(key.data(), static_cast<int>(key.size()));
        RAND_bytes(iv_.data(), static_cast<int>(iv_.size()));
        for (auto [ctx, direction] : {std::pair{&general_seal_, 1}, std::pair{&general_open_, 0},
                                      std::pair{&tls_seal_, 1}, std::pair{&tls_open_, 0}}) {
            *ctx = EVP_CIPHER_CTX_new();
            EVP_CipherInit_ex(*ctx, cipher, nullptr, key.data(), gcm_ ? nullptr : iv_.data(), direction);
        }
        if (gcm_) {
            // TLS 1.2 GCM: a 4-byte fixed (implicit) IV, an 8-byte explicit one per record.
            EVP_CIPHER_CTX_ctrl(tls_seal_, EVP_CTRL_GCM_SET_IV_FIXED, 4, iv_.data());
            EVP_CIPHER_CTX_ctrl(tls_open_, EVP_CTRL_GCM_SET_IV_FIXED, 4, iv_.data());
        }
    }
    ~RawAead() {
        for (EVP_CIPHER_CTX* ctx : {general_seal_, general_open_, tls_seal_, tls_open_}) EVP_CIPHER_CTX_free(ctx);
    }
    RawAead(const RawAead&) = delete;
    RawAead& operator=(const RawAead&) = delete;

    bool general() {
        ++iv_[11];  // a fresh nonce per record, like a sequence number
        ++aad_[7];
        const int n = static_cast<int>(payload_);
        int length = 0;
        int tail = 0;
        std::array<uint8_t, 16> tag{};
        if (EVP_EncryptInit_ex(general_seal_, nullptr, nullptr, nullptr, iv_.data()) != 1 ||
            EVP_EncryptUpdate(general_seal_, nullptr, &length, aad_.data(), static_cast<int>(aad_.size())) != 1 ||
            EVP_EncryptUpdate(general_seal_, record_.data(), &length, plaintext_.data(), n) != 1 ||
            EVP_EncryptFinal_ex(general_seal_, record_.data() + length, &tail) != 1 ||
            EVP_CIPHER_CTX_ctrl(general_seal_, EVP_CTRL_AEAD_GET_TAG, 16, tag.data()) != 1)
            return false;
        return EVP_DecryptInit_ex(general_open_, nullptr, nullptr, nullptr, iv_.data()) == 1 &&
               EVP_DecryptUpdate(general_open_, nullptr, &length, aad_.data(), static_cast<int>(aad_.size())) == 1 &&
               EVP_DecryptUpdate(general_open_, opened_.data(), &length, record_.data(), n) == 1 &&
               EVP_CIPHER_CTX_ctrl(general_open_, EVP_CTRL_AEAD_SET_TAG, 16, tag.data()) == 1 &&
               EVP_DecryptFinal_ex(general_open_, opened_.data() + length, &tail) == 1;
    }

    bool tls_record() {
        ++aad_[7];  // the sequence number: the cipher derives the nonce from it (ChaCha)
        const size_t explicit_iv = gcm_ ? 8 : 0;
        const size_t sealed = explicit_iv + payload_ + 16;
        std::memcpy(record_.data() + explicit_iv, plaintext_.data(), payload_);
        set_length(explicit_iv + payload_);  // what the cipher expects on sealing
        if (EVP_CIPHER_CTX_ctrl(tls_seal_, EVP_CTRL_AEAD_TLS1_AAD, 13, aad_.data()) <= 0 ||
            EVP_Cipher(tls_seal_, record_.data(), record_.data(), static_cast<unsigned>(sealed)) <= 0)
            return false;
        set_length(sealed);
        // Opened in place, as this path requires.
        return EVP_CIPHER_CTX_ctrl(tls_open_, EVP_CTRL_AEAD_TLS1_AAD, 13, aad_.data()) > 0 &&
               EVP_Cipher(tls_open_, record_.data(), record_.data(), static_cast<unsigned>(sealed)) > 0;
    }

private:
    void set_length(size_t length) {
        aad_[11] = static_cast<uint8_t>(length >> 8);
        aad_[12] = static_cast<uint8_t>(length);
    }

    bool gcm_;
    size_t payload_;
    std::vector<uint8_t> plaintext_;
    std::vector<uint8_t> record_;
    std::vector<uint8_t> opened_;
    std::array<uint8_t, 12> iv_{};
    // The TLS 1.2 additional data: sequence number, type, version, length.
    std::array<uint8_t, 13> aad_{0, 0, 0, 0, 0, 0, 0, 0, 23, 0xfe, 0xfd, 0, 0};
    EVP_CIPHER_CTX* general_seal_ = nullptr;
    EVP_CIPHER_CTX* general_open_ = nullptr;
    EVP_CIPHER_CTX* tls_seal_ = nullptr;
    EVP_CIPHER_CTX* tls_open_ = nullptr;
};

// Our client and server, established once; each operation is one record.
class OursRecords {
public:
    OursRecords(CipherSuite suite, size_t payload) : payload_(payload, 0x61) {
        OursOptions options;
        options.suite = suite;
        options.mtu = kMtu;
        options.cookies = false;
        Result<Server> server = Server::create(server_config(options), Clock::now());
        const uint8_t address[18] = {0x20, 0x01, 0x0d, 0xb8, 1};
        Result<Client> client = Client::create(client_config(options));
        if (server && client) established_ = handshake(*server, *client, address, Clock::now(), datagram_);
    }
    bool ready() const { return established_.has_value(); }

    bool run() {
        const Instant now = Clock::now();
        if (!established_->client.send(payload_, now)) return false;
        if (!established_->client.poll_datagram(datagram_)) return false;
        established_->server.handle_datagram(datagram_, now);
        std::optional<Event> event = established_->server.poll_event();
        const auto* data = event ? std::get_if<event::ApplicationData>(&*event) : nullptr;
        return data != nullptr && data->data.size() == payload_.size();
    }

private:
    std::vector<uint8_t> payload_;
    std::vector<uint8_t> datagram_;
    std::optional<Established> established_;
};

class LibsslRecords {
public:
    LibsslRecords(const char* cipher, size_t payload) : payload_(payload, 0x61), received_(payload + 256) {
        LibsslOptions options;
        options.cipher = cipher;
        options.cookies = false;
        client_context_ = make_client_context(options);
        server_context_ = make_server_context(options);
        pair_ = std::make_unique<LibsslPair>(client_context_, server_context_, static_cast<long>(kMtu));
        ready_ = pair_->handshake();
    }
    ~LibsslRecords() {
        pair_.reset();
        SSL_CTX_free(client_context_);
        SSL_CTX_free(server_context_);
    }
    LibsslRecords(const LibsslRecords&) = delete;
    LibsslRecords& operator=(const LibsslRecords&) = delete;
    bool ready() const { return ready_; }

    bool run() {
        const int n = static_cast<int>(payload_.size());
        if (SSL_write(pair_->client(), payload_.data(), n) != n) return false;
        return SSL_read(pair_->server(), received_.data(), static_cast<int>(received_.size())) == n;
    }

private:
    std::vector<uint8_t> payload_;
    std::vector<uint8_t> received_;
    SSL_CTX* client_context_ = nullptr;
    SSL_CTX* server_context_ = nullptr;
    std::unique_ptr<LibsslPair> pair_;
    bool ready_ = false;
};

template <class Operation>
Contender batch_of(std::string name, Operation operation) {
    return {std::move(name), [operation]() -> uint64_t {
                for (uint64_t i = 0; i < kBatch; ++i)
                    if (!operation()) return 0;
                return kBatch;
            }};
}

// Nanoseconds a record costs beyond the limit, from two rates.
std::string overhead_ns(double rate, double limit_rate) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f ns", 1e9 / rate - 1e9 / limit_rate);
    return text;
}

std::vector<double> faster_of(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> out;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) out.push_back(std::max(a[i], b[i]));
    return out;
}

Row record_row(const Aead& aead, size_t payload, const SliceOptions& slices) {
    auto ours = std::make_shared<OursRecords>(aead.suite, payload);
    auto libssl = std::make_shared<LibsslRecords>(aead.libssl_cipher, payload);
    auto raw = std::make_shared<RawAead>(aead.evp(), payload);

    Row row;
    row.workload = "3. Records";
    row.variant = std::string(aead.name) + ", " + std::to_string(payload) + " B";
    row.unit = "records/s";
    const double threshold = payload >= 1200 ? 0.9 : 0.8;
    const std::string target = ">= " + format_ratio(threshold) + " of limit";
    row.target = target;
    if (!ours->ready() || !libssl->ready()) {
        row.note = std::string("handshake failed:") + (ours->ready() ? "" : " ours") + (libssl->ready() ? "" : " libssl");
        return row;
    }
    std::vector<Rates> rates = run_interleaved({batch_of("ours: records", [ours] { return ours->run(); }),
                                                batch_of("libssl: records", [libssl] { return libssl->run(); }),
                                                batch_of("limit: general EVP AEAD", [raw] { return raw->general(); }),
                                                batch_of("limit: TLS one-shot", [raw] { return raw->tls_record(); })},
                                               slices);
    for (const Rates& r : rates)
        if (r.failed) row.note = "a contender FAILED; ";
    const std::vector<double> limit = faster_of(rates[2].per_repetition, rates[3].per_repetition);
    if (!rates[0].failed) row.ours = Sample::of(rates[0].per_repetition);
    if (!rates[1].failed) row.libssl = Sample::of(rates[1].per_repetition);
    if (!limit.empty()) row.limit = Sample::of(limit);
    if (row.ours && row.libssl) row.ours_over_libssl = paired_ratio(rates[0].per_repetition, rates[1].per_repetition);
    if (row.ours && row.limit) row.ours_over_limit = paired_ratio(rates[0].per_repetition, limit);
    judge_ratio(row, row.ours_over_limit, threshold, true, target);
    if (row.ours && row.libssl && row.limit) {
        row.note += "limit: general EVP calls " + format_value(Sample::of(rates[2].per_repetition).median, "") +
                    ", TLS one-shot " + format_value(Sample::of(rates[3].per_repetition).median, "") +
                    "; above the limit per record: ours " + overhead_ns(row.ours->median, row.limit->median) +
                    ", libssl " + overhead_ns(row.libssl->median, row.limit->median) + "; libssl/limit " +
                    format_ratio(paired_ratio(rates[1].per_repetition, limit));
    }
    return row;
}

}  // namespace

std::vector<Row> run_records(const SliceOptions& slices) {
    std::vector<Row> rows;
    for (const Aead& aead : kAeads)
        for (size_t payload : {size_t{64}, size_t{1200}}) rows.push_back(record_row(aead, payload, slices));
    return rows;
}

}  // namespace dtls::bench
