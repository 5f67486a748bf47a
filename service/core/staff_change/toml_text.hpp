// Internal: school.toml's text as a staff change edits it (staff_change.cpp): TOML values written
// as text, the text with its queued edits, and the regions a change wrote, so that the loader's
// messages come back at the form's field.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "jaarkalender/date.hpp"
#include "jaarkalender/staff_change.hpp"
#include "quoted.hpp"

namespace jk::detail::toml_edit {

// ---- TOML values as text ----------------------------------------------------------------------

inline std::string toml_string(std::string_view s) {
    std::string out;
    append_quoted(out, s, true);
    return out;
}

inline std::string toml_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + toml_string(items[i]);
    return out + "]";
}

inline Date from_toml(const toml::date& d) {
    return Date{std::chrono::year_month_day{std::chrono::year{d.year}, std::chrono::month{d.month},
                                            std::chrono::day{d.day}}};
}

inline std::string toml_date(Date d) {
    return format_date(d);  // a TOML local date, as the example files write them
}

// ---- the text being edited ----------------------------------------------------------------------

/// school.toml's text and a change's edits of it. A change first writes: every edit finds its
/// place in the text as it was (one parse) and is queued; finish() then applies them all in one
/// pass and parses the result once, for the regions of the messages. An edit costs the size of
/// what it writes, so a change costs the size of the text plus what it writes, whatever the
/// number of its edits.
class TomlText {
  public:
    TomlText(std::string text, std::string path) : text_(std::move(text)), path_(std::move(path)) {
        parse();
    }
    [[nodiscard]] const std::string& text() const { return text_; }
    /// The parsed text: as it was while edits are queued, with them after finish().
    [[nodiscard]] const toml::table& doc() const { return doc_; }

