// A QR code as inline SVG (libqrencode): a phone scans the subscribe link instead of copying it.
#pragma once

#include <string>
#include <string_view>

namespace jk::daemon::web {

/// `text` as a QR code (error correction M, a 4-module quiet zone): one <svg> with one <path>,
/// `label` as its accessible name. Empty when the text does not fit in a QR code.
std::string qr_svg(std::string_view text, std::string_view label);

}  // namespace jk::daemon::web
