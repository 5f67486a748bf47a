// `jaarkalender check` and `jaarkalender plan` (spec/plan-output.md).
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "daemon/http/http_date.hpp"
#include "jaarkalender/ical_feeds.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"
#include "jaarkalender/report.hpp"

namespace jk::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCheckHelp =
    "jaarkalender check MAP [--holidays BESTAND]\n"
    "\n"
    "Controleert MAP/school.toml en MAP/rules.toml (en het extra_closures-bestand) en meldt\n"
    "alle fouten tegelijk als BESTAND:REGEL:KOLOM: melding. Schrijft niets.\n"
    "Afsluitcode 0 als alles klopt, 2 bij fouten.\n";

constexpr const char* kPlanHelp =
    "jaarkalender plan MAP --out UIT [--previous PLAN.json [--as-of JJJJ-MM-DDTUU:MM]]\n"
    "                               [--strict] [--stamp TIJD] [--holidays BESTAND]\n"
    "\n"
    "Plant het schooljaar van de school in MAP en schrijft (en vervangt) in UIT:\n"
    "  plan.json, report.txt, feeds/school.ics, feeds/person/ID.ics, feeds/group/ID.ics,\n"
    "  feeds/role/NAAM.ics\n"
    "\n"
    "  --previous PLAN.json  plan opnieuw tegen een eerder plan: gehouden, geannuleerde en\n"
    "                        verplaatste afspraken blijven, de rest houdt zijn tijd als dat\n"
    "                        kan (alleen wat moet, schuift; SEQUENCE + 1)\n"
    "  --as-of MOMENT        plan opnieuw vanaf dit moment (schooltijd): wat eerder begon\n"
    "                        blijft precies zoals het was, niets nieuws komt ervoor; wat\n"
    "                        verschuift of vervalt staat met de reden in plan.json en\n"
    "                        report.txt\n"
    "  --strict              afsluitcode 3 als er iets niet ingepland kon worden\n"
    "  --stamp TIJD          JJJJ-MM-DDTUU:MM:SSZ voor DTSTAMP/LAST-MODIFIED van nieuwe en\n"
    "                        gewijzigde afspraken (standaard: SOURCE_DATE_EPOCH, anders een\n"
    "                        vaste tijd afgeleid van het schooljaar of het vorige plan, zodat\n"
    "                        dezelfde invoer dezelfde bestanden geeft)\n"
    "  --holidays BESTAND    andere officiële vakantiegegevens dan de ingebouwde\n"
    "\n"
    "Afsluitcode: 0 gepland (ook met niet-ingeplande punten, die als waarschuwing worden\n"
    "getoond), 1 interne fout, 2 ongeldige invoer (niets geschreven), 3 met --strict als er\n"
    "iets niet ingepland is.\n";

struct Options {
    std::string folder;
    std::optional<std::string> out, previous, stamp, holidays, as_of;
    bool strict = false;
    bool help = false;
};

std::optional<Options> parse(const std::vector<std::string>& args, bool plan, std::string& err) {
    Options o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::optional<std::string>& slot) {
            if (i + 1 >= args.size()) {
                err = a + " heeft een waarde nodig";
                return false;
            }
            slot = args[++i];
            return true;
        };
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--holidays") {
            if (!value(o.holidays)) return std::nullopt;
        } else if (plan && a == "--out") {
            if (!value(o.out)) return std::nullopt;
        } else if (plan && a == "--previous") {
            if (!value(o.previous)) return std::nullopt;
        } else if (plan && a == "--as-of") {
            if (!value(o.as_of)) return std::nullopt;
        } else if (plan && a == "--stamp") {
            if (!value(o.stamp)) return std::nullopt;
        } else if (plan && a == "--strict") {
            o.strict = true;
        } else if (!a.empty() && a[0] == '-') {
            err = "onbekende optie '" + a + "'";
            return std::nullopt;
        } else if (o.folder.empty()) {
            o.folder = a;
        } else {
            err = "één map per keer, niet ook '" + a + "'";
            return std::nullopt;
        }
    }
    if (!o.help && o.folder.empty()) {
        err = "geef de map van een school, bijvoorbeeld calendars/voorbeeldschool";
        return std::nullopt;
    }
    if (!o.help && o.as_of && !o.previous) {
        err = "--as-of hoort bij --previous: het plan waarvan het verleden blijft staan";
        return std::nullopt;
    }
    if (!o.help && plan && !o.out) {
        err = "geef met --out de map waarin het plan komt";
        return std::nullopt;
    }
    return o;
}

