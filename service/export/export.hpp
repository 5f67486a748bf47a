// The jaarplanning on paper and in Excel: a PDF made with cairo and pango (no browser on the
// server), and an .xlsx made with libxlsxwriter. Both render the core's view model
// (jaarkalender/jaarplanning.hpp); the CSV is the core's own (render_csv).
#pragma once

#include <string>
#include <vector>

#include "jaarkalender/jaarplanning.hpp"
#include "jaarkalender/result.hpp"

namespace jk::exports {

enum class Paper { a4, a3 };

/// The jaarplanning as a landscape PDF: per page a month (or the rest of one), the school's name
/// and the title on every page with the column headings, readable in black and white.
std::string render_pdf(const Jaarplanning& plan, Paper paper = Paper::a4);

/// The .xlsx bytes: sheet "Weken" (one row per school week, the jaarplanning's columns) and sheet
/// "Afspraken" (every event as a row, dates and times as real Excel values), each with a frozen
/// header row and filters. libxlsxwriter writes through a file in `tmpdir`.
Result<std::string> render_xlsx(const Jaarplanning& plan, const std::vector<EventRow>& rows,
                                const std::string& tmpdir = "/tmp");

}  // namespace jk::exports
