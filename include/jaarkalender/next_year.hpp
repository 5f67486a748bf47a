// Next school year from this one (docs/input.md "Next school year"): the proposal a school starts
// its new jaarplanning from. Pure: the current input and the official data in, new files out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"
#include "jaarkalender/result.hpp"

namespace jk {

struct NextYearProposal {
    std::string school_year;  // "2027-2028"
    /// The new year's school.toml and rules.toml (loadable as they are).
    SchoolSources sources;
    /// What was carried, what was left out and why, and what the school still has to fill in,
    /// each a line in Dutch ("Toetsperiode midden: ma 18 januari t/m vr 5 februari → ...").
    std::vector<std::string> carried;
    std::vector<std::string> left_out;
    std::vector<std::string> todo;
};

/// The proposal for `school_year` from `current` (loaded from `sources`):
/// - the region's official vacations of the new year and the default first and last day; a
///   vacation this school moved is asked again (a to-do), not copied; studiedagen and vrije dagen
///   are to-dos with last year's names;
/// - everyone still there at the end of this year, without absences, `from` or dated history,
///   with their working days of the last week; the groups with their teachers of the last day;
/// - test periods and windows moved to the same school week counted from the vacation before
///   them (or the start of the year), with their length in school days;
/// - every rule; one with fixed dates (timing form f) is switched off (`active = false`) with its
///   dates a to-do, as is what follows it.
/// An unknown year: the loader's error (which years are known, and where to add one).
Result<NextYearProposal> propose_next_year(const LoadedSchool& current,
                                           const SchoolSources& sources,
                                           const OfficialHolidays& official,
                                           std::string_view school_year);

/// The new year planned as proposed: the plan, and per item that cannot be planned a line in the
/// school's words ("Klassenconsultatie, Dirk Bakker: <reason>").
struct ProposalPlan {
    Plan plan;
    std::vector<std::string> unplanned;
};
ProposalPlan plan_proposal(const LoadedSchool& next);
/// Per item of `plan` that cannot be planned, a line in the school's words.
std::vector<std::string> unplanned_in_words(const LoadedSchool& school, const Plan& plan);

/// "2026-2027" → "2027-2028"; "" for what is not a school year.
std::string following_school_year(std::string_view school_year);
/// "2027-2028" → "2026-2027"; "" for what is not a school year.
std::string previous_school_year(std::string_view school_year);

}  // namespace jk
