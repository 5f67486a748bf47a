// How the daemon sends mail ([mail] in the config file).
#pragma once

#include <filesystem>
#include <string>

namespace jk::daemon {

struct MailConfig {
    /// off: nothing is queued. log: complete messages are written to `folder` (the example's
    /// default: the first start needs no mail server). smtp: sent through `url`.
    enum class Mode { off, log, smtp } mode = Mode::log;
    std::filesystem::path folder;  // log mode
    std::string url;               // smtp://host:587 or smtps://host:465
    /// smtp:// only: STARTTLS is required unless set to false (a server on loopback, tests).
    bool require_starttls = true;
    std::string username;
    std::string password;
    std::string from_address = "jaarkalender@localhost";
    std::string from_name = "Jaarkalender";
    std::string reply_to;
    double max_per_second = 20;  // rate limit of the sender
    /// SMTP connections used at once. Their envelopes overlap, but each message's content goes
    /// only after the previous message's "sent" mark is stored: a crash repeats at most one.
    int connections = 3;
    int scan_seconds = 60;     // how often due mail is looked for
    int retry_hours = 48;      // transient failures are retried this long
    int timeout_seconds = 30;  // one SMTP conversation
    /// Several daemons on one database: how long a daemon's claim on a batch of outbox messages
    /// lasts. A daemon that dies mid-batch leaves its messages to another after this long.
    int claim_seconds = 45;
};

}  // namespace jk::daemon
