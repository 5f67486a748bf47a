// What every page shares: the layout with its menu, links and small forms, names as people
// read them, and the messages after an action.
#pragma once

#include <map>
#include <string>

#include "daemon/http/http_types.hpp"
#include "daemon/web/context.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk::daemon::web {

/// The session cookie's name.
inline constexpr const char* kCookie = "jk_sessie";

HttpResponse redirect(const std::string& to);
/// A page with the signed-in person's menu.
HttpResponse page(const RequestContext& u, const std::string& title, const std::string& body,
                  int status = 200);
std::string csrf_field(const RequestContext& u);
std::string status_nl(EventStatus s);
std::string person_name(const School& s, const std::string& id);
std::string subject_name(const LoadedSchool& s, const std::string& id);
std::string rule_label(const LoadedSchool& s, const std::string& rule);
/// The "Gehouden" button and the "Annuleren" form of an event, returning to `back`.
std::string held_form(const RequestContext& u, const Event& e, const std::string& back);
/// "Gehouden", or "Afgenomen" for a test session.
std::string held_word(const Event& e);
/// Held on another day (not after `today`) and/or with a short note.
std::string held_other_day_form(const RequestContext& u, const Event& e, const std::string& back,
                                Date today);
/// Undoes the last change of the event (back to open).
std::string undo_form(const RequestContext& u, const Event& e, const std::string& back);
std::string cancel_form(const RequestContext& u, const Event& e, const std::string& back);
/// The message after an action (`?melding=`), or nothing.
/// A feed link made just now (shown once, after the redirect of its POST): the webcal button
/// and the https address to paste.
std::string new_link_block(const std::string& public_url, const std::string& token);
std::string flash(const FormData& q);
/// The school-year switch of a page at `path` (`?jaar=`; `school` for the board): each year a
/// link, the one shown marked; nothing when there is only one year.
std::string year_switch(const std::string& path,
                        const std::vector<std::pair<std::string, std::string>>& years,
                        const std::string& shown, const std::string& school = {});
/// A section of dated rows ("Wanneer", "Wat", "Status"): its heading, then the table, or
/// `none` when there are no rows.
std::string dated_section(const std::string& heading, const std::string& rows,
                          const std::string& none);
/// The school a view is about: a lead's own, or for a bestuurder any (`?school=`).
const SchoolSnapshot* view_school(const RequestContext& u, const Snapshot& snap, const FormData& q);
HttpResponse forbidden(const RequestContext& u);
/// Where a form may send the browser back to: one of the pages' own paths, nothing else.
std::string safe_back(const FormData& form, const std::string& fallback);

}  // namespace jk::daemon::web
