// report.txt: what an IB'er or schoolleider reads to see whether the plan is complete.
#include "jaarkalender/report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "jaarkalender/planner.hpp"

namespace jk {
namespace {

std::string pad_right(std::string s, size_t width) {
    // Width in characters, not bytes: count UTF-8 lead bytes only.
    size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars < width) s.append(width - chars, ' ');
    return s;
}

std::string pad_left(const std::string& s, size_t width) {
    return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

std::string subject_name(const LoadedSchool& s, const std::optional<std::string>& id) {
    if (!id) return "";
    if (const Person* p = s.school.person(*id)) return p->name;
    if (const Group* g = s.school.group(*id)) return g->name;
    if (*id == s.school.id) return "hele school";
    return *id;
}

/// "do 21 jan 2027 08:30" or "do 21 jan 2027 (hele dag)" (when_nl without the end).
std::string when_short(const Event& e) {
    return format_date_nl(e.date) + (e.all_day ? " (hele dag)" : " " + format_time(e.start));
}

/// The soft score in its parts: why the plan looks as it does.
std::string score_section(const Plan& plan, const LoadedSchool& s) {
    std::string out;
    const PlanScore score = score_plan(s, plan);
    out += "Zachte doelen (wat de planner afweegt; lager is beter)\n";
    out += pad_right("onderdeel", 62) + pad_left("gewicht", 9) + pad_left("aantal", 9) +
           pad_left("telt", 9) + "\n";
    auto number = [](double x, const char* format) {
        char buf[32];
        std::snprintf(buf, sizeof buf, format, x);
        std::string text(buf);
        std::replace(text.begin(), text.end(), '.', ',');  // Dutch decimal comma
        return text;
    };
    for (const ScorePart& part : score.parts)
        out += pad_right(part.label, 62) + pad_left(number(part.weight, "%.2f"), 9) +
               pad_left(number(part.amount, "%.0f"), 9) +
               pad_left(number(part.weight * part.amount, "%.1f"), 9) + "\n";
    out += pad_right("totaal", 80) + pad_left(number(score.total(), "%.1f"), 9) + "\n";
    for (const IbLoad& ib : score.ibs)
        out += ib.name + ": drukste week " + std::to_string(ib.worst) + " afspraken (week " +
               std::to_string(ib.worst_week) + "), gemiddeld " + number(ib.mean, "%.1f") +
               " per schoolweek\n";
    if (score.optional_wanted > 0)
        out += "Genodigden (niet verplicht) die erbij kunnen zijn: " +
               std::to_string(score.optional_present) + " van " +
               std::to_string(score.optional_wanted) + "\n";
    out += "\n";

    return out;
}

/// Load per person per week: events (not all-day) attended, required or invited.
std::string load_section(const Plan& plan, const LoadedSchool& s) {
    std::string out;
    std::vector<Date> mondays;
    for (Date m = monday_of(s.school.first_day); m <= s.school.last_day; m += std::chrono::days{7})
        mondays.push_back(m);
    out += "Belasting per persoon per week (aantal afspraken; '.' = geen)\n";
    const size_t half = (mondays.size() + 1) / 2;
    for (int part = 0; part < 2; ++part) {
        const size_t a = part == 0 ? 0 : half;
        const size_t b = part == 0 ? half : mondays.size();
        if (a >= b) continue;
        std::string head = pad_right("week", 26);
        for (size_t w = a; w < b; ++w) head += pad_left(std::to_string(iso_week(mondays[w])), 3);
        out += head + pad_left("tot", 5) + "\n";
        for (const auto& p : s.school.persons) {
            std::vector<int> load(mondays.size(), 0);
            int total = 0;
            for (const Event& e : plan.events) {
                if (e.all_day || e.status == EventStatus::cancelled) continue;
                const bool in =
                    std::find(e.attendees.begin(), e.attendees.end(), p.id) != e.attendees.end() ||
                    std::find(e.optional_attendees.begin(), e.optional_attendees.end(), p.id) !=
                        e.optional_attendees.end();
                if (!in) continue;
                const auto w = (monday_of(e.date) - mondays.front()).count() / 7;
                if (w >= 0 && static_cast<size_t>(w) < load.size()) load[static_cast<size_t>(w)]++;
            }
            for (size_t w = a; w < b; ++w) total += load[w];
            std::string row = pad_right(p.name.substr(0, 25), 26);
            for (size_t w = a; w < b; ++w)
                row += pad_left(load[w] ? std::to_string(load[w]) : ".", 3);
            out += row + pad_left(std::to_string(total), 5) + "\n";
        }
        out += "\n";
    }
    return out;
}

}  // namespace

std::string render_report(const Plan& plan, const LoadedSchool& s) {
    std::string out;
    out += "Jaarkalender " + s.school.name + ", schooljaar " + plan.school_year + "\n";
    out += "Regio " + std::string(to_string(s.school.region)) + "; eerste schooldag " +
           format_date_nl(s.school.first_day) + ", laatste schooldag " +
           format_date_nl(s.school.last_day) + "\n\n";

    if (plan.as_of || !plan.changes.empty()) {
        out += plan.as_of ? "Opnieuw gepland vanaf " + format_date_nl(plan.as_of->date) + " " +
                                format_time(plan.as_of->minute) +
                                ": wat eerder begon, blijft zoals het was.\n"
                          : "Opnieuw gepland tegen het vorige plan.\n";
        if (plan.changes.empty()) out += "Niets verschoven of vervallen.\n";
        for (const PlanChange& c : plan.changes) {
            out += "- " + c.title + ": " + c.what_nl() + ": " + c.reason + "\n";
        }
        out += "\n";
    }

    if (!plan.warnings.empty()) {
        out += "Waarschuwingen\n";
        for (const auto& w : plan.warnings) out += "- " + w + "\n";
        out += "\n";
    }

    // Per rule (and per test period): planned and unplanned.
    struct Count {
        int planned = 0, unplanned = 0;
    };
    std::vector<std::string> order;
    std::map<std::string, Count> counts;
    std::map<std::string, std::string> labels;
    for (const auto& tp : s.rules.test_periods) {
        order.push_back(tp.id);
        labels[tp.id] = "Toetsafnames " + tp.name;
    }
    for (const auto& r : s.rules.rules) {
        order.push_back(r.id);
        labels[r.id] = r.label();
    }
    for (const Event& e : plan.events)
        if (e.kind != EventKind::test_period && e.status != EventStatus::cancelled)
            counts[e.rule].planned++;
    for (const Unplanned& u : plan.unplanned) counts[u.rule].unplanned++;
    out += "Per regel\n";
    out += pad_right("afspraak", 40) + pad_left("ingepland", 10) + pad_left("niet", 8) + "\n";
    int total_planned = 0, total_unplanned = 0;
    for (const auto& id : order) {
        const Count& c = counts[id];
        total_planned += c.planned;
        total_unplanned += c.unplanned;
        out += pad_right(labels[id], 40) + pad_left(std::to_string(c.planned), 10) +
               pad_left(std::to_string(c.unplanned), 8) + "\n";
    }
    out += pad_right("totaal", 40) + pad_left(std::to_string(total_planned), 10) +
           pad_left(std::to_string(total_unplanned), 8) + "\n\n";

    out += "Niet ingepland\n";
    if (plan.unplanned.empty()) out += "(niets: alles is ingepland)\n";
    for (const Unplanned& u : plan.unplanned) {
        const std::string who = subject_name(s, u.subject);
        out += "- " + (labels.count(u.rule) ? labels[u.rule] : u.rule) +
               (who.empty() ? "" : ", " + who) + ", keer " + std::to_string(u.occurrence) + ": " +
               u.reason + "\n";
    }
    out += "\n";

    // Per rule, the dated list of what is planned: what a school checks against its own list.
    out += "Wat er gepland is, per afspraak\n";
    for (const auto& id : order) {
        std::vector<const Event*> events;
        for (const Event& e : plan.events)
            if (e.rule == id && e.kind != EventKind::test_period &&
                e.status != EventStatus::cancelled)
                events.push_back(&e);
        out += "\n" + labels[id] + " (" + std::to_string(events.size()) + ")\n";
        if (events.empty()) out += "  (niets gepland)\n";
        for (const Event* e : events)
            out += "  " + pad_right(when_short(*e), 26) + e->title +
                   (e->status == EventStatus::done ? " (gehouden)" : "") + "\n";
    }
    out += "\n";

    out += score_section(plan, s);
    out += load_section(plan, s);
    return out;
}

}  // namespace jk
