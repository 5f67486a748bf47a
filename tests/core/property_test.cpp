// Property test: random schools from seeds, planned, checked by the independent checker.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "fixtures.hpp"
#include "hand_holidays.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"
#include "jaarkalender/tracking.hpp"
#include "plan_checker.hpp"
#include "random_school.hpp"

using namespace jk;

namespace {
constexpr int kSchools = 200;
}

TEST_CASE("200 random schools keep every hard constraint and re-plan stably", "[unit][property]") {
    size_t events = 0, unplanned = 0;
    for (int seed = 1; seed <= kSchools; ++seed) {
        const auto files = jk::testing::random_school(static_cast<std::uint64_t>(seed));
        auto loaded = jk::testing::load_inline(files.school_toml, files.rules_toml);
        INFO("seed " << seed << "\n"
                     << (loaded ? std::string() : jk::testing::diagnostics_text(loaded.error())));
        REQUIRE(loaded);
        PlanOptions o;
        o.stamp = "2026-08-01T00:00:00Z";
        const Plan plan = make_plan(*loaded, o);
        const std::string json = plan_to_json(plan);
        const auto problems = jk::testing::check_plan(
            *loaded, jk::testing::hand_official_year(loaded->school.school_year), json);
        std::string text;
        for (const auto& p : problems) text += p + "\n";
        INFO(text);
        REQUIRE(problems.empty());
        events += plan.events.size();
        unplanned += plan.unplanned.size();
        // Determinism, and a re-plan against itself keeps every event. (The wording of a reason
        // may differ: it describes the agendas as they were when the item was tried.)
        CHECK(plan_to_json(make_plan(*loaded, o)) == json);
        o.previous = &plan;
        auto without_reasons = [](Plan p) {
            for (auto& u : p.unplanned) u.reason.clear();
            return plan_to_json(p);
        };
        CHECK(without_reasons(make_plan(*loaded, o)) == without_reasons(plan));
    }
    // The generator makes mostly plannable schools (some are impossible on purpose: a duo that
    // never shares a day, an IB'er who teaches): most of what is asked gets planned.
    CHECK(events > 50 * kSchools);
    CHECK(unplanned * 8 < events);
    UNSCOPED_INFO("events " << events << ", unplanned " << unplanned);
}

namespace {

/// A random mid-year change to a loaded school, the way schools change: illness with an
/// invaller, a hand-over to a newcomer, or a leaver. Valid by construction (the loader's rules:
/// dates in the year, assignments inside the person's days at school).
void change_mid_year(LoadedSchool& s, std::mt19937_64& rng, Date t) {
    School& school = s.school;
    std::vector<size_t> teachers;
    for (size_t i = 0; i < school.persons.size(); ++i)
        if (school.is_teacher(school.persons[i].id)) teachers.push_back(i);
    if (teachers.empty()) return;
    const size_t who = teachers[rng() % teachers.size()];
    const std::string id = school.persons[who].id;
    auto clamp = [&](Date d) { return std::clamp(d, school.first_day, school.last_day); };
    switch (rng() % 3) {
        case 0: {  // ill for two to four weeks, with an invaller who comes for just that
            const DateRange away{clamp(t - std::chrono::days{rng() % 5}),
                                 clamp(t + std::chrono::days{14 + rng() % 14})};
            Person sub;
            sub.id = "inval-" + id;
            sub.name = "Invaller " + school.persons[who].name;
            sub.works = school.persons[who].works;
            sub.from = away.from;
            sub.until = away.to;
            school.persons[who].absent.push_back({away, "ziek", sub.id});
            school.persons.push_back(std::move(sub));
            break;
        }
        case 1: {  // leaves; a newcomer takes over every group of theirs
            const Date last = clamp(t + std::chrono::days{rng() % 10});
            if (last >= school.last_day) return;
            Person next;
            next.id = "nieuw-" + id;
            next.name = "Nieuw " + school.persons[who].name;
            next.works = school.persons[who].works;
            next.from = last + std::chrono::days{1};
            school.persons[who].until = last;
            for (auto& g : school.groups) {
                std::vector<TeacherAssignment> added;
                for (auto& ta : g.teachers)
                    if (ta.person == id) {
                        ta.until = last;
                        added.push_back({next.id, ta.days, next.from, std::nullopt});
                    }
                for (auto& a : added) g.teachers.push_back(std::move(a));
            }
            school.persons.push_back(std::move(next));
            break;
        }
        default: {  // leaves, nobody comes (the group's other teacher, if any, stays)
            const Date last = clamp(t + std::chrono::days{rng() % 10});
            school.persons[who].until = last;
            for (auto& g : school.groups)
                for (auto& ta : g.teachers)
                    if (ta.person == id) ta.until = last;
        }
    }
}

}  // namespace

