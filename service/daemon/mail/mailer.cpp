#include "daemon/mail/mailer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <unistd.h>

#include "daemon/access/tokens.hpp"
#include "jaarkalender/mail.hpp"

namespace jk::daemon {
namespace fs = std::filesystem;
namespace {

/// A mail queued this long after its time is marked late ("later verstuurd").
constexpr std::int64_t kLateAfterSeconds = 15 * 60;
/// Messages handled per store query.
constexpr int kBatch = 200;
/// Due mails composed and queued per transaction.
constexpr size_t kQueueChunk = 500;
/// How long one daemon holds a school's scan (then another may scan it).
constexpr int kScanLeaseSeconds = 120;

/// This daemon among others on the same database: host, process and a random part.
std::string instance_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "host");
    return std::string(host) + ":" + std::to_string(::getpid()) + ":" + random_token().substr(0, 8);
}

std::string cursor_name(const std::string& school) {
    return "scan:" + school;
}

/// The same mailbox, however its letters are written.
bool same_address(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool resolved(const Event& e) {
    return e.status == EventStatus::done || e.status == EventStatus::cancelled;
}

std::string status_nl(const Event& e) {
    switch (e.status) {
        case EventStatus::done:
            return "de afspraak is inmiddels gehouden";
        case EventStatus::cancelled:
            return "de afspraak is inmiddels geannuleerd";
        default:
            return "de afspraak is inmiddels verplaatst";
    }
}

}  // namespace

std::int64_t retry_delay_seconds(int attempts, double jitter01) {
    const std::int64_t base = std::min<std::int64_t>(3600, 60LL << std::min(attempts, 6));
    return base - static_cast<std::int64_t>(static_cast<double>(base) * 0.5 * jitter01);
}

namespace {

/// The outbox's kind of a kind of mail (the same word).
OutboxKind outbox_kind(MailKind k) {
    return *parse_outbox_kind(to_string(k));
}

}  // namespace

Mailer::Mailer(SchoolRegistry& schools, OutboxStore& checkpoints, Store& store,
               TransportFactory make_transport, MailConfig config, std::string public_url)
    : schools_(schools),
      checkpoints_(checkpoints),
      store_(store),
      config_(std::move(config)),
      public_url_(std::move(public_url)),
      owner_(instance_name()) {
    if (config_.mode != MailConfig::Mode::off)
        for (int i = 0; i < std::max(1, config_.connections); ++i)
            transports_.push_back(make_transport());
    secret_ = store_.secret(std::string(kUnsubscribeSecret), random_token() + random_token());
    // One daemon owns an SQLite store: claims left in it are a killed predecessor's, whose
    // messages must not wait for their claim to run out.
    if (!store_.shared()) store_.outbox_release("");
    const auto at = config_.from_address.find('@');
    domain_ = at == std::string::npos ? "localhost" : config_.from_address.substr(at + 1);
}

Mailer::~Mailer() {
    stop();
}

std::string sign_unsubscribe(const std::string& secret, const Unsubscribe& u) {
    const std::string payload = u.school + "." + u.person + "." + std::string(to_string(u.kind));
    return payload + "." + hmac_sha256_hex(secret, payload).substr(0, 32);
}

std::optional<Unsubscribe> verify_unsubscribe(const std::string& secret, std::string_view token) {
    const auto mac_at = token.rfind('.');
    if (mac_at == std::string_view::npos || token.size() > 300) return std::nullopt;
    const std::string payload(token.substr(0, mac_at));
    const std::string expected = hmac_sha256_hex(secret, payload).substr(0, 32);
    if (!constant_time_equal(token.substr(mac_at + 1), expected)) return std::nullopt;
    const auto a = payload.find('.');
    const auto b = payload.rfind('.');
    if (a == std::string::npos || b == a) return std::nullopt;
    auto kind = parse_mail_kind(std::string_view(payload).substr(b + 1));
    if (!kind) return std::nullopt;
    return Unsubscribe{payload.substr(0, a), payload.substr(a + 1, b - a - 1), *kind};
}

std::string Mailer::unsubscribe_url(const Unsubscribe& u) const {
    return public_url_ + "/mail/uit/" + sign_unsubscribe(secret_, u);
}

