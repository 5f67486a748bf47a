// The school's input through the API (docs/api.md, "Wijzigingen in personen en dagen"): staff
// changes and their undo, previewed or stored, and the history. The same domain result as the
// pages (StaffChangeResult), said as JSON.
#include <toml++/toml.h>

#include <boost/json.hpp>
#include <sstream>

#include "daemon/api/api.hpp"
#include "daemon/input/inputs.hpp"
#include "import/xlsx_reader.hpp"
#include "jaarkalender/formatie.hpp"

namespace jk::daemon {

namespace json = boost::json;

HttpResponse json_reply(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json; charset=utf-8"},
                 {"Cache-Control", "no-store"}};
    r.body = std::move(body);
    return r;
}

HttpResponse json_error(int status, const std::string& message) {
    return json_reply(status, json::serialize(json::object{{"error", message}}));
}

namespace {

json::value plan_change_json(const PlanChange& c) {
    return json::object{{"uid", c.uid},
                        {"title", c.title},
                        {"from", c.from},
                        {"to", c.to.empty() ? json::value(nullptr) : json::value(c.to)},
                        {"reason", c.reason}};
}

/// What a change does (or did), in the form of the preview and of the answer after saving.
json::object consequences_json(const StaffChangeResult& r) {
    const ChangeConsequences& c = r.consequences;
    json::array moved, cancelled, restored, unplanned, added, mails, warnings;
    for (const auto& m : c.moved) moved.push_back(plan_change_json(m));
    for (const auto& m : c.cancelled) cancelled.push_back(plan_change_json(m));
    for (const auto& m : c.restored) restored.push_back(plan_change_json(m));
    for (const auto& u : c.unplanned)
        unplanned.push_back(
            json::object{{"rule", u.rule},
                         {"subject", u.subject ? json::value(*u.subject) : json::value(nullptr)},
                         {"occurrence", u.occurrence},
                         {"reason", u.reason}});
    for (const auto& e : c.added)
        added.push_back(json::object{{"uid", e.uid},
                                     {"title", e.title},
                                     {"date", format_date(e.date)},
                                     {"when", e.when_nl()}});
    for (const auto& m : c.mails) {
        json::array uids;
        for (const auto& u : m.uids) uids.emplace_back(u);
        mails.push_back(json::object{
            {"person", m.person}, {"name", m.name}, {"events", uids}, {"welcome", m.welcome}});
    }
    for (const auto& e : r.errors) warnings.emplace_back(e.message);
    for (const auto& w : c.warnings) warnings.emplace_back(w);
    json::object o{{"summary", r.summary},
                   {"moved", std::move(moved)},
                   {"cancelled", std::move(cancelled)},
                   {"restored", std::move(restored)},
                   {"unplanned", std::move(unplanned)},
                   {"added", std::move(added)},
                   {"mails", std::move(mails)}};
    if (!warnings.empty()) o["warnings"] = std::move(warnings);
    // The year in numbers per rule, for the rules whose numbers change.
    json::array counts;
    for (const auto& k : c.counts)
        if (k.planned_before != k.planned_after || k.unplanned_before != k.unplanned_after)
            counts.push_back(json::object{{"rule", k.rule},
                                          {"title", k.title},
                                          {"planned_before", k.planned_before},
                                          {"planned_after", k.planned_after},
                                          {"unplanned_before", k.unplanned_before},
                                          {"unplanned_after", k.unplanned_after}});
    o["counts"] = std::move(counts);
    return o;
}

HttpResponse answer(const StaffChangeResult& r) {
    using O = StaffChangeResult::Outcome;
    switch (r.outcome) {
        case O::applied: {
            json::object o = consequences_json(r);
            o["preview"] = false;
            o["version"] = r.version;
            return json_reply(201, json::serialize(o));
        }
        case O::previewed: {
            json::object o = consequences_json(r);
            o["preview"] = true;
            return json_reply(200, json::serialize(o));
        }
        case O::invalid: {
            json::array fields;
            std::string first;
            for (const auto& e : r.errors) {
                fields.push_back(json::object{{"field", e.field}, {"message", e.message}});
                if (first.empty()) first = (e.field.empty() ? "" : e.field + ": ") + e.message;
            }
            return json_reply(400, json::serialize(json::object{{"error", first},
                                                                {"fields", std::move(fields)}}));
        }
        case O::unknown_school:
            return json_error(404, "onbekende school");
        case O::unknown_change:
            return json_error(404, "onbekende wijziging, of al ongedaan gemaakt");
        case O::unknown_year:
            return json_error(404,
                              "onbekend schooljaar: kies het huidige jaar of een jaar dat als "
                              "concept of gepubliceerd volgend jaar bestaat (GET /api/v1/schools)");
        case O::rate_limited: {
            HttpResponse h = json_error(429,
                                        "te veel wijzigingen achter elkaar; probeer het zo "
                                        "opnieuw");
            h.headers.emplace_back("Retry-After", std::to_string(r.retry_after));
            return h;
        }
    }
    return json_error(500, "onbekende uitkomst");
}

/// `"preview"` of a body, when it is there and a boolean.
std::optional<bool> preview_of(const std::string& body, HttpResponse& fail) {
    if (body.empty()) return false;
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) {
        fail = json_error(400, "de inhoud is geen geldig JSON-object");
        return std::nullopt;
    }
    const json::value* p = v.get_object().if_contains("preview");
    if (!p) return false;
    if (!p->is_bool()) {
        fail = json_error(400, "'preview' moet true of false zijn");
        return std::nullopt;
    }
    return p->get_bool();
}

