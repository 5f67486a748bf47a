// Diagnostics: what is wrong with a school's input, where, in words a calendar author acts on.
#pragma once

#include <string>
#include <vector>

namespace jk {

enum class Severity { error, warning };

/// One finding about an input file. `line` and `column` are 1-based; 0 means "the whole file".
/// The message is Dutch: it is read by the school's calendar author.
struct Diagnostic {
    Severity severity = Severity::error;
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;
};

/// `FILE:LINE:COLUMN: message` (warnings say "waarschuwing: " after the position).
std::string to_string(const Diagnostic& d);

/// Collects diagnostics in the order they are found; errors and warnings side by side.
class Diagnostics {
  public:
    void error(std::string file, int line, int column, std::string message);
    void warning(std::string file, int line, int column, std::string message);
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void append(const Diagnostics& other);

    [[nodiscard]] bool has_errors() const;
    [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
    [[nodiscard]] std::vector<Diagnostic> errors() const;
    [[nodiscard]] std::vector<Diagnostic> warnings() const;

  private:
    std::vector<Diagnostic> items_;
};

/// The closest candidate within a small edit distance, for "bedoelde je …?" hints; empty if none.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace jk
