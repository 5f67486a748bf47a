// The formatie from a spreadsheet (docs/input.md, "De formatie uit een spreadsheet"): a row per
// person and group, with the columns Naam, E-mailadres, Rollen, Werkdagen, Groep and Dagen in de
// groep, read from the cells of a CSV file or the first sheet of an .xlsx (service/import/), and
// checked per row and column before anything is changed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jaarkalender/date.hpp"
#include "jaarkalender/model.hpp"

namespace jk {

/// A spreadsheet's first sheet as text: rows and cells as the school sees them (row 1 first).
struct Sheet {
    std::vector<std::vector<std::string>> rows;
};

/// A CSV file as Dutch Excel and others write it: UTF-8 with or without BOM, else Windows-1252
/// (converted to UTF-8); cells separated by ';' or ',' (whichever the header line uses);
/// "quoted" cells with "" for a quote and line breaks inside.
Sheet read_csv(std::string_view bytes);

/// What is wrong in the file, at its row (1: the header) and column (its header's text).
struct SheetError {
    int row = 0;
    std::string column;
    std::string message;  // Dutch
};

/// One row of the formatie: a person, and one group they teach (none: `group` empty).
struct FormatieRow {
    int row = 0;
    std::string name;
    std::string email;
    std::vector<std::string> roles;       // role ids ("ib"), from ids or Dutch labels
    std::vector<std::string> works;       // "ma".."vr"
    std::string group;                    // the group's name as written ("Groep 4/5")
    std::vector<std::string> group_days;  // empty: their working days
};

struct Formatie {
    std::vector<FormatieRow> rows;
    std::vector<SheetError> errors;
};

/// The rows of a sheet, each value checked: the headers in any case and order, a row per person
/// and group; every problem by row and column.
Formatie read_formatie(const Sheet& sheet);

/// The grades a group's name says: "Groep 4/5" → 4 and 5, "groep 1-2" → 1 and 2; none when it
/// names none.
std::vector<int> grades_from_name(std::string_view name);

/// The formatie as CSV (UTF-8 with BOM, ';'), a row per person and group: the template a school
/// downloads, fills in and uploads again.
std::string formatie_csv(const School& school, Date on);

/// The person of the school a row is about: by address, else by name (case aside).
const Person* formatie_person(const School& school, const FormatieRow& row);

/// What an import does to a school's people, in the school's words, for the preview.
struct FormatieDiff {
    std::vector<std::string> added;    // names of people who are new
    std::vector<std::string> changed;  // "Bram Jansen: werkdagen ma di wo do"
    std::vector<std::string> missing;  // names of people not in the file
    std::vector<std::string> groups;   // names of groups that are new
};
/// `on`: the day the file holds from (today, or the first day before the year begins): working
/// days and groups are compared with what they are then.
FormatieDiff formatie_diff(const School& school, const std::vector<FormatieRow>& rows, Date on);

/// "ma", "di", ... as a set.
WeekdaySet days_of(const std::vector<std::string>& codes);

/// The rows as JSON (the stored change) and back.
std::string formatie_rows_json(const std::vector<FormatieRow>& rows);
std::vector<FormatieRow> formatie_rows_from_json(std::string_view json);

}  // namespace jk
