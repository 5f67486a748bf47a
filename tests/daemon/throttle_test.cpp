#include "daemon/http/throttle.hpp"

#include <catch2/catch.hpp>

using jk::daemon::Throttle;
using namespace std::chrono_literals;

TEST_CASE("throttle: a burst, then the rate, per key", "[unit][throttle]") {
    Throttle t(3, 1.0);
    const auto t0 = Throttle::Clock::time_point{} + 1000s;
    CHECK(t.take("a", t0));
    CHECK(t.take("a", t0));
    CHECK(t.take("a", t0));
    int retry = 0;
    CHECK_FALSE(t.take("a", t0, &retry));
    CHECK(retry == 1);
    CHECK(t.take("b", t0));  // another key has its own bucket
    CHECK(t.take("a", t0 + 1s));
    CHECK_FALSE(t.take("a", t0 + 1s));
    CHECK(t.take("a", t0 + 100s));  // refilled, but never past the burst
    CHECK(t.take("a", t0 + 100s));
    CHECK(t.take("a", t0 + 100s));
    CHECK_FALSE(t.take("a", t0 + 100s));
}

TEST_CASE("throttle: invented keys cannot grow memory without bound", "[unit][throttle]") {
    Throttle t(1, 0.5, 4);
    const auto t0 = Throttle::Clock::time_point{} + 1000s;
    for (int i = 0; i < 4; ++i) CHECK(t.take("k" + std::to_string(i), t0));
    CHECK_FALSE(t.take("k9", t0));  // full, and every bucket is in use
    CHECK(t.take("k9", t0 + 10s));  // refilled buckets are forgotten to make room
}
