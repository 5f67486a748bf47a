#include "daemon/web/staff_view.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "daemon/input/inputs.hpp"
#include "jaarkalender/mail.hpp"
#include "text.hpp"

namespace jk::daemon::web {
namespace {

using Type = FieldView::Type;

const std::vector<std::pair<std::string, std::string>> kWeekdays = {{"ma", "maandag"},
                                                                    {"di", "dinsdag"},
                                                                    {"wo", "woensdag"},
                                                                    {"do", "donderdag"},
                                                                    {"vr", "vrijdag"}};

std::vector<std::pair<std::string, std::string>> people(const School& s, bool none,
                                                        const char* none_label = "") {
    std::vector<std::pair<std::string, std::string>> out;
    if (none) out.emplace_back("", none_label);
    std::vector<const Person*> sorted;
    for (const Person& p : s.persons) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Person* a, const Person* b) { return a->name < b->name; });
    for (const Person* p : sorted) out.emplace_back(p->id, p->name);
    return out;
}

std::vector<std::pair<std::string, std::string>> groups(const School& s, bool none) {
    std::vector<std::pair<std::string, std::string>> out;
    if (none) out.emplace_back("", "geen groep");
    for (const Group& g : s.groups) out.emplace_back(g.id, g.name);
    return out;
}

FieldView field(std::string name, std::string label, Type type, bool required = false,
                std::string hint = {}) {
    FieldView f;
    f.name = std::move(name);
    f.label = std::move(label);
    f.type = type;
    f.required = required;
    f.hint = std::move(hint);
    return f;
}

const char* kNoteHint =
    "Voor de geschiedenis van wijzigingen; alleen de IB'er en de schoolleider "
    "zien dit.";

