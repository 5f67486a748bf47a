// The command-line commands. Each returns the process exit status (spec/plan-output.md):
// 0 planned, 1 internal failure, 2 invalid input, 3 unplanned items with --strict.
#pragma once

#include <string>
#include <vector>

namespace jk::daemon {
struct DaemonConfig;
}

namespace jk::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitInvalid = 2;
inline constexpr int kExitUnplanned = 3;

int run_check(const std::vector<std::string>& args);
int run_plan(const std::vector<std::string>& args);
int run_new_year(const std::vector<std::string>& args);

/// A command that works on an installation: main() reads `--config FILE` first (config_from,
/// which also answers --help with `help()`), and `run` gets the configuration and the rest of
/// the arguments.
struct InstallationCommand {
    const char* name;
    std::string (*help)();
    int (*run)(const daemon::DaemonConfig& config, std::vector<std::string>& rest);
};
extern const InstallationCommand kServeCommand;
extern const InstallationCommand kSubscribeCommand;
extern const InstallationCommand kTokenCommand;
extern const InstallationCommand kLoginLinkCommand;
extern const InstallationCommand kExportCommand;
extern const InstallationCommand kExportPlanCommand;
extern const InstallationCommand kMigrateStoreCommand;

}  // namespace jk::cli
