// Session's accessors and the in-memory SessionCache (include/dtls/session.hpp).
#include <algorithm>
#include <deque>
#include <mutex>

#include "dtls/session.hpp"
#include "resumption/session_data.hpp"

namespace dtls {

const std::string& Session::server_name() const { return data_->server_name; }
Instant Session::expires() const { return data_->expires; }
CipherSuite Session::cipher_suite() const { return data_->cipher_suite; }
ProtocolVersion Session::version() const { return data_->version; }

namespace {

// Oldest first; a few hundred entries at most, so a linear search is cheap
// next to the handshake that calls it.
class MemorySessionCache final : public SessionCache {
public:
    explicit MemorySessionCache(size_t capacity) : capacity_(capacity) {}

    void store(Session session) override {
        if (capacity_ == 0) return;
        std::lock_guard lock(mutex_);
        if (sessions_.size() == capacity_) sessions_.pop_front();
        sessions_.push_back(std::move(session));
    }

    std::optional<Session> take(std::string_view server_name, Instant now) override {
        std::lock_guard lock(mutex_);
        std::erase_if(sessions_, [&](const Session& s) { return s.expires() <= now; });
        for (auto it = sessions_.rbegin(); it != sessions_.rend(); ++it) {
            if (it->server_name() == server_name) {
                Session found = std::move(*it);
                sessions_.erase(std::next(it).base());
                return found;
            }
        }
        return std::nullopt;
    }

private:
    const size_t capacity_;
    std::mutex mutex_;
    std::deque<Session> sessions_;
};

}  // namespace

std::shared_ptr<SessionCache> SessionCache::in_memory(size_t capacity) {
    return std::make_shared<MemorySessionCache>(capacity);
}

}  // namespace dtls
