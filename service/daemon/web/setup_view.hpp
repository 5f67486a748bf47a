// Internal to the pages: the set-up's forms (the school's own keys, a test period, a rule) for
// the staff-change pages (staff_view.cpp), and what the two share.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/web/context.hpp"
#include "daemon/web/staff_view.hpp"

namespace jk::daemon::web {

/// "ma" → "maandag", ... (checkbox options).
extern const std::vector<std::pair<std::string, std::string>> kWeekdays;
FieldView field(std::string name, std::string label, FieldView::Type type, bool required = false,
                std::string hint = {});

/// Everyone of the school by name, after a first option "" (`none_label`): a person select.
std::vector<std::pair<std::string, std::string>> people_options(const School& s,
                                                                const char* none_label);
/// A person's name (the id when there is none).
std::string name_of(const School& s, const std::string& id);
/// A whole number typed in a field, lo..hi; nullopt for anything else (also "").
std::optional<long> whole_number(const std::string& text, long lo, long hi);
/// "a, b; c" → {"a", "b", "c"}: a list typed in one field.
std::vector<std::string> split_list(const std::string& text);

/// The rule form (rule_form.cpp): its fields; the change it asks (a new rule whole, a rule that
/// exists as a patch of the parts that differ from it now); its choices and what the chosen
/// rule is now.
std::vector<FieldView> rule_fields();
void rule_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out);
void rule_prefill(const LoadedSchool& school, FormData& filled, std::vector<FieldView>& fields);

/// The toetskalender's form (period_form.cpp), likewise: a period moved, its tests, a new one
/// (also a copy of another).
std::vector<FieldView> period_fields();
void period_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out);
void period_prefill(const LoadedSchool& school, FormData& filled, std::vector<FieldView>& fields);

/// The groups' form (group_form.cpp): name, grades, who teaches it on which days (from a date).
std::vector<FieldView> group_fields();
void group_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out);
void group_prefill(const LoadedSchool& school, FormData& filled, std::vector<FieldView>& fields);
/// The forms that remove a group, a test period or a rule: the choice of which.
std::vector<FieldView> removal_fields(StaffChangeKind kind);
void removal_prefill(StaffChangeKind kind, const LoadedSchool& school,
                     std::vector<FieldView>& fields);

/// The fields of a set-up kind (school, group, test period, rule, and their removals).
std::vector<FieldView> setup_fields(StaffChangeKind kind);
/// The change a set-up form asks (only what it shows; the school's own keys only where they
/// differ from `school`), into `out`; problems at their field.
void setup_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out);
/// The form's choices, and what the chosen rule, period or the school is now where the form
/// says nothing yet.
void setup_prefill(StaffChangeKind kind, const LoadedSchool& school, const FormData& values,
                   FormData& filled, std::vector<FieldView>& fields);

}  // namespace jk::daemon::web
