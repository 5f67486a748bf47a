// Internal: reading toml++ tables into the model with a diagnostic, at the right position, for
// every wrong type, missing key and unknown key. Only loader.cpp and official_holidays.cpp
// include this (toml++ is heavy; it stays out of the public headers).
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "jaarkalender/date.hpp"
#include "jaarkalender/diagnostics.hpp"
#include "jaarkalender/model.hpp"

namespace jk::detail {

/// One file being read: its path and the diagnostics sink.
class FileContext {
  public:
    FileContext(std::string path, Diagnostics& diags) : path_(std::move(path)), diags_(diags) {}

    void error(const toml::source_region& where, std::string message) const {
        diags_.error(path_, static_cast<int>(where.begin.line),
                     static_cast<int>(where.begin.column), std::move(message));
    }
    void error(const SourcePos& where, std::string message) const {
        diags_.error(path_, where.line, where.column, std::move(message));
    }
    void warning(const toml::source_region& where, std::string message) const {
        diags_.warning(path_, static_cast<int>(where.begin.line),
                       static_cast<int>(where.begin.column), std::move(message));
    }
    void warning(const SourcePos& where, std::string message) const {
        diags_.warning(path_, where.line, where.column, std::move(message));
    }
    [[nodiscard]] SourcePos pos(const toml::source_region& where) const {
        return SourcePos{path_, static_cast<int>(where.begin.line),
                         static_cast<int>(where.begin.column)};
    }
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    std::string path_;
    Diagnostics& diags_;
};

inline std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

inline std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string s;
    for (const auto& i : items) {
        if (!s.empty()) s += sep;
        s += i;
    }
    return s;
}

/// Dutch name of a TOML type, for "verwacht een tekst, maar vond een getal".
inline std::string_view type_name_nl(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::string:
            return "tekst";
        case toml::node_type::integer:
            return "geheel getal";
        case toml::node_type::floating_point:
            return "kommagetal";
        case toml::node_type::boolean:
            return "true/false";
        case toml::node_type::date:
            return "datum";
        case toml::node_type::time:
            return "tijd";
        case toml::node_type::date_time:
            return "datum met tijd";
        case toml::node_type::array:
            return "lijst";
        case toml::node_type::table:
            return "tabel";
        default:
            return "onbekend";
    }
}

/// Reads the keys of one table; reports every key it was not asked about as unknown.
class TableReader {
  public:
    TableReader(const FileContext& ctx, const toml::table& table, std::string where,
                std::vector<std::string> allowed)
        : ctx_(ctx), table_(table), where_(std::move(where)), allowed_(std::move(allowed)) {}

    TableReader(const TableReader&) = delete;
    TableReader& operator=(const TableReader&) = delete;
    ~TableReader() { check_unknown(); }

    [[nodiscard]] const toml::table& table() const { return table_; }
    [[nodiscard]] const FileContext& ctx() const { return ctx_; }
    [[nodiscard]] const std::string& where() const { return where_; }
    [[nodiscard]] SourcePos pos() const { return ctx_.pos(table_.source()); }

    [[nodiscard]] bool has(std::string_view key) const { return table_.contains(key); }
    [[nodiscard]] const toml::node* node(std::string_view key) const { return table_.get(key); }

    /// A required key that is missing.
    void missing(std::string_view key, std::string_view what) const {
        ctx_.error(table_.source(), where_ + ": de sleutel '" + std::string(key) + "' ontbreekt (" +
                                        std::string(what) + ")");
    }

    void type_error(const toml::node& n, std::string_view key, std::string_view expected) const {
        ctx_.error(n.source(), "'" + std::string(key) + "' moet een " + std::string(expected) +
                                   " zijn, maar is een " + std::string(type_name_nl(n)));
    }

    std::optional<std::string> string(std::string_view key, bool required = false,
                                      std::string_view what = "tekst") const {
        const toml::node* n = node(key);
        if (!n) {
            if (required) missing(key, what);
            return std::nullopt;
        }
        if (auto v = n->value<std::string>(); v && n->is_string()) return *v;
        type_error(*n, key, "tekst");
        return std::nullopt;
    }

