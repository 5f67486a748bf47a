#include "daemon/service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "daemon/http_date.hpp"
#include "daemon/tokens.hpp"
#include "jaarkalender/ical_feeds.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"

namespace jk::daemon {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::string sources_to_json(const SchoolSources& s) {
    json::object o;
    o["school_path"] = s.school_path;
    o["school_toml"] = s.school_toml;
    o["rules_path"] = s.rules_path;
    o["rules_toml"] = s.rules_toml;
    o["extra_path"] = s.extra_path;
    if (s.extra_ics) o["extra_ics"] = *s.extra_ics;
    return json::serialize(o);
}

std::optional<SchoolSources> sources_from_json(const std::string& text, const std::string& folder) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const json::object& o = v.get_object();
    auto str = [&](const char* k) -> std::string {
        auto it = o.find(k);
        return it != o.end() && it->value().is_string() ? std::string(it->value().get_string())
                                                        : "";
    };
    SchoolSources s;
    s.folder = folder;
    s.school_path = str("school_path");
    s.school_toml = str("school_toml");
    s.rules_path = str("rules_path");
    s.rules_toml = str("rules_toml");
    s.extra_path = str("extra_path");
    if (o.contains("extra_ics")) s.extra_ics = str("extra_ics");
    return s;
}

std::string selector_key(const FeedSelector& f) {
    return f.relative_path();
}

}  // namespace

std::int64_t SystemClock::now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string feed_key(FeedScope scope, const std::string& target) {
    switch (scope) {
        case FeedScope::school:
            return "school.ics";
        case FeedScope::person:
            return "person/" + target + ".ics";
        case FeedScope::group:
            return "group/" + target + ".ics";
        case FeedScope::role:
            return "role/" + target + ".ics";
    }
    return "school.ics";
}

Service::Service(fs::path calendars, Store& store, Clock& clock)
    : calendars_(std::move(calendars)), store_(store), clock_(clock) {}

