// The feeds of one plan version (service.hpp): the VEVENT texts rendered once per plan, a feed's
// bytes assembled on its first request and kept, its validators carried to the next version.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/access/tokens.hpp"
#include "daemon/http/http_date.hpp"
#include "daemon/http/metrics.hpp"
#include "daemon/schools/snapshot.hpp"
#include "jaarkalender/ical_feeds.hpp"

namespace jk::daemon {

std::string feed_key(FeedScope scope, const std::string& target) {
    constexpr FeedKind kKinds[] = {FeedKind::school, FeedKind::person, FeedKind::group,
                                   FeedKind::role};
    return FeedSelector{kKinds[static_cast<int>(scope)], target}.relative_path();
}

struct FeedCache::Renderer {
    KeptPlan kept;
    std::shared_ptr<const Plan> plan;  // decoded for a render, held while `renderer` lives
    std::shared_ptr<const LoadedSchool> school;
    YearsBeside beside;
    std::optional<FeedRenderer> renderer;  // the VEVENT texts: built for a render
    std::optional<FeedRenderer> previous, next;
    /// The school's feeds by key, sorted: a daemon holds them for every school (a vector
    /// costs half of what a map of the same feeds does).
    std::vector<std::pair<std::string, FeedSelector>> selectors;
    Renderer(KeptPlan p, std::shared_ptr<const LoadedSchool> s, YearsBeside b)
        : kept(std::move(p)), school(std::move(s)), beside(std::move(b)) {
        for (const auto& f : all_feeds(*school)) selectors.emplace_back(f.relative_path(), f);
        // Someone new in the published year has a feed of it already (it starts empty now).
        if (!beside.next.empty())
            for (const auto& f : all_feeds(*beside.next.school))
                selectors.emplace_back(f.relative_path(), f);
        // By key, the first of equal keys kept (this year's before the next year's).
        std::stable_sort(selectors.begin(), selectors.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        selectors.erase(
            std::unique(selectors.begin(), selectors.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            selectors.end());
        selectors.shrink_to_fit();
    }
    [[nodiscard]] const FeedSelector* find(const std::string& key) const {
        auto it = std::lower_bound(selectors.begin(), selectors.end(), key,
                                   [](const auto& e, const std::string& k) { return e.first < k; });
        return it != selectors.end() && it->first == key ? &it->second : nullptr;
    }
    std::string render(const FeedSelector& f) {
        if (!renderer) {
            plan = kept.load(false);  // a feed is not a school someone works in
            renderer.emplace(*plan, *school);
        }
        if (!beside.previous.empty() && !previous)
            previous.emplace(*beside.previous.plan, *beside.previous.school);
        if (!beside.next.empty() && !next) next.emplace(*beside.next.plan, *beside.next.school);
        return renderer->render(f, previous ? &*previous : nullptr, next ? &*next : nullptr);
    }
    /// Gives back the VEVENT texts and the plan they point into: the feeds' bytes are kept, and
    /// a feed not rendered yet in this version (rare once the fetched ones are warm) renders
    /// them again. A school whose feeds are fetched then holds its feeds, not its plan twice.
    void release() {
        renderer.reset();
        previous.reset();
        next.reset();
        plan.reset();
    }
};

FeedCache::FeedCache(KeptPlan plan, std::shared_ptr<const LoadedSchool> school,
                     std::map<std::string, Validators> previous, std::int64_t changed_at,
                     Metrics* metrics, YearsBeside beside)
    : renderer_(std::make_unique<Renderer>(std::move(plan), std::move(school), std::move(beside))),
      previous_(std::move(previous)),
      changed_at_(changed_at),
      metrics_(metrics) {}

FeedCache::FeedCache() = default;
FeedCache::~FeedCache() = default;

std::shared_ptr<const RenderedFeed> FeedCache::get(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto f = find_or_render(key);
    if (renderer_) renderer_->release();
    return f;
}

std::shared_ptr<const RenderedFeed> FeedCache::find_or_render(const std::string& key) const {
    if (auto it = feeds_.find(key); it != feeds_.end()) return it->second;
    if (!renderer_) return nullptr;
    const FeedSelector* sel = renderer_->find(key);
    if (!sel) return nullptr;
    auto f = std::make_shared<RenderedFeed>();
    f->body = std::make_shared<const std::string>(renderer_->render(*sel));
    f->etag = "\"" + sha256_hex(*f->body).substr(0, 32) + "\"";
    f->last_modified = changed_at_;
    if (auto prev = previous_.find(key); prev != previous_.end()) {
        // Same bytes: the validators clients have. Changed bytes: a Last-Modified later than
        // theirs, even if the clock stepped back.
        f->last_modified = prev->second.etag == f->etag
                               ? prev->second.last_modified
                               : std::max(changed_at_, prev->second.last_modified + 1);
    }
    f->last_modified_http = format_http_date(f->last_modified);
    if (metrics_) metrics_->feed_renders(1);
    feeds_.emplace(key, f);
    return f;
}

std::vector<std::string> FeedCache::rendered_keys() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [key, f] : feeds_) out.push_back(key);
    return out;
}

void FeedCache::warm(const std::vector<std::string>& keys) const {
    // One render of the texts for all of them (before the version is published: nobody waits).
    std::lock_guard lock(mu_);
    for (const auto& key : keys) static_cast<void>(find_or_render(key));
    if (renderer_) renderer_->release();
}

void FeedCache::put(const std::string& key, RenderedFeed feed) {
    std::lock_guard lock(mu_);
    if (feed.last_modified_http.empty())
        feed.last_modified_http = format_http_date(feed.last_modified);
    feeds_[key] = std::make_shared<const RenderedFeed>(std::move(feed));
}

std::map<std::string, Validators> FeedCache::validators() const {
    std::lock_guard lock(mu_);
    std::map<std::string, Validators> out = previous_;  // not rendered in this version: carried
    for (const auto& [key, f] : feeds_) out[key] = {f->etag, f->last_modified};
    return out;
}

}  // namespace jk::daemon
