// Reminder e-mail in the daemon: finds what fell due (the core's schedule), writes each message
// to the outbox before anything is sent, and sends from the outbox on its own thread, rate
// limited, with retries. A crash repeats at most the one message that was in flight.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "daemon/access/access_service.hpp"
#include "daemon/mail/mail_config.hpp"
#include "daemon/mail/unsubscribe.hpp"
#include "daemon/schools/registry.hpp"
#include "daemon/store/store.hpp"
#include "jaarkalender/mail.hpp"

namespace jk::daemon {

/// Delivers one message. Implementations: SMTP through libcurl, and a folder (mode log).
class MailTransport {
  public:
    enum class Outcome { sent, transient, permanent };
    struct Result {
        Outcome outcome = Outcome::sent;
        std::string detail;  // the server's words or the error, for the outbox and the log
    };
    virtual ~MailTransport() = default;
    /// Delivers `message`. `before_body` is called once, right before the message's content
    /// is handed over (after the server accepted the envelope); when it returns false the
    /// message is abandoned as transient.
    virtual Result send(const OutboxMessage& message,
                        const std::function<bool()>& before_body = {}) = 0;
};

/// SMTP through libcurl: smtp:// with STARTTLS required unless configured otherwise, smtps://,
/// AUTH. One connection, reused while the server keeps it open. 5xx replies are permanent.
std::unique_ptr<MailTransport> make_smtp_transport(const MailConfig& config);
/// Writes each message as `<id>-<kind>-<person>.eml` into a folder (written whole, then renamed).
std::unique_ptr<MailTransport> make_folder_transport(const std::filesystem::path& folder);
/// The transport the configuration asks for (null for mode off).
std::unique_ptr<MailTransport> make_transport(const MailConfig& config);

class Mailer {
  public:
    using TransportFactory = std::function<std::unique_ptr<MailTransport>()>;
    /// `store` is the mailer's own connection (Durability::normal is enough: a lost "sent" mark
    /// repeats one message, it never loses one); `checkpoints` the daemon's, which checkpoints
    /// for it. `make_transport` is called once per connection (`config.connections`).
    Mailer(SchoolRegistry& schools, OutboxStore& checkpoints, Store& store,
           TransportFactory make_transport, MailConfig config, std::string public_url);
    ~Mailer();
    Mailer(const Mailer&) = delete;
    Mailer& operator=(const Mailer&) = delete;

    /// Queues every reminder, overdue notice and digest that fell due since each school's last
    /// scan, up to `now`. The first scan of a school starts at `now`. Returns how many were new.
    int scan(std::int64_t now);
    /// Queues change notices for a plan change (moves and cancellations within 14 days).
    void plan_changed(const SchoolSnapshot* before, const SchoolSnapshot& after, std::int64_t now);
    /// Queues a sign-in link for a person and wakes the sender.
    void send_login_link(const std::string& school, const std::string& person,
                         const std::string& url, std::int64_t now);
    /// Queues the mail that a next school year is published to everyone in it with an address
    /// (once per person and year) and wakes the sender.
    void year_published(const std::string& school, const Plan& plan, const LoadedSchool& next,
                        std::int64_t now);
    /// Sends what is ready at `now`, rate limited; returns how many messages were handled.
    int send_ready(std::int64_t now);

    /// The background thread: scans every `scan_seconds`, sends as messages become ready.
    void start();
    void stop();
    void wake();

    [[nodiscard]] std::string unsubscribe_url(const Unsubscribe& u) const;

  private:
    [[nodiscard]] MailHeaders headers(const Person& to, const std::string& key,
                                      std::int64_t now) const;
    void queue(std::vector<DueMail> due, const std::string& cursor_name, std::int64_t cursor,
               std::int64_t now);
    /// The plans a batch of sends reads, decoded once per batch (they are kept compressed):
    /// per school, the plan as it was read and the KeptPlan it came from.
    using BatchPlans = std::map<std::string, std::pair<KeptPlan, std::shared_ptr<const Plan>>>;
    static std::shared_ptr<const Plan> batch_plan(BatchPlans& plans, const std::string& school,
                                                  const KeptPlan& now);
    bool still_relevant(const OutboxMessage& m, std::string& why, BatchPlans& plans) const;
    /// Sends one message and records the outcome; marks are recorded strictly in ticket order.
    void deliver(MailTransport& transport, const OutboxMessage& m, long ticket, std::int64_t now);
    void run();

    SchoolRegistry& schools_;
    OutboxStore& checkpoints_;
    Store& store_;
    std::vector<std::unique_ptr<MailTransport>> transports_;
    MailConfig config_;
    std::string public_url_;
    std::string secret_;
    std::string domain_;  // of the from address, for Message-IDs
    std::string owner_;   // this daemon's name in outbox claims and scan leases

    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
    std::chrono::steady_clock::time_point next_send_{};  // rate limit

    // Ordered marks across connections: message `ticket` hands over its content only after
    // message `ticket - 1` has been recorded, so at any moment at most one delivered message
    // lacks its "sent" mark (the one a crash may repeat).
    std::mutex order_mu_;
    std::condition_variable order_cv_;
    long recorded_ = -1;
};

/// Transient failures are retried after min(1 h, 1 min · 2^attempts), with jitter of up to half.
std::int64_t retry_delay_seconds(int attempts, double jitter01);

}  // namespace jk::daemon
