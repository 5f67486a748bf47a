// The daemon's log as one line per message and no control characters: a name typed with an
// escape sequence or a line break cannot forge a log line or drive the terminal that reads it.
#pragma once

#include <string>
#include <string_view>

namespace jk::daemon {

/// `message` with every control character (C0 but the final newline, DEL) written as `\xNN`.
std::string escape_controls(std::string_view message);

/// Makes spdlog's default logger write to standard output through escape_controls.
void use_clean_log();

}  // namespace jk::daemon
