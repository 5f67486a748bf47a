// Mail transports: SMTP through libcurl, and a folder of .eml files (mode log).
#include <curl/curl.h>

#include <cstring>
#include <fstream>

#include "daemon/mail/mailer.hpp"

namespace jk::daemon {
namespace fs = std::filesystem;
namespace {

class CurlSmtp final : public MailTransport {
  public:
    explicit CurlSmtp(MailConfig c) : config_(std::move(c)) {
        static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
        if (global != CURLE_OK) throw std::runtime_error("curl_global_init failed");
        curl_ = curl_easy_init();
        if (!curl_) throw std::runtime_error("curl_easy_init failed");
    }
    ~CurlSmtp() override { curl_easy_cleanup(curl_); }
    CurlSmtp(const CurlSmtp&) = delete;
    CurlSmtp& operator=(const CurlSmtp&) = delete;

    Result send(const OutboxMessage& m, const std::function<bool()>& before_body) override {
        if (m.address.find('@') == std::string::npos ||
            m.address.find_first_of(" <>\r\n") != std::string::npos)
            return {Outcome::permanent, "ongeldig e-mailadres: " + m.address};
        Body body{m.message, 0, before_body, false};
        curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.address + ">").c_str());
        const std::string from = "<" + config_.from_address + ">";
        char error[CURL_ERROR_SIZE] = {0};
        // The same handle each time: libcurl keeps the connection open between messages.
        curl_easy_setopt(curl_, CURLOPT_URL, config_.url.c_str());
        curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, from.c_str());
        curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl_, CURLOPT_READFUNCTION, &CurlSmtp::read);
        curl_easy_setopt(curl_, CURLOPT_READDATA, &body);
        curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE,
                         static_cast<curl_off_t>(m.message.size()));
        const bool implicit_tls = config_.url.rfind("smtps://", 0) == 0;
        curl_easy_setopt(curl_, CURLOPT_USE_SSL,
                         implicit_tls || config_.require_starttls
                             ? static_cast<long>(CURLUSESSL_ALL)
                             : static_cast<long>(CURLUSESSL_NONE));
        if (!config_.username.empty()) {
            curl_easy_setopt(curl_, CURLOPT_USERNAME, config_.username.c_str());
            curl_easy_setopt(curl_, CURLOPT_PASSWORD, config_.password.c_str());
        }
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT, static_cast<long>(config_.timeout_seconds));
        curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, 10L);
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
        const CURLcode rc = curl_easy_perform(curl_);
        long code = 0;
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, nullptr);
        curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, nullptr);
        curl_slist_free_all(rcpt);
        if (rc == CURLE_OK) return {Outcome::sent, std::to_string(code)};
        if (body.aborted)
            return {Outcome::transient, "afgebroken: de vorige mail is niet op tijd vastgelegd"};
        std::string detail = std::string(curl_easy_strerror(rc)) +
                             (error[0] ? std::string(": ") + error : std::string()) +
                             (code >= 400 ? " (SMTP " + std::to_string(code) + ")" : std::string());
        // 5xx is the server's final word on this message (unknown mailbox, refused content).
        // Authentication and TLS failures are the installation's to fix: retried meanwhile.
        const bool config_problem =
            rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED || rc == CURLE_SSL_CONNECT_ERROR;
        if (code >= 500 && code < 600 && !config_problem) return {Outcome::permanent, detail};
        return {Outcome::transient, detail};
    }

  private:
    struct Body {
        const std::string& text;
        size_t offset;
        const std::function<bool()>& before;
        bool aborted;
    };
    static size_t read(char* buffer, size_t size, size_t n, void* user) {
        auto* b = static_cast<Body*>(user);
        // The server has accepted the envelope; the content goes only when the caller agrees.
        if (b->offset == 0 && b->before && !b->aborted && !b->before()) {
            b->aborted = true;
            return CURL_READFUNC_ABORT;
        }
        const size_t room = size * n;
        const size_t left = b->text.size() - b->offset;
        const size_t k = std::min(room, left);
        std::memcpy(buffer, b->text.data() + b->offset, k);
        b->offset += k;
        return k;
    }

    MailConfig config_;
    CURL* curl_ = nullptr;
};

class Folder final : public MailTransport {
  public:
    explicit Folder(fs::path folder) : folder_(std::move(folder)) {}

    Result send(const OutboxMessage& m, const std::function<bool()>& before_body) override {
        if (before_body && !before_body())
            return {Outcome::transient, "afgebroken: de vorige mail is niet op tijd vastgelegd"};
        std::error_code ec;
        fs::create_directories(folder_, ec);
        if (ec) return {Outcome::transient, "map " + folder_.string() + ": " + ec.message()};
        const fs::path file = folder_ / (std::to_string(m.id) + "-" +
                                         std::string(to_string(m.kind)) + "-" + m.person + ".eml");
        const fs::path tmp = file.string() + ".tmp";
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out << "X-Jaarkalender-To: " << m.address << "\r\n" << m.message;
            if (!out.flush()) return {Outcome::transient, "schrijven mislukt: " + tmp.string()};
        }
        fs::rename(tmp, file, ec);
        if (ec) return {Outcome::transient, "hernoemen mislukt: " + ec.message()};
        return {Outcome::sent, file.string()};
    }

  private:
    fs::path folder_;
};

}  // namespace

std::unique_ptr<MailTransport> make_smtp_transport(const MailConfig& config) {
    return std::make_unique<CurlSmtp>(config);
}

std::unique_ptr<MailTransport> make_folder_transport(const fs::path& folder) {
    return std::make_unique<Folder>(folder);
}

std::unique_ptr<MailTransport> make_transport(const MailConfig& config) {
    switch (config.mode) {
        case MailConfig::Mode::off:
            return nullptr;
        case MailConfig::Mode::log:
            return make_folder_transport(config.folder);
        case MailConfig::Mode::smtp:
            return make_smtp_transport(config);
    }
    return nullptr;
}

}  // namespace jk::daemon
