// Reminder e-mail: which mail is due when (pure: "now" is a parameter), what it says (Dutch),
// and the RFC 5322 message it travels as. The daemon's outbox stores what this produces and
// sends it; nothing here knows about SMTP, sockets or the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk {

/// `welcome`: once, to a newcomer or a new invaller (not one of the kinds a person turns off:
/// kAllMailKinds are those).
enum class MailKind { reminder, change, overdue, digest, welcome };
std::string_view to_string(MailKind k);
std::optional<MailKind> parse_mail_kind(std::string_view s);
/// Dutch, for people: "herinneringen", "wijzigingen", "achterstandsmeldingen", "weekoverzicht".
std::string_view describe_nl(MailKind k);
inline constexpr MailKind kAllMailKinds[] = {MailKind::reminder, MailKind::change,
                                             MailKind::overdue, MailKind::digest};

/// One mail that is due. `key` identifies it for good (the outbox's idempotency key): event UID,
/// recipient, kind, offset and the event's SEQUENCE, so a moved event gets new reminders and a
/// mail that was queued once is never queued again.
struct DueMail {
    MailKind kind = MailKind::reminder;
    std::string key;
    std::string school;
    std::string recipient;  // person id
    std::string uid;        // the event (empty for overdue lists and digests)
    int offset = 0;  // reminder: days before; overdue: send day as YYYYMMDD; digest: ISO week
    int sequence = 0;
    std::int64_t due_at = 0;      // epoch seconds
    std::optional<Event> before;  // change notices: the event as it was
    /// Overdue lists: what became overdue since the last send day, and (on the week's first
    /// send day) what was told before and is still open.
    std::vector<std::string> uids, still_open;
    /// Reminders: when the next reminder of the same event to the same person is due (0: none).
    /// A reminder that comes late is not sent when that one is still to come.
    std::int64_t next_due_at = 0;
};

/// When an event begins (an all-day event: at local midnight).
std::int64_t event_start_epoch(const Event& event);

/// True on days mail may go out: a staff day that is not one of the school's quiet days.
bool is_send_day(const LoadedSchool& school, Date d);

/// Reminders due in (from, to]: for every planned or moved event, every attendee (required and
/// optional) with an e-mail address and every `remind_days_before` of its rule, at the send hour
/// of that day, or of the last send day before it. None for an event that has started by then.
std::vector<DueMail> reminders_due(const Plan& plan, const LoadedSchool& school, std::int64_t from,
                                   std::int64_t to);

/// The first send day after a tracked event became overdue: the day it is first told.
std::optional<Date> first_notice_day(const Event& event, const LoadedSchool& school);

/// Overdue lists due in (from, to]: one message per responsible person (tracking.hpp) and send
/// day, with every tracked event whose first notice day that is; on the week's first send day
/// also everything told before that is still open. Never one mail per event; nothing after the
/// school year's last day.
std::vector<DueMail> overdue_notices_due(const Plan& plan, const LoadedSchool& school,
                                         std::int64_t from, std::int64_t to);

/// Weekly digests due in (from, to]: Monday at the send hour (or the week's first send day) to
/// every IB'er (role "ib"), schoolleider and bestuurder with an address. Weeks without a send
/// day have none. The key is the address and the week: one digest per person and week, however
/// many schools list them (the composer covers all of them).
std::vector<DueMail> digests_due(const LoadedSchool& school, std::int64_t from, std::int64_t to);

/// Days ahead within which a move or cancellation is announced by mail at once.
inline constexpr int kChangeNoticeDays = 14;

/// Change notices between two versions of a plan: every event that was moved (date or time) or
/// cancelled, whose old or new start lies between `now` and `now` + 14 days, to every attendee of
/// either version with an address. Due at `now`.
std::vector<DueMail> change_notices(const Plan& before, const Plan& after,
                                    const LoadedSchool& school, std::int64_t now);

