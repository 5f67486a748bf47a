// rules.toml: test periods and rules, read with their positions and checked against the school
// (rules_file.hpp).
#include "loader/rules_file.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "ical_input.hpp"
#include "loader/read_common.hpp"

namespace jk::detail {
namespace {

using std::chrono::days;

struct RuleSource {
    SourcePos title, for_each, attendees, optional_attendees, owner, follow, count;
    bool for_each_given = false;
};

std::optional<AttendeeSpec> parse_attendee(std::string_view s) {
    auto take = [&](std::string_view prefix) -> std::optional<std::string> {
        if (s.substr(0, prefix.size()) == prefix) return std::string(s.substr(prefix.size()));
        return std::nullopt;
    };
    if (s == "group_teachers") return AttendeeSpec{AttendeeKind::group_teachers, {}, {}};
    if (s == "most:group_teachers") return AttendeeSpec{AttendeeKind::most_group_teachers, {}, {}};
    if (s == "all_staff") return AttendeeSpec{AttendeeKind::all_staff, {}, {}};
    if (auto v = take("any:role:")) {
        // any:role:A|B: one holder of A or of B, A preferred.
        AttendeeSpec a{AttendeeKind::any_role, *v, {}};
        for (size_t at = 0;;) {
            const size_t bar = v->find('|', at);
            a.roles.push_back(v->substr(at, bar == std::string::npos ? bar : bar - at));
            if (bar == std::string::npos) break;
            at = bar + 1;
        }
        return a;
    }
    if (auto v = take("role:")) return AttendeeSpec{AttendeeKind::role, *v, {}};
    if (auto v = take("person:")) return AttendeeSpec{AttendeeKind::person, *v, {}};
    return std::nullopt;
}

class RulesReader {
  public:
    RulesReader(const FileContext& ctx, const School& school, const SchoolCalendar* calendar)
        : ctx_(ctx), school_(school), calendar_(calendar) {
        for (const auto& p : school.persons) {
            person_ids_.push_back(p.id);
            for (const auto& r : p.roles) roles_.insert(r);
        }
    }

    Rules read(const toml::table& root) {
        TableReader top(ctx_, root, "rules.toml", {"test_period", "rule"});
        for_each_table(top, "test_period", [&](const toml::table& t, size_t) { read_period(t); });
        for_each_table(top, "rule", [&](const toml::table& t, size_t) { read_rule(t); });
        check_rules();
        set_aside_inactive();
        return std::move(rules_);
    }

  private:
    /// A rule switched off plans nothing, and neither does what follows it: both move to
    /// `inactive`, after every check (a rule that is off is still a valid rule, so that it can
    /// be switched on again as it is).
    void set_aside_inactive() {
        std::set<std::string> off;
        for (bool grew = true; grew;) {
            grew = false;
            for (const Rule& r : rules_.rules) {
                if (off.count(r.id)) continue;
                const FollowUpTiming* f = r.follow_up();
                if (!r.active || (f && off.count(f->rule))) grew = off.insert(r.id).second || grew;
            }
        }
        if (off.empty()) return;
        std::vector<Rule> on;
        for (Rule& r : rules_.rules)
            (off.count(r.id) ? rules_.inactive : on).push_back(std::move(r));
        rules_.rules = std::move(on);
    }

    void check_in_year(const SourcePos& pos, const DateRange& r, const std::string& what) {
        if (!calendar_) return;
        if (r.to < calendar_->first_day() || r.from > calendar_->last_day())
            ctx_.error(pos, what + " (" + format_date(r.from) + " t/m " + format_date(r.to) +
                                ") valt buiten het schooljaar (" +
                                format_date(calendar_->first_day()) + " t/m " +
                                format_date(calendar_->last_day()) + ")");
    }

    int longest_lesson_day() const {
        int m = 0;
        for (const auto& h : school_.hours)
            if (h) m = std::max(m, h->end - h->start);
        return m;
    }

