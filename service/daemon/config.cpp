#include "daemon/config.hpp"

#include <fstream>
#include <sstream>

#include "toml_reader.hpp"

namespace jk::daemon {

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
                                {"server", "store", "calendars", "log"});
        if (const toml::table* t = table(top, "server")) {
            detail::TableReader s(
                ctx, *t, "[server]",
                {"listen", "port", "threads", "public_url", "read_timeout_seconds"});
            c.server.address = s.string("listen").value_or(c.server.address);
            if (auto p = s.integer("port")) {
                if (*p < 0 || *p > 65535)
                    ctx.error(s.node("port")->source(), "port moet tussen 0 en 65535 liggen");
                else
                    c.server.port = static_cast<unsigned short>(*p);
            }
            if (auto th = s.integer("threads")) {
                if (*th < 1 || *th > 64)
                    ctx.error(s.node("threads")->source(), "threads moet tussen 1 en 64 liggen");
                else
                    c.server.threads = static_cast<int>(*th);
            }
            if (auto rt = s.integer("read_timeout_seconds")) {
                if (*rt < 1 || *rt > 600)
                    ctx.error(s.node("read_timeout_seconds")->source(),
                              "read_timeout_seconds moet tussen 1 en 600 liggen");
                else
                    c.server.read_timeout = std::chrono::seconds(*rt);
            }
            if (auto u = s.string("public_url")) {
                if (u->rfind("http://", 0) != 0 && u->rfind("https://", 0) != 0)
                    ctx.error(s.node("public_url")->source(),
                              "public_url begint met https:// (of http:// op een testmachine)");
                else
                    c.public_url = u->back() == '/' ? u->substr(0, u->size() - 1) : *u;
            }
        }
        if (const toml::table* t = table(top, "store")) {
            detail::TableReader s(ctx, *t, "[store]", {"sqlite"});
            if (auto p = s.string("sqlite", true, "het pad van de SQLite-database"))
                c.sqlite = base / *p;
        } else {
            top.missing("store", "[store] met sqlite = \"pad/naar/jaarkalender.db\"");
        }
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
    }
    if (!diags.has_errors() && !std::filesystem::is_directory(c.calendars))
        diags.error(path, 1, 1,
                    "de map " + c.calendars.string() + " bestaat niet ([calendars] folder)");
    if (diags.has_errors()) return diags;
    return c;
}

}  // namespace jk::daemon
