// The jaarplanning as PDF with cairo and pango: a table of school weeks, months on their own
// pages, the header repeated on every page.
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <memory>

#include "export/export.hpp"

namespace jk::exports {
namespace {

constexpr double kMargin = 28;  // points (about 1 cm)
constexpr double kPad = 3;
constexpr const char* kFont = "DejaVu Sans";

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

struct LayoutDeleter {
    void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

class PdfWriter {
  public:
    PdfWriter(std::string& out, double width, double height) : width_(width), height_(height) {
        surface_ = cairo_pdf_surface_create_for_stream(append, &out, width, height);
        cr_ = cairo_create(surface_);
    }
    ~PdfWriter() {
        cairo_destroy(cr_);
        cairo_surface_finish(surface_);
        cairo_surface_destroy(surface_);
    }
    PdfWriter(const PdfWriter&) = delete;
    PdfWriter& operator=(const PdfWriter&) = delete;

    void metadata(const std::string& title, const std::string& author) {
        cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
        cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_AUTHOR, author.c_str());
        cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "jaarkalender");
    }

    /// A layout of `text` wrapped at `width` points, in `size` points, bold or not.
    LayoutPtr layout(const std::string& text, double width, double size, bool bold = false) {
        LayoutPtr l(pango_cairo_create_layout(cr_));
        PangoFontDescription* font = pango_font_description_from_string(kFont);
        pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
        if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
        pango_layout_set_font_description(l.get(), font);
        pango_font_description_free(font);
        pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_text(l.get(), text.c_str(), static_cast<int>(text.size()));
        return l;
    }
    static double height_of(PangoLayout* l) {
        int w = 0, h = 0;
        pango_layout_get_size(l, &w, &h);
        return static_cast<double>(h) / PANGO_SCALE;
    }
    void draw(PangoLayout* l, double x, double y) {
        cairo_set_source_rgb(cr_, 0, 0, 0);
        cairo_move_to(cr_, x, y);
        pango_cairo_show_layout(cr_, l);
    }
    void fill(double x, double y, double w, double h, double grey) {
        cairo_set_source_rgb(cr_, grey, grey, grey);
        cairo_rectangle(cr_, x, y, w, h);
        cairo_fill(cr_);
    }
    void line(double x0, double y0, double x1, double y1, double grey = 0.45) {
        cairo_set_source_rgb(cr_, grey, grey, grey);
        cairo_set_line_width(cr_, 0.5);
        cairo_move_to(cr_, x0, y0);
        cairo_line_to(cr_, x1, y1);
        cairo_stroke(cr_);
    }
    void next_page() { cairo_show_page(cr_); }
    [[nodiscard]] double width() const { return width_; }
    [[nodiscard]] double height() const { return height_; }

  private:
    double width_, height_;
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
};

/// The table's columns: week, dates, closed days and test periods, then the five kinds.
struct Columns {
    std::vector<double> x, w;
    std::vector<std::string> headings;
};

Columns columns_for(double width) {
    Columns c;
    c.headings = {"Wk", "Datum", "Vrij en toetsperiode"};
    for (size_t k = 0; k < kPlanColumns; ++k)
        c.headings.emplace_back(heading_nl(static_cast<PlanColumn>(k)));
    const std::vector<double> share = {0.035, 0.115, 0.12, 0.14, 0.16, 0.165, 0.12, 0.145};
    double x = kMargin;
    const double usable = width - 2 * kMargin;
    for (double s : share) {
        c.x.push_back(x);
        c.w.push_back(usable * s);
        x += usable * s;
    }
    return c;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
}

}  // namespace

