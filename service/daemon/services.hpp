// The daemon's services over one store, made and wired in one place: what `serve`, the tests and
// the benchmarks start. A handler takes the services it calls, not this.
#pragma once

#include <filesystem>
#include <memory>

#include "daemon/access/access_service.hpp"
#include "daemon/access/subscriptions.hpp"
#include "daemon/background.hpp"
#include "daemon/input/input_service.hpp"
#include "daemon/mail/mail_preferences.hpp"
#include "daemon/schools/registry.hpp"
#include "daemon/schools/trend.hpp"
#include "daemon/tracking/tracking_service.hpp"

namespace jk::daemon {

/// Tracking and staff changes one account may make: a burst, then one a second (a teacher
/// ticking off a morning's events gets through; a script hammering the write path does not slow
/// the rest).
inline constexpr double kWriteBurst = 15;
inline constexpr double kWritesPerSecond = 1;

class Services {
  public:
    /// `official`: the vacations of the years the schools plan (official_holidays_in).
    Services(std::filesystem::path calendars, OfficialHolidays official, Store& store,
             Clock& clock);
    /// With the official data of `calendars` (throws when its file is invalid: a caller that
    /// reports that to a person reads it first).
    Services(std::filesystem::path calendars, Store& store, Clock& clock);
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;

    /// The per-account limit of changes (tests and benchmarks set their own; before use).
    void set_write_limit(double burst, double per_second);

    Store& store;
    Clock& clock;
    /// Where background work goes (the server's pool once it runs).
    Background background;

  private:
    /// The per-account limit of changes, shared by tracking and the staff changes.
    ReplaceableLimit writes_;

  public:
    SchoolRegistry schools;
    YearService years;
    TrackingService tracking;
    InputService input;
    AccessService access;
    Subscriptions subscriptions;
    MailPreferences mail;
    CycleTrend trend;
};

}  // namespace jk::daemon
