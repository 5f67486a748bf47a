// The first sheet of an .xlsx (xlsx_reader.hpp): libzip opens the package from memory, expat
// reads xl/workbook.xml and its relationships (which part is the first sheet),
// xl/sharedStrings.xml and the sheet itself.
#include "import/xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <map>
#include <memory>
#include <optional>

namespace jk::imports {
namespace {

constexpr zip_uint64_t kMaxPart = 16 * 1024 * 1024;  // unpacked; a formatie is far smaller
constexpr size_t kMaxRows = 5000;
constexpr size_t kMaxColumns = 64;

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};

/// One part of the package, unpacked; nullopt when it is not there or too large.
std::optional<std::string> part(zip_t* zip, const std::string& name, std::string& error) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip, name.c_str(), ZIP_FL_ENC_GUESS, &st) != 0) return std::nullopt;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > kMaxPart) {
        error = "het bestand is te groot voor een formatie";
        return std::nullopt;
    }
    zip_file_t* f = zip_fopen(zip, name.c_str(), 0);
    if (!f) return std::nullopt;
    std::string out(static_cast<size_t>(st.size), '\0');
    const zip_int64_t n = zip_fread(f, out.data(), st.size);
    zip_fclose(f);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return std::nullopt;
    return out;
}

/// Runs expat over `xml`, calling `start(name, attrs)`, `end(name)` and `text(chars)`; false
/// when it is not well-formed XML.
template <class Start, class End, class Text>
bool parse_xml(const std::string& xml, Start start, End end, Text text) {
    struct Ctx {
        Start& start;
        End& end;
        Text& text;
    } ctx{start, end, text};
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> p(XML_ParserCreate("UTF-8"),
                                                              XML_ParserFree);
    if (!p) return false;
    XML_SetUserData(p.get(), &ctx);
    XML_SetElementHandler(
        p.get(),
        [](void* u, const XML_Char* name, const XML_Char** attrs) {
            static_cast<Ctx*>(u)->start(std::string_view(name), attrs);
        },
        [](void* u, const XML_Char* name) { static_cast<Ctx*>(u)->end(std::string_view(name)); });
    XML_SetCharacterDataHandler(p.get(), [](void* u, const XML_Char* s, int len) {
        static_cast<Ctx*>(u)->text(std::string_view(s, static_cast<size_t>(len)));
    });
    return XML_Parse(p.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_OK;
}

const char* attr(const XML_Char** attrs, std::string_view name) {
    for (size_t i = 0; attrs[i]; i += 2)
        if (name == attrs[i]) return attrs[i + 1];
    return nullptr;
}

/// The local name of a possibly prefixed element ("x:row" → "row").
std::string_view local(std::string_view name) {
    const size_t colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

/// "C7" → column 2 (from 0); -1 when it names none.
int column_of(const char* ref) {
    if (!ref) return -1;
    int col = 0;
    bool any = false;
    for (; *ref >= 'A' && *ref <= 'Z'; ++ref) {
        col = col * 26 + (*ref - 'A' + 1);
        any = true;
        if (col > 16384) return -1;
    }
    return any ? col - 1 : -1;
}

/// The path of the workbook's first sheet (xl/worksheets/sheet1.xml when the package says
/// nothing else).
std::string first_sheet(zip_t* zip, std::string& error) {
    std::string rid;
    if (auto wb = part(zip, "xl/workbook.xml", error))
        parse_xml(
            *wb,
            [&](std::string_view name, const XML_Char** attrs) {
                if (local(name) == "sheet" && rid.empty())
                    for (size_t i = 0; attrs[i]; i += 2)
                        if (local(attrs[i]) == "id") rid = attrs[i + 1];
            },
            [](std::string_view) {}, [](std::string_view) {});
    std::string target;
    if (auto rels = part(zip, "xl/_rels/workbook.xml.rels", error); rels && !rid.empty())
        parse_xml(
            *rels,
            [&](std::string_view name, const XML_Char** attrs) {
                const char* id = attr(attrs, "Id");
                const char* t = attr(attrs, "Target");
                if (local(name) == "Relationship" && id && t && rid == id) target = t;
            },
            [](std::string_view) {}, [](std::string_view) {});
    if (target.empty()) return "xl/worksheets/sheet1.xml";
    if (target.front() == '/') return target.substr(1);
    return "xl/" + target;
}

/// xl/sharedStrings.xml: the text of each <si>, its runs (<r><t>) joined; false when it is
/// there and no XML (a missing part is an empty list; `error` says when it is too large).
bool shared_strings(zip_t* zip, std::vector<std::string>& shared, std::string& error) {
    if (auto ss = part(zip, "xl/sharedStrings.xml", error)) {
        bool in_t = false, in_rph = false;
        const bool ok = parse_xml(
            *ss,
            [&](std::string_view name, const XML_Char**) {
                const auto n = local(name);
                if (n == "si") shared.emplace_back();
                if (n == "rPh") in_rph = true;  // phonetic hints are no part of the text
                if (n == "t") in_t = true;
            },
            [&](std::string_view name) {
                const auto n = local(name);
                if (n == "t") in_t = false;
                if (n == "rPh") in_rph = false;
            },
            [&](std::string_view s) {
                if (in_t && !in_rph && !shared.empty() && shared.back().size() < 32768)
                    shared.back() += s;
            });
        if (!ok) return false;
    }
    return true;
}

/// The sheet's cells: <row r="7"><c r="B7" t="s"><v>3</v></c> ...; t="inlineStr":
/// <is><t>...</t></is>. `too_big`: a value beyond the rows and columns a formatie has.
bool read_cells(const std::string& xml, const std::vector<std::string>& shared, Sheet& sheet,
                bool& too_big) {
    std::vector<std::vector<std::string>>& rows = sheet.rows;
    int row = -1, col = -1;
    std::string type, value;
    bool in_value = false;
    return parse_xml(
        xml,
        [&](std::string_view name, const XML_Char** attrs) {
            const auto n = local(name);
            if (n == "row") {
                const char* r = attr(attrs, "r");
                row = r ? std::atoi(r) - 1 : row + 1;
                col = -1;
            } else if (n == "c") {
                const int c = column_of(attr(attrs, "r"));
                col = c >= 0 ? c : col + 1;
                const char* t = attr(attrs, "t");
                type = t ? t : "";
                value.clear();
            } else if (n == "v" || n == "t") {
                in_value = true;
            }
        },
        [&](std::string_view name) {
            const auto n = local(name);
            if (n == "v" || n == "t") in_value = false;
            if (n != "c" || row < 0 || col < 0) return;
            if (static_cast<size_t>(row) >= kMaxRows || static_cast<size_t>(col) >= kMaxColumns) {
                too_big = too_big || !value.empty();
                return;
            }
            std::string text = value;
            if (type == "s") {
                char* end = nullptr;
                const long k = std::strtol(value.c_str(), &end, 10);
                text = end && *end == '\0' && k >= 0 && static_cast<size_t>(k) < shared.size()
                           ? shared[static_cast<size_t>(k)]
                           : std::string();
            }
            if (text.empty()) return;
            if (rows.size() <= static_cast<size_t>(row)) rows.resize(static_cast<size_t>(row) + 1);
            auto& cells = rows[static_cast<size_t>(row)];
            if (cells.size() <= static_cast<size_t>(col))
                cells.resize(static_cast<size_t>(col) + 1);
            cells[static_cast<size_t>(col)] = std::move(text);
        },
        [&](std::string_view s) {
            if (in_value && value.size() < 32768) value += s;
        });
}

}  // namespace

XlsxRead read_xlsx(std::string_view bytes) {
    XlsxRead out;
    const char* not_xlsx =
        "dit is geen .xlsx-bestand; bewaar het in Excel als 'Excel-werkmap (.xlsx)' of als CSV";
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerr);
    if (!src) {
        zip_error_fini(&zerr);
        out.error = not_xlsx;
        return out;
    }
    std::unique_ptr<zip_t, ZipCloser> zip(zip_open_from_source(src, ZIP_RDONLY, &zerr));
    zip_error_fini(&zerr);
    if (!zip) {
        zip_source_free(src);
        out.error = not_xlsx;
        return out;
    }
    std::string error;
    // Shared strings: the text of each <si>, its runs (<r><t>) joined.
    std::vector<std::string> shared;
    if (!shared_strings(zip.get(), shared, error)) {
        out.error = not_xlsx;
        return out;
    }
    if (!error.empty()) {
        out.error = error;
        return out;
    }
    const std::string sheet_path = first_sheet(zip.get(), error);
    auto sheet = part(zip.get(), sheet_path, error);
    if (!sheet) {
        out.error = error.empty() ? not_xlsx : error;
        return out;
    }
    bool too_big = false;
    const bool ok = read_cells(*sheet, shared, out.sheet, too_big);
    if (!ok) {
        out.sheet.rows.clear();
        out.error = not_xlsx;
    } else if (too_big) {
        out.sheet.rows.clear();
        out.error =
            "het bestand is te groot voor een formatie (hoogstens 5000 rijen en 64 kolommen)";
    }
    return out;
}

}  // namespace jk::imports
