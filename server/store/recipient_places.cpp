// A responder's place in an alert's recipients: recipient_places.hpp says why the last one is
// tried first.
#include "store/recipient_places.hpp"

#include <algorithm>

namespace puente::store {

std::optional<std::uint32_t> RecipientPlaces::find(
    const std::vector<std::string>& sorted_recipients, const std::string& responder_id) {
  // A roster reloaded many times leaves entries no one passes again: start over then.
  if (last_.size() > 100'000) last_.clear();
  auto [last, fresh] = last_.try_emplace(&responder_id, 0);
  if (!fresh && last->second < sorted_recipients.size() &&
      sorted_recipients[last->second] == responder_id)
    return last->second;
  auto it = std::lower_bound(sorted_recipients.begin(), sorted_recipients.end(), responder_id);
  if (it == sorted_recipients.end() || *it != responder_id) return std::nullopt;
  last->second = static_cast<std::uint32_t>(it - sorted_recipients.begin());
  return last->second;
}

}  // namespace puente::store
