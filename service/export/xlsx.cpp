// The jaarplanning as .xlsx with libxlsxwriter: the week overview and every event as a row.
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "export/export.hpp"

namespace jk::exports {
namespace {

lxw_datetime excel_date(Date d) {
    const std::chrono::year_month_day ymd{d};
    return {static_cast<int>(ymd.year()),
            static_cast<int>(unsigned(ymd.month())),
            static_cast<int>(unsigned(ymd.day())),
            0,
            0,
            0};
}

lxw_datetime excel_time(Minute m) {
    return {0, 0, 0, m / 60, m % 60, 0};
}

std::string join_lines(const std::vector<PlanItem>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : "\n") + i.text;
    return out;
}

}  // namespace

Result<std::string> render_xlsx(const Jaarplanning& plan, const std::vector<EventRow>& rows,
                                const std::string& tmpdir) {
    namespace fs = std::filesystem;
    // A directory of our own (mode 0700, a name nobody can guess) for the file and the
    // workbook's own temporary files: nothing planted in a shared /tmp is followed. The file
    // is made there with O_EXCL before libxlsxwriter writes it.
    std::string dir_name = (fs::path(tmpdir) / "jaarplanning-XXXXXX").string();
    if (!::mkdtemp(dir_name.data())) {
        Diagnostics d;
        d.error(tmpdir, 1, 1, "kan geen tijdelijke map maken in " + tmpdir);
        return d;
    }
    struct RemoveDir {
        fs::path dir;
        ~RemoveDir() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{dir_name};
    const fs::path path = cleanup.dir / "jaarplanning.xlsx";
    if (const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
        fd >= 0) {
        ::close(fd);
    } else {
        Diagnostics d;
        d.error(path.string(), 1, 1, "kan het Excel-bestand niet maken in " + tmpdir);
        return d;
    }
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    std::string tmp = cleanup.dir.string();
    options.tmpdir = tmp.data();
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
    if (!wb) {
        Diagnostics d;
        d.error(path.string(), 1, 1, "kan het Excel-bestand niet maken in " + tmpdir);
        return d;
    }
    std::string title = plan.title + " – " + plan.school_name;
    lxw_doc_properties props{};
    props.title = title.data();
    props.company = const_cast<char*>(plan.school_name.c_str());
    workbook_set_properties(wb, &props);
    lxw_format* head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xD9D9D9);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_VERTICAL_TOP);
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "dd-mm-yyyy");
    format_set_align(date, LXW_ALIGN_VERTICAL_TOP);
    lxw_format* time = workbook_add_format(wb);
    format_set_num_format(time, "hh:mm");
    lxw_format* wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_format* closed = workbook_add_format(wb);
    format_set_text_wrap(closed);
    format_set_align(closed, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(closed, 0xEFEFEF);

    // Sheet 1: the weeks.
    lxw_worksheet* weeks = workbook_add_worksheet(wb, "Weken");
    std::vector<std::string> heads = {"Week", "Maandag", "Vrijdag", "Vrij en toetsperiode"};
    for (size_t k = 0; k < kPlanColumns; ++k)
        heads.emplace_back(heading_nl(static_cast<PlanColumn>(k)));
    const double widths[] = {6, 12, 12, 26, 34, 34, 38, 26, 30};
    for (size_t c = 0; c < heads.size(); ++c) {
        worksheet_write_string(weeks, 0, static_cast<lxw_col_t>(c), heads[c].c_str(), head);
        worksheet_set_column(weeks, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                             nullptr);
    }
    lxw_row_t r = 1;
    for (const PlanWeek& w : plan.weeks) {
        lxw_format* f = w.school_week ? wrap : closed;
        worksheet_write_number(weeks, r, 0, w.iso_week, f);
        lxw_datetime mon = excel_date(w.monday);
        lxw_datetime fri = excel_date(w.monday + std::chrono::days{4});
        worksheet_write_datetime(weeks, r, 1, &mon, date);
        worksheet_write_datetime(weeks, r, 2, &fri, date);
        std::string free;
        for (const auto& c : w.closed) free += (free.empty() ? "" : "\n") + c;
        for (const auto& p : w.periods) free += (free.empty() ? "" : "\n") + p;
        worksheet_write_string(weeks, r, 3, free.c_str(), f);
        for (size_t k = 0; k < kPlanColumns; ++k)
            worksheet_write_string(weeks, r, static_cast<lxw_col_t>(4 + k),
                                   join_lines(w.columns[k]).c_str(), f);
        ++r;
    }
    worksheet_freeze_panes(weeks, 1, 0);
    worksheet_autofilter(weeks, 0, 0, r - 1, static_cast<lxw_col_t>(heads.size() - 1));
    worksheet_set_landscape(weeks);
    worksheet_set_paper(weeks, 9);  // A4
    worksheet_repeat_rows(weeks, 0, 0);
    worksheet_fit_to_pages(weeks, 1, 0);

    // Sheet 2: every event.
    lxw_worksheet* events = workbook_add_worksheet(wb, "Afspraken");
    const char* eheads[] = {"Datum", "Tot en met", "Begin",  "Einde",    "Wat",
                            "Soort", "Wie",        "Status", "Eigenaar", "UID"};
    const double ewidths[] = {12, 12, 7, 7, 48, 14, 50, 12, 22, 40};
    for (lxw_col_t c = 0; c < 10; ++c) {
        worksheet_write_string(events, 0, c, eheads[c], head);
        worksheet_set_column(events, c, c, ewidths[c], nullptr);
    }
    r = 1;
    for (const EventRow& e : rows) {
        lxw_datetime d = excel_date(e.date);
        lxw_datetime to = excel_date(e.end_date);
        worksheet_write_datetime(events, r, 0, &d, date);
        worksheet_write_datetime(events, r, 1, &to, date);
        if (e.start) {
            lxw_datetime s = excel_time(*e.start);
            lxw_datetime t = excel_time(*e.end);
            worksheet_write_datetime(events, r, 2, &s, time);
            worksheet_write_datetime(events, r, 3, &t, time);
        }
        worksheet_write_string(events, r, 4, e.title.c_str(), nullptr);
        worksheet_write_string(events, r, 5, e.kind.c_str(), nullptr);
        worksheet_write_string(events, r, 6, e.attendees.c_str(), nullptr);
        worksheet_write_string(events, r, 7, e.status.c_str(), nullptr);
        worksheet_write_string(events, r, 8, e.owner.c_str(), nullptr);
        worksheet_write_string(events, r, 9, e.uid.c_str(), nullptr);
        ++r;
    }
    worksheet_freeze_panes(events, 1, 0);
    worksheet_autofilter(events, 0, 0, r - 1, 9);

    const lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        Diagnostics d;
        d.error(path.string(), 1, 1,
                std::string("het Excel-bestand kon niet worden geschreven: ") + lxw_strerror(err));
        return d;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace jk::exports
