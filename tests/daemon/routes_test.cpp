#include "daemon/http/routes.hpp"
#include "daemon/http/route_table.hpp"

#include <catch2/catch.hpp>

#include "daemon/access/tokens.hpp"
#include "daemon/http/http_date.hpp"

using namespace jk::daemon;

namespace {

Snapshot snapshot_with_feed(const std::string& token) {
    Snapshot snap;
    snap.ready = true;
    auto school = std::make_shared<SchoolSnapshot>();
    school->id = "x";
    RenderedFeed f;
    f.body = std::make_shared<const std::string>("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    f.etag = "\"abc\"";
    f.last_modified = 1'800'000'000;
    school->feeds->put("person/bram.ics", f);
    snap.schools["x"] = school;
    snap.subscriptions[sha256_hex(token)] = {"x", "person/bram.ics"};
    return snap;
}

HttpRequest get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return {"GET", std::move(target), std::move(headers), "", {}};
}

std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

}  // namespace

TEST_CASE("feeds: 200 with validators, 304 on a match, HEAD without body", "[unit][routes]") {
    const std::string token = random_token();
    const Snapshot snap = snapshot_with_feed(token);
    const std::string url = "/feeds/" + token + ".ics";
    auto r = handle_request(get(url), snap);
    CHECK(r.response.status == 200);
    CHECK(header(r.response, "Content-Type") == "text/calendar; charset=utf-8");
    CHECK(header(r.response, "ETag") == "\"abc\"");
    CHECK(header(r.response, "Last-Modified") == format_http_date(1'800'000'000));
    REQUIRE(r.response.shared_body);
    CHECK(r.response.shared_body->find("BEGIN:VCALENDAR") == 0);
    CHECK(handle_request(get(url, {{"if-none-match", "\"abc\""}}), snap).response.status == 304);
    CHECK(handle_request(get(url, {{"if-none-match", "W/\"abc\""}}), snap).response.status == 304);
    CHECK(handle_request(get(url, {{"if-none-match", "\"zzz\""}}), snap).response.status == 200);
    CHECK(handle_request(get(url, {{"if-modified-since", format_http_date(1'800'000'000)}}), snap)
              .response.status == 304);
    CHECK(handle_request(get(url, {{"if-modified-since", format_http_date(1'799'999'999)}}), snap)
              .response.status == 200);
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.1.3).
    CHECK(handle_request(get(url, {{"if-none-match", "\"zzz\""},
                                   {"if-modified-since", format_http_date(1'900'000'000)}}),
                         snap)
              .response.status == 200);
    auto head = handle_request({"HEAD", url, {}, "", {}}, snap);
    CHECK(head.response.status == 200);
    CHECK(head.response.omit_body);
}

TEST_CASE("feeds: unknown, malformed and tricky tokens get the same 404", "[unit][routes]") {
    const Snapshot snap = snapshot_with_feed(random_token());
    for (const char* target :
         {"/feeds/0123456789abcdef0123456789abcdef.ics", "/feeds/abc.ics", "/feeds/.ics",
          "/feeds/../../etc/passwd", "/feeds/0123456789ABCDEF0123456789ABCDEF.ics",
          "/feeds/0123456789abcdef0123456789abcdef.ics/..", "/feeds/"}) {
        INFO(target);
        auto r = handle_request(get(target), snap);
        CHECK(r.response.status == 404);
        CHECK(r.response.body == "Niet gevonden.\n");
    }
    auto unknown = handle_request(get("/feeds/0123456789abcdef0123456789abcdef.ics"), snap);
    CHECK(unknown.unknown_token);
    CHECK(unknown.token_hash == sha256_hex("0123456789abcdef0123456789abcdef"));
    CHECK(handle_request({"POST", "/feeds/x.ics", {}, "", {}}, snap).response.status == 405);
}

TEST_CASE("health and readiness", "[unit][routes]") {
    Snapshot snap;
    CHECK(handle_request(get("/healthz"), snap).response.status == 200);
    CHECK(handle_request(get("/readyz"), snap).response.status == 503);
    snap.ready = true;
    CHECK(handle_request(get("/readyz"), snap).response.status == 200);
}

TEST_CASE("HTTP dates and tokens", "[unit][routes]") {
    CHECK(format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(parse_http_date("Sun, 22 Nov 2026 08:00:00 GMT") == 1'795'334'400);
    CHECK(format_http_date(*parse_http_date("Sun, 22 Nov 2026 08:00:00 GMT")) ==
          "Sun, 22 Nov 2026 08:00:00 GMT");
    CHECK_FALSE(parse_http_date("Sunday, 22-Nov-26 08:00:00 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 31 Feb 2026 08:00:00 GMT"));
    const std::string t = random_token();
    CHECK(looks_like_token(t));
    CHECK(t != random_token());
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "ab"));
}

TEST_CASE("framing: only Content-Length or a Transfer-Encoding ending in chunked, one Host",
          "[unit][routes]") {
    auto with = [](std::vector<std::pair<std::string, std::string>> headers) {
        return framing_error({"POST", "/api/v1/me", std::move(headers), "", {}});
    };
    CHECK(with({{"host", "a"}, {"content-length", "2"}}).empty());
    CHECK(with({{"host", "a"}, {"transfer-encoding", "chunked"}}).empty());
    CHECK(with({{"host", "a"}, {"transfer-encoding", "gzip, Chunked "}}).empty());
    CHECK(with({{"transfer-encoding", "gzip"}, {"transfer-encoding", "chunked"}}).empty());
    CHECK_FALSE(with({{"transfer-encoding", "gzip"}}).empty());
    CHECK_FALSE(with({{"transfer-encoding", "chunked, gzip"}}).empty());
    CHECK_FALSE(
        with({{"transfer-encoding", "chunked"}, {"transfer-encoding", "identity"}}).empty());
    CHECK_FALSE(with({{"transfer-encoding", "chunked"}, {"content-length", "5"}}).empty());
    CHECK_FALSE(with({{"host", "a"}, {"host", "b"}}).empty());
}

TEST_CASE("header values we write hold no control bytes", "[unit][routes]") {
    CHECK(safe_header_value("/ib?melding=gehouden"));
    CHECK(safe_header_value("a\tb"));
    CHECK_FALSE(safe_header_value("/ib\r\nSet-Cookie: x=1"));
    CHECK_FALSE(safe_header_value(std::string("a\0b", 3)));
    CHECK_FALSE(safe_header_value("a\x7f"));
}

TEST_CASE("routes: a path pattern matches whole segments and hands over what it captured",
          "[unit][routes]") {
    using jk::daemon::match_path;
    CHECK(match_path("/", "/"));
    CHECK_FALSE(match_path("/", "/ib"));
    CHECK(match_path("/ib", "/ib"));
    CHECK_FALSE(match_path("/ib", "/ibx"));
    CHECK_FALSE(match_path("/ib", "/ib/"));
    auto undo = match_path("/wijzigingen/{}/ongedaan", "/wijzigingen/42/ongedaan");
    REQUIRE(undo);
    CHECK(*undo == jk::daemon::PathArgs{"42"});
    CHECK_FALSE(match_path("/wijzigingen/{}/ongedaan", "/wijzigingen//ongedaan"));
    CHECK_FALSE(match_path("/wijzigingen/{}/ongedaan", "/wijzigingen/4/2/ongedaan"));
    auto rest = match_path("/afspraak/{...}", "/afspraak/abc/verplaatsen");
    REQUIRE(rest);
    CHECK(*rest == jk::daemon::PathArgs{"abc/verplaatsen"});
    CHECK_FALSE(match_path("/afspraak/{...}", "/afspraak/"));
    CHECK_FALSE(match_path("/wijzigingen", "/wijzigingen/nieuw"));
}
