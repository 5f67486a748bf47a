// The exact referee: on small random schools (a few teachers, one or two IB'ers, one or two
// windows) an integer program solved by Debian's coinor-cbc computes the most items that can be
// planned, and, with that many, the lightest busiest week an IB'er can have. The planner must
// plan as many items as the referee on every school, and its IB'er's busiest week may be at most
// one above the referee's. The model is written here from the contract's hard constraints and
// the loaded school (calendar, people, assignments), not from the planner's code.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "fixtures.hpp"
#include "hand_holidays.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"
#include "plan_checker.hpp"
#include "random_school.hpp"

#include <unistd.h>
#include <cmath>

using namespace jk;
namespace fs = std::filesystem;

namespace {

constexpr int kSchools = 100;
constexpr Minute kLessonStart = 8 * 60 + 30, kLessonEnd = 11 * 60 + 30;
constexpr Minute kAfterStart = 15 * 60, kAfterEnd = 16 * 60 + 30;
constexpr Minute kGrid = 15;

const char* kDayCodes[] = {"ma", "di", "wo", "do", "vr"};

std::string days_of(unsigned mask) {
    std::string s = "[";
    for (int i = 0; i < 5; ++i)
        if (mask & (1U << i))
            s += std::string(s.size() > 1 ? ", " : "") + "\"" + kDayCodes[i] + "\"";
    return s + "]";
}

/// A small school: teachers each with their own group, one or two IB'ers (the first sometimes
/// teaches a group of her own on one of her days), consultations with a nabespreking, a
/// groepsbespreking per group, and a fixed overleg of the IB'ers, in one or two windows.
jk::testing::RandomSchoolFiles tiny_school(std::uint64_t seed) {
    std::mt19937_64 rng(seed * 7919 + 17);
    auto between = [&](int lo, int hi) {
        return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    };
    auto works = [&]() {
        unsigned m = 0;
        while (__builtin_popcount(m) < 2) m = static_cast<unsigned>(between(1, 31));
        return m;
    };
    const int teachers = between(2, 4), ibs = between(1, 2);
    const bool ib_teaches = between(1, 100) <= 30;
    std::ostringstream s;
    s << "[school]\nid = \"tiny\"\nname = \"Kleine school\"\nregion = \"midden\"\n"
         "school_year = \"2026-2027\"\n\n[school.hours]\n";
    for (const char* d : kDayCodes) s << d << " = \"08:30-11:30\"\n";
    s << "\n[school.meetings]\nafter_school = \"15:00-16:30\"\n\n";
    std::vector<unsigned> ib_works;
    for (int i = 0; i < ibs; ++i) {
        ib_works.push_back(works());
        s << "[[person]]\nid = \"ib" << i << "\"\nname = \"IB'er " << i << "\"\nroles = [\"ib\"]\n"
          << "works = " << days_of(ib_works.back()) << "\n\n";
    }
    for (int i = 0; i < teachers; ++i) {
        const unsigned w = works();
        s << "[[person]]\nid = \"t" << i << "\"\nname = \"Leerkracht " << i
          << "\"\nworks = " << days_of(w) << "\n\n[[group]]\nid = \"g" << i << "\"\nname = \"Groep "
          << i << "\"\ngrades = [" << (i % 8) + 1 << "]\nteachers = [ { person = \"t" << i
          << "\", days = " << days_of(w) << " } ]\n\n";
    }
    if (ib_teaches) {
        unsigned day = ib_works[0] & ~(ib_works[0] - 1);  // her first working day
        s << "[[group]]\nid = \"gib\"\nname = \"Groep IB\"\ngrades = [8]\nteachers = [ { person = "
             "\"ib0\", days = "
          << days_of(day) << " } ]\n\n";
    }
    // Windows: one or two school weeks from a Monday in September to early October.
    const char* mondays[] = {"2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05"};
    const char* fridays[] = {"2026-09-11", "2026-09-18", "2026-09-25", "2026-10-02", "2026-10-09"};
    auto window = [&]() {
        const int a = between(0, 3), b = std::min(4, a + between(0, 1));
        return std::string("{ from = ") + mondays[a] + ", to = " + fridays[b] + " }";
    };
    std::ostringstream r;
    r << "[[rule]]\nid = \"consultatie\"\ntitle = \"Consultatie {teacher}\"\nfor_each = "
         "\"teacher\"\n"
         "attendees = [\"any:role:ib\"]\nminutes = 45\nslot = \"lessons\"\nmax_per_day = "
      << between(1, 2) << "\ncount = 1\nwindows = [ " << window() << " ]\n\n";
    r << "[[rule]]\nid = \"nabespreking\"\ntitle = \"Nabespreking {teacher}\"\nminutes = 30\n"
         "slot = \"after_school\"\nafter = { rule = \"consultatie\", within_school_days = 2 }\n\n";
    r << "[[rule]]\nid = \"bespreking\"\ntitle = \"Bespreking {group}\"\nfor_each = \"group\"\n"
         "attendees = [\"group_teachers\", \"any:role:ib\"]\nminutes = 45\nslot = "
         "\"after_school\"\n"
         "count = 1\nwindows = [ "
      << window() << " ]\n\n";
    r << "[[rule]]\nid = \"overleg\"\ntitle = \"Overleg IB\"\nfor_each = \"school\"\n"
         "attendees = [\"role:ib\"]\nminutes = 60\ndates = [2026-09-"
      << between(14, 18) << ", 2026-09-" << between(21, 25) << "]\ntime = \"15:00\"\n";
    return {s.str(), r.str()};
}

/// One possible placement of an occurrence.
struct Candidate {
    int task;
    int day;
    Minute start, end;
    std::vector<int> people;  // person indices
    int ib = -1;              // the chosen IB'er (consultations, besprekingen)
    std::vector<int> links;   // follow-ups: candidates of the target this one may follow
};

struct Model {
    std::vector<Candidate> candidates;
    std::vector<bool> task_fixed;  // a fixed date: placed on its date when it can be at all
    int tasks = 0;
};

/// The candidates of every occurrence, from the loaded school.
Model build_model(const LoadedSchool& s) {
    const School& school = s.school;
    const SchoolCalendar& cal = s.calendar;
    auto pidx = [&](const std::string& id) {
        for (size_t i = 0; i < school.persons.size(); ++i)
            if (school.persons[i].id == id) return static_cast<int>(i);
        return -1;
    };
    auto available = [&](int p, int d) {
        return cal.day(d).staff_day &&
               school.persons[static_cast<size_t>(p)].available_on(cal.day(d).date);
    };
    auto teaching = [&](int p, int d) {  // the groups p stands in front of on day d
        std::vector<int> out;
        if (!cal.day(d).school_day) return out;
        for (size_t g = 0; g < school.groups.size(); ++g)
            for (const auto& id : school.teachers_on(school.groups[g], cal.day(d).date))
                if (pidx(id) == p) out.push_back(static_cast<int>(g));
        return out;
    };
    std::vector<int> ib_people;
    for (size_t p = 0; p < school.persons.size(); ++p)
        if (school.persons[p].has_role("ib")) ib_people.push_back(static_cast<int>(p));
    std::vector<int> school_days;
    for (int d = 0; d < cal.size(); ++d)
        if (cal.day(d).school_day) school_days.push_back(d);
    auto window_days = [&](const DateRange& w) {
        std::vector<int> out;
        for (int d = 0; d < cal.size(); ++d)
            if (w.contains(cal.day(d).date) && cal.day(d).staff_day) out.push_back(d);
        return out;
    };
    Model m;
    auto rule = [&](const char* id) -> const Rule& {
        for (const Rule& r : s.rules.rules)
            if (r.id == id) return r;
        throw std::runtime_error("no rule");
    };
    // Consultations and their nabespreking.
    const Rule& consult = rule("consultatie");
    const DateRange cw = std::get<CountTiming>(consult.timing).windows[0].range;
    for (size_t tp = 0; tp < school.persons.size(); ++tp) {
        const int T = static_cast<int>(tp);
        bool is_teacher = false;
        for (const auto& g : school.groups)
            for (const auto& ta : g.teachers)
                is_teacher = is_teacher || ta.person == school.persons[tp].id;
        if (!is_teacher) continue;
        const int task = m.tasks++, follow = m.tasks++;
        m.task_fixed.push_back(false);
        m.task_fixed.push_back(false);
        std::vector<int> mine;
        for (int d : window_days(cw)) {
            if (!cal.day(d).school_day || !available(T, d)) continue;
            for (int g : teaching(T, d))
                for (int I : ib_people) {
                    if (I == T || !available(I, d)) continue;
                    bool elsewhere = false;
                    for (int h : teaching(I, d)) elsewhere = elsewhere || h != g;
                    if (elsewhere) continue;
                    for (Minute st = kLessonStart; st + 45 <= kLessonEnd; st += kGrid) {
                        mine.push_back(static_cast<int>(m.candidates.size()));
                        m.candidates.push_back({task, d, st, st + 45, {T, I}, I, {}});
                    }
                }
        }
        // The nabespreking: the same two people, on the consultation's day (after it) or within
        // the next 2 school days, after school.
        std::map<std::tuple<int, Minute, int>, std::vector<int>> follows;
        for (int c : mine) {
            const Candidate& x = m.candidates[static_cast<size_t>(c)];
            auto it = std::upper_bound(school_days.begin(), school_days.end(), x.day);
            const int last = it + 1 < school_days.end() ? *(it + 1) : cal.size() - 1;
            for (int d = x.day; d <= last; ++d) {
                if (!available(T, d) || !available(x.ib, d)) continue;
                for (Minute st = kAfterStart; st + 30 <= kAfterEnd; st += kGrid)
                    follows[{d, st, x.ib}].push_back(c);
            }
        }
        for (auto& [key, links] : follows) {
            const auto [d, st, I] = key;
            m.candidates.push_back({follow, d, st, st + 30, {T, I}, I, links});
        }
    }
    // Groepsbesprekingen: the group's teachers of that day and an IB'er who is not one of them.
    const Rule& bespreking = rule("bespreking");
    const DateRange bw = std::get<CountTiming>(bespreking.timing).windows[0].range;
    for (const Group& g : school.groups) {
        const int task = m.tasks++;
        m.task_fixed.push_back(false);
        for (int d : window_days(bw)) {
            std::vector<int> req;
            bool ok = true;
            for (const auto& id : school.group_teachers_on(g, cal.day(d).date)) {
                const int p = pidx(id);
                req.push_back(p);
                ok = ok && available(p, d);
            }
            if (!ok) continue;
            for (int I : ib_people) {
                if (!available(I, d) || std::find(req.begin(), req.end(), I) != req.end()) continue;
                std::vector<int> people = req;
                people.push_back(I);
                for (Minute st = kAfterStart; st + 45 <= kAfterEnd; st += kGrid)
                    m.candidates.push_back({task, d, st, st + 45, people, I, {}});
            }
        }
    }
    // The overleg of every IB'er on its dates at 15:00.
    for (const Date date : std::get<DatesTiming>(rule("overleg").timing).dates) {
        const int task = m.tasks++;
        m.task_fixed.push_back(true);
        const int d = cal.index(date);
        if (d < 0) continue;
        bool ok = true;
        for (int I : ib_people) ok = ok && available(I, d);
        if (ok) m.candidates.push_back({task, d, 15 * 60, 16 * 60, ib_people, -1, {}});
    }
    return m;
}

/// Writes the model as an LP file: with `items` < 0 the most items; else the lightest busiest
/// IB'er week (z) among plans of at least that many items.
std::string lp_text(const LoadedSchool& s, const Model& m, int items) {
    const SchoolCalendar& cal = s.calendar;
    std::ostringstream lp;
    // One term per line: CoinLpIO limits the length of a line.
    if (items < 0) {
        lp << "Maximize\n obj:";
        for (size_t i = 0; i < m.candidates.size(); ++i) lp << "\n + x" << i;
    } else {
        lp << "Minimize\n obj: z";
    }
    lp << "\nSubject To\n";
    int row = 0;
    std::map<int, std::vector<size_t>> per_task;
    for (size_t i = 0; i < m.candidates.size(); ++i) per_task[m.candidates[i].task].push_back(i);
    for (const auto& [task, list] : per_task) {
        lp << " r" << row++ << ":";
        for (size_t i : list) lp << "\n + x" << i;
        lp << (m.task_fixed[static_cast<size_t>(task)] ? " = 1\n" : " <= 1\n");
    }
    // Nobody in two places at once: per person, day and quarter of an hour.
    std::map<std::tuple<int, int, int>, std::vector<size_t>> slots;
    for (size_t i = 0; i < m.candidates.size(); ++i) {
        const Candidate& c = m.candidates[i];
        for (int p : c.people)
            for (Minute t = c.start; t < c.end; t += kGrid) slots[{p, c.day, t}].push_back(i);
    }
    for (const auto& [key, list] : slots) {
        if (list.size() < 2) continue;
        lp << " r" << row++ << ":";
        for (size_t i : list) lp << "\n + x" << i;
        lp << " <= 1\n";
    }
    // max_per_day of the consultation, per attendee.
    int max_per_day = 1;
    for (const Rule& r : s.rules.rules)
        if (r.id == "consultatie") max_per_day = r.max_per_day.value_or(99);
    std::map<std::pair<int, int>, std::vector<size_t>> per_day;
    for (size_t i = 0; i < m.candidates.size(); ++i) {
        const Candidate& c = m.candidates[i];
        if (c.end - c.start == 45 && c.start < kAfterStart)
            for (int p : c.people) per_day[{p, c.day}].push_back(i);
    }
    for (const auto& [key, list] : per_day) {
        if (static_cast<int>(list.size()) <= max_per_day) continue;
        lp << " r" << row++ << ":";
        for (size_t i : list) lp << "\n + x" << i;
        lp << " <= " << max_per_day << "\n";
    }
    // A follow-up only after a chosen consultation it may follow.
    for (size_t i = 0; i < m.candidates.size(); ++i) {
        const Candidate& c = m.candidates[i];
        if (c.links.empty()) continue;
        lp << " r" << row++ << ": x" << i;
        for (int l : c.links) lp << "\n - x" << l;
        lp << " <= 0\n";
    }
    if (items >= 0) {
        lp << " r" << row++ << ":";
        for (size_t i = 0; i < m.candidates.size(); ++i) lp << "\n + x" << i;
        lp << " >= " << items << "\n";
        // z: every IB'er's timed events in every week.
        std::map<std::pair<int, int>, std::vector<size_t>> weeks;
        for (size_t i = 0; i < m.candidates.size(); ++i) {
            const Candidate& c = m.candidates[i];
            for (int p : c.people)
                if (s.school.persons[static_cast<size_t>(p)].has_role("ib"))
                    weeks[{p, iso_week(cal.day(c.day).date)}].push_back(i);
        }
        for (const auto& [key, list] : weeks) {
            lp << " r" << row++ << ": -1 z";
            for (size_t i : list) lp << "\n + x" << i;
            lp << " <= 0\n";
        }
        lp << "Bounds\n 0 <= z <= 100\nGenerals\n z\n";
    }
    lp << "Binary\n";
    for (size_t i = 0; i < m.candidates.size(); ++i) lp << " x" << i << "\n";
    lp << "End\n";
    return lp.str();
}

/// Runs cbc on an LP text; the objective value when proven optimal within the time limit.
std::optional<double> cbc(const std::string& lp, const fs::path& dir, int seconds) {
    const fs::path model = dir / "model.lp", solution = dir / "solution.txt";
    std::ofstream(model) << lp;
    fs::remove(solution);
    const std::string cmd = "cbc " + model.string() + " sec " + std::to_string(seconds) +
                            " solve solu " + solution.string() + " > " +
                            (dir / "cbc.log").string() + " 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::ifstream in(solution);
    std::string status;
    std::getline(in, status);
    INFO(status);
    if (status.rfind("Optimal", 0) != 0) return std::nullopt;
    return std::stod(status.substr(status.find("value") + 5));
}

}  // namespace

