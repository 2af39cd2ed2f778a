#include "support/openssl_peer.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "support/openssl_clock.hpp"

namespace dtls::test {
namespace {

// Every error libssl queued on this thread, oldest first, and clears them.
std::string drain_error_queue() {
    std::string text;
    while (unsigned long code = ERR_get_error()) {
        char line[256];
        ERR_error_string_n(code, line, sizeof line);
        if (!text.empty()) text += "; ";
        text += line;
    }
    return text;
}

std::vector<X509*> read_certificates(const std::string& pem) {
    std::vector<X509*> certs;
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    if (bio == nullptr) return certs;
    while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) certs.push_back(cert);
    ERR_clear_error();  // the loop ends on a "no start line" error
    BIO_free(bio);
    return certs;
}

EVP_PKEY* read_private_key(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    if (bio == nullptr) return nullptr;
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return key;
}

std::vector<uint8_t> alpn_wire_format(const std::vector<std::string>& protocols) {
    std::vector<uint8_t> wire;
    for (const std::string& p : protocols) {
        wire.push_back(static_cast<uint8_t>(p.size()));
        wire.insert(wire.end(), p.begin(), p.end());
    }
    return wire;
}

unsigned int to_micros(Duration d) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    return static_cast<unsigned int>(std::clamp<long long>(us, 1, UINT_MAX));
}

OpenSslPeer& peer_of(const SSL* ssl) { return *static_cast<OpenSslPeer*>(SSL_get_app_data(ssl)); }

}  // namespace

// libssl's C callbacks, with access to the peer's counters.
struct OpenSslPeer::Callbacks {
    // Called with 0 when a timer starts afresh, and with the current duration
    // when it expires and libssl is about to retransmit.
    static unsigned int timer(SSL* ssl, unsigned int previous_us) {
        OpenSslPeer& peer = peer_of(ssl);
        if (previous_us == 0) return to_micros(peer.initial_timeout_);
        ++peer.retransmissions_;
        unsigned long long doubled = 2ull * previous_us;
        return std::min<unsigned long long>(doubled, to_micros(peer.max_timeout_));
    }

    static void info(const SSL* ssl, int where, int value) {
        if ((where & SSL_CB_ALERT) == 0) return;
        OpenSslPeer& peer = peer_of(ssl);
        auto description = static_cast<uint8_t>(value & 0xff);
        if (where & SSL_CB_READ)
            peer.alert_received_ = description;
        else
            peer.alert_sent_ = description;
    }

    static int generate_cookie(SSL* ssl, unsigned char* cookie, unsigned int* length) {
        OpenSslPeer& peer = peer_of(ssl);
        std::memcpy(cookie, peer.cookie_secret_.data(), peer.cookie_secret_.size());
        *length = static_cast<unsigned int>(peer.cookie_secret_.size());
        ++peer.cookies_sent_;
        return 1;
    }

    static int verify_cookie(SSL* ssl, const unsigned char* cookie, unsigned int length) {
        OpenSslPeer& peer = peer_of(ssl);
        bool valid = length == peer.cookie_secret_.size() &&
                     std::equal(cookie, cookie + length, peer.cookie_secret_.begin());
        if (valid) ++peer.cookies_verified_;
        return valid ? 1 : 0;
    }

    static int select_alpn(SSL* ssl, const unsigned char** out, unsigned char* out_length, const unsigned char* offered,
                           unsigned int offered_length, void*) {
        OpenSslPeer& peer = peer_of(ssl);
        if (peer.alpn_server_list_.empty()) return SSL_TLSEXT_ERR_NOACK;
        unsigned char* chosen = nullptr;
        int outcome = SSL_select_next_proto(&chosen, out_length, peer.alpn_server_list_.data(),
                                            static_cast<unsigned int>(peer.alpn_server_list_.size()), offered,
                                            offered_length);
        if (outcome != OPENSSL_NPN_NEGOTIATED) return SSL_TLSEXT_ERR_ALERT_FATAL;  // no_application_protocol
        *out = chosen;
        return SSL_TLSEXT_ERR_OK;
    }