std::vector<FieldView> fields_of(StaffChangeKind kind, const School& s) {
    std::vector<FieldView> f;
    switch (kind) {
        case StaffChangeKind::absence: {
            f.push_back(field("person", "Wie is er afwezig?", Type::select, true));
            f.back().options = people(s, true, "kies een persoon");
            f.push_back(field("from", "Eerste dag afwezig", Type::date, true));
            f.push_back(field("to", "Laatste dag afwezig", Type::date, true,
                              "Verlengen of eerder terug: kies dezelfde eerste dag en een andere "
                              "laatste dag."));
            f.push_back(field("reason", "Reden", Type::text, false,
                              "Alleen de IB'er en de schoolleider zien de reden; collega's, "
                              "agenda's en e-mails niet."));
            f.push_back(field("substitute", "Invaller", Type::select, false,
                              "De invaller neemt de groepen over op de dagen van de afwezige, en "
                              "neemt daar de toetsen af."));
            f.back().options = people(s, true, "geen invaller");
            f.back().options.insert(f.back().options.begin() + 1,
                                    {"nieuw", "een nieuwe invaller (hieronder invullen)"});
            f.push_back(field("substitute.name", "Naam van de nieuwe invaller", Type::text));
            f.back().required_when = "nodig bij een nieuwe invaller";
            f.push_back(field("substitute.email", "E-mailadres van de nieuwe invaller", Type::email,
                              false,
                              "De nieuwe invaller werkt op de dagen van de afwezige, precies "
                              "zolang de afwezigheid duurt."));
            f.back().required_when = "nodig bij een nieuwe invaller";
            break;
        }
        case StaffChangeKind::person:
            f.push_back(field("name", "Naam", Type::text, true));
            f.push_back(field("email", "E-mailadres", Type::email, true));
            f.push_back(field("works", "Werkdagen", Type::checkboxes, true));
            f.back().options = kWeekdays;
            f.push_back(field("from", "Eerste werkdag", Type::date, false,
                              "Leeg: vanaf het begin van het schooljaar."));
            f.push_back(field("roles", "Rollen", Type::text, false,
                              "Met komma's, bijvoorbeeld: ib, bouwcoordinator. Leeg voor een "
                              "leerkracht."));
            f.push_back(field("groups", "Groep", Type::select));
            f.back().options = groups(s, true);
            f.push_back(field("groups.days", "Dagen in die groep", Type::checkboxes, false,
                              "Leeg: alle werkdagen."));
            f.back().options = kWeekdays;
            f.push_back(field("groups.takes_over", "Overnemen", Type::checkboxes, false,
                              "Aangevinkt: wie de groep nu heeft, stopt de dag voor de eerste "
                              "werkdag. Niet aangevinkt: ze werken samen (duo)."));
            f.back().options = {{"ja", "neemt de groep over"}};
            break;
        case StaffChangeKind::leave:
            f.push_back(field("person", "Wie vertrekt?", Type::select, true));
            f.back().options = people(s, true, "kies een persoon");
            f.push_back(field("until", "Laatste werkdag", Type::date, true,
                              "Na deze dag staat deze persoon nergens meer bij; wat al gehouden "
                              "is, blijft staan."));
            break;
        case StaffChangeKind::handover:
            f.push_back(field("group", "Groep", Type::select, true));
            f.back().options = groups(s, false);
            f.back().options.insert(f.back().options.begin(), {"", "kies een groep"});
            f.push_back(field("person", "Wie draagt de groep over?", Type::select, true));
            f.back().options = people(s, true, "kies een persoon");
            f.push_back(field("successor", "Wie neemt de groep over?", Type::select, true));
            f.back().options = people(s, true, "kies een persoon");
            f.push_back(field("from", "Eerste dag van de nieuwe leerkracht", Type::date, true));
            f.push_back(field("days", "Dagen", Type::checkboxes, false,
                              "Leeg: dezelfde dagen als de vorige leerkracht."));
            f.back().options = kWeekdays;
            break;
        case StaffChangeKind::closure:
            f.push_back(field("closure_kind", "Soort dag", Type::radios, true));
            f.back().options = {{"studiedag", "studiedag (geen leerlingen, team aanwezig)"},
                                {"vrij", "vrije dag (niemand op school)"}};
            f.push_back(field("name", "Naam", Type::text, true,
                              "Zoals collega's en ouders hem zien, bijvoorbeeld 'Studiedag "
                              "rekenen'."));
            f.push_back(field("from", "Datum (eerste dag)", Type::date, true));
            f.push_back(field("to", "Laatste dag", Type::date, false, "Leeg: één dag."));
            break;
        case StaffChangeKind::works:
            f.push_back(field("person", "Wie?", Type::select, true));
            f.back().options = people(s, true, "kies een persoon");
            f.push_back(field("from", "Vanaf", Type::date, false,
                              "Leeg: het hele schooljaar. Tot die dag blijven de oude werkdagen "
                              "gelden."));
            f.push_back(field("works", "Werkdagen", Type::checkboxes, true,
                              "Geeft iemand les op een dag die wegvalt, pas dan ook de dagen in "
                              "de groep aan ('Een groep gaat over')."));
            f.back().options = kWeekdays;
            break;
        case StaffChangeKind::person_edit:
            f.push_back(field("person", "Wie?", Type::select, true));
            f.back().options = people(s, true, "kies een persoon");
            f.push_back(field("name", "Naam", Type::text, false, "Leeg: blijft zoals het is."));
            f.push_back(
                field("email", "E-mailadres", Type::email, false, "Leeg: blijft zoals het is."));
            f.push_back(field("roles", "Rollen", Type::text, false,
                              "Met komma's, bijvoorbeeld: ib, bouwcoordinator. Leeg: blijven "
                              "zoals ze zijn; 'geen': geen rollen meer. Alleen de schoolleider "
                              "maakt iemand intern begeleider of schoolleider."));
            f.push_back(field("starter", "Startende leerkracht", Type::radios));
            f.back().options = {{"", "blijft zoals het is"}, {"ja", "ja"}, {"nee", "nee"}};
            break;
        case StaffChangeKind::rule:
            f.push_back(field("rule.id", "Welke regel?", Type::select, true));
            f.push_back(field("rule.title", "Naam in de agenda", Type::text, false,
                              "{group}, {teacher} en {period} worden de groep, de leerkracht en "
                              "de toetsperiode."));
            f.push_back(field("rule.attendees", "Wie moet erbij zijn?", Type::checkboxes, false,
                              "Naast de leerkracht of de groep zelf. Wie er bij moet zijn, moet "
                              "op die dag werken; zo niet, dan zoekt de planning een andere dag."));
            f.push_back(field("rule.minutes", "Hoe lang, in minuten", Type::text));
            f.push_back(field("rule.remind_days_before", "Herinneringen, in dagen vooraf",
                              Type::text, false,
                              "Met komma's, bijvoorbeeld: 7, 1. 'geen': geen herinneringen."));
            f.push_back(field("rule.track", "Afvinken", Type::radios));
            f.back().options = {{"ja", "ja: het wordt te laat als het niet is afgevinkt"},
                                {"nee", "nee"}};
            break;
        case StaffChangeKind::test_period:
            f.push_back(field("test_period.id", "Welke toetsperiode?", Type::select, true));
            f.push_back(field("test_period.from", "Eerste dag", Type::date));
            f.push_back(field("test_period.to", "Laatste dag", Type::date));
            f.push_back(
                field("test_period.max_tests_per_day", "Toetsen per groep per dag", Type::text));
            f.push_back(field("test_period.morning_only", "Alleen 's ochtends", Type::radios, false,
                              "De toetsen beginnen in de eerste helft van de lesdag."));
            f.back().options = {{"ja", "ja"}, {"nee", "nee, ook 's middags"}};
            break;
        case StaffChangeKind::school:
            f.push_back(field("school.name", "Naam van de school", Type::text, true));
            for (int d = 0; d < 5; ++d)
                f.push_back(field(
                    "school.hours." + std::string(weekday_code(d)),
                    "Lestijden op " + kWeekdays[static_cast<size_t>(d)].second, Type::text, false,
                    d == 0 ? "Bijvoorbeeld 08:30-14:30; leeg: geen lessen die dag." : ""));
            f.push_back(field("school.meetings.after_school", "Tijd voor overleg na school",
                              Type::text, false, "Bijvoorbeeld 14:45-17:00."));
            f.push_back(field("school.first_day", "Eerste schooldag", Type::date));
            f.push_back(field("school.last_day", "Laatste schooldag", Type::date));
            break;
        case StaffChangeKind::group:
        case StaffChangeKind::group_remove:
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule_remove:
        case StaffChangeKind::formatie:
            break;  // the set-up: through the API (docs/api.md), not these staff forms
    }
    f.push_back(field("note", "Toelichting", Type::text, false, kNoteHint));
    return f;
}

