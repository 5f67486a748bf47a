#include "daemon/mail/mail_preferences.hpp"

#include <spdlog/spdlog.h>

#include "daemon/access/tokens.hpp"
#include "daemon/http/http_date.hpp"

namespace jk::daemon {

std::vector<MailKind> MailPreferences::off(const std::string& school, const std::string& person) {
    std::vector<MailKind> out;
    for (const auto& [p, k] : outbox_.mail_optouts(school))
        if (p == person)
            if (auto kind = parse_mail_kind(k)) out.push_back(*kind);
    return out;
}

void MailPreferences::set(const std::string& school, const std::string& person, MailKind kind,
                          bool on, const std::string& actor) {
    const std::string at = format_utc_iso(clock_.now());
    outbox_.set_mail_optout(school, person, std::string(to_string(kind)), !on, at);
    audit_.audit({at, actor, school, on ? "mail-on" : "mail-off",
                  person + ": " + std::string(to_string(kind))});
    spdlog::info("school={} person={} mail {} {}", school, person, to_string(kind),
                 on ? "on" : "off");
}

std::optional<Unsubscribe> MailPreferences::verify_unsubscribe(std::string_view token) {
    std::call_once(secret_once_, [this] {
        secret_ = secrets_.secret(std::string(kUnsubscribeSecret), random_token() + random_token());
    });
    return jk::daemon::verify_unsubscribe(secret_, token);
}

}  // namespace jk::daemon
