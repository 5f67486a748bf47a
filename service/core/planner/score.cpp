#include "planner/score.hpp"

#include <cmath>

namespace jk::planner {

double ScoreAmounts::total(const SoftWeights& w) const {
    return w.ib_week_load * ib_week_load + w.spread * spread +
           w.after_period_delay * after_period_delay + w.follow_up_delay * follow_up_delay +
           w.follow_up_same_day * follow_up_same_day +
           w.outside_preferred_part * outside_preferred_part + w.optional_absent * optional_absent +
           w.test_afternoon * test_afternoon;
}

Scorer::Scorer(const SchoolIndex& ix, SoftWeights weights) : ix_(ix), w_(weights) {
    for (int p = 0; p < ix.persons(); ++p)
        if (ix.person_at(p).has_role("ib")) ibs_.push_back(p);
}

void Scorer::add_preference(const Task& t, int day, Minute start, int target_day,
                            ScoreAmounts& into) const {
    if (day < 0 || !t.flexible()) return;
    const double ordinal = ix_.school_day_ordinal(day);
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
