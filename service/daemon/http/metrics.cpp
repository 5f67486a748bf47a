#include "daemon/http/metrics.hpp"

#include <cstdio>

namespace jk::daemon {

size_t Metrics::route_index(std::string_view route) {
    for (size_t i = 0; i < kRoutes.size(); ++i)
        if (kRoutes[i] == route) return i;
    return kRoutes.size() - 1;
}

size_t Metrics::status_index(int status) {
    for (size_t i = 0; i + 1 < kStatuses.size(); ++i)
        if (kStatuses[i] == status) return i;
    return kStatuses.size() - 1;  // "other"
}

void Metrics::request(std::string_view route, int status, double seconds) {
    const size_t r = route_index(route);
    requests_[r][status_index(status)].fetch_add(1, std::memory_order_relaxed);
    size_t b = 0;
    while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
    latency_[r][b].fetch_add(1, std::memory_order_relaxed);
    latency_sum_us_[r].fetch_add(static_cast<std::uint64_t>(seconds * 1e6),
                                 std::memory_order_relaxed);
}

void Metrics::plan_run(double seconds) {
    ++plan_runs_;
    plan_us_ += static_cast<std::uint64_t>(seconds * 1e6);
}

std::string Metrics::render() const {
    std::string out;
    char buf[256];
    out +=
        "# HELP jaarkalender_http_requests_total HTTP requests by route and status.\n"
        "# TYPE jaarkalender_http_requests_total counter\n";
    for (size_t r = 0; r < kRoutes.size(); ++r)
        for (size_t s = 0; s < kStatuses.size(); ++s) {
            const auto n = requests_[r][s].load(std::memory_order_relaxed);
            if (!n) continue;
            const std::string status = kStatuses[s] ? std::to_string(kStatuses[s]) : "other";
            std::snprintf(buf, sizeof buf,
                          "jaarkalender_http_requests_total{route=\"%.*s\",status=\"%s\"} %llu\n",
                          static_cast<int>(kRoutes[r].size()), kRoutes[r].data(), status.c_str(),
                          static_cast<unsigned long long>(n));
            out += buf;
        }
    out +=
        "# HELP jaarkalender_http_request_duration_seconds Time to answer a request.\n"
        "# TYPE jaarkalender_http_request_duration_seconds histogram\n";
    for (size_t r = 0; r < kRoutes.size(); ++r) {
        std::uint64_t cumulative = 0;
        for (size_t b = 0; b <= kBuckets.size(); ++b) {
            cumulative += latency_[r][b].load(std::memory_order_relaxed);
            const std::string le = b < kBuckets.size() ? std::to_string(kBuckets[b]) : "+Inf";
            std::snprintf(buf, sizeof buf,
                          "jaarkalender_http_request_duration_seconds_bucket{route=\"%.*s\",le=\"%"
                          "s\"} %llu\n",
                          static_cast<int>(kRoutes[r].size()), kRoutes[r].data(), le.c_str(),
                          static_cast<unsigned long long>(cumulative));
            out += buf;
        }
        std::snprintf(buf, sizeof buf,
                      "jaarkalender_http_request_duration_seconds_sum{route=\"%.*s\"} %.6f\n"
                      "jaarkalender_http_request_duration_seconds_count{route=\"%.*s\"} %llu\n",
                      static_cast<int>(kRoutes[r].size()), kRoutes[r].data(),
                      static_cast<double>(latency_sum_us_[r].load()) / 1e6,
                      static_cast<int>(kRoutes[r].size()), kRoutes[r].data(),
                      static_cast<unsigned long long>(cumulative));
        out += buf;
    }
    auto counter = [&](const char* name, const char* help, const std::string& value) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" +
               name + " " + value + "\n";
    };
    counter("jaarkalender_feed_renders_total", "Feeds rendered (once per plan change).",
            std::to_string(feed_renders_.load()));
    counter("jaarkalender_plan_runs_total", "Plans made.", std::to_string(plan_runs_.load()));
    std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(plan_us_.load()) / 1e6);
    counter("jaarkalender_plan_duration_seconds_total", "Time spent planning.", buf);
    counter("jaarkalender_store_errors_total", "Store operations that failed.",
            std::to_string(store_errors_.load()));
    out +=
        "# HELP jaarkalender_mail_total Mail outcomes: sent, retried, failed for good, skipped.\n"
        "# TYPE jaarkalender_mail_total counter\n";
    for (size_t i = 0; i < kMailOutcomes.size(); ++i)
        out += "jaarkalender_mail_total{outcome=\"" + std::string(kMailOutcomes[i]) + "\"} " +
               std::to_string(mail_[i].load()) + "\n";
    return out;
}

}  // namespace jk::daemon
