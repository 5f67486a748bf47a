// Changes to a school's staff and days made during the year (spec: calendar-format.md, "Changes
// during the year"): an absence, a newcomer, a leaver, a hand-over of a group, an extra closure.
// A change is an edit of school.toml's text, so that the loader validates it with the same
// rules and messages as the files, the school's own comments and layout survive, and the input
// with every change in it can be written back as files that `check` accepts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "jaarkalender/date.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk {

enum class StaffChangeKind {
    absence,
    person,
    leave,
    handover,
    closure,
    works,
    person_edit,
    // The set-up (docs/input.md): a table of the files, added or replaced by its id, or removed.
    school,
    group,
    group_remove,
    test_period,
    test_period_remove,
    rule,
    rule_remove,
    /// The formatie from a spreadsheet: `table` holds its rows (JSON), `until` the leavers' day.
    formatie,
};
std::string_view to_string(StaffChangeKind k);
std::optional<StaffChangeKind> parse_staff_change_kind(std::string_view s);

/// A person a change adds: a newcomer, or an invaller entered with an absence.
struct NewPerson {
    std::string id;  // empty: made from the name ("Sanne Dekker" → "sanne", "sanne-dekker", ...)
    std::string name;
    std::string email;
    std::vector<std::string> roles;
    std::vector<std::string> works;  // "ma".."vr"
    std::optional<Date> from;
    std::optional<Date> until;
    struct Assignment {
        std::string group;
        std::vector<std::string> days;  // empty: the person's `works`
        /// Takes the group over: the assignments of its present teachers end the day before
        /// `from` (else the newcomer teaches beside them).
        bool takes_over = false;
    };
    std::vector<Assignment> groups;
};

/// One change, as asked. Which fields count depends on `kind`:
/// - absence: `person` is away `from`..`to` (inclusive) for `reason` (private), with an existing
///   `substitute` or a `new_substitute`. When the person already has an absence beginning on
///   `from`, it is replaced: ended early or extended.
/// - person: `newcomer` joins (on `newcomer.from`), with their groups.
/// - leave: `person`'s last day is `until`; their groups' assignments end then too, and each
///   of `takeovers` gives one of those groups to a successor from a date (default the day after
///   `until`), on the days the leaver had: one change, one preview.
/// - handover: `person` hands `group` over to `successor` as of `from` (the successor's first
///   day), on `days` (empty: the days the person had).
/// - closure: the school is closed `from`..`to`, `closure_kind` studiedag or vrij, `name`.
/// - works: `person` works on `days` from `from` on (unset or the first day: the whole year);
///   before it, on the days they had ("Anna werkt vanaf 1 februari ook op woensdag").
/// - person_edit: `person` gets the fields of `edit` that are set.
/// - school: the keys of `table` (JSON) set in `[school]` (`hours`, `meetings` and `mail` in
///   their own tables; null removes a key).
/// - group, test_period, rule: `table` (JSON, the keys as in the files) added, or replacing the
///   one with its `id`. A group with `from` keeps its present teachers until the day before and
///   has the teachers of `table` from then on (a formatie change during the year).
/// - group_remove (`group`), test_period_remove and rule_remove (`id`): the table is removed.
struct StaffChange {
    StaffChangeKind kind = StaffChangeKind::absence;
    std::string person;
    std::optional<Date> from;
    std::optional<Date> to;
    std::optional<Date> until;
    std::string reason;
    std::string substitute;
    std::optional<NewPerson> new_substitute;
    std::optional<NewPerson> newcomer;
    std::string group;
    std::string successor;
    std::vector<std::string> days;
    std::string closure_kind;
    std::string name;
    /// leave: who takes over which of the leaver's groups, and from when.
    struct Takeover {
        std::string group;
        std::string successor;
        std::optional<Date> from;
    };
    std::vector<Takeover> takeovers;
    /// person_edit: what to set (unset: unchanged).
    struct PersonEdit {
        std::optional<std::string> name;
        std::optional<std::string> email;
        std::optional<std::vector<std::string>> roles;
        std::optional<bool> starter;
    };
    PersonEdit edit;
    /// school, group, test_period, rule: the table as a JSON object (the keys as in the files).
    std::string table;
    /// rule, test_period: only the keys of `table` change in the one with its id (null removes a
    /// key); the others (a period's tests), and the file's comments in it, stay.
    bool patch = false;
    /// test_period_remove, rule_remove: the id.
    std::string id;
    /// Why the change is made (the history's "waarom"); not part of the input.
    std::string note;
};

