// The formatie as one change of school.toml (setup_edits.hpp, formatie_edit): people, their
// groups and who leaves, from the rows of a spreadsheet (jaarkalender/formatie.hpp).
#include <map>
#include <set>

#include "jaarkalender/formatie.hpp"
#include "staff_change/setup_edits.hpp"
#include "text.hpp"

namespace jk::detail::toml_edit {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// A group id from its name: "Groep 4/5" → "groep-4-5".
std::string group_id(const std::string& name, const School& school, std::set<std::string>& taken) {
    std::string id = slug_id(lower(name), "groep", [&](const std::string& x) {
        return school.group(x) != nullptr || taken.count(x) > 0;
    });
    taken.insert(id);
    return id;
}

/// One import being written: the file's rows, the day they hold from, and what is known so far.
struct Import {
    TomlText& text;
    const StaffChange& c;
    const School& school;
    const std::vector<FormatieRow>& rows;
    Date on;     // the day the file holds from: before it, the school stays as it was
    bool dated;  // `on` lies after the first day: changes run from it
    std::map<std::string, std::string> id_of;  // e-mail → person id
    std::set<const Person*> present;           // people of the school in the file
    std::set<std::string> in_file;             // groups of the school in the file
    Edit e;
};

/// People: matched, or new with an id of their own.
void write_people(Import& x) {
    TomlText& text = x.text;
    const StaffChange& c = x.c;
    const School& school = x.school;
    const std::vector<FormatieRow>& rows = x.rows;
    const Date on = x.on;
    auto& id_of = x.id_of;
    auto& present = x.present;
    std::set<std::string> new_ids;
    for (const FormatieRow& r : rows) {
        if (id_of.count(r.email)) continue;
        if (const Person* p = formatie_person(school, r)) {
            id_of[r.email] = p->id;
            present.insert(p);
            const toml::table& t = *text.element("person", p->id);
            if (p->name != r.name) text.set_key(t, "name", toml_string(r.name));
            if (lower(p->email) != r.email) text.set_key(t, "email", toml_string(r.email));
            std::vector<std::string> a = p->roles, b = r.roles;
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
            if (a != b) text.set_key(t, "roles", toml_list(r.roles));
            // Working days as the file says from `on`; the same: untouched (dated ones too).
            if (days_of(r.works) != p->works_on(std::max(on, p->from.value_or(on))))
                text.set_key(t, "works", works_value(*p, r.works, c.from, school.first_day));
            continue;
        }
        const std::string id = new_person_id(r.name, [&](const std::string& x) {
            return school.person(x) != nullptr || new_ids.count(x) > 0;
        });
        new_ids.insert(id);
        id_of[r.email] = id;
        std::string block = "[[person]]\nid = " + toml_string(id) +
                            "\nname = " + toml_string(r.name) + "\nemail = " + toml_string(r.email);
        if (!r.roles.empty()) block += "\nroles = " + toml_list(r.roles);
        block += "\nworks = " + toml_list(r.works);
        text.append_block(block);
    }
}

/// Groups: each group of the file gets the file's teachers, in the order of the rows.
void write_groups(Import& x) {
    TomlText& text = x.text;
    const School& school = x.school;
    const std::vector<FormatieRow>& rows = x.rows;
    const Date on = x.on;
    const bool dated = x.dated;
    auto& id_of = x.id_of;
    auto& in_file = x.in_file;
    Edit& e = x.e;
    std::vector<std::string> order;
    std::map<std::string, std::vector<const FormatieRow*>> by_group;  // lower-case name
    for (const FormatieRow& r : rows) {
        if (r.group.empty()) continue;
        const std::string key = lower(r.group);
        if (!by_group.count(key)) order.push_back(key);
        by_group[key].push_back(&r);
    }
    std::set<std::string> new_groups;
    for (const std::string& key : order) {
        const auto& list = by_group[key];
        auto days_in_group = [](const FormatieRow* r) {
            return r->group_days.empty() ? r->works : r->group_days;
        };
        const Group* g = nullptr;
        for (const Group& x : school.groups)
            if (lower(x.name) == key || x.id == key) g = &x;
        std::vector<std::string> items;
        if (g) {
            in_file.insert(g->id);
            // Who teaches it on which days from `on`: the same as the file says, untouched
            // (its dated assignments included).
            std::set<std::pair<std::string, std::uint8_t>> now, file;
            for (const TeacherAssignment& ta : g->teachers)
                if (!ta.until || *ta.until >= on) now.insert({ta.person, ta.days.bits()});
            for (const FormatieRow* r : list)
                file.insert({id_of[r->email], days_of(days_in_group(r)).bits()});
            if (now == file) continue;
            // During the year: what ran before `on` stays, ending the day before.
            if (dated)
                for (const TeacherAssignment& ta : g->teachers) {
                    if (ta.from && *ta.from >= on) continue;
                    std::vector<std::string> had;
                    for (int d = 0; d < 5; ++d)
                        if (ta.days.contains(d)) had.emplace_back(weekday_code(d));
                    const Date last = on - std::chrono::days{1};
                    std::string item =
                        "{ person = " + toml_string(ta.person) + ", days = " + toml_list(had);
                    if (ta.from) item += ", from = " + toml_date(*ta.from);
                    item +=
                        ", until = " + toml_date(ta.until && *ta.until < last ? *ta.until : last) +
                        " }";
                    items.push_back(std::move(item));
                }
        }
        for (const FormatieRow* r : list)
            items.push_back("{ person = " + toml_string(id_of[r->email]) +
                            ", days = " + toml_list(days_in_group(r)) +
                            (dated && g ? ", from = " + toml_date(on) : std::string()) + " }");
        std::string teachers = "[ ";
        for (size_t i = 0; i < items.size(); ++i) teachers += (i ? ", " : "") + items[i];
        teachers += " ]";
        if (g) {
            text.set_key(*text.element("group", g->id), "teachers", teachers);
            continue;
        }
        const std::vector<int> grades = grades_from_name(list.front()->group);
        if (grades.empty()) {
            e.errors.push_back({"formatie", "rij " + std::to_string(list.front()->row) +
                                                ", Groep: '" + list.front()->group +
                                                "' is geen groep van de school en uit de naam "
                                                "volgt geen jaargroep; noem hem bijvoorbeeld "
                                                "'Groep 4/5', of voeg de groep eerst toe"});
            continue;
        }
        std::string g_list = "[";
        for (size_t i = 0; i < grades.size(); ++i)
            g_list += (i ? ", " : "") + std::to_string(grades[i]);
        g_list += "]";
        text.append_block(
            "[[group]]\nid = " + toml_string(group_id(list.front()->group, school, new_groups)) +
            "\nname = " + toml_string(list.front()->group) + "\ngrades = " + g_list +
            "\nteachers = " + teachers);
    }
}

/// Who is not in the file leaves on `until` (a bestuurder is no staff of the school).
void write_leavers(Import& x) {
    TomlText& text = x.text;
    const StaffChange& c = x.c;
    const School& school = x.school;
    auto& present = x.present;
    auto& in_file = x.in_file;
    if (c.until)
        for (const Person& p : school.persons) {
            if (present.count(&p) || p.has_role("bestuurder")) continue;
            if (!p.until || *p.until > *c.until)
                text.set_key(*text.element("person", p.id), "until", toml_date(*c.until));
            for (const Group& g : school.groups) {
                if (in_file.count(g.id)) continue;  // its teachers are the file's now
                const toml::table* gt = text.element("group", g.id);
                const toml::array* a = gt ? gt->get_as<toml::array>("teachers") : nullptr;
                if (!a) continue;
                for (const toml::node& n : *a) {
                    const toml::table* t = n.as_table();
                    if (!t || !t->get_as<std::string>("person") ||
                        t->get_as<std::string>("person")->get() != p.id)
                        continue;
                    const auto until = t->get_as<toml::date>("until");
                    if (!until || from_toml(until->get()) > *c.until)
                        text.set_key(*t, "until", toml_date(*c.until));
                }
            }
        }
}

}  // namespace

Edit formatie_edit(TomlText& text, const StaffChange& c, const School& school) {
    const std::vector<FormatieRow> rows = formatie_rows_from_json(c.table);
    if (rows.empty()) return Edit{{{"formatie", "het bestand heeft geen rijen met mensen"}}, {}};
    const Date on = std::max(c.from.value_or(school.first_day), school.first_day);
    Import x{text, c, school, rows, on, on > school.first_day, {}, {}, {}, {}};
    write_people(x);
    write_groups(x);
    write_leavers(x);
    if (!x.e.errors.empty()) return x.e;
    text.finish();
    return x.e;
}

}  // namespace jk::detail::toml_edit
