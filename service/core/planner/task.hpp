// Internal to the planner: what it places (a task), where (a choice), and what it placed.
#pragma once

#include <string>
#include <vector>

#include "jaarkalender/plan.hpp"

namespace jk::planner {

enum class TaskKind { rule, test_session };

/// How a task's day is chosen. An occurrence on a fixed date is placed there or not at all; one
/// moved from a closed day goes to the first staff day that works; the others have a term in
/// which soft goals choose.
enum class TimingForm {
    on_date,         // (e)/(f) on its own date
    next_staff_day,  // (e)/(f) whose date is closed, with on_closed_day = "next_staff_day"
    windowed,        // (a) count, in a window or a part of the year
    after_period,    // (b) after a test period
    follow_up,       // (c)/(d) after or before another occurrence
    test_session,    // a test of a test period for one group
};

/// Where in its term a task would rather be (a soft goal).
enum class Pref { nearest, earliest, latest };

/// One occurrence to place. Days are indices into the school calendar.
struct Task {
    TaskKind kind = TaskKind::rule;
    TimingForm form = TimingForm::windowed;
    int rule = -1;  // index into rules (rule tasks)
    int period = -1;
    int test = -1;
    int subject_person = -1;
    int subject_group = -1;
    std::string subject_id;
    int occurrence = 1;
    /// The term: the hard bounds of its day (hard constraint 4).
    int lo = 0;
    int hi = -1;
    /// For counted rules without windows: the preferred part of the year (soft).
    int soft_lo = -1;
    int soft_hi = -1;
    double target = -1;  // school-day ordinal to be near (Pref::nearest)
    Pref pref = Pref::earliest;
    int follows = -1;         // index in the placements of the occurrence this follows
    bool before = false;      // follow-up placed before its target
    std::string window_text;  // for reasons: "tussen 2026-09-14 en 2027-01-22"
    std::string uid;
    /// A follow-up of an event placed this run: what its window_text names (the target's
    /// title), written only when a reason needs it (Planner::window_text).
    struct FollowedEvent {
        int task = -1;  // index in Planner::tasks_ (-1: window_text is written)
        int group = -1;
        int day = -1;
        int period = -1;
        Date date{};
    } follows_event;

    [[nodiscard]] bool has_term() const { return lo <= hi; }
    /// Fixed-date items are placed before flexible ones and never for a soft goal.
    [[nodiscard]] bool flexible() const {
        return form != TimingForm::on_date && form != TimingForm::next_staff_day;
    }
};

/// A concrete placement of a task: its day, time, group and required people. Optional
/// attendees are invited afterwards (Planner::invite_optional): they never cost a required item.
struct Choice {
    int day = -1;
    Minute start = 0;
    Minute end = 0;
    int group = -1;
    std::vector<int> required;
};

/// An event as placed, with the indices the planner needs next to the output Event.
struct Placed {
    Event event;
    int day = -1;  // -1 for events outside the year or not occupying (cancelled)
    int rule = -1;
    int group = -1;
    int period = -1;  // the test period this occurrence (or the one it follows) comes after
    std::vector<int> required;
    std::vector<int> optional;
    bool occupies = true;
    /// Index of its task in Planner::tasks_ (-1: pinned from an earlier plan).
    int task = -1;
    /// Kept at its earlier time (a re-plan): the improvement phase leaves it where it is.
    bool kept = false;
    /// False once the improvement phase moved it (a newer placement replaces it).
    bool alive = true;
    /// False while its event has no title, description, attendees and owner yet: they are
    /// written for the plan (Planner::describe), not at every placement tried.
    bool described = true;
};

}  // namespace jk::planner