    static unsigned int psk_client(SSL* ssl, const char* hint, char* identity, unsigned int max_identity_length,
                                   unsigned char* psk, unsigned int max_psk_length) {
        OpenSslPeer& peer = peer_of(ssl);
        peer.psk_hint_seen_ = hint ? hint : "";
        if (peer.psk_identity_.size() + 1 > max_identity_length || peer.psk_key_.size() > max_psk_length) return 0;
        std::memcpy(identity, peer.psk_identity_.c_str(), peer.psk_identity_.size() + 1);
        std::memcpy(psk, peer.psk_key_.data(), peer.psk_key_.size());
        return static_cast<unsigned int>(peer.psk_key_.size());
    }

    static unsigned int psk_server(SSL* ssl, const char* identity, unsigned char* psk, unsigned int max_psk_length) {
        OpenSslPeer& peer = peer_of(ssl);
        peer.psk_identity_seen_ = identity ? identity : "";
        if (peer.psk_identity_seen_ != peer.psk_identity_ || peer.psk_key_.size() > max_psk_length) return 0;
        std::memcpy(psk, peer.psk_key_.data(), peer.psk_key_.size());
        return static_cast<unsigned int>(peer.psk_key_.size());
    }

    // Used when a certificate is asked for but not checked (WebRTC style).
    static int accept_any_certificate(int, X509_STORE_CTX*) { return 1; }
};

OpenSslPeer::OpenSslPeer(const OpenSslPeerOptions& options, Instant now)
    : now_(now), initial_timeout_(options.initial_retransmit_timeout), max_timeout_(options.max_retransmit_timeout) {
    queues_.mtu = options.mtu;
    ERR_clear_error();
    if (!configure_context(options) || !configure_connection(options)) return;
    if (options.role == PeerRole::client) advance();
}

OpenSslPeer::OpenSslPeer(const OpenSslPeerOptions& options, Instant now, const OpenSslPeer& earlier)
    : now_(now), initial_timeout_(options.initial_retransmit_timeout), max_timeout_(options.max_retransmit_timeout) {
    queues_.mtu = options.mtu;
    ERR_clear_error();
    if (earlier.ctx_ == nullptr || SSL_CTX_up_ref(earlier.ctx_) != 1) {
        fail("the earlier peer has no SSL_CTX");
        return;
    }
    ctx_ = earlier.ctx_;
    alpn_server_list_ = earlier.alpn_server_list_;
    cookie_secret_ = earlier.cookie_secret_;
    if (!configure_connection(options)) return;
    if (options.role == PeerRole::client) advance();
}

OpenSslPeer::~OpenSslPeer() {
    VirtualClockScope clock(now_);
    SSL_free(ssl_);  // frees the BIO too
    SSL_CTX_free(ctx_);
}

