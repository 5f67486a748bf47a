// The daemon's configuration file (deploy/jaarkalender.example.toml documents every key).
#pragma once

#include <filesystem>
#include <string>

#include "daemon/http/http_server.hpp"
#include "daemon/mail/mail_config.hpp"
#include "daemon/store/store.hpp"
#include "jaarkalender/result.hpp"

namespace jk::daemon {

struct DaemonConfig {
    ServerOptions server;
    /// Base of the subscribe links, e.g. "https://jaarkalender.stichting.nl".
    std::string public_url = "http://localhost:8080";
    std::filesystem::path calendars;  // resolved against the config file's folder
    std::filesystem::path sqlite;     // empty with PostgreSQL
    /// Where the store is: SQLite (`sqlite`) or PostgreSQL (`postgresql`, `password_file`).
    StoreLocation store;
    std::string log_level = "info";
    bool access_log = false;  // one line per request (costs throughput)
    /// Changes one account may make: a burst, then this many a second (kWriteBurst and
    /// kWritesPerSecond by default).
    double write_burst = 15;
    double writes_per_second = 1;
    MailConfig mail;
};

/// Reads and checks a config file; errors as FILE:LINE:COLUMN (Dutch). Relative paths are
/// resolved against the folder of the config file, so that it works from any directory.
Result<DaemonConfig> load_config(const std::filesystem::path& file);

}  // namespace jk::daemon