    /// The byte offset of a toml++ position (lines from 1, columns in code points from 1) in
    /// the parsed text.
    [[nodiscard]] size_t offset(const toml::source_position& p) const {
        if (p.line == 0 || lines_.empty()) return 0;
        if (p.line > lines_.size()) return text_.size();
        size_t at = lines_[p.line - 1];
        for (toml::source_index col = 1; col < p.column && at < text_.size(); ++col) {
            ++at;  // past one code point: its lead byte and any continuation bytes
            while (at < text_.size() && (static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80)
                ++at;
        }
        return at;
    }
    /// The end of the line `at` is on (before its CR LF or LF).
    [[nodiscard]] size_t line_end(size_t at) const {
        size_t nl = text_.find('\n', at);
        if (nl == std::string::npos) return text_.size();
        if (nl > 0 && text_[nl - 1] == '\r') --nl;
        return nl;
    }

    /// Queues: the text from..to becomes `with`.
    void splice(size_t from, size_t to, std::string_view with) {
        edits_.push_back({from, to, std::string(with), edits_.size()});
    }

    /// The element of the array of tables `array` (`[[person]]`) whose `id` is `id`.
    [[nodiscard]] const toml::table* element(std::string_view array, std::string_view id) const {
        const toml::array* a = doc_[array].as_array();
        if (!a) return nullptr;
        for (const toml::node& n : *a)
            if (const toml::table* t = n.as_table())
                if (t->get_as<std::string>("id") && t->get_as<std::string>("id")->get() == id)
                    return t;
        return nullptr;
    }

    /// Sets `key` of a `[[...]]` table or an inline table to `value`: the value's text is
    /// replaced when the key is there, else the key is added after the table's last value (on a
    /// line of its own for a `[[...]]` table, inside the braces for an inline table).
    void set_key(const toml::table& t, std::string_view key, const std::string& value) {
        if (const toml::node* n = t.get(key)) {
            splice(offset(n->source().begin), offset(n->source().end), value);
            return;
        }
        const std::string line = std::string(key) + " = " + value;
        if (t.is_inline()) {
            append_inside(t.source(), last_end(t), line);
            return;
        }
        const size_t after = last_end(t).value_or(offset(t.source().end));
        const size_t eol = line_end(after);
        splice(eol, eol, newline() + line);
    }

    /// Queues the removal of `key`'s line from a `[...]` table (not an inline one).
    void remove_key(const toml::table& t, std::string_view key) {
        const toml::node* n = t.get(key);
        if (!n) return;
        const size_t at = offset(n->source().begin);
        const size_t nl = at == 0 ? std::string::npos : text_.rfind('\n', at - 1);
        const size_t from = nl == std::string::npos ? 0 : nl + 1;
        size_t to = text_.find('\n', offset(n->source().end));
        to = to == std::string::npos ? text_.size() : to + 1;
        splice(from, to, "");
    }

    /// Appends `element` to the array `key` of table `t` (after its last element), making the
    /// key when there is none. Several appends to one array are one list, in their order.
    void append_to_array(const toml::table& t, std::string_view key, const std::string& element) {
        const toml::array* a = t.get_as<toml::array>(key);
        if (!a) {
            auto& items = new_arrays_[{offset(t.source().begin), std::string(key)}];
            if (items.items.empty()) items.table = &t;
            items.items.push_back(element);
            return;
        }
        std::optional<size_t> last;
        for (const toml::node& n : *a) last = std::max(last.value_or(0), offset(n.source().end));
        append_inside(a->source(), last, element);
    }

    /// Appends a `[[...]]` block (its lines, without a trailing newline) at the end of the file.
    void append_block(const std::string& block) {
        std::string add;
        if (!text_.empty() && text_.back() != '\n') add += newline();
        add += newline() + block + newline();
        splice(text_.size(), text_.size(), add);
    }

    /// Applies the queued edits in one pass and parses the result.
    void finish() {
        for (auto& [where, items] : new_arrays_) {
            std::string list;
            for (const auto& i : items.items) list += (list.empty() ? "" : ", ") + i;
            set_key(*items.table, where.second, "[ " + list + " ]");
        }
        new_arrays_.clear();
        for (auto& [at, items] : appends_) {
            std::string add;
            for (const auto& i : items.items)
                add += (add.empty() && !items.after_last ? " " : ", ") + i;
            if (!items.after_last) add += " ";
            splice(at, at, add);
        }
        appends_.clear();
        if (edits_.empty()) return;
        // In text order; at one place, in the order queued.
        std::sort(edits_.begin(), edits_.end(), [](const Edit& a, const Edit& b) {
            return std::tie(a.from, a.seq) < std::tie(b.from, b.seq);
        });
        std::string out;
        out.reserve(text_.size() + 256);
        size_t at = 0;
        for (const Edit& e : edits_) {
            if (e.from < at || e.to < e.from || e.to > text_.size())
                throw std::logic_error("overlapping edits of school.toml");
            out.append(text_, at, e.from - at);
            out += e.with;
            at = e.to;
        }
        out.append(text_, at, std::string::npos);
        text_ = std::move(out);
        edits_.clear();
        parse();
    }

  private:
    struct Edit {
        size_t from = 0, to = 0;
        std::string with;
        size_t seq = 0;
    };
    struct Items {
        const toml::table* table = nullptr;  // new arrays: the table that gets the key
        bool after_last = false;             // appends: after an element, or into an empty one
        std::vector<std::string> items;
    };

    void parse() {
        doc_ = toml::parse(text_, std::string_view(path_));
        lines_.clear();
        lines_.push_back(0);
        for (size_t i = 0; i < text_.size(); ++i)
            if (text_[i] == '\n') lines_.push_back(i + 1);
    }
    [[nodiscard]] std::string newline() const {
        return text_.find("\r\n") != std::string::npos ? "\r\n" : "\n";
    }
    /// Where the last value of a table ends in the text, if it has any.
    [[nodiscard]] std::optional<size_t> last_end(const toml::table& t) const {
        std::optional<size_t> last;
        for (const auto& [k, v] : t)
            if (!v.is_table() && !(v.is_array_of_tables() && !v.as_array()->empty() &&
                                   !v.as_array()->front().as_table()->is_inline()))
                last = std::max(last.value_or(0), offset(v.source().end));
        return last;
    }
    /// Inserts `item` into an inline table or array whose text is `region`: after `last` (the
    /// end of its last item) with a comma, or right after the opening bracket when it is empty.
    void append_inside(const toml::source_region& region, std::optional<size_t> last,
                       const std::string& item) {
        const size_t at = last ? *last : offset(region.begin) + 1;
        Items& items = appends_[at];
        items.after_last = last.has_value();
        items.items.push_back(item);
    }

    std::string text_;
    std::string path_;
    toml::table doc_;
    std::vector<size_t> lines_;  // the offset of each line's start
    std::vector<Edit> edits_;
    std::map<size_t, Items> appends_;
    std::map<std::pair<size_t, std::string>, Items> new_arrays_;
};

// ---- blocks: a `[[...]]` element with its sub-tables -------------------------------------------

/// Where the `[[array]]` element whose header is at `header` lies in `text`: from its header
/// line to the next header that is not one of its own sub-tables (`[[array.x]]`), without the
/// comments and blank lines just before that next header (they belong to what follows).
inline std::pair<size_t, size_t> block_range(const std::string& text, size_t header,
                                             std::string_view array) {
    size_t at = text.rfind('\n', header == 0 ? 0 : header - 1);
    const size_t begin = at == std::string::npos || header == 0 ? 0 : at + 1;
    const std::string own1 = "[[" + std::string(array) + ".", own2 = "[" + std::string(array) + ".";
    size_t line = text.find('\n', begin);
    size_t end = text.size();
    while (line != std::string::npos) {
        const size_t next = line + 1;
        if (next >= text.size()) break;
        const std::string_view rest(text.data() + next, text.size() - next);
        if (rest.front() == '[' && rest.rfind(own1, 0) != 0 && rest.rfind(own2, 0) != 0) {
            end = next;
            break;
        }
        line = text.find('\n', next);
    }
    // Back over the blank and comment lines that introduce the next block.
    size_t cut = end;
    while (cut > begin) {
        const size_t prev_end = cut - 1;  // the '\n' ending the previous line
        const size_t prev_begin = text.rfind('\n', prev_end == 0 ? 0 : prev_end - 1);
        const size_t b = prev_begin == std::string::npos ? 0 : prev_begin + 1;
        if (b <= begin) break;
        const std::string_view l(text.data() + b, prev_end - b);
        const size_t first = l.find_first_not_of(" \t\r");
        if (first != std::string_view::npos && l[first] != '#') break;
        cut = b;
    }
    return {begin, cut};
}

// ---- the regions the change wrote, for messages at their field ---------------------------------

struct FieldRegion {
    toml::source_region region;
    std::string field;
};

/// What one change wrote, or why it could not be written.
struct Edit {
    std::vector<FieldError> errors;  // the change cannot be written
    std::vector<FieldRegion> regions;
};

inline bool contains(const toml::source_region& r, int line, int column) {
    const auto before = [](auto l1, auto c1, auto l2, auto c2) {
        return l1 < l2 || (l1 == l2 && c1 < c2);
    };
    return !before(line, column, static_cast<int>(r.begin.line),
                   static_cast<int>(r.begin.column)) &&
           before(line, column, static_cast<int>(r.end.line), static_cast<int>(r.end.column));
}

/// The field of the smallest region that holds a position ("" when none does).
inline std::string field_at(const std::vector<FieldRegion>& regions, int line, int column) {
    const FieldRegion* best = nullptr;
    auto size = [](const toml::source_region& r) {
        return std::pair(r.end.line - r.begin.line, r.end.column - r.begin.column);
    };
    for (const FieldRegion& f : regions)
        if (contains(f.region, line, column) && (!best || size(f.region) < size(best->region)))
            best = &f;
    return best ? best->field : std::string();
}

/// Registers a table (its whole text as `whole`) and each named key's value as its field.
inline void add_regions(std::vector<FieldRegion>& out, const toml::table& t,
                        const std::string& whole,
                        const std::vector<std::pair<std::string, std::string>>& keys) {
    auto region = t.source();
    out.push_back({region, whole});
    for (const auto& [key, field] : keys)
        if (const toml::node* n = t.get(key)) out.push_back({n->source(), field});
}

inline const toml::table* array_element(const toml::table* t, std::string_view key,
                                        std::string_view match_key, std::string_view match) {
    const toml::array* a = t ? t->get_as<toml::array>(key) : nullptr;
    if (!a) return nullptr;
    const toml::table* found = nullptr;
    for (const toml::node& n : *a)
        if (const toml::table* e = n.as_table()) {
            const toml::node* m = e->get(match_key);
            if (!m) continue;
            std::string text;
            if (auto s = m->value<std::string>())
                text = *s;
            else if (auto d = m->value<toml::date>())
                text = format_date(from_toml(*d));
            if (text == match) found = e;  // the last one: what a change appended
        }
    return found;
}

}  // namespace jk::detail::toml_edit