bool OpenSslPeer::configure_context(const OpenSslPeerOptions& options) {
    ctx_ = SSL_CTX_new(DTLS_method());
    if (ctx_ == nullptr) return fail("SSL_CTX_new");
    SSL_CTX_set_min_proto_version(ctx_, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx_, DTLS1_2_VERSION);
    SSL_CTX_set_options(ctx_, SSL_OP_NO_QUERY_MTU);
    if (options.no_ticket) SSL_CTX_set_options(ctx_, SSL_OP_NO_TICKET);

    if (SSL_CTX_set_cipher_list(ctx_, options.cipher_list.c_str()) != 1)
        return fail("cipher list '" + options.cipher_list + "'");
    if (SSL_CTX_set1_groups_list(ctx_, options.groups.c_str()) != 1)
        return fail("groups '" + options.groups + "'");
    if (!options.signature_algorithms.empty() &&
        SSL_CTX_set1_sigalgs_list(ctx_, options.signature_algorithms.c_str()) != 1)
        return fail("signature algorithms '" + options.signature_algorithms + "'");

    if (!options.cert_chain_pem.empty()) {
        std::vector<X509*> chain = read_certificates(options.cert_chain_pem);
        bool loaded = !chain.empty() && SSL_CTX_use_certificate(ctx_, chain[0]) == 1;
        for (size_t i = 1; loaded && i < chain.size(); ++i) loaded = SSL_CTX_add1_chain_cert(ctx_, chain[i]) == 1;
        for (X509* cert : chain) X509_free(cert);
        if (!loaded) return fail("certificate chain PEM");
        EVP_PKEY* key = read_private_key(options.key_pem);
        loaded = key != nullptr && SSL_CTX_use_PrivateKey(ctx_, key) == 1 && SSL_CTX_check_private_key(ctx_) == 1;
        EVP_PKEY_free(key);
        if (!loaded) return fail("private key PEM");
    } else if (options.role == PeerRole::server && options.psk_key.empty()) {
        return fail("a server needs cert_chain_pem and key_pem, or a PSK");
    }

    if (!options.psk_key.empty()) {
        psk_identity_ = options.psk_identity;
        psk_key_ = options.psk_key;
        if (options.role == PeerRole::client) {
            SSL_CTX_set_psk_client_callback(ctx_, Callbacks::psk_client);
        } else {
            SSL_CTX_set_psk_server_callback(ctx_, Callbacks::psk_server);
            if (!options.psk_identity_hint.empty() &&
                SSL_CTX_use_psk_identity_hint(ctx_, options.psk_identity_hint.c_str()) != 1)
                return fail("PSK identity hint");
        }
    }

    if (!options.ca_pem.empty()) {
        std::vector<X509*> roots = read_certificates(options.ca_pem);
        X509_STORE* store = SSL_CTX_get_cert_store(ctx_);
        bool loaded = !roots.empty();
        for (X509* root : roots) loaded = X509_STORE_add_cert(store, root) == 1 && loaded;
        for (X509* root : roots) X509_free(root);
        if (!loaded) return fail("CA PEM");
    }

    int mode = SSL_VERIFY_NONE;
    if (options.role == PeerRole::client && options.verify_peer) mode = SSL_VERIFY_PEER;
    if (options.role == PeerRole::server && (options.verify_peer || options.require_client_certificate))
        mode = SSL_VERIFY_PEER;
    if (options.role == PeerRole::server && options.require_client_certificate)
        mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(ctx_, mode, options.verify_peer ? nullptr : Callbacks::accept_any_certificate);

    // 0 is success, as for ALPN.
    if (!options.srtp_profiles.empty() && SSL_CTX_set_tlsext_use_srtp(ctx_, options.srtp_profiles.c_str()) != 0)
        return fail("SRTP profiles");
    if (options.max_fragment_length != 0 &&
        SSL_CTX_set_tlsext_max_fragment_length(ctx_, options.max_fragment_length) != 1)
        return fail("max_fragment_length");

    if (options.role == PeerRole::server) {
        // The context a cached session must have been made in; libssl
        // refuses to resume a session without one when it verifies clients.
        static constexpr unsigned char kSessionContext[] = "dtls-test";
        if (SSL_CTX_set_session_id_context(ctx_, kSessionContext, sizeof kSessionContext - 1) != 1)
            return fail("session ID context");
        alpn_server_list_ = alpn_wire_format(options.alpn);
        SSL_CTX_set_alpn_select_cb(ctx_, Callbacks::select_alpn, nullptr);
        if (options.cookie_exchange) {
            cookie_secret_.resize(16);
            if (RAND_bytes(cookie_secret_.data(), static_cast<int>(cookie_secret_.size())) != 1)
                return fail("RAND_bytes");
            SSL_CTX_set_options(ctx_, SSL_OP_COOKIE_EXCHANGE);
            SSL_CTX_set_cookie_generate_cb(ctx_, Callbacks::generate_cookie);
            SSL_CTX_set_cookie_verify_cb(ctx_, Callbacks::verify_cookie);
        }
    }
    return true;
}

