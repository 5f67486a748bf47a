// Next school year in the daemon (year_service.hpp; docs/input.md, "Next school year").
#include "daemon/years/year_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "daemon/http/http_date.hpp"
#include "daemon/input/inputs.hpp"
#include "jaarkalender/plan_json.hpp"

namespace jk::daemon {

namespace json = boost::json;

std::vector<YearTodo> todos_from_json(const std::string& text) {
    std::vector<YearTodo> out;
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const json::value& e : v.get_array()) {
        const json::object* o = e.if_object();
        if (!o) continue;
        YearTodo t;
        if (const json::value* s = o->if_contains("text"); s && s->is_string())
            t.text = std::string(s->get_string());
        if (const json::value* d = o->if_contains("done"); d && d->is_bool())
            t.done = d->get_bool();
        out.push_back(std::move(t));
    }
    return out;
}

std::string todos_to_json(const std::vector<YearTodo>& todos) {
    json::array a;
    for (const auto& t : todos) a.push_back(json::object{{"text", t.text}, {"done", t.done}});
    return json::serialize(a);
}

int YearView::open_todos() const {
    return static_cast<int>(
        std::count_if(todo.begin(), todo.end(), [](const YearTodo& t) { return !t.done; }));
}

Result<NextYearProposal> YearService::propose(const std::string& school, std::string year) const {
    Diagnostics d;
    const auto snap = schools_.planned(school);
    const auto latest = store_.latest_input(school);
    const auto sources = latest ? sources_from_json(latest->sources, "") : std::nullopt;
    if (!snap || !sources) {
        d.error(school, 1, 1, "de invoer van de school is niet te lezen");
        return d;
    }
    const std::string& current = snap->school->school.school_year;
    if (year.empty()) year = following_school_year(current);
    if (following_school_year(year).empty() || year <= current) {
        d.error(school, 1, 1,
                "kies een schooljaar na " + current + ", bijvoorbeeld " +
                    following_school_year(current));
        return d;
    }
    return propose_next_year(*snap->school, *sources, schools_.official(), year);
}

YearService::Started YearService::start(const std::string& school, const std::string& year,
                                        const std::string& actor) {
    Started out;
    auto proposal = propose(school, year);
    if (!proposal) {
        out.outcome = StartOutcome::invalid;
        for (const auto& d : proposal.error().items()) out.errors.push_back(d.message);
        return out;
    }
    out.school_year = proposal->school_year;
    if (upcoming(school, out.school_year)) {
        out.outcome = StartOutcome::exists;
        return out;
    }
    const std::string at = format_utc_iso(clock_.now());
    SchoolYearRow row;
    row.school = school;
    row.school_year = proposal->school_year;
    row.state = YearState::draft;
    row.created_at = at;
    row.created_by = actor;
    std::vector<YearTodo> todo;
    for (const auto& t : proposal->todo) todo.push_back({t, false});
    row.todo = todos_to_json(todo);
    InputVersion v;
    v.school = school;
    v.school_year = proposal->school_year;
    v.created_at = at;
    v.origin = InputOrigin::files;
    v.actor = actor;
    v.summary = "Voorstel voor " + proposal->school_year + " uit dit schooljaar";
    v.files = sources_to_json(proposal->sources);
    v.sources = v.files;
    const Stored stored = store_.start_year(
        row, v, {at, actor, school, "year-start", "conceptjaar " + proposal->school_year});
    if (stored.conflict()) {
        out.outcome = StartOutcome::exists;
        return out;
    }
    spdlog::info("school={} draft year {} started by {} (input version {}, {} to-do(s))", school,
                 row.school_year, actor, stored.id, todo.size());
    return out;
}

std::vector<SchoolYearRow> YearService::years(const std::string& school) const {
    std::vector<SchoolYearRow> out;
    for (auto& y : store_.school_years(school))
        if (y.state != YearState::current) out.push_back(std::move(y));
    return out;
}

std::map<std::string, std::vector<SchoolYearRow>> YearService::all_years() const {
    std::map<std::string, std::vector<SchoolYearRow>> out;
    for (auto& y : store_.school_years(""))
        if (y.state != YearState::current) out[y.school].push_back(std::move(y));
    return out;
}

