// The one daemon of the tests: the example school in a temporary folder, a real SQLite store,
// the daemon's services with a clock the test sets, and requests answered by the daemon's own
// routes (no sockets). The API and page tests (daemon_fixture.hpp), the mail tests and the
// request fuzzer each start this world and add what they need.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "daemon/http/routes.hpp"
#include "daemon/services.hpp"
#include "daemon/store/store.hpp"
#include "fake_clock.hpp"

namespace jk::testing {

struct DaemonWorld {
    /// `name` keeps the temporary folders of tests running at once apart; `now` is where the
    /// clock stands when the schools are first planned.
    explicit DaemonWorld(const std::string& name, std::int64_t now = FakeClock::kDefault)
        : dir(std::filesystem::temp_directory_path() /
              ("jk-" + name + "-" + std::to_string(::getpid()))),
          clock(now) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir / "calendars");
        std::filesystem::copy(std::filesystem::path(JK_SOURCE_DIR) / "calendars/voorbeeldschool",
                              dir / "calendars/voorbeeldschool",
                              std::filesystem::copy_options::recursive);
        store = daemon::open_sqlite_store((dir / "jk.db").string());
        services = std::make_unique<daemon::Services>(dir / "calendars", *store, clock);
        schools().reload();
    }
    ~DaemonWorld() {
        services.reset();
        store.reset();
        std::filesystem::remove_all(dir);
    }
    DaemonWorld(const DaemonWorld&) = delete;
    DaemonWorld& operator=(const DaemonWorld&) = delete;

    daemon::SchoolRegistry& schools() { return services->schools; }
    /// The example school as it is published now.
    [[nodiscard]] std::shared_ptr<const daemon::SchoolSnapshot> school() const {
        return services->schools.snapshot()->schools.at("voorbeeldschool");
    }
    /// A request as a client sends it, answered by the daemon's routes.
    daemon::RouteResult request(const daemon::HttpRequest& r) {
        return daemon::handle_request(r, *schools().snapshot(), &schools().metrics(),
                                      services.get());
    }

    std::filesystem::path dir;
    FakeClock clock;
    std::unique_ptr<daemon::Store> store;
    std::unique_ptr<daemon::Services> services;
};

}  // namespace jk::testing
