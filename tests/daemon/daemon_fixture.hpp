// The daemon world of the tests (tests/support/daemon_world.hpp) with API tokens for some of the
// example school's people, and Catch helpers to ask it things.
#pragma once

#include <unistd.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "daemon/access/tokens.hpp"
#include "daemon/http/routes.hpp"
#include "daemon/services.hpp"
#include "daemon/store/store.hpp"
#include "daemon_world.hpp"
#include "fake_clock.hpp"
#include "jaarkalender/date.hpp"

namespace jk::daemon::testing {

namespace fs = std::filesystem;
namespace json = boost::json;

using jk::testing::FakeClock;

/// The daemon world with API tokens for some of the example school's people, and requests
/// as they sign in (a bearer token, or a session of their own for the pages).
struct Daemon : jk::testing::DaemonWorld {
    std::map<std::string, std::string> tokens;  // person → token

    explicit Daemon(const std::string& name = "api") : DaemonWorld(name) {
        for (const char* p : {"anna", "erik", "fatima", "bram", "carla"}) {
            tokens[p] = random_token();
            store->add_api_token("voorbeeldschool", p, sha256_hex(tokens[p]), "t");
        }
    }

    HttpResponse call(const std::string& who, const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& type = "application/json") {
        HttpRequest r{method, target, {}, body, {}};
        if (!who.empty())
            r.headers.emplace_back("authorization",
                                   "Bearer " + (tokens.count(who) ? tokens[who] : who));
        if (!body.empty()) r.headers.emplace_back("content-type", type);
        return request(r).response;
    }
    /// A web page as `who` sees it, signed in with a session of their own (one per person).
    HttpResponse page(const std::string& who, const std::string& target,
                      const std::string& form = "") {
        auto& [cookie, csrf] = sessions[who];
        if (cookie.empty()) {
            WebSession ws{"voorbeeldschool", who, ""};
            cookie = services->access.start_session(ws);
            csrf = ws.csrf;
        }
        HttpRequest r{form.empty() ? "GET" : "POST", target, {}, form, {}};
        r.headers.emplace_back("cookie", "jk_sessie=" + cookie);
        if (!form.empty()) {
            r.body = form + "&csrf=" + csrf;
            r.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
            r.headers.emplace_back("sec-fetch-site", "same-origin");
        }
        return request(r).response;
    }
    std::map<std::string, std::pair<std::string, std::string>> sessions;  // person → cookie, csrf

    json::value get(const std::string& who, const std::string& target) {
        auto r = call(who, "GET", target);
        INFO(r.body);
        REQUIRE(r.status == 200);
        return json::parse(r.body);
    }
    std::string first_uid(const std::string& rule, const std::string& subject, int occurrence = 1) {
        for (const auto held = schools().snapshot()->schools.at("voorbeeldschool")->plan.load();
             const Event& e : held->events)
            if (e.rule == rule && e.subject == std::optional<std::string>(subject) &&
                e.occurrence == occurrence)
                return e.uid;
        FAIL("no event");
        return "";
    }
    /// A copy: the plan may be kept deflated once nobody holds it.
    Event event(const std::string& uid) {
        return *schools().snapshot()->schools.at("voorbeeldschool")->plan.load()->find(uid);
    }
    std::string feed_etag(const std::string& key) {
        return schools().snapshot()->schools.at("voorbeeldschool")->feeds->get(key)->etag;
    }
};

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
        s.replace(at, from.size(), to);
    return s;
}

/// The readable text of an RFC 5322 message with quoted-printable parts.
inline std::string decoded(const std::string& message) {
    std::string s = replace_all(replace_all(message, "=\r\n", ""), "\r\n", "\n");
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '=' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace jk::daemon::testing