void Mailer::queue(std::vector<DueMail> due, const std::string& cursor, std::int64_t cursor_at,
                   std::int64_t now) {
    auto snap = schools_.snapshot();
    // After a stop, only the newest reminder per event and person, the newest overdue list
    // per person (with what the lists before it said) and one digest per address are worth
    // sending.
    auto group = [](const DueMail& d) {
        if (d.kind == MailKind::digest) return std::string(to_string(d.kind)) + "|" + d.key;
        return std::string(to_string(d.kind)) + "|" + d.school + "|" + d.recipient + "|" + d.uid;
    };
    std::map<std::string, size_t> newest;
    for (size_t i = 0; i < due.size(); ++i) {
        const DueMail& d = due[i];
        if (d.kind == MailKind::change) continue;
        const std::string k = group(d);
        auto [it, fresh] = newest.emplace(k, i);
        if (!fresh && due[it->second].due_at < d.due_at) it->second = i;
    }
    for (size_t i = 0; i < due.size(); ++i) {
        if (due[i].kind != MailKind::overdue) continue;
        DueMail& keep = due[newest[group(due[i])]];
        if (&keep == &due[i]) continue;
        for (const auto& uid : due[i].uids)
            if (std::find(keep.uids.begin(), keep.uids.end(), uid) == keep.uids.end())
                keep.uids.push_back(uid);
    }
    for (auto& d : due)
        std::erase_if(d.still_open, [&](const std::string& uid) {
            return std::find(d.uids.begin(), d.uids.end(), uid) != d.uids.end();
        });
    std::map<std::string, std::set<std::string>> off;  // school → "person|kind"
    BatchPlans plans;
    std::vector<OutboxMessage> out;
    for (size_t i = 0; i < due.size(); ++i) {
        const DueMail& d = due[i];
        if (d.kind != MailKind::change && newest[group(d)] != i) continue;
        auto sit = snap->schools.find(d.school);
        if (sit == snap->schools.end() || !sit->second->plan || !sit->second->school) continue;
        const SchoolSnapshot& ss = *sit->second;
        if (!off.count(d.school)) {
            auto& set = off[d.school];
            for (const auto& [p, k] : store_.mail_optouts(d.school)) set.insert(p + "|" + k);
        }
        if (off[d.school].count(d.recipient + "|" + std::string(to_string(d.kind)))) continue;
        const Person* person = ss.school->school.person(d.recipient);
        if (!person || person->email.empty()) continue;
        const bool late = d.due_at < now - kLateAfterSeconds;
        // A late reminder never comes beside the on-time one: the next is still to come.
        if (d.kind == MailKind::reminder && late && d.next_due_at > now) continue;
        const Unsubscribe u{d.school, d.recipient, d.kind};
        MailLinks links{public_url_ + "/", unsubscribe_url(u)};
        MailContent content;
        const Date today = epoch_to_local(now).first;
        const auto plan =
            d.kind == MailKind::digest ? nullptr : batch_plan(plans, d.school, ss.plan);
        if (d.kind == MailKind::digest) {
            // Every school that lists this address, in every role it has there: one digest.
            std::vector<DigestSchool> schools;
            bool bestuur = false;
            for (const auto& [id, other] : snap->schools) {
                if (!other->plan || !other->school) continue;
                for (const Person& p : other->school->school.persons) {
                    if (!same_address(p.email, person->email)) continue;
                    DigestSchool ds{batch_plan(plans, id, other->plan).get(), other->school.get(),
                                    &other->replan_changes};
                    ds.ib = p.has_role("ib");
                    ds.lead = p.has_role("schoolleider");
                    ds.board = p.has_role("bestuurder") && !ds.ib && !ds.lead;
                    bestuur = bestuur || p.has_role("bestuurder");
                    if (ds.ib || ds.lead || ds.board) schools.push_back(ds);
                    break;
                }
            }
            // A bestuurder reads every school (as the bestuur's page shows them), also those
            // whose files do not list them.
            if (bestuur)
                for (const auto& [id, other] : snap->schools) {
                    if (!other->plan || !other->school) continue;
                    // (A plain loop: clang 14 cannot capture a structured binding.)
                    const LoadedSchool* school = other->school.get();
                    bool listed = false;
                    for (const DigestSchool& ds : schools) listed = listed || ds.school == school;
                    if (listed) continue;
                    DigestSchool ds{batch_plan(plans, id, other->plan).get(), other->school.get(),
                                    &other->replan_changes};
                    ds.board = true;
                    schools.push_back(ds);
                }
            content = compose_digest(*person, schools, today, links);
        } else if (d.kind == MailKind::overdue) {
            content = compose_overdue_list(d, *plan, *ss.school, links);
        } else if (d.kind == MailKind::welcome) {
            content = compose_welcome(*person, *plan, *ss.school, today, links);
        } else {
            const Event* e = plan->find(d.uid);
            if (!e) continue;
            // A reminder for an event that has begun is no use, late or not.
            if (d.kind == MailKind::reminder && event_start_epoch(*e) <= now) continue;
            const Event* before = nullptr;
            if (d.kind == MailKind::change && d.before) before = &*d.before;
            content = compose_event_mail(d, *e, before, *ss.school,
                                         late && d.kind == MailKind::reminder, today, links);
        }
        MailHeaders h = headers(*person, d.key, now);
        h.list_unsubscribe_url = links.unsubscribe_url;
        OutboxMessage m;
        m.key = d.key;
        m.school = d.school;
        m.person = d.recipient;
        m.address = person->email;
        m.kind = outbox_kind(d.kind);
        m.uid = d.uid;
        if (d.kind == MailKind::overdue) {
            // A list: its events, so that it is skipped when all of them are resolved first.
            for (const auto& uid : d.uids) m.uid += (m.uid.empty() ? "" : " ") + uid;
            for (const auto& uid : d.still_open) m.uid += (m.uid.empty() ? "" : " ") + uid;
        }
        m.sequence = d.sequence;
        m.due_at = d.due_at;
        m.late = late;
        m.message = to_rfc5322(h, content);
        m.next_attempt_at = now;
        m.created_at = now;
        out.push_back(std::move(m));
    }
    const int added = store_.enqueue_mail(out, cursor, cursor_at);
    if (added > 0) {
        spdlog::info("mail: {} new message(s) queued ({})", added, cursor);
        wake();
    }
}