TEST_CASE(
    "the planner plans as much as an exact solver on 100 small schools, and keeps the "
    "IB'er's busiest week within one of the best",
    "[unit][planner][referee]") {
    if (std::system("command -v cbc > /dev/null 2>&1") != 0) {
        FAIL("coinor-cbc is not installed (deploy/install-deps.sh installs it)");
    }
    const fs::path dir = fs::temp_directory_path() / ("jk-referee-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    int planned_total = 0, best_total = 0, week_over = 0, unproven = 0, short_items = 0;
    for (int seed = 1; seed <= kSchools; ++seed) {
        const auto files = tiny_school(static_cast<std::uint64_t>(seed));
        auto loaded = jk::testing::load_inline(files.school_toml, files.rules_toml);
        INFO("seed " << seed << "\n"
                     << files.school_toml << files.rules_toml
                     << (loaded ? std::string() : jk::testing::diagnostics_text(loaded.error())));
        REQUIRE(loaded);
        const Plan plan = jk::testing::plan_fixed(*loaded);
        const auto problems = jk::testing::check_plan(
            *loaded, jk::testing::hand_official_year("2026-2027"), plan_to_json(plan));
        REQUIRE(problems.empty());
        int planned = 0;
        std::map<int, int> ib_week;
        for (const Event& e : plan.events) {
            if (e.kind != EventKind::rule || e.status == EventStatus::cancelled) continue;
            ++planned;
            for (const auto& a : e.attendees)
                if (a.rfind("ib", 0) == 0)
                    ib_week[static_cast<int>(a[2] - '0') * 100 + iso_week(e.date)]++;
        }
        int worst = 0;
        for (const auto& [k, n] : ib_week) worst = std::max(worst, n);
        const Model model = build_model(*loaded);
        const auto most = cbc(lp_text(*loaded, model, -1), dir, 60);
        REQUIRE(most);
        const int best = static_cast<int>(std::lround(*most));
        // The lightest busiest week with that many items: proven optimal within the limit, or
        // not judged (counted below).
        const auto lightest = cbc(lp_text(*loaded, model, best), dir, 5);
        const int best_week = lightest ? static_cast<int>(std::lround(*lightest)) : 99;
        unproven += lightest ? 0 : 1;
        std::string unplanned;
        for (const auto& u : plan.unplanned)
            unplanned += u.rule + " " + u.subject.value_or("") + ": " + u.reason + "\n";
        INFO("planner " << planned << " items, referee " << best << "; busiest IB'er week " << worst
                        << ", best " << best_week << "\n"
                        << unplanned);
        CHECK(planned == best);
        CHECK(worst <= best_week + 1);
        short_items += planned < best ? 1 : 0;
        planned_total += planned;
        best_total += best;
        week_over += worst > best_week + 1 ? 1 : 0;
    }
    fs::remove_all(dir);
    UNSCOPED_INFO("referee: planner "
                  << planned_total << " items, exact " << best_total
                  << "; schools short of the most items: " << short_items
                  << "; with a busiest IB'er week more than one above the best: " << week_over
                  << "; not proven within 5 s: " << unproven);
    CHECK(unproven * 10 < kSchools);
    // (A busiest week that cbc could not prove the lightest within 5 s is not judged.)
}
