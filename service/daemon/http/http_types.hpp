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
    /// The client's address ("127.0.0.1"), for per-client throttles; empty in tests.
    std::string remote;

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

/// Whether a request's framing may be trusted (RFC 9112 §6): a message body is delimited by
/// Content-Length or by a Transfer-Encoding whose last coding is `chunked`, never by both, and
/// a request names one Host. Returns an empty string when it may, else why not (for the log);
/// the server then answers 400 and closes the connection, because the bytes after such a
/// header cannot be known to be the next request.
std::string framing_error(const HttpRequest& header);

/// True when a header value we write holds no control bytes (CR and LF would split the
/// response; RFC 9110 §5.5 allows only visible characters, spaces and tabs).
bool safe_header_value(std::string_view value);

}  // namespace jk::daemon
