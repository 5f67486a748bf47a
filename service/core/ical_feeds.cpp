// iCalendar feeds with libical (RFC 5545; spec/plan-output.md "The .ics files").
//
// Each VEVENT is built and serialised once; a feed is its header, the shared VTIMEZONE and the
// serialised events it holds. libical folds lines at 75 octets without splitting UTF-8 sequences
// and writes CRLF line ends.
#include "jaarkalender/ical_feeds.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "ical_date.hpp"
#include "jaarkalender/planner.hpp"
#include "text.hpp"

namespace jk {
namespace {

constexpr const char* kProdId = "-//jaarkalender//jaarkalender 0.1//NL";

// Europe/Amsterdam as two RRULE observances: Outlook matches this form best, and the TZID is the
// Olson name itself (libical 3.0's built-in zones carry a "/freeassociation.sourceforge.net/"
// prefix that Outlook does not recognise).
constexpr const char* kVTimezone =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Amsterdam\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

struct ComponentDeleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

std::string serialise(icalcomponent* c) {
    char* s = icalcomponent_as_ical_string_r(c);
    std::string out = s ? s : "";
    icalmemory_free_buffer(s);
    return out;
}

/// Whether a date can be written as RFC 5545 says (a four-digit year; a day that exists). A
/// date outside is never written: its VEVENT is left out.
bool writable(Date d) {
    const std::chrono::year_month_day ymd{d};
    return ymd.ok() && ymd.year() >= std::chrono::year{1900} &&
           ymd.year() <= std::chrono::year{9998};
}

/// A TEXT value: RFC 5545 allows no control characters in it (libical escapes the newlines
/// of a description, and nothing else).
std::string ical_text(std::string_view s, bool lines = false) {
    return without_controls(s, lines);
}

icaltimetype ical_local(Date d, Minute m) {
    icaltimetype t = detail::to_ical_date(d);
    t.is_date = 0;
    t.hour = m / 60;
    t.minute = m % 60;
    t.second = 0;  // icaltime_null_date() leaves -1 in the time fields
    return t;
}

/// `YYYY-MM-DDTHH:MM:SSZ` → a UTC icaltimetype (DTSTAMP, LAST-MODIFIED).
icaltimetype ical_utc(const std::string& stamp) {
    icaltimetype t = icaltime_null_time();
    if (stamp.size() >= 19) {
        t.year = std::stoi(stamp.substr(0, 4));
        t.month = std::stoi(stamp.substr(5, 2));
        t.day = std::stoi(stamp.substr(8, 2));
        t.hour = std::stoi(stamp.substr(11, 2));
        t.minute = std::stoi(stamp.substr(14, 2));
        t.second = std::stoi(stamp.substr(17, 2));
    } else {
        t.year = 1970, t.month = 1, t.day = 1;
    }
    t.zone = icaltimezone_get_utc_timezone();
    return t;
}

icalproperty* with_tzid(icalproperty* p) {
    icalproperty_add_parameter(p, icalparameter_new_tzid("Europe/Amsterdam"));
    return p;
}

std::string feed_name(const FeedSelector& f, const LoadedSchool& s) {
    const std::string base = "Jaarkalender " + s.school.name;
    switch (f.kind) {
        case FeedKind::school:
            return base;
        case FeedKind::person:
            if (const Person* p = s.school.person(f.id)) return base + " – " + p->name;
            break;
        case FeedKind::group:
            if (const Group* g = s.school.group(f.id)) return base + " – " + g->name;
            break;
        case FeedKind::role:
            return base + " – rol " + f.id;
        case FeedKind::parents:
            return "Jaarrooster " + s.school.name;
    }
    return base + " – " + f.id;
}

std::string person_names(const School& school, const std::vector<std::string>& ids,
                         size_t max_names) {
    std::vector<std::string> names;
    for (const auto& id : ids) {
        if (max_names && names.size() > max_names) {
            names.resize(ids.size(), {});  // only the count matters beyond the limit
            break;
        }
        if (const Person* p = school.person(id)) names.push_back(p->name);
    }
    return join_names(names, max_names);
}

// Notes (done, moved, cancelled) never go into a VEVENT: staff type pupils' names there, and
// feeds end up on Google's and Microsoft's servers (docs/domain.md, privacy).
std::string render_event(const School& school, const Event& e, const std::string& uid,
                         size_t max_names = 0) {
    if (!writable(e.date) || !writable(e.end_date + std::chrono::days{1})) return {};
    ComponentPtr ev(icalcomponent_new(ICAL_VEVENT_COMPONENT));
    icalcomponent* c = ev.get();
    icalcomponent_add_property(c, icalproperty_new_uid(uid.c_str()));
    icalcomponent_add_property(c, icalproperty_new_dtstamp(ical_utc(e.last_modified)));
    icalcomponent_add_property(c, icalproperty_new_sequence(e.sequence));
    icalcomponent_add_property(c, icalproperty_new_summary(ical_text(e.title).c_str()));
    if (e.all_day) {
        icalcomponent_add_property(c, icalproperty_new_dtstart(detail::to_ical_date(e.date)));
        icalcomponent_add_property(
            c, icalproperty_new_dtend(detail::to_ical_date(e.end_date + std::chrono::days{1})));
    } else {
        icalcomponent_add_property(
            c, with_tzid(icalproperty_new_dtstart(ical_local(e.date, e.start))));
        icalcomponent_add_property(
            c, with_tzid(icalproperty_new_dtend(ical_local(e.end_date, e.end))));
    }
    icalcomponent_add_property(c, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(c, icalproperty_new_lastmodified(ical_utc(e.last_modified)));
    icalcomponent_add_property(c, icalproperty_new_categories(ical_text(e.rule).c_str()));
    std::string desc;
    if (e.status == EventStatus::done) desc += "Gehouden.";
    if (e.status == EventStatus::moved) desc += "Verplaatst.";
    if (!e.description.empty()) desc += (desc.empty() ? "" : "\n") + e.description;
    if (!e.attendees.empty())
        desc +=
            (desc.empty() ? "" : "\n") + ("Met: " + person_names(school, e.attendees, max_names));
    if (!e.optional_attendees.empty())
        desc += "\nUitgenodigd: " + person_names(school, e.optional_attendees, max_names);
    if (!desc.empty())
        icalcomponent_add_property(c, icalproperty_new_description(ical_text(desc, true).c_str()));
    if (e.all_day) icalcomponent_add_property(c, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    return serialise(c);
}

/// Names an attachment lists at most ("A, B, … en 17 anderen"): an all-staff meeting of a big
/// school must not turn every mail into a staff list.
constexpr size_t kMailNames = 10;

/// A VCALENDAR with VERSION, PRODID, CALSCALE and METHOD:PUBLISH.
ComponentPtr calendar_component() {
    ComponentPtr cal(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
    icalcomponent* c = cal.get();
    icalcomponent_add_property(c, icalproperty_new_version("2.0"));
    icalcomponent_add_property(c, icalproperty_new_prodid(kProdId));
    icalcomponent_add_property(c, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(c, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    return cal;
}

/// The calendar's text up to its END line, followed by the VTIMEZONE: events come next.
std::string open_calendar(icalcomponent* c) {
    std::string s = serialise(c);
    const std::string end = "END:VCALENDAR\r\n";
    if (s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0)
        s.erase(s.size() - end.size());
    s += kVTimezone;
    return s;
}

}  // namespace

std::string render_event_attachment(const LoadedSchool& school, const Event& event,
                                    const std::string& uid) {
    ComponentPtr cal = calendar_component();
    return open_calendar(cal.get()) + render_event(school.school, event, uid, kMailNames) +
           "END:VCALENDAR\r\n";
}

std::string FeedSelector::relative_path() const {
    switch (kind) {
        case FeedKind::school:
            return "school.ics";
        case FeedKind::person:
            return "person/" + id + ".ics";
        case FeedKind::group:
            return "group/" + id + ".ics";
        case FeedKind::role:
            return "role/" + id + ".ics";
        case FeedKind::parents:
            return "jaarrooster.ics";
    }
    return "school.ics";
}

std::vector<FeedSelector> all_feeds(const LoadedSchool& s) {
    std::vector<FeedSelector> out;
    out.push_back({FeedKind::school, ""});
    for (const auto& p : s.school.persons) out.push_back({FeedKind::person, p.id});
    for (const auto& g : s.school.groups) out.push_back({FeedKind::group, g.id});
    std::set<std::string> roles;
    for (const auto& p : s.school.persons) roles.insert(p.roles.begin(), p.roles.end());
    for (const auto& r : roles) out.push_back({FeedKind::role, r});
    out.push_back({FeedKind::parents, ""});
    return out;
}

struct FeedRenderer::Impl {
    const Plan& plan;
    const LoadedSchool& school;
    std::vector<const Event*> events;      // published events (not cancelled), plan order
    std::vector<std::string> rendered;     // parallel to events
    std::vector<std::string> closures;     // every feed: staff plan around them
    std::vector<std::string> school_days;  // the parents' feed: the first and last school day
    std::map<std::string, std::vector<std::string>> teacher_groups;  // person → group ids

    Impl(const Plan& p, const LoadedSchool& s) : plan(p), school(s) {
        for (const auto& g : s.school.groups)
            for (const auto& t : g.teachers) teacher_groups[t.person].push_back(g.id);
        for (const Event& e : p.events) {
            // A feed is a full snapshot: cancelled events are left out (Google then removes
            // them; Apple would show them struck through).
            if (e.status == EventStatus::cancelled) continue;
            events.push_back(&e);
            rendered.push_back(render_event(s.school, e, e.uid));
        }
        for (const Closure& c : p.closures) closures.push_back(render_closure(c));
        school_days.push_back(render_day_marker("Eerste schooldag", s.calendar.first_day()));
        school_days.push_back(render_day_marker("Laatste schooldag", s.calendar.last_day()));
    }

    /// An all-day, transparent marker of a school day (the parents' first and last day).
    std::string render_day_marker(const std::string& name, Date d) const {
        if (!writable(d) || !writable(d + std::chrono::days{1})) return {};
        ComponentPtr ev(icalcomponent_new(ICAL_VEVENT_COMPONENT));
        icalcomponent* c = ev.get();
        const std::string uid = make_uid(school.school.id, school.school.school_year, "schooldag",
                                         name, format_date(d), 1);
        const std::string stamp = format_date(school.school.first_day) + "T00:00:00Z";
        icalcomponent_add_property(c, icalproperty_new_uid(uid.c_str()));
        icalcomponent_add_property(c, icalproperty_new_dtstamp(ical_utc(stamp)));
        icalcomponent_add_property(c, icalproperty_new_sequence(0));
        icalcomponent_add_property(c, icalproperty_new_summary(name.c_str()));
        icalcomponent_add_property(c, icalproperty_new_dtstart(detail::to_ical_date(d)));
        icalcomponent_add_property(
            c, icalproperty_new_dtend(detail::to_ical_date(d + std::chrono::days{1})));
        icalcomponent_add_property(c, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
        icalcomponent_add_property(c, icalproperty_new_lastmodified(ical_utc(stamp)));
        icalcomponent_add_property(c, icalproperty_new_categories("schooldag"));
        icalcomponent_add_property(c, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        return serialise(c);
    }

    std::string render_closure(const Closure& cl) const {
        if (!writable(cl.range.from) || !writable(cl.range.to + std::chrono::days{1})) return {};
        ComponentPtr ev(icalcomponent_new(ICAL_VEVENT_COMPONENT));
        icalcomponent* c = ev.get();
        // A closed day is in every feed, so its bytes must not change with each re-plan: its UID
        // says all of it (a changed end is a new UID), and its stamp is the school year's start.
        const std::string uid = make_uid(
            school.school.id, school.school.school_year, "closure", std::string(to_string(cl.kind)),
            cl.name + "/" + format_date(cl.range.from) +
                (cl.range.to != cl.range.from ? "/" + format_date(cl.range.to) : std::string()),
            1);
        const std::string stamp = format_date(school.school.first_day) + "T00:00:00Z";
        icalcomponent_add_property(c, icalproperty_new_uid(uid.c_str()));
        icalcomponent_add_property(c, icalproperty_new_dtstamp(ical_utc(stamp)));
        icalcomponent_add_property(c, icalproperty_new_sequence(0));
        icalcomponent_add_property(c, icalproperty_new_summary(ical_text(cl.name).c_str()));
        icalcomponent_add_property(c,
                                   icalproperty_new_dtstart(detail::to_ical_date(cl.range.from)));
        icalcomponent_add_property(
            c, icalproperty_new_dtend(detail::to_ical_date(cl.range.to + std::chrono::days{1})));
        icalcomponent_add_property(c, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
        icalcomponent_add_property(c, icalproperty_new_lastmodified(ical_utc(stamp)));
        icalcomponent_add_property(
            c, icalproperty_new_categories(std::string(to_string(cl.kind)).c_str()));
        icalcomponent_add_property(c, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        return serialise(c);
    }

    bool concerns_groups(const Event& e, const std::vector<std::string>& groups) const {
        const TestPeriod* tp = school.rules.period(e.rule);
        if (!tp) return false;
        for (const auto& gid : groups)
            if (const Group* g = school.school.group(gid); g && tp->concerns(g->grades))
                return true;
        return false;
    }

    bool includes(const FeedSelector& f, const Event& e) const {
        switch (f.kind) {
            case FeedKind::school:
                return e.visibility == Visibility::all;
            case FeedKind::person: {
                if (e.kind == EventKind::test_period) {
                    auto it = teacher_groups.find(f.id);
                    return it != teacher_groups.end() && concerns_groups(e, it->second);
                }
                return e.attended_by(f.id);
            }
            case FeedKind::group:
                if (e.visibility != Visibility::all) return false;
                if (e.kind == EventKind::test_period) return concerns_groups(e, {f.id});
                if (e.kind == EventKind::test_session) return e.group == f.id;
                if (const Rule* r = school.rules.rule(e.rule))
                    return r->for_each.kind == SubjectKind::group && e.subject == f.id;
                return false;
            case FeedKind::role:
                for (const auto& p : school.school.persons)
                    if (p.has_role(f.id) && e.attended_by(p.id)) return true;
                return false;
            case FeedKind::parents:
                return false;  // nothing about staff
        }
        return false;
    }

    std::string header(const FeedSelector& f) const {
        ComponentPtr cal = calendar_component();
        icalcomponent* c = cal.get();
        icalproperty* name = icalproperty_new_x(ical_text(feed_name(f, school)).c_str());
        icalproperty_set_x_name(name, "X-WR-CALNAME");
        icalcomponent_add_property(c, name);
        icalproperty* tz = icalproperty_new_x(school.school.timezone.c_str());
        icalproperty_set_x_name(tz, "X-WR-TIMEZONE");
        icalcomponent_add_property(c, tz);
        const std::string ttl = "PT" + std::to_string(kFeedRefreshSeconds / 3600) + "H";
        icalproperty* refresh = icalproperty_new_x(ttl.c_str());
        icalproperty_set_x_name(refresh, "REFRESH-INTERVAL");
        icalproperty_add_parameter(refresh, icalparameter_new_value(ICAL_VALUE_DURATION));
        icalcomponent_add_property(c, refresh);
        icalproperty* published = icalproperty_new_x(ttl.c_str());
        icalproperty_set_x_name(published, "X-PUBLISHED-TTL");
        icalcomponent_add_property(c, published);
        return open_calendar(c);
    }
};

FeedRenderer::FeedRenderer(const Plan& plan, const LoadedSchool& school)
    : impl_(std::make_unique<Impl>(plan, school)) {}

FeedRenderer::~FeedRenderer() = default;

std::string FeedRenderer::render(const FeedSelector& feed) const {
    return render(feed, nullptr, nullptr);
}

std::string FeedRenderer::render(const FeedSelector& feed, const FeedRenderer* previous,
                                 const FeedRenderer* next) const {
    std::string out = impl_->header(feed);
    for (const FeedRenderer* year : {previous, this, next}) {
        if (!year) continue;
        const Impl& y = *year->impl_;
        for (size_t i = 0; i < y.events.size(); ++i)
            if (y.includes(feed, *y.events[i])) out += y.rendered[i];
        // Every feed carries the closed days (all-day, transparent): a teacher's own calendar
        // shows the vakanties, feestdagen and studiedagen beside her appointments.
        for (const auto& c : y.closures) out += c;
        if (feed.kind == FeedKind::parents)
            for (const auto& d : y.school_days) out += d;
    }
    out += "END:VCALENDAR\r\n";
    return out;
}

size_t FeedRenderer::event_count(const FeedSelector& feed) const {
    size_t n = 0;
    for (const Event* e : impl_->events) n += impl_->includes(feed, *e) ? 1 : 0;
    n += impl_->closures.size();
    if (feed.kind == FeedKind::parents) n += impl_->school_days.size();
    return n;
}

}  // namespace jk
