#include "planner/attendees.hpp"

#include <algorithm>

namespace jk::planner {
namespace {

void add_unique(std::vector<int>& out, int p) {
    if (p >= 0 && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
}

bool contains(const std::vector<int>& v, int x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

void AttendeeResolver::add_spec(const AttendeeSpec& a, const Task& t, int group, int day,
                                bool optional, std::vector<int>& out) const {
    switch (a.kind) {
        case AttendeeKind::person:
            add_unique(out, ix_.person(a.name));
            break;
        case AttendeeKind::any_role:
            if (!optional) break;  // required: chosen per slot
            [[fallthrough]];       // optional: inviting every holder is the useful reading
        case AttendeeKind::role:
            for (int p : ix_.holders(a.name)) add_unique(out, p);
            break;
        case AttendeeKind::group_teachers: {
            const int g = t.subject_group >= 0 ? t.subject_group : group;
            if (g >= 0)
                for (int p : group_teachers(g, day)) add_unique(out, p);
            break;
        }
        case AttendeeKind::most_group_teachers: {
            const int g = t.subject_group >= 0 ? t.subject_group : group;
            if (g < 0) break;
            const std::vector<int>& all = group_teachers(g, day);
            if (day < 0 || optional) {
                for (int p : all) add_unique(out, p);
                break;
            }
            // Those who can be there that day; none: all of them, so that the day is refused
            // with the reason of each (spec: "at least one").
            bool any = false;
            for (int p : all)
                if (ix_.available(p, day)) add_unique(out, p), any = true;
            if (!any)
                for (int p : all) add_unique(out, p);
            break;
        }
        case AttendeeKind::all_staff:
            for (int p = 0; p < ix_.persons(); ++p)
                if (day < 0 || ix_.person_at(p).at_school(ix_.cal.day(day).date))
                    add_unique(out, p);
            break;
    }
}

std::vector<int> AttendeeResolver::required(const Task& t, int group, int day,
                                            const Placed* followed) const {
    std::vector<int> out;
    if (t.kind == TaskKind::test_session) return out;  // the teachers of the day: a constraint
    out.reserve(8);                                    // one allocation for the usual few people
    const Rule& r = ix_.rule_at(t.rule);
    add_unique(out, t.subject_person);  // a person subject attends (spec: "besides the subject")
    if (followed && !r.attendees_given) {
        for (int p : followed->required) add_unique(out, p);
        return out;
    }
    for (const auto& a : r.attendees) add_spec(a, t, group, day, false, out);
    return out;
}

std::vector<const AttendeeSpec*> AttendeeResolver::any_roles(const Task& t) const {
    std::vector<const AttendeeSpec*> out;
    if (t.kind != TaskKind::rule) return out;
    const Rule& r = ix_.rule_at(t.rule);
    if (t.follows >= 0 && !r.attendees_given) return out;  // inherited, already concrete
    for (const auto& a : r.attendees)
        if (a.kind == AttendeeKind::any_role) out.push_back(&a);
    return out;
}

std::vector<int> AttendeeResolver::role_candidates(const Task& t, const AttendeeSpec& spec,
                                                   const std::vector<int>& required,
                                                   int day) const {
    static const std::vector<int> none;
    const std::vector<int>& own_group =
        t.subject_group >= 0 ? group_teachers(t.subject_group, day) : none;
    std::vector<int> out;
    for (int p : ix_.holders(spec.name))
        if (p != t.subject_person && !contains(required, p) && !contains(own_group, p))
            out.push_back(p);
    return out;
}

std::vector<int> AttendeeResolver::optional(const Task& t, int group, const std::vector<int>& req,
                                            int day, const std::vector<int>* inherited) const {
    std::vector<int> all;
    if (t.kind != TaskKind::rule) return all;
    all.reserve(8);
    const Rule& r = ix_.rule_at(t.rule);
    // A follow-up inherits the optional attendees of what it follows, unless it lists its own
    // attendees: then it has only the optional attendees it lists itself (none when it lists
    // none). The contract: calendar-format.md, "A follow-up ... has the same attendees".
    if (inherited && !r.attendees_given && !r.optional_attendees_given)
        all = *inherited;
    else
        for (const auto& a : r.optional_attendees) add_spec(a, t, group, day, true, all);
    // most:group_teachers: the teachers of the group who cannot be there are invited.
    if (!inherited || r.attendees_given)
        for (const auto& a : r.attendees)
            if (a.kind == AttendeeKind::most_group_teachers) add_spec(a, t, group, day, true, all);
    // Nobody is invited on a day they are not there (before their first day, after their last,
    // or absent), and nobody twice.
    std::vector<int> out;
    out.reserve(all.size());
    for (int p : all)
        if (!contains(req, p) && (day < 0 || ix_.person_at(p).there(ix_.cal.day(day).date)))
            add_unique(out, p);
    return out;
}

}  // namespace jk::planner
