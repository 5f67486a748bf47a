#include "daemon/web/context.hpp"

#include <algorithm>

#include "daemon/access/tokens.hpp"

namespace jk::daemon {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string url_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string url_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

FormData FormData::parse_multipart(std::string_view body, std::string_view boundary) {
    FormData out;
    if (boundary.empty() || boundary.size() > 70) return out;
    const std::string delim = "--" + std::string(boundary);
    size_t at = body.find(delim);
    while (at != std::string_view::npos) {
        at += delim.size();
        if (body.substr(at, 2) == "--") break;  // the closing delimiter
        if (body.substr(at, 2) != "\r\n") break;
        at += 2;
        const size_t head_end = body.find("\r\n\r\n", at);
        if (head_end == std::string_view::npos) break;
        const std::string_view head = body.substr(at, head_end - at);
        const size_t next = body.find("\r\n" + delim, head_end + 4);
        if (next == std::string_view::npos) break;
        const std::string_view value = body.substr(head_end + 4, next - head_end - 4);
        // Content-Disposition: form-data; name="x"[; filename="y"]
        const size_t n = head.find("name=\"");
        if (n != std::string_view::npos && (n == 0 || head[n - 1] == ' ' || head[n - 1] == ';')) {
            const size_t close = head.find('"', n + 6);
            if (close != std::string_view::npos)
                out.set(std::string(head.substr(n + 6, close - n - 6)), std::string(value));
        }
        at = next + 2;
    }
    return out;
}

/// `a=1&b=2` (a form body or a query string).

FormData FormData::parse(std::string_view s) {
    FormData out;
    size_t pos = 0;
    while (pos <= s.size()) {
        const size_t amp = std::min(s.find('&', pos), s.size());
        const std::string_view kv = s.substr(pos, amp - pos);
        const size_t eq = kv.find('=');
        if (!kv.empty())
            out.set(url_decode(kv.substr(0, eq)),
                    eq == std::string_view::npos ? "" : url_decode(kv.substr(eq + 1)));
        pos = amp + 1;
    }
    return out;
}

void FormData::set(const std::string& name, std::string value) {
    last_[name] = value;
    pairs_.emplace_back(name, std::move(value));
}

const std::string& FormData::get(const std::string& name) const {
    static const std::string kEmpty;
    auto it = last_.find(name);
    return it == last_.end() ? kEmpty : it->second;
}

std::vector<std::string> FormData::all(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : pairs_)
        if (k == name) out.push_back(v);
    return out;
}

std::string cookie(const HttpRequest& req, std::string_view name) {
    const std::string* h = req.header("cookie");
    if (!h) return {};
    std::string s = *h;
    std::replace(s.begin(), s.end(), ';', '&');
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    return FormData::parse(s).get(std::string(name));
}

/// Whether a POST comes from our own pages (login CSRF: a foreign page must not sign a browser
/// in with the attacker's link). Browsers say where a form came from in Sec-Fetch-Site, older
/// ones in Origin (which the pages' `Referrer-Policy: same-origin` keeps from being "null" for
/// our own forms); a request with neither (curl) passes, as the CSRF token or the single-use
/// link still has to be right.
bool same_origin(const HttpRequest& req, const std::string& public_url) {
    if (const std::string* site = req.header("sec-fetch-site"))
        return *site == "same-origin" || *site == "none";
    const std::string* origin = req.header("origin");
    if (!origin) return true;
    if (*origin == public_url) return true;
    const std::string* host = req.header("host");
    return host && (*origin == "http://" + *host || *origin == "https://" + *host);
}

Rights RequestContext::rights_at(const SchoolSnapshot& school) const {
    return jk::daemon::rights_at(*person, home->id, school.id);
}

namespace {

FormData query_of(const HttpRequest& req) {
    const auto q = req.target.find('?');
    return q == std::string::npos ? FormData{}
                                  : FormData::parse(std::string_view(req.target).substr(q + 1));
}

/// The context of `person` of the school `home`: their rights there, and the request's query.
RequestContext context_of(const HttpRequest& req, const Snapshot& snap, const SchoolSnapshot& home,
                          const Person& person, std::int64_t now) {
    RequestContext c;
    c.now = now;
    c.today = local_date(now);
    c.snapshot = &snap;
    c.home = &home;
    c.person = &person;
    c.rights = jk::daemon::rights_at(person, home.id, home.id);
    c.query = query_of(req);
    return c;
}

}  // namespace

std::optional<RequestContext> page_context(const HttpRequest& req, const Snapshot& snap,
                                           AccessService& access, std::string_view cookie_name) {
    const std::string token = cookie(req, cookie_name);
    if (token.empty()) return std::nullopt;
    const std::int64_t now = access.clock().now();
    auto session = access.web_session(token);
    if (!session) return std::nullopt;
    auto it = snap.schools.find(session->school);
    if (it == snap.schools.end() || !it->second->school || !it->second->plan) return std::nullopt;
    const Person* p = it->second->school->school.person(session->person);
    // Checked on every request against the current input: a leaver's session opens nothing
    // from the day after their last day, and a role taken away is gone at once.
    if (!p || !still_there(*p, local_date(now))) return std::nullopt;
    RequestContext c = context_of(req, snap, *it->second, *p, now);
    if (req.method == "POST") {
        const std::string* type = req.header("content-type");
        constexpr std::string_view kMultipart = "multipart/form-data";
        if (type && type->rfind(kMultipart, 0) == 0) {
            const size_t b = type->find("boundary=");
            std::string boundary = b == std::string::npos ? "" : type->substr(b + 9);
            if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"')
                boundary = boundary.substr(1, boundary.size() - 2);
            c.form = FormData::parse_multipart(req.body, boundary);
        } else {
            c.form = FormData::parse(req.body);
        }
    }
    c.session_token = token;
    c.session = *session;
    return c;
}

std::optional<RequestContext> api_context(const HttpRequest& req, const Snapshot& snap,
                                          AccessService& access, NoContext& why) {
    // A personal bearer token, compared by its hash.
    const std::string* auth = req.header("authorization");
    if (!auth || auth->rfind("Bearer ", 0) != 0 || !looks_like_token(auth->substr(7))) {
        why = {401, "geef een persoonlijk token: Authorization: Bearer <token>"};
        return std::nullopt;
    }
    auto owner = access.api_token(sha256_hex(auth->substr(7)));
    const std::int64_t now = access.clock().now();
    auto home = owner ? snap.schools.find(owner->school) : snap.schools.end();
    if (!owner || home == snap.schools.end() || !home->second->school || !home->second->plan) {
        why = {401, "onbekend of ingetrokken token"};
        return std::nullopt;
    }
    const Person* p = home->second->school->school.person(owner->person);
    if (!p || !still_there(*p, local_date(now))) {
        why = {403, "deze persoon werkt niet (meer) op de school; het token geeft geen rechten"};
        return std::nullopt;
    }
    return context_of(req, snap, *home->second, *p, now);
}

}  // namespace jk::daemon
