// The tracking API (/api/v1, docs/api.md): JSON, personal bearer tokens, rights by role.
#pragma once

#include <boost/json/fwd.hpp>

#include <optional>

#include "daemon/http/http_types.hpp"
#include "daemon/services.hpp"
#include "daemon/web/context.hpp"

namespace jk::daemon {

/// Answers a request under /api/v1. `route` is set for metrics.
HttpResponse handle_api(const HttpRequest& req, const Snapshot& snapshot, Services& services);

/// A JSON response (no-store), and `{"error": message}`.
HttpResponse json_reply(int status, std::string body);
HttpResponse json_error(int status, const std::string& message);
/// A school's files as one JSON object, the keys as in the files; nullopt and `error` when a file
/// cannot be read.
std::optional<boost::json::object> sources_json(const SchoolSources& sources, std::string& error);
/// POST .../years: next school year's proposal (next_year.hpp) as JSON with `"preview": true`,
/// else stored as the school's draft year (YearService).
HttpResponse years_api(const HttpRequest& req, const SchoolSnapshot& school, InputService& input,
                       YearService& years, const std::string& actor);
/// GET .../years/<year>: a draft or published year: its state, to-dos and plan in numbers.
HttpResponse year_api(const SchoolSnapshot& school, const std::string& year, YearService& years);
/// POST .../years/<year>/publish.
HttpResponse publish_api(const SchoolSnapshot& school, const std::string& year, YearService& years,
                         const std::string& actor);
/// The years beside the current one as the school list says them.
/// `past`: the years before the current one that have a stored plan.
boost::json::array years_json(const std::string& current, const std::vector<SchoolYearRow>& rows,
                              const std::vector<std::string>& past);

// ---- /api/v1/schools/<s>/changes (api_changes.cpp), for the school's IB'er and schoolleider --
/// GET: the history of the school's input, newest first.
/// `year`: a draft or published next year's (empty: the current year's).
HttpResponse staff_history(const SchoolSnapshot& school, const std::string& year,
                           InputService& input);
/// GET .../input: the school's input as JSON, the keys as in the files (docs/api.md); without
/// `private_too` the reasons of absences are left out.
HttpResponse input_api(const SchoolSnapshot& school, const std::string& year, bool private_too,
                       InputService& input);
/// GET .../formatie: the school's formatie as CSV, the template to fill in.
HttpResponse formatie_template(const SchoolSnapshot& school, Date today);
/// POST .../formatie: the formatie from a CSV or .xlsx body (`?preview=1`,
/// `?leavers_until=YYYY-MM-DD`), as one change.
HttpResponse formatie_api(const HttpRequest& req, const SchoolSnapshot& school,
                          const RequestContext& u, InputService& input);
/// POST: a staff change; with `"preview": true` only what it would do.
HttpResponse staff_change_api(const HttpRequest& req, const SchoolSnapshot& school,
                              const RequestContext& u, InputService& input);
/// POST .../changes/<id>/undo: undoes a change (as a new version); `"preview": true` too.
HttpResponse staff_undo_api(const HttpRequest& req, const SchoolSnapshot& school,
                            const RequestContext& u, const std::string& id, InputService& input);

}  // namespace jk::daemon