TEST_CASE("random schools with a random change at a random moment re-plan as of it",
          "[unit][property]") {
    constexpr int kChanged = 60;
    size_t consequences = 0;
    for (int seed = 1; seed <= kChanged; ++seed) {
        const auto files = jk::testing::random_school(static_cast<std::uint64_t>(1000 + seed));
        auto loaded = jk::testing::load_inline(files.school_toml, files.rules_toml);
        REQUIRE(loaded);
        PlanOptions o;
        o.stamp = "2026-08-01T00:00:00Z";
        const Plan before = make_plan(*loaded, o);
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
        LoadedSchool changed = *loaded;
        const auto span = (changed.school.last_day - changed.school.first_day).count();
        const LocalMoment moment{
            changed.school.first_day +
                std::chrono::days{20 + static_cast<int>(rng() % static_cast<std::uint64_t>(
                                                                    std::max<long>(1, span - 40)))},
            static_cast<Minute>(8 * 60 + 15 * (rng() % 30))};
        change_mid_year(changed, rng, moment.date);
        PlanOptions again;
        again.stamp = "2027-01-01T00:00:00Z";
        again.previous = &before;
        again.as_of = moment;
        const Plan after = make_plan(changed, again);
        INFO("seed " << seed << " as of " << format_date(moment.date) << " "
                     << format_time(moment.minute));
        std::map<std::string, const Event*> then, now;
        for (const Event& e : before.events) then[e.uid] = &e;
        for (const Event& e : after.events) now[e.uid] = &e;
        for (const Event& e : before.events)
            if (e.kind != EventKind::test_period && starts_before(e, moment)) {
                REQUIRE(now.count(e.uid));
                CHECK(event_to_json(*now[e.uid]) == event_to_json(e));  // the past stays
            }
        for (const Event& e : after.events)
            if (e.kind != EventKind::test_period && starts_before(e, moment))
                CHECK(then.count(e.uid));  // nothing new in the past
        const auto problems = jk::testing::check_plan(
            changed, jk::testing::hand_official_year(changed.school.school_year),
            plan_to_json(after), moment);
        std::string text;
        for (const auto& p : problems) text += p + "\n";
        INFO(text);
        CHECK(problems.empty());
        consequences += after.changes.size();
    }
    CHECK(consequences > 0);  // the changes did move or cancel something
    UNSCOPED_INFO("moved or cancelled: " << consequences);
}

namespace {

/// The second half of a leaver without a successor: a newcomer takes over, from a day after
/// `t`, every group that has no teacher at the end of the year. False when there is none.
bool successor_for_orphans(LoadedSchool& s, std::mt19937_64& rng, Date t) {
    School& school = s.school;
    const Date from = std::min(school.last_day, t + std::chrono::days{1 + rng() % 10});
    bool any = false;
    for (auto& g : school.groups) {
        const bool taught_at_end =
            std::any_of(g.teachers.begin(), g.teachers.end(), [&](const TeacherAssignment& a) {
                const Person* p = school.person(a.person);
                return (!a.until || *a.until >= school.last_day) && p && !p->until;
            });
        if (taught_at_end || g.teachers.empty()) continue;
        Person next;
        next.id = "opvolger-" + g.id;
        next.name = "Opvolger " + g.name;
        next.works = WeekdaySet(0b11111);  // ma to vr
        next.from = std::max(from, *g.teachers.back().until + std::chrono::days{1});
        if (*next.from > school.last_day) continue;
        g.teachers.push_back({next.id, g.teachers.back().days, next.from, std::nullopt});
        school.persons.push_back(std::move(next));
        any = true;
    }
    return any;
}

}  // namespace

