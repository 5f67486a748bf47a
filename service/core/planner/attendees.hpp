// Internal to the planner: who a task needs and who it invites, from the rule's attendee
// specs (spec: "Attendees"), for required and optional people alike.
#pragma once

#include <vector>

#include "planner/school_index.hpp"
#include "planner/task.hpp"

namespace jk::planner {

class AttendeeResolver {
  public:
    explicit AttendeeResolver(const SchoolIndex& ix) : ix_(ix) {}

    /// The teachers `group_teachers` means for group g on day (-1: every assignment).
    [[nodiscard]] const std::vector<int>& group_teachers(int g, int day) const {
        return ix_.group_teachers(g, day);
    }
    /// Required people fixed by the rule (not the any:role choices). `day` >= 0: the people of
    /// that date; -1: everyone the rule may ever mean. `followed`: the placement a follow-up
    /// follows (it inherits its people unless it lists its own).
    [[nodiscard]] std::vector<int> required(const Task& t, int group, int day,
                                            const Placed* followed) const;
    /// The any:role specs still to be chosen per slot.
    [[nodiscard]] std::vector<const AttendeeSpec*> any_roles(const Task& t) const;
    /// The holders of an any:role who may be chosen: never the subject, never someone already
    /// required, never a teacher of the subject group (not their own group's IB'er).
    [[nodiscard]] std::vector<int> role_candidates(const Task& t, const AttendeeSpec& spec,
                                                   const std::vector<int>& required, int day) const;
    /// Invited people (not required), at school on `day` (-1: any day). `inherited`: the
    /// invitees of the occurrence a follow-up follows (it inherits them unless it lists its own).
    [[nodiscard]] std::vector<int> optional(const Task& t, int group, const std::vector<int>& req,
                                            int day, const std::vector<int>* inherited) const;

  private:
    void add_spec(const AttendeeSpec& a, const Task& t, int group, int day, bool optional,
                  std::vector<int>& out) const;
    const SchoolIndex& ix_;
};

}  // namespace jk::planner
