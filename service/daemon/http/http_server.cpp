// Boost.Beast sessions as C++20 coroutines: one coroutine per connection, explicit limits on
// header and body size, a timeout on every read and write, keep-alive, and graceful shutdown
// (stop accepting, let requests in flight finish, then stop the threads).
#include "daemon/http/http_server.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cstring>
#include <filesystem>
#include <list>
#include <thread>
#include <vector>

#include "daemon/http/routes.hpp"

namespace jk::daemon {
namespace {

/// A write that stored nothing and may be tried again after `seconds`: as JSON on the API, as
/// text elsewhere, with Retry-After.
HttpResponse try_again(const HttpRequest& request, int status, int seconds, const char* why) {
    HttpResponse r;
    r.status = status;
    const std::string after = std::to_string(seconds);
    if (request.target.rfind("/api/", 0) == 0) {
        r.headers = {{"Content-Type", "application/json"}, {"Retry-After", after}};
        r.body = std::string("{\"error\":\"") + why + "\"}\n";
    } else {
        r.headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Retry-After", after}};
        r.body = std::string(why) + "\n";
    }
    return r;
}

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

/// Most bytes handed to one send: a whole-year school feed (over 100 KB) goes out in pieces no
/// larger than the receive window Linux starts a connection with (tcp_rmem: 128 KiB). One send
/// past the peer's window leaves its tail queued in the kernel until acknowledgements come back;
/// on loopback that cost the daemon 70 % more CPU per feed (bench/feeds). Smaller pieces cost a
/// send each for feeds that fit anyway (83 KB: 20 % more CPU with 64 KiB).
constexpr std::size_t kMaxBytesPerSend = 128 * 1024;

/// Descriptors kept free of connections: the store, the folder watch, SMTP connections, logs.
/// Without them, a full descriptor table leaves accept() failing with EMFILE while /healthz
/// goes unanswered.
constexpr long kReservedDescriptors = 64;
/// Past the soft cap (this many below the hard one) every new connection makes one idle
/// connection close, so that a flood of silent connections cannot keep others out.
constexpr int kSheddingHeadroom = 16;

/// The connection cap this process can hold: `wanted`, but never closer to the descriptor
/// limit than kReservedDescriptors. Raises the soft descriptor limit to the hard one first.
int connection_cap(int wanted) {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return wanted;
    if (rl.rlim_cur < rl.rlim_max) {
        rlimit raised = rl;
        raised.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
    }
    if (rl.rlim_cur == RLIM_INFINITY) return wanted;
    const long usable = static_cast<long>(rl.rlim_cur) - kReservedDescriptors;
    return static_cast<int>(std::clamp<long>(usable, kSheddingHeadroom + 1, wanted));
}

HttpRequest to_request(const http::request<http::string_body>& req, const std::string& remote) {
    HttpRequest r;
    r.remote = remote;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto& f : req) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    r.body = req.body();
    return r;
}

/// The client a trusted proxy names: the last address of X-Forwarded-For (the one the proxy
/// itself appended; earlier ones are the client's own word), else the proxy's.
std::string forwarded_client(const http::request<http::string_body>& req,
                             const std::string& proxy) {
    const auto it = req.find("x-forwarded-for");
    if (it == req.end()) return proxy;
    std::string_view v = it->value();
    if (const auto comma = v.rfind(','); comma != std::string_view::npos)
        v.remove_prefix(comma + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    beast::error_code ec;
    const auto address = asio::ip::make_address(std::string(v), ec);
    return ec ? proxy : address.to_string();
}

/// A plain answer to a request that is not served (malformed, too large, refused framing).
http::response<http::string_body> refusal(int status, unsigned version) {
    http::response<http::string_body> res{static_cast<http::status>(status), version};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = status == 413   ? "Verzoek te groot.\n"
                 : status == 431 ? "Kopregels te groot.\n"
                                 : "Ongeldig verzoek.\n";
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

/// Re-planning and rendering after a change are work that may wait: the threads that do it run
/// at a lower CPU priority (nice 10), so that feed readers on the I/O threads go first when both
/// want the two cores (bench/writes). Linux keeps a nice value per thread.
void lower_this_threads_priority() {
    thread_local bool lowered = false;
    if (lowered) return;
    lowered = true;
    if (setpriority(PRIO_PROCESS, 0, 10) != 0)
        spdlog::warn("cannot lower the priority of a worker thread: {}", std::strerror(errno));
}

/// The status for a read that failed, 0 when the connection just ended or timed out.
int status_of_read_error(const beast::error_code& ec) {
    if (ec == http::error::body_limit) return 413;
    if (ec == http::error::header_limit) return 431;
    if (ec == http::error::buffer_overflow) return 400;  // see kMaxReadBufferBytes
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) return 400;
    return 0;
}

}  // namespace

struct HttpServer::Impl {
    ServerOptions options;
    Services& services;
    SchoolRegistry& schools;  // services.schools
    // One io_context per thread: a connection lives on one thread and no scheduler lock is
    // shared between threads. One acceptor (on the first context) hands each new connection to
    // the context with the fewest: feed readers keep their connections open, and a per-thread
    // SO_REUSEPORT acceptor lets the kernel's hash leave one thread with most of them. The
    // first context also carries signals, timers and the folder watch.
    std::vector<std::unique_ptr<asio::io_context>> ios;
    std::unique_ptr<std::atomic<int>[]> connections;  // open connections per context
    /// The open connections of each context, touched only on that context's thread: the
    /// ones waiting for a request can be closed when the cap is near.
    struct Connection {
        beast::tcp_stream* stream = nullptr;
        bool idle = true;  // waiting for (the rest of) a request header
    };
    std::vector<std::list<Connection*>> registry;
    int max_connections = 0;
    // The other contexts wait for connections without work of their own: keep them running
    // until shutdown stops them.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
    std::unique_ptr<tcp::acceptor> acceptor;
    asio::io_context& io;
    asio::signal_set signals{io};
    std::atomic<bool> stopping{false};
    std::atomic<int> sessions{0};
    std::atomic<bool> cap_warned{false};
    asio::thread_pool reloads{1};  // reloads plan and render: never on the I/O threads
    /// Requests that change something (POST: tracking changes re-plan a school, sign-in
    /// stores and mails) run here, so that feeds and health checks on the I/O threads never
    /// wait behind a re-plan.
    asio::thread_pool writes{2};

