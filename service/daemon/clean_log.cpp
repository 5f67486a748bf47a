#include "daemon/clean_log.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <mutex>

namespace jk::daemon {
namespace {

/// A sink that formats as spdlog does, escapes, and writes to standard output.
class CleanStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        const std::string line = escape_controls({formatted.data(), formatted.size()});
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fflush(stdout);  // a line is in the log when it is said (tests and journald read it)
    }
    void flush_() override { std::fflush(stdout); }
};

}  // namespace

std::string escape_controls(std::string_view message) {
    static constexpr char kHex[] = "0123456789abcdef";
    const bool newline = !message.empty() && message.back() == '\n';
    if (newline) message.remove_suffix(1);
    std::string out;
    out.reserve(message.size() + 1);
    for (char ch : message) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += ch;
        }
    }
    if (newline) out += '\n';
    return out;
}

void use_clean_log() {
    // Unnamed, as spdlog's own default logger: the lines look as they did.
    auto logger = std::make_shared<spdlog::logger>("", std::make_shared<CleanStdoutSink>());
    logger->set_level(spdlog::get_level());
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace jk::daemon
