// The set-up changes (setup_edits.hpp): JSON tables written as TOML blocks of the school's files,
// so that the loader validates them with its own words and `export` writes them back.
#include "staff_change/setup_edits.hpp"

#include <boost/json.hpp>
#include <cstring>
#include <map>
#include <set>

#include "jaarkalender/formatie.hpp"
#include "text.hpp"

namespace jk::detail::toml_edit {
namespace {

namespace json = boost::json;

/// A key as TOML writes it: bare when it can be, else quoted (a key is never text that breaks
/// out of its line).
std::string toml_key(std::string_view k) {
    const bool bare = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    return bare ? std::string(k) : toml_string(k);
}

/// The TOML text of a JSON value: strings quoted, arrays, objects as inline tables. Null has
/// no TOML form: `ok` becomes false.
std::string toml_value(const json::value& v, bool& ok) {
    switch (v.kind()) {
        case json::kind::string:
            return toml_string(std::string_view(v.get_string()));
        case json::kind::int64:
            return std::to_string(v.get_int64());
        case json::kind::uint64:
            return std::to_string(v.get_uint64());
        case json::kind::double_: {
            const double d = v.get_double();
            if (d == static_cast<double>(static_cast<long long>(d)) && std::abs(d) < 1e15)
                return std::to_string(static_cast<long long>(d));
            return json::serialize(v);
        }
        case json::kind::bool_:
            return v.get_bool() ? "true" : "false";
        case json::kind::array: {
            std::string out = "[";
            const auto& a = v.get_array();
            for (size_t i = 0; i < a.size(); ++i) out += (i ? ", " : "") + toml_value(a[i], ok);
            return out + "]";
        }
        case json::kind::object: {
            std::string out = "{ ";
            bool first = true;
            for (const auto& [k, x] : v.get_object()) {
                out += (first ? "" : ", ") + toml_key(k) + " = " + toml_value(x, ok);
                first = false;
            }
            return out + (first ? "}" : " }");
        }
        case json::kind::null:
            ok = false;
            return "\"\"";
    }
    return {};
}

std::optional<json::object> table_of(const StaffChange& c, const std::string& field, Edit& e) {
    boost::system::error_code ec;
    json::value v = json::parse(c.table, ec);
    if (ec || !v.is_object()) {
        e.errors.push_back({field, "geef de " + field + " als een JSON-object"});
        return std::nullopt;
    }
    return std::move(v.get_object());
}

std::string text_of(const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

/// `[[array]]` with the object's keys; arrays of objects under `sub` as `[[array.sub]]` blocks.
std::string block_text(std::string_view array, const json::object& o, std::string_view sub,
                       const std::string& field, Edit& e) {
    std::string out = "[[" + std::string(array) + "]]\n";
    std::string subs;
    for (const auto& [k, v] : o) {
        bool ok = true;
        if (!sub.empty() && k == sub && v.is_array()) {
            for (const auto& item : v.get_array()) {
                if (!item.is_object()) {
                    e.errors.push_back({field + "." + std::string(k), "elk item is een object"});
                    continue;
                }
                subs += "\n[[" + std::string(array) + "." + std::string(sub) + "]]\n";
                for (const auto& [sk, sv] : item.get_object()) {
                    subs += toml_key(sk) + " = " + toml_value(sv, ok) + "\n";
                    if (!ok)
                        e.errors.push_back({field + "." + std::string(k) + "." + std::string(sk),
                                            "laat dit veld weg in plaats van null"});
                }
            }
            continue;
        }
        out += toml_key(k) + " = " + toml_value(v, ok) + "\n";
        if (!ok)
            e.errors.push_back(
                {field + "." + std::string(k), "laat dit veld weg in plaats van null"});
    }
    return out + subs;
}

/// Every key of the element with `id` (and of its sub-tables) as a field of the change.
void register_block(Edit& e, const TomlText& text, std::string_view array, const std::string& id,
                    const std::string& field, std::string_view sub) {
    const toml::table* t = text.element(array, id);
    if (!t) return;
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto& [k, v] : *t)
        keys.emplace_back(std::string(k.str()), field + "." + std::string(k.str()));
    add_regions(e.regions, *t, field, keys);
    if (sub.empty()) return;
    if (const toml::array* a = t->get_as<toml::array>(sub))
        for (const toml::node& n : *a)
            if (const toml::table* st = n.as_table())
                add_regions(e.regions, *st, field + "." + std::string(sub), {});
}

/// A group's teachers from `from` on: the present assignments end the day before, the new ones
/// start then (a formatie change during the year).
void teachers_from(json::object& o, const Group& present, Date from) {
    json::array teachers;
    const Date last = from - std::chrono::days{1};
    for (const TeacherAssignment& ta : present.teachers) {
        if (ta.from && *ta.from > last) continue;
        json::array days;
        for (int d = 0; d < 5; ++d)
            if (ta.days.contains(d)) days.emplace_back(weekday_code(d));
        json::object a{{"person", ta.person}, {"days", std::move(days)}};
        if (ta.from) a["from"] = format_date(*ta.from);
        a["until"] = format_date(ta.until && *ta.until < last ? *ta.until : last);
        teachers.emplace_back(std::move(a));
    }
    if (const json::value* given = o.if_contains("teachers"); given && given->is_array())
        for (const auto& t : given->get_array()) {
            if (!t.is_object()) continue;
            json::object a = t.get_object();
            const std::string own = text_of(a, "from");
            if (own.empty() || own < format_date(from)) a["from"] = format_date(from);
            teachers.emplace_back(std::move(a));
        }
    o["teachers"] = std::move(teachers);
}

Edit upsert(TomlText& text, const StaffChange& c, const LoadedSchool& school,
            std::string_view array, std::string_view sub) {
    Edit e;
    const std::string field(array);
    auto o = table_of(c, field, e);
    if (!o) return e;
    const std::string id = text_of(*o, "id");
    if (id.empty()) {
        e.errors.push_back({field + ".id", "geef een id, bijvoorbeeld 'groepsbespreking'"});
        return e;
    }
    if (c.kind == StaffChangeKind::group && c.from && *c.from > school.school.first_day)
        if (const Group* present = school.school.group(id)) teachers_from(*o, *present, *c.from);
    if (c.patch) {
        const toml::table* t = text.element(array, id);
        if (!t) {
            e.errors.push_back({field + ".id", "er is geen " + field + " met de id '" + id + "'"});
            return e;
        }
        for (const auto& [k, v] : *o) {
            if (k == "id") continue;
            bool ok = true;
            if (v.is_null())
                text.remove_key(*t, k);
            else
                text.set_key(*t, k, toml_value(v, ok));
            if (!ok) e.errors.push_back({field + "." + std::string(k), "geen geldige waarde"});
        }
        if (!e.errors.empty()) return e;
        text.finish();
        register_block(e, text, array, id, field, sub);
        return e;
    }
    const std::string block = block_text(array, *o, sub, field, e);
    if (!e.errors.empty()) return e;
    if (const toml::table* t = text.element(array, id)) {
        const auto [from, to] = block_range(text.text(), text.offset(t->source().begin), array);
        text.splice(from, to, block);
    } else {
        std::string b = block;
        while (!b.empty() && b.back() == '\n') b.pop_back();
        text.append_block(b);
    }
    text.finish();
    register_block(e, text, array, id, field, sub);
    return e;
}

Edit remove(TomlText& text, std::string_view array, const std::string& id, const std::string& field,
            const std::string& what) {
    Edit e;
    const toml::table* t = id.empty() ? nullptr : text.element(array, id);
    if (!t) {
        e.errors.push_back({field, id.empty() ? "kies " + what
                                              : "er is geen " + what + " met de id '" + id + "'"});
        return e;
    }
    const auto [from, to] = block_range(text.text(), text.offset(t->source().begin), array);
    text.splice(from, to, "");
    text.finish();
    return e;
}

/// `vacation`: [{name, from, to}], each replacing the `[[vacation]]` of that name or added (a
/// moved herfst- or voorjaarsvakantie); `from: null` takes the school's own dates away (the
/// official ones hold again).
void vacation_edits(TomlText& text, const json::value& v, Edit& e) {
    if (!v.is_array()) {
        e.errors.push_back({"school.vacation",
                            "geef een lijst, bijvoorbeeld [{\"name\": \"Voorjaarsvakantie\", "
                            "\"from\": \"2027-02-13\", \"to\": \"2027-02-21\"}]"});
        return;
    }
    for (const auto& item : v.get_array()) {
        const json::object* o = item.if_object();
        const std::string name = o ? text_of(*o, "name") : std::string();
        if (name.empty()) {
            e.errors.push_back({"school.vacation", "elke vakantie heeft een naam"});
            continue;
        }
        // The present block of that name, if any, goes.
        if (const toml::array* a = text.doc()["vacation"].as_array())
            for (const auto& n : *a)
                if (const toml::table* t = n.as_table();
                    t && t->get_as<std::string>("name") &&
                    t->get_as<std::string>("name")->get() == name) {
                    const auto [from, to] =
                        block_range(text.text(), text.offset(t->source().begin), "vacation");
                    text.splice(from, to, "");
                    text.finish();
                    break;
                }
        const auto from = o->find("from");
        if (from == o->end() || from->value().is_null()) continue;
        bool ok = true;
        std::string block = "[[vacation]]\nname = " + toml_string(name);
        for (const char* k : {"from", "to"}) {
            const auto at = o->find(k);
            if (at == o->end() || !at->value().is_string()) {
                e.errors.push_back({"school.vacation", name + ": '" + k + "' ontbreekt"});
                ok = false;
                continue;
            }
            block += "\n" + std::string(k) + " = " + toml_value(at->value(), ok);
        }
        if (!ok) continue;
        text.append_block(block);
        text.finish();
    }
}

/// [school]: each key set (or removed, for null); hours, meetings and mail in their own table.
Edit school_keys(TomlText& text, const StaffChange& c) {
    Edit e;
    auto o = table_of(c, "school", e);
    if (!o) return e;
    const toml::table* school = text.doc()["school"].as_table();
    if (!school) {
        e.errors.push_back({"school", "school.toml heeft geen tabel [school]"});
        return e;
    }
    static const std::set<std::string, std::less<>> kSubTables = {"hours", "meetings", "mail"};
    for (const auto& [k, v] : *o) {
        const std::string field = "school." + std::string(k);
        if (k == "vacation") continue;  // [[vacation]] blocks, after the keys
        if (k == "id" || k == "school_year") {
            e.errors.push_back({field, k == "id" ? "de id van de school verandert niet"
                                                 : "een ander schooljaar maak je met 'Volgend "
                                                   "schooljaar', niet door het te veranderen"});
            continue;
        }
        bool ok = true;
        if (kSubTables.count(k)) {
            if (!v.is_object()) {
                e.errors.push_back(
                    {field, "geef een object, bijvoorbeeld {\"wo\": \"08:30-12:15\"}"});
                continue;
            }
            const toml::table* st = school->get_as<toml::table>(k);
            if (st && st->is_inline()) {
                text.set_key(*school, k, toml_value(v, ok));
                continue;
            }
            if (!st) {
                std::string block = "[school." + std::string(k) + "]";
                for (const auto& [sk, sv] : v.get_object())
                    if (!sv.is_null()) block += "\n" + toml_key(sk) + " = " + toml_value(sv, ok);
                text.append_block(block);
                continue;
            }
            for (const auto& [sk, sv] : v.get_object()) {
                if (sv.is_null())
                    text.remove_key(*st, sk);
                else
                    text.set_key(*st, sk, toml_value(sv, ok));
            }
        } else if (v.is_null()) {
            text.remove_key(*school, k);
        } else {
            text.set_key(*school, k, toml_value(v, ok));
        }
        if (!ok) e.errors.push_back({field, "laat dit veld weg in plaats van null"});
    }
    if (!e.errors.empty()) return e;
    text.finish();
    if (const auto v = o->find("vacation"); v != o->end()) vacation_edits(text, v->value(), e);
    if (!e.errors.empty()) return e;
    if (const toml::table* s = text.doc()["school"].as_table()) {
        std::vector<std::pair<std::string, std::string>> keys;
        for (const auto& [k, v] : *s)
            keys.emplace_back(std::string(k.str()), "school." + std::string(k.str()));
        add_regions(e.regions, *s, "school", keys);
        for (const char* sub : {"hours", "meetings", "mail"})
            if (const toml::table* st = s->get_as<toml::table>(sub)) {
                std::vector<std::pair<std::string, std::string>> sk;
                for (const auto& [k, v] : *st)
                    sk.emplace_back(std::string(k.str()),
                                    "school." + std::string(sub) + "." + std::string(k.str()));
                add_regions(e.regions, *st, "school." + std::string(sub), sk);
            }
    }
    return e;
}

}  // namespace

std::string works_value(const Person& p, const std::vector<std::string>& days,
                        std::optional<Date> from, Date first_day) {
    const Date first = std::max(first_day, p.from.value_or(first_day));
    if (!from || *from <= first) return toml_list(days);
    const Date last = *from - std::chrono::days{1};
    std::vector<WorkPeriod> before = p.work_periods;
    if (before.empty()) before.push_back({p.works, std::nullopt, std::nullopt, {}});
    std::vector<std::string> items;
    for (const WorkPeriod& w : before) {
        if (w.from && *w.from > last) continue;  // replaced by the new days
        std::vector<std::string> had;
        for (int d = 0; d < 5; ++d)
            if (w.days.contains(d)) had.emplace_back(weekday_code(d));
        std::string item = "{ days = " + toml_list(had);
        if (w.from) item += ", from = " + toml_date(*w.from);
        item += ", until = " + toml_date(w.until && *w.until < last ? *w.until : last) + " }";
        items.push_back(std::move(item));
    }
    items.push_back("{ days = " + toml_list(days) + ", from = " + toml_date(*from) + " }");
    std::string value = "[ ";
    for (size_t i = 0; i < items.size(); ++i) value += (i ? ", " : "") + items[i];
    return value + " ]";
}

bool edits_rules(StaffChangeKind k) {
    return k == StaffChangeKind::test_period || k == StaffChangeKind::test_period_remove ||
           k == StaffChangeKind::rule || k == StaffChangeKind::rule_remove;
}

bool is_setup(StaffChangeKind k) {
    return k == StaffChangeKind::school || k == StaffChangeKind::group ||
           k == StaffChangeKind::formatie || k == StaffChangeKind::group_remove || edits_rules(k);
}

Edit setup_edit(TomlText& text, const StaffChange& c, const LoadedSchool& school) {
    switch (c.kind) {
        case StaffChangeKind::school:
            return school_keys(text, c);
        case StaffChangeKind::group:
            return upsert(text, c, school, "group", "");
        case StaffChangeKind::group_remove:
            return remove(text, "group", c.group, "group", "een groep");
        case StaffChangeKind::test_period:
            return upsert(text, c, school, "test_period", "test");
        case StaffChangeKind::test_period_remove:
            return remove(text, "test_period", c.id, "id", "een toetsperiode");
        case StaffChangeKind::rule:
            return upsert(text, c, school, "rule", "");
        case StaffChangeKind::rule_remove:
            return remove(text, "rule", c.id, "id", "een regel");
        default:
            return {};
    }
}

std::string describe_setup(const StaffChange& c, const School& school, const Rules* rules) {
    boost::system::error_code ec;
    json::value v = json::parse(c.table.empty() ? std::string("{}") : c.table, ec);
    const json::object empty;
    const json::object& o = !ec && v.is_object() ? v.get_object() : empty;
    const std::string id = text_of(o, "id");
    auto rule_title = [&](const std::string& rid) {
        if (const Rule* r = rules ? rules->any_rule(rid) : nullptr) return plain_title(r->title);
        return rid;
    };
    auto period_name = [&](const std::string& pid) {
        if (rules)
            for (const TestPeriod& p : rules->test_periods)
                if (p.id == pid) return p.name;
        return pid;
    };
    auto period_exists = [&](const std::string& pid) {
        return rules && std::any_of(rules->test_periods.begin(), rules->test_periods.end(),
                                    [&](const TestPeriod& p) { return p.id == pid; });
    };
    auto rule_exists = [&](const std::string& rid) { return rules && rules->any_rule(rid); };
    switch (c.kind) {
        case StaffChangeKind::school: {
            static const std::map<std::string, std::string, std::less<>> kWords = {
                {"name", "naam"},
                {"region", "regio"},
                {"first_day", "eerste schooldag"},
                {"last_day", "laatste schooldag"},
                {"track_from", "begin van het afvinken"},
                {"open_on", "open op feestdagen"},
                {"extra_closures", "vrije dagen uit een bestand"},
                {"hours", "lestijden"},
                {"meetings", "tijd voor overleg na school"},
                {"mail", "tijden van de e-mail"},
                {"timezone", "tijdzone"},
                {"vacation", "vakanties"}};
            std::vector<std::string> what;
            for (const auto& [k, x] : o) {
                auto it = kWords.find(std::string_view(k));
                what.push_back(it != kWords.end() ? it->second : std::string(k));
            }
            return "Schoolgegevens gewijzigd: " + join_names(what);
        }
        case StaffChangeKind::group: {
            const Group* g = school.group(id);
            std::string name = text_of(o, "name");
            if (name.empty()) name = g ? g->name : id;
            std::string t =
                (g ? "Groep '" + name + "' gewijzigd" : "Groep '" + name + "' toegevoegd");
            if (g && c.from && *c.from > school.first_day) t += " vanaf " + format_day_nl(*c.from);
            return t;
        }
        case StaffChangeKind::group_remove: {
            const Group* g = school.group(c.group);
            return "Groep '" + (g ? g->name : c.group) + "' verwijderd";
        }
        case StaffChangeKind::test_period: {
            std::string name = text_of(o, "name");
            if (name.empty()) name = period_name(id);
            return "Toetsperiode '" + name + "' " +
                   (period_exists(id) ? "gewijzigd" : "toegevoegd");
        }
        case StaffChangeKind::test_period_remove:
            return "Toetsperiode '" + period_name(c.id) + "' verwijderd";
        case StaffChangeKind::rule: {
            std::string title = plain_title(text_of(o, "title"));
            if (title.empty()) title = rule_title(id);
            if (const auto a = o.find("active");
                a != o.end() && a->value().is_bool() && c.patch && o.size() == 2)
                return "Regel '" + title + "' " + (a->value().as_bool() ? "aangezet" : "uitgezet");
            return "Regel '" + title + "' " + (rule_exists(id) ? "gewijzigd" : "toegevoegd");
        }
        case StaffChangeKind::rule_remove:
            return "Regel '" + rule_title(c.id) + "' verwijderd";
        case StaffChangeKind::formatie: {
            const auto d = formatie_diff(school, formatie_rows_from_json(c.table),
                                         c.from.value_or(school.first_day));
            std::string t = "Formatie ingelezen: " + std::to_string(d.added.size()) + " nieuw, " +
                            std::to_string(d.changed.size()) + " gewijzigd";
            if (!d.groups.empty())
                t += ", " + std::to_string(d.groups.size()) +
                     (d.groups.size() == 1 ? " nieuwe groep" : " nieuwe groepen");
            if (!d.missing.empty())
                t += c.until ? ", " + std::to_string(d.missing.size()) + " vertrekken per " +
                                   format_day_nl(*c.until)
                             : ", " + std::to_string(d.missing.size()) +
                                   " niet in het bestand (blijven)";
            return t;
        }
        default:
            return {};
    }
}

}  // namespace jk::detail::toml_edit
