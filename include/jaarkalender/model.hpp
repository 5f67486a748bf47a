// The validated model of one school: who, when, and what must happen. Built by the loader
// (loader.hpp) from school.toml and rules.toml; every reference in it has been checked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "jaarkalender/date.hpp"

namespace jk {

/// Where a value came from, for messages about it.
struct SourcePos {
    std::string file;
    int line = 0;
    int column = 0;
};

enum class Region { noord, midden, zuid };
std::string_view to_string(Region r);

enum class ClosureKind { vakantie, feestdag, studiedag, vrij };
std::string_view to_string(ClosureKind k);

/// A closed period: an official vacation, a public holiday, or one of the school's own.
struct Closure {
    DateRange range;
    ClosureKind kind = ClosureKind::vrij;
    std::string name;
};

/// Someone is away from..to. `reason` can be health data: only the IB'er and the schoolleider
/// ever see it. During the absence the `substitute` (a person id) teaches the absent person's
/// groups on the absent person's days, and sits their tests.
struct Absence {
    DateRange range;
    std::string reason;
    std::optional<std::string> substitute;
};

/// Working days from..until (a dated `works` entry: the days change during the year).
struct WorkPeriod {
    WeekdaySet days;
    std::optional<Date> from;
    std::optional<Date> until;
    SourcePos pos;

    [[nodiscard]] bool covers(Date d) const {
        return (!from || d >= *from) && (!until || d <= *until);
    }
};

struct Person {
    std::string id;
    std::string name;
    std::string email;
    std::vector<std::string> roles;
    /// Every weekday the person works on some date: `works` as a plain list, or the union of
    /// the dated entries. The days of one date are works_on(d).
    WeekdaySet works;
    /// Dated `works` (spec: "works may change during the year"), in date order, never
    /// overlapping; empty when `works` is a plain list that holds the whole year.
    std::vector<WorkPeriod> work_periods;
    bool starter = false;
    std::vector<Absence> absent;
    /// First and last day at this school this year (`from`/`until`; unset: the whole year).
    std::optional<Date> from;
    std::optional<Date> until;
    SourcePos pos;

    [[nodiscard]] bool has_role(std::string_view role) const;
    /// The weekdays the person works in the week of `d`: the dated entry that covers it (none
    /// in a gap between entries), else `works`.
    [[nodiscard]] WeekdaySet works_on(Date d) const;
    /// Whether the working days change during the year.
    [[nodiscard]] bool works_dated() const { return !work_periods.empty(); }
    /// True when `d` lies in from..until: the person belongs to the school that day.
    [[nodiscard]] bool at_school(Date d) const {
        return (!from || d >= *from) && (!until || d <= *until);
    }
    /// The absence that covers `d`, if any.
    [[nodiscard]] const Absence* absence_on(Date d) const;
    /// *There* on `d` (spec "Changes during the year"): at the school and not absent. A teacher
    /// on leave for a whole window owes nothing in it.
    [[nodiscard]] bool there(Date d) const { return at_school(d) && !absence_on(d); }
    /// Whether anything limits when the person is there (from, until, an absence).
    [[nodiscard]] bool ever_away() const { return from || until || !absent.empty(); }
    /// Available on a staff day `d` (the caller knows whether it is one): works that weekday, at
    /// school that day, and not absent.
    [[nodiscard]] bool available_on(Date d) const;
};

/// A person teaching a group on `days`, from..until (unset: the whole year).
struct TeacherAssignment {
    std::string person;  // a Person id
    WeekdaySet days;
    std::optional<Date> from;
    std::optional<Date> until;

