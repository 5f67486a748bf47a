// Internal: what the readers of school.toml and rules.toml share (loader.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jaarkalender/model.hpp"
#include "toml_reader.hpp"

namespace jk::detail {

extern const std::vector<std::string> kWeekdayKeys;

/// An id: lower-case letters, digits and dashes (the spec's slug).
bool is_slug(std::string_view s);
/// The table's `id` key: required, a slug; empty (and reported) when not.
std::string read_id(const TableReader& t, std::string_view what);
std::optional<WeekdaySet> read_weekdays(const TableReader& t, std::string_view key, bool required);
std::optional<std::vector<int>> read_grades(const TableReader& t, std::string_view key);
std::optional<DateRange> read_from_to(const TableReader& t);

template <class F>
void for_each_table(const TableReader& parent, std::string_view key, F&& f) {
    parent.array(key, [&](const toml::node& n, size_t i) {
        if (const toml::table* t = n.as_table())
            f(*t, i);
        else
            parent.type_error(n, key, "tabel");
    });
}

}  // namespace jk::detail
