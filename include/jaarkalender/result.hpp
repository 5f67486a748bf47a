// Result: a value or the diagnostics that explain why there is none (the core's error convention).
#pragma once

#include <cassert>
#include <utility>
#include <variant>
#include <vector>

#include "jaarkalender/diagnostics.hpp"

namespace jk {

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit like std::expected
    Result(Diagnostics errors) : v_(std::move(errors)) { assert(std::get<1>(v_).has_errors()); }

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    /// Only valid when !ok().
    [[nodiscard]] const Diagnostics& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, Diagnostics> v_;
};

}  // namespace jk
