// Random schools for property tests and benchmarks: the files a school would write, from a seed.
#pragma once

#include <cstdint>
#include <string>

namespace jk::testing {

struct RandomSchoolFiles {
    std::string school_toml;
    std::string rules_toml;
};

struct RandomSchoolOptions {
    /// When true: about the example's size (20 staff, 10 groups, its kinds of rules); else the
    /// size varies from tiny to large.
    bool example_size = false;
};

/// A valid school (it passes the loader), different for every seed, the same for the same seed.
RandomSchoolFiles random_school(std::uint64_t seed, const RandomSchoolOptions& options = {});

}  // namespace jk::testing
