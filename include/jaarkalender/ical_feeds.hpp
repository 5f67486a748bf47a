// The iCalendar feeds of a plan (RFC 5545; spec/plan-output.md, "The .ics files").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk {

/// `parents`: the jaarrooster, for parents: the first and last school day and every closed
/// day, nothing about staff.
enum class FeedKind { school, person, group, role, parents };

struct FeedSelector {
    FeedKind kind = FeedKind::school;
    std::string id;  // person id, group id or role name; empty for the school

    /// "school.ics", "person/anna.ics", "group/groep-3.ics", "role/ib.ics", "jaarrooster.ics".
    [[nodiscard]] std::string relative_path() const;
    auto operator<=>(const FeedSelector&) const = default;
};

/// Every feed a plan has: the school, each person, each group, each role somebody has, and the
/// parents' jaarrooster.
std::vector<FeedSelector> all_feeds(const LoadedSchool& school);

/// Renders feeds. Each VEVENT is serialised once (libical) and shared by every feed it is in.
class FeedRenderer {
  public:
    FeedRenderer(const Plan& plan, const LoadedSchool& school);
    ~FeedRenderer();
    FeedRenderer(const FeedRenderer&) = delete;
    FeedRenderer& operator=(const FeedRenderer&) = delete;

    /// The whole .ics text of one feed (CRLF, folded, UTF-8).
    [[nodiscard]] std::string render(const FeedSelector& feed) const;
    /// The same feed with the events and closed days of the school year before this one in
    /// front (until this year's first school day) and of the next after it (a published next
    /// year): one subscription runs on from year to year. Either may be null.
    [[nodiscard]] std::string render(const FeedSelector& feed, const FeedRenderer* previous,
                                     const FeedRenderer* next) const;
    /// Number of VEVENTs the feed would hold.
    [[nodiscard]] size_t event_count(const FeedSelector& feed) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// One event as a file to attach to an e-mail: METHOD:PUBLISH, the given UID (not the feed's, so
/// that importing it does not clash with the subscribed copy), no organizer, attendees or RSVP,
/// and no notes typed by staff.
std::string render_event_attachment(const LoadedSchool& school, const Event& event,
                                    const std::string& uid);

/// Seconds in REFRESH-INTERVAL and X-PUBLISHED-TTL.
inline constexpr int kFeedRefreshSeconds = 3600;

}  // namespace jk
