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

std::vector<FieldView> rule_fields() {
    std::vector<FieldView> f;
    f.push_back(field("rule.id", "Welke regel?", Type::select, true));
    f.push_back(field("rule.title", "Naam in de agenda", Type::text, false,
                      "{group}, {teacher} en {period} worden de groep, de leerkracht en "
                      "de toetsperiode."));
    f.push_back(field("rule.attendees", "Wie moet erbij zijn?", Type::checkboxes, false,
                      "Naast de leerkracht of de groep zelf. Wie er bij moet zijn, moet "
                      "op die dag werken; zo niet, dan zoekt de planning een andere dag."));
    f.push_back(field("rule.minutes", "Hoe lang, in minuten", Type::text));
    f.push_back(field("rule.remind_days_before", "Herinneringen, in dagen vooraf", Type::text,
                      false, "Met komma's, bijvoorbeeld: 7, 1. 'geen': geen herinneringen."));
    f.push_back(field("rule.track", "Afvinken", Type::radios));
    f.back().options = {{"ja", "ja: het wordt te laat als het niet is afgevinkt"}, {"nee", "nee"}};
    return f;
}

std::vector<FieldView> period_fields() {
    std::vector<FieldView> f;
    f.push_back(field("test_period.id", "Welke toetsperiode?", Type::select, true));
    f.push_back(field("test_period.from", "Eerste dag", Type::date));
    f.push_back(field("test_period.to", "Laatste dag", Type::date));
    f.push_back(field("test_period.max_tests_per_day", "Toetsen per groep per dag", Type::text));
    f.push_back(field("test_period.morning_only", "Alleen 's ochtends", Type::radios, false,
                      "De toetsen beginnen in de eerste helft van de lesdag."));
    f.back().options = {{"ja", "ja"}, {"nee", "nee, ook 's middags"}};
    return f;
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
    return f;
}

void rule_from_form(const FormData& form, ParsedChange& out) {
    StaffChange& c = out.change;
    // Only what the form names changes (patch); empty means: stays as it is.
    namespace json = boost::json;
    json::object t{{"id", form.get("rule.id")}};
    if (!form.get("rule.title").empty()) t["title"] = form.get("rule.title");
    if (const auto who = form.all("rule.attendees"); !who.empty()) {
        json::array a;
        for (const auto& w : who) a.emplace_back(w);
        t["attendees"] = std::move(a);
    }
    auto number = [&](const std::string& text, const char* field) -> std::optional<long> {
        char* end = nullptr;
        const long n = std::strtol(text.c_str(), &end, 10);
        if (text.empty() || !end || *end != '\0' || n < 0 || n > 100000) {
            out.errors.push_back({field, "'" + text + "' is geen getal"});
            return std::nullopt;
        }
        return n;
    };
    if (const std::string& m = form.get("rule.minutes"); !m.empty())
        if (auto n = number(m, "rule.minutes")) t["minutes"] = *n;
    if (const std::string& r = form.get("rule.remind_days_before"); r == "geen") {
        t["remind_days_before"] = json::array{};
    } else if (!r.empty()) {
        json::array days;
        for (const auto& part : split_list(r))
            if (auto n = number(part, "rule.remind_days_before")) days.emplace_back(*n);
        t["remind_days_before"] = std::move(days);
    }
    if (!form.get("rule.track").empty()) t["track"] = form.get("rule.track") == "ja";
    c.table = json::serialize(t);
    c.patch = true;
}

void period_from_form(const FormData& form, ParsedChange& out) {
    StaffChange& c = out.change;
    namespace json = boost::json;
    json::object t{{"id", form.get("test_period.id")}};
    for (const char* key : {"from", "to"}) {
        const std::string name = std::string("test_period.") + key;
        if (const std::string& v = form.get(name); !v.empty()) {
            if (!parse_date(v))
                out.errors.push_back({name, "'" + v + "' is geen datum; kies een dag"});
            t[key] = v;
        }
    }
    if (const std::string& n = form.get("test_period.max_tests_per_day"); !n.empty()) {
        char* end = nullptr;
        const long k = std::strtol(n.c_str(), &end, 10);
        if (!end || *end != '\0' || k < 1 || k > 10)
            out.errors.push_back(
                {"test_period.max_tests_per_day", "kies een getal van 1 tot en met 10"});
        else
            t["max_tests_per_day"] = k;
    }
    if (const std::string& m = form.get("test_period.morning_only"); !m.empty())
        t["morning_only"] = m == "ja";
    c.table = json::serialize(t);
    c.patch = true;
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
    if (t.empty()) out.errors.push_back({"", "er is niets veranderd"});
    c.table = json::serialize(t);
}

/// An attendee as the files write it ("any:role:ib|schoolleider").
std::string spec_text(const AttendeeSpec& a) {
    switch (a.kind) {
        case AttendeeKind::person:
            return "person:" + a.name;
        case AttendeeKind::role:
            return "role:" + a.name;
        case AttendeeKind::any_role:
            return "any:role:" + a.name;
        case AttendeeKind::group_teachers:
            return "group_teachers";
        case AttendeeKind::most_group_teachers:
            return "most:group_teachers";
        case AttendeeKind::all_staff:
            return "all_staff";
    }
    return {};
}

/// Who may be asked to come, in the school's words, by the files' text.
const std::vector<std::pair<std::string, std::string>>& attendee_choices() {
    static const std::vector<std::pair<std::string, std::string>> kChoices = {
        {"group_teachers", "de leerkracht(en) van de groep, allemaal"},
        {"most:group_teachers",
         "de leerkracht(en) van de groep; bij een duo die elkaar nooit treft: wie er kan"},
        {"any:role:ib", "een IB'er"},
        {"any:role:ib|schoolleider", "de IB'er, of anders de schoolleider"},
        {"role:ib", "alle IB'ers"},
        {"role:schoolleider", "de schoolleider"},
        {"all_staff", "het hele team"}};
    return kChoices;
}

