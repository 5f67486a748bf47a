// Who is asking: API tokens, web sessions, single-use sign-in links (asked for by address and
// mailed in the background), and what a page shows once after its redirect.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "daemon/background.hpp"
#include "daemon/http/throttle.hpp"
#include "daemon/schools/registry.hpp"

namespace jk::daemon {

/// Sign-in links one address may get: 3 at once, then one per 5 minutes.
inline constexpr double kSignInPerAddressBurst = 3;
inline constexpr double kSignInPerAddressPerSecond = 1.0 / 300;
/// Sign-in requests one client may make: 10 at once, then one a minute.
inline constexpr double kSignInPerClientBurst = 10;
inline constexpr double kSignInPerClientPerSecond = 1.0 / 60;

/// How long a sign-in link works, and a session lasts.
inline constexpr int kLoginLinkMinutes = 30;
inline constexpr int kSessionDays = 30;

class AccessService {
  public:
    AccessService(SchoolRegistry& schools, AccessStore& access, AuditStore& audit, bool shared,
                  Clock& clock, Background& background);

    /// The owner of an API token (by its hash), if it is active.
    std::optional<ApiTokenOwner> api_token(const std::string& token_hash) {
        return access_.find_api_token(token_hash);
    }
    /// The session of a cookie's token, if it is valid.
    std::optional<WebSession> web_session(const std::string& token);
    /// Starts a session for `session.school`/`person`; fills in its CSRF token and returns the
    /// cookie's token (random; only its hash is stored).
    std::string start_session(WebSession& session);
    void end_session(const std::string& token);

    /// A single-use sign-in link token for a person, valid kLoginLinkMinutes.
    std::string create_login_link(const std::string& school, const std::string& person);
    /// The owner of a sign-in link, once (and only while the person is still at the school).
    std::optional<ApiTokenOwner> use_login_link(const std::string& token);
    /// Someone asks for a sign-in link for `address` from `client`. Throttled per address and
    /// per client, and the look-up and the mail happen in the background: the caller answers
    /// at once, in the same time whether or not the address is known.
    void request_sign_in(const std::string& address, const std::string& client);
    /// How sign-in links are mailed (set by `serve` when mail is on).
    using LoginMailer = std::function<bool(const std::string& school, const std::string& person,
                                           const std::string& url)>;
    void on_login_mail(LoginMailer f) { login_mailer_ = std::move(f); }

    /// Something a page shows once after a redirect (a new subscribe link): kept for the
    /// session for ten minutes, and gone once taken, so that a reload neither repeats the POST
    /// nor shows the link again.
    void show_once(const std::string& session_token, const std::string& slot, std::string value);
    std::optional<std::string> take_shown_once(const std::string& session_token,
                                               const std::string& slot);

    Clock& clock() { return clock_; }

    /// Base of links: "https://jaarkalender.stichting.nl".
    [[nodiscard]] const std::string& public_url() const { return public_url_; }
    void set_public_url(std::string url) { public_url_ = std::move(url); }

  private:
    SchoolRegistry& schools_;
    AccessStore& access_;
    AuditStore& audit_;
    Clock& clock_;
    Background& background_;
    std::unique_ptr<RateLimit> per_address_;
    std::unique_ptr<RateLimit> per_client_;
    std::string public_url_ = "http://localhost:8080";
    LoginMailer login_mailer_;
};

}  // namespace jk::daemon
