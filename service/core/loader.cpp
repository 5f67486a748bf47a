// The rule-file loader (spec/calendar-format.md). Reads school.toml and rules.toml with toml++,
// reports every problem of every file at once with its position, and resolves the model.
#include "jaarkalender/loader.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ical_input.hpp"
#include "loader/rules_file.hpp"
#include "loader/school_file.hpp"
#include "toml_reader.hpp"

namespace jk {
namespace {

using detail::FileContext;

std::optional<std::string> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return ss.str();
}

}  // namespace

Result<SchoolSources> read_school_sources(const std::filesystem::path& folder) {
    Diagnostics diags;
    SchoolSources src;
    src.folder = folder.string();
    src.school_path = (folder / "school.toml").string();
    src.rules_path = (folder / "rules.toml").string();
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
        diags.error(src.folder, 1, 1,
                    "deze map bestaat niet; geef de map van een school, bijvoorbeeld "
                    "calendars/voorbeeldschool");
        return diags;
    }
    auto school = read_file(src.school_path);
    auto rules = read_file(src.rules_path);
    if (!school) diags.error(src.school_path, 1, 1, "bestand ontbreekt of is niet leesbaar");
    if (!rules) diags.error(src.rules_path, 1, 1, "bestand ontbreekt of is niet leesbaar");
    if (diags.has_errors()) return diags;
    src.school_toml = std::move(*school);
    src.rules_toml = std::move(*rules);
    // extra_closures names a file next to school.toml; a syntax error is reported by the loader.
    Diagnostics ignored;
    if (auto doc = detail::parse_toml(src.school_toml, src.school_path, ignored)) {
        if (auto name = (*doc)["school"]["extra_closures"].value<std::string>()) {
            if (!name->empty() && name->find('/') == std::string::npos &&
                name->find("..") == std::string::npos) {
                src.extra_path = (folder / *name).string();
                src.extra_ics = read_file(src.extra_path);
            }
        }
    }
    return src;
}

Result<LoadedSchool> load_school(const SchoolSources& src, const OfficialHolidays& official) {
    Diagnostics diags;
    auto school_doc = detail::parse_toml(src.school_toml, src.school_path, diags);
    auto rules_doc = detail::parse_toml(src.rules_toml, src.rules_path, diags);

    FileContext school_ctx(src.school_path, diags);
    detail::SchoolReadState st;
    st.school.folder = src.folder;
    if (school_doc) {
        detail::read_school_file(school_ctx, *school_doc, st, official);
        detail::resolve_calendar(school_ctx, *school_doc, st);
        detail::check_dated_facts(school_ctx, st);
    } else {
        st.calendar_ok = false;
    }

    if (st.extra_closures && st.calendar_ok) {
        const auto& [name, pos] = *st.extra_closures;
        if (!src.extra_ics) {
            diags.error(pos.file, pos.line, pos.column,
                        "extra_closures: het bestand '" + name + "' naast school.toml ontbreekt");
        } else {
            auto extra = detail::read_extra_closures(*src.extra_ics, src.extra_path,
                                                     st.school.last_day, diags);
            for (auto& c : extra) st.school.closures.push_back(std::move(c));
        }
    }

    LoadedSchool out;
    const SchoolCalendar* cal = nullptr;
    if (st.calendar_ok && st.official && school_doc) {
        out.calendar = SchoolCalendar(st.school, *st.official);
        cal = &out.calendar;
    }
    // rules.toml refers to people, roles and dates of school.toml: without a readable
    // school.toml its checks would only repeat that error in other words.
    if (rules_doc && school_doc) {
        FileContext rules_ctx(src.rules_path, diags);
        out.rules = detail::read_rules_file(rules_ctx, *rules_doc, st.school, cal);
    }
    if (diags.has_errors()) return diags;

    out.school = std::move(st.school);
    for (const auto& d : diags.warnings()) out.warnings.add(d);
    if (cal) {
        auto weeks = out.calendar.short_weeks();
        if (static_cast<int>(weeks.size()) > kMaxFourDayWeeks) {
            std::string list;
            for (Date m : weeks)
                list += (list.empty() ? "" : ", ") + ("week " + std::to_string(iso_week(m)));
            out.warnings.warning(src.school_path, 1, 1,
                                 std::to_string(weeks.size()) +
                                     " schoolweken van minder dan vijf dagen door eigen vrije "
                                     "dagen en studiedagen (" +
                                     list + "); toegestaan zijn er hoogstens " +
                                     std::to_string(kMaxFourDayWeeks));
        }
    }
    return out;
}

Result<OfficialHolidays> official_holidays_in(const std::filesystem::path& calendars) {
    const auto path = calendars / "official" / "schoolvakanties.toml";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return builtin_official_holidays();
    const auto text = read_file(path);
    if (!text) {
        Diagnostics d;
        d.error(path.string(), 1, 1,
                "dit bestand kan niet gelezen worden; controleer de rechten, of haal het weg om "
                "de ingebouwde vakantiegegevens te gebruiken");
        return d;
    }
    auto parsed = parse_official_holidays(*text, path.string());
    if (!parsed) return parsed.error();
    OfficialHolidays data = std::move(parsed).value();
    data.file = path.string();
    for (const OfficialYear& y : builtin_official_holidays().years)
        if (!data.year(y.school_year)) data.years.push_back(y);
    std::sort(
        data.years.begin(), data.years.end(),
        [](const OfficialYear& a, const OfficialYear& b) { return a.school_year < b.school_year; });
    return data;
}

Result<LoadedSchool> load_school(const std::filesystem::path& folder) {
    auto src = read_school_sources(folder);
    if (!src) return src.error();
    // The official data of the calendars folder the school is in (calendars/<school>).
    auto official =
        official_holidays_in(std::filesystem::path(folder).lexically_normal().parent_path());
    if (!official) return official.error();
    return load_school(*src, *official);
}

}  // namespace jk
