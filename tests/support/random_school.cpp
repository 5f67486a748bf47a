#include "random_school.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <vector>

namespace jk::testing {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

const std::array<const char*, 5> kDays = {"ma", "di", "wo", "do", "vr"};

struct Rng {
    std::mt19937_64 gen;
    explicit Rng(std::uint64_t seed) : gen(seed * 0x9E3779B97F4A7C15ULL + 1) {}
    int between(int lo, int hi) {  // inclusive; our own mapping, so it is the same everywhere
        const auto span = static_cast<std::uint64_t>(hi - lo + 1);
        return lo + static_cast<int>(gen() % span);
    }
    bool chance(int percent) { return between(1, 100) <= percent; }
    template <class T>
    const T& pick(const std::vector<T>& v) {
        return v[static_cast<size_t>(between(0, static_cast<int>(v.size()) - 1))];
    }
};

std::string date(sys_days d) {
    std::chrono::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string hhmm(int m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", (m / 60) % 24, m % 60);
    return buf;
}

std::string days_list(unsigned mask) {
    std::string s = "[";
    bool first = true;
    for (int i = 0; i < 5; ++i)
        if (mask & (1U << i)) {
            s += first ? "" : ", ";
            s += "\"";
            s += kDays[static_cast<size_t>(i)];
            s += "\"";
            first = false;
        }
    return s + "]";
}

sys_days ymd(int y, unsigned m, unsigned d) {
    return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

struct Person {
    std::string id, name;
    std::vector<std::string> roles;
    unsigned works = 0;
    bool starter = false;
};

}  // namespace

RandomSchoolFiles random_school(std::uint64_t seed, const RandomSchoolOptions& opt) {
    Rng rng(seed);
    const std::vector<std::string> years = {"2025-2026", "2026-2027", "2027-2028"};
    const std::vector<std::string> regions = {"noord", "midden", "zuid"};
    const std::string year = rng.pick(years);
    const int y0 = std::stoi(year.substr(0, 4));
    const std::string region = rng.pick(regions);

    std::string s;
    s += "[school]\nid = \"school-" + std::to_string(seed) + "\"\n";
    s += "name = \"Testschool " + std::to_string(seed) + "\"\n";
    s += "region = \"" + region + "\"\nschool_year = \"" + year + "\"\n";
    if (rng.chance(20)) s += "first_day = " + date(ymd(y0, 9, 7)) + "\n";
    if (rng.chance(20)) s += "last_day = " + date(ymd(y0 + 1, 7, 2)) + "\n";
    if (rng.chance(25)) {
        // Goede Vrijdag of the second calendar year: Easter - 2 (table; the loader checks it).
        const std::array<sys_days, 4> easter = {ymd(2026, 4, 5), ymd(2027, 3, 28), ymd(2028, 4, 16),
                                                ymd(2029, 4, 1)};
        s += "open_on = [" + date(easter[static_cast<size_t>(y0 + 1 - 2026)] - days{2}) + "]\n";
    }
    const int start = 8 * 60 + 15 * rng.between(0, 3);
    const int end = 14 * 60 + 15 * rng.between(0, 5);
    const bool short_wed = rng.chance(60);
    s += "\n[school.hours]\n";
    for (int d = 0; d < 5; ++d)
        s += std::string(kDays[static_cast<size_t>(d)]) + " = \"" + hhmm(start) + "-" +
             hhmm(d == 2 && short_wed ? 12 * 60 + 15 : end) + "\"\n";
    if (rng.chance(60))
        s += "\n[school.meetings]\nafter_school = \"" + hhmm(end + 15) + "-" +
             hhmm(end + 15 + 60 * rng.between(2, 3)) + "\"\n";

    // Closures: a few studiedagen and vrije dagen in term time.
    const int n_closures = rng.between(0, 6);
    for (int i = 0; i < n_closures; ++i) {
        sys_days d = ymd(y0, 9, 1) + days{rng.between(0, 290)};
        s += "\n[[closure]]\n";
        if (rng.chance(20)) {
            s += "from = " + date(d) + "\nto = " + date(d + days{rng.between(1, 3)}) + "\n";
        } else {
            s += "date = " + date(d) + "\n";
        }
        s += rng.chance(60) ? "kind = \"studiedag\"\nname = \"Studiedag\"\n"
                            : "kind = \"vrij\"\nname = \"Vrije dag\"\n";
    }
    if (rng.chance(15)) {
        // Move the voorjaarsvakantie one week earlier (carnaval, with the MR's consent).
        sys_days sat = ymd(y0 + 1, 2, 7);
        while (std::chrono::weekday{sat} != std::chrono::Saturday) sat += days{1};
        s += "\n[[vacation]]\nname = \"Voorjaarsvakantie\"\nfrom = " + date(sat) +
             "\nto = " + date(sat + days{8}) + "\n";
    }

    // People.
    const int n_groups = opt.example_size ? 10 : rng.between(2, 12);
    std::vector<Person> people;
    auto add_person = [&](const std::string& role, unsigned works) {
        Person p;
        p.id = "p" + std::to_string(people.size());
        p.name = "Persoon " + std::to_string(people.size());
        if (!role.empty()) p.roles.push_back(role);
        p.works = works;
        people.push_back(p);
        return people.size() - 1;
    };
    auto random_works = [&](int min_days) {
        unsigned m = 0;
        while (__builtin_popcount(m) < min_days) m |= 1U << rng.between(0, 4);
        if (rng.chance(40)) m = 0x1F;
        return m;
    };
    const int n_ib = opt.example_size ? 1 : rng.between(1, 2);
    for (int i = 0; i < n_ib; ++i) add_person("ib", random_works(3));
    add_person("schoolleider", random_works(4));
    if (opt.example_size || rng.chance(70)) add_person("bestuurder", 0x1F);
    if (opt.example_size || rng.chance(50)) add_person("bouwcoordinator", random_works(3));

    // Groups, each with one teacher or a duo who split the week (sharing at most one day).
    struct Group {
        std::string id;
        std::vector<int> grades;
        std::vector<std::pair<size_t, unsigned>> teachers;
    };
    std::vector<Group> groups;
    for (int g = 0; g < n_groups; ++g) {
        Group grp;
        grp.id = "g" + std::to_string(g);
        const int grade = 1 + (g * 8) / n_groups;
        grp.grades.push_back(grade);
        if (grade < 8 && rng.chance(25)) grp.grades.push_back(grade + 1);
        if (rng.chance(35)) {
            const int split = rng.between(1, 4);  // first teacher: days [0, split)
            unsigned a = (1U << split) - 1, b = 0x1F & ~a;
            size_t ta = add_person("", a | (rng.chance(50) ? (1U << split) % 32 : 0));
            size_t tb = add_person("", b | (rng.chance(50) ? (1U << (split - 1)) : 0));
            people[ta].works |= a;
            people[tb].works |= b;
            grp.teachers.emplace_back(ta, a);
            grp.teachers.emplace_back(tb, b);
        } else {
            unsigned d = rng.chance(80) ? 0x1F : random_works(3);
            size_t t = add_person("", d);
            grp.teachers.emplace_back(t, d);
        }
        groups.push_back(grp);
    }
    // The IB'er sometimes also teaches (a small school), the starter is one of the teachers.
    if (!opt.example_size && rng.chance(8) && !groups.empty()) {
        auto& ta = groups.back().teachers.front();
        people[0].works |= ta.second;
        ta.first = 0;
    }
    if (people.size() > 5) people[people.size() - 2].starter = true;
    const int extra =
        opt.example_size ? std::max(0, 20 - static_cast<int>(people.size())) : rng.between(0, 3);
    for (int i = 0; i < extra; ++i)
        add_person(rng.chance(50) ? "vakleerkracht" : "", random_works(2));

    for (const auto& p : people) {
        s += "\n[[person]]\nid = \"" + p.id + "\"\nname = \"" + p.name + "\"\n";
        s += "email = \"" + p.id + "@school.test\"\n";
        if (!p.roles.empty()) s += "roles = [\"" + p.roles.front() + "\"]\n";
        if (p.works != 0x1F || rng.chance(50)) s += "works = " + days_list(p.works) + "\n";
        if (p.starter) s += "starter = true\n";
        if (rng.chance(8)) {
            sys_days a = ymd(y0, 10, 1) + days{rng.between(0, 200)};
            s += "absent = [ { from = " + date(a) + ", to = " + date(a + days{rng.between(3, 30)}) +
                 ", reason = \"verlof\" } ]\n";
        }
    }
    for (const auto& g : groups) {
        s += "\n[[group]]\nid = \"" + g.id + "\"\nname = \"Groep " + g.id + "\"\ngrades = [";
        for (size_t i = 0; i < g.grades.size(); ++i)
            s += (i ? ", " : "") + std::to_string(g.grades[i]);
        s += "]\nteachers = [";
        for (size_t i = 0; i < g.teachers.size(); ++i)
            s += std::string(i ? ", " : " ") + "{ person = \"" + people[g.teachers[i].first].id +
                 "\", days = " + days_list(g.teachers[i].second) + " }";
        s += " ]\n";
    }

    // rules.toml
    std::string r;
    const sys_days mid_from = ymd(y0 + 1, 1, 18) + days{rng.between(0, 7)};
    const sys_days mid_to = mid_from + days{rng.between(11, 20)};
    const sys_days end_from = ymd(y0 + 1, 5, 24) + days{rng.between(0, 10)};
    const sys_days end_to = end_from + days{rng.between(11, 18)};
    r += "[[test_period]]\nid = \"midden\"\nname = \"Toetsperiode midden\"\nfrom = " +
         date(mid_from) + "\nto = " + date(mid_to) + "\n";
    if (rng.chance(30)) r += "max_tests_per_day = 2\n";
    if (rng.chance(20)) r += "morning_only = false\n";
    r += "\n[[test_period.test]]\nname = \"Rekenen\"\ngrades = [3, 4, 5, 6, 7, 8]\nminutes = 60\n";
    r += "\n[[test_period.test]]\nname = \"Lezen\"\ngrades = [4, 5, 6, 7, 8]\nminutes = " +
         std::to_string(rng.between(3, 6) * 15) + "\n";
    r += "\n[[test_period.test]]\nname = \"Kleuters\"\ngrades = [1, 2]\nminutes = 45\n";
    const bool two_periods = opt.example_size || rng.chance(70);
    if (two_periods) {
        r += "\n[[test_period]]\nid = \"eind\"\nname = \"Toetsperiode eind\"\nfrom = " +
             date(end_from) + "\nto = " + date(end_to) + "\n";
        r += "\n[[test_period.test]]\nname = \"Rekenen\"\ngrades = [3, 4, 5, 6, 7]\nminutes = 60\n";
        r +=
            "\n[[test_period.test]]\nname = \"Spelling\"\ngrades = [3, 4, 5, 6, 7]\nminutes = 45\n";
    }
    const std::string periods = two_periods ? "[\"midden\", \"eind\"]" : "[\"midden\"]";

    // Klassenconsultatie with nabespreking: count with windows.
    const bool lessons = rng.chance(85);
    r += "\n[[rule]]\nid = \"klassenconsultatie\"\ntitle = \"Klassenconsultatie {teacher} "
         "({group})\"\n"
         "for_each = \"teacher\"\nattendees = [\"any:role:ib\"]\nminutes = " +
         std::to_string(rng.between(2, 4) * 15) + "\nslot = \"" +
         (lessons ? "lessons" : "after_school") + "\"\nowner = \"role:ib\"\nphase = \"do\"\n";
    if (rng.chance(60)) r += "max_per_day = " + std::to_string(rng.between(1, 3)) + "\n";
    if (rng.chance(70))
        r += "avoid = [\"test_periods\", \"first_day_after_holiday\"]\n";
    else if (rng.chance(50))
        r += "avoid = [\"first_day_after_holiday\"]\n";
    r += "count = 2\nwindows = [ { from = " + date(ymd(y0, 9, 14)) +
         ", to = " + date(ymd(y0 + 1, 1, 15)) +
         " }, { from = " + date(ymd(y0 + 1, 2, 8) + days{rng.between(0, 20)}) +
         ", to = " + date(ymd(y0 + 1, 6, 20)) + " } ]\n";
    r += "\n[[rule]]\nid = \"nabespreking\"\ntitle = \"Nabespreking {teacher} {n}\"\nminutes = 30\n"
         "slot = \"after_school\"\nafter = { rule = \"klassenconsultatie\", within_school_days = " +
         std::to_string(rng.between(2, 6)) + " }\n";

    // Groepsbespreking after the test periods, a deadline after it, a talk before the next.
    r += "\n[[rule]]\nid = \"groepsbespreking\"\ntitle = \"Groepsbespreking {group} ({period})\"\n"
         "for_each = \"group\"\nattendees = [\"group_teachers\", \"any:role:ib\"]\nminutes = "
         "45\nslot = \"" +
         std::string(rng.chance(80) ? "after_school" : "lessons") +
         "\"\nafter = { test_periods = " + periods +
         ", within_school_days = " + std::to_string(rng.between(8, 15)) + " }\n";
    r += "\n[[rule]]\nid = \"groepsplan\"\ntitle = \"Groepsplan {group}\"\nattendees = "
         "[\"group_teachers\"]\n"
         "all_day = true\nafter = { rule = \"groepsbespreking\", within_school_days = 5 }\n";
    if (rng.chance(70) || opt.example_size) {
        r += "\n[[rule]]\nid = \"leerlingenbespreking\"\ntitle = \"Leerlingenbespreking {group}\"\n"
             "attendees = [\"group_teachers\", \"any:role:ib\"]\noptional_attendees = "
             "[\"role:schoolleider\"]\n"
             "minutes = 45\nslot = \"after_school\"\nafter = { rule = \"groepsbespreking\", "
             "within_school_days = 10 }\n";
        r += "\n[[rule]]\nid = \"hulpvragen\"\ntitle = \"Hulpvragen {group}\"\nattendees = "
             "[\"group_teachers\"]\n"
             "all_day = true\nbefore = { rule = \"leerlingenbespreking\", within_school_days = 5 "
             "}\n";
    }
    r += "\n[[rule]]\nid = \"trendanalyse\"\ntitle = \"Trendanalyse {period}\"\nfor_each = "
         "\"school\"\n"
         "attendees = [\"role:schoolleider\", \"role:ib\"]\nminutes = 90\nslot = \"after_school\"\n"
         "after = { test_periods = " +
         periods + ", within_school_days = 5 }\n";
    if (rng.chance(70) || opt.example_size)
        r += "\n[[rule]]\nid = \"opbrengsten\"\ntitle = \"Opbrengstenvergadering {period}\"\n"
             "attendees = [\"role:schoolleider\"]\noptional_attendees = [\"all_staff\"]\nminutes = "
             "60\n"
             "slot = \"after_school\"\nafter = { rule = \"trendanalyse\", within_school_days = 10 "
             "}\n";

    // Recurring and fixed-date meetings, on days their people work (as a school would set them).
    const std::vector<std::string> all_byday = {"MO", "TU", "WE", "TH", "FR"};
    unsigned common = people[static_cast<size_t>(n_ib)].works;  // the schoolleider
    for (int i = 0; i < n_ib; ++i) common &= people[static_cast<size_t>(i)].works;
    std::vector<std::string> byday;
    for (int d = 0; d < 4; ++d)
        if (common & (1U << d)) byday.push_back(all_byday[static_cast<size_t>(d)]);
    if (byday.empty()) byday.push_back("MO");
    r += "\n[[rule]]\nid = \"overleg\"\ntitle = \"Overleg SL-IB\"\nfor_each = \"school\"\n"
         "attendees = [\"role:schoolleider\", \"any:role:ib\"]\nminutes = 60\nrecurrence = "
         "\"FREQ=WEEKLY;INTERVAL=" +
         std::to_string(rng.between(1, 2)) + ";BYDAY=" + rng.pick(byday) + "\"\ntime = \"" +
         hhmm(end + 30) + "\"\non_closed_day = \"" + (rng.chance(50) ? "next_staff_day" : "skip") +
         "\"\n";
    r +=
        "\n[[rule]]\nid = \"teamvergadering\"\ntitle = \"Teamvergadering\"\nfor_each = \"school\"\n"
        "attendees = [\"role:schoolleider\"]\noptional_attendees = [\"all_staff\"]\nminutes = 60\n"
        "recurrence = \"FREQ=MONTHLY;BYDAY=1" +
        rng.pick(byday) + "\"\ntime = \"" + hhmm(end + 15) + "\"\n";
    if (rng.chance(80) || opt.example_size) {
        r += "\n[[rule]]\nid = \"bestuursgesprek\"\ntitle = \"Bestuursgesprek\"\nfor_each = "
             "\"school\"\n"
             "attendees = [\"role:schoolleider\"]\nminutes = 60\ndates = [";
        for (int i = 0; i < 3; ++i)
            r += std::string(i ? ", " : "") +
                 date(ymd(y0, 10, 1) + days{i * 90 + rng.between(0, 20)});
        r += "]\n";
        r += rng.chance(50) ? "time = \"10:00\"\n" : "slot = \"after_school\"\n";
        if (rng.chance(50)) r += "on_closed_day = \"next_staff_day\"\n";
    }
    r +=
        "\n[[rule]]\nid = \"coaching\"\ntitle = \"Coaching {person} {n}\"\nfor_each = \"starter\"\n"
        "attendees = [\"any:role:ib\"]\nminutes = 45\nslot = \"after_school\"\ncount = " +
        std::to_string(rng.between(2, 6)) + "\n";
    if (rng.chance(60) || opt.example_size)
        r += "\n[[rule]]\nid = \"overdracht\"\ntitle = \"Overdracht {group}\"\nfor_each = "
             "\"group\"\n"
             "attendees = [\"group_teachers\"]\noptional_attendees = [\"role:ib\"]\nminutes = 60\n"
             "slot = \"after_school\"\ncount = 1\nwindows = [ { from = " +
             date(ymd(y0 + 1, 6, 22)) + ", to = " + date(ymd(y0 + 1, 7, 3)) + " } ]\n";
    if (rng.chance(50))
        r += "\n[[rule]]\nid = \"ib-week\"\ntitle = \"IB-administratie\"\nfor_each = \"role:ib\"\n"
             "attendees = []\nall_day = true\nmax_per_day = 1\ncount = 3\n";
    if (rng.chance(40))
        r += "\n[[rule]]\nid = \"lesbezoek-sl\"\ntitle = \"Lesbezoek {teacher}\"\nfor_each = "
             "\"teacher\"\n"
             "attendees = [\"role:schoolleider\"]\nminutes = 30\nslot = \"lessons\"\ncount = 1\n"
             "avoid = [\"test_periods\"]\n";
    return {s, r};
}

}  // namespace jk::testing
