// HTTP dates (RFC 9110 section 5.6.7: IMF-fixdate), as seconds since the epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jk::daemon {

/// "Sun, 22 Nov 2026 08:00:00 GMT".
std::string format_http_date(std::int64_t epoch_seconds);
/// IMF-fixdate only (what every current client sends); nullopt otherwise.
std::optional<std::int64_t> parse_http_date(std::string_view s);
/// "2026-11-22T08:00:00Z".
std::string format_utc_iso(std::int64_t epoch_seconds);

}  // namespace jk::daemon
