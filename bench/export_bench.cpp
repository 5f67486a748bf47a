// bench/export: the example school's jaarplanning as PDF and as .xlsx, beside a reference
// measured in the same run: rendering every iCalendar feed of the same plan (libical), work
// the daemon already does on every change. Prints the median of repeated runs, the ratio, and
// the 100 ms target.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "export/export.hpp"
#include "jaarkalender/ical_feeds.hpp"
#include "jaarkalender/jaarplanning.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/planner.hpp"

namespace {

template <class F>
double median_ms(int runs, F&& f) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const char* folder = argc > 1 ? argv[1] : "calendars/voorbeeldschool";
    auto school = jk::load_school(folder);
    if (!school) {
        std::fprintf(stderr, "kan %s niet laden\n", folder);
        return 1;
    }
    jk::PlanOptions options;
    options.stamp = "2026-08-01T00:00:00Z";
    const jk::Plan plan = jk::make_plan(*school, options);
    const int runs = 21;
    size_t bytes = 0;
    const auto first = std::chrono::steady_clock::now();
    bytes = jk::exports::render_pdf(jk::build_jaarplanning(plan, *school)).size();
    const double cold =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - first).count();
    const double pdf = median_ms(runs, [&] {
        bytes = jk::exports::render_pdf(jk::build_jaarplanning(plan, *school)).size();
    });
    const size_t pdf_bytes = bytes;
    const double xlsx = median_ms(runs, [&] {
        auto x = jk::exports::render_xlsx(jk::build_jaarplanning(plan, *school),
                                          jk::event_rows(plan, *school));
        bytes = x ? x->size() : 0;
    });
    const size_t xlsx_bytes = bytes;
    const double csv =
        median_ms(runs, [&] { bytes = jk::render_csv(jk::event_rows(plan, *school)).size(); });
    const double feeds = median_ms(runs, [&] {
        jk::FeedRenderer r(plan, *school);
        bytes = 0;
        for (const auto& f : jk::all_feeds(*school)) bytes += r.render(f).size();
    });
    std::printf("bench/export: %s, %zu events, median of %d runs\n", school->school.name.c_str(),
                plan.events.size(), runs);
    std::printf("  reference: every feed of the plan (libical)   %7.1f ms\n", feeds);
    std::printf(
        "  PDF (cairo, pango), A4: %zu bytes            %7.1f ms  (%.2fx the reference; "
        "first run with font set-up %.1f ms)  target < 100 ms: %s\n",
        pdf_bytes, pdf, pdf / feeds, cold, pdf < 100 ? "ja" : "NEE");
    std::printf(
        "  .xlsx (libxlsxwriter): %zu bytes             %7.1f ms  (%.2fx the reference)  "
        "target < 100 ms: %s\n",
        xlsx_bytes, xlsx, xlsx / feeds, xlsx < 100 ? "ja" : "NEE");
    std::printf("  CSV                                           %7.1f ms  (%.2fx the reference)\n",
                csv, csv / feeds);
    return pdf < 100 && xlsx < 100 ? 0 : 3;
}
