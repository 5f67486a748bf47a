// What the commands that work on an installation share: reading `--config`, and a school's
// input as the daemon plans it (the store's newest version, else the folder's files).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/config.hpp"
#include "daemon/store/store.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk::cli {

/// The start of every command that works on an installation: takes `--config FILE` and
/// `--help` out of `args` (the rest into `rest`) and loads the file. Nothing when the command
/// ends here, with `exit` set: 0 after printing `help` for --help, 2 after a message about a
/// missing or invalid file.
std::optional<daemon::DaemonConfig> config_from(const std::vector<std::string>& args,
                                                std::vector<std::string>& rest,
                                                const std::string& help, int& exit);

/// The installation's store (SQLite or PostgreSQL, as the config says), created when it does not
/// exist yet; with `create` false, null for an SQLite file that is not there.
std::unique_ptr<daemon::Store> open_store(const daemon::DaemonConfig& config, bool create = true);

/// The input of a school as the daemon plans it: the store's newest input version when the
/// store has one (docs/input.md), else the files in the calendars folder.
Result<SchoolSources> current_input(const daemon::DaemonConfig& config, const std::string& school);
/// The input of one school year of a school in the store (a draft or published next year, the
/// current year, a past one); an error that names the years there are.
Result<SchoolSources> input_of_year(const daemon::DaemonConfig& config, const std::string& school,
                                    const std::string& school_year);
/// current_input, loaded.
Result<LoadedSchool> current_school(const daemon::DaemonConfig& config, const std::string& school);
/// Writes `text` to `path` through a temporary file and a rename: a reader never sees half a
/// file, and a failure leaves the old one (said on stderr as `jaarkalender COMMAND: ...`).
bool write_file(const std::filesystem::path& path, const std::string& text,
                const std::string& command);
/// The plan of a school as the daemon serves it: the store's newest plan with the tracking
/// changes after it, else a fresh plan of `school` (stamped `stamp`).
Plan current_plan(const daemon::DaemonConfig& config, const LoadedSchool& school,
                  const std::string& stamp);

}  // namespace jk::cli
