// Staff changes in the daemon: validated against the school's newest input, re-planned as of
// the clock, previewed or stored as a new input version (docs/input.md), published, mailed.
#include <spdlog/spdlog.h>

#include "daemon/access/rights.hpp"
#include "daemon/http/http_date.hpp"
#include "daemon/input/input_service.hpp"
#include "daemon/input/inputs.hpp"
#include "jaarkalender/formatie.hpp"
#include "jaarkalender/mail.hpp"

namespace jk::daemon {
namespace {

/// What a change may not do because of who asks it or of the other schools (docs/api.md,
/// "Rechten"): roles beyond the actor's rights, and an address a person of another school has
/// (a sign-in link goes to one person). The change's own school checks its own addresses.
std::vector<FieldError> grant_errors(const Snapshot& snap, const std::string& school_id,
                                     const std::string& actor_id, const StaffChange& c) {
    std::vector<FieldError> out;
    auto home = snap.schools.find(school_id);
    const Person* actor = home != snap.schools.end() && home->second->school
                              ? home->second->school->school.person(actor_id)
                              : nullptr;
    if (c.kind == StaffChangeKind::person && c.newcomer && !c.newcomer->roles.empty()) {
        const Rights rights = actor ? rights_at(*actor, school_id, school_id) : Rights{};
        Person nobody;
        if (auto why = grant_refusal(actor ? *actor : nobody, rights, c.newcomer->roles))
            out.push_back({"roles", *why});
    }
    if (c.kind == StaffChangeKind::person_edit && c.edit.roles) {
        // Roles given and taken away alike are within the actor's rights.
        const Person* whom = home != snap.schools.end() && home->second->school
                                 ? home->second->school->school.person(c.person)
                                 : nullptr;
        std::vector<std::string> changed;
        for (const auto& r : *c.edit.roles)
            if (!whom || !whom->has_role(r)) changed.push_back(r);
        if (whom)
            for (const auto& r : whom->roles)
                if (std::find(c.edit.roles->begin(), c.edit.roles->end(), r) == c.edit.roles->end())
                    changed.push_back(r);
        const Rights rights = actor ? rights_at(*actor, school_id, school_id) : Rights{};
        Person nobody;
        if (auto why = grant_refusal(actor ? *actor : nobody, rights, changed))
            out.push_back({"roles", *why});
    }
    auto elsewhere = [&](const std::string& email) {
        for (const auto& [id, s] : snap.schools)
            if (id != school_id && s->school && s->school->school.person_with_email(email))
                return true;
        return false;
    };
    const char* taken =
        "dit e-mailadres heeft al iemand van een andere school; geef een eigen adres van deze "
        "school (wie op twee scholen werkt, zet de beheerder in de bestanden van beide scholen)";
    if (c.kind == StaffChangeKind::person && c.newcomer && elsewhere(c.newcomer->email))
        out.push_back({"email", taken});
    if (c.kind == StaffChangeKind::formatie && home != snap.schools.end() && home->second->school) {
        // Each row's roles within the actor's rights, and its address the school's own.
        const School& school = home->second->school->school;
        const Rights rights = actor ? rights_at(*actor, school_id, school_id) : Rights{};
        Person nobody;
        for (const FormatieRow& r : formatie_rows_from_json(c.table)) {
            const Person* p = school.person_with_email(r.email);
            std::vector<std::string> changed;
            for (const auto& role : r.roles)
                if (!p || !p->has_role(role)) changed.push_back(role);
            if (p)
                for (const auto& role : p->roles)
                    if (std::find(r.roles.begin(), r.roles.end(), role) == r.roles.end() &&
                        role != "bestuurder")
                        changed.push_back(role);
            const std::string at = "rij " + std::to_string(r.row) + ": ";
            if (auto why = grant_refusal(actor ? *actor : nobody, rights, changed))
                out.push_back({"formatie", at + "Rollen: " + *why});
            if (!p && elsewhere(r.email)) out.push_back({"formatie", at + "E-mailadres: " + taken});
        }
    }
    if (c.kind == StaffChangeKind::person_edit && c.edit.email && elsewhere(*c.edit.email))
        out.push_back({"email", taken});
    if (c.kind == StaffChangeKind::absence && c.new_substitute &&
        elsewhere(c.new_substitute->email))
        out.push_back({"substitute.email", taken});
    return out;
}

}  // namespace

std::optional<SchoolSources> InputService::current_input(const std::string& school) {
    const auto latest = inputs_.latest_input(school);
    if (!latest) return std::nullopt;
    return sources_from_json(latest->sources, "");
}

bool InputService::known_year(const std::string& school, const std::string& year, bool& upcoming) {
    upcoming = false;
    if (year.empty()) return true;
    if (auto snap = schools_.planned(school); snap && snap->school_year == year) return true;
    upcoming = years_.upcoming(school, year);
    return upcoming;
}

std::optional<SchoolSources> InputService::input_of(const std::string& school,
                                                    const std::string& year) {
    bool upcoming = false;
    if (!known_year(school, year, upcoming)) return std::nullopt;
    if (!upcoming) return current_input(school);
    const auto latest = inputs_.latest_input_of(school, year);
    if (!latest) return std::nullopt;
    return sources_from_json(latest->sources, "");
}

bool InputService::rate_limited(const std::string& school_id, const std::string& actor,
                                StaffChangeResult& out) {
    int retry_after = 0;
    if (writes_.take(school_id + "/" + actor, &retry_after)) return false;
    out.outcome = StaffChangeResult::Outcome::rate_limited;
    out.retry_after = std::max(1, retry_after);
    return true;
}

StaffChangeResult InputService::staff_change(const std::string& school_id, const std::string& actor,
                                             const StaffChange& change, bool preview,
                                             const std::string& year) {
    StaffChangeResult out;
    bool upcoming = false;
    if (!known_year(school_id, year, upcoming)) {
        out.outcome = StaffChangeResult::Outcome::unknown_year;
        return out;
    }
    // A preview costs a re-plan: it counts in the account's limit as a change does.
    if (rate_limited(school_id, actor, out)) return out;
    // A preview stores nothing and takes no lock; a change takes its own school's only.
    std::unique_lock<std::mutex> lock;
    if (!preview) lock = schools_.lock_for_write(school_id);
    auto latest =
        upcoming ? inputs_.latest_input_of(school_id, year) : inputs_.latest_input(school_id);
    if (!latest) {
        out.outcome = StaffChangeResult::Outcome::unknown_school;
        return out;
    }
    if (auto refused = grant_errors(*schools_.snapshot(), school_id, actor, change);
        !refused.empty()) {
        out.outcome = StaffChangeResult::Outcome::invalid;
        out.errors = std::move(refused);
        return out;
    }
    auto current = sources_from_json(latest->sources, "");
    if (!current) {
        out.outcome = StaffChangeResult::Outcome::unknown_school;
        return out;
    }
    AppliedChange applied = apply_staff_change(*current, change, schools_.official());
    if (!applied.errors.empty()) {
        out.outcome = StaffChangeResult::Outcome::invalid;
        out.errors = std::move(applied.errors);
        return out;
    }
    InputVersion v;
    v.origin = InputOrigin::change;
    v.change_json = staff_change_to_json(change);
    v.summary = applied.summary;
    v.files = latest->files;
    v.skipped = latest->skipped;
    if (upcoming)
        return change_year_input(school_id, year, actor, applied.sources, *applied.school,
                                 std::move(v), latest->id, preview);
    return change_input(school_id, actor, applied.sources, *applied.school, std::move(v),
                        latest->id, preview);
}

StaffChangeResult InputService::undo_staff_change(const std::string& school_id,
                                                  const std::string& actor, long long version,
                                                  bool preview, const std::string& year) {
    StaffChangeResult out;
    bool upcoming = false;
    if (!known_year(school_id, year, upcoming)) {
        out.outcome = StaffChangeResult::Outcome::unknown_year;
        return out;
    }
    if (rate_limited(school_id, actor, out)) return out;
    std::unique_lock<std::mutex> lock;
    if (!preview) lock = schools_.lock_for_write(school_id);
    const std::vector<InputVersion> versions =
        upcoming ? inputs_.input_versions_of(school_id, year) : inputs_.input_versions(school_id);
    if (versions.empty()) {
        out.outcome = StaffChangeResult::Outcome::unknown_school;
        return out;
    }
    const InputVersion& latest = versions.back();
    const InputVersion* undone = nullptr;
    for (const auto& v : versions)
        if (v.id == version && v.origin == InputOrigin::change &&
            v.school_year == latest.school_year)
            undone = &v;
    const auto in_force = changes_in_force(versions, latest.school_year);
    const bool active = std::any_of(in_force.begin(), in_force.end(),
                                    [&](const auto& c) { return c.first == version; });
    if (!undone || !active) {
        out.outcome = StaffChangeResult::Outcome::unknown_change;
        return out;
    }
    // The input without it: the files with every other change in force, composed again.
    std::vector<std::pair<long long, StaffChange>> rest;
    for (const auto& c : in_force)
        if (c.first != version) rest.push_back(c);
    auto files = sources_from_json(latest.files, "");
    if (!files) {
        out.outcome = StaffChangeResult::Outcome::unknown_school;
        return out;
    }
    const ComposedInput composed = compose_input(*files, rest, schools_.official());
    auto loaded = load_school(composed.sources, schools_.official());
    if (!loaded) {
        out.outcome = StaffChangeResult::Outcome::invalid;
        out.errors.push_back({"", loaded.error().items().front().message});
        return out;
    }
    InputVersion v;
    v.origin = InputOrigin::undo;
    v.undo_of = version;
    v.summary = "Ongedaan gemaakt: " + undone->summary;
    v.files = latest.files;
    v.skipped = skipped_to_json(composed.skipped);
    // A change that did not apply because of the undone one is said so in the preview.
    for (const auto& s : composed.skipped)
        out.errors.push_back(
            {"", "wijziging " + std::to_string(s.change) + " geldt dan niet meer: " + s.reason});
    auto result = upcoming ? change_year_input(school_id, year, actor, composed.sources, *loaded,
                                               std::move(v), latest.id, preview)
                           : change_input(school_id, actor, composed.sources, *loaded, std::move(v),
                                          latest.id, preview);
    result.errors.insert(result.errors.begin(), out.errors.begin(), out.errors.end());
    return result;
}

StaffChangeResult InputService::change_input(const std::string& school_id, const std::string& actor,
                                             const SchoolSources& sources,
                                             const LoadedSchool& loaded, InputVersion version,
                                             long long based_on, bool preview) {
    StaffChangeResult out;
    out.summary = version.summary;
    const auto current = schools_.planned(school_id);
    if (!current) {
        out.outcome = StaffChangeResult::Outcome::unknown_school;
        return out;
    }
    const SchoolSnapshot& snap = *current;
    auto school = std::make_shared<const LoadedSchool>(loaded);
    const auto previous = snap.plan.load();
    Plan plan = schools_.replan(*school, previous.get());
    out.consequences = consequences(*previous, plan, *school, clock_.now(), snap.school.get());
    out.school = school;
    if (preview) {
        out.outcome = StaffChangeResult::Outcome::previewed;
        return out;
    }
    store_version(school_id, school->school.school_year, actor, sources, version, based_on, false);
    out.version = version.id;
    spdlog::info("school={} input version {} by {}: {} ({} moved, {} cancelled, {} unplanned)",
                 school_id, version.id, actor, version.summary, out.consequences.moved.size(),
                 out.consequences.cancelled.size(), out.consequences.unplanned.size());
    auto after = schools_.adopt_plan(school, std::move(plan), previous.get(), snap.through_change,
                                     version, &snap, snap.folder);
    after->feeds->warm(snap.feeds->rendered_keys());
    after->unsaved_changes = 0;
    after->errors = snap.errors;
    schools_.publish_change(snap, after, false);
    out.outcome = StaffChangeResult::Outcome::applied;
    return out;
}

void InputService::store_version(const std::string& school_id, const std::string& year,
                                 const std::string& actor, const SchoolSources& sources,
                                 InputVersion& version, long long based_on, bool upcoming) {
    const std::string at = format_utc_iso(clock_.now());
    version.school = school_id;
    version.school_year = year;
    version.created_at = at;
    version.actor = actor;
    version.sources = sources_to_json(sources);
    // The audit line names the change, never an absence's reason (that stays in the version).
    const Stored stored = inputs_.add_input_version(
        version,
        {at, actor, school_id, version.origin == InputOrigin::undo ? "staff-undo" : "staff-change",
         (upcoming ? year + ": " : std::string()) + version.summary},
        based_on);
    if (stored.conflict())
        throw StoreConflict("een andere dienst wijzigde de invoer van " + school_id +
                            (upcoming ? " (" + year + ")" : std::string()) +
                            " op hetzelfde moment");
    version.id = stored.id;
}

StaffChangeResult InputService::change_year_input(const std::string& school_id,
                                                  const std::string& year, const std::string& actor,
                                                  const SchoolSources& sources,
                                                  const LoadedSchool& loaded, InputVersion version,
                                                  long long based_on, bool preview) {
    StaffChangeResult out;
    out.summary = version.summary;
    const auto before = years_.view(school_id, year);
    if (!before) {
        out.outcome = StaffChangeResult::Outcome::unknown_year;
        return out;
    }
    auto school = std::make_shared<const LoadedSchool>(loaded);
    Plan plan = years_.plan(*before, *school);
    if (before->plan)
        out.consequences =
            consequences(*before->plan, plan, *school, clock_.now(), before->school.get());
    out.school = school;
    if (preview) {
        out.outcome = StaffChangeResult::Outcome::previewed;
        return out;
    }
    if (school->school.school_year != year) {
        out.outcome = StaffChangeResult::Outcome::invalid;
        out.errors.push_back({"school_year", "het schooljaar van dit jaar blijft " + year});
        return out;
    }
    store_version(school_id, year, actor, sources, version, based_on, true);
    out.version = version.id;
    spdlog::info("school={} year {} input version {} by {}: {} ({} events, {} unplanned)",
                 school_id, year, version.id, actor, version.summary, plan.events.size(),
                 plan.unplanned.size());
    years_.adopted(school_id, year, version.id, school, std::move(plan));
    out.outcome = StaffChangeResult::Outcome::applied;
    return out;
}

const OfficialHolidays& InputService::official() const {
    return schools_.official();
}

}  // namespace jk::daemon
