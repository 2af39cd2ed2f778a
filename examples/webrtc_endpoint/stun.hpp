// Just enough STUN (RFC 8489) for an ICE-lite endpoint (RFC 8445 2.5): check
// a browser's Binding request and answer it with a Binding success response
// carrying its address, MESSAGE-INTEGRITY and FINGERPRINT.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace webrtc_example {

// The answer to `request` when it is a Binding request for `local_ufrag`
// whose MESSAGE-INTEGRITY verifies with `local_password`; nothing otherwise.
// `from` is the address it came from, reported back in XOR-MAPPED-ADDRESS.
std::optional<std::vector<uint8_t>> answer_binding_request(std::span<const uint8_t> request,
                                                           const std::string& local_ufrag,
                                                           const std::string& local_password,
                                                           const sockaddr_in& from);

}  // namespace webrtc_example
