// What the client's "connected to" and the server's "handshake done" lines
// say about a connection, and the line --export prints after them.
#pragma once

#include <optional>
#include <string>

#include "dtls/connection.hpp"
#include "dtls/errors.hpp"
#include "options.hpp"

namespace dtls_tool {

// "DTLS 1.2, SUITE, GROUP", then ", ALPN proto", ", SRTP PROFILE" (and
// ", MKI hex" when one is used) and ", resumed" when they apply. Tests
// match the end of the line (", resumed"), so new items go before it.
std::string describe(const dtls::Negotiated& negotiated);
// "record size limit: the peer's N, ours M" (with "(max_fragment_length)"
// when that is where they came from), when a limit was negotiated.
std::optional<std::string> describe_record_size_limit(const dtls::Negotiated& negotiated);
// "connection ID: ours HEX, the peer's HEX" ("none" for an empty one), when
// connection_id was negotiated (RFC 9146).
std::optional<std::string> describe_connection_id(const dtls::Negotiated& negotiated);
// "return routability check (RFC 9853): agreed" (or "not agreed") when
// connection IDs were negotiated; nothing otherwise.
std::optional<std::string> describe_return_routability_check(const dtls::Negotiated& negotiated);

// "exported keying material LABEL LENGTH: <lower-case hex>", or why the
// connection could not export it.
dtls::Result<std::string> exported_keying_material(const dtls::Connection& connection, const ExportRequest& request);

}  // namespace dtls_tool
