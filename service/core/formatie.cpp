// The formatie from a spreadsheet (formatie.hpp): CSV cells, the rows checked per column, the
// template, and what an import changes.
#include "jaarkalender/formatie.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "quoted.hpp"
#include "text.hpp"

namespace jk {
namespace {

namespace json = boost::json;

/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF; what is
/// not is read as Windows-1252, so that the rows stored as JSON always read back.
bool valid_utf8(std::string_view s) {
    auto in = [](unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        auto at = [&](size_t k) {
            return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
        };
        size_t n = 0;
        if (c < 0x80)
            n = 1;
        else if (in(c, 0xC2, 0xDF))
            n = in(at(1), 0x80, 0xBF) ? 2 : 0;
        else if (in(c, 0xE0, 0xEF)) {
            const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
            n = in(at(1), lo, hi) && in(at(2), 0x80, 0xBF) ? 3 : 0;
        } else if (in(c, 0xF0, 0xF4)) {
            const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
            n = in(at(1), lo, hi) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
        }
        if (n == 0) return false;
        i += n;
    }
    return true;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// Windows-1252, as Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)".
std::string from_cp1252(std::string_view s) {
    static constexpr char32_t k80[32] = {
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        append_utf8(out, c < 0x80 ? c : c < 0xA0 ? k80[c - 0x80] : static_cast<char32_t>(c));
    }
    return out;
}

std::string trimmed(std::string_view s) {
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const size_t e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// The parts of a list cell: "ma, di en wo", "ma di wo", "ma/di", "ib; bouwcoordinator".
std::vector<std::string> parts(std::string_view cell) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        std::string t = trimmed(cur);
        if (!t.empty() && lower(t) != "en") out.push_back(t);
        cur.clear();
    };
    for (char c : cell) {
        if (c == ',' || c == ';' || c == '/' || c == '+' || c == '\n')
            flush();
        else
            cur += c;
    }
    flush();
    return out;
}

/// Weekdays from "ma, di, wo", "maandag dinsdag", "ma t/m vr" or "ma-vr"; nullopt: `bad` says
/// which word is not a day.
std::optional<std::vector<std::string>> weekdays(std::string_view cell, std::string& bad) {
    static const std::map<std::string, int> kDays = {
        {"ma", 0},       {"maandag", 0}, {"di", 1},        {"dinsdag", 1}, {"wo", 2},
        {"woensdag", 2}, {"do", 3},      {"donderdag", 3}, {"vr", 4},      {"vrijdag", 4}};
    std::string text = lower(std::string(cell));
    for (const char* range : {" t/m ", " tot en met ", "-"})
        if (const size_t at = text.find(range); at != std::string::npos) {
            const auto a = kDays.find(trimmed(text.substr(0, at)));
            const auto b = kDays.find(trimmed(text.substr(at + std::strlen(range))));
            if (a != kDays.end() && b != kDays.end() && a->second <= b->second) {
                std::vector<std::string> out;
                for (int d = a->second; d <= b->second; ++d) out.emplace_back(weekday_code(d));
                return out;
            }
        }
    std::set<int> seen;
    for (std::string word : parts(text)) {
        // "ma di wo": words separated by spaces only.
        size_t at = 0;
        while (at < word.size()) {
            const size_t sp = word.find(' ', at);
            const std::string w = trimmed(word.substr(at, sp == std::string::npos ? sp : sp - at));
            at = sp == std::string::npos ? word.size() : sp + 1;
            if (w.empty() || w == "en") continue;
            const auto it = kDays.find(w);
            if (it == kDays.end()) {
                bad = w;
                return std::nullopt;
            }
            seen.insert(it->second);
        }
    }
    std::vector<std::string> out;
    for (int d : seen) out.emplace_back(weekday_code(d));
    return out;
}

/// A role from its id or its Dutch name.
std::string role_of(const std::string& text) {
    static const std::map<std::string, std::string> kLabels = {
        {"intern begeleider", "ib"},
        {"ib'er", "ib"},
        {"ib-er", "ib"},
        {"directeur", "schoolleider"},
        {"directie", "schoolleider"},
        {"bouwcoördinator", "bouwcoordinator"},
        {"taalcoördinator", "taalcoordinator"},
        {"rekencoördinator", "rekencoordinator"}};
    const std::string l = lower(trimmed(text));
    if (auto it = kLabels.find(l); it != kLabels.end()) return it->second;
    std::string slug;
    for (char c : l)
        if (std::isalnum(static_cast<unsigned char>(c)))
            slug += c;
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug;
}

bool looks_like_email(const std::string& e) {
    const size_t at = e.find('@');
    return at != std::string::npos && at > 0 && at + 1 < e.size() &&
           e.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
}

enum Column { kName, kEmail, kRoles, kWorks, kGroup, kGroupDays, kColumns };
constexpr const char* kHeaders[kColumns] = {"Naam",      "E-mailadres", "Rollen",
                                            "Werkdagen", "Groep",       "Dagen in de groep"};

int column_of(const std::string& header) {
    const std::string h = lower(trimmed(header));
    static const std::map<std::string, int> kNames = {{"naam", kName},
                                                      {"e-mailadres", kEmail},
                                                      {"e-mail", kEmail},
                                                      {"email", kEmail},
                                                      {"emailadres", kEmail},
                                                      {"rollen", kRoles},
                                                      {"rol", kRoles},
                                                      {"werkdagen", kWorks},
                                                      {"groep", kGroup},
                                                      {"dagen in de groep", kGroupDays},
                                                      {"groepsdagen", kGroupDays}};
    const auto it = kNames.find(h);
    return it == kNames.end() ? -1 : it->second;
}

}  // namespace

Sheet read_csv(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    const std::string text = valid_utf8(bytes) ? std::string(bytes) : from_cp1252(bytes);
    // The separator: whichever of ';' and ',' the header line (outside quotes) has more of.
    int semis = 0, commas = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (!quoted && c == '\n') break;
        if (!quoted && c == ';') ++semis;
        if (!quoted && c == ',') ++commas;
    }
    const char sep = semis >= commas ? ';' : ',';
    Sheet sheet;
    std::vector<std::string> row;
    std::string cell;
    quoted = false;
    bool any = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == sep) {
            row.push_back(std::move(cell));
            cell.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            row.push_back(std::move(cell));
            cell.clear();
            sheet.rows.push_back(std::move(row));
            row.clear();
            any = false;
        } else {
            cell += c;
            any = true;
        }
    }
    if (any || !cell.empty()) {
        row.push_back(std::move(cell));
        sheet.rows.push_back(std::move(row));
    }
    return sheet;
}

