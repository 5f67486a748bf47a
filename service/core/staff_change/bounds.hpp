// Internal: the bounds of a change (staff_change.cpp), checked before anything is written, so
// that what a change costs is bounded by the school, not by the request.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jaarkalender/staff_change.hpp"

namespace jk::detail {

/// A typed text: one line of printable text (a name, an address, a reason), or for a note
/// several lines. Control characters would reach the log, the feeds and the exports.
std::optional<std::string> text_problem(std::string_view s, bool lines, size_t max_chars);

/// The bounds of a change: texts as above, lists no longer than what a school can mean, and
/// every date inside the school year.
std::vector<FieldError> bounds_errors(const StaffChange& c, const School& school);

}  // namespace jk::detail
