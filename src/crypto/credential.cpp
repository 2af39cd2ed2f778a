// dtls::Credential: loading a certificate chain and its private key, and
// refusing a key that does not belong to the leaf certificate; or a key pair
// alone, used as a raw public key (RFC 7250); and loading trusted public keys.
#include "crypto/credential.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <iterator>

#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"

namespace dtls {
namespace {

Error credential_error(std::string reason) {
    std::string detail = crypto::detail::take_openssl_error();
    if (!detail.empty()) {
        reason += " (" + detail + ")";
    }
    return Error{ErrorCode::credential, std::nullopt, std::move(reason)};
}

std::span<const uint8_t> as_bytes(std::string_view text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Every certificate in the PEM text, as DER, in order.
Result<std::vector<Bytes>> certificates_from_pem(std::string_view pem) {
    crypto::detail::BioPtr bio = crypto::detail::memory_bio(as_bytes(pem));
    if (!bio) {
        return credential_error("certificate PEM is too large");
    }
    std::vector<Bytes> chain;
    while (true) {
        crypto::detail::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!cert) {
            unsigned long err = ERR_peek_last_error();
            bool no_more_blocks = ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
            if (!no_more_blocks) {
                return credential_error("cannot parse certificate " + std::to_string(chain.size() + 1) +
                                        " of the chain PEM");
            }
            ERR_clear_error();
            break;
        }
        int len = i2d_X509(cert.get(), nullptr);
        Bytes der(len > 0 ? static_cast<size_t>(len) : 0);
        unsigned char* out = der.data();
        if (len <= 0 || i2d_X509(cert.get(), &out) != len) {
            return credential_error("cannot encode certificate");
        }
        chain.push_back(std::move(der));
    }
    if (chain.empty()) {
        return credential_error("no certificate found in the chain PEM");
    }
    return chain;
}

// The common final step: a usable key that belongs to the leaf.
Result<std::shared_ptr<const detail::CredentialData>> assemble(std::vector<Bytes> chain,
                                                               Result<crypto::PrivateKey> key) {
    if (!key) {
        return credential_error(key.error().reason);
    }
    if (key->type() == crypto::KeyType::unsupported) {
        return credential_error("unsupported private key type (use ECDSA, RSA or Ed25519)");
    }
    if (!key->matches_certificate(chain.front())) {
        return credential_error("private key does not match certificate");
    }
    // The chain must fit a Certificate message: each certificate and the
    // whole list carry 24-bit lengths (RFC 5246 7.4.2).
    size_t list_length = 0;
    for (const Bytes& certificate : chain) list_length += 3 + certificate.size();
    if (list_length >= (size_t{1} << 24)) {
        return credential_error("the certificate chain is too long to send (over 16 MiB)");
    }
    return std::make_shared<const detail::CredentialData>(
        detail::CredentialData{std::move(chain), std::move(key.value())});
}

// Reads a whole file; false if it cannot be opened or read.
bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

bool looks_like_pem(std::string_view text) { return text.find("-----BEGIN ") != std::string_view::npos; }

}  // namespace

Result<Credential> Credential::from_pem(std::string_view chain_pem, std::string_view key_pem) {
    Result<std::vector<Bytes>> chain = certificates_from_pem(chain_pem);
    if (!chain) {
        return chain.error();
    }
    auto data = assemble(std::move(chain.value()), crypto::PrivateKey::from_pem(as_bytes(key_pem)));
    if (!data) {
        return data.error();
    }
    return Credential(std::move(data.value()));
}

Result<Credential> Credential::from_der(std::span<const Bytes> chain_der, std::span<const uint8_t> key_der) {
    if (chain_der.empty()) {
        return credential_error("the certificate chain is empty");
    }
    for (size_t i = 0; i < chain_der.size(); ++i) {
        if (!crypto::detail::parse_certificate(chain_der[i])) {
            return credential_error("cannot parse certificate " + std::to_string(i + 1) + " of the chain DER");
        }
    }
    auto data = assemble(std::vector<Bytes>(chain_der.begin(), chain_der.end()), crypto::PrivateKey::from_der(key_der));
    if (!data) {
        return data.error();
    }
    return Credential(std::move(data.value()));
}

Result<Credential> Credential::from_files(const std::string& chain_path, const std::string& key_path) {
    std::string chain_text;
    if (!read_file(chain_path, chain_text)) {
        return credential_error("cannot read certificate file '" + chain_path + "'");
    }
    std::string key_text;
    if (!read_file(key_path, key_text)) {
        return credential_error("cannot read private key file '" + key_path + "'");
    }
    // PEM is the usual form; a file without PEM armour is taken as one DER
    // certificate or key.
    Result<Credential> result = [&]() -> Result<Credential> {
        if (looks_like_pem(chain_text) && looks_like_pem(key_text)) {
            return from_pem(chain_text, key_text);
        }
        if (!looks_like_pem(chain_text) && !looks_like_pem(key_text)) {
            Bytes cert(chain_text.begin(), chain_text.end());
            return from_der(std::span<const Bytes>(&cert, 1), as_bytes(key_text));
        }
        return credential_error("certificate and key files must both be PEM or both be DER");
    }();
    crypto::cleanse({reinterpret_cast<uint8_t*>(key_text.data()), key_text.size()});
    if (!result) {
        return Error{ErrorCode::credential, std::nullopt,
                     result.error().reason + " (files '" + chain_path + "', '" + key_path + "')"};
    }
    return result;
}

namespace {

// A raw public key (RFC 7250): the key alone, its SubjectPublicKeyInfo
// standing in for the chain.
Result<std::shared_ptr<const detail::CredentialData>> assemble_raw(Result<crypto::PrivateKey> key) {
    if (!key) return credential_error(key.error().reason);
    if (key->type() == crypto::KeyType::unsupported) {
        return credential_error("unsupported private key type (use ECDSA, RSA or Ed25519)");
    }
    auto spki = key->subject_public_key_info();
    if (!spki) return credential_error(spki.error().reason);
    return std::make_shared<const detail::CredentialData>(
        detail::CredentialData{{std::move(*spki)}, std::move(key.value()), CertificateType::raw_public_key});
}

}  // namespace

Result<Credential> Credential::raw_public_key_from_pem(std::string_view key_pem) {
    auto data = assemble_raw(crypto::PrivateKey::from_pem(as_bytes(key_pem)));
    if (!data) return data.error();
    return Credential(std::move(data.value()));
}

Result<Credential> Credential::raw_public_key_from_der(std::span<const uint8_t> key_der) {
    auto data = assemble_raw(crypto::PrivateKey::from_der(key_der));
    if (!data) return data.error();
    return Credential(std::move(data.value()));
}

Result<Credential> Credential::raw_public_key_from_file(const std::string& key_path) {
    std::string key_text;
    if (!read_file(key_path, key_text)) return credential_error("cannot read private key file '" + key_path + "'");
    Result<Credential> result =
        looks_like_pem(key_text) ? raw_public_key_from_pem(key_text) : raw_public_key_from_der(as_bytes(key_text));
    crypto::cleanse({reinterpret_cast<uint8_t*>(key_text.data()), key_text.size()});
    if (!result) {
        return Error{ErrorCode::credential, std::nullopt, result.error().reason + " (file '" + key_path + "')"};
    }
    return result;
}

const std::vector<Bytes>& Credential::chain() const { return data_->chain; }

CertificateType Credential::type() const { return data_->type; }

Result<Bytes> public_key_from_pem(std::string_view public_key_pem) {
    crypto::detail::BioPtr bio = crypto::detail::memory_bio(as_bytes(public_key_pem));
    crypto::detail::PkeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) return credential_error("cannot parse the PUBLIC KEY PEM");
    int len = i2d_PUBKEY(key.get(), nullptr);
    Bytes der(len > 0 ? static_cast<size_t>(len) : 0);
    unsigned char* out = der.data();
    if (len <= 0 || i2d_PUBKEY(key.get(), &out) != len) return credential_error("cannot encode the public key");
    // The same rules as a peer's raw public key: a type we can verify with.
    auto checked = crypto::PublicKey::from_subject_public_key_info(der);
    if (!checked) return credential_error(checked.error().reason);
    if (checked->type() == crypto::KeyType::unsupported) {
        return credential_error("unsupported public key type (use ECDSA, RSA or Ed25519)");
    }
    return der;
}

Result<Bytes> public_key_from_file(const std::string& path) {
    std::string text;
    if (!read_file(path, text)) return credential_error("cannot read public key file '" + path + "'");
    Result<Bytes> der = [&]() -> Result<Bytes> {
        if (looks_like_pem(text)) return public_key_from_pem(text);
        auto key = crypto::PublicKey::from_subject_public_key_info(as_bytes(text));
        if (!key) return credential_error(key.error().reason);
        return Bytes(text.begin(), text.end());
    }();
    if (!der) return Error{ErrorCode::credential, std::nullopt, der.error().reason + " (file '" + path + "')"};
    return der;
}

}  // namespace dtls
