// Server-rendered HTML: escaping and the one page layout every page shares (Dutch, no
// JavaScript needed, readable at 360 pixels wide).
#pragma once

#include <string>
#include <string_view>

#include "daemon/http/http_types.hpp"
#include "text.hpp"

namespace jk::daemon {

using jk::html_escape;  // service/core/text.hpp

/// A whole page around `body_html`, with security headers (CSP without scripts, no framing,
/// no referrer) and `Cache-Control: no-store`.
HttpResponse html_page(int status, const std::string& title, const std::string& body_html,
                       const std::string& nav_html = {});

/// The stylesheet (served at /static/jk.css, cached).
const std::string& stylesheet();

}  // namespace jk::daemon
