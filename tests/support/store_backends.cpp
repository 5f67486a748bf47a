#include "store_backends.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace jk::test {
namespace {

std::string admin_conninfo() {
    const char* env = std::getenv("JK_TEST_PG");
    return env ? env : "";
}

void exec_on(const std::string& conninfo, const std::string& sql) {
    PGconn* c = PQconnectdb(conninfo.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
        std::string msg = PQerrorMessage(c);
        PQfinish(c);
        throw std::runtime_error("test cluster: " + msg);
    }
    PQsetNoticeProcessor(
        c, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    std::string msg = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error("test cluster: " + msg + " in " + sql);
}

}  // namespace

std::vector<std::string> store_backends() {
    std::vector<std::string> out{"sqlite"};
    if (!admin_conninfo().empty())
        out.emplace_back("postgresql");
    else if (std::getenv("JK_REQUIRE_PG"))
        throw std::runtime_error("JK_REQUIRE_PG is set but JK_TEST_PG names no cluster");
    return out;
}

daemon::StoreLocation fresh_store(const std::string& backend, const std::string& name) {
    daemon::StoreLocation where;
    const std::string unique = "jk_" + name + "_" + std::to_string(::getpid());
    if (backend == "sqlite") {
        auto p = std::filesystem::temp_directory_path() / (unique + ".db");
        for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + ext);
        where.sqlite = p.string();
        return where;
    }
    // A schema of its own in the cluster's database (a new database per case would cost a
    // copy of template1 each).
    const std::string admin = admin_conninfo();
    exec_on(admin, "DROP SCHEMA IF EXISTS " + unique + " CASCADE; CREATE SCHEMA " + unique);
    where.postgresql = admin + " options='-c search_path=" + unique + "'";
    return where;
}

void pg_exec(const daemon::StoreLocation& where, const std::string& sql) {
    exec_on(where.postgresql, sql);
}

}  // namespace jk::test
