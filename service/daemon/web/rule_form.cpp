// The rule form (setup_view.hpp): a rule in the school's words. What it is called, for whom, who
// must be there and who is invited, how long, when in the day, how often and in which periods,
// reminders, ticking off, its category, on or off. A rule that exists is filled in as it is now,
// and only what the form changes is sent (a patch): what the school wrote and the form does not
// show stays as it was.
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <set>

#include "daemon/web/setup_view.hpp"
#include "planner/explain.hpp"
#include "text.hpp"

namespace jk::daemon::web {
namespace {

using Type = FieldView::Type;
namespace json = boost::json;
using Options = std::vector<std::pair<std::string, std::string>>;

constexpr int kWindows = 3;
constexpr const char* kNew = "nieuw";

std::string window_field(int n, const char* end) {
    return "rule.windows." + std::to_string(n) + "." + end;
}

/// An attendee as the files write it ("any:role:ib|schoolleider").
std::string spec_text(const AttendeeSpec& a) {
    switch (a.kind) {
        case AttendeeKind::person:
            return "person:" + a.name;
        case AttendeeKind::role:
            return "role:" + a.name;
        case AttendeeKind::any_role:
            return "any:role:" + a.name;
        case AttendeeKind::group_teachers:
            return "group_teachers";
        case AttendeeKind::most_group_teachers:
            return "most:group_teachers";
        case AttendeeKind::all_staff:
            return "all_staff";
    }
    return {};
}

/// Who may be asked to come, in the school's words, by the files' text.
const Options& attendee_choices() {
    static const Options kChoices = {
        {"group_teachers", "de leerkracht(en) van de groep, allemaal"},
        {"most:group_teachers",
         "de leerkracht(en) van de groep; bij een duo die elkaar nooit treft: wie er kan"},
        {"any:role:ib", "een IB'er"},
        {"any:role:ib|schoolleider", "de IB'er, of anders de schoolleider"},
        {"role:ib", "alle IB'ers"},
        {"role:schoolleider", "de schoolleider"},
        {"all_staff", "het hele team"}};
    return kChoices;
}

std::string attendee_words(const AttendeeSpec& a, const School& s) {
    const std::string text = spec_text(a);
    for (const auto& [k, label] : attendee_choices())
        if (k == text) return label;
    if (a.kind == AttendeeKind::person) return name_of(s, a.name);
    if (a.kind == AttendeeKind::role) return "iedereen met de rol " + a.name;
    if (a.kind == AttendeeKind::any_role) return "een " + a.name;
    return text;
}

const Options kTimings = {
    {"count", "een aantal keer per jaar, verdeeld over het jaar of over periodes"},
    {"after_period", "na een toetsperiode"},
    {"after_rule", "na een andere afspraak (bijvoorbeeld een nabespreking)"},
    {"before_rule", "voor een andere afspraak"},
    {"recurrence", "elke week of om de paar weken, op een vaste dag"},
    {"dates", "op vaste data"}};

std::vector<FieldView> fields() {
    std::vector<FieldView> f;
    auto add = [&](FieldView v) -> FieldView& {
        f.push_back(std::move(v));
        return f.back();
    };
    add(field("rule.id", "Welke regel?", Type::select, true));
    add(field("rule.title", "Naam in de agenda", Type::text, false,
              "{group}, {teacher} en {period} worden de groep, de leerkracht en de "
              "toetsperiode."))
        .required_when = "nodig bij een nieuwe regel";
    add(field("rule.active", "Aan of uit", Type::radios)).options = {
        {"ja", "aan: de regel wordt ingepland"},
        {"nee",
         "uit: de regel blijft bewaard, maar wordt niet ingepland (ook niet wat erop volgt)"}};

    FieldView& whom = add(field("rule.for_each", "Voor wie?", Type::radios, false,
                                "Volgt de regel op een andere afspraak, dan is dat hetzelfde als "
                                "bij die afspraak."));
    whom.section = "Voor wie, en wie er bij is";
    add(field("rule.attendees", "Wie moet erbij zijn?", Type::checkboxes, false,
              "Naast de leerkracht of de groep zelf. Wie er bij moet zijn, moet op die dag "
              "werken; zo niet, dan zoekt de planning een andere dag."));
    add(field("rule.optional_attendees", "Wie wordt uitgenodigd?", Type::checkboxes, false,
              "Uitgenodigd, maar niet nodig: de planning kiest liever een moment waarop zij "
              "kunnen."));

    FieldView& length = add(field("rule.minutes", "Hoe lang, in minuten", Type::text, false,
                                  "'hele dag': een deadline of iets dat de hele dag duurt."));
    length.section = "Wanneer";
    add(field("rule.slot", "Wanneer op de dag?", Type::radios)).options = {
        {"lessons", "onder lestijd, in de groep"},
        {"after_school", "na schooltijd"},
        {"fixed", "op een vast tijdstip (hieronder)"}};
    add(field("rule.time", "Tijdstip", Type::text, false,
              "Bijvoorbeeld 15:15: bij een vast tijdstip, een vaste dag in de week of vaste "
              "data."));
    add(field("rule.timing", "Hoe vaak, en wanneer in het jaar?", Type::radios)).options = kTimings;
    add(field("rule.count", "Hoe vaak per jaar", Type::text, false,
              "Met periodes: even vaak als er periodes zijn, één keer per periode."))
        .required_when = "bij 'een aantal keer per jaar'";
    for (int n = 1; n <= kWindows; ++n) {
        const std::string nth = std::to_string(n);
        add(field(window_field(n, "from"), "Periode " + nth + ": van", Type::date, false,
                  n == 1 ? "Leeg: verdeeld over het hele schooljaar." : ""));
        add(field(window_field(n, "to"), "Periode " + nth + ": tot en met", Type::date));
    }
    add(field("rule.after_periods", "Na welke toetsperiodes?", Type::checkboxes)).required_when =
        "bij 'na een toetsperiode'";
    add(field("rule.follows", "Na of voor welke afspraak?", Type::select)).required_when =
        "bij 'na' of 'voor een andere afspraak'";
    add(field("rule.within", "Binnen hoeveel schooldagen?", Type::text, false,
              "Na de toetsperiode, of na (voor) de andere afspraak."));
    add(field("rule.every", "Hoe vaak op die dag?", Type::select)).options = {
        {"", "kies"},
        {"1", "elke week"},
        {"2", "om de week"},
        {"3", "om de drie weken"},
        {"4", "om de vier weken"}};
    f.back().required_when = "bij 'op een vaste dag'";
    add(field("rule.weekday", "Op welke dag?", Type::radios)).options = kWeekdays;
    add(field("rule.dates", "Welke data?", Type::text, false,
              "Met komma's, bijvoorbeeld: 12-11-2026, 18-3-2027."))
        .required_when = "bij 'op vaste data'";
    add(field("rule.on_closed_day", "Valt het op een vrije dag?", Type::radios)).options = {
        {"skip", "dan vervalt het die keer"},
        {"next_staff_day", "dan op de eerstvolgende dag dat iedereen er is"}};

    FieldView& remind =
        add(field("rule.remind_days_before", "Herinneringen, in dagen vooraf", Type::text, false,
                  "Met komma's, bijvoorbeeld: 7, 1. 'geen': geen herinneringen."));
    remind.section = "Herinneren en bijhouden";
    add(field("rule.track", "Afvinken", Type::radios)).options = {
        {"ja", "ja: het wordt te laat als het niet is afgevinkt"}, {"nee", "nee"}};
    add(field("rule.category", "Soort afspraak", Type::select, false,
              "Voor de overzichten van de schoolleider."))
        .options = {{"", "vanzelf, uit wat de regel is"},
                    {"consultatie", "consultatie"},
                    {"bespreking", "bespreking"},
                    {"vergadering", "vergadering"},
                    {"overleg", "overleg"},
                    {"taak", "taak of deadline"}};
    return f;
}

/// "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" → {"2", "di"}; {} for what the form cannot show.
std::pair<std::string, std::string> weekly(const std::string& rrule) {
    static const std::array<const char*, 5> kByDay = {"MO", "TU", "WE", "TH", "FR"};
    std::string interval = "1", day;
    bool is_weekly = false;
    for (const auto& part : split_list([&] {
             std::string s = rrule;
             std::replace(s.begin(), s.end(), ';', ',');
             return s;
         }())) {
        const auto eq = part.find('=');
        const std::string key = part.substr(0, eq), value = part.substr(eq + 1);
        if (key == "FREQ")
            is_weekly = value == "WEEKLY";
        else if (key == "INTERVAL" && value.size() == 1 && value[0] >= '1' && value[0] <= '4')
            interval = value;
        else if (key == "BYDAY")
            for (size_t d = 0; d < kByDay.size(); ++d)
                if (value == kByDay[d]) day = weekday_code(static_cast<int>(d));
        if (key != "FREQ" && key != "INTERVAL" && key != "BYDAY") return {};
    }
    if (!is_weekly || day.empty()) return {};
    return {interval, day};
}

/// A date typed as 12-11-2026 or 2026-11-12.
std::optional<Date> typed_date(const std::string& text) {
    if (auto d = parse_date(text)) return d;
    int day = 0, month = 0, year = 0;
    char a = 0, b = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%c%d", &day, &a, &month, &b, &year) == 5 && a == b &&
        (a == '-' || a == '/') && year > 1900) {
        const std::chrono::year_month_day ymd{std::chrono::year{year},
                                              std::chrono::month{static_cast<unsigned>(month)},
                                              std::chrono::day{static_cast<unsigned>(day)}};
        if (ymd.ok()) return Date{ymd};
    }
    return std::nullopt;
}

std::string dmy(Date d) {
    const std::chrono::year_month_day ymd{d};
    return std::to_string(static_cast<unsigned>(ymd.day())) + "-" +
           std::to_string(static_cast<unsigned>(ymd.month())) + "-" +
           std::to_string(static_cast<int>(ymd.year()));
}

/// The form as `r` is now.
void prefill(const Rule& r, FormData& f) {
    f.set("rule.title", r.title);
    f.set("rule.active", r.active ? "ja" : "nee");
    static const std::array<const char*, 5> kSubjects = {"teacher", "group", "starter", "role",
                                                         "school"};
    f.set("rule.for_each", r.for_each.kind == SubjectKind::role
                               ? "role:" + r.for_each.role
                               : std::string(kSubjects[static_cast<size_t>(r.for_each.kind)]));
    if (r.attendees_given)
        for (const AttendeeSpec& a : r.attendees) f.set("rule.attendees", spec_text(a));
    if (r.optional_attendees_given)
        for (const AttendeeSpec& a : r.optional_attendees)
            f.set("rule.optional_attendees", spec_text(a));
    f.set("rule.minutes", r.all_day ? "hele dag" : std::to_string(r.minutes));
    f.set("rule.slot", r.slot.kind == SlotKind::lessons        ? "lessons"
                       : r.slot.kind == SlotKind::after_school ? "after_school"
                                                               : "fixed");
    if (r.slot.kind == SlotKind::fixed) f.set("rule.time", format_time(r.slot.fixed_start));
    std::visit(
        [&](const auto& t) {
            using T = std::decay_t<decltype(t)>;
            if constexpr (std::is_same_v<T, CountTiming>) {
                f.set("rule.timing", "count");
                f.set("rule.count", std::to_string(t.count));
                for (size_t n = 0; n < t.windows.size() && n < kWindows; ++n) {
                    f.set(window_field(static_cast<int>(n) + 1, "from"),
                          format_date(t.windows[n].range.from));
                    f.set(window_field(static_cast<int>(n) + 1, "to"),
                          format_date(t.windows[n].range.to));
                }
            } else if constexpr (std::is_same_v<T, AfterPeriodTiming>) {
                f.set("rule.timing", "after_period");
                for (const auto& p : t.periods) f.set("rule.after_periods", p);
                f.set("rule.within", std::to_string(t.within_school_days));
            } else if constexpr (std::is_same_v<T, FollowUpTiming>) {
                f.set("rule.timing", t.before ? "before_rule" : "after_rule");
                f.set("rule.follows", t.rule);
                f.set("rule.within", std::to_string(t.within_school_days));
            } else if constexpr (std::is_same_v<T, RecurrenceTiming>) {
                f.set("rule.timing", "recurrence");
                const auto [every, day] = weekly(t.rrule);
                f.set("rule.every", every);
                f.set("rule.weekday", day);
                f.set("rule.on_closed_day",
                      t.on_closed_day == OnClosedDay::skip ? "skip" : "next_staff_day");
            } else {
                f.set("rule.timing", "dates");
                std::string dates;
                for (Date d : t.dates) dates += (dates.empty() ? "" : ", ") + dmy(d);
                f.set("rule.dates", dates);
                f.set("rule.on_closed_day",
                      t.on_closed_day == OnClosedDay::skip ? "skip" : "next_staff_day");
            }
        },
        r.timing);
    std::string days;
    for (int d : r.remind_days_before) days += (days.empty() ? "" : ", ") + std::to_string(d);
    f.set("rule.remind_days_before", days.empty() ? "geen" : days);
    f.set("rule.track", r.track ? "ja" : "nee");
    f.set("rule.category", r.category_given ? std::string(to_string(r.category)) : "");
}

/// What a new rule starts as: twice a year after school, 45 minutes, for each teacher.
void new_rule_defaults(FormData& f) {
    f.set("rule.active", "ja");
    f.set("rule.for_each", "teacher");
    f.set("rule.minutes", "45");
    f.set("rule.slot", "after_school");
    f.set("rule.timing", "count");
    f.set("rule.count", "1");
    f.set("rule.within", "10");
    f.set("rule.on_closed_day", "skip");
    f.set("rule.remind_days_before", "7, 1");
    f.set("rule.track", "ja");
}

/// A new rule's id from its title: "Groepsbezoek {group}" → "groepsbezoek", unique.
std::string id_from_title(const std::string& title, const Rules& rules) {
    return slug_id(plain_title(title), "regel", [&](const std::string& id) {
        return rules.any_rule(id) != nullptr || rules.period(id) != nullptr;
    });
}

class RuleReader {
  public:
    RuleReader(const FormData& form, ParsedChange& out) : form_(form), out_(out) {}

