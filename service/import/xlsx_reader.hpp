// The first sheet of an .xlsx as text cells (jaarkalender/formatie.hpp's Sheet), read with the
// libraries made for it: libzip for the package, expat for its XML. What Excel, LibreOffice,
// openpyxl and libxlsxwriter write: shared strings, inline strings, numbers.
#pragma once

#include <string>
#include <string_view>

#include "jaarkalender/formatie.hpp"

namespace jk::imports {

/// The first sheet's cells, or why there are none.
struct XlsxRead {
    Sheet sheet;
    std::string error;  // Dutch; empty when read
};

/// The first sheet's cells; an error when the bytes are no .xlsx a school could have made, or
/// larger than a formatie can be (a zip bomb is refused by its unpacked size).
XlsxRead read_xlsx(std::string_view bytes);

}  // namespace jk::imports
