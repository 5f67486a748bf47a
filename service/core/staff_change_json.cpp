// Staff changes as JSON: the API's bodies and the store's records use the same form.
#include <boost/json.hpp>

#include "jaarkalender/staff_change.hpp"

namespace jk {
namespace {

namespace json = boost::json;

json::array strings(const std::vector<std::string>& items) {
    json::array a;
    for (const auto& s : items) a.emplace_back(s);
    return a;
}

void put_date(json::object& o, const char* key, const std::optional<Date>& d) {
    if (d) o[key] = format_date(*d);
}

void put_person(json::object& o, const NewPerson& p) {
    if (!p.id.empty()) o["id"] = p.id;
    o["name"] = p.name;
    o["email"] = p.email;
    if (!p.roles.empty()) o["roles"] = strings(p.roles);
    if (!p.works.empty()) o["works"] = strings(p.works);
    put_date(o, "from", p.from);
    put_date(o, "until", p.until);
    if (!p.groups.empty()) {
        json::array groups;
        for (const auto& a : p.groups) {
            json::object g;
            g["group"] = a.group;
            if (!a.days.empty()) g["days"] = strings(a.days);
            if (a.takes_over) g["takes_over"] = true;
            groups.emplace_back(std::move(g));
        }
        o["groups"] = std::move(groups);
    }
}

/// Reads the fields of one JSON object, recording errors at their field.
class Reader {
  public:
    Reader(const json::object& o, std::vector<FieldError>& errors, std::string prefix = {})
        : o_(o), errors_(errors), prefix_(std::move(prefix)) {}

    std::string text(const char* key) {
        const json::value* v = o_.if_contains(key);
        if (!v || v->is_null()) return {};
        if (!v->is_string()) {
            fail(key, "moet tekst zijn");
            return {};
        }
        return std::string(v->get_string());
    }
    std::optional<Date> date(const char* key) {
        const std::string s = text(key);
        if (s.empty()) return std::nullopt;
        auto d = parse_date(s);
        if (!d) fail(key, "'" + s + "' is geen datum; schrijf JJJJ-MM-DD");
        return d;
    }
    std::vector<std::string> list(const char* key) {
        std::vector<std::string> out;
        const json::value* v = o_.if_contains(key);
        if (!v || v->is_null()) return out;
        if (!v->is_array()) {
            fail(key, "moet een lijst van teksten zijn");
            return out;
        }
        for (const auto& item : v->get_array()) {
            if (!item.is_string()) {
                fail(key, "moet een lijst van teksten zijn");
                return {};
            }
            out.emplace_back(item.get_string());
        }
        return out;
    }
    bool flag(const char* key) {
        const json::value* v = o_.if_contains(key);
        if (!v || v->is_null()) return false;
        if (!v->is_bool()) {
            fail(key, "moet true of false zijn");
            return false;
        }
        return v->get_bool();
    }
    void only(const std::vector<std::string>& allowed) {
        for (const auto& kv : o_)
            if (std::find(allowed.begin(), allowed.end(), std::string(kv.key())) == allowed.end())
                errors_.push_back({prefix_ + std::string(kv.key()), "onbekend veld"});
    }
    void fail(const std::string& key, const std::string& message) {
        errors_.push_back({prefix_ + key, message});
    }

