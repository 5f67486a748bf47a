// A school's plan as the daemon keeps it between uses: plan.json deflated by zstd (about 16 KB for
// the example school instead of about 230 KB of events), decoded when a request, the mailer or a
// change needs it. The plans used last stay decoded on a PlanShelf, so that the pages of a
// school someone works in do not decode at every request, and a plan that just changed is not
// deflated on the path of the change (docs/architecture.md, "Memory").
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "jaarkalender/plan.hpp"

namespace jk::daemon {

class PlanShelf;

class KeptPlan {
  public:
    /// No plan (the school never planned).
    KeptPlan() = default;
    /// Kept decoded for as long as this KeptPlan lives (a year view, a test).
    KeptPlan(std::shared_ptr<const Plan> plan);  // NOLINT(google-explicit-constructor)
    /// Deflated now (a start: `json` is plan_to_json(*plan) when the caller has it, the stored
    /// plan); decoded again on use.
    static KeptPlan deflated(std::shared_ptr<const Plan> plan, std::shared_ptr<PlanShelf> shelf,
                             std::string_view json = {});
    /// Decoded, in front on `shelf` (a plan that just changed is read next); deflated when the
    /// shelf lets it go.
    static KeptPlan on_shelf(std::shared_ptr<const Plan> plan, std::shared_ptr<PlanShelf> shelf);

    /// The plan, decoded when nobody holds it; null when there is none. Safe from any thread.
    /// `keep`: put it in front on the shelf (a page, a change); a scan over every school (the
    /// mailer, the board) passes false, so that it does not push out the plans people work in.
    [[nodiscard]] std::shared_ptr<const Plan> load(bool keep = true) const;

    explicit operator bool() const { return state_ != nullptr; }
    /// The same plan (copies of one snapshot share it): not a comparison of contents.
    friend bool operator==(const KeptPlan& a, const KeptPlan& b) { return a.state_ == b.state_; }
    /// Bytes of deflated JSON held (0 while it was never put away, or when it is pinned).
    [[nodiscard]] std::size_t deflated_size() const;

    struct State;  // defined in kept_plan.cpp; the shelf holds them

  private:
    std::shared_ptr<State> state_;
};

/// The decoded plans used last, shared by the KeptPlans of a daemon: at most `capacity`; the
/// one used longest ago is deflated (once) and let go when another comes in front.
class PlanShelf {
  public:
    explicit PlanShelf(std::size_t capacity) : capacity_(capacity) {}
    /// Puts `state` in front (or moves it there); puts away what falls off.
    void keep(const std::shared_ptr<KeptPlan::State>& state);
    [[nodiscard]] std::size_t size() const;

  private:
    mutable std::mutex mu_;
    std::size_t capacity_;
    std::list<std::shared_ptr<KeptPlan::State>> recent_;  // front: used last
};

/// How many decoded plans a daemon keeps on its shelf.
inline constexpr std::size_t kDecodedPlans = 8;

}  // namespace jk::daemon
