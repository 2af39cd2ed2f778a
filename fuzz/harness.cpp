#include "harness.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstdio>

#include "crypto/random_testing.hpp"

namespace dtls::fuzz {
namespace {

// A self-signed Ed25519 certificate valid until 2126 (made once with the
// openssl command line). Ed25519 signs deterministically, so handshakes
// replay byte for byte; nothing in fuzzing checks the chain.
constexpr const char* kCertificatePem = R"(-----BEGIN CERTIFICATE-----
MIIBZDCCARagAwIBAgIUVdb8KYFv6xq006ClBeornbb3wbMwBQYDK2VwMBkxFzAV
BgNVBAMMDmZ1enouZHRscy50ZXN0MCAXDTI2MTEyNzAyMDIyMloYDzIxMjYxMTAz
MDIwMjIyWjAZMRcwFQYDVQQDDA5mdXp6LmR0bHMudGVzdDAqMAUGAytlcAMhAPRI
WZ6917FhNnHlzkt7kZ8/2+RBEwA3sfo3fKKwItWno24wbDAdBgNVHQ4EFgQUIy+X
3hUDtG3sAJNWEDgt2dcTJPswHwYDVR0jBBgwFoAUIy+X3hUDtG3sAJNWEDgt2dcT
JPswDwYDVR0TAQH/BAUwAwEB/zAZBgNVHREEEjAQgg5mdXp6LmR0bHMudGVzdDAF
BgMrZXADQQBG6I8PLom7UqT/3d3TraOKXQipIQdvAO5uQi0PR9atOiSws/zSjGzS
KIlKET+v7pEKTnm/WI03eXfdFTlFzT0D
-----END CERTIFICATE-----
)";
constexpr const char* kKeyPem = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIB5MmBqWoxy66/UVJz9VBs4CZn4qE9evI2N61nDeJ1RA
-----END PRIVATE KEY-----
)";

constexpr uint64_t kClientSeed = 0xC11E47;
constexpr uint64_t kServerSeed = 0x5E4FE4;

std::shared_ptr<const Credential> credential() {
    static const std::shared_ptr<const Credential> loaded = [] {
        auto c = Credential::from_pem(kCertificatePem, kKeyPem);
        if (!c) {
            std::fprintf(stderr, "fuzz harness: cannot load its credential: %s\n", c.error().to_string().c_str());
            std::abort();
        }
        return std::make_shared<const Credential>(std::move(*c));
    }();
    return loaded;
}

Config common_config(Profile profile) {
    Config config;
    config.groups = {NamedGroup::x25519};                   // key shares from random_bytes
    config.signature_schemes = {SignatureScheme::ed25519};  // deterministic signatures
    if (profile == Profile::libssl_compatible) {
        // libssl (3.0) cannot serve DTLS with an Ed25519 key; our server
        // still picks Ed25519, so our own runs stay deterministic.
        // It also wants its certificate's curve listed; x25519 stays first, so it is chosen.
        config.signature_schemes.push_back(SignatureScheme::ecdsa_secp256r1_sha256);
        config.groups.push_back(NamedGroup::secp256r1);
    }
    if (profile == Profile::chacha) {
        config.cipher_suites = {CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256};
    } else {
        config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384,
                                CipherSuite::ecdhe_ecdsa_aes128_ccm, CipherSuite::ecdhe_ecdsa_aes128_ccm8};
    }
    if (profile == Profile::dtls13 || profile == Profile::dtls13_small_mtu) {
        config.min_version = config.max_version = ProtocolVersion::dtls1_3;
        config.cipher_suites = {CipherSuite::aes128_gcm_sha256, CipherSuite::aes128_ccm_sha256};
    }
    if (profile == Profile::small_mtu || profile == Profile::dtls13_small_mtu) config.mtu = Config::min_mtu;
    config.max_retransmits = 4;  // keeps timeout-driven runs short
    // use_srtp in every hello and answer, with an MKI, so its parsing and
    // the client's checks of the answer are reached.
    config.srtp_profiles = {SrtpProfile::aead_aes_128_gcm, SrtpProfile::aes128_cm_hmac_sha1_80};
    config.srtp_mki = {0x5A};
    config.srtp_accept_mki = true;
    return config;
}

struct Streams {
    crypto::testing::RandomSource by_side[2];
    Side active = Side::client;
};

Streams& streams() {
    static Streams s;
    return s;
}

uint8_t take_u8(std::span<const uint8_t>& in) {
    if (in.empty()) return 0;
    uint8_t v = in[0];
    in = in.subspan(1);
    return v;
}