/// The year a change is about: `"school_year"` of the body, else `?school_year=`; empty: the
/// current year.
std::optional<std::string> year_of(const std::string& body, const RequestContext& u,
                                   HttpResponse& fail) {
    std::string year = u.query.get("school_year");
    boost::system::error_code ec;
    json::value v = json::parse(body.empty() ? "{}" : body, ec);
    if (!ec && v.is_object())
        if (const json::value* y = v.get_object().if_contains("school_year")) {
            if (!y->is_string()) {
                fail =
                    json_error(400, "'school_year' is een schooljaar, bijvoorbeeld \"2027-2028\"");
                return std::nullopt;
            }
            year = std::string(y->get_string());
        }
    return year;
}

bool json_body(const HttpRequest& req, HttpResponse& fail) {
    const std::string* ct = req.header("content-type");
    if (req.body.empty() || (ct && ct->rfind("application/json", 0) == 0)) return true;
    fail = json_error(415, "stuur JSON (Content-Type: application/json)");
    return false;
}

}  // namespace

HttpResponse staff_history(const SchoolSnapshot& s, const std::string& year, InputService& input) {
    bool upcoming = false;
    if (!input.known_year(s.id, year, upcoming))
        return json_error(404, "onbekend schooljaar '" + year + "'");
    const auto versions = input.history(s.id, year);
    std::map<long long, long long> undone_by;
    for (const auto& v : versions)
        if (v.origin == InputOrigin::undo) undone_by[v.undo_of] = v.id;
    json::array a;
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        const InputVersion& v = *it;
        json::object o{{"id", v.id},
                       {"at", v.created_at},
                       {"origin", to_string(v.origin)},
                       {"school_year", v.school_year},
                       {"summary", v.summary}};
        o["actor"] = v.actor.empty() ? json::value(nullptr) : json::value(v.actor);
        if (!v.actor.empty() && s.school)
            if (const Person* p = s.school->school.person(v.actor)) o["actor_name"] = p->name;
        if (v.origin == InputOrigin::change) {
            boost::system::error_code ec;
            o["change"] = json::parse(v.change_json, ec);
            if (ec) o["change"] = nullptr;
            auto u = undone_by.find(v.id);
            o["undone_by"] = u == undone_by.end() ? json::value(nullptr) : json::value(u->second);
        }
        if (v.origin == InputOrigin::undo) o["undo_of"] = v.undo_of;
        json::array skipped;
        for (const auto& sk : skipped_from_json(v.skipped))
            skipped.push_back(json::object{{"change", sk.change}, {"reason", sk.reason}});
        o["skipped"] = std::move(skipped);
        a.push_back(std::move(o));
    }
    return json_reply(200, json::serialize(a));
}

