// HubFrame's lazily encoded forms and its recipients (hub_frame.hpp says why).
#include "net/hub_frame.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace puente::net {

namespace {

// An id's hash for the recipients' index: 8 bytes at a time, each word multiplied in, and the
// high bits folded into the low ones the index reads (murmur's finalizer). Responder ids are
// short (~10 bytes): std::hash's general-purpose loop cost ~90 instructions an id, ~9,000 an
// alert's index of 100 (issue 22); this one ~20. Not a defence against chosen
// ids: a roster's ids are the network's own.
std::size_t hash_of(std::string_view id) {
  constexpr std::uint64_t multiplier = 0xff51afd7ed558ccdULL;
  std::uint64_t hash = 0x9e3779b97f4a7c15ULL ^ id.size();
  const char* bytes = id.data();
  std::size_t left = id.size();
  for (; left >= 8; bytes += 8, left -= 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes, 8);
    hash = (hash ^ word) * multiplier;
    hash ^= hash >> 32;
  }
  if (left > 0) {
    // The last 8 bytes (overlapping the word before) when there are 8: a copy of fixed size is
    // one load, one of `left` bytes a call to memcpy.
    std::uint64_t word = 0;
    if (id.size() >= 8)
      std::memcpy(&word, id.data() + id.size() - 8, 8);
    else
      for (std::size_t i = 0; i < left; ++i)
        word |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
    hash = (hash ^ word) * multiplier;
  }
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33;
  return static_cast<std::size_t>(hash);
}

// Is `id` a view into `bytes` (what the frame keeps)? An empty id may point anywhere.
[[maybe_unused]] bool within(std::string_view id, const std::string* bytes) {
  if (id.empty()) return true;
  if (!bytes) return false;
  const auto begin = reinterpret_cast<std::uintptr_t>(bytes->data());
  const auto at = reinterpret_cast<std::uintptr_t>(id.data());
  return at >= begin && at + id.size() <= begin + bytes->size();
}

}  // namespace

RecipientKey::RecipientKey(std::string_view id) : id(id), hash(hash_of(id)) {}

HubFrame::HubFrame(std::size_t texts)
    : texts_(std::max<std::size_t>(texts, 1)), forms_(std::make_unique<Form[]>(texts_ * 2)) {}

HubFrame::~HubFrame() = default;

void HubFrame::set_recipients(std::vector<std::string> ids) {
  recipient_bytes_.reset();
  recipient_ids_ = std::move(ids);  // a vector's move keeps its strings where they are
  index_recipients(std::vector<std::string_view>(recipient_ids_.begin(), recipient_ids_.end()));
}

void HubFrame::set_recipients(std::unique_ptr<const std::string> bytes,
                              std::vector<std::string_view> ids) {
  recipient_ids_.clear();
  recipient_bytes_ = std::move(bytes);
  assert(std::all_of(ids.begin(), ids.end(),
                     [&](std::string_view id) { return within(id, recipient_bytes_.get()); }) &&
         "HubFrame: a recipient's id is not in the bytes the frame keeps");
  index_recipients(std::move(ids));
}

void HubFrame::index_recipients(std::vector<std::string_view> ids) {
  // They usually come sorted (core::fresh_recipients sorts them by id): a sort of 100 sorted ids
  // cost ~31,000 instructions, the check ~3,000.
  if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
  recipients = std::move(ids);
  index_.clear();
  written_.reset();
  if (recipients.empty()) return;
  written_ = std::make_unique<std::atomic<TimePoint::rep>[]>(recipients.size());  // zeros: none
  // At most half full: a probe for an id that is not there ends at an empty place soon.
  std::size_t size = 2;
  while (size < 2 * recipients.size()) size *= 2;
  index_.resize(size);
  const std::size_t mask = size - 1;
  for (std::size_t place = 0; place < recipients.size(); ++place) {
    const auto hash = hash_of(recipients[place]);
    auto i = hash & mask;
    while (index_[i].place_and_one != 0) i = (i + 1) & mask;
    index_[i] = {hash, static_cast<std::uint32_t>(place + 1)};
  }
}

std::optional<std::size_t> HubFrame::place_of(const RecipientKey& who) const {
  if (index_.empty()) return std::nullopt;
  const std::size_t mask = index_.size() - 1;
  for (auto i = who.hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = index_[i];
    if (slot.place_and_one == 0) return std::nullopt;
    const std::size_t place = slot.place_and_one - 1;
    if (slot.hash == who.hash && recipients[place] == who.id) return place;
  }
}

bool HubFrame::written_to(std::size_t place, TimePoint at) const {
  assert(place < recipients.size() && "HubFrame: written to a place it does not have");
  auto& slot = written_[place];
  const auto ticks = at.time_since_epoch().count();
  auto seen = slot.load();
  while ((seen == 0 || ticks < seen) && !slot.compare_exchange_weak(seen, ticks)) {
  }
  // A load first: once handed over, every later write of the frame is one read of a shared
  // line, not an exchange on it.
  return !handed_over_.load() && !handed_over_.exchange(true);
}

void HubFrame::read_in(std::string language, std::size_t text) {
  assert(text < texts_ && "HubFrame: a language reads a text the frame does not carry");
  languages_.emplace_back(std::move(language), text);
}

std::size_t HubFrame::text_for(std::string_view language) const {
  for (const auto& [tag, text] : languages_)
    if (tag == language) return text;
  return 0;
}

const std::shared_ptr<const std::string>& HubFrame::bytes(std::size_t text, bool binary) const {
  assert(text < texts_ && "HubFrame: no such text");
  Form& form = forms_[text * 2 + (binary ? 1 : 0)];
  // Double-checked: the acquire pairs with the release below, so a reader that sees `ready`
  // sees the bytes; only a form's first readers ever take the lock.
  if (!form.ready.load(std::memory_order_acquire)) {
    std::lock_guard lock(encoding_);
    if (!form.ready.load(std::memory_order_relaxed)) {
      form.bytes = std::make_shared<const std::string>(encode(text, binary));
      form.ready.store(true, std::memory_order_release);
    }
  }
  return form.bytes;
}

}  // namespace puente::net