MailHeaders Mailer::headers(const Person& to, const std::string& key, std::int64_t now) const {
    MailHeaders h;
    h.from_name = config_.from_name;
    h.from_address = config_.from_address;
    h.reply_to = config_.reply_to;
    h.to_name = to.name;
    h.to_address = to.email;
    h.message_id = sha256_hex(key).substr(0, 32) + "@" + domain_;
    h.date = now;
    return h;
}

void Mailer::send_login_link(const std::string& school, const std::string& person,
                             const std::string& url, std::int64_t now) {
    auto snap = schools_.snapshot();
    auto it = snap->schools.find(school);
    if (it == snap->schools.end() || !it->second->school) return;
    const Person* p = it->second->school->school.person(person);
    if (!p || p->email.empty()) return;
    OutboxMessage m;
    m.key = "login|" + school + "|" + person + "|" + sha256_hex(url).substr(0, 16);
    m.school = school;
    m.person = person;
    m.address = p->email;
    m.kind = OutboxKind::login;
    m.due_at = now;
    m.message = to_rfc5322(headers(*p, m.key, now),
                           compose_login_mail(*p, it->second->name, url, kLoginLinkMinutes));
    m.next_attempt_at = now;
    m.created_at = now;
    store_.enqueue_mail({m}, "login", now);
    spdlog::info("school={} person={} sign-in link queued", school, person);
    wake();
}

