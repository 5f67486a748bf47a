#include "text.hpp"

#include <cctype>
#include <cstring>

namespace jk {

std::string join_names(const std::vector<std::string>& names) {
    std::string s;
    for (size_t i = 0; i < names.size(); ++i) {
        if (i > 0) s += (i + 1 == names.size()) ? " en " : ", ";
        s += names[i];
    }
    return s;
}

std::string join_names(const std::vector<std::string>& names, size_t max) {
    if (max == 0 || names.size() <= max) return join_names(names);
    std::string out;
    for (size_t i = 0; i < max; ++i) out += (i ? ", " : "") + names[i];
    return out + " en " + std::to_string(names.size() - max) + " anderen";
}

std::string percent(int part, int whole) {
    if (whole == 0) return "–";
    return std::to_string((part * 100 + whole / 2) / whole) + "%";
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string substitute(const std::string& pattern,
                       const std::vector<std::pair<std::string, std::string>>& values) {
    std::string out;
    out.reserve(pattern.size() + 32);
    for (size_t i = 0; i < pattern.size();) {
        if (pattern[i] == '{') {
            size_t close = pattern.find('}', i + 1);
            if (close != std::string::npos) {
                const std::string key = pattern.substr(i + 1, close - i - 1);
                bool found = false;
                for (const auto& [k, v] : values)
                    if (k == key) {
                        out += v;
                        found = true;
                        break;
                    }
                if (found) {
                    i = close + 1;
                    continue;
                }
            }
        }
        out += pattern[i++];
    }
    return out;
}

std::string without_controls(std::string_view s, bool keep_newlines) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0x7f || (c < 0x20 && !(keep_newlines && c == '\n'))) continue;
        out += ch;
    }
    return out;
}

std::string plain_title(std::string t) {
    for (size_t open; (open = t.find('{')) != std::string::npos;) {
        const size_t close = t.find('}', open);
        t.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
    }
    for (const char* empty : {"()", "( )"})
        for (size_t at; (at = t.find(empty)) != std::string::npos;) t.erase(at, std::strlen(empty));
    for (size_t at; (at = t.find("  ")) != std::string::npos;) t.erase(at, 1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '-' || t.back() == ':')) t.pop_back();
    while (!t.empty() && t.front() == ' ') t.erase(0, 1);
    return t;
}

std::string slug_id(std::string_view name, std::string_view fallback,
                    const std::function<bool(const std::string&)>& taken) {
    std::string slug;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u))
            slug += static_cast<char>(std::tolower(u));
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    if (slug.empty()) slug = fallback;
    std::string id = slug;
    for (int n = 2; taken(id); ++n) id = slug + "-" + std::to_string(n);
    return id;
}

}  // namespace jk