bool OpenSslPeer::configure_connection(const OpenSslPeerOptions& options) {
    ssl_ = SSL_new(ctx_);
    if (ssl_ == nullptr) return fail("SSL_new");
    SSL_set_app_data(ssl_, this);
    BIO* bio = make_datagram_bio(queues_);
    if (bio == nullptr) return fail("BIO_new");
    SSL_set_bio(ssl_, bio, bio);
    if (SSL_set_mtu(ssl_, static_cast<long>(options.mtu)) == 0)  // answers the MTU on success
        return fail("MTU " + std::to_string(options.mtu) + " refused (libssl's minimum is 256)");
    DTLS_set_timer_cb(ssl_, Callbacks::timer);
    SSL_set_info_callback(ssl_, Callbacks::info);

    if (options.role == PeerRole::server) {
        SSL_set_accept_state(ssl_);
        return true;
    }
    SSL_set_connect_state(ssl_);
    if (!options.resume_session.empty()) {
        const unsigned char* der = options.resume_session.data();
        SSL_SESSION* session = d2i_SSL_SESSION(nullptr, &der, static_cast<long>(options.resume_session.size()));
        const bool set = session != nullptr && SSL_set_session(ssl_, session) == 1;
        SSL_SESSION_free(session);
        if (!set) return fail("session to resume");
    }
    if (!options.sni_host_name.empty() && SSL_set_tlsext_host_name(ssl_, options.sni_host_name.c_str()) != 1)
        return fail("SNI host name");
    if (!options.expected_host_name.empty() && SSL_set1_host(ssl_, options.expected_host_name.c_str()) != 1)
        return fail("expected host name");
    if (!options.alpn.empty()) {
        std::vector<uint8_t> wire = alpn_wire_format(options.alpn);
        if (SSL_set_alpn_protos(ssl_, wire.data(), static_cast<unsigned int>(wire.size())) != 0)  // 0 is success
            return fail("ALPN list");
    }
    return true;
}

bool OpenSslPeer::fail(std::string what) {
    failed_ = true;
    error_ = std::move(what);
    std::string queued = drain_error_queue();
    if (!queued.empty()) error_ += ": " + queued;
    if (ssl_ != nullptr) {
        long verify = SSL_get_verify_result(ssl_);
        if (verify != X509_V_OK) error_ += std::string("; certificate: ") + X509_verify_cert_error_string(verify);
    }
    if (alert_received_) error_ += "; alert received: " + std::string(SSL_alert_desc_string_long(*alert_received_));
    if (alert_sent_) error_ += "; alert sent: " + std::string(SSL_alert_desc_string_long(*alert_sent_));
    return false;
}

void OpenSslPeer::set_now(Instant now) { now_ = std::max(now_, now); }

void OpenSslPeer::receive(std::span<const uint8_t> datagram) {
    if (queues_.incoming.size() >= DatagramQueues::max_queued)
        ++queues_.dropped_incoming;
    else
        queues_.incoming.emplace_back(datagram.begin(), datagram.end());
    advance();
}

bool OpenSslPeer::poll_datagram(std::vector<uint8_t>& out) {
    if (queues_.outgoing.empty()) return false;
    out = std::move(queues_.outgoing.front());
    queues_.outgoing.pop_front();
    return true;
}

void OpenSslPeer::advance() {
    if (failed_ || ssl_ == nullptr) return;
    VirtualClockScope clock(now_);
    if (!complete_) {
        ERR_clear_error();
        int result = SSL_do_handshake(ssl_);
        if (result != 1) {
            int reason = SSL_get_error(ssl_, result);
            if (reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE)
                fail("handshake failed (SSL_get_error " + std::to_string(reason) + ")");
            return;
        }
        complete_ = true;
    }
    read_application_data();
}

bool OpenSslPeer::renegotiate() {
    if (failed_ || ssl_ == nullptr || !complete_) return false;
    VirtualClockScope clock(now_);
    ERR_clear_error();
    if (SSL_renegotiate(ssl_) != 1) return false;
    // Sends the hello; the answer (if any) is read by later advance() calls.
    SSL_do_handshake(ssl_);
    return true;
}

void OpenSslPeer::read_application_data() {
    std::vector<uint8_t> buffer(16384 + 256);
    // Each SSL_read consumes at least one record, and the queue is bounded.
    for (size_t i = 0; i <= DatagramQueues::max_queued * 4; ++i) {
        ERR_clear_error();
        int n = SSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
        if (n > 0) {
            received_.emplace_back(buffer.begin(), buffer.begin() + n);
            continue;
        }
        int reason = SSL_get_error(ssl_, n);
        if (reason == SSL_ERROR_ZERO_RETURN)
            peer_closed_ = true;
        else if (reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE)
            fail("read failed (SSL_get_error " + std::to_string(reason) + ")");
        return;
    }
}

std::optional<Instant> OpenSslPeer::next_timeout() const {
    if (failed_ || (queues_.next_timeout.tv_sec == 0 && queues_.next_timeout.tv_usec == 0)) return std::nullopt;
    return from_timeval(queues_.next_timeout);
}