  private:
    const json::object& o_;
    std::vector<FieldError>& errors_;
    std::string prefix_;
};

NewPerson read_person(Reader& r, const json::object& o, std::vector<FieldError>& errors) {
    NewPerson p;
    p.id = r.text("id");
    p.name = r.text("name");
    p.email = r.text("email");
    p.roles = r.list("roles");
    p.works = r.list("works");
    p.from = r.date("from");
    p.until = r.date("until");
    if (const json::value* g = o.if_contains("groups"); g && !g->is_null()) {
        if (!g->is_array()) {
            r.fail("groups", "moet een lijst zijn van { \"group\": ..., \"days\": [...] }");
            return p;
        }
        for (const auto& item : g->get_array()) {
            if (!item.is_object()) {
                r.fail("groups", "moet een lijst zijn van { \"group\": ..., \"days\": [...] }");
                break;
            }
            Reader gr(item.get_object(), errors, "groups.");
            gr.only({"group", "days", "takes_over"});
            p.groups.push_back({gr.text("group"), gr.list("days"), gr.flag("takes_over")});
        }
    }
    return p;
}

void allow(std::vector<std::string>& allowed, std::initializer_list<const char*> keys) {
    for (const char* key : keys) allowed.emplace_back(key);
}

/// leave: who takes over which group, and from when.
void read_takeovers(Reader& r, const json::object& o, StaffChange& c,
                    std::vector<FieldError>& errors) {
    if (const json::value* t = o.if_contains("takeovers"); t && !t->is_null()) {
        const char* shape =
            "moet een lijst zijn van { \"group\": ..., \"successor\": ..., \"from\": ... }";
        if (!t->is_array()) {
            r.fail("takeovers", shape);
            return;
        }
        for (const auto& item : t->get_array()) {
            if (!item.is_object()) {
                r.fail("takeovers", shape);
                break;
            }
            const std::string group =
                item.get_object().if_contains("group") && item.get_object().at("group").is_string()
                    ? std::string(item.get_object().at("group").get_string())
                    : std::string();
            Reader tr(item.get_object(), errors, "takeovers." + group + ".");
            tr.only({"group", "successor", "from"});
            c.takeovers.push_back({tr.text("group"), tr.text("successor"), tr.date("from")});
        }
    }
}

/// works and person_edit: one person's days or details.
void read_person_change(Reader& r, const json::object& o, StaffChange& c,
                        std::vector<std::string>& allowed) {
    switch (c.kind) {
        case StaffChangeKind::works:
            allow(allowed, {"person", "from", "works"});
            c.person = r.text("person");
            c.from = r.date("from");
            c.days = r.list("works");
            break;
        case StaffChangeKind::person_edit:
            allow(allowed, {"person", "name", "email", "roles", "starter"});
            c.person = r.text("person");
            if (o.contains("name")) c.edit.name = r.text("name");
            if (o.contains("email")) c.edit.email = r.text("email");
            if (o.contains("roles")) c.edit.roles = r.list("roles");
            if (o.contains("starter")) c.edit.starter = r.flag("starter");
            break;
        default:
            break;
    }
}

/// The set-up kinds' fields (school, group, test_period, rule and their removes, formatie).
void read_setup(Reader& r, const json::object& o, StaffChange& c,
                std::vector<std::string>& allowed) {
    switch (c.kind) {
        case StaffChangeKind::school:
        case StaffChangeKind::group:
        case StaffChangeKind::test_period:
        case StaffChangeKind::rule: {
            const std::string key(to_string(c.kind));
            allow(allowed, {key.c_str()});
            if (c.kind == StaffChangeKind::group) {
                allow(allowed, {"from"});
                c.from = r.date("from");
            }
            if (c.kind == StaffChangeKind::rule || c.kind == StaffChangeKind::test_period) {
                allow(allowed, {"patch"});
                c.patch = r.flag("patch");
            }
            const json::value* t = o.if_contains(key);
            if (!t || !t->is_object())
                r.fail(key.c_str(), "geef de " + key +
                                        " als een object, met de sleutels zoals in "
                                        "de bestanden");
            else
                c.table = json::serialize(*t);
            break;
        }
        case StaffChangeKind::group_remove:
            allow(allowed, {"group"});
            c.group = r.text("group");
            break;
        case StaffChangeKind::formatie:
            allow(allowed, {"rows", "leavers_until", "from"});
            c.from = r.date("from");
            if (const json::value* rows = o.if_contains("rows"); rows && rows->is_array())
                c.table = json::serialize(*rows);
            else
                r.fail("rows", "geef de rijen van de formatie als een lijst");
            c.until = r.date("leavers_until");
            break;
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule_remove:
            allow(allowed, {"id"});
            c.id = r.text("id");
            break;
        default:
            break;
    }
}

}  // namespace

std::string staff_change_to_json(const StaffChange& c) {
    json::object o;
    o["kind"] = std::string(to_string(c.kind));
    switch (c.kind) {
        case StaffChangeKind::absence:
            o["person"] = c.person;
            put_date(o, "from", c.from);
            put_date(o, "to", c.to);
            if (!c.reason.empty()) o["reason"] = c.reason;
            if (c.new_substitute) {
                json::object s;
                put_person(s, *c.new_substitute);
                o["substitute"] = std::move(s);
            } else if (!c.substitute.empty()) {
                o["substitute"] = c.substitute;
            }
            break;
        case StaffChangeKind::person:
            if (c.newcomer) put_person(o, *c.newcomer);
            break;
        case StaffChangeKind::leave:
            o["person"] = c.person;
            put_date(o, "until", c.until);
            if (!c.takeovers.empty()) {
                json::array list;
                for (const auto& t : c.takeovers) {
                    json::object item;
                    item["group"] = t.group;
                    item["successor"] = t.successor;
                    put_date(item, "from", t.from);
                    list.emplace_back(std::move(item));
                }
                o["takeovers"] = std::move(list);
            }
            break;
        case StaffChangeKind::handover:
            o["group"] = c.group;
            o["person"] = c.person;
            o["successor"] = c.successor;
            put_date(o, "from", c.from);
            if (!c.days.empty()) o["days"] = strings(c.days);
            break;
        case StaffChangeKind::closure:
            put_date(o, "from", c.from);
            put_date(o, "to", c.to);
            o["closure_kind"] = c.closure_kind;
            o["name"] = c.name;
            break;
        case StaffChangeKind::works:
            o["person"] = c.person;
            put_date(o, "from", c.from);
            o["works"] = strings(c.days);
            break;
        case StaffChangeKind::school:
        case StaffChangeKind::group:
        case StaffChangeKind::test_period:
        case StaffChangeKind::rule: {
            boost::system::error_code ec;
            json::value t = json::parse(c.table, ec);
            o[to_string(c.kind)] = ec ? json::value(nullptr) : std::move(t);
            if (c.kind == StaffChangeKind::group) put_date(o, "from", c.from);
            if (c.patch) o["patch"] = true;
            break;
        }
        case StaffChangeKind::group_remove:
            o["group"] = c.group;
            break;
        case StaffChangeKind::formatie: {
            boost::system::error_code ec;
            json::value rows = json::parse(c.table, ec);
            o["rows"] = ec ? json::value(json::array()) : std::move(rows);
            put_date(o, "leavers_until", c.until);
            put_date(o, "from", c.from);
            break;
        }
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule_remove:
            o["id"] = c.id;
            break;
        case StaffChangeKind::person_edit:
            o["person"] = c.person;
            if (c.edit.name) o["name"] = *c.edit.name;
            if (c.edit.email) o["email"] = *c.edit.email;
            if (c.edit.roles) o["roles"] = strings(*c.edit.roles);
            if (c.edit.starter) o["starter"] = *c.edit.starter;
            break;
    }
    if (!c.note.empty()) o["note"] = c.note;
    return json::serialize(o);
}

ParsedChange staff_change_from_json(std::string_view text,
                                    const std::vector<std::string>& extra_allowed) {
    ParsedChange out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
        out.errors.push_back({"", "de inhoud is geen geldig JSON-object"});
        return out;
    }
    const json::object& o = v.get_object();
    Reader r(o, out.errors);
    StaffChange& c = out.change;
    const std::string kind = r.text("kind");
    auto k = parse_staff_change_kind(kind);
    if (!k) {
        std::string kinds;
        for (int i = 0; i <= static_cast<int>(StaffChangeKind::formatie); ++i)
            kinds += (i ? i == static_cast<int>(StaffChangeKind::formatie) ? " of " : ", " : "") +
                     std::string(to_string(static_cast<StaffChangeKind>(i)));
        out.errors.push_back({"kind", "'kind' is " + kinds});
        return out;
    }
    c.kind = *k;
    c.note = r.text("note");
    std::vector<std::string> allowed = {"kind", "note"};
    allowed.insert(allowed.end(), extra_allowed.begin(), extra_allowed.end());
    auto allow = [&](std::initializer_list<const char*> keys) {
        for (const char* key : keys) allowed.emplace_back(key);
    };
    switch (c.kind) {
        case StaffChangeKind::absence:
            allow({"person", "from", "to", "reason", "substitute"});
            c.person = r.text("person");
            c.from = r.date("from");
            c.to = r.date("to");
            c.reason = r.text("reason");
            if (const json::value* s = o.if_contains("substitute"); s && s->is_object()) {
                Reader sr(s->get_object(), out.errors, "substitute.");
                sr.only({"id", "name", "email", "works"});
                c.new_substitute = read_person(sr, s->get_object(), out.errors);
            } else {
                c.substitute = r.text("substitute");
            }
            break;
        case StaffChangeKind::person:
            allow({"id", "name", "email", "roles", "works", "from", "until", "groups"});
            c.newcomer = read_person(r, o, out.errors);
            break;
        case StaffChangeKind::leave:
            allow({"person", "until", "takeovers"});
            c.person = r.text("person");
            c.until = r.date("until");
            read_takeovers(r, o, c, out.errors);
            break;
        case StaffChangeKind::handover:
            allow({"group", "person", "successor", "from", "days"});
            c.group = r.text("group");
            c.person = r.text("person");
            c.successor = r.text("successor");
            c.from = r.date("from");
            c.days = r.list("days");
            break;
        case StaffChangeKind::closure:
            allow({"from", "to", "closure_kind", "name"});
            c.from = r.date("from");
            c.to = r.date("to");
            c.closure_kind = r.text("closure_kind");
            c.name = r.text("name");
            break;
        case StaffChangeKind::school:
        case StaffChangeKind::group:
        case StaffChangeKind::test_period:
        case StaffChangeKind::rule:
        case StaffChangeKind::group_remove:
        case StaffChangeKind::test_period_remove:
        case StaffChangeKind::rule_remove:
        case StaffChangeKind::formatie:
            read_setup(r, o, c, allowed);
            break;
        case StaffChangeKind::works:
        case StaffChangeKind::person_edit:
            read_person_change(r, o, c, allowed);
            break;
    }
    r.only(allowed);
    return out;
}

}  // namespace jk
