// The HTTP server (Boost.Beast on Boost.Asio). Beast is confined to http_server.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "daemon/services.hpp"

namespace jk::daemon {

struct ServerOptions {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;  // 0: an ephemeral port (tests)
    int threads = 4;
    /// A client that sends no complete request in this time is disconnected (slow clients).
    std::chrono::seconds read_timeout{30};
    /// A connection must deliver a whole request header this soon after it opens or after its
    /// previous response (the keep-alive wait): silent connections do not hold descriptors.
    std::chrono::seconds header_timeout{10};
    /// Open connections at most; also kept below the descriptor limit (RLIMIT_NOFILE) with
    /// room for the store, the folder watch and SMTP. Idle connections are closed first.
    int max_connections = 10000;
    /// Addresses of the TLS proxy in front (nginx): only from these is X-Forwarded-For read as
    /// the client's address.
    std::vector<std::string> trusted_proxies;
    std::chrono::seconds write_timeout{30};
    /// On SIGTERM, requests in flight get this long to finish before the server stops.
    std::chrono::seconds shutdown_grace{10};
    /// After a change in the calendars folder, wait this long for more before re-planning
    /// (an editor saves in several steps).
    std::chrono::milliseconds watch_debounce{300};
    /// One log line per request: method, route, status, duration.
    bool access_log = false;
};

class HttpServer {
  public:
    HttpServer(ServerOptions options, Services& services);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and listens; throws std::system_error when the address is unusable.
    void listen();
    /// The bound port (after listen()).
    [[nodiscard]] unsigned short port() const;
    /// Serves until SIGTERM/SIGINT (graceful) or stop(). SIGHUP reloads every school.
    void run();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jk::daemon