uint16_t take_u16(std::span<const uint8_t>& in) {
    uint16_t hi = take_u8(in);
    return static_cast<uint16_t>(hi << 8 | take_u8(in));
}

}  // namespace

Profile profile_of(uint8_t byte) { return static_cast<Profile>(byte % static_cast<uint8_t>(Profile::count)); }

Config client_config(Profile profile) {
    Config config = common_config(profile);
    config.verify_peer = false;
    config.server_name = "fuzz.dtls.test";
    // Keeps the server's NewSessionTicket (DTLS 1.3), so storing one is fuzzed.
    config.session_cache = SessionCache::in_memory();
    if (profile == Profile::client_auth || profile == Profile::dtls13_small_mtu) config.credential = credential();
    return config;
}

Config server_config(Profile profile) {
    Config config = common_config(profile);
    config.credential = credential();
    // DTLS 1.3 without client certificates: tickets are sent, and a
    // pre_shared_key the fuzzer makes up goes through ticket opening.
    if (profile == Profile::dtls13) config.session_tickets = 1;
    if (profile == Profile::client_auth || profile == Profile::dtls13_small_mtu) {
        config.client_auth = ClientAuth::request;
        config.verifier = [](const CertificateCheck&) { return VerifyDecision::accepted(); };
    }
    return config;
}

void reset_randomness() {
    Streams& s = streams();
    s.by_side[0] = crypto::testing::seeded_random_source(kClientSeed);
    s.by_side[1] = crypto::testing::seeded_random_source(kServerSeed);
    s.active = Side::client;
    crypto::testing::set_random_source([](std::span<uint8_t> out) {
        Streams& all = streams();
        all.by_side[static_cast<int>(all.active)](out);
    });
}

DrawingFor::DrawingFor(Side side) : previous_(streams().active) { streams().active = side; }
DrawingFor::~DrawingFor() { streams().active = previous_; }

Peer::Peer(Side side, Profile profile, Instant now) : side_(side) {
    DrawingFor drawing(side);
    if (side == Side::client) {
        auto c = Connection::client(client_config(profile), now);
        if (c) connection_.emplace(std::move(*c));
    } else {
        auto s = Server::create(server_config(profile), now);
        if (s) server_.emplace(std::move(*s));
    }
}

void Peer::receive(std::span<const uint8_t> datagram, Instant now) {
    DrawingFor drawing(side_);
    if (connection_) {
        connection_->handle_datagram(datagram, now);
        return;
    }
    if (!server_) return;
    std::vector<uint8_t> reply;
    auto answer = server_->handle_datagram(kClientAddress, datagram, now, reply);
    // The front door never answers with more than it was sent (a hello in
    // several datagrams is answered once whole, from all of them).
    front_door_received_ += datagram.size();
    front_door_sent_ += reply.size();
    if (front_door_sent_ > front_door_received_) std::abort();
    if (answer.outcome == Server::Outcome::reply) {
        if (reply.empty()) std::abort();
        replies_.push_back(std::move(reply));
    } else if (answer.outcome == Server::Outcome::accepted) {
        if (!answer.connection) std::abort();
        connection_.emplace(std::move(*answer.connection));
    } else if (!reply.empty()) {
        std::abort();  // a dropped datagram has no answer
    }
}

bool Peer::poll(std::vector<uint8_t>& out) {
    if (!replies_.empty()) {
        out = std::move(replies_.front());
        replies_.pop_front();
        return true;
    }
    if (!connection_) return false;
    DrawingFor drawing(side_);
    if (!connection_->poll_datagram(out)) return false;
    // Every datagram fits the MTU (connection.hpp).
    if (out.size() > connection_->mtu()) std::abort();
    return true;
}

void Peer::drain_events() {
    if (!connection_) return;
    while (connection_->poll_event()) {
    }
}

std::optional<Instant> Peer::next_timeout() const {
    if (!connection_) return std::nullopt;
    return connection_->next_timeout();
}

void Peer::handle_timeout(Instant now) {
    if (!connection_) return;
    DrawingFor drawing(side_);
    connection_->handle_timeout(now);
}

void Peer::exercise(std::span<const uint8_t> data, size_t mtu, Instant now) {
    if (!connection_) return;
    DrawingFor drawing(side_);
    (void)connection_->set_mtu(mtu);
    if (connection_->state() == State::established) {
        const size_t n = std::min(data.size(), connection_->max_payload());
        if (!connection_->send(data.first(n), now)) std::abort();  // fits, so it must be accepted
    } else {
        (void)connection_->send(data, now);  // must fail cleanly
    }
}

namespace {

// The two endpoints and the datagrams the peer sent that the script has not
// dealt with yet.
struct Session {
    Session(Side target_side, Profile profile)
        : target(target_side, profile, kStart),
          peer(target_side == Side::client ? Side::server : Side::client, profile, kStart) {}

