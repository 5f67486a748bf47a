#include "planner/score.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "jaarkalender/planner.hpp"
#include "planner/attendees.hpp"
#include "planner/tasks.hpp"

namespace jk::planner {

double ScoreAmounts::total(const SoftWeights& w) const {
    return w.ib_week_load * ib_week_load + w.spread * spread +
           w.after_period_delay * after_period_delay + w.follow_up_delay * follow_up_delay +
           w.follow_up_same_day * follow_up_same_day +
           w.outside_preferred_part * outside_preferred_part + w.optional_absent * optional_absent +
           w.test_afternoon * test_afternoon + w.teachers_missing * teachers_missing;
}

Scorer::Scorer(const SchoolIndex& ix, SoftWeights weights) : ix_(ix), w_(weights) {
    ibs_ = ix.holders("ib");
}

void Scorer::add_preference(const Task& t, int day, Minute start, int target_day,
                            ScoreAmounts& into) const {
    if (day < 0 || !t.flexible()) return;
    const double ordinal = ix_.school_day_ordinal(day);
    if (t.kind == TaskKind::rule && t.subject_group >= 0 && ix_.wants_most_teachers(t.rule)) {
        for (int p : ix_.group_teachers(t.subject_group, day))
            if (!ix_.available(p, day)) into.teachers_missing += 1;
    }
    switch (t.form) {
        case TimingForm::windowed:
        case TimingForm::test_session:
            if (t.target >= 0) into.spread += std::abs(ordinal + 0.5 - t.target);
            if (t.soft_lo >= 0 && (day < t.soft_lo || day > t.soft_hi))
                into.outside_preferred_part += 1;
            if (t.kind == TaskKind::test_session && start >= 12 * 60) into.test_afternoon += 1;
            break;
        case TimingForm::after_period:
            if (t.lo <= t.hi && t.lo >= 0)
                into.after_period_delay += ordinal - ix_.school_day_ordinal(t.lo);
            break;
        case TimingForm::follow_up:
            if (target_day >= 0) {
                into.follow_up_delay += std::abs(ordinal - ix_.school_day_ordinal(target_day));
                if (day == target_day) into.follow_up_same_day += 1;
            }
            break;
        default:
            break;
    }
}

double Scorer::preference(const Task& t, int day, Minute start, int target_day) const {
    ScoreAmounts a;
    add_preference(t, day, start, target_day, a);
    return a.total(w_);
}

double Scorer::ib_week_load(const Agenda& agenda) const {
    double sum = 0;
    for (int p : ibs_)
        for (int w = 0; w < ix_.weeks(); ++w) {
            const double load = agenda.week_load_of_week(p, w);
            sum += load * load;
        }
    return sum;
}

}  // namespace jk::planner

// ============================================================================================
// a finished plan's score (the report, the benchmark, the tests)

