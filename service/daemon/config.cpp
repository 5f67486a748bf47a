#include "daemon/config.hpp"

#include <fstream>
#include <sstream>

#include "toml_reader.hpp"

namespace jk::daemon {
namespace {

/// Whether "host[:port][/...]" of an smtp:// URL names this machine.
bool loopback_host(std::string_view rest) {
    std::string_view host = rest.substr(0, rest.find('/'));
    if (const auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    if (!host.empty() && host.front() == '[') {
        host = host.substr(
            1, host.find(']') == std::string_view::npos ? host.size() : host.find(']') - 1);
    } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
        host = host.substr(0, colon);
    }
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void read_mail(const detail::FileContext& ctx, const toml::table& t,
               const std::filesystem::path& base, MailConfig& m) {
    detail::TableReader s(ctx, t, "[mail]",
                          {"mode", "folder", "url", "require_starttls", "username", "password_file",
                           "from", "from_name", "reply_to", "max_per_second", "scan_seconds",
                           "retry_hours", "timeout_seconds", "connections", "claim_seconds"});
    if (auto mode = s.string("mode")) {
        if (*mode == "off")
            m.mode = MailConfig::Mode::off;
        else if (*mode == "log")
            m.mode = MailConfig::Mode::log;
        else if (*mode == "smtp")
            m.mode = MailConfig::Mode::smtp;
        else
            ctx.error(s.node("mode")->source(), "mode is log, smtp of off");
    }
    m.folder = base / s.string("folder").value_or("mail");
    if (auto u = s.string("url")) {
        if (u->rfind("smtp://", 0) != 0 && u->rfind("smtps://", 0) != 0)
            ctx.error(s.node("url")->source(),
                      "url begint met smtp:// (met STARTTLS) of smtps://, bijvoorbeeld "
                      "\"smtp://mail.stichting.nl:587\"");
        else
            m.url = *u;
    } else if (m.mode == MailConfig::Mode::smtp) {
        s.missing("url", "de SMTP-server, bijvoorbeeld \"smtp://mail.stichting.nl:587\"");
    }
    m.require_starttls = s.boolean("require_starttls").value_or(true);
    if (!m.require_starttls && !m.url.empty() && m.url.rfind("smtp://", 0) == 0 &&
        !loopback_host(m.url.substr(7)))
        ctx.error(s.node("require_starttls")->source(),
                  "require_starttls = false mag alleen voor een SMTP-server op deze machine "
                  "(localhost, 127.0.0.1 of ::1): anders gaan wachtwoord en e-mail onversleuteld "
                  "over het netwerk. Gebruik STARTTLS of smtps://");
    m.username = s.string("username").value_or("");
    if (auto pf = s.string("password_file")) {
        // The password lives in its own file (mode 0600), not in the config.
        std::ifstream in(base / *pf, std::ios::binary);
        if (!in) {
            ctx.error(s.node("password_file")->source(),
                      "het wachtwoordbestand " + (base / *pf).string() + " is niet leesbaar");
        } else {
            std::getline(in, m.password);
            while (!m.password.empty() && (m.password.back() == '\r' || m.password.back() == ' '))
                m.password.pop_back();
        }
    }
    auto address = [&](const char* key, std::string& out) {
        if (auto a = s.string(key)) {
            const auto at = a->find('@');
            if (at == std::string::npos || at == 0 || at + 1 == a->size() ||
                a->find_first_of(" <>\r\n") != std::string::npos)
                ctx.error(s.node(key)->source(), std::string(key) +
                                                     " is een e-mailadres, bijvoorbeeld "
                                                     "\"jaarkalender@stichting.nl\"");
            else
                out = *a;
        }
    };
    address("from", m.from_address);
    address("reply_to", m.reply_to);
    m.from_name = s.string("from_name").value_or(m.from_name);
    if (auto r = s.integer("max_per_second")) {
        if (*r < 1 || *r > 10000)
            ctx.error(s.node("max_per_second")->source(), "max_per_second ligt tussen 1 en 10000");
        else
            m.max_per_second = static_cast<double>(*r);
    }
    auto bounded = [&](const char* key, int lo, int hi, int& out) {
        if (auto v = s.integer(key)) {
            if (*v < lo || *v > hi)
                ctx.error(s.node(key)->source(), std::string(key) + " ligt tussen " +
                                                     std::to_string(lo) + " en " +
                                                     std::to_string(hi));
            else
                out = static_cast<int>(*v);
        }
    };
    bounded("scan_seconds", 1, 3600, m.scan_seconds);
    bounded("retry_hours", 1, 168, m.retry_hours);
    bounded("timeout_seconds", 1, 300, m.timeout_seconds);
    bounded("connections", 1, 8, m.connections);
    bounded("claim_seconds", 5, 600, m.claim_seconds);
}

/// An integer key within [lo, hi]: its value, or nothing (and the error, "KEY moet tussen LO en
/// HI liggen", at the key) when it is out of range.
std::optional<std::int64_t> in_range(const detail::TableReader& s, const char* key, std::int64_t lo,
                                     std::int64_t hi) {
    auto v = s.integer(key);
    if (!v) return std::nullopt;
    if (*v < lo || *v > hi) {
        s.ctx().error(s.node(key)->source(), std::string(key) + " moet tussen " +
                                                 std::to_string(lo) + " en " + std::to_string(hi) +
                                                 " liggen");
        return std::nullopt;
    }
    return v;
}

void read_server(const detail::FileContext& ctx, const toml::table& t, DaemonConfig& c) {
    detail::TableReader s(ctx, t, "[server]",
                          {"listen", "port", "threads", "public_url", "read_timeout_seconds",
                           "header_timeout_seconds", "max_connections", "trusted_proxies",
                           "writes_per_second", "write_burst"});
    c.server.address = s.string("listen").value_or(c.server.address);
    if (auto p = in_range(s, "port", 0, 65535)) c.server.port = static_cast<unsigned short>(*p);
    if (auto th = in_range(s, "threads", 1, 64)) c.server.threads = static_cast<int>(*th);
    if (auto rt = in_range(s, "read_timeout_seconds", 1, 600))
        c.server.read_timeout = std::chrono::seconds(*rt);
    if (auto ht = in_range(s, "header_timeout_seconds", 1, 600))
        c.server.header_timeout = std::chrono::seconds(*ht);
    // The per-account limit of tracking and staff changes (a burst, then a rate).
    if (auto w = in_range(s, "writes_per_second", 1, 10000))
        c.writes_per_second = static_cast<double>(*w);
    if (auto w = in_range(s, "write_burst", 1, 10000)) c.write_burst = static_cast<double>(*w);
    if (auto mc = in_range(s, "max_connections", 32, 1'000'000))
        c.server.max_connections = static_cast<int>(*mc);
    if (const toml::node* tp = s.node("trusted_proxies")) {
        // Only these addresses may say who the client is (X-Forwarded-For): the per-client
        // throttles must see the real client behind a TLS proxy.
        const char* what =
            "trusted_proxies is een lijst van IP-adressen, bijvoorbeeld [\"127.0.0.1\"]";
        if (const toml::array* a = tp->as_array()) {
            for (const auto& item : *a) {
                if (auto v = item.value<std::string>())
                    c.server.trusted_proxies.push_back(*v);
                else
                    ctx.error(item.source(), what);
            }
        } else {
            ctx.error(tp->source(), what);
        }
    }
    if (auto u = s.string("public_url")) {
        if (u->rfind("http://", 0) != 0 && u->rfind("https://", 0) != 0)
            ctx.error(s.node("public_url")->source(),
                      "public_url begint met https:// (of http:// op een testmachine)");
        else
            c.public_url = u->back() == '/' ? u->substr(0, u->size() - 1) : *u;
    }
}

void read_store(const detail::FileContext& ctx, const toml::table& t,
                const std::filesystem::path& base, DaemonConfig& c) {
    detail::TableReader s(ctx, t, "[store]",
                          {"sqlite", "postgresql", "password_file", "connections"});
    const toml::node* pg = s.node("postgresql");
    if (pg && s.node("sqlite")) {
        ctx.error(pg->source(),
                  "kies één database: sqlite (één dienst) of postgresql (een of meer "
                  "diensten), niet allebei");
    } else if (pg) {
        if (auto v = s.string("postgresql", true, "de verbindingsgegevens van PostgreSQL"))
            c.store.postgresql = *v;
        if (auto f = s.string("password_file"))
            c.store.password_file = (base / *f).string();
        else if (c.store.postgresql.find("password") != std::string::npos)
            ctx.error(pg->source(),
                      "zet het wachtwoord niet in de configuratie maar in een bestand "
                      "(password_file = \"/etc/jaarkalender/db-wachtwoord\")");
        if (const toml::node* n = s.node("connections")) {
            auto v = n->value<std::int64_t>();
            if (!v || *v < 1 || *v > 64)
                ctx.error(n->source(), "connections is een getal van 1 tot en met 64");
            else
                c.store.connections = static_cast<int>(*v);
        }
    } else if (auto p = s.string("sqlite", true, "het pad van de SQLite-database")) {
        c.sqlite = base / *p;
        c.store.sqlite = c.sqlite.string();
    }
}

}  // namespace

Result<DaemonConfig> load_config(const std::filesystem::path& file) {
    Diagnostics diags;
    const std::string path = file.string();
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        diags.error(path, 1, 1, "configuratiebestand ontbreekt of is niet leesbaar");
        return diags;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    auto doc = detail::parse_toml(ss.str(), path, diags);
    if (!doc) return diags;
    detail::FileContext ctx(path, diags);
    DaemonConfig c;
    const auto base = std::filesystem::absolute(file).parent_path();
    auto table = [&](const detail::TableReader& top, const char* key) -> const toml::table* {
        const toml::node* n = top.node(key);
        if (!n) return nullptr;
        if (!n->is_table()) top.type_error(*n, key, "tabel");
        return n->as_table();
    };
    {
        detail::TableReader top(ctx, *doc, "het configuratiebestand",
                                {"server", "store", "calendars", "log", "mail"});
        if (const toml::table* t = table(top, "server")) read_server(ctx, *t, c);
        if (const toml::table* t = table(top, "store"))
            read_store(ctx, *t, base, c);
        else
            top.missing("store", "[store] met sqlite = \"pad/naar/jaarkalender.db\"");
        if (const toml::table* t = table(top, "calendars")) {
            detail::TableReader s(ctx, *t, "[calendars]", {"folder"});
            if (auto p = s.string("folder", true, "de map met de scholen")) c.calendars = base / *p;
        } else {
            top.missing("calendars", "[calendars] met folder = \"pad/naar/calendars\"");
        }
        if (const toml::table* t = table(top, "log")) {
            detail::TableReader s(ctx, *t, "[log]", {"level", "access"});
            c.access_log = s.boolean("access").value_or(false);
            if (auto l = s.string("level")) {
                if (*l != "debug" && *l != "info" && *l != "warn" && *l != "error")
                    ctx.error(s.node("level")->source(), "level is debug, info, warn of error");
                else
                    c.log_level = *l;
            }
        }
        if (const toml::table* t = table(top, "mail"))
            read_mail(ctx, *t, base, c.mail);
        else
            c.mail.folder = base / "mail";
    }
    if (!diags.has_errors() && !std::filesystem::is_directory(c.calendars))
        diags.error(path, 1, 1,
                    "de map " + c.calendars.string() + " bestaat niet ([calendars] folder)");
    if (diags.has_errors()) return diags;
    return c;
}

}  // namespace jk::daemon
