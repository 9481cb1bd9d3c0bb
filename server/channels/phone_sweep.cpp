#include "channels/phone_sweep.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace puente::channels {

using Clock = std::chrono::system_clock;

PhoneSweep::PhoneSweep(boost::asio::any_io_executor executor,
                       std::shared_ptr<redis::Connection> redis, store::Keys keys,
                       const core::Roster& roster, store::PushSubscriptionStore& phones,
                       PushDispatch& dispatch, core::QuietRules rules, std::string node_id,
                       std::chrono::milliseconds interval)
    : timer_(boost::asio::make_strand(executor)),
      redis_(std::move(redis)),
      keys_(std::move(keys)),
      roster_(roster),
      phones_(phones),
      dispatch_(dispatch),
      rules_(rules),
      node_id_(std::move(node_id)),
      interval_(interval) {}

void PhoneSweep::start() { schedule(); }

void PhoneSweep::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void PhoneSweep::schedule() {
  if (stopped_) return;
  timer_.expires_after(interval_);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->sweep();
  });
}

void PhoneSweep::sweep() {
  // One node a period: the lease runs out by itself, so a node that dies mid-sweep is no matter.
  redis_->execute(
      {"SET", keys_.phone_sweep_lease(), node_id_, "NX", "PX", std::to_string(interval_.count())},
      [self = shared_from_this()](boost::system::error_code ec, redis::Reply reply) {
        if (!ec && reply.type == redis::Reply::Type::status)
          for (const auto& who : self->roster_.responders()) self->sweep_responder(who.id);
        boost::asio::post(self->timer_.get_executor(), [self] { self->schedule(); });
      });
}

void PhoneSweep::sweep_responder(const std::string& responder_id) {
  phones_.list(responder_id, [self = shared_from_this(), responder_id](
                                 store::Outcome outcome, std::vector<v1::PushSubscription> list) {
    if (outcome != store::Outcome::ok) return;
    const auto now = Clock::now();
    for (const auto& phone : list) {
      const auto quiet = core::quiet_phone(phone, now, self->rules_);
      const auto heard = core::last_heard(phone);
      // Queued once per quiet spell (the store marks it in the same step), however many sweeps
      // see the phone before the notice went.
      if (quiet == core::QuietPhone::nudge)
        self->dispatch_.send_notice("nudge", responder_id, phone.id(), heard, nullptr);
      if (quiet == core::QuietPhone::drop)
        self->dispatch_.send_notice(
            "dropped", responder_id, phone.id(), heard,
            [responder_id,
             days = std::chrono::duration_cast<std::chrono::hours>(now - heard).count() /
                    24](bool queued) {
              if (queued)
                spdlog::info("push: dropping a phone of {} not heard from for {} days",
                             responder_id, days);
            });
    }
  });
}

}  // namespace puente::channels