    std::optional<std::int64_t> integer(std::string_view key, bool required = false,
                                        std::string_view what = "geheel getal") const {
        const toml::node* n = node(key);
        if (!n) {
            if (required) missing(key, what);
            return std::nullopt;
        }
        if (n->is_integer()) return n->as_integer()->get();
        type_error(*n, key, "geheel getal");
        return std::nullopt;
    }

    std::optional<bool> boolean(std::string_view key) const {
        const toml::node* n = node(key);
        if (!n) return std::nullopt;
        if (n->is_boolean()) return n->as_boolean()->get();
        type_error(*n, key, "true of false");
        return std::nullopt;
    }

    std::optional<Date> date(std::string_view key, bool required = false) const {
        const toml::node* n = node(key);
        if (!n) {
            if (required) missing(key, "een datum JJJJ-MM-DD");
            return std::nullopt;
        }
        return date_of(*n, key);
    }

    /// A TOML local date, or a string `YYYY-MM-DD`.
    std::optional<Date> date_of(const toml::node& n, std::string_view key) const {
        if (n.is_date()) {
            const toml::date& d = n.as_date()->get();
            auto r = parse_date(format_ymd(d.year, d.month, d.day));
            if (r) return r;
        } else if (n.is_string()) {
            if (auto r = parse_date(n.as_string()->get())) return r;
            ctx_.error(n.source(), "'" + std::string(key) + "': '" + n.as_string()->get() +
                                       "' is geen geldige datum; schrijf JJJJ-MM-DD, "
                                       "bijvoorbeeld 2026-10-05");
            return std::nullopt;
        }
        type_error(n, key, "datum (JJJJ-MM-DD)");
        return std::nullopt;
    }

    /// An array whose every element is read by `f(node, index)`.
    template <class F>
    bool array(std::string_view key, F&& f, bool required = false,
               std::string_view what = "lijst") const {
        const toml::node* n = node(key);
        if (!n) {
            if (required) missing(key, what);
            return false;
        }
        const toml::array* a = n->as_array();
        if (!a) {
            type_error(*n, key, "lijst [ ... ]");
            return false;
        }
        size_t i = 0;
        for (const toml::node& el : *a) f(el, i++);
        return true;
    }

    std::optional<std::vector<std::string>> strings(std::string_view key,
                                                    bool required = false) const {
        std::vector<std::string> out;
        bool ok = true;
        bool present = array(
            key,
            [&](const toml::node& el, size_t) {
                if (el.is_string())
                    out.push_back(el.as_string()->get());
                else {
                    ok = false;
                    type_error(el, key, "tekst");
                }
            },
            required);
        if (!present || !ok) return std::nullopt;
        return out;
    }

  private:
    static std::string format_ymd(int y, int m, int d) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return buf;
    }

    void check_unknown() const {
        for (auto&& [k, v] : table_) {
            std::string key(k.str());
            if (std::find(allowed_.begin(), allowed_.end(), key) != allowed_.end()) continue;
            std::string msg = "onbekende sleutel '" + key + "' in " + where_;
            std::string near = closest_match(key, allowed_);
            if (!near.empty())
                msg += "; bedoelde je '" + near + "'?";
            else
                msg += "; toegestaan zijn: " + join(allowed_);
            ctx_.error(k.source(), msg);
        }
    }

    const FileContext& ctx_;
    const toml::table& table_;
    std::string where_;
    std::vector<std::string> allowed_;
};

/// Parses TOML text; a syntax error becomes one diagnostic with its position.
inline std::optional<toml::table> parse_toml(std::string_view text, const std::string& path,
                                             Diagnostics& diags) {
    try {
        return toml::parse(text, std::string_view(path));
    } catch (const toml::parse_error& e) {
        diags.error(path, static_cast<int>(e.source().begin.line),
                    static_cast<int>(e.source().begin.column),
                    std::string("ongeldige TOML: ") + std::string(e.description()));
        return std::nullopt;
    }
}

}  // namespace jk::detail
