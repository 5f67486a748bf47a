// Internal to the pages: the set-up's forms (the school's own keys, a test period, a rule) for
// the staff-change pages (staff_view.cpp), and what the two share.
#pragma once

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

/// A person's name (the id when there is none).
std::string name_of(const School& s, const std::string& id);
/// "a, b; c" → {"a", "b", "c"}: a list typed in one field.
std::vector<std::string> split_list(const std::string& text);

/// The fields of a set-up kind (school, test_period, rule).
std::vector<FieldView> setup_fields(StaffChangeKind kind);
/// The change a set-up form asks (only what it shows; the school's own keys only where they
/// differ from `school`), into `out`; problems at their field.
void setup_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out);
/// The form's choices, and what the chosen rule, period or the school is now where the form
/// says nothing yet.
void setup_prefill(StaffChangeKind kind, const LoadedSchool& school, const FormData& values,
                   FormData& filled, std::vector<FieldView>& fields);

}  // namespace jk::daemon::web
