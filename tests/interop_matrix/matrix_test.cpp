// The interop matrix: each cell runs one peer program (peers/) as a child
// process against our engine over UDP on 127.0.0.1, and checks that the
// handshake completes, three messages go both ways byte for byte, close_notify
// goes both ways, and both sides report the same suite, group (and ALPN).
// Each cell's outcome is appended to $INTEROP_RESULTS, from which
// render_table.sh writes docs/interop.md.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "cells.hpp"
#include "our_side.hpp"
#include "peer_process.hpp"

namespace dtls::interop {
namespace {

namespace fs = std::filesystem;
using test::KeyKind;
using SteadyClock = std::chrono::steady_clock;

const char* const kAlpn = "dtls-interop";
const char* const kHost = "server.test";

std::string key_name(KeyKind kind) {
    switch (kind) {
        case KeyKind::ecdsa_p256: return "ecdsa_p256";
        case KeyKind::ecdsa_p384: return "ecdsa_p384";
        case KeyKind::rsa2048: return "rsa2048";
        case KeyKind::ed25519: return "ed25519";
    }
    return "?";
}

// Certificates for the whole run, in memory (for us) and in a temporary
// directory (for the peer programs): one CA, a server certificate for each
// key type, one client certificate.
class Certificates {
public:
    static Certificates& get() {
        static Certificates instance;
        return instance;
    }
    ~Certificates() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    const test::TestCa& ca() const { return ca_; }
    const std::string& ca_file() const { return ca_file_; }
    const test::Issued& server(KeyKind kind) { return issued(kind, "server"); }
    const test::Issued& client() { return issued(KeyKind::ecdsa_p256, "client"); }
    std::string cert_file(KeyKind kind, const std::string& who) { return file(who + "_" + key_name(kind) + ".pem"); }
    std::string key_file(KeyKind kind, const std::string& who) { return file(who + "_" + key_name(kind) + ".key"); }

private:
    Certificates() : ca_(test::TestCa::create(KeyKind::ecdsa_p256, "dtls interop CA")) {
        char pattern[] = "/tmp/dtls-interop-XXXXXX";
        dir_ = ::mkdtemp(pattern) ? pattern : "/tmp";
        ca_file_ = write("ca.pem", ca_.cert_pem());
    }
    std::string file(const std::string& name) const { return dir_ + "/" + name; }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(file(name)) << text;
        return file(name);
    }
    const test::Issued& issued(KeyKind kind, const std::string& who) {
        const std::string id = who + "_" + key_name(kind);
        auto found = issued_.find(id);
        if (found != issued_.end()) return found->second;
        test::IssueOptions options;
        if (who == "server") options.dns_names = {kHost};
        test::Issued made = ca_.issue(kind, who == "server" ? kHost : "interop client", options);
        write(id + ".pem", made.chain_pem.empty() ? made.cert_pem : made.chain_pem);
        write(id + ".key", made.key_pem);
        return issued_.emplace(id, std::move(made)).first->second;
    }

