// The command line: one CLI11 subcommand per command, each defined in its
// own file (command_demo.cpp, command_client.cpp, command_server.cpp), and
// the options they share.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace dtls_tool {

CLI::App* add_demo_command(CLI::App& app, DemoOptions& options);
CLI::App* add_client_command(CLI::App& app, ClientOptions& options);
CLI::App* add_server_command(CLI::App& app, ServerOptions& options);
// --min-version and --max-version, for the client and server commands.
void add_version_options(CLI::App& command, VersionOptions& versions);
// --srtp PROFILES (`what` starts its description), --srtp-mki HEX (client)
// and --export LABEL:LENGTH; command_srtp.cpp.
CLI::Option* add_srtp_option(CLI::App& command, std::vector<dtls::SrtpProfile>& profiles, const std::string& what);
CLI::Option* add_srtp_mki_option(CLI::App& command, dtls::Bytes& mki);
CLI::Option* add_export_option(CLI::App& command, std::optional<ExportRequest>& request);
// --psk HEX, --psk-identity ID and (server) --psk-hint TEXT; and
// --cipher-suites NAMES; command_psk.cpp.
void add_psk_options(CLI::App& command, PskOptions& psk, bool server);
CLI::Option* add_cipher_suites_option(CLI::App& command, std::vector<dtls::CipherSuite>& suites);

}  // namespace dtls_tool
