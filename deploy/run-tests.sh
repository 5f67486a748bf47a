#!/usr/bin/env bash
# Builds jaarkalender and runs every test: the release build with -Werror under CTest (unit,
# property, end-to-end and feed-parser tests), then the unit tests again under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

# build-ci, not build: the README's start command configures build/ its own way.
cmake -S . -B build-ci -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJK_WERROR=ON >/dev/null
cmake --build build-ci -j "$jobs"
ctest --test-dir build-ci --output-on-failure -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJK_SANITIZE=ON -DJK_WERROR=ON >/dev/null
cmake --build build-asan -j "$jobs" --target jk_unit_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build-asan/tests/jk_unit_tests -w NoTests --order lex "~[property]~[year]"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build-asan/tests/jk_unit_tests -w NoTests "[property]"

# Fuzz the rule-file loader, the request handling and the formatie's spreadsheet readers for a
# bounded time each (libFuzzer, clang), starting from the checked-in corpora (copied: new inputs
# are not written into the tree).
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJK_FUZZ=ON \
  -DJK_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$jobs" --target jk_fuzz_loader jk_fuzz_request jk_fuzz_wire jk_fuzz_sheet
for target in loader request wire sheet; do
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus/$target/* "$corpus/"
  build-fuzz/jk_fuzz_$target -max_total_time="${JK_FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$corpus" 2>&1 | grep -E '^(Done|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)'
  rm -rf "$corpus"
done