    std::optional<long> number(const std::string& name, long lo, long hi) {
        const std::string& text = form_.get(name);
        const auto n = whole_number(text, lo, hi);
        if (!n)
            out_.errors.push_back({name, "'" + text + "' is geen getal van " + std::to_string(lo) +
                                             " tot en met " + std::to_string(hi)});
        return n;
    }

    json::array specs(const std::string& name) {
        json::array a;
        for (const auto& w : form_.all(name)) a.emplace_back(w);
        return a;
    }

    void length(json::object& t) {
        if (form_.get("rule.minutes") == "hele dag") {
            t["all_day"] = true;
            t["minutes"] = nullptr;
        } else if (auto n = number("rule.minutes", 5, 1440)) {
            t["minutes"] = *n;
            t["all_day"] = nullptr;
        }
    }

    /// When in the day: lessons, after school, or a fixed time (written as `time`, which the
    /// files also use for a meeting on set days).
    void slot(json::object& t) {
        const std::string& s = form_.get("rule.slot");
        if (s == "fixed") {
            const auto time = parse_time(form_.get("rule.time"));
            if (!time)
                out_.errors.push_back({"rule.time", "vul een tijdstip in, bijvoorbeeld 15:15"});
            else
                t["time"] = format_time(*time);
            t["slot"] = nullptr;
        } else if (!s.empty()) {
            t["slot"] = s;
            t["time"] = nullptr;
        }
    }