    void read_period(const toml::table& pt) {
        TableReader t(ctx_, pt, "[[test_period]]",
                      {"id", "name", "from", "to", "max_tests_per_day", "morning_only", "test"});
        TestPeriod p;
        p.pos = t.pos();
        p.id = read_id(t, "de id van de toetsperiode, bijvoorbeeld 'midden'");
        p.name = t.string("name", true, "bijvoorbeeld \"Toetsperiode midden\"").value_or(p.id);
        auto range = read_from_to(t);
        if (range) {
            p.range = *range;
            check_in_year(p.pos, p.range, "toetsperiode '" + p.id + "'");
        }
        if (auto m = t.integer("max_tests_per_day")) {
            if (*m < 1 || *m > 10)
                ctx_.error(t.node("max_tests_per_day")->source(),
                           "max_tests_per_day moet tussen 1 en 10 liggen");
            else
                p.max_tests_per_day = static_cast<int>(*m);
        }
        p.morning_only = t.boolean("morning_only").value_or(true);
        for_each_table(t, "test", [&](const toml::table& tt, size_t) {
            TableReader r(ctx_, tt, "[[test_period.test]]", {"name", "grades", "minutes"});
            Test test;
            test.pos = r.pos();
            test.name = r.string("name", true, "de naam van de toets").value_or("");
            if (auto g = read_grades(r, "grades")) test.grades = *g;
            if (auto m = r.integer("minutes", true, "de duur in minuten")) {
                if (*m < 5 || *m > longest_lesson_day()) {
                    ctx_.error(r.node("minutes")->source(),
                               "minutes moet tussen 5 en " + std::to_string(longest_lesson_day()) +
                                   " liggen (de langste lesdag)");
                } else {
                    test.minutes = static_cast<int>(*m);
                }
            }
            p.tests.push_back(std::move(test));
        });
        if (!p.id.empty()) {
            if (rules_.period(p.id))
                ctx_.error(p.pos, "toetsperiode-id '" + p.id + "' komt twee keer voor");
            rules_.test_periods.push_back(std::move(p));
        }
    }

    std::vector<AttendeeSpec> read_attendees(const TableReader& t, std::string_view key,
                                             SourcePos& pos) {
        std::vector<AttendeeSpec> out;
        if (const toml::node* n = t.node(key)) pos = ctx_.pos(n->source());
        t.array(key, [&](const toml::node& el, size_t) {
            if (!el.is_string()) {
                t.type_error(el, key, "tekst");
                return;
            }
            const std::string s = el.as_string()->get();
            auto a = parse_attendee(s);
            if (!a) {
                ctx_.error(el.source(), "'" + s +
                                            "' is geen deelnemer; gebruik person:ID, role:NAAM, "
                                            "any:role:NAAM, any:role:NAAM|NAAM, group_teachers, "
                                            "most:group_teachers of all_staff");
                return;
            }
            if (a->kind == AttendeeKind::any_role) {
                bool ok = true;
                for (const auto& role : a->roles)
                    ok = check_reference(el.source(), a->kind, role) && ok;
                if (!ok) return;
            } else if (!check_reference(el.source(), a->kind, a->name)) {
                return;
            }
            out.push_back(*a);
        });
        return out;
    }

    bool check_reference(const toml::source_region& where, AttendeeKind kind,
                         const std::string& name) {
        if (kind == AttendeeKind::person && !school_.person(name)) {
            std::string msg = "persoon '" + name + "' bestaat niet in school.toml";
            std::string near = closest_match(name, person_ids_);
            if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
            ctx_.error(where, msg);
            return false;
        }
        if ((kind == AttendeeKind::role || kind == AttendeeKind::any_role) && !roles_.count(name)) {
            std::string msg = "niemand heeft de rol '" + name + "'";
            std::string near = closest_match(name, {roles_.begin(), roles_.end()});
            if (!near.empty())
                msg += "; bedoelde je '" + near + "'?";
            else if (!roles_.empty())
                msg += "; bestaande rollen: " + join({roles_.begin(), roles_.end()});
            ctx_.error(where, msg);
            return false;
        }
        return true;
    }

    /// for_each: whom the rule is for (teacher, group, starter, role:NAAM, school).
    void read_for_each(TableReader& t, Rule& r, RuleSource& src) {
        if (auto fe = t.string("for_each")) {
            src.for_each_given = true;
            src.for_each = ctx_.pos(t.node("for_each")->source());
            if (*fe == "teacher")
                r.for_each.kind = SubjectKind::teacher;
            else if (*fe == "group")
                r.for_each.kind = SubjectKind::group;
            else if (*fe == "starter")
                r.for_each.kind = SubjectKind::starter;
            else if (*fe == "school")
                r.for_each.kind = SubjectKind::school;
            else if (fe->rfind("role:", 0) == 0) {
                r.for_each.kind = SubjectKind::role;
                r.for_each.role = fe->substr(5);
                check_reference(t.node("for_each")->source(), AttendeeKind::role, r.for_each.role);
            } else {
                std::string msg =
                    "for_each '" + *fe +
                    "' bestaat niet; kies teacher, group, starter, role:NAAM of school";
                std::string near = closest_match(*fe, {"teacher", "group", "starter", "school"});
                if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                ctx_.error(t.node("for_each")->source(), msg);
            }
        }
    }