std::optional<json::object> sources_json(const SchoolSources& sources, std::string& error) {
    // Both files as JSON, their tables side by side: the keys as in the files.
    json::object out;
    for (const std::string* text : {&sources.school_toml, &sources.rules_toml}) {
        toml::table doc;
        try {
            doc = toml::parse(*text);
        } catch (const toml::parse_error& e) {
            error = std::string("de invoer van de school is niet te lezen: ") +
                    std::string(e.description());
            return std::nullopt;
        }
        std::ostringstream os;
        os << toml::json_formatter{doc};
        boost::system::error_code ec;
        json::value v = json::parse(os.str(), ec);
        if (ec || !v.is_object()) {
            error = "de invoer van de school is niet te lezen";
            return std::nullopt;
        }
        for (auto& [key, value] : v.as_object()) out[key] = std::move(value);
    }
    return out;
}

HttpResponse input_api(const SchoolSnapshot& s, const std::string& year, bool private_too,
                       InputService& input) {
    const auto sources = input.input_of(s.id, year);
    if (!sources)
        return json_error(404,
                          year.empty() ? "onbekende school" : "onbekend schooljaar '" + year + "'");
    std::string error;
    auto out = sources_json(*sources, error);
    if (!out) return json_error(500, error);
    // Why someone is away is for the IB'er and the schoolleider only.
    if (!private_too)
        if (json::value* people = out->if_contains("person"); people && people->is_array())
            for (json::value& p : people->as_array())
                if (json::value* absent = p.as_object().if_contains("absent");
                    absent && absent->is_array())
                    for (json::value& a : absent->as_array())
                        if (a.is_object()) a.as_object().erase("reason");
    return json_reply(200, json::serialize(*out));
}

HttpResponse formatie_template(const SchoolSnapshot& s, Date today) {
    if (!s.school) return json_error(404, "onbekende school");
    HttpResponse r;
    r.status = 200;
    r.headers = {{"Content-Type", "text/csv; charset=utf-8"},
                 {"Content-Disposition", "attachment; filename=\"formatie-" + s.id + ".csv\""},
                 {"Cache-Control", "no-store"}};
    r.body = formatie_csv(s.school->school, std::max(today, s.school->school.first_day));
    return r;
}