namespace jk {

double PlanScore::total() const {
    double sum = 0;
    for (const ScorePart& p : parts) sum += p.weight * p.amount;
    return sum;
}

namespace {

/// Each IB'er's load: the busiest week (with its ISO number) and the mean over school weeks.
std::vector<IbLoad> ib_loads(const planner::SchoolIndex& ix, const planner::Agenda& agenda,
                             const planner::Scorer& scorer) {
    std::vector<IbLoad> out;
    std::vector<int> school_week(static_cast<size_t>(ix.weeks()), 0);
    for (int d : ix.school_days()) school_week[static_cast<size_t>(ix.week_of(d))] = 1;
    const int school_weeks =
        static_cast<int>(std::count(school_week.begin(), school_week.end(), 1));
    for (int p : scorer.ibs()) {
        IbLoad load{ix.pid(p), ix.pname(p), 0, 0, 0};
        int total = 0;
        for (int wk = 0; wk < ix.weeks(); ++wk) {
            const int n = agenda.week_load_of_week(p, wk);
            total += n;
            if (n > load.worst) {
                load.worst = n;
                // A day of that week, for its ISO number.
                for (int d = 0; d < ix.days(); ++d)
                    if (ix.week_of(d) == wk) {
                        load.worst_week = iso_week(ix.cal.day(d).date);
                        break;
                    }
            }
        }
        load.mean = school_weeks > 0 ? static_cast<double>(total) / school_weeks : 0;
        out.push_back(std::move(load));
    }
    return out;
}

}  // namespace

PlanScore score_plan(const LoadedSchool& school, const Plan& plan) {
    using namespace planner;
    const SchoolIndex ix(school);
    Agenda agenda(ix);
    const Scorer scorer(ix, SoftWeights{});
    const AttendeeResolver people(ix);
    const TaskFactory factory(ix);
    std::map<std::string, Task, std::less<>> roots;
    for (Task& t : factory.root_tasks()) roots.emplace(t.uid, std::move(t));

    // The task behind an event: its root task, or a follow-up of the event it follows.
    auto task_of = [&](const Event& e) -> std::optional<Task> {
        if (auto it = roots.find(e.uid); it != roots.end()) return it->second;
        if (e.kind != EventKind::rule) return std::nullopt;
        Task t;
        t.form = e.follows ? TimingForm::follow_up : TimingForm::on_date;
        t.rule = ix.rule(e.rule);
        if (t.rule < 0) return std::nullopt;
        t.subject_id = e.subject.value_or("");
        t.subject_person = ix.person(t.subject_id);
        t.subject_group = ix.group(t.subject_id);
        return t;
    };
    ScoreAmounts amounts;
    PlanScore out;
    int index = 0;
    for (const Event& e : plan.events) {
        if (e.kind == EventKind::test_period || e.status == EventStatus::cancelled) continue;
        const int day = ix.cal.index(e.date);
        if (day < 0) continue;
        Placed pl;
        pl.event = e;
        pl.day = day;
        pl.rule = e.kind == EventKind::rule ? ix.rule(e.rule) : -1;
        pl.group = e.group ? ix.group(*e.group) : -1;
        for (const auto& id : e.attendees)
            if (const int p = ix.person(id); p >= 0) pl.required.push_back(p);
        agenda.occupy(pl, index++);
        const std::optional<Task> t = task_of(e);
        if (!t) continue;
        const Event* target = e.follows ? plan.find(*e.follows) : nullptr;
        const int target_day = target ? ix.cal.index(target->date) : -1;
        scorer.add_preference(*t, day, e.start, target_day, amounts);
        // Invitees: whom the rule invites that day, and of them who was invited and at work.
        if (t->kind != TaskKind::rule) continue;
        std::vector<int> inherited;
        if (target)
            if (const std::optional<Task> tt = task_of(*target)) {
                std::vector<int> req;
                for (const auto& id : target->attendees)
                    if (const int p = ix.person(id); p >= 0) req.push_back(p);
                inherited = people.optional(*tt, target->group ? ix.group(*target->group) : -1, req,
                                            ix.cal.index(target->date), nullptr);
            }
        const std::vector<int> wanted =
            people.optional(*t, pl.group, pl.required, day, target ? &inherited : nullptr);
        int present = 0;
        for (int p : wanted)
            if (ix.available(p, day) &&
                std::find(e.optional_attendees.begin(), e.optional_attendees.end(), ix.pid(p)) !=
                    e.optional_attendees.end())
                ++present;
        out.optional_wanted += static_cast<int>(wanted.size());
        out.optional_present += present;
        amounts.optional_absent += static_cast<double>(wanted.size()) - present;
    }
    amounts.ib_week_load = scorer.ib_week_load(agenda);

    const SoftWeights& w = scorer.weights();
    out.parts = {
        {"ib_week_load", "drukte van de IB'er (som over de weken van het kwadraat)", w.ib_week_load,
         amounts.ib_week_load},
        {"spread", "afstand tot de gelijkmatige spreiding (schooldagen)", w.spread, amounts.spread},
        {"after_period_delay", "besprekingen later dan direct na de toetsperiode (schooldagen)",
         w.after_period_delay, amounts.after_period_delay},
        {"follow_up_delay", "afstand tussen afspraak en vervolg (schooldagen)", w.follow_up_delay,
         amounts.follow_up_delay},
        {"follow_up_same_day", "vervolg op dezelfde dag", w.follow_up_same_day,
         amounts.follow_up_same_day},
        {"outside_preferred_part", "buiten het eigen deel van het jaar", w.outside_preferred_part,
         amounts.outside_preferred_part},
        {"optional_absent", "genodigden die er niet bij kunnen zijn", w.optional_absent,
         amounts.optional_absent},
        {"test_afternoon", "toetsen 's middags", w.test_afternoon, amounts.test_afternoon},
    };
    out.ibs = ib_loads(ix, agenda, scorer);
    return out;
}

}  // namespace jk