std::optional<std::string> read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void print(const Diagnostics& d) {
    for (const auto& item : d.items()) std::cerr << to_string(item) << "\n";
}

/// Loads the school; prints diagnostics. nullopt = invalid input (exit 2).
std::optional<LoadedSchool> load(const Options& o) {
    // The official data beside the school's folder (calendars/official), else built in.
    auto beside =
        official_holidays_in(std::filesystem::path(o.folder).lexically_normal().parent_path());
    if (!beside) {
        print(beside.error());
        return std::nullopt;
    }
    OfficialHolidays custom = std::move(beside).value();
    const OfficialHolidays* official = &custom;
    if (o.holidays) {
        auto text = read_text(*o.holidays);
        if (!text) {
            std::cerr << *o.holidays << ":1:1: bestand ontbreekt of is niet leesbaar\n";
            return std::nullopt;
        }
        auto parsed = parse_official_holidays(*text, *o.holidays);
        if (!parsed) {
            print(parsed.error());
            return std::nullopt;
        }
        custom = std::move(parsed).value();
        official = &custom;
    }
    auto sources = read_school_sources(o.folder);
    if (!sources) {
        print(sources.error());
        return std::nullopt;
    }
    auto school = load_school(*sources, *official);
    if (!school) {
        print(school.error());
        return std::nullopt;
    }
    print(school->warnings);
    return std::move(school).value();
}

bool valid_stamp(const std::string& s) {
    return s.size() == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' &&
           s[16] == ':' && s[19] == 'Z' && parse_date(s.substr(0, 10)).has_value();
}

std::int64_t parse_utc(const std::string& s) {
    using namespace std::chrono;
    auto d = parse_date(s.substr(0, 10));
    if (!d || s.size() < 19) return 0;
    return duration_cast<seconds>(d->time_since_epoch()).count() +
           std::stoi(s.substr(11, 2)) * 3600 + std::stoi(s.substr(14, 2)) * 60 +
           std::stoi(s.substr(17, 2));
}

/// The instant stamped on new and changed events: no clock, so that the same input gives the
/// same bytes (hard constraint 5). An explicit --stamp or SOURCE_DATE_EPOCH wins; otherwise
/// 1 August of the school year's first calendar year, or one minute after the previous plan.
std::string choose_stamp(const Options& o, const LoadedSchool& s, const Plan* previous) {
    if (o.stamp) return *o.stamp;
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde)
        return daemon::format_utc_iso(std::strtoll(sde, nullptr, 10));
    const std::string base = s.school.school_year.substr(0, 4) + "-08-01T00:00:00Z";
    if (previous && valid_stamp(previous->stamp))
        return daemon::format_utc_iso(std::max(parse_utc(base), parse_utc(previous->stamp) + 60));
    return base;
}

void write_file(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) throw std::runtime_error("kan " + p.string() + " niet schrijven");
}

/// The options of `check` or `plan`; none when the command ends here (--help, or a wrong
/// option), with `exit` set.
std::optional<Options> options_of(const std::vector<std::string>& args, bool plan, int& exit) {
    const char* help = plan ? kPlanHelp : kCheckHelp;
    std::string err;
    auto o = parse(args, plan, err);
    if (!o) {
        std::cerr << "jaarkalender " << (plan ? "plan" : "check") << ": " << err << "\n\n" << help;
        exit = kExitInvalid;
        return std::nullopt;
    }
    if (o->help) {
        std::cout << help;
        exit = kExitOk;
        return std::nullopt;
    }
    return o;
}

/// History cannot lose its people: whoever attended an event before the moment must still be
/// in school.toml (with `until`), or the past would be rewritten. False (said on stderr) when
/// somebody is missing.
bool keeps_history(const Plan& previous, const LoadedSchool& school, const LocalMoment& as_of) {
    std::set<std::string> missing;
    for (const Event& e : previous.events) {
        if (!starts_before(e, as_of)) continue;
        for (const auto& id : e.attendees)
            if (!school.school.person(id)) missing.insert(id);
    }
    for (const auto& id : missing)
        std::cerr << school.school.folder << "/school.toml:1:1: '" << id
                  << "' staat in afspraken die al geweest zijn en kan niet zomaar uit "
                     "school.toml verdwijnen; geef [[person]] '"
                  << id
                  << "' een 'until' (de laatste dag) in plaats van haar of hem te "
                     "verwijderen\n";
    return missing.empty();
}