    [[nodiscard]] bool covers(Date d) const {
        return (!from || d >= *from) && (!until || d <= *until);
    }
};

struct Group {
    std::string id;
    std::string name;
    std::vector<int> grades;  // 1..8
    std::vector<TeacherAssignment> teachers;
    SourcePos pos;
};

/// A `[[vacation]]` entry: replaces the official vacation of the same name, or adds one.
struct VacationOverride {
    std::string name;
    DateRange range;
    SourcePos pos;
};

/// When a school's e-mails go out ([school.mail] in school.toml).
struct MailSettings {
    int send_hour = 7;              // local hour at which the day's mail goes out
    WeekdaySet quiet_days;          // weekdays without mail (besides days without staff)
    std::vector<Date> quiet_dates;  // dates without mail
};

struct School {
    std::string id;
    std::string name;
    Region region = Region::midden;
    std::string school_year;  // "2026-2027"
    std::string timezone = "Europe/Amsterdam";
    Date first_day{};  // resolved (given or derived from the official data)
    Date last_day{};
    /// Tracking starts here (a school that starts using jaarkalender in the middle of the year):
    /// nothing planned before it becomes overdue or is asked to be ticked off. Default first_day.
    Date track_from{};
    std::vector<Date> open_on;
    /// Lesson hours per weekday ma..vr; nullopt = no lessons that day.
    std::optional<TimeRange> hours[5];
    TimeRange after_school{15 * 60, 17 * 60};
    MailSettings mail;
    std::vector<Closure> closures;  // [[closure]] and extra_closures, kinds studiedag / vrij
    std::vector<VacationOverride> vacations;
    std::vector<Person> persons;
    std::vector<Group> groups;
    std::string folder;  // where school.toml lives

    [[nodiscard]] const Person* person(std::string_view id) const;
    /// The person with this e-mail address, compared without regard to case (as mail servers
    /// treat addresses in practice); null for an empty address.
    [[nodiscard]] const Person* person_with_email(std::string_view email) const;
    [[nodiscard]] const Group* group(std::string_view id) const;
    /// True when `person` is listed as a teacher of any group, or stands in (as an absence's
    /// substitute) for someone who is.
    [[nodiscard]] bool is_teacher(std::string_view person) const;
    /// Who teaches group `g` on the school day `d` (spec "Changes during the year"): each
    /// assignment whose days and from..until cover `d`, its teacher when available, else the
    /// substitute of that teacher's absence when the substitute is available. In the order of
    /// `g.teachers`, without repeats.
    [[nodiscard]] std::vector<std::string> teachers_on(const Group& g, Date d) const;
    /// The same people, as entries of `persons` (the planner indexes them by position).
    [[nodiscard]] std::vector<const Person*> teacher_people_on(const Group& g, Date d) const;
    /// The same into `out` (emptied first), for a caller that asks for every day of the year.
    void teacher_people_on(const Group& g, Date d, std::vector<const Person*>& out) const;
    /// `group_teachers` on date `d`: every teacher whose assignment's from..until covers `d`
    /// (whatever the weekday), the substitute instead during an absence that has one.
    [[nodiscard]] std::vector<std::string> group_teachers_on(const Group& g, Date d) const;
    [[nodiscard]] std::vector<const Person*> group_teacher_people_on(const Group& g, Date d) const;
};

// ---- rules.toml -------------------------------------------------------------------------

struct Test {
    std::string name;
    std::vector<int> grades;
    int minutes = 60;
    SourcePos pos;
};

struct TestPeriod {
    std::string id;
    std::string name;
    DateRange range;
    int max_tests_per_day = 1;
    bool morning_only = true;
    std::vector<Test> tests;
    SourcePos pos;

    /// True when any test of this period is for one of `grades`.
    [[nodiscard]] bool concerns(const std::vector<int>& grades) const;
};

enum class SubjectKind { teacher, group, starter, role, school };

struct SubjectSpec {
    SubjectKind kind = SubjectKind::school;
    std::string role;  // for SubjectKind::role
};

/// `most_group_teachers`: the teachers of the subject group who can be there together, at
/// least one; the others are invited (spec "Attendees").
enum class AttendeeKind { person, role, any_role, group_teachers, all_staff, most_group_teachers };

struct AttendeeSpec {
    AttendeeKind kind = AttendeeKind::person;
    std::string name;  // person id or role name; for any_role as written: "ib" or "ib|schoolleider"
    /// any_role: the roles of which one holder is chosen, the first preferred ("ib|schoolleider").
    std::vector<std::string> roles;

