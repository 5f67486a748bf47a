// The planner's second phase: repair, then improve (local search over future events).
//
// Repair: an occurrence construction could not place is placed by lifting one movable event
// that stands in its way (with its follow-ups), placing the occurrence, and placing the lifted
// event again elsewhere: a short ejection chain. Improve: an event (with its follow-ups) is moved
// to the candidate day that lowers the soft score most, as long as that helps. Both keep every
// hard constraint (they place through try_day), never touch pinned or kept events, and count
// evaluations instead of time, so the same input gives the same plan.
#include <algorithm>
#include <cstdint>
#include <random>
#include <set>

#include "planner/planner.hpp"

namespace jk::planner {
namespace {

/// Placements the repair and improvement phases may try together (each is one try_day of an
/// event plus its follow-ups and a score): a budget in work, not in time, for determinism.
constexpr int kMaxEvaluations = 1000;
/// Rounds over the events worth moving.
constexpr int kMaxPasses = 2;
/// Candidate days tried per move; events in one repair.
constexpr int kDaysPerMove = 8;
constexpr size_t kMaxEjections = 24;
/// Events an ejection chain may lift one after the other.
constexpr int kEjectionDepth = 2;
/// Orders in which a ruin-and-recreate places the lifted events again, and their seed.
constexpr int kRecreateAttempts = 3;
/// Events a ruin-and-recreate lifts at most.
constexpr size_t kMaxRuin = 24;
/// An exact search re-places at most this many lifted items, within this many tried days per
/// plan.
constexpr size_t kMaxExactItems = 16;
constexpr int kMaxExactNodes = 4000;
constexpr std::uint64_t kRecreateSeed = 0x6a61726b616c656eULL;
/// A move must lower the score by at least this much (no churn on ties).
constexpr double kMinGain = 1e-6;

}  // namespace

bool Planner::movable(int event) const {
    const Placed& pl = placed_[static_cast<size_t>(event)];
    if (!pl.alive || pl.task < 0 || pl.kept || pl.event.status != EventStatus::planned ||
        pl.day < 0)
        return false;
    return tasks_[static_cast<size_t>(pl.task)].flexible();
}

std::vector<int> Planner::chain_of(int event) const {
    std::vector<int> chain{event};
    std::set<int> members{event};
    // Follow-ups are placed after what they follow: one pass forward finds them all.
    for (size_t i = static_cast<size_t>(event) + 1; i < placed_.size(); ++i) {
        const Placed& pl = placed_[i];
        if (!pl.alive || pl.task < 0) continue;
        if (members.count(tasks_[static_cast<size_t>(pl.task)].follows)) {
            chain.push_back(static_cast<int>(i));
            members.insert(static_cast<int>(i));
        }
    }
    return chain;
}

void Planner::lift(const std::vector<int>& chain) {
    for (int i : chain) {
        Placed& pl = placed_[static_cast<size_t>(i)];
        agenda_.release(pl, i);
        pl.alive = false;
        resolved_.erase(pl.event.uid);
    }
}

void Planner::restore(const std::vector<int>& chain) {
    for (int i : chain) {
        Placed& pl = placed_[static_cast<size_t>(i)];
        agenda_.occupy(pl, i);
        pl.alive = true;
        resolved_.insert(pl.event.uid);
    }
}

double Planner::preference_of(int event) const {
    const Placed& pl = placed_[static_cast<size_t>(event)];
    if (!pl.alive || pl.task < 0) return 0;
    const Task& t = tasks_[static_cast<size_t>(pl.task)];
    const int target_day = t.follows >= 0 ? placed_[static_cast<size_t>(t.follows)].day : -1;
    return scorer_.preference(t, pl.day, pl.event.start, target_day);
}

std::vector<int> Planner::people_needed(const Task& t) const {
    std::vector<int> people;
    if (t.kind == TaskKind::rule) people = people_.required(t, -1, -1, followed(t));
    for (const AttendeeSpec* a : people_.any_roles(t))
        for (int p : ix_.holders(a->name)) people.push_back(p);
    if (t.kind == TaskKind::test_session)
        for (int p : people_.group_teachers(t.subject_group, -1)) people.push_back(p);
    return people;
}

bool Planner::repair(const Task& t, int depth) {
    // Only what failed for want of a free moment can be helped by moving others; a structural
    // impossibility (nobody works then, no lessons that day) cannot.
    const Diagnosis diag = diagnose(t);
    if (diag.busy_person.empty() && diag.role_busy.empty()) return false;
    // The people it needs, and the movable events they have on its candidate days.
    const std::vector<int> people = people_needed(t);
    std::vector<int> blockers;
    // A follow-up that did not fit after its target: move the target (and so both) first.
    if (t.follows >= 0 && movable(t.follows)) blockers.push_back(t.follows);
    auto add = [&](int e) {
        if (movable(e) && std::find(blockers.begin(), blockers.end(), e) == blockers.end())
            blockers.push_back(e);
    };
    for (int d : candidate_days(t)) {
        for (int p : people)
            for (int e : agenda_.events_at(p, d, 0, 24 * 60)) {
                add(e);
                // A follow-up in the way may only have room elsewhere when what it follows
                // moves too: its chain, from the top, is a blocker as well.
                for (int up = e; up >= 0 && placed_[static_cast<size_t>(up)].task >= 0;) {
                    up = tasks_[static_cast<size_t>(placed_[static_cast<size_t>(up)].task)].follows;
                    if (up >= 0) add(up);
                }
            }
        if (blockers.size() >= kMaxEjections) break;
    }
    if (blockers.size() > kMaxEjections) blockers.resize(kMaxEjections);
    if (try_ejections(t, blockers, depth)) return true;
    // One at a time did not do: at the top, everything in its way at once.
    return depth == kEjectionDepth && recreate(t, blockers);
}

bool Planner::try_ejections(const Task& t, const std::vector<int>& blockers, int depth) {
    for (int b : blockers) {
        if (evaluations_ >= kMaxEvaluations) return false;
        const std::vector<int> chain = chain_of(b);
        if (t.follows >= 0 && b != t.follows &&
            std::find(chain.begin(), chain.end(), t.follows) != chain.end())
            continue;  // it would lift what t follows
        const Task lifted = tasks_[static_cast<size_t>(placed_[static_cast<size_t>(b)].task)];
        lift(chain);
        const size_t mark = placed_.size();
        ++evaluations_;
        bool done = false;
        if (b == t.follows) {
            done = place(lifted, true) && resolved_.count(t.uid);
        } else if (place(t, true)) {
            const size_t placed_now = placed_.size() - mark;
            // No other place: it may in turn lift one that stands in its way (a chain of two).
            done = place(lifted, true) || (depth > 1 && repair(lifted, depth - 1));
            // Hard over soft, and more over fewer: when the lifted chain finds no other place,
            // the swap still counts if it plans more items than it gives up.
            if (!done && placed_now > chain.size()) {
                failed_.push_back(lifted);
                done = true;
            }
        }
        if (done) {
            return true;
        }
        rollback_to(mark);
        restore(chain);
    }
    return false;
}

bool Planner::recreate(const Task& t, std::vector<int> blockers) {
    // Ruin and recreate: lift every chain in the way (each from its top, in the order they
    // were placed), place t first, then the lifted ones again in their order. Kept when it
    // plans more items than before, else everything goes back as it was.
    // A follow-up that found no place after its target is placed with its target again.
    const bool with_target = t.follows >= 0 && movable(t.follows);
    const Task first =
        with_target ? tasks_[static_cast<size_t>(placed_[static_cast<size_t>(t.follows)].task)] : t;
    if (with_target) blockers.push_back(t.follows);
    // The ruin: everything movable of the people concerned in the term of what is placed first.
    for (int p : people_needed(first))
        for (int d = std::max(first.lo, 0); d <= std::min(first.hi, ix_.days() - 1); ++d)
            for (int e : agenda_.events_at(p, d, 0, 24 * 60))
                if (movable(e) && blockers.size() < kMaxRuin) blockers.push_back(e);
    std::sort(blockers.begin(), blockers.end());
    blockers.erase(std::unique(blockers.begin(), blockers.end()), blockers.end());
    std::vector<std::vector<int>> chains;
    std::vector<Task> lifted;
    size_t before = 0;
    for (int b : blockers) {
        if (!placed_[static_cast<size_t>(b)].alive) continue;  // in a chain lifted already
        std::vector<int> chain = chain_of(b);
        const bool holds_target =
            t.follows >= 0 && std::find(chain.begin(), chain.end(), t.follows) != chain.end();
        if (holds_target && !(with_target && b == t.follows)) continue;
        if (!holds_target)
            lifted.push_back(tasks_[static_cast<size_t>(placed_[static_cast<size_t>(b)].task)]);
        before += chain.size();
        lift(chain);
        chains.push_back(std::move(chain));
    }
    const size_t mark = placed_.size();
    // Their order as placed, then other orders: a tight week can be a packing that only one
    // order finds. The orders come from a fixed sequence, so plans stay the same.
    std::mt19937_64 orders(kRecreateSeed);
    for (int attempt = 0; attempt < kRecreateAttempts; ++attempt) {
        if (evaluations_ >= kMaxEvaluations) break;
        if (attempt > 0)
            for (size_t i = lifted.size(); i > 1; --i)
                std::swap(lifted[i - 1], lifted[static_cast<size_t>(orders() % i)]);
        evaluations_ += static_cast<int>(lifted.size()) + 1;
        std::vector<Task> dropped;
        if (place(first, true) && resolved_.count(t.uid)) {
            for (const Task& task : lifted)
                if (!place(task, true)) dropped.push_back(task);
            if (placed_.size() - mark > before) {
                for (Task& task : dropped) failed_.push_back(std::move(task));
                return true;
            }
        }
        rollback_to(mark);
    }
    // Small enough: an exact search over the days of each item (a full week can be a packing
    // that no order of greedy placements finds).
    if (lifted.size() + 1 <= kMaxExactItems && exact_nodes_ < kMaxExactNodes) {
        std::vector<Task> pending{first};
        pending.insert(pending.end(), lifted.begin(), lifted.end());
        std::vector<Task> skipped;
        if (search(pending, 0, before + 1, skipped) && resolved_.count(t.uid)) {
            for (Task& task : skipped) failed_.push_back(std::move(task));
            return true;
        }
        rollback_to(mark);
    }
    for (auto it = chains.rbegin(); it != chains.rend(); ++it) restore(*it);
    return false;
}

int Planner::potential(const Task& t) const {
    // The items a task can become: itself and, transitively, what follows it.
    if (t.kind != TaskKind::rule) return 1;
    int n = 1;
    std::vector<int> todo = ix_.followers(t.rule);
    for (size_t i = 0; i < todo.size() && i < 64; ++i) {
        ++n;
        for (int f : ix_.followers(todo[i])) todo.push_back(f);
    }
    return n;
}

bool Planner::search(std::vector<Task> pending, size_t placed, size_t target,
                     std::vector<Task>& skipped) {
    if (placed >= target) {
        // Enough: what is still pending is not placed (reported as unplanned).
        skipped.insert(skipped.end(), pending.begin(), pending.end());
        return true;
    }
    if (pending.empty() || exact_nodes_ >= kMaxExactNodes) return false;
    size_t reachable = placed;
    for (const Task& p : pending) reachable += static_cast<size_t>(potential(p));
    if (reachable < target) return false;
    const Task t = pending.front();
    pending.erase(pending.begin());
    const size_t mark = placed_.size();
    for (int d : candidate_days(t)) {
        if (++exact_nodes_ >= kMaxExactNodes) break;
        const auto c = try_day(t, d, nullptr, fixed_start_of(t));
        if (!c) continue;
        const int e = commit(t, *c);
        // Its follow-ups are the next items to decide.
        std::vector<Task> next = follow_ups_of(e);
        next.insert(next.end(), pending.begin(), pending.end());
        const size_t skipped_size = skipped.size();
        if (search(std::move(next), placed + 1, target, skipped)) return true;
        skipped.resize(skipped_size);
        rollback_to(mark);
    }
    // Or without it.
    skipped.push_back(t);
    if (search(std::move(pending), placed, target, skipped)) return true;
    skipped.pop_back();
    return false;
}

void Planner::repair_all() {
    // Every success plans more items than before, so this ends; what a swap gave up is tried
    // again in the next round.
    for (bool progress = true; progress && evaluations_ < kMaxEvaluations;) {
        progress = false;
        for (const Task& t : std::vector<Task>(failed_)) {
            if (evaluations_ >= kMaxEvaluations) break;
            if (resolved_.count(t.uid)) continue;
            if (t.follows >= 0 && !placed_[static_cast<size_t>(t.follows)].alive) continue;
            ++evaluations_;
            progress = place(t, true) || repair(t, kEjectionDepth) || progress;
        }
    }
}

bool Planner::improve_event(int event) {
    const std::vector<int> chain = chain_of(event);
    const Task task = tasks_[static_cast<size_t>(placed_[static_cast<size_t>(event)].task)];
    // The score changes only in the moved chain's preferences and the IB'ers' weeks.
    const double weight = scorer_.weights().ib_week_load;
    // Σ load² of the IB'ers (Scorer::ib_week_load), kept by the agenda: exact, as the sum was.
    double before = weight * static_cast<double>(agenda_.tracked_squares());
    for (int i : chain) before += preference_of(i);
    lift(chain);
    const size_t mark = placed_.size();
    int best_day = -1;
    double best = before - kMinGain;
    int tried = 0;
    const int fixed_start = fixed_start_of(task);
    for (int d : candidate_days(task)) {
        if (tried >= kDaysPerMove || evaluations_ >= kMaxEvaluations) break;
        const auto c = try_day(task, d, nullptr, fixed_start);
        if (!c) continue;
        ++tried;
        ++evaluations_;
        const int e = commit(task, *c);
        if (place_follow_ups(e, true)) {
            double s = weight * static_cast<double>(agenda_.tracked_squares());
            for (size_t i = mark; i < placed_.size(); ++i) s += preference_of(static_cast<int>(i));
            if (s < best) best = s, best_day = d;
        }
        rollback_to(mark);
    }
    if (best_day >= 0) {
        const int e = commit(task, *try_day(task, best_day, nullptr, fixed_start));
        if (place_follow_ups(e, true)) {
            return true;
        }
        rollback_to(mark);  // cannot happen (same state, same choice); keep the old one then
    }
    restore(chain);
    return false;
}

void Planner::improve() {
    // Repair first: hard over soft.
    repair_all();
    // Then the soft score: the events of an IB'er in her heaviest weeks first, then those far
    // from where they would rather be.
    const auto& ibs = scorer_.ibs();
    for (int pass = 0; pass < kMaxPasses; ++pass) {
        struct Candidate {
            double key;
            int event;
        };
        std::vector<Candidate> todo;
        std::vector<double> mean(ibs.size(), 0);
        for (size_t k = 0; k < ibs.size(); ++k) {
            int total = 0, weeks = 0;
            for (int w = 0; w < ix_.weeks(); ++w) {
                const int load = agenda_.week_load_of_week(ibs[k], w);
                total += load;
                weeks += load > 0 ? 1 : 0;
            }
            mean[k] = weeks > 0 ? static_cast<double>(total) / weeks : 0;
        }
        for (size_t i = 0; i < placed_.size(); ++i) {
            const int e = static_cast<int>(i);
            if (!movable(e)) continue;
            const Placed& pl = placed_[i];
            double key = 0;
            if (!pl.event.all_day)
                for (size_t k = 0; k < ibs.size(); ++k)
                    if (std::find(pl.required.begin(), pl.required.end(), ibs[k]) !=
                        pl.required.end())
                        key = std::max(key, agenda_.week_load(ibs[k], pl.day) - mean[k]);
            const double pref = preference_of(e);
            if (key <= 0 && pref < scorer_.weights().follow_up_same_day) continue;
            todo.push_back({key * 100 + pref, e});
        }
        std::stable_sort(todo.begin(), todo.end(),
                         [](const Candidate& a, const Candidate& b) { return a.key > b.key; });
        bool moved = false;
        for (const Candidate& c : todo) {
            if (evaluations_ >= kMaxEvaluations) break;
            if (!movable(c.event)) continue;  // moved with its target already
            moved = improve_event(c.event) || moved;
        }
        if (!moved) break;
    }
    // Moves may have made room, and what a repair gave up may find it now.
    repair_all();
    // What is still unplanned is tried once more as construction would, its follow-ups allowed
    // to fail (a re-plan of this plan meets the same agendas and so makes the same choices).
    for (const Task& t : std::vector<Task>(failed_)) {
        if (resolved_.count(t.uid)) continue;
        if (t.follows >= 0 && !placed_[static_cast<size_t>(t.follows)].alive) continue;
        place(t, false);
    }
}

}  // namespace jk::planner
