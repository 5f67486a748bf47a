// `jaarkalender export-plan`: the jaarplanning as PDF, Excel or CSV, from the command line.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "daemon/http/http_date.hpp"
#include "export/export.hpp"

namespace jk::cli {
namespace {

constexpr const char* kHelp =
    "jaarkalender export-plan --config BESTAND SCHOOL --format pdf|xlsx|csv --out BESTAND\n"
    "                         [--persoon ID | --groep ID] [--a3]\n"
    "\n"
    "Schrijft de jaarplanning van SCHOOL zoals de dienst hem nu kent (met wat er gehouden,\n"
    "geannuleerd of verplaatst is): als PDF (A4 liggend, of A3 met --a3), als Excel-bestand\n"
    "(een blad per schoolweek en een blad met elke afspraak) of als CSV (puntkomma's, zoals\n"
    "Nederlandse Excel hem opent). --persoon of --groep geeft de jaarplanning van een persoon\n"
    "of een groep.\n";

}  // namespace

int export_plan(const daemon::DaemonConfig& config, std::vector<std::string>& rest) {
    std::string format, out, school;
    PlanFilter filter;
    bool a3 = false;
    for (size_t i = 0; i < rest.size(); ++i) {
        const std::string& a = rest[i];
        const bool has_value = i + 1 < rest.size();
        if (a == "--format" && has_value)
            format = rest[++i];
        else if (a == "--out" && has_value)
            out = rest[++i];
        else if (a == "--persoon" && has_value)
            filter.person = rest[++i];
        else if (a == "--groep" && has_value)
            filter.group = rest[++i];
        else if (a == "--a3")
            a3 = true;
        else if (school.empty() && a.rfind("--", 0) != 0)
            school = a;
        else {
            std::cerr << "jaarkalender export-plan: onbekend argument '" << a << "' (zie --help)\n";
            return kExitInvalid;
        }
    }
    if (school.empty() || out.empty() || (format != "pdf" && format != "xlsx" && format != "csv")) {
        std::cerr << "jaarkalender export-plan: geef SCHOOL, --format pdf, xlsx of csv, en --out "
                     "BESTAND\n";
        return kExitInvalid;
    }
    auto loaded = current_school(config, school);
    if (!loaded) {
        for (const auto& d : loaded.error().items()) std::cerr << to_string(d) << "\n";
        return kExitInvalid;
    }
    if (filter.person && !loaded->school.person(*filter.person)) {
        std::cerr << "jaarkalender export-plan: --persoon '" << *filter.person
                  << "' staat niet in school.toml van " << school << "\n";
        return kExitInvalid;
    }
    if (filter.group && !loaded->school.group(*filter.group)) {
        std::cerr << "jaarkalender export-plan: --groep '" << *filter.group
                  << "' staat niet in school.toml van " << school << "\n";
        return kExitInvalid;
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const Plan plan = current_plan(config, *loaded, daemon::format_utc_iso(now));
    std::string bytes;
    if (format == "csv") {
        bytes = render_csv(event_rows(plan, *loaded, filter));
    } else if (format == "pdf") {
        bytes = exports::render_pdf(build_jaarplanning(plan, *loaded, filter),
                                    a3 ? exports::Paper::a3 : exports::Paper::a4);
    } else {
        const auto dir = std::filesystem::path(out).parent_path();
        auto x = exports::render_xlsx(build_jaarplanning(plan, *loaded, filter),
                                      event_rows(plan, *loaded, filter),
                                      dir.empty() ? "." : dir.string());
        if (!x) {
            for (const auto& d : x.error().items()) std::cerr << to_string(d) << "\n";
            return kExitInternal;
        }
        bytes = std::move(x).value();
    }
    if (!write_file(out, bytes, "export-plan")) return kExitInternal;
    std::cout << "geschreven: " << out << " (" << bytes.size() << " bytes)\n";
    return kExitOk;
}

const InstallationCommand kExportPlanCommand{"export-plan", [] { return std::string(kHelp); },
                                             export_plan};

}  // namespace jk::cli
