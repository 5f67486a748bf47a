// `jaarkalender migrate-store`: copies an installation's SQLite store into PostgreSQL, to move
// from one daemon to several (docs/deploy.md). The source is read from a consistent copy and
// left as it was; the counts of every table are compared afterwards.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "daemon/store/store.hpp"

namespace jk::cli {
namespace {

constexpr const char* kHelp =
    "jaarkalender migrate-store --config BESTAND --to POSTGRESQL [--password-file BESTAND]\n"
    "\n"
    "Kopieert alles uit de SQLite-database van de configuratie naar een lege PostgreSQL-\n"
    "database: invoerversies, plannen, afvinkingen, abonnementen en tokens (als hash),\n"
    "sessies, de uitgaande mail en het logboek. Telt daarna elke tabel na. De SQLite-database\n"
    "blijft zoals hij was. Stop de dienst eerst, zodat er niets meer bijkomt.\n"
    "\n"
    "POSTGRESQL: postgresql://gebruiker@host/database of \"host=... dbname=... user=...\".\n"
    "Het wachtwoord staat in --password-file (of in ~/.pgpass), niet op de opdrachtregel.\n";

/// A consistent copy of the SQLite file (its write-ahead log included) through SQLite's backup
/// API: the source is only read.
bool snapshot_sqlite(const std::string& source, const std::string& copy) {
    sqlite3* from = nullptr;
    sqlite3* to = nullptr;
    bool ok = sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
              sqlite3_open(copy.c_str(), &to) == SQLITE_OK;
    if (ok) {
        sqlite3_busy_timeout(from, daemon::kBusyTimeoutMs);
        sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
        ok = b && sqlite3_backup_step(b, -1) == SQLITE_DONE;
        if (b) sqlite3_backup_finish(b);
        ok = ok && sqlite3_errcode(to) == SQLITE_OK;
    }
    if (!ok)
        std::cerr << "jaarkalender migrate-store: kan " << source
                  << " niet lezen: " << (from ? sqlite3_errmsg(from) : "geen geheugen") << "\n";
    sqlite3_close(from);
    sqlite3_close(to);
    return ok;
}

}  // namespace

int migrate_store(const daemon::DaemonConfig& config, std::vector<std::string>& rest) {
    daemon::StoreLocation target;
    for (size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == "--to" && i + 1 < rest.size()) {
            target.postgresql = rest[++i];
        } else if (rest[i] == "--password-file" && i + 1 < rest.size()) {
            target.password_file = rest[++i];
        } else {
            std::cerr << "jaarkalender migrate-store: onbekend argument '" << rest[i] << "'\n"
                      << kHelp;
            return kExitInvalid;
        }
    }
    if (target.postgresql.empty()) {
        std::cerr << "jaarkalender migrate-store: geef --to met de PostgreSQL-database\n";
        return kExitInvalid;
    }
    if (!config.store.postgresql.empty()) {
        std::cerr << "jaarkalender migrate-store: de configuratie gebruikt al PostgreSQL; "
                     "migrate-store kopieert een SQLite-database\n";
        return kExitInvalid;
    }
    if (!std::filesystem::exists(config.sqlite)) {
        std::cerr << "jaarkalender migrate-store: " << config.sqlite.string()
                  << " bestaat niet; er is niets over te zetten\n";
        return kExitInvalid;
    }
    const auto copy = std::filesystem::temp_directory_path() /
                      ("jaarkalender-migrate-" + std::to_string(::getpid()) + ".db");
    struct Remove {
        std::filesystem::path path;
        ~Remove() {
            std::error_code ec;
            for (const char* ext : {"", "-wal", "-shm"})
                std::filesystem::remove(path.string() + ext, ec);
        }
    } remove_copy{copy};
    if (!snapshot_sqlite(config.sqlite.string(), copy.string())) return kExitInternal;
    auto from = daemon::open_sqlite_store(copy.string());  // a copy of an older schema migrates
    auto to = daemon::open_store(target);
    for (const char* table : daemon::kCopiedTables)
        if (const long long n = to->count_rows(table); n > 0) {
            std::cerr << "jaarkalender migrate-store: de doeldatabase is niet leeg (" << table
                      << " heeft " << n << " rijen); kies een nieuwe, lege database\n";
            return kExitInvalid;
        }
    bool all_equal = true;
    for (const char* table : daemon::kCopiedTables) {
        to->write_table(table, from->read_table(table));
        const long long a = from->count_rows(table);
        const long long b = to->count_rows(table);
        std::cout << table << ": " << a << " → " << b << (a == b ? "" : "  VERSCHILT") << "\n";
        all_equal = all_equal && a == b;
    }
    if (!all_equal) {
        std::cerr << "jaarkalender migrate-store: niet elke tabel kwam volledig over; gebruik "
                     "deze database niet en meld het\n";
        return kExitInternal;
    }
    std::cout << "Alles overgezet naar PostgreSQL (schemaversie " << to->schema_version()
              << "). Zet in de configuratie [store] postgresql = \"...\" met password_file, "
                 "en start de diensten.\n";
    return kExitOk;
}

const InstallationCommand kMigrateStoreCommand{"migrate-store", [] { return std::string(kHelp); },
                                               migrate_store};

}  // namespace jk::cli
