#include "daemon/input/inputs.hpp"

#include "daemon/json_text.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace jk::daemon {
namespace {

namespace json = boost::json;

}  // namespace

std::string sources_to_json(const SchoolSources& s) {
    json::object o;
    o["school_path"] = s.school_path;
    o["school_toml"] = s.school_toml;
    o["rules_path"] = s.rules_path;
    o["rules_toml"] = s.rules_toml;
    o["extra_path"] = s.extra_path;
    if (s.extra_ics) o["extra_ics"] = *s.extra_ics;
    return json::serialize(o);
}

std::optional<SchoolSources> sources_from_json(const std::string& text, const std::string& folder) {
    const auto parsed = json_object_of(text);
    if (!parsed) return std::nullopt;
    const json::object& o = *parsed;
    auto str = [&](const char* k) { return json_string_of(o, k); };
    SchoolSources s;
    s.folder = folder;
    s.school_path = str("school_path");
    s.school_toml = str("school_toml");
    s.rules_path = str("rules_path");
    s.rules_toml = str("rules_toml");
    s.extra_path = str("extra_path");
    if (o.contains("extra_ics")) s.extra_ics = str("extra_ics");
    return s;
}

std::vector<std::pair<long long, StaffChange>> changes_in_force(
    const std::vector<InputVersion>& versions, const std::string& school_year) {
    std::vector<long long> undone;
    for (const auto& v : versions)
        if (v.origin == InputOrigin::undo) undone.push_back(v.undo_of);
    std::vector<std::pair<long long, StaffChange>> out;
    for (const auto& v : versions) {
        if (v.origin != InputOrigin::change || v.school_year != school_year) continue;
        if (std::find(undone.begin(), undone.end(), v.id) != undone.end()) continue;
        auto parsed = staff_change_from_json(v.change_json);
        if (!parsed.errors.empty()) {
            spdlog::error("school={} input version {} holds an unreadable change: {}", v.school,
                          v.id, parsed.errors.front().message);
            continue;
        }
        out.emplace_back(v.id, std::move(parsed.change));
    }
    return out;
}

std::string skipped_to_json(const std::vector<ComposedInput::Skipped>& skipped) {
    json::array a;
    for (const auto& s : skipped)
        a.emplace_back(json::object{{"change", s.change}, {"reason", s.reason}});
    return json::serialize(a);
}

std::vector<ComposedInput::Skipped> skipped_from_json(const std::string& text) {
    std::vector<ComposedInput::Skipped> out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& item : v.get_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.get_object();
        ComposedInput::Skipped s;
        if (auto c = o.if_contains("change"); c && c->is_int64()) s.change = c->get_int64();
        s.reason = json_string_of(o, "reason");
        out.push_back(std::move(s));
    }
    return out;
}

InputVersion import_files(Store& store, const OfficialHolidays& official,
                          const LoadedSchool& loaded, const SchoolSources& files,
                          const std::string& at) {
    const std::string& id = loaded.school.id;
    const std::string files_json = sources_to_json(files);
    // The usual case on every reload: the same files as the newest version (one row read).
    // A folder still holding a year the school has left behind (its next year, made in the
    // pages, became current): the store's year stays; the folder is not imported again.
    if (auto latest = store.latest_input(id);
        latest && (latest->files == files_json || latest->school_year > loaded.school.school_year))
        return *latest;
    const std::vector<InputVersion> versions = store.input_versions(id);
    // New files: the changes made in the pages stay, composed on them (docs/input.md).
    const auto changes = changes_in_force(versions, loaded.school.school_year);
    const ComposedInput composed = compose_input(files, changes, official);
    InputVersion v;
    v.school = id;
    v.school_year = loaded.school.school_year;
    v.created_at = at;
    v.origin = InputOrigin::files;
    v.summary = versions.empty() ? "Eerste invoer uit de bestanden" : "Nieuwe bestanden";
    v.files = files_json;
    v.sources = sources_to_json(composed.sources);
    v.skipped = skipped_to_json(composed.skipped);
    const Stored stored = store.add_input_version(v, {at, "system", id, "import", v.summary},
                                                  versions.empty() ? 0 : versions.back().id);
    // Another daemon imported (the same) files just now: take its version.
    if (stored.conflict()) return import_files(store, official, loaded, files, at);
    v.id = stored.id;
    spdlog::info("school={} files imported as input version {} ({} change(s) in force, {} skipped)",
                 id, v.id, changes.size() - composed.skipped.size(), composed.skipped.size());
    for (const auto& s : composed.skipped)
        spdlog::warn("school={} change {} no longer applies to the files: {}", id, s.change,
                     s.reason);
    return v;
}

}  // namespace jk::daemon
