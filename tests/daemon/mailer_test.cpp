// The mailer inside the daemon: a tracking change through the API puts a change notice in the
// outbox and out through the transport (a folder); the link in it turns that mail off; an event
// that is done before its reminder goes out is skipped, not sent. The daemon world of the tests
// (real services, SQLite store and routes; no sockets; a clock the test sets) with its mailer.
#include "daemon/mail/mailer.hpp"
#include "daemon_fixture.hpp"
#include "daemon_world.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "daemon/access/tokens.hpp"
#include "daemon/http/routes.hpp"

using namespace jk;
using namespace jk::daemon;
namespace fs = std::filesystem;

namespace {

/// The daemon world with its mailer writing into a folder, from Wed 28 October 2026 06:00.
struct MailDaemon : jk::testing::DaemonWorld {
    std::unique_ptr<Store> mail_store;
    std::unique_ptr<Mailer> mailer;
    std::string token = random_token();

    MailDaemon() : DaemonWorld("mailer", local_to_epoch(*parse_date("2026-10-28"), 6 * 60)) {
        mail_store = open_sqlite_store((dir / "jk.db").string(), Durability::normal);
        MailConfig config;
        config.mode = MailConfig::Mode::log;
        config.folder = dir / "mail";
        config.max_per_second = 10000;
        mailer = std::make_unique<Mailer>(
            schools(), *store, *mail_store, [config] { return make_transport(config); }, config,
            "https://jk.example");
        schools().on_plan_change([this](const SchoolSnapshot* b, const SchoolSnapshot& a) {
            mailer->plan_changed(b, a, clock.t);
        });
        store->add_api_token("voorbeeldschool", "anna", sha256_hex(token), "t");
        mailer->scan(clock.t);  // sets the cursor
    }
    ~MailDaemon() {
        mailer.reset();
        mail_store.reset();
    }

    HttpResponse call(const std::string& method, const std::string& target,
                      const std::string& body = "", bool api = true) {
        HttpRequest r{method, target, {}, body, {}};
        if (api) r.headers.emplace_back("authorization", "Bearer " + token);
        if (!body.empty())
            r.headers.emplace_back("content-type",
                                   api ? "application/json" : "application/x-www-form-urlencoded");
        return request(r).response;
    }
    std::vector<std::string> messages() {
        std::vector<std::string> out;
        if (!fs::exists(dir / "mail")) return out;
        for (const auto& f : fs::directory_iterator(dir / "mail")) {
            std::ifstream in(f.path(), std::ios::binary);
            std::ostringstream ss;
            ss << in.rdbuf();
            out.push_back(ss.str());
        }
        return out;
    }
    /// A copy: the plan may be kept deflated once nobody holds it.
    Plan plan() { return *schools().snapshot()->schools.at("voorbeeldschool")->plan.load(); }
};

std::string unsubscribe_path(const std::string& message) {
    const auto at = message.find("List-Unsubscribe: <https://jk.example");
    REQUIRE(at != std::string::npos);
    const auto start = at + std::string("List-Unsubscribe: <https://jk.example").size();
    return message.substr(start, message.find('>', start) - start);
}

}  // namespace

