// The official school vacations typed by hand from published sources (hand_holidays.hpp).
//
// Sources (read December 2026):
// - 2027-2028, all regions: Rijksoverheid, "Overzicht schoolvakanties 2027-2028"
//   (rijksoverheid.nl/onderwerpen/schoolvakanties/overzicht-schoolvakanties-per-schooljaar/
//   overzicht-schoolvakanties-2027-2028).
// - 2028-2029, all regions: Rijksoverheid, "Overzicht schoolvakanties 2028-2029" (the same
//   path, overzicht-schoolvakanties-2028-2029), read December 2026; the zomervakantie 2029 of
//   each region agrees with schoolvakanties-nederland.nl's list for 2029.
// - 2025-2026 and 2026-2027: the government's own pages for these years could not be found in
//   the stored copies we can search. What is checked for them comes from schools in regio midden
//   that publish the official dates for their roster (csgdewaard.nl "De Schelp" for both years;
//   edumarevpr.nl for 2025-2026), and the national kerstvakantie 2025-2026 as cited from
//   Rijksoverheid by mkkm.nl. Their meivakantie is the school's own (extended), so it is not
//   checked. For regio noord and zuid only the zomervakantie 2026 has a source (deepsea.nl,
//   "Wanneer begint zomervakantie", the compulsory dates per region); their other vacations of
//   these two years are not checked: no source was found.
#include "hand_holidays.hpp"

#include <stdexcept>
#include <string>

#include "jaarkalender/date.hpp"
#include "jaarkalender/loader.hpp"

namespace jk::testing {

namespace {

constexpr Region N = Region::noord, M = Region::midden, Z = Region::zuid;

// clang-format off
const HandVacation kTable[] = {
    // Rijksoverheid, 2027-2028.
    {"2027-2028", "Herfstvakantie",    N, "2027-10-16", "2027-10-24"},
    {"2027-2028", "Herfstvakantie",    M, "2027-10-16", "2027-10-24"},
    {"2027-2028", "Herfstvakantie",    Z, "2027-10-23", "2027-10-31"},
    {"2027-2028", "Kerstvakantie",     N, "2027-12-25", "2028-01-09"},
    {"2027-2028", "Kerstvakantie",     M, "2027-12-25", "2028-01-09"},
    {"2027-2028", "Kerstvakantie",     Z, "2027-12-25", "2028-01-09"},
    {"2027-2028", "Voorjaarsvakantie", N, "2028-02-19", "2028-02-27"},
    {"2027-2028", "Voorjaarsvakantie", M, "2028-02-26", "2028-03-05"},
    {"2027-2028", "Voorjaarsvakantie", Z, "2028-02-26", "2028-03-05"},
    {"2027-2028", "Meivakantie",       N, "2028-04-29", "2028-05-07"},
    {"2027-2028", "Meivakantie",       M, "2028-04-29", "2028-05-07"},
    {"2027-2028", "Meivakantie",       Z, "2028-04-29", "2028-05-07"},
    {"2027-2028", "Zomervakantie",     N, "2028-07-15", "2028-08-27"},
    {"2027-2028", "Zomervakantie",     M, "2028-07-08", "2028-08-20"},
    {"2027-2028", "Zomervakantie",     Z, "2028-07-22", "2028-09-03"},
    // Rijksoverheid, 2028-2029.
    {"2028-2029", "Herfstvakantie",    N, "2028-10-14", "2028-10-22"},
    {"2028-2029", "Herfstvakantie",    M, "2028-10-21", "2028-10-29"},
    {"2028-2029", "Herfstvakantie",    Z, "2028-10-21", "2028-10-29"},
    {"2028-2029", "Kerstvakantie",     N, "2028-12-23", "2029-01-07"},
    {"2028-2029", "Kerstvakantie",     M, "2028-12-23", "2029-01-07"},
    {"2028-2029", "Kerstvakantie",     Z, "2028-12-23", "2029-01-07"},
    {"2028-2029", "Voorjaarsvakantie", N, "2029-02-17", "2029-02-25"},
    {"2028-2029", "Voorjaarsvakantie", M, "2029-02-17", "2029-02-25"},
    {"2028-2029", "Voorjaarsvakantie", Z, "2029-02-10", "2029-02-18"},
    {"2028-2029", "Meivakantie",       N, "2029-04-28", "2029-05-06"},
    {"2028-2029", "Meivakantie",       M, "2029-04-28", "2029-05-06"},
    {"2028-2029", "Meivakantie",       Z, "2029-04-28", "2029-05-06"},
    {"2028-2029", "Zomervakantie",     N, "2029-07-21", "2029-09-02"},
    {"2028-2029", "Zomervakantie",     M, "2029-07-07", "2029-08-19"},
    {"2028-2029", "Zomervakantie",     Z, "2029-07-14", "2029-08-26"},
    // Schools in regio midden with the official dates, 2026-2027.
    {"2026-2027", "Herfstvakantie",    M, "2026-10-17", "2026-10-25"},
    {"2026-2027", "Kerstvakantie",     M, "2026-12-19", "2027-01-03"},
    {"2026-2027", "Voorjaarsvakantie", M, "2027-02-20", "2027-02-28"},
    {"2026-2027", "Zomervakantie",     M, "2027-07-17", "2027-08-29"},
    // The same for 2025-2026; the kerstvakantie is national.
    {"2025-2026", "Herfstvakantie",    M, "2025-10-18", "2025-10-26"},
    {"2025-2026", "Kerstvakantie",     N, "2025-12-20", "2026-01-04"},
    {"2025-2026", "Kerstvakantie",     M, "2025-12-20", "2026-01-04"},
    {"2025-2026", "Kerstvakantie",     Z, "2025-12-20", "2026-01-04"},
    {"2025-2026", "Voorjaarsvakantie", M, "2026-02-14", "2026-02-22"},
    {"2025-2026", "Zomervakantie",     M, "2026-07-18", "2026-08-30"},
    // The zomervakantie 2026 of noord and zuid as deepsea.nl lists the compulsory dates.
    {"2025-2026", "Zomervakantie",     N, "2026-07-04", "2026-08-16"},
    {"2025-2026", "Zomervakantie",     Z, "2026-07-11", "2026-08-23"},
};
// clang-format on

}  // namespace

std::span<const HandVacation> hand_vacations() {
    return kTable;
}

OfficialYear hand_official_year(std::string_view school_year) {
    const OfficialYear* program = builtin_official_holidays().year(school_year);
    if (!program) throw std::invalid_argument("no official data for " + std::string(school_year));
    OfficialYear year = *program;
    for (const HandVacation& h : kTable) {
        if (h.school_year != school_year) continue;
        bool found = false;
        for (OfficialVacation& v : year.vacations)
            if (v.name == h.vacation) {
                auto from = parse_date(h.from), to = parse_date(h.to);
                if (!from || !to) throw std::invalid_argument(std::string("bad date in ") + h.from);
                v.range[static_cast<int>(h.region)] = DateRange{*from, *to};
                found = true;
            }
        if (!found) throw std::invalid_argument(std::string("no vacation ") + h.vacation);
    }
    return year;
}

}  // namespace jk::testing