    /// The duration (minutes or all_day) and the slot, or `time` for the fixed forms.
    void read_duration(TableReader& t, const toml::table& rt, Rule& r, const std::string& where) {
        const bool has_minutes = t.has("minutes");
        r.all_day = t.boolean("all_day").value_or(false);
        if (has_minutes && r.all_day)
            ctx_.error(rt.source(),
                       where + ": gebruik óf 'minutes', óf all_day = true, niet beide");
        else if (!has_minutes && !r.all_day)
            ctx_.error(rt.source(), where +
                                        ": de duur ontbreekt; geef 'minutes' (bijvoorbeeld 45) of "
                                        "all_day = true (een deadline of hele dag)");
        if (auto m = t.integer("minutes")) {
            if (*m < 5 || *m > 600)
                ctx_.error(t.node("minutes")->source(), "minutes moet tussen 5 en 600 liggen");
            else
                r.minutes = static_cast<int>(*m);
        }

        // Slot, or `time` for the fixed forms.
        if (auto slot = t.string("slot")) {
            if (*slot == "lessons")
                r.slot.kind = SlotKind::lessons;
            else if (*slot == "after_school")
                r.slot.kind = SlotKind::after_school;
            else if (auto tm = parse_time(*slot)) {
                r.slot = {SlotKind::fixed, *tm};
            } else {
                std::string msg = "slot '" + *slot +
                                  "' bestaat niet; kies lessons, after_school of "
                                  "een begintijd \"HH:MM\"";
                std::string near = closest_match(*slot, {"lessons", "after_school"});
                if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                ctx_.error(t.node("slot")->source(), msg);
            }
        }
        if (auto tm = t.string("time")) {
            if (t.has("slot"))
                ctx_.error(t.node("time")->source(), "gebruik óf 'time', óf 'slot', niet beide");
            if (auto v = parse_time(*tm))
                r.slot = {SlotKind::fixed, *v};
            else
                ctx_.error(t.node("time")->source(),
                           "'" + *tm + "' is geen tijd; schrijf \"15:15\"");
        }
        if (r.all_day && (t.has("slot") || t.has("time")))
            ctx_.warning(t.node(t.has("slot") ? "slot" : "time")->source(),
                         where +
                             ": een hele-dag-regel (all_day) heeft geen tijd; slot/time "
                             "wordt genegeerd");
        if (!r.all_day && r.minutes > 0) check_duration_fits(t, r, where);
    }

