#include "peer_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace dtls::interop {

PeerProcess::PeerProcess(const std::vector<std::string>& argv) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        lines_.push_back(std::string("pipe: ") + std::strerror(errno));
        return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int spawned = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
        pid_ = -1;
        ::close(pipe_fds[0]);
        lines_.push_back("cannot start " + argv[0] + ": " + std::strerror(spawned));
        return;
    }
    fd_ = pipe_fds[0];
    ::fcntl(fd_, F_SETFL, O_NONBLOCK);
}

PeerProcess::~PeerProcess() {
    if (pid_ > 0 && !exit_code_) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
}

void PeerProcess::read_available() {
    if (fd_ < 0) return;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n > 0) {
            partial_.append(buffer, static_cast<size_t>(n));
            continue;
        }
        if (n == 0) {  // every writer closed: the child is gone
            ::close(fd_);
            fd_ = -1;
            if (!partial_.empty()) partial_ += '\n';
        }
        break;
    }
    take_lines();
}

void PeerProcess::take_lines() {
    size_t end;
    while ((end = partial_.find('\n')) != std::string::npos) {
        lines_.push_back(partial_.substr(0, end));
        partial_.erase(0, end + 1);
    }
}

std::optional<std::string> PeerProcess::line_starting(const std::string& prefix) const {
    for (const std::string& line : lines_) {
        if (line.rfind(prefix, 0) == 0) return line;
    }
    return std::nullopt;
}

std::optional<std::string> PeerProcess::wait_for_line(const std::string& prefix,
                                                      std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        read_available();
        if (auto line = line_starting(prefix)) return line;
        if (fd_ < 0) return std::nullopt;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd waiting{fd_, POLLIN, 0};
        ::poll(&waiting, 1, static_cast<int>(left.count()));
    }
}

int PeerProcess::wait_for_exit(std::chrono::steady_clock::time_point deadline) {
    if (pid_ <= 0) return -1;
    while (!exit_code_) {
        read_available();
        int status = 0;
        pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            exit_code_ = -1;
            lines_.push_back("(killed: still running at the deadline)");
            break;
        }
        if (fd_ >= 0) {
            pollfd waiting{fd_, POLLIN, 0};
            ::poll(&waiting, 1, 20);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    read_available();
    return *exit_code_;
}

std::string PeerProcess::output() const {
    std::string all;
    for (const std::string& line : lines_) all += "    peer| " + line + "\n";
    return all;
}

}  // namespace dtls::interop