void Mailer::year_published(const std::string& school, const Plan& plan, const LoadedSchool& next,
                            std::int64_t now) {
    if (config_.mode == MailConfig::Mode::off) return;
    std::vector<OutboxMessage> out;
    for (const Person& p : next.school.persons) {
        if (p.email.empty()) continue;
        OutboxMessage m;
        m.key = "year|" + school + "|" + next.school.school_year + "|" + p.id;
        m.school = school;
        m.person = p.id;
        m.address = p.email;
        m.kind = OutboxKind::year;
        m.due_at = now;
        m.message = to_rfc5322(headers(p, m.key, now),
                               compose_year_published(p, plan, next, {public_url_ + "/", ""}));
        m.next_attempt_at = now;
        m.created_at = now;
        out.push_back(std::move(m));
    }
    const auto queued = out.size();
    store_.enqueue_mail(std::move(out), "year:" + school, now);
    spdlog::info("school={} year {} published: {} mail(s) queued", school, next.school.school_year,
                 queued);
    wake();
}

int Mailer::scan(std::int64_t now) {
    if (config_.mode == MailConfig::Mode::off) return 0;
    auto snap = schools_.snapshot();
    int total = 0;
    for (const auto& [id, ss] : snap->schools) {
        if (!ss->plan || !ss->school) continue;
        const std::string cursor = cursor_name(id);
        // One daemon scans a school at a time; the others skip it this round (the cursor then
        // says the period is done).
        if (!store_.acquire_lease(cursor, owner_, now, kScanLeaseSeconds)) continue;
        struct Release {
            Store& store;
            const std::string& name;
            const std::string& owner;
            ~Release() {
                try {
                    store.release_lease(name, owner);
                } catch (const std::exception& e) {
                    spdlog::warn("mail: releasing {}: {}", name, e.what());
                }
            }
        } release{store_, cursor, owner_};
        const auto from = store_.mail_cursor(cursor);
        if (!from) {
            // First start: nothing from before this moment.
            store_.enqueue_mail({}, cursor, now);
            continue;
        }
        if (*from >= now) continue;
        // Every school, every scan: decoded for this scan only (not kept on the shelf).
        const auto plan = ss->plan.load(false);
        std::vector<DueMail> due = reminders_due(*plan, *ss->school, *from, now);
        auto more = overdue_notices_due(*plan, *ss->school, *from, now);
        due.insert(due.end(), more.begin(), more.end());
        more = digests_due(*ss->school, *from, now);
        due.insert(due.end(), more.begin(), more.end());
        total += static_cast<int>(due.size());
        // In chunks, so that a big morning is not held in memory at once. The cursor moves
        // with the last chunk; after a crash in between, the keys keep the rescan from
        // queueing anything twice.
        if (due.size() <= kQueueChunk) {
            queue(std::move(due), cursor, now, now);
            continue;
        }
        std::sort(due.begin(), due.end(), [](const DueMail& a, const DueMail& b) {
            return std::tie(a.kind, a.recipient, a.uid, a.due_at) <
                   std::tie(b.kind, b.recipient, b.uid, b.due_at);
        });
        for (size_t i = 0; i < due.size(); i += kQueueChunk) {
            const size_t end = std::min(due.size(), i + kQueueChunk);
            std::vector<DueMail> chunk(
                std::make_move_iterator(due.begin() + static_cast<long>(i)),
                std::make_move_iterator(due.begin() + static_cast<long>(end)));
            queue(std::move(chunk), cursor, end == due.size() ? now : *from, now);
        }
    }
    return total;
}

void Mailer::plan_changed(const SchoolSnapshot* before, const SchoolSnapshot& after,
                          std::int64_t now) {
    if (config_.mode == MailConfig::Mode::off || !before || !before->plan || !after.plan ||
        !after.school)
        return;
    auto due = change_notices(*before->plan.load(), *after.plan.load(), *after.school, now);
    // A newcomer or a new invaller: welcomed once (the key), when the change brings them.
    if (before->school) {
        auto welcome = welcome_notices(*before->school, *after.school, now);
        due.insert(due.end(), welcome.begin(), welcome.end());
    }
    if (due.empty()) return;
    // The cursor of change notices only records when the last one was queued.
    queue(std::move(due), "change:" + after.id, now, now);
}

std::shared_ptr<const Plan> Mailer::batch_plan(BatchPlans& plans, const std::string& school,
                                               const KeptPlan& now) {
    // Decoded once for the batch (held by it); again only when the school's plan changed.
    auto& [kept, held] = plans[school];
    if (!held || !(kept == now)) {
        kept = now;
        held = kept.load(false);
    }
    return held;
}

