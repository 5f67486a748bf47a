// jaarkalender: the command-line entry point.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "daemon/clean_log.hpp"
#include "daemon/store/store.hpp"

namespace {

constexpr const char* kUsage =
    "jaarkalender: plant, volgt en publiceert de jaarkalender van een basisschool\n"
    "\n"
    "Gebruik:\n"
    "  jaarkalender check MAP                 controleer school.toml en rules.toml\n"
    "  jaarkalender plan MAP --out UIT [--previous UIT_OUD/plan.json] [--strict]\n"
    "                                         maak plan.json, report.txt en de .ics-feeds\n"
    "  jaarkalender new-year MAP [JAAR] --out UIT\n"
    "                                         het voorstel voor het volgende schooljaar\n"
    "  jaarkalender serve --config BESTAND    de daemon: plannen, bewaren en feeds serveren\n"
    "  jaarkalender subscribe --config BESTAND SCHOOL person ID\n"
    "                                         maak (of trek in) een abonnementslink\n"
    "  jaarkalender token --config BESTAND SCHOOL PERSOON\n"
    "                                         een persoonlijk API-token (docs/api.md)\n"
    "  jaarkalender login-link --config BESTAND SCHOOL PERSOON\n"
    "                                         een inloglink voor de webpagina's\n"
    "  jaarkalender export --config BESTAND SCHOOL MAP\n"
    "  jaarkalender export-plan --config BESTAND SCHOOL --format pdf|xlsx|csv --out BESTAND\n"
    "                                         de invoer zoals de dienst hem plant, als bestanden\n"
    "  jaarkalender migrate-store --config BESTAND --to POSTGRESQL\n"
    "                                         zet de SQLite-database over naar PostgreSQL\n"
    "  jaarkalender COMMANDO --help           uitleg per commando\n"
    "\n"
    "Afsluitcode: 0 gepland, 1 interne fout, 2 ongeldige invoer, 3 niet alles gepland "
    "(--strict).\n";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    jk::daemon::use_clean_log();
    try {
        if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
            std::cout << kUsage;
            return args.empty() ? jk::cli::kExitInvalid : jk::cli::kExitOk;
        }
        if (args[0] == "--version") {
            std::cout << "jaarkalender 0.1.0\n";
            return jk::cli::kExitOk;
        }
        const std::string cmd = args[0];
        args.erase(args.begin());
        if (cmd == "check") return jk::cli::run_check(args);
        if (cmd == "plan") return jk::cli::run_plan(args);
        if (cmd == "new-year") return jk::cli::run_new_year(args);
        using namespace jk::cli;
        for (const InstallationCommand* c :
             {&kServeCommand, &kSubscribeCommand, &kTokenCommand, &kLoginLinkCommand,
              &kExportCommand, &kExportPlanCommand, &kMigrateStoreCommand}) {
            if (cmd != c->name) continue;
            std::vector<std::string> rest;
            int exit = kExitOk;
            const auto config = config_from(args, rest, c->help(), exit);
            if (!config) return exit;
            return c->run(*config, rest);
        }
        std::cerr << "jaarkalender: onbekend commando '" << cmd << "'\n\n" << kUsage;
        return jk::cli::kExitInvalid;
    } catch (const jk::daemon::StoreError& e) {
        // The database is unreachable, refused, or newer than this program: say so plainly.
        std::cerr << "jaarkalender: database: " << e.what() << "\n";
        return jk::cli::kExitInternal;
    } catch (const std::exception& e) {
        // Exceptions are bugs or environment failures (spec: exit status 1); report, do not hide.
        std::cerr << "jaarkalender: interne fout: " << e.what() << "\n";
        return jk::cli::kExitInternal;
    }
}
