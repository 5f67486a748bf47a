// Staff changes as edits of school.toml: each kind written where it belongs (comments kept),
// validated by the loader with its own messages at the form's field, composed in order with
// the ones that no longer apply skipped, and their consequences for the plan.
#include "jaarkalender/staff_change.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "jaarkalender/mail.hpp"
#include "jaarkalender/planner.hpp"

using namespace jk;

namespace {

std::string read(const std::string& path) {
    return jk::testing::read_source(path);
}

SchoolSources example() {
    SchoolSources s;
    s.folder = "voorbeeldschool";
    s.school_path = "voorbeeldschool/school.toml";
    s.school_toml = read("calendars/voorbeeldschool/school.toml");
    s.rules_path = "voorbeeldschool/rules.toml";
    s.rules_toml = read("calendars/voorbeeldschool/rules.toml");
    s.extra_path = "voorbeeldschool/vrije-dagen.ics";
    s.extra_ics = read("calendars/voorbeeldschool/vrije-dagen.ics");
    return s;
}

Date d(const char* iso) {
    return *parse_date(iso);
}

/// The daemon's re-plan after a change: against `before`, as of that local moment.
Plan replan_as_of(const LoadedSchool& school, const Plan& before, const char* date, Minute minute) {
    PlanOptions o;
    o.stamp = std::string(date) + "T08:00:00Z";
    o.previous = &before;
    o.as_of = LocalMoment{d(date), minute};
    return make_plan(school, o);
}

AppliedChange apply(const StaffChange& c, const SchoolSources& in = example()) {
    return apply_staff_change(in, c, builtin_official_holidays());
}

std::string errors_of(const AppliedChange& a) {
    std::string s;
    for (const auto& e : a.errors) s += "[" + e.field + "] " + e.message + "\n";
    return s;
}

StaffChange absence(const char* person, const char* from, const char* to) {
    StaffChange c;
    c.kind = StaffChangeKind::absence;
    c.person = person;
    c.from = d(from);
    c.to = d(to);
    c.reason = "ziek";
    return c;
}

/// Sanne Dekker joins: a newcomer with the given working days, first day and groups.
StaffChange sanne_joins(std::vector<std::string> works, std::optional<Date> from = std::nullopt,
                        std::vector<NewPerson::Assignment> groups = {}) {
    StaffChange c;
    c.kind = StaffChangeKind::person;
    c.newcomer = NewPerson{};
    c.newcomer->name = "Sanne Dekker";
    c.newcomer->email = "s.dekker@voorbeeld.nl";
    c.newcomer->works = std::move(works);
    c.newcomer->from = from;
    c.newcomer->groups = std::move(groups);
    return c;
}

}  // namespace

TEST_CASE("an absence with an existing substitute is written into the person's table",
          "[unit][staff]") {
    StaffChange c = absence("bram", "2027-02-01", "2027-02-12");
    c.substitute = "tim";
    const auto a = apply(c);
    INFO(errors_of(a));
    REQUIRE(a.errors.empty());
    REQUIRE(a.school);
    const Person* bram = a.school->school.person("bram");
    REQUIRE(bram->absent.size() == 1);
    CHECK(bram->absent[0].range.from == d("2027-02-01"));
    CHECK(bram->absent[0].substitute == std::optional<std::string>("tim"));
    CHECK(a.sources.school_toml.find("# Basisschool De Voorbeeld") == 0);  // comments stay
    CHECK(a.summary ==
          "Bram Jansen afwezig van ma 1 februari t/m vr 12 februari; invaller Tim de "
          "Graaf");
    CHECK(a.summary.find("ziek") == std::string::npos);  // the reason stays out of the history
}

TEST_CASE("an absence is added to an existing list, and one with the same first day replaced",
          "[unit][staff]") {
    // Karin has one absence in the files (March); a second one is added beside it.
    auto a = apply(absence("karin", "2027-01-11", "2027-01-15"));
    INFO(errors_of(a));
    REQUIRE(a.errors.empty());
    CHECK(a.school->school.person("karin")->absent.size() == 2);
    // Ended early: the same first day, an earlier last day.
    auto b = apply(absence("karin", "2027-03-01", "2027-03-05"));
    REQUIRE(b.errors.empty());
    REQUIRE(b.school->school.person("karin")->absent.size() == 1);
    CHECK(b.school->school.person("karin")->absent[0].range.to == d("2027-03-05"));
}