std::shared_ptr<const SchoolSnapshot> Service::load_school_folder(const fs::path& folder,
                                                                  const SchoolSnapshot* before) {
    const std::string name = folder.filename().string();
    Diagnostics errors;
    std::optional<SchoolSources> sources;
    std::optional<LoadedSchool> school;
    if (auto s = read_school_sources(folder)) {
        sources = std::move(s).value();
        if (auto l = load_school(*sources, builtin_official_holidays()))
            school = std::move(l).value();
        else
            errors = l.error();
    } else {
        errors = s.error();
    }

    std::optional<StoredPlan> stored;
    if (!school) {
        std::vector<std::string> lines;
        for (const auto& d : errors.items()) lines.push_back(to_string(d));
        for (const auto& l : lines) spdlog::error("school={} invalid input: {}", name, l);
        // The last good plan stays served: from memory, or after a restart from the store.
        if (before) {
            auto copy = std::make_shared<SchoolSnapshot>(*before);
            copy->errors = lines;
            return copy;
        }
        stored = store_.latest_plan(name);
        std::optional<SchoolSources> good =
            stored ? sources_from_json(stored->sources, folder.string()) : std::nullopt;
        auto reloaded =
            good ? load_school(*good, builtin_official_holidays()) : Result<LoadedSchool>(errors);
        if (!reloaded) {
            auto empty = std::make_shared<SchoolSnapshot>();
            empty->id = name;
            empty->folder = folder.string();
            empty->errors = lines;
            return empty;
        }
        spdlog::warn("school={} serving the last good plan from the store", name);
        school = std::move(reloaded).value();
        sources = good;
        auto snap = std::make_shared<SchoolSnapshot>();
        auto parsed = plan_from_json(stored->plan_json, "opgeslagen plan");
        if (!parsed) return snap;
        FeedRenderer renderer(*parsed, *school);
        snap->id = school->school.id;
        snap->name = school->school.name;
        snap->school_year = school->school.school_year;
        snap->folder = folder.string();
        snap->errors = lines;
        const std::int64_t now = clock_.now();
        for (const auto& f : all_feeds(*school)) {
            RenderedFeed r;
            r.body = renderer.render(f);
            r.etag = "\"" + sha256_hex(r.body).substr(0, 32) + "\"";
            r.last_modified = now;
            snap->feeds.emplace(selector_key(f), std::move(r));
        }
        return snap;
    }

    // Plan against the stored plan of the same school year: done, cancelled and moved events
    // stay; everything else keeps its time when it still fits.
    const std::int64_t now = clock_.now();
    stored = store_.latest_plan(school->school.id);
    std::optional<Plan> previous;
    if (stored && stored->school_year == school->school.school_year) {
        if (auto p = plan_from_json(stored->plan_json, "opgeslagen plan"))
            previous = std::move(p).value();
        else
            spdlog::error("school={} stored plan {} is unreadable; planning from scratch",
                          school->school.id, stored->id);
    }
    PlanOptions options;
    options.stamp = format_utc_iso(now);
    options.previous = previous ? &*previous : nullptr;
    const auto t0 = std::chrono::steady_clock::now();
    Plan plan = make_plan(*school, options);
    metrics_.plan_run(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    // A new history row only when something changed (the stamp alone is not a change).
    bool changed = true;
    if (previous) {
        Plan same_stamp = plan;
        same_stamp.stamp = previous->stamp;
        changed = plan_to_json(same_stamp) != stored->plan_json;
        if (!changed) plan.stamp = previous->stamp;
    }
    if (changed) {
        StoredPlan sp;
        sp.school = school->school.id;
        sp.school_year = school->school.school_year;
        sp.created_at = options.stamp;
        sp.plan_json = plan_to_json(plan);
        sp.sources = sources_to_json(*sources);
        store_.save_plan(sp);
        store_.audit({options.stamp, "system", sp.school, "plan",
                      std::to_string(plan.events.size()) + " events, " +
                          std::to_string(plan.unplanned.size()) + " unplanned"});
    }
    spdlog::info("school={} planned: {} events, {} unplanned{}", school->school.id,
                 plan.events.size(), plan.unplanned.size(),
                 changed ? " (changed)" : " (unchanged)");
    for (const auto& u : plan.unplanned)
        spdlog::warn("school={} rule={} subject={} occurrence={} unplanned: {}", school->school.id,
                     u.rule, u.subject.value_or(""), u.occurrence, u.reason);

    auto snap = std::make_shared<SchoolSnapshot>();
    snap->id = school->school.id;
    snap->name = school->school.name;
    snap->school_year = school->school.school_year;
    snap->folder = folder.string();
    snap->planned_at = now;
    snap->events = plan.events.size();
    snap->unplanned = plan.unplanned.size();
    FeedRenderer renderer(plan, *school);
    for (const auto& f : all_feeds(*school)) {
        RenderedFeed r;
        r.body = renderer.render(f);
        r.etag = "\"" + sha256_hex(r.body).substr(0, 32) + "\"";
        r.last_modified = now;
        if (before) {
            auto it = before->feeds.find(selector_key(f));
            if (it != before->feeds.end()) {
                // Same bytes: same validators. Changed bytes: a Last-Modified that is later than
                // the one clients have, even if the clock stepped back.
                if (it->second.etag == r.etag)
                    r.last_modified = it->second.last_modified;
                else
                    r.last_modified = std::max(now, it->second.last_modified + 1);
            }
        }
        snap->feeds.emplace(selector_key(f), std::move(r));
    }
    metrics_.feed_renders(snap->feeds.size());
    return snap;
}

void Service::reload() {
    std::lock_guard lock(reload_mu_);
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
    for (const auto& folder : folders) {
        const SchoolSnapshot* old = nullptr;
        for (const auto& [id, s] : before->schools)
            if (s->folder == folder.string()) old = s.get();
        try {
            auto snap = load_school_folder(folder, old);
            next->schools[snap->id] = std::move(snap);
        } catch (const std::exception& e) {
            // A store failure or a bug in one school must not take down the others.
            if (dynamic_cast<const StoreError*>(&e)) metrics_.store_error();
            spdlog::error("school={} reload failed: {}", folder.filename().string(), e.what());
            if (old) next->schools[old->id] = std::make_shared<SchoolSnapshot>(*old);
        }
    }
    next->ready = true;
    publish(std::move(next));
    refresh_subscriptions_locked();
}

void Service::refresh_subscriptions() {
    std::lock_guard lock(reload_mu_);
    refresh_subscriptions_locked();
}

void Service::refresh_subscriptions_locked() {
    auto subs = store_.active_subscriptions();
    auto current = snapshot();
    auto next = std::make_shared<Snapshot>(*current);
    next->subscriptions.clear();
    for (const auto& s : subs)
        next->subscriptions[s.token_hash] = {s.school, feed_key(s.scope, s.target)};
    publish(std::move(next));
}

bool Service::learn_subscription(const std::string& token_hash) {
    if (!store_.find_subscription(token_hash)) return false;
    refresh_subscriptions();
    return true;
}

}  // namespace jk::daemon
