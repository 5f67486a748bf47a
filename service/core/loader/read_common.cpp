// What the readers of school.toml and rules.toml share (read_common.hpp).
#include "loader/read_common.hpp"

#include <algorithm>

namespace jk::detail {

using std::chrono::days;

extern const std::vector<std::string> kWeekdayKeys;
const std::vector<std::string> kWeekdayKeys = {"ma", "di", "wo", "do", "vr"};

bool is_slug(std::string_view s) {
    if (s.empty()) return false;
    auto ok_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!ok_first(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return ok_first(c) || c == '-'; });
}

/// An `id` key: required, a slug.
std::string read_id(const TableReader& t, std::string_view what) {
    auto id = t.string("id", true, what);
    if (!id) return {};
    if (!is_slug(*id)) {
        t.ctx().error(t.node("id")->source(),
                      "'" + *id +
                          "' is geen geldige id: gebruik kleine letters, cijfers en '-', "
                          "beginnend met een letter of cijfer (bijvoorbeeld 'groep-4-5')");
        return {};
    }
    return *id;
}

/// A weekday list such as ["ma", "di"].
std::optional<WeekdaySet> read_weekdays(const TableReader& t, std::string_view key, bool required) {
    WeekdaySet set;
    bool ok = true;
    bool present = t.array(
        key,
        [&](const toml::node& el, size_t) {
            auto s = el.value<std::string>();
            std::optional<int> wd = (s && el.is_string()) ? parse_weekday(*s) : std::nullopt;
            if (!wd || *wd > 4) {
                ok = false;
                std::string got = s ? "'" + *s + "'" : std::string(detail::type_name_nl(el));
                std::string msg = "'" + std::string(key) + "': " + got +
                                  " is geen schooldag; gebruik ma, di, wo, do of vr";
                if (s) {
                    std::string near = closest_match(*s, kWeekdayKeys);
                    if (!near.empty() && near != *s) msg += " (bedoelde je '" + near + "'?)";
                }
                t.ctx().error(el.source(), msg);
                return;
            }
            if (set.contains(*wd)) {
                ok = false;
                t.ctx().error(el.source(), "'" + *s + "' staat twee keer in de lijst");
            }
            set.insert(*wd);
        },
        required, "een lijst van dagen, bijvoorbeeld [\"ma\", \"di\"]");
    if (!present || !ok) return std::nullopt;
    return set;
}

std::optional<std::vector<int>> read_grades(const TableReader& t, std::string_view key) {
    std::vector<int> grades;
    bool ok = true;
    bool present = t.array(
        key,
        [&](const toml::node& el, size_t) {
            if (!el.is_integer() || el.as_integer()->get() < 1 || el.as_integer()->get() > 8) {
                ok = false;
                t.ctx().error(el.source(), "'" + std::string(key) +
                                               "': een jaargroep is een getal van 1 tot en met 8");
                return;
            }
            int g = static_cast<int>(el.as_integer()->get());
            if (std::find(grades.begin(), grades.end(), g) != grades.end()) {
                ok = false;
                t.ctx().error(el.source(),
                              "jaargroep " + std::to_string(g) + " staat twee keer in de lijst");
            }
            grades.push_back(g);
        },
        true, "de jaargroepen, bijvoorbeeld [4, 5]");
    if (!present || !ok) return std::nullopt;
    if (grades.empty()) {
        t.ctx().error(t.node(key)->source(), "'" + std::string(key) + "' mag niet leeg zijn");
        return std::nullopt;
    }
    return grades;
}

/// `from`/`to` of a table (both required), to >= from.
std::optional<DateRange> read_from_to(const TableReader& t) {
    auto from = t.date("from", true);
    auto to = t.date("to", true);
    if (!from || !to) return std::nullopt;
    if (*to < *from) {
        t.ctx().error(t.node("to")->source(), "'to' (" + format_date(*to) + ") ligt voor 'from' (" +
                                                  format_date(*from) + ")");
        return std::nullopt;
    }
    return DateRange{*from, *to};
}

}  // namespace jk::detail