    /// owner, phase, max_per_day, avoid, remind_days_before and visibility.
    void read_options(TableReader& t, Rule& r, RuleSource& src) {
        if (auto owner = t.string("owner")) {
            src.owner = ctx_.pos(t.node("owner")->source());
            if (owner->rfind("role:", 0) == 0) {
                r.owner = OwnerSpec{true, owner->substr(5)};
                check_reference(t.node("owner")->source(), AttendeeKind::role, r.owner->name);
            } else if (owner->rfind("person:", 0) == 0) {
                r.owner = OwnerSpec{false, owner->substr(7)};
                check_reference(t.node("owner")->source(), AttendeeKind::person, r.owner->name);
            } else {
                ctx_.error(t.node("owner")->source(),
                           "owner '" + *owner + "' is ongeldig; schrijf role:NAAM of person:ID");
            }
        }
        if (auto phase = t.string("phase")) {
            static const std::map<std::string, Phase> phases = {{"plan", Phase::plan},
                                                                {"do", Phase::do_},
                                                                {"check", Phase::check},
                                                                {"act", Phase::act}};
            auto it = phases.find(*phase);
            if (it != phases.end())
                r.phase = it->second;
            else
                ctx_.error(t.node("phase")->source(),
                           "phase '" + *phase + "' bestaat niet; kies plan, do, check of act");
        }
        if (auto m = t.integer("max_per_day")) {
            if (*m < 1)
                ctx_.error(t.node("max_per_day")->source(), "max_per_day moet minstens 1 zijn");
            else
                r.max_per_day = static_cast<int>(*m);
        }
        if (auto avoid = t.strings("avoid")) {
            for (const auto& a : *avoid) {
                if (a == "test_periods")
                    r.avoid_test_periods = true;
                else if (a == "first_day_after_holiday")
                    r.avoid_first_day_after_holiday = true;
                else {
                    std::string msg =
                        "avoid '" + a +
                        "' bestaat niet; kies test_periods of first_day_after_holiday";
                    std::string near =
                        closest_match(a, {"test_periods", "first_day_after_holiday"});
                    if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                    ctx_.error(t.node("avoid")->source(), msg);
                }
            }
        }
        t.array("remind_days_before", [&](const toml::node& el, size_t) {
            if (!el.is_integer() || el.as_integer()->get() < 0 || el.as_integer()->get() > 60) {
                ctx_.error(el.source(), "remind_days_before: een aantal dagen van 0 tot en met 60");
                return;
            }
            r.remind_days_before.push_back(static_cast<int>(el.as_integer()->get()));
        });
        if (auto vis = t.string("visibility")) {
            if (*vis == "all")
                r.visibility = Visibility::all;
            else if (*vis == "attendees")
                r.visibility = Visibility::attendees;
            else
                ctx_.error(t.node("visibility")->source(),
                           "visibility '" + *vis + "' bestaat niet; kies all of attendees");
        }
    }

    void read_rule(const toml::table& rt) {
        TableReader t(ctx_, rt, "[[rule]]", {"id",          "title",
                                             "description", "for_each",
                                             "attendees",   "optional_attendees",
                                             "minutes",     "all_day",
                                             "slot",        "owner",
                                             "phase",       "max_per_day",
                                             "avoid",       "remind_days_before",
                                             "visibility",  "count",
                                             "windows",     "after",
                                             "before",      "recurrence",
                                             "time",        "on_closed_day",
                                             "dates",       "track",
                                             "category",    "active"});
        Rule r;
        RuleSource src;
        r.pos = t.pos();
        r.id = read_id(t, "de id van de regel, bijvoorbeeld 'klassenconsultatie'");
        const std::string where = r.id.empty() ? std::string("[[rule]]") : "regel '" + r.id + "'";
        if (auto title = t.string("title", true, "de titel in de agenda")) {
            r.title = *title;
            src.title = ctx_.pos(t.node("title")->source());
        }
        r.description = t.string("description").value_or("");

        read_for_each(t, r, src);

        r.attendees_given = t.has("attendees");
        r.attendees = read_attendees(t, "attendees", src.attendees);
        r.optional_attendees_given = t.has("optional_attendees");
        r.optional_attendees = read_attendees(t, "optional_attendees", src.optional_attendees);

        read_duration(t, rt, r, where);

        read_options(t, r, src);
        read_timing(t, rt, r, src, where);
        // Recurring meetings are minuted elsewhere: nobody ticks them off unless asked.
        r.track = t.boolean("track").value_or(!std::holds_alternative<RecurrenceTiming>(r.timing));
        r.active = t.boolean("active").value_or(true);
        if (auto cat = t.string("category")) {
            if (auto c = parse_category(*cat); c && *c != Category::toets)
                r.category = *c;
            else
                ctx_.error(t.node("category")->source(),
                           "category '" + *cat +
                               "' bestaat niet; kies consultatie, bespreking, vergadering, "
                               "overleg of taak");
            r.category_given = true;
        }
        if (!r.id.empty()) {
            if (rules_.rule(r.id))
                ctx_.error(r.pos, "regel-id '" + r.id + "' komt twee keer voor");
            else if (rules_.period(r.id))
                ctx_.error(r.pos, "regel-id '" + r.id +
                                      "' is ook de id van een toetsperiode; "
                                      "kies een andere id");
            sources_[r.id] = src;
            rules_.rules.push_back(std::move(r));
        }
    }