    /// The timing form chosen, with the keys of every other form taken away.
    void timing(json::object& t) {
        for (const char* k :
             {"count", "windows", "after", "before", "recurrence", "dates", "on_closed_day"})
            t[k] = nullptr;
        const std::string& form = form_.get("rule.timing");
        if (form == "count") {
            if (auto n = number("rule.count", 1, 40)) t["count"] = *n;
            json::array windows;
            for (int n = 1; n <= kWindows; ++n) {
                const std::string& from = form_.get(window_field(n, "from"));
                const std::string& to = form_.get(window_field(n, "to"));
                if (from.empty() && to.empty()) continue;
                if (!parse_date(from) || !parse_date(to)) {
                    out_.errors.push_back({window_field(n, parse_date(from) ? "to" : "from"),
                                           "kies de eerste en de laatste dag van de periode"});
                    continue;
                }
                windows.push_back(json::object{{"from", from}, {"to", to}});
            }
            if (!windows.empty()) t["windows"] = std::move(windows);
        } else if (form == "after_period") {
            const json::array periods = specs("rule.after_periods");
            if (periods.empty())
                out_.errors.push_back({"rule.after_periods", "kies minstens één toetsperiode"});
            json::object after{{"within_school_days", within()}};
            if (periods.size() == 1)
                after["test_period"] = periods[0];
            else
                after["test_periods"] = periods;
            t["after"] = std::move(after);
        } else if (form == "after_rule" || form == "before_rule") {
            const std::string& other = form_.get("rule.follows");
            if (other.empty()) out_.errors.push_back({"rule.follows", "kies de andere afspraak"});
            t[form == "after_rule" ? "after" : "before"] =
                json::object{{"rule", other}, {"within_school_days", within()}};
        } else if (form == "recurrence") {
            static const std::map<std::string, const char*> kByDay = {
                {"ma", "MO"}, {"di", "TU"}, {"wo", "WE"}, {"do", "TH"}, {"vr", "FR"}};
            const std::string& day = form_.get("rule.weekday");
            const auto every = number("rule.every", 1, 4);
            if (!kByDay.count(day))
                out_.errors.push_back({"rule.weekday", "kies een dag"});
            else if (every)
                t["recurrence"] =
                    "FREQ=WEEKLY;INTERVAL=" + std::to_string(*every) + ";BYDAY=" + kByDay.at(day);
        } else if (form == "dates") {
            json::array dates;
            for (const auto& d : split_list(form_.get("rule.dates"))) {
                if (auto date = typed_date(d))
                    dates.emplace_back(format_date(*date));
                else
                    out_.errors.push_back({"rule.dates", "'" + d + "' is geen datum"});
            }
            if (dates.empty() && out_.errors.empty())
                out_.errors.push_back({"rule.dates", "vul minstens één datum in"});
            t["dates"] = std::move(dates);
        } else {
            out_.errors.push_back({"rule.timing", "kies hoe vaak en wanneer"});
        }
        if ((form == "recurrence" || form == "dates") && !form_.get("rule.on_closed_day").empty())
            t["on_closed_day"] = form_.get("rule.on_closed_day");
    }

