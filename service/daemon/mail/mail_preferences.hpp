// What a person hears by mail: the kinds they turned off (in the pages, or by the signed link at
// the foot of a mail), and a school's outbox for its IB'er and schoolleider.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/mail/unsubscribe.hpp"
#include "daemon/schools/snapshot.hpp"
#include "jaarkalender/mail.hpp"

namespace jk::daemon {

class MailPreferences {
  public:
    MailPreferences(OutboxStore& outbox, AccessStore& secrets, AuditStore& audit, Clock& clock)
        : outbox_(outbox), secrets_(secrets), audit_(audit), clock_(clock) {}

    /// The kinds of mail a person has turned off.
    std::vector<MailKind> off(const std::string& school, const std::string& person);
    /// Turns a kind of mail on or off for a person (audited).
    void set(const std::string& school, const std::string& person, MailKind kind, bool on,
             const std::string& actor);
    /// A school's outbox, newest first; in every state when `state` is none.
    std::vector<OutboxMessage> outbox(const std::string& school, std::optional<OutboxState> state,
                                      int limit) {
        return outbox_.outbox(school, state, limit);
    }
    /// The content of a signed "turn this mail off" link.
    std::optional<Unsubscribe> verify_unsubscribe(std::string_view token);

  private:
    OutboxStore& outbox_;
    AccessStore& secrets_;
    AuditStore& audit_;
    Clock& clock_;
    std::once_flag secret_once_;
    std::string secret_;
};

}  // namespace jk::daemon
