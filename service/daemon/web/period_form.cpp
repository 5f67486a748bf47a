// The toetskalender's form (setup_view.hpp): a test period's dates, tests per day, mornings only
// and its tests (name, grades, minutes); a new period, also as a copy of another. Moving a period
// sends only what changed; a period whose tests change, or a new one, is sent whole.
#include <boost/json.hpp>

#include <algorithm>

#include "daemon/web/setup_view.hpp"
#include "text.hpp"

namespace jk::daemon::web {
namespace {

using Type = FieldView::Type;
namespace json = boost::json;

constexpr const char* kNew = "nieuw";
constexpr int kMaxTests = 30;

std::string test_field(int n, const char* what) {
    return "test_period.test." + std::to_string(n) + "." + what;
}

std::string grades_text(const std::vector<int>& grades) {
    std::string s;
    for (int g : grades) s += (s.empty() ? "" : ", ") + std::to_string(g);
    return s;
}

/// The tests as the API writes them: [{name, grades, minutes}].
json::array tests_json(const std::vector<Test>& tests) {
    json::array a;
    for (const Test& t : tests) {
        json::array grades;
        for (int g : t.grades) grades.emplace_back(g);
        a.push_back(json::object{{"name", t.name}, {"grades", grades}, {"minutes", t.minutes}});
    }
    return a;
}

/// The number of test rows a form sent (the highest row with something in it).
int rows_sent(const FormData& form) {
    int n = 0;
    for (int k = 1; k <= kMaxTests; ++k)
        if (!form.get(test_field(k, "name")).empty() || !form.get(test_field(k, "grades")).empty())
            n = k;
    return n;
}

/// The tests the form lists; a row without a name is left out.
json::array tests_from_form(const FormData& form, ParsedChange& out) {
    json::array tests;
    for (int k = 1; k <= kMaxTests; ++k) {
        const std::string& name = form.get(test_field(k, "name"));
        const std::string& grades = form.get(test_field(k, "grades"));
        const std::string& minutes = form.get(test_field(k, "minutes"));
        if (name.empty()) {
            if (!grades.empty())
                out.errors.push_back({test_field(k, "name"), "geef de toets een naam"});
            continue;
        }
        json::array gs;
        for (const auto& g : split_list(grades)) {
            if (auto n = whole_number(g, 1, 8))
                gs.emplace_back(*n);
            else
                out.errors.push_back(
                    {test_field(k, "grades"), "'" + g + "' is geen groep van 1 t/m 8"});
        }
        if (gs.empty() && grades.empty())
            out.errors.push_back(
                {test_field(k, "grades"), "noem de groepen, bijvoorbeeld 3, 4, 5"});
        const auto m = whole_number(minutes, 5, 480);
        if (!m)
            out.errors.push_back(
                {test_field(k, "minutes"), "vul de duur in minuten in, bijvoorbeeld 60"});
        tests.push_back(json::object{{"name", name}, {"grades", gs}, {"minutes", m.value_or(60)}});
    }
    return tests;
}

void fill_from(const TestPeriod& p, FormData& filled, bool with_dates) {
    filled.set("test_period.name", p.name);
    if (with_dates) {
        filled.set("test_period.from", format_date(p.range.from));
        filled.set("test_period.to", format_date(p.range.to));
    }
    filled.set("test_period.max_tests_per_day", std::to_string(p.max_tests_per_day));
    filled.set("test_period.morning_only", p.morning_only ? "ja" : "nee");
    for (size_t k = 0; k < p.tests.size() && k < kMaxTests; ++k) {
        const int n = static_cast<int>(k) + 1;
        filled.set(test_field(n, "name"), p.tests[k].name);
        filled.set(test_field(n, "grades"), grades_text(p.tests[k].grades));
        filled.set(test_field(n, "minutes"), std::to_string(p.tests[k].minutes));
    }
}

}  // namespace

std::vector<FieldView> period_fields() {
    std::vector<FieldView> f;
    f.push_back(field("test_period.id", "Welke toetsperiode?", Type::select, true));
    f.push_back(field("test_period.copy_of", "Als kopie van", Type::select, false,
                      "Een nieuwe toetsperiode met dezelfde toetsen als deze; de data kies je "
                      "zelf."));
    f.back().required_when = "alleen bij een nieuwe toetsperiode";
    f.push_back(field("test_period.name", "Naam", Type::text, false,
                      "Zoals collega's hem zien, bijvoorbeeld 'Toetsperiode midden'."));
    f.back().required_when = "nodig bij een nieuwe toetsperiode";
    f.push_back(field("test_period.from", "Eerste dag", Type::date));
    f.push_back(field("test_period.to", "Laatste dag", Type::date));
    f.push_back(field("test_period.max_tests_per_day", "Toetsen per groep per dag", Type::text));
    f.push_back(field("test_period.morning_only", "Alleen 's ochtends", Type::radios, false,
                      "De toetsen beginnen in de eerste helft van de lesdag."));
    f.back().options = {{"ja", "ja"}, {"nee", "nee, ook 's middags"}};
    return f;
}

void period_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out) {
    StaffChange& c = out.change;
    const std::string& chosen = form.get("test_period.id");
    const TestPeriod* now = school ? school->rules.period(chosen) : nullptr;
    if (chosen.empty() || (!now && chosen != kNew)) {
        out.errors.push_back({"test_period.id", "kies een toetsperiode, of 'een nieuwe'"});
        return;
    }
    std::string id = chosen;
    if (!now)
        id = slug_id(form.get("test_period.name"), "toetsperiode", [&](const std::string& x) {
            return school && (school->rules.period(x) || school->rules.any_rule(x));
        });
    json::object t{{"id", id}};
    if (const std::string& n = form.get("test_period.name");
        !now || (!n.empty() && n != now->name)) {
        if (n.empty()) out.errors.push_back({"test_period.name", "geef de toetsperiode een naam"});
        t["name"] = n;
    }
    for (const char* key : {"from", "to"}) {
        const std::string name = std::string("test_period.") + key;
        const std::string& v = form.get(name);
        if (!v.empty() && !parse_date(v))
            out.errors.push_back({name, "'" + v + "' is geen datum; kies een dag"});
        else if (v.empty() && !now)
            out.errors.push_back({name, "kies een dag"});
        if (!v.empty()) t[key] = v;
    }
    if (const std::string& n = form.get("test_period.max_tests_per_day"); !n.empty()) {
        if (auto k = whole_number(n, 1, 10))
            t["max_tests_per_day"] = *k;
        else
            out.errors.push_back(
                {"test_period.max_tests_per_day", "kies een getal van 1 tot en met 10"});
    }
    if (const std::string& m = form.get("test_period.morning_only"); !m.empty())
        t["morning_only"] = m == "ja";
    // The tests: a period whose tests change is written whole, with them.
    const json::array tests = tests_from_form(form, out);
    const bool whole_period = !now || tests != tests_json(now->tests);
    if (whole_period) {
        if (tests.empty()) out.errors.push_back({test_field(1, "name"), "noem minstens één toets"});
        if (now) {
            if (!t.contains("name")) t["name"] = now->name;
            if (!t.contains("from")) t["from"] = format_date(now->range.from);
            if (!t.contains("to")) t["to"] = format_date(now->range.to);
        }
        t["test"] = tests;
    }
    c.table = json::serialize(t);
    c.patch = !whole_period;
}