    void reminders(json::object& t) {
        const std::string& r = form_.get("rule.remind_days_before");
        json::array days;
        if (r != "geen")
            for (const auto& part : split_list(r)) {
                if (const auto n = whole_number(part, 0, 60))
                    days.emplace_back(*n);
                else
                    out_.errors.push_back({"rule.remind_days_before",
                                           "'" + part + "' is geen aantal dagen (0 tot 60)"});
            }
        t["remind_days_before"] = std::move(days);
    }

  private:
    long within() { return number("rule.within", 1, 60).value_or(10); }
    const FormData& form_;
    ParsedChange& out_;
};

/// The fields of each part of a rule, as the form names them; a part is sent when one differs.
const std::vector<std::vector<std::string>>& parts() {
    static const std::vector<std::vector<std::string>> kParts = [] {
        std::vector<std::string> timing = {"rule.timing",  "rule.count",  "rule.after_periods",
                                           "rule.follows", "rule.within", "rule.every",
                                           "rule.weekday", "rule.dates",  "rule.on_closed_day"};
        for (int n = 1; n <= kWindows; ++n) {
            timing.push_back(window_field(n, "from"));
            timing.push_back(window_field(n, "to"));
        }
        return std::vector<std::vector<std::string>>{{"rule.title"},
                                                     {"rule.active"},
                                                     {"rule.for_each"},
                                                     {"rule.attendees"},
                                                     {"rule.optional_attendees"},
                                                     {"rule.minutes"},
                                                     {"rule.slot", "rule.time"},
                                                     timing,
                                                     {"rule.remind_days_before"},
                                                     {"rule.track"},
                                                     {"rule.category"}};
    }();
    return kParts;
}

}  // namespace

