// The "turn this kind of mail off" link in every mail: school, person and kind, signed with a
// secret of the installation, so that a link works without signing in and cannot be forged.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "jaarkalender/mail.hpp"

namespace jk::daemon {

/// The store's name of the secret.
inline constexpr std::string_view kUnsubscribeSecret = "unsubscribe";

struct Unsubscribe {
    std::string school;
    std::string person;
    MailKind kind = MailKind::reminder;
};

/// "school.person.kind.<128-bit HMAC>".
std::string sign_unsubscribe(const std::string& secret, const Unsubscribe& u);
/// The link's content when its signature holds.
std::optional<Unsubscribe> verify_unsubscribe(const std::string& secret, std::string_view token);

}  // namespace jk::daemon
