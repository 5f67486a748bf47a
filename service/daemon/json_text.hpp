// Stored JSON text read back: an object or nothing, and one of its strings. For the daemon's
// own records (input versions, change records), where a malformed text is a finding, not a
// crash.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

namespace jk::daemon {

inline std::optional<boost::json::object> json_object_of(const std::string& text) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.get_object());
}

/// The string at `key`, "" when it is absent or not a string.
inline std::string json_string_of(const boost::json::object& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
}

}  // namespace jk::daemon
