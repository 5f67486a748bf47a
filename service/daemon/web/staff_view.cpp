#include "daemon/web/staff_view.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "daemon/input/inputs.hpp"
#include "daemon/web/setup_view.hpp"
#include "jaarkalender/mail.hpp"
#include "planner/explain.hpp"
#include "text.hpp"

namespace jk::daemon::web {

const std::vector<std::pair<std::string, std::string>> kWeekdays = {{"ma", "maandag"},
                                                                    {"di", "dinsdag"},
                                                                    {"wo", "woensdag"},
                                                                    {"do", "donderdag"},
                                                                    {"vr", "vrijdag"}};

FieldView field(std::string name, std::string label, FieldView::Type type, bool required,
                std::string hint) {
    FieldView f;
    f.name = std::move(name);
    f.label = std::move(label);
    f.type = type;
    f.required = required;
    f.hint = std::move(hint);
    return f;
}

std::string name_of(const School& s, const std::string& id) {
    const Person* p = s.person(id);
    return p ? p->name : id;
}

std::string range_nl(Date from, Date to) {
    return from == to ? format_day_nl(from) : format_day_nl(from) + " t/m " + format_day_nl(to);
}

std::optional<long> whole_number(const std::string& text, long lo, long hi) {
    char* end = nullptr;
    const long n = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || !end || *end != '\0' || n < lo || n > hi) return std::nullopt;
    return n;
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

std::vector<std::pair<std::string, std::string>> people_options(const School& s,
                                                                const char* none_label) {
    std::vector<std::pair<std::string, std::string>> out;
    out.emplace_back("", none_label);
    std::vector<const Person*> sorted;
    for (const Person& p : s.persons) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Person* a, const Person* b) { return a->name < b->name; });
    for (const Person* p : sorted) out.emplace_back(p->id, p->name);
    return out;
}

