#include "core/delivery_ladder.hpp"

#include "core/toml_checks.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace puente::core {

namespace {

using namespace toml_checks;  // check_keys, fail, integer, table_at

constexpr std::array<std::pair<Channel, std::string_view>, 2> kChannelNames{{
    {Channel::push, "push"},
    {Channel::sms, "sms"},
}};
constexpr std::array<std::string_view, 2> kRungKeys{"after_seconds",
                                                    "without_socket_after_seconds"};
// The alert types a ladder may be given for: every one a responder receives.
constexpr std::array<v1::AlertType, 10> kAlertTypes{
    v1::VERIFY,   v1::DISPATCH, v1::UPDATE,          v1::DEBUNK,    v1::STAND_DOWN,
    v1::ESCALATE, v1::CHECK_IN, v1::CHECK_IN_MISSED, v1::HELP_CALL, v1::STAND_BY};
// An hour without an answer is no longer delivery: the dispatcher's escalation has taken over.
constexpr std::int64_t kMaxRungSeconds = 60 * 60;

std::chrono::seconds delay_for(const Rung& rung, const RecipientProgress& progress) {
  return progress.socket_took_it ? rung.after : rung.without_socket_after;
}

Rung parse_rung(Channel channel, const toml::node& node, const std::string& path) {
  const toml::table& table = table_at(node, path);
  check_keys(table, path, kRungKeys);
  const toml::node* after = table.get("after_seconds");
  if (!after) fail(path + ".after_seconds is missing");
  Rung rung{channel,
            std::chrono::seconds{integer(*after, path + ".after_seconds", 0, kMaxRungSeconds)},
            std::chrono::seconds{0}};
  if (const toml::node* without = table.get("without_socket_after_seconds"))
    rung.without_socket_after = std::chrono::seconds{
        integer(*without, path + ".without_socket_after_seconds", 0, kMaxRungSeconds)};
  // A recipient no socket reached is never worse placed than one a socket did.
  if (rung.without_socket_after > rung.after)
    fail(path + ".without_socket_after_seconds must be <= after_seconds");
  return rung;
}

std::vector<Rung> parse_ladder(const toml::table& table, const std::string& path) {
  std::vector<Rung> ladder;
  for (const auto& [channel, name] : kChannelNames)
    if (const toml::node* node = table.get(name))
      ladder.push_back(parse_rung(channel, *node, path + "." + std::string(name)));
  for (const auto& [key, value] : table)
    if (!parse_channel(key.str()))
      fail(path + "." + std::string(key.str()) + " is not an option (a channel: push, sms)");
  return ladder;
}

}  // namespace

std::string_view to_string(Channel channel) {
  for (const auto& [c, name] : kChannelNames)
    if (c == channel) return name;
  return "unknown";
}

std::optional<Channel> parse_channel(std::string_view name) {
  for (const auto& [channel, channel_name] : kChannelNames)
    if (channel_name == name) return channel;
  return std::nullopt;
}

DeliveryLadders::DeliveryLadders() {
  using std::chrono::seconds;
  for (auto type : kAlertTypes) {
    const bool urgent = type == v1::VERIFY || type == v1::DISPATCH || type == v1::ESCALATE;
    ladders_[type] = {Rung{Channel::push, seconds(urgent ? 15 : 60), seconds(0)}};
  }
  // A text costs money and a phone's owner their attention: it goes once socket and push have
  // had their minute. Except that those sent out (DISPATCH, ESCALATE) whom no socket reached
  // get one at once: a push may sit on a phone with no data until it is too late.
  ladders_[v1::VERIFY].push_back(Rung{Channel::sms, seconds(60), seconds(60)});
  ladders_[v1::DISPATCH].push_back(Rung{Channel::sms, seconds(60), seconds(0)});
  ladders_[v1::ESCALATE].push_back(Rung{Channel::sms, seconds(60), seconds(0)});
  for (auto type : {v1::UPDATE, v1::DEBUNK, v1::STAND_DOWN, v1::STAND_BY})
    ladders_[type].push_back(Rung{Channel::sms, seconds(120), seconds(60)});
  // The people on scene (docs/on-scene.md): someone may be in danger. A check-in is pushed at
  // pushed and texted soon when no socket took it (its grace period is minutes); a missed check-in
  // or a help call is pushed and texted at once to whoever no socket reached.
  ladders_[v1::CHECK_IN] = {Rung{Channel::push, seconds(30), seconds(0)},
                            Rung{Channel::sms, seconds(90), seconds(30)}};
  for (auto type : {v1::CHECK_IN_MISSED, v1::HELP_CALL})
    ladders_[type] = {Rung{Channel::push, seconds(0), seconds(0)},
                      Rung{Channel::sms, seconds(0), seconds(0)}};
}

DeliveryLadders DeliveryLadders::from_toml(std::string_view config_text) {
  const toml::table document = toml_checks::parse_document(config_text);
  DeliveryLadders ladders;
  const toml::node* delivery = document.get("delivery");
  if (!delivery) return ladders;
  for (const auto& [key, value] : table_at(*delivery, "delivery")) {
    const std::string path = "delivery." + std::string(key.str());
    if (key.str() == "socket_grace_ms") {
      const auto* ms = value.as_integer();
      if (!ms || ms->get() < 0 || ms->get() > 10000)
        fail(path + " must be a whole number of milliseconds from 0 to 10000");
      ladders.socket_grace_ = std::chrono::milliseconds(ms->get());
      continue;
    }
    v1::AlertType type{};
    if (!v1::AlertType_Parse(std::string(key.str()), &type) ||
        std::find(kAlertTypes.begin(), kAlertTypes.end(), type) == kAlertTypes.end())
      fail(path + " is not an alert type (VERIFY, DISPATCH, ESCALATE, UPDATE, DEBUNK, STAND_DOWN)");
    ladders.ladders_[type] = parse_ladder(table_at(value, path), path);
  }
  return ladders;
}

const std::vector<Rung>& DeliveryLadders::ladder(v1::AlertType type) const {
  static const std::vector<Rung> socket_only;
  auto it = ladders_.find(type);
  return it == ladders_.end() ? socket_only : it->second;
}

RungDecision DeliveryLadders::next(v1::AlertType type, const RecipientProgress& progress,
                                   std::chrono::seconds elapsed) const {
  RungDecision decision;
  if (progress.answered) return decision;
  for (const auto& rung : ladder(type)) {
    if (progress.tried.count(rung.channel) || !progress.reachable_by.count(rung.channel)) continue;
    auto due = delay_for(rung, progress);
    if (due <= elapsed)
      decision.now.push_back(rung.channel);
    else if (!decision.look_again_at || due < *decision.look_again_at)
      decision.look_again_at = due;
  }
  return decision;
}

bool DeliveryLadders::unreachable(v1::AlertType type, const RecipientProgress& progress) const {
  if (progress.socket_took_it) return false;
  const auto& rungs = ladder(type);
  return std::none_of(rungs.begin(), rungs.end(),
                      [&](const Rung& rung) { return progress.reachable_by.count(rung.channel); });
}

}  // namespace puente::core
