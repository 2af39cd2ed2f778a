#include "keylog.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include "failure.hpp"

namespace dtls_tool {

dtls::Result<std::shared_ptr<KeylogWriter>> KeylogWriter::open(const std::string& path) {
    std::string where = path;
    if (where.empty()) {
        const char* env = std::getenv("SSLKEYLOGFILE");
        if (env == nullptr || *env == '\0') return std::shared_ptr<KeylogWriter>();
        where = env;
    }
    int fd = ::open(where.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return system_failure("cannot open key log file " + where);
    std::FILE* file = ::fdopen(fd, "a");
    if (file == nullptr) {
        ::close(fd);
        return system_failure("cannot open key log file " + where);
    }
    return std::shared_ptr<KeylogWriter>(new KeylogWriter(file));
}

KeylogWriter::~KeylogWriter() { std::fclose(file_); }

void KeylogWriter::write(std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fputc('\n', file_);
    std::fflush(file_);
}

void install_keylog(dtls::Config& config, const std::shared_ptr<KeylogWriter>& writer) {
    if (!writer) return;
    config.keylog = [writer](std::string_view line) { writer->write(line); };
}

}  // namespace dtls_tool
