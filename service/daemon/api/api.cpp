// The tracking API. Rights follow the person's roles in the school's own files (rights.hpp): a
// teacher sees the events they are invited to and changes what is theirs; an IB'er or
// schoolleider everything of their own school; a bestuurder reads every school and writes
// nothing. Another school's data answers as if it did not exist (404). Bodies are strict JSON:
// unknown fields and wrong types are 400.
#include "daemon/api/api.hpp"

#include <boost/json.hpp>

#include "daemon/access/rights.hpp"
#include "daemon/access/tokens.hpp"
#include "daemon/http/route_table.hpp"
#include "daemon/web/context.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"

namespace jk::daemon {
namespace {

namespace json = boost::json;

HttpResponse reply(int status, std::string body) {
    return json_reply(status, std::move(body));
}

HttpResponse error(int status, const std::string& message) {
    return json_error(status, message);
}

/// An event as this reader may see it: notes (where staff type pupils' names) only for the
/// school's IB'er and schoolleider.
std::string event_json_for(const Event& e, const Rights& r) {
    if (r.lead || e.note.empty()) return event_to_json(e);
    Event without = e;
    without.note.clear();
    return event_to_json(without);
}

std::string events_json_for(const std::vector<const Event*>& events, const Rights& r) {
    if (r.lead) return events_to_json(events);
    std::vector<Event> copies;
    copies.reserve(events.size());
    for (const Event* e : events) {
        copies.push_back(*e);
        copies.back().note.clear();
    }
    std::vector<const Event*> out;
    for (const Event& e : copies) out.push_back(&e);
    return events_to_json(out);
}

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    size_t pos = 1;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        out.push_back(
            path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
        if (slash == std::string::npos) break;
        pos = slash + 1;
    }
    return out;
}

/// A strict JSON body: an object with only `allowed` fields.
std::optional<json::object> body_object(const HttpRequest& req,
                                        const std::vector<std::string>& allowed,
                                        HttpResponse& fail) {
    if (req.body.empty()) return json::object{};
    const std::string* ct = req.header("content-type");
    if (!ct || ct->rfind("application/json", 0) != 0) {
        fail = error(415, "stuur JSON (Content-Type: application/json)");
        return std::nullopt;
    }
    boost::system::error_code ec;
    json::value v = json::parse(req.body, ec);
    if (ec || !v.is_object()) {
        fail = error(400, "de inhoud is geen geldig JSON-object");
        return std::nullopt;
    }
    for (const auto& kv : v.get_object())
        if (std::find(allowed.begin(), allowed.end(), std::string(kv.key())) == allowed.end()) {
            fail = error(400, "onbekend veld '" + std::string(kv.key()) + "'");
            return std::nullopt;
        }
    return v.get_object();
}

std::optional<std::string> field(const json::object& o, const char* key, HttpResponse& fail,
                                 bool& bad) {
    auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    if (!it->value().is_string()) {
        fail = error(400, std::string("'") + key + "' moet tekst zijn");
        bad = true;
        return std::nullopt;
    }
    return std::string(it->value().get_string());
}

HttpResponse schools_list(const Snapshot& snap, const RequestContext& u, YearService& years) {
    json::array a;
    const auto beside = years.all_years();
    const auto planned = years.planned_years();
    for (const auto& [id, s] : snap.schools) {
        if (!u.board() && id != u.school()) continue;
        json::object o;
        o["id"] = id;
        o["name"] = s->name;
        o["school_year"] = s->school_year;
        o["events"] = s->events;
        o["unplanned"] = s->unplanned;
        // Each year with its state; a draft is its school's leads' (and the board's) alone.
        auto rows = beside.count(id) ? beside.at(id) : std::vector<SchoolYearRow>{};
        const Rights r = u.rights_at(*s);
        if (!r.lead && !u.board())
            std::erase_if(rows, [](const SchoolYearRow& y) { return y.state == YearState::draft; });
        o["years"] = years_json(s->school_year, rows,
                                planned.count(id) ? planned.at(id) : std::vector<std::string>{});
        json::array errs;
        for (const auto& e : s->errors) errs.emplace_back(e);
        o["errors"] = std::move(errs);
        a.emplace_back(std::move(o));
    }
    return reply(200, json::serialize(a));
}

HttpResponse events_list(const SchoolSnapshot& s, const RequestContext& u, const Rights& rights,
                         const FormData& q) {
    std::optional<Date> from, to;
    if (q.count("from") && !(from = parse_date(q.at("from"))))
        return error(400, "from is geen datum JJJJ-MM-DD");
    if (q.count("to") && !(to = parse_date(q.at("to"))))
        return error(400, "to is geen datum JJJJ-MM-DD");
    if (q.count("status") && !parse_event_status(q.at("status")))
        return error(400, "status is planned, done, cancelled of moved");
    std::vector<const Event*> out;
    const auto plan = s.plan.load();
    for (const Event& e : plan->events) {
        if (!may_see(rights, *u.person, e)) continue;
        if (from && e.end_date < *from) continue;
        if (to && e.date > *to) continue;
        if (q.count("rule") && e.rule != q.at("rule")) continue;
        if (q.count("subject") && e.subject != std::optional<std::string>(q.at("subject")))
            continue;
        if (q.count("person") && !e.attended_by(q.at("person"))) continue;
        if (q.count("status") && to_string(e.status) != q.at("status")) continue;
        out.push_back(&e);
    }
    return reply(200, events_json_for(out, rights));
}

HttpResponse overdue_list(const SchoolSnapshot& s, const RequestContext& u, const Rights& rights,
                          Date today, const FormData& q, MailPreferences& mail) {
    // Mail about an event that could not be delivered is shown with it: nothing fails silently.
    std::map<std::string, int> failed;
    for (const auto& m : mail.outbox(s.id, OutboxState::failed, 1000)) ++failed[m.uid];
    json::array a;
    const auto plan = s.plan.load();
    for (const auto& o : overdue(*plan, *s.school, today)) {
        if (!may_see(rights, *u.person, *o.event)) continue;
        if (q.count("owner") && o.event->owner != std::optional<std::string>(q.at("owner")))
            continue;
        json::object item;
        item["owner"] = o.event->owner ? json::value(*o.event->owner) : json::value(nullptr);
        item["category"] = to_string(category_of(*o.event, s.school->rules));
        item["due"] = format_date(o.due);
        item["school_days_overdue"] = o.school_days;
        if (auto f = failed.find(o.event->uid); f != failed.end()) item["failed_mail"] = f->second;
        item["event"] = json::parse(event_json_for(*o.event, rights));
        a.emplace_back(std::move(item));
    }
    return reply(200, json::serialize(a));
}

HttpResponse compliance_view(const SchoolSnapshot& s, Date today) {
    json::array a;
    const auto plan = s.plan.load();
    for (const auto& rc : compliance(*plan, *s.school, today)) {
        json::object o;
        o["rule"] = rc.rule;
        o["count"] = rc.count;
        json::array windows;
        for (const auto& w : rc.windows)
            windows.emplace_back(
                json::object{{"from", format_date(w.from)}, {"to", format_date(w.to)}});
        o["windows"] = std::move(windows);
        json::array rows;
        for (const auto& row : rc.rows) {
            json::array cells;
            for (const auto& c : row.cells) {
                json::object cell{{"occurrence", c.occurrence}, {"status", to_string(c.status)}};
                if (c.date) cell["date"] = format_date(*c.date);
                if (!c.uid.empty()) cell["uid"] = c.uid;
                if (!c.reason.empty()) cell["reason"] = c.reason;
                cells.emplace_back(std::move(cell));
            }
            rows.emplace_back(json::object{{"subject", row.subject},
                                           {"held", row.held},
                                           {"planned", row.planned},
                                           {"overdue", row.overdue},
                                           {"unplannable", row.unplannable},
                                           {"cancelled", row.cancelled},
                                           {"occurrences", std::move(cells)}});
        }
        o["subjects"] = std::move(rows);
        a.emplace_back(std::move(o));
    }
    return reply(200, json::serialize(a));
}

HttpResponse timeliness_view(const SchoolSnapshot& s, Date today) {
    json::array a;
    const auto plan = s.plan.load();
    for (const auto& pt : timeliness(*plan, *s.school, today)) {
        json::array cells;
        for (const auto& c : pt.cells) {
            json::object cell{{"rule", c.rule},
                              {"subject", c.subject},
                              {"status", to_string(c.status)},
                              {"days_late", c.days_late}};
            if (c.deadline) cell["deadline"] = format_date(*c.deadline);
            cells.emplace_back(std::move(cell));
        }
        json::object o{{"period", pt.period}, {"on_time", pt.on_time}, {"due", pt.due}};
        o["share_on_time"] =
            pt.due ? static_cast<double>(pt.on_time) / pt.due : json::value(nullptr);
        o["cells"] = std::move(cells);
        a.emplace_back(std::move(o));
    }
    return reply(200, json::serialize(a));
}

/// The school's figures (tracking.hpp: school_figures), as the pages and digests show them.
HttpResponse figures_view(const SchoolSnapshot& s, Date today) {
    const SchoolFigures f = school_figures(*s.plan.load(), *s.school, today);
    json::object by;
    for (Category c : kAllCategories) by[to_string(c)] = f.overdue_of(c);
    auto pair = [](const HeldOfRequired& h) {
        return json::object{{"held", h.held}, {"required", h.required}};
    };
    return reply(200,
                 json::serialize(json::object{
                     {"date", format_date(f.today)},
                     {"overdue", f.overdue},
                     {"overdue_by_category", std::move(by)},
                     {"cycle", json::object{{"on_time", f.cycle_on_time}, {"due", f.cycle_due}}},
                     {"counted", pair(f.counted)},
                     {"consultations", pair(f.consultations)},
                     {"expected_by_now", f.expected_by_now},
                     {"held_by_now", f.held_by_now},
                     {"unplanned", f.unplanned}}));
}

/// A tracking change's domain result as the API says it.
HttpResponse event_change_reply(const EventChangeResult& r, const Rights& rights) {
    using O = EventChangeResult::Outcome;
    switch (r.outcome) {
        case O::applied:
        case O::unchanged:
            return reply(200, event_json_for(*r.event, rights));
        case O::conflicts: {
            json::array conflicts;
            for (const auto& c : r.conflicts) conflicts.emplace_back(c);
            return reply(409, json::serialize(
                                  json::object{{"error", "deze verplaatsing botst met de regels"},
                                               {"conflicts", std::move(conflicts)}}));
        }
        case O::invalid:
            return error(400, r.field.empty() ? r.message : r.field + ": " + r.message);
        case O::unknown_school:
            return error(404, "onbekende school");
        case O::unknown_event:
            return error(404, "onbekende afspraak");
        case O::nothing_to_undo:
            return error(409, "er is niets om ongedaan te maken");
        case O::rate_limited: {
            HttpResponse h =
                error(429, "te veel wijzigingen achter elkaar; probeer het zo opnieuw");
            h.headers.emplace_back("Retry-After", std::to_string(r.retry_after));
            return h;
        }
    }
    return error(500, "onbekende uitkomst");
}

HttpResponse change_event(const HttpRequest& req, const SchoolSnapshot& s, const RequestContext& u,
                          const Rights& rights, const std::string& uid, const std::string& action,
                          TrackingService& tracking) {
    const auto plan = s.plan.load();
    const Event* e = plan->find(uid);
    // Whether an event exists is told only to those who may see it.
    if (!e || !may_see(rights, *u.person, *e)) return error(404, "onbekende afspraak");
    const auto act = parse_event_action(action);
    if (!act) return error(404, "onbekende actie '" + action + "'");
    std::optional<std::string> last_actor;
    std::optional<EventAction> undone;
    if (*act == EventAction::undo && !rights.lead)
        if (auto last = tracking.last_change(s.id, uid)) {
            last_actor = last->actor;
            undone = last->action;
        }
    if (!may_change(rights, *u.person, *e, *act, last_actor, undone))
        return error(
            403, rights.board && !rights.lead ? "een bestuurder kan afspraken alleen inzien"
                 : *act == EventAction::undo  ? "je kunt alleen je eigen wijziging ongedaan maken"
                                              : "je kunt alleen je eigen afspraken wijzigen");
    HttpResponse fail;
    bool bad = false;
    Change c;
    c.uid = uid;
    bool force = false;
    if (action == "done") {
        auto body = body_object(req, {"held_on", "note"}, fail);
        if (!body) return fail;
        c.kind = ChangeKind::done;
        if (auto h = field(*body, "held_on", fail, bad)) {
            c.held_on = parse_date(*h);
            if (!c.held_on) return error(400, "held_on is geen datum JJJJ-MM-DD");
        }
        c.note = field(*body, "note", fail, bad).value_or("");
    } else if (action == "cancel") {
        auto body = body_object(req, {"reason"}, fail);
        if (!body) return fail;
        c.kind = ChangeKind::cancel;
        c.note = field(*body, "reason", fail, bad).value_or("");
    } else if (action == "move") {
        auto body = body_object(req, {"date", "start", "force", "note"}, fail);
        if (!body) return fail;
        c.kind = ChangeKind::move;
        auto date = field(*body, "date", fail, bad);
        auto start = field(*body, "start", fail, bad);
        if (bad) return fail;
        if (!date || !parse_date(*date))
            return error(400, "date (JJJJ-MM-DD) ontbreekt of is ongeldig");
        c.date = *parse_date(*date);
        if (!e->all_day) {
            if (!start || !parse_time(*start))
                return error(400, "start (UU:MM) ontbreekt of is ongeldig");
            c.start = *parse_time(*start);
        }
        if (auto f = body->find("force"); f != body->end()) {
            if (!f->value().is_bool()) return error(400, "'force' moet true of false zijn");
            force = f->value().get_bool();
            if (force && !rights.lead)
                return error(403,
                             "alleen de IB'er of schoolleider kan een verplaatsing doorzetten");
        }
        c.note = field(*body, "note", fail, bad).value_or("");
    } else if (action == "undo") {
        auto body = body_object(req, {}, fail);
        if (!body) return fail;
    } else {
        return error(404, "onbekende actie '" + action + "'");
    }
    if (bad) return fail;
    return event_change_reply(tracking.change(s.id, u.person->id, c, action == "undo", force),
                              rights);
}

json::object preferences(const RequestContext& u, MailPreferences& mail) {
    json::object o;
    for (MailKind k : kAllMailKinds) o[to_string(k)] = true;
    for (MailKind k : mail.off(u.school(), u.person->id)) o[to_string(k)] = false;
    return o;
}

HttpResponse mail_preferences(const HttpRequest& req, const RequestContext& u,
                              MailPreferences& mail) {
    if (req.method == "POST") {
        HttpResponse fail;
        std::vector<std::string> kinds;
        for (MailKind k : kAllMailKinds) kinds.emplace_back(to_string(k));
        auto body = body_object(req, kinds, fail);
        if (!body) return fail;
        for (const auto& kv : *body)
            if (!kv.value().is_bool())
                return error(400, "'" + std::string(kv.key()) + "' moet true of false zijn");
        for (const auto& kv : *body)
            mail.set(u.school(), u.person->id, *parse_mail_kind(kv.key()), kv.value().get_bool(),
                     u.person->id);
    }
    return reply(200, json::serialize(preferences(u, mail)));
}

/// The newest re-plan after a change of the school's files: what it moved or cancelled, why,
/// and what cannot be planned now.
HttpResponse replan_view(const SchoolSnapshot& s) {
    json::array changes;
    for (const PlanChange& c : s.replan_changes)
        changes.emplace_back(
            json::object{{"uid", c.uid},
                         {"title", c.title},
                         {"change", to_string(c.what)},
                         {"from", c.from},
                         {"to", c.to.empty() ? json::value(nullptr) : json::value(c.to)},
                         {"reason", c.reason}});
    json::array unplanned;
    const auto plan = s.plan.load();
    for (const Unplanned& u : plan->unplanned)
        unplanned.emplace_back(
            json::object{{"rule", u.rule},
                         {"subject", u.subject ? json::value(*u.subject) : json::value(nullptr)},
                         {"occurrence", u.occurrence},
                         {"reason", u.reason}});
    json::object o{{"changes", std::move(changes)}, {"unplanned", std::move(unplanned)}};
    o["as_of"] = s.replanned_as_of ? json::value(format_date(s.replanned_as_of->date) + "T" +
                                                 format_time(s.replanned_as_of->minute))
                                   : json::value(nullptr);
    return reply(200, json::serialize(o));
}

HttpResponse mail_view(const SchoolSnapshot& s, const FormData& q, MailPreferences& mail) {
    std::optional<OutboxState> state;
    if (q.count("state") && !q.at("state").empty() && !(state = parse_outbox_state(q.at("state"))))
        return error(400, "state is pending, sent, failed of skipped");
    json::array a;
    for (const auto& m : mail.outbox(s.id, state, 500)) {
        a.emplace_back(json::object{{"id", m.id},
                                    {"kind", to_string(m.kind)},
                                    {"person", m.person},
                                    {"uid", m.uid},
                                    {"state", to_string(m.state)},
                                    {"late", m.late},
                                    {"attempts", m.attempts},
                                    {"due_at", m.due_at},
                                    {"error", m.last_error}});
    }
    return reply(200, json::serialize(a));
}

using ApiRoute = Route<RoutedRequest, HttpResponse>;

const ApiRoute kPersonRoutes[] = {
    {"GET", "/api/v1/me",
     [](RoutedRequest& c, const PathArgs&) {
         json::array roles;
         for (const auto& r : c.u.person->roles) roles.emplace_back(r);
         return reply(200, json::serialize(json::object{{"school", c.u.school()},
                                                        {"person", c.u.person->id},
                                                        {"name", c.u.person->name},
                                                        {"roles", roles}}));
     }},
    {"GET", "/api/v1/me/mail",
     [](RoutedRequest& c, const PathArgs&) {
         return mail_preferences(c.req, c.u, c.services.mail);
     }},
    {"POST", "/api/v1/me/mail",
     [](RoutedRequest& c, const PathArgs&) {
         return mail_preferences(c.req, c.u, c.services.mail);
     }},
    {"GET", "/api/v1/schools",
     [](RoutedRequest& c, const PathArgs&) { return schools_list(c.snap, c.u, c.services.years); }},
};

/// A request under /api/v1/schools/<school> that the person may read.
struct SchoolCall {
    const HttpRequest& req;
    const RequestContext& u;
    const SchoolSnapshot& s;
    const Rights rights;
    Services& services;
};
using SchoolRoute = Route<SchoolCall, HttpResponse>;

/// The school as of `?school_year=`: the current year, or a published next year (a draft too for
/// its leads), planned. Null with `fail` set for a year there is not (to this caller).
std::shared_ptr<const SchoolSnapshot> school_of_year(SchoolCall& c, HttpResponse& fail) {
    const std::string& year = c.u.query.get("school_year");
    auto s = c.services.years.as_of_year(c.s, year, c.rights.lead || c.u.board());
    if (!s) fail = error(404, "onbekend schooljaar '" + year + "'");
    return s;
}

/// The year before the current one as a school, when it has the event `uid` (a late mark).
std::shared_ptr<const SchoolSnapshot> past_year_of(SchoolCall& c, const std::string& uid) {
    auto past = c.services.years.as_of_year(c.s, previous_school_year(c.s.school_year), false);
    return past && past->plan.load()->find(uid) ? past : nullptr;
}

/// No route: 404 for GET and POST, 405 for any other method.
HttpResponse no_route(const HttpRequest& req) {
    if (req.method == "GET" || req.method == "POST") return error(404, "onbekende route");
    HttpResponse r = error(405, "alleen GET en POST");
    r.headers.emplace_back("Allow", "GET, POST");
    return r;
}

/// The school's input is for its IB'er and schoolleider; the overviews for those who read the
/// whole school (IB'er, schoolleider, bestuurder). The answer when the person is not one.
std::optional<HttpResponse> refused(const SchoolCall& c, bool input) {
    if (input && !c.rights.lead)
        return error(403,
                     "wijzigingen in personen en dagen zijn voor de IB'er en de schoolleider van "
                     "de school");
    if (!input && !c.rights.read_all)
        return error(403, "dit overzicht is voor de IB'er, schoolleider en bestuurder");
    return std::nullopt;
}

/// An overview of the school (`view` of the school on the day of the request).
template <HttpResponse (*view)(const SchoolSnapshot&, Date)>
HttpResponse overview(SchoolCall& c, const PathArgs&) {
    if (auto no = refused(c, false)) return std::move(*no);
    // Another year's (`?school_year=`): a past year's as of its last day, a next year's now.
    HttpResponse fail;
    auto s = school_of_year(c, fail);
    if (!s) return fail;
    return view(*s, s.get() == &c.s ? c.u.today : std::min(c.u.today, s->school->school.last_day));
}

/// In order; the paths are those under /api/v1/schools/<school>.
const SchoolRoute kSchoolRoutes[] = {
    {"GET", "/changes",
     [](SchoolCall& c, const PathArgs&) {
         if (auto no = refused(c, true)) return std::move(*no);
         return staff_history(c.s, c.u.query.get("school_year"), c.services.input);
     }},
    {"POST", "/changes",
     [](SchoolCall& c, const PathArgs&) {
         if (auto no = refused(c, true)) return std::move(*no);
         return staff_change_api(c.req, c.s, c.u, c.services.input);
     }},
    {"POST", "/changes/{}/undo",
     [](SchoolCall& c, const PathArgs& a) {
         if (auto no = refused(c, true)) return std::move(*no);
         return staff_undo_api(c.req, c.s, c.u, std::string(a[0]), c.services.input);
     }},
    {"GET", "/formatie",
     [](SchoolCall& c, const PathArgs&) {
         if (auto no = refused(c, true)) return std::move(*no);
         return formatie_template(c.s, c.u.today);
     }},
    {"POST", "/formatie",
     [](SchoolCall& c, const PathArgs&) {
         if (auto no = refused(c, true)) return std::move(*no);
         return formatie_api(c.req, c.s, c.u, c.services.input);
     }},
    {"POST", "/years",
     [](SchoolCall& c, const PathArgs&) {
         if (auto no = refused(c, true)) return std::move(*no);
         return years_api(c.req, c.s, c.services.input, c.services.years, c.u.person->id);
     }},
    {"GET", "/years/{}",
     [](SchoolCall& c, const PathArgs& a) {
         if (auto no = refused(c, true)) return std::move(*no);
         return year_api(c.s, std::string(a[0]), c.services.years);
     }},
    {"POST", "/years/{}/publish",
     [](SchoolCall& c, const PathArgs& a) {
         if (auto no = refused(c, true)) return std::move(*no);
         return publish_api(c.s, std::string(a[0]), c.services.years, c.u.person->id);
     }},
    {"GET", "/input",
     [](SchoolCall& c, const PathArgs&) {
         if (auto no = refused(c, false)) return std::move(*no);
         // A draft year is its leads' alone.
         const std::string& year = c.u.query.get("school_year");
         if (!year.empty() && !c.rights.lead && year != c.s.school_year)
             return error(404, "onbekend schooljaar '" + year + "'");
         return input_api(c.s, year, c.rights.lead, c.services.input);
     }},
    {"", "/changes",
     [](SchoolCall& c, const PathArgs&) { return refused(c, true).value_or(no_route(c.req)); }},
    {"", "/changes/{...}",
     [](SchoolCall& c, const PathArgs&) { return refused(c, true).value_or(no_route(c.req)); }},
    {"GET", "/events",
     [](SchoolCall& c, const PathArgs&) {
         HttpResponse fail;
         auto s = school_of_year(c, fail);
         if (!s) return fail;
         return events_list(*s, c.u, c.rights, c.u.query);
     }},
    {"GET", "/overdue",
     [](SchoolCall& c, const PathArgs&) {
         return overdue_list(c.s, c.u, c.rights, c.u.today, c.u.query, c.services.mail);
     }},
    {"GET", "/compliance", overview<compliance_view>},
    {"GET", "/timeliness", overview<timeliness_view>},
    {"GET", "/figures", overview<figures_view>},
    {"GET", "/mail",
     [](SchoolCall& c, const PathArgs&) {
         if (auto no = refused(c, false)) return std::move(*no);
         return mail_view(c.s, c.u.query, c.services.mail);
     }},
    {"GET", "/replan",
     [](SchoolCall& c, const PathArgs&) {
         if (auto no = refused(c, false)) return std::move(*no);
         return replan_view(c.s);
     }},
    {"GET", "/{}",
     [](SchoolCall& c, const PathArgs&) { return refused(c, false).value_or(no_route(c.req)); }},
    {"GET", "/events/{}",
     [](SchoolCall& c, const PathArgs& a) {
         const auto plan = c.s.plan.load();
         const Event* e = plan->find(std::string(a[0]));
         if (!e || !may_see(c.rights, *c.u.person, *e)) return error(404, "onbekende afspraak");
         return reply(200, event_json_for(*e, c.rights));
     }},
    {"POST", "/events/{}/{}",
     [](SchoolCall& c, const PathArgs& a) {
         const std::string uid(a[0]);
         // An event of the year before, ticked off late after the switch: counted in that year.
         if (!c.s.plan.load()->find(uid))
             if (auto past = past_year_of(c, uid))
                 return change_event(c.req, *past, c.u, c.rights, uid, std::string(a[1]),
                                     c.services.tracking);
         return change_event(c.req, c.s, c.u, c.rights, uid, std::string(a[1]),
                             c.services.tracking);
     }},
};

}  // namespace

