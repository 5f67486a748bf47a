// The routes: a function from (request, snapshot) to response, as Boost.Beast's examples shape
// it, with the session code apart (http_server.cpp).
#pragma once

#include "daemon/http/http_types.hpp"
#include "daemon/services.hpp"

namespace jk::daemon {

/// Largest request body accepted (bytes); larger ones get 413 before they are read.
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;
/// Largest request header block accepted (bytes).
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
/// Most bytes a client can make the read buffer hold: one header block and one read's worth
/// beside it. A chunk-size line with an endless extension, or a trailer that never ends, stops
/// here (Beast's `buffer_overflow`: 400 and close) instead of growing the buffer without bound;
/// a body is moved into its own limited string as it arrives.
inline constexpr std::size_t kMaxReadBufferBytes = kMaxHeaderBytes + 8 * 1024;

struct RouteResult {
    HttpResponse response;
    /// The route (for metrics and logs): "/feeds", "/healthz", ...
    std::string route;
    /// A well-formed feed token that no subscription has: the caller may refresh
    /// subscriptions from the store and ask once more.
    bool unknown_token = false;
    std::string token_hash;  // with unknown_token
};

/// `metrics` and `api` may be null (then /metrics and /api/v1 are 404).
RouteResult handle_request(const HttpRequest& req, const Snapshot& snapshot,
                           const Metrics* metrics = nullptr, Services* api = nullptr);

}  // namespace jk::daemon