/// The leave form's successor fields: per group the leaver teaches on their last day (today's
/// groups while it is not filled in), a successor and the successor's first day.
std::vector<FieldView> takeover_fields(const School& s, const std::string& leaver,
                                       const std::string& until_text) {
    std::vector<FieldView> out;
    const Person* p = s.person(leaver);
    if (!p) return out;
    const auto until = parse_date(until_text);
    for (const Group& g : s.groups) {
        const bool teaches = std::any_of(g.teachers.begin(), g.teachers.end(), [&](const auto& a) {
            return a.person == leaver && (!until || !a.until || *a.until >= *until);
        });
        if (!teaches) continue;
        const std::string at = "takeovers." + g.id + ".";
        out.push_back(field(at + "successor", "Wie neemt " + g.name + " over?", Type::select, false,
                            "Op de dagen die " + p->name +
                                " had. Nog niet bekend? Voer de opvolger later in met 'Een groep "
                                "gaat over'."));
        out.back().options = people(s, true, "nog niet bekend");
        std::erase_if(out.back().options, [&](const auto& o) { return o.first == leaver; });
        out.push_back(field(at + "from", "Eerste dag van de opvolger in " + g.name, Type::date,
                            false, "Leeg: de weekdag na de laatste werkdag."));
    }
    return out;
}

std::string name_of(const School& s, const std::string& id) {
    const Person* p = s.person(id);
    return p ? p->name : id;
}

std::string range_nl(Date from, Date to) {
    return from == to ? format_day_nl(from) : format_day_nl(from) + " t/m " + format_day_nl(to);
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    auto flush = [&] {
        const auto b = item.find_first_not_of(" \t");
        const auto e = item.find_last_not_of(" \t");
        if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
        item.clear();
    };
    for (char c : text) {
        if (c == ',')
            flush();
        else
            item += c;
    }
    flush();
    return out;
}

std::string event_moment(const Event& e) {
    return format_day_nl(e.date) + (e.all_day ? "" : " " + format_time(e.start));
}

}  // namespace

namespace {

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

}  // namespace

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

