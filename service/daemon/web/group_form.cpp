// The groups' form (setup_view.hpp): a group's name, grades and formatie (who teaches it on which
// days, for the whole year or from a date), a new group; and the forms that remove a group, a
// test period or a rule.
#include <boost/json.hpp>

#include <algorithm>

#include "daemon/web/setup_view.hpp"
#include "jaarkalender/formatie.hpp"
#include "text.hpp"

namespace jk::daemon::web {
namespace {

using Type = FieldView::Type;
namespace json = boost::json;
using Options = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kNew = "nieuw";
constexpr int kTeachers = 3;

std::string teacher_field(int n, const char* what = nullptr) {
    return "group.teacher." + std::to_string(n) + (what ? std::string(".") + what : "");
}

/// The teachers the group has at the end of its assignments (those without an end first).
std::vector<const TeacherAssignment*> lasting_teachers(const Group& g) {
    std::vector<const TeacherAssignment*> out;
    for (const TeacherAssignment& a : g.teachers)
        if (!a.until) out.push_back(&a);
    if (out.empty() && !g.teachers.empty()) out.push_back(&g.teachers.back());
    return out;
}

}  // namespace

std::vector<FieldView> group_fields() {
    std::vector<FieldView> f;
    f.push_back(field("group.id", "Welke groep?", Type::select, true));
    f.push_back(field("group.name", "Naam", Type::text, false,
                      "Zoals de school de groep noemt, bijvoorbeeld 'Groep 4/5'."));
    f.back().required_when = "nodig bij een nieuwe groep";
    f.push_back(
        field("group.grades", "Leerjaren", Type::text, false,
              "Met komma's, bijvoorbeeld 4, 5. Leeg: uit de naam ('Groep 4/5' is 4 en 5)."));
    for (int n = 1; n <= kTeachers; ++n) {
        f.push_back(field(teacher_field(n), "Leerkracht " + std::to_string(n), Type::select, n == 1,
                          n == 1 ? "Een duo: twee leerkrachten, elk met de eigen dagen." : ""));
        if (n == 1) f.back().section = "De formatie van de groep";
        f.push_back(field(teacher_field(n, "days"),
                          "Dagen van leerkracht " + std::to_string(n) + " in de groep",
                          Type::checkboxes, false, n == 1 ? "Leeg: alle werkdagen." : ""));
        f.back().options = kWeekdays;
    }
    f.push_back(field("from", "Vanaf", Type::date, false,
                      "Leeg: het hele schooljaar. Met een datum heeft de groep tot die dag de "
                      "leerkrachten die hij had."));
    return f;
}

void group_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out) {
    StaffChange& c = out.change;
    const std::string& chosen = form.get("group.id");
    const Group* now = school ? school->school.group(chosen) : nullptr;
    if (chosen.empty() || (!now && chosen != kNew)) {
        out.errors.push_back({"group.id", "kies een groep, of 'een nieuwe groep'"});
        return;
    }
    const std::string& name = form.get("group.name");
    if (name.empty()) out.errors.push_back({"group.name", "geef de groep een naam"});
    const std::string id = now ? now->id : slug_id(name, "groep", [&](const std::string& x) {
        return school && school->school.group(x) != nullptr;
    });
    json::array grades;
    const std::string& typed = form.get("group.grades");
    if (typed.empty()) {
        for (int g : grades_from_name(name)) grades.emplace_back(g);
        if (grades.empty() && !name.empty())
            out.errors.push_back(
                {"group.grades", "in '" + name + "' staat geen leerjaar; vul de leerjaren in"});
    }
    for (const auto& g : split_list(typed)) {
        if (const auto n = whole_number(g, 1, 8))
            grades.emplace_back(*n);
        else
            out.errors.push_back({"group.grades", "'" + g + "' is geen leerjaar van 1 t/m 8"});
    }
    json::array teachers;
    for (int n = 1; n <= kTeachers; ++n) {
        const std::string& person = form.get(teacher_field(n));
        if (person.empty()) continue;
        json::object a{{"person", person}};
        if (const auto days = form.all(teacher_field(n, "days")); !days.empty()) {
            json::array d;
            for (const auto& day : days) d.emplace_back(day);
            a["days"] = std::move(d);
        }
        teachers.push_back(std::move(a));
    }
    if (teachers.empty()) out.errors.push_back({teacher_field(1), "kies minstens één leerkracht"});
    c.table = json::serialize(
        json::object{{"id", id}, {"name", name}, {"grades", grades}, {"teachers", teachers}});
    if (const std::string& from = form.get("from"); !from.empty()) {
        c.from = parse_date(from);
        if (!c.from) out.errors.push_back({"from", "'" + from + "' is geen datum; kies een dag"});
    }
}

