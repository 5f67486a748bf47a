// Requests and responses as the routes see them: plain values, so that routes are tested
// without sockets and Boost.Beast stays in http_server.cpp.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace jk::daemon {

struct HttpRequest {
    std::string method;                                        // "GET", "HEAD", ...
    std::string target;                                        // "/feeds/abc.ics?x=1"
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::string body;

    [[nodiscard]] const std::string* header(std::string_view lower_name) const {
        for (const auto& [k, v] : headers)
            if (k == lower_name) return &v;
        return nullptr;
    }
};

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// A large immutable body (a feed), sent without copying; used instead of `body` when set.
    std::shared_ptr<const std::string> shared_body;
    /// For HEAD: the headers (with the Content-Length of `body`) but no body on the wire.
    bool omit_body = false;
};

}  // namespace jk::daemon
