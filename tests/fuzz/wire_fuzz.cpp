// Fuzz target: the bytes of a connection as the server reads them. Boost.Beast's request parser
// with the server's limits (header, body, and the bounded read buffer), fed in the pieces a
// socket delivers, and the server's framing check on every header (Transfer-Encoding, Content-
// Length, Host). Chunked bodies with extensions and trailers, repeated headers and pipelined
// requests are the cases it exists for: no input may make the buffer or a body outgrow its
// limit, and no input may crash.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "daemon/http/routes.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;

/// What one read of a socket delivers at most (the server's reads are larger; small pieces
/// reach more of the parser's states).
constexpr std::size_t kPiece = 512;

jk::daemon::HttpRequest header_of(const http::request<http::string_body>& req) {
    jk::daemon::HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto& f : req) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    beast::flat_buffer buffer(jk::daemon::kMaxReadBufferBytes);
    std::size_t pos = 0;
    for (int request = 0; request < 8; ++request) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(jk::daemon::kMaxBodyBytes);
        parser.header_limit(static_cast<std::uint32_t>(jk::daemon::kMaxHeaderBytes));
        bool framing_checked = false;
        beast::error_code ec;
        while (!parser.is_done()) {
            if (buffer.size() == 0 || ec == http::error::need_more) {
                if (pos >= size) return 0;  // the client stopped sending
                const std::size_t room = buffer.max_size() - buffer.size();
                if (room == 0) return 0;  // buffer_overflow: the server answers 400 and closes
                const std::size_t n = std::min({kPiece, size - pos, room});
                auto space = buffer.prepare(n);
                std::memcpy(space.data(), data + pos, n);
                buffer.commit(n);
                pos += n;
            }
            ec = {};
            buffer.consume(parser.put(buffer.data(), ec));
            if (buffer.size() > jk::daemon::kMaxReadBufferBytes) __builtin_trap();
            if (ec && ec != http::error::need_more) return 0;  // 4xx and close
            if (parser.is_header_done() && !framing_checked) {
                framing_checked = true;
                if (!jk::daemon::framing_error(header_of(parser.get())).empty()) return 0;
            }
        }
        if (parser.get().body().size() > jk::daemon::kMaxBodyBytes) __builtin_trap();
        if (!parser.keep_alive()) return 0;
    }
    return 0;
}