namespace {

using Type = FieldView::Type;

std::vector<std::pair<std::string, std::string>> groups(const School& s, bool none) {
    std::vector<std::pair<std::string, std::string>> out;
    if (none) out.emplace_back("", "geen groep");
    for (const Group& g : s.groups) out.emplace_back(g.id, g.name);
    return out;
}

const char* kNoteHint =
    "Voor de geschiedenis van wijzigingen; alleen de IB'er en de schoolleider "
    "zien dit.";

/// Roles are chosen, in words: the IB'er and the schoolleider, and every role the school has
/// (not bestuurder: that role comes from the installation, never from a form); a new one typed.
std::vector<FieldView> role_fields(const School& s) {
    std::vector<FieldView> f;
    f.push_back(field("roles", "Rollen", Type::checkboxes, false,
                      "Geen rol aangevinkt: een leerkracht of medewerker zonder taak erbij. "
                      "Alleen de schoolleider maakt iemand intern begeleider of schoolleider."));
    f.back().options = {{"ib", "intern begeleider (IB'er)"}, {"schoolleider", "schoolleider"}};
    std::set<std::string> own;
    for (const Person& p : s.persons)
        for (const auto& r : p.roles)
            if (r != "ib" && r != "schoolleider" && r != "bestuurder") own.insert(r);
    for (const auto& r : own) f.back().options.emplace_back(r, planner::role_label(r));
    f.push_back(field("roles.other", "Een andere rol", Type::text, false,
                      "Een rol die de school nog niet heeft, bijvoorbeeld 'gedragsspecialist'."));
    return f;
}

/// The roles a form chose: the boxes and what was typed.
std::vector<std::string> roles_of(const FormData& form) {
    // (A value with commas, from a script rather than a box, is several roles.)
    std::vector<std::string> roles;
    std::vector<std::string> given = form.all("roles");
    given.push_back(form.get("roles.other"));
    for (const auto& value : given)
        for (auto& r : split_list(value))
            if (std::find(roles.begin(), roles.end(), r) == roles.end()) roles.push_back(r);
    return roles;
}

/// The fields of the kinds about one person: working days from a date, their details.
std::vector<FieldView> person_fields(StaffChangeKind kind, const School& s) {
    std::vector<FieldView> f;
    if (kind == StaffChangeKind::works) {
        f.push_back(field("person", "Wie?", Type::select, true));
        f.back().options = people_options(s, "kies een persoon");
        f.push_back(field("from", "Vanaf", Type::date, false,
                          "Leeg: het hele schooljaar. Tot die dag blijven de oude werkdagen "
                          "gelden."));
        f.push_back(field("works", "Werkdagen", Type::checkboxes, true,
                          "Geeft iemand les op een dag die wegvalt, pas dan ook de dagen in "
                          "de groep aan ('Een groep gaat over')."));
        f.back().options = kWeekdays;
        return f;
    }
    f.push_back(field("person", "Wie?", Type::select, true));
    f.back().options = people_options(s, "kies een persoon");
    f.push_back(field("name", "Naam", Type::text, true));
    f.push_back(field("email", "E-mailadres", Type::email, true));
    for (auto& r : role_fields(s)) f.push_back(std::move(r));
    f.push_back(field("starter", "Startende leerkracht", Type::radios, false,
                      "Een startende leerkracht krijgt wat de regels voor starters vragen."));
    f.back().options = {{"ja", "ja"}, {"nee", "nee"}};
    return f;
}

std::vector<FieldView> fields_of(StaffChangeKind kind, const School& s) {
    std::vector<FieldView> f;
    switch (kind) {
        case StaffChangeKind::absence: {
            f.push_back(field("person", "Wie is er afwezig?", Type::select, true));
            f.back().options = people_options(s, "kies een persoon");
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
            f.back().options = people_options(s, "geen invaller");
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
            for (auto& r : role_fields(s)) f.push_back(std::move(r));
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
            f.back().options = people_options(s, "kies een persoon");
            f.push_back(field("until", "Laatste werkdag", Type::date, true,
                              "Na deze dag staat deze persoon nergens meer bij; wat al gehouden "
                              "is, blijft staan."));
            break;
        case StaffChangeKind::handover:
            f.push_back(field("group", "Groep", Type::select, true));
            f.back().options = groups(s, false);
            f.back().options.insert(f.back().options.begin(), {"", "kies een groep"});
            f.push_back(field("person", "Wie draagt de groep over?", Type::select, true));
            f.back().options = people_options(s, "kies een persoon");
            f.push_back(field("successor", "Wie neemt de groep over?", Type::select, true));
            f.back().options = people_options(s, "kies een persoon");
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
        case StaffChangeKind::person_edit:
            f = person_fields(kind, s);
            break;
        case StaffChangeKind::rule:
        case StaffChangeKind::test_period:
        case StaffChangeKind::school:
        case StaffChangeKind::group:
        case StaffChangeKind::group_remove:
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule_remove:
            f = setup_fields(kind);
            break;
        case StaffChangeKind::formatie:
            break;  // its own page: /wijzigingen/formatie
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
        out.back().options = people_options(s, "nog niet bekend");
        std::erase_if(out.back().options, [&](const auto& o) { return o.first == leaver; });
        out.push_back(field(at + "from", "Eerste dag van de opvolger in " + g.name, Type::date,
                            false, "Leeg: de weekdag na de laatste werkdag."));
    }
    return out;
}

}  // namespace

namespace {

/// person_edit: what differs from the person as they are now changes.
void person_edit_from_form(const FormData& form, const School* school, ParsedChange& out) {
    StaffChange& c = out.change;
    c.person = form.get("person");
    const Person* now = school ? school->person(c.person) : nullptr;
    if (!now) {
        out.errors.push_back({"person", "kies een persoon"});
        return;
    }
    if (const std::string& n = form.get("name"); !n.empty() && n != now->name) c.edit.name = n;
    if (const std::string& e = form.get("email"); !e.empty() && e != now->email) c.edit.email = e;
    // A role the form does not offer (bestuurder) stays as it is.
    std::vector<std::string> roles = roles_of(form);
    if (now->has_role("bestuurder") &&
        std::find(roles.begin(), roles.end(), "bestuurder") == roles.end())
        roles.push_back("bestuurder");
    auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    if (sorted(roles) != sorted(now->roles)) c.edit.roles = roles;
    if (const std::string& st = form.get("starter"); !st.empty() && (st == "ja") != now->starter)
        c.edit.starter = st == "ja";
    if (!c.edit.name && !c.edit.email && !c.edit.roles && !c.edit.starter)
        out.errors.push_back({"", "er is niets veranderd"});
}

}  // namespace

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
        {StaffChangeKind::group, "groep", "Een groep toevoegen of wijzigen",
         "De naam en de leerjaren van een groep, en wie de groep op welke dagen heeft: voor het "
         "hele jaar of vanaf een datum."},
        {StaffChangeKind::group_remove, "groep-weg", "Een groep verdwijnt",
         "Een groep die er niet meer is, met wat er voor de groep gepland stond."},
        {StaffChangeKind::test_period, "toetsperiode", "Een toetsperiode",
         "Een toetsperiode verplaatsen, de toetsen erin, hoeveel toetsen per dag, alleen 's "
         "ochtends of niet; of een nieuwe, ook als kopie van een andere."},
        {StaffChangeKind::test_period_remove, "toetsperiode-weg", "Een toetsperiode verdwijnt",
         "Een toetsperiode die er niet meer is, met de toetsen erin."},
        {StaffChangeKind::rule, "regel", "Een regel",
         "Wat er moet gebeuren, voor wie, wie erbij is, hoe lang, wanneer en hoe vaak, de "
         "herinneringen en het afvinken; een nieuwe regel, of een regel uitzetten. Met wat dat "
         "voor het hele jaar betekent."},
        {StaffChangeKind::rule_remove, "regel-weg", "Een regel verdwijnt",
         "Een regel die de school niet meer heeft."},
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
    setup_prefill(kind.kind, school, values, filled, v.fields);
    if (kind.kind == StaffChangeKind::person_edit) {
        // Chosen: what the person is now, where the form says nothing yet; else only the choice.
        if (const Person* p = school.school.person(values.get("person")); !p) {
            std::erase_if(v.fields, [](const FieldView& f) { return f.name != "person"; });
        } else if (!values.has("name")) {
            filled.set("name", p->name);
            filled.set("email", p->email);
            for (const auto& r : p->roles) filled.set("roles", r);
            filled.set("starter", p->starter ? "ja" : "nee");
        }
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
            p.roles = roles_of(form);
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
        case StaffChangeKind::person_edit:
            person_edit_from_form(form, school ? &school->school : nullptr, out);
            break;
        case StaffChangeKind::rule:
        case StaffChangeKind::test_period:
        case StaffChangeKind::school:
        case StaffChangeKind::group:
        case StaffChangeKind::group_remove:
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule_remove:
            setup_from_form(form, school, out);
            break;
        case StaffChangeKind::formatie:
            break;  // its own page: /wijzigingen/formatie
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
