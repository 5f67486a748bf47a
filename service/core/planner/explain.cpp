#include "planner/explain.hpp"

#include <map>
#include <optional>

#include "text.hpp"

namespace jk::planner {
namespace {

Minute minutes_of(const SchoolIndex& ix, const Task& t) {
    if (t.kind == TaskKind::test_session)
        return ix.period_at(t.period).tests[static_cast<size_t>(t.test)].minutes;
    return ix.rule_at(t.rule).minutes;
}

/// Every holder of a role is the subject or teaches the subject group: say who and why.
std::string own_role_text(const SchoolIndex& ix, const Task& t, const std::string& role) {
    std::vector<std::string> names;
    for (int p = 0; p < ix.persons(); ++p)
        if (ix.person_at(p).has_role(role)) names.push_back(ix.pname(p));
    const std::string label = role_label(role);
    const std::string holders = names.size() == 1
                                    ? names.front() + " is de enige " + label
                                    : join_names(names) + " zijn de enige " + label + "s";
    if (t.subject_group >= 0)
        return holders + " en " + (names.size() == 1 ? "geeft" : "geven") + " zelf les aan " +
               ix.group_at(t.subject_group).name + "; de " + label +
               " van een bespreking is nooit een leerkracht van de groep zelf";
    return holders + "; de " + label + " van deze afspraak is nooit " +
           (t.subject_person >= 0 ? ix.pname(t.subject_person) : std::string("het onderwerp")) +
           " zelf";
}

/// Why one day does not do, said of that day (a move by hand, a day that closed): the closure
/// by its name, the test period by its name, never the rule's configuration words.
std::optional<std::string> one_day_reason(const SchoolIndex& ix, const Task& t, Stage stage) {
    if (t.lo < 0 || t.lo >= ix.days()) return std::nullopt;
    const DayInfo& day = ix.cal.day(t.lo);
    const std::string date = format_day_nl(day.date);
    const Closure* closure =
        day.closure >= 0 ? &ix.cal.closures()[static_cast<size_t>(day.closure)] : nullptr;
    const std::string what = t.kind == TaskKind::test_session
                                 ? std::string("een toets")
                                 : "'" + ix.rule_at(t.rule).label() + "'";
    switch (stage) {
        case Stage::closed:
            if (weekday_index(day.date) >= 5) return "op " + date + " is het weekend";
            if (closure) return "op " + date + " is de school dicht (" + closure->name + ")";
            return "op " + date + " is de school dicht";
        case Stage::studiedag:
            return date + " is een studiedag" + (closure ? " (" + closure->name + ")" : "") +
                   ", zonder leerlingen; " + what + " hoort onder lestijd";
        case Stage::avoid_test_period:
            for (int p = 0; p < ix.periods(); ++p)
                if (ix.period_at(p).range.contains(day.date))
                    return "op " + date + " is het " + ix.period_at(p).name + ", en " + what +
                           " wordt niet in een toetsperiode gepland";
            return std::nullopt;
        case Stage::avoid_first_day:
            return date + " is de eerste schooldag na een vakantie of vrije dag, en " + what +
                   " wordt niet op zo'n dag gepland";
        case Stage::no_lessons:
            return "op " + date + " zijn er geen lessen, en " + what + " hoort onder lestijd";
        default:
            return std::nullopt;
    }
}

}  // namespace

std::string role_label(std::string_view role) {
    // any:role:A|B: "IB'er of schoolleider".
    if (const size_t bar = role.find('|'); bar != std::string_view::npos)
        return role_label(role.substr(0, bar)) + " of " + role_label(role.substr(bar + 1));
    static const std::map<std::string, std::string, std::less<>> labels = {
        {"ib", "IB'er"},
        {"schoolleider", "schoolleider"},
        {"bestuurder", "bestuurder"},
        {"taalcoordinator", "taalcoördinator"},
        {"rekencoordinator", "rekencoördinator"},
        {"bouwcoordinator", "bouwcoördinator"},
    };
    auto it = labels.find(role);
    return it != labels.end() ? it->second : std::string(role);
}

namespace {

/// Why nobody (or not everyone) who must come is there on the days that qualify.
std::string unavailable_text(const SchoolIndex& ix, const Task& t, const Diagnosis& d,
                             const std::string& who, const std::string& when) {
    const Rule* r = t.kind == TaskKind::test_session ? nullptr : &ix.rule_at(t.rule);
    // Structural: the only holders of an any:role are the subject or its teachers.
    // (On the days the others are there, that is what stands in the way.)
    if (d.blocked_role.empty() && !d.role_own.empty())
        return own_role_text(ix, t, d.role_own.begin()->first) + " (" + when + ")";
    std::string msg;
    const std::string wds = d.weekdays_reaching_availability.to_string();
    if (r && r->for_each.kind == SubjectKind::teacher && r->slot.kind == SlotKind::lessons &&
        t.subject_person >= 0) {
        std::vector<std::string> groups;
        for (int g = 0; g < ix.groups(); ++g)
            for (const auto& ta : ix.group_at(g).teachers)
                if (ta.person == t.subject_id) groups.push_back(ix.group_at(g).name);
        msg = who + " geeft " + join_names(groups) + " alleen les op " + wds + "; ";
    } else if (!wds.empty()) {
        msg = "de mogelijke dagen zijn " + wds + "; ";
    }
    // Two or more required people who never work on the same weekday: say that.
    if (d.blocked_person.size() >= 2) {
        WeekdaySet common(0x1F);
        std::vector<std::string> who_days;
        for (const auto& [p, n] : d.blocked_person) {
            const Person& person = ix.person_at(p);
            common = common & person.works;
            who_days.push_back(person.name + " (" + person.works.to_string() + ")");
        }
        if (common.empty())
            return join_names(who_days) + " werken nooit op dezelfde dag (" + when + ")";
    }
    std::vector<std::string> parts;
    for (const auto& [role, n] : d.blocked_role) {
        std::string part = "geen " + role_label(role) + " werkt op " + wds;
        if (d.role_own.count(role)) part += " (" + own_role_text(ix, t, role) + ")";
        parts.push_back(part);
    }
    for (const auto& [p, n] : d.blocked_person) {
        const Person& person = ix.person_at(p);
        // Missing only because she teaches then: say that, not her working days.
        if (const auto it = d.teaching_person.find(p);
            it != d.teaching_person.end() && it->second == n && t.subject_person != p) {
            parts.push_back(person.name + " staat dan zelf voor de klas");
            continue;
        }
        std::string part = person.name + " werkt alleen op " + person.works.to_string();
        for (const auto& a : person.absent)
            part += " en is afwezig van " + format_day_nl(a.range.from) + " t/m " +
                    format_day_nl(a.range.to);
        if (d.teaching_busy_days > 0 && t.subject_person != p)
            part += " (of staat dan zelf voor de klas)";
        parts.push_back(part);
    }
    if (parts.empty()) parts.push_back("niet iedereen is beschikbaar");
    return msg + join_names(parts) + " (" + when + ")";
}

/// Why no free moment of the right length is there on the days when everyone is.
std::string no_time_text(const SchoolIndex& ix, const Task& t, const Diagnosis& d,
                         const std::string& when) {
    const bool is_test = t.kind == TaskKind::test_session;
    const Rule* r = is_test ? nullptr : &ix.rule_at(t.rule);
    const int minutes = minutes_of(ix, t);
    if (d.too_short_days > 0 && d.busy_person.empty() && d.max_per_day_days == 0 &&
        d.role_busy.empty() && d.role_teaching.empty() && d.in_class.empty())
        return "de beschikbare tijd " + when + " is korter dan " + std::to_string(minutes) +
               " minuten" +
               (is_test && ix.period_at(t.period).morning_only ? " (toetsen alleen 's ochtends)"
                                                               : "");
    if (d.max_per_day_days > 0 && d.busy_person.empty() && d.in_class.empty()) {
        if (is_test)
            return "elke mogelijke dag " + when +
                   " heeft deze groep al het hoogste aantal toetsen per dag";
        return "op elke mogelijke dag " + when + " staan al " +
               std::to_string(r->max_per_day.value_or(0)) +
               " van deze afspraken per persoon, het hoogste aantal per dag";
    }
    std::string busiest;
    int most = 0;
    for (const auto& [p, n] : d.busy_person)
        if (n > most) most = n, busiest = ix.pname(p);
    for (const auto& [role, n] : d.role_teaching)
        if (n > most && d.busy_person.empty())
            return "op de mogelijke dagen " + when + " staat elke " + role_label(role) +
                   " die dan werkt, tijdens lestijd zelf voor de klas";
    for (const auto& [role, n] : d.role_busy)
        if (n > most) most = n, busiest = "elke " + role_label(role);
    const int days = d.days[static_cast<int>(Stage::no_time)];
    const int fixed = r && r->slot.kind == SlotKind::fixed ? r->slot.fixed_start : -1;
    std::string msg = (days == 1 ? when
                                 : "op de " + std::to_string(days) + " dagen " + when +
                                       " waarop iedereen werkt,") +
                      " is " + (fixed >= 0 ? "om " + format_time(fixed) + " " : "") +
                      "geen vrij moment van " + std::to_string(minutes) + " minuten";
    if (!busiest.empty()) msg += "; de agenda van " + busiest + " is dan vol";
    for (const auto& [p, title] : d.busy_with)
        if (ix.pname(p) == busiest && days == 1) msg += " (" + title + ")";
    // A teacher in front of her class then (spec: busy during her group's lessons).
    for (const auto& [p, g] : d.in_class)
        msg += "; " + ix.pname(p) + " staat dan voor " + ix.group_at(g).name;
    return msg;
}

}  // namespace

std::string explain(const SchoolIndex& ix, const Task& t, const Diagnosis& d) {
    const std::string when = t.window_text.empty() ? ix.range_text(t.lo, t.hi) : t.window_text;
    const bool is_test = t.kind == TaskKind::test_session;
    if (t.lo > t.hi) return "er is geen dag " + when + " binnen het schooljaar";
    std::string who;
    if (t.subject_person >= 0) who = ix.pname(t.subject_person);
    if (t.subject_group >= 0) who = ix.group_at(t.subject_group).name;

    if (t.lo == t.hi)
        if (auto day = one_day_reason(ix, t, d.furthest)) return *day;
    switch (d.furthest) {
        case Stage::range:
        case Stage::closed:
            return when + " is er geen werkdag (vakantie, feestdag of vrije dag)";
        case Stage::studiedag:
            return when + " zijn er alleen studiedagen, en deze afspraak hoort onder lestijd";
        case Stage::avoid_test_period:
            return when +
                   " vallen alle werkdagen in een toetsperiode, en deze afspraak mijdt "
                   "toetsperiodes";
        case Stage::avoid_first_day:
            return when +
                   " is elke werkdag de eerste schooldag na een vakantie of vrije dag, en deze "
                   "afspraak mijdt die dag";
        case Stage::no_lessons:
            return when + " zijn er op de mogelijke dagen geen lestijden";
        case Stage::not_teaching:
            if (is_test) return who + " heeft " + when + " op geen enkele lesdag een leerkracht";
            return who + " geeft " + when + " geen les op een dag die in aanmerking komt";
        case Stage::unavailable:
            return unavailable_text(ix, t, d, who, when);
        case Stage::no_time:
        case Stage::ok:
            return no_time_text(ix, t, d, when);
    }
    return "niet in te plannen " + when;
}

}  // namespace jk::planner
