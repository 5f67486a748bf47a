#define CATCH_CONFIG_RUNNER
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>

int main(int argc, char** argv) {
    // The daemon logs every plan and change; in unit tests only errors are worth reading.
    spdlog::set_level(spdlog::level::err);
    return Catch::Session().run(argc, argv);
}
