#pragma once
// Reading a Redis reply in the stores.

#include "redis/reply.hpp"

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace puente::store {

// True (and logged, naming `what`) if the command failed: no link, a timeout, or an error reply.
bool failed(boost::system::error_code ec, const redis::Reply& reply, std::string_view what);

// The first element of a script's {"word", ...} answer; "" if it is no array.
std::string_view verdict(const redis::Reply& reply);

// The text of element `i` of an array reply; "" past its end.
std::string element(const redis::Reply& reply, std::size_t i);

}  // namespace puente::store