void period_prefill(const LoadedSchool& school, FormData& filled, std::vector<FieldView>& fields) {
    const Rules& rules = school.rules;
    FieldView& which = fields.front();
    which.options = {{"", "kies een toetsperiode"}, {kNew, "een nieuwe toetsperiode"}};
    for (const TestPeriod& p : rules.test_periods)
        which.options.emplace_back(p.id, p.name + " (" + format_day_nl(p.range.from) + " t/m " +
                                             format_day_nl(p.range.to) + ")");
    FieldView& copy = fields[1];
    copy.options = {{"", "geen: de toetsen zelf invullen"}};
    for (const TestPeriod& p : rules.test_periods) copy.options.emplace_back(p.id, p.name);

    const std::string& chosen = filled.get("test_period.id");
    const TestPeriod* p = rules.period(chosen);
    if (!p && chosen != kNew) {
        // Nothing chosen yet: the choice, and for a new period what it copies.
        std::erase_if(fields, [](const FieldView& f) {
            return f.name != "test_period.id" && f.name != "test_period.copy_of";
        });
        return;
    }
    which.options = {{chosen, p ? p->name : "een nieuwe toetsperiode"}};
    const TestPeriod* source = p ? p : rules.period(filled.get("test_period.copy_of"));
    if (p)
        std::erase_if(fields, [](const FieldView& f) { return f.name == "test_period.copy_of"; });
    if (!filled.has("test_period.morning_only") && source) {
        // First opened: what the period is now (a copy: its tests, not its dates), where the
        // form says nothing yet.
        FormData now;
        fill_from(*source, now, p != nullptr);
        if (!p) now.set("test_period.name", source->name + " (kopie)");
        const FormData typed = filled;
        for (const auto& [name, value] : now.pairs())
            if (!typed.has(name)) filled.set(name, value);
    }
    if (!filled.has("test_period.morning_only") && !source) {
        filled.set("test_period.max_tests_per_day", "1");
        filled.set("test_period.morning_only", "ja");
    }
    const int rows = std::min(
        kMaxTests,
        std::max(rows_sent(filled), source ? static_cast<int>(source->tests.size()) : 0) + 2);
    auto note = std::find_if(fields.begin(), fields.end(),
                             [](const FieldView& f) { return f.name == "note"; });
    std::vector<FieldView> tests;
    for (int n = 1; n <= rows; ++n) {
        const std::string nth = std::to_string(n);
        tests.push_back(field(test_field(n, "name"), "Toets " + nth + ": naam", Type::text, false,
                              n == 1 ? "Een rij leeg laten: die toets is er niet (meer)." : ""));
        if (n == 1) tests.back().section = "De toetsen";
        tests.push_back(field(test_field(n, "grades"), "Toets " + nth + ": voor groep", Type::text,
                              false, n == 1 ? "Met komma's, bijvoorbeeld 3, 4, 5." : ""));
        tests.push_back(field(test_field(n, "minutes"), "Toets " + nth + ": minuten", Type::text));
    }
    fields.insert(note, tests.begin(), tests.end());
}

}  // namespace jk::daemon::web
