// The wait at the heart of every event loop in the tool: sleep until one of a
// few file descriptors is readable or the earliest timer is due.
#pragma once

#include <poll.h>

#include <optional>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls_tool {

class Poller {
public:
    // Returns the slot to ask readable() about after wait().
    size_t watch(int fd);
    // Stops watching a slot (for example standard input at end of file).
    void ignore(size_t slot);

    // Returns once a watched descriptor is readable, the deadline has passed
    // or a signal interrupted the wait.
    dtls::Status wait(std::optional<dtls::Instant> deadline);
    bool readable(size_t slot) const;

private:
    std::vector<pollfd> fds_;
};

}  // namespace dtls_tool
