// Internal: reading school.toml (loader.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "jaarkalender/calendar.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/model.hpp"
#include "toml_reader.hpp"

namespace jk::detail {

/// What reading school.toml has found so far: the school, and what its checks against the
/// resolved school year need.
struct SchoolReadState {
    School school;
    std::optional<Date> first_day;
    std::optional<Date> last_day;
    std::optional<Date> track_from;
    std::vector<std::pair<Date, SourcePos>> open_on;
    std::optional<std::pair<std::string, SourcePos>> extra_closures;
    const OfficialYear* official = nullptr;
    bool calendar_ok = true;
    /// Where each dated fact was written ("person\nID\nfrom", "absent\nID\nI\nsubstitute",
    /// "group\nG\nI\nfrom", ...), for the checks that need the resolved school year.
    std::map<std::string, SourcePos> fact_pos;
};

/// The whole file into `st`; every problem reported against `ctx`.
void read_school_file(const FileContext& ctx, const toml::table& root, SchoolReadState& st,
                      const OfficialHolidays& official);
/// The school year's days: first and last day, open_on, the region's official data.
void resolve_calendar(const FileContext& ctx, const toml::table& root, SchoolReadState& st);
/// The dated facts (from, until, absences, groups' assignments) against the school year.
void check_dated_facts(const FileContext& ctx, SchoolReadState& st);

}  // namespace jk::detail
