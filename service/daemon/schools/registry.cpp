#include "daemon/schools/registry.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "daemon/http/http_date.hpp"
#include "daemon/input/inputs.hpp"
#include "daemon/tracking/change_records.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"

namespace jk::daemon {

namespace fs = std::filesystem;

std::int64_t SystemClock::now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

SchoolRegistry::SchoolRegistry(fs::path calendars, OfficialHolidays official, Store& store,
                               Clock& clock, Background& background)
    : calendars_(std::move(calendars)),
      official_(std::move(official)),
      store_(store),
      clock_(clock),
      background_(background) {}

std::shared_ptr<const SchoolSnapshot> SchoolRegistry::planned(const std::string& school) const {
    auto snap = snapshot();
    auto it = snap->schools.find(school);
    if (it == snap->schools.end() || !it->second->plan || !it->second->school) return nullptr;
    return it->second;
}

void SchoolRegistry::publish_change(const SchoolSnapshot& before,
                                    std::shared_ptr<const SchoolSnapshot> after, bool share) {
    publish_school(after->id, after);
    if (listener_) notify(&before, *after);
    if (share && store_.shared()) share_today(*after);
}

std::shared_ptr<SchoolSnapshot> SchoolRegistry::render(std::shared_ptr<const LoadedSchool> school,
                                                       Plan plan, const SchoolSnapshot* before,
                                                       const std::string& folder,
                                                       std::string_view json) {
    const std::int64_t now = clock_.now();
    auto snap = std::make_shared<SchoolSnapshot>();
    snap->id = school->school.id;
    snap->name = school->school.name;
    snap->school_year = school->school.school_year;
    snap->folder = folder;
    snap->planned_at = now;
    snap->events = plan.events.size();
    snap->unplanned = plan.unplanned.size();
    auto decoded = std::make_shared<const Plan>(std::move(plan));
    // A plan that changed is read next (the answer to the change, the feeds warmed again, the
    // mail about what moved): decoded on the shelf, deflated when the shelf lets it go. The
    // plans of a start wait deflated for their first reader.
    snap->plan = before ? KeptPlan::on_shelf(std::move(decoded), shelf_)
                        : KeptPlan::deflated(std::move(decoded), shelf_, json);
    snap->school = std::move(school);
    if (beside_) snap->beside = beside_(*snap->school);
    snap->feeds = std::make_shared<FeedCache>(
        snap->plan, snap->school,
        before ? before->feeds->validators() : std::map<std::string, Validators>{}, now, &metrics_,
        snap->beside);
    return snap;
}

void SchoolRegistry::refresh_feeds(const std::string& school) {
    const auto before = planned(school);
    if (!before) return;
    auto after = std::make_shared<SchoolSnapshot>(*before);
    after->beside = beside_ ? beside_(*after->school) : YearsBeside{};
    after->feeds =
        std::make_shared<FeedCache>(after->plan, after->school, before->feeds->validators(),
                                    clock_.now(), &metrics_, after->beside);
    after->feeds->warm(before->feeds->rendered_keys());
    publish_school(school, after);
}

void SchoolRegistry::switch_year(const std::string& school) {
    const auto before = planned(school);
    const auto version = store_.latest_input(school);
    if (!before || !version) return;
    auto after = plan_input(*version, before->folder, before.get());
    after->errors = before->errors;
    spdlog::info("school={} the school year is {} from today (input version {})", school,
                 after->school_year, version->id);
    // Not told to the mailer: the old year's events are over, the new year's were published.
    publish_school(school, after);
}

std::shared_ptr<const SchoolSnapshot> SchoolRegistry::load_school_folder(
    const fs::path& folder, const SchoolSnapshot* before) {
    const std::string name = folder.filename().string();
    Diagnostics errors;
    std::optional<SchoolSources> files;
    std::optional<LoadedSchool> loaded;
    if (auto s = read_school_sources(folder)) {
        files = std::move(s).value();
        if (auto l = load_school(*files, official_))
            loaded = std::move(l).value();
        else
            errors = l.error();
    } else {
        errors = s.error();
    }
    if (loaded) {
        // Valid files become the newest input version when they are new (docs/input.md); the
        // school is planned from the store's input, with the changes made in the pages in it.
        const InputVersion v =
            import_files(store_, official_, *loaded, *files, format_utc_iso(clock_.now()));
        // Without changes in force the input is the files: loaded already (unless the store's
        // year is a later one than the folder's).
        if (v.sources == v.files && v.school_year == loaded->school.school_year)
            return plan_input(v, folder.string(), before, std::move(loaded));
        return plan_input(v, folder.string(), before);
    }
    std::vector<std::string> lines;
    for (const auto& d : errors.items()) lines.push_back(to_string(d));
    for (const auto& l : lines) spdlog::error("school={} invalid input: {}", name, l);
    // The last good input stays planned: the store's newest version. Files that cannot be read
    // do not say which school they are; the folder's name does.
    const std::string id = before ? before->id : name;
    std::optional<InputVersion> last_good = store_.latest_input(id);
    std::shared_ptr<SchoolSnapshot> snap;
    if (before && last_good && before->input_version == last_good->id) {
        snap = std::make_shared<SchoolSnapshot>(*before);
    } else if (last_good) {
        spdlog::warn("school={} planning from the last good input (version {})", id, last_good->id);
        snap = plan_input(*last_good, folder.string(), before);
    } else {
        snap = std::make_shared<SchoolSnapshot>();
        snap->id = name;
        snap->folder = folder.string();
    }
    snap->errors = lines;
    return snap;
}

std::shared_ptr<SchoolSnapshot> SchoolRegistry::plan_input(const InputVersion& version,
                                                           const std::string& folder,
                                                           const SchoolSnapshot* before,
                                                           std::optional<LoadedSchool> preloaded) {
    if (preloaded)
        return plan_school(std::make_shared<const LoadedSchool>(std::move(*preloaded)), version,
                           folder, before);
    auto sources = sources_from_json(version.sources, folder);
    auto loaded = sources ? load_school(*sources, official_) : Result<LoadedSchool>([&] {
        Diagnostics d;
        d.error("invoer", 1, 1, "onleesbaar");
        return d;
    }());
    if (!loaded) {
        // Every version was valid when it was stored; a program that reads it differently
        // (a newer rule) must not serve an empty school: keep what is there and say why.
        const std::string why = "de invoer (versie " + std::to_string(version.id) +
                                ") is niet te laden: " + to_string(loaded.error().items().front());
        spdlog::error("school={} {}", version.school, why);
        auto snap =
            before ? std::make_shared<SchoolSnapshot>(*before) : std::make_shared<SchoolSnapshot>();
        snap->id = version.school;
        snap->folder = folder;
        snap->errors = {why};
        return snap;
    }
    return plan_school(std::make_shared<const LoadedSchool>(std::move(loaded).value()), version,
                       folder, before);
}

std::shared_ptr<SchoolSnapshot> SchoolRegistry::plan_school(
    std::shared_ptr<const LoadedSchool> school, const InputVersion& version,
    const std::string& folder, const SchoolSnapshot* before) {
    // Plan against the plan of today of the same school year (in memory; after a start, the
    // stored plan with the change records after it): done, cancelled and moved events stay;
    // everything else keeps its time when it still fits.
    const std::string& year = school->school.school_year;
    std::optional<Plan> previous;
    long long through = 0;
    if (before && before->plan && before->school_year == year) {
        previous = *before->plan.load();
        through = before->through_change;
    } else if (auto stored = store_.latest_plan(school->school.id);
               stored && stored->school_year == year) {
        if (auto p = plan_from_json(stored->plan_json, "opgeslagen plan")) {
            const bool as_made = planned_as_stored(*p, *stored, *school, version);
            std::tie(previous, through) =
                replay_changes(store_, *school, *stored, std::move(p).value());
            // A start: the stored plan is what planning again would give, served as it is.
            if (as_made && !(before && before->plan))
                return serve_stored(school, std::move(*previous), through, *stored, version, before,
                                    folder);
        } else {
            spdlog::error("school={} stored plan {} is unreadable; planning from scratch",
                          school->school.id, stored->id);
        }
    }
    Plan plan = replan(*school, previous ? &*previous : nullptr);
    return adopt_plan(school, std::move(plan), previous ? &*previous : nullptr, through, version,
                      before, folder);
}

bool SchoolRegistry::planned_as_stored(const Plan& plan, const StoredPlan& stored,
                                       const LoadedSchool& school, const InputVersion& version) {
    // The same input, the same planner, and the same closed days (the built-in official dates
    // of a newer program may differ): planning again would give this plan.
    if (stored.sources != version.sources || plan.planner != kPlannerRevision) return false;
    const std::vector<Closure>& now = school.calendar.closures();
    return std::equal(plan.closures.begin(), plan.closures.end(), now.begin(), now.end(),
                      [](const Closure& a, const Closure& b) {
                          return a.range.from == b.range.from && a.range.to == b.range.to &&
                                 a.kind == b.kind && a.name == b.name;
                      });
}

std::shared_ptr<SchoolSnapshot> SchoolRegistry::serve_stored(
    std::shared_ptr<const LoadedSchool> school, Plan plan, long long through,
    const StoredPlan& stored, const InputVersion& version, const SchoolSnapshot* before,
    const std::string& folder) {
    long long stored_id = stored.id;
    if (through != stored.through_change) {
        // Change records after the stored plan: a checkpoint, so that the next start reads
        // the plan of today.
        StoredPlan sp{0,
                      stored.school,
                      stored.school_year,
                      format_utc_iso(clock_.now()),
                      plan_to_json(plan),
                      version.sources,
                      through};
        stored_id = store_.save_plan(sp);
    }
    spdlog::info("school={} serving stored plan {} of input version {}: {} events, {} unplanned",
                 stored.school, stored_id, version.id, plan.events.size(), plan.unplanned.size());
    for (const auto& u : plan.unplanned)
        spdlog::warn("school={} rule={} subject={} occurrence={} unplanned: {}", stored.school,
                     u.rule, u.subject.value_or(""), u.occurrence, u.reason);
    // Without change records after it, the stored JSON is this plan: kept as it is.
    auto snap = render(
        std::move(school), std::move(plan), before, folder,
        through == stored.through_change ? std::string_view(stored.plan_json) : std::string_view());
    snap->through_change = through;
    snap->input_version = version.id;
    snap->stored_plan = stored_id;
    return snap;
}

Plan SchoolRegistry::replan(const LoadedSchool& school, const Plan* previous) {
    const std::int64_t now = clock_.now();
    PlanOptions options;
    options.stamp = format_utc_iso(now);
    options.previous = previous;
    // The daemon re-plans as of its clock: what has begun is history (spec: --as-of).
    const auto [today, minute] = epoch_to_local(now);
    if (previous) options.as_of = LocalMoment{today, minute};
    const auto t0 = std::chrono::steady_clock::now();
    Plan plan = make_plan(school, options);
    metrics_.plan_run(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return plan;
}

std::shared_ptr<SchoolSnapshot> SchoolRegistry::adopt_plan(
    std::shared_ptr<const LoadedSchool> school, Plan plan, const Plan* previous, long long through,
    const InputVersion& version, const SchoolSnapshot* before, const std::string& folder) {
    const std::string& year = school->school.school_year;
    // A new history row only when something changed (the stamp alone is not a change), or
    // when change records are not in a stored plan yet (a checkpoint).
    bool changed = true;
    if (previous) {
        Plan same_stamp = plan;
        same_stamp.stamp = previous->stamp;
        changed = plan_to_json(same_stamp) != plan_to_json(*previous);
        if (!changed) plan.stamp = previous->stamp;
    }
    const std::optional<StoredPlan> stored = store_.latest_plan(school->school.id);
    const bool behind =
        !stored || stored->through_change != through || stored->school_year != year || changed;
    // A new input is history too, even when it plans the same (a new e-mail address).
    long long stored_id = stored ? stored->id : 0;
    if (behind || stored->sources != version.sources) {
        const std::string stamp = format_utc_iso(clock_.now());
        StoredPlan sp{0,      school->school.id, year, stamp, plan_to_json(plan), version.sources,
                      through};
        stored_id = store_.save_plan(sp);
        store_.audit({stamp, "system", sp.school, "plan",
                      std::to_string(plan.events.size()) + " events, " +
                          std::to_string(plan.unplanned.size()) + " unplanned"});
    }
    spdlog::info("school={} planned from input version {}: {} events, {} unplanned{}",
                 school->school.id, version.id, plan.events.size(), plan.unplanned.size(),
                 changed ? " (changed)" : " (unchanged)");
    for (const auto& c : plan.changes)
        spdlog::info("school={} event={} {} ({} -> {}): {}", school->school.id, c.uid,
                     to_string(c.what), c.from, c.to.empty() ? "-" : c.to, c.reason);
    std::vector<PlanChange> replan_changes = plan.changes;
    const std::optional<LocalMoment> replanned_as_of = plan.as_of;
    for (const auto& u : plan.unplanned)
        spdlog::warn("school={} rule={} subject={} occurrence={} unplanned: {}", school->school.id,
                     u.rule, u.subject.value_or(""), u.occurrence, u.reason);
    auto snap = render(school, std::move(plan), before, folder);
    snap->through_change = through;
    snap->input_version = version.id;
    snap->stored_plan = stored_id;
    if (changed || !before) {
        snap->replanned_as_of = replanned_as_of;
        snap->replan_changes = std::move(replan_changes);
    } else {
        snap->replanned_as_of = before->replanned_as_of;
        snap->replan_changes = before->replan_changes;
    }
    return snap;
}

std::pair<Plan, long long> replay_changes(TrackingStore& store, const LoadedSchool& school,
                                          const StoredPlan& stored, Plan plan) {
    long long through = stored.through_change;
    const auto records =
        store.changes_since(stored.school, stored.school_year, stored.through_change);
    for (const ChangeRecord& rec : records) {
        auto next = apply_record(school, plan, rec);
        if (next)
            plan = std::move(next).value();
        else
            spdlog::error("school={} event={} change {} cannot be replayed: {}", stored.school,
                          rec.uid, rec.id, next.error().items().front().message);
        through = rec.id;
    }
    if (!records.empty())
        spdlog::info("school={} replayed {} change(s) on stored plan {}", stored.school,
                     records.size(), stored.id);
    return {std::move(plan), through};
}

std::mutex& SchoolRegistry::school_mutex(const std::string& school) {
    std::lock_guard lock(school_mutexes_mu_);
    auto& mu = school_mutexes_[school];
    if (!mu) mu = std::make_unique<std::mutex>();
    return *mu;
}

std::vector<std::unique_lock<std::mutex>> SchoolRegistry::lock_every_school(const Snapshot& snap) {
    std::vector<std::unique_lock<std::mutex>> locks;
    for (const auto& [id, s] : snap.schools) locks.emplace_back(school_mutex(id));  // id order
    return locks;
}

void SchoolRegistry::publish_school(const std::string& id,
                                    std::shared_ptr<const SchoolSnapshot> school) {
    std::lock_guard lock(publish_mu_);
    auto next = std::make_shared<Snapshot>(*snapshot());
    next->schools[id] = std::move(school);
    publish(std::move(next));
}

void SchoolRegistry::reload() {
    std::lock_guard lock(reload_mu_);
    // Writers hold one school's lock each; a reload replaces every school, so it holds them all
    // (a school that appears in this reload has no writers yet).
    const auto held = lock_every_school(*snapshot());
    auto before = snapshot();
    auto next = std::make_shared<Snapshot>();
    next->subscriptions = before->subscriptions;
    std::error_code ec;
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(calendars_, ec))
        if (entry.is_directory() && fs::exists(entry.path() / "school.toml"))
            folders.push_back(entry.path());
    if (ec) spdlog::error("calendars folder {}: {}", calendars_.string(), ec.message());
    std::sort(folders.begin(), folders.end());
    std::vector<std::pair<std::shared_ptr<const SchoolSnapshot>,
                          std::shared_ptr<const SchoolSnapshot>>>
        changed;  // before and after, told once the new snapshot is published
    for (const auto& folder : folders) {
        const SchoolSnapshot* old = nullptr;
        for (const auto& [id, s] : before->schools)
            if (s->folder == folder.string()) old = s.get();
        try {
            auto snap = load_school_folder(folder, old);
            if (old && snap->feeds != old->feeds) snap->feeds->warm(old->feeds->rendered_keys());
            if (listener_ && old && old->plan && snap->plan && snap->plan != old->plan)
                changed.emplace_back(before->schools.at(old->id), snap);
            next->schools[snap->id] = std::move(snap);
        } catch (const std::exception& e) {
            // A store failure or a bug in one school must not take down the others.
            if (dynamic_cast<const StoreError*>(&e)) metrics_.store_error();
            spdlog::error("school={} reload failed: {}", folder.filename().string(), e.what());
            if (old) next->schools[old->id] = std::make_shared<SchoolSnapshot>(*old);
        }
    }
    // Schools whose input is only in the store: another machine imported their files, or
    // their folder is gone (docs/input.md: nothing depends on one daemon's disk).
    try {
        for (const std::string& id : store_.input_schools()) {
            if (next->schools.count(id)) continue;
            auto old = before->schools.find(id);
            const SchoolSnapshot* was = old == before->schools.end() ? nullptr : old->second.get();
            auto version = store_.latest_input(id);
            if (!version) continue;
            if (was && was->input_version == version->id && was->folder.empty()) {
                next->schools[id] = old->second;
                continue;
            }
            auto snap = plan_input(*version, "", was);
            if (listener_ && was && was->plan && snap->plan && snap->plan != was->plan)
                changed.emplace_back(old->second, snap);
            next->schools[id] = std::move(snap);
        }
    } catch (const std::exception& e) {
        if (dynamic_cast<const StoreError*>(&e)) metrics_.store_error();
        spdlog::error("schools from the store: {}", e.what());
        for (const auto& [id, s] : before->schools)
            if (!next->schools.count(id)) next->schools[id] = s;
    }
    next->ready = true;
    {
        std::lock_guard publishing(publish_mu_);
        next->subscriptions = snapshot()->subscriptions;
        publish(std::move(next));
    }
    // Told after publishing: the mailer composes from the snapshot it reads, which must be the
    // new one (the new attendees, an invaller who was not in the old files at all).
    for (const auto& [old, now] : changed) notify(old.get(), *now);
    refresh_subscriptions_locked();
    // Planning many schools leaves freed memory in malloc's arenas; give it back to the OS.
    malloc_trim(0);
}

void SchoolRegistry::notify(const SchoolSnapshot* before, const SchoolSnapshot& after) {
    // A listener's failure (the mail store, say) must not undo a change that is already stored.
    try {
        listener_(before, after);
    } catch (const std::exception& e) {
        if (dynamic_cast<const StoreError*>(&e)) metrics_.store_error();
        spdlog::error("school={} plan change listener failed: {}", after.id, e.what());
    }
}

void SchoolRegistry::refresh_subscriptions() {
    std::lock_guard lock(reload_mu_);
    refresh_subscriptions_locked();
}

void SchoolRegistry::refresh_subscriptions_locked() {
    auto subs = store_.active_subscriptions();
    std::lock_guard publishing(publish_mu_);
    auto next = std::make_shared<Snapshot>(*snapshot());
    next->subscriptions.clear();
    for (const auto& s : subs)
        next->subscriptions[s.token_hash] = {s.school, feed_key(s.scope, s.target)};
    publish(std::move(next));
}

bool SchoolRegistry::learn_subscription(const std::string& token_hash) {
    if (!store_.find_subscription(token_hash)) return false;
    refresh_subscriptions();
    return true;
}

void SchoolRegistry::share_today(const SchoolSnapshot& snap) {
    // After the answer, on the background pool: the other daemons read this plan instead of
    // re-planning the change, and hear of it when it is stored.
    TodayPlan today{snap.id,          snap.school_year,   snap.through_change,
                    snap.stored_plan, snap.input_version, {}};
    auto work = [this, today = std::move(today), plan = snap.plan]() mutable {
        try {
            today.plan_json = plan_to_json(*plan.load());
            store_.put_today_plan(today);
        } catch (const std::exception& e) {
            // The others catch up at their next look at the store, by replaying the record.
            if (dynamic_cast<const StoreError*>(&e)) metrics_.store_error();
            spdlog::warn("school={} plan of today (change {}) not shared: {}", today.school,
                         today.through_change, e.what());
        }
    };
    background_.run(std::move(work));
}

bool SchoolRegistry::gap_overdue(const std::string& school, long long change) {
    const std::int64_t now = clock_.now();
    std::lock_guard lock(waiting_mu_);
    auto [it, fresh] = waiting_for_today_.try_emplace(school, change, now);
    if (fresh || it->second.first != change) {
        it->second = {change, now};
        return false;
    }
    return now - it->second.second >= kTodayPlanWaitSeconds;
}

void SchoolRegistry::poll_store() {
    if (!store_.shared()) return;
    const auto snap = snapshot();  // held while the loop runs (catch_up replaces it)
    for (const auto& [id, s] : snap->schools) catch_up(id);
}

bool SchoolRegistry::catch_up(const std::string& school) {
    std::lock_guard lock(school_mutex(school));
    return catch_up_locked(school, false);
}

bool SchoolRegistry::catch_up_locked(const std::string& school_id, bool now) {
    const auto current = planned(school_id);  // held while it is replaced
    if (!current) return false;
    const SchoolSnapshot& snap = *current;
    const SchoolHead head = store_.school_head(school_id, snap.school_year);
    if (head.plan == snap.stored_plan && head.input == snap.input_version &&
        head.change <= snap.through_change)
        return false;

    std::shared_ptr<const LoadedSchool> school = snap.school;
    long long input_version = snap.input_version;
    if (head.input != snap.input_version) {
        // A new input: the daemon that stored it plans it and stores the plan; until that plan
        // is there, serve what we have (its news follows).
        auto version = store_.latest_input(school_id);
        auto stored = store_.latest_plan(school_id);
        if (!version || !stored || stored->sources != version->sources) return false;
        auto sources = sources_from_json(version->sources, snap.folder);
        if (!sources) return false;
        auto loaded = load_school(*sources, official_);
        if (!loaded) {
            spdlog::error("school={} input version {} of another daemon cannot be loaded: {}",
                          school_id, version->id, to_string(loaded.error().items().front()));
            return false;
        }
        school = std::make_shared<const LoadedSchool>(std::move(loaded).value());
        input_version = version->id;
    }
    Plan plan;
    long long through = snap.through_change;
    long long stored_id = snap.stored_plan;
    int unsaved = snap.unsaved_changes;
    if (head.plan != snap.stored_plan || input_version != snap.input_version) {
        // A plan stored by another daemon (a new input, or a checkpoint): read, not re-planned.
        auto stored = store_.latest_plan(school_id);
        if (!stored) return false;
        auto parsed = plan_from_json(stored->plan_json, "opgeslagen plan");
        if (!parsed) {
            spdlog::error("school={} stored plan {} is unreadable", school_id, stored->id);
            return false;
        }
        std::tie(plan, through) =
            replay_changes(store_, *school, *stored, std::move(parsed).value());
        stored_id = stored->id;
        unsaved = 0;
    } else {
        // The plan another daemon shared after its newest change it has stored: read, not
        // re-planned. Under a stream of its changes that one may already be behind the newest
        // record; then it is still progress.
        plan = *snap.plan.load();
        if (auto today = store_.today_plan(school_id);
            today && today->through_change > through && today->school_year == snap.school_year &&
            today->stored_plan == snap.stored_plan && today->input_version == snap.input_version) {
            auto parsed = plan_from_json(today->plan_json, "plan van vandaag");
            if (parsed) {
                plan = std::move(parsed).value();
                through = today->through_change;
                ++unsaved;  // at least one; the writer counts exactly and checkpoints
            } else {
                spdlog::error("school={} plan of today (change {}) is unreadable", school_id,
                              today->through_change);
            }
        }
        // What is left is replayed: before a write of our own (now), or when its plan of today
        // does not come (that daemon died before sharing it). Otherwise its news follows.
        if (head.change > through && (now || gap_overdue(school_id, head.change))) {
            for (const ChangeRecord& rec :
                 store_.changes_since(school_id, snap.school_year, through)) {
                if (auto next = apply_record(*school, plan, rec))
                    plan = std::move(next).value();
                else
                    spdlog::error("school={} event={} change {} cannot be replayed: {}", school_id,
                                  rec.uid, rec.id, next.error().items().front().message);
                through = rec.id;
                ++unsaved;
            }
        }
        if (through == snap.through_change) return false;  // nothing new yet
    }
    auto after = render(school, std::move(plan), &snap, snap.folder);
    after->feeds->warm(snap.feeds->rendered_keys());
    after->through_change = through;
    after->stored_plan = stored_id;
    after->input_version = input_version;
    after->unsaved_changes = unsaved;
    after->replanned_as_of = snap.replanned_as_of;
    after->replan_changes = snap.replan_changes;
    after->errors = snap.errors;
    publish_school(school_id, after);
    spdlog::info("school={} caught up with another daemon: plan {}, input {}, change {}", school_id,
                 stored_id, input_version, through);
    return true;
}

void SchoolRegistry::store_news(const StoreNews& news) {
    set_store_problem(news.problem);
    if (!news.problem.empty()) return;
    if (news.resync) {
        // Notifications may have been missed while the connection was down: compare every
        // school with the store, and re-read the subscriptions.
        const auto snap = snapshot();  // held while the loop runs (catch_up replaces it)
        for (const auto& [id, s] : snap->schools) catch_up(id);
        refresh_subscriptions();
        return;
    }
    for (const auto& id : news.schools) catch_up(id);
    if (news.subscriptions) refresh_subscriptions();
}

void SchoolRegistry::set_store_problem(std::string problem) {
    // libpq's messages run over lines; /readyz and the log say it on one.
    std::string line;
    for (char ch : problem) {
        const char c = ch == '\n' || ch == '\t' || ch == '\r' ? ' ' : ch;
        if (c != ' ' || (!line.empty() && line.back() != ' ')) line += c;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    problem = std::move(line);
    std::lock_guard lock(problem_mu_);
    if (problem.empty() && !store_problem_.empty())
        spdlog::info("the store is reachable again");
    else if (!problem.empty() && store_problem_.empty())
        spdlog::error("the store cannot be reached: {}", problem);
    store_problem_ = std::move(problem);
}

std::string SchoolRegistry::store_problem() const {
    std::lock_guard lock(problem_mu_);
    return store_problem_;
}

}  // namespace jk::daemon
