// Workload 2: the public-key operations one full handshake needs, with
// libcrypto contexts prepared once, as the ceiling for handshakes per second.
// Client and server run in one process, so one "handshake" here is both
// sides' work: the server's ECDSA P-256 signature over ServerKeyExchange, the
// client's two verifications (the CA's signature on the server certificate
// and the ServerKeyExchange signature), one x25519 key generation per side
// and one x25519 derivation per side. Hashing, the PRF and certificate
// parsing are left out: the limit is the public-key work alone.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "pki.hpp"
#include "workloads.hpp"

namespace dtls::bench {

namespace {

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "bench: public-key limit setup failed: %s\n", what);
    std::abort();
}

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

class PublicKeyWork {
public:
    PublicKeyWork() {
        BIO* text = BIO_new_mem_buf(pki().server().key_pem.data(), static_cast<int>(pki().server().key_pem.size()));
        key_.reset(PEM_read_bio_PrivateKey(text, nullptr, nullptr, nullptr));
        BIO_free(text);
        if (!key_) die("server key");
        sign_.reset(EVP_PKEY_CTX_new(key_.get(), nullptr));
        verify_.reset(EVP_PKEY_CTX_new(key_.get(), nullptr));
        keygen_.reset(EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr));
        if (!sign_ || !verify_ || !keygen_ || EVP_PKEY_sign_init(sign_.get()) != 1 ||
            EVP_PKEY_verify_init(verify_.get()) != 1 || EVP_PKEY_keygen_init(keygen_.get()) != 1)
            die("contexts");
        RAND_bytes(digest_.data(), static_cast<int>(digest_.size()));
    }

    // One handshake's worth; false if any operation failed.
    bool run() {
        ++digest_[0];  // a different message each time, as in a real handshake
        std::array<uint8_t, 80> signature{};
        size_t signature_length = signature.size();
        if (EVP_PKEY_sign(sign_.get(), signature.data(), &signature_length, digest_.data(), digest_.size()) != 1)
            return false;
        for (int i = 0; i < 2; ++i) {
            if (EVP_PKEY_verify(verify_.get(), signature.data(), signature_length, digest_.data(), digest_.size()) != 1)
                return false;
        }
        EVP_PKEY* client_raw = nullptr;
        EVP_PKEY* server_raw = nullptr;
        if (EVP_PKEY_keygen(keygen_.get(), &client_raw) != 1 || EVP_PKEY_keygen(keygen_.get(), &server_raw) != 1)
            return false;
        Pkey client(client_raw), server(server_raw);
        return derive(client.get(), server.get()) && derive(server.get(), client.get());
    }

private:
    static bool derive(EVP_PKEY* own, EVP_PKEY* peer) {
        PkeyCtx context(EVP_PKEY_CTX_new(own, nullptr));
        std::array<uint8_t, 32> secret{};
        size_t length = secret.size();
        return context && EVP_PKEY_derive_init(context.get()) == 1 &&
               EVP_PKEY_derive_set_peer(context.get(), peer) == 1 &&
               EVP_PKEY_derive(context.get(), secret.data(), &length) == 1;
    }

    Pkey key_;
    PkeyCtx sign_;
    PkeyCtx verify_;
    PkeyCtx keygen_;
    std::array<uint8_t, 32> digest_{};
};

}  // namespace

Contender public_key_limit_contender() {
    auto work = std::make_shared<PublicKeyWork>();
    return {"limit: public-key work", [work]() -> uint64_t { return work->run() ? 1 : 0; }};
}

std::vector<Row> run_public_key_limit(const SliceOptions& slices) {
    Contender whole = public_key_limit_contender();
    std::vector<Rates> rates = run_interleaved({whole}, slices);
    Row row;
    row.workload = "2. Public-key limit";
    row.variant = "1 ECDSA P-256 sign + 2 verify + 2 x25519 keygen + 2 derive";
    row.unit = "handshakes/s";
    if (!rates[0].failed) row.limit = Sample::of(rates[0].per_repetition);
    row.note = "prepared libcrypto contexts; the ceiling for the handshake rows (both sides in one process)";
    return {row};
}

}  // namespace dtls::bench
