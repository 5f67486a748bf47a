// Benchmark: plan 1, 10, 100 and 1,000 synthetic schools of the example's size and report the
// CPU time per school; the 1-school figure is the reference for the ratio (linear growth: ~1).
// Also the example school itself, against the target of 20 ms of CPU per plan.
#include <sys/resource.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "jaarkalender/ical_feeds.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/planner.hpp"
#include "random_school.hpp"

namespace {

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

long peak_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

jk::LoadedSchool load(std::uint64_t seed) {
    jk::testing::RandomSchoolOptions opt;
    opt.example_size = true;
    const auto files = jk::testing::random_school(seed, opt);
    jk::SchoolSources src;
    src.folder = "bench";
    src.school_path = "school.toml";
    src.school_toml = files.school_toml;
    src.rules_path = "rules.toml";
    src.rules_toml = files.rules_toml;
    auto r = jk::load_school(src, jk::builtin_official_holidays());
    if (!r) {
        std::fprintf(stderr, "seed %llu does not load\n", static_cast<unsigned long long>(seed));
        std::exit(1);
    }
    return std::move(r).value();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string example = argc > 1 ? argv[1] : "calendars/voorbeeldschool";
    jk::PlanOptions opt;
    opt.stamp = "2026-08-01T00:00:00Z";

    // Warm up (the built-in holiday data is parsed once per process) so that the 1-school
    // reference measures planning, not start-up.
    jk::make_plan(load(1000000), opt);

    std::printf("%-28s %12s %12s %10s\n", "schools", "plan ms/sch", "load ms/sch", "events");
    double reference = 0, per1000 = 0;
    for (int n : {1, 10, 100, 1000}) {
        std::vector<jk::LoadedSchool> schools;
        const double l0 = cpu_ms();
        for (int i = 0; i < n; ++i) schools.push_back(load(static_cast<std::uint64_t>(i + 1)));
        const double l1 = cpu_ms();
        size_t events = 0;
        const double p0 = cpu_ms();
        for (const auto& s : schools) events += jk::make_plan(s, opt).events.size();
        const double per = (cpu_ms() - p0) / n;
        if (n == 1) reference = per;
        if (n == 1000) per1000 = per;
        std::printf("%-28d %12.2f %12.2f %10zu\n", n, per, (l1 - l0) / n,
                    events / static_cast<size_t>(n));
    }

    auto ex = jk::load_school(example);
    if (!ex) {
        std::fprintf(stderr, "%s does not load\n", example.c_str());
        return 1;
    }
    const int runs = 50;
    const double e0 = cpu_ms();
    size_t events = 0;
    for (int i = 0; i < runs; ++i) events = jk::make_plan(*ex, opt).events.size();
    const double example_ms = (cpu_ms() - e0) / runs;
    const jk::Plan plan = jk::make_plan(*ex, opt);
    const double f0 = cpu_ms();
    jk::FeedRenderer feeds(plan, *ex);
    size_t bytes = 0;
    for (const auto& f : jk::all_feeds(*ex)) bytes += feeds.render(f).size();
    const double feeds_ms = cpu_ms() - f0;

    std::printf("\nreference (1 school):         %8.2f ms CPU per school\n", reference);
    std::printf("ours (1,000 schools):         %8.2f ms CPU per school\n", per1000);
    std::printf("ratio 1,000 : 1               %8.2f   (target: about 1, linear growth)\n",
                per1000 / reference);
    std::printf("example school plan:          %8.2f ms CPU (%zu events; target < 20 ms)\n",
                example_ms, events);
    std::printf("example school, all feeds:    %8.2f ms CPU (%zu bytes)\n", feeds_ms, bytes);
    std::printf("peak resident memory:         %8ld kB\n", peak_rss_kb());
    return example_ms < 20 ? 0 : 1;
}
