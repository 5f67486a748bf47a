// `jaarkalender new-year MAP JAAR --out UIT`: next school year's proposal as files, for a school
// that keeps its files in git (docs/input.md "Next school year").
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "jaarkalender/next_year.hpp"

namespace jk::cli {

namespace {

constexpr const char* kHelp =
    "jaarkalender new-year MAP [SCHOOLJAAR] --out UIT\n"
    "\n"
    "Maakt het voorstel voor het volgende schooljaar (standaard: het jaar na dat van MAP) uit de\n"
    "bestanden in MAP: de vakanties van de overheid, wie er aan het eind van dit jaar nog is,\n"
    "de groepen, de toetskalender en de periodes verschoven naar dezelfde schoolweken, alle\n"
    "regels. Schrijft school.toml en rules.toml in UIT en zegt wat er nog in te vullen is.\n";

void print_lines(const char* heading, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    std::cout << heading << ":\n";
    for (const auto& l : lines) std::cout << "  - " << l << "\n";
}

}  // namespace

int run_new_year(const std::vector<std::string>& args) {
    std::vector<std::string> positional;
    std::string out;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::cout << kHelp;
            return kExitOk;
        }
        if (args[i] == "--out" && i + 1 < args.size()) {
            out = args[++i];
            continue;
        }
        positional.push_back(args[i]);
    }
    if (positional.empty() || positional.size() > 2 || out.empty()) {
        std::cerr << "jaarkalender new-year: schrijf MAP [SCHOOLJAAR] --out UIT\n\n" << kHelp;
        return kExitInvalid;
    }
    const std::filesystem::path folder = positional[0];
    auto sources = read_school_sources(folder);
    auto official = official_holidays_in(folder.lexically_normal().parent_path());
    if (!official) {
        for (const auto& d : official.error().items()) std::cerr << to_string(d) << "\n";
        return kExitInvalid;
    }
    auto current =
        sources ? load_school(*sources, *official) : Result<LoadedSchool>(sources.error());
    if (!current) {
        for (const auto& d : current.error().items()) std::cerr << to_string(d) << "\n";
        return kExitInvalid;
    }
    const std::string year =
        positional.size() == 2 ? positional[1] : following_school_year(current->school.school_year);
    auto proposal = propose_next_year(*current, *sources, *official, year);
    if (!proposal) {
        for (const auto& d : proposal.error().items()) std::cerr << to_string(d) << "\n";
        return kExitInvalid;
    }
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) {
        std::cerr << "jaarkalender new-year: kan map " << out << " niet maken: " << ec.message()
                  << "\n";
        return kExitInternal;
    }
    const std::filesystem::path dir = out;
    if (!write_file(dir / "school.toml", proposal->sources.school_toml, "new-year") ||
        !write_file(dir / "rules.toml", proposal->sources.rules_toml, "new-year"))
        return kExitInternal;
    std::cout << current->school.name << ", voorstel voor " << year << "\n";
    print_lines("Overgenomen", proposal->carried);
    print_lines("Niet overgenomen", proposal->left_out);
    // The new year planned as it is proposed: in numbers, and what cannot be planned and why.
    auto loaded = load_school(proposal->sources, *official);
    if (loaded) {
        const ProposalPlan planned = plan_proposal(*loaded);
        std::cout << "Het nieuwe jaar: " << planned.plan.events.size() << " afspraken ingepland, "
                  << planned.plan.unplanned.size() << " niet in te plannen\n";
        print_lines("Niet in te plannen", planned.unplanned);
    }
    print_lines("Nog te doen", proposal->todo);
    std::cout << "geschreven: " << (dir / "school.toml").string() << ", "
              << (dir / "rules.toml").string() << "\n";
    return kExitOk;
}

}  // namespace jk::cli
