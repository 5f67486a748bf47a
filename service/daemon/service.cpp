#include "daemon/service.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "daemon/access/rights.hpp"
#include "daemon/access/tokens.hpp"
#include "daemon/http/http_date.hpp"
#include "daemon/input/inputs.hpp"
#include "daemon/json_text.hpp"
#include "daemon/tracking/change_records.hpp"
#include "jaarkalender/ical_feeds.hpp"
#include "jaarkalender/mail.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"

namespace jk::daemon {
namespace {

namespace fs = std::filesystem;

}  // namespace

std::int64_t SystemClock::now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Service::Service(fs::path calendars, Store& store, Clock& clock)
    : calendars_(std::move(calendars)),
      store_(store),
      clock_(clock),
      write_limit_(make_limit("write", kWriteBurst, kWritesPerSecond)),
      sign_in_per_address_(
          make_limit("sign-in-address", kSignInPerAddressBurst, kSignInPerAddressPerSecond)),
      sign_in_per_client_(
          make_limit("sign-in-client", kSignInPerClientBurst, kSignInPerClientPerSecond)) {}

std::unique_ptr<RateLimit> Service::make_limit(const char* name, double burst, double per_second) {
    if (store_.shared()) return std::make_unique<SharedRateLimit>(store_, name, burst, per_second);
    return std::make_unique<LocalRateLimit>(burst, per_second);
}

std::shared_ptr<SchoolSnapshot> Service::render(std::shared_ptr<const LoadedSchool> school,
                                                Plan plan, const SchoolSnapshot* before,
                                                const std::string& folder) {
    const std::int64_t now = clock_.now();
    auto snap = std::make_shared<SchoolSnapshot>();
    snap->id = school->school.id;
    snap->name = school->school.name;
    snap->school_year = school->school.school_year;
    snap->folder = folder;
    snap->planned_at = now;
    snap->events = plan.events.size();
    snap->unplanned = plan.unplanned.size();
    snap->plan = std::make_shared<const Plan>(std::move(plan));
    snap->school = std::move(school);
    snap->feeds = std::make_shared<FeedCache>(
        snap->plan, snap->school,
        before ? before->feeds->validators() : std::map<std::string, Validators>{}, now, &metrics_);
    return snap;
}

std::shared_ptr<const SchoolSnapshot> Service::load_school_folder(const fs::path& folder,
                                                                  const SchoolSnapshot* before) {
    const std::string name = folder.filename().string();
    Diagnostics errors;
    std::optional<SchoolSources> files;
    std::optional<LoadedSchool> loaded;
    if (auto s = read_school_sources(folder)) {
        files = std::move(s).value();
        if (auto l = load_school(*files, builtin_official_holidays()))
            loaded = std::move(l).value();
        else
            errors = l.error();
    } else {
        errors = s.error();
    }
    if (loaded) {
        // Valid files become the newest input version when they are new (docs/input.md); the
        // school is planned from the store's input, with the changes made in the pages in it.
        const InputVersion v = import_files(store_, *loaded, *files, format_utc_iso(clock_.now()));
        // Without changes in force the input is the files: loaded already.
        if (v.sources == v.files) return plan_input(v, folder.string(), before, std::move(loaded));
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

std::shared_ptr<SchoolSnapshot> Service::plan_input(const InputVersion& version,
                                                    const std::string& folder,
                                                    const SchoolSnapshot* before,
                                                    std::optional<LoadedSchool> preloaded) {
    if (preloaded)
        return plan_school(std::make_shared<const LoadedSchool>(std::move(*preloaded)), version,
                           folder, before);
    auto sources = sources_from_json(version.sources, folder);
    auto loaded =
        sources ? load_school(*sources, builtin_official_holidays()) : Result<LoadedSchool>([&] {
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

std::shared_ptr<SchoolSnapshot> Service::plan_school(std::shared_ptr<const LoadedSchool> school,
                                                     const InputVersion& version,
                                                     const std::string& folder,
                                                     const SchoolSnapshot* before) {
    // Plan against the plan of today of the same school year (in memory; after a start, the
    // stored plan with the change records after it): done, cancelled and moved events stay;
    // everything else keeps its time when it still fits.
    const std::string& year = school->school.school_year;
    std::optional<Plan> previous;
    long long through = 0;
    if (before && before->plan && before->school_year == year) {
        previous = *before->plan;
        through = before->through_change;
    } else if (auto stored = store_.latest_plan(school->school.id);
               stored && stored->school_year == year) {
        if (auto p = plan_from_json(stored->plan_json, "opgeslagen plan"))
            std::tie(previous, through) = replay_stored(*school, *stored, std::move(p).value());
        else
            spdlog::error("school={} stored plan {} is unreadable; planning from scratch",
                          school->school.id, stored->id);
    }
    Plan plan = replan(*school, previous ? &*previous : nullptr);
    return adopt_plan(school, std::move(plan), previous ? &*previous : nullptr, through, version,
                      before, folder);
}

Plan Service::replan(const LoadedSchool& school, const Plan* previous) {
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

std::shared_ptr<SchoolSnapshot> Service::adopt_plan(std::shared_ptr<const LoadedSchool> school,
                                                    Plan plan, const Plan* previous,
                                                    long long through, const InputVersion& version,
                                                    const SchoolSnapshot* before,
                                                    const std::string& folder) {
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

std::pair<Plan, long long> Service::replay_stored(const LoadedSchool& school,
                                                  const StoredPlan& stored, Plan plan) {
    return replay_changes(store_, school, stored, std::move(plan));
}

std::pair<Plan, long long> replay_changes(Store& store, const LoadedSchool& school,
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

std::mutex& Service::school_mutex(const std::string& school) {
    std::lock_guard lock(school_mutexes_mu_);
    auto& mu = school_mutexes_[school];
    if (!mu) mu = std::make_unique<std::mutex>();
    return *mu;
}

std::vector<std::unique_lock<std::mutex>> Service::lock_every_school(const Snapshot& snap) {
    std::vector<std::unique_lock<std::mutex>> locks;
    for (const auto& [id, s] : snap.schools) locks.emplace_back(school_mutex(id));  // id order
    return locks;
}

void Service::publish_school(const std::string& id, std::shared_ptr<const SchoolSnapshot> school) {
    std::lock_guard lock(publish_mu_);
    auto next = std::make_shared<Snapshot>(*snapshot());
    next->schools[id] = std::move(school);
    publish(std::move(next));
}

void Service::reload() {
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

void Service::notify(const SchoolSnapshot* before, const SchoolSnapshot& after) {
    // A listener's failure (the mail store, say) must not undo a change that is already stored.
    try {
        listener_(before, after);
    } catch (const std::exception& e) {
        if (dynamic_cast<const StoreError*>(&e)) metrics_.store_error();
        spdlog::error("school={} plan change listener failed: {}", after.id, e.what());
    }
}

std::vector<MailKind> Service::mail_off(const std::string& school, const std::string& person) {
    std::vector<MailKind> out;
    for (const auto& [p, k] : store_.mail_optouts(school))
        if (p == person)
            if (auto kind = parse_mail_kind(k)) out.push_back(*kind);
    return out;
}

void Service::set_mail(const std::string& school, const std::string& person, MailKind kind, bool on,
                       const std::string& actor) {
    const std::string at = format_utc_iso(clock_.now());
    store_.set_mail_optout(school, person, std::string(to_string(kind)), !on, at);
    store_.audit({at, actor, school, on ? "mail-on" : "mail-off",
                  person + ": " + std::string(to_string(kind))});
    spdlog::info("school={} person={} mail {} {}", school, person, to_string(kind),
                 on ? "on" : "off");
}

std::vector<OutboxMessage> Service::outbox(const std::string& school, const std::string& state,
                                           int limit) {
    return store_.outbox(school, state, limit);
}

std::optional<Unsubscribe> Service::verify_unsubscribe(std::string_view token) {
    std::call_once(secret_once_, [this] {
        unsubscribe_secret_ =
            store_.secret(std::string(kUnsubscribeSecret), random_token() + random_token());
    });
    return jk::daemon::verify_unsubscribe(unsubscribe_secret_, token);
}

std::optional<WebSession> Service::web_session(const std::string& token) {
    if (!looks_like_token(token)) return std::nullopt;
    return store_.find_session(sha256_hex(token), clock_.now());
}

std::string Service::start_session(WebSession& session) {
    const std::string token = random_token();
    session.csrf = random_token();
    const std::int64_t now = clock_.now();
    store_.add_session(session, sha256_hex(token), now, now + kSessionDays * 86400LL);
    store_.audit({format_utc_iso(now), session.person, session.school, "sign-in", "web"});
    return token;
}

void Service::end_session(const std::string& token) {
    if (looks_like_token(token)) store_.end_session(sha256_hex(token));
}

std::string Service::create_login_link(const std::string& school, const std::string& person) {
    const std::string token = random_token();
    store_.add_login_link(sha256_hex(token), school, person,
                          clock_.now() + kLoginLinkMinutes * 60LL);
    return token;
}

std::optional<ApiTokenOwner> Service::use_login_link(const std::string& token) {
    if (!looks_like_token(token)) return std::nullopt;
    auto owner = store_.use_login_link(sha256_hex(token), clock_.now());
    if (!owner) return std::nullopt;
    // A link made before the person left (or left the files) opens nothing.
    auto snap = snapshot();
    auto it = snap->schools.find(owner->school);
    const Person* p = it == snap->schools.end() || !it->second->school
                          ? nullptr
                          : it->second->school->school.person(owner->person);
    if (!p || !still_there(*p, local_date(clock_.now()))) {
        spdlog::info("school={} person={} sign-in link refused: no longer at the school",
                     owner->school, owner->person);
        return std::nullopt;
    }
    return owner;
}

bool Service::mail_login_link(const std::string& school, const std::string& person,
                              const std::string& url) {
    return login_mailer_ && login_mailer_(school, person, url);
}

void Service::request_sign_in(const std::string& address, const std::string& client) {
    std::string key = address;
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key.empty() || key.size() > 254) return;
    if (!sign_in_per_client_->take(client)) {
        spdlog::warn("client={} sign-in requests throttled", client);
        return;
    }
    if (!sign_in_per_address_->take(key)) {
        spdlog::warn("client={} sign-in requests for one address throttled", client);
        return;
    }
    auto work = [this, key] {
        try {
            auto snap = snapshot();
            for (const auto& [id, s] : snap->schools) {
                if (!s->school) continue;
                for (const Person& p : s->school->school.persons) {
                    std::string email = p.email;
                    for (auto& c : email)
                        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    if (email != key || !still_there(p, local_date(clock_.now()))) continue;
                    const std::string url =
                        public_url() + "/inloggen/" + create_login_link(id, p.id);
                    if (!mail_login_link(id, p.id, url))
                        spdlog::warn("school={} person={} sign-in link not mailed (mail is off)",
                                     id, p.id);
                }
            }
        } catch (const std::exception& e) {
            if (dynamic_cast<const StoreError*>(&e)) metrics_.store_error();
            spdlog::error("sign-in link: {}", e.what());
        }
    };
    std::lock_guard lock(background_mu_);
    if (background_)
        background_(std::move(work));
    else
        work();
}

std::string Service::new_subscription(const std::string& school, FeedScope scope,
                                      const std::string& target, const std::string& actor) {
    const std::string at = format_utc_iso(clock_.now());
    if (scope == FeedScope::person) store_.revoke_subscriptions(school, scope, target, at);
    const std::string token = random_token();
    Subscription sub;
    sub.school = school;
    sub.scope = scope;
    sub.target = target;
    sub.token_hash = sha256_hex(token);
    sub.created_at = at;
    store_.add_subscription(sub);
    store_.audit(
        {at, actor, school, "subscribe", std::string(to_string(scope)) + " " + target + " (web)"});
    spdlog::info("school={} person={} new {} feed link for '{}'", school, actor, to_string(scope),
                 target);
    refresh_subscriptions();
    return token;
}

void Service::show_once(const std::string& session_token, const std::string& slot,
                        std::string value) {
    constexpr std::int64_t kKeepSeconds = 600;
    // In the store: the reload after the redirect may land on another daemon.
    store_.stash("shown-once|" + sha256_hex(session_token) + "|" + slot, value,
                 clock_.now() + kKeepSeconds);
}

std::optional<std::string> Service::take_shown_once(const std::string& session_token,
                                                    const std::string& slot) {
    return store_.take_stash("shown-once|" + sha256_hex(session_token) + "|" + slot, clock_.now());
}

std::vector<EventChangeResult> Service::mark_held(const std::string& school,
                                                  const std::string& actor,
                                                  const std::vector<std::string>& uids) {
    using O = EventChangeResult::Outcome;
    std::vector<EventChangeResult> out;
    int retry_after = 0;
    if (!write_limit_->take(school + "/" + actor, &retry_after)) {
        spdlog::warn("school={} person={} marking {} event(s) held refused: rate limit", school,
                     actor, uids.size());
        out.assign(uids.size(), {O::rate_limited, {}, {}, {}, std::max(1, retry_after), {}});
        return out;
    }
    for (const auto& uid : uids) {
        Change c;
        c.uid = uid;
        c.kind = ChangeKind::done;
        out.push_back(apply_event_change(school, actor, c, false, false));
    }
    spdlog::info("school={} person={} marked {} event(s) held at once", school, actor, uids.size());
    return out;
}

bool Service::has_subscription(const std::string& school, const std::string& person) {
    const std::string key = feed_key(FeedScope::person, person);
    const auto snap = snapshot();  // held for the loop: another thread may publish a new one
    for (const auto& [hash, route] : snap->subscriptions)
        if (route.school == school && route.feed == key) return true;
    return false;
}

std::vector<YearShare> Service::cycle_trend(const std::string& school) {
    const auto snap = snapshot();
    const auto it = snap->schools.find(school);
    if (it == snap->schools.end()) return {};
    const SchoolSnapshot& ss = *it->second;
    std::vector<YearShare> out;
    for (const StoredPlan& sp : store_.yearly_plans(school)) {
        if (sp.school_year == ss.school_year) {
            out.push_back({sp.school_year, std::nullopt});
            continue;
        }
        {
            std::lock_guard lock(past_shares_mu_);
            if (auto known = past_shares_.find(sp.id); known != past_shares_.end()) {
                out.push_back({sp.school_year, known->second});
                continue;
            }
        }
        std::string share = "–";
        if (auto old = plan_from_json(sp.plan_json, "opgeslagen plan")) {
            auto src = sources_from_json(sp.sources, ss.folder);
            auto loaded = src ? load_school(*src, builtin_official_holidays())
                              : Result<LoadedSchool>(Diagnostics{});
            if (loaded) {
                int on = 0, due = 0;
                for (const auto& pt : timeliness(*old, *loaded, loaded->calendar.last_day()))
                    on += pt.on_time, due += pt.due;
                share = share_nl(on, due);
            }
        }
        std::lock_guard lock(past_shares_mu_);
        past_shares_.emplace(sp.id, share);
        out.push_back({sp.school_year, std::move(share)});
    }
    return out;
}

void Service::refresh_subscriptions() {
    std::lock_guard lock(reload_mu_);
    refresh_subscriptions_locked();
}

void Service::refresh_subscriptions_locked() {
    auto subs = store_.active_subscriptions();
    std::lock_guard publishing(publish_mu_);
    auto next = std::make_shared<Snapshot>(*snapshot());
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

std::optional<ApiTokenOwner> Service::api_token(const std::string& token_hash) {
    return store_.find_api_token(token_hash);
}

EventChangeResult Service::change(const std::string& school_id, const std::string& actor,
                                  const Change& c, bool undo, bool force) {
    using O = EventChangeResult::Outcome;
    int retry_after = 0;
    if (!write_limit_->take(school_id + "/" + actor, &retry_after)) {
        spdlog::warn("school={} person={} event={} change refused: rate limit", school_id, actor,
                     c.uid);
        return {O::rate_limited, {}, {}, {}, std::max(1, retry_after), {}};
    }
    return apply_event_change(school_id, actor, c, undo, force);
}

EventChangeResult Service::apply_event_change(const std::string& school_id,
                                              const std::string& actor, const Change& c, bool undo,
                                              bool force) {
    std::lock_guard lock(school_mutex(school_id));
    // Another daemon may have changed the school since its news reached us: start from what the
    // store has. When it changes the school in between anyway, the commit says so; catch up and
    // apply the change again (the store serialises a school's changes).
    if (store_.shared()) catch_up_locked(school_id, true);
    for (int attempt = 0;; ++attempt) {
        auto r = try_event_change(school_id, actor, c, undo, force);
        if (r) return *r;
        if (attempt == 3)
            throw StoreConflict("de school " + school_id +
                                " wordt door een andere dienst gewijzigd");
        catch_up_locked(school_id, true);
    }
}

std::optional<EventChangeResult> Service::try_event_change(const std::string& school_id,
                                                           const std::string& actor,
                                                           const Change& c, bool undo, bool force) {
    using O = EventChangeResult::Outcome;
    auto current = snapshot();
    auto it = current->schools.find(school_id);
    if (it == current->schools.end() || !it->second->plan || !it->second->school)
        return EventChangeResult{O::unknown_school, {}, {}, {}, 0, {}};
    const SchoolSnapshot& snap = *it->second;
    const Plan& plan = *snap.plan;
    const Event* event = plan.find(c.uid);
    if (!event) return EventChangeResult{O::unknown_event, {}, {}, {}, 0, {}};
    const std::string stamp = format_utc_iso(clock_.now());

    ChangeRecord rec{
        0, snap.id, snap.school_year, c.uid, EventAction::done, "", c.note, actor, stamp, "", 0};
    if (undo) {
        auto undone = store_.last_change(school_id, c.uid);
        if (!undone) return EventChangeResult{O::nothing_to_undo, {}, {}, {}, 0, {}};
        rec.action = EventAction::undo;
        rec.before_json = undone->before_json;  // what the undo restores
        rec.undo_of = undone->id;
        rec.note.clear();
    } else {
        if (c.kind == ChangeKind::done && c.held_on)
            if (auto why =
                    held_on_error(snap.school->calendar, *c.held_on, local_date(clock_.now())))
                return EventChangeResult{O::invalid, {}, {}, *why, 0, "held_on"};
        // A repeated call changes nothing: answered without a write.
        if (changes_nothing(*event, c))
            return EventChangeResult{O::unchanged, *event, {}, {}, 0, {}};
        if (c.kind == ChangeKind::move) {
            auto conflicts = move_conflicts(*snap.school, plan, c.uid, c.date, c.start);
            if (!conflicts.empty() && !force)
                return EventChangeResult{O::conflicts, {}, conflicts, {}, 0, {}};
        }
        rec.action = c.kind == ChangeKind::done     ? EventAction::done
                     : c.kind == ChangeKind::cancel ? EventAction::cancel
                                                    : EventAction::move;
        rec.before_json = event_to_json(*event);
        rec.change_json = change_to_json(c);
    }
    auto replanned = apply_record(*snap.school, plan, rec);
    if (!replanned)
        return EventChangeResult{O::invalid, {}, {}, replanned.error().items().front().message,
                                 0,          {}};
    // The note stays in the change record and the plan, never in the audit line of the log.
    AuditEntry audit{stamp, actor, snap.id, std::string(to_string(rec.action)), c.uid};
    const Stored stored = undo ? store_.commit_undo(rec, audit, snap.through_change)
                               : store_.commit_change(rec, audit, snap.through_change);
    if (stored.conflict()) {
        spdlog::info("school={} event={} changed by another daemon meanwhile; catching up", snap.id,
                     c.uid);
        return std::nullopt;
    }
    const long long id = stored.id;
    spdlog::info("school={} event={} {} by {} (change {})", snap.id, c.uid, to_string(rec.action),
                 actor, id);

    auto after = render(snap.school, std::move(replanned).value(), &snap, snap.folder);
    after->feeds->warm(snap.feeds->rendered_keys());
    after->through_change = id;
    after->replanned_as_of = snap.replanned_as_of;
    after->replan_changes = snap.replan_changes;
    after->unsaved_changes = snap.unsaved_changes + 1;
    after->stored_plan = snap.stored_plan;
    after->input_version = snap.input_version;
    if (after->unsaved_changes >= kCheckpointChanges) {
        // A checkpoint: a start replays at most kCheckpointChanges records.
        after->stored_plan =
            store_.save_plan({0, snap.id, snap.school_year, stamp, plan_to_json(*after->plan),
                              store_.plan_sources(snap.id).value_or(""), id});
        after->unsaved_changes = 0;
    }
    publish_school(snap.id, after);
    if (listener_) notify(&snap, *after);
    if (store_.shared()) share_today(*after);
    const Event* published = after->plan->find(c.uid);
    return EventChangeResult{O::applied, published ? *published : *event, {}, {}, 0, {}};
}

void Service::share_today(const SchoolSnapshot& snap) {
    // After the answer, on the background pool: the other daemons read this plan instead of
    // re-planning the change, and hear of it when it is stored.
    TodayPlan today{snap.id,          snap.school_year,   snap.through_change,
                    snap.stored_plan, snap.input_version, {}};
    auto work = [this, today = std::move(today), plan = snap.plan]() mutable {
        try {
            today.plan_json = plan_to_json(*plan);
            store_.put_today_plan(today);
        } catch (const std::exception& e) {
            // The others catch up at their next look at the store, by replaying the record.
            if (dynamic_cast<const StoreError*>(&e)) metrics_.store_error();
            spdlog::warn("school={} plan of today (change {}) not shared: {}", today.school,
                         today.through_change, e.what());
        }
    };
    std::lock_guard lock(background_mu_);
    if (background_)
        background_(std::move(work));
    else
        work();
}

bool Service::gap_overdue(const std::string& school, long long change) {
    const std::int64_t now = clock_.now();
    std::lock_guard lock(waiting_mu_);
    auto [it, fresh] = waiting_for_today_.try_emplace(school, change, now);
    if (fresh || it->second.first != change) {
        it->second = {change, now};
        return false;
    }
    return now - it->second.second >= kTodayPlanWaitSeconds;
}

void Service::poll_store() {
    if (!store_.shared()) return;
    const auto snap = snapshot();  // held while the loop runs (catch_up replaces it)
    for (const auto& [id, s] : snap->schools) catch_up(id);
}

bool Service::catch_up(const std::string& school) {
    std::lock_guard lock(school_mutex(school));
    return catch_up_locked(school, false);
}

bool Service::catch_up_locked(const std::string& school_id, bool now) {
    auto current = snapshot();
    auto it = current->schools.find(school_id);
    if (it == current->schools.end() || !it->second->plan || !it->second->school) return false;
    const SchoolSnapshot& snap = *it->second;
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
        auto loaded = load_school(*sources, builtin_official_holidays());
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
        std::tie(plan, through) = replay_stored(*school, *stored, std::move(parsed).value());
        stored_id = stored->id;
        unsaved = 0;
    } else {
        // The plan another daemon shared after its newest change it has stored: read, not
        // re-planned. Under a stream of its changes that one may already be behind the newest
        // record; then it is still progress.
        plan = *snap.plan;
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

void Service::store_news(const StoreNews& news) {
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

void Service::set_store_problem(std::string problem) {
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

std::string Service::store_problem() const {
    std::lock_guard lock(problem_mu_);
    return store_problem_;
}

}  // namespace jk::daemon
