// Next school year in the daemon (docs/input.md, "Next school year"): the proposal from the
// current year, the draft year stored beside it and edited with the change kinds, publishing it
// to everyone beside the current year. A draft is planned afresh from its input at every change
// (nobody has seen it); a published year is re-planned stably, as the current year is.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "daemon/schools/registry.hpp"
#include "jaarkalender/next_year.hpp"

namespace jk::daemon {

/// A to-do of a draft year ("Datum nog invullen: Trendanalyse"), ticked off by a lead.
struct YearTodo {
    std::string text;
    bool done = false;
};
std::vector<YearTodo> todos_from_json(const std::string& text);
std::string todos_to_json(const std::vector<YearTodo>& todos);

/// A year beside the current one, planned: what the pages, the API and the feeds show of it.
struct YearView {
    SchoolYearRow row;
    std::vector<YearTodo> todo;
    std::shared_ptr<const LoadedSchool> school;
    std::shared_ptr<const Plan> plan;
    long long input_version = 0;
    /// The loader's words when the year's input does not load (it then has no plan).
    std::vector<std::string> errors;
    /// A year that was current (after the switch): its stored plan with its change records
    /// replayed, the newest of which is `through_change` (late marks build on it).
    bool past = false;
    long long through_change = 0;
    [[nodiscard]] int open_todos() const;
};

class YearService {
  public:
    YearService(SchoolRegistry& schools, Store& store, Clock& clock)
        : schools_(schools), store_(store), clock_(clock) {}

    [[nodiscard]] const OfficialHolidays& official() const { return schools_.official(); }
    /// The proposal for `year` from the school's current year (its loader's words when there is
    /// none); `year` empty: the year after the current one.
    Result<NextYearProposal> propose(const std::string& school, std::string year) const;

    enum class StartOutcome { started, exists, invalid, unknown_school };
    struct Started {
        StartOutcome outcome = StartOutcome::started;
        std::vector<std::string> errors;
        std::string school_year;
    };
    /// Stores the proposal for `year` as the school's draft (its first input version).
    Started start(const std::string& school, const std::string& year, const std::string& actor);

    /// The years of a school beside its current one (draft, published), by year.
    std::vector<SchoolYearRow> years(const std::string& school) const;
    /// Every school year with a stored plan, per school (the past ones in the school list).
    std::map<std::string, std::vector<std::string>> planned_years() const {
        return store_.planned_years();
    }
    /// Every school's years beside its current one (the board).
    std::map<std::string, std::vector<SchoolYearRow>> all_years() const;
    /// A draft or published year of a school, planned (cached per input version); or a past
    /// year (one that was current), as its stored plan and change records say.
    std::shared_ptr<const YearView> view(const std::string& school, const std::string& year);
    /// The school as of `year` (`current` itself when that is its year): a past, published or
    /// (with `drafts`) draft year, as a snapshot to read (no feeds); null when there is none.
    std::shared_ptr<const SchoolSnapshot> as_of_year(const SchoolSnapshot& current,
                                                     const std::string& year, bool drafts);
    /// The years to switch between on a page: past ones, the current, a published next year
    /// and (with `drafts`) a draft, oldest first, each with its label ("2027-2028 (concept)").
    std::vector<std::pair<std::string, std::string>> switchable(const SchoolSnapshot& current,
                                                                bool drafts);
    /// A year of the school that was current before this one, if it has a stored plan.
    std::shared_ptr<const YearView> past(const std::string& school, const std::string& year);
    /// The same from its newest stored plan, already read (the trend reads them all at once).
    std::shared_ptr<const YearView> past(const StoredPlan& newest);
    /// After a late change record of a past year: its view is read again.
    void forget_past(const std::string& school, const std::string& year);
    /// True when `year` is a draft or published year of the school (not current, not past).
    bool upcoming(const std::string& school, const std::string& year) const;

    /// The plan of a new input of an upcoming year: afresh for a draft, against the plan staff
    /// have seen for a published year.
    Plan plan(const YearView& before, const LoadedSchool& school) const;
    /// After a new input version of an upcoming year is stored, with the school's lock held: its
    /// view, and for a published year its plan kept and the feeds rendered again.
    void adopted(const std::string& school, const std::string& year, long long input_version,
                 std::shared_ptr<const LoadedSchool> loaded, Plan plan);

    enum class PublishOutcome { published, already, not_found, invalid };
    /// Publishes a draft: staff feeds and the parents' jaarrooster hold it beside the current
    /// year from now on.
    PublishOutcome publish(const std::string& school, const std::string& year,
                           const std::string& actor);
    /// Called after a year is published (the mailer tells everyone in it); set before use.
    using PublishListener = std::function<void(const std::string& school, const YearView& year)>;
    void on_publish(PublishListener listener) { on_publish_ = std::move(listener); }
    /// Ticks a to-do of a draft off (or on again).
    bool set_todo(const std::string& school, const std::string& year, std::size_t index, bool done,
                  const std::string& actor);

    /// What a school's feeds hold beside its current year `current` today: the year before until
    /// the first school day, and a published next year.
    YearsBeside beside(const LoadedSchool& current);

    /// The daily work of the years (cheap on other calls; the daemon calls it every few
    /// seconds): the day after the current year's last day, a published next year becomes
    /// current (its published plan is the school's plan; pages, overdue lists, reminders and
    /// digests are of it); on its first school day the feeds drop the year before.
    void tick();

  private:
    std::shared_ptr<const YearView> load_view(const SchoolYearRow& row);
    /// The switch of one school to its published next year `row` (with the school's lock).
    void switch_to(const std::string& school, SchoolYearRow row);
    /// Renders the school's feeds again with its published year (after publishing or a change).
    void render_feeds(const std::string& school);

    SchoolRegistry& schools_;
    Store& store_;
    Clock& clock_;
    std::mutex mu_;
    std::map<std::pair<std::string, std::string>, std::shared_ptr<const YearView>> views_;
    std::map<std::pair<std::string, std::string>, std::shared_ptr<const YearView>> past_;
    PublishListener on_publish_;
    Date ticked_{};      // the day tick() last did its work
    bool dirty_ = true;  // a year was published since: tick() looks again
};

}  // namespace jk::daemon
