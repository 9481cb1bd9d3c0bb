#pragma once
// The start-up check of how the node reaches Redis (issue 19 item 2): after the config file and
// the flags (--redis, --sentinels) are read, before anything connects.
//
// Refuses, with a sentence naming the option, a Redis or sentinel off this host reached without
// AUTH (the decision: core/redis_exposure.hpp), a user without a password file, and a password
// file that cannot be read, is empty, or is readable by every user of the machine.

#include "app/node/config.hpp"

namespace puente::app {

// Throws std::runtime_error saying what is wrong; returns if the node may connect.
void check_redis_access(const NodeConfig& config);

}  // namespace puente::app
