// dtls: the command-line tool. `dtls demo`, `dtls client`, `dtls server`;
// see docs/cli.md. The dtls library never touches a socket or a clock: this
// program owns them (udp_socket, poller, signals) and drives the engine.
#include <CLI/CLI.hpp>

#include <string>

#include "command_line.hpp"
#include "dtls/version.hpp"
#include "failure.hpp"
#include "run.hpp"

int main(int argc, char** argv) {
    using namespace dtls_tool;

    CLI::App app("dtls: a DTLS demo, client and server built on the dtls engine", "dtls");
    app.require_subcommand(1);
    // The library's version and the libcrypto it runs on, both read at run
    // time from the libraries actually loaded.
    app.set_version_flag("--version", [] {
        return "dtls " + std::string(dtls::version()) + " (" + std::string(dtls::openssl_version()) + ")";
    });
    app.footer(
        "Run `dtls COMMAND --help` for a command's options. Exit status: 0 success, 1 failure (including options "
        "the library refuses in combination), 2 a command line that does not parse.");

    DemoOptions demo_options;
    ClientOptions client_options;
    ServerOptions server_options;
    CLI::App* demo = add_demo_command(app, demo_options);
    CLI::App* client = add_client_command(app, client_options);
    CLI::App* server = add_server_command(app, server_options);

    // CLI11 would only say that a command is required.
    const std::string first = argc >= 2 ? argv[1] : "";
    if (!first.empty() && first[0] != '-' && first != demo->get_name() && first != client->get_name() &&
        first != server->get_name()) {
        report("unknown command '" + first + "' (commands: demo, client, server; see dtls --help)");
        return exit_usage;
    }

    // CLI11 reports through exceptions; they stop here, as one line.
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
        report(std::string(error.what()) + " (see dtls --help)");
        return exit_usage;
    }

    if (demo->parsed()) return run_demo(demo_options);
    if (client->parsed()) return run_client(client_options);
    if (server->parsed()) return run_server(server_options);
    return exit_usage;
}
