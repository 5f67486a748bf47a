// The planner (spec/calendar-format.md): hard constraints always, soft goals where there is room.
//
// Greedy with look-ahead, in order of how little freedom an item has:
//   1. events of an earlier plan that are done, cancelled or moved by hand (pinned);
//   2. with --previous: every other event at its old time when that still breaks nothing;
//   3. fixed-date and recurring rules, test sessions, rules after test periods, counted rules.
// A follow-up (after/before another rule) is placed together with the occurrence it follows: a
// candidate for the target is only taken when its whole chain of follow-ups fits too (else the
// best candidate is kept and the follow-up is reported). Soft goals order the candidate days:
// spread over the window, early after a test period, balanced weekly load, optional attendees.
#include "jaarkalender/planner.hpp"

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "text.hpp"

namespace jk {
namespace {

using std::chrono::days;

/// Start times are tried on this grid, counted from the start of the slot.
constexpr Minute kGridMinutes = 15;
/// Candidates tried for an item before accepting one whose follow-ups do not all fit.
constexpr int kMaxJointAttempts = 40;

struct Busy {
    Minute start;
    Minute end;
};

/// Why a candidate day was refused, in the order the checks run. The furthest stage any day
/// reached explains an unplanned item best.
enum class Stage {
    range = 0,
    closed,
    studiedag,
    avoid_test_period,
    avoid_first_day,
    no_lessons,
    not_teaching,
    unavailable,
    no_time,
    ok,
};

struct Diagnosis {
    int days[static_cast<int>(Stage::ok) + 1] = {};
    Stage furthest = Stage::range;
    WeekdaySet weekdays_reaching_availability;
    std::map<int, int> blocked_person;        // person → days they were missing
    std::map<std::string, int> blocked_role;  // any:role with nobody available
    std::map<int, int> busy_person;           // person → days their agenda was full
    int max_per_day_days = 0;
    int teaching_busy_days = 0;
    std::map<std::string, int> role_teaching;  // any:role holders in front of their own class
    std::map<std::string, int> role_busy;      // any:role holders with no free moment

    void record(Stage s, int weekday) {
        days[static_cast<int>(s)]++;
        if (static_cast<int>(s) > static_cast<int>(furthest)) furthest = s;
        if (static_cast<int>(s) >= static_cast<int>(Stage::unavailable))
            weekdays_reaching_availability.insert(weekday);
    }
};

enum class Pref { nearest, earliest, latest };

enum class TaskKind { rule, test_session };

/// One occurrence to place.
struct Task {
    TaskKind kind = TaskKind::rule;
    int rule = -1;  // index into rules (rule tasks)
    int period = -1;
    int test = -1;
    int subject_person = -1;
    int subject_group = -1;
    std::string subject_id;
    int occurrence = 1;
    int lo = 0;
    int hi = -1;
    /// For counted rules without windows: the preferred part of the year (soft).
    int soft_lo = -1;
    int soft_hi = -1;
    double target = -1;  // school-day ordinal to be near (Pref::nearest)
    Pref pref = Pref::earliest;
    int follows = -1;         // event index of the occurrence this follows (follow-ups)
    bool before = false;      // follow-up placed before its target
    std::string window_text;  // for reasons: "tussen 2026-09-14 en 2027-01-22"
    std::string uid;
};

/// A concrete placement of a task.
struct Choice {
    int day = -1;
    Minute start = 0;
    Minute end = 0;
    int group = -1;
    std::vector<int> required;
    std::vector<int> optional;
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
};

std::string role_label(std::string_view role) {
    static const std::map<std::string, std::string, std::less<>> labels = {
        {"ib", "IB'er"},
        {"schoolleider", "schoolleider"},
        {"bestuurder", "bestuurder"},
        {"taalcoordinator", "taalcoördinator"},
        {"rekencoordinator", "rekencoördinator"},
        {"bouwcoordinator", "bouwcoördinator"},
    };
    auto it = labels.find(role);
    return it != labels.end() ? it->second : std::string(role);
}

/// Kept events tried as the one to move for an occurrence that no longer fits, and runs of the
/// planner a re-plan may spend on such repairs (each run costs about a fresh plan).
constexpr size_t kMaxBlockers = 6;
constexpr int kMaxRepairRuns = 12;

/// What a repair run asks of the planner (make_plan): kept events it may move after all, and
/// the root occurrences to place first (those the repair is for, or whose follow-up it is for).
struct RepairHints {
    std::set<std::string> no_keep;
    std::set<std::string> first;
};

/// An occurrence that a re-plan could not place, and the events that stand in its way.
struct Blocked {
    std::string uid;
    std::string root_uid;               // the root occurrence (itself, or what it follows)
    std::vector<std::string> blockers;  // kept events on its days that share its people
};

class Planner {
  public:
    Planner(const LoadedSchool& in, const PlanOptions& opt, RepairHints hints = {})
        : in_(in),
          s_(in.school),
          rules_(in.rules.rules),
          cal_(in.calendar),
          opt_(opt),
          hints_(std::move(hints)) {
        index_people();
        index_days();
    }
    /// After run(): the occurrences the earlier plan had placed that this one could not (a
    /// re-plan), each with the kept events that stand in its way (at most kMaxBlockers).
    [[nodiscard]] const std::vector<Blocked>& blocked() const { return blocked_; }

    Plan run();
    std::vector<std::string> check_move(const std::string& uid, Date date, Minute start);
    /// The task the planner would make for `target`'s occurrence, with its term (lo..hi); for
    /// a follow-up, relative to where the event it follows is now (it must be in placed_).
    std::optional<Task> own_task(const Event& target);

  private:
    // ---- set-up --------------------------------------------------------------------------
    void index_people();
    void index_days();

    // ---- state ---------------------------------------------------------------------------
    [[nodiscard]] size_t pd(int p, int d) const {
        return static_cast<size_t>(p) * static_cast<size_t>(D_) + static_cast<size_t>(d);
    }
    [[nodiscard]] bool available(int p, int d) const { return avail_[pd(p, d)] != 0; }
    [[nodiscard]] bool free_at(int p, int d, Minute a, Minute b) const {
        for (const Busy& x : busy_[pd(p, d)])
            if (x.start < b && a < x.end) return false;
        return true;
    }
    [[nodiscard]] int week_of(int d) const { return (d + first_weekday_) / 7; }
    [[nodiscard]] int week_load(int p, int d) const {
        return week_load_[static_cast<size_t>(p) * static_cast<size_t>(W_) +
                          static_cast<size_t>(week_of(d))];
    }
    [[nodiscard]] int day_load(int p, int d) const {
        return static_cast<int>(busy_[pd(p, d)].size());
    }
    [[nodiscard]] int& rule_day_count(int rule, int p, int d) {
        return rule_day_[(static_cast<size_t>(rule) * static_cast<size_t>(P_) +
                          static_cast<size_t>(p)) *
                             static_cast<size_t>(D_) +
                         static_cast<size_t>(d)];
    }
    [[nodiscard]] int& tests_on_day(int period, int group, int d) {
        return tests_day_[(static_cast<size_t>(period) * static_cast<size_t>(G_) +
                           static_cast<size_t>(group)) *
                              static_cast<size_t>(D_) +
                          static_cast<size_t>(d)];
    }
    /// True when p teaches a group other than `group` during lesson hours on day d: then p is
    /// in front of a class and cannot observe or meet during lessons.
    [[nodiscard]] bool teaching_elsewhere(int p, int d, int group) const {
        for (int g : teach_[pd(p, d)])
            if (g != group) return true;
        return false;
    }

    int commit(const Task& t, const Choice& c, EventStatus status = EventStatus::planned);
    void rollback_to(size_t mark);
    void occupy(const Placed& pl, int sign);

    // ---- tasks ---------------------------------------------------------------------------
    std::vector<Task> root_tasks();
    std::vector<Task> follow_up_tasks(int target_event);
    std::vector<int> subjects_of(const Rule& r) const;
    int nth_school_day_after(int d, int n) const;
    int nth_school_day_before(int d, int n) const;
    std::string range_text(int lo, int hi) const;

    // ---- placing -------------------------------------------------------------------------
    std::vector<int> candidate_days(const Task& t);
    std::optional<Choice> try_day(const Task& t, int day, Diagnosis* diag, int fixed_start = -1,
                                  const std::vector<int>* keep_people = nullptr);
    bool place(const Task& t, bool strict);
    bool place_follow_ups(int event, bool strict);
    bool try_keep(const Task& t);
    void keep_follow_ups(int event);
    void unplanned(const Task& t, std::string reason);
    void unplanned_chain(const Task& t, const std::string& why);
    std::string explain(const Task& t, const Diagnosis& d);

    // ---- resolving people and text -----------------------------------------------------
    /// `day` >= 0: the people of that date (group_teachers after a hand-over or during an
    /// absence with a substitute); -1: everyone the rule may ever mean.
    std::vector<int> fixed_required(const Task& t, int group, int day = -1) const;
    /// The school days on which a person (-1: anyone) is at the school.
    std::vector<int> school_days_there(int person) const;
    /// Spec "Changes during the year": an occurrence of a person subject is required only when
    /// the person is at the school on at least half of the school days of its term, and then
    /// its term is the part they are there. False: not required (not planned, not reported).
    bool while_there(Task& t) const;
    /// The teachers `group_teachers` means for group g on day (-1: every assignment).
    std::vector<int> group_teacher_people(int g, int day) const;
    std::vector<const AttendeeSpec*> any_specs(const Task& t) const;
    std::vector<int> optional_people(const Task& t, int group, const std::vector<int>& req,
                                     int day = -1) const;
    std::string title_of(const Task& t, int group, int day = -1) const;
    std::string description_of(const Task& t) const;
    std::optional<std::string> owner_of(const Task& t, const std::vector<int>& req) const;
    const std::string& pid(int p) const { return s_.persons[static_cast<size_t>(p)].id; }
    const std::string& pname(int p) const { return s_.persons[static_cast<size_t>(p)].name; }

    // ---- previous plan -------------------------------------------------------------------
    const Event* previous(const std::string& uid) const {
        auto it = prev_.find(uid);
        return it == prev_.end() ? nullptr : it->second;
    }
    void pin_previous();
    /// An event of an earlier plan as a placement: its people, rule and group resolved.
    Placed placed_from(const Event& e) const;
    Plan finish();
    /// Fills blocked_: see blocked().
    void find_blocked(const std::vector<Task>& roots);
    /// What the plan moved or cancelled of the previous one, with the reasons.
    std::vector<PlanChange> changes_against_previous(const Plan& plan) const;

