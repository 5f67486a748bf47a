// The pages, one file each (service/daemon/web/): what the router calls. A page reads the
// request's context and the snapshot and answers a whole response.
#pragma once

#include <string>
#include <string_view>

#include "daemon/http/http_types.hpp"
#include "daemon/services.hpp"
#include "daemon/web/context.hpp"

namespace jk::daemon::web {

/// `/inloggen` and `/inloggen/<token>`: ask for a link, confirm it, start a session.
HttpResponse sign_in(const HttpRequest& req, std::string_view rest, AccessService& access);
/// `/`: Mijn jaarkalender: what to tick off, what is coming, the subscription (a link made
/// just now shown once), mail settings.
HttpResponse my_calendar(const RequestContext& u, const FormData& q, AccessService& access,
                         Subscriptions& subscriptions, TrackingService& tracking,
                         MailPreferences& mail);
/// POST `/gehouden`: "alles t/m vandaag gehouden": first the confirmation with the list, then
/// (bevestigd=ja) exactly those events marked held.
HttpResponse mark_all_held(const RequestContext& u, const FormData& form,
                           TrackingService& tracking);
/// POST `/abonnement`: a new link for the person's own feed, then a redirect that shows it once.
HttpResponse subscribe(const RequestContext& u, Subscriptions& subscriptions,
                       AccessService& access);
/// POST `/schoolleider/abonnement`: a link for the school's feed or a group's (field `agenda`:
/// "school" or "groep:<id>"), then a redirect to the schoolleider's page that shows it once.
HttpResponse subscribe_school_feed(const RequestContext& u, const FormData& form,
                                   Subscriptions& subscriptions, AccessService& access);
/// `/ib`: the IB'er's page of a school.
HttpResponse ib_page(const RequestContext& u, const SchoolSnapshot& ss, const FormData& q,
                     TrackingService& tracking, MailPreferences& mail);
/// `/schoolleider`: the schoolleider's page of a school.
HttpResponse lead_page(const RequestContext& u, const SchoolSnapshot& ss, const FormData& q,
                       CycleTrend& trend, AccessService& access,
                       const std::vector<std::pair<std::string, std::string>>& years);
/// `/bestuur`: every school.
HttpResponse board_page(const RequestContext& u, const Snapshot& snap, YearService& years);
/// `/jaarplanning`: per school week the closed days, test periods and events by kind; filters
/// `persoon`, `groep`; print layout A4 (or A3 with `formaat=a3`) landscape.
/// `years`: the years to switch between (year, label), from YearService::switchable.
HttpResponse jaarplanning_page(const RequestContext& u, const SchoolSnapshot& ss, const FormData& q,
                               const std::vector<std::pair<std::string, std::string>>& years);
/// `/jaarplanning.pdf|.xlsx|.csv` with the page's filters.
HttpResponse jaarplanning_download(const SchoolSnapshot& ss, const FormData& q,
                                   std::string_view format);
/// `/scholen/<school>/jaarrooster`: public, for parents; may be framed by the school's website.
HttpResponse parents_page(const SchoolSnapshot& ss, const std::string& public_url);
/// `/afspraak/<uid>/<actie>`: held, cancelled, moved.
HttpResponse event_action(const HttpRequest& req, const RequestContext& u, std::string_view rest,
                          const FormData& form, TrackingService& tracking);

/// `/inrichting`: the school, people, groups, toetskalender and rules; with the links that
/// change them for the school's leads, read-only for the bestuurder (`?school=`).
/// `year`: a draft or published next year of the school (`?jaar=`), empty for the current one.
HttpResponse setup_page(const RequestContext& u, const SchoolSnapshot& ss, YearService& years);
/// `/inrichting/volgend-jaar`: next school year's proposal (leads only), nothing stored; and its
/// files (`school.toml`, `rules.toml`) to download.
HttpResponse next_year_page(const RequestContext& u, YearService& years);
/// POST /inrichting/volgend-jaar: `actie` bewaar (the draft), todo (`todo`, `gedaan`), publiceer.
HttpResponse next_year_submit(const RequestContext& u, YearService& years);
HttpResponse next_year_file(const RequestContext& u, std::string_view name, InputService& input);
/// The rules in the school's words, with the links that change them when `edit`.
/// Whether a set-up page links to the forms that change what it shows, and for which year.
struct Editing {
    bool on = false;
    std::string year;  // `jaar`: a draft or published next year; empty: the current year
    operator bool() const { return on; }  // NOLINT: read as "if (edit)"
    /// `path` with the year in its query (`jaar=`), when there is one.
    [[nodiscard]] std::string href(const std::string& path) const;
};
std::string rules_section(const LoadedSchool& school, const Editing& edit);

/// `/wijzigingen`: new staff changes, absences now and to come, the history (leads only).
HttpResponse changes_page(const RequestContext& u, InputService& input);
/// GET `/wijzigingen/nieuw/<soort>`: the form (filled from the query).
HttpResponse change_form_page(const RequestContext& u, std::string_view slug, YearService& years);
/// POST `/wijzigingen/nieuw/<soort>`: "Wat verandert er?", then "Opslaan" or "Terug".
HttpResponse change_submit(const RequestContext& u, std::string_view slug, InputService& input);
/// GET `/wijzigingen/formatie`: the formatie from a spreadsheet, its template (`.csv`).
HttpResponse formatie_page(const RequestContext& u);
HttpResponse formatie_template_page(const RequestContext& u, YearService& years);
/// POST `/wijzigingen/formatie`: the file checked (errors by row and column), what it changes,
/// then "Opslaan" as one change.
HttpResponse formatie_submit(const RequestContext& u, InputService& input);
/// POST `/wijzigingen/<id>/ongedaan`: the undo's preview, then saved.
HttpResponse undo_submit(const RequestContext& u, std::string_view id, InputService& input);

}  // namespace jk::daemon::web
