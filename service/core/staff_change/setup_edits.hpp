// Internal: the set-up changes as edits of the files' text (staff_change.cpp): the school's own
// keys in [school], and a group, a test period or a rule added, replaced by its id or removed,
// each a whole block of the file, written from the JSON the API and the pages send.
#pragma once

#include <string>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/staff_change.hpp"
#include "staff_change/toml_text.hpp"

namespace jk::detail::toml_edit {

/// Whether a kind edits rules.toml (else school.toml).
bool edits_rules(StaffChangeKind k);
/// Whether a kind is one of the set-up's (school, group, test period, rule).
bool is_setup(StaffChangeKind k);

/// The set-up change `c` written into `text` (school.toml or rules.toml, see edits_rules).
Edit setup_edit(TomlText& text, const StaffChange& c, const LoadedSchool& school);

/// The Dutch one-line description of a set-up change ("Regel 'Groepsbespreking' gewijzigd").
std::string describe_setup(const StaffChange& c, const School& school, const Rules* rules);

}  // namespace jk::detail::toml_edit
