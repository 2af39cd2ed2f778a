// Handshake message codecs. Every decode_* gets the fuzzer's bytes; whatever
// decodes must encode and decode again to the same bytes (a stable round
// trip), and messages without extensions must encode back to exactly the
// input (nothing is silently dropped or normalised). Also the fragment
// header reader, which every handshake record goes through first, and
// RFC 9853's return routability messages.
//
// Input: selector byte (which message), then the message body.
#include <cstdlib>
#include <vector>

#include "messages/ack.hpp"
#include "messages/connection_id_messages.hpp"
#include "messages/messages.hpp"
#include "messages/new_session_ticket12.hpp"
#include "messages/psk_key_exchange.hpp"
#include "messages/return_routability_check.hpp"
#include "messages/tls13_messages.hpp"
#include "transport/fragment.hpp"

using namespace dtls;
using namespace dtls::messages;
using namespace dtls::transport;

namespace {

// decode -> encode -> decode -> encode must be stable; `exact` also demands
// encode(decode(input)) == input.
template <class Decode>
void round_trip(Decode decode, std::span<const uint8_t> input, bool exact) {
    auto first = decode(input);
    if (!first) {
        // Every failure names its fault, and the alert the fault table gives it.
        const Error& e = first.error();
        if (!e.fault || e.alert != alert_for(*e.fault)) std::abort();
        return;
    }
    const Bytes once = *encoded(*first);
    if (exact && !std::equal(once.begin(), once.end(), input.begin(), input.end())) std::abort();
    auto second = decode(once);
    if (!second) std::abort();
    if (*encoded(*second) != once) std::abort();
}

void fragments(std::span<const uint8_t> input) {
    wire::Reader r(input);
    while (!r.empty()) {
        FragmentHeader h;
        std::span<const uint8_t> fragment;
        if (!read_fragment(r, h, fragment)) return;
        if (fragment.size() != h.fragment_length || uint64_t{h.fragment_offset} + h.fragment_length > h.length) {
            std::abort();
        }
    }
}

// The PSK key exchange layouts depend on the suite: with or without ECDHE.
template <bool Ecdhe>
Result<PskServerKeyExchange> psk_server_key_exchange(std::span<const uint8_t> body) {
    return decode_psk_server_key_exchange(body, Ecdhe);
}
template <bool Ecdhe>
Result<PskClientKeyExchange> psk_client_key_exchange(std::span<const uint8_t> body) {
    return decode_psk_client_key_exchange(body, Ecdhe);
}

// RFC 9853's messages: a known type must encode back to exactly its 9
// bytes; an unknown type decodes to nothing, whatever follows it.
void rrc(std::span<const uint8_t> input) {
    auto m = decode_rrc(input);
    if (!m) {
        if (!m.error().fault || m.error().alert != alert_for(*m.error().fault)) std::abort();
        return;
    }
    if (!*m) return;
    const auto once = encode_rrc(**m);
    if (!std::equal(once.begin(), once.end(), input.begin(), input.end())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const std::span<const uint8_t> body(data + 1, size - 1);
    switch (data[0] % 27) {
        case 0: round_trip(decode_client_hello, body, false); break;
        case 1: round_trip(decode_server_hello, body, false); break;
        case 2: round_trip(decode_hello_verify_request, body, true); break;
        case 3: round_trip(decode_certificate, body, true); break;
        case 4: round_trip(decode_server_key_exchange, body, true); break;
        case 5: round_trip(decode_certificate_request, body, true); break;
        case 6: round_trip(decode_server_hello_done, body, true); break;
        case 7: round_trip(decode_certificate_verify, body, true); break;
        case 8: round_trip(decode_client_key_exchange, body, true); break;
        case 9: round_trip([](std::span<const uint8_t> b) { return decode_finished(b); }, body, true); break;
        case 10: fragments(body); break;
        // DTLS 1.3.
        case 11: round_trip(decode_encrypted_extensions, body, false); break;
        case 12: round_trip(decode_certificate13, body, false); break;
        case 13: round_trip(decode_certificate_request13, body, false); break;
        case 14: round_trip(decode_new_session_ticket13, body, false); break;
        case 15: round_trip(decode_key_update, body, true); break;
        case 16: round_trip([](std::span<const uint8_t> b) { return decode_finished(b, 32); }, body, true); break;
        case 17: round_trip(decode_ack, body, true); break;
        case 18: round_trip(psk_server_key_exchange<false>, body, true); break;
        case 19: round_trip(psk_server_key_exchange<true>, body, true); break;
        case 20: round_trip(psk_client_key_exchange<false>, body, true); break;
        case 21: round_trip(psk_client_key_exchange<true>, body, true); break;
        case 22: round_trip(decode_new_session_ticket12, body, true); break;
        case 23: round_trip(decode_raw_public_key_certificate, body, true); break;
        case 24: round_trip(decode_new_connection_id, body, true); break;
        case 25: round_trip(decode_request_connection_id, body, true); break;
        case 26: rrc(body); break;
    }
    return 0;
}