    static std::vector<std::unique_ptr<asio::io_context>> make_ios(int n) {
        std::vector<std::unique_ptr<asio::io_context>> v;
        for (int i = 0; i < std::max(1, n); ++i) v.push_back(std::make_unique<asio::io_context>(1));
        return v;
    }

    Impl(ServerOptions o, Services& s)
        : options(std::move(o)),
          services(s),
          schools(s.schools),
          ios(make_ios(options.threads)),
          connections(std::make_unique<std::atomic<int>[]>(ios.size())),
          registry(ios.size()),
          max_connections(connection_cap(options.max_connections)),
          io(*ios.front()) {}

    int open_connections() const {
        int n = 0;
        for (size_t i = 0; i < ios.size(); ++i) n += connections[i].load();
        return n;
    }

    /// On each context, closes its longest-idle connection (on that context's thread).
    void shed_idle() {
        for (size_t i = 0; i < ios.size(); ++i)
            asio::post(*ios[i], [this, i] {
                for (Connection* c : registry[i])
                    if (c->idle) {
                        c->stream->cancel();
                        c->idle = false;  // once
                        return;
                    }
            });
    }

    /// The context with the fewest open connections.
    size_t least_loaded() const {
        size_t best = 0;
        for (size_t i = 1; i < ios.size(); ++i)
            if (connections[i].load() < connections[best].load()) best = i;
        return best;
    }

    bool learn(const std::string& hash) {
        try {
            return schools.learn_subscription(hash);
        } catch (const std::exception& e) {
            schools.metrics().store_error();
            spdlog::error("looking up a subscription: {}", e.what());
            return false;
        }
    }

