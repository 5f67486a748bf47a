// plan.json (spec/plan-output.md) with Boost.JSON. Objects keep insertion order, so the output is
// in contract order; our own pretty-printer makes it readable and byte-stable.
#include "jaarkalender/plan_json.hpp"

#include "quoted.hpp"

#include <boost/json.hpp>

namespace jk {
namespace {

namespace json = boost::json;

json::value opt(const std::optional<std::string>& s) {
    return s ? json::value(*s) : json::value(nullptr);
}

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

void append_scalar(std::string& out, const json::value& v) {
    switch (v.kind()) {
        case json::kind::string:
            append_quoted(out, v.get_string());
            return;
        case json::kind::int64:
            out += std::to_string(v.get_int64());
            return;
        case json::kind::uint64:
            out += std::to_string(v.get_uint64());
            return;
        case json::kind::bool_:
            out += v.get_bool() ? "true" : "false";
            return;
        case json::kind::null:
            out += "null";
            return;
        default:
            out += json::serialize(v);  // doubles: the serializer's own notation
    }
}

void pretty(std::string& out, const json::value& v, int indent) {
    auto pad = [&](int n) { out.append(static_cast<size_t>(n) * 2, ' '); };
    switch (v.kind()) {
        case json::kind::object: {
            const auto& o = v.get_object();
            if (o.empty()) {
                out += "{}";
                return;
            }
            out += "{\n";
            size_t i = 0;
            for (const auto& kv : o) {
                pad(indent + 1);
                append_quoted(out, kv.key());
                out += ": ";
                pretty(out, kv.value(), indent + 1);
                out += (++i < o.size()) ? ",\n" : "\n";
            }
            pad(indent);
            out += "}";
            return;
        }
        case json::kind::array: {
            const auto& a = v.get_array();
            if (a.empty()) {
                out += "[]";
                return;
            }
            // Arrays of scalars (attendees) stay on one line.
            bool scalars = std::all_of(a.begin(), a.end(), [](const json::value& x) {
                return !x.is_object() && !x.is_array();
            });
            if (scalars) {
                out += "[";
                for (size_t i = 0; i < a.size(); ++i) {
                    if (i) out += ", ";
                    append_scalar(out, a[i]);
                }
                out += "]";
                return;
            }
            out += "[\n";
            for (size_t i = 0; i < a.size(); ++i) {
                pad(indent + 1);
                pretty(out, a[i], indent + 1);
                out += (i + 1 < a.size()) ? ",\n" : "\n";
            }
            pad(indent);
            out += "]";
            return;
        }
        default:
            append_scalar(out, v);
    }
}

/// Line and column of byte offset `n` in `text`, 1-based.
std::pair<int, int> position(std::string_view text, size_t n) {
    int line = 1, col = 1;
    for (size_t i = 0; i < n && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

class Reader {
  public:
    Reader(const std::string& path, Diagnostics& diags) : path_(path), diags_(diags) {}

    void error(const std::string& where, const std::string& msg) {
        diags_.error(path_, 1, 1, where + ": " + msg);
    }

    std::optional<std::string> str(const json::object& o, const char* key, const std::string& where,
                                   bool nullable = false) {
        auto it = o.find(key);
        if (it == o.end()) {
            error(where, std::string("'") + key + "' ontbreekt");
            return std::nullopt;
        }
        if (it->value().is_string()) return std::string(it->value().get_string());
        if (nullable && it->value().is_null()) return std::nullopt;
        error(where, std::string("'") + key + "' moet tekst zijn");
        return std::nullopt;
    }

    std::vector<std::string> list(const json::object& o, const char* key,
                                  const std::string& where) {
        std::vector<std::string> out;
        auto it = o.find(key);
        if (it == o.end()) return out;
        if (!it->value().is_array()) {
            error(where, std::string("'") + key + "' moet een lijst zijn");
            return out;
        }
        for (const auto& v : it->value().get_array()) {
            if (v.is_string())
                out.emplace_back(v.get_string());
            else
                error(where, std::string("'") + key + "' bevat iets anders dan tekst");
        }
        return out;
    }

    std::int64_t integer(const json::object& o, const char* key, std::int64_t dflt) {
        auto it = o.find(key);
        if (it == o.end() || !it->value().is_int64()) return dflt;
        return it->value().get_int64();
    }

    /// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS+HH:MM".
    bool when(const std::string& text, bool all_day, Date& date, Minute& minute,
              const std::string& where) {
        auto d = parse_date(std::string_view(text).substr(0, 10));
        if (!d) {
            error(where, "'" + text + "' is geen datum");
            return false;
        }
        date = *d;
        if (all_day) {
            if (text.size() != 10) error(where, "een hele-dag-afspraak heeft alleen een datum");
            return text.size() == 10;
        }
        auto t =
            text.size() >= 16 && text[10] == 'T' ? parse_time(text.substr(11, 5)) : std::nullopt;
        if (!t) {
            error(where, "'" + text + "' is geen tijdstip JJJJ-MM-DDTUU:MM:SS+02:00");
            return false;
        }
        minute = *t;
        return true;
    }

  private:
    const std::string& path_;
    Diagnostics& diags_;
};

json::object event_object(const Event& e) {
    json::object o;
    o["uid"] = e.uid;
    o["rule"] = e.rule;
    o["kind"] = std::string(to_string(e.kind));
    o["subject"] = opt(e.subject);
    o["group"] = opt(e.group);
    o["occurrence"] = e.occurrence;
    o["title"] = e.title;
    o["start"] = e.start_iso();
    o["end"] = e.end_iso();
    o["all_day"] = e.all_day;
    o["attendees"] = strings(e.attendees);
    o["optional_attendees"] = strings(e.optional_attendees);
    o["owner"] = opt(e.owner);
    o["phase"] = e.phase ? json::value(std::string(to_string(*e.phase))) : json::value(nullptr);
    o["status"] = std::string(to_string(e.status));
    o["sequence"] = e.sequence;
    o["follows"] = opt(e.follows);
    // Added keys (docs/plan-format.md).
    o["description"] = e.description;
    o["visibility"] = e.visibility == Visibility::all ? "all" : "attendees";
    o["last_modified"] = e.last_modified;
    if (!e.note.empty()) o["note"] = e.note;
    if (!e.planner_reason.empty()) o["planner_reason"] = e.planner_reason;
    return o;
}

/// An event as pretty() would write event_object(e) at `indent`, written directly: the tree of
/// ~20 keys per event cost most of plan_to_json's time (5.8 ms of a 200 KB plan; now 0.8).
/// tests/core/plan_json_test.cpp holds it to event_object's keys, order and values.
void write_event(std::string& out, const Event& e, int indent) {
    const std::string pad(static_cast<size_t>(indent + 1) * 2, ' ');
    bool first = true;
    auto key = [&](std::string_view k) {
        out += first ? "{\n" : ",\n";
        first = false;
        out += pad;
        append_quoted(out, k);
        out += ": ";
    };
    auto str = [&](std::string_view k, std::string_view v) {
        key(k);
        append_quoted(out, v);
    };
    auto opt_str = [&](std::string_view k, const std::optional<std::string>& v) {
        key(k);
        if (v)
            append_quoted(out, *v);
        else
            out += "null";
    };
    auto list = [&](std::string_view k, const std::vector<std::string>& v) {
        key(k);
        out += '[';
        for (size_t i = 0; i < v.size(); ++i) {
            if (i) out += ", ";
            append_quoted(out, v[i]);
        }
        out += ']';
    };
    str("uid", e.uid);
    str("rule", e.rule);
    str("kind", to_string(e.kind));
    opt_str("subject", e.subject);
    opt_str("group", e.group);
    key("occurrence");
    out += std::to_string(e.occurrence);
    str("title", e.title);
    str("start", e.start_iso());
    str("end", e.end_iso());
    key("all_day");
    out += e.all_day ? "true" : "false";
    list("attendees", e.attendees);
    list("optional_attendees", e.optional_attendees);
    opt_str("owner", e.owner);
    opt_str("phase",
            e.phase ? std::optional<std::string>(std::string(to_string(*e.phase))) : std::nullopt);
    str("status", to_string(e.status));
    key("sequence");
    out += std::to_string(e.sequence);
    opt_str("follows", e.follows);
    str("description", e.description);
    str("visibility", e.visibility == Visibility::all ? "all" : "attendees");
    str("last_modified", e.last_modified);
    if (!e.note.empty()) str("note", e.note);
    if (!e.planner_reason.empty()) str("planner_reason", e.planner_reason);
    out += '\n';
    out.append(static_cast<size_t>(indent) * 2, ' ');
    out += '}';
}

Event read_event(const json::object& eo, Reader& rd, const std::string& where) {
    Event e;
    e.uid = rd.str(eo, "uid", where).value_or("");
    e.rule = rd.str(eo, "rule", where).value_or("");
    const std::string kind = rd.str(eo, "kind", where).value_or("rule");
    e.kind = kind == "test_session"  ? EventKind::test_session
             : kind == "test_period" ? EventKind::test_period
                                     : EventKind::rule;
    e.subject = rd.str(eo, "subject", where, true);
    e.group = rd.str(eo, "group", where, true);
    e.occurrence = static_cast<int>(rd.integer(eo, "occurrence", 1));
    e.title = rd.str(eo, "title", where).value_or("");
    if (auto it = eo.find("all_day"); it != eo.end() && it->value().is_bool())
        e.all_day = it->value().get_bool();
    const auto start = rd.str(eo, "start", where);
    const auto end = rd.str(eo, "end", where);
    if (start) rd.when(*start, e.all_day, e.date, e.start, where + ".start");
    if (end) rd.when(*end, e.all_day, e.end_date, e.end, where + ".end");
    e.attendees = rd.list(eo, "attendees", where);
    e.optional_attendees = rd.list(eo, "optional_attendees", where);
    e.owner = rd.str(eo, "owner", where, true);
    if (auto ph = rd.str(eo, "phase", where, true)) {
        for (auto p : {Phase::plan, Phase::do_, Phase::check, Phase::act})
            if (to_string(p) == *ph) e.phase = p;
    }
    const std::string status = rd.str(eo, "status", where).value_or("planned");
    if (auto st = parse_event_status(status))
        e.status = *st;
    else
        rd.error(where, "status '" + status + "' bestaat niet (planned, done, cancelled, moved)");
    e.sequence = static_cast<int>(rd.integer(eo, "sequence", 0));
    e.follows = rd.str(eo, "follows", where, true);
    if (auto it = eo.find("description"); it != eo.end() && it->value().is_string())
        e.description = std::string(it->value().get_string());
    if (auto it = eo.find("visibility"); it != eo.end() && it->value().is_string())
        e.visibility =
            it->value().get_string() == "attendees" ? Visibility::attendees : Visibility::all;
    if (auto it = eo.find("last_modified"); it != eo.end() && it->value().is_string())
        e.last_modified = std::string(it->value().get_string());
    if (auto it = eo.find("note"); it != eo.end() && it->value().is_string())
        e.note = std::string(it->value().get_string());
    if (auto it = eo.find("planner_reason"); it != eo.end() && it->value().is_string())
        e.planner_reason = std::string(it->value().get_string());
    // Plans stored before `planner_reason` kept the planner's reason in the note, after this
    // prefix (a person's cancel reason never had it): read it as what it was.
    constexpr std::string_view kOldPrefix = "vervallen: ";
    if (e.status == EventStatus::cancelled && e.planner_reason.empty() &&
        e.note.starts_with(kOldPrefix)) {
        e.planner_reason = e.note.substr(kOldPrefix.size());
        e.note.clear();
    }
    return e;
}

}  // namespace

std::string plan_to_json(const Plan& plan) {
    json::object root;
    root["school"] = plan.school;
    root["school_year"] = plan.school_year;
    root["events"] = json::array();  // written by write_event below
    json::array unplanned;
    for (const Unplanned& u : plan.unplanned) {
        json::object o;
        o["rule"] = u.rule;
        o["subject"] = opt(u.subject);
        o["occurrence"] = u.occurrence;
        o["reason"] = u.reason;
        unplanned.emplace_back(std::move(o));
    }
    root["unplanned"] = std::move(unplanned);
    json::array closures;
    for (const Closure& c : plan.closures) {
        json::object o;
        o["from"] = format_date(c.range.from);
        o["to"] = format_date(c.range.to);
        o["kind"] = std::string(to_string(c.kind));
        o["name"] = c.name;
        closures.emplace_back(std::move(o));
    }
    root["closures"] = std::move(closures);
    root["school_name"] = plan.school_name;
    root["timezone"] = plan.timezone;
    root["stamp"] = plan.stamp;
    if (plan.planner > 0) root["planner"] = plan.planner;  // absent: a plan from before it
    root["warnings"] = strings(plan.warnings);
    if (plan.as_of)
        root["as_of"] = format_date(plan.as_of->date) + "T" + format_time(plan.as_of->minute);
    if (!plan.changes.empty() || plan.as_of) {
        json::array changes;
        for (const PlanChange& c : plan.changes) {
            json::object o;
            o["uid"] = c.uid;
            o["title"] = c.title;
            o["change"] = to_string(c.what);
            o["from"] = c.from;
            o["to"] = c.to.empty() ? json::value(nullptr) : json::value(c.to);
            o["reason"] = c.reason;
            changes.emplace_back(std::move(o));
        }
        root["changes"] = std::move(changes);
    }
    std::string out;
    out.reserve(plan.events.size() * 800 + 4096);
    // The root as pretty() writes it, with the events written directly.
    out += "{\n";
    size_t i = 0;
    for (const auto& kv : root) {
        out += "  ";
        append_quoted(out, kv.key());
        out += ": ";
        if (kv.key() == "events" && !plan.events.empty()) {
            out += "[\n";
            for (size_t n = 0; n < plan.events.size(); ++n) {
                out += "    ";
                write_event(out, plan.events[n], 2);
                out += n + 1 < plan.events.size() ? ",\n" : "\n";
            }
            out += "  ]";
        } else {
            pretty(out, kv.value(), 1);
        }
        out += (++i < root.size()) ? ",\n" : "\n";
    }
    out += "}\n";
    return out;
}

namespace {

std::optional<Closure> read_closure(const json::object& co, Reader& rd, const std::string& where) {
    Closure c;
    auto from = parse_date(rd.str(co, "from", where).value_or(""));
    auto to = parse_date(rd.str(co, "to", where).value_or(""));
    const std::string kind = rd.str(co, "kind", where).value_or("");
    c.name = rd.str(co, "name", where).value_or("");
    bool known = false;
    for (auto k :
         {ClosureKind::vakantie, ClosureKind::feestdag, ClosureKind::studiedag, ClosureKind::vrij})
        if (to_string(k) == kind) c.kind = k, known = true;
    if (!from || !to || !known) {
        rd.error(where, "ongeldige datum of soort");
        return std::nullopt;
    }
    c.range = {*from, *to};
    return c;
}

Unplanned read_unplanned(const json::object& uo, Reader& rd) {
    Unplanned u;
    u.rule = rd.str(uo, "rule", "unplanned").value_or("");
    u.subject = rd.str(uo, "subject", "unplanned", true);
    u.occurrence = static_cast<int>(rd.integer(uo, "occurrence", 1));
    u.reason = rd.str(uo, "reason", "unplanned").value_or("");
    return u;
}

std::optional<PlanChange> read_plan_change(const json::object& co, Reader& rd) {
    PlanChange c;
    c.uid = rd.str(co, "uid", "changes").value_or("");
    c.title = rd.str(co, "title", "changes").value_or("");
    const std::string what = rd.str(co, "change", "changes").value_or("");
    const auto kind = parse_plan_change_kind(what);
    if (!kind) {
        rd.error("changes", "change '" + what + "' bestaat niet (moved, cancelled, restored)");
        return std::nullopt;
    }
    c.what = *kind;
    c.from = rd.str(co, "from", "changes").value_or("");
    c.to = rd.str(co, "to", "changes", true).value_or("");
    c.reason = rd.str(co, "reason", "changes").value_or("");
    return c;
}

}  // namespace

Result<Plan> plan_from_json(std::string_view text, const std::string& path) {
    Diagnostics diags;
    json::stream_parser parser;
    boost::system::error_code ec;
    const size_t n = parser.write(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        auto [line, col] = position(text, n);
        diags.error(path, line, col, "ongeldige JSON: " + ec.message());
        return diags;
    }
    const json::value root = parser.release();
    Reader rd(path, diags);
    if (!root.is_object()) {
        rd.error("plan", "verwacht een JSON-object");
        return diags;
    }
    const json::object& o = root.get_object();
    Plan plan;
    plan.school = rd.str(o, "school", "plan").value_or("");
    plan.school_year = rd.str(o, "school_year", "plan").value_or("");
    if (auto it = o.find("stamp"); it != o.end() && it->value().is_string())
        plan.stamp = std::string(it->value().get_string());
    if (auto it = o.find("school_name"); it != o.end() && it->value().is_string())
        plan.school_name = std::string(it->value().get_string());
    if (auto it = o.find("planner"); it != o.end() && it->value().is_int64())
        plan.planner = static_cast<int>(it->value().get_int64());
    auto ev = o.find("events");
    if (ev == o.end() || !ev->value().is_array()) {
        rd.error("plan", "'events' ontbreekt of is geen lijst");
        return diags;
    }
    size_t i = 0;
    plan.events.reserve(ev->value().get_array().size());
    for (const auto& v : ev->value().get_array()) {
        const std::string where = "events[" + std::to_string(i++) + "]";
        if (!v.is_object()) {
            rd.error(where, "verwacht een object");
            continue;
        }
        plan.events.push_back(read_event(v.get_object(), rd, where));
    }
    if (auto it = o.find("timezone"); it != o.end() && it->value().is_string())
        plan.timezone = std::string(it->value().get_string());
    if (auto it = o.find("closures"); it != o.end() && it->value().is_array()) {
        size_t ci = 0;
        for (const auto& v : it->value().get_array()) {
            const std::string where = "closures[" + std::to_string(ci++) + "]";
            if (!v.is_object()) {
                rd.error(where, "verwacht een object");
                continue;
            }
            if (auto c = read_closure(v.get_object(), rd, where))
                plan.closures.push_back(std::move(*c));
        }
    }
    if (auto it = o.find("unplanned"); it != o.end() && it->value().is_array()) {
        for (const auto& v : it->value().get_array()) {
            if (!v.is_object()) continue;
            plan.unplanned.push_back(read_unplanned(v.get_object(), rd));
        }
    }
    plan.warnings = rd.list(o, "warnings", "plan");
    if (auto it = o.find("as_of"); it != o.end() && it->value().is_string())
        plan.as_of = parse_local_moment(std::string(it->value().get_string()));
    if (auto it = o.find("changes"); it != o.end() && it->value().is_array()) {
        for (const auto& v : it->value().get_array()) {
            if (!v.is_object()) continue;
            if (auto c = read_plan_change(v.get_object(), rd))
                plan.changes.push_back(std::move(*c));
        }
    }
    if (diags.has_errors()) return diags;
    release_spare_capacity(plan);
    return plan;
}

std::string event_to_json(const Event& e) {
    return json::serialize(event_object(e));
}

std::string events_to_json(const std::vector<const Event*>& events) {
    json::array a;
    for (const Event* e : events) a.emplace_back(event_object(*e));
    return json::serialize(a);
}

Result<Event> event_from_json(std::string_view text, const std::string& where) {
    Diagnostics diags;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
        diags.error(where, 1, 1, "ongeldige JSON voor een afspraak");
        return diags;
    }
    Reader rd(where, diags);
    Event e = read_event(v.get_object(), rd, "afspraak");
    if (diags.has_errors()) return diags;
    return e;
}

}  // namespace jk
