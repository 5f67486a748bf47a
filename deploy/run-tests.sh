#!/usr/bin/env bash
# Builds jaarkalender and runs every test: the release build with -Werror under CTest (unit,
# property, end-to-end and feed-parser tests), then the unit tests again under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJK_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJK_SANITIZE=ON -DJK_WERROR=ON >/dev/null
cmake --build build-asan -j "$jobs" --target jk_unit_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build-asan/tests/jk_unit_tests --order lex "~[property]"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build-asan/tests/jk_unit_tests "[property]"
