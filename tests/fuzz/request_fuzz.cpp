// Fuzz target: request handling (routes and the tracking API) against a real Service with the
// example school, a temporary SQLite store, a subscription and API tokens. Input: a method line,
// a target line, header lines "name: value", an empty line, a body.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "daemon/access/tokens.hpp"
#include "daemon/http/routes.hpp"
#include "daemon/service.hpp"
#include "fake_clock.hpp"

namespace {

struct World {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("jk-fuzz-" + std::to_string(::getpid()));
    std::unique_ptr<jk::daemon::Store> store;
    jk::testing::FakeClock clock;
    std::unique_ptr<jk::daemon::Service> service;
    World() {
        spdlog::set_level(spdlog::level::off);  // the fuzzer's output is what matters
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir / "calendars");
        std::filesystem::copy(std::filesystem::path(JK_SOURCE_DIR) / "calendars/voorbeeldschool",
                              dir / "calendars/voorbeeldschool",
                              std::filesystem::copy_options::recursive);
        store = jk::daemon::open_sqlite_store((dir / "jk.db").string());
        service = std::make_unique<jk::daemon::Service>(dir / "calendars", *store, clock);
        service->reload();
        // Fixed tokens, so that the corpus can use them.
        store->add_api_token("voorbeeldschool", "anna",
                             jk::daemon::sha256_hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "t");
        store->add_api_token("voorbeeldschool", "bram",
                             jk::daemon::sha256_hex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), "t");
        jk::daemon::Subscription s{0,
                                   "voorbeeldschool",
                                   jk::daemon::FeedScope::person,
                                   "bram",
                                   jk::daemon::sha256_hex("cccccccccccccccccccccccccccccccc"),
                                   "t",
                                   std::nullopt};
        store->add_subscription(s);
        service->refresh_subscriptions();
    }
    ~World() { std::filesystem::remove_all(dir); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    const std::string input(reinterpret_cast<const char*>(data), size);
    jk::daemon::HttpRequest req;
    size_t pos = 0;
    auto line = [&]() {
        const size_t nl = input.find('\n', pos);
        std::string l = input.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? input.size() : nl + 1;
        return l;
    };
    req.method = line();
    req.target = line();
    for (std::string h = line(); !h.empty() && pos <= input.size(); h = line()) {
        const auto colon = h.find(':');
        if (colon == std::string::npos) break;
        std::string name = h.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers.emplace_back(name, h.substr(std::min(h.size(), colon + 2)));
        if (pos >= input.size()) break;
    }
    req.body = input.substr(std::min(pos, input.size()));
    if (req.target.empty() || req.target[0] != '/') return 0;  // Beast rejects these before us
    auto result = jk::daemon::handle_request(req, *world.service->snapshot(),
                                             &world.service->metrics(), world.service.get());
    if (result.response.status < 200 || result.response.status > 599) __builtin_trap();
    return 0;
}
