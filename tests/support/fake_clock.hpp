// The one clock double of the tests: the daemon's Clock, standing where the test puts it.
#pragma once

#include <chrono>
#include <cstdint>

#include "daemon/schools/snapshot.hpp"
#include "jaarkalender/date.hpp"

namespace jk::testing {

class FakeClock final : public daemon::Clock {
  public:
    /// Sun 22 Nov 2026 08:00 UTC unless told otherwise.
    static constexpr std::int64_t kDefault = 1'795'334'400;

    explicit FakeClock(std::int64_t at = kDefault) : t(at) {}
    std::int64_t now() override { return t; }
    /// 08:00 UTC of a date (YYYY-MM-DD).
    void set(const char* date) {
        t = std::chrono::duration_cast<std::chrono::seconds>(parse_date(date)->time_since_epoch())
                .count() +
            8 * 3600;
    }

    std::int64_t t;
};

}  // namespace jk::testing
