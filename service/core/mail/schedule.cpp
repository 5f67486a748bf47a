// Which mail is due when: reminders, overdue lists, digests, change notices and welcomes, each
// at a send hour on a send day of the school (include/jaarkalender/mail.hpp).
#include <algorithm>
#include <map>
#include <set>

#include "active.hpp"
#include "jaarkalender/mail.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk {
namespace {

using mail_detail::active;
using std::chrono::days;

constexpr std::int64_t kDay = 86400;
/// How far back a reminder looks for a send day before it falls back to a plain weekday (the
/// first weeks of a year, whose reminder days fall in the summer vacation).
constexpr int kSendDaySearch = 21;

bool quiet(const MailSettings& m, Date d) {
    return m.quiet_days.contains(weekday_index(d)) ||
           std::find(m.quiet_dates.begin(), m.quiet_dates.end(), d) != m.quiet_dates.end();
}

/// The last send day on or before `d`; outside the school year a weekday that is not quiet.
Date send_day_on_or_before(const LoadedSchool& s, Date d) {
    for (int i = 0; i < kSendDaySearch; ++i)
        if (is_send_day(s, d - days{i})) return d - days{i};
    for (int i = 0; i < kSendDaySearch; ++i) {
        const Date c = d - days{i};
        if (weekday_index(c) < 5 && !quiet(s.school.mail, c)) return c;
    }
    return d;
}

/// The first send day on or after `d` and on or before `last`.
std::optional<Date> send_day_on_or_after(const LoadedSchool& s, Date d, Date last) {
    for (Date c = d; c <= last; c += days{1})
        if (is_send_day(s, c)) return c;
    return std::nullopt;
}

std::int64_t send_time(const LoadedSchool& s, Date d) {
    return local_to_epoch(d, s.school.mail.send_hour * 60);
}

/// Required and optional attendees, each once, who have an address.
std::vector<const Person*> recipients(const Event& e, const School& school) {
    std::vector<const Person*> out;
    std::set<std::string> seen;
    auto add = [&](const std::vector<std::string>& ids) {
        for (const auto& id : ids) {
            const Person* p = school.person(id);
            if (p && !p->email.empty() && seen.insert(id).second) out.push_back(p);
        }
    };
    add(e.attendees);
    add(e.optional_attendees);
    return out;
}

/// An address as a key: ASCII letters in lower case (the same mailbox however it is written).
std::string address_key(std::string address) {
    for (char& c : address)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return address;
}

/// A due mail of one kind for one recipient (lists and the earlier event are filled in after).
DueMail due_mail(MailKind kind, std::string key, const std::string& school,
                 const std::string& recipient, const std::string& uid, int offset, int sequence,
                 std::int64_t due_at) {
    DueMail m;
    m.kind = kind;
    m.key = std::move(key);
    m.school = school;
    m.recipient = recipient;
    m.uid = uid;
    m.offset = offset;
    m.sequence = sequence;
    m.due_at = due_at;
    return m;
}

std::string key_of(MailKind k, const std::string& a, const std::string& b, int offset, int seq) {
    return std::string(to_string(k)) + "|" + a + "|" + b + "|" + std::to_string(offset) + "|" +
           std::to_string(seq);
}

}  // namespace

std::int64_t event_start_epoch(const Event& e) {
    return local_to_epoch(e.date, e.all_day ? 0 : e.start);
}

bool is_send_day(const LoadedSchool& s, Date d) {
    return s.calendar.is_staff_day(d) && !quiet(s.school.mail, d);
}

// ---- schedule -----------------------------------------------------------------------------

std::vector<DueMail> reminders_due(const Plan& plan, const LoadedSchool& s, std::int64_t from,
                                   std::int64_t to) {
    std::vector<DueMail> out;
    for (const Event& e : plan.events) {
        if (!active(e)) continue;
        const Rule* r = s.rules.rule(e.rule);
        if (!r || r->remind_days_before.empty()) continue;
        const std::int64_t starts = event_start_epoch(e);
        auto due_of = [&](int before) {
            return send_time(s, send_day_on_or_before(s, e.date - days{before}));
        };
        for (int before : r->remind_days_before) {
            const std::int64_t due = due_of(before);
            if (due <= from || due > to || due >= starts) continue;
            // The next reminder of this event, if any is still to come before it starts.
            std::int64_t next = 0;
            for (int other : r->remind_days_before) {
                const std::int64_t t = due_of(other);
                if (t > due && t < starts && (next == 0 || t < next)) next = t;
            }
            for (const Person* p : recipients(e, s.school)) {
                DueMail m = due_mail(MailKind::reminder,
                                     key_of(MailKind::reminder, e.uid, p->id, before, e.sequence),
                                     s.school.id, p->id, e.uid, before, e.sequence, due);
                m.next_due_at = next;
                out.push_back(std::move(m));
            }
        }
    }
    return out;
}

std::optional<Date> first_notice_day(const Event& e, const LoadedSchool& s) {
    return send_day_on_or_after(s, grace_day(e, s.calendar) + days{1}, s.calendar.last_day());
}

namespace {

/// The week's first send day (digests and the weekly overdue list go out on it).
std::optional<Date> first_send_day_of_week(const LoadedSchool& s, Date monday) {
    for (int i = 0; i < 5; ++i)
        if (is_send_day(s, monday + days{i})) return monday + days{i};
    return std::nullopt;
}

int yyyymmdd(Date d) {
    const std::chrono::year_month_day ymd{d};
    return static_cast<int>(ymd.year()) * 10000 + static_cast<int>(unsigned(ymd.month())) * 100 +
           static_cast<int>(unsigned(ymd.day()));
}

}  // namespace

