// Who may read and change what: one rule for the API and the web pages (docs/api.md, "Rechten").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/store/store.hpp"
#include "jaarkalender/model.hpp"
#include "jaarkalender/plan.hpp"

namespace jk::daemon {

/// A signed-in person's rights at one school. Writing rights are per school, always: a person
/// is IB'er or schoolleider of their own school only, and the bestuurder role reads every
/// school but never writes.
struct Rights {
    bool read_all = false;  // every event and every overview of the school
    bool lead = false;      // change every event of the school (IB'er, schoolleider there)
    bool board = false;     // a bestuurder: reads, never writes
};

/// The rights of `person` (of the school `home`) at `school`.
Rights rights_at(const Person& person, std::string_view home, std::string_view school);

/// Whether a person still belongs to their school on `today`: from the day after their `until`
/// they carry no rights at all (their tokens, sessions and sign-in links open nothing). A
/// newcomer before their `from` does (they may sign in and subscribe before their first day).
bool still_there(const Person& person, Date today);

/// Why `actor` (with `rights` at their school) may not give someone the roles `roles` in the
/// pages or the API, in Dutch for the field "roles"; nothing when they may. Roles are granted
/// within one's own rights and school only (docs/api.md, "Rechten"):
/// - `bestuurder` never (it comes from the files or the installation's administrator);
/// - `schoolleider` and `ib` only by the school's schoolleider;
/// - every other role (the school's own) by its IB'er or schoolleider.
std::optional<std::string> grant_refusal(const Person& actor, const Rights& rights,
                                         const std::vector<std::string>& roles);

/// Whether a person may see an event: leads and the bestuur every one of the school, others
/// the events they are invited to (required or optional).
bool may_see(const Rights& rights, const Person& person, const Event& event);

/// Whether a person may change an event. A lead everything of the school. Anyone else (a
/// teacher; never the bestuur) marks held only what they are a required attendee or the owner
/// of; cancels and moves only what is theirs: they own it, or it is about them (its subject)
/// and they must attend it. An optional attendee changes nothing. Undo: a lead any change, anyone
/// else only a change they made themselves (`last_actor`), and only where they hold the right
/// for that kind of change.
bool may_change(const Rights& rights, const Person& person, const Event& event, EventAction action,
                const std::optional<std::string>& last_actor = std::nullopt,
                std::optional<EventAction> undone = std::nullopt);

}  // namespace jk::daemon