bool YearService::upcoming(const std::string& school, const std::string& year) const {
    for (const auto& y : years(school))
        if (y.school_year == year) return true;
    return false;
}

std::shared_ptr<const YearView> YearService::load_view(const SchoolYearRow& row) {
    auto view = std::make_shared<YearView>();
    view->row = row;
    view->todo = todos_from_json(row.todo);
    const auto latest = store_.latest_input_of(row.school, row.school_year);
    if (!latest) {
        view->errors.push_back("het jaar heeft geen invoer");
        return view;
    }
    view->input_version = latest->id;
    {
        std::lock_guard lock(mu_);
        auto it = views_.find({row.school, row.school_year});
        if (it != views_.end() && it->second->input_version == latest->id &&
            it->second->row.state == row.state) {
            auto same = std::make_shared<YearView>(*it->second);
            same->row = row;
            same->todo = view->todo;
            return same;
        }
    }
    const auto sources = sources_from_json(latest->sources, row.school);
    auto loaded =
        sources ? load_school(*sources, schools_.official()) : Result<LoadedSchool>(Diagnostics{});
    if (!sources || !loaded) {
        if (!sources) view->errors.push_back("de invoer van het jaar is niet te lezen");
        if (sources)
            for (const auto& d : loaded.error().items()) view->errors.push_back(d.message);
        return view;
    }
    view->school = std::make_shared<const LoadedSchool>(std::move(loaded).value());
    if (row.state == YearState::published && !row.plan_json.empty()) {
        // What staff have seen (kept when it was published or last changed).
        if (auto p = plan_from_json(row.plan_json, "gepubliceerd plan " + row.school_year))
            view->plan = std::make_shared<const Plan>(std::move(p).value());
    }
    if (!view->plan) view->plan = std::make_shared<const Plan>(plan_proposal(*view->school).plan);
    std::lock_guard lock(mu_);
    views_[{row.school, row.school_year}] = view;
    return view;
}

std::shared_ptr<const YearView> YearService::view(const std::string& school,
                                                  const std::string& year) {
    for (const auto& y : store_.school_years(school))
        if (y.school_year == year && y.state != YearState::current) return load_view(y);
    if (auto snap = schools_.planned(school); snap && year < snap->school_year)
        return past(school, year);
    return nullptr;
}

std::shared_ptr<const YearView> YearService::past(const std::string& school,
                                                  const std::string& year) {
    {
        std::lock_guard lock(mu_);
        if (auto it = past_.find({school, year}); it != past_.end()) return it->second;
    }
    for (const StoredPlan& stored : store_.yearly_plans(school))
        if (stored.school_year == year) return past(stored);
    return nullptr;
}

std::shared_ptr<const YearView> YearService::past(const StoredPlan& stored) {
    const std::string& school = stored.school;
    const std::string& year = stored.school_year;
    {
        std::lock_guard lock(mu_);
        if (auto it = past_.find({school, year}); it != past_.end()) return it->second;
    }
    auto view = std::make_shared<YearView>();
    view->past = true;
    view->row.school = school;
    view->row.school_year = year;
    view->row.state = YearState::current;
    const auto sources = sources_from_json(stored.sources, school);
    auto loaded =
        sources ? load_school(*sources, schools_.official()) : Result<LoadedSchool>(Diagnostics{});
    auto plan = plan_from_json(stored.plan_json, "opgeslagen plan " + year);
    if (!sources || !loaded || !plan) {
        view->errors.push_back("het schooljaar " + year + " is niet meer te lezen");
        spdlog::error("school={} year {}: stored plan {} cannot be read", school, year, stored.id);
        return view;
    }
    view->school = std::make_shared<const LoadedSchool>(std::move(loaded).value());
    auto [replayed, through] =
        replay_changes(store_, *view->school, stored, std::move(plan).value());
    view->plan = std::make_shared<const Plan>(std::move(replayed));
    view->through_change = through;
    std::lock_guard lock(mu_);
    past_[{school, year}] = view;
    return view;
}

