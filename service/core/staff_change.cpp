// Staff changes as edits of school.toml's text. Each edit parses the text with toml++, finds the
// table or array it concerns by its source region, and splices new text in: the school's
// comments and layout stay, and the loader then validates the result as it validates the files.
#include "jaarkalender/staff_change.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "jaarkalender/mail.hpp"
#include "staff_change/bounds.hpp"
#include "staff_change/setup_edits.hpp"
#include "staff_change/toml_text.hpp"
#include "text.hpp"

namespace jk {

namespace detail {

/// A person id from a name: "Sanne Dekker" → "sanne", else "sanne-dekker", else "sanne-dekker-2".
std::string new_person_id(const std::string& name,
                          const std::function<bool(const std::string&)>& taken) {
    std::string slug;
    for (size_t i = 0; i < name.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (std::isalnum(c)) {
            slug += static_cast<char>(std::tolower(c));
        } else if (c == 0xC3 && i + 1 < name.size()) {
            // é, ë, ï, ö, ü, ... (U+00C0..U+00FF): the letter without its accent.
            static const std::string kFold = "aaaaaaaceeeeiiiidnooooo/ouuuuyby";
            const unsigned char next = static_cast<unsigned char>(name[++i]);
            const char f = next >= 0xA0 ? kFold[(next - 0xA0) & 31] : kFold[(next - 0x80) & 31];
            if (std::isalpha(static_cast<unsigned char>(f))) slug += f;
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    if (slug.empty()) slug = "persoon";
    const std::string first = slug.substr(0, slug.find('-'));
    if (!taken(first)) return first;
    if (!taken(slug)) return slug;
    for (int n = 2;; ++n)
        if (!taken(slug + "-" + std::to_string(n))) return slug + "-" + std::to_string(n);
}

}  // namespace detail

namespace {

using namespace detail::toml_edit;
using detail::bounds_errors;
using detail::new_person_id;

// ---- names -------------------------------------------------------------------------------------

std::string name_of(const School& s, const std::string& id) {
    const Person* p = s.person(id);
    return p ? p->name : id;
}

std::string group_name(const School& s, const std::string& id) {
    const Group* g = s.group(id);
    return g ? g->name : id;
}

std::string person_block(const NewPerson& p) {
    std::string b = "[[person]]\nid = " + toml_string(p.id) + "\nname = " + toml_string(p.name) +
                    "\nemail = " + toml_string(p.email);
    if (!p.roles.empty()) b += "\nroles = " + toml_list(p.roles);
    b += "\nworks = " + toml_list(p.works);
    if (p.from) b += "\nfrom = " + toml_date(*p.from);
    if (p.until) b += "\nuntil = " + toml_date(*p.until);
    return b;
}

// ---- the changes -------------------------------------------------------------------------------

std::string unknown_person(const std::string& id) {
    if (id.empty()) return "kies een persoon";
    return "er is geen persoon met de id '" + id + "' op deze school";
}

void required(Edit& e, bool present, const char* field, const char* what) {
    if (!present) e.errors.push_back({field, std::string("vul ") + what + " in"});
}

void register_person(Edit& e, const TomlText& text, const std::string& id,
                     const std::string& prefix) {
    if (const toml::table* t = text.element("person", id))
        add_regions(e.regions, *t, prefix + "name",
                    {{"name", prefix + "name"},
                     {"email", prefix + "email"},
                     {"roles", prefix + "roles"},
                     {"works", prefix + "works"},
                     {"from", prefix + "from"},
                     {"until", prefix + "until"}});
}

Edit absence(TomlText& text, const StaffChange& c, const School& school) {
    Edit e;
    const Person* p = school.person(c.person);
    if (!p) e.errors.push_back({"person", unknown_person(c.person)});
    required(e, c.from.has_value(), "from", "de eerste dag van de afwezigheid");
    required(e, c.to.has_value(), "to", "de laatste dag van de afwezigheid");
    if (c.new_substitute) {
        required(e, !c.new_substitute->name.empty(), "substitute.name", "de naam van de invaller");
        required(e, !c.new_substitute->email.empty(), "substitute.email",
                 "het e-mailadres van de invaller");
        if (!c.substitute.empty())
            e.errors.push_back(
                {"substitute", "kies een invaller óf vul een nieuwe in, niet beide"});
        if (const Person* other = school.person_with_email(c.new_substitute->email))
            e.errors.push_back({"substitute.email", "dit e-mailadres heeft " + other->name +
                                                        " al; geef de invaller een eigen adres, "
                                                        "of kies " +
                                                        other->name + " als invaller"});
    }
    if (!e.errors.empty()) return e;

    std::string substitute = c.substitute;
    std::optional<Date> old_to;  // of the absence this one replaces
    std::string old_substitute;
    for (const Absence& a : p->absent)
        if (a.range.from == *c.from)
            old_to = a.range.to, old_substitute = a.substitute.value_or("");
    if (c.new_substitute) {
        NewPerson n = *c.new_substitute;
        if (n.id.empty())
            n.id = new_person_id(
                n.name, [&](const std::string& id) { return school.person(id) != nullptr; });
        if (n.works.empty())
            for (int d = 0; d < 5; ++d)
                if (p->works.contains(d)) n.works.emplace_back(weekday_code(d));
        n.from = n.from.value_or(*c.from);
        n.until = n.until.value_or(*c.to);
        text.append_block(person_block(n));
        substitute = n.id;
    } else if (!old_substitute.empty() && old_substitute == substitute && old_to) {
        // The absence is extended or ended early: an invaller engaged for exactly the old
        // absence stays exactly as long as the new one.
        if (const Person* s = school.person(substitute); s && s->until == old_to)
            if (const toml::table* st = text.element("person", substitute))
                text.set_key(*st, "until", toml_date(*c.to));
    }
    std::string item = "{ from = " + toml_date(*c.from) + ", to = " + toml_date(*c.to);
    if (!c.reason.empty()) item += ", reason = " + toml_string(c.reason);
    if (!substitute.empty()) item += ", substitute = " + toml_string(substitute);
    item += " }";
    const toml::table* pt = text.element("person", c.person);
    if (const toml::table* old = array_element(pt, "absent", "from", format_date(*c.from)))
        text.splice(text.offset(old->source().begin), text.offset(old->source().end), item);
    else
        text.append_to_array(*pt, "absent", item);

    text.finish();
    pt = text.element("person", c.person);
    if (const toml::table* a = array_element(pt, "absent", "from", format_date(*c.from)))
        add_regions(e.regions, *a, "from",
                    {{"from", "from"},
                     {"to", "to"},
                     {"reason", "reason"},
                     {"substitute", c.new_substitute ? "substitute.name" : "substitute"}});
    if (c.new_substitute) register_person(e, text, substitute, "substitute.");
    return e;
}

std::vector<std::string> teachers_of(const Group& g, Date day);
Date next_weekday(Date d);
std::vector<std::string> end_assignment(TomlText& text, const Group& g, const std::string& person,
                                        Date last);

Edit newcomer(TomlText& text, const StaffChange& c, const School& school) {
    Edit e;
    if (!c.newcomer) {
        e.errors.push_back({"name", "vul de naam in"});
        return e;
    }
    NewPerson n = *c.newcomer;
    required(e, !n.name.empty(), "name", "de naam");
    required(e, !n.email.empty(), "email", "het e-mailadres");
    required(e, !n.works.empty(), "works", "de werkdagen");
    if (const Person* p = school.person_with_email(n.email))
        e.errors.push_back({"email", "dit e-mailadres heeft " + p->name + " al"});
    if (!n.id.empty() && school.person(n.id))
        e.errors.push_back({"id", "er is al iemand met de id '" + n.id + "'"});
    for (const auto& a : n.groups) {
        if (!school.group(a.group))
            e.errors.push_back({"groups", "onbekende groep '" + a.group + "'"});
        else if (a.takes_over && !n.from)
            e.errors.push_back({"from",
                                "vul de eerste werkdag in: tot de dag ervoor houdt de "
                                "huidige leerkracht de groep"});
    }
    if (!e.errors.empty()) return e;
    if (n.id.empty())
        n.id = new_person_id(n.name,
                             [&](const std::string& id) { return school.person(id) != nullptr; });
    text.append_block(person_block(n));
    // Taking a group over: its present teachers' assignments end the day before.
    for (const auto& a : n.groups)
        if (a.takes_over && n.from)
            for (const std::string& teacher : teachers_of(*school.group(a.group), *n.from))
                end_assignment(text, *school.group(a.group), teacher,
                               *n.from - std::chrono::days{1});
    for (const auto& a : n.groups) {
        std::string item = "{ person = " + toml_string(n.id) +
                           ", days = " + toml_list(a.days.empty() ? n.works : a.days);
        if (n.from) item += ", from = " + toml_date(*n.from);
        if (n.until) item += ", until = " + toml_date(*n.until);
        item += " }";
        text.append_to_array(*text.element("group", a.group), "teachers", item);
    }
    text.finish();
    register_person(e, text, n.id, "");
    for (const auto& a : n.groups)
        if (const toml::table* t =
                array_element(text.element("group", a.group), "teachers", "person", n.id))
            add_regions(e.regions, *t, "groups", {{"days", "groups"}});
    return e;
}

/// The first weekday after `d`: a successor's first day by default.
Date next_weekday(Date d) {
    do d += std::chrono::days{1};
    while (weekday_index(d) >= 5);
    return d;
}

/// The people assigned to `g` whose assignment runs on `day` or later.
std::vector<std::string> teachers_of(const Group& g, Date day) {
    std::vector<std::string> out;
    for (const TeacherAssignment& a : g.teachers)
        if ((!a.until || *a.until >= day) && (!a.from || *a.from < day) &&
            std::find(out.begin(), out.end(), a.person) == out.end())
            out.push_back(a.person);
    return out;
}

/// The assignments of `person` to `group` (all groups when empty) that still run on `day`.
std::vector<std::string> groups_taught(const School& s, const std::string& person,
                                       std::optional<Date> day = std::nullopt) {
    std::vector<std::string> out;
    for (const Group& g : s.groups)
        for (const TeacherAssignment& a : g.teachers)
            if (a.person == person && (!day || !a.until || *a.until >= *day))
                if (std::find(out.begin(), out.end(), g.id) == out.end()) out.push_back(g.id);
    return out;
}

/// Ends `person`'s assignment to group `g` that covers `last + 1 day` (or runs past `last`) on
/// `last`; returns its days.
std::vector<std::string> end_assignment(TomlText& text, const Group& g, const std::string& person,
                                        Date last) {
    std::vector<std::string> days;
    for (const TeacherAssignment& a : g.teachers) {
        if (a.person != person || (a.until && *a.until <= last)) continue;
        for (int d = 0; d < 5; ++d)
            if (a.days.contains(d)) days.emplace_back(weekday_code(d));
        const toml::table* gt = text.element("group", g.id);
        const toml::array* teachers = gt ? gt->get_as<toml::array>("teachers") : nullptr;
        if (!teachers) break;
        // The element of this assignment: the person's entry that has no end before `last`.
        for (const toml::node& n : *teachers) {
            const toml::table* t = n.as_table();
            if (!t || t->get_as<std::string>("person") == nullptr ||
                t->get_as<std::string>("person")->get() != person)
                continue;
            if (auto until = t->get("until") ? t->get("until")->value<toml::date>() : std::nullopt;
                until && from_toml(*until) <= last)
                continue;
            text.set_key(*t, "until", toml_date(last));
            break;
        }
        break;
    }
    return days;
}

/// After finish(): the ended assignment's `until` as `field`.
void register_assignment_end(Edit& e, const TomlText& text, const std::string& group, Date last,
                             const std::string& field) {
    if (const toml::table* t =
            array_element(text.element("group", group), "teachers", "until", format_date(last)))
        e.regions.push_back({t->get("until")->source(), field});
}

Edit leave(TomlText& text, const StaffChange& c, const School& school) {
    Edit e;
    const Person* p = school.person(c.person);
    if (!p) e.errors.push_back({"person", unknown_person(c.person)});
    required(e, c.until.has_value(), "until", "de laatste werkdag");
    if (!e.errors.empty()) return e;
    const auto groups = groups_taught(school, c.person, *c.until);
    // Who takes over which group, checked before anything is written.
    std::set<std::string> seen;
    for (const auto& t : c.takeovers) {
        const std::string at = "takeovers." + t.group + ".";
        const Group* g = school.group(t.group);
        if (!g || std::find(groups.begin(), groups.end(), t.group) == groups.end()) {
            e.errors.push_back({at + "successor", name_of(school, c.person) + " geeft na " +
                                                      format_day_nl(*c.until) + " geen les aan " +
                                                      (g ? g->name : "'" + t.group + "'")});
            continue;
        }
        if (!seen.insert(t.group).second)
            e.errors.push_back({at + "successor", "noem " + g->name + " maar één keer"});
        if (!school.person(t.successor))
            e.errors.push_back({at + "successor", unknown_person(t.successor)});
        else if (t.successor == c.person)
            e.errors.push_back({at + "successor", "kies een andere leerkracht dan wie vertrekt"});
        if (t.from && *t.from <= *c.until)
            e.errors.push_back({at + "from",
                                "de eerste dag van de opvolger ligt na de laatste "
                                "werkdag (" +
                                    format_day_nl(*c.until) + ")"});
    }
    if (!e.errors.empty()) return e;
    text.set_key(*text.element("person", c.person), "until", toml_date(*c.until));
    std::map<std::string, std::vector<std::string>> days_of;
    for (const std::string& g : groups)
        days_of[g] = end_assignment(text, *school.group(g), c.person, *c.until);
    for (const auto& t : c.takeovers) {
        const Date from = t.from.value_or(next_weekday(*c.until));
        text.append_to_array(*text.element("group", t.group), "teachers",
                             "{ person = " + toml_string(t.successor) +
                                 ", days = " + toml_list(days_of[t.group]) +
                                 ", from = " + toml_date(from) + " }");
    }
    text.finish();
    if (const toml::table* t = text.element("person", c.person))
        add_regions(e.regions, *t, "person", {{"until", "until"}});
    for (const std::string& g : groups) register_assignment_end(e, text, g, *c.until, "until");
    for (const auto& t : c.takeovers)
        if (const toml::table* a =
                array_element(text.element("group", t.group), "teachers", "person", t.successor))
            add_regions(e.regions, *a, "takeovers." + t.group + ".successor",
                        {{"from", "takeovers." + t.group + ".from"}});
    return e;
}

Edit handover(TomlText& text, const StaffChange& c, const School& school) {
    Edit e;
    const Group* g = school.group(c.group);
    if (!g)
        e.errors.push_back({"group", c.group.empty() ? "kies de groep"
                                                     : "er is geen groep met de id '" + c.group +
                                                           "' op deze school"});
    if (!school.person(c.person)) e.errors.push_back({"person", unknown_person(c.person)});
    if (!school.person(c.successor)) e.errors.push_back({"successor", unknown_person(c.successor)});
    required(e, c.from.has_value(), "from", "de eerste dag van de nieuwe leerkracht");
    if (!e.errors.empty()) return e;
    if (c.person == c.successor)
        e.errors.push_back({"successor", "kies een andere leerkracht dan wie de groep overdraagt"});
    const auto taught = groups_taught(school, c.person, *c.from);
    if (std::find(taught.begin(), taught.end(), c.group) == taught.end())
        e.errors.push_back({"person", name_of(school, c.person) + " geeft op " +
                                          format_day_nl(*c.from) + " geen les aan " + g->name});
    if (!e.errors.empty()) return e;
    const Date last = *c.from - std::chrono::days{1};
    std::vector<std::string> days = end_assignment(text, *g, c.person, last);
    if (!c.days.empty()) days = c.days;
    std::string item = "{ person = " + toml_string(c.successor) + ", days = " + toml_list(days) +
                       ", from = " + toml_date(*c.from) + " }";
    text.append_to_array(*text.element("group", c.group), "teachers", item);
    text.finish();
    register_assignment_end(e, text, c.group, last, "from");
    if (const toml::table* t =
            array_element(text.element("group", c.group), "teachers", "person", c.successor))
        add_regions(e.regions, *t, "successor",
                    {{"days", c.days.empty() ? "successor" : "days"}, {"from", "from"}});
    return e;
}

Edit closure(TomlText& text, const StaffChange& c, const LoadedSchool& school) {
    Edit e;
    required(e, c.from.has_value(), "from", "de (eerste) dag");
    required(e, !c.name.empty(), "name", "een naam (zoals 'Studiedag rekenen')");
    if (c.closure_kind != "studiedag" && c.closure_kind != "vrij")
        e.errors.push_back({"closure_kind", "kies studiedag of vrije dag"});
    if (c.to && c.from && *c.to < *c.from)
        e.errors.push_back({"to", "de laatste dag ligt voor de eerste"});
    if (!e.errors.empty()) return e;
    // A day that is closed already stays what it is; a change that adds nothing is refused, so
    // that files that took a change over do not get it twice.
    const Date last = c.to.value_or(*c.from);
    bool adds = false;
    for (Date day = *c.from; day <= last && !adds; day += std::chrono::days{1})
        adds = c.closure_kind == "vrij" ? school.calendar.is_staff_day(day)
                                        : school.calendar.is_school_day(day);
    if (!adds)
        e.errors.push_back({"from", c.from == c.to || !c.to
                                        ? "op " + format_day_nl(*c.from) + " is de school al dicht"
                                        : "van " + format_day_nl(*c.from) + " t/m " +
                                              format_day_nl(last) + " is de school al dicht"});
    if (!e.errors.empty()) return e;
    std::string block = "[[closure]]\n";
    if (!c.to || *c.to == *c.from)
        block += "date = " + toml_date(*c.from);
    else
        block += "from = " + toml_date(*c.from) + "\nto = " + toml_date(*c.to);
    block += "\nkind = " + toml_string(c.closure_kind) + "\nname = " + toml_string(c.name);
    text.append_block(block);
    text.finish();
    if (const toml::array* a = text.doc()["closure"].as_array(); a && !a->empty())
        if (const toml::table* t = a->back().as_table())
            add_regions(e.regions, *t, "from",
                        {{"date", "from"},
                         {"from", "from"},
                         {"to", "to"},
                         {"kind", "closure_kind"},
                         {"name", "name"}});
    return e;
}

// ---- what any change must be -------------------------------------------------------------------

/// works: the person's `works` becomes dated at `from`: the entries before it end the day
/// before (or keep their own earlier end), those from it on give way to the new days.
Edit works_change(TomlText& text, const StaffChange& c, const School& school) {
    Edit e;
    const Person* p = school.person(c.person);
    if (!p) e.errors.push_back({"person", unknown_person(c.person)});
    required(e, !c.days.empty(), "works", "de werkdagen");
    if (!e.errors.empty()) return e;
    const std::string value = works_value(*p, c.days, c.from, school.first_day);
    text.set_key(*text.element("person", c.person), "works", value);
    text.finish();
    if (const toml::table* t = text.element("person", c.person))
        add_regions(e.regions, *t, "works", {{"works", "works"}});
    // Days in a group that are no longer worked: the loader says so at the group's days.
    for (const Group& g : school.groups)
        if (const toml::table* gt = text.element("group", g.id))
            if (const toml::array* a = gt->get_as<toml::array>("teachers"))
                for (const toml::node& n : *a)
                    if (const toml::table* at = n.as_table();
                        at && at->get_as<std::string>("person") &&
                        at->get_as<std::string>("person")->get() == c.person)
                        add_regions(e.regions, *at, "works", {});
    return e;
}

/// person_edit: the fields that are set, written over the person's own.
Edit person_edit(TomlText& text, const StaffChange& c, const School& school) {
    Edit e;
    if (!school.person(c.person)) {
        e.errors.push_back({"person", unknown_person(c.person)});
        return e;
    }
    const StaffChange::PersonEdit& x = c.edit;
    if (!x.name && !x.email && !x.roles && !x.starter)
        e.errors.push_back(
            {"", "geef aan wat er verandert (naam, e-mailadres, rollen of starter)"});
    if (x.name && x.name->empty()) e.errors.push_back({"name", "vul de naam in"});
    if (!e.errors.empty()) return e;
    const toml::table& t = *text.element("person", c.person);
    if (x.name) text.set_key(t, "name", toml_string(*x.name));
    if (x.email) text.set_key(t, "email", toml_string(*x.email));
    if (x.roles) text.set_key(t, "roles", toml_list(*x.roles));
    if (x.starter) text.set_key(t, "starter", *x.starter ? "true" : "false");
    text.finish();
    register_person(e, text, c.person, "");
    if (const toml::table* after = text.element("person", c.person))
        add_regions(e.regions, *after, "person", {{"starter", "starter"}});
    return e;
}

}  // namespace

std::string_view to_string(StaffChangeKind k) {
    constexpr std::string_view kWords[] = {"absence",      "person",      "leave",
                                           "handover",     "closure",     "works",
                                           "person_edit",  "school",      "group",
                                           "group_remove", "test_period", "test_period_remove",
                                           "rule",         "rule_remove", "formatie"};
    // One word per kind, in the order of the enum; formatie is its last.
    static_assert(std::size(kWords) == static_cast<std::size_t>(StaffChangeKind::formatie) + 1);
    return kWords[static_cast<std::size_t>(k)];
}

std::optional<StaffChangeKind> parse_staff_change_kind(std::string_view s) {
    for (int k = 0; k <= static_cast<int>(StaffChangeKind::formatie); ++k)
        if (to_string(static_cast<StaffChangeKind>(k)) == s) return static_cast<StaffChangeKind>(k);
    return std::nullopt;
}

AppliedChange apply_staff_change(const SchoolSources& input, const StaffChange& change,
                                 const OfficialHolidays& official) {
    AppliedChange out;
    out.sources = input;
    auto base = load_school(input, official);
    if (!base) {
        out.errors.push_back(
            {"", "de invoer van de school is nu niet geldig: " + base.error().items()[0].message});
        return out;
    }
    const School& school = base->school;
    if (auto bounds = bounds_errors(change, school); !bounds.empty()) {
        out.errors = std::move(bounds);
        return out;
    }
    out.summary = is_setup(change.kind) ? describe_setup(change, school, &base->rules)
                                        : describe_change(change, school);
    Edit edit;
    std::optional<TomlText> text;
    const bool rules_file = edits_rules(change.kind);
    const std::string& edited_path = rules_file ? input.rules_path : input.school_path;
    try {
        text.emplace(rules_file ? input.rules_toml : input.school_toml, edited_path);
        switch (change.kind) {
            case StaffChangeKind::absence:
                edit = absence(*text, change, school);
                break;
            case StaffChangeKind::person:
                edit = newcomer(*text, change, school);
                break;
            case StaffChangeKind::leave:
                edit = leave(*text, change, school);
                break;
            case StaffChangeKind::handover:
                edit = handover(*text, change, school);
                break;
            case StaffChangeKind::closure:
                edit = closure(*text, change, *base);
                break;
            case StaffChangeKind::works:
                edit = works_change(*text, change, school);
                break;
            case StaffChangeKind::person_edit:
                edit = person_edit(*text, change, school);
                break;
            case StaffChangeKind::school:
            case StaffChangeKind::group:
            case StaffChangeKind::group_remove:
            case StaffChangeKind::test_period:
            case StaffChangeKind::test_period_remove:
            case StaffChangeKind::rule:
            case StaffChangeKind::rule_remove:
                edit = setup_edit(*text, change, *base);
                break;
            case StaffChangeKind::formatie:
                edit = formatie_edit(*text, change, school);
                break;
        }
        text->finish();
    } catch (const toml::parse_error& e) {
        // The edits write valid TOML; this is a bug, said as plainly as it can be.
        out.errors.push_back({"", "de wijziging kon niet in school.toml worden geschreven (" +
                                      std::string(e.description()) + ")"});
        return out;
    }
    if (!edit.errors.empty()) {
        out.errors = std::move(edit.errors);
        return out;
    }
    (rules_file ? out.sources.rules_toml : out.sources.school_toml) = text->text();
    auto loaded = load_school(out.sources, official);
    if (loaded) {
        out.school = std::move(loaded).value();
        return out;
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (const Diagnostic& d : loaded.error().errors()) {
        const std::string field =
            d.file == edited_path ? field_at(edit.regions, d.line, d.column) : std::string();
        if (seen.insert({field, d.message}).second) out.errors.push_back({field, d.message});
    }
    return out;
}

std::string describe_change(const StaffChange& c, const School& s) {
    auto date = [](const std::optional<Date>& d) { return d ? format_day_nl(*d) : "?"; };
    switch (c.kind) {
        case StaffChangeKind::absence: {
            std::string t =
                name_of(s, c.person) + " afwezig van " + date(c.from) + " t/m " + date(c.to);
            if (c.new_substitute)
                t += "; nieuwe invaller " + c.new_substitute->name;
            else if (!c.substitute.empty())
                t += "; invaller " + name_of(s, c.substitute);
            else
                t += "; geen invaller";
            return t;
        }
        case StaffChangeKind::person: {
            if (!c.newcomer) return "Nieuwe collega";
            std::string t = "Nieuwe collega " + c.newcomer->name;
            if (c.newcomer->from) t += " vanaf " + date(c.newcomer->from);
            std::vector<std::string> groups;
            for (const auto& a : c.newcomer->groups) groups.push_back(group_name(s, a.group));
            if (!groups.empty()) t += " (" + join_names(groups) + ")";
            return t;
        }
        case StaffChangeKind::leave: {
            std::string t = name_of(s, c.person) + " vertrekt; laatste dag " + date(c.until);
            for (const auto& to : c.takeovers)
                t += "; " + group_name(s, to.group) + " naar " + name_of(s, to.successor) +
                     " per " +
                     date(to.from ? to.from
                                  : (c.until ? std::optional<Date>(next_weekday(*c.until))
                                             : std::nullopt));
            return t;
        }
        case StaffChangeKind::handover:
            return group_name(s, c.group) + " gaat van " + name_of(s, c.person) + " naar " +
                   name_of(s, c.successor) + " per " + date(c.from);
        case StaffChangeKind::closure: {
            std::string t = (c.closure_kind == "vrij" ? "Vrije dag '" : "Studiedag '") + c.name +
                            "' op " + date(c.from);
            if (c.to && c.from && *c.to != *c.from) t += " t/m " + date(c.to);
            return t;
        }
        case StaffChangeKind::works: {
            WeekdaySet days;
            for (const auto& d : c.days)
                if (auto wd = parse_weekday(d); wd && *wd < 5) days.insert(*wd);
            std::string t = name_of(s, c.person) + " werkt ";
            if (c.from && *c.from > s.first_day) t += "vanaf " + date(c.from) + " ";
            return t + "op " + (days.empty() ? std::string("geen dagen") : days.to_string());
        }
        case StaffChangeKind::school:
        case StaffChangeKind::group:
        case StaffChangeKind::group_remove:
        case StaffChangeKind::test_period:
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule:
        case StaffChangeKind::rule_remove:
        case StaffChangeKind::formatie:
            return describe_setup(c, s, nullptr);
        case StaffChangeKind::person_edit: {
            std::vector<std::string> what;
            if (c.edit.name) what.push_back("naam " + *c.edit.name);
            if (c.edit.email) what.push_back("e-mailadres " + *c.edit.email);
            if (c.edit.roles)
                what.push_back(c.edit.roles->empty() ? std::string("geen rollen meer")
                                                     : "rollen " + join_names(*c.edit.roles));
            if (c.edit.starter)
                what.push_back(*c.edit.starter ? "startende leerkracht"
                                               : "niet meer startende leerkracht");
            return "Gegevens van " + name_of(s, c.person) + " gewijzigd: " + join_names(what);
        }
    }
    return {};
}

ComposedInput compose_input(const SchoolSources& files,
                            const std::vector<std::pair<long long, StaffChange>>& changes,
                            const OfficialHolidays& official) {
    ComposedInput out;
    out.sources = files;
    for (const auto& [id, change] : changes) {
        AppliedChange applied = apply_staff_change(out.sources, change, official);
        if (applied.errors.empty()) {
            out.sources = std::move(applied.sources);
            continue;
        }
        std::string why;
        for (const FieldError& e : applied.errors) why += (why.empty() ? "" : "; ") + e.message;
        out.skipped.push_back({id, why});
    }
    return out;
}

namespace {

/// Per rule (of after, then those only before had), its planned and unplanned occurrences.
void rule_counts(const Plan& before, const Plan& after, const LoadedSchool& school,
                 const LoadedSchool* before_school,
                 std::vector<ChangeConsequences::RuleCount>& out) {
    std::map<std::string, size_t> at;
    auto row = [&](const Rule& r) {
        if (at.emplace(r.id, out.size()).second) out.push_back({r.id, plain_title(r.title)});
    };
    for (const Rule& r : school.rules.rules) row(r);
    if (before_school)
        for (const Rule& r : before_school->rules.rules) row(r);
    auto count = [&](const Plan& p, int ChangeConsequences::RuleCount::*planned,
                     int ChangeConsequences::RuleCount::*unplanned) {
        for (const Event& e : p.events)
            if (auto it = at.find(e.rule);
                it != at.end() && e.kind == EventKind::rule && e.status != EventStatus::cancelled)
                ++(out[it->second].*planned);
        for (const Unplanned& u : p.unplanned)
            if (auto it = at.find(u.rule); it != at.end()) ++(out[it->second].*unplanned);
    };
    using RC = ChangeConsequences::RuleCount;
    count(before, &RC::planned_before, &RC::unplanned_before);
    count(after, &RC::planned_after, &RC::unplanned_after);
}

/// Groups that have no teacher on school days from `today` on where they had one before.
void uncovered_groups(const LoadedSchool& before, const LoadedSchool& after, Date today,
                      std::vector<std::string>& out) {
    const SchoolCalendar& cal = after.calendar;
    for (const Group& g : after.school.groups) {
        const Group* was = before.school.group(g.id);
        std::vector<Date> bare;
        for (Date d = std::max(today, cal.first_day()); d <= cal.last_day();
             d += std::chrono::days{1}) {
            if (!cal.is_school_day(d)) continue;
            if (!after.school.teachers_on(g, d).empty()) continue;
            if (was && before.school.teachers_on(*was, d).empty()) continue;  // nothing new
            bare.push_back(d);
        }
        if (bare.empty()) continue;
        // To the end of the year: nobody comes after the last teacher.
        bool to_the_end = true;
        for (Date d = bare.front(); d <= cal.last_day() && to_the_end; d += std::chrono::days{1})
            to_the_end = !cal.is_school_day(d) || after.school.teachers_on(g, d).empty();
        if (to_the_end)
            out.push_back(g.name + " heeft vanaf " + format_day_nl(bare.front()) +
                          " geen leerkracht; voer een opvolger in");
        else
            out.push_back(g.name + " heeft op " + std::to_string(bare.size()) +
                          (bare.size() == 1 ? " schooldag" : " schooldagen") + " vanaf " +
                          format_day_nl(bare.front()) +
                          " geen leerkracht; regel een invaller of een opvolger");
    }
}

}  // namespace

ChangeConsequences consequences(const Plan& before, const Plan& after, const LoadedSchool& school,
                                std::int64_t now, const LoadedSchool* before_school) {
    ChangeConsequences out;
    if (before_school)
        uncovered_groups(*before_school, school, epoch_to_local(now).first, out.warnings);
    rule_counts(before, after, school, before_school, out.counts);
    for (const PlanChange& c : after.changes)
        (c.what == PlanChangeKind::cancelled  ? out.cancelled
         : c.what == PlanChangeKind::restored ? out.restored
                                              : out.moved)
            .push_back(c);
    auto same = [](const Unplanned& a, const Unplanned& b) {
        return a.rule == b.rule && a.subject == b.subject && a.occurrence == b.occurrence;
    };
    // What can no longer be planned, unless it is listed already as a cancelled event.
    auto cancelled_event = [&](const Unplanned& u) {
        return std::any_of(out.cancelled.begin(), out.cancelled.end(), [&](const PlanChange& c) {
            const Event* e = after.find(c.uid);
            return e && e->rule == u.rule && e->subject == u.subject &&
                   e->occurrence == u.occurrence;
        });
    };
    for (const Unplanned& u : after.unplanned)
        if (std::none_of(before.unplanned.begin(), before.unplanned.end(),
                         [&](const Unplanned& b) { return same(u, b); }) &&
            !cancelled_event(u))
            out.unplanned.push_back(u);
    // Tests a group can no longer sit and consultations nobody can observe, per group and test
    // period or per teacher, in one line each (the details are in the lists).
    std::map<std::string, int> tests;  // "Groep 7|Toetsperiode eind" → how many
    std::vector<std::string> consultations;
    auto newly = [&](const std::string& rule, const std::optional<std::string>& subject, int k) {
        const Unplanned probe{rule, subject, k, ""};
        return std::none_of(before.unplanned.begin(), before.unplanned.end(),
                            [&](const Unplanned& b) { return same(probe, b); });
    };
    for (const Unplanned& u : after.unplanned) {
        if (!newly(u.rule, u.subject, u.occurrence)) continue;
        if (const TestPeriod* tp = school.rules.period(u.rule)) {
            const Group* g = u.subject ? school.school.group(*u.subject) : nullptr;
            ++tests[(g ? g->name : u.subject.value_or("")) + "|" + tp->name];
        } else if (const Rule* r = school.rules.rule(u.rule);
                   r && r->category == Category::consultatie && !r->follow_up() && u.subject) {
            const Person* p = school.school.person(*u.subject);
            const std::string who = p ? p->name : *u.subject;
            if (std::find(consultations.begin(), consultations.end(), who) == consultations.end())
                consultations.push_back(who);
        }
    }
    for (const auto& [key, n] : tests)
        out.warnings.push_back(key.substr(0, key.find('|')) + " kan " + std::to_string(n) +
                               (n == 1 ? " toets" : " toetsen") + " van " +
                               key.substr(key.find('|') + 1) +
                               " niet meer maken; zie hieronder waarom");
    for (const auto& who : consultations)
        out.warnings.push_back("De klassenconsultatie bij " + who +
                               " kan niemand meer bijwonen; zie hieronder waarom");
    for (const Event& e : after.events) {
        if (e.kind == EventKind::test_period) continue;
        const Event* b = before.find(e.uid);
        if (!b) {
            out.added.push_back(e);
            continue;
        }
        const bool moved = e.date != b->date || e.start != b->start;
        if (!moved && e.status != EventStatus::cancelled && b->status != EventStatus::cancelled &&
            e.attendees != b->attendees)
            out.reassigned.push_back({e, b->attendees});
    }
    // Exactly the mails the mailer sends for this change (Mailer::plan_changed): the change
    // notices and, for who is new, a welcome.
    std::vector<DueMail> told = change_notices(before, after, school, now);
    if (before_school) {
        auto welcome = welcome_notices(*before_school, school, now);
        told.insert(told.end(), welcome.begin(), welcome.end());
    }
    for (const DueMail& m : told) {
        auto it = std::find_if(out.mails.begin(), out.mails.end(),
                               [&](const auto& x) { return x.person == m.recipient; });
        if (it == out.mails.end()) {
            const Person* p = school.school.person(m.recipient);
            out.mails.push_back({m.recipient, p ? p->name : m.recipient, {}});
            it = out.mails.end() - 1;
        }
        if (m.kind == MailKind::welcome)
            it->welcome = true;
        else
            it->uids.push_back(m.uid);
    }
    return out;
}

}  // namespace jk
