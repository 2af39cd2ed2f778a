// A first-in, first-out queue over a vector that allocates nothing until the
// first push (std::deque allocates on construction), so an idle connection
// with empty queues costs only three words each.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace dtls::engine {

template <class T>
class Fifo {
public:
    bool empty() const { return head_ == items_.size(); }
    size_t size() const { return items_.size() - head_; }
    T& front() { return items_[head_]; }
    void push_back(T item) { items_.push_back(std::move(item)); }
    void pop_front() {
        if (++head_ == items_.size()) {
            items_.clear();
            head_ = 0;
        }
    }

private:
    std::vector<T> items_;
    size_t head_ = 0;
};

}  // namespace dtls::engine