TEST_CASE("a new invaller entered with an absence joins for exactly the absence", "[unit][staff]") {
    StaffChange c = absence("bram", "2027-02-01", "2027-02-12");
    c.new_substitute = NewPerson{};
    c.new_substitute->name = "Lotte van Dijk";
    c.new_substitute->email = "lotte@invalpool.nl";
    auto a = apply(c);
    INFO(errors_of(a));
    REQUIRE(a.errors.empty());
    const Person* lotte = a.school->school.person("lotte");
    REQUIRE(lotte);
    CHECK(lotte->from == d("2027-02-01"));
    CHECK(lotte->until == d("2027-02-12"));
    CHECK(lotte->works == a.school->school.person("bram")->works);
    CHECK(a.school->school.person("bram")->absent[0].substitute ==
          std::optional<std::string>("lotte"));

    // Extended by a week: the invaller engaged for it stays as long.
    StaffChange longer = absence("bram", "2027-02-01", "2027-02-26");
    longer.substitute = "lotte";
    auto b = apply(longer, a.sources);
    INFO(errors_of(b));
    REQUIRE(b.errors.empty());
    CHECK(b.school->school.person("lotte")->until == d("2027-02-26"));
}

TEST_CASE("the loader's own messages come back at the form's field", "[unit][staff]") {
    SECTION("a date outside the school year") {
        auto a = apply(absence("bram", "2027-08-02", "2027-08-30"));
        REQUIRE(a.errors.size() == 1);
        CHECK(a.errors[0].field == "from");
        CHECK(a.errors[0].message.find("buiten het schooljaar") != std::string::npos);
    }
    SECTION("the person's own invaller") {
        StaffChange c = absence("bram", "2027-02-01", "2027-02-05");
        c.substitute = "bram";
        auto a = apply(c);
        REQUIRE(a.errors.size() == 1);
        CHECK(a.errors[0].field == "substitute");
        CHECK(a.errors[0].message.find("eigen invaller") != std::string::npos);
    }
    SECTION("an invaller with an address that is not one") {
        StaffChange c = absence("bram", "2027-02-01", "2027-02-05");
        c.new_substitute = NewPerson{};
        c.new_substitute->name = "Lotte van Dijk";
        c.new_substitute->email = "lotte-at-invalpool";
        auto a = apply(c);
        REQUIRE(a.errors.size() == 1);
        CHECK(a.errors[0].field == "substitute.email");
        CHECK(a.errors[0].message.find("geen geldig e-mailadres") != std::string::npos);
    }
    SECTION("what cannot be written at all") {
        auto a = apply(absence("niemand", "2027-02-01", "2027-02-05"));
        REQUIRE(a.errors.size() == 1);
        CHECK(a.errors[0].field == "person");
    }
}

