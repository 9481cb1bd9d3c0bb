#include "app/live/live_feed.hpp"

#include "app/live/frames.hpp"

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
  subscriber_->on_message([this](const std::string& channel, const std::string& payload) {
    on_message(channel, payload);
  });
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

void LiveFeed::catch_up() {
  std::vector<std::pair<std::string, std::string>> from;
  {
    std::lock_guard lock(mutex_);
    for (auto& [slug, stream] : streams_) {
      stream.replay_begins();
      from.emplace_back(slug, stream.last_passed().str());
    }
  }
  spdlog::info("live feed: resubscribed; replaying {} neighborhoods from history", from.size());
  for (const auto& [slug, offset] : from) replay(slug, offset);
}

void LiveFeed::replay(const std::string& slug, const std::string& after) {
  store_.replay(slug, after, replay_max_alerts_,
                [this, slug, after](store::Outcome outcome, std::vector<v1::Alert> alerts) {
                  if (outcome == store::Outcome::ok) return replayed(slug, std::move(alerts));
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

void LiveFeed::replayed(const std::string& slug, std::vector<v1::Alert> alerts) {
  std::lock_guard lock(mutex_);
  auto& stream = streams_[slug];
  for (auto& alert : alerts) {
    auto offset = core::StreamOffset::parse(alert.offset());
    if (offset && stream.replayed(*offset)) publish(std::move(alert));
  }
  for (auto& alert : stream.replay_ends()) publish(std::move(alert));
}

}  // namespace puente::app
