#include "command_line.hpp"

namespace dtls_tool {

CLI::App* add_server_command(CLI::App& app, ServerOptions& options) {
    CLI::App* server = app.add_subcommand("server", "Serve DTLS clients on one UDP socket; print or echo what they send");
    server->footer(
        "Prints \"listening on ADDR:PORT\" on stderr, then each record received on stdout as \"PEER: text\". "
        "Clients are told apart by address. Unless --no-cookie is given, a new client must first send back a "
        "stateless cookie (from a HelloVerifyRequest in DTLS 1.2, a HelloRetryRequest in DTLS 1.3). "
        "SIGINT or SIGTERM sends close_notify to every client and exits 0.");
    server->add_option("--listen", options.listen, "Address and port to bind; port 0 picks a free one")
        ->required()
        ->type_name("ADDR:PORT");
    CLI::Option* cert =
        server->add_option("--cert", options.cert, "Our certificate chain (PEM, leaf first), unless --self-signed")
            ->type_name("FILE");
    CLI::Option* key = server->add_option("--key", options.key, "The private key of --cert (PEM)")->type_name("FILE");
    server
        ->add_flag("--self-signed", options.self_signed,
                   "Instead of --cert and --key, a new self-signed ECDSA P-256 certificate, whose fingerprint is "
                   "printed at start")
        ->excludes(cert)
        ->excludes(key);
    server
        ->add_option("--rpk-key", options.rpk_key,
                     "Instead of --cert and --key, our private key (PEM), shown as a raw public key (RFC 7250) to "
                     "clients that accept one")
        ->type_name("FILE")
        ->excludes(cert)
        ->excludes(key);
    // Checked once everything is parsed: CLI11's required() cannot say
    // "unless --self-signed".
    server->callback([&options] {
        if (options.self_signed || !options.rpk_key.empty()) return;
        const auto code = CLI::ExitCodes::RequiredError;
        if (options.cert.empty() && !options.psk.key.empty()) return;  // pre-shared keys alone
        if (options.cert.empty()) {
            throw CLI::RequiredError("--cert is required (or --self-signed, --rpk-key or --psk)", code);
        }
        if (options.key.empty()) throw CLI::RequiredError("--key is required with --cert", code);
    });
    CLI::Option* ca =
        server->add_option("--ca", options.ca, "Trust these CA certificates (PEM) for client certificates")
            ->type_name("FILE");
    // The list options take one argument per occurrence, as in the client.
    server
        ->add_option("--peer-fingerprint", options.peer_fingerprints,
                     "Trust a client certificate that has this fingerprint (RFC 8122: \"sha-256 AB:CD:...\"), "
                     "instead of a CA; needs --verify-client; may be repeated")
        ->allow_extra_args(false)
        ->type_name("\"HASH HEX\"")
        ->excludes(ca);
    server
        ->add_option("--rpk-peer", options.rpk_peers,
                     "Trust a client that shows this public key (PEM) as a raw public key (RFC 7250); needs "
                     "--verify-client; may be repeated")
        ->allow_extra_args(false)
        ->type_name("FILE");
    server->add_option("--verify-client", options.verify_client, "Ask clients for a certificate")
        ->check(CLI::IsMember({"none", "optional", "require"}))
        ->capture_default_str();
    server->add_option("--alpn", options.alpn,
                       "Accept these ALPN protocols, comma-separated, in preference order; a client that offers "
                       "ALPN but none of them is refused")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->type_name("LIST");
    CLI::Option* srtp = add_srtp_option(
        *server, options.srtp,
        "Accept these DTLS-SRTP profiles (a client that offers none of them gets no SRTP, the handshake goes on)");
    server
        ->add_flag("--srtp-accept-mki", options.srtp_accept_mki,
                   "Agree to use the SRTP master key identifier a client offers (otherwise none is used)")
        ->needs(srtp);
    add_export_option(*server, options.export_request);
    server
        ->add_option("--record-size-limit", options.record_size_limit,
                     "The record_size_limit (RFC 8449) to answer a client that offers one with (default: the "
                     "protocol's maximum)")
        ->check(CLI::Range(64, 16384));
    server
        ->add_option("--cid", options.cid_length,
                     "Answer a client that offers a connection ID (RFC 9146, RFC 9147 9): clients' records carry one of "
                     "LENGTH random bytes, and are routed by it when a client's address changes; 0 asks for none")
        ->check(CLI::Range(size_t{0}, dtls::Config::max_connection_id_length))
        ->type_name("LENGTH");
    server->add_flag("--no-rrc", options.no_rrc,
                     "With --cid: do not answer RFC 9853's return routability check (rrc); a client that moved then "
                     "stays limited to three times what it sent from its new address");
    server->add_option("--mtu", options.mtu, "Largest UDP payload to send")
        ->check(CLI::Range(dtls::Config::min_mtu, dtls::Config::max_mtu))
        ->capture_default_str();
    server->add_flag("--echo", options.echo, "Send every application record back to its sender");
    server->add_option("--keylog", options.keylog, "Append NSS key log lines to FILE (default: $SSLKEYLOGFILE)")
        ->type_name("FILE");
    server->add_option("--max-connections", options.max_connections,
                       "Ignore new clients while this many connections are open")
        ->check(CLI::Range(size_t{1}, size_t{1'000'000}))
        ->capture_default_str();
    server->add_option("--idle-timeout", options.idle_timeout_seconds,
                       "Close a connection whose client has been silent this long")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS")
        ->capture_default_str();
    server->add_flag("--stats", options.stats, "Print a one-line summary of the counters periodically and at exit");
    server->add_option("--stats-interval", options.stats_interval_seconds, "How often --stats prints")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS")
        ->capture_default_str();
    server->add_flag("--trace", options.trace, "Print the datagram and handshake ladder on stderr");
    server->add_flag("--no-cookie", options.no_cookie,
                     "Accept a ClientHello without the cookie exchange (HelloVerifyRequest in DTLS 1.2, "
                     "HelloRetryRequest in DTLS 1.3)");
    server->add_option("--session-tickets", options.session_tickets,
                       "Send this many session tickets after each DTLS 1.3 handshake, and one per DTLS 1.2 handshake "
                       "to a client that asks, for clients to resume with (0: none; refused with --verify-client "
                       "optional or require)")
        ->check(CLI::Range(0, 8))
        ->type_name("N")
        ->capture_default_str();
    server->add_flag("--resume", options.resume,
                     "Let clients resume sessions: DTLS 1.2 session IDs (up to 1024 sessions kept) and session "
                     "tickets in both versions (--session-tickets N per DTLS 1.3 handshake, at least 1)");
    server->add_option("--ticket-lifetime", options.ticket_lifetime_seconds,
                       "How long a session ticket can be used")
        ->check(CLI::Range(1, 7 * 24 * 3600))
        ->type_name("SECONDS")
        ->capture_default_str();
    add_version_options(*server, options.versions);
    add_psk_options(*server, options.psk, true);
    add_cipher_suites_option(*server, options.cipher_suites);
    return server;
}

}  // namespace dtls_tool
