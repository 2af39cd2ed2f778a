#include "command_line.hpp"

namespace dtls_tool {

CLI::App* add_client_command(CLI::App& app, ClientOptions& options) {
    CLI::App* client = app.add_subcommand("client", "Send standard input's lines to a DTLS server, print the answers");
    client->footer(
        "Each line of standard input (without its newline) is sent as one record once the handshake is complete; "
        "each record that comes back is printed on standard output. At end of input the client waits until every "
        "line has been answered or --linger has passed since the last record, sends close_notify and exits 0. "
        "A handshake failure prints one line and exits 1.");
    client->add_option("target", options.target, "The server, as HOST:PORT or [IPv6]:PORT")
        ->required()
        ->type_name("HOST:PORT");
    CLI::Option* ca = client->add_option("--ca", options.ca, "Trust the CA certificates in this PEM file")
                          ->type_name("FILE");
    CLI::Option* insecure =
        client->add_flag("--insecure", options.insecure, "Do not check the server's certificate at all");
    ca->excludes(insecure);
    client->add_option("--server-name", options.server_name,
                       "Name checked against the certificate, and sent as SNI unless it is an IP address "
                       "(default: HOST)")
        ->type_name("NAME");
    client->add_flag("--no-name-check", options.no_name_check,
                     "Check the server's certificate chain but not the name in it (any certificate from the "
                     "trusted CAs passes)")
        ->excludes(insecure);
    CLI::Option* cert =
        client->add_option("--cert", options.cert, "Our certificate chain (PEM), if the server asks for one")
            ->type_name("FILE");
    CLI::Option* key = client->add_option("--key", options.key, "The private key of --cert (PEM)")->type_name("FILE");
    cert->needs(key);
    key->needs(cert);
    client
        ->add_flag("--self-signed", options.self_signed,
                   "Our certificate, if the server asks for one: a new self-signed ECDSA P-256 certificate, whose "
                   "fingerprint is printed at start")
        ->excludes(cert)
        ->excludes(key);
    client
        ->add_option("--rpk-key", options.rpk_key,
                     "Our private key (PEM), shown as a raw public key (RFC 7250) if the server asks for a "
                     "certificate, instead of --cert and --key")
        ->type_name("FILE")
        ->excludes(cert)
        ->excludes(key);
    // The list options take one argument per occurrence (allow_extra_args
    // false): CLI11 would otherwise read the target as one more item.
    client
        ->add_option("--rpk-peer", options.rpk_peers,
                     "Trust the server if it shows this public key (PEM) as a raw public key (RFC 7250); without "
                     "--ca or --peer-fingerprint, only a raw public key is accepted; may be repeated")
        ->allow_extra_args(false)
        ->type_name("FILE")
        ->excludes(insecure);
    client
        ->add_option("--peer-fingerprint", options.peer_fingerprints,
                     "Trust the server if its certificate has this fingerprint (RFC 8122: \"sha-256 AB:CD:...\"), "
                     "instead of a CA; may be repeated")
        ->allow_extra_args(false)
        ->type_name("\"HASH HEX\"")
        ->excludes(ca)
        ->excludes(insecure);
    client->add_option("--alpn", options.alpn, "Offer these ALPN protocols, comma-separated, in preference order")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->type_name("LIST");
    CLI::Option* srtp = add_srtp_option(*client, options.srtp, "Offer these DTLS-SRTP profiles");
    add_srtp_mki_option(*client, options.srtp_mki)->needs(srtp);
    add_export_option(*client, options.export_request);
    client
        ->add_option("--record-size-limit", options.record_size_limit,
                     "Offer record_size_limit (RFC 8449): the largest record plaintext to receive")
        ->check(CLI::Range(64, 16384));
    client
        ->add_option("--cid", options.cid_length,
                     "Offer a connection ID (RFC 9146; RFC 9147 9 in DTLS 1.3): the server's records "
                     "carry one of LENGTH random bytes; 0 asks for none but lets the server ask for one")
        ->check(CLI::Range(size_t{0}, dtls::Config::max_connection_id_length))
        ->type_name("LENGTH");
    client->add_flag("--no-rrc", options.no_rrc,
                     "With --cid: do not offer RFC 9853's return routability check (rrc), which lets the server check "
                     "a new address of ours with path_challenge");
    client->add_option("--mtu", options.mtu, "Largest UDP payload to send")
        ->check(CLI::Range(dtls::Config::min_mtu, dtls::Config::max_mtu))
        ->capture_default_str();
    client->add_option("--keylog", options.keylog, "Append NSS key log lines to FILE (default: $SSLKEYLOGFILE)")
        ->type_name("FILE");
    client->add_option("--timeout", options.timeout_seconds, "Give up if the handshake takes longer")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS")
        ->capture_default_str();
    client->add_option("--local-port", options.local_port,
                       "Send from this UDP port (default: one the system picks), e.g. to stand in for a device "
                       "that restarts on a fixed port")
        ->check(CLI::Range(1, 65535))
        ->type_name("PORT");
    client->add_option("--linger", options.linger_seconds,
                       "At end of input, wait this long after the last record for more answers")
        ->check(CLI::NonNegativeNumber)
        ->type_name("SECONDS")
        ->capture_default_str();
    client->add_flag("--resume", options.resume,
                     "Connect twice: the first time only until the server's session ticket (DTLS 1.3) or session "
                     "(DTLS 1.2) arrives, then from a new socket, resuming that session, for standard input's lines");
    client->add_flag("--trace", options.trace, "Print the datagram and handshake ladder on stderr");
    add_version_options(*client, options.versions);
    add_psk_options(*client, options.psk, false);
    add_cipher_suites_option(*client, options.cipher_suites);
    return client;
}

}  // namespace dtls_tool