TEST_CASE("a newcomer joins with a group, a leaver leaves, a group is handed over",
          "[unit][staff]") {
    StaffChange leave;
    leave.kind = StaffChangeKind::leave;
    leave.person = "karin";
    leave.until = d("2027-01-19");
    auto a = apply(leave);
    INFO(errors_of(a));
    REQUIRE(a.errors.empty());
    CHECK(a.school->school.person("karin")->until == d("2027-01-19"));
    CHECK(a.school->school.group("groep-5")->teachers[0].until == d("2027-01-19"));

    StaffChange join =
        sanne_joins({"ma", "di", "wo", "do", "vr"}, d("2027-01-20"), {{"groep-5", {}}});
    auto b = apply(join, a.sources);
    INFO(errors_of(b));
    REQUIRE(b.errors.empty());
    const Group* g5 = b.school->school.group("groep-5");
    REQUIRE(g5->teachers.size() == 2);
    CHECK(g5->teachers[1].person == "sanne");
    CHECK(g5->teachers[1].from == d("2027-01-20"));
    CHECK(b.summary == "Nieuwe collega Sanne Dekker vanaf wo 20 januari (Groep 5)");

    StaffChange hand;
    hand.kind = StaffChangeKind::handover;
    hand.group = "groep-6";
    hand.person = "lisa";
    hand.successor = "eva";
    hand.from = d("2027-04-12");
    auto c = apply(hand);
    INFO(errors_of(c));
    REQUIRE(c.errors.empty());
    const Group* g6 = c.school->school.group("groep-6");
    REQUIRE(g6->teachers.size() == 2);
    CHECK(g6->teachers[0].until == d("2027-04-11"));
    CHECK(g6->teachers[1].person == "eva");

    SECTION("a successor who does not work those days: the loader says so at the field") {
        hand.successor = "tim";  // works wo, do, vr; Lisa teaches every day
        auto e = apply(hand);
        REQUIRE_FALSE(e.errors.empty());
        CHECK(e.errors[0].field == "successor");
    }
    SECTION("someone who does not teach the group cannot hand it over") {
        hand.person = "karin";
        auto e = apply(hand);
        REQUIRE(e.errors.size() == 1);
        CHECK(e.errors[0].field == "person");
        CHECK(e.errors[0].message == "Karin Dekker geeft op ma 12 april geen les aan Groep 6");
    }
}

TEST_CASE("an extra studiedag is a closure of the school", "[unit][staff]") {
    StaffChange c;
    c.kind = StaffChangeKind::closure;
    c.from = d("2027-03-12");
    c.closure_kind = "studiedag";
    c.name = "Studiedag: gedrag";
    auto a = apply(c);
    INFO(errors_of(a));
    REQUIRE(a.errors.empty());
    CHECK_FALSE(a.school->calendar.is_school_day(d("2027-03-12")));
    CHECK(a.school->calendar.is_staff_day(d("2027-03-12")));

    c.name.clear();
    c.closure_kind = "feest";
    auto b = apply(c);
    REQUIRE(b.errors.size() == 2);
    CHECK(b.errors[0].field == "name");
    CHECK(b.errors[1].field == "closure_kind");
}

TEST_CASE("composition applies changes in order and skips what no longer applies",
          "[unit][staff]") {
    StaffChange sick = absence("bram", "2027-02-01", "2027-02-12");
    StaffChange day;
    day.kind = StaffChangeKind::closure;
    day.from = d("2027-03-12");
    day.closure_kind = "vrij";
    day.name = "Vrije dag";
    auto in = example();
    auto composed = compose_input(in, {{1, sick}, {2, day}}, builtin_official_holidays());
    CHECK(composed.skipped.empty());
    auto loaded = load_school(composed.sources, builtin_official_holidays());
    REQUIRE(loaded);
    CHECK(loaded->school.person("bram")->absent.size() == 1);
    CHECK_FALSE(loaded->calendar.is_staff_day(d("2027-03-12")));

    // A newcomer (change 3) is undone; her absence (change 4) no longer applies. It is
    // skipped with the reason, and not lost: it applies again when she is back.
    StaffChange join = sanne_joins({"ma", "di"});
    StaffChange away = absence("sanne", "2027-02-01", "2027-02-05");
    auto with = compose_input(in, {{1, sick}, {3, join}, {4, away}}, builtin_official_holidays());
    CHECK(with.skipped.empty());
    auto without = compose_input(in, {{1, sick}, {2, day}, {4, away}}, builtin_official_holidays());
    REQUIRE(without.skipped.size() == 1);
    CHECK(without.skipped[0].change == 4);
    CHECK(without.skipped[0].reason == "er is geen persoon met de id 'sanne' op deze school");
    auto kept = load_school(without.sources, builtin_official_holidays());
    REQUIRE(kept);
    CHECK(kept->school.person("bram")->absent.size() == 1);
    CHECK_FALSE(kept->calendar.is_staff_day(d("2027-03-12")));
}

