// The official school holidays (Rijksoverheid data shipped in calendars/official).
#include <mutex>

#include "jaarkalender/loader.hpp"
#include "toml_reader.hpp"

namespace jk {
namespace detail {
extern const std::string_view kOfficialHolidaysToml;
}

namespace {

constexpr std::string_view kRegionKeys[3] = {"noord", "midden", "zuid"};

std::optional<DateRange> read_range(const detail::TableReader& t, std::string_view key) {
    const toml::node* n = t.node(key);
    if (!n) {
        t.missing(key, "[van, tot en met]");
        return std::nullopt;
    }
    const toml::array* a = n->as_array();
    if (!a || a->size() != 2) {
        t.type_error(*n, key, "lijst van twee datums [van, tot en met]");
        return std::nullopt;
    }
    auto from = t.date_of(*a->get(0), key);
    auto to = t.date_of(*a->get(1), key);
    if (!from || !to) return std::nullopt;
    if (*to < *from) {
        t.ctx().error(n->source(), std::string(key) + ": de einddatum ligt voor de begindatum");
        return std::nullopt;
    }
    return DateRange{*from, *to};
}

bool read_regions(const detail::TableReader& t, DateRange (&out)[3]) {
    bool ok = true;
    for (int r = 0; r < 3; ++r) {
        auto range = read_range(t, kRegionKeys[r]);
        if (range)
            out[r] = *range;
        else
            ok = false;
    }
    return ok;
}

}  // namespace

Result<OfficialHolidays> parse_official_holidays(std::string_view text, const std::string& path) {
    Diagnostics diags;
    auto doc = detail::parse_toml(text, path, diags);
    if (!doc) return diags;
    detail::FileContext ctx(path, diags);
    OfficialHolidays out;
    {
        detail::TableReader top(ctx, *doc, "het bestand", {"source", "year"});
        out.source = top.string("source", true, "de bron van de gegevens").value_or("");
        top.array(
            "year",
            [&](const toml::node& n, size_t) {
                const toml::table* yt = n.as_table();
                if (!yt) {
                    top.type_error(n, "year", "tabel [[year]]");
                    return;
                }
                detail::TableReader y(ctx, *yt, "[[year]]",
                                      {"school_year", "previous_summer", "vacations"});
                OfficialYear year;
                year.school_year = y.string("school_year", true).value_or("");
                if (const toml::node* ps = y.node("previous_summer")) {
                    if (const toml::table* pst = ps->as_table()) {
                        detail::TableReader r(ctx, *pst, "previous_summer",
                                              {"noord", "midden", "zuid"});
                        read_regions(r, year.previous_summer);
                    } else {
                        y.type_error(*ps, "previous_summer", "tabel");
                    }
                } else {
                    y.missing("previous_summer", "de zomervakantie voor dit schooljaar");
                }
                y.array(
                    "vacations",
                    [&](const toml::node& vn, size_t) {
                        const toml::table* vt = vn.as_table();
                        if (!vt) {
                            y.type_error(vn, "vacations", "tabel");
                            return;
                        }
                        detail::TableReader v(ctx, *vt, "vacations",
                                              {"name", "noord", "midden", "zuid"});
                        OfficialVacation vac;
                        vac.name = v.string("name", true).value_or("");
                        read_regions(v, vac.range);
                        year.vacations.push_back(std::move(vac));
                    },
                    true);
                out.years.push_back(std::move(year));
            },
            true);
    }
    if (diags.has_errors()) return diags;
    return out;
}

const OfficialHolidays& builtin_official_holidays() {
    // Parsed once; the data is compiled in and tested, so a failure here is a build bug.
    static const OfficialHolidays data = [] {
        auto r = parse_official_holidays(detail::kOfficialHolidaysToml,
                                         "calendars/official/schoolvakanties.toml");
        if (!r) {
            std::string msg = "ingebouwde vakantiegegevens ongeldig:";
            for (const auto& d : r.error().items()) msg += "\n" + to_string(d);
            throw std::logic_error(msg);
        }
        return std::move(r).value();
    }();
    return data;
}

const OfficialYear* OfficialHolidays::year(std::string_view school_year) const {
    for (const auto& y : years)
        if (y.school_year == school_year) return &y;
    return nullptr;
}

std::vector<std::string> OfficialHolidays::known_years() const {
    std::vector<std::string> out;
    for (const auto& y : years) out.push_back(y.school_year);
    return out;
}

}  // namespace jk