    /// The route's answer. Without the store a write answers 503 with Retry-After (nothing was
    /// stored; the client tries again), and /readyz says why.
    RouteResult route(const HttpRequest& request) {
        try {
            auto snap = schools.snapshot();
            RouteResult result = handle_request(request, *snap, &schools.metrics(), &services);
            if (result.unknown_token && learn(result.token_hash)) {
                // A subscription a command has just created: answer with it at once.
                result =
                    handle_request(request, *schools.snapshot(), &schools.metrics(), &services);
            }
            return result;
        } catch (const StoreConflict& e) {
            // Other daemons kept changing the same school: the database is fine, nothing was
            // stored, and trying again at once will do.
            return store_trouble(request, e,
                                 {409, 1, "store-conflict", "lost the race to other daemons",
                                  "Iemand anders wijzigde deze school op hetzelfde moment; er is "
                                  "niets opgeslagen. Probeer het opnieuw."});
        } catch (const StoreUnavailable& e) {
            schools.set_store_problem(e.what());
            return store_trouble(request, e,
                                 {503, 5, "store-unavailable", "store unavailable",
                                  "De database is even niet bereikbaar; er is niets opgeslagen. "
                                  "Probeer het over enkele seconden opnieuw."});
        } catch (const StoreError& e) {
            return store_trouble(request, e, {500, 0, "store-error", "store error", nullptr});
        }
    }

    /// What a request that failed on the store answers: 409 or 503 with Retry-After (nothing
    /// was stored; the client tries again), or 500.
    struct StoreTrouble {
        int status;
        int retry_after;
        const char* route;  // for metrics and the log
        const char* log;
        const char* message;  // Dutch, with the retry
    };
    RouteResult store_trouble(const HttpRequest& request, const std::exception& e,
                              const StoreTrouble& t) {
        if (t.status != 409) schools.metrics().store_error();
        spdlog::log(t.status == 500 ? spdlog::level::err : spdlog::level::warn, "{} {}: {}: {}",
                    request.method, request.target.substr(0, 80), t.log, e.what());
        HttpResponse r;
        if (t.message) {
            r = try_again(request, t.status, t.retry_after, t.message);
        } else {
            r.status = 500;
            r.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
            r.body = "Interne fout.\n";
        }
        return {std::move(r), t.route, false, {}};
    }

    /// A response whose body points into bytes that `owner` keeps alive until it is written:
    /// a feed is sent from the snapshot's copy, never copied per request.
    struct Reply {
        int status = 200;
        unsigned version = 11;
        bool keep_alive = false;
        bool omit_body = false;  // HEAD: the length of what GET would send, no bytes
        std::vector<std::pair<std::string, std::string>> headers;
        std::shared_ptr<const std::string> owner;
    };

    /// The status line and headers of `r` into `out`, as Beast writes them (Server first, the
    /// route's headers in order, Connection as the version needs it, Content-Length). `out` is
    /// the connection's, reused: a 304 allocates nothing here.
    static void write_head(std::string& out, const Reply& r) {
        out.clear();
        out += r.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
        char code[4] = {static_cast<char>('0' + r.status / 100 % 10),
                        static_cast<char>('0' + r.status / 10 % 10),
                        static_cast<char>('0' + r.status % 10), 0};
        out += code;
        out += ' ';
        out += http::obsolete_reason(http::int_to_status(static_cast<unsigned>(r.status)));
        out += "\r\nServer: jaarkalender\r\n";
        for (const auto& [k, v] : r.headers) {
            out += k;
            out += ": ";
            out += v;
            out += "\r\n";
        }
        if (r.version >= 11 && !r.keep_alive) out += "Connection: close\r\n";
        if (r.version == 10 && r.keep_alive) out += "Connection: keep-alive\r\n";
        // Always a length (0 on a 304, as Beast wrote it): no framing left to guess.
        char length[24];
        const int n = std::snprintf(length, sizeof length, "%zu", r.owner->size());
        out += "Content-Length: ";
        out.append(length, static_cast<size_t>(n));
        out += "\r\n";
        out += "\r\n";
    }

