// Drives the daemon's mail path with a clock the test sets: the same services, store, Mailer and
// libcurl transport as `jaarkalender serve`, without the HTTP server. A Python test starts the
// SMTP server, feeds commands on stdin and reads one JSON line per command on stdout:
//
//   now EPOCH                       set the clock
//   tick                            scan for due mail, then send what is ready
//   scan | send                     one of the two
//   change SCHOOL UID done|cancel   a tracking change through the tracking service (as the API
//   makes it) change SCHOOL UID move YYYY-MM-DD HH:MM events SCHOOL                   the school's
//   events (plan.json form) days SCHOOL                     the school's calendar: date, staff day,
//   school day counts                          outbox messages per state failed the failed
//   messages: key, address, error waiting                         the pending messages that were
//   tried: key, attempts, error memory                          peak resident memory (VmHWM, kB)
//   quit
//
// jk_mail_driver DB CALENDARS SMTP_URL [MAX_PER_SECOND [starttls]]
// (without "starttls" the driver sends in plain text, as to a relay on loopback)
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "daemon/mail/mailer.hpp"
#include "daemon/services.hpp"
#include "fake_clock.hpp"
#include "jaarkalender/plan_json.hpp"

namespace {

using namespace jk;
using namespace jk::daemon;
namespace json = boost::json;

long peak_kb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

/// Every school's pending messages (whatever their next attempt).
std::vector<OutboxMessage> pending_messages(Store& store, SchoolRegistry& schools) {
    std::vector<OutboxMessage> out;
    const auto snap = schools.snapshot();
    for (const auto& [id, s] : snap->schools)
        for (auto& m : store.outbox(id, OutboxState::pending, 1000)) out.push_back(std::move(m));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: jk_mail_driver DB CALENDARS SMTP_URL [MAX_PER_SECOND]\n";
        return 2;
    }
    // stdout carries the JSON answers: logs go to stderr.
    spdlog::set_default_logger(spdlog::stderr_color_mt("driver"));
    spdlog::set_level(spdlog::level::warn);
    auto store = open_sqlite_store(argv[1]);
    auto mail_store = open_sqlite_store(argv[1], Durability::normal);
    jk::testing::FakeClock clock{0};
    std::string line;
    // The first command sets the clock before anything is planned.
    if (std::getline(std::cin, line) && line.rfind("now ", 0) == 0)
        clock.t = std::stoll(line.substr(4));
    Services services(argv[2], *store, clock);
    SchoolRegistry& schools = services.schools;
    // The driver replays a whole school's year of changes as one account, as fast as it can:
    // the per-account limit of the API is not what this test is about.
    services.set_write_limit(1e9, 1e9);
    schools.reload();
    MailConfig config;
    config.mode = MailConfig::Mode::smtp;
    config.url = argv[3];
    config.require_starttls = argc > 5 && std::string(argv[5]) == "starttls";
    config.from_address = "jaarkalender@voorbeeld.nl";
    config.reply_to = "ib@voorbeeld.nl";
    config.max_per_second = argc > 4 ? std::stod(argv[4]) : 10000;
    config.timeout_seconds = 10;
    Mailer mailer(
        schools, *store, *mail_store, [&config] { return make_transport(config); }, config,
        "https://jaarkalender.voorbeeld.nl");
    schools.on_plan_change([&](const SchoolSnapshot* before, const SchoolSnapshot& after) {
        mailer.plan_changed(before, after, clock.now());
    });
    std::cout << "{\"ready\":true}" << std::endl;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        std::string cmd;
        in >> cmd;
        json::object out;
        try {
            if (cmd == "now") {
                in >> clock.t;
            } else if (cmd == "tick" || cmd == "scan") {
                out["queued"] = mailer.scan(clock.now());
                if (cmd == "tick") out["handled"] = mailer.send_ready(clock.now());
            } else if (cmd == "send") {
                out["handled"] = mailer.send_ready(clock.now());
            } else if (cmd == "change") {
                std::string school, uid, action, date, time;
                in >> school >> uid >> action >> date >> time;
                Change c;
                c.uid = uid;
                c.kind = action == "done"     ? ChangeKind::done
                         : action == "cancel" ? ChangeKind::cancel
                                              : ChangeKind::move;
                c.note = action == "cancel" ? "Afgezegd door de driver" : "";
                if (c.kind == ChangeKind::move) {
                    c.date = parse_date(date).value();
                    c.start = parse_time(time).value();
                }
                std::string note;
                std::getline(in, note);
                if (note.size() > 1) c.note = note.substr(1);
                auto r = services.tracking.change(school, "driver", c, false, true);
                using O = EventChangeResult::Outcome;
                out["status"] = r.outcome == O::applied || r.outcome == O::unchanged ? 200 : 400;
            } else if (cmd == "events") {
                std::string school;
                in >> school;
                auto snap = schools.snapshot();
                auto it = snap->schools.find(school);
                std::vector<const Event*> events;
                const auto plan = it != snap->schools.end() ? it->second->plan.load() : nullptr;
                if (plan)
                    for (const auto& e : plan->events) events.push_back(&e);
                out["events"] = json::parse(events_to_json(events));
            } else if (cmd == "days") {
                std::string school;
                in >> school;
                auto snap = schools.snapshot();
                const SchoolCalendar& cal = snap->schools.at(school)->school->calendar;
                json::array a;
                for (int i = 0; i < cal.size(); ++i)
                    a.emplace_back(json::array{format_date(cal.day(i).date), cal.day(i).staff_day,
                                               cal.day(i).school_day});
                out["days"] = std::move(a);
            } else if (cmd == "counts") {
                for (const auto& [state, n] : store->outbox_counts("")) out[state] = n;
            } else if (cmd == "failed") {
                json::array a;
                auto snap = schools.snapshot();
                for (const auto& [id, s] : snap->schools)
                    for (const auto& m : store->outbox(id, OutboxState::failed, 1000))
                        a.emplace_back(json::object{{"key", m.key},
                                                    {"address", m.address},
                                                    {"attempts", m.attempts},
                                                    {"error", m.last_error}});
                out["failed"] = std::move(a);
            } else if (cmd == "waiting") {
                json::array a;
                for (const auto& m : pending_messages(*store, schools))
                    if (m.attempts > 0)
                        a.emplace_back(json::object{
                            {"key", m.key}, {"attempts", m.attempts}, {"error", m.last_error}});
                out["waiting"] = std::move(a);
            } else if (cmd == "memory") {
                out["peak_kb"] = peak_kb();
            } else if (cmd == "quit") {
                break;
            } else {
                out["error"] = "unknown command " + cmd;
            }
        } catch (const std::exception& e) {
            out["error"] = e.what();
        }
        std::cout << json::serialize(out) << std::endl;
    }
    return 0;
}