bool Mailer::still_relevant(const OutboxMessage& m, std::string& why, BatchPlans& plans) const {
    if (m.kind != OutboxKind::reminder && m.kind != OutboxKind::overdue) return true;
    auto snap = schools_.snapshot();
    auto it = snap->schools.find(m.school);
    if (it == snap->schools.end() || !it->second->plan) return true;  // keep: nothing to check
    const auto plan = batch_plan(plans, m.school, it->second->plan);
    if (m.kind == OutboxKind::overdue) {
        // A list of events (space-separated): worth sending while one of them is still open.
        std::istringstream uids(m.uid);
        for (std::string uid; uids >> uid;)
            if (const Event* e = plan->find(uid); e && !resolved(*e)) return true;
        why = "alle afspraken in de lijst zijn inmiddels afgerond";
        return false;
    }
    const Event* e = plan->find(m.uid);
    if (!e) {
        why = "de afspraak staat niet meer in het plan";
        return false;
    }
    if (resolved(*e) || e->sequence != m.sequence) {
        why = status_nl(*e);
        return false;
    }
    if (m.kind == OutboxKind::reminder && event_start_epoch(*e) <= schools_.clock().now()) {
        why = "de afspraak is al begonnen";
        return false;
    }
    return true;
}

void Mailer::deliver(MailTransport& transport, const OutboxMessage& m, long ticket,
                     std::int64_t now) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    auto previous_recorded = [&] {
        std::unique_lock lock(order_mu_);
        // Bounded: the previous message's own transfer is bounded by the same timeout.
        return order_cv_.wait_for(lock, std::chrono::seconds(config_.timeout_seconds + 5),
                                  [&] { return recorded_ >= ticket - 1; });
    };
    MailTransport::Result r;
    try {
        r = transport.send(m, previous_recorded);
    } catch (const std::exception& e) {
        r = {MailTransport::Outcome::transient, e.what()};
    }
    previous_recorded();
    try {
        switch (r.outcome) {
            case MailTransport::Outcome::sent:
                store_.outbox_sent(m.id, now);
                schools_.metrics().mail("sent");
                spdlog::debug("school={} mail={} to={} event={} sent", m.school, to_string(m.kind),
                              m.person, m.uid);
                break;
            case MailTransport::Outcome::transient: {
                const std::int64_t next = now + retry_delay_seconds(m.attempts, jitter(rng));
                if (next > m.created_at + config_.retry_hours * 3600LL) {
                    store_.outbox_close(m.id, OutboxState::failed, now,
                                        "opgegeven na " + std::to_string(config_.retry_hours) +
                                            " uur: " + r.detail);
                    schools_.metrics().mail("failed");
                    spdlog::error("school={} mail={} to={} event={} given up: {}", m.school,
                                  to_string(m.kind), m.person, m.uid, r.detail);
                } else {
                    store_.outbox_retry(m.id, next, r.detail);
                    schools_.metrics().mail("retry");
                    spdlog::warn("school={} mail={} to={} event={} retry in {} s: {}", m.school,
                                 to_string(m.kind), m.person, m.uid, next - now, r.detail);
                }
                break;
            }
            case MailTransport::Outcome::permanent:
                store_.outbox_close(m.id, OutboxState::failed, now, r.detail);
                schools_.metrics().mail("failed");
                spdlog::error("school={} mail={} to={} event={} refused: {}", m.school,
                              to_string(m.kind), m.person, m.uid, r.detail);
                break;
        }
    } catch (const std::exception& e) {
        // The mark did not stick: the message stays pending and may be sent once more.
        spdlog::error("school={} mail={} to={} event={} could not be recorded: {}", m.school,
                      to_string(m.kind), m.person, m.uid, e.what());
    }
    {
        std::lock_guard lock(order_mu_);
        recorded_ = std::max(recorded_, ticket);
    }
    order_cv_.notify_all();
}

