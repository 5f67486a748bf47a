#include "daemon/access/rights.hpp"

#include <algorithm>

namespace jk::daemon {

Rights rights_at(const Person& person, std::string_view home, std::string_view school) {
    Rights r;
    r.board = person.has_role("bestuurder");
    r.lead = home == school && (person.has_role("ib") || person.has_role("schoolleider"));
    r.read_all = r.lead || r.board;
    return r;
}

bool still_there(const Person& person, Date today) {
    return !person.until || today <= *person.until;
}

std::optional<std::string> grant_refusal(const Person& actor, const Rights& rights,
                                         const std::vector<std::string>& roles) {
    for (const std::string& role : roles) {
        if (role == "bestuurder")
            return "de rol bestuurder geeft alleen de beheerder van de installatie (in de "
                   "bestanden van de school), niet de school zelf";
        if (!rights.lead)
            return "alleen de intern begeleider of de schoolleider van de school geeft rollen";
        if ((role == "schoolleider" || role == "ib") && !actor.has_role("schoolleider"))
            return std::string("alleen de schoolleider maakt iemand ") +
                   (role == "ib" ? "intern begeleider" : "schoolleider");
    }
    return std::nullopt;
}

bool may_see(const Rights& rights, const Person& person, const Event& event) {
    return rights.read_all || event.attended_by(person.id);
}

namespace {

bool required(const Person& person, const Event& event) {
    return std::find(event.attendees.begin(), event.attendees.end(), person.id) !=
           event.attendees.end();
}

bool owns(const Person& person, const Event& event) {
    return event.owner && *event.owner == person.id;
}

bool about(const Person& person, const Event& event) {
    return event.subject && *event.subject == person.id && required(person, event);
}

}  // namespace

bool may_change(const Rights& rights, const Person& person, const Event& event, EventAction action,
                const std::optional<std::string>& last_actor, std::optional<EventAction> undone) {
    if (rights.lead) return true;
    // The bestuur reads; a bestuurder who is not also IB'er or schoolleider here never writes.
    if (rights.board) return false;
    switch (action) {
        case EventAction::done:
            return required(person, event) || owns(person, event);
        case EventAction::cancel:
        case EventAction::move:
            return owns(person, event) || about(person, event);
        case EventAction::undo:
            return last_actor && *last_actor == person.id && undone &&
                   *undone != EventAction::undo && may_change(rights, person, event, *undone);
    }
    return false;
}

}  // namespace jk::daemon
