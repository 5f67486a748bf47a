// Routes as a table: a method and a path pattern per handler, matched in order, instead of an
// if-chain with hand-counted offsets. A pattern's segments are literal, or "{}" for one segment,
// or a last "{...}" for the rest of the path (one or more segments); what they match is handed
// to the handler in order.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace jk::daemon {

/// What a pattern's "{}" and "{...}" matched, in order.
using PathArgs = std::vector<std::string_view>;

/// `path` against `pattern` ("/wijzigingen/{}/ongedaan", "/afspraak/{...}"); none when it does not
/// match. Literal segments compare exactly; an empty segment matches no "{}".
inline std::optional<PathArgs> match_path(std::string_view pattern, std::string_view path) {
    PathArgs args;
    while (!pattern.empty()) {
        if (path.empty() || pattern.front() != '/' || path.front() != '/') return std::nullopt;
        pattern.remove_prefix(1);
        path.remove_prefix(1);
        const auto pe = pattern.find('/');
        const std::string_view want = pattern.substr(0, pe);
        if (want == "{...}") {
            if (path.empty()) return std::nullopt;
            args.push_back(path);
            return args;
        }
        const auto se = path.find('/');
        const std::string_view got = path.substr(0, se);
        if (want == "{}") {
            if (got.empty()) return std::nullopt;
            args.push_back(got);
        } else if (want != got) {
            return std::nullopt;
        }
        pattern = pe == std::string_view::npos ? std::string_view() : pattern.substr(pe);
        path = se == std::string_view::npos ? std::string_view() : path.substr(se);
    }
    if (!path.empty()) return std::nullopt;
    return args;
}

/// One route: `method` "GET" (HEAD too), "POST", or "" for any; the handler gets the request's
/// context `C` and what the pattern matched.
template <class C, class R>
struct Route {
    std::string_view method;
    std::string_view pattern;
    R (*handle)(C& context, const PathArgs& args);
};

/// The first route of `table` that matches (method and path), called; none when no route does.
/// A "GET" route answers HEAD too, unless `head_is_get` is false.
template <class C, class R>
std::optional<R> dispatch(std::span<const Route<C, R>> table, std::string_view method,
                          std::string_view path, C& context, bool head_is_get = true) {
    for (const auto& route : table) {
        const bool method_ok = route.method.empty() || route.method == method ||
                               (head_is_get && route.method == "GET" && method == "HEAD");
        if (!method_ok) continue;
        if (auto args = match_path(route.pattern, path)) return route.handle(context, *args);
    }
    return std::nullopt;
}

}  // namespace jk::daemon