std::shared_ptr<const SchoolSnapshot> YearService::as_of_year(const SchoolSnapshot& current,
                                                              const std::string& year,
                                                              bool drafts) {
    if (year.empty() || year == current.school_year)
        return std::shared_ptr<const SchoolSnapshot>(std::shared_ptr<void>(), &current);
    auto v = view(current.id, year);
    if (!v || !v->plan || !v->school || (v->row.state == YearState::draft && !drafts))
        return nullptr;
    auto snap = std::make_shared<SchoolSnapshot>();
    snap->id = current.id;
    snap->name = v->school->school.name;
    snap->school_year = year;
    snap->school = v->school;
    snap->plan = v->plan;
    snap->events = v->plan->events.size();
    snap->unplanned = v->plan->unplanned.size();
    snap->folder = current.folder;
    return snap;
}

std::vector<std::pair<std::string, std::string>> YearService::switchable(
    const SchoolSnapshot& current, bool drafts) {
    std::vector<std::pair<std::string, std::string>> out;
    bool placed = false;
    for (const auto& y : store_.school_years(current.id)) {
        if (y.school_year > current.school_year && !placed) {
            out.emplace_back(current.school_year, current.school_year);
            placed = true;
        }
        if (y.school_year == current.school_year) continue;
        if (y.state == YearState::draft && !drafts) continue;
        out.emplace_back(y.school_year,
                         y.school_year + (y.state == YearState::draft       ? " (concept)"
                                          : y.state == YearState::published ? " (gepubliceerd)"
                                                                            : ""));
    }
    // A year before the switch came about by itself (its files): the one before this one.
    const std::string before = previous_school_year(current.school_year);
    if (std::none_of(out.begin(), out.end(), [&](const auto& y) { return y.first == before; }) &&
        past(current.id, before))
        out.insert(out.begin(), {before, before});
    if (!placed) out.emplace_back(current.school_year, current.school_year);
    return out;
}

void YearService::forget_past(const std::string& school, const std::string& year) {
    std::lock_guard lock(mu_);
    past_.erase({school, year});
}

Plan YearService::plan(const YearView& before, const LoadedSchool& school) const {
    // A draft: nobody has seen it, so the same input always gives the same plan.
    if (before.row.state == YearState::draft || !before.plan) return plan_proposal(school).plan;
    return schools_.replan(school, before.plan.get());
}

void YearService::adopted(const std::string& school, const std::string& year,
                          long long input_version, std::shared_ptr<const LoadedSchool> loaded,
                          Plan plan) {
    SchoolYearRow row;
    bool found = false;
    for (auto& y : store_.school_years(school))
        if (y.school_year == year) row = std::move(y), found = true;
    if (!found) return;
    auto view = std::make_shared<YearView>();
    view->row = row;
    view->todo = todos_from_json(row.todo);
    view->school = std::move(loaded);
    view->plan = std::make_shared<const Plan>(std::move(plan));
    view->input_version = input_version;
    if (row.state == YearState::published) {
        // What staff see from now on, kept for a restart.
        view->row.plan_json = plan_to_json(*view->plan);
        store_.update_year(view->row, nullptr);
    }
    {
        std::lock_guard lock(mu_);
        views_[{school, year}] = view;
    }
    if (row.state == YearState::published) render_feeds(school);
}

YearService::PublishOutcome YearService::publish(const std::string& school, const std::string& year,
                                                 const std::string& actor) {
    auto lock = schools_.lock_for_write(school);
    auto v = view(school, year);
    // Only a draft is published: a past year (which view() also reads) is not.
    if (!v || v->past) return PublishOutcome::not_found;
    if (v->row.state == YearState::published) return PublishOutcome::already;
    if (!v->plan) return PublishOutcome::invalid;
    SchoolYearRow row = v->row;
    const std::string at = format_utc_iso(clock_.now());
    row.state = YearState::published;
    row.published_at = at;
    row.published_by = actor;
    row.plan_json = plan_to_json(*v->plan);
    const AuditEntry audit{at, actor, school, "year-publish", "schooljaar " + year};
    store_.update_year(row, &audit);
    {
        std::lock_guard guard(mu_);
        auto published = std::make_shared<YearView>(*v);
        published->row = row;
        views_[{school, year}] = published;
        dirty_ = true;
    }
    spdlog::info("school={} year {} published by {} ({} events, {} unplanned, {} open to-do(s))",
                 school, year, actor, v->plan->events.size(), v->plan->unplanned.size(),
                 v->open_todos());
    render_feeds(school);
    if (on_publish_) on_publish_(school, *v);
    return PublishOutcome::published;
}

