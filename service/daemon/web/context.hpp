// Who makes a request and what they may do, with the request's query and form: one context for
// the API (a bearer token) and the pages (a session cookie), so that both read a request, sign
// a person in and compute their rights the same way.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/access/access_service.hpp"
#include "daemon/access/rights.hpp"
#include "daemon/http/http_types.hpp"
#include "daemon/services.hpp"

namespace jk::daemon {

std::string url_decode(std::string_view s);
std::string url_encode(std::string_view s);

/// `a=1&b=2&b=3` (a form body or a query string), url-decoded. Every value of a repeated name
/// is kept (checkboxes); lookups by name give the last.
class FormData {
  public:
    FormData() = default;
    static FormData parse(std::string_view text);
    /// A `multipart/form-data` body (a form with a file): each part's value under its name, a
    /// file's bytes too; nothing for a body that is not one with this boundary.
    static FormData parse_multipart(std::string_view body, std::string_view boundary);

    [[nodiscard]] bool has(const std::string& name) const { return last_.count(name) > 0; }
    /// The value of `name`, "" when absent.
    [[nodiscard]] const std::string& get(const std::string& name) const;
    /// Every value of `name`, in order.
    [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
    [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& pairs() const {
        return pairs_;
    }
    // As a map of names to their last value (what most forms need).
    [[nodiscard]] size_t count(const std::string& name) const { return last_.count(name); }
    [[nodiscard]] const std::string& at(const std::string& name) const { return last_.at(name); }
    [[nodiscard]] auto find(const std::string& name) const { return last_.find(name); }
    [[nodiscard]] auto end() const { return last_.end(); }
    void set(const std::string& name, std::string value);

  private:
    std::vector<std::pair<std::string, std::string>> pairs_;
    std::map<std::string, std::string> last_;
};

/// A cookie's value ("" when the request has none of that name).
std::string cookie(const HttpRequest& req, std::string_view name);

/// Whether a POST comes from our own pages (login CSRF): Sec-Fetch-Site, else Origin.
bool same_origin(const HttpRequest& req, const std::string& public_url);

/// The person making a request.
struct RequestContext {
    const Snapshot* snapshot = nullptr;
    const SchoolSnapshot* home = nullptr;  // their own school (planned)
    const Person* person = nullptr;
    Rights rights;  // at their own school, the only one whose data they change
    FormData query;
    FormData form;              // a page's POST body
    std::string session_token;  // pages: the cookie's token
    WebSession session;         // pages: with the session's CSRF token
    std::int64_t now = 0;       // the moment of the request (the daemon's clock)
    Date today;                 // its day, local time

    [[nodiscard]] const std::string& school() const { return home->id; }
    [[nodiscard]] bool board() const { return rights.board; }
    /// Their rights at `school` (a bestuurder reads every school, writes none).
    [[nodiscard]] Rights rights_at(const SchoolSnapshot& school) const;
};

/// What a route's handler has (the pages' and the API's routers): the request, the person
/// making it, the published state, and the services it may call.
struct RoutedRequest {
    const HttpRequest& req;
    const RequestContext& u;
    const Snapshot& snap;
    Services& services;
};

/// Why a request has no context: the status and the Dutch message for it.
struct NoContext {
    int status = 401;
    std::string message;
};

/// Pages: the signed-in person of the session cookie `cookie_name`.
std::optional<RequestContext> page_context(const HttpRequest& req, const Snapshot& snap,
                                           AccessService& access, std::string_view cookie_name);
/// API: the owner of the request's bearer token, or why there is none (401, 403).
std::optional<RequestContext> api_context(const HttpRequest& req, const Snapshot& snap,
                                          AccessService& access, NoContext& why);

}  // namespace jk::daemon