    void check_duration_fits(const TableReader& t, const Rule& r, const std::string& where) {
        const toml::node* at = t.node("minutes");
        if (!at) return;
        if (r.slot.kind == SlotKind::lessons && r.minutes > longest_lesson_day())
            ctx_.error(at->source(), where + ": " + std::to_string(r.minutes) +
                                         " minuten past in geen enkele lesdag (langste: " +
                                         std::to_string(longest_lesson_day()) + " minuten)");
        if (r.slot.kind == SlotKind::after_school &&
            r.minutes > school_.after_school.end - school_.after_school.start)
            ctx_.error(at->source(),
                       where + ": " + std::to_string(r.minutes) +
                           " minuten past niet in het tijdvak na schooltijd (" +
                           format_time(school_.after_school.start) + "-" +
                           format_time(school_.after_school.end) +
                           "); kies een vaste tijd of verruim [school.meetings] after_school");
        if (r.slot.kind == SlotKind::fixed && r.slot.fixed_start + r.minutes > 24 * 60)
            ctx_.error(at->source(), where + ": de afspraak loopt over middernacht");
    }

    void read_timing(const TableReader& t, const toml::table& rt, Rule& r, RuleSource& src,
                     const std::string& where) {
        std::vector<std::string> forms;
        for (const char* k : {"count", "after", "before", "recurrence", "dates"})
            if (t.has(k)) forms.emplace_back(k);
        const std::string form = forms.size() == 1 ? forms[0] : std::string();
        if (t.has("windows") && form != "count")
            ctx_.error(t.node("windows")->source(), "'windows' hoort bij 'count'");
        // `time` is a fixed start wherever it appears; on_closed_day only matters for fixed
        // dates, so elsewhere it is a warning, not an error (the intent is clear and harmless).
        if (t.has("on_closed_day") && !form.empty() && form != "recurrence" && form != "dates")
            ctx_.warning(t.node("on_closed_day")->source(),
                         "'on_closed_day' heeft alleen effect bij 'recurrence' of 'dates'");
        if (forms.empty()) {
            ctx_.error(rt.source(), where +
                                        ": geen planning; geef precies één van count, after, "
                                        "before, recurrence of dates");
            return;
        }
        if (forms.size() > 1) {
            ctx_.error(t.node(forms[1])->source(),
                       where + ": gebruik precies één planningsvorm, niet " + join(forms, " en "));
            return;
        }
        OnClosedDay on_closed = OnClosedDay::skip;
        if (auto oc = t.string("on_closed_day")) {
            if (*oc == "skip")
                on_closed = OnClosedDay::skip;
            else if (*oc == "next_staff_day")
                on_closed = OnClosedDay::next_staff_day;
            else
                ctx_.error(t.node("on_closed_day")->source(),
                           "on_closed_day '" + *oc + "' bestaat niet; kies skip of next_staff_day");
        }

        if (form == "count") {
            CountTiming c;
            src.count = ctx_.pos(t.node("count")->source());
            if (auto n = t.integer("count")) {
                if (*n < 1 || *n > 100)
                    ctx_.error(t.node("count")->source(), "count moet tussen 1 en 100 liggen");
                else
                    c.count = static_cast<int>(*n);
            }
            t.array("windows", [&](const toml::node& el, size_t) {
                const toml::table* wt = el.as_table();
                if (!wt) {
                    t.type_error(el, "windows", "tabel { from = ..., to = ... }");
                    return;
                }
                TableReader w(ctx_, *wt, "windows", {"from", "to"});
                if (auto range = read_from_to(w)) {
                    check_in_year(ctx_.pos(wt->source()), *range, "dit venster");
                    if (!c.windows.empty() && range->from <= c.windows.back().range.to)
                        ctx_.error(wt->source(),
                                   "vensters moeten op volgorde liggen en mogen "
                                   "elkaar niet overlappen");
                    c.windows.push_back({*range});
                }
            });
            if (t.has("windows") && static_cast<int>(c.windows.size()) != c.count &&
                !c.windows.empty())
                ctx_.error(t.node("count")->source(),
                           "count = " + std::to_string(c.count) + ", maar er zijn " +
                               std::to_string(c.windows.size()) +
                               " vensters; met windows is count het aantal vensters");
            r.timing = c;
        } else if (form == "after" || form == "before") {
            const toml::node* n = t.node(form);
            const toml::table* at = n->as_table();
            if (!at) {
                t.type_error(*n, form,
                             "tabel, bijvoorbeeld { rule = \"...\", within_school_days = 5 }");
                return;
            }
            std::vector<std::string> keys = {"rule", "within_school_days"};
            if (form == "after")
                keys = {"rule", "test_period", "test_periods", "within_school_days"};
            TableReader a(ctx_, *at, "'" + form + "'", keys);
            int within = form == "after" && !a.has("rule") ? 10 : 5;
            if (auto w = a.integer("within_school_days")) {
                if (*w < 1 || *w > 100)
                    ctx_.error(a.node("within_school_days")->source(),
                               "within_school_days moet tussen 1 en 100 liggen");
                else
                    within = static_cast<int>(*w);
            }
            const int targets = static_cast<int>(a.has("rule")) +
                                static_cast<int>(a.has("test_period")) +
                                static_cast<int>(a.has("test_periods"));
            if (targets != 1) {
                ctx_.error(at->source(), form == "after"
                                             ? "'after' noemt precies één van rule, test_period of "
                                               "test_periods"
                                             : "'before' noemt een rule");
                return;
            }
            if (a.has("rule")) {
                FollowUpTiming f;
                f.rule = a.string("rule").value_or("");
                f.within_school_days = within;
                f.before = form == "before";
                src.follow = ctx_.pos(a.node("rule")->source());
                r.timing = f;
            } else {
                AfterPeriodTiming p;
                p.within_school_days = within;
                if (auto one = a.string("test_period")) {
                    p.periods.push_back(*one);
                    period_refs_.push_back({*one, ctx_.pos(a.node("test_period")->source())});
                } else if (auto many = a.strings("test_periods")) {
                    p.periods = *many;
                    for (const auto& id : *many)
                        period_refs_.push_back({id, ctx_.pos(a.node("test_periods")->source())});
                    if (many->empty())
                        ctx_.error(a.node("test_periods")->source(), "test_periods is leeg");
                }
                r.timing = p;
            }
        } else if (form == "recurrence") {
            RecurrenceTiming rec;
            rec.on_closed_day = on_closed;
            if (auto rule = t.string("recurrence")) {
                rec.rrule = *rule;
                if (calendar_) {
                    auto x =
                        detail::expand_rrule(*rule, calendar_->first_day(), calendar_->last_day());
                    if (auto* msg = std::get_if<std::string>(&x))
                        ctx_.error(t.node("recurrence")->source(), *msg);
                    else
                        rec.instances = std::get<std::vector<Date>>(x);
                }
            }
            r.timing = rec;
        } else {
            DatesTiming d;
            d.on_closed_day = on_closed;
            t.array("dates", [&](const toml::node& el, size_t) {
                if (auto date = t.date_of(el, "dates")) {
                    if (calendar_ &&
                        (*date < calendar_->first_day() || *date > calendar_->last_day()))
                        ctx_.error(el.source(), format_date(*date) +
                                                    " valt buiten het schooljaar (" +
                                                    format_date(calendar_->first_day()) + " t/m " +
                                                    format_date(calendar_->last_day()) + ")");
                    d.dates.push_back(*date);
                }
            });
            if (d.dates.empty() && t.node("dates")->is_array())
                ctx_.error(t.node("dates")->source(), "dates is leeg");
            r.timing = d;
        }
    }

