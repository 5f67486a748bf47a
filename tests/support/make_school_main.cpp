// jk_make_school SEED DIR [--example-size]: writes a random school's school.toml and rules.toml.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "random_school.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: jk_make_school SEED DIR [--example-size]\n";
        return 2;
    }
    jk::testing::RandomSchoolOptions opt;
    opt.example_size = argc > 3 && std::string(argv[3]) == "--example-size";
    const auto files = jk::testing::random_school(std::stoull(argv[1]), opt);
    const std::filesystem::path dir(argv[2]);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "school.toml") << files.school_toml;
    std::ofstream(dir / "rules.toml") << files.rules_toml;
    return 0;
}
