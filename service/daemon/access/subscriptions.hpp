// Subscribe links to the feeds: made in the pages (a person's own, the school's, a group's),
// stored as token hashes, served from the registry's snapshot.
#pragma once

#include <string>

#include "daemon/schools/registry.hpp"

namespace jk::daemon {

class Subscriptions {
  public:
    Subscriptions(SchoolRegistry& schools, SubscriptionStore& subscriptions, AuditStore& audit,
                  Clock& clock)
        : schools_(schools), subscriptions_(subscriptions), audit_(audit), clock_(clock) {}

    /// A new subscribe link, made by `actor`. A person's own feed: the earlier links stop
    /// working. The school's or a group's feed: the earlier links keep working (whole teams
    /// subscribe to them).
    std::string create(const std::string& school, FeedScope scope, const std::string& target,
                       const std::string& actor);
    /// True when the person has a link to their own feed.
    bool has_own(const std::string& school, const std::string& person) const;

  private:
    SchoolRegistry& schools_;
    SubscriptionStore& subscriptions_;
    AuditStore& audit_;
    Clock& clock_;
};

}  // namespace jk::daemon
