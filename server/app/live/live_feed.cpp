#include "app/live/live_feed.hpp"

#include "app/live/frames.hpp"
#include "core/clock.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

namespace puente::app {

LiveFeed::LiveFeed(boost::asio::any_io_executor executor,
                   std::shared_ptr<redis::Subscriber> subscriber, store::IncidentStore& store,
                   net::Hub& hub, core::Metrics& metrics, std::size_t replay_max_alerts)
    : executor_(std::move(executor)),
      subscriber_(std::move(subscriber)),
      store_(store),
      hub_(hub),
      metrics_(metrics),
      replay_max_alerts_(replay_max_alerts) {}

void LiveFeed::start(const std::vector<std::string>& slugs) {
  started_ =
      core::StreamOffset::before_time(static_cast<std::uint64_t>(core::to_ms(core::Clock::now())));
  slugs_ = slugs;
  subscriber_->on_message([this](const std::string& channel, const std::string& payload) {
    on_message(channel, payload);
  });
  subscriber_->on_resubscribing([this] { hold_live(); });
  subscriber_->on_resubscribed([this] { catch_up(); });
  std::vector<std::string> channels{store_.keys().board_channel()};
  for (const auto& slug : slugs) channels.push_back(store_.keys().live_channel(slug));
  subscriber_->subscribe(std::move(channels));
}

void LiveFeed::on_message(const std::string& channel, const std::string& payload) {
  if (channel == store_.keys().board_channel()) {
    if (!hub_.followed(board_topic)) return;  // no dispatcher here watches the board
    store::Tagged tagged;
    v1::IncidentEvent event;
    if (!store::split_tagged(payload, tagged) || !event.ParseFromString(tagged.bytes)) {
      spdlog::warn("board: dropped a message that does not parse");
      return;
    }
    hub_.publish(board_frame(std::move(event)));
    return;
  }
  if (store_.keys().slug_of_live_channel(channel).empty()) return;  // another subscriber's channel
  store::LiveAlert live;
  if (!store::parse_live_alert(payload, live)) {
    spdlog::warn("live feed: dropped a message on {} that does not parse", channel);
    return;
  }
  metrics_.alerts_received.inc();
  auto offset = core::StreamOffset::parse(live.alert.offset());
  if (!offset) return;
  std::lock_guard lock(mutex_);
  auto& stream = streams_[live.alert.neighborhood()];
  if (auto now = stream.live(*offset, std::move(live))) publish(std::move(*now));
}

void LiveFeed::publish(store::LiveAlert live) {
  // Encoding is most of a frame's cost: none for an alert no local socket follows.
  if (!hub_.followed(live.alert.neighborhood())) return;
  hub_.publish(alert_frame(std::move(live)), &metrics_.deliveries);
}

void LiveFeed::publish(v1::Alert alert) {
  // Encoding is most of a frame's cost: none for an alert no local socket follows.
  if (!hub_.followed(alert.neighborhood())) return;
  hub_.publish(alert_frame(std::move(alert)), &metrics_.deliveries);
}

void LiveFeed::hold_live() {
  std::lock_guard lock(mutex_);
  if (holding_) return;  // a link that dropped before its channels were back: still held
  holding_ = true;
  for (const auto& slug : slugs_)
    if (hub_.followed(slug)) streams_.try_emplace(slug, started_);
  for (auto& [slug, stream] : streams_) {
    stream.replay_begins();
    held_for_replay_.push_back(slug);
  }
}

void LiveFeed::catch_up() {
  std::vector<std::pair<std::string, std::string>> from;
  {
    std::lock_guard lock(mutex_);
    holding_ = false;
    for (auto& slug : held_for_replay_) from.emplace_back(slug, streams_[slug].last_passed().str());
    held_for_replay_.clear();
  }
  spdlog::info("live feed: resubscribed; replaying {} neighborhoods from history", from.size());
  for (const auto& [slug, offset] : from) replay(slug, offset);
  // The board's events have no history: its followers here read it whole again.
  if (hub_.followed(board_topic)) hub_.publish(board_gap_frame());
}

void LiveFeed::replay(const std::string& slug, const std::string& after) {
  store_.replay(slug, after, replay_max_alerts_,
                [this, slug, after](store::Outcome outcome, store::ReplayPage page) {
                  if (outcome == store::Outcome::ok) return replayed(slug, std::move(page));
                  // The command link comes back on its own schedule, maybe after the subscriber:
                  // until the history can be read, live alerts stay held and the replay is tried
                  // again.
                  auto timer = std::make_shared<boost::asio::steady_timer>(
                      executor_, std::chrono::milliseconds(200));
                  timer->async_wait([this, timer, slug, after](boost::system::error_code ec) {
                    if (!ec) replay(slug, after);
                  });
                });
}

void LiveFeed::replayed(const std::string& slug, store::ReplayPage page) {
  {
    std::lock_guard lock(mutex_);
    auto& stream = streams_[slug];
    for (auto& alert : page.alerts) {
      auto offset = core::StreamOffset::parse(alert.offset());
      if (offset && stream.replayed(*offset)) publish(std::move(alert));
    }
    if (page.next_after.empty()) {
      for (auto& alert : stream.replay_ends()) publish(std::move(alert));
      return;
    }
  }
  // Page by page, live alerts still held, until the history is read to its end.
  replay(slug, page.next_after);
}

}  // namespace puente::app
