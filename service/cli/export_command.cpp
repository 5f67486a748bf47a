// `jaarkalender export`: a school's input as the daemon plans it, written back as files.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"

namespace jk::cli {
namespace {

constexpr const char* kHelp =
    "jaarkalender export --config BESTAND SCHOOL MAP [--school-year JJJJ-JJJJ]\n"
    "\n"
    "Schrijft de invoer van SCHOOL zoals de dienst hem nu plant - de bestanden met de\n"
    "wijzigingen uit de webpagina's en de API erin - als school.toml en rules.toml (en het\n"
    "bestand met vrije dagen) in MAP. `jaarkalender check MAP` keurt ze goed. Wie ze in de map\n"
    "van de school zet, maakt de wijzigingen deel van de bestanden (zie docs/input.md).\n"
    "Met --school-year: dat schooljaar (bijvoorbeeld het concept van volgend jaar).\n";

}  // namespace

int export_input(const daemon::DaemonConfig& config, std::vector<std::string>& rest) {
    std::string year;
    for (auto it = rest.begin(); it != rest.end();) {
        if (*it == "--school-year" && it + 1 != rest.end()) {
            year = *(it + 1);
            it = rest.erase(it, it + 2);
        } else if (it->rfind("--school-year=", 0) == 0) {
            year = it->substr(std::string("--school-year=").size());
            it = rest.erase(it);
        } else {
            ++it;
        }
    }
    if (rest.size() != 2) {
        std::cerr << "jaarkalender export: schrijf SCHOOL MAP [--school-year JJJJ-JJJJ]\n";
        return kExitInvalid;
    }
    auto sources =
        year.empty() ? current_input(config, rest[0]) : input_of_year(config, rest[0], year);
    if (!sources) {
        for (const auto& d : sources.error().items()) std::cerr << to_string(d) << "\n";
        return kExitInvalid;
    }
    const std::filesystem::path dir = rest[1];
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        std::cerr << "jaarkalender export: kan map " << dir.string()
                  << " niet maken: " << ec.message() << "\n";
        return kExitInternal;
    }
    if (!write_file(dir / "school.toml", sources->school_toml, "export") ||
        !write_file(dir / "rules.toml", sources->rules_toml, "export"))
        return kExitInternal;
    if (sources->extra_ics && !sources->extra_path.empty() &&
        !write_file(dir / std::filesystem::path(sources->extra_path).filename(),
                    *sources->extra_ics, "export"))
        return kExitInternal;
    std::cout << "geschreven: " << (dir / "school.toml").string() << ", "
              << (dir / "rules.toml").string() << "\n";
    return kExitOk;
}

const InstallationCommand kExportCommand{"export", [] { return std::string(kHelp); }, export_input};

}  // namespace jk::cli
