// The web pages the daemon serves (server-rendered HTML, Dutch).
#pragma once

#include <string_view>

#include "daemon/http/http_types.hpp"
#include "daemon/services.hpp"

namespace jk::daemon {

/// `/mail/uit/<token>`: GET asks to confirm, POST (a form, or RFC 8058 One-Click) turns that
/// kind of mail off, or on again with `actie=aan`.
HttpResponse handle_unsubscribe(const HttpRequest& req, std::string_view token,
                                const Snapshot& snapshot, MailPreferences& mail);

/// True for the paths of the web pages ("/", "/inloggen", "/ib", ...).
bool is_web_path(std::string_view path);
/// The web pages (web.cpp): sign in, Mijn jaarkalender, IB, schoolleider, bestuur, and their
/// forms.
HttpResponse handle_web(const HttpRequest& req, const Snapshot& snapshot, Services& services);

}  // namespace jk::daemon
