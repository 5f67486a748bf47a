// What a person hears by mail (daemon/mail/mail_preferences.hpp): kinds turned off and on
// (audited, never with more than the kind), and the signed "turn this off" link.
#include <catch2/catch.hpp>

#include "daemon/mail/unsubscribe.hpp"
#include "daemon_world.hpp"

using namespace jk;
using namespace jk::daemon;

TEST_CASE("mail preferences: kinds off and on again, audited", "[io][mail]") {
    jk::testing::DaemonWorld w("mail-preferences");
    MailPreferences& mail = w.services->mail;
    CHECK(mail.off("voorbeeldschool", "bram").empty());
    mail.set("voorbeeldschool", "bram", MailKind::change, false, "bram");
    mail.set("voorbeeldschool", "bram", MailKind::digest, false, "bram");
    CHECK(mail.off("voorbeeldschool", "bram") ==
          std::vector<MailKind>{MailKind::change, MailKind::digest});
    CHECK(mail.off("voorbeeldschool", "carla").empty());
    mail.set("voorbeeldschool", "bram", MailKind::change, true, "bram");
    CHECK(mail.off("voorbeeldschool", "bram") == std::vector<MailKind>{MailKind::digest});
    std::vector<std::string> lines;
    for (const auto& a : w.store->audit_log("voorbeeldschool"))
        if (a.action == "mail-off" || a.action == "mail-on")
            lines.push_back(a.action + " " + a.detail);
    CHECK(lines == std::vector<std::string>{"mail-off bram: change", "mail-off bram: digest",
                                            "mail-on bram: change"});
}

TEST_CASE("mail preferences: the link in a mail holds only with the installation's signature",
          "[io][mail]") {
    jk::testing::DaemonWorld w("mail-unsubscribe");
    MailPreferences& mail = w.services->mail;
    // The mailer signs with the same stored secret (made on first use by whichever asks first).
    const std::string secret = w.store->secret(std::string(kUnsubscribeSecret), "fresh-secret");
    const std::string token =
        sign_unsubscribe(secret, {"voorbeeldschool", "bram", MailKind::reminder});
    auto u = mail.verify_unsubscribe(token);
    REQUIRE(u);
    CHECK(u->person == "bram");
    CHECK(u->kind == MailKind::reminder);
    CHECK_FALSE(mail.verify_unsubscribe(
        sign_unsubscribe("another", {"voorbeeldschool", "bram", MailKind::reminder})));
    std::string forged = token;
    forged.replace(forged.find("bram"), 4, "anna");
    CHECK_FALSE(mail.verify_unsubscribe(forged));
}
