#include "daemon/access/access_service.hpp"

#include <spdlog/spdlog.h>

#include "daemon/access/rights.hpp"
#include "daemon/access/tokens.hpp"
#include "daemon/http/http_date.hpp"

namespace jk::daemon {

AccessService::AccessService(SchoolRegistry& schools, AccessStore& access, AuditStore& audit,
                             bool shared, Clock& clock, Background& background)
    : schools_(schools),
      access_(access),
      audit_(audit),
      clock_(clock),
      background_(background),
      per_address_(make_rate_limit(access, shared, "sign-in-address", kSignInPerAddressBurst,
                                   kSignInPerAddressPerSecond)),
      per_client_(make_rate_limit(access, shared, "sign-in-client", kSignInPerClientBurst,
                                  kSignInPerClientPerSecond)) {}

std::optional<WebSession> AccessService::web_session(const std::string& token) {
    if (!looks_like_token(token)) return std::nullopt;
    return access_.find_session(sha256_hex(token), clock_.now());
}

std::string AccessService::start_session(WebSession& session) {
    const std::string token = random_token();
    session.csrf = random_token();
    const std::int64_t now = clock_.now();
    access_.add_session(session, sha256_hex(token), now, now + kSessionDays * 86400LL);
    audit_.audit({format_utc_iso(now), session.person, session.school, "sign-in", "web"});
    return token;
}

void AccessService::end_session(const std::string& token) {
    if (looks_like_token(token)) access_.end_session(sha256_hex(token));
}

std::string AccessService::create_login_link(const std::string& school, const std::string& person) {
    const std::string token = random_token();
    access_.add_login_link(sha256_hex(token), school, person,
                           clock_.now() + kLoginLinkMinutes * 60LL);
    return token;
}

std::optional<ApiTokenOwner> AccessService::use_login_link(const std::string& token) {
    if (!looks_like_token(token)) return std::nullopt;
    auto owner = access_.use_login_link(sha256_hex(token), clock_.now());
    if (!owner) return std::nullopt;
    // A link made before the person left (or left the files) opens nothing.
    auto snap = schools_.snapshot();
    auto it = snap->schools.find(owner->school);
    const Person* p = it == snap->schools.end() || !it->second->school
                          ? nullptr
                          : it->second->school->school.person(owner->person);
    if (!p || !still_there(*p, local_date(clock_.now()))) {
        spdlog::info("school={} person={} sign-in link refused: no longer at the school",
                     owner->school, owner->person);
        return std::nullopt;
    }
    return owner;
}

void AccessService::request_sign_in(const std::string& address, const std::string& client) {
    std::string key = address;
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key.empty() || key.size() > 254) return;
    if (!per_client_->take(client)) {
        spdlog::warn("client={} sign-in requests throttled", client);
        return;
    }
    if (!per_address_->take(key)) {
        spdlog::warn("client={} sign-in requests for one address throttled", client);
        return;
    }
    auto work = [this, key] {
        try {
            auto snap = schools_.snapshot();
            for (const auto& [id, s] : snap->schools) {
                if (!s->school) continue;
                for (const Person& p : s->school->school.persons) {
                    std::string email = p.email;
                    for (auto& c : email)
                        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    if (email != key || !still_there(p, local_date(clock_.now()))) continue;
                    const std::string url =
                        public_url() + "/inloggen/" + create_login_link(id, p.id);
                    if (!login_mailer_ || !login_mailer_(id, p.id, url))
                        spdlog::warn("school={} person={} sign-in link not mailed (mail is off)",
                                     id, p.id);
                }
            }
        } catch (const std::exception& e) {
            if (dynamic_cast<const StoreError*>(&e)) schools_.metrics().store_error();
            spdlog::error("sign-in link: {}", e.what());
        }
    };
    background_.run(std::move(work));
}

void AccessService::show_once(const std::string& session_token, const std::string& slot,
                              std::string value) {
    constexpr std::int64_t kKeepSeconds = 600;
    // In the store: the reload after the redirect may land on another daemon.
    access_.stash("shown-once|" + sha256_hex(session_token) + "|" + slot, value,
                  clock_.now() + kKeepSeconds);
}

std::optional<std::string> AccessService::take_shown_once(const std::string& session_token,
                                                          const std::string& slot) {
    return access_.take_stash("shown-once|" + sha256_hex(session_token) + "|" + slot, clock_.now());
}

}  // namespace jk::daemon
