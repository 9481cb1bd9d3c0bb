#pragma once
// Where a responder is in an alert's recipients sorted (net::HubFrame::recipients), for the
// node's delivery log, which names every delivery by that place (delivery_batch.hpp). A search
// of an alert's 100 recipients is seven string compares a delivery; but alerts to one
// neighborhood name the same people, so each responder's place in the last alert is checked
// first, one compare (issue 22).

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace puente::store {

class RecipientPlaces {
 public:
  // `responder_id`'s place in `sorted_recipients`, if there. Its address is remembered as well
  // as compared: pass the same string for the same responder (a roster entry's id). Not
  // thread-safe.
  std::optional<std::uint32_t> find(const std::vector<std::string>& sorted_recipients,
                                    const std::string& responder_id);

 private:
  // By the address of the id given: a string freed and another at its place is only a guess
  // that fails its compare.
  std::unordered_map<const std::string*, std::uint32_t> last_;
};

}  // namespace puente::store
