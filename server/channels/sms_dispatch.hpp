#pragma once
// Sends the texts queued in Redis (store/sms_queue.hpp), on whichever node claims each first:
// every `poll` this node claims the responders whose text is due, under the network's send rate
// ([sms] sends_per_second), and for each:
//
//   reads what waits for them, whether they replied STOP, and the hour's count (the budget);
//   settles at once: STOP -> "stopped"; past [sms] max_per_hour, UPDATE, DEBUNK and STAND_DOWN ->
//   "over_budget" (VERIFY, DISPATCH and ESCALATE still go); waited past give_up_after while the
//   gateway was down -> "gateway_down"; an alert or incident gone -> nothing;
//   writes one text of the rest, oldest first (core/sms_text.hpp: the [sms] templates in their
//   language, the incident's code, the reply line; several alerts under letters A, B, ... fitting
//   two segments, those that do not fit going in the next text) and hands it to smsbox:
//
//   accepted, queued  "texted" for each alert it carried, sms-text and sms-codes written, the
//                     hour's count up (finish_sms_job.lua); the gateway is up
//   gateway_down      the same alerts wait and go again after 1, 2, 4 ... s (at most 60 s); the
//                     gateway is down (sms-gateway, /readyz)
//   refused           "refused" for each: smsbox will not take it as it is (credentials, a bad
//                     number); not tried again
//
// A retry is the same waiting alerts claimed again, so a node dying between attempts loses none.

#include "channels/sms/gateway_credentials.hpp"
#include "channels/sms/sendsms_client.hpp"
#include "core/alert_templates.hpp"
#include "core/geo_index.hpp"
#include "core/metrics.hpp"
#include "core/time_zone.hpp"
#include "store/incident_store.hpp"
#include "store/sms_queue.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace puente::channels {

struct SmsDispatchOptions {
  double sends_per_second = 5;                   // [sms] sends_per_second, the network's
  int max_per_hour = 500;                        // [sms] max_per_hour, the network's
  std::chrono::seconds give_up_after{3600};      // [sms] give_up_after_seconds
  std::chrono::seconds reply_window{24 * 3600};  // [sms] reply_window_hours
  std::string callback_url;                      // [sms] callback_url: Kannel reaches puented
  // A claimed text is this node's this long: longer than a send can take (connect and response
  // deadlines), so only a dead node's texts are claimed again.
  std::chrono::milliseconds lease{std::chrono::seconds(20)};
  std::chrono::milliseconds poll{std::chrono::milliseconds(100)};
  std::size_t most_in_flight = 32;  // texts under way on this node at once
};

// What the dispatch reads beyond the queue: the texts, who reads which language, who has which
// number (the roster's, in this node's memory only).
struct SmsTexts {
  const core::Templates& templates;
  const core::GeoIndex& geo;
  const core::TimeZone& zone;
  std::function<std::string(const std::string& responder_id)> language_of;
  std::function<std::string(const std::string& responder_id)> phone_of;  // "" if none
};

class SmsDispatch : public std::enable_shared_from_this<SmsDispatch> {
 public:
  SmsDispatch(boost::asio::any_io_executor executor, store::SmsQueue& queue,
              store::IncidentStore& incidents, std::shared_ptr<sms::SendsmsClient> client,
              sms::GatewayCredentials credentials, SmsTexts texts, core::Metrics& metrics,
              SmsDispatchOptions options);

  void start();
  void stop();  // thread-safe

  // Whether the last text this node handed to smsbox found it down (/readyz). Thread-safe.
  bool gateway_down() const { return gateway_down_; }

 private:
  struct Text;  // one claimed responder's text being written and sent
  void schedule_poll();
  void poll();
  void send(const std::string& responder_id);
  void load_next(std::shared_ptr<Text> text);
  void write_and_send(std::shared_ptr<Text> text);
  void sent(std::shared_ptr<Text> text, const sms::SendsmsResult& result);
  void finish(std::shared_ptr<Text> text);
  void count_problem(const std::string& word);

  boost::asio::steady_timer timer_;
  store::SmsQueue& queue_;
  store::IncidentStore& incidents_;
  std::shared_ptr<sms::SendsmsClient> client_;
  sms::GatewayCredentials credentials_;
  SmsTexts texts_;
  core::Metrics& metrics_;
  SmsDispatchOptions options_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> gateway_down_{false};
  std::atomic<bool> stopped_{false};
};

// The wait before a text is tried again after `attempt` tries found the gateway down: 1, 2, 4 ...
// seconds, at most 60 (a restarted Kannel is used within a minute).
std::chrono::seconds sms_retry_delay(int attempt);

}  // namespace puente::channels