TEST_CASE("mailer: a move through the API is announced at once, and its link turns that mail off",
          "[io][mail]") {
    MailDaemon d;
    // A teacher's event in the coming days (whoever the plan has one for).
    const Event* e = nullptr;
    std::string who;
    const Plan plan = d.plan();
    for (const Event& ev : plan.events)
        if (ev.kind == EventKind::rule && !ev.all_day && !e &&
            ev.date > *parse_date("2026-10-29") && ev.date < *parse_date("2026-11-11"))
            for (const std::string& a : ev.attendees)
                if (a != "anna" && a != "erik" && !e) e = &ev, who = a;
    REQUIRE(e);
    const std::string who_name =
        d.schools().snapshot()->schools.at("voorbeeldschool")->school->school.person(who)->name;
    // The plan is replaced by every change: keep what is needed, not the pointer.
    const std::string uid = e->uid;
    const Date date = e->date;
    const Minute start = e->start;
    e = nullptr;
    Date target = date + std::chrono::days{1};
    while (weekday_index(target) > 4) target += std::chrono::days{1};
    auto r = d.call("POST", "/api/v1/schools/voorbeeldschool/events/" + uid + "/move",
                    "{\"date\":\"" + format_date(target) + "\",\"start\":\"" + format_time(start) +
                        "\",\"force\":true}");
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(d.mailer->send_ready(d.clock.t) > 0);
    auto mails = d.messages();
    REQUIRE(!mails.empty());
    std::string to_bram;
    for (const auto& m : mails)
        if (m.find("To: \"" + who_name + "\"") != std::string::npos) to_bram = m;
    REQUIRE(!to_bram.empty());
    CHECK(to_bram.find("Subject: Verplaatst: ") != std::string::npos);

    // The link: GET asks, POST turns "wijzigingsberichten" off for Bram.
    const std::string link = unsubscribe_path(to_bram);
    CHECK(link.find("/mail/uit/voorbeeldschool." + who + ".change.") == 0);
    auto page = d.call("GET", link, "", false);
    CHECK(page.status == 200);
    CHECK(page.body.find("Zet wijzigingsberichten uit") != std::string::npos);
    CHECK(d.call("POST", link, "List-Unsubscribe=One-Click", false).status == 200);
    CHECK(d.services->mail.off("voorbeeldschool", who) == std::vector<MailKind>{MailKind::change});
    // A forged link is refused.
    std::string forged = link;
    forged.back() = forged.back() == '0' ? '1' : '0';
    CHECK(d.call("GET", forged, "", false).status == 404);
    CHECK(d.call("GET", "/mail/uit/voorbeeldschool." + who + ".change", "", false).status == 404);

    // Moving it back: the teacher is not told, the others are.
    auto to_who = [&](const std::vector<std::string>& list) {
        return std::count_if(list.begin(), list.end(), [&](const std::string& m) {
            return m.find("To: \"" + who_name + "\"") != std::string::npos;
        });
    };
    const auto told_before = to_who(d.messages());
    const size_t before = d.messages().size();
    r = d.call("POST", "/api/v1/schools/voorbeeldschool/events/" + uid + "/move",
               "{\"date\":\"" + format_date(date) + "\",\"start\":\"" + format_time(start) +
                   "\",\"force\":true}");
    REQUIRE(r.status == 200);
    d.mailer->send_ready(d.clock.t);
    const auto after = d.messages();
    CHECK(after.size() > before);
    CHECK(to_who(after) == told_before);

    // The API shows and changes the same preferences.
    auto prefs = boost::json::parse(d.call("GET", "/api/v1/me/mail").body);
    CHECK(prefs.at("reminder").as_bool());
    r = d.call("POST", "/api/v1/me/mail", "{\"digest\": false}");
    CHECK(r.status == 200);
    CHECK(boost::json::parse(r.body).at("digest").as_bool() == false);
    CHECK(d.call("POST", "/api/v1/me/mail", "{\"digest\": 1}").status == 400);
    CHECK(d.call("POST", "/api/v1/me/mail", "{\"weekly\": false}").status == 400);
    auto outbox =
        boost::json::parse(d.call("GET", "/api/v1/schools/voorbeeldschool/mail?state=sent").body);
    CHECK(outbox.as_array().size() == d.messages().size());
}

TEST_CASE("mailer: a reminder whose event is done before it goes out is skipped, not sent",
          "[io][mail]") {
    MailDaemon d;
    // The next reminder due after now.
    auto due =
        reminders_due(d.plan(), *d.schools().snapshot()->schools.at("voorbeeldschool")->school,
                      d.clock.t, d.clock.t + 14 * 86400);
    REQUIRE(!due.empty());
    const DueMail first = due.front();
    d.clock.t = first.due_at;
    CHECK(d.mailer->scan(d.clock.t) > 0);  // queued, not yet sent
    auto r = d.call("POST", "/api/v1/schools/voorbeeldschool/events/" + first.uid + "/done", "{}");
    REQUIRE(r.status == 200);
    d.mailer->send_ready(d.clock.t);
    const auto skipped = d.store->outbox("voorbeeldschool", OutboxState::skipped, 100);
    bool found = false;
    for (const auto& m : skipped)
        if (m.uid == first.uid) {
            found = true;
            CHECK(m.last_error == "de afspraak is inmiddels gehouden");
        }
    CHECK(found);
    // Scanning the same moment again queues nothing twice.
    const auto total = d.store->outbox("voorbeeldschool", std::nullopt, 1000).size();
    d.mailer->scan(d.clock.t);
    CHECK(d.store->outbox("voorbeeldschool", std::nullopt, 1000).size() == total);
}

