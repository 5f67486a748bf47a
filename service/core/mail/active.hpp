// What the mail's schedule and content share (service/core/mail/).
#pragma once

#include "jaarkalender/plan.hpp"

namespace jk::mail_detail {

/// A rule's event that still takes place: planned, or moved.
inline bool active(const Event& e) {
    return e.kind == EventKind::rule &&
           (e.status == EventStatus::planned || e.status == EventStatus::moved);
}

}  // namespace jk::mail_detail
