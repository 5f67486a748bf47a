#include "daemon/services.hpp"

namespace jk::daemon {

Services::Services(std::filesystem::path calendars, Store& s, Clock& c)
    : store(s),
      clock(c),
      writes_(make_rate_limit(s, s.shared(), "write", kWriteBurst, kWritesPerSecond)),
      schools(std::move(calendars), s, c, background),
      tracking(schools, s, s, writes_, c),
      input(schools, s, writes_, c),
      access(schools, s, s, s.shared(), c, background),
      subscriptions(schools, s, s, c),
      mail(s, s, s, c),
      trend(schools, s) {}

void Services::set_write_limit(double burst, double per_second) {
    writes_.replace(make_rate_limit(store, store.shared(), "write", burst, per_second));
}

}  // namespace jk::daemon