TEST_CASE("consequences: what moves, what is cancelled, who is told", "[unit][staff]") {
    const LoadedSchool before_school = jk::testing::load_example();
    const Plan before = jk::testing::plan_fixed(before_school);
    StaffChange c;
    c.kind = StaffChangeKind::closure;
    // The first day with a klassenconsultatie in January becomes a studiedag.
    const Event* first = nullptr;
    for (const Event& e : before.events)
        if (e.rule == "klassenconsultatie" && e.date >= d("2027-01-11") && !first) first = &e;
    REQUIRE(first);
    c.from = first->date;
    c.closure_kind = "vrij";
    c.name = "Vrije dag";
    auto a = apply(c);
    REQUIRE(a.errors.empty());
    const Plan after = replan_as_of(*a.school, before, "2027-01-04", 12 * 60);
    const auto now = local_to_epoch(d("2027-01-04"), 12 * 60);
    const ChangeConsequences cons = consequences(before, after, *a.school, now);
    REQUIRE_FALSE(cons.moved.empty());
    bool moved_first = false;
    for (const auto& m : cons.moved) moved_first = moved_first || m.uid == first->uid;
    CHECK(moved_first);
    // Everyone who attends it (within the fortnight of change mail) is told.
    REQUIRE_FALSE(cons.mails.empty());
    for (const auto& id : first->attendees) {
        bool told = false;
        for (const auto& m : cons.mails) told = told || m.person == id;
        CHECK(told);
    }
}

TEST_CASE("a change survives JSON both ways, and bad JSON is refused at its field",
          "[unit][staff]") {
    StaffChange c = absence("bram", "2027-02-01", "2027-02-12");
    c.new_substitute = NewPerson{};
    c.new_substitute->name = "Lotte van Dijk";
    c.new_substitute->email = "lotte@invalpool.nl";
    c.note = "griep";
    const std::string text = staff_change_to_json(c);
    auto back = staff_change_from_json(text);
    REQUIRE(back.errors.empty());
    CHECK(staff_change_to_json(back.change) == text);

    StaffChange p;
    p.kind = StaffChangeKind::person;
    p.newcomer = NewPerson{};
    p.newcomer->name = "Sanne";
    p.newcomer->works = {"ma"};
    p.newcomer->groups = {{"groep-5", {"ma"}}};
    CHECK(staff_change_to_json(staff_change_from_json(staff_change_to_json(p)).change) ==
          staff_change_to_json(p));

    auto bad = staff_change_from_json(
        R"({"kind":"absence","person":"bram","from":"1-2-2027","to":5,"wie":"x"})");
    REQUIRE(bad.errors.size() == 3);
    CHECK(bad.errors[0].field == "from");
    CHECK(bad.errors[0].message == "'1-2-2027' is geen datum; schrijf JJJJ-MM-DD");
    CHECK(bad.errors[1].field == "to");
    CHECK(bad.errors[2].field == "wie");
    CHECK(staff_change_from_json(R"({"kind":"ziek"})").errors[0].field == "kind");
    CHECK(
        staff_change_from_json(R"({"kind":"closure","preview":true})", {"preview"}).errors.empty());
}

TEST_CASE("consequences: what is cancelled is not listed again as unplanned", "[unit][staff]") {
    const LoadedSchool before_school = jk::testing::load_example();
    const Plan before = jk::testing::plan_fixed(before_school);
    StaffChange leave;
    leave.kind = StaffChangeKind::leave;
    leave.person = "karin";
    leave.until = d("2027-01-19");
    auto a = apply(leave);
    REQUIRE(a.errors.empty());
    const Plan after = replan_as_of(*a.school, before, "2027-01-11", 9 * 60);
    const auto cons = consequences(before, after, *a.school, local_to_epoch(d("2027-01-11"), 540));
    REQUIRE_FALSE(cons.cancelled.empty());
    // Groep 5's tests without a teacher can no longer be planned; the plan had them, so they
    // are told once, as cancelled (with that reason), not a second time as unplanned.
    REQUIRE(after.unplanned.size() > before.unplanned.size());
    CHECK(cons.unplanned.empty());
    for (const auto& u : cons.unplanned)
        for (const auto& c : cons.cancelled) {
            const Event* e = after.find(c.uid);
            REQUIRE(e);
            CHECK_FALSE(
                (e->rule == u.rule && e->subject == u.subject && e->occurrence == u.occurrence));
        }
    // Groep 5's events after her last day go on without her.
    REQUIRE_FALSE(cons.reassigned.empty());
    for (const auto& r : cons.reassigned)
        CHECK(std::find(r.before.begin(), r.before.end(), "karin") != r.before.end());
}

