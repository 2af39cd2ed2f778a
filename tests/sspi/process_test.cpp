// The C examples as separate processes over loopback UDP: against each
// other, and against `openssl s_server -dtls1_2` / `openssl s_client
// -dtls1_2`. Every process is bounded in time and killed (by its own pid)
// if it overstays.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/certs.hpp"

extern char** environ;

namespace dtls::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A child process with stdout and stderr in a file and, optionally, a pipe
// on its stdin that stays open until close_stdin().
class Process {
public:
    Process(std::vector<std::string> args, fs::path output, bool stdin_pipe = false) : output_(std::move(output)) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        int fds[2] = {-1, -1};
        if (stdin_pipe && pipe(fds) == 0) {
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
            posix_spawn_file_actions_addclose(&actions, fds[1]);
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        }
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
        if (fds[0] >= 0) {
            close(fds[0]);
            stdin_ = fds[1];
        }
    }
    ~Process() {
        close_stdin();
        if (pid_ > 0 && !exited_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
    }

    void write_stdin(const std::string& text) {
        if (stdin_ >= 0) (void)!write(stdin_, text.data(), text.size());
    }
    void close_stdin() {
        if (stdin_ >= 0) close(stdin_);
        stdin_ = -1;
    }
    // The exit code, or -1 if it had to be killed after `limit`.
    int wait(std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (pid_ > 0 && !exited_) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                break;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                kill(pid_, SIGKILL);
                waitpid(pid_, nullptr, 0);
                exited_ = true;
                code_ = -1;
            }
            std::this_thread::sleep_for(20ms);
        }
        return code_;
    }
    std::string output() const { return read_file(output_); }
    // Waits until the output contains `text`.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds limit) const {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (output().find(text) != std::string::npos) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

private:
    fs::path output_;
    pid_t pid_ = -1;
    int stdin_ = -1;
    bool exited_ = false;
    int code_ = -1;
};

uint16_t free_udp_port() {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

class SspiProcesses : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("dtls-sspi-" + std::to_string(getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir);
        TestCa ca = TestCa::create();
        Issued leaf = ca.issue(KeyKind::ecdsa_p256, "localhost");
        std::ofstream(dir / "ca.pem") << ca.cert_pem();
        std::ofstream(dir / "cert.pem") << leaf.chain_pem;
        std::ofstream(dir / "key.pem") << leaf.key_pem;
    }
    void TearDown() override { fs::remove_all(dir); }

    std::string file(const char* name) const { return (dir / name).string(); }

    // Starts the example server on a free port and returns the port.
    std::string start_server(std::unique_ptr<Process>& server, std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {SSPI_SERVER_PATH, "0", file("cert.pem"), file("key.pem")};
        args.insert(args.end(), extra.begin(), extra.end());
        server = std::make_unique<Process>(args, dir / "server.out");
        EXPECT_TRUE(server->wait_for_output("listening on 127.0.0.1:", 5s));
        const std::string out = server->output();
        const size_t colon = out.find("127.0.0.1:");
        return colon == std::string::npos ? "0" : std::to_string(std::stoi(out.substr(colon + 10)));
    }

    fs::path dir;
};

TEST_F(SspiProcesses, ExampleClientAndServer) {
    for (const char* mtu : {"1096", "250"}) {
        std::unique_ptr<Process> server;
        const std::string port = start_server(server, {"--mtu", mtu});
        Process client({SSPI_CLIENT_PATH, "127.0.0.1", port, "--ca", file("ca.pem"), "--name", "localhost", "--mtu",
                        mtu, "--message", "hello over sspi"},
                       dir / "client.out");
        EXPECT_EQ(client.wait(20s), 0) << client.output();
        EXPECT_EQ(server->wait(20s), 0) << server->output();
        EXPECT_NE(client.output().find("received: hello over sspi"), std::string::npos) << client.output();
        EXPECT_NE(server->output().find("received: hello over sspi"), std::string::npos) << server->output();
    }
}

TEST_F(SspiProcesses, ExampleClientRefusesAnUntrustedServer) {
    TestCa other = TestCa::create();
    std::ofstream(dir / "other.pem") << other.cert_pem();
    std::unique_ptr<Process> server;
    const std::string port = start_server(server);
    Process client({SSPI_CLIENT_PATH, "127.0.0.1", port, "--ca", file("other.pem"), "--name", "localhost"},
                   dir / "client.out");
    EXPECT_EQ(client.wait(20s), 1);
    EXPECT_NE(client.output().find("0x80090325"), std::string::npos) << client.output();  // SEC_E_UNTRUSTED_ROOT
}

TEST_F(SspiProcesses, ExampleClientWithOpensslServer) {
    const std::string port = std::to_string(free_udp_port());
    // s_server quits when its stdin ends, so it gets a pipe that stays open.
    Process server({OPENSSL_CLI, "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-cert", file("cert.pem"),
                    "-key", file("key.pem"), "-naccept", "1"},
                   dir / "openssl.out", true);
    ASSERT_TRUE(server.wait_for_output("ACCEPT", 5s)) << server.output();
    Process client({SSPI_CLIENT_PATH, "127.0.0.1", port, "--ca", file("ca.pem"), "--name", "localhost", "--mtu", "400",
                    "--message", "to openssl", "--no-echo"},
                   dir / "client.out");
    EXPECT_EQ(client.wait(20s), 0) << client.output();
    EXPECT_TRUE(server.wait_for_output("to openssl", 10s)) << server.output();
    server.close_stdin();
    server.wait(5s);
}

TEST_F(SspiProcesses, OpensslClientWithExampleServer) {
    std::unique_ptr<Process> server;
    const std::string port = start_server(server);
    Process client({OPENSSL_CLI, "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port, "-CAfile", file("ca.pem"),
                    "-servername", "localhost", "-verify_return_error", "-quiet"},
                   dir / "openssl.out", true);
    client.write_stdin("from openssl\n");
    EXPECT_EQ(server->wait(20s), 0) << server->output();
    EXPECT_NE(server->output().find("received: from openssl"), std::string::npos) << server->output();
    EXPECT_TRUE(client.wait_for_output("from openssl", 10s)) << client.output();  // the echo
    client.close_stdin();
    client.wait(5s);
}

}  // namespace
}  // namespace dtls::test