const std::vector<ChangeKindInfo>& change_kinds() {
    static const std::vector<ChangeKindInfo> kinds = {
        {StaffChangeKind::absence, "afwezig", "Iemand is afwezig",
         "Ziek, verlof of een cursus: van wanneer tot wanneer, en wie er invalt."},
        {StaffChangeKind::person, "nieuw", "Een nieuwe collega",
         "Een nieuwe leerkracht of medewerker, met de groep en de dagen; wie een groep "
         "overneemt, vink 'neemt de groep over' aan."},
        {StaffChangeKind::leave, "vertrek", "Iemand vertrekt",
         "De laatste werkdag van een collega die de school verlaat, en wie de groepen "
         "overneemt."},
        {StaffChangeKind::handover, "overdracht", "Een groep gaat over",
         "Een groep krijgt vanaf een datum een andere leerkracht."},
        {StaffChangeKind::closure, "dicht", "Een extra studiedag of vrije dag",
         "Een dag of dagen waarop de leerlingen vrij zijn."},
        {StaffChangeKind::works, "werkdagen", "Iemand werkt andere dagen",
         "Andere werkdagen, voor het hele jaar of vanaf een datum: 'Anna werkt vanaf 1 februari "
         "ook op woensdag'."},
        {StaffChangeKind::person_edit, "gegevens", "Gegevens van een collega",
         "Naam, e-mailadres, rollen, of iemand startende leerkracht is."},
        {StaffChangeKind::school, "school", "De school",
         "De naam, de lestijden per dag, de tijd voor overleg na school, de eerste en de laatste "
         "schooldag."},
        {StaffChangeKind::test_period, "toetsperiode", "Een toetsperiode verplaatsen",
         "Andere data van een toetsperiode, hoeveel toetsen per dag, alleen 's ochtends of niet; "
         "de toetsen zelf blijven."},
        {StaffChangeKind::rule, "regel", "Een regel aanpassen",
         "Wie erbij moet zijn, hoe lang het duurt, de herinneringen en het afvinken, met wat dat "
         "voor het hele jaar betekent."},
    };
    return kinds;
}

const ChangeKindInfo* change_kind(std::string_view slug) {
    for (const auto& k : change_kinds())
        if (k.slug == slug) return &k;
    return nullptr;
}

bool FormView::has_errors() const {
    return !general_errors.empty() || std::any_of(fields.begin(), fields.end(),
                                                  [](const auto& f) { return !f.error.empty(); });
}