/// Welcome mails: to every person of `after` with an address who is not in `before` (a
/// newcomer, a new invaller), once (the key is the school and the person). Due at `now`.
std::vector<DueMail> welcome_notices(const LoadedSchool& before, const LoadedSchool& after,
                                     std::int64_t now);

/// The readable content of one mail.
struct MailContent {
    std::string subject;
    std::string text;
    std::string html;
    std::string ics;           // an attached event (METHOD:PUBLISH), may be empty
    std::string ics_filename;  // "afspraak.ics"
};

/// What the composer needs besides the plan: the links it puts in every mail.
struct MailLinks {
    std::string calendar_url;     // where the school's pages are, e.g. "https://jk.school.nl/"
    std::string unsubscribe_url;  // turns this kind off for this person
};

/// One school a digest covers, and what the person is there.
struct DigestSchool {
    const Plan* plan = nullptr;
    const LoadedSchool* school = nullptr;
    /// What the newest re-plan after a change of the school's files moved or cancelled (the
    /// IB'er's digest lists it beside what cannot be planned); may be null.
    const std::vector<PlanChange>* replan = nullptr;
    /// The person's roles at this school; all false: taken from the person's roles there.
    bool ib = false, lead = false, board = false;
};

/// Composes one mail (Dutch) sent on `today`. Reminders and change notices concern `event`; a
/// change notice also gets the event as it was (`before`, null when it is new to the person).
/// `late` marks a reminder sent after its time because the service was not running; it says
/// the day as seen from `today`. No notes or reasons typed by staff go in: they might name a
/// pupil.
MailContent compose_event_mail(const DueMail& mail, const Event& event, const Event* before,
                               const LoadedSchool& school, bool late, Date today,
                               const MailLinks& links);
/// One overdue list (`mail.uids`, `mail.still_open`) as `plan` has them now: each event with
/// the day it is overdue since. Events resolved meanwhile are left out.
MailContent compose_overdue_list(const DueMail& mail, const Plan& plan, const LoadedSchool& school,
                                 const MailLinks& links);
/// A digest for `person` on `today`: for every school, what they are there (IB'er, schoolleider,
/// bestuurder); the figures come from school_figures (tracking.hpp).
MailContent compose_digest(const Person& person, const std::vector<DigestSchool>& schools,
                           Date today, const MailLinks& links);

/// A welcome for `person`, new at the school on `today`: from when and on which days, which
/// groups, what they take over from today on (their events in the plan, counted by kind, the
/// first ones listed), how to sign in and how to subscribe to their calendar.
MailContent compose_welcome(const Person& person, const Plan& plan, const LoadedSchool& school,
                            Date today, const MailLinks& links);

/// To everyone of `next` (a next school year just published): the year is in the calendar they
/// subscribed to, after this one; its first school day and their first appointments in it.
MailContent compose_year_published(const Person& person, const Plan& plan, const LoadedSchool& next,
                                   const MailLinks& links);

/// A sign-in link for the web pages.
MailContent compose_login_mail(const Person& person, const std::string& school_name,
                               const std::string& url, int valid_minutes);

/// Envelope and headers of a message.
struct MailHeaders {
    std::string from_name;
    std::string from_address;
    std::string reply_to;  // address, may be empty
    std::string to_name;
    std::string to_address;
    std::string message_id;  // without < >
    std::int64_t date = 0;   // epoch seconds
    std::string list_unsubscribe_url;
};

/// The whole RFC 5322 message: CRLF lines, RFC 2047-encoded subject and names,
/// multipart/mixed (when there is an attachment) around multipart/alternative text and HTML,
/// quoted-printable UTF-8 bodies, List-Unsubscribe with One-Click.
std::string to_rfc5322(const MailHeaders& headers, const MailContent& content);

/// RFC 2047 "B" encoded-words for a header value with non-ASCII characters; ASCII stays as is.
std::string encode_header_word(const std::string& text);
/// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks at 76 characters.
std::string quoted_printable(const std::string& text);

}  // namespace jk