    /// Cross-references between rules; placeholders; follow-up chains.
    void check_rules() {
        for (const auto& [id, pos] : period_refs_) {
            if (rules_.period(id)) continue;
            std::vector<std::string> ids;
            for (const auto& p : rules_.test_periods) ids.push_back(p.id);
            std::string msg = "toetsperiode '" + id + "' bestaat niet";
            std::string near = closest_match(id, ids);
            if (!near.empty())
                msg += "; bedoelde je '" + near + "'?";
            else if (!ids.empty())
                msg += "; bekend zijn: " + join(ids);
            ctx_.error(pos, msg);
        }
        std::vector<std::string> rule_ids;
        for (const auto& r : rules_.rules) rule_ids.push_back(r.id);

        for (auto& r : rules_.rules) {
            RuleSource& src = sources_[r.id];
            const FollowUpTiming* f = r.follow_up();
            if (f) {
                const Rule* target = rules_.rule(f->rule);
                if (!target) {
                    std::string msg = "regel '" + f->rule + "' bestaat niet";
                    std::string near = closest_match(f->rule, rule_ids);
                    if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                    ctx_.error(src.follow, msg);
                    continue;
                }
                if (target->id == r.id) {
                    ctx_.error(src.follow, "een regel kan niet op zichzelf volgen");
                    continue;
                }
            } else {
                if (!src.for_each_given)
                    ctx_.error(r.pos, "regel '" + r.id +
                                          "': 'for_each' ontbreekt (teacher, group, starter, "
                                          "role:NAAM of school)");
                if (!r.attendees_given)
                    ctx_.error(r.pos, "regel '" + r.id +
                                          "': 'attendees' ontbreekt (wie er naast het onderwerp "
                                          "bij moet zijn, bijvoorbeeld [\"any:role:ib\"])");
            }
        }
        // Follow-up chains: resolve the root's subject, find cycles.
        for (auto& r : rules_.rules) {
            if (!r.follow_up()) continue;
            std::set<std::string> seen{r.id};
            const Rule* cur = &r;
            bool cycle = false;
            while (const FollowUpTiming* f = cur->follow_up()) {
                const Rule* next = rules_.rule(f->rule);
                if (!next) break;
                if (!seen.insert(next->id).second) {
                    cycle = true;
                    break;
                }
                cur = next;
            }
            RuleSource& src = sources_[r.id];
            if (cycle) {
                ctx_.error(src.follow, "regel '" + r.id + "' volgt via een kring op zichzelf (" +
                                           join({seen.begin(), seen.end()}) + ")");
                continue;
            }
            if (cur->follow_up()) continue;  // unknown target reported above
            if (src.for_each_given && !same_subject(r.for_each, cur->for_each))
                ctx_.error(src.for_each, "regel '" + r.id + "' volgt op '" + cur->id +
                                             "' en heeft dus hetzelfde onderwerp (for_each = " +
                                             subject_name(cur->for_each) + ")");
            r.for_each = cur->for_each;
        }
        for (const auto& r : rules_.rules) check_rule_semantics(r);
        derive_categories();
    }