void OpenSslPeer::handle_timeout(Instant now) {
    set_now(now);
    std::optional<Instant> deadline = next_timeout();
    if (!deadline || now_ < *deadline) return;
    {
        VirtualClockScope clock(now_);
        ERR_clear_error();
        if (DTLSv1_handle_timeout(ssl_) < 0) {
            fail("retransmission failed");
            return;
        }
    }
    advance();
}

int OpenSslPeer::send(std::span<const uint8_t> data) {
    if (!complete_ || failed_ || data.empty()) return -1;
    VirtualClockScope clock(now_);
    ERR_clear_error();
    int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
    return n > 0 ? n : -1;
}

std::vector<std::vector<uint8_t>> OpenSslPeer::take_received() { return std::exchange(received_, {}); }

void OpenSslPeer::close() {
    if (ssl_ == nullptr || failed_) return;
    VirtualClockScope clock(now_);
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
}

std::string OpenSslPeer::cipher_name() const {
    const SSL_CIPHER* cipher = ssl_ ? SSL_get_current_cipher(ssl_) : nullptr;
    return cipher ? SSL_CIPHER_get_name(cipher) : "";
}

uint16_t OpenSslPeer::cipher_id() const {
    const SSL_CIPHER* cipher = ssl_ ? SSL_get_current_cipher(ssl_) : nullptr;
    return cipher ? SSL_CIPHER_get_protocol_id(cipher) : 0;
}

std::string OpenSslPeer::group_name() const {
    if (ssl_ == nullptr) return "";
    int group = static_cast<int>(SSL_get_negotiated_group(ssl_));
    const char* name = group > 0 ? SSL_group_to_name(ssl_, group) : nullptr;
    return name ? name : "";
}

std::string OpenSslPeer::alpn() const {
    const unsigned char* data = nullptr;
    unsigned int length = 0;
    if (ssl_ != nullptr) SSL_get0_alpn_selected(ssl_, &data, &length);
    return data ? std::string(reinterpret_cast<const char*>(data), length) : "";
}

uint16_t OpenSslPeer::srtp_profile() const {
    const SRTP_PROTECTION_PROFILE* profile = ssl_ ? SSL_get_selected_srtp_profile(ssl_) : nullptr;
    return profile ? static_cast<uint16_t>(profile->id) : 0;
}

std::string OpenSslPeer::server_name() const {
    const char* name = ssl_ ? SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name) : nullptr;
    return name ? name : "";
}

std::vector<uint8_t> OpenSslPeer::peer_cert_der() const {
    std::vector<uint8_t> der;
    X509* cert = ssl_ ? SSL_get1_peer_certificate(ssl_) : nullptr;
    if (cert == nullptr) return der;
    int length = i2d_X509(cert, nullptr);
    if (length > 0) {
        der.resize(static_cast<size_t>(length));
        unsigned char* cursor = der.data();
        i2d_X509(cert, &cursor);
    }
    X509_free(cert);
    return der;
}

std::vector<uint8_t> OpenSslPeer::session_der() const {
    SSL_SESSION* session = ssl_ != nullptr ? SSL_get1_session(ssl_) : nullptr;
    if (session == nullptr) return {};
    std::vector<uint8_t> der;
    const int length = i2d_SSL_SESSION(session, nullptr);
    if (length > 0) {
        der.resize(static_cast<size_t>(length));
        unsigned char* out = der.data();
        if (i2d_SSL_SESSION(session, &out) != length) der.clear();
    }
    SSL_SESSION_free(session);
    return der;
}

bool OpenSslPeer::session_reused() const { return ssl_ != nullptr && SSL_session_reused(ssl_) == 1; }

bool OpenSslPeer::extended_master_secret() const { return ssl_ != nullptr && SSL_get_extms_support(ssl_) == 1; }

std::vector<uint8_t> OpenSslPeer::export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                                         size_t length, bool use_context) const {
    std::vector<uint8_t> out(length);
    if (!complete_ || ssl_ == nullptr) return {};
    int ok = SSL_export_keying_material(ssl_, out.data(), out.size(), label.data(), label.size(), context.data(),
                                        context.size(), use_context ? 1 : 0);
    if (ok != 1) {
        ERR_clear_error();
        return {};
    }
    return out;
}

}  // namespace dtls::test