FormView change_form(const LoadedSchool& school, const ChangeKindInfo& kind, const FormData& values,
                     const std::vector<FieldError>& errors) {
    FormView v;
    v.kind = &kind;
    v.fields = fields_of(kind.kind, school.school);
    if (kind.kind == StaffChangeKind::leave) {
        // Once the leaver is chosen: who takes over each of their groups, and from when.
        auto note = v.fields.end() - 1;  // the Toelichting stays last
        auto more = takeover_fields(school.school, values.get("person"), values.get("until"));
        v.fields.insert(note, more.begin(), more.end());
    }
    FormData filled = values;
    if (kind.kind == StaffChangeKind::absence && !values.has("to"))
        if (const Person* p = school.school.person(values.get("person")))
            if (auto from = parse_date(values.get("from")))
                for (const Absence& a : p->absent)
                    if (a.range.from == *from) {
                        filled.set("to", format_date(a.range.to));
                        filled.set("reason", a.reason);
                        filled.set("substitute", a.substitute.value_or(""));
                    }
    if (kind.kind == StaffChangeKind::rule) rule_form(school, filled, v.fields);
    if (kind.kind == StaffChangeKind::test_period) period_form(school, filled, v.fields);
    if (kind.kind == StaffChangeKind::school && !values.has("school.name")) {
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
    if (kind.kind == StaffChangeKind::works && !values.has("works"))
        if (const Person* p = school.school.person(values.get("person"))) {
            const auto from = parse_date(values.get("from"));
            const WeekdaySet days = from ? p->works_on(*from) : p->works;
            for (int d = 0; d < 5; ++d)
                if (days.contains(d)) filled.set("works", std::string(weekday_code(d)));
        }
    for (FieldView& f : v.fields) {
        if (f.type == Type::checkboxes)
            f.values = filled.all(f.name);
        else
            f.value = filled.get(f.name);
    }
    if (kind.kind == StaffChangeKind::closure && v.fields[0].value.empty())
        v.fields[0].value = "studiedag";
    for (const FieldError& e : errors) {
        auto it = std::find_if(v.fields.begin(), v.fields.end(),
                               [&](const FieldView& f) { return f.name == e.field; });
        // A newcomer's group errors come at "groups", its days too ("groups.days" on the form).
        if (it == v.fields.end() && e.field.rfind("groups", 0) == 0)
            it = std::find_if(v.fields.begin(), v.fields.end(),
                              [&](const FieldView& f) { return f.name == "groups"; });
        if (it == v.fields.end())
            v.general_errors.push_back(e.message);
        else
            it->error += (it->error.empty() ? "" : " ") + e.message;
    }
    return v;
}

ParsedChange change_from_form(StaffChangeKind kind, const FormData& form,
                              const LoadedSchool* school) {
    ParsedChange out;
    StaffChange& c = out.change;
    c.kind = kind;
    auto date = [&](const char* name) -> std::optional<Date> {
        const std::string& text = form.get(name);
        if (text.empty()) return std::nullopt;
        auto d = parse_date(text);
        if (!d) out.errors.push_back({name, "'" + text + "' is geen datum; kies een dag"});
        return d;
    };
    c.note = form.get("note");
    switch (kind) {
        case StaffChangeKind::absence: {
            c.person = form.get("person");
            c.from = date("from");
            c.to = date("to");
            c.reason = form.get("reason");
            const std::string& sub = form.get("substitute");
            const bool new_one =
                sub == "nieuw" || (sub.empty() && (!form.get("substitute.name").empty() ||
                                                   !form.get("substitute.email").empty()));
            if (new_one) {
                c.new_substitute = NewPerson{};
                c.new_substitute->name = form.get("substitute.name");
                c.new_substitute->email = form.get("substitute.email");
            } else {
                c.substitute = sub;
            }
            break;
        }
        case StaffChangeKind::person: {
            NewPerson p;
            p.name = form.get("name");
            p.email = form.get("email");
            p.works = form.all("works");
            p.roles = split_list(form.get("roles"));
            p.from = date("from");
            if (!form.get("groups").empty())
                p.groups.push_back({form.get("groups"), form.all("groups.days"),
                                    form.get("groups.takes_over") == "ja"});
            c.newcomer = std::move(p);
            break;
        }
        case StaffChangeKind::leave:
            c.person = form.get("person");
            c.until = date("until");
            for (const auto& [name, value] : form.pairs()) {
                const std::string_view n = name;
                constexpr std::string_view head = "takeovers.", tail = ".successor";
                if (value.empty() || n.size() <= head.size() + tail.size() ||
                    n.substr(0, head.size()) != head || n.substr(n.size() - tail.size()) != tail)
                    continue;
                const std::string group(
                    n.substr(head.size(), n.size() - head.size() - tail.size()));
                const std::string from_field = "takeovers." + group + ".from";
                c.takeovers.push_back({group, value, date(from_field.c_str())});
            }
            break;
        case StaffChangeKind::handover:
            c.group = form.get("group");
            c.person = form.get("person");
            c.successor = form.get("successor");
            c.from = date("from");
            c.days = form.all("days");
            break;
        case StaffChangeKind::works:
            c.person = form.get("person");
            c.from = date("from");
            c.days = form.all("works");
            break;
        case StaffChangeKind::person_edit: {
            c.person = form.get("person");
            if (!form.get("name").empty()) c.edit.name = form.get("name");
            if (!form.get("email").empty()) c.edit.email = form.get("email");
            const std::string& roles = form.get("roles");
            if (roles == "geen")
                c.edit.roles = std::vector<std::string>{};
            else if (!roles.empty())
                c.edit.roles = split_list(roles);
            if (!form.get("starter").empty()) c.edit.starter = form.get("starter") == "ja";
            break;
        }
        case StaffChangeKind::rule: {
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
            break;
        }
        case StaffChangeKind::test_period: {
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
            break;
        }
        case StaffChangeKind::school: {
            // Only what differs from the school as it is now.
            namespace json = boost::json;
            json::object t, hours;
            const School* now = school ? &school->school : nullptr;
            if (const std::string& n = form.get("school.name");
                !n.empty() && (!now || n != now->name))
                t["name"] = n;
            for (int d = 0; d < 5; ++d) {
                const std::string& v = form.get("school.hours." + std::string(weekday_code(d)));
                const auto& h = now ? now->hours[d] : std::optional<TimeRange>{};
                const std::string was = h ? format_time(h->start) + "-" + format_time(h->end) : "";
                if (v != was)
                    hours[weekday_code(d)] = v.empty() ? json::value(nullptr) : json::value(v);
            }
            if (!hours.empty()) t["hours"] = std::move(hours);
            if (const std::string& a = form.get("school.meetings.after_school"); !a.empty()) {
                const std::string was = now ? format_time(now->after_school.start) + "-" +
                                                  format_time(now->after_school.end)
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
                    now ? (std::string(key) == "first_day" ? now->first_day : now->last_day)
                        : Date{};
                if (!now || v != format_date(was)) t[key] = v;
            }
            if (t.empty()) out.errors.push_back({"", "er is niets veranderd"});
            c.table = json::serialize(t);
            break;
        }
        case StaffChangeKind::group:
        case StaffChangeKind::group_remove:
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule_remove:
        case StaffChangeKind::formatie:
            break;  // the set-up: through the API (docs/api.md), not these staff forms
        case StaffChangeKind::closure:
            c.closure_kind = form.get("closure_kind");
            c.name = form.get("name");
            c.from = date("from");
            c.to = date("to");
            break;
    }
    return out;
}

std::string moment_nl(std::string_view iso) {
    const auto d = parse_date(iso.substr(0, std::min<size_t>(10, iso.size())));
    if (!d) return std::string(iso);
    return format_day_nl(*d) + (iso.size() >= 16 ? " " + std::string(iso.substr(11, 5)) : "");
}

PreviewView preview_view(const StaffChangeResult& r, const LoadedSchool& before) {
    const LoadedSchool& school = r.school ? *r.school : before;
    PreviewView v = replan_view({}, r.summary);
    const ChangeConsequences& c = r.consequences;
    for (const auto& m : c.moved)
        v.moved.push_back({m.title, moment_nl(m.from), moment_nl(m.to), m.reason});
    for (const auto& m : c.cancelled)
        v.cancelled.push_back({m.title, moment_nl(m.from), "", m.reason});
    for (const auto& m : c.restored) v.restored.push_back({m.title, moment_nl(m.to), "", m.reason});
    for (const auto& u : c.unplanned) {
        const Rule* rule = school.rules.rule(u.rule);
        const TestPeriod* period = rule ? nullptr : school.rules.period(u.rule);
        std::string what = rule ? rule->label() : u.rule;
        if (period && u.occurrence >= 1 &&
            static_cast<size_t>(u.occurrence) <= period->tests.size())
            what = period->tests[static_cast<size_t>(u.occurrence - 1)].name + ", " + period->name;
        if (u.subject) {
            if (const Person* p = school.school.person(*u.subject))
                what += ", " + p->name;
            else if (const Group* g = school.school.group(*u.subject))
                what += ", " + g->name;
        }
        v.unplanned.push_back({what, "", "", u.reason});
    }
    for (const Event& e : c.added)
        v.added.push_back({e.title,
                           moment_nl(e.all_day ? format_date(e.date)
                                               : format_date(e.date) + "T" + format_time(e.start)),
                           "", ""});
    for (const auto& r : c.reassigned) {
        std::vector<std::string> now, was;
        for (const auto& id : r.event.attendees)
            if (std::find(r.before.begin(), r.before.end(), id) == r.before.end())
                now.push_back(name_of(school.school, id));
        for (const auto& id : r.before)
            if (std::find(r.event.attendees.begin(), r.event.attendees.end(), id) ==
                r.event.attendees.end())
                was.push_back(name_of(school.school, id));
        std::string who = now.empty()   ? "zonder " + join_names(was)
                          : was.empty() ? "ook " + join_names(now)
                                        : join_names(now) + " in plaats van " + join_names(was);
        v.reassigned.push_back({r.event.title, event_moment(r.event), who, ""});
    }
    for (const auto& m : c.mails) {
        const std::string events =
            std::to_string(m.uids.size()) + (m.uids.size() == 1 ? " afspraak" : " afspraken");
        v.mails.push_back(
            m.name + " (" +
            (m.welcome ? m.uids.empty() ? std::string("welkomstmail") : "welkomstmail en " + events
                       : events) +
            ")");
    }
    for (const auto& e : r.errors) v.warnings.push_back(e.message);
    for (const auto& w : c.warnings) v.warnings.push_back(w);
    for (const auto& k : c.counts)
        if (k.planned_before != k.planned_after || k.unplanned_before != k.unplanned_after)
            v.counts.push_back({k.title, k.planned_before, k.planned_after, k.unplanned_before,
                                k.unplanned_after});
    return v;
}

PreviewView replan_view(const std::vector<PlanChange>& changes, const std::string& summary) {
    PreviewView v;
    v.summary = summary;
    for (const PlanChange& c : changes) {
        if (c.what == PlanChangeKind::moved)
            v.moved.push_back({c.title, moment_nl(c.from), moment_nl(c.to), c.reason});
        else if (c.what == PlanChangeKind::restored)
            v.restored.push_back({c.title, moment_nl(c.to), "", c.reason});
        else
            v.cancelled.push_back({c.title, moment_nl(c.from), "", c.reason});
    }
    return v;
}

std::vector<HistoryRow> history_view(const std::vector<InputVersion>& versions,
                                     const LoadedSchool& school) {
    std::map<long long, long long> undone;
    for (const auto& v : versions)
        if (v.origin == InputOrigin::undo) undone[v.undo_of] = v.id;
    std::map<long long, std::string> skipped;  // of the newest version: changes not in force
    if (!versions.empty())
        for (const auto& s : skipped_from_json(versions.back().skipped))
            skipped[s.change] = s.reason;
    const std::string year = versions.empty() ? "" : versions.back().school_year;
    std::vector<HistoryRow> out;
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        const InputVersion& v = *it;
        HistoryRow row;
        row.id = v.id;
        // created_at is UTC ("2026-12-01T20:15:00Z"); the school reads its own time.
        if (auto d = parse_date(v.created_at.substr(0, 10)); d && v.created_at.size() >= 19) {
            const int h = std::stoi(v.created_at.substr(11, 2));
            const int m = std::stoi(v.created_at.substr(14, 2));
            const std::int64_t epoch =
                std::chrono::duration_cast<std::chrono::seconds>(d->time_since_epoch()).count() +
                h * 3600 + m * 60;
            const auto [day, minute] = epoch_to_local(epoch);
            row.when = format_day_nl(day) + " " + format_time(minute);
        } else {
            row.when = v.created_at;
        }
        row.who = v.origin == InputOrigin::files ? "bestanden op de server"
                                                 : name_of(school.school, v.actor);
        row.what = v.summary;
        if (v.origin == InputOrigin::change) {
            auto parsed = staff_change_from_json(v.change_json);
            row.why = parsed.change.note;
            if (parsed.change.kind == StaffChangeKind::absence && !parsed.change.reason.empty())
                row.why = parsed.change.reason + (row.why.empty() ? "" : "; " + row.why);
            if (undone.count(v.id))
                row.state = "ongedaan gemaakt";
            else if (skipped.count(v.id))
                row.state = "geldt niet meer: " + skipped[v.id];
            row.can_undo = !undone.count(v.id) && !skipped.count(v.id) && v.school_year == year;
        }
        out.push_back(std::move(row));
    }
    return out;
}

std::vector<AbsenceRow> absences_view(const LoadedSchool& school, Date today) {
    std::vector<AbsenceRow> out;
    for (const Person& p : school.school.persons)
        for (const Absence& a : p.absent) {
            if (a.range.to < today) continue;
            AbsenceRow row;
            row.name = p.name;
            row.dates = range_nl(a.range.from, a.range.to);
            row.reason = a.reason;
            row.substitute = a.substitute ? name_of(school.school, *a.substitute) : "";
            row.edit_link = "/wijzigingen/nieuw/afwezig?person=" + url_encode(p.id) +
                            "&from=" + format_date(a.range.from);
            out.push_back(std::move(row));
        }
    return out;
}

}  // namespace jk::daemon::web