    /// A rule without `category`, by what the rule is: an appointment during lessons is a
    /// consultatie, and so is what follows one (its nabespreking); a deadline is a taak; a
    /// meeting with the bestuurder is overleg ("Bestuur en overleg"); a meeting on set days
    /// (a recurrence or dates) is a vergadering when the whole team is asked (`all_staff`),
    /// else an overleg of the people it names (schoolleider and IB'er); everything else, the
    /// besprekingen of a group, a teacher or the toetsen, a bespreking.
    void derive_categories() {
        auto names_role = [](const std::vector<AttendeeSpec>& specs, std::string_view role) {
            return std::any_of(specs.begin(), specs.end(), [&](const AttendeeSpec& a) {
                return (a.kind == AttendeeKind::role || a.kind == AttendeeKind::any_role) &&
                       a.name == role;
            });
        };
        auto whole_team = [](const std::vector<AttendeeSpec>& specs) {
            return std::any_of(specs.begin(), specs.end(), [](const AttendeeSpec& a) {
                return a.kind == AttendeeKind::all_staff;
            });
        };
        std::function<Category(const Rule&, int)> derived = [&](const Rule& r, int depth) {
            if (r.category_given) return r.category;
            if (r.slot.kind == SlotKind::lessons) return Category::consultatie;
            if (r.all_day) return Category::taak;
            if (const FollowUpTiming* f = r.follow_up()) {
                const Rule* root = rules_.rule(f->rule);
                if (root && depth < 16 && derived(*root, depth + 1) == Category::consultatie)
                    return Category::consultatie;
            }
            if (names_role(r.attendees, "bestuurder")) return Category::overleg;
            if (std::holds_alternative<RecurrenceTiming>(r.timing) ||
                std::holds_alternative<DatesTiming>(r.timing))
                return whole_team(r.attendees) || whole_team(r.optional_attendees)
                           ? Category::vergadering
                           : Category::overleg;
            return Category::bespreking;
        };
        std::vector<Category> out;
        for (const auto& r : rules_.rules) out.push_back(derived(r, 0));
        for (size_t i = 0; i < out.size(); ++i) rules_.rules[i].category = out[i];
    }