std::vector<FieldView> rule_fields() {
    return fields();
}

void rule_from_form(const FormData& form, const LoadedSchool* school, ParsedChange& out) {
    StaffChange& c = out.change;
    const Rules empty;
    const Rules& rules = school ? school->rules : empty;
    const std::string& chosen = form.get("rule.id");
    const Rule* now = rules.any_rule(chosen);
    if (chosen.empty() || (!now && chosen != kNew)) {
        out.errors.push_back({"rule.id", "kies een regel, of 'een nieuwe regel'"});
        return;
    }
    FormData was;
    if (now) prefill(*now, was);
    // The page sends every field (its radios always have a value); a shorter form (a script's,
    // a test's) changes only the parts it names.
    const bool whole_form = form.has("rule.timing");
    auto differs = [&](const std::vector<std::string>& names) {
        if (!now) return true;
        if (!whole_form &&
            std::none_of(names.begin(), names.end(), [&](const auto& n) { return form.has(n); }))
            return false;
        // A browser sends an empty text field and an unchosen list as "": nothing.
        // Boxes come in the form's order, not the file's: compared as sets.
        auto values = [](const FormData& f, const std::string& n) {
            auto v = f.all(n);
            std::erase(v, std::string());
            std::sort(v.begin(), v.end());
            return v;
        };
        return std::any_of(names.begin(), names.end(),
                           [&](const auto& n) { return values(form, n) != values(was, n); });
    };
    RuleReader read(form, out);
    json::object t{{"id", now ? now->id : id_from_title(form.get("rule.title"), rules)}};
    const auto& p = parts();
    if (differs(p[0])) {
        if (form.get("rule.title").empty())
            out.errors.push_back({"rule.title", "geef de regel een naam"});
        t["title"] = form.get("rule.title");
    }
    if (differs(p[1]))
        t["active"] = form.get("rule.active") == "nee" ? json::value(false) : json::value(nullptr);
    const bool follows =
        form.get("rule.timing") == "after_rule" || form.get("rule.timing") == "before_rule";
    // A follow-up that is no longer one needs its own subject.
    const bool was_follow_up = now && now->follow_up();
    if ((differs(p[2]) || (was_follow_up && !follows)) && !form.get("rule.for_each").empty())
        t["for_each"] = follows ? json::value(nullptr) : json::value(form.get("rule.for_each"));
    // Who stays keeps their place (the first is the default owner); who is new comes after.
    auto people = [&](const std::string& name) {
        std::vector<std::string> out;
        const auto checked = form.all(name);
        for (const auto& w : was.all(name))
            if (std::find(checked.begin(), checked.end(), w) != checked.end()) out.push_back(w);
        for (const auto& w : checked)
            if (!w.empty() && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
        json::array a;
        for (const auto& w : out) a.emplace_back(w);
        return a;
    };
    if (differs(p[3])) t["attendees"] = people("rule.attendees");
    if (differs(p[4])) t["optional_attendees"] = people("rule.optional_attendees");
    if (differs(p[5])) read.length(t);
    if (differs(p[6])) read.slot(t);
    if (differs(p[7])) read.timing(t);
    if (differs(p[8])) read.reminders(t);
    if (differs(p[9]) && !form.get("rule.track").empty())
        t["track"] = form.get("rule.track") == "ja";
    if (differs(p[10]))
        t["category"] = form.get("rule.category").empty() ? json::value(nullptr)
                                                          : json::value(form.get("rule.category"));
    if (now && t.size() == 1) out.errors.push_back({"", "er is niets veranderd"});
    if (!now) {
        // A new rule is written whole: what the form leaves empty is not written.
        for (auto it = t.begin(); it != t.end();)
            it = it->value().is_null() ? t.erase(it) : std::next(it);
        if (follows) t.erase("for_each");
    }
    c.table = json::serialize(t);
    c.patch = now != nullptr;
}

void rule_prefill(const LoadedSchool& school, FormData& filled, std::vector<FieldView>& fields) {
    auto at = [&](const std::string& name) -> FieldView& {
        return *std::find_if(fields.begin(), fields.end(),
                             [&](const FieldView& f) { return f.name == name; });
    };
    const Rules& rules = school.rules;
    FieldView& which = at("rule.id");
    which.options = {{"", "kies een regel"}, {kNew, "een nieuwe regel"}};
    Options others;
    for (const auto* list : {&rules.rules, &rules.inactive})
        for (const Rule& r : *list)
            others.emplace_back(r.id, plain_title(r.title) +
                                          (r.active && list == &rules.rules ? "" : " (staat uit)"));
    which.options.insert(which.options.end(), others.begin(), others.end());
    at("rule.follows").options = others;
    at("rule.follows").options.insert(at("rule.follows").options.begin(), {"", "kies"});

    std::set<std::string> roles;
    for (const Person& p : school.school.persons)
        for (const auto& r : p.roles) roles.insert(r);
    Options whom = {{"teacher", "elke leerkracht"},
                    {"group", "elke groep"},
                    {"starter", "elke startende leerkracht"},
                    {"school", "de hele school: één afspraak"}};
    Options who = attendee_choices();
    for (const auto& r : roles) {
        whom.emplace_back("role:" + r, "iedereen met de rol " + planner::role_label(r));
        if (r != "ib" && r != "schoolleider" && r != "bestuurder")
            who.emplace_back("role:" + r, "iedereen met de rol " + planner::role_label(r));
    }
    at("rule.for_each").options = whom;
    // One person by name only where the rule names one already (a bestuursgesprek with the
    // bestuurder): a rule is about roles, so that it outlives who holds them.
    if (const Rule* named = rules.any_rule(filled.get("rule.id")))
        for (const auto* list : {&named->attendees, &named->optional_attendees})
            for (const AttendeeSpec& a : *list)
                if (std::none_of(who.begin(), who.end(),
                                 [&](const auto& o) { return o.first == spec_text(a); }))
                    who.emplace_back(spec_text(a), attendee_words(a, school.school));
    at("rule.attendees").options = who;
    at("rule.optional_attendees").options = who;
    Options periods;
    for (const TestPeriod& p : rules.test_periods) periods.emplace_back(p.id, p.name);
    at("rule.after_periods").options = periods;

    const std::string& chosen = filled.get("rule.id");
    const Rule* rule = rules.any_rule(chosen);
    if (!rule && chosen != kNew) {
        // Nothing chosen yet: only the choice (the page has no scripts to fill in the rest).
        std::erase_if(fields, [](const FieldView& f) { return f.name != "rule.id"; });
        return;
    }
    // Chosen: the form is about this rule only (another is chosen from the list of rules).
    which.options = {{chosen, rule ? plain_title(rule->title) : "een nieuwe regel"}};
    if (const auto* rec = rule ? std::get_if<RecurrenceTiming>(&rule->timing) : nullptr;
        rec && weekly(rec->rrule).second.empty())
        at("rule.every").hint =
            "Nu: een herhaling die dit formulier niet kan tonen (bijvoorbeeld elke eerste maandag "
            "van de maand). Kies hier alleen iets om die te vervangen.";
    FormData now;
    if (rule)
        prefill(*rule, now);
    else
        new_rule_defaults(now);
    // What the rule is now, where the form says nothing yet (a form sent back keeps what was
    // typed, also an emptied field).
    if (filled.has("rule.timing")) return;
    const FormData typed = filled;
    for (const auto& [name, value] : now.pairs())
        if (!typed.has(name)) filled.set(name, value);
}

std::vector<RuleRow> rules_view(const LoadedSchool& school) {
    std::vector<RuleRow> out;
    for (const auto* list : {&school.rules.rules, &school.rules.inactive})
        for (const Rule& r : *list) {
            std::vector<std::string> who;
            for (const AttendeeSpec& a : r.attendees)
                who.push_back(attendee_words(a, school.school));
            std::string words =
                who.empty() ? std::string("alleen wie het betreft") : join_names(who);
            if (const FollowUpTiming* f = r.follow_up(); f && !r.attendees_given)
                if (const Rule* target = school.rules.any_rule(f->rule))
                    words = "wie er bij de " + plain_title(target->title) + " was";
            out.push_back(
                {r.id, plain_title(r.title), words,
                 r.all_day ? std::string("hele dag") : std::to_string(r.minutes) + " minuten",
                 list == &school.rules.rules});
        }
    return out;
}

}  // namespace jk::daemon::web
