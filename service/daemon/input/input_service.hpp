// The school's input in the daemon (docs/input.md): staff changes made in the pages or the API,
// validated as the files are, re-planned as of the clock, previewed or stored as a new input
// version, published, mailed; undone as a new version; the history.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "daemon/http/throttle.hpp"
#include "daemon/schools/registry.hpp"
#include "daemon/years/year_service.hpp"
#include "jaarkalender/staff_change.hpp"

namespace jk::daemon {

/// What a staff change did, or why it did not: a domain result that the API and the pages each
/// say in their own way.
struct StaffChangeResult {
    enum class Outcome {
        applied,         // stored; the school is re-planned and published
        previewed,       // nothing stored: what it would do
        invalid,         // `errors` say why, at their field
        unknown_school,  // no such school (or not planned yet)
        unknown_change,  // undo: no such change, or it was undone already
        unknown_year,    // `school_year` is neither the current year nor a draft or published one
        rate_limited,    // too many changes; `retry_after` seconds
    };
    Outcome outcome = Outcome::applied;
    std::vector<FieldError> errors;
    ChangeConsequences consequences;
    std::string summary;
    long long version = 0;  // applied: the new input version
    int retry_after = 0;
    /// The school as it is with the change (previewed, applied): names of new people.
    std::shared_ptr<const LoadedSchool> school;
};

class InputService {
  public:
    /// `writes`: the per-account limit of changes, shared with tracking.
    InputService(SchoolRegistry& schools, PlanStore& inputs, RateLimit& writes, Clock& clock,
                 YearService& years)
        : schools_(schools), inputs_(inputs), writes_(writes), clock_(clock), years_(years) {}

    /// A staff change by `actor` (rights are the caller's to check): validated as the files are,
    /// re-planned as of now; with `preview` nothing is stored, else it is stored as a new input
    /// version, published, and whoever is affected is mailed.
    /// `school_year`: a draft or published next year instead of the current one (empty: the
    /// current): a draft is planned afresh, nobody is mailed (docs/input.md, "Next school year").
    StaffChangeResult staff_change(const std::string& school, const std::string& actor,
                                   const StaffChange& change, bool preview,
                                   const std::string& school_year = {});
    /// Undoes the change of input version `version` as a new version (history is not rewritten).
    StaffChangeResult undo_staff_change(const std::string& school, const std::string& actor,
                                        long long version, bool preview,
                                        const std::string& school_year = {});
    /// The school's input as it stands now (its newest version), or nothing for an unknown school.
    std::optional<SchoolSources> current_input(const std::string& school);
    /// The input of `school_year` (empty or the current year: current_input).
    std::optional<SchoolSources> input_of(const std::string& school,
                                          const std::string& school_year);
    /// Whether `school_year` names a year changes can be made to: empty, the current year, or a
    /// draft or published next year (then `upcoming`).
    bool known_year(const std::string& school, const std::string& school_year, bool& upcoming);
    /// The official vacations the schools are planned with.
    [[nodiscard]] const OfficialHolidays& official() const;
    YearService& years() { return years_; }
    /// Every input version of a school, oldest first.
    std::vector<InputVersion> history(const std::string& school,
                                      const std::string& school_year = {}) {
        bool upcoming = false;
        if (!school_year.empty() && known_year(school, school_year, upcoming) && upcoming)
            return inputs_.input_versions_of(school, school_year);
        return inputs_.input_versions(school);
    }

  private:
    /// True (and `out` says so) when this account has made too many changes just now.
    bool rate_limited(const std::string& school, const std::string& actor, StaffChangeResult& out);
    /// A new input for a school (a change or an undo): planned as of now against the plan of
    /// today; stored and published unless `preview`. `based_on`: the newest input version it
    /// was made from (another daemon's newer one makes it fail with StoreConflict).
    StaffChangeResult change_input(const std::string& school, const std::string& actor,
                                   const SchoolSources& sources, const LoadedSchool& loaded,
                                   InputVersion version, long long based_on, bool preview);
    /// Stores `version` (of `year`) as the school's newest input on top of `based_on`, with its
    /// audit line; its id set. StoreConflict when another daemon stored one in between.
    void store_version(const std::string& school, const std::string& year, const std::string& actor,
                       const SchoolSources& sources, InputVersion& version, long long based_on,
                       bool upcoming);
    /// The same for a draft or published next year: planned by the YearService, nobody mailed.
    StaffChangeResult change_year_input(const std::string& school, const std::string& year,
                                        const std::string& actor, const SchoolSources& sources,
                                        const LoadedSchool& loaded, InputVersion version,
                                        long long based_on, bool preview);

    SchoolRegistry& schools_;
    PlanStore& inputs_;
    RateLimit& writes_;
    Clock& clock_;
    YearService& years_;
};

}  // namespace jk::daemon