    static bool same_subject(const SubjectSpec& a, const SubjectSpec& b) {
        return a.kind == b.kind && a.role == b.role;
    }
    static std::string subject_name(const SubjectSpec& s) {
        switch (s.kind) {
            case SubjectKind::teacher:
                return "teacher";
            case SubjectKind::group:
                return "group";
            case SubjectKind::starter:
                return "starter";
            case SubjectKind::role:
                return "role:" + s.role;
            case SubjectKind::school:
                return "school";
        }
        return "?";
    }

    /// True when the rule's chain of follow-ups starts at a rule timed after test periods.
    bool has_period(const Rule& r) const {
        const Rule* cur = &r;
        for (int guard = 0; cur && guard < 100; ++guard) {
            if (std::holds_alternative<AfterPeriodTiming>(cur->timing)) return true;
            const FollowUpTiming* f = cur->follow_up();
            if (!f) return false;
            cur = rules_.rule(f->rule);
        }
        return false;
    }

    void check_rule_semantics(const Rule& r) {
        RuleSource& src = sources_[r.id];
        const SubjectKind kind = r.for_each.kind;
        // Placeholders.
        static const std::regex ph(R"(\{([^{}]*)\})");
        for (auto it = std::sregex_iterator(r.title.begin(), r.title.end(), ph);
             it != std::sregex_iterator(); ++it) {
            const std::string name = (*it)[1];
            const std::string bad = "de titel gebruikt {" + name + "}, maar ";
            if (name == "n") continue;
            if (name == "teacher") {
                if (kind != SubjectKind::teacher && kind != SubjectKind::group)
                    ctx_.error(src.title,
                               bad + "het onderwerp (for_each = " + subject_name(r.for_each) +
                                   ") is geen leerkracht of groep");
            } else if (name == "group") {
                if (kind != SubjectKind::teacher && kind != SubjectKind::group)
                    ctx_.error(src.title,
                               bad + "het onderwerp (for_each = " + subject_name(r.for_each) +
                                   ") hoort niet bij een groep");
            } else if (name == "person") {
                if (kind == SubjectKind::group || kind == SubjectKind::school)
                    ctx_.error(src.title, bad + "het onderwerp (for_each = " +
                                              subject_name(r.for_each) + ") is geen persoon");
            } else if (name == "period") {
                if (!has_period(r))
                    ctx_.error(src.title, bad +
                                              "deze regel volgt niet op een toetsperiode "
                                              "(after = { test_period = ... })");
            } else {
                std::string msg =
                    "onbekende plaatshouder {" + name +
                    "} in de titel; bekend zijn {teacher} {group} {person} {period} {n}";
                std::string near =
                    closest_match(name, {"teacher", "group", "person", "period", "n"});
                if (!near.empty()) msg += "; bedoelde je {" + near + "}?";
                ctx_.error(src.title, msg);
            }
        }
        // group_teachers needs a group.
        auto check_gt = [&](const std::vector<AttendeeSpec>& list, const SourcePos& pos) {
            for (const auto& a : list)
                if (a.kind == AttendeeKind::group_teachers && kind != SubjectKind::group &&
                    kind != SubjectKind::teacher)
                    ctx_.error(pos,
                               "group_teachers kan alleen bij for_each = group of teacher "
                               "(hier: " +
                                   subject_name(r.for_each) + ")");
                else if (a.kind == AttendeeKind::most_group_teachers && kind != SubjectKind::group)
                    ctx_.error(pos, "most:group_teachers kan alleen bij for_each = group (hier: " +
                                        subject_name(r.for_each) + ")");
        };
        check_gt(r.attendees, src.attendees);
        check_gt(r.optional_attendees, src.optional_attendees);
        if (kind == SubjectKind::school && r.attendees_given && r.attendees.empty() && !r.all_day)
            ctx_.error(src.attendees,
                       "een schoolregel zonder deelnemers: noem in attendees wie er "
                       "bij moet zijn");
    }

    const FileContext& ctx_;
    const School& school_;
    const SchoolCalendar* calendar_;
    Rules rules_;
    std::vector<std::string> person_ids_;
    std::set<std::string> roles_;
    std::map<std::string, RuleSource> sources_;
    std::vector<std::pair<std::string, SourcePos>> period_refs_;
};

}  // namespace

Rules read_rules_file(const FileContext& ctx, const toml::table& root, const School& school,
                      const SchoolCalendar* calendar) {
    RulesReader reader(ctx, school, calendar);
    return reader.read(root);
}

}  // namespace jk::detail