    test::TestCa ca_;
    std::string dir_;
    std::string ca_file_;
    std::map<std::string, test::Issued> issued_;
};

std::vector<std::string> peer_command(const std::string& peer, std::string& missing) {
    if (peer == "jsse") {
        const std::string classes = INTEROP_JAVA_CLASSES;
        if (std::string(INTEROP_JAVA).empty() || !fs::exists(classes + "/JssePeer.class")) {
            missing = "JssePeer was not built (no JDK found at configure time: run scripts/install-deps.sh)";
        }
        return {INTEROP_JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", classes, "JssePeer"};
    }
    const std::string program = std::string(INTEROP_PEER_DIR) + "/" + peer + "_peer";
    if (!fs::exists(program)) {
        missing = program + " was not built (its library was not found at configure time: run scripts/install-deps.sh)";
    }
    return {program};
}

std::string hex_suite(CipherSuite suite) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%04X", static_cast<unsigned>(suite));
    return text;
}

// The value of `key=` in a report line such as "established suite=0xC02B group=x25519 alpn=-".
std::string field(const std::string& line, const std::string& key) {
    const size_t at = line.find(" " + key + "=");
    if (at == std::string::npos) return "";
    const size_t start = at + key.size() + 2;
    return line.substr(start, line.find(' ', start) - start);
}

struct Outcome {
    std::vector<std::string> problems;  // empty: the cell passes
    std::string evidence;               // for a known limitation: what was seen
    std::string note;                   // anything worth a line in the table
    std::string details;                // peer output and our trace, for failures
};

std::vector<std::string> peer_arguments(const Cell& cell, Certificates& certs, uint16_t port) {
    std::vector<std::string> args = {"--role",  cell.peer_is_server ? "server" : "client",
                                     "--suite", to_string(cell.suite),
                                     "--group", to_string(cell.group),
                                     "--mtu",   std::to_string(cell.mtu),
                                     "--ca",    certs.ca_file(),
                                     "--host",  kHost};
    if (cell.peer_is_server) {
        certs.server(cell.server_key);
        args.insert(args.end(), {"--cert", certs.cert_file(cell.server_key, "server"), "--key",
                                 certs.key_file(cell.server_key, "server"), "--cookies", cell.cookies ? "1" : "0"});
    } else {
        args.insert(args.end(), {"--port", std::to_string(port)});
        if (cell.client_auth) {
            certs.client();
            args.insert(args.end(), {"--cert", certs.cert_file(KeyKind::ecdsa_p256, "client"), "--key",
                                     certs.key_file(KeyKind::ecdsa_p256, "client")});
        }
    }
    if (cell.client_auth) args.push_back("--client-auth");
    if (cell.alpn) args.insert(args.end(), {"--alpn", kAlpn});
    if (cell.peer_closes_first) args.push_back("--close-first");
    return args;
}

Config our_config(const Cell& cell, Certificates& certs) {
    // Our side speaks DTLS 1.3 as by default (its default suites) besides
    // DTLS 1.2 with the cell's suite, so every cell also checks that a DTLS
    // 1.2 peer gets DTLS 1.2 from a side that prefers DTLS 1.3.
    Config config;
    std::erase_if(config.cipher_suites,
                  [](CipherSuite s) { return version_of(s) != ProtocolVersion::dtls1_3; });
    config.cipher_suites.push_back(cell.suite);
    if (cell.peer_is_server) {
        // Our client offers every group, the cell's first (as the peers do):
        // strict libraries accept an ECDSA certificate only on a curve both
        // sides list (RFC 8422 5.1).
        config.groups = {cell.group};
        for (NamedGroup g : {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1}) {
            if (g != cell.group) config.groups.push_back(g);
        }
        config.ca_pem = certs.ca().cert_pem();
        config.server_name = kHost;
        if (cell.client_auth) config.credential = std::make_shared<Credential>(test::credential_of(certs.client()));
    } else {
        config.groups = {cell.group};  // the server picks: only the cell's
        config.credential = std::make_shared<Credential>(test::credential_of(certs.server(cell.server_key)));
        config.cookies = cell.cookies;
        if (cell.client_auth) {
            config.client_auth = ClientAuth::require;
            config.ca_pem = certs.ca().cert_pem();
        }
    }
    if (cell.rsa_scheme) config.signature_schemes = {*cell.rsa_scheme, SignatureScheme::ecdsa_secp256r1_sha256};
    config.mtu = cell.mtu;
    if (cell.alpn) config.alpn = {kAlpn};
    return config;
}

Outcome run_cell(const Cell& cell) {
    Outcome out;
    Certificates& certs = Certificates::get();
    std::string missing;
    std::vector<std::string> command = peer_command(cell.peer, missing);
    if (!missing.empty()) {
        out.problems.push_back(missing);
        return out;
    }
    const auto deadline = SteadyClock::now() + std::chrono::seconds(cell.peer == "jsse" ? 25 : 12);
    const Config config = our_config(cell, certs);

    UdpSocket server_socket;  // used only when we are the server
    std::vector<std::string> args = peer_arguments(cell, certs, server_socket.port());
    command.insert(command.end(), args.begin(), args.end());
    PeerProcess peer(command);
    OurSideResult ours;
    if (cell.peer_is_server) {
        auto listening = peer.wait_for_line("listening ", deadline);
        if (!listening) {
            peer.wait_for_exit(deadline);
            out.problems.push_back("peer server did not start");
        } else {
            const int port = std::atoi(listening->substr(10).c_str());
            ours = run_our_client(config, static_cast<uint16_t>(port), peer, cell.peer_closes_first, deadline);
        }
    } else {
        ours = run_our_server(config, server_socket, peer, cell.peer_closes_first, deadline);
    }
    // A peer still waiting for a close_notify after our side is done will not
    // get one: a few seconds is plenty for it to finish on loopback.
    const int exit_code = peer.wait_for_exit(std::min(deadline, SteadyClock::now() + std::chrono::seconds(3)));
    out.details = "peer: " + [&] {
        std::string joined;
        for (const auto& a : command) joined += a + " ";
        return joined;
    }() + "\n" + peer.output() + ours.trace_tail();

    auto& problems = out.problems;
    if (auto line = peer.line_starting("unsupported ")) problems.push_back("peer: " + *line);
    if (auto line = peer.line_starting("error ")) problems.push_back("peer: " + *line);
    if (exit_code != 0) problems.push_back("peer exited with " + std::to_string(exit_code));
    if (ours.error) problems.push_back("ours: " + ours.error->to_string());
    if (!ours.established) problems.push_back("our handshake did not complete");

    const auto established = peer.line_starting("established ");
    if (ours.established && established) {
        const Negotiated& n = ours.negotiated;
        if (n.cipher_suite != cell.suite) problems.push_back(std::string("we negotiated ") + to_string(n.cipher_suite));
        if (field(*established, "suite") != hex_suite(cell.suite)) {
            problems.push_back("peer reports suite " + field(*established, "suite"));
        }
        if (n.group != cell.group) problems.push_back(std::string("we negotiated group ") + to_string(n.group));
        // SunJSSE cannot name the group (JssePeer.java): only ours is checked there.
        const bool peer_names_group = cell.peer != "jsse";
        if (peer_names_group && field(*established, "group") != to_string(n.group)) {
            problems.push_back("peer reports group " + field(*established, "group") + ", we " + to_string(n.group));
        }
        const std::string alpn = cell.alpn ? kAlpn : "";
        if (n.alpn != alpn) problems.push_back("our ALPN is '" + n.alpn + "'");
        if (field(*established, "alpn") != (cell.alpn ? alpn : "-")) {
            problems.push_back("peer reports ALPN " + field(*established, "alpn"));
        }
        if (cell.rsa_scheme && cell.peer_is_server && n.peer_signature_scheme != *cell.rsa_scheme) {
            problems.push_back(std::string("peer signed with ") + to_string(n.peer_signature_scheme));
        }
        if (cell.client_auth && !cell.peer_is_server && n.peer_chain.empty()) {
            problems.push_back("no client certificate reached our server");
        }
    } else if (ours.established) {
        problems.push_back("peer did not report an established session");
    }
    if (ours.established) {
        if (!ours.data_error.empty()) problems.push_back("ours: " + ours.data_error);
        if (ours.messages_ok != kMessages) {
            problems.push_back("ours: " + std::to_string(ours.messages_ok) + " of 3 messages intact");
        }
        if (!peer.line_starting("data ok")) problems.push_back("peer did not confirm the data");
        if (cell.peer_closes_first) {
            if (!ours.peer_closed) problems.push_back("the peer's close_notify did not reach us");
            if (!peer.line_starting("closed ok")) problems.push_back("the peer got no close_notify answering its own");
        } else {
            if (!peer.line_starting("closed ok")) problems.push_back("the peer did not get and answer our close_notify");
            // Our engine ignores what comes after close(): the answer is seen as a datagram.
            if (ours.datagrams_after_close == 0) problems.push_back("no answer to our close_notify arrived");
        }
    }
    if (ours.largest_datagram_sent > cell.mtu) {
        problems.push_back("we sent a datagram of " + std::to_string(ours.largest_datagram_sent) + " bytes");
    }
    const auto mtu_note = peer.line_starting("note ");
    if (mtu_note) out.note = mtu_note->substr(5);
    if (ours.largest_datagram_received > cell.mtu && !mtu_note) {
        problems.push_back("peer sent a datagram of " + std::to_string(ours.largest_datagram_received) +
                           " bytes over MTU " + std::to_string(cell.mtu));
    }
    if (!cell.cookies && ours.hello_verify_requests > 0) {
        problems.push_back(cell.peer_is_server ? "the peer server sent a HelloVerifyRequest although told not to"
                                               : "our server sent a HelloVerifyRequest with cookies off");
    }
    if (cell.cookies && cell.peer_is_server && ours.hello_verify_requests == 0 && ours.established && out.note.empty()) {
        out.note = "the peer server sent no HelloVerifyRequest";
    }
    if (cell.cookies && !cell.peer_is_server && ours.hello_verify_requests == 0 && ours.established) {
        problems.push_back("our server completed without a HelloVerifyRequest");
    }
    if (!problems.empty()) {
        out.evidence = problems.front();
        if (problems.size() > 1) out.evidence += "; " + problems[1];
    }
    return out;
}

// One results line per cell, appended to $INTEROP_RESULTS (tab-separated:
// peer, role, dimension, variant, suite, group, result, note).
void record(const Cell& cell, const std::string& result, const std::string& note) {
    const char* path = std::getenv("INTEROP_RESULTS");
    if (path == nullptr || *path == '\0') return;
    std::string clean = note;
    for (char& ch : clean) {
        if (ch == '\t' || ch == '\n' || ch == '|') ch = ' ';
    }
    std::ofstream file(path, std::ios::app);
    file << cell.peer << '\t' << (cell.peer_is_server ? "peer is server" : "peer is client") << '\t' << cell.dimension
         << '\t' << cell.variant << '\t' << to_string(cell.suite) << '\t' << to_string(cell.group) << '\t' << result
         << '\t' << clean << '\n';
}

class InteropMatrix : public ::testing::TestWithParam<Cell> {};

}  // namespace

