// Internal: the set-up changes as edits of the files' text (staff_change.cpp): the school's own
// keys in [school], and a group, a test period or a rule added, replaced by its id or removed,
// each a whole block of the file, written from the JSON the API and the pages send.
#pragma once

#include <functional>
#include <string>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/staff_change.hpp"
#include "staff_change/toml_text.hpp"

namespace jk::detail {

/// A person id from a name: "Sanne Dekker" → "sanne", else "sanne-dekker", else
/// "sanne-dekker-2"; `taken` says which ids are in use.
std::string new_person_id(const std::string& name,
                          const std::function<bool(const std::string&)>& taken);

}  // namespace jk::detail

namespace jk::detail::toml_edit {

/// Whether a kind edits rules.toml (else school.toml).
bool edits_rules(StaffChangeKind k);
/// Whether a kind is one of the set-up's (school, group, test period, rule).
bool is_setup(StaffChangeKind k);

/// The set-up change `c` written into `text` (school.toml or rules.toml, see edits_rules).
Edit setup_edit(TomlText& text, const StaffChange& c, const LoadedSchool& school);

/// A person's `works` as TOML: `days` for the whole year when `from` is unset or not after
/// their first day, else dated entries: the days they had until the day before, `days` from then.
std::string works_value(const Person& p, const std::vector<std::string>& days,
                        std::optional<Date> from, Date first_day);

/// The formatie (kind formatie): people matched by e-mail address (else by name) get the file's
/// name, roles and working days, new people are added; each group in the file gets the file's
/// teachers (a new group is made from its name: "Groep 4/5" has grades 4 and 5); with `until`,
/// everyone not in the file leaves then (a bestuurder is no staff and stays). From `from` on
/// (unset: the whole year): what is as the file says stays as it is, dated assignments and
/// working days included; what differs changes from that day.
Edit formatie_edit(TomlText& text, const StaffChange& c, const School& school);

/// The Dutch one-line description of a set-up change ("Regel 'Groepsbespreking' gewijzigd").
std::string describe_setup(const StaffChange& c, const School& school, const Rules* rules);

}  // namespace jk::detail::toml_edit
