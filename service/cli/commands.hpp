// The command-line commands. Each returns the process exit status (spec/plan-output.md):
// 0 planned, 1 internal failure, 2 invalid input, 3 unplanned items with --strict.
#pragma once

#include <string>
#include <vector>

namespace jk::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitInvalid = 2;
inline constexpr int kExitUnplanned = 3;

int run_check(const std::vector<std::string>& args);
int run_plan(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);
int run_subscribe(const std::vector<std::string>& args);
int run_token(const std::vector<std::string>& args);
int run_login_link(const std::vector<std::string>& args);
int run_export(const std::vector<std::string>& args);
int run_export_plan(const std::vector<std::string>& args);
int run_migrate_store(const std::vector<std::string>& args);

}  // namespace jk::cli
