// First ClientHellos that arrive in several datagrams, collected by the front
// door so that it decides on the whole hello: its version, its cookie (a
// DTLS 1.3 cookie is an extension, past the first fragment), the fields a
// DTLS 1.2 cookie covers (up to the compression methods) and its groups.
// Browsers send a ClientHello of about 1.4 KB in two datagrams.
//
// This is the only state the front door keeps before a cookie, and it is
// bounded: at most kMaxHellos partial hellos in all (a new one pushes out the
// oldest), each at most kMaxHelloLength bytes carried in at most
// kMaxDatagrams datagrams of kMaxCarriedBytes in all (about 800 KiB for all
// of them together), and each forgotten kLifetime after its first
// fragment. A flood of fragments can push out a genuine partial hello, whose
// client then retransmits; it cannot grow memory. Nothing is answered and no
// public-key operation happens until a hello is whole.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dtls/config.hpp"
#include "transport/fragment.hpp"

namespace dtls::frontdoor {

class HelloAssembly {
public:
    static constexpr size_t kMaxHellos = 32;
    static constexpr uint32_t kMaxHelloLength = 8 * 1024;
    static constexpr size_t kMaxDatagrams = 8;
    // The datagrams kept for one hello: its bytes, headers and some overlap
    // fit with room to spare; a datagram that would pass it drops the hello.
    static constexpr size_t kMaxCarriedBytes = 2 * kMaxHelloLength;
    static constexpr Duration kLifetime = std::chrono::seconds(10);

    struct Whole {
        Bytes body;                    // the ClientHello's body
        uint16_t message_seq = 0;
        uint64_t record_sequence = 0;  // the highest among its records
        std::vector<Bytes> datagrams;  // every datagram that carried a new part, in arrival order
        size_t bytes_received = 0;     // their total size
    };

    // Takes one fragment of a ClientHello that came alone in the first record
    // of `datagram` from `peer_address`. Returns the whole hello once every
    // byte of it is in (and forgets it); nothing while parts are missing, or
    // if the fragment does not fit the bounds or the hello it continues.
    // Safe to call from several threads.
    std::optional<Whole> add(std::span<const uint8_t> peer_address, const transport::FragmentHeader& header,
                             std::span<const uint8_t> fragment, uint64_t record_sequence,
                             std::span<const uint8_t> datagram, Instant now);

    // Partial hellos held now (for tests and limits).
    size_t pending() const;

private:
    struct Partial {
        std::string address;
        uint16_t message_seq = 0;
        Instant started{};
        Whole whole;
        std::vector<bool> have;  // one flag per byte of the body
        uint32_t have_count = 0;
    };

    mutable std::mutex mutex_;
    std::vector<Partial> partials_;  // oldest first
};

}  // namespace dtls::frontdoor
