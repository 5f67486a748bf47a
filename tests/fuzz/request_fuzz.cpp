// Fuzz target: request handling (routes and the tracking API) against the daemon world of the
// tests (tests/support/daemon_world.hpp), a subscription and API tokens. Input: a method line,
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
#include "daemon/services.hpp"
#include "daemon_world.hpp"

namespace {

/// The daemon world of the tests, quiet, with fixed tokens and a subscription that the corpus
/// can use.
struct World : jk::testing::DaemonWorld {
    World() : DaemonWorld("fuzz") {
        spdlog::set_level(spdlog::level::off);  // the fuzzer's output is what matters
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
        schools().refresh_subscriptions();
    }
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
    const auto result = world.request(req);
    if (result.response.status < 200 || result.response.status > 599) __builtin_trap();
    return 0;
}