    /// Whether person `p` may be chosen for an any_role (holds one of its roles).
    template <class P>
    [[nodiscard]] bool held_by(const P& p) const {
        for (const auto& r : roles)
            if (p.has_role(r)) return true;
        return false;
    }
};

enum class SlotKind { lessons, after_school, fixed };

struct Slot {
    SlotKind kind = SlotKind::after_school;
    Minute fixed_start = 0;  // for SlotKind::fixed
};

enum class Phase : std::uint8_t { plan, do_, check, act };
std::string_view to_string(Phase p);

enum class Visibility : std::uint8_t { all, attendees };

/// What kind of appointment a rule makes, in the words a school sorts its jaarplanning by: the
/// bestuur's overdue split, the jaarplanning's columns. Test sessions are always `toets`.
enum class Category : std::uint8_t { consultatie, bespreking, vergadering, overleg, taak, toets };
std::string_view to_string(Category c);
std::optional<Category> parse_category(std::string_view s);
/// Dutch plural for headings: "consultaties", "besprekingen", ... "toetsen".
std::string_view plural_nl(Category c);
inline constexpr Category kAllCategories[] = {Category::consultatie, Category::bespreking,
                                              Category::vergadering, Category::overleg,
                                              Category::taak,        Category::toets};

struct Window {
    DateRange range;
};

/// (a) N occurrences per subject, one per window when windows are given.
struct CountTiming {
    int count = 1;
    std::vector<Window> windows;
};
/// (b) once per subject after each of the named test periods.
struct AfterPeriodTiming {
    std::vector<std::string> periods;
    int within_school_days = 10;
};
/// (c)/(d) once per occurrence of another rule with the same subject.
struct FollowUpTiming {
    std::string rule;
    int within_school_days = 5;
    bool before = false;
};
enum class OnClosedDay { skip, next_staff_day };
/// (e) an RFC 5545 RRULE from first_day to last_day, expanded by the loader.
struct RecurrenceTiming {
    std::string rrule;
    std::vector<Date> instances;  // every instance date, closed days included, in order
    OnClosedDay on_closed_day = OnClosedDay::skip;
};
/// (f) fixed dates.
struct DatesTiming {
    std::vector<Date> dates;
    OnClosedDay on_closed_day = OnClosedDay::skip;
};

using Timing =
    std::variant<CountTiming, AfterPeriodTiming, FollowUpTiming, RecurrenceTiming, DatesTiming>;

struct OwnerSpec {
    bool is_role = true;
    std::string name;
};

struct Rule {
    std::string id;
    std::string title;
    std::string description;
    SubjectSpec for_each;
    std::vector<AttendeeSpec> attendees;
    bool attendees_given = false;  // follow-ups inherit when false
    std::vector<AttendeeSpec> optional_attendees;
    bool optional_attendees_given = false;
    int minutes = 0;
    bool all_day = false;
    Slot slot;
    std::optional<OwnerSpec> owner;
    std::optional<Phase> phase;
    std::optional<int> max_per_day;
    bool avoid_test_periods = false;
    bool avoid_first_day_after_holiday = false;
    std::vector<int> remind_days_before;
    Visibility visibility = Visibility::all;
    /// `track`: whether it must be marked held (else it becomes overdue). The loader resolves
    /// the default: true, except for the recurrence form (e).
    bool track = true;
    /// `category`; the loader derives it when absent (see docs/calendar-format.md).
    Category category = Category::bespreking;
    bool category_given = false;
    Timing timing;
    SourcePos pos;
    /// `active = false`: the rule stays in the school's input (to switch it on again) but
    /// plans nothing; what follows it (timing forms c and d) is off with it.
    bool active = true;

    /// The title without its placeholders: "Klassenconsultatie {teacher} ({group})" →
    /// "Klassenconsultatie" (for overviews across subjects); the id when nothing is left.
    [[nodiscard]] std::string label() const;
    [[nodiscard]] const FollowUpTiming* follow_up() const {
        return std::get_if<FollowUpTiming>(&timing);
    }
};

/// The subjects of a rule (spec: for_each), in file order: person ids for teacher, starter
/// and role rules, group ids for group rules, the school id for school rules.
std::vector<std::string> subject_ids(const SubjectSpec& for_each, const School& school);

struct Rules {
    std::vector<TestPeriod> test_periods;
    /// The rules that plan (`active`).
    std::vector<Rule> rules;
    /// The rules switched off (`active = false`, or following one that is), in file order.
    std::vector<Rule> inactive;

    [[nodiscard]] const TestPeriod* period(std::string_view id) const;
    /// An active rule by id.
    [[nodiscard]] const Rule* rule(std::string_view id) const;
    /// A rule by id, active or switched off.
    [[nodiscard]] const Rule* any_rule(std::string_view id) const;
};

}  // namespace jk