    Peer target;
    Peer peer;
    Instant now = kStart;
    std::deque<std::vector<uint8_t>> from_peer;
    std::vector<std::vector<uint8_t>> history;  // peer datagrams seen, for replays

    // The target's output goes to the peer as it is; the peer's output is
    // queued for the script. A client target speaks first.
    void exchange() {
        std::vector<uint8_t> d;
        for (int round = 0; round < 8; ++round) {
            bool moved = false;
            while (target.poll(d)) {
                peer.receive(d, now);
                moved = true;
            }
            while (peer.poll(d)) {
                if (from_peer.size() < 64) from_peer.push_back(d);
                if (history.size() < 64) history.push_back(d);
                moved = true;
            }
            if (!moved) break;
        }
        target.drain_events();
        peer.drain_events();
    }

    // The next datagram from the peer; if there is none, lets time run to
    // the peer's next timer so it retransmits.
    std::optional<std::vector<uint8_t>> next_from_peer() {
        exchange();
        if (from_peer.empty()) {
            if (auto t = peer.next_timeout()) {
                now = std::max(now, *t);
                peer.handle_timeout(now);
                exchange();
            }
        }
        if (from_peer.empty()) return std::nullopt;
        std::vector<uint8_t> d = std::move(from_peer.front());
        from_peer.pop_front();
        return d;
    }

    void deliver(std::span<const uint8_t> d) {
        target.receive(d, now);
        exchange();
    }

    void advance(Duration by) {
        now += by;
        for (Peer* e : {&target, &peer}) {
            if (auto t = e->next_timeout(); t && *t <= now) e->handle_timeout(now);
        }
        exchange();
    }
};

}  // namespace

bool run_script(Side target_side, std::span<const uint8_t> script) {
    reset_randomness();
    const Profile profile = profile_of(take_u8(script));
    Session s(target_side, profile);
    s.exchange();

    for (int steps = 0; !script.empty() && steps < 256; ++steps) {
        switch (take_u8(script) % 8) {
            case op_deliver:
                if (auto d = s.next_from_peer()) s.deliver(*d);
                break;
            case op_flip: {
                auto d = s.next_from_peer();
                const int flips = take_u8(script) % 4 + 1;
                for (int i = 0; i < flips; ++i) {
                    const uint16_t at = take_u16(script);
                    const uint8_t mask = take_u8(script);
                    if (d && !d->empty()) (*d)[at % d->size()] ^= mask;
                }
                if (d) s.deliver(*d);
                break;
            }
            case op_drop: (void)s.next_from_peer(); break;
            case op_raw: {
                const size_t n = std::min<size_t>(take_u16(script) % 2048, script.size());
                s.deliver(script.first(n));
                script = script.subspan(n);
                break;
            }
            case op_time: s.advance(std::chrono::milliseconds(4 * take_u16(script))); break;
            case op_replay: {
                const uint8_t index = take_u8(script);
                if (!s.history.empty()) s.deliver(std::vector<uint8_t>(s.history[index % s.history.size()]));
                break;
            }
            case op_truncate: {
                auto d = s.next_from_peer();
                const uint16_t length = take_u16(script);
                if (d) {
                    d->resize(std::min<size_t>(length, d->size()));
                    s.deliver(*d);
                }
                break;
            }
            case op_exercise: {
                static constexpr std::array<uint8_t, 48> payload{'f', 'u', 'z', 'z'};
                const size_t mtu = take_u16(script);
                s.target.exercise(payload, mtu, s.now);
                s.peer.exercise(payload, Config::default_mtu, s.now);
                s.exchange();
                break;
            }
        }
    }

    // Undisturbed: let the handshake (or its failure) run its course.
    for (int round = 0; round < 16; ++round) {
        while (auto d = s.from_peer.empty() ? std::nullopt : std::optional(s.from_peer.front())) {
            s.from_peer.pop_front();
            s.deliver(*d);
        }
        s.advance(std::chrono::milliseconds(500));
        if (s.from_peer.empty() && !s.target.next_timeout() && !s.peer.next_timeout()) break;
    }
    if (s.target.established() && s.peer.established()) {
        static constexpr std::array<uint8_t, 5> tail{'d', 'o', 'n', 'e', '!'};
        s.target.exercise(tail, Config::default_mtu, s.now);
        s.exchange();
        while (!s.from_peer.empty()) {
            auto d = std::move(s.from_peer.front());
            s.from_peer.pop_front();
            s.deliver(d);
        }
    }
    return s.target.established();
}

}  // namespace dtls::fuzz