std::string attendee_words(const AttendeeSpec& a, const School& s) {
    const std::string text = spec_text(a);
    for (const auto& [k, label] : attendee_choices())
        if (k == text) return label;
    if (a.kind == AttendeeKind::person) return name_of(s, a.name);
    if (a.kind == AttendeeKind::role) return "iedereen met de rol " + a.name;
    if (a.kind == AttendeeKind::any_role) return "een " + a.name;
    return text;
}

/// The rule form's choices (the school's rules, who may be asked to come, in its words) and,
/// once a rule is chosen, what it is now.
void rule_form(const LoadedSchool& school, FormData& filled, std::vector<FieldView>& fields) {
    auto at = [&](const char* name) -> FieldView& {
        return *std::find_if(fields.begin(), fields.end(),
                             [&](const FieldView& f) { return f.name == name; });
    };
    FieldView& which = at("rule.id");
    which.options = {{"", "kies een regel"}};
    for (const Rule& r : school.rules.rules) which.options.emplace_back(r.id, plain_title(r.title));
    FieldView& who = at("rule.attendees");
    who.options = attendee_choices();
    std::set<std::string> roles;
    for (const Person& p : school.school.persons)
        for (const auto& r : p.roles) roles.insert(r);
    for (const auto& r : roles)
        if (r != "ib" && r != "schoolleider" && r != "bestuurder")
            who.options.emplace_back("role:" + r, "iedereen met de rol " + r);
    const Rule* rule = school.rules.rule(filled.get("rule.id"));
    if (!rule) return;
    // Chosen: the form is about this rule only (another is chosen from the list of rules).
    which.options = {{rule->id, plain_title(rule->title)}};
    for (const AttendeeSpec& a : rule->attendees) {
        const std::string text = spec_text(a);
        if (std::none_of(who.options.begin(), who.options.end(),
                         [&](const auto& o) { return o.first == text; }))
            who.options.emplace_back(text, text);
    }
    // What the rule is now, where the form says nothing yet.
    if (filled.get("rule.title").empty()) filled.set("rule.title", rule->title);
    if (filled.all("rule.attendees").empty())
        for (const AttendeeSpec& a : rule->attendees) filled.set("rule.attendees", spec_text(a));
    if (filled.get("rule.minutes").empty() && !rule->all_day)
        filled.set("rule.minutes", std::to_string(rule->minutes));
    if (filled.get("rule.remind_days_before").empty()) {
        std::string days;
        for (int d : rule->remind_days_before)
            days += (days.empty() ? "" : ", ") + std::to_string(d);
        filled.set("rule.remind_days_before", days.empty() ? "geen" : days);
    }
    if (filled.get("rule.track").empty()) filled.set("rule.track", rule->track ? "ja" : "nee");
}

/// The test period form's choices and, once one is chosen, what it is now.
void period_form(const LoadedSchool& school, FormData& filled, std::vector<FieldView>& fields) {
    FieldView& which = fields.front();
    which.options = {{"", "kies een toetsperiode"}};
    for (const TestPeriod& p : school.rules.test_periods)
        which.options.emplace_back(p.id, p.name + " (" + format_day_nl(p.range.from) + " t/m " +
                                             format_day_nl(p.range.to) + ")");
    const TestPeriod* p = school.rules.period(filled.get("test_period.id"));
    if (!p) return;
    which.options = {{p->id, p->name}};
    if (filled.get("test_period.from").empty())
        filled.set("test_period.from", format_date(p->range.from));
    if (filled.get("test_period.to").empty())
        filled.set("test_period.to", format_date(p->range.to));
    if (filled.get("test_period.max_tests_per_day").empty())
        filled.set("test_period.max_tests_per_day", std::to_string(p->max_tests_per_day));
    if (filled.get("test_period.morning_only").empty())
        filled.set("test_period.morning_only", p->morning_only ? "ja" : "nee");
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
        default:
            return {};
    }
}

void setup_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out) {
    switch (out.change.kind) {
        case StaffChangeKind::rule:
            return rule_from_form(form, out);
        case StaffChangeKind::test_period:
            return period_from_form(form, out);
        case StaffChangeKind::school:
            return school_from_form(form, school, out);
        default:
            return;
    }
}

void setup_prefill(StaffChangeKind kind, const LoadedSchool& school, const FormData& values,
                   FormData& filled, std::vector<FieldView>& fields) {
    if (kind == StaffChangeKind::rule) rule_form(school, filled, fields);
    if (kind == StaffChangeKind::test_period) period_form(school, filled, fields);
    if (kind == StaffChangeKind::school && !values.has("school.name"))
        school_prefill(school, filled);
}

std::vector<RuleRow> rules_view(const LoadedSchool& school) {
    std::vector<RuleRow> out;
    for (const Rule& r : school.rules.rules) {
        std::vector<std::string> who;
        for (const AttendeeSpec& a : r.attendees) who.push_back(attendee_words(a, school.school));
        std::string words = who.empty() ? std::string("alleen wie het betreft") : join_names(who);
        if (const FollowUpTiming* f = r.follow_up(); f && !r.attendees_given)
            if (const Rule* target = school.rules.rule(f->rule))
                words = "wie er bij de " + plain_title(target->title) + " was";
        out.push_back(
            {r.id, plain_title(r.title), words,
             r.all_day ? std::string("hele dag") : std::to_string(r.minutes) + " minuten"});
    }
    return out;
}

}  // namespace jk::daemon::web