    Reply respond(const http::request<http::string_body>& req, const std::string& remote) {
        const auto t0 = std::chrono::steady_clock::now();
        const HttpRequest request = to_request(req, remote);
        RouteResult result = route(request);
        schools.metrics().request(
            result.route, result.response.status,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        HttpResponse& r = result.response;
        for (const auto& [k, v] : r.headers)
            if (!safe_header_value(v)) {
                // A value with CR or LF would let its text become headers of its own.
                spdlog::error("route={} refused a response header {} with control bytes",
                              result.route, k);
                r.status = 500;
                r.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
                r.body = "Interne fout.\n";
                r.shared_body.reset();
                break;
            }
        Reply reply;
        // A 304 (most of what a busy daemon sends) has no body: nothing to allocate for it.
        static const auto kNoBody = std::make_shared<const std::string>();
        reply.owner = r.shared_body    ? std::move(r.shared_body)
                      : r.body.empty() ? kNoBody
                                       : std::make_shared<const std::string>(std::move(r.body));
        reply.status = r.status;
        reply.version = req.version();
        reply.keep_alive = req.keep_alive() && !stopping.load();
        reply.omit_body = r.omit_body;
        reply.headers = std::move(r.headers);
        // A name set twice: the last one counts (as Beast's set() did).
        for (size_t i = 0; i + 1 < reply.headers.size(); ++i)
            for (size_t j = i + 1; j < reply.headers.size(); ++j)
                if (beast::iequals(reply.headers[i].first, reply.headers[j].first)) {
                    reply.headers.erase(reply.headers.begin() + static_cast<long>(i--));
                    break;
                }
        if (options.access_log)
            spdlog::info(
                "access {} {} {} {:.3f}ms", request.method, result.route, r.status,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
        return reply;
    }

    asio::awaitable<void> session(tcp::socket socket, size_t context) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer(kMaxReadBufferBytes);
        beast::error_code rec;
        const auto peer = stream.socket().remote_endpoint(rec);
        const std::string peer_address = rec ? std::string() : peer.address().to_string();
        const bool via_proxy =
            std::find(options.trusted_proxies.begin(), options.trusted_proxies.end(),
                      peer_address) != options.trusted_proxies.end();
        std::string head;  // a response's status line and headers, reused
        head.reserve(512);
        Connection self{&stream, true};
        registry[context].push_back(&self);
        const auto registered = std::prev(registry[context].end());
        ++sessions;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(kMaxBodyBytes);
            parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
            // The header must come soon: a connection that sends nothing (or a byte a minute)
            // holds a descriptor, and idle ones are the first to go when the cap is near.
            self.idle = true;
            stream.expires_after(std::min(options.header_timeout, options.read_timeout));
            auto [ec, n] = co_await http::async_read_header(stream, buffer, parser,
                                                            asio::as_tuple(asio::use_awaitable));
            self.idle = false;
            const std::string remote =
                via_proxy ? forwarded_client(parser.get(), peer_address) : peer_address;
            int refuse = ec ? status_of_read_error(ec) : 0;
            if (!ec) {
                HttpRequest header = to_request(parser.get(), remote);
                if (const std::string why = framing_error(header); !why.empty()) {
                    spdlog::warn("client={} refused: {}", remote, why);
                    refuse = 400;
                } else {
                    stream.expires_after(options.read_timeout);
                    std::tie(ec, n) = co_await http::async_read(
                        stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
                    refuse = ec ? status_of_read_error(ec) : 0;
                }
            }
            if (refuse) {
                // An oversized or malformed request gets an answer, then the connection
                // closes: its framing cannot be trusted.
                auto res = refusal(refuse, 11);
                stream.expires_after(options.write_timeout);
                co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
                break;
            }
            if (ec) break;  // closed, timed out, or shed while idle: no answer is owed
            const auto& req = parser.get();
            Reply reply;
            if (req.method() == http::verb::get || req.method() == http::verb::head) {
                reply = respond(req, remote);
            } else {
                reply = co_await asio::co_spawn(
                    writes,
                    [&]() -> asio::awaitable<Reply> {
                        lower_this_threads_priority();
                        co_return respond(req, remote);
                    },
                    asio::use_awaitable);
            }
            stream.expires_after(options.write_timeout);
            write_head(head, reply);
            const bool body = !reply.omit_body && !reply.owner->empty();
            const std::array<asio::const_buffer, 2> bytes = {
                asio::buffer(head), body ? asio::buffer(*reply.owner) : asio::const_buffer()};
            auto [wec, wn] = co_await asio::async_write(
                stream, bytes,
                [](const beast::error_code& e, std::size_t) -> std::size_t {
                    return e ? 0 : kMaxBytesPerSend;
                },
                asio::as_tuple(asio::use_awaitable));
            if (wec || !reply.keep_alive) break;
        }
        registry[context].erase(registered);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        --connections[context];
        --sessions;
    }

    asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
        for (;;) {
            // The new socket belongs to the chosen context: its I/O runs on that thread.
            const size_t target = least_loaded();
            auto [ec, socket] =
                co_await acceptor.async_accept(*ios[target], asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (stopping || ec == asio::error::operation_aborted) co_return;
                // Out of descriptors and the like: say so, pause, go on (do not spin).
                spdlog::error("accept: {}", ec.message());
                asio::steady_timer t(io, std::chrono::milliseconds(100));
                co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            const int open = open_connections();
            if (open >= max_connections) {
                // Full: refuse this one, and make room among the idle for the next.
                beast::error_code ignored;
                socket.close(ignored);
                shed_idle();
                if (!cap_warned.exchange(true))
                    spdlog::warn("connection cap {} reached: idle connections are closed",
                                 max_connections);
                continue;
            }
            if (open >= max_connections - kSheddingHeadroom) shed_idle();
            ++connections[target];
            // A response is written whole: its last piece should leave at once, not wait for
            // the acknowledgement of the one before (Nagle, with delayed ACKs: 40 ms stalls).
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            asio::co_spawn(*ios[target], session(std::move(socket), target), asio::detached);
        }
    }

    void begin_shutdown() {
        if (stopping.exchange(true)) return;
        spdlog::info("stopping: no new connections; requests in flight may finish");
        beast::error_code ec;
        if (acceptor)
            asio::post(io, [this] {
                beast::error_code ignored;
                acceptor->close(ignored);
            });
        if (watch_fd) watch_fd->close(ec);
        if (debounce) debounce->cancel();
        // Poll until every session has ended or the grace period is over, then stop.
        auto poll = std::make_shared<std::function<void()>>();
        auto start = std::chrono::steady_clock::now();
        *poll = [this, poll, start] {
            if (sessions.load() == 0 ||
                std::chrono::steady_clock::now() - start > options.shutdown_grace) {
                for (auto& c : ios) c->stop();
                return;
            }
            auto t = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(20));
            t->async_wait([poll, t](beast::error_code) { (*poll)(); });
        };
        // Idle keep-alive connections would wait for their read timeout: do not wait for them
        // longer than the grace period.
        (*poll)();
    }

