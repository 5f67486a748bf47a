// The plan: every event of a school year, what could not be planned and why, and the closed days.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "jaarkalender/date.hpp"
#include "jaarkalender/model.hpp"

namespace jk {

enum class EventKind : std::uint8_t { rule, test_session, test_period };
std::string_view to_string(EventKind k);

enum class EventStatus : std::uint8_t { planned, done, cancelled, moved };
std::string_view to_string(EventStatus s);
/// Dutch, for people: "gepland", "gehouden", "geannuleerd", "verplaatst".
std::string_view describe_nl(EventStatus s);
std::optional<EventStatus> parse_event_status(std::string_view s);

// Members are ordered by size, so that a school's few hundred events carry no padding: the daemon
// keeps every school's plan in memory.
struct Event {
    std::string uid;
    std::string rule;  // rule id, or the test period id for test sessions and periods
    std::optional<std::string> subject;
    std::optional<std::string> group;
    std::string title;
    std::string description;
    std::vector<std::string> attendees;  // required, subject first where it attends
    std::vector<std::string> optional_attendees;
    std::optional<std::string> owner;
    std::optional<std::string> follows;  // uid
    int occurrence = 1;
    int sequence = 0;
    Date date{};      // start date
    Date end_date{};  // all-day: last day, inclusive; timed: same as date
    Minute start = 0;
    Minute end = 0;
    EventKind kind = EventKind::rule;
    EventStatus status = EventStatus::planned;
    Visibility visibility = Visibility::all;
    std::optional<Phase> phase;
    bool all_day = false;
    /// UTC instant `YYYY-MM-DDTHH:MM:SSZ` of the last change; DTSTAMP and LAST-MODIFIED.
    std::string last_modified;
    /// Free text kept from tracking (done/cancel notes); not planned by the core.
    std::string note;
    /// Set when the planner itself cancelled the event, and why ("niet meer in te plannen (…)").
    /// Not final, unlike a person's cancel: every later re-plan places the occurrence again as
    /// soon as it fits (while it lies ahead); meanwhile it is in the plan's `unplanned` list.
    std::string planner_reason;

    /// `start` of plan.json: ISO local time with offset, or the date for all-day events.
    [[nodiscard]] std::string start_iso() const;
    [[nodiscard]] std::string end_iso() const;
    /// True when `person` is a required or optional attendee.
    [[nodiscard]] bool attended_by(std::string_view person) const;
    /// Dutch, for people: "wo 4 nov 2026, 08:30–09:15", "ma 7 sep 2026 (hele dag)".
    [[nodiscard]] std::string when_nl() const;
};

/// A moment in the school's local time (`--as-of`).
struct LocalMoment {
    Date date{};
    Minute minute = 0;
    friend bool operator==(const LocalMoment&, const LocalMoment&) = default;
};

/// "YYYY-MM-DDTHH:MM" (local time), as `--as-of` and plan.json's "as_of" write it.
std::optional<LocalMoment> parse_local_moment(std::string_view text);

/// True when the event starts before the moment (an all-day event starts at 00:00 of its day):
/// for a re-plan as of that moment it is history.
bool starts_before(const Event& e, const LocalMoment& m);

/// A start as plan.json writes it ("2027-04-22T08:30:00+02:00", or a date), in Dutch for
/// people: "do 22 apr 2027 08:30".
std::string start_nl(std::string_view iso);

/// What a re-plan did to an event of the earlier plan: moved it, cancelled it (the planner gave
/// it up), or placed again what it had given up before.
enum class PlanChangeKind : std::uint8_t { moved, cancelled, restored };
/// As plan.json's "change" writes it: "moved", "cancelled", "restored".
std::string_view to_string(PlanChangeKind k);
std::optional<PlanChangeKind> parse_plan_change_kind(std::string_view s);

/// What a re-plan did to an event of the earlier plan, so that the people concerned can be told.
struct PlanChange {
    std::string uid;
    std::string title;
    PlanChangeKind what = PlanChangeKind::moved;
    std::string from;    // the old start (ISO, as in plan.json)
    std::string to;      // the new start, for "moved" and "restored"
    std::string reason;  // Dutch, for the school

    /// Dutch, for people: "verschoven van di 3 nov 2026 09:00 naar wo 4 nov 2026 09:00",
    /// "vervallen (was di 3 nov 2026 09:00)", "weer ingepland op wo 4 nov 2026 09:00".
    [[nodiscard]] std::string what_nl() const;
};

struct Unplanned {
    std::string rule;
    std::optional<std::string> subject;
    int occurrence = 1;
    std::string reason;  // Dutch, for the school
};

struct Plan {
    std::string school;
    std::string school_name;
    std::string school_year;
    std::string timezone = "Europe/Amsterdam";
    /// The instant this plan's new and changed events were stamped with (`YYYY-MM-DDTHH:MM:SSZ`).
    std::string stamp;
    /// The planner that made it (kPlannerRevision in planner.hpp); 0: one from before planners
    /// said so. A daemon serves a stored plan without planning again only when it is its own.
    int planner = 0;
    std::vector<Event> events;  // sorted by start, then uid
    std::vector<Unplanned> unplanned;
    std::vector<Closure> closures;
    std::vector<std::string> warnings;
    /// The moment this plan was re-planned as of (`--as-of`), if it was.
    std::optional<LocalMoment> as_of;
    /// With a previous plan: the events it moved or cancelled, and why.
    std::vector<PlanChange> changes;

    [[nodiscard]] const Event* find(std::string_view uid) const;
};

/// Gives back what a plan's vectors and strings hold beyond their contents: a daemon keeps a
/// plan per school for months (the planner and the plan reader call it).
void release_spare_capacity(Plan& plan);

/// Sorts events by start (all-day before timed on the same date), then by uid.
void sort_events(std::vector<Event>& events);

}  // namespace jk
