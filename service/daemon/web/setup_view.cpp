// The set-up's forms (setup_view.hpp): the school's own keys, a test period and a rule, each
// in the school's words, filled in with what they are now, and sent as a change of only what the
// form shows.
#include "daemon/web/setup_view.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "text.hpp"

namespace jk::daemon::web {
namespace {

using Type = FieldView::Type;
namespace json = boost::json;

/// The vacations a school may move (advice dates): the form's key and the official name.
constexpr std::pair<const char*, const char*> kMovable[] = {{"herfst", "Herfstvakantie"},
                                                            {"voorjaar", "Voorjaarsvakantie"}};

/// The vacation of that name as the school has it now (official, or as it moved it).
const Closure* vacation_of(const LoadedSchool& school, std::string_view name) {
    for (const Closure& c : school.calendar.closures())
        if (c.kind == ClosureKind::vakantie && c.name == name) return &c;
    return nullptr;
}

std::vector<FieldView> school_fields() {
    std::vector<FieldView> f;
    f.push_back(field("school.name", "Naam van de school", Type::text, true));
    for (int d = 0; d < 5; ++d)
        f.push_back(field("school.hours." + std::string(weekday_code(d)),
                          "Lestijden op " + kWeekdays[static_cast<size_t>(d)].second, Type::text,
                          false,
                          d == 0 ? "Bijvoorbeeld 08:30-14:30; leeg: geen lessen die dag." : ""));
    f.push_back(field("school.meetings.after_school", "Tijd voor overleg na school", Type::text,
                      false, "Bijvoorbeeld 14:45-17:00."));
    f.push_back(field("school.first_day", "Eerste schooldag", Type::date));
    f.push_back(field("school.last_day", "Laatste schooldag", Type::date));
    for (const auto& [key, name] : kMovable) {
        f.push_back(field("school.vacation." + std::string(key) + ".from",
                          std::string(name) + ": eerste dag", Type::date, false,
                          "De adviesdata van de overheid staan ingevuld; een school mag ze met "
                          "instemming van de MR verschuiven."));
        if (key == kMovable[0].first) f.back().section = "Vakanties die de school verschuift";
        f.push_back(field("school.vacation." + std::string(key) + ".to",
                          std::string(name) + ": laatste dag", Type::date));
    }
    return f;
}

void school_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out) {
    StaffChange& c = out.change;
    // Only what differs from the school as it is now.
    namespace json = boost::json;
    json::object t, hours;
    const School* now = school ? &school->school : nullptr;
    if (const std::string& n = form.get("school.name"); !n.empty() && (!now || n != now->name))
        t["name"] = n;
    for (int d = 0; d < 5; ++d) {
        const std::string& v = form.get("school.hours." + std::string(weekday_code(d)));
        const auto& h = now ? now->hours[d] : std::optional<TimeRange>{};
        const std::string was = h ? format_time(h->start) + "-" + format_time(h->end) : "";
        if (v != was) hours[weekday_code(d)] = v.empty() ? json::value(nullptr) : json::value(v);
    }
    if (!hours.empty()) t["hours"] = std::move(hours);
    if (const std::string& a = form.get("school.meetings.after_school"); !a.empty()) {
        const std::string was =
            now ? format_time(now->after_school.start) + "-" + format_time(now->after_school.end)
                : "";
        if (a != was) t["meetings"] = json::object{{"after_school", a}};
    }
    for (const char* key : {"first_day", "last_day"}) {
        const std::string name = std::string("school.") + key;
        const std::string& v = form.get(name);
        if (v.empty()) continue;
        if (!parse_date(v)) {
            out.errors.push_back({name, "'" + v + "' is geen datum; kies een dag"});
            continue;
        }
        const Date was =
            now ? (std::string(key) == "first_day" ? now->first_day : now->last_day) : Date{};
        if (!now || v != format_date(was)) t[key] = v;
    }
    json::array moved;
    for (const auto& [key, name] : kMovable) {
        const std::string at = "school.vacation." + std::string(key) + ".";
        const std::string &from = form.get(at + "from"), &to = form.get(at + "to");
        if (from.empty() && to.empty()) continue;
        const Closure* was = school ? vacation_of(*school, name) : nullptr;
        if (was && from == format_date(was->range.from) && to == format_date(was->range.to))
            continue;
        if (!parse_date(from) || !parse_date(to)) {
            out.errors.push_back({at + (parse_date(from) ? "to" : "from"),
                                  "kies de eerste en de laatste dag van de vakantie"});
            continue;
        }
        moved.push_back(json::object{{"name", name}, {"from", from}, {"to", to}});
    }
    if (!moved.empty()) t["vacation"] = std::move(moved);
    if (t.empty()) out.errors.push_back({"", "er is niets veranderd"});
    c.table = json::serialize(t);
}

/// The school form, as the school is now.
void school_prefill(const LoadedSchool& school, FormData& filled) {
    // What the school is now.
    const School& s = school.school;
    filled.set("school.name", s.name);
    for (int d = 0; d < 5; ++d)
        if (const auto& h = s.hours[d])
            filled.set("school.hours." + std::string(weekday_code(d)),
                       format_time(h->start) + "-" + format_time(h->end));
    filled.set("school.meetings.after_school",
               format_time(s.after_school.start) + "-" + format_time(s.after_school.end));
    filled.set("school.first_day", format_date(s.first_day));
    filled.set("school.last_day", format_date(s.last_day));
    for (const auto& [key, name] : kMovable)
        if (const Closure* v = vacation_of(school, name)) {
            filled.set("school.vacation." + std::string(key) + ".from", format_date(v->range.from));
            filled.set("school.vacation." + std::string(key) + ".to", format_date(v->range.to));
        }
}

}  // namespace

std::vector<FieldView> setup_fields(StaffChangeKind kind) {
    switch (kind) {
        case StaffChangeKind::rule:
            return rule_fields();
        case StaffChangeKind::test_period:
            return period_fields();
        case StaffChangeKind::school:
            return school_fields();
        case StaffChangeKind::group:
            return group_fields();
        default:
            return removal_fields(kind);
    }
}

void setup_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out) {
    switch (out.change.kind) {
        case StaffChangeKind::rule:
            return rule_from_form(form, school, out);
        case StaffChangeKind::test_period:
            return period_from_form(form, school, out);
        case StaffChangeKind::school:
            return school_from_form(form, school, out);
        case StaffChangeKind::group:
            return group_from_form(form, school, out);
        case StaffChangeKind::group_remove:
            out.change.group = form.get("group");
            if (out.change.group.empty()) out.errors.push_back({"group", "kies een groep"});
            return;
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule_remove:
            out.change.id = form.get("id");
            if (out.change.id.empty()) out.errors.push_back({"id", "kies wat er verdwijnt"});
            return;
        default:
            return;
    }
}

void setup_prefill(StaffChangeKind kind, const LoadedSchool& school, const FormData& values,
                   FormData& filled, std::vector<FieldView>& fields) {
    if (kind == StaffChangeKind::rule) rule_prefill(school, filled, fields);
    if (kind == StaffChangeKind::test_period) period_prefill(school, filled, fields);
    if (kind == StaffChangeKind::group) group_prefill(school, filled, fields);
    removal_prefill(kind, school, fields);
    if (kind == StaffChangeKind::school && !values.has("school.name"))
        school_prefill(school, filled);
}

}  // namespace jk::daemon::web
