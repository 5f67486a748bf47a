// `jaarkalender serve` and `jaarkalender subscribe`.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "daemon/access/tokens.hpp"
#include "daemon/config.hpp"
#include "daemon/http/http_date.hpp"
#include "daemon/http/http_server.hpp"
#include "daemon/mail/mailer.hpp"
#include "daemon/services.hpp"
#include "daemon/store/store.hpp"
#include "jaarkalender/loader.hpp"

namespace jk::cli {
namespace {

/// The system clock moved to a chosen moment (`--now`), for demonstrations and tests: the
/// daemon then behaves as on that day, and time runs on from there.
class OffsetClock final : public daemon::Clock {
  public:
    explicit OffsetClock(std::int64_t offset) : offset_(offset) {}
    std::int64_t now() override { return system_.now() + offset_; }

  private:
    daemon::SystemClock system_;
    std::int64_t offset_;
};

/// True when the school's input (the store's, else its files) names this person; otherwise
/// says why on stderr.
bool person_exists(const daemon::DaemonConfig& config, const std::string& school_id,
                   const std::string& person, const char* command) {
    auto school = current_school(config, school_id);
    if (!school) {
        for (const auto& d : school.error().items()) std::cerr << to_string(d) << "\n";
        return false;
    }
    if (!school->school.person(person)) {
        std::cerr << "jaarkalender " << command << ": persoon '" << person << "' bestaat niet in "
                  << school_id << "\n";
        return false;
    }
    return true;
}

/// Takes `--now YYYY-MM-DDTHH:MM` (school time) out of `rest`: the offset to the system clock,
/// 0 without it, nullopt (after a message) when it is malformed.
std::optional<std::int64_t> take_now(std::vector<std::string>& rest, const char* command) {
    auto it = std::find(rest.begin(), rest.end(), "--now");
    if (it == rest.end()) return 0;
    if (it + 1 == rest.end()) {
        std::cerr << "jaarkalender " << command << ": --now heeft een tijdstip nodig, "
                  << "bijvoorbeeld 2026-11-23T09:00\n";
        return std::nullopt;
    }
    const std::string text = *(it + 1);
    auto date = parse_date(text.substr(0, 10));
    auto time = text.size() == 16 && text[10] == 'T' ? parse_time(text.substr(11)) : std::nullopt;
    if (!date || !time) {
        std::cerr << "jaarkalender " << command << ": --now '" << text
                  << "' is geen tijdstip; schrijf JJJJ-MM-DDTUU:MM (schooltijd)\n";
        return std::nullopt;
    }
    rest.erase(it, it + 2);
    return local_to_epoch(*date, *time) - daemon::SystemClock().now();
}

constexpr const char* kServeHelp =
    "jaarkalender serve --config BESTAND\n"
    "\n"
    "Plant elke school in de map van [calendars], bewaart de plannen in de database en serveert\n"
    "de .ics-feeds over HTTP. SIGHUP laadt de scholen opnieuw; SIGTERM stopt netjes. Een school\n"
    "met ongeldige bestanden houdt haar laatste goede plan; de fouten staan in het log.\n";

constexpr const char* kSubscribeHelp =
    "jaarkalender subscribe --config BESTAND SCHOOL school|person ID|group ID|role NAAM\n"
    "                       [--revoke | --rotate]\n"
    "\n"
    "Maakt een abonnementslink (https en webcal) met een eigen geheim token; --revoke trekt de\n"
    "links van die feed in, --rotate trekt ze in en maakt een nieuwe.\n";

}  // namespace

int serve(const daemon::DaemonConfig& config, std::vector<std::string>& rest) {
    const auto offset = take_now(rest, "serve");
    if (!offset) return kExitInvalid;
    if (!rest.empty()) {
        std::cerr << "jaarkalender serve: onbekend argument '" << rest.front() << "'\n";
        return kExitInvalid;
    }
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    auto store = open_store(config);
    OffsetClock clock(*offset);
    if (*offset != 0)
        spdlog::warn("--now: the daemon's clock runs {} s ahead of the system clock", *offset);
    // The official vacations: calendars/official/schoolvakanties.toml when it is there.
    auto official = official_holidays_in(config.calendars);
    if (!official) {
        for (const auto& d : official.error().items()) std::cerr << to_string(d) << "\n";
        return kExitInvalid;
    }
    if (!official->file.empty())
        spdlog::info("official vacations from {} ({})", official->file,
                     fmt::join(official->known_years(), ", "));
    daemon::Services services(config.calendars, std::move(official).value(), *store, clock);
    daemon::SchoolRegistry& schools = services.schools;
    services.access.set_public_url(config.public_url);
    services.set_write_limit(config.write_burst, config.writes_per_second);
    // The first start time-zone set-up of libical races across threads (libical#1029): plan
    // every school once before any request thread exists.
    schools.reload();
    // A next year whose first day came while the daemon was down is current before it serves.
    services.years.tick();
    // Mail runs on its own thread with its own store connection: sending never blocks a
    // request, and a slow SMTP server never holds the store's lock.
    std::unique_ptr<daemon::Store> mail_store;
    std::unique_ptr<daemon::Mailer> mailer;
    if (config.mail.mode != daemon::MailConfig::Mode::off) {
        mail_store = daemon::open_store(config.store, daemon::Durability::normal);
        const daemon::MailConfig mail = config.mail;
        mailer = std::make_unique<daemon::Mailer>(
            schools, *store, *mail_store, [mail] { return daemon::make_transport(mail); },
            config.mail, config.public_url);
        schools.on_plan_change([&mailer, &clock](const daemon::SchoolSnapshot* before,
                                                 const daemon::SchoolSnapshot& after) {
            mailer->plan_changed(before, after, clock.now());
        });
        services.years.on_publish(
            [&mailer, &clock](const std::string& school, const daemon::YearView& year) {
                if (year.plan && year.school)
                    mailer->year_published(school, *year.plan, *year.school, clock.now());
            });
        services.access.on_login_mail([&mailer, &clock](const std::string& school,
                                                        const std::string& person,
                                                        const std::string& url) {
            mailer->send_login_link(school, person, url, clock.now());
            return true;
        });
        mailer->start();
        if (config.mail.mode == daemon::MailConfig::Mode::log)
            spdlog::info("mail mode log: messages are written to {}", config.mail.folder.string());
    }
    // Several daemons on one database: another's changes are served here within a second.
    std::atomic<bool> stop_news{false};
    std::thread news;
    if (auto listener = store->listen()) {
        news = std::thread([&schools, &stop_news, listener = std::move(listener)] {
            while (!stop_news) {
                try {
                    schools.store_news(listener->wait(std::chrono::milliseconds(500)));
                } catch (const std::exception& e) {
                    spdlog::error("news from the other daemons: {}", e.what());
                    std::this_thread::sleep_for(std::chrono::milliseconds(500));
                }
            }
        });
        spdlog::info("store: postgresql, shared with other daemons (LISTEN jaarkalender)");
    }
    struct StopNews {
        std::atomic<bool>& stop;
        std::thread& thread;
        ~StopNews() {
            stop = true;
            if (thread.joinable()) thread.join();
        }
    } stop_news_at_exit{stop_news, news};
    daemon::ServerOptions server_options = config.server;
    server_options.access_log = config.access_log;
    daemon::HttpServer server(server_options, services);
    try {
        server.listen();
    } catch (const std::system_error& e) {
        std::cerr << "jaarkalender serve: kan niet luisteren op " << config.server.address << ":"
                  << config.server.port << ": " << e.code().message()
                  << " (draait jaarkalender al, of gebruikt een ander programma deze poort?)\n";
        return kExitInternal;
    }
    const auto snap = schools.snapshot();
    std::string hello = "jaarkalender luistert op http://" + config.server.address + ":" +
                        std::to_string(server.port()) + "/ (" +
                        std::to_string(snap->schools.size()) + " school(en), " +
                        std::to_string(snap->subscriptions.size()) + " abonnement(en))\n";
    if (snap->subscriptions.empty() && !snap->schools.empty())
        hello +=
            "Nog geen abonnementen; maak een link met bijvoorbeeld:\n  jaarkalender subscribe "
            "--config BESTAND " +
            snap->schools.begin()->first + " school\n";
    // In one write: the mailer's thread logs meanwhile, and whoever reads the port from this
    // line (a supervisor, the tests) must not find a log line in the middle of it.
    std::fwrite(hello.data(), 1, hello.size(), stdout);
    std::fflush(stdout);
    server.run();
    if (mailer) mailer->stop();  // the message in flight finishes; the rest waits in the outbox
    return kExitOk;
}

int subscribe(const daemon::DaemonConfig& config, std::vector<std::string>& rest) {
    bool revoke = false, rotate = false;
    std::vector<std::string> words;
    for (const auto& a : rest) {
        if (a == "--revoke")
            revoke = true;
        else if (a == "--rotate")
            rotate = true;
        else
            words.push_back(a);
    }
    if (words.size() < 2) {
        std::cerr << kSubscribeHelp;
        return kExitInvalid;
    }
    const std::string school_id = words[0];
    auto scope = daemon::parse_feed_scope(words[1]);
    const std::string target = words.size() > 2 ? words[2] : "";
    if (!scope || (*scope == daemon::FeedScope::school) != target.empty() || words.size() > 3) {
        std::cerr
            << "jaarkalender subscribe: schrijf 'school', 'person ID', 'group ID' of 'role NAAM'\n";
        return kExitInvalid;
    }
    auto store = open_store(config);
    daemon::SystemClock clock;
    const std::string now = daemon::format_utc_iso(clock.now());
    const std::string what =
        std::string(daemon::to_string(*scope)) + (target.empty() ? "" : " " + target);
    // Revoking always works, whatever state the school's files are in.
    if (revoke || rotate) {
        const int n = store->revoke_subscriptions(school_id, *scope, target, now);
        store->audit(
            {now, "cli", school_id, "revoke-subscriptions", what + ": " + std::to_string(n)});
        std::cout << n << " link(s) ingetrokken voor " << what << "\n";
        if (revoke) return kExitOk;
    }
    // A new link: the school and the target must exist, a link to nothing helps nobody.
    auto school = current_school(config, school_id);
    if (!school) {
        for (const auto& d : school.error().items()) std::cerr << to_string(d) << "\n";
        return kExitInvalid;
    }
    bool exists = *scope == daemon::FeedScope::school;
    if (*scope == daemon::FeedScope::person) exists = school->school.person(target) != nullptr;
    if (*scope == daemon::FeedScope::group) exists = school->school.group(target) != nullptr;
    if (*scope == daemon::FeedScope::role)
        for (const auto& p : school->school.persons) exists = exists || p.has_role(target);
    if (!exists) {
        std::cerr << "jaarkalender subscribe: " << words[1] << " '" << target
                  << "' bestaat niet in " << school_id << "\n";
        return kExitInvalid;
    }
    const std::string token = daemon::random_token();
    daemon::Subscription s;
    s.school = school_id;
    s.scope = *scope;
    s.target = target;
    s.token_hash = daemon::sha256_hex(token);
    s.created_at = now;
    store->add_subscription(s);
    store->audit({now, "cli", school_id, "subscribe", what});
    const std::string url = config.public_url + "/feeds/" + token + ".ics";
    const std::string webcal = "webcal://" + url.substr(url.find("://") + 3);
    std::cout << url << "\n" << webcal << "\n";
    return kExitOk;
}

std::string token_help() {
    return "jaarkalender token --config BESTAND SCHOOL PERSOON [--revoke]\n\n"
           "Maakt een persoonlijk API-token (zie docs/api.md); --revoke trekt de tokens van\n"
           "die persoon in. Het token wordt alleen nu getoond en als hash bewaard.\n";
}

int token(const daemon::DaemonConfig& config, std::vector<std::string>& rest) {
    const bool revoke = std::find(rest.begin(), rest.end(), "--revoke") != rest.end();
    rest.erase(std::remove(rest.begin(), rest.end(), "--revoke"), rest.end());
    if (rest.size() != 2) {
        std::cerr << "jaarkalender token: schrijf SCHOOL PERSOON\n";
        return kExitInvalid;
    }
    auto store = open_store(config);
    daemon::SystemClock clock;
    const std::string now = daemon::format_utc_iso(clock.now());
    if (revoke) {
        const int n = store->revoke_api_tokens(rest[0], rest[1], now);
        store->audit(
            {now, "cli", rest[0], "revoke-api-tokens", rest[1] + ": " + std::to_string(n)});
        std::cout << n << " token(s) ingetrokken\n";
        return kExitOk;
    }
    if (!person_exists(config, rest[0], rest[1], "token")) return kExitInvalid;
    const std::string token = daemon::random_token();
    store->add_api_token(rest[0], rest[1], daemon::sha256_hex(token), now);
    store->audit({now, "cli", rest[0], "api-token", rest[1]});
    std::cout << token << "\n";
    return kExitOk;
}

std::string login_link_help() {
    return "jaarkalender login-link --config BESTAND SCHOOL PERSOON [--now TIJDSTIP]\n\n"
           "Drukt een inloglink voor de webpagina's af (bijvoorbeeld voor de eerste\n"
           "beheerder, of als e-mail nog niet werkt). Hij werkt " +
           std::to_string(daemon::kLoginLinkMinutes) +
           " minuten en één keer.\n"
           "--now: als de dienst met --now draait, hetzelfde tijdstip.\n";
}

int login_link(const daemon::DaemonConfig& config, std::vector<std::string>& rest) {
    const auto offset = take_now(rest, "login-link");
    if (!offset) return kExitInvalid;
    if (rest.size() != 2) {
        std::cerr << "jaarkalender login-link: schrijf SCHOOL PERSOON\n";
        return kExitInvalid;
    }
    if (!person_exists(config, rest[0], rest[1], "login-link")) return kExitInvalid;
    auto store = open_store(config);
    OffsetClock clock(*offset);
    const std::string token = daemon::random_token();
    store->add_login_link(daemon::sha256_hex(token), rest[0], rest[1],
                          clock.now() + daemon::kLoginLinkMinutes * 60LL);
    store->audit({daemon::format_utc_iso(clock.now()), "cli", rest[0], "login-link", rest[1]});
    std::cout << config.public_url << "/inloggen/" << token << "\n";
    return kExitOk;
}

const InstallationCommand kServeCommand{"serve", [] { return std::string(kServeHelp); }, serve};
const InstallationCommand kSubscribeCommand{"subscribe", [] { return std::string(kSubscribeHelp); },
                                            subscribe};
const InstallationCommand kTokenCommand{"token", token_help, token};
const InstallationCommand kLoginLinkCommand{"login-link", login_link_help, login_link};

}  // namespace jk::cli
