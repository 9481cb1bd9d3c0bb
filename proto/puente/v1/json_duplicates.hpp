#pragma once
// Finds a key given twice in one JSON object. protobuf's JSON parser takes the last of
// {"state":"EN_ROUTE","state":"CANT"}, so two readers of one request (a proxy that logs it, a
// node that stores it) could each see another message: the node refuses such a request.

#include <optional>
#include <string>
#include <string_view>

namespace puente::wire {

// The first key that repeats within one object (decoded: "a" and "\u0061" are the same key);
// nullopt when none does, or when `json` is not JSON at all (the parser says why then).
std::optional<std::string> first_duplicate_key(std::string_view json);

}  // namespace puente::wire
