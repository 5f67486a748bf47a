// The schools' input in the store (docs/input.md): a folder's files imported as a version, the
// staff changes in force composed on them, and the stored form of an input.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/store/store.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/staff_change.hpp"

namespace jk::daemon {

/// An input as stored (InputVersion::files, ::sources, StoredPlan::sources), and read back;
/// `folder` names the files in messages. Nullopt when the text is not what the daemon stored.
std::string sources_to_json(const SchoolSources& sources);
std::optional<SchoolSources> sources_from_json(const std::string& text, const std::string& folder);

/// The staff changes of `school_year` that are in force: made, not undone, oldest first, with
/// the id of their version. Changes whose stored text cannot be read are left out (and logged).
std::vector<std::pair<long long, StaffChange>> changes_in_force(
    const std::vector<InputVersion>& versions, const std::string& school_year);

/// The changes that did not apply to a version's files, as stored in InputVersion::skipped.
std::string skipped_to_json(const std::vector<ComposedInput::Skipped>& skipped);
std::vector<ComposedInput::Skipped> skipped_from_json(const std::string& text);

/// Imports a school's valid files: when they differ from the files of its newest version (or
/// it has none), a new version is stored with the changes in force composed on them. Returns
/// the newest version after the import.
InputVersion import_files(Store& store, const OfficialHolidays& official,
                          const LoadedSchool& loaded, const SchoolSources& files,
                          const std::string& at);

}  // namespace jk::daemon
