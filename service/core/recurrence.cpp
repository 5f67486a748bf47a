// RRULE expansion through libical (the contract's timing form (e)).
#include <libical/ical.h>

#include "ical_date.hpp"
#include "ical_input.hpp"

namespace jk::detail {
namespace {

Date from_ical(const icaltimetype& t) {
    using namespace std::chrono;
    return sys_days{year{t.year} / month{static_cast<unsigned>(t.month)} /
                    day{static_cast<unsigned>(t.day)}};
}

}  // namespace

std::variant<std::vector<Date>, std::string> expand_rrule(std::string_view rrule, Date dtstart,
                                                          Date until) {
    const std::string text(rrule);
    if (text.rfind("RRULE:", 0) == 0)
        return std::string(
            "schrijf de regel zonder 'RRULE:' ervoor, bijvoorbeeld "
            "\"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU\"");
    icalerror_clear_errno();
    // libical reports a bad rule through icalerrno and ICAL_NO_RECURRENCE (its error model is
    // global state; we turn it into a message here, once).
    struct icalrecurrencetype recur = icalrecurrencetype_from_string(text.c_str());
    if (recur.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
        icalerror_clear_errno();
        return std::string("'") + text +
               "' is geen geldige RRULE (RFC 5545), bijvoorbeeld "
               "\"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU\" of \"FREQ=MONTHLY;BYDAY=1WE\"";
    }
    if (recur.freq == ICAL_SECONDLY_RECURRENCE || recur.freq == ICAL_MINUTELY_RECURRENCE ||
        recur.freq == ICAL_HOURLY_RECURRENCE)
        return std::string(
            "FREQ moet DAILY, WEEKLY, MONTHLY of YEARLY zijn: een regel maakt "
            "hoogstens één afspraak per dag");
    icalrecur_iterator* it = icalrecur_iterator_new(recur, to_ical_date(dtstart));
    if (!it) {
        icalerror_clear_errno();
        return std::string("'") + text + "' is geen bruikbare RRULE";
    }
    std::vector<Date> out;
    for (icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
         t = icalrecur_iterator_next(it)) {
        Date d = from_ical(t);
        if (d > until) break;
        if (out.empty() || out.back() != d) out.push_back(d);
        if (out.size() > kMaxRecurrenceInstances) {
            icalrecur_iterator_free(it);
            return std::string("de regel maakt meer dan ") +
                   std::to_string(kMaxRecurrenceInstances) + " afspraken in één schooljaar";
        }
    }
    icalrecur_iterator_free(it);
    return out;
}

}  // namespace jk::detail
