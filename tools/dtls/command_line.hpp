// The command line: one CLI11 subcommand per command, each defined in its
// own file (command_demo.cpp, command_client.cpp, command_server.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include "options.hpp"

namespace dtls_tool {

CLI::App* add_demo_command(CLI::App& app, DemoOptions& options);
CLI::App* add_client_command(CLI::App& app, ClientOptions& options);
CLI::App* add_server_command(CLI::App& app, ServerOptions& options);
// --min-version and --max-version, for the client and server commands.
void add_version_options(CLI::App& command, VersionOptions& versions);

}  // namespace dtls_tool
