// What the store's parts share (sql_store.cpp, outbox_store.cpp): running work on a session with
// the access it needs, reading rows, and the words enums are stored as. Internal to store/.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "daemon/store/sql.hpp"

namespace jk::daemon::sql {

/// A stored word read back as its enum; the tables' CHECK constraints allow no other.
template <class E>
E stored(std::optional<E> value, const char* column, const std::string& word) {
    if (!value) throw StoreError("onbekende waarde '" + word + "' in " + column);
    return *value;
}

/// Every row of a result through `row`.
template <class T>
std::vector<T> all(Rows r, T (*row)(Rows&, int)) {
    std::vector<T> out;
    out.reserve(r.cells.size());
    for (int i = 0; i < r.size(); ++i) out.push_back(row(r, i));
    return out;
}
/// The first row through `row`, if any.
template <class T>
std::optional<T> first(Rows r, T (*row)(Rows&, int)) {
    if (r.empty()) return std::nullopt;
    return row(r, 0);
}

inline std::string with_where(const char* columns, const char* rest) {
    return std::string(columns) + " " + rest;
}

inline long long ll(std::int64_t v) {
    return static_cast<long long>(v);
}

/// Runs `f` on a session of `b` with this access, and returns what it returns.
template <class F>
auto on(Backend& b, Access access, F&& f) {
    using R = std::invoke_result_t<F&, Session&>;
    if constexpr (std::is_void_v<R>) {
        b.with(access, [&](Session& s) { f(s); });
    } else {
        std::optional<R> out;
        b.with(access, [&](Session& s) { out.emplace(f(s)); });
        return std::move(*out);
    }
}
template <class F>
auto read(Backend& b, F&& f) {
    return on(b, Access::read, std::forward<F>(f));
}
template <class F>
auto write(Backend& b, F&& f) {
    return on(b, Access::write, std::forward<F>(f));
}
template <class F>
auto tx(Backend& b, F&& f) {
    return on(b, Access::transaction, std::forward<F>(f));
}

/// An enum's stored words, in one table per enum: each value's word, and a word read back.
template <class E, std::size_t N>
struct Words {
    std::array<std::pair<E, std::string_view>, N> pairs;
    [[nodiscard]] constexpr std::string_view of(E value) const {
        for (const auto& [e, w] : pairs)
            if (e == value) return w;
        return pairs[0].second;
    }
    [[nodiscard]] constexpr std::optional<E> parse(std::string_view word) const {
        for (const auto& [e, w] : pairs)
            if (w == word) return e;
        return std::nullopt;
    }
};

}  // namespace jk::daemon::sql