// Names the cell in gtest's messages instead of dumping its bytes.
void PrintTo(const Cell& cell, std::ostream* out) { *out << cell.test_name(); }

namespace {

TEST_P(InteropMatrix, Cell) {
    const Cell& cell = GetParam();
    Outcome out = run_cell(cell);
    std::string problems;
    for (const std::string& p : out.problems) problems += "  - " + p + "\n";
    if (!cell.known_limitation.empty()) {
        // An empty signature would match any failure, a missing peer included.
        ASSERT_FALSE(cell.limitation_signature.empty()) << "cells.cpp lists a limitation without its signature";
        const bool passed = out.problems.empty();
        const bool as_expected = std::any_of(out.problems.begin(), out.problems.end(), [&](const std::string& p) {
            return p.find(cell.limitation_signature) != std::string::npos;
        });
        if (passed) {
            record(cell, "FAIL", "passes although listed as a peer limitation: update cells.cpp");
        } else if (!as_expected) {
            record(cell, "FAIL", "fails, but not as the listed limitation does: " + out.evidence);
        } else {
            record(cell, "not supported by peer", cell.known_limitation + " (seen: " + out.evidence + ")");
        }
        EXPECT_FALSE(passed) << "listed as a limitation of " << cell.peer << " (" << cell.known_limitation
                             << ") but the cell passes; update cells.cpp\n"
                             << out.details;
        EXPECT_TRUE(passed || as_expected)
            << "listed as a limitation of " << cell.peer << " (" << cell.known_limitation
            << "), which shows as a problem containing '" << cell.limitation_signature
            << "', but the cell failed otherwise:\n"
            << problems << out.details;
        return;
    }
    record(cell, out.problems.empty() ? "pass" : "FAIL", out.problems.empty() ? out.note : out.evidence);
    EXPECT_TRUE(out.problems.empty()) << problems << out.details;
}

INSTANTIATE_TEST_SUITE_P(Peers, InteropMatrix, ::testing::ValuesIn(all_cells()),
                         [](const ::testing::TestParamInfo<Cell>& info) { return info.param.test_name(); });

}  // namespace
}  // namespace dtls::interop