TEST_CASE("mailer: a newcomer and a new invaller are welcomed once, with what they take over",
          "[io][mail]") {
    MailDaemon d;
    d.store->add_api_token("voorbeeldschool", "erik", sha256_hex(d.token + "e"), "t");
    // Sanne takes over groep 5 from Monday 2 November; the preview lists her welcome.
    const std::string newcomer =
        R"({"kind": "person", "name": "Sanne Dekker", "email": "sanne.dekker@voorbeeld.nl",
            "works": ["ma", "di", "wo", "do", "vr"], "from": "2026-11-02",
            "groups": [{"group": "groep-5"}]})";
    auto preview = d.call("POST", "/api/v1/schools/voorbeeldschool/changes",
                          newcomer.substr(0, newcomer.size() - 1) + R"(, "preview": true})");
    INFO(preview.body);
    REQUIRE(preview.status == 200);
    const auto listed = boost::json::parse(preview.body).at("mails").as_array();
    bool welcome_listed = false;
    for (const auto& m : listed)
        if (m.at("person").as_string() == "sanne" && m.at("welcome").as_bool())
            welcome_listed = true;
    CHECK(welcome_listed);
    auto saved = d.call("POST", "/api/v1/schools/voorbeeldschool/changes", newcomer);
    INFO(saved.body);
    REQUIRE(saved.status == 201);
    // Lisa ill for two weeks, a new invaller: welcomed too, without the reason.
    auto ill = d.call("POST", "/api/v1/schools/voorbeeldschool/changes",
                      R"({"kind": "absence", "person": "lisa", "from": "2026-11-09",
                          "to": "2026-11-20", "reason": "ziek: operatie",
                          "substitute": {"name": "Tom Invaller", "email": "tom@invalpool.nl"}})");
    INFO(ill.body);
    REQUIRE(ill.status == 201);
    d.mailer->send_ready(d.clock.t);
    std::vector<std::string> welcomes;
    for (const auto& m : d.messages())
        if (m.find("Subject: Welkom bij") != std::string::npos) welcomes.push_back(m);
    REQUIRE(welcomes.size() == 2);
    std::string sanne, tom;
    for (const auto& m : welcomes)
        (m.find("sanne.dekker@voorbeeld.nl") != std::string::npos ? sanne : tom) = m;
    REQUIRE_FALSE(sanne.empty());
    REQUIRE_FALSE(tom.empty());
    const std::string sanne_text = jk::daemon::testing::decoded(sanne),
                      tom_text = jk::daemon::testing::decoded(tom);
    INFO(sanne_text);
    CHECK(sanne_text.find("Beste Sanne,") != std::string::npos);
    CHECK(sanne_text.find("Je groepen: Groep 5 (ma di wo do vr)") != std::string::npos);
    CHECK(sanne_text.find("toetsafnames") != std::string::npos);
    CHECK(sanne_text.find("Maak mijn abonnementslink") != std::string::npos);
    CHECK(sanne_text.find("https://jk.example/inloggen") != std::string::npos);
    INFO(tom_text);
    CHECK(tom_text.find("Je valt in voor Lisa Smits van ma 9 nov 2026 tot en met vr 20 nov 2026") !=
          std::string::npos);
    CHECK(tom_text.find("operatie") == std::string::npos);  // the reason stays inside
    // Once: another change later welcomes nobody again.
    REQUIRE(d.call("POST", "/api/v1/schools/voorbeeldschool/changes",
                   R"({"kind": "closure", "from": "2026-12-02", "closure_kind": "studiedag",
                       "name": "Studiedag extra"})")
                .status == 201);
    d.mailer->send_ready(d.clock.t);
    int after = 0;
    for (const auto& m : d.messages()) after += m.find("Subject: Welkom bij") != std::string::npos;
    CHECK(after == 2);
}

