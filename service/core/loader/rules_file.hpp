// Internal: reading rules.toml (loader.cpp).
#pragma once

#include "jaarkalender/calendar.hpp"
#include "jaarkalender/model.hpp"
#include "toml_reader.hpp"

namespace jk::detail {

/// The test periods and rules of rules.toml, checked against the school's people, roles and
/// (when it could be resolved) its calendar; every problem reported against `ctx`.
Rules read_rules_file(const FileContext& ctx, const toml::table& root, const School& school,
                      const SchoolCalendar* calendar);

}  // namespace jk::detail
