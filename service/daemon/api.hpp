// The tracking API (/api/v1, docs/api.md): JSON, personal bearer tokens, rights by role.
#pragma once

#include "daemon/http_types.hpp"
#include "daemon/service.hpp"

namespace jk::daemon {

/// Answers a request under /api/v1. `route` is set for metrics.
HttpResponse handle_api(const HttpRequest& req, const Snapshot& snapshot, ApiBackend& backend);

}  // namespace jk::daemon
