// A quoted string for JSON and for TOML's basic strings, whose escapes are the same.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jk {

/// Appends a JSON string literal, escaped as Boost.JSON's serializer escapes it (the bytes stay
/// the same), without a serializer and a temporary string per key and value: plan_to_json runs
/// with every change on a daemon that shares its plans (docs/deploy.md). With `escape_delete`
/// it is a TOML basic string (TOML escapes DEL too).
inline void append_quoted(std::string& out, std::string_view s, bool escape_delete = false) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    size_t run = 0;  // start of the bytes not yet copied
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && (c != 0x7f || !escape_delete)) continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 15];
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

}  // namespace jk
