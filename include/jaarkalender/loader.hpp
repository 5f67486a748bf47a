// The rule-file loader: school.toml + rules.toml → a validated School, Rules and calendar.
#pragma once

#include <filesystem>
#include <string>

#include "jaarkalender/calendar.hpp"
#include "jaarkalender/model.hpp"
#include "jaarkalender/result.hpp"

namespace jk {

/// Everything the planner needs about one school, validated.
struct LoadedSchool {
    School school;
    Rules rules;
    SchoolCalendar calendar;
    Diagnostics warnings;  // only warnings (e.g. too many four-day weeks)
};

/// The official holidays compiled into the program (calendars/official/schoolvakanties.toml).
const OfficialHolidays& builtin_official_holidays();

/// Parses an official-holidays TOML file's text; `path` names it in diagnostics.
Result<OfficialHolidays> parse_official_holidays(std::string_view text, const std::string& path);

/// The official data for the schools of a calendars folder: `official/schoolvakanties.toml` in it
/// when that file is there (so that a new year needs a file, not a build), its years before the
/// built-in copy's, which fills in the years the file lacks; the built-in copy when there is no
/// file. A file that cannot be read or parsed: its errors, at file, line and column.
Result<OfficialHolidays> official_holidays_in(const std::filesystem::path& calendars);

/// The contents of the files of one school, so that loading itself touches no disk.
struct SchoolSources {
    std::string folder;       // for messages and relative paths
    std::string school_path;  // ".../school.toml"
    std::string school_toml;
    std::string rules_path;  // ".../rules.toml"
    std::string rules_toml;
    /// extra_closures file: path → content (filled by read_school_sources when referenced).
    std::string extra_path;
    std::optional<std::string> extra_ics;
};

/// Reads school.toml, rules.toml and, if school.toml names one, the extra_closures file.
/// Missing or unreadable files come back as diagnostics.
Result<SchoolSources> read_school_sources(const std::filesystem::path& folder);

/// Validates and resolves a school. All errors of all files are reported at once.
Result<LoadedSchool> load_school(const SchoolSources& sources, const OfficialHolidays& official);

/// read_school_sources + load_school with the built-in holidays.
Result<LoadedSchool> load_school(const std::filesystem::path& folder);

}  // namespace jk
