// The bounds of a change (bounds.hpp).
#include "staff_change/bounds.hpp"

#include <set>

#include "jaarkalender/formatie.hpp"

namespace jk::detail {

std::optional<std::string> text_problem(std::string_view s, bool lines, size_t max_chars) {
    size_t chars = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) != 0x80) ++chars;
        if (c == 0x7f || (c < 0x20 && !(lines && (c == '\n' || c == '\r' || c == '\t'))))
            return lines ? "gebruik gewone tekst, zonder stuurtekens"
                         : "gebruik één regel gewone tekst, zonder tabs, regeleinden of "
                           "stuurtekens";
    }
    if (chars > max_chars)
        return "hoogstens " + std::to_string(max_chars) + " tekens (nu " + std::to_string(chars) +
               ")";
    return std::nullopt;
}

namespace {

/// The rows of a formatie as stored or sent back by a page: the same bounds as the file's cells.
void formatie_bounds(const StaffChange& c, std::vector<FieldError>& out) {
    const auto rows = formatie_rows_from_json(c.table);
    if (rows.size() > 2000) out.push_back({"formatie", "hoogstens 2000 rijen"});
    for (const auto& r : rows) {
        const std::string at = "rij " + std::to_string(r.row) + ": ";
        for (const auto* v : {&r.name, &r.email, &r.group})
            if (auto why = text_problem(*v, false, v == &r.email ? 254 : 100))
                out.push_back({"formatie", at + *why});
        for (const auto* list : {&r.works, &r.group_days})
            for (const auto& d : *list)
                if (!parse_weekday(d) || *parse_weekday(d) > 4 || list->size() > 5)
                    out.push_back({"formatie", at + "'" + d + "' is geen werkdag"});
        if (r.roles.size() > 10) out.push_back({"formatie", at + "hoogstens 10 rollen"});
        for (const auto& role : r.roles)
            if (auto why = text_problem(role, false, 40)) out.push_back({"formatie", at + *why});
        if (out.size() > 20) break;
    }
}

}  // namespace

std::vector<FieldError> bounds_errors(const StaffChange& c, const School& school) {
    std::vector<FieldError> out;
    auto text = [&](const std::string& field, const std::string& value, size_t max_chars,
                    bool lines = false) {
        if (auto why = text_problem(value, lines, max_chars)) out.push_back({field, *why});
    };
    const std::string year =
        format_day_nl(school.first_day) + " t/m " + format_day_nl(school.last_day);
    // The loader checks the dates of people and absences against the school year; a closure's
    // are checked here (a school's files may close days around the year, a change may not).
    auto date = [&](const std::string& field, const std::optional<Date>& d) {
        if (d && (*d < school.first_day || *d > school.last_day))
            out.push_back({field, format_date(*d) + " ligt buiten het schooljaar (" + year + ")"});
    };
    auto days = [&](const std::string& field, const std::vector<std::string>& list) {
        std::set<std::string> seen;
        for (const auto& d : list)
            if (!seen.insert(d).second || list.size() > 5) {
                out.push_back({field, "noem elke lesdag (ma t/m vr) hoogstens één keer"});
                return;
            }
    };
    auto person = [&](const std::string& prefix, const NewPerson& p) {
        text(prefix + "name", p.name, 100);
        text(prefix + "email", p.email, 254);
        text(prefix + "id", p.id, 64);
        days(prefix + "works", p.works);
        std::set<std::string> roles;
        for (const auto& r : p.roles) {
            text(prefix + "roles", r, 40);
            if (!roles.insert(r).second || p.roles.size() > 10) {
                out.push_back({prefix + "roles", "hoogstens 10 rollen, elk één keer"});
                break;
            }
        }
        std::set<std::string> groups;
        for (const auto& a : p.groups) {
            days(prefix + "groups", a.days);
            if (!groups.insert(a.group).second || p.groups.size() > school.groups.size()) {
                out.push_back(
                    {prefix + "groups", "noem elke groep hoogstens één keer (de school heeft " +
                                            std::to_string(school.groups.size()) + " groepen)"});
                break;
            }
        }
    };
    for (const auto& [field, value] :
         {std::pair<const char*, const std::string*>{"person", &c.person},
          {"substitute", &c.substitute},
          {"group", &c.group},
          {"successor", &c.successor},
          {"closure_kind", &c.closure_kind}})
        text(field, *value, 64);
    text("name", c.name, 100);
    if (c.edit.name) text("name", *c.edit.name, 100);
    if (c.edit.email) text("email", *c.edit.email, 254);
    if (c.edit.roles) {
        std::set<std::string> roles;
        for (const auto& r : *c.edit.roles) {
            text("roles", r, 40);
            if (!roles.insert(r).second || c.edit.roles->size() > 10) {
                out.push_back({"roles", "hoogstens 10 rollen, elk één keer"});
                break;
            }
        }
    }
    if (c.kind == StaffChangeKind::works || c.kind == StaffChangeKind::group) date("from", c.from);
    if (c.table.size() > (c.kind == StaffChangeKind::formatie ? 2 * 1024 * 1024 : 64 * 1024))
        out.push_back({std::string(to_string(c.kind)), "dit is te groot voor één wijziging"});
    text("id", c.id, 64);
    if (c.kind == StaffChangeKind::formatie) formatie_bounds(c, out);
    text("reason", c.reason, 200);
    text("note", c.note, 2000, true);
    days(c.kind == StaffChangeKind::works ? "works" : "days", c.days);
    if (c.kind == StaffChangeKind::closure) {
        date("from", c.from);
        date("to", c.to);
    }
    if (c.new_substitute) person("substitute.", *c.new_substitute);
    if (c.newcomer) person("", *c.newcomer);
    if (c.takeovers.size() > school.groups.size())
        out.push_back({"takeovers", "noem elke groep hoogstens één keer (de school heeft " +
                                        std::to_string(school.groups.size()) + " groepen)"});
    for (const auto& t : c.takeovers) {
        text("takeovers.group", t.group, 64);
        text("takeovers." + t.group + ".successor", t.successor, 64);
        date("takeovers." + t.group + ".from", t.from);
    }
    return out;
}

}  // namespace jk::detail
