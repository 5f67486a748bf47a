// Next school year through the API (docs/api.md, "Volgend schooljaar"): the proposal, the draft
// year stored, its state and to-dos, publishing it.
#include <boost/json.hpp>

#include "daemon/api/api.hpp"
#include "jaarkalender/next_year.hpp"

namespace jk::daemon {

namespace json = boost::json;

namespace {

json::array lines(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

/// The proposal as JSON: its dates, closures and files, what was carried, left out and still to
/// do, and the new year planned in numbers with what cannot be planned and why.
json::object proposal_json(const NextYearProposal& p, const LoadedSchool& next,
                           json::object files) {
    json::array closures;
    for (const Closure& c : next.calendar.closures())
        closures.push_back(json::object{{"name", c.name},
                                        {"kind", std::string(to_string(c.kind))},
                                        {"from", format_date(c.range.from)},
                                        {"to", format_date(c.range.to)}});
    const ProposalPlan planned = plan_proposal(next);
    const Plan& plan = planned.plan;
    json::array unplanned;
    for (const auto& u : plan.unplanned)
        unplanned.push_back(
            json::object{{"rule", u.rule},
                         {"subject", u.subject ? json::value(*u.subject) : json::value(nullptr)},
                         {"occurrence", u.occurrence},
                         {"reason", u.reason}});
    json::object out{{"school_year", p.school_year},
                     {"first_day", format_date(next.school.first_day)},
                     {"last_day", format_date(next.school.last_day)},
                     {"closures", std::move(closures)}};
    for (const auto& [from, to] :
         std::initializer_list<std::pair<const char*, const char*>>{{"school", "school"},
                                                                    {"person", "people"},
                                                                    {"group", "groups"},
                                                                    {"test_period", "test_periods"},
                                                                    {"rule", "rules"}})
        if (auto* v = files.if_contains(from)) out[to] = std::move(*v);
    out["carried"] = lines(p.carried);
    out["left_out"] = lines(p.left_out);
    out["todo"] = lines(p.todo);
    out["counts"] =
        json::object{{"planned", plan.events.size()}, {"unplanned", plan.unplanned.size()}};
    out["unplanned"] = std::move(unplanned);
    return out;
}

}  // namespace

HttpResponse years_api(const HttpRequest& req, const SchoolSnapshot& s, InputService& input,
                       YearService& years, const std::string& actor) {
    if (!s.school) return json_error(404, "onbekende school");
    boost::system::error_code ec;
    const json::value body = json::parse(req.body.empty() ? "{}" : req.body, ec);
    if (ec || !body.is_object()) return json_error(400, "de inhoud is geen geldig JSON-object");
    const json::object& o = body.get_object();
    bool preview = false;
    if (const json::value* p = o.if_contains("preview")) {
        if (!p->is_bool()) return json_error(400, "'preview' moet true of false zijn");
        preview = p->get_bool();
    }
    std::string year;
    if (const json::value* y = o.if_contains("school_year")) {
        if (!y->is_string())
            return json_error(400, "'school_year' is een schooljaar, bijvoorbeeld \"2027-2028\"");
        year = std::string(y->get_string());
    }
    if (!preview) {
        const auto started = years.start(s.id, year, actor);
        using O = YearService::StartOutcome;
        switch (started.outcome) {
            case O::started:
                break;
            case O::exists:
                return json_error(409, "het schooljaar " + started.school_year +
                                           " bestaat al; werk het bij met de wijzigingen "
                                           "(\"school_year\": \"" +
                                           started.school_year + "\")");
            case O::invalid: {
                std::string text;
                for (const auto& e : started.errors) text += (text.empty() ? "" : "; ") + e;
                return json_error(422, text);
            }
            case O::unknown_school:
                return json_error(404, "onbekende school");
        }
        HttpResponse r = year_api(s, started.school_year, years);
        if (r.status == 200) r.status = 201;
        return r;
    }
    auto proposal = years.propose(s.id, year);
    if (!proposal) {
        std::string text;
        for (const auto& d : proposal.error().items())
            text += (text.empty() ? "" : "; ") + d.message;
        return json_error(proposal.error().items().size() == 1 &&
                                  proposal.error().items().front().message.rfind("kies", 0) == 0
                              ? 400
                              : 422,
                          text);
    }
    const OfficialHolidays& official = input.official();
    auto next = load_school(proposal->sources, official);
    std::string error;
    auto files = sources_json(proposal->sources, error);
    if (!next || !files) return json_error(500, error.empty() ? "het voorstel laadt niet" : error);
    return json_reply(200, json::serialize(proposal_json(*proposal, *next, std::move(*files))));
}

json::array years_json(const std::string& current, const std::vector<SchoolYearRow>& rows,
                       const std::vector<std::string>& past) {
    json::array a;
    for (const auto& y : past)
        if (y < current) a.push_back(json::object{{"school_year", y}, {"state", "past"}});
    a.push_back(json::object{{"school_year", current}, {"state", "current"}});
    for (const auto& y : rows) {
        const auto todo = todos_from_json(y.todo);
        const auto open =
            std::count_if(todo.begin(), todo.end(), [](const auto& t) { return !t.done; });
        json::object o{{"school_year", y.school_year},
                       {"state", std::string(to_string(y.state))},
                       {"open_todos", open}};
        if (!y.published_at.empty()) o["published_at"] = y.published_at;
        // Before the current one: a year that was current (kept readable).
        if (y.school_year < current) o["state"] = "past";
        a.push_back(std::move(o));
    }
    return a;
}

HttpResponse year_api(const SchoolSnapshot& s, const std::string& year, YearService& years) {
    const auto v = years.view(s.id, year);
    if (!v) return json_error(404, "onbekend schooljaar '" + year + "'");
    json::array todo;
    for (const auto& t : v->todo) todo.push_back(json::object{{"text", t.text}, {"done", t.done}});
    json::object out{{"school_year", year},
                     {"state", std::string(to_string(v->row.state))},
                     {"created_at", v->row.created_at},
                     {"published_at", v->row.published_at},
                     {"input_version", v->input_version},
                     {"todo", std::move(todo)},
                     {"open_todos", v->open_todos()}};
    json::array errors;
    for (const auto& e : v->errors) errors.emplace_back(e);
    out["errors"] = std::move(errors);
    if (v->school && v->plan) {
        out["first_day"] = format_date(v->school->school.first_day);
        out["last_day"] = format_date(v->school->school.last_day);
        out["counts"] = json::object{{"planned", v->plan->events.size()},
                                     {"unplanned", v->plan->unplanned.size()}};
        json::array unplanned;
        for (const auto& u : v->plan->unplanned)
            unplanned.push_back(json::object{
                {"rule", u.rule},
                {"subject", u.subject ? json::value(*u.subject) : json::value(nullptr)},
                {"occurrence", u.occurrence},
                {"reason", u.reason}});
        out["unplanned"] = std::move(unplanned);
    }
    return json_reply(200, json::serialize(out));
}

HttpResponse publish_api(const SchoolSnapshot& s, const std::string& year, YearService& years,
                         const std::string& actor) {
    using O = YearService::PublishOutcome;
    switch (years.publish(s.id, year, actor)) {
        case O::published:
        case O::already:
            return year_api(s, year, years);
        case O::not_found:
            return json_error(404, "onbekend schooljaar '" + year + "'");
        case O::invalid:
            return json_error(422, "het schooljaar " + year +
                                       " laadt niet en kan niet gepubliceerd worden; herstel eerst "
                                       "zijn invoer");
    }
    return json_error(500, "onbekende uitkomst");
}

}  // namespace jk::daemon