    const LoadedSchool& in_;
    const School& s_;
    const std::vector<Rule>& rules_;
    const SchoolCalendar& cal_;
    const PlanOptions& opt_;
    RepairHints hints_;
    std::vector<Blocked> blocked_;
    std::set<std::string> kept_;  // uids kept at their old time by try_keep

    int P_ = 0, G_ = 0, D_ = 0, W_ = 0, R_ = 0;
    int first_weekday_ = 0;
    std::map<std::string, int, std::less<>> person_index_;
    std::vector<uint8_t> avail_;                // P×D
    std::vector<std::vector<int>> teach_;       // P×D → groups taught
    std::vector<std::vector<Busy>> busy_;       // P×D
    std::vector<int> week_load_;                // P×W events
    std::vector<int> rule_day_;                 // R×P×D events of a rule
    std::vector<int> tests_day_;                // periods×G×D test sessions
    std::vector<int> group_use_;                // R×P×G observations of a teacher per group
    std::vector<int> school_days_;              // day indices of school days
    std::vector<int> sd_ord_;                   // D → school days before
    std::vector<uint8_t> in_test_period_;       // D
    std::vector<uint8_t> first_after_holiday_;  // D
    std::vector<std::vector<int>> followers_;   // rule → rules that follow it

    std::vector<Placed> placed_;
    std::vector<Unplanned> unplanned_;
    std::vector<Task> unplanned_tasks_;                    // the tasks behind unplanned_
    std::set<std::string> resolved_;                       // uids placed or pinned
    std::map<std::string, std::string> unplanned_reason_;  // uid → why it could not be planned
    bool moving_ = false;  // check_move: a fixed-time rule may be moved to another time
    /// --as-of: the first day on which something may be placed, and the first minute on it.
    int min_day_ = 0;
    Minute min_minute_ = 0;
    /// uid → why its old moment no longer held (for the list of changes).
    std::map<std::string, std::string> kept_failed_;
    std::map<std::string, const Event*, std::less<>> prev_;
};

// ============================================================================================
// set-up

void Planner::index_people() {
    P_ = static_cast<int>(s_.persons.size());
    G_ = static_cast<int>(s_.groups.size());
    R_ = static_cast<int>(rules_.size());
    for (int p = 0; p < P_; ++p) person_index_[s_.persons[static_cast<size_t>(p)].id] = p;
    followers_.resize(static_cast<size_t>(R_));
    for (int r = 0; r < R_; ++r)
        if (const FollowUpTiming* f = rules_[static_cast<size_t>(r)].follow_up())
            for (int t = 0; t < R_; ++t)
                if (rules_[static_cast<size_t>(t)].id == f->rule)
                    followers_[static_cast<size_t>(t)].push_back(r);
    if (opt_.previous)
        for (const Event& e : opt_.previous->events) prev_[e.uid] = &e;
}

void Planner::index_days() {
    D_ = cal_.size();
    first_weekday_ = D_ > 0 ? weekday_index(cal_.first_day()) : 0;
    W_ = (D_ + first_weekday_) / 7 + 1;
    avail_.assign(static_cast<size_t>(P_) * static_cast<size_t>(D_), 0);
    teach_.assign(static_cast<size_t>(P_) * static_cast<size_t>(D_), {});
    busy_.assign(static_cast<size_t>(P_) * static_cast<size_t>(D_), {});
    week_load_.assign(static_cast<size_t>(P_) * static_cast<size_t>(W_), 0);
    rule_day_.assign(static_cast<size_t>(R_) * static_cast<size_t>(P_) * static_cast<size_t>(D_),
                     0);
    tests_day_.assign(
        in_.rules.test_periods.size() * static_cast<size_t>(G_) * static_cast<size_t>(D_), 0);
    group_use_.assign(static_cast<size_t>(R_) * static_cast<size_t>(P_) * static_cast<size_t>(G_),
                      0);
    sd_ord_.assign(static_cast<size_t>(D_), 0);
    in_test_period_.assign(static_cast<size_t>(D_), 0);
    first_after_holiday_.assign(static_cast<size_t>(D_), 0);

    int ord = 0;
    for (int d = 0; d < D_; ++d) {
        const DayInfo& info = cal_.day(d);
        sd_ord_[static_cast<size_t>(d)] = ord;
        if (info.school_day) {
            school_days_.push_back(d);
            ++ord;
        }
        first_after_holiday_[static_cast<size_t>(d)] = cal_.is_first_day_after_holiday(d) ? 1 : 0;
        for (const auto& tp : in_.rules.test_periods)
            if (tp.range.contains(info.date)) in_test_period_[static_cast<size_t>(d)] = 1;
        for (int p = 0; p < P_; ++p) {
            const Person& person = s_.persons[static_cast<size_t>(p)];
            avail_[pd(p, d)] = info.staff_day && person.available_on(info.date) ? 1 : 0;
        }
        if (!info.school_day) continue;
        // Who stands in front of each group that day: assignments by their days and dates, a
        // substitute for an absent teacher.
        for (int g = 0; g < G_; ++g)
            for (const auto& id : s_.teachers_on(s_.groups[static_cast<size_t>(g)], info.date)) {
                auto it = person_index_.find(id);
                if (it != person_index_.end()) teach_[pd(it->second, d)].push_back(g);
            }
    }
}

// ============================================================================================
// state changes

void Planner::occupy(const Placed& pl, int sign) {
    if (pl.day < 0 || !pl.occupies) return;
    const int d = pl.day;
    auto touch = [&](int p) {
        if (!pl.event.all_day) {
            if (sign > 0)
                busy_[pd(p, d)].push_back({pl.event.start, pl.event.end});
            else
                busy_[pd(p, d)].pop_back();  // rollback is LIFO: ours is the last interval
            week_load_[static_cast<size_t>(p) * static_cast<size_t>(W_) +
                       static_cast<size_t>(week_of(d))] += sign;
        }
        if (pl.rule >= 0) rule_day_count(pl.rule, p, d) += sign;
    };
    for (int p : pl.required) touch(p);
    // Optional attendees are kept free too, so that nobody is ever double-booked.
    if (!pl.event.all_day)
        for (int p : pl.optional) {
            if (sign > 0)
                busy_[pd(p, d)].push_back({pl.event.start, pl.event.end});
            else
                busy_[pd(p, d)].pop_back();
        }
    if (pl.event.kind == EventKind::test_session && pl.group >= 0) {
        for (size_t i = 0; i < in_.rules.test_periods.size(); ++i)
            if (in_.rules.test_periods[i].id == pl.event.rule)
                tests_on_day(static_cast<int>(i), pl.group, d) += sign;
    }
    if (pl.rule >= 0 && pl.group >= 0 && !pl.required.empty() &&
        rules_[static_cast<size_t>(pl.rule)].for_each.kind == SubjectKind::teacher) {
        auto it = person_index_.find(pl.event.subject.value_or(""));
        if (it != person_index_.end())
            group_use_[(static_cast<size_t>(pl.rule) * static_cast<size_t>(P_) +
                        static_cast<size_t>(it->second)) *
                           static_cast<size_t>(G_) +
                       static_cast<size_t>(pl.group)] += sign;
    }
}

int Planner::commit(const Task& t, const Choice& c, EventStatus status) {
    Placed pl;
    pl.day = c.day;
    pl.rule = t.kind == TaskKind::rule ? t.rule : -1;
    pl.group = c.group;
    pl.period = t.period >= 0
                    ? t.period
                    : (t.follows >= 0 ? placed_[static_cast<size_t>(t.follows)].period : -1);
    pl.required = c.required;
    pl.optional = c.optional;
    Event& e = pl.event;
    e.uid = t.uid;
    e.subject = t.subject_id;
    e.occurrence = t.occurrence;
    e.status = status;
    e.date = e.end_date = cal_.day(c.day).date;
    if (t.kind == TaskKind::test_session) {
        const TestPeriod& tp = in_.rules.test_periods[static_cast<size_t>(t.period)];
        const Test& test = tp.tests[static_cast<size_t>(t.test)];
        e.kind = EventKind::test_session;
        e.rule = tp.id;
        e.group = s_.groups[static_cast<size_t>(c.group)].id;
        e.title = test.name + " (" + s_.groups[static_cast<size_t>(c.group)].name + ")";
        e.description =
            tp.name + ": " + test.name + ", " + std::to_string(test.minutes) + " minuten.";
        e.phase = Phase::check;
        e.visibility = Visibility::all;
    } else {
        const Rule& r = rules_[static_cast<size_t>(t.rule)];
        e.kind = EventKind::rule;
        e.rule = r.id;
        if (c.group >= 0) e.group = s_.groups[static_cast<size_t>(c.group)].id;
        e.title = title_of(t, c.group, c.day);
        e.description = description_of(t);
        e.phase = r.phase;
        e.visibility = r.visibility;
        e.all_day = r.all_day;
        if (t.follows >= 0) e.follows = placed_[static_cast<size_t>(t.follows)].event.uid;
    }
    e.start = c.start;
    e.end = c.end;
    for (int p : c.required) e.attendees.push_back(pid(p));
    for (int p : c.optional) e.optional_attendees.push_back(pid(p));
    e.owner = owner_of(t, c.required);
    pl.occupies = status != EventStatus::cancelled;
    occupy(pl, +1);
    placed_.push_back(std::move(pl));
    resolved_.insert(t.uid);
    return static_cast<int>(placed_.size()) - 1;
}

void Planner::rollback_to(size_t mark) {
    while (placed_.size() > mark) {
        occupy(placed_.back(), -1);
        resolved_.erase(placed_.back().event.uid);
        placed_.pop_back();
    }
}

// ============================================================================================
// tasks

int Planner::nth_school_day_after(int d, int n) const {
    auto it = std::upper_bound(school_days_.begin(), school_days_.end(), d);
    auto idx = static_cast<size_t>(it - school_days_.begin()) + static_cast<size_t>(n) - 1;
    return idx < school_days_.size() ? school_days_[idx] : D_ - 1;
}

int Planner::nth_school_day_before(int d, int n) const {
    auto it = std::lower_bound(school_days_.begin(), school_days_.end(), d);
    auto pos = it - school_days_.begin();
    return pos - n >= 0 ? school_days_[static_cast<size_t>(pos - n)] : 0;
}

std::string Planner::range_text(int lo, int hi) const {
    if (lo > hi || lo < 0 || hi >= D_) return "in het schooljaar";
    if (lo == hi) return "op " + format_date(cal_.day(lo).date);
    return "tussen " + format_date(cal_.day(lo).date) + " en " + format_date(cal_.day(hi).date);
}

std::vector<int> Planner::school_days_there(int person) const {
    if (person < 0) return school_days_;
    const Person& p = s_.persons[static_cast<size_t>(person)];
    std::vector<int> out;
    for (int d : school_days_)
        if (p.at_school(cal_.day(d).date)) out.push_back(d);
    return out;
}

bool Planner::while_there(Task& t) const {
    if (t.subject_person < 0) return true;
    const Person& p = s_.persons[static_cast<size_t>(t.subject_person)];
    if (!p.from && !p.until) return true;
    const int lo = std::max(0, t.lo), hi = std::min(t.hi, D_ - 1);
    if (lo > hi) return true;
    if (!counts_while_there(cal_, p, {cal_.day(lo).date, cal_.day(hi).date})) return false;
    // Its term is then the part they are there.
    int first = -1, last = -1;
    for (int d = lo; d <= hi; ++d)
        if (cal_.day(d).school_day && p.at_school(cal_.day(d).date)) {
            if (first < 0) first = d;
            last = d;
        }
    if (first < 0) return true;
    t.lo = std::max(t.lo, first);
    t.hi = std::min(t.hi, last);
    if (t.soft_lo >= 0 && (t.soft_hi < t.lo || t.soft_lo > t.hi)) t.soft_lo = t.soft_hi = -1;
    if (t.soft_lo >= 0)
        t.soft_lo = std::max(t.soft_lo, t.lo), t.soft_hi = std::min(t.soft_hi, t.hi);
    return true;
}

std::vector<int> Planner::subjects_of(const Rule& r) const {
    // Persons and groups are indexed in file order, as subject_ids lists them.
    std::vector<int> out;
    for (const std::string& id : subject_ids(r.for_each, s_)) {
        if (r.for_each.kind == SubjectKind::school) {
            out.push_back(0);
        } else if (r.for_each.kind == SubjectKind::group) {
            for (int g = 0; g < G_; ++g)
                if (s_.groups[static_cast<size_t>(g)].id == id) out.push_back(g);
        } else if (auto it = person_index_.find(id); it != person_index_.end()) {
            out.push_back(it->second);
        }
    }
    return out;
}

std::vector<Task> Planner::root_tasks() {
    std::vector<Task> fixed, tests, after_period, counted;
    auto base = [&](int ri, int subject) {
        const Rule& r = rules_[static_cast<size_t>(ri)];
        Task t;
        t.rule = ri;
        switch (r.for_each.kind) {
            case SubjectKind::group:
                t.subject_group = subject;
                t.subject_id = s_.groups[static_cast<size_t>(subject)].id;
                break;
            case SubjectKind::school:
                t.subject_id = s_.id;
                break;
            default:
                t.subject_person = subject;
                t.subject_id = pid(subject);
        }
        return t;
    };
    for (int ri = 0; ri < R_; ++ri) {
        const Rule& r = rules_[static_cast<size_t>(ri)];
        if (r.follow_up()) continue;
        const std::vector<int> subjects = subjects_of(r);
        for (size_t si = 0; si < subjects.size(); ++si) {
            const int subject = subjects[si];
            if (const auto* c = std::get_if<CountTiming>(&r.timing)) {
                const int S = static_cast<int>(subjects.size());
                for (int k = 0; k < c->count; ++k) {
                    Task t = base(ri, subject);
                    t.occurrence = k + 1;
                    t.pref = Pref::nearest;
                    if (!c->windows.empty()) {
                        const DateRange& w = c->windows[static_cast<size_t>(k)].range;
                        t.lo = std::max(0, cal_.index(std::max(w.from, cal_.first_day())));
                        t.hi = cal_.index(std::min(w.to, cal_.last_day()));
                        if (w.to < cal_.first_day() || w.from > cal_.last_day()) t.lo = 1, t.hi = 0;
                        t.window_text =
                            "tussen " + format_date(w.from) + " en " + format_date(w.to);
                    } else {
                        // No windows: the year (the part of it the subject is at the school)
                        // in `count` equal parts of school days, one occurrence preferred in
                        // each; the whole of that part remains allowed.
                        const std::vector<int> there = school_days_there(t.subject_person);
                        if (there.size() * 2 < school_days_.size()) break;  // not required
                        const size_t n = there.size();
                        const size_t a = n * static_cast<size_t>(k) / static_cast<size_t>(c->count);
                        const size_t b =
                            n * static_cast<size_t>(k + 1) / static_cast<size_t>(c->count);
                        const bool whole = there.size() == school_days_.size();
                        t.lo = whole ? 0 : there.front();
                        t.hi = whole ? D_ - 1 : there.back();
                        if (b > a) {
                            t.soft_lo = there[a];
                            t.soft_hi = there[b - 1];
                        }
                        t.window_text = whole ? "in het schooljaar" : range_text(t.lo, t.hi);
                    }
                    if (!while_there(t)) continue;
                    const int lo = t.soft_lo >= 0 ? t.soft_lo : t.lo;
                    const int hi = t.soft_hi >= 0 ? t.soft_hi : t.hi;
                    if (lo <= hi) {
                        const double a = sd_ord_[static_cast<size_t>(lo)];
                        const double b = sd_ord_[static_cast<size_t>(hi)] + 1;
                        t.target = a + (static_cast<double>(si) + 0.5) * (b - a) / S;
                    }
                    counted.push_back(std::move(t));
                }
            } else if (const auto* ap = std::get_if<AfterPeriodTiming>(&r.timing)) {
                for (size_t k = 0; k < ap->periods.size(); ++k) {
                    const TestPeriod* tp = in_.rules.period(ap->periods[k]);
                    Task t = base(ri, subject);
                    t.occurrence = static_cast<int>(k) + 1;
                    t.pref = Pref::earliest;
                    t.period = static_cast<int>(tp - in_.rules.test_periods.data());
                    const int end =
                        cal_.index(std::clamp(tp->range.to, cal_.first_day(), cal_.last_day()));
                    t.lo = tp->range.to < cal_.first_day() ? 0 : end + 1;
                    t.hi = nth_school_day_after(end, ap->within_school_days);
                    if (tp->range.to >= cal_.last_day()) t.lo = 1, t.hi = 0;
                    t.window_text = "binnen " + std::to_string(ap->within_school_days) +
                                    " schooldagen na " + tp->name + " (tot en met " +
                                    format_date(tp->range.to) + ")";
                    if (!while_there(t)) continue;
                    after_period.push_back(std::move(t));
                }
            } else {
                const std::vector<Date>* dates = nullptr;
                OnClosedDay on_closed = OnClosedDay::skip;
                bool recurrence = false;
                if (const auto* rec = std::get_if<RecurrenceTiming>(&r.timing)) {
                    dates = &rec->instances;
                    on_closed = rec->on_closed_day;
                    recurrence = true;
                } else if (const auto* dt = std::get_if<DatesTiming>(&r.timing)) {
                    dates = &dt->dates;
                    on_closed = dt->on_closed_day;
                }
                if (!dates) continue;
                for (size_t k = 0; k < dates->size(); ++k) {
                    const Date date = (*dates)[k];
                    Task t = base(ri, subject);
                    // The occurrence number is the instance's place in the rule, closed days
                    // included, so that a new closure never renumbers (and re-UIDs) the rest.
                    t.occurrence = static_cast<int>(k) + 1;
                    t.pref = Pref::earliest;
                    const int d = cal_.index(date);
                    const bool usable =
                        d >= 0 && cal_.day(d).staff_day &&
                        (r.slot.kind != SlotKind::lessons || cal_.day(d).school_day);
                    if (recurrence && !usable && on_closed == OnClosedDay::skip) continue;
                    t.lo = d;
                    t.hi = d;
                    if (on_closed == OnClosedDay::next_staff_day && d >= 0) {
                        int next = D_ - 1;
                        if (k + 1 < dates->size()) {
                            int nd = cal_.index((*dates)[k + 1]);
                            if (nd > d) next = nd - 1;
                        }
                        t.hi = next;
                    }
                    if (d < 0) t.lo = 1, t.hi = 0;
                    // A recurring meeting that falls in a vacation with no staff day before its
                    // next instance simply does not happen that week (it is not "unplanned").
                    if (recurrence && !usable && d >= 0) {
                        bool staff_day_before_next = false;
                        for (int x = t.lo; x <= t.hi && !staff_day_before_next; ++x)
                            staff_day_before_next = cal_.day(x).staff_day;
                        if (!staff_day_before_next) continue;
                    }
                    t.window_text = "op " + format_date(date);
                    if (!while_there(t)) continue;
                    fixed.push_back(std::move(t));
                }
            }
        }
    }
    // Test sessions: per period, per group, each test whose grades meet the group's.
    for (size_t pi = 0; pi < in_.rules.test_periods.size(); ++pi) {
        const TestPeriod& tp = in_.rules.test_periods[pi];
        const int lo = cal_.index(std::max(tp.range.from, cal_.first_day()));
        const int hi = cal_.index(std::min(tp.range.to, cal_.last_day()));
        for (int g = 0; g < G_; ++g) {
            const Group& grp = s_.groups[static_cast<size_t>(g)];
            std::vector<int> mine;
            for (size_t ti = 0; ti < tp.tests.size(); ++ti)
                for (int gr : tp.tests[ti].grades)
                    if (std::find(grp.grades.begin(), grp.grades.end(), gr) != grp.grades.end()) {
                        mine.push_back(static_cast<int>(ti));
                        break;
                    }
            for (size_t k = 0; k < mine.size(); ++k) {
                Task t;
                t.kind = TaskKind::test_session;
                t.period = static_cast<int>(pi);
                t.test = mine[k];
                t.subject_group = g;
                t.subject_id = grp.id;
                t.occurrence = mine[k] + 1;
                t.lo = lo < 0 ? 1 : lo;
                t.hi = hi < 0 ? 0 : hi;
                t.pref = Pref::nearest;
                if (t.lo <= t.hi) {
                    const double a = sd_ord_[static_cast<size_t>(t.lo)];
                    const double b = sd_ord_[static_cast<size_t>(t.hi)] + 1;
                    t.target = a + (static_cast<double>(k) + 0.5) * (b - a) /
                                       static_cast<double>(mine.size());
                }
                t.window_text = "in " + tp.name + " (" + format_date(tp.range.from) + " t/m " +
                                format_date(tp.range.to) + ")";
                t.uid = make_uid(s_.id, s_.school_year, "test", tp.id, grp.id, t.occurrence);
                tests.push_back(std::move(t));
            }
        }
    }
    // Within a kind, the item with the fewest possible days goes first (a trendanalyse within
    // 5 school days before ten groepsbesprekingen within 10); ties keep file order.
    auto by_slack = [&](std::vector<Task>& list) {
        auto slack = [&](const Task& t) {
            int n = 0;
            for (int d = std::max(0, t.lo); d <= std::min(t.hi, D_ - 1); ++d)
                n += cal_.day(d).staff_day;
            return n;
        };
        std::vector<std::pair<int, size_t>> keys;
        for (size_t i = 0; i < list.size(); ++i) keys.emplace_back(slack(list[i]), i);
        std::stable_sort(keys.begin(), keys.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<Task> sorted;
        for (const auto& k : keys) sorted.push_back(std::move(list[k.second]));
        list = std::move(sorted);
    };
    by_slack(after_period);
    by_slack(counted);
    std::vector<Task> all;
    for (auto* list : {&fixed, &tests, &after_period, &counted})
        for (auto& t : *list) {
            if (t.kind == TaskKind::rule)
                t.uid =
                    make_uid(s_.id, s_.school_year, "rule", rules_[static_cast<size_t>(t.rule)].id,
                             t.subject_id, t.occurrence);
            all.push_back(std::move(t));
        }
    return all;
}

std::vector<Task> Planner::follow_up_tasks(int target_event) {
    std::vector<Task> out;
    const Placed& target = placed_[static_cast<size_t>(target_event)];
    if (target.rule < 0) return out;
    for (int ri : followers_[static_cast<size_t>(target.rule)]) {
        const Rule& r = rules_[static_cast<size_t>(ri)];
        const FollowUpTiming& f = *r.follow_up();
        Task t;
        t.rule = ri;
        t.subject_id = target.event.subject.value_or("");
        if (r.for_each.kind == SubjectKind::group) {
            for (int g = 0; g < G_; ++g)
                if (s_.groups[static_cast<size_t>(g)].id == t.subject_id) t.subject_group = g;
        } else if (r.for_each.kind != SubjectKind::school) {
            auto it = person_index_.find(t.subject_id);
            if (it != person_index_.end()) t.subject_person = it->second;
        }
        t.occurrence = target.event.occurrence;
        t.period = -1;
        t.follows = target_event;
        t.before = f.before;
        const int d = target.day;
        if (d < 0) {
            t.lo = 1;
            t.hi = 0;
        } else if (f.before) {
            t.lo = nth_school_day_before(d, f.within_school_days);
            t.hi = d;
            t.pref = Pref::latest;
        } else {
            t.lo = d;
            t.hi = nth_school_day_after(d, f.within_school_days);
            t.pref = Pref::earliest;
        }
        const Rule& tr = rules_[static_cast<size_t>(target.rule)];
        t.window_text = "binnen " + std::to_string(f.within_school_days) + " schooldagen " +
                        (f.before ? "vóór " : "na ") + "'" + target.event.title + "' (" +
                        format_date(target.event.date) + ", regel " + tr.id + ")";
        t.uid = make_uid(s_.id, s_.school_year, "rule", r.id, t.subject_id, t.occurrence);
        out.push_back(std::move(t));
    }
    return out;
}

// ============================================================================================
// people and text

std::vector<int> Planner::group_teacher_people(int g, int day) const {
    std::vector<int> out;
    const Group& grp = s_.groups[static_cast<size_t>(g)];
    std::vector<std::string> ids;
    if (day >= 0) {
        ids = s_.group_teachers_on(grp, cal_.day(day).date);
    } else {
        for (const auto& ta : grp.teachers) ids.push_back(ta.person);
    }
    for (const auto& id : ids) {
        auto it = person_index_.find(id);
        if (it != person_index_.end() && std::find(out.begin(), out.end(), it->second) == out.end())
            out.push_back(it->second);
    }
    return out;
}

std::vector<int> Planner::fixed_required(const Task& t, int group, int day) const {
    std::vector<int> out;
    auto add = [&](int p) {
        if (p >= 0 && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    };
    if (t.kind == TaskKind::test_session) return out;  // teachers of the day: in try_day
    const Rule& r = rules_[static_cast<size_t>(t.rule)];
    add(t.subject_person);  // a person subject attends (spec: "besides the subject")
    if (t.follows >= 0 && !r.attendees_given) {
        for (int p : placed_[static_cast<size_t>(t.follows)].required) add(p);
        return out;
    }
    for (const auto& a : r.attendees) {
        switch (a.kind) {
            case AttendeeKind::person: {
                auto it = person_index_.find(a.name);
                if (it != person_index_.end()) add(it->second);
                break;
            }
            case AttendeeKind::role:
                for (int p = 0; p < P_; ++p)
                    if (s_.persons[static_cast<size_t>(p)].has_role(a.name)) add(p);
                break;
            case AttendeeKind::group_teachers: {
                const int g = t.subject_group >= 0 ? t.subject_group : group;
                if (g < 0) break;
                for (int p : group_teacher_people(g, day)) add(p);
                break;
            }
            case AttendeeKind::all_staff:
                for (int p = 0; p < P_; ++p)
                    if (day < 0 || s_.persons[static_cast<size_t>(p)].at_school(cal_.day(day).date))
                        add(p);
                break;
            case AttendeeKind::any_role:
                break;  // chosen per slot
        }
    }
    return out;
}

std::vector<const AttendeeSpec*> Planner::any_specs(const Task& t) const {
    std::vector<const AttendeeSpec*> out;
    if (t.kind != TaskKind::rule) return out;
    const Rule& r = rules_[static_cast<size_t>(t.rule)];
    if (t.follows >= 0 && !r.attendees_given) return out;  // inherited, already concrete
    for (const auto& a : r.attendees)
        if (a.kind == AttendeeKind::any_role) out.push_back(&a);
    return out;
}

std::vector<int> Planner::optional_people(const Task& t, int group, const std::vector<int>& req,
                                          int day) const {
    std::vector<int> out;
    if (t.kind != TaskKind::rule) return out;
    const Rule& r = rules_[static_cast<size_t>(t.rule)];
    auto add = [&](int p) {
        if (std::find(req.begin(), req.end(), p) == req.end() &&
            std::find(out.begin(), out.end(), p) == out.end())
            out.push_back(p);
    };
    if (t.follows >= 0 && !r.optional_attendees_given) {
        for (int p : placed_[static_cast<size_t>(t.follows)].optional) add(p);
        return out;
    }
    for (const auto& a : r.optional_attendees) {
        switch (a.kind) {
            case AttendeeKind::person: {
                auto it = person_index_.find(a.name);
                if (it != person_index_.end()) add(it->second);
                break;
            }
            case AttendeeKind::role:
            case AttendeeKind::any_role:  // optional: inviting every holder is the useful reading
                for (int p = 0; p < P_; ++p)
                    if (s_.persons[static_cast<size_t>(p)].has_role(a.name)) add(p);
                break;
            case AttendeeKind::group_teachers: {
                const int g = t.subject_group >= 0 ? t.subject_group : group;
                if (g < 0) break;
                for (int p : group_teacher_people(g, day)) add(p);
                break;
            }
            case AttendeeKind::all_staff:
                for (int p = 0; p < P_; ++p)
                    if (day < 0 || s_.persons[static_cast<size_t>(p)].at_school(cal_.day(day).date))
                        add(p);
                break;
        }
    }
    // Nobody is invited on a day they are not at the school (before their first day, after
    // their last).
    if (day >= 0)
        out.erase(std::remove_if(out.begin(), out.end(),
                                 [&](int p) {
                                     return !s_.persons[static_cast<size_t>(p)].at_school(
                                         cal_.day(day).date);
                                 }),
                  out.end());
    return out;
}

std::string Planner::title_of(const Task& t, int group, int day) const {
    const Rule& r = rules_[static_cast<size_t>(t.rule)];
    std::string teacher, person, group_name, period;
    if (t.subject_person >= 0) teacher = person = pname(t.subject_person);
    const int g = t.subject_group >= 0 ? t.subject_group : group;
    if (g >= 0) {
        group_name = s_.groups[static_cast<size_t>(g)].name;
        if (t.subject_group >= 0) {
            std::vector<std::string> names;
            for (int p : group_teacher_people(g, day)) names.push_back(pname(p));
            teacher = join_names(names);
        }
    }
    // {period}: the test period of this occurrence, or of the occurrence it follows.
    int pi = t.period;
    if (pi < 0 && t.follows >= 0) pi = placed_[static_cast<size_t>(t.follows)].period;
    if (pi >= 0) period = in_.rules.test_periods[static_cast<size_t>(pi)].name;
    return substitute(r.title, {{"teacher", teacher},
                                {"person", person},
                                {"group", group_name},
                                {"period", period},
                                {"n", std::to_string(t.occurrence)}});
}

std::string Planner::description_of(const Task& t) const {
    return rules_[static_cast<size_t>(t.rule)].description;
}

std::optional<std::string> Planner::owner_of(const Task& t, const std::vector<int>& req) const {
    if (t.kind == TaskKind::test_session) {
        if (!req.empty()) return pid(req.front());
        return std::nullopt;
    }
    const Rule& r = rules_[static_cast<size_t>(t.rule)];
    if (r.owner) {
        if (!r.owner->is_role) return r.owner->name;
        for (int p : req)
            if (s_.persons[static_cast<size_t>(p)].has_role(r.owner->name)) return pid(p);
        for (int p = 0; p < P_; ++p)
            if (s_.persons[static_cast<size_t>(p)].has_role(r.owner->name)) return pid(p);
    }
    for (int p : req)
        if (p != t.subject_person) return pid(p);
    if (!req.empty()) return pid(req.front());
    return std::nullopt;
}

// ============================================================================================
// placing

std::vector<int> Planner::candidate_days(const Task& t) {
    std::vector<int> days;
    if (t.lo > t.hi) return days;
    struct Scored {
        double score;
        int day;
    };
    std::vector<Scored> scored;
    std::vector<const AttendeeSpec*> anys = any_specs(t);
    std::vector<int> fixed;
    if (t.kind == TaskKind::rule) fixed = fixed_required(t, -1);
    std::vector<int> optional;
    if (t.kind == TaskKind::rule) optional = optional_people(t, -1, fixed);
    for (int d = t.lo; d <= t.hi; ++d) {
        if (!cal_.day(d).staff_day) continue;
        double primary = 0;
        const double ord = sd_ord_[static_cast<size_t>(d)];
        switch (t.pref) {
            case Pref::nearest:
                primary = std::abs(ord + 0.5 - t.target);
                break;
            case Pref::earliest:
                primary = ord - sd_ord_[static_cast<size_t>(t.lo)];
                break;
            case Pref::latest:
                primary = sd_ord_[static_cast<size_t>(t.hi)] - ord;
                break;
        }
        // Follow-ups: the same day as their target only as a last resort (a talk on a later
        // day is what schools do; the same afternoon is allowed when nothing else fits).
        if (t.follows >= 0 && d == placed_[static_cast<size_t>(t.follows)].day) primary += 1000;
        if (t.soft_lo >= 0 && (d < t.soft_lo || d > t.soft_hi)) primary += 500;
        // Load: the week's events of the people who would attend (the least-loaded holder of
        // each any:role), so that nobody gets every consultation in one week.
        double load = 0;
        for (int p : fixed)
            if (p != t.subject_person) load += week_load(p, d) + 0.5 * day_load(p, d);
        for (const AttendeeSpec* a : anys) {
            int best = 1 << 20;
            for (int p = 0; p < P_; ++p)
                if (p != t.subject_person && s_.persons[static_cast<size_t>(p)].has_role(a->name) &&
                    available(p, d))
                    best = std::min(best, week_load(p, d) + day_load(p, d));
            if (best < (1 << 20)) load += best;
        }
        int opt_here = 0;
        for (int p : optional) opt_here += available(p, d) ? 1 : 0;
        const double score = primary * 1.0 + load * 0.35 - opt_here * 0.6;
        scored.push_back({score, d});
    }
    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        if (a.score != b.score) return a.score < b.score;
        return a.day < b.day;
    });
    days.reserve(scored.size());
    for (const auto& s : scored) days.push_back(s.day);
    return days;
}

std::optional<Choice> Planner::try_day(const Task& t, int d, Diagnosis* diag, int fixed_start,
                                       const std::vector<int>* keep_people) {
    const DayInfo& info = cal_.day(d);
    const int wd = weekday_index(info.date);
    auto fail = [&](Stage s) -> std::optional<Choice> {
        if (diag) diag->record(s, wd);
        return std::nullopt;
    };
    if (d < t.lo || d > t.hi || d < min_day_) return fail(Stage::range);
    if (!info.staff_day) return fail(Stage::closed);

    const bool is_test = t.kind == TaskKind::test_session;
    const Rule* r = is_test ? nullptr : &rules_[static_cast<size_t>(t.rule)];
    const bool all_day = r && r->all_day;
    const SlotKind slot = is_test ? SlotKind::lessons : r->slot.kind;
    if (slot == SlotKind::lessons && !all_day && !info.school_day) return fail(Stage::studiedag);
    if (r && r->avoid_test_periods && in_test_period_[static_cast<size_t>(d)])
        return fail(Stage::avoid_test_period);
    if (r && r->avoid_first_day_after_holiday && first_after_holiday_[static_cast<size_t>(d)])
        return fail(Stage::avoid_first_day);

    TimeRange window{0, 0};
    if (!all_day) {
        if (slot == SlotKind::lessons) {
            if (!s_.hours[wd]) return fail(Stage::no_lessons);
            window = *s_.hours[wd];
        } else if (slot == SlotKind::after_school) {
            window = s_.after_school;
        } else if (moving_ && fixed_start >= 0) {
            window = {fixed_start, fixed_start + r->minutes};
        } else {
            window = {r->slot.fixed_start, r->slot.fixed_start + r->minutes};
        }
    }

    Choice c;
    c.day = d;
    // The group: a test session's or group rule's own; for a teacher, a group taught that day
    // (the one observed least so far for this rule, so consultations rotate over the groups).
    if (t.subject_group >= 0) {
        c.group = t.subject_group;
    } else if (r && r->for_each.kind == SubjectKind::teacher && t.subject_person >= 0) {
        if (t.follows >= 0) {
            c.group = placed_[static_cast<size_t>(t.follows)].group;
        } else {
            const auto& taught = teach_[pd(t.subject_person, d)];
            int best = -1, best_use = 1 << 20;
            for (int g : taught) {
                int use = group_use_[(static_cast<size_t>(t.rule) * static_cast<size_t>(P_) +
                                      static_cast<size_t>(t.subject_person)) *
                                         static_cast<size_t>(G_) +
                                     static_cast<size_t>(g)];
                if (use < best_use) best_use = use, best = g;
            }
            if (best < 0 && slot == SlotKind::lessons && !all_day) return fail(Stage::not_teaching);
            if (best < 0) {
                for (int g = 0; g < G_ && best < 0; ++g)
                    for (const auto& ta : s_.groups[static_cast<size_t>(g)].teachers)
                        if (ta.person == t.subject_id) best = g;
            }
            c.group = best;
        }
    }

    // Required people that are fixed for this occurrence.
    std::vector<int> req;
    if (is_test) {
        // The group's teacher(s) of that date, or their substitute (spec: "Changes during the
        // year"); an absent teacher without one leaves the group without a test that day.
        const Group& grp = s_.groups[static_cast<size_t>(t.subject_group)];
        for (const auto& id : s_.teachers_on(grp, cal_.day(d).date)) {
            auto it = person_index_.find(id);
            if (it != person_index_.end()) req.push_back(it->second);
        }
        if (req.empty()) {
            bool assigned = false;
            for (const auto& ta : grp.teachers)
                if (ta.days.contains(wd) && ta.covers(cal_.day(d).date)) {
                    assigned = true;
                    auto it = person_index_.find(ta.person);
                    if (diag && it != person_index_.end()) diag->blocked_person[it->second]++;
                }
            return fail(assigned ? Stage::unavailable : Stage::not_teaching);
        }
    } else if (keep_people) {
        req = *keep_people;
    } else {
        req = fixed_required(t, c.group, d);
    }
    if (!all_day) {
        bool missing = false;
        for (int p : req)
            if (!available(p, d)) {
                if (diag) diag->blocked_person[p]++;
                missing = true;
            }
        if (missing) return fail(Stage::unavailable);
    }
    // any:role candidates per spec.
    std::vector<const AttendeeSpec*> anys =
        keep_people ? std::vector<const AttendeeSpec*>{} : any_specs(t);
    std::vector<std::vector<int>> pools;
    for (const AttendeeSpec* a : anys) {
        std::vector<int> pool;
        for (int p = 0; p < P_; ++p)
            if (p != t.subject_person && s_.persons[static_cast<size_t>(p)].has_role(a->name) &&
                std::find(req.begin(), req.end(), p) == req.end() && (all_day || available(p, d)))
                pool.push_back(p);
        if (pool.empty()) {
            if (diag) diag->blocked_role[a->name]++;
            return fail(Stage::unavailable);
        }
        pools.push_back(std::move(pool));
    }

    const int max_per_day = r && r->max_per_day ? *r->max_per_day : 1 << 20;
    auto under_max = [&](int p) { return !r || rule_day_count(t.rule, p, d) < max_per_day; };
    auto may_attend_lessons = [&](int p) {
        // During lessons, a teacher of another group is in front of their class.
        if (slot != SlotKind::lessons) return true;
        if (p == t.subject_person) return true;
        return !teaching_elsewhere(p, d, c.group);
    };

    // An all-day follow-up, or one of an all-day target, lies on another day than its target.
    if (t.follows >= 0 && d == placed_[static_cast<size_t>(t.follows)].day &&
        (all_day || placed_[static_cast<size_t>(t.follows)].event.all_day))
        return fail(Stage::no_time);

    if (all_day) {
        if (d == min_day_ && min_minute_ > 0) return fail(Stage::range);  // it would start before
        for (int p : req)
            if (!under_max(p)) {
                if (diag) diag->max_per_day_days++;
                return fail(Stage::no_time);
            }
        for (const auto& pool : pools) {
            int best = -1;
            for (int p : pool)
                if (under_max(p) && std::find(req.begin(), req.end(), p) == req.end()) {
                    best = p;
                    break;
                }
            if (best < 0) return fail(Stage::no_time);
            req.push_back(best);
        }
        c.required = std::move(req);
        c.optional = optional_people(t, c.group, c.required, d);
        if (diag) diag->record(Stage::ok, wd);
        return c;
    }

    const int minutes = is_test ? in_.rules.test_periods[static_cast<size_t>(t.period)]
                                      .tests[static_cast<size_t>(t.test)]
                                      .minutes
                                : r->minutes;
    Minute first = window.start, last = window.end - minutes;
    if (is_test) {
        const TestPeriod& tp = in_.rules.test_periods[static_cast<size_t>(t.period)];
        if (tests_on_day(t.period, t.subject_group, d) >= tp.max_tests_per_day) {
            if (diag) diag->max_per_day_days++;
            return fail(Stage::no_time);
        }
        if (tp.morning_only)
            last = std::min(last, window.start + (window.end - window.start) / 2 - 1);
    }
    if (t.follows >= 0) {
        const Placed& target = placed_[static_cast<size_t>(t.follows)];
        if (d == target.day) {
            if (target.event.all_day) return fail(Stage::no_time);
            if (t.before)
                last = std::min(last, target.event.start - minutes);
            else
                first = std::max(first, target.event.end);
        }
    }
    for (int p : req)
        if (!under_max(p)) {
            if (diag) diag->max_per_day_days++;
            return fail(Stage::no_time);
        }
    for (int p : req)
        if (!may_attend_lessons(p)) {
            if (diag) diag->teaching_busy_days++;
            if (diag) diag->blocked_person[p]++;
            return fail(Stage::unavailable);
        }

    std::vector<int> optional = optional_people(t, c.group, req, d);
    std::optional<Choice> best;
    int best_opt = -1;
    auto try_start = [&](Minute start) {
        const Minute end = start + minutes;
        if (d == min_day_ && start < min_minute_) return;  // --as-of: not before the moment
        for (int p : req)
            if (!free_at(p, d, start, end)) {
                if (diag) diag->busy_person[p]++;
                return;
            }
        std::vector<int> chosen = req;
        for (size_t k = 0; k < pools.size(); ++k) {
            int pick = -1;
            int pick_load = 1 << 20;
            bool teaching = false;
            for (int p : pools[k]) {
                if (std::find(chosen.begin(), chosen.end(), p) != chosen.end()) continue;
                if (!may_attend_lessons(p)) {
                    teaching = true;
                    continue;
                }
                if (!under_max(p) || !free_at(p, d, start, end)) continue;
                const int load = week_load(p, d) * 4 + day_load(p, d);
                if (load < pick_load) pick_load = load, pick = p;
            }
            if (pick < 0) {
                if (diag) (teaching ? diag->role_teaching : diag->role_busy)[anys[k]->name]++;
                return;
            }
            chosen.push_back(pick);
        }
        // Optional attendees who are busy then are not invited to this occurrence (hard
        // constraint 2: nobody gets two overlapping events); the others are.
        std::vector<int> opt;
        int present = 0;
        for (int p : optional) {
            if (std::find(chosen.begin(), chosen.end(), p) != chosen.end()) continue;
            if (!free_at(p, d, start, end)) continue;
            opt.push_back(p);
            if (available(p, d)) ++present;
        }
        if (present > best_opt) {
            best_opt = present;
            best = Choice{d, start, end, c.group, std::move(chosen), std::move(opt)};
        }
    };
    if (fixed_start >= 0) {
        if (fixed_start >= first && fixed_start <= last) try_start(fixed_start);
    } else {
        // The grid counts from the start of the slot; a follow-up on its target's day starts at
        // the target's end.
        for (Minute start = first; start <= last; start += kGridMinutes) {
            try_start(start);
            if (best && best_opt == static_cast<int>(optional.size())) break;
        }
    }
    if (!best) return fail(Stage::no_time);
    if (diag) diag->record(Stage::ok, wd);
    return best;
}

bool Planner::place(const Task& t, bool strict) {
    const std::vector<int> days = candidate_days(t);
    const Event* prev = previous(t.uid);
    const size_t mark = placed_.size();
    std::optional<Choice> first_choice;
    int attempts = 0;
    const int fixed_start = (t.kind == TaskKind::rule &&
                             rules_[static_cast<size_t>(t.rule)].slot.kind == SlotKind::fixed)
                                ? rules_[static_cast<size_t>(t.rule)].slot.fixed_start
                                : -1;
    (void)prev;
    for (int d : days) {
        auto c = try_day(t, d, nullptr, fixed_start);
        if (!c) continue;
        if (!first_choice) first_choice = c;
        const int e = commit(t, *c);
        if (place_follow_ups(e, true)) return true;
        rollback_to(mark);
        if (++attempts >= kMaxJointAttempts) break;
    }
    if (strict) return false;
    if (!first_choice) {
        Diagnosis diag;
        for (int d = std::max(0, t.lo); d <= std::min(t.hi, D_ - 1); ++d)
            try_day(t, d, &diag, fixed_start);
        std::string reason = explain(t, diag);
        if (opt_.as_of && t.hi < min_day_ + (min_minute_ > 0 ? 1 : 0) && t.lo <= t.hi) {
            // Unplanned before for a reason of its own: that reason still says most.
            const Unplanned* before = nullptr;
            if (opt_.previous)
                for (const Unplanned& u : opt_.previous->unplanned)
                    if (u.occurrence == t.occurrence && u.subject == std::optional(t.subject_id) &&
                        u.rule == (t.kind == TaskKind::rule
                                       ? rules_[static_cast<size_t>(t.rule)].id
                                       : in_.rules.test_periods[static_cast<size_t>(t.period)].id))
                        before = &u;
            reason = before ? before->reason
                            : "de termijn (" + t.window_text + ") is al voorbij op " +
                                  format_date_nl(opt_.as_of->date);
        }
        unplanned(t, reason);
        if (t.kind == TaskKind::rule)
            unplanned_chain(t, "volgt op '" + rules_[static_cast<size_t>(t.rule)].id + "' (keer " +
                                   std::to_string(t.occurrence) +
                                   "), dat niet ingepland kon worden: " + reason);
        return false;
    }
    const int e = commit(t, *first_choice);
    place_follow_ups(e, false);
    return true;
}

bool Planner::place_follow_ups(int event, bool strict) {
    if (placed_[static_cast<size_t>(event)].event.status == EventStatus::cancelled) return true;
    for (const Task& f : follow_up_tasks(event)) {
        if (resolved_.count(f.uid)) continue;
        if (!place(f, strict)) {
            if (strict) return false;
        }
    }
    return true;
}

void Planner::unplanned(const Task& t, std::string reason) {
    Unplanned u;
    if (t.kind == TaskKind::test_session) {
        const TestPeriod& tp = in_.rules.test_periods[static_cast<size_t>(t.period)];
        u.rule = tp.id;
        reason = tp.tests[static_cast<size_t>(t.test)].name + ": " + reason;
    } else {
        u.rule = rules_[static_cast<size_t>(t.rule)].id;
    }
    u.subject = t.subject_id;
    u.occurrence = t.occurrence;
    u.reason = std::move(reason);
    if (!t.uid.empty()) unplanned_reason_[t.uid] = u.reason;
    unplanned_.push_back(std::move(u));
    unplanned_tasks_.push_back(t);
}

void Planner::find_blocked(const std::vector<Task>& roots) {
    for (const Task& t : unplanned_tasks_) {
        // Only what the earlier plan had placed: an item that was impossible before is not
        // made possible by moving others (and costs no repair runs).
        const Event* prev = previous(t.uid);
        if (!prev || prev->status == EventStatus::cancelled) continue;
        Blocked b;
        b.uid = t.uid;
        b.root_uid = t.uid;
        if (t.follows >= 0) {
            // The root of its chain: the occurrence it follows, or what that one follows.
            std::string up = placed_[static_cast<size_t>(t.follows)].event.uid;
            for (int guard = 0; guard < 8; ++guard) {
                const Event* e = nullptr;
                for (const Placed& pl : placed_)
                    if (pl.event.uid == up) e = &pl.event;
                if (!e || !e->follows) break;
                up = *e->follows;
            }
            b.root_uid = up;
        }
        if (std::none_of(roots.begin(), roots.end(),
                         [&](const Task& r) { return r.uid == b.root_uid; }))
            continue;
        std::vector<int> people =
            t.kind == TaskKind::rule ? fixed_required(t, -1) : std::vector<int>{};
        for (const AttendeeSpec* a : any_specs(t))
            for (int p = 0; p < P_; ++p)
                if (s_.persons[static_cast<size_t>(p)].has_role(a->name)) people.push_back(p);
        if (t.kind == TaskKind::test_session)
            for (int p : group_teacher_people(t.subject_group, -1)) people.push_back(p);
        for (const Placed& pl : placed_) {
            if (b.blockers.size() >= kMaxBlockers) break;
            if (!kept_.count(pl.event.uid) || pl.day < std::max(t.lo, min_day_) || pl.day > t.hi)
                continue;
            const bool shares = std::any_of(pl.required.begin(), pl.required.end(), [&](int p) {
                return std::find(people.begin(), people.end(), p) != people.end();
            });
            if (shares) b.blockers.push_back(pl.event.uid);
        }
        if (!b.blockers.empty()) blocked_.push_back(std::move(b));
    }
}

void Planner::unplanned_chain(const Task& t, const std::string& why) {
    if (t.kind != TaskKind::rule) return;
    for (int ri : followers_[static_cast<size_t>(t.rule)]) {
        Task f;
        f.rule = ri;
        f.subject_id = t.subject_id;
        f.occurrence = t.occurrence;
        f.uid = make_uid(s_.id, s_.school_year, "rule", rules_[static_cast<size_t>(ri)].id,
                         f.subject_id, f.occurrence);
        unplanned(f, why);
        unplanned_chain(f, why);
    }
}

std::string Planner::explain(const Task& t, const Diagnosis& d) {
    const std::string when = t.window_text.empty() ? range_text(t.lo, t.hi) : t.window_text;
    const bool is_test = t.kind == TaskKind::test_session;
    const Rule* r = is_test ? nullptr : &rules_[static_cast<size_t>(t.rule)];
    if (t.lo > t.hi) return "er is geen dag " + when + " binnen het schooljaar";
    std::string who;
    if (t.subject_person >= 0) who = pname(t.subject_person);
    if (t.subject_group >= 0) who = s_.groups[static_cast<size_t>(t.subject_group)].name;

    switch (d.furthest) {
        case Stage::range:
        case Stage::closed:
            return when + " is er geen werkdag (vakantie, feestdag of vrije dag)";
        case Stage::studiedag:
            return when +
                   " zijn er alleen studiedagen; tijdens lestijd (slot = lessons) kan dat niet";
        case Stage::avoid_test_period:
            return when + " vallen alle werkdagen in een toetsperiode (avoid = test_periods)";
        case Stage::avoid_first_day:
            return when +
                   " is elke werkdag de eerste dag na een vakantie of vrije dag "
                   "(avoid = first_day_after_holiday)";
        case Stage::no_lessons:
            return when + " zijn er geen lestijden op de mogelijke dagen ([school.hours])";
        case Stage::not_teaching:
            if (is_test) return who + " heeft " + when + " op geen enkele lesdag een leerkracht";
            return who + " geeft " + when +
                   " geen les (geen lesdag in 'teachers', of alleen "
                   "op dagen die niet in aanmerking komen)";
        case Stage::unavailable: {
            std::string msg;
            const std::string wds = d.weekdays_reaching_availability.to_string();
            if (r && r->for_each.kind == SubjectKind::teacher &&
                r->slot.kind == SlotKind::lessons && t.subject_person >= 0) {
                std::vector<std::string> groups;
                for (int g = 0; g < G_; ++g)
                    for (const auto& ta : s_.groups[static_cast<size_t>(g)].teachers)
                        if (ta.person == t.subject_id)
                            groups.push_back(s_.groups[static_cast<size_t>(g)].name);
                msg = who + " geeft " + join_names(groups) + " alleen les op " + wds + "; ";
            } else if (!wds.empty()) {
                msg = "de mogelijke dagen zijn " + wds + "; ";
            }
            std::vector<std::string> parts;
            // Two or more required people who never work on the same weekday: say that.
            if (d.blocked_person.size() >= 2) {
                WeekdaySet common(0x1F);
                std::vector<std::string> who_days;
                for (const auto& [p, n] : d.blocked_person) {
                    const Person& person = s_.persons[static_cast<size_t>(p)];
                    common = common & person.works;
                    who_days.push_back(person.name + " (" + person.works.to_string() + ")");
                }
                if (common.empty())
                    return join_names(who_days) + " werken nooit op dezelfde dag (" + when + ")";
            }
            for (const auto& [role, n] : d.blocked_role)
                parts.push_back("geen " + role_label(role) + " werkt op " + wds);
            for (const auto& [p, n] : d.blocked_person) {
                const Person& person = s_.persons[static_cast<size_t>(p)];
                std::string part = person.name + " werkt alleen op " + person.works.to_string();
                for (const auto& a : person.absent)
                    part += " en is " + a.reason + " van " + format_date(a.range.from) + " t/m " +
                            format_date(a.range.to);
                if (d.teaching_busy_days > 0 && t.subject_person != p && !teach_.empty())
                    part += " (of staat dan zelf voor de klas)";
                parts.push_back(part);
            }
            if (parts.empty()) parts.push_back("niet iedereen is beschikbaar");
            return msg + join_names(parts) + " (" + when + ")";
        }
        case Stage::no_time:
        case Stage::ok: {
            if (d.max_per_day_days > 0 && d.busy_person.empty()) {
                if (is_test)
                    return "elke mogelijke dag " + when +
                           " heeft al het maximum aantal toetsen "
                           "(max_tests_per_day)";
                return "max_per_day (" + std::to_string(r->max_per_day.value_or(0)) +
                       ") is op elke mogelijke dag " + when + " al bereikt";
            }
            std::string busiest;
            int most = 0;
            for (const auto& [p, n] : d.busy_person)
                if (n > most) most = n, busiest = pname(p);
            for (const auto& [role, n] : d.role_teaching)
                if (n > most && d.busy_person.empty())
                    return "op de mogelijke dagen " + when + " staat elke " + role_label(role) +
                           " die dan werkt, tijdens lestijd zelf voor de klas";
            for (const auto& [role, n] : d.role_busy)
                if (n > most) most = n, busiest = "elke " + role_label(role);
            const int minutes = is_test ? in_.rules.test_periods[static_cast<size_t>(t.period)]
                                              .tests[static_cast<size_t>(t.test)]
                                              .minutes
                                        : r->minutes;
            std::string msg = "op de " + std::to_string(d.days[static_cast<int>(Stage::no_time)]) +
                              " dagen " + when +
                              " waarop iedereen werkt, is geen vrij moment van " +
                              std::to_string(minutes) + " minuten";
            if (!busiest.empty())
                msg += busiest.rfind("elke ", 0) == 0
                           ? "; de agenda van " + busiest + " is dan vol"
                           : "; de agenda van " + busiest + " is dan vol";
            return msg;
        }
    }
    return "niet in te plannen " + when;
}

// ============================================================================================
// previous plan

Placed Planner::placed_from(const Event& e) const {
    Placed pl;
    pl.event = e;
    pl.day = cal_.index(e.date);
    pl.occupies = e.status != EventStatus::cancelled && pl.day >= 0;
    for (const auto& id : e.attendees)
        if (auto it = person_index_.find(id); it != person_index_.end())
            pl.required.push_back(it->second);
    for (const auto& id : e.optional_attendees)
        if (auto it = person_index_.find(id); it != person_index_.end())
            pl.optional.push_back(it->second);
    for (int ri = 0; ri < R_; ++ri)
        if (e.kind == EventKind::rule && rules_[static_cast<size_t>(ri)].id == e.rule) pl.rule = ri;
    if (e.group)
        for (int g = 0; g < G_; ++g)
            if (s_.groups[static_cast<size_t>(g)].id == *e.group) pl.group = g;
    return pl;
}

void Planner::pin_previous() {
    if (!opt_.previous) return;
    for (const Event& e : opt_.previous->events) {
        if (e.kind == EventKind::test_period) continue;
        const bool history = opt_.as_of && starts_before(e, *opt_.as_of);
        if (e.status == EventStatus::planned && !history) continue;
        Placed pl = placed_from(e);
        occupy(pl, +1);
        resolved_.insert(e.uid);
        placed_.push_back(std::move(pl));
    }
}

bool Planner::try_keep(const Task& t) {
    const Event* prev = previous(t.uid);
    if (!prev || prev->status != EventStatus::planned || resolved_.count(t.uid)) return false;
    if (hints_.no_keep.count(t.uid)) return false;  // a repair lets it move
    const int d = cal_.index(prev->date);
    if (d < 0) return false;
    const Rule* r = t.kind == TaskKind::rule ? &rules_[static_cast<size_t>(t.rule)] : nullptr;
    if (r && prev->all_day != r->all_day) return false;
    // Keep the people chosen before (the same IB'er) when they still fit; else any valid choice.
    std::optional<Choice> c;
    const int start = prev->all_day ? -1 : prev->start;
    if (t.kind == TaskKind::rule) {
        std::vector<int> people;
        bool all_known = true;
        for (const auto& id : prev->attendees) {
            auto it = person_index_.find(id);
            if (it == person_index_.end())
                all_known = false;
            else
                people.push_back(it->second);
        }
        // The previous people are valid only if they are what the rule asks for now.
        std::vector<int> fixed = fixed_required(t, -1);
        bool covers = all_known;
        for (int p : fixed)
            if (std::find(people.begin(), people.end(), p) == people.end()) covers = false;
        if (covers && people.size() == fixed.size() + any_specs(t).size()) {
            bool roles_ok = true;
            std::vector<int> extra;
            for (int p : people)
                if (std::find(fixed.begin(), fixed.end(), p) == fixed.end()) extra.push_back(p);
            auto specs = any_specs(t);
            for (size_t i = 0; i < specs.size() && i < extra.size(); ++i)
                if (!s_.persons[static_cast<size_t>(extra[i])].has_role(specs[i]->name) ||
                    extra[i] == t.subject_person)
                    roles_ok = false;
            if (roles_ok) c = try_day(t, d, nullptr, start, &people);
        }
    }
    if (!c) c = try_day(t, d, nullptr, start);
    if (!c || (!prev->all_day && (c->start != prev->start || c->end != prev->end))) {
        // Why the old moment no longer holds, for the list of changes.
        Diagnosis diag;
        try_day(t, d, &diag, start);
        kept_failed_[t.uid] = diag.furthest == Stage::ok
                                  ? "het oude moment botst nu met een andere afspraak"
                                  : explain(t, diag);
        return false;
    }
    const int e = commit(t, *c);
    kept_.insert(t.uid);
    keep_follow_ups(e);
    return true;
}

void Planner::keep_follow_ups(int event) {
    // A cancelled occurrence takes its follow-ups with it (they end up cancelled in finish()).
    if (placed_[static_cast<size_t>(event)].event.status == EventStatus::cancelled) return;
    for (const Task& f : follow_up_tasks(event)) try_keep(f);
}

// ============================================================================================

Plan Planner::run() {
    if (opt_.as_of) {
        // Nothing new before the moment: from its day on, and on that day from its minute.
        const Date from = std::max(opt_.as_of->date, cal_.first_day());
        min_day_ = opt_.as_of->date > cal_.last_day() ? D_ : cal_.index(from);
        min_minute_ = opt_.as_of->date < cal_.first_day() ? 0 : opt_.as_of->minute;
    }
    pin_previous();
    std::vector<Task> roots = root_tasks();
    if (opt_.previous) {
        for (const Task& t : roots) {
            if (try_keep(t)) continue;
            // A pinned (done/moved) target may still have follow-ups to keep.
            if (resolved_.count(t.uid))
                for (size_t i = 0; i < placed_.size(); ++i)
                    if (placed_[i].event.uid == t.uid) keep_follow_ups(static_cast<int>(i));
        }
    }
    auto place_root = [&](const Task& t) {
        if (!resolved_.count(t.uid)) {
            place(t, false);
            return;
        }
        for (size_t i = 0; i < placed_.size(); ++i)
            if (placed_[i].event.uid == t.uid) {
                place_follow_ups(static_cast<int>(i), false);
                break;
            }
    };
    // A repair's occurrences first, so that the events let go do not take their place again.
    for (const Task& t : roots)
        if (hints_.first.count(t.uid)) place_root(t);
    for (const Task& t : roots)
        if (!hints_.first.count(t.uid)) place_root(t);
    if (opt_.previous) find_blocked(roots);
    return finish();
}

std::vector<std::string> Planner::check_move(const std::string& uid, Date date, Minute start) {
    const Event* target = previous(uid);
    if (!target) return {"onbekende afspraak '" + uid + "'"};
    if (target->kind == EventKind::test_period) return {"een toetsperiode wordt niet verzet"};
    const int d = cal_.index(date);
    if (d < 0) return {format_date(date) + " valt buiten het schooljaar"};
    // Everything else as it is now (planned ones included), then this one at its new time.
    for (const Event& e : opt_.previous->events) {
        if (e.uid == uid || e.kind == EventKind::test_period || e.status == EventStatus::cancelled)
            continue;
        Placed pl = placed_from(e);
        occupy(pl, +1);
        placed_.push_back(std::move(pl));
    }
    // Hard constraint 4 first: the occurrence's own term (its window, `after`/`before` bounds,
    // fixed date or test period), as the planner itself would give it.
    std::vector<std::string> conflicts;
    if (auto own = own_task(*target); own && (d < own->lo || d > own->hi))
        conflicts.push_back(format_date(date) + " valt buiten de termijn van deze afspraak (" +
                            own->window_text + ")");
    // Then every other constraint on the new day.
    Task t;
    if (target->kind == EventKind::test_session) {
        t.kind = TaskKind::test_session;
        for (size_t pi = 0; pi < in_.rules.test_periods.size(); ++pi)
            if (in_.rules.test_periods[pi].id == target->rule) t.period = static_cast<int>(pi);
        for (int g = 0; g < G_; ++g)
            if (s_.groups[static_cast<size_t>(g)].id == target->group.value_or(""))
                t.subject_group = g;
        t.test = target->occurrence - 1;
        if (t.period < 0 || t.subject_group < 0 ||
            t.test >= static_cast<int>(
                          in_.rules.test_periods[static_cast<size_t>(t.period)].tests.size()))
            return {"deze toets staat niet meer in de regels"};
    } else {
        for (int ri = 0; ri < R_; ++ri)
            if (rules_[static_cast<size_t>(ri)].id == target->rule) t.rule = ri;
        if (t.rule < 0) return {"de regel '" + target->rule + "' bestaat niet meer"};
        if (auto it = person_index_.find(target->subject.value_or("")); it != person_index_.end())
            t.subject_person = it->second;
        for (int g = 0; g < G_; ++g)
            if (s_.groups[static_cast<size_t>(g)].id == target->subject.value_or(""))
                t.subject_group = g;
    }
    t.subject_id = target->subject.value_or("");
    t.occurrence = target->occurrence;
    t.uid = uid;
    t.lo = t.hi = d;
    t.window_text = "op " + format_date(date);
    std::vector<int> people;
    for (const auto& id : target->attendees)
        if (auto it = person_index_.find(id); it != person_index_.end())
            people.push_back(it->second);
    const std::vector<int>* keep = t.kind == TaskKind::rule ? &people : nullptr;
    const Minute s = target->all_day ? -1 : start;
    // A fixed-time rule moved by hand may get another start time; everything else holds.
    moving_ = true;
    if (try_day(t, d, nullptr, s, keep)) return conflicts;
    Diagnosis diag;
    try_day(t, d, &diag, s, keep);
    conflicts.push_back(explain(t, diag));
    return conflicts;
}

std::optional<Task> Planner::own_task(const Event& target) {
    for (Task& t : root_tasks())
        if (t.uid == target.uid) return std::move(t);
    if (!target.follows) return std::nullopt;
    for (size_t i = 0; i < placed_.size(); ++i)
        if (placed_[i].event.uid == *target.follows)
            for (Task& t : follow_up_tasks(static_cast<int>(i)))
                if (t.uid == target.uid) return std::move(t);
    return std::nullopt;
}

std::vector<PlanChange> Planner::changes_against_previous(const Plan& plan) const {
    std::vector<PlanChange> out;
    for (const Event& e : plan.events) {
        const Event* prev = previous(e.uid);
        if (!prev || e.kind == EventKind::test_period) continue;
        if (prev->status == EventStatus::cancelled || prev->status == EventStatus::done) continue;
        PlanChange c{e.uid, e.title, "", prev->start_iso(), "", ""};
        if (e.status == EventStatus::cancelled) {
            c.what = "cancelled";
            c.reason = e.note.rfind("vervallen: ", 0) == 0 ? e.note.substr(11) : e.note;
        } else if (e.date != prev->date || e.start != prev->start || e.all_day != prev->all_day) {
            c.what = "moved";
            c.to = e.start_iso();
            const Event* target = e.follows ? plan.find(*e.follows) : nullptr;
            const Event* was = e.follows ? previous(*e.follows) : nullptr;
            if (target && was &&
                (target->date != was->date || target->status == EventStatus::moved ||
                 target->status == EventStatus::done))
                c.reason = "gaat mee met de afspraak waar hij op volgt";
            else if (auto it = kept_failed_.find(e.uid); it != kept_failed_.end())
                c.reason = it->second;
            else
                c.reason = "verplaatst om plaats te maken";
        } else {
            continue;
        }
        out.push_back(std::move(c));
    }
    return out;
}

Plan Planner::finish() {
    Plan plan;
    plan.school = s_.id;
    plan.school_name = s_.name;
    plan.school_year = s_.school_year;
    plan.timezone = s_.timezone;
    plan.stamp = opt_.stamp;
    plan.closures = cal_.closures();
    for (const auto& w : in_.warnings.items()) plan.warnings.push_back(w.message);

    std::set<std::string> uids;
    for (Placed& pl : placed_) {
        Event e = std::move(pl.event);
        uids.insert(e.uid);
        if (const Event* prev = previous(e.uid); prev && prev != nullptr) {
            if (e.status != EventStatus::planned) {
                // pinned: exactly as it was
            } else {
                const bool same = prev->date == e.date && prev->end_date == e.end_date &&
                                  prev->all_day == e.all_day && prev->start == e.start &&
                                  prev->end == e.end && prev->title == e.title &&
                                  prev->description == e.description && prev->status == e.status &&
                                  prev->attendees == e.attendees &&
                                  prev->optional_attendees == e.optional_attendees;
                e.sequence = same ? prev->sequence : prev->sequence + 1;
                e.last_modified = same ? prev->last_modified : opt_.stamp;
                e.note = prev->note;
            }
        } else {
            e.sequence = 0;
            e.last_modified = opt_.stamp;
        }
        plan.events.push_back(std::move(e));
    }
    // Test periods: one all-day event each.
    for (const auto& tp : in_.rules.test_periods) {
        Event e;
        e.uid = make_uid(s_.id, s_.school_year, "period", tp.id, "", 1);
        e.rule = tp.id;
        e.kind = EventKind::test_period;
        e.title = tp.name;
        std::vector<std::string> names;
        for (const auto& t : tp.tests) names.push_back(t.name);
        e.description = "Toetsen: " + join_names(names) + ".";
        e.all_day = true;
        e.date = tp.range.from;
        e.end_date = tp.range.to;
        e.phase = Phase::check;
        e.sequence = 0;
        e.last_modified = opt_.stamp;
        if (const Event* prev = previous(e.uid)) {
            const bool same = prev->date == e.date && prev->end_date == e.end_date &&
                              prev->title == e.title && prev->description == e.description;
            e.sequence = same ? prev->sequence : prev->sequence + 1;
            e.last_modified = same ? prev->last_modified : opt_.stamp;
        }
        uids.insert(e.uid);
        plan.events.push_back(std::move(e));
    }
    // Events of the previous plan that no longer have a place (a teacher left, a rule was
    // removed): done ones stay as the record of what happened; the rest is cancelled, so that
    // nothing silently disappears from the history.
    if (opt_.previous)
        for (const Event& prev : opt_.previous->events) {
            if (uids.count(prev.uid)) continue;
            Event e = prev;
            if (e.status == EventStatus::planned || e.status == EventStatus::moved) {
                e.status = EventStatus::cancelled;
                e.sequence = prev.sequence + 1;
                e.last_modified = opt_.stamp;
                auto why = unplanned_reason_.find(e.uid);
                const Person* subject = e.subject ? s_.person(*e.subject) : nullptr;
                if (why != unplanned_reason_.end())
                    e.note = "vervallen: niet meer in te plannen (" + why->second + ")";
                else if (subject && (subject->until || subject->from) &&
                         !subject->at_school(e.date))
                    // Required only while there (spec: "Changes during the year").
                    e.note =
                        "vervallen: niet meer nodig, " + subject->name +
                        (subject->until && e.date > *subject->until
                             ? " is na " + format_date_nl(*subject->until) + " niet meer op school"
                             : " is dan nog niet op school");
                else
                    e.note = "vervallen: staat niet meer in de regels";
            }
            plan.events.push_back(std::move(e));
        }
    sort_events(plan.events);
    plan.as_of = opt_.as_of;
    if (opt_.previous) plan.changes = changes_against_previous(plan);
    plan.unplanned = std::move(unplanned_);
    std::stable_sort(plan.unplanned.begin(), plan.unplanned.end(),
                     [&](const Unplanned& a, const Unplanned& b) {
                         if (a.rule != b.rule) return a.rule < b.rule;
                         if (a.subject != b.subject) return a.subject < b.subject;
                         return a.occurrence < b.occurrence;
                     });
    // A daemon keeps a plan per school for months: no spare capacity (up to half of it after
    // push_back and append growth; about 100 KB per school).
    plan.events.shrink_to_fit();
    for (Event& e : plan.events) {
        e.attendees.shrink_to_fit();
        e.optional_attendees.shrink_to_fit();
        e.uid.shrink_to_fit();
        e.title.shrink_to_fit();
        e.description.shrink_to_fit();
    }
    return plan;
}

}  // namespace

std::string make_uid(std::string_view school, std::string_view school_year, std::string_view kind,
                     std::string_view rule, std::string_view subject, int occurrence) {
    // UUID v5 (RFC 4122 name-based, SHA-1) over the identity of the occurrence: stable across
    // runs and machines, and never dependent on the date.
    static const boost::uuids::uuid ns =
        boost::uuids::string_generator()("6f1d3c2a-8a4e-4c7b-9e0d-6a61726b616c");
    boost::uuids::name_generator_sha1 gen(ns);
    std::string name;
    name.reserve(96);
    name.append(school).append("/").append(school_year).append("/").append(kind).append("/");
    name.append(rule).append("/").append(subject).append("/").append(std::to_string(occurrence));
    return boost::uuids::to_string(gen(name)) + "@" + std::string(school) + ".jaarkalender";
}

std::vector<std::string> move_conflicts(const LoadedSchool& school, const Plan& plan,
                                        const std::string& uid, Date date, Minute start) {
    PlanOptions o;
    o.previous = &plan;
    Planner planner(school, o);
    return planner.check_move(uid, date, start);
}

Plan make_plan(const LoadedSchool& school, const PlanOptions& options) {
    Planner planner(school, options);
    Plan plan = planner.run();
    if (!options.previous || planner.blocked().empty()) return plan;
    // Minimal perturbation, not keep-at-all-cost (spec: "Stable re-planning"): an occurrence the
    // earlier plan had placed, and that now only fits where a kept future event stands, is
    // placed by letting that event move (and be placed again elsewhere), one event at a time,
    // as long as that plans more. Bounded: kMaxRepairRuns runs of the planner.
    RepairHints hints;
    std::vector<Blocked> todo = planner.blocked();
    int runs = 0;
    for (size_t i = 0; i < todo.size() && runs < kMaxRepairRuns; ++i) {
        for (const std::string& blocker : todo[i].blockers) {
            if (runs >= kMaxRepairRuns) break;
            RepairHints trial = hints;
            trial.no_keep.insert(blocker);
            trial.first.insert(todo[i].root_uid);
            Planner again(school, options, trial);
            Plan better = again.run();
            ++runs;
            const Event* now = better.find(todo[i].uid);
            const bool placed = now && now->status != EventStatus::cancelled;
            if (placed && better.unplanned.size() < plan.unplanned.size()) {
                plan = std::move(better);
                hints = std::move(trial);
                break;
            }
        }
    }
    return plan;
}

}  // namespace jk
