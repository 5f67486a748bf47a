// Fuzz target: the formatie's spreadsheet readers (a CSV file, or an .xlsx unpacked with libzip
// and read with expat) and the row checks after them. Nothing may crash, hang or leak, and every
// problem is explained.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "import/xlsx_reader.hpp"
#include "jaarkalender/formatie.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    jk::Sheet sheet;
    if (bytes.substr(0, 2) == "PK") {
        auto read = jk::imports::read_xlsx(bytes);
        if (!read.error.empty()) return 0;
        sheet = std::move(read.sheet);
    } else {
        sheet = jk::read_csv(bytes);
    }
    const jk::Formatie f = jk::read_formatie(sheet);
    for (const auto& e : f.errors)
        if (e.message.empty() || e.row < 1) __builtin_trap();
    // What is read goes through its stored form and back unchanged.
    const auto rows = jk::formatie_rows_from_json(jk::formatie_rows_json(f.rows));
    if (rows.size() != f.rows.size()) __builtin_trap();
    for (const auto& r : f.rows)
        for (int g : jk::grades_from_name(r.group))
            if (g < 1 || g > 8) __builtin_trap();
    return 0;
}