std::vector<int> grades_from_name(std::string_view name) {
    std::vector<int> out;
    for (char c : name)
        if (c >= '1' && c <= '8' && std::find(out.begin(), out.end(), c - '0') == out.end())
            out.push_back(c - '0');
    // "Groep 1-2" and "groep 1/2" alike; digits beyond 8 or numbers like 12 mean no grade.
    for (size_t i = 0; i + 1 < name.size(); ++i)
        if (std::isdigit(static_cast<unsigned char>(name[i])) &&
            std::isdigit(static_cast<unsigned char>(name[i + 1])))
            return {};
    if (name.find('9') != std::string_view::npos || name.find('0') != std::string_view::npos)
        return {};
    std::sort(out.begin(), out.end());
    return out;
}

Formatie read_formatie(const Sheet& sheet) {
    Formatie out;
    if (sheet.rows.empty()) {
        out.errors.push_back({1, "", "het bestand is leeg; de eerste rij noemt de kolommen"});
        return out;
    }
    int col[kColumns];
    std::fill(std::begin(col), std::end(col), -1);
    const auto& head = sheet.rows.front();
    for (size_t c = 0; c < head.size(); ++c)
        if (const int k = column_of(head[c]); k >= 0 && col[k] < 0) col[k] = static_cast<int>(c);
    for (int k : {kName, kEmail, kWorks})
        if (col[k] < 0)
            out.errors.push_back({1, kHeaders[k],
                                  std::string("de kolom '") + kHeaders[k] +
                                      "' ontbreekt; de eerste rij noemt Naam, E-mailadres, Rollen, "
                                      "Werkdagen, Groep en Dagen in de groep"});
    if (!out.errors.empty()) return out;
    if (sheet.rows.size() > 2001) {
        out.errors.push_back({2002, "", "hoogstens 2000 rijen"});
        return out;
    }
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> seen;  // e-mail
    for (size_t r = 1; r < sheet.rows.size(); ++r) {
        const auto& cells = sheet.rows[r];
        const int row = static_cast<int>(r) + 1;
        auto cell = [&](int k) {
            return col[k] >= 0 && static_cast<size_t>(col[k]) < cells.size()
                       ? trimmed(cells[static_cast<size_t>(col[k])])
                       : std::string();
        };
        if (std::all_of(cells.begin(), cells.end(),
                        [](const std::string& c) { return trimmed(c).empty(); }))
            continue;
        auto error = [&](int k, std::string message) {
            out.errors.push_back({row, kHeaders[k], std::move(message)});
        };
        FormatieRow fr;
        fr.row = row;
        fr.name = cell(kName);
        fr.email = lower(cell(kEmail));
        fr.group = cell(kGroup);
        const size_t before = out.errors.size();
        for (int k : {kName, kEmail, kRoles, kGroup})
            if (cell(k).size() > (k == kEmail ? 254u : 100u) ||
                cell(k).find_first_of("\t\r\n") != std::string::npos)
                error(k, "gebruik één regel gewone tekst van hoogstens " +
                             std::to_string(k == kEmail ? 254 : 100) + " tekens");
        if (fr.name.empty()) error(kName, "vul de naam in");
        if (!looks_like_email(fr.email))
            error(kEmail, fr.email.empty() ? "vul het e-mailadres in"
                                           : "'" + fr.email + "' is geen geldig e-mailadres");
        for (const auto& p : parts(cell(kRoles))) {
            const std::string role = role_of(p);
            if (role.empty())
                error(kRoles, "'" + p + "' is geen rol");
            else if (std::find(fr.roles.begin(), fr.roles.end(), role) == fr.roles.end())
                fr.roles.push_back(role);
        }
        std::string bad;
        if (auto w = weekdays(cell(kWorks), bad); !w)
            error(kWorks, "'" + bad + "' is geen werkdag; gebruik ma, di, wo, do en vr");
        else if (w->empty())
            error(kWorks, "vul de werkdagen in, bijvoorbeeld: ma, di, wo");
        else
            fr.works = *w;
        if (auto g = weekdays(cell(kGroupDays), bad); !g) {
            error(kGroupDays, "'" + bad + "' is geen dag; gebruik ma, di, wo, do en vr");
        } else {
            fr.group_days = *g;
            if (fr.group.empty() && !g->empty())
                error(kGroup, "vul de groep in bij deze dagen, of laat de dagen leeg");
            for (const auto& d : *g)
                if (!fr.works.empty() &&
                    std::find(fr.works.begin(), fr.works.end(), d) == fr.works.end()) {
                    error(kGroupDays, fr.name + " werkt niet op " + d +
                                          "; de dagen in de groep vallen binnen de werkdagen");
                    break;
                }
        }
        // A group's name without a grade is checked against the school's groups when the
        // import is applied (formatie_edit).
        // A person with two groups has two rows: the same name, days and roles each time.
        if (out.errors.size() == before && !fr.email.empty()) {
            auto [it, fresh] = seen.emplace(fr.email, std::pair{fr.name, fr.works});
            if (!fresh && (it->second.first != fr.name || it->second.second != fr.works))
                error(kEmail,
                      "dit e-mailadres staat al in een eerdere rij met een andere naam of "
                      "andere werkdagen");
        }
        if (out.errors.size() == before) out.rows.push_back(std::move(fr));
    }
    return out;
}

