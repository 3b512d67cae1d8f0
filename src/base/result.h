// The error convention of fallible low-level calls: a value or an error
// message, which the caller must look at ([[nodiscard]]). Exceptions are kept
// for what must end a run, and caught once, in main.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace iree_suite {

// What went wrong, as a message for the user ("<path>: cannot create: ...").
struct Error {
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit, as a return value
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // Only when ok().
  T& value() { return std::get<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Only when !ok().
  const std::string& error() const { return std::get<Error>(state_).message; }

 private:
  std::variant<T, Error> state_;
};

// Success or an error, for calls that return nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  // Only when !ok().
  const std::string& error() const { return error_->message; }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace iree_suite
