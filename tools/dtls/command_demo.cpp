#include "command_line.hpp"

namespace dtls_tool {

CLI::App* add_demo_command(CLI::App& app, DemoOptions& options) {
    CLI::App* demo = app.add_subcommand("demo", "Handshake and echo between a client and a server in this process");
    demo->footer(
        "Makes a throwaway CA and server certificate in memory, runs a server (with cookies) and a client over UDP "
        "on 127.0.0.1, echoes three messages, and prints what was negotiated and what it cost.");
    demo->add_flag("--trace", options.trace, "Print the datagram and handshake ladder of both sides on stderr");
    demo->add_option("--keylog", options.keylog, "Append NSS key log lines to FILE (default: $SSLKEYLOGFILE)")
        ->type_name("FILE");
    return demo;
}

}  // namespace dtls_tool
