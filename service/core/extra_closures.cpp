// extra_closures: the all-day VEVENTs of an iCalendar file become closures of kind "vrij".
#include <libical/ical.h>

#include <cctype>
#include <memory>

#include "ical_input.hpp"

namespace jk::detail {
namespace {

struct ComponentDeleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

Date to_date(const icaltimetype& t) {
    using namespace std::chrono;
    return sys_days{year{t.year} / month{static_cast<unsigned>(t.month)} /
                    day{static_cast<unsigned>(t.day)}};
}

/// The 1-based line of every `BEGIN:VEVENT` in the raw text, in order. libical does not track
/// positions, so we find them ourselves to point the author at the right event.
std::vector<int> vevent_lines(std::string_view text) {
    std::vector<int> out;
    int line = 1;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view l = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        std::string upper(l);
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (upper == "BEGIN:VEVENT") out.push_back(line);
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
        ++line;
    }
    return out;
}

}  // namespace

std::vector<Closure> read_extra_closures(std::string_view ics, const std::string& path, Date until,
                                         Diagnostics& diags) {
    std::vector<Closure> out;
    const std::string text(ics);
    if (text.find("BEGIN:VCALENDAR") == std::string::npos) {
        diags.error(path, 1, 1,
                    "dit is geen iCalendar-bestand (BEGIN:VCALENDAR ontbreekt); exporteer de "
                    "vrije dagen als .ics");
        return out;
    }
    icalerror_clear_errno();
    ComponentPtr root(icalparser_parse_string(text.c_str()));
    if (!root) {
        icalerror_clear_errno();
        diags.error(path, 1, 1, "het iCalendar-bestand kan niet gelezen worden");
        return out;
    }
    const std::vector<int> lines = vevent_lines(text);
    icalcomponent* cal = root.get();
    if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT)
        cal = icalcomponent_get_first_component(cal, ICAL_VCALENDAR_COMPONENT);
    if (!cal) {
        diags.error(path, 1, 1, "geen VCALENDAR gevonden");
        return out;
    }
    size_t n = 0;
    for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), ++n) {
        const int line = n < lines.size() ? lines[n] : 1;
        if (icalcomponent_count_errors(ev) > 0) {
            // libical 3 does not fail on bad lines: it inserts X-LIC-ERROR properties.
            icalproperty* err = icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY);
            std::string what = err ? icalproperty_get_xlicerror(err) : "onbekende fout";
            diags.error(path, line, 1, "ongeldige regel in deze VEVENT: " + what);
            continue;
        }
        icalproperty* dtstart = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
        if (!dtstart) {
            diags.error(path, line, 1, "VEVENT zonder DTSTART");
            continue;
        }
        icaltimetype start = icalproperty_get_dtstart(dtstart);
        if (!start.is_date) {
            diags.warning(path, line, 1,
                          "deze VEVENT heeft een tijd en is dus geen hele dag; alleen "
                          "hele-dag-afspraken (DTSTART;VALUE=DATE) tellen als vrije dag");
            continue;
        }
        // DTEND is exclusive (RFC 5545 3.6.1); without DTEND or DURATION an all-day event
        // lasts one day.
        Date from = to_date(start);
        Date to = from;
        if (icalproperty* dtend = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY)) {
            Date end = to_date(icalproperty_get_dtend(dtend));
            if (end <= from) {
                diags.error(path, line, 1, "DTEND ligt niet na DTSTART");
                continue;
            }
            to = end - std::chrono::days{1};
        } else if (icalproperty* dur =
                       icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY)) {
            int secs = icaldurationtype_as_int(icalproperty_get_duration(dur));
            int days = secs / 86400;
            if (days >= 1) to = from + std::chrono::days{days - 1};
        }
        const char* summary = icalcomponent_get_summary(ev);
        std::string name = summary && *summary ? summary : "Vrije dag";
        const auto length = to - from;
        if (icalproperty* rr = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY)) {
            struct icalrecurrencetype recur = icalproperty_get_rrule(rr);
            char* rule = icalrecurrencetype_as_string_r(&recur);
            auto expanded = expand_rrule(rule ? rule : "", from, until);
            icalmemory_free_buffer(rule);
            if (auto* msg = std::get_if<std::string>(&expanded)) {
                diags.error(path, line, 1, *msg);
                continue;
            }
            for (Date d : std::get<std::vector<Date>>(expanded))
                out.push_back({DateRange{d, d + length}, ClosureKind::vrij, name});
        } else {
            out.push_back({DateRange{from, to}, ClosureKind::vrij, name});
        }
    }
    return out;
}

}  // namespace jk::detail