TEST_CASE("mailer: a published next year is announced to everyone in it, once",
          "[io][mail][next_year]") {
    MailDaemon d;
    d.services->years.on_publish([&d](const std::string& school, const YearView& year) {
        d.mailer->year_published(school, *year.plan, *year.school, d.clock.t);
    });
    REQUIRE(d.call("POST", "/api/v1/schools/voorbeeldschool/years", "{}").status == 201);
    d.mailer->send_ready(d.clock.t);
    auto announced = [&] {
        std::vector<std::string> out;
        for (const auto& m : d.messages())
            if (m.find("Subject: Schooljaar 2027-2028 staat in je jaarkalender") !=
                std::string::npos)
                out.push_back(jk::daemon::testing::decoded(m));
        return out;
    };
    CHECK(announced().empty());  // a draft is nobody's business yet
    REQUIRE(d.call("POST", "/api/v1/schools/voorbeeldschool/years/2027-2028/publish").status ==
            200);
    d.mailer->send_ready(d.clock.t);
    const auto mails = announced();
    const auto& people = d.schools().snapshot()->schools.at("voorbeeldschool")->school->school;
    CHECK(mails.size() == people.persons.size());
    std::string bram;
    for (const auto& m : mails)
        if (m.find("bram.jansen@voorbeeld.nl") != std::string::npos) bram = m;
    REQUIRE_FALSE(bram.empty());
    INFO(bram);
    CHECK(bram.find("Beste Bram,") != std::string::npos);
    CHECK(bram.find("Dan staat het nieuwe jaar er vanaf nu in") != std::string::npos);
    CHECK(bram.find("De eerste schooldag is ma 30 aug 2027") != std::string::npos);
    CHECK(bram.find("Klassenconsultatie") != std::string::npos);
    CHECK(bram.find("https://jk.example/") != std::string::npos);
    // Published again: nobody is mailed twice.
    d.call("POST", "/api/v1/schools/voorbeeldschool/years/2027-2028/publish");
    d.mailer->send_ready(d.clock.t);
    CHECK(announced().size() == mails.size());
}

TEST_CASE("mailer: from the switch on, reminders and digests are of the new year",
          "[io][mail][next_year]") {
    MailDaemon d;
    REQUIRE(d.call("POST", "/api/v1/schools/voorbeeldschool/years", "{}").status == 201);
    REQUIRE(d.call("POST", "/api/v1/schools/voorbeeldschool/years/2027-2028/publish").status ==
            200);
    auto current = [&] { return d.schools().snapshot()->schools.at("voorbeeldschool"); };
    // Everything of the old year up to its last day is queued (its cursor moves there).
    const Date last = current()->school->school.last_day;
    d.clock.t = local_to_epoch(last, 20 * 60);
    d.mailer->scan(d.clock.t);
    std::set<long long> before;
    for (const auto& m : d.store->outbox("voorbeeldschool", std::nullopt, 100000))
        before.insert(m.id);
    // The switch, then the weeks up to the first school day of the new year.
    d.clock.t = local_to_epoch(last + std::chrono::days{1}, 6 * 60);
    d.services->years.tick();
    REQUIRE(current()->school_year == "2027-2028");
    const Date first = current()->school->school.first_day;
    for (Date day = last + std::chrono::days{1}; day <= first + std::chrono::days{4};
         day += std::chrono::days{1}) {
        d.clock.t = local_to_epoch(day, 18 * 60);
        d.mailer->scan(d.clock.t);
    }
    int reminders = 0, digests = 0;
    const auto now = current();
    for (const auto& m : d.store->outbox("voorbeeldschool", std::nullopt, 100000)) {
        if (before.count(m.id)) continue;
        INFO(m.key);
        if (m.kind == OutboxKind::reminder) {
            ++reminders;
            // Every reminder is of an event of the new year.
            CHECK(now->plan.load()->find(m.uid));
        }
        if (m.kind == OutboxKind::digest) {
            ++digests;
            // The new year's figures: nothing is due yet (the old year ended with much
            // overdue, nothing having been ticked off).
            const std::string text = jk::daemon::testing::decoded(m.message);
            INFO(text.substr(0, 2000));
            if (m.person == "erik")
                CHECK(text.find("Toetsperiode midden: nog niets te beoordelen") !=
                      std::string::npos);
            else
                CHECK(text.find("Achterstallig: 0") != std::string::npos);
        }
    }
    CHECK(reminders > 0);
    CHECK(digests > 0);
}
