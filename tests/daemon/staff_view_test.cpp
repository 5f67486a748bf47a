// The staff-change pages' view models, without HTML: a form's fields filled from what was sent
// and the loader's messages at their field, a form read into a change, the preview's rows in
// Dutch, and the history.
#include "daemon/web/staff_view.hpp"
#include "daemon/web/move_view.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace jk;
using namespace jk::daemon;
using namespace jk::daemon::web;

namespace {

const FieldView& field(const FormView& v, const std::string& name) {
    for (const auto& f : v.fields)
        if (f.name == name) return f;
    FAIL("no field " << name);
    return v.fields.front();
}

}  // namespace

TEST_CASE("staff view: a form filled from what was sent, with errors at their field",
          "[unit][web]") {
    const LoadedSchool school = jk::testing::load_example();
    const ChangeKindInfo* kind = change_kind("afwezig");
    REQUIRE(kind);
    FormData sent = FormData::parse("person=bram&from=2027-02-01&to=2027-02-05&reason=ziek");
    const FormView v =
        change_form(school, *kind, sent, {{"to", "ligt voor 'from'"}, {"", "iets in het geheel"}});
    CHECK(field(v, "person").value == "bram");
    CHECK(field(v, "to").error == "ligt voor 'from'");
    CHECK(field(v, "from").error.empty());
    CHECK(v.general_errors == std::vector<std::string>{"iets in het geheel"});
    CHECK(v.has_errors());
    // The people to choose from carry their names, and "geen invaller" comes first.
    const auto& subs = field(v, "substitute").options;
    CHECK(subs.front().second == "geen invaller");
    CHECK(std::any_of(subs.begin(), subs.end(), [](const auto& o) {
        return o.first == "tim" && o.second == "Tim de Graaf";
    }));
    CHECK(change_kind("onbekend") == nullptr);
}

TEST_CASE("staff view: an absence link fills in the rest from the school", "[unit][web]") {
    const LoadedSchool school = jk::testing::load_example();
    // Karin's absence in the files: the link names only her and its first day.
    const FormView v = change_form(school, *change_kind("afwezig"),
                                   FormData::parse("person=karin&from=2027-03-01"), {});
    CHECK(field(v, "to").value == "2027-03-26");
    CHECK(field(v, "reason").value == "met verlof");
    const auto rows = absences_view(school, *parse_date("2027-01-11"));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].name == "Karin Dekker");
    CHECK(rows[0].dates == "ma 1 maart t/m vr 26 maart");
    CHECK(rows[0].edit_link == "/wijzigingen/nieuw/afwezig?person=karin&from=2027-03-01");
    CHECK(absences_view(school, *parse_date("2027-03-27")).empty());  // over: not listed
}

TEST_CASE("staff view: forms read into changes", "[unit][web]") {
    auto sick = change_from_form(
        StaffChangeKind::absence,
        FormData::parse("person=bram&from=2027-02-01&to=2027-02-05&substitute=nieuw&"
                        "substitute.name=Lotte+van+Dijk&substitute.email=l%40x.nl&note=griep"));
    REQUIRE(sick.errors.empty());
    REQUIRE(sick.change.new_substitute);
    CHECK(sick.change.new_substitute->name == "Lotte van Dijk");
    CHECK(sick.change.new_substitute->email == "l@x.nl");
    CHECK(sick.change.note == "griep");

    auto join = change_from_form(
        StaffChangeKind::person,
        FormData::parse(
            "name=Sanne&email=s%40x.nl&works=ma&works=di&roles=ib&roles.other=bouwcoordinator"
            "&groups=groep-5&groups.days=ma"));
    REQUIRE(join.errors.empty());
    CHECK(join.change.newcomer->works == std::vector<std::string>{"ma", "di"});
    CHECK(join.change.newcomer->roles == std::vector<std::string>{"ib", "bouwcoordinator"});
    REQUIRE(join.change.newcomer->groups.size() == 1);
    CHECK(join.change.newcomer->groups[0].days == std::vector<std::string>{"ma"});

    auto bad = change_from_form(StaffChangeKind::closure, FormData::parse("from=12-3-2027"));
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0].field == "from");
}

