#include "daemon/http/routes.hpp"

#include "daemon/access/tokens.hpp"
#include "daemon/api/api.hpp"
#include "daemon/http/http_date.hpp"
#include "daemon/http/route_table.hpp"
#include "daemon/web/handlers.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/pages.hpp"

namespace jk::daemon {
namespace {

HttpResponse text(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-store"}};
    r.body = std::move(body);
    return r;
}

/// True when an If-None-Match list names this strong ETag (or is "*"). No copies: most of
/// what a busy daemon answers is this comparison and a 304.
bool etag_matches(std::string_view header, std::string_view etag) {
    size_t pos = 0;
    while (pos < header.size()) {
        const size_t comma = header.find(',', pos);
        std::string_view item = header.substr(
            pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        const auto b = item.find_first_not_of(" \t");
        const auto e = item.find_last_not_of(" \t");
        item = b == std::string_view::npos ? std::string_view() : item.substr(b, e - b + 1);
        if (item == "*") return true;
        if (item.starts_with("W/")) item.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
        if (item == etag) return true;
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return false;
}

/// A rendered feed as the answer to a GET or HEAD: validators, 304, no gzip, no redirects.
HttpResponse feed_response(const HttpRequest& req, const RenderedFeed& rf) {
    HttpResponse r;
    // No gzip and no redirects on this route: Outlook subscriptions fail on them.
    r.headers = {{"Content-Type", "text/calendar; charset=utf-8"},
                 {"ETag", rf.etag},
                 {"Last-Modified", rf.last_modified_http},
                 {"Cache-Control", "private, no-cache"}};
    bool not_modified = false;
    if (const std::string* inm = req.header("if-none-match")) {
        not_modified = etag_matches(*inm, rf.etag);
    } else if (const std::string* ims = req.header("if-modified-since")) {
        // If-Modified-Since only counts without If-None-Match (RFC 9110 13.1.3).
        auto t = parse_http_date(*ims);
        not_modified = t && rf.last_modified <= *t;
    }
    if (not_modified) {
        r.status = 304;
    } else {
        r.status = 200;
        r.shared_body = rf.body;
        r.omit_body = req.method == "HEAD";
    }
    return r;
}

/// `/scholen/<school>/jaarrooster` and `.ics`: public, for parents.
RouteResult parents(const HttpRequest& req, const Snapshot& snap, std::string_view rest,
                    const std::string& public_url) {
    RouteResult out{text(404, "Niet gevonden.\n"), "/scholen", false, {}};
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return out;
    const std::string school(rest.substr(0, slash));
    const std::string_view what = rest.substr(slash + 1);
    auto it = snap.schools.find(school);
    if (it == snap.schools.end() || !it->second->plan || !it->second->school) return out;
    if (req.method != "GET" && req.method != "HEAD") {
        out.response = text(405, "Alleen GET en HEAD.\n");
        out.response.headers.emplace_back("Allow", "GET, HEAD");
        return out;
    }
    if (what == "jaarrooster.ics") {
        if (auto f = it->second->feeds->get("jaarrooster.ics"))
            out.response = feed_response(req, *f);
        return out;
    }
    if (what == "jaarrooster") {
        out.response = web::parents_page(*it->second, public_url);
        out.response.omit_body = req.method == "HEAD";
    }
    return out;
}

RouteResult feed(const HttpRequest& req, const Snapshot& snap, std::string_view token) {
    RouteResult out;
    out.route = "/feeds";
    // Unknown tokens get 404 and tell nothing: the same answer for a malformed token, a revoked
    // one and one that never existed (made only then: a feed request allocates what it needs).
    const auto not_found = [] { return text(404, "Niet gevonden.\n"); };
    if (!looks_like_token(token)) {
        out.response = not_found();
        return out;
    }
    const std::string hash = sha256_hex(token);
    auto it = snap.subscriptions.find(hash);
    if (it == snap.subscriptions.end() || !constant_time_equal(it->first, hash)) {
        out.response = not_found();
        out.unknown_token = true;
        out.token_hash = hash;
        return out;
    }
    auto school = snap.schools.find(it->second.school);
    if (school == snap.schools.end()) {
        out.response = not_found();
        return out;
    }
    auto f = school->second->feeds->get(it->second.feed);
    if (!f) {
        out.response = not_found();  // e.g. a person who left: their feed is gone
        return out;
    }
    out.response = feed_response(req, *f);
    return out;
}

std::string lower_trimmed(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    std::string out(b == std::string_view::npos ? std::string_view{} : s.substr(b, e - b + 1));
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// What a top-level route has: the request, the published state, and the services when the
/// daemon runs them (the API, the pages and mail links need them).
struct Call {
    const HttpRequest& req;
    const Snapshot& snap;
    const Metrics* metrics;
    Services* api;
};
using TopRoute = Route<Call, RouteResult>;

RouteResult not_found() {
    return {text(404, "Niet gevonden.\n"), "other", false, {}};
}

RouteResult feeds(Call& c, const PathArgs& a) {
    if (c.req.method != "GET" && c.req.method != "HEAD") {
        RouteResult r{text(405, "Alleen GET en HEAD.\n"), "/feeds", false, {}};
        r.response.headers.emplace_back("Allow", "GET, HEAD");
        return r;
    }
    const std::string_view name = a[0];
    if (name.size() < 5 || !name.ends_with(".ics"))
        return {text(404, "Niet gevonden.\n"), "/feeds", false, {}};
    return feed(c.req, c.snap, name.substr(0, name.size() - 4));
}

RouteResult readyz(Call& c, const PathArgs&) {
    if (!c.snap.ready) return {text(503, "nog niet klaar\n"), "/readyz", false, {}};
    // Without its database the daemon still serves every feed and page from memory: it stays
    // in the load balancer, and says why changes wait.
    if (const std::string problem = c.api ? c.api->schools.store_problem() : std::string();
        !problem.empty())
        return {text(200, "klaar, alleen lezen: " + problem +
                              "; wijzigingen krijgen 503 tot de database terug is\n"),
                "/readyz",
                false,
                {}};
    return {text(200, "klaar\n"), "/readyz", false, {}};
}

/// In order; the web pages (web/router.cpp) come after these.
const TopRoute kRoutes[] = {
    {"", "/feeds/{...}", feeds},
    {"", "/scholen/{...}",
     [](Call& c, const PathArgs& a) {
         return parents(c.req, c.snap, a[0], c.api ? c.api->access.public_url() : std::string());
     }},
    {"", "/static/jk.css",
     [](Call&, const PathArgs&) {
         HttpResponse r = text(200, stylesheet());
         r.headers = {{"Content-Type", "text/css; charset=utf-8"},
                      {"Cache-Control", "public, max-age=3600"}};
         return RouteResult{std::move(r), "/web", false, {}};
     }},
    {"", "/mail/uit/{...}",
     [](Call& c, const PathArgs& a) {
         if (!c.api) return not_found();
         return RouteResult{
             handle_unsubscribe(c.req, a[0], c.snap, c.api->mail), "/mail", false, {}};
     }},
    {"", "/api/v1",
     [](Call& c, const PathArgs&) {
         if (!c.api) return not_found();
         return RouteResult{handle_api(c.req, c.snap, *c.api), "/api", false, {}};
     }},
    {"", "/api/v1/{...}",
     [](Call& c, const PathArgs&) {
         if (!c.api) return not_found();
         return RouteResult{handle_api(c.req, c.snap, *c.api), "/api", false, {}};
     }},
    {"", "/metrics",
     [](Call& c, const PathArgs&) {
         if (!c.metrics) return not_found();
         HttpResponse r = text(200, c.metrics->render());
         r.headers[0].second = "text/plain; version=0.0.4; charset=utf-8";
         return RouteResult{std::move(r), "/metrics", false, {}};
     }},
    {"", "/healthz",
     [](Call&, const PathArgs&) {
         return RouteResult{text(200, "ok\n"), "/healthz", false, {}};
     }},
    {"", "/readyz", readyz},
};

}  // namespace

std::string framing_error(const HttpRequest& req) {
    // Several Transfer-Encoding lines are one list (RFC 9110 §5.3): the last coding counts.
    std::string last_coding;
    bool has_te = false, has_length = false;
    int hosts = 0;
    for (const auto& [name, value] : req.headers) {
        if (name == "transfer-encoding") {
            has_te = true;
            const auto comma = value.rfind(',');
            const std::string coding = lower_trimmed(
                comma == std::string::npos ? std::string_view(value)
                                           : std::string_view(value).substr(comma + 1));
            if (!coding.empty()) last_coding = coding;
        } else if (name == "content-length") {
            has_length = true;
        } else if (name == "host") {
            ++hosts;
        }
    }
    if (has_te && last_coding != "chunked")
        return "Transfer-Encoding does not end in chunked (RFC 9112 §6.1)";
    if (has_te && has_length)
        return "both Transfer-Encoding and Content-Length (RFC 9112 §6.1: request smuggling)";
    if (hosts > 1) return "more than one Host (RFC 9112 §3.2)";
    return {};
}

bool safe_header_value(std::string_view value) {
    for (unsigned char c : value)
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    return true;
}

RouteResult handle_request(const HttpRequest& req, const Snapshot& snap, const Metrics* metrics,
                           Services* api) {
    std::string path = req.target;
    if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
    Call call{req, snap, metrics, api};
    if (auto r = dispatch<Call, RouteResult>(kRoutes, "", path, call)) return std::move(*r);
    if (api && is_web_path(path)) {
        HttpResponse r = handle_web(req, snap, *api);
        r.omit_body = req.method == "HEAD";  // the headers of GET, without the page
        return {std::move(r), "/web", false, {}};
    }
    return not_found();
}

}  // namespace jk::daemon