std::string formatie_csv(const School& school, Date on) {
    std::string out = "\xEF\xBB\xBF";
    auto cell = [&](const std::string& v, bool last) {
        const bool quote = v.find_first_of(";\"\n") != std::string::npos;
        if (quote) {
            out += '"';
            for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
            out += '"';
        } else {
            out += v;
        }
        out += last ? "\r\n" : ";";
    };
    for (int k = 0; k < kColumns; ++k) cell(kHeaders[k], k + 1 == kColumns);
    auto days = [](WeekdaySet set) {
        std::vector<std::string> d;
        for (int k = 0; k < 5; ++k)
            if (set.contains(k)) d.emplace_back(weekday_code(k));
        std::string s;
        for (size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + d[i];
        return s;
    };
    for (const Person& p : school.persons) {
        if (p.until && *p.until < on) continue;
        std::string roles;
        for (size_t i = 0; i < p.roles.size(); ++i) roles += (i ? ", " : "") + p.roles[i];
        const std::string works = days(p.works_on(std::max(on, p.from.value_or(on))));
        bool any = false;
        for (const Group& g : school.groups)
            for (const TeacherAssignment& ta : g.teachers)
                if (ta.person == p.id && (!ta.until || *ta.until >= on)) {
                    cell(p.name, false), cell(p.email, false), cell(roles, false);
                    cell(works, false), cell(g.name, false), cell(days(ta.days), true);
                    any = true;
                }
        if (!any) {
            cell(p.name, false), cell(p.email, false), cell(roles, false);
            cell(works, false), cell("", false), cell("", true);
        }
    }
    return out;
}

WeekdaySet days_of(const std::vector<std::string>& codes) {
    WeekdaySet set;
    for (const auto& c : codes)
        if (auto d = parse_weekday(c); d && *d < 5) set.insert(*d);
    return set;
}

const Person* formatie_person(const School& school, const FormatieRow& r) {
    if (const Person* p = school.person_with_email(r.email)) return p;
    for (const Person& p : school.persons)
        if (lower(p.name) == lower(r.name)) return &p;
    return nullptr;
}

FormatieDiff formatie_diff(const School& school, const std::vector<FormatieRow>& rows, Date on) {
    FormatieDiff d;
    std::set<const Person*> present;
    std::set<std::string> done;
    for (const FormatieRow& r : rows) {
        const Person* p = formatie_person(school, r);
        if (!school.group(r.group) && !r.group.empty() &&
            std::none_of(school.groups.begin(), school.groups.end(),
                         [&](const Group& g) { return lower(g.name) == lower(r.group); }) &&
            std::find(d.groups.begin(), d.groups.end(), r.group) == d.groups.end())
            d.groups.push_back(r.group);
        if (!done.insert(r.email).second) continue;
        if (!p) {
            d.added.push_back(r.name);
            continue;
        }
        present.insert(p);
        std::vector<std::string> what;
        if (p->name != r.name) what.push_back("naam " + r.name);
        if (days_of(r.works) != p->works_on(std::max(on, p->from.value_or(on))))
            what.push_back("werkdagen " + days_of(r.works).to_string());
        std::vector<std::string> a = p->roles, b = r.roles;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        if (a != b) what.push_back(b.empty() ? "geen rollen" : "rollen " + join_names(b));
        if (!what.empty()) d.changed.push_back(p->name + ": " + join_names(what));
    }
    for (const Person& p : school.persons)
        if (!present.count(&p) && !p.has_role("bestuurder")) d.missing.push_back(p.name);
    return d;
}

std::string formatie_rows_json(const std::vector<FormatieRow>& rows) {
    json::array a;
    for (const auto& r : rows) {
        json::array roles, works, days;
        for (const auto& x : r.roles) roles.emplace_back(x);
        for (const auto& x : r.works) works.emplace_back(x);
        for (const auto& x : r.group_days) days.emplace_back(x);
        a.push_back(json::object{{"row", r.row},
                                 {"name", r.name},
                                 {"email", r.email},
                                 {"roles", std::move(roles)},
                                 {"works", std::move(works)},
                                 {"group", r.group},
                                 {"group_days", std::move(days)}});
    }
    return json::serialize(a);
}

std::vector<FormatieRow> formatie_rows_from_json(std::string_view text) {
    std::vector<FormatieRow> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    auto str = [](const json::object& o, const char* k) {
        const json::value* x = o.if_contains(k);
        return x && x->is_string() ? std::string(x->get_string()) : std::string();
    };
    auto list = [](const json::object& o, const char* k) {
        std::vector<std::string> l;
        if (const json::value* x = o.if_contains(k); x && x->is_array())
            for (const auto& i : x->get_array())
                if (i.is_string()) l.emplace_back(i.get_string());
        return l;
    };
    for (const auto& item : v.get_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.get_object();
        FormatieRow r;
        if (const json::value* row = o.if_contains("row"); row && row->is_int64())
            r.row = static_cast<int>(row->get_int64());
        r.name = str(o, "name");
        r.email = str(o, "email");
        r.roles = list(o, "roles");
        r.works = list(o, "works");
        r.group = str(o, "group");
        r.group_days = list(o, "group_days");
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace jk
