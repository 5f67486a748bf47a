// Next school year through the API (docs/api.md, "Volgend schooljaar"): the proposal, previewed.
// Storing it as a draft year, publishing and the switch are the issue "Next school year" and not
// built yet; until then `jaarkalender new-year` writes the proposal as files.
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

HttpResponse years_api(const HttpRequest& req, const SchoolSnapshot& s, InputService& input) {
    if (!s.school) return json_error(404, "onbekende school");
    boost::system::error_code ec;
    const json::value body = json::parse(req.body.empty() ? "{}" : req.body, ec);
    if (ec || !body.is_object()) return json_error(400, "de inhoud is geen geldig JSON-object");
    const json::object& o = body.get_object();
    const json::value* preview = o.if_contains("preview");
    if (!preview || !preview->is_bool() || !preview->get_bool())
        return json_error(400,
                          "stuur \"preview\": true voor het voorstel; een conceptjaar bewaren kan "
                          "nog niet (maak het voorstel als bestanden met jaarkalender new-year)");
    std::string year = following_school_year(s.school->school.school_year);
    if (const json::value* y = o.if_contains("school_year")) {
        if (!y->is_string())
            return json_error(400, "'school_year' is een schooljaar, bijvoorbeeld \"2027-2028\"");
        year = std::string(y->get_string());
    }
    if (year.empty() || following_school_year(year).empty() || year <= s.school->school.school_year)
        return json_error(400, "kies een schooljaar na " + s.school->school.school_year +
                                   ", bijvoorbeeld \"" +
                                   following_school_year(s.school->school.school_year) + "\"");
    const auto sources = input.current_input(s.id);
    if (!sources) return json_error(404, "onbekende school");
    const OfficialHolidays& official = input.official();
    auto proposal = propose_next_year(*s.school, *sources, official, year);
    if (!proposal) {
        std::string text;
        for (const auto& d : proposal.error().items())
            text += (text.empty() ? "" : "; ") + d.message;
        return json_error(422, text);
    }
    auto next = load_school(proposal->sources, official);
    std::string error;
    auto files = sources_json(proposal->sources, error);
    if (!next || !files) return json_error(500, error.empty() ? "het voorstel laadt niet" : error);
    return json_reply(200, json::serialize(proposal_json(*proposal, *next, std::move(*files))));
}

}  // namespace jk::daemon
