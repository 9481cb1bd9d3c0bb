#pragma once
// Reading a Redis reply in the stores.

#include "redis/reply.hpp"

#include <boost/system/error_code.hpp>

#include <string_view>

namespace puente::store {

// True (and logged, naming `what`) if the command failed: no link, a timeout, or an error reply.
bool failed(boost::system::error_code ec, const redis::Reply& reply, std::string_view what);

}  // namespace puente::store
