// Internal to the planner: the school as indexes it looks things up in, built once per plan.
// People, groups and rules by position; per day whether it is a school or staff day, who is
// available and who stands in front of which group.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "jaarkalender/loader.hpp"

namespace jk::planner {

class SchoolIndex {
  public:
    explicit SchoolIndex(const LoadedSchool& in);

    const LoadedSchool& in;
    const School& school;
    const std::vector<Rule>& rules;
    const SchoolCalendar& cal;

    [[nodiscard]] int persons() const { return persons_; }
    [[nodiscard]] int groups() const { return groups_; }
    [[nodiscard]] int days() const { return days_; }
    [[nodiscard]] int weeks() const { return weeks_; }
    [[nodiscard]] int rule_count() const { return rules_; }
    [[nodiscard]] int periods() const { return static_cast<int>(in.rules.test_periods.size()); }

    /// Index of person × day in the flat per-person-day arrays.
    [[nodiscard]] size_t pd(int p, int d) const {
        return static_cast<size_t>(p) * static_cast<size_t>(days_) + static_cast<size_t>(d);
    }
    /// p works that day and is not absent (hard constraint 2).
    [[nodiscard]] bool available(int p, int d) const { return available_[pd(p, d)] != 0; }
    /// The groups p stands in front of on day d (assignments of that date, substitutes).
    [[nodiscard]] const std::vector<int>& groups_taught(int p, int d) const {
        return teaches_[pd(p, d)];
    }
    /// The teachers of group g on day d (School::group_teachers_on: a substitute for one who is
    /// absent), or with d = -1 everyone ever assigned to it; each once. Worked out on first use
    /// and kept (the planner asks for the same group and day thousands of times).
    [[nodiscard]] const std::vector<int>& group_teachers(int g, int d) const;
    /// Who stands in front of group g on day d (School::teachers_on), kept like
    /// group_teachers.
    [[nodiscard]] const std::vector<int>& teachers_on(int g, int d) const;
    [[nodiscard]] int week_of(int d) const { return (d + first_weekday_) / 7; }
    [[nodiscard]] int school_day_ordinal(int d) const {
        return school_day_ordinal_[static_cast<size_t>(d)];
    }
    [[nodiscard]] bool in_test_period(int d) const {
        return in_test_period_[static_cast<size_t>(d)] != 0;
    }
    [[nodiscard]] bool first_after_holiday(int d) const {
        return first_after_holiday_[static_cast<size_t>(d)] != 0;
    }
    [[nodiscard]] const std::vector<int>& school_days() const { return school_days_; }
    /// The n-th school day after d (the last day of the year if there is none).
    [[nodiscard]] int nth_school_day_after(int d, int n) const;
    /// The n-th school day before d (the first day of the year if there is none).
    [[nodiscard]] int nth_school_day_before(int d, int n) const;
    /// "op 2026-10-05" or "tussen 2026-09-14 en 2027-01-15".
    [[nodiscard]] std::string range_text(int lo, int hi) const;
    /// The school days on which a person (-1: anyone) is at the school.
    [[nodiscard]] std::vector<int> school_days_there(int person) const;

    /// Position of a person, group, rule or test period by id; -1 when there is none.
    [[nodiscard]] int person(std::string_view id) const;
    [[nodiscard]] int group(std::string_view id) const;
    [[nodiscard]] int rule(std::string_view id) const;
    [[nodiscard]] int test_period(std::string_view id) const;
    /// The people with a role, in file order (empty when nobody has it). For the compound name
    /// of an `any:role:A|B` of a rule: the holders of A, then those of B.
    [[nodiscard]] const std::vector<int>& holders(std::string_view role) const;
    /// For an any_role: 0 when p holds its first (preferred) role, else 1.
    [[nodiscard]] int role_rank(const AttendeeSpec& spec, int p) const {
        return spec.roles.size() <= 1 || person_at(p).has_role(spec.roles.front()) ? 0 : 1;
    }
    /// Whether rule r has `most:group_teachers` among its attendees.
    [[nodiscard]] bool wants_most_teachers(int r) const {
        return most_teachers_[static_cast<size_t>(r)] != 0;
    }
    /// The rules that follow rule r (timing forms c and d).
    [[nodiscard]] const std::vector<int>& followers(int r) const {
        return followers_[static_cast<size_t>(r)];
    }

    /// The index of an entry of school.persons.
    [[nodiscard]] int index_of(const Person* p) const {
        return static_cast<int>(p - school.persons.data());
    }
    [[nodiscard]] const Person& person_at(int p) const {
        return school.persons[static_cast<size_t>(p)];
    }
    [[nodiscard]] const Group& group_at(int g) const {
        return school.groups[static_cast<size_t>(g)];
    }
    [[nodiscard]] const Rule& rule_at(int r) const { return rules[static_cast<size_t>(r)]; }
    [[nodiscard]] const TestPeriod& period_at(int i) const {
        return in.rules.test_periods[static_cast<size_t>(i)];
    }
    [[nodiscard]] const std::string& pid(int p) const { return person_at(p).id; }
    [[nodiscard]] const std::string& pname(int p) const { return person_at(p).name; }

  private:
    int persons_ = 0, groups_ = 0, days_ = 0, weeks_ = 0, rules_ = 0;
    int first_weekday_ = 0;
    std::map<std::string, int, std::less<>> person_index_;
    std::map<std::string, std::vector<int>, std::less<>> holders_;  // role → people
    std::vector<uint8_t> most_teachers_;                            // R: most:group_teachers
    std::vector<uint8_t> available_;                                // P×D
    std::vector<std::vector<int>> teaches_;                         // P×D → groups taught
    /// Lists of people, one per cell of a table, each worked out on its first use and kept.
    struct LazyLists {
        std::vector<std::vector<int>> lists;
        std::vector<uint8_t> known;
        void resize(size_t cells) {
            lists.assign(cells, {});
            known.assign(cells, 0);
        }
        template <class Fill>
        const std::vector<int>& get(size_t at, Fill&& fill) {
            if (!known[at]) {
                fill(lists[at]);
                known[at] = 1;
            }
            return lists[at];
        }
    };
    mutable LazyLists group_teachers_;          // G×(D+1), the last column for d = -1
    mutable LazyLists teachers_on_;             // G×D
    std::vector<int> school_days_;              // day indices of school days
    std::vector<int> school_day_ordinal_;       // D → school days before
    std::vector<uint8_t> in_test_period_;       // D
    std::vector<uint8_t> first_after_holiday_;  // D
    std::vector<std::vector<int>> followers_;   // rule → rules that follow it
};

}  // namespace jk::planner
