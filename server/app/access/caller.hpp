#pragma once
// Who sent a command, and with which token: what a desk (incidents/report_desk.hpp, ack_desk.hpp)
// needs to check the sender's rights and take the token's rate limit, whichever transport the
// command came by.

#include "core/roster.hpp"

#include <string>

namespace puente::app {

struct Caller {
  const core::Responder& who;  // from the roster, which outlives every request
  std::string token_id;        // the token it signed in with (never the token itself)
};

}  // namespace puente::app
