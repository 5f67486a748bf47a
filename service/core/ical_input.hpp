// Internal: what the loader reads with libical (RRULEs and the extra_closures .ics file).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "jaarkalender/date.hpp"
#include "jaarkalender/diagnostics.hpp"
#include "jaarkalender/model.hpp"

namespace jk::detail {

/// Upper bound on the instances one RRULE may produce in a school year (a daily rule has ~320).
inline constexpr size_t kMaxRecurrenceInstances = 400;

/// The instance dates of an RFC 5545 RRULE starting on `dtstart`, up to and including `until`;
/// or a Dutch error message.
std::variant<std::vector<Date>, std::string> expand_rrule(std::string_view rrule, Date dtstart,
                                                          Date until);

/// The all-day VEVENTs of an iCalendar text as closures of kind `vrij`, expanded up to `until`
/// when they recur. Problems are reported against `path` with the line of their VEVENT.
std::vector<Closure> read_extra_closures(std::string_view ics, const std::string& path, Date until,
                                         Diagnostics& diags);

}  // namespace jk::detail