void group_prefill(const LoadedSchool& school, FormData& filled, std::vector<FieldView>& fields) {
    const School& s = school.school;
    FieldView& which = fields.front();
    which.options = {{"", "kies een groep"}, {kNew, "een nieuwe groep"}};
    for (const Group& g : s.groups) which.options.emplace_back(g.id, g.name);
    for (FieldView& f : fields)
        if (f.type == Type::select && f.name.rfind("group.teacher.", 0) == 0)
            f.options = people_options(s, "geen");
    const std::string& chosen = filled.get("group.id");
    const Group* g = s.group(chosen);
    if (!g && chosen != kNew) {
        std::erase_if(fields, [](const FieldView& f) { return f.name != "group.id"; });
        return;
    }
    which.options = {{chosen, g ? g->name : "een nieuwe groep"}};
    if (!g || filled.has("group.name")) return;
    filled.set("group.name", g->name);
    std::string grades;
    for (int k : g->grades) grades += (grades.empty() ? "" : ", ") + std::to_string(k);
    filled.set("group.grades", grades);
    int n = 0;
    for (const TeacherAssignment* a : lasting_teachers(*g)) {
        if (++n > kTeachers) break;
        filled.set(teacher_field(n), a->person);
        for (int d = 0; d < 5; ++d)
            if (a->days.contains(d))
                filled.set(teacher_field(n, "days"), std::string(weekday_code(d)));
    }
}

std::vector<FieldView> removal_fields(StaffChangeKind kind) {
    std::vector<FieldView> f;
    switch (kind) {
        case StaffChangeKind::group_remove:
            f.push_back(field("group", "Welke groep verdwijnt?", Type::select, true,
                              "De groep en wat er voor de groep gepland staat verdwijnen; wat al "
                              "gehouden is, blijft staan."));
            break;
        case StaffChangeKind::test_period_remove:
            f.push_back(field("id", "Welke toetsperiode verdwijnt?", Type::select, true,
                              "Met de toetsen; regels die na deze toetsperiode komen, moeten "
                              "eerst naar een andere wijzen."));
            break;
        case StaffChangeKind::rule_remove:
            f.push_back(field("id", "Welke regel verdwijnt?", Type::select, true,
                              "Liever tijdelijk niet? Zet de regel uit bij 'Een regel "
                              "aanpassen'; dan blijft hij bewaard."));
            break;
        default:
            break;
    }
    return f;
}

void removal_prefill(StaffChangeKind kind, const LoadedSchool& school,
                     std::vector<FieldView>& fields) {
    if (fields.empty()) return;
    FieldView& which = fields.front();
    if (kind == StaffChangeKind::group_remove) {
        which.options = {{"", "kies een groep"}};
        for (const Group& g : school.school.groups) which.options.emplace_back(g.id, g.name);
    } else if (kind == StaffChangeKind::test_period_remove) {
        which.options = {{"", "kies een toetsperiode"}};
        for (const TestPeriod& p : school.rules.test_periods)
            which.options.emplace_back(p.id, p.name);
    } else if (kind == StaffChangeKind::rule_remove) {
        which.options = {{"", "kies een regel"}};
        for (const auto* list : {&school.rules.rules, &school.rules.inactive})
            for (const Rule& r : *list) which.options.emplace_back(r.id, plain_title(r.title));
    }
}

}  // namespace jk::daemon::web
