// The pages for staff changes as view models: what a form shows (fields, values, the loader's
// messages at their field), what a preview says will change, and the history. Pure: built from
// the school, the form and the domain result, and tested without HTML (staff_pages.cpp renders).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/services.hpp"
#include "daemon/store/store.hpp"
#include "daemon/web/context.hpp"
#include "jaarkalender/staff_change.hpp"

namespace jk::daemon::web {

/// A kind of change as the pages name it: `/wijzigingen/nieuw/<slug>`.
struct ChangeKindInfo {
    StaffChangeKind kind;
    std::string_view slug;
    std::string_view title;  // "Iemand is afwezig"
    std::string_view intro;
};
const std::vector<ChangeKindInfo>& change_kinds();
const ChangeKindInfo* change_kind(std::string_view slug);

/// One field of a form, ready to render.
struct FieldView {
    enum class Type { text, email, date, select, checkboxes, radios };
    std::string name;  // the API's field name, also the form's
    std::string label;
    Type type = Type::text;
    std::string value;                                         // text, email, date, select, radios
    std::vector<std::string> values;                           // checkboxes
    std::vector<std::pair<std::string, std::string>> options;  // value, label
    std::string hint;
    std::string error;  // the message at this field, "" when none
    bool required = false;
    /// When the field is needed only in some case, that case ("nodig bij een nieuwe invaller"),
    /// said instead of "niet verplicht".
    std::string required_when;
    /// A heading the field starts (a long form in parts: "Wanneer").
    std::string section;
};

struct FormView {
    const ChangeKindInfo* kind = nullptr;
    std::vector<FieldView> fields;
    /// Messages that concern no field of the form (with the loader's words).
    std::vector<std::string> general_errors;
    /// The school year it changes when that is not the current one (a draft or published next
    /// year: `jaar` in the form's address).
    std::string year;
    [[nodiscard]] bool has_errors() const;
};

/// The form of a kind, filled with `values` (a form sent back, or a link's query) and with
/// `errors` at their field. An absence link with `person` and `from` of an existing absence
/// fills in the rest from the school (so that the reason never travels in a URL).
FormView change_form(const LoadedSchool& school, const ChangeKindInfo& kind, const FormData& values,
                     const std::vector<FieldError>& errors);

/// A change from a form's fields; dates that are not dates are errors at their field.
/// `school`: what the school is now, for the forms that send only what differs from it (the
/// school's own keys).
ParsedChange change_from_form(StaffChangeKind kind, const FormData& form,
                              const LoadedSchool* school = nullptr);

/// "Wat verandert er?": the consequences in Dutch, one row per event.
struct PreviewView {
    std::string summary;
    struct Row {
        std::string what;  // the event's title
        std::string from;  // Dutch: "do 21 januari 15:00"
        std::string to;
        std::string why;
    };
    std::vector<Row> moved, cancelled, unplanned, added;
    std::vector<Row> restored;       // `from`: the new moment of what had been given up
    std::vector<Row> reassigned;     // `to`: "Lotte van Dijk in plaats van Bram Jansen"
    std::vector<std::string> mails;  // "Bram Jansen (2 afspraken)"
    std::vector<std::string> warnings;
    /// The year in numbers, per rule whose numbers change: planned and not planned, before and
    /// after ("Groepsbespreking": 20 → 26 ingepland, 6 → 0 niet in te plannen).
    struct Count {
        std::string rule;
        int planned_before = 0, planned_after = 0, unplanned_before = 0, unplanned_after = 0;
    };
    std::vector<Count> counts;
    [[nodiscard]] bool nothing_changes() const {
        return moved.empty() && cancelled.empty() && unplanned.empty() && added.empty() &&
               reassigned.empty() && restored.empty();
    }
};
/// `school` names people and rules; the result's own school (with the change) comes first.
PreviewView preview_view(const StaffChangeResult& result, const LoadedSchool& school);
/// What the newest re-plan moved and cancelled (after a change is saved).
PreviewView replan_view(const std::vector<PlanChange>& changes, const std::string& summary);

/// The history of the school's input, newest first.
struct HistoryRow {
    long long id = 0;
    std::string when;   // "di 1 december 20:15"
    std::string who;    // a name, or "bestanden"
    std::string what;   // the summary
    std::string why;    // the note (and an absence's reason: the page is the IB'er's)
    std::string state;  // "", "ongedaan gemaakt", "geldt niet meer: ..."
    bool can_undo = false;
};
std::vector<HistoryRow> history_view(const std::vector<InputVersion>& versions,
                                     const LoadedSchool& school);

/// Absences now and to come, each with the link that ends it early or extends it.
struct AbsenceRow {
    std::string name;
    std::string dates;  // "ma 1 februari t/m vr 12 februari"
    std::string reason;
    std::string substitute;  // a name, or ""
    std::string edit_link;   // "/wijzigingen/nieuw/afwezig?person=bram&from=2027-02-01"
};
std::vector<AbsenceRow> absences_view(const LoadedSchool& school, Date today);

/// The school's rules in its words, each with the link that changes it.
struct RuleRow {
    std::string id;
    std::string name;      // "Groepsbespreking"
    std::string who;       // "de leerkracht(en) van de groep en een IB'er"
    std::string how_long;  // "45 minuten", "hele dag"
    bool active = true;    // false: switched off (kept, plans nothing)
};
std::vector<RuleRow> rules_view(const LoadedSchool& school);

/// "do 21 januari 15:00" from a plan's ISO start ("2027-01-21T15:00" or "2027-01-21").
std::string moment_nl(std::string_view iso);

}  // namespace jk::daemon::web