/// What is wrong with a change, at the field it concerns ("" for the change as a whole). Field
/// names are the API's JSON keys, which the web forms use as well ("from", "substitute.name").
struct FieldError {
    std::string field;
    std::string message;  // Dutch
};

/// A change applied to a school's input.
struct AppliedChange {
    SchoolSources sources;  // the input with the change in school.toml
    std::string summary;    // Dutch, one line, without the reason ("Bram Jansen afwezig ...")
    std::vector<FieldError> errors;      // empty: the change is valid
    std::optional<LoadedSchool> school;  // loaded, when valid
};

/// Applies a change to `input` and validates the result with the loader. The loader's messages
/// about what the change wrote are returned at the field they concern; a change that cannot be
/// written at all (an unknown person, say) says so at its field.
AppliedChange apply_staff_change(const SchoolSources& input, const StaffChange& change,
                                 const OfficialHolidays& official);

/// The Dutch one-line description of a change for the history, with names from `school`.
std::string describe_change(const StaffChange& change, const School& school);

/// The input of a school: its files with the web changes applied in order. A change that no
/// longer applies to the files (its person was removed, or it now breaks a rule) is skipped,
/// never dropped: `skipped` names it with the reason.
struct ComposedInput {
    SchoolSources sources;
    struct Skipped {
        long long change = 0;
        std::string reason;
    };
    std::vector<Skipped> skipped;
};
ComposedInput compose_input(const SchoolSources& files,
                            const std::vector<std::pair<long long, StaffChange>>& changes,
                            const OfficialHolidays& official);

/// What a change does to the plan: the re-plan's moves and cancellations (with their reasons),
/// what can no longer be planned, what is new, and who is told by mail.
struct ChangeConsequences {
    std::vector<PlanChange> moved;
    std::vector<PlanChange> cancelled;
    /// What the planner had given up and can place again now (a successor came).
    std::vector<PlanChange> restored;
    std::vector<Unplanned> unplanned;  // new since `before`
    std::vector<Event> added;          // events of `after` that `before` did not have
    /// Events that stay where they are with other people (an invaller takes over a test).
    struct Reassigned {
        Event event;                      // as it is now
        std::vector<std::string> before;  // person ids who attended it
    };
    std::vector<Reassigned> reassigned;
    struct Mail {
        std::string person;  // id
        std::string name;
        std::vector<std::string> uids;  // the events the mail is about
        bool welcome = false;           // a newcomer or a new invaller: a welcome mail too
    };
    std::vector<Mail> mails;
    /// Said before it is too late (Dutch): a group that has no teacher on school days from a
    /// date on ("Groep 7 heeft vanaf ma 1 februari geen leerkracht; voer een opvolger in"), tests
    /// a group can no longer sit, klassenconsultaties nobody can observe.
    std::vector<std::string> warnings;
    /// Per rule, the occurrences of the year planned and not planned, before and after: what a
    /// rule change does to the year in numbers.
    struct RuleCount {
        std::string rule;   // id
        std::string title;  // the school's name for it ("Groepsbespreking")
        int planned_before = 0, planned_after = 0;
        int unplanned_before = 0, unplanned_after = 0;
    };
    std::vector<RuleCount> counts;
};
/// `before_school`, when given, is the school as it was: a group without a teacher is warned
/// about only where it had one before.
ChangeConsequences consequences(const Plan& before, const Plan& after, const LoadedSchool& school,
                                std::int64_t now, const LoadedSchool* before_school = nullptr);

}  // namespace jk

namespace jk {

/// A change as JSON (the API's body, the stored record): `kind` and the fields above by name;
/// a new invaller as `"substitute": {"name": ..., "email": ...}`, a newcomer's fields at the top.
std::string staff_change_to_json(const StaffChange& change);

/// A change read from JSON, strictly: unknown fields, wrong types and dates that are not
/// JJJJ-MM-DD are errors at their field. `extra_allowed` names fields the caller reads itself
/// ("preview").
struct ParsedChange {
    StaffChange change;
    std::vector<FieldError> errors;
};
ParsedChange staff_change_from_json(std::string_view text,
                                    const std::vector<std::string>& extra_allowed = {});

}  // namespace jk