std::string render_pdf(const Jaarplanning& plan, Paper paper) {
    // Landscape, in points.
    const double width = paper == Paper::a3 ? 1190.55 : 841.89;
    const double height = paper == Paper::a3 ? 841.89 : 595.28;
    const double text = paper == Paper::a3 ? 8.5 : 7;
    std::string out;
    {
        PdfWriter pdf(out, width, height);
        pdf.metadata(plan.title + " – " + plan.school_name, plan.school_name);
        const Columns cols = columns_for(width);
        int page = 0;
        int month = -1;
        int rows_on_page = 0;
        double y = 0;
        auto header = [&]() {
            if (page > 0) pdf.next_page();
            ++page;
            y = kMargin;
            auto title = pdf.layout(plan.title + " – " + plan.school_name, width - 2 * kMargin - 80,
                                    text + 5, true);
            pdf.draw(title.get(), kMargin, y);
            auto number = pdf.layout("blad " + std::to_string(page), 80, text);
            pango_layout_set_alignment(number.get(), PANGO_ALIGN_RIGHT);
            pdf.draw(number.get(), width - kMargin - 80, y + 4);
            y += PdfWriter::height_of(title.get()) + 6;
            rows_on_page = 0;
            double h = 0;
            std::vector<LayoutPtr> heads;
            for (size_t i = 0; i < cols.x.size(); ++i) {
                heads.push_back(pdf.layout(cols.headings[i], cols.w[i] - 2 * kPad, text, true));
                h = std::max(h, PdfWriter::height_of(heads.back().get()));
            }
            pdf.fill(kMargin, y, width - 2 * kMargin, h + 2 * kPad, 0.85);
            for (size_t i = 0; i < cols.x.size(); ++i)
                pdf.draw(heads[i].get(), cols.x[i] + kPad, y + kPad);
            y += h + 2 * kPad;
            pdf.line(kMargin, y, width - kMargin, y, 0);
        };
        for (const PlanWeek& w : plan.weeks) {
            std::vector<std::string> cells = {std::to_string(w.iso_week), w.dates};
            std::vector<std::string> closed = w.closed;
            closed.insert(closed.end(), w.periods.begin(), w.periods.end());
            cells.push_back(join_lines(closed));
            for (const auto& col : w.columns) {
                std::vector<std::string> lines;
                for (const auto& item : col) lines.push_back(item.text);
                cells.push_back(join_lines(lines));
            }
            std::vector<LayoutPtr> layouts;
            double h = 0;
            for (size_t i = 0; i < cells.size(); ++i) {
                layouts.push_back(pdf.layout(cells[i], cols.w[i] - 2 * kPad, text));
                h = std::max(h, PdfWriter::height_of(layouts.back().get()));
            }
            h += 2 * kPad;
            const std::string month_name =
                std::string(month_name_nl(static_cast<unsigned>(w.month))) + " " +
                std::to_string(static_cast<int>(
                    std::chrono::year_month_day{w.monday + std::chrono::days{4}}.year()));
            // A month starts a page (unless the page holds less than two weeks: the first days
            // of a year), under its name; a week that does not fit continues on the next page.
            auto label = pdf.layout(month_name, width - 2 * kMargin, text + 2, true);
            const double label_h = PdfWriter::height_of(label.get()) + 2 * kPad;
            const bool new_month = w.month != month;
            if (page == 0 || (new_month && rows_on_page >= 2) ||
                y + h + (new_month ? label_h : 0) > height - kMargin)
                header();
            if (new_month || rows_on_page == 0) {
                if (!new_month)
                    label =
                        pdf.layout(month_name + " (vervolg)", width - 2 * kMargin, text + 2, true);
                pdf.draw(label.get(), kMargin + kPad, y + kPad);
                y += label_h;
                pdf.line(kMargin, y, width - kMargin, y);
                month = w.month;
            }
            ++rows_on_page;
            if (!w.school_week) pdf.fill(kMargin, y, width - 2 * kMargin, h, 0.93);
            for (size_t i = 0; i < layouts.size(); ++i)
                pdf.draw(layouts[i].get(), cols.x[i] + kPad, y + kPad);
            y += h;
            pdf.line(kMargin, y, width - kMargin, y);
        }
    }
    return out;
}

}  // namespace jk::exports