/// plan.json, report.txt and every feed in `out`: written into a fresh folder next to it, then
/// swapped in, so that a failure half-way never leaves a mix of old and new files. False (said
/// on stderr) when `out` is a file.
bool write_outputs(const fs::path& out, const Plan& plan, const LoadedSchool& school) {
    if (fs::exists(out) && !fs::is_directory(out)) {
        std::cerr << "jaarkalender plan: " << out.string() << " bestaat en is geen map\n";
        return false;
    }
    const std::string suffix = std::to_string(::getpid());
    const fs::path tmp = out.string() + ".tmp-" + suffix;
    const fs::path old = out.string() + ".old-" + suffix;
    fs::remove_all(tmp);
    write_file(tmp / "plan.json", plan_to_json(plan));
    write_file(tmp / "report.txt", render_report(plan, school));
    FeedRenderer feeds(plan, school);
    for (const auto& f : all_feeds(school))
        write_file(tmp / "feeds" / f.relative_path(), feeds.render(f));
    if (fs::exists(out)) fs::rename(out, old);
    fs::rename(tmp, out);
    fs::remove_all(old);
    return true;
}

}  // namespace

int run_check(const std::vector<std::string>& args) {
    int exit = kExitOk;
    auto o = options_of(args, false, exit);
    if (!o) return exit;
    auto school = load(*o);
    if (!school) return kExitInvalid;
    std::cout << o->folder << ": in orde (" << school->school.persons.size() << " personen, "
              << school->school.groups.size() << " groepen, " << school->rules.rules.size()
              << " regels, " << school->rules.test_periods.size() << " toetsperiodes)\n";
    return kExitOk;
}

int run_plan(const std::vector<std::string>& args) {
    int exit = kExitOk;
    auto o = options_of(args, true, exit);
    if (!o) return exit;
    if (o->stamp && !valid_stamp(*o->stamp)) {
        std::cerr << "jaarkalender plan: --stamp '" << *o->stamp
                  << "' is geen tijdstip JJJJ-MM-DDTUU:MM:SSZ\n";
        return kExitInvalid;
    }
    std::optional<LocalMoment> as_of;
    if (o->as_of && !(as_of = parse_local_moment(*o->as_of))) {
        std::cerr << "jaarkalender plan: --as-of '" << *o->as_of
                  << "' is geen moment JJJJ-MM-DDTUU:MM (schooltijd), bijvoorbeeld "
                     "2027-01-20T08:00\n";
        return kExitInvalid;
    }
    auto school = load(*o);
    std::optional<Plan> previous;
    if (o->previous) {
        auto text = read_text(*o->previous);
        if (!text) {
            std::cerr << *o->previous << ":1:1: bestand ontbreekt of is niet leesbaar\n";
            return kExitInvalid;
        }
        auto parsed = plan_from_json(*text, *o->previous);
        if (!parsed) {
            print(parsed.error());
            return kExitInvalid;
        }
        previous = std::move(parsed).value();
    }
    if (!school) return kExitInvalid;
    if (previous && (previous->school != school->school.id ||
                     previous->school_year != school->school.school_year)) {
        std::cerr << *o->previous << ":1:1: dit plan is van " << previous->school << " "
                  << previous->school_year << ", niet van " << school->school.id << " "
                  << school->school.school_year << "\n";
        return kExitInvalid;
    }

    if (as_of && !keeps_history(*previous, *school, *as_of)) return kExitInvalid;

    PlanOptions options;
    options.stamp = choose_stamp(*o, *school, previous ? &*previous : nullptr);
    options.previous = previous ? &*previous : nullptr;
    options.as_of = as_of;
    const Plan plan = make_plan(*school, options);

    const fs::path out = fs::absolute(*o->out);
    if (!write_outputs(out, plan, *school)) return kExitInvalid;

    size_t planned = 0;
    for (const auto& e : plan.events)
        if (e.kind != EventKind::test_period && e.status != EventStatus::cancelled) ++planned;
    for (const auto& u : plan.unplanned)
        std::cerr << "waarschuwing: niet ingepland: " << u.rule << " " << u.subject.value_or("")
                  << " (keer " << u.occurrence << "): " << u.reason << "\n";
    for (const auto& c : plan.changes)
        std::cout << c.title << ": " << c.what_nl() << ": " << c.reason << "\n";
    std::cout << school->school.name << " " << plan.school_year << ": " << planned
              << " afspraken ingepland, " << plan.unplanned.size() << " niet ingepland\n"
              << "plan:   " << (out / "plan.json").string() << "\n"
              << "report: " << (out / "report.txt").string() << "\n"
              << "feeds:  " << (out / "feeds").string() << "/\n";
    if (o->strict && !plan.unplanned.empty()) return kExitUnplanned;
    return kExitOk;
}

}  // namespace jk::cli