std::vector<DueMail> overdue_notices_due(const Plan& plan, const LoadedSchool& s, std::int64_t from,
                                         std::int64_t to) {
    std::vector<DueMail> out;
    if (to <= from) return out;
    // Every open tracked event with its first notice day, per responsible person with an address.
    struct Open {
        const Event* event;
        Date first;
    };
    std::map<std::string, std::vector<Open>> by_person;
    for (const Event& e : plan.events) {
        if (e.kind == EventKind::test_period || !is_tracked(e, s.rules)) continue;
        if (e.status != EventStatus::planned && e.status != EventStatus::moved) continue;
        const auto first = first_notice_day(e, s);
        if (!first) continue;
        for (const std::string& id : responsible(e)) {
            const Person* p = s.school.person(id);
            if (p && !p->email.empty()) by_person[id].push_back({&e, *first});
        }
    }
    if (by_person.empty()) return out;
    const Date last = s.calendar.last_day();
    for (Date d = epoch_to_local(from).first; d <= std::min(last, epoch_to_local(to).first);
         d += days{1}) {
        if (!is_send_day(s, d)) continue;
        const std::int64_t due = send_time(s, d);
        if (due <= from || due > to) continue;
        const bool weekly = first_send_day_of_week(s, monday_of(d)) == d;
        for (const auto& [person, items] : by_person) {
            DueMail m = due_mail(MailKind::overdue,
                                 key_of(MailKind::overdue, s.school.id, person, yyyymmdd(d), 0),
                                 s.school.id, person, "", yyyymmdd(d), 0, due);
            for (const Open& o : items) {
                if (o.first == d) m.uids.push_back(o.event->uid);
                if (weekly && o.first < d) m.still_open.push_back(o.event->uid);
            }
            if (!m.uids.empty() || !m.still_open.empty()) out.push_back(std::move(m));
        }
    }
    return out;
}

std::vector<DueMail> digests_due(const LoadedSchool& s, std::int64_t from, std::int64_t to) {
    std::vector<DueMail> out;
    if (to <= from) return out;
    const Date first = monday_of(epoch_to_local(from).first);
    const Date last = epoch_to_local(to).first;
    for (Date monday = first; monday <= last; monday += days{7}) {
        const std::optional<Date> day = first_send_day_of_week(s, monday);
        if (!day) continue;
        const std::int64_t due = send_time(s, *day);
        if (due <= from || due > to) continue;
        const int week = iso_week(monday);
        const std::chrono::year_month_day ymd{monday + days{3}};  // the ISO year of the week
        const int year = static_cast<int>(ymd.year());
        for (const Person& p : s.school.persons) {
            if (p.email.empty()) continue;
            if (!p.has_role("ib") && !p.has_role("schoolleider") && !p.has_role("bestuurder"))
                continue;
            // One digest per address and week, however many schools list the person and in
            // whatever roles: the first school's scan queues it, the key keeps out the rest.
            out.push_back(due_mail(
                MailKind::digest,
                key_of(MailKind::digest, "week", address_key(p.email), year * 100 + week, 0),
                s.school.id, p.id, "", year * 100 + week, 0, due));
        }
    }
    return out;
}

std::vector<DueMail> change_notices(const Plan& before, const Plan& after, const LoadedSchool& s,
                                    std::int64_t now) {
    std::vector<DueMail> out;
    const std::int64_t horizon = now + kChangeNoticeDays * kDay;
    auto soon = [&](const Event& e) {
        const std::int64_t t = event_start_epoch(e);
        return t >= now && t <= horizon;
    };
    for (const Event& a : after.events) {
        // Test sessions too: a re-plan moves them (illness, a new studiedag), and whoever sits
        // them must know.
        if (a.kind == EventKind::test_period) continue;
        const Event* b = before.find(a.uid);
        if (!b) continue;
        if (b->status == EventStatus::cancelled) {
            // What the planner had given up and places again (a successor came): told like a
            // change when it is soon; a person's cancel stays final.
            if (b->planner_reason.empty() || a.status == EventStatus::cancelled || !soon(a))
                continue;
            for (const Person* p : recipients(a, s.school)) {
                DueMail m = due_mail(MailKind::change,
                                     key_of(MailKind::change, a.uid, p->id, 0, a.sequence),
                                     s.school.id, p->id, a.uid, 0, a.sequence, now);
                m.before = *b;
                out.push_back(std::move(m));
            }
            continue;
        }
        const bool cancelled = a.status == EventStatus::cancelled;
        const bool moved = a.date != b->date || a.end_date != b->end_date || a.start != b->start;
        // Someone else now attends (an invaller sits the test): the newcomer is told.
        const bool new_people = !cancelled && a.attendees != b->attendees;
        if (!cancelled && !moved && !new_people) continue;
        if (!soon(*b) && !(moved && !cancelled && soon(a))) continue;
        std::vector<const Person*> to = recipients(*b, s.school);
        for (const Person* p : recipients(a, s.school))
            if (std::find(to.begin(), to.end(), p) == to.end()) to.push_back(p);
        for (const Person* p : to) {
            DueMail m =
                due_mail(MailKind::change, key_of(MailKind::change, a.uid, p->id, 0, a.sequence),
                         s.school.id, p->id, a.uid, 0, a.sequence, now);
            m.before = *b;
            out.push_back(std::move(m));
        }
    }
    return out;
}

std::vector<DueMail> welcome_notices(const LoadedSchool& before, const LoadedSchool& after,
                                     std::int64_t now) {
    std::vector<DueMail> out;
    for (const Person& p : after.school.persons) {
        if (p.email.empty() || before.school.person(p.id)) continue;
        out.push_back(due_mail(MailKind::welcome,
                               key_of(MailKind::welcome, after.school.id, p.id, 0, 0),
                               after.school.id, p.id, "", 0, 0, now));
    }
    return out;
}

}  // namespace jk
