// Token buckets per key (an account, a client address, an e-mail address): what one caller may
// ask of the daemon per unit of time. Time is a parameter (steady clock), so tests set it.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace jk::daemon {

class AccessStore;

/// A limit on what one caller may ask: one step of the bucket `key`, false (with the whole
/// seconds to wait in `retry_after`) when it is empty.
class RateLimit {
  public:
    virtual ~RateLimit() = default;
    virtual bool take(const std::string& key, int* retry_after = nullptr) = 0;
};

class Throttle {
  public:
    using Clock = std::chrono::steady_clock;

    /// `burst` requests at once, then `per_second` on average; at most `max_keys` keys are
    /// remembered (a caller who invents keys cannot grow memory without bound: past it, keys
    /// whose bucket is full again are forgotten, and if that is not enough new keys are
    /// refused until some are).
    Throttle(double burst, double per_second, std::size_t max_keys = 100'000);

    /// Takes one request for `key` at `now`. False when none is left; then `retry_after` (when
    /// given) is set to the whole seconds until one is.
    bool take(const std::string& key, Clock::time_point now, int* retry_after = nullptr);

    /// The same, with the steady clock's now.
    bool take(const std::string& key, int* retry_after = nullptr) {
        return take(key, Clock::now(), retry_after);
    }

  private:
    friend class LocalRateLimit;
    struct Bucket {
        double tokens = 0;
        Clock::time_point at;
    };
    double refilled(const Bucket& b, Clock::time_point now) const;

    double burst_;
    double per_second_;
    std::size_t max_keys_;
    std::mutex mu_;
    std::map<std::string, Bucket> buckets_;
};

/// Buckets in this daemon's memory (one daemon on SQLite).
class LocalRateLimit final : public RateLimit {
  public:
    LocalRateLimit(double burst, double per_second) : throttle_(burst, per_second) {}
    bool take(const std::string& key, int* retry_after) override {
        return throttle_.take(key, retry_after);
    }

  private:
    Throttle throttle_;
};

/// Buckets in the store, shared by every daemon on the database: a caller who spreads requests
/// over the instances behind the proxy gets no more than from one.
class SharedRateLimit final : public RateLimit {
  public:
    SharedRateLimit(AccessStore& store, std::string name, double burst, double per_second)
        : store_(store), name_(std::move(name)), burst_(burst), per_second_(per_second) {}
    bool take(const std::string& key, int* retry_after) override;

  private:
    AccessStore& store_;
    std::string name_;
    double burst_;
    double per_second_;
};

/// A limit in this daemon's memory, or in the store when other daemons share it.
std::unique_ptr<RateLimit> make_rate_limit(AccessStore& store, bool shared, const char* name,
                                           double burst, double per_second);

/// A limit that is set again before use (the configuration's, or a test's and a benchmark's own),
/// held by reference by the services that share it.
class ReplaceableLimit final : public RateLimit {
  public:
    explicit ReplaceableLimit(std::unique_ptr<RateLimit> limit) : limit_(std::move(limit)) {}
    void replace(std::unique_ptr<RateLimit> limit) { limit_ = std::move(limit); }
    bool take(const std::string& key, int* retry_after) override {
        return limit_->take(key, retry_after);
    }

  private:
    std::unique_ptr<RateLimit> limit_;
};

}  // namespace jk::daemon
