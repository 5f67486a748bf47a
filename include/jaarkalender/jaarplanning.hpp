// The jaarplanning as schools know it: one row per school week with its closed days, test
// periods and the events by kind in the columns a school recognises; and every event as a row for
// Excel and CSV. Pure: a plan and the school in, a view model out. The web page, the PDF, the
// .xlsx and the .csv all render this one model (docs/export.md).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk {

/// The jaarplanning's columns, in the order a school reads them.
enum class PlanColumn : std::uint8_t {
    toetsen,
    consultaties,
    besprekingen,
    vergaderingen,
    overleg
};
inline constexpr size_t kPlanColumns = 5;
/// "Toetsen", "Consultaties", "Besprekingen", "Vergaderingen", "Bestuur en overleg".
std::string_view heading_nl(PlanColumn c);
/// Where a category goes: a deadline (taak) beside the besprekingen it belongs to.
PlanColumn column_of(Category c);

/// Whose jaarplanning: the whole school, one person's (what they attend), or one group's (what
/// is about the group, its tests and its teachers' consultations).
struct PlanFilter {
    std::optional<std::string> person;
    std::optional<std::string> group;
};

struct PlanItem {
    Date date{};
    std::string text;  // "di 19 jan 08:30 Rekenen-Wiskunde (Groep 4/5)"
    std::string uid;   // empty for a summary ("Rekenen-Wiskunde: 9 groepen")
};

struct PlanWeek {
    int iso_week = 0;
    Date monday{};
    std::string dates;                 // "ma 31 aug – vr 4 sep"
    int month = 0;                     // 1..12: the month of the week's first school day
    std::vector<std::string> closed;   // "Herfstvakantie", "vr 12 mrt: Studiedag"
    std::vector<std::string> periods;  // "Toetsperiode midden"
    std::array<std::vector<PlanItem>, kPlanColumns> columns;
    bool school_week = true;  // false: closed the whole week (a vacation)
};

struct Jaarplanning {
    std::string school_name;
    std::string school_year;
    std::string title;  // "Jaarplanning 2026-2027" or "... van Bram Jansen" / "... van Groep 3"
    std::vector<PlanWeek> weeks;
};

/// The weeks from the first school day's to the last school day's, each with what happens.
Jaarplanning build_jaarplanning(const Plan& plan, const LoadedSchool& school,
                                const PlanFilter& filter = {});

/// Whether an event belongs to the filter's jaarplanning.
bool in_filter(const Event& e, const LoadedSchool& school, const PlanFilter& filter);

/// One event as a row of the export: real dates and times, names instead of ids, Dutch words.
struct EventRow {
    Date date{};
    Date end_date{};
    std::optional<Minute> start, end;  // none for all-day events
    std::string title;
    std::string kind;       // "Consultatie", "Toets", ...
    std::string attendees;  // "Anna de Vries, Bram Jansen"
    std::string status;     // "gepland", "gehouden", "geannuleerd", "verplaatst"
    std::string owner;      // a name, or ""
    std::string uid;
};
/// Every event of the filter (test periods too, as all-day rows), in plan order.
std::vector<EventRow> event_rows(const Plan& plan, const LoadedSchool& school,
                                 const PlanFilter& filter = {});

/// The events as CSV the way Dutch Excel opens it: UTF-8 with a byte order mark, `;` between
/// fields, dates as dd-mm-jjjj, CRLF line ends, quotes where needed.
std::string render_csv(const std::vector<EventRow>& rows);

}  // namespace jk
