// The access service on its own (daemon/access/access_service.hpp): sessions, single-use sign-in
// links, sign-in by address (throttled, mailed in the background), what a page shows once.
#include <catch2/catch.hpp>
#include <map>
#include <vector>

#include "daemon/access/tokens.hpp"
#include "daemon_world.hpp"

using namespace jk;
using namespace jk::daemon;

TEST_CASE("access: a session lives until it is ended; a sign-in link works once and not late",
          "[io][access]") {
    jk::testing::DaemonWorld w("access-session");
    AccessService& access = w.services->access;

    WebSession s{"voorbeeldschool", "bram", {}};
    const std::string token = access.start_session(s);
    CHECK_FALSE(s.csrf.empty());
    auto found = access.web_session(token);
    REQUIRE(found);
    CHECK(found->person == "bram");
    CHECK(found->csrf == s.csrf);
    CHECK_FALSE(access.web_session("nonsense"));
    access.end_session(token);
    CHECK_FALSE(access.web_session(token));

    const std::string link = access.create_login_link("voorbeeldschool", "bram");
    auto owner = access.use_login_link(link);
    REQUIRE(owner);
    CHECK(owner->person == "bram");
    CHECK_FALSE(access.use_login_link(link));  // used up

    const std::string late = access.create_login_link("voorbeeldschool", "bram");
    w.clock.t += kLoginLinkMinutes * 60 + 1;
    CHECK_FALSE(access.use_login_link(late));
}

TEST_CASE("access: a sign-in by address mails a working link to a known person only, throttled",
          "[io][access]") {
    jk::testing::DaemonWorld w("access-sign-in");
    AccessService& access = w.services->access;
    std::vector<std::pair<std::string, std::string>> mailed;  // person, url
    access.on_login_mail(
        [&](const std::string&, const std::string& person, const std::string& url) {
            mailed.emplace_back(person, url);
            return true;
        });
    access.set_public_url("https://jk.example");

    access.request_sign_in("Bram.Jansen@Voorbeeld.nl", "10.0.0.1");  // any case
    REQUIRE(mailed.size() == 1);
    CHECK(mailed[0].first == "bram");
    const std::string prefix = "https://jk.example/inloggen/";
    REQUIRE(mailed[0].second.rfind(prefix, 0) == 0);
    CHECK(access.use_login_link(mailed[0].second.substr(prefix.size())));

    access.request_sign_in("niemand@voorbeeld.nl", "10.0.0.1");
    CHECK(mailed.size() == 1);

    // One address: kSignInPerAddressBurst links at once (one is used above), then none.
    for (int i = 0; i < 5; ++i) access.request_sign_in("bram.jansen@voorbeeld.nl", "10.0.0.2");
    CHECK(mailed.size() == static_cast<size_t>(kSignInPerAddressBurst));
}

TEST_CASE("access: what a page shows once is there once, for its session, for ten minutes",
          "[io][access]") {
    jk::testing::DaemonWorld w("access-once");
    AccessService& access = w.services->access;
    access.show_once("session-a", "person", "https://link");
    CHECK_FALSE(access.take_shown_once("session-b", "person"));
    CHECK(access.take_shown_once("session-a", "person") ==
          std::optional<std::string>("https://link"));
    CHECK_FALSE(access.take_shown_once("session-a", "person"));

    access.show_once("session-a", "school-feed", "x");
    w.clock.t += 601;
    CHECK_FALSE(access.take_shown_once("session-a", "school-feed"));
}
