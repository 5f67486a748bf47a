#include "daemon/schools/kept_plan.hpp"

#include <zstd.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "jaarkalender/plan_json.hpp"

namespace jk::daemon {

struct KeptPlan::State {
    bool pinned = false;                // decoded for as long as it lives, never put away
    std::weak_ptr<PlanShelf> shelf;     // not owned: the shelf holds states (no cycle)
    std::mutex mu;                      // the fields below; one decode at a time
    std::shared_ptr<const Plan> held;   // decoded and held: pinned, or on the shelf
    std::weak_ptr<const Plan> decoded;  // decoded while anyone holds it
    std::string deflated;               // plan.json, deflated; empty until first put away
    size_t json_size = 0;

    /// Deflates `plan` (its JSON when given); false when zstd cannot (no memory).
    bool deflate(const Plan& plan, std::string_view given) {
        const std::string made = given.empty() ? plan_to_json(plan) : std::string();
        const std::string_view json = given.empty() ? std::string_view(made) : given;
        // One context and one buffer per thread, reused: a start deflates every school, and
        // a fresh context and buffer each time cost more than the compression.
        struct Scratch {
            std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx{ZSTD_createCCtx(),
                                                                    ZSTD_freeCCtx};
            std::string out;
        };
        thread_local Scratch scratch;
        if (!scratch.cctx) return false;
        scratch.out.resize(ZSTD_compressBound(json.size()));
        // Level 1: on a plan's JSON (which repeats itself) it keeps a twelfth, as zlib's
        // default level does, in a ninth of zlib's time (0.2 ms for the example school).
        const size_t size = ZSTD_compressCCtx(scratch.cctx.get(), scratch.out.data(),
                                              scratch.out.size(), json.data(), json.size(), 1);
        if (ZSTD_isError(size)) return false;
        deflated.assign(scratch.out.data(), size);
        json_size = json.size();
        return true;
    }

    /// The shelf let it go: deflated (once), no longer held.
    void put_away() {
        std::lock_guard lock(mu);
        if (!held || pinned) return;
        if (deflated.empty() && !deflate(*held, {})) return;  // stays decoded rather than lost
        decoded = held;
        held.reset();
    }

    [[nodiscard]] std::shared_ptr<const Plan> inflate() const {
        thread_local const std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx{
            ZSTD_createDCtx(), ZSTD_freeDCtx};
        if (!dctx) throw std::runtime_error("a kept plan cannot be inflated: no memory");
        std::string json(json_size, '\0');
        const size_t size = ZSTD_decompressDCtx(dctx.get(), json.data(), json.size(),
                                                deflated.data(), deflated.size());
        if (ZSTD_isError(size) || size != json_size)
            throw std::runtime_error(std::string("a kept plan cannot be inflated: ") +
                                     (ZSTD_isError(size) ? ZSTD_getErrorName(size) : "size"));
        auto parsed = plan_from_json(json, "plan in het geheugen");
        if (!parsed)
            throw std::runtime_error("a kept plan cannot be read: " +
                                     to_string(parsed.error().items().front()));
        return std::make_shared<const Plan>(std::move(parsed).value());
    }
};

void PlanShelf::keep(const std::shared_ptr<KeptPlan::State>& state) {
    std::shared_ptr<KeptPlan::State> off;
    {
        std::lock_guard lock(mu_);
        if (auto it = std::find(recent_.begin(), recent_.end(), state); it != recent_.end()) {
            recent_.splice(recent_.begin(), recent_, it);
            return;
        }
        recent_.push_front(state);
        if (recent_.size() > capacity_) {
            off = std::move(recent_.back());
            recent_.pop_back();
        }
    }
    // Deflated outside the shelf's lock: other readers do not wait for it.
    if (off) off->put_away();
}

std::size_t PlanShelf::size() const {
    std::lock_guard lock(mu_);
    return recent_.size();
}

KeptPlan::KeptPlan(std::shared_ptr<const Plan> plan) {
    if (!plan) return;
    state_ = std::make_shared<State>();
    state_->pinned = true;
    state_->decoded = plan;
    state_->held = std::move(plan);
}

KeptPlan KeptPlan::deflated(std::shared_ptr<const Plan> plan, std::shared_ptr<PlanShelf> shelf,
                            std::string_view json) {
    KeptPlan out;
    if (!plan) return out;
    out.state_ = std::make_shared<State>();
    State& s = *out.state_;
    s.shelf = std::move(shelf);
    s.decoded = plan;
    if (!s.deflate(*plan, json)) s.held = std::move(plan);  // no memory: decoded
    return out;
}

KeptPlan KeptPlan::on_shelf(std::shared_ptr<const Plan> plan, std::shared_ptr<PlanShelf> shelf) {
    KeptPlan out;
    if (!plan) return out;
    out.state_ = std::make_shared<State>();
    State& s = *out.state_;
    s.shelf = shelf;
    s.decoded = plan;
    s.held = std::move(plan);
    if (shelf) shelf->keep(out.state_);
    return out;
}

std::shared_ptr<const Plan> KeptPlan::load(bool keep) const {
    if (!state_) return nullptr;
    State& s = *state_;
    // Without a shelf (its registry is gone), nothing is kept: decoded for this reader.
    const std::shared_ptr<PlanShelf> shelf = keep && !s.pinned ? s.shelf.lock() : nullptr;
    std::shared_ptr<const Plan> plan;
    {
        std::lock_guard lock(s.mu);
        plan = s.held ? s.held : s.decoded.lock();
        if (!plan) {
            plan = s.inflate();
            s.decoded = plan;
        }
        if (shelf) s.held = plan;
    }
    if (shelf) shelf->keep(state_);
    return plan;
}

std::size_t KeptPlan::deflated_size() const {
    if (!state_) return 0;
    std::lock_guard lock(state_->mu);
    return state_->deflated.size();
}

}  // namespace jk::daemon
