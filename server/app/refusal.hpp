#pragma once
// Why a service said no: the HTTP status, a stable code and words for a person. The same
// refusal goes out as an HTTP error body or a WebSocket {"error": ...} message.

#include "core/input_rules.hpp"

#include <optional>
#include <string>

namespace puente::app {

struct Refusal {
  unsigned status;
  std::string code;
  std::string message;

  static Refusal bad_input(const core::InputError& e) { return {400, e.code, e.message}; }
  static Refusal forbidden(std::string message) { return {403, "forbidden", std::move(message)}; }
  static Refusal not_found(std::string message) { return {404, "not_found", std::move(message)}; }
  static Refusal unavailable() {
    return {503, "store_unavailable", "the alert store is unreachable; nothing was changed, retry"};
  }
};

using MaybeRefusal = std::optional<Refusal>;

}  // namespace puente::app
