#pragma once
// The query of a request Kannel made to puented (a delivery report, an inbound text), decoded:
// what delivery_report.cpp and inbound_sms.cpp read their fields from.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace puente::sms {

using CallbackQuery = std::map<std::string, std::string, std::less<>>;

// The parameters of `target` ("/path?a=1&b=%2B1"), percent-decoded ('+' is a space, "%2B" a
// plus). nullopt if the target is not an origin-form URL or names a parameter twice.
std::optional<CallbackQuery> callback_query(std::string_view target);

// The value of `name`, or "" if absent.
std::string_view value_or_empty(const CallbackQuery& query, std::string_view name);

}  // namespace puente::sms
