// A mail as RFC 5322 text: headers with encoded-words (RFC 2047), a multipart/alternative body
// in quoted-printable, and the event as a text/calendar attachment in base64 (RFC 2045).
#include <algorithm>
#include <cstdio>
#include <functional>

#include "jaarkalender/mail.hpp"

namespace jk {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                           (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += kBase64[(v >> 18) & 63], out += kBase64[(v >> 12) & 63];
        out += kBase64[(v >> 6) & 63], out += kBase64[v & 63];
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += kBase64[(v >> 18) & 63], out += kBase64[(v >> 12) & 63];
        out += i + 1 < in.size() ? kBase64[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

/// Base64 in lines of 76 characters (RFC 2045).
std::string base64_lines(std::string_view in) {
    const std::string b = base64(in);
    std::string out;
    for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
    return out;
}

bool is_ascii(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x80 && c != '\r' && c != '\n';
    });
}

/// A display name and address: `"Name" <a@b>`, the name as encoded-words when not ASCII.
std::string mailbox(const std::string& name, const std::string& address) {
    if (name.empty()) return "<" + address + ">";
    if (!is_ascii(name)) return encode_header_word(name) + " <" + address + ">";
    std::string q = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
    }
    return q + "\" <" + address + ">";
}

/// RFC 5322 date in the school's zone: "Mon, 05 Oct 2026 07:00:00 +0200".
std::string rfc5322_date(std::int64_t t) {
    static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto [d, m] = epoch_to_local(t);
    const int offset = amsterdam_utc_offset(d, m);
    const std::chrono::year_month_day ymd{d};
    const long long secs = ((t % 60) + 60) % 60;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %d %02d:%02d:%02lld +%02d%02d",
                  kDays[weekday_index(d)], static_cast<unsigned>(ymd.day()),
                  kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                  m / 60, m % 60, secs, offset / 60, offset % 60);
    return buf;
}

std::string boundary_for(const std::string& message_id, char tag) {
    // '=' and '_' together cannot occur in quoted-printable or base64 output.
    std::size_t h = std::hash<std::string>{}(message_id);
    char buf[40];
    std::snprintf(buf, sizeof buf, "=_jk_%c_%016zx", tag, h);
    return buf;
}

}  // namespace

std::string encode_header_word(const std::string& text) {
    if (is_ascii(text)) return text;
    // Encoded-words of at most 75 characters: 45 bytes of UTF-8 → 60 of base64, never
    // splitting a character (RFC 2047 section 5).
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        size_t end = std::min(text.size(), i + 45);
        while (end < text.size() && end > i &&
               (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(std::string_view(text).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string quoted_printable(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    std::string line;
    auto flush = [&](bool hard) {
        out += line;
        out += hard ? "\r\n" : "=\r\n";
        line.clear();
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\r') continue;
        if (c == '\n') {
            // Trailing white space must be encoded.
            if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
                const char last = line.back();
                line.pop_back();
                line += std::string("=") + kHex[last >> 4] + kHex[last & 15];
            }
            flush(true);
            continue;
        }
        std::string piece;
        const bool literal = (c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t';
        // A line-leading '.' is encoded so that no SMTP dot-stuffing is needed.
        if (literal && !(c == '.' && line.empty()))
            piece = std::string(1, static_cast<char>(c));
        else
            piece = std::string("=") + kHex[c >> 4] + kHex[c & 15];
        if (line.size() + piece.size() > 75) flush(false);
        line += piece;
    }
    if (!line.empty()) flush(true);
    return out;
}

std::string to_rfc5322(const MailHeaders& h, const MailContent& c) {
    std::string m;
    m += "Date: " + rfc5322_date(h.date) + "\r\n";
    m += "From: " + mailbox(h.from_name, h.from_address) + "\r\n";
    m += "To: " + mailbox(h.to_name, h.to_address) + "\r\n";
    if (!h.reply_to.empty()) m += "Reply-To: <" + h.reply_to + ">\r\n";
    m += "Subject: " + encode_header_word(c.subject) + "\r\n";
    m += "Message-ID: <" + h.message_id + ">\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Auto-Submitted: auto-generated\r\n";
    if (!h.list_unsubscribe_url.empty()) {
        m += "List-Unsubscribe: <" + h.list_unsubscribe_url + ">\r\n";
        m += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    }
    const std::string alt = boundary_for(h.message_id, 'a');
    std::string alternative;
    alternative += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
    alternative += "--" + alt + "\r\n";
    alternative += "Content-Type: text/plain; charset=utf-8\r\n";
    alternative += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    alternative += quoted_printable(c.text);
    alternative += "--" + alt + "\r\n";
    alternative += "Content-Type: text/html; charset=utf-8\r\n";
    alternative += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    alternative += quoted_printable(c.html);
    alternative += "--" + alt + "--\r\n";
    if (c.ics.empty()) return m + alternative;
    const std::string mixed = boundary_for(h.message_id, 'm');
    m += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
    m += "--" + mixed + "\r\n" + alternative;
    m += "--" + mixed + "\r\n";
    m += "Content-Type: text/calendar; charset=utf-8; method=PUBLISH; name=\"" + c.ics_filename +
         "\"\r\n";
    m += "Content-Disposition: attachment; filename=\"" + c.ics_filename + "\"\r\n";
    m += "Content-Transfer-Encoding: base64\r\n\r\n";
    m += base64_lines(c.ics);
    m += "--" + mixed + "--\r\n";
    return m;
}

}  // namespace jk
