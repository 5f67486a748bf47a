#include "daemon/access/subscriptions.hpp"

#include <spdlog/spdlog.h>

#include "daemon/access/tokens.hpp"
#include "daemon/http/http_date.hpp"

namespace jk::daemon {

std::string Subscriptions::create(const std::string& school, FeedScope scope,
                                  const std::string& target, const std::string& actor) {
    const std::string at = format_utc_iso(clock_.now());
    if (scope == FeedScope::person) subscriptions_.revoke_subscriptions(school, scope, target, at);
    const std::string token = random_token();
    Subscription sub;
    sub.school = school;
    sub.scope = scope;
    sub.target = target;
    sub.token_hash = sha256_hex(token);
    sub.created_at = at;
    subscriptions_.add_subscription(sub);
    audit_.audit(
        {at, actor, school, "subscribe", std::string(to_string(scope)) + " " + target + " (web)"});
    spdlog::info("school={} person={} new {} feed link for '{}'", school, actor, to_string(scope),
                 target);
    schools_.refresh_subscriptions();
    return token;
}

bool Subscriptions::has_own(const std::string& school, const std::string& person) const {
    const std::string key = feed_key(FeedScope::person, person);
    const auto snap =
        schools_.snapshot();  // held for the loop: another thread may publish a new one
    for (const auto& [hash, route] : snap->subscriptions)
        if (route.school == school && route.feed == key) return true;
    return false;
}

}  // namespace jk::daemon
