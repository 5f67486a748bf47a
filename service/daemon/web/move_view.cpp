#include "daemon/web/move_view.hpp"

#include "jaarkalender/planner.hpp"

namespace jk::daemon::web {

MoveView move_view(const LoadedSchool& school, const Plan& plan, const Event& e, Date today,
                   const FormData& form, bool lead) {
    MoveView v;
    v.uid = e.uid;
    v.title = e.title;
    v.now = format_day_nl(e.date) + (e.all_day ? "" : " " + format_time(e.start));
    v.all_day = e.all_day;
    v.can_force = lead;
    v.date = form.has("datum") ? form.get("datum") : format_date(e.date);
    v.time = form.has("tijd") ? form.get("tijd") : format_time(e.start);
    if (form.has("datum")) {
        v.checked = true;
        auto date = parse_date(v.date);
        auto start = parse_time(v.time);
        if (!date || (!e.all_day && !start))
            v.invalid = "Geef een geldige datum en tijd.";
        else
            v.conflicts = move_conflicts(school, plan, e.uid, *date, start.value_or(e.start));
    }
    for (const MoveSuggestion& s :
         move_suggestions(school, plan, e.uid, today + std::chrono::days{1}, kMoveSuggestions)) {
        MoveView::Suggestion out;
        out.date = format_date(s.date);
        out.label = format_day_nl(s.date);
        if (!e.all_day) {
            out.time = format_time(s.start);
            out.label += " " + format_time(s.start) + "–" + format_time(s.end);
        }
        out.late = s.outside_term;
        v.suggestions.push_back(std::move(out));
    }
    return v;
}

}  // namespace jk::daemon::web
