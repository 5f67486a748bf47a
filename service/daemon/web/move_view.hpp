// The move page as a view model: the event, the moment asked for and its conflicts in plain
// Dutch, and the first free moments the planner's own checks allow (staff_pages' sibling for
// one event; tested without HTML).
#pragma once

#include <string>
#include <vector>

#include "daemon/web/context.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk::daemon::web {

struct MoveView {
    std::string uid;
    std::string title;
    std::string now;  // "ma 18 januari 09:00" (where it is now)
    bool all_day = false;
    std::string date;  // the form's values (ISO, as the date and time fields take them)
    std::string time;
    bool checked = false;                // a moment was checked
    std::string invalid;                 // the date or time is not one
    std::vector<std::string> conflicts;  // of the moment checked; empty: it may be saved
    bool can_force = false;              // the IB'er or schoolleider may move it anyway
    struct Suggestion {
        std::string date;   // ISO, for the form
        std::string time;   // "09:00", "" for all-day events
        std::string label;  // "do 21 januari 09:00–09:45"
        bool late = false;  // after the event's own term
    };
    std::vector<Suggestion> suggestions;
};

/// How many free moments the move page offers.
inline constexpr int kMoveSuggestions = 5;

/// The move page of `event` on `today`: the form's `datum`/`tijd` checked when given.
MoveView move_view(const LoadedSchool& school, const Plan& plan, const Event& event, Date today,
                   const FormData& form, bool lead);

}  // namespace jk::daemon::web
