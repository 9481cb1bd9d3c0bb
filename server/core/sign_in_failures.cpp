#include "core/sign_in_failures.hpp"

#include <algorithm>
#include <utility>

namespace puente::core {

std::string SignInFailureCount::describe(std::chrono::seconds window) const {
  std::string text = std::to_string(count) + (count == 1 ? " failed sign-in" : " failed sign-ins");
  if (address.empty())
    text += untold ? " from other addresses, too many to tell apart"
                   : " from " + std::to_string(addresses) + " other addresses";
  text += " in " + std::to_string(window.count()) + " s:";
  const char* separator = " ";
  for (const auto& [reason, n] : by_reason) {
    text += separator + reason + " " + std::to_string(n);
    separator = ", ";
  }
  if (!token_ids.empty()) {
    text += "; tokens";
    for (const auto& id : token_ids) text += " " + id;
  }
  return text;
}

SignInFailureTally::SignInFailureTally(std::size_t max_addresses, std::size_t max_tracked)
    : max_addresses_(max_addresses), max_tracked_(max_tracked) {}

SignInFailureCount SignInFailureTally::empty_rest() {
  SignInFailureCount rest;
  rest.addresses = 0;
  return rest;
}

void SignInFailureTally::count(SignInFailureCount& entry, std::string_view reason,
                               const std::string& token_id) {
  ++entry.count;
  ++entry.by_reason[std::string(reason)];
  if (!token_id.empty() && entry.token_ids.size() < max_token_ids &&
      std::find(entry.token_ids.begin(), entry.token_ids.end(), token_id) == entry.token_ids.end())
    entry.token_ids.push_back(token_id);
}

void SignInFailureTally::merge(SignInFailureCount& into, const SignInFailureCount& entry) {
  into.count += entry.count;
  into.addresses += entry.addresses;
  into.untold = into.untold || entry.untold;
  for (const auto& [reason, n] : entry.by_reason) into.by_reason[reason] += n;
  for (const auto& id : entry.token_ids)
    if (into.token_ids.size() < max_token_ids &&
        std::find(into.token_ids.begin(), into.token_ids.end(), id) == into.token_ids.end())
      into.token_ids.push_back(id);
}

void SignInFailureTally::add(const std::string& address, std::string_view reason,
                             const std::string& token_id) {
  auto it = by_address_.find(address);
  if (it == by_address_.end()) {
    if (by_address_.size() >= max_tracked_) {
      // Not told apart any more: the sum says "or more" addresses.
      rest_.untold = true;
      return count(rest_, reason, token_id);
    }
    it = by_address_.try_emplace(address).first;
    it->second.address = address;
  }
  count(it->second, reason, token_id);
}

std::vector<SignInFailureCount> SignInFailureTally::close_window() {
  std::vector<SignInFailureCount> entries;
  entries.reserve(by_address_.size() + 1);
  for (auto& [address, entry] : by_address_) entries.push_back(std::move(entry));
  by_address_.clear();
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.count != b.count ? a.count > b.count : a.address < b.address;
  });
  auto rest = std::exchange(rest_, empty_rest());
  while (entries.size() > max_addresses_) {
    merge(rest, entries.back());
    entries.pop_back();
  }
  if (rest.count > 0) entries.push_back(std::move(rest));
  return entries;
}

}  // namespace puente::core