int Mailer::send_ready(std::int64_t now) {
    if (config_.mode == MailConfig::Mode::off || transports_.empty()) return 0;
    const auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / config_.max_per_second));
    auto stopping = [this] {
        std::lock_guard lock(mu_);
        return stopping_;
    };
    int handled = 0;
    // A batch is sent well within its claim, at the configured rate.
    const int batch_size = static_cast<int>(std::clamp<double>(
        config_.max_per_second * config_.claim_seconds / 2.0, 1.0, static_cast<double>(kBatch)));
    for (;;) {
        auto batch = store_.outbox_claim(now, batch_size, owner_, config_.claim_seconds);
        if (batch.empty()) break;
        std::vector<const OutboxMessage*> to_send;
        BatchPlans plans;
        for (const auto& m : batch) {
            std::string why;
            if (still_relevant(m, why, plans)) {
                to_send.push_back(&m);
                continue;
            }
            store_.outbox_close(m.id, OutboxState::skipped, now, why);
            schools_.metrics().mail("skipped");
            spdlog::info("school={} mail={} to={} event={} skipped: {}", m.school,
                         to_string(m.kind), m.person, m.uid, why);
            ++handled;
        }
        {
            std::lock_guard lock(order_mu_);
            recorded_ = -1;
        }
        // Connection w sends tickets w, w + n, w + 2n, ...; the rate limit is shared.
        std::mutex rate_mu;
        auto worker = [&](size_t w) {
            for (size_t i = w; i < to_send.size(); i += transports_.size()) {
                if (stopping()) {
                    // Leave the rest pending; let later tickets pass.
                    std::lock_guard lock(order_mu_);
                    recorded_ = std::max<long>(recorded_, static_cast<long>(to_send.size()));
                    order_cv_.notify_all();
                    return;
                }
                {
                    std::unique_lock lock(rate_mu);
                    const auto t = std::chrono::steady_clock::now();
                    const auto at = std::max(next_send_, t);
                    next_send_ = at + gap;
                    lock.unlock();
                    if (at > t) std::this_thread::sleep_for(at - t);
                }
                deliver(*transports_[w], *to_send[i], static_cast<long>(i), now);
            }
        };
        std::vector<std::thread> extra;
        for (size_t w = 1; w < transports_.size() && w < to_send.size(); ++w)
            extra.emplace_back(worker, w);
        // The marks' connection never checkpoints (Durability::normal): the daemon's other
        // connection does, beside this batch's sending, so that no mark waits for its fsync.
        std::thread checkpointer([this] {
            try {
                checkpoints_.checkpoint();
            } catch (const std::exception& e) {
                spdlog::warn("mail: checkpoint of the store failed: {}", e.what());
            }
        });
        worker(0);
        for (auto& t : extra) t.join();
        checkpointer.join();
        handled += static_cast<int>(to_send.size());
        if (stopping()) {
            // What this batch did not send goes back to the others at once.
            try {
                store_.outbox_release(owner_);
            } catch (const std::exception& e) {
                spdlog::warn("mail: giving back claimed messages: {}", e.what());
            }
            return handled;
        }
        if (static_cast<int>(batch.size()) < batch_size) break;
    }
    return handled;
}

void Mailer::start() {
    if (config_.mode == MailConfig::Mode::off || thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void Mailer::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Mailer::wake() {
    {
        std::lock_guard lock(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

void Mailer::run() {
    std::int64_t next_scan = 0;
    for (;;) {
        const std::int64_t now = schools_.clock().now();
        try {
            if (now >= next_scan) {
                scan(now);
                next_scan = now + config_.scan_seconds;
            }
            send_ready(now);
        } catch (const std::exception& e) {
            // The store or a school failed: log, and try again at the next round.
            spdlog::error("mail: {}", e.what());
        }
        std::unique_lock lock(mu_);
        if (stopping_) return;
        std::int64_t wait = next_scan - schools_.clock().now();
        try {
            if (auto next = store_.outbox_next_attempt())
                wait = std::min(wait, *next - schools_.clock().now());
        } catch (const std::exception& e) {
            spdlog::error("mail: {}", e.what());
        }
        wait = std::clamp<std::int64_t>(wait, 1, config_.scan_seconds);
        cv_.wait_for(lock, std::chrono::seconds(wait), [this] { return stopping_ || woken_; });
        woken_ = false;
        if (stopping_) return;
    }
}

}  // namespace jk::daemon
