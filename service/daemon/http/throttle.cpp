#include "daemon/http/throttle.hpp"

#include <algorithm>
#include <cmath>

#include "daemon/store/store.hpp"

namespace jk::daemon {

Throttle::Throttle(double burst, double per_second, std::size_t max_keys)
    : burst_(burst), per_second_(per_second), max_keys_(max_keys) {}

double Throttle::refilled(const Bucket& b, Clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    return std::min(burst_, b.tokens + std::max(0.0, elapsed) * per_second_);
}

bool Throttle::take(const std::string& key, Clock::time_point now, int* retry_after) {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_keys_)
            for (auto b = buckets_.begin(); b != buckets_.end();)
                b = refilled(b->second, now) >= burst_ ? buckets_.erase(b) : std::next(b);
        if (buckets_.size() >= max_keys_) {
            if (retry_after) *retry_after = static_cast<int>(std::ceil(1.0 / per_second_));
            return false;
        }
        it = buckets_.emplace(key, Bucket{burst_, now}).first;
    }
    Bucket& b = it->second;
    b.tokens = refilled(b, now);
    b.at = now;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    if (retry_after) *retry_after = static_cast<int>(std::ceil((1.0 - b.tokens) / per_second_));
    return false;
}

bool SharedRateLimit::take(const std::string& key, int* retry_after) {
    // Wall-clock seconds: the daemons share the buckets, not a steady clock.
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    return store_.take_rate(name_ + "|" + key, burst_, per_second_, now, retry_after);
}

std::unique_ptr<RateLimit> make_rate_limit(AccessStore& store, bool shared, const char* name,
                                           double burst, double per_second) {
    if (shared) return std::make_unique<SharedRateLimit>(store, name, burst, per_second);
    return std::make_unique<LocalRateLimit>(burst, per_second);
}

}  // namespace jk::daemon