TEST_CASE("after any sequence of changes, a re-plan plans what a fresh plan plans",
          "[unit][property]") {
    // Issue 26: what the planner gave up is not final. Two or three changes at later and later
    // moments (illness with an invaller, a hand-over, a leaver with nobody yet, a successor for
    // a group left without a teacher, a person's cancel), each re-planned against the plan
    // before it; then every future occurrence that a fresh plan of the final input plans must
    // be planned in the chain too, unless a person cancelled it.
    // JK_PROPERTY_SCHOOLS=400 for a deeper run by hand; the suite runs 60.
    const int kSchools = std::getenv("JK_PROPERTY_SCHOOLS")
                             ? std::max(1, std::atoi(std::getenv("JK_PROPERTY_SCHOOLS")))
                             : 60;
    int restored = 0, missing = 0, compared = 0;
    for (int seed = 1; seed <= kSchools; ++seed) {
        const auto files = jk::testing::random_school(static_cast<std::uint64_t>(5000 + seed));
        auto loaded = jk::testing::load_inline(files.school_toml, files.rules_toml);
        REQUIRE(loaded);
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 7919);
        LoadedSchool school = *loaded;
        PlanOptions o;
        o.stamp = "2026-08-01T00:00:00Z";
        Plan plan = make_plan(school, o);
        const auto span = (school.school.last_day - school.school.first_day).count();
        Date day =
            school.school.first_day +
            std::chrono::days{20 + static_cast<int>(rng() % static_cast<std::uint64_t>(
                                                                std::max<long>(1, span / 2)))};
        std::set<std::string> cancelled_by_person;
        LocalMoment moment{};
        std::string story;
        const int steps = 2 + static_cast<int>(rng() % 2);
        for (int step = 0; step < steps; ++step) {
            moment = LocalMoment{day, static_cast<Minute>(8 * 60 + 15 * (rng() % 30))};
            // After a leaver with nobody yet, a successor comes next as often as not.
            LoadedSchool with_successor = school;
            const bool orphans = successor_for_orphans(with_successor, rng, day);
            const int kind = orphans && rng() % 2 ? 3 : static_cast<int>(rng() % 5);
            if (kind == 4) {  // a person cancels a future event
                std::vector<const Event*> future;
                for (const Event& e : plan.events)
                    if (e.kind != EventKind::test_period && e.status == EventStatus::planned &&
                        !starts_before(e, moment))
                        future.push_back(&e);
                if (!future.empty()) {
                    const Event* e = future[rng() % future.size()];
                    Change c;
                    c.uid = e->uid;
                    c.kind = ChangeKind::cancel;
                    c.note = "gaat niet door";
                    auto next = apply_change(plan, c, "2027-01-01T00:00:00Z");
                    REQUIRE(next);
                    plan = std::move(next).value();
                    cancelled_by_person.insert(c.uid);
                    story += " cancel";
                }
            } else {
                if (kind == 3 && orphans) {
                    school = std::move(with_successor);
                    story += " successor";
                } else {
                    change_mid_year(school, rng, day);
                    story += " change";
                }
                PlanOptions again;
                again.stamp = "2027-01-01T00:00:00Z";
                again.previous = &plan;
                again.as_of = moment;
                Plan next = make_plan(school, again);
                restored += static_cast<int>(std::count_if(
                    next.changes.begin(), next.changes.end(),
                    [](const PlanChange& c) { return c.what == PlanChangeKind::restored; }));
                plan = std::move(next);
            }
            day += std::chrono::days{1 + rng() % 20};
            if (day >= school.school.last_day) break;
        }
        INFO("seed " << seed << ":" << story << ", last as of " << format_date(moment.date));
        PlanOptions fresh;
        fresh.stamp = "2027-01-01T00:00:00Z";
        const Plan f = make_plan(school, fresh);
        // A person's cancel takes the follow-ups of what it cancels with it.
        auto went_with_a_cancel = [&](const Event& e) {
            const Event* at = &e;
            for (int guard = 0; guard < 8 && at; ++guard) {
                if (cancelled_by_person.count(at->uid)) return true;
                at = at->follows ? f.find(*at->follows) : nullptr;
            }
            return false;
        };
        for (const Event& e : f.events) {
            if (e.kind == EventKind::test_period || e.status != EventStatus::planned ||
                starts_before(e, moment) || went_with_a_cancel(e))
                continue;
            ++compared;
            const Event* mine = plan.find(e.uid);
            const bool planned = mine && mine->status != EventStatus::cancelled;
            if (!planned) ++missing;
            std::string why = mine ? "cancelled: " + mine->planner_reason : "absent";
            for (const Unplanned& u : plan.unplanned)
                if (!mine && u.rule == e.rule && u.subject == e.subject &&
                    u.occurrence == e.occurrence)
                    why = "unplanned: " + u.reason;
            INFO(e.title << " " << e.start_iso() << ": " << why);
            CHECK(planned);
        }
    }
    CHECK(compared > 1000);
    WARN("compared " << compared << " future occurrences, " << restored
                     << " restored by a later re-plan, " << missing << " missing");
}
