// Internal: small text helpers shared by the planner, the report and the feeds.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jk {

/// "A", "A en B", "A, B en C" (Dutch enumeration).
std::string join_names(const std::vector<std::string>& names);
/// The same, with at most `max` names: "A, B, C en 17 anderen" (0: no limit).
std::string join_names(const std::vector<std::string>& names, size_t max);

/// A share as a rounded percentage, "80%"; "–" when `whole` is 0.
std::string percent(int part, int whole);

/// Escapes & < > " ' for HTML text and attribute values (mail bodies, web pages).
std::string html_escape(std::string_view s);

/// `s` without control characters (C0, DEL): what a feed, an export or a log may hold. With
/// `keep_newlines`, LF stays (a description's lines; iCalendar escapes it as \n).
std::string without_controls(std::string_view s, bool keep_newlines = false);

/// Replaces every `{key}` of `pattern` with its value; unknown keys stay as they are.
std::string substitute(const std::string& pattern,
                       const std::vector<std::pair<std::string, std::string>>& values);

/// A rule's title without its placeholders: "Groepsbespreking {group} ({period})" →
/// "Groepsbespreking" (what a school calls the rule).
std::string plain_title(std::string title);

/// An id from what a school calls something: "Groep 4/5" → "groep-4-5" (`fallback` when nothing
/// is left), with "-2", "-3", ... until `taken` says it is free.
std::string slug_id(std::string_view name, std::string_view fallback,
                    const std::function<bool(const std::string&)>& taken);

}  // namespace jk
