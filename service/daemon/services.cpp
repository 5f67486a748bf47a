#include "daemon/services.hpp"

namespace jk::daemon {

namespace {

OfficialHolidays official_or_throw(const std::filesystem::path& calendars) {
    auto r = official_holidays_in(calendars);
    if (!r) {
        std::string text;
        for (const auto& d : r.error().items()) text += (text.empty() ? "" : "\n") + to_string(d);
        throw std::runtime_error(text);
    }
    return std::move(r).value();
}

}  // namespace

Services::Services(std::filesystem::path calendars, Store& s, Clock& c)
    : Services(calendars, official_or_throw(calendars), s, c) {}

Services::Services(std::filesystem::path calendars, OfficialHolidays official, Store& s, Clock& c)
    : store(s),
      clock(c),
      writes_(make_rate_limit(s, s.shared(), "write", kWriteBurst, kWritesPerSecond)),
      schools(std::move(calendars), std::move(official), s, c, background),
      years(schools, s, c),
      tracking(schools, s, s, writes_, c, years),
      input(schools, s, writes_, c, years),
      access(schools, s, s, s.shared(), c, background),
      subscriptions(schools, s, s, c),
      mail(s, s, s, c),
      trend(schools, s, years) {
    schools.set_beside_source(
        [this](const LoadedSchool& current) { return years.beside(current); });
}

void Services::set_write_limit(double burst, double per_second) {
    writes_.replace(make_rate_limit(store, store.shared(), "write", burst, per_second));
}

}  // namespace jk::daemon
