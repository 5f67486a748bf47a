// Where work that must not hold up an answer goes: the server's pool once it runs; without one
// (a test, a command), the work runs at once on the caller's thread.
#pragma once

#include <functional>
#include <mutex>
#include <utility>

namespace jk::daemon {

class Background {
  public:
    using Runner = std::function<void(std::function<void()>)>;

    /// Sends later work to `runner` (null: run it at once).
    void set(Runner runner) {
        std::lock_guard lock(mu_);
        runner_ = std::move(runner);
    }

    void run(std::function<void()> work) {
        std::lock_guard lock(mu_);
        if (runner_)
            runner_(std::move(work));
        else
            work();
    }

  private:
    std::mutex mu_;
    Runner runner_;
};

}  // namespace jk::daemon