TEST_CASE("staff view: the preview in Dutch, and the history", "[unit][web]") {
    const LoadedSchool school = jk::testing::load_example();
    StaffChangeResult r;
    r.summary = "Studiedag 'X' op di 19 januari";
    r.consequences.moved.push_back({"u1", "Rekenen-Wiskunde (Groep 6)", PlanChangeKind::moved,
                                    "2027-01-19T08:30", "2027-01-20T08:30",
                                    "op di 19 januari is "
                                    "nu een studiedag (X)"});
    r.consequences.unplanned.push_back({"klassenconsultatie", "bram", 2, "geen tijd"});
    r.consequences.mails.push_back({"lisa", "Lisa Smits", {"u1"}});
    const PreviewView v = preview_view(r, school);
    REQUIRE(v.moved.size() == 1);
    CHECK(v.moved[0].from == "di 19 januari 08:30");
    CHECK(v.moved[0].to == "wo 20 januari 08:30");
    REQUIRE(v.unplanned.size() == 1);
    CHECK(v.unplanned[0].what.find("Bram Jansen") != std::string::npos);
    CHECK(v.mails == std::vector<std::string>{"Lisa Smits (1 afspraak)"});
    CHECK_FALSE(v.nothing_changes());

    std::vector<InputVersion> versions(3);
    versions[0] = {1,
                   "voorbeeldschool",
                   "2026-2027",
                   "2026-08-01T06:00:00Z",
                   InputOrigin::files,
                   "",
                   "",
                   0,
                   "Eerste invoer uit de bestanden",
                   "",
                   "",
                   "[]"};
    versions[1] = {2,
                   "voorbeeldschool",
                   "2026-2027",
                   "2027-01-11T08:15:00Z",
                   InputOrigin::change,
                   "anna",
                   R"({"kind":"absence","person":"bram","from":"2027-02-01","to":"2027-02-05",)"
                   R"("reason":"ziek","note":"griep"})",
                   0,
                   "Bram afwezig",
                   "",
                   "",
                   "[]"};
    versions[2] = {3,
                   "voorbeeldschool",
                   "2026-2027",
                   "2027-01-11T08:20:00Z",
                   InputOrigin::undo,
                   "erik",
                   "",
                   2,
                   "Ongedaan gemaakt: Bram afwezig",
                   "",
                   "",
                   "[]"};
    const auto rows = history_view(versions, school);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].who == "Erik Hoekstra");
    CHECK(rows[0].when == "ma 11 januari 09:20");  // the school's own time
    CHECK(rows[1].why == "ziek; griep");
    CHECK(rows[1].state == "ongedaan gemaakt");
    CHECK_FALSE(rows[1].can_undo);
    CHECK(rows[2].who == "bestanden op de server");
}

TEST_CASE("move view: the moment asked for, its conflicts, and the first free moments",
          "[unit][web]") {
    const LoadedSchool school = jk::testing::load_example();
    const Plan plan = jk::testing::plan_fixed(school);
    const Event* e = nullptr;
    for (const Event& x : plan.events)
        if (x.rule == "klassenconsultatie" && x.subject == std::optional<std::string>("bram") &&
            x.occurrence == 1)
            e = &x;
    REQUIRE(e);
    const MoveView first = move_view(school, plan, *e, e->date, {}, true);
    CHECK_FALSE(first.checked);
    CHECK(first.date == format_date(e->date));
    REQUIRE(first.suggestions.size() == kMoveSuggestions);
    CHECK(first.suggestions[0].label.find("–") != std::string::npos);  // "do 1 oktober 09:00–09:45"
    CHECK_FALSE(first.suggestions[0].late);

    const MoveView vacation =
        move_view(school, plan, *e, e->date, FormData::parse("datum=2026-12-26&tijd=09:00"), false);
    CHECK(vacation.checked);
    CHECK_FALSE(vacation.can_force);
    REQUIRE_FALSE(vacation.conflicts.empty());
    CHECK(vacation.conflicts.back() == "op za 26 december is het weekend");
    const MoveView nonsense =
        move_view(school, plan, *e, e->date, FormData::parse("datum=morgen"), true);
    CHECK(nonsense.invalid == "Geef een geldige datum en tijd.");
}

TEST_CASE("staff view: a test that can no longer be planned is named as a test", "[unit][web]") {
    const LoadedSchool school = jk::testing::load_example();
    StaffChangeResult r;
    r.consequences.unplanned.push_back({"eind", "groep-5", 1, "geen leerkracht"});
    const PreviewView v = preview_view(r, school);
    REQUIRE(v.unplanned.size() == 1);
    CHECK(v.unplanned[0].what == "Rekenen-Wiskunde, Toetsperiode eind, Groep 5");
}