bool YearService::set_todo(const std::string& school, const std::string& year, std::size_t index,
                           bool done, const std::string& actor) {
    auto lock = schools_.lock_for_write(school);
    auto v = view(school, year);
    if (!v || v->past || index >= v->todo.size()) return false;
    SchoolYearRow row = v->row;
    std::vector<YearTodo> todo = v->todo;
    todo[index].done = done;
    row.todo = todos_to_json(todo);
    const AuditEntry audit{format_utc_iso(clock_.now()), actor, school, "year-todo",
                           (done ? "gedaan: " : "weer open: ") + todo[index].text};
    store_.update_year(row, &audit);
    return true;
}

YearsBeside YearService::beside(const LoadedSchool& current) {
    YearsBeside out;
    const std::string& school = current.school.id;
    const std::string& year = current.school.school_year;
    const Date today = epoch_to_local(clock_.now()).first;
    for (const auto& y : store_.school_years(school)) {
        // In the summer after the switch, the year that just ended stays in the feeds.
        if (y.state == YearState::current && y.school_year == year &&
            today < current.school.first_day)
            if (auto v = past(school, previous_school_year(year)); v && v->plan && v->school)
                out.previous = {v->plan, v->school};
        if (y.state == YearState::published && y.school_year > year)
            if (auto v = load_view(y); v->plan && v->school) out.next = {v->plan, v->school};
    }
    return out;
}

void YearService::tick() {
    const Date today = epoch_to_local(clock_.now()).first;
    {
        std::lock_guard lock(mu_);
        if (today == ticked_ && !dirty_) return;
        ticked_ = today;
        dirty_ = false;
    }
    for (auto& [school, rows] : all_years())
        for (auto& row : rows) {
            if (row.state != YearState::published) continue;
            const auto snap = schools_.planned(school);
            if (snap && row.school_year > snap->school_year &&
                today > snap->school->school.last_day)
                switch_to(school, std::move(row));
        }
    // On the first school day the year before leaves the feeds.
    const auto all = schools_.snapshot();
    for (const auto& [id, snap] : all->schools)
        if (snap->school && !snap->beside.previous.empty() &&
            today >= snap->school->school.first_day) {
            auto lock = schools_.lock_for_write(id);
            schools_.refresh_feeds(id);
            spdlog::info("school={} the feeds hold {} alone from today", id, snap->school_year);
        }
}

void YearService::switch_to(const std::string& school, SchoolYearRow row) {
    auto lock = schools_.lock_for_write(school);
    // Another daemon on the same database may have switched it just now: then only follow.
    for (const auto& y : store_.school_years(school))
        if (y.school_year == row.school_year && y.state != YearState::published) {
            if (auto snap = schools_.planned(school); snap && snap->school_year != y.school_year)
                schools_.switch_year(school);
            return;
        }
    const auto input = store_.latest_input_of(school, row.school_year);
    if (!input || row.plan_json.empty()) {
        spdlog::error("school={} year {} cannot become current: it has no {}", school,
                      row.school_year, input ? "published plan" : "input");
        return;
    }
    const std::string at = format_utc_iso(clock_.now());
    // The plan staff have seen is the new year's first stored plan: it is re-planned stably
    // from there, as the current year always is.
    store_.save_plan({0, school, row.school_year, at, row.plan_json, input->sources, 0});
    row.state = YearState::current;
    const AuditEntry audit{at, "system", school, "year-current", "schooljaar " + row.school_year};
    store_.update_year(row, &audit);
    {
        std::lock_guard guard(mu_);
        views_.erase({school, row.school_year});
    }
    schools_.switch_year(school);
}

void YearService::render_feeds(const std::string& school) {
    schools_.refresh_feeds(school);
}

}  // namespace jk::daemon
