// Prometheus metrics: requests and latency per route, feed renders, plan runs and their
// duration, store errors. Fixed label sets and atomics: recording costs no allocation or lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace jk::daemon {

class Metrics {
  public:
    static constexpr std::array<std::string_view, 8> kRoutes = {
        "/feeds", "/api", "/web", "/mail", "/healthz", "/readyz", "/metrics", "other"};
    static constexpr std::array<int, 10> kStatuses = {200, 304, 400, 404, 405,
                                                      413, 431, 500, 503, 0};
    static constexpr std::array<double, 9> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                       0.025,  0.1,   0.5,    2.5};

    void request(std::string_view route, int status, double seconds);
    void feed_renders(std::uint64_t n) { feed_renders_ += n; }
    void plan_run(double seconds);
    void store_error() { ++store_errors_; }
    static constexpr std::array<std::string_view, 4> kMailOutcomes = {"sent", "retry", "failed",
                                                                      "skipped"};
    /// One mail outcome, by its name in kMailOutcomes.
    void mail(std::string_view outcome) {
        for (size_t i = 0; i < kMailOutcomes.size(); ++i)
            if (kMailOutcomes[i] == outcome) ++mail_[i];
    }

    /// The text exposition format (version 0.0.4).
    [[nodiscard]] std::string render() const;

  private:
    static size_t route_index(std::string_view route);
    static size_t status_index(int status);

    std::array<std::array<std::atomic<std::uint64_t>, kStatuses.size()>, kRoutes.size()>
        requests_{};
    std::array<std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1>, kRoutes.size()>
        latency_{};
    std::array<std::atomic<std::uint64_t>, kRoutes.size()> latency_sum_us_{};
    std::atomic<std::uint64_t> feed_renders_{0};
    std::atomic<std::uint64_t> plan_runs_{0};
    std::atomic<std::uint64_t> plan_us_{0};
    std::atomic<std::uint64_t> store_errors_{0};
    std::array<std::atomic<std::uint64_t>, kMailOutcomes.size()> mail_{};
};

}  // namespace jk::daemon