HttpResponse handle_api(const HttpRequest& req, const Snapshot& snap, Services& services) {
    NoContext why;
    auto context = api_context(req, snap, services.access, why);
    if (!context) {
        HttpResponse r = error(why.status, why.message);
        if (why.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
    const RequestContext& u = *context;
    const std::string path = req.target.substr(0, req.target.find('?'));
    // The API answers HEAD as any other method it does not know (405), not as GET.
    constexpr bool kHeadIsGet = false;
    RoutedRequest call{req, u, snap, services};
    if (auto r = dispatch<RoutedRequest, HttpResponse>(kPersonRoutes, req.method, path, call,
                                                       kHeadIsGet))
        return std::move(*r);
    const auto parts = split_path(path);  // api, v1, schools, <school>, ...
    if (parts.size() < 5 || parts[2] != "schools") return error(404, "onbekende route");
    auto it = snap.schools.find(parts[3]);
    // Another school's data answers exactly as a school that does not exist.
    if (it == snap.schools.end() || !it->second->plan || !it->second->school ||
        (!u.board() && parts[3] != u.school()))
        return error(404, "onbekende school");
    SchoolCall school{req, u, *it->second, u.rights_at(*it->second), services};
    const std::string_view rest = std::string_view(path).substr(
        std::string_view("/api/v1/schools/").size() + parts[3].size());
    if (auto r =
            dispatch<SchoolCall, HttpResponse>(kSchoolRoutes, req.method, rest, school, kHeadIsGet))
        return std::move(*r);
    return no_route(req);
}

}  // namespace jk::daemon