    // ---- the calendars folder: re-plan when a school's files change (inotify) --------------
    std::unique_ptr<asio::posix::stream_descriptor> watch_fd;
    std::unique_ptr<asio::steady_timer> debounce;
    std::array<char, 16 * 1024> watch_buffer{};

    void add_watches() {
        constexpr uint32_t kMask =
            IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE;
        const int fd = watch_fd->native_handle();
        const auto& root = schools.calendars();
        if (inotify_add_watch(fd, root.c_str(), kMask) < 0)
            spdlog::warn("cannot watch {}: {}", root.string(), std::strerror(errno));
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(root, ec))
            if (e.is_directory()) inotify_add_watch(fd, e.path().c_str(), kMask);  // idempotent
    }

    void start_watching() {
        const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            spdlog::warn("no file watch ({}); reload with SIGHUP", std::strerror(errno));
            return;
        }
        watch_fd = std::make_unique<asio::posix::stream_descriptor>(io, fd);
        debounce = std::make_unique<asio::steady_timer>(io);
        add_watches();
        read_watch();
    }

    void read_watch() {
        watch_fd->async_read_some(
            asio::buffer(watch_buffer), [this](beast::error_code ec, std::size_t) {
                if (ec || stopping) return;
                debounce->expires_after(options.watch_debounce);
                debounce->async_wait([this](beast::error_code tec) {
                    if (tec || stopping) return;
                    spdlog::info("calendars changed: re-planning");
                    asio::post(reloads, [this] {
                        lower_this_threads_priority();
                        schools.reload();
                    });
                    add_watches();  // a new school folder is watched from now on
                });
                read_watch();
            });
    }

    void refresh_subscriptions_periodically(std::shared_ptr<asio::steady_timer> t) {
        t->expires_after(std::chrono::seconds(kSubscriptionRefreshSeconds));
        t->async_wait([this, t](beast::error_code ec) {
            if (ec || stopping) return;
            asio::post(reloads, [this] {
                try {
                    schools.refresh_subscriptions();
                    schools.poll_store();
                    // Once a day (and after a publish): a next year becomes current.
                    services.years.tick();
                } catch (const std::exception& e) {
                    spdlog::error("refreshing subscriptions: {}", e.what());
                }
            });
            refresh_subscriptions_periodically(t);
        });
    }

    void wait_signals() {
        signals.async_wait([this](beast::error_code ec, int sig) {
            if (ec) return;
            if (sig == SIGHUP) {
                spdlog::info("SIGHUP: reloading every school");
                asio::post(reloads, [this] {
                    lower_this_threads_priority();
                    schools.reload();
                });
                wait_signals();
                return;
            }
            begin_shutdown();
        });
    }
};