HttpResponse formatie_api(const HttpRequest& req, const SchoolSnapshot& s, const RequestContext& u,
                          InputService& input) {
    if (!s.school) return json_error(404, "onbekende school");
    const std::string* ct = req.header("content-type");
    const std::string type = ct ? ct->substr(0, ct->find(';')) : std::string();
    const bool zip = req.body.rfind("PK\x03\x04", 0) == 0;
    Sheet sheet;
    if (type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
        (zip && (type.empty() || type == "application/octet-stream"))) {
        auto read = imports::read_xlsx(req.body);
        if (!read.error.empty()) return json_error(400, read.error);
        sheet = std::move(read.sheet);
    } else if (type == "text/csv" || type == "application/csv" || type == "text/plain" ||
               type.empty() || type == "application/octet-stream") {
        sheet = read_csv(req.body);
    } else {
        return json_error(415,
                          "stuur de formatie als CSV (Content-Type: text/csv) of als .xlsx "
                          "(Content-Type: application/vnd.openxmlformats-officedocument."
                          "spreadsheetml.sheet)");
    }
    const std::string& p = u.query.get("preview");
    const bool preview = p == "1" || p == "true" || p == "ja";
    // The formatie of a draft next year (`?school_year=`): usually what changes from one year to
    // the next (docs/input.md, "Next school year").
    const std::string& year = u.query.get("school_year");
    std::shared_ptr<const LoadedSchool> school = s.school;
    bool upcoming = false;
    if (!input.known_year(s.id, year, upcoming))
        return json_error(404, "onbekend schooljaar '" + year + "'");
    if (upcoming) {
        auto view = input.years().view(s.id, year);
        if (!view || !view->school)
            return json_error(422,
                              "het schooljaar " + year + " laadt niet; herstel eerst zijn invoer");
        school = view->school;
    }
    std::optional<Date> until;
    if (const std::string& lu = u.query.get("leavers_until"); !lu.empty()) {
        until = parse_date(lu);
        if (!until)
            return json_error(400, "leavers_until: '" + lu + "' is geen datum (JJJJ-MM-DD)");
    }
    const Formatie formatie = read_formatie(sheet);
    if (!formatie.errors.empty()) {
        json::array rows;
        std::string first;
        for (const auto& e : formatie.errors) {
            rows.push_back(
                json::object{{"row", e.row}, {"column", e.column}, {"message", e.message}});
            if (first.empty())
                first = "rij " + std::to_string(e.row) +
                        (e.column.empty() ? "" : ", kolom " + e.column) + ": " + e.message;
        }
        return json_reply(
            400, json::serialize(json::object{{"error", first}, {"rows", std::move(rows)}}));
    }
    StaffChange change;
    change.kind = StaffChangeKind::formatie;
    change.table = formatie_rows_json(formatie.rows);
    change.until = until;
    // The file says how the school is from today (the whole year, before the year begins).
    const Date on = std::max(u.today, school->school.first_day);
    change.from = on;
    HttpResponse out = answer(input.staff_change(s.id, u.person->id, change, preview, year));
    if (out.status != 200 && out.status != 201) return out;
    // Who is new, what changes, who is not in the file: in the school's words.
    const FormatieDiff d = formatie_diff(school->school, formatie.rows, on);
    auto list = [](const std::vector<std::string>& v) {
        json::array a;
        for (const auto& x : v) a.emplace_back(x);
        return a;
    };
    boost::system::error_code ec;
    json::value body = json::parse(out.body, ec);
    if (ec || !body.is_object()) return out;
    body.as_object()["formatie"] = json::object{{"added", list(d.added)},
                                                {"changed", list(d.changed)},
                                                {"missing", list(d.missing)},
                                                {"groups", list(d.groups)},
                                                {"missing_leave", until.has_value()}};
    out.body = json::serialize(body);
    return out;
}

HttpResponse staff_change_api(const HttpRequest& req, const SchoolSnapshot& s,
                              const RequestContext& u, InputService& input) {
    HttpResponse fail;
    if (!json_body(req, fail)) return fail;
    const auto preview = preview_of(req.body, fail);
    if (!preview) return fail;
    const auto year = year_of(req.body, u, fail);
    if (!year) return fail;
    ParsedChange parsed = staff_change_from_json(req.body, {"preview", "school_year"});
    if (!parsed.errors.empty()) {
        StaffChangeResult r;
        r.outcome = StaffChangeResult::Outcome::invalid;
        r.errors = std::move(parsed.errors);
        return answer(r);
    }
    return answer(input.staff_change(s.id, u.person->id, parsed.change, *preview, *year));
}

HttpResponse staff_undo_api(const HttpRequest& req, const SchoolSnapshot& s,
                            const RequestContext& u, const std::string& id, InputService& input) {
    HttpResponse fail;
    if (!json_body(req, fail)) return fail;
    const auto preview = preview_of(req.body, fail);
    if (!preview) return fail;
    long long version = 0;
    try {
        size_t used = 0;
        version = std::stoll(id, &used);
        if (used != id.size() || version <= 0) throw std::invalid_argument(id);
    } catch (const std::exception&) {
        return json_error(404, "onbekende wijziging");
    }
    const auto year = year_of(req.body, u, fail);
    if (!year) return fail;
    return answer(input.undo_staff_change(s.id, u.person->id, version, *preview, *year));
}

}  // namespace jk::daemon