// ---- bounds (hardening): what a change may hold, refused at its field -------------------------

TEST_CASE("a typed name is one line of printable text", "[unit][staff]") {
    auto closure = [](const std::string& name) {
        StaffChange c;
        c.kind = StaffChangeKind::closure;
        c.from = d("2027-03-10");
        c.closure_kind = "studiedag";
        c.name = name;
        return c;
    };
    const std::vector<std::string> bads = {"Sanne\x1b[31m Dekker", "Sanne\nDekker", "Sanne\x07",
                                           "Sanne\x7f", std::string("Sanne\0Dekker", 12)};
    for (const std::string& bad : bads) {
        auto a = apply(closure(bad));
        INFO(bad);
        REQUIRE_FALSE(a.errors.empty());
        CHECK(a.errors[0].field == "name");
        CHECK(a.errors[0].message.find("zonder tabs, regeleinden of stuurtekens") !=
              std::string::npos);
    }
    // A note may have lines.
    StaffChange c = closure("Studiedag rekenen");
    c.note = "Besloten in de MR.\nZie het verslag.";
    auto ok = apply(c);
    INFO(errors_of(ok));
    CHECK(ok.errors.empty());
    c.note = "verslag\x1b]0;x\x07";
    CHECK(apply(c).errors.at(0).field == "note");
}

TEST_CASE("a closure lies inside the school year", "[unit][staff]") {
    StaffChange c;
    c.kind = StaffChangeKind::closure;
    c.from = d("2027-07-12");
    c.to = d("9999-12-31");
    c.closure_kind = "vrij";
    c.name = "Zomer";
    auto a = apply(c);
    REQUIRE(a.errors.size() == 1);
    CHECK(a.errors[0].field == "to");
    CHECK(a.errors[0].message.find("buiten het schooljaar") != std::string::npos);
}

TEST_CASE("a newcomer's lists are bounded by the school, and each item is named once",
          "[unit][staff]") {
    StaffChange c;
    c.kind = StaffChangeKind::person;
    c.newcomer = NewPerson{};
    c.newcomer->name = "Sanne Dekker";
    c.newcomer->email = "sanne@voorbeeld.nl";
    c.newcomer->works = {"ma", "di"};
    for (int i = 0; i < 700; ++i) c.newcomer->groups.push_back({"groep-4-5", {"ma"}});
    auto a = apply(c);
    REQUIRE_FALSE(a.errors.empty());
    CHECK(a.errors[0].field == "groups");
    CHECK(a.errors[0].message.find("hoogstens één keer") != std::string::npos);

    c.newcomer->groups = {{"groep-4-5", {"ma", "ma"}}};
    CHECK(apply(c).errors.at(0).field == "groups");
    c.newcomer->groups = {};
    c.newcomer->works = {"ma", "di", "wo", "do", "vr", "ma"};
    CHECK(apply(c).errors.at(0).field == "works");
    c.newcomer->works = {"ma"};
    c.newcomer->roles = {"x", "x"};
    CHECK(apply(c).errors.at(0).field == "roles");
}

TEST_CASE("one change writes many places of the text in one pass", "[unit][staff]") {
    // A newcomer in every group: each group's teachers get the newcomer, in one edit of the
    // text, and the result loads.
    const auto base = load_school(example(), builtin_official_holidays());
    REQUIRE(base);
    StaffChange c;
    c.kind = StaffChangeKind::person;
    c.newcomer = NewPerson{};
    c.newcomer->name = "Sanne Dekker";
    c.newcomer->email = "sanne@voorbeeld.nl";
    c.newcomer->works = {"ma", "di", "wo", "do", "vr"};
    for (const Group& g : base->school.groups) c.newcomer->groups.push_back({g.id, {"vr"}});
    auto a = apply(c);
    INFO(errors_of(a));
    REQUIRE(a.errors.empty());
    for (const Group& g : a.school->school.groups)
        CHECK(std::any_of(g.teachers.begin(), g.teachers.end(),
                          [](const TeacherAssignment& t) { return t.person == "sanne"; }));
}

