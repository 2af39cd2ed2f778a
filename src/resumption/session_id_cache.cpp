#include "resumption/session_id_cache.hpp"

namespace dtls::resumption {

namespace {

std::string key_of(const Bytes& id) { return std::string(id.begin(), id.end()); }

}  // namespace

void SessionIdCache::drop_expired(Instant now) {
    while (!oldest_first_.empty()) {
        auto it = sessions_.find(oldest_first_.front());
        if (it != sessions_.end() && now - it->second.created < lifetime_) return;
        if (it != sessions_.end()) sessions_.erase(it);
        oldest_first_.pop_front();
    }
}

void SessionIdCache::store(const Bytes& id, CachedSession session) {
    if (capacity_ == 0 || id.empty()) return;
    std::lock_guard lock(mutex_);
    drop_expired(session.created);
    // IDs are 32 random bytes: a clash means the random generator broke,
    // and the newer session simply wins.
    std::string key = key_of(id);
    if (sessions_.count(key) == 0) {
        while (sessions_.size() >= capacity_ && !oldest_first_.empty()) {
            sessions_.erase(oldest_first_.front());
            oldest_first_.pop_front();
        }
        oldest_first_.push_back(key);
    }
    sessions_.insert_or_assign(std::move(key), std::move(session));
}

std::optional<CachedSession> SessionIdCache::find(const Bytes& id, Instant now) {
    std::lock_guard lock(mutex_);
    drop_expired(now);
    auto it = sessions_.find(key_of(id));
    if (it == sessions_.end() || it->second.created > now) return std::nullopt;
    return it->second;
}

size_t SessionIdCache::size() {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

}  // namespace dtls::resumption
