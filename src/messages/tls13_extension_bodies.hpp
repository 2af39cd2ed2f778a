// Private to src/messages: the bodies of the extensions TLS 1.3 added (RFC
// 8446 4.2.1-4.2.3, 4.2.8-4.2.11), for the table in extensions.cpp. Several
// have one form per message, so every function is told the context, which
// the table has already checked is one the extension is allowed in.
//
// read_*: false for a body that does not parse (the table loop also rejects
// a body the reader did not consume completely).
// write_*: false when the value has no form in this context.
// check_*: run after a successful read; the reason a well-formed body holds a
// forbidden value, or nullptr.
#pragma once

#include "messages/extensions.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {

bool read_supported_versions(wire::Reader& body, ExtensionContext context, Extensions& out);
bool write_supported_versions(const Extensions& in, ExtensionContext context, wire::Writer& w);

bool read_key_share(wire::Reader& body, ExtensionContext context, Extensions& out);
bool write_key_share(const Extensions& in, ExtensionContext context, wire::Writer& w);
const char* check_key_share(const Extensions& in, ExtensionContext context);

bool read_cookie(wire::Reader& body, ExtensionContext context, Extensions& out);
bool write_cookie(const Extensions& in, ExtensionContext context, wire::Writer& w);

bool read_psk_key_exchange_modes(wire::Reader& body, ExtensionContext context, Extensions& out);
bool write_psk_key_exchange_modes(const Extensions& in, ExtensionContext context, wire::Writer& w);

bool read_pre_shared_key(wire::Reader& body, ExtensionContext context, Extensions& out);
bool write_pre_shared_key(const Extensions& in, ExtensionContext context, wire::Writer& w);
const char* check_pre_shared_key(const Extensions& in, ExtensionContext context);

bool read_early_data(wire::Reader& body, ExtensionContext context, Extensions& out);
bool write_early_data(const Extensions& in, ExtensionContext context, wire::Writer& w);

}  // namespace dtls::messages
