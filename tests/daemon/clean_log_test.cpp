// The daemon's log never holds a control character (a forged line, an escape sequence).
#include "daemon/clean_log.hpp"

#include <catch2/catch.hpp>

using jk::daemon::escape_controls;

TEST_CASE("log: control characters are written as \\xNN, the line's own end stays", "[unit][log]") {
    CHECK(escape_controls("school=a person=b: ok\n") == "school=a person=b: ok\n");
    CHECK(escape_controls("naam Sanne\x1b[31m\n") == "naam Sanne\\x1b[31m\n");
    CHECK(escape_controls("forged\n[info] line\n") == "forged\\x0a[info] line\n");
    CHECK(escape_controls(std::string("a\0b\x07\x7f\r", 6)) == "a\\x00b\\x07\\x7f\\x0d");
    CHECK(escape_controls("Zoë Öztürk") == "Zoë Öztürk");  // UTF-8 is text
}