TEST_CASE("a new invaller's address is refused when someone of the school has it",
          "[unit][staff]") {
    StaffChange c = absence("bram", "2027-02-01", "2027-02-12");
    c.new_substitute = NewPerson{};
    c.new_substitute->name = "Lotte van Dijk";
    c.new_substitute->email = "Anna.deVries@voorbeeld.nl";
    auto a = apply(c);
    REQUIRE_FALSE(a.errors.empty());
    CHECK(a.errors[0].field == "substitute.email");
    CHECK(a.errors[0].message.find("Anna de Vries") != std::string::npos);
}

TEST_CASE(
    "a leaver's groups go to their successors in the same change; a newcomer can take a "
    "group over",
    "[unit][staff]") {
    StaffChange leave;
    leave.kind = StaffChangeKind::leave;
    leave.person = "karin";
    leave.until = d("2027-01-19");
    leave.takeovers = {{"groep-5", "eva", std::nullopt}};
    auto a = apply(leave);
    INFO(errors_of(a));
    REQUIRE(a.errors.empty());
    const Group* g5 = a.school->school.group("groep-5");
    REQUIRE(g5->teachers.size() == 2);
    CHECK(g5->teachers[0].until == d("2027-01-19"));
    CHECK(g5->teachers[1].person == "eva");
    CHECK(g5->teachers[1].from == d("2027-01-20"));  // the day after the last day
    CHECK(g5->teachers[1].days.to_string() == g5->teachers[0].days.to_string());
    CHECK(a.summary ==
          "Karin Dekker vertrekt; laatste dag di 19 januari; Groep 5 naar Eva Visser per wo 20 "
          "januari");
    CHECK(a.school->school.teachers_on(*g5, d("2027-01-21")) == std::vector<std::string>{"eva"});

    SECTION("as JSON both ways") {
        const auto back = staff_change_from_json(staff_change_to_json(leave));
        REQUIRE(back.errors.empty());
        REQUIRE(back.change.takeovers.size() == 1);
        CHECK(back.change.takeovers[0].successor == "eva");
        CHECK(staff_change_to_json(back.change) == staff_change_to_json(leave));
    }
    SECTION("a group the leaver does not teach, a first day before the last: at their field") {
        leave.takeovers = {{"groep-6", "eva", std::nullopt}, {"groep-5", "eva", d("2027-01-18")}};
        auto e = apply(leave);
        std::map<std::string, std::string> at;
        for (const auto& x : e.errors) at[x.field] = x.message;
        CHECK(at["takeovers.groep-6.successor"] ==
              "Karin Dekker geeft na di 19 januari geen les aan Groep 6");
        CHECK(at["takeovers.groep-5.from"] ==
              "de eerste dag van de opvolger ligt na de laatste werkdag (di 19 januari)");
    }
    SECTION("an unknown successor") {
        leave.takeovers = {{"groep-5", "niemand", std::nullopt}};
        auto e = apply(leave);
        REQUIRE(e.errors.size() == 1);
        CHECK(e.errors[0].field == "takeovers.groep-5.successor");
    }

    StaffChange join =
        sanne_joins({"ma", "di", "wo", "do", "vr"}, d("2027-01-20"), {{"groep-5", {}, true}});
    auto b = apply(join);
    INFO(errors_of(b));
    REQUIRE(b.errors.empty());
    const Group* taken = b.school->school.group("groep-5");
    CHECK(taken->teachers[0].person == "karin");
    CHECK(taken->teachers[0].until == d("2027-01-19"));
    CHECK(b.school->school.teachers_on(*taken, d("2027-01-21")) ==
          std::vector<std::string>{"sanne"});
    const auto json = staff_change_to_json(join);
    CHECK(json.find("\"takes_over\":true") != std::string::npos);
    CHECK(staff_change_from_json(json).change.newcomer->groups[0].takes_over);
    join.newcomer->from.reset();
    auto no_day = apply(join);
    REQUIRE_FALSE(no_day.errors.empty());
    CHECK(no_day.errors[0].field == "from");
}
