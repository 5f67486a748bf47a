// Tracking: what was held, cancelled or moved, and the views on it (overdue, compliance, cycle
// timeliness). Pure functions over a plan; "today" is a parameter (the daemon's clock).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"
#include "jaarkalender/result.hpp"

namespace jk {

enum class ChangeKind { done, cancel, move };

/// Whether an event must be marked held (else it becomes overdue): a test session always (the
/// teacher who sat it marks it "afgenomen"), a rule's event as its `track` says, a test period
/// never.
bool is_tracked(const Event& event, const Rules& rules);
/// The event's kind in the school's words (a test session: toets).
Category category_of(const Event& event, const Rules& rules);
/// Who is asked to mark it: its owner, or, without one, its required attendees (for a test
/// session the teacher who sat it that day).
std::vector<std::string> responsible(const Event& event);
/// The tracked events `person` is asked to mark, still open on `today` (planned or moved, on or
/// before today, not before the school's track_from): required attendee or owner. Oldest first.
/// "Alles t/m vandaag gehouden".
std::vector<const Event*> open_for(const Plan& plan, const LoadedSchool& school,
                                   std::string_view person, Date today);
/// Every tracked event of the school still open on `until` (planned or moved, from track_from
/// up to and including `until`), oldest first: "alles t/m <datum> gehouden" of the IB'er or
/// schoolleider.
std::vector<const Event*> open_until(const Plan& plan, const LoadedSchool& school, Date until);

/// A change a user makes to one event.
struct Change {
    std::string uid;
    ChangeKind kind = ChangeKind::done;
    std::optional<Date> held_on;  // done: the day it was held (default: its planned day)
    std::string note;             // done: a short note; cancel: the reason
    Date date{};                  // move: the new day
    Minute start = 0;             // move: the new start (the duration is kept)
};

/// The plan with the change applied: status, time and note of that event, SEQUENCE + 1 and
/// `stamp` as its last change. Errors (Dutch) name the problem: unknown UID, a test period, an
/// event already cancelled, a note that is too long.
Result<Plan> apply_change(const Plan& plan, const Change& change, const std::string& stamp);

/// True when applying `change` to `event` would change nothing anyone can see: held again on
/// the same day with the same note, cancelled again, moved to where it is. Such a request is
/// answered without a write (a client repeating a call must not fill the store).
bool changes_nothing(const Event& event, const Change& change);

/// Why a day given as "held on" cannot be right (Dutch), or nothing: it must lie inside the
/// school year and not after today.
std::optional<std::string> held_on_error(const SchoolCalendar& calendar, Date held_on, Date today);

/// Longest note or reason accepted (characters).
inline constexpr size_t kMaxNoteLength = 500;

/// Overdue: still planned, and its last day plus a grace of one school day has passed.
struct OverdueItem {
    const Event* event = nullptr;
    Date due{};           // the last day on which it was not yet overdue
    int school_days = 0;  // school days overdue
};
/// The last day on which an event is not yet overdue: the first school day after its last day.
Date grace_day(const Event& event, const SchoolCalendar& calendar);
/// Tracked events only; oldest first (then by UID).
std::vector<OverdueItem> overdue(const Plan& plan, const LoadedSchool& school, Date today);
/// Whether the IB'er follows this event up: consultations, besprekingen, taken (groepsplannen,
/// hulpvragen) and toetsen, and whatever an IB'er owns. A meeting another person owns (the
/// bestuursgesprek, a network meeting, the teamvergadering) is on its owner's list instead.
bool ib_follows_up(const Event& e, const LoadedSchool& school);
/// The part of an overdue list the IB'er follows up (her page and her digest).
std::vector<OverdueItem> ib_overdue(std::vector<OverdueItem> all, const LoadedSchool& school);

/// Where an occurrence stands: not_required is a term the subject is mostly not at the school
/// for (not counted).
enum class OccurrenceStatus { held, planned, overdue, unplannable, cancelled, not_required };
/// "held", "planned", ... (the API's words).
std::string_view to_string(OccurrenceStatus s);

/// One occurrence in the compliance view.
struct ComplianceCell {
    int occurrence = 0;
    OccurrenceStatus status = OccurrenceStatus::planned;
    std::optional<Date> date;
    std::string uid;
    std::string reason;  // for unplannable, and for not_required (who is not there, when)
};
/// Why an occurrence is not required of `p` in `term` (spec: "required only while there"),
/// with the dates: "Jeroen Vos is na vr 29 januari niet meer op school: minder dan de helft
/// van de schooldagen van …".
std::string not_there_nl(const Person& p, DateRange term);
/// Why an occurrence on `day` is not required of `p`, who is not at the school that day:
/// "Jeroen Vos is na vr 29 januari niet meer op school" (or "komt pas op … op school"). The
/// planner's reason and compliance say it with the same words.
std::string not_at_school_nl(const Person& p, Date day);
/// The reason of a follow-up that goes with the occurrence it follows, which does not take
/// place: "vervalt met 'Klassenconsultatie …' van do 21 januari, die niet doorgaat".
std::string follows_cancelled_nl(const Event& followed);

struct ComplianceRow {
    std::string subject;
    int held = 0, planned = 0, overdue = 0, unplannable = 0, cancelled = 0;
    std::vector<ComplianceCell> cells;  // one per occurrence (window)
};
struct RuleCompliance {
    std::string rule;
    int count = 0;
    std::vector<DateRange> windows;
    std::vector<ComplianceRow> rows;
};
/// Held against required occurrences (the bestuur's figure), over every counted rule or only
/// `rule`: an occurrence of a term its subject was mostly not at the school for is not required
/// (held anyway, it counts as held and required).
struct HeldOfRequired {
    int held = 0;
    int required = 0;
};
HeldOfRequired held_of_required(const std::vector<struct RuleCompliance>& rules,
                                std::string_view rule = {});

/// For every rule with `count`: per subject, per occurrence.
std::vector<RuleCompliance> compliance(const Plan& plan, const LoadedSchool& school, Date today);

/// Whether a follow-up of a test period was in time: held on time or late, overdue (not held,
/// its day past), pending (its day still ahead), unplannable or cancelled.
enum class CycleStatus { on_time, late, overdue, pending, unplannable, cancelled };
/// "on_time", "late", ... (the API's words).
std::string_view to_string(CycleStatus s);

/// One follow-up of a test period for one subject.
struct TimelinessCell {
    std::string rule;
    std::string subject;
    CycleStatus status = CycleStatus::pending;
    int days_late = 0;  // school days past the deadline: late on the day held, overdue today
    std::optional<Date> deadline;
};
struct PeriodTimeliness {
    std::string period;
    std::vector<TimelinessCell> cells;
    int on_time = 0, due = 0;  // share on time = on_time / due (due: on_time + late + overdue)
};
/// Per test period: every rule timed after it (and their follow-ups), per subject.
std::vector<PeriodTimeliness> timeliness(const Plan& plan, const LoadedSchool& school, Date today);

/// The school's tracked work in one category: held, overdue, still ahead (planned, not yet
/// due) and cancelled.
struct CategoryTally {
    int held = 0, overdue = 0, ahead = 0, cancelled = 0;
};
using CategoryTallies = std::array<CategoryTally, std::size(kAllCategories)>;
/// Per category (index: Category), with `late` the school's overdue list of `today` (so that a
/// page that shows the list does not compute it twice).
CategoryTallies category_tallies(const Plan& plan, const LoadedSchool& school, Date today,
                                 const std::vector<OverdueItem>& late);

/// Every figure the pages, the API and the digests show about one school on one day, computed
/// here once so that they cannot disagree.
struct SchoolFigures {
    Date today{};
    int overdue = 0;
    /// Overdue per category (index: Category).
    std::array<int, std::size(kAllCategories)> overdue_by_category{};
    /// Cycle timeliness over every test period: steps on time of the steps due.
    int cycle_on_time = 0, cycle_due = 0;
    /// Held of required, over every counted rule, and over the consultation rules alone.
    HeldOfRequired counted, consultations;
    /// "Expected by now": tracked events whose day (plus grace) has passed or that were held,
    /// and how many of those were held. held_by_now + overdue == expected_by_now.
    int expected_by_now = 0, held_by_now = 0;
    int unplanned = 0;
    /// The school's tracked work per category: category_tallies. Its overdue equals
    /// overdue_by_category.
    CategoryTallies by_category{};

    /// Overdue of the categories the bestuur sees apart: consultaties, besprekingen, toetsen;
    /// `other` is the rest (taken, vergaderingen, overleggen).
    [[nodiscard]] int overdue_of(Category c) const {
        return overdue_by_category[static_cast<size_t>(c)];
    }
    [[nodiscard]] int overdue_other() const;
};
SchoolFigures school_figures(const Plan& plan, const LoadedSchool& school, Date today);
/// The same from the timeliness and compliance a caller has computed already (a page that shows
/// them too computes each once).
SchoolFigures school_figures(const Plan& plan, const LoadedSchool& school, Date today,
                             const std::vector<PeriodTimeliness>& periods,
                             const std::vector<RuleCompliance>& rules);

/// "12 van 30 (40%)", or "nog niets te beoordelen" when nothing is due yet.
std::string share_nl(int part, int whole);

}  // namespace jk