HttpServer::HttpServer(ServerOptions options, Services& services)
    : impl_(std::make_unique<Impl>(std::move(options), services)) {
    services.background.set([impl = impl_.get()](std::function<void()> work) {
        asio::post(impl->reloads, [work = std::move(work)] {
            lower_this_threads_priority();
            work();
        });
    });
}

HttpServer::~HttpServer() {
    impl_->services.background.set(nullptr);
    impl_->reloads.join();
    impl_->writes.join();
}

void HttpServer::listen() {
    const tcp::endpoint ep(asio::ip::make_address(impl_->options.address), impl_->options.port);
    auto a = std::make_unique<tcp::acceptor>(impl_->io);
    a->open(ep.protocol());
    a->set_option(asio::socket_base::reuse_address(true));
    a->bind(ep);
    a->listen(asio::socket_base::max_listen_connections);
    impl_->acceptor = std::move(a);
}

unsigned short HttpServer::port() const {
    return impl_->acceptor->local_endpoint().port();
}

void HttpServer::run() {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.add(SIGHUP);
    impl_->wait_signals();
    impl_->refresh_subscriptions_periodically(std::make_shared<asio::steady_timer>(impl_->io));
    impl_->start_watching();
    asio::co_spawn(impl_->io, impl_->accept_loop(*impl_->acceptor), asio::detached);
    for (size_t i = 1; i < impl_->ios.size(); ++i)
        impl_->keep_running.push_back(asio::make_work_guard(*impl_->ios[i]));
    std::vector<std::thread> threads;
    for (size_t i = 1; i < impl_->ios.size(); ++i)
        threads.emplace_back([this, i] { impl_->ios[i]->run(); });
    impl_->io.run();
    for (auto& t : threads) t.join();
    spdlog::info("stopped");
}

void HttpServer::stop() {
    asio::post(impl_->io, [this] { impl_->begin_shutdown(); });
}

}  // namespace jk::daemon
