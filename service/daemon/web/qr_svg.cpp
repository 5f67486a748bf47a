#include "daemon/web/qr_svg.hpp"

#include <qrencode.h>

#include <memory>

#include "daemon/web/html.hpp"

namespace jk::daemon::web {

std::string qr_svg(std::string_view text, std::string_view label) {
    const std::string data(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(data.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) return {};
    const int n = code->width, quiet = 4, size = n + 2 * quiet;
    // One path of unit squares, each dark module "M x yh1v1h-1z": crisp at any scale, and no
    // inline style for the CSP (fill is an attribute).
    std::string path;
    path.reserve(static_cast<size_t>(n) * static_cast<size_t>(n) * 8);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (code->data[y * n + x] & 1)
                path +=
                    "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    const std::string s = std::to_string(size);
    return "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
           "\" width=\"200\" height=\"200\" role=\"img\" aria-label=\"" + html_escape(label) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
           "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace jk::daemon::web
