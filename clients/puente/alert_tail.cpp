#include "alert_tail.hpp"

#include "api_client.hpp"
#include "connection_error.hpp"
#include "format.hpp"
#include "puente/v1/json.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <random>
#include <thread>

namespace puente::cli {

using namespace std::chrono_literals;

namespace {

// Short enough that Ctrl-C feels immediate; the read stays in flight between slices.
constexpr auto read_slice = 250ms;
// The server answers each ping with a pong; two missed pongs and change mean the link is dead
// even if TCP has not noticed.
constexpr auto ping_every = 20s;
constexpr auto silence_limit = 45s;
constexpr auto backoff_first = 500ms;
constexpr auto backoff_max = 30s;
// Once --count or --for is reached, how long to wait for answers to acks still in flight.
constexpr auto ack_grace = 5s;
constexpr std::size_t seen_limit = 10'000;

// "1700000000000-3" -> (1700000000000, 3); "1700000000000" -> (1700000000000, 0).
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_offset(std::string_view text) {
  std::uint64_t ms = 0, seq = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, ms);
  if (ec != std::errc()) return std::nullopt;
  if (p != end) {
    if (*p != '-') return std::nullopt;
    auto [q, ec2] = std::from_chars(p + 1, end, seq);
    if (ec2 != std::errc() || q != end) return std::nullopt;
  }
  return std::pair{ms, seq};
}

std::string seconds(std::chrono::milliseconds delay) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(delay.count()) / 1000);
  return text;
}

}  // namespace

AlertTail::AlertTail(const GlobalOptions& global, TailOptions options, std::ostream& out,
                     std::ostream& log)
    : global_(global), token_(global.token()), options_(std::move(options)), out_(out), log_(log) {
  require_network(global);  // --network: before the socket says hello
  for (const auto& neighborhood : options_.neighborhoods) resume_[neighborhood] = options_.since;
}

void AlertTail::run(const std::atomic<bool>& stop) {
  if (options_.duration.count() > 0) stop_at_ = Clock::now() + options_.duration;
  auto server = global_.server_address();
  std::mt19937 random(std::random_device{}());
  auto delay = std::chrono::milliseconds(backoff_first);

  while (!stop && !over()) {
    client::WsClient ws;
    try {
      ws.connect(server, "/v1/ws", global_.timeout());
      greet(ws, stop);
      delay = backoff_first;
      follow(ws, stop);
      ws.close();
      return;
    } catch (const client::ConnectionError& e) {
      // A server that cannot be reached at all is an error; one that was there comes back.
      if (!welcomed_) throw;
      // Sent acks whose answer was lost with the link: the server has them or not; asking
      // again could log them twice.
      pending_acks_.clear();
      std::uniform_int_distribution<long> jitter(0, delay.count() / 4);
      auto wait_for = delay + std::chrono::milliseconds(jitter(random));
      log_ << "connection lost: " << e.what() << "; reconnecting in " << seconds(wait_for)
           << std::endl;
      wait(wait_for, stop);
      delay = std::min<std::chrono::milliseconds>(delay * 2, backoff_max);
    }
  }
}

void AlertTail::greet(client::WsClient& ws, const std::atomic<bool>& stop) {
  v1::ClientMessage hello;
  auto* body = hello.mutable_hello();
  body->set_token(token_);
  for (const auto& [neighborhood, offset] : resume_) {
    auto* subscription = body->add_subscriptions();
    subscription->set_neighborhood(neighborhood);
    subscription->set_since_offset(offset);
    subscription->set_epoch(epoch_);
  }
  body->set_board(options_.board);
  ws.send(hello);

  auto deadline = Clock::now() + global_.timeout();
  while (!stop) {
    if (Clock::now() >= deadline)
      throw client::ConnectionError("no welcome from " + ws.address() + " within " +
                                    seconds(global_.timeout()));
    auto frame = ws.read(read_slice);
    if (!frame) continue;
    auto message = client::decode_server_message(*frame, ws.last_was_binary());
    if (message.has_error()) throw ApiError(0, message.error().code(), message.error().message());
    if (!message.has_welcome()) {
      handle(message, *frame, ws.last_was_binary(), ws);
      continue;
    }

    const auto& welcome = message.welcome();
    bool resumed = welcomed_ || !options_.since.empty();
    epoch_ = welcome.epoch();
    std::vector<std::string> watching;
    for (const auto& subscription : welcome.subscriptions()) {
      watching.push_back(subscription.neighborhood());
      // Asked for none, the roster's neighborhoods are granted: from now on ask for them by name,
      // so a reconnect can resume each one.
      if (options_.neighborhoods.empty()) resume_.try_emplace(subscription.neighborhood());
      auto it = resume_.find(subscription.neighborhood());
      if (it != resume_.end() && it->second.empty()) it->second = subscription.since_offset();
    }
    // A server that lists what it granted may have granted less than was asked.
    for (const auto& [neighborhood, offset] : resume_)
      if (!watching.empty() &&
          std::find(watching.begin(), watching.end(), neighborhood) == watching.end())
        log_ << "warning: not subscribed to " << neighborhood << std::endl;
    if (watching.empty()) watching = options_.neighborhoods;
    // Where no alert came yet, resume from now (a stream id is a millisecond time; a second
    // early for clocks that disagree a little): a drop before the first alert loses nothing.
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    for (auto& [neighborhood, offset] : resume_)
      if (offset.empty()) offset = std::to_string(now_ms - 1000) + "-0";

    std::string who = welcome.responder().name().empty()
                          ? welcome.responder().id()
                          : welcome.responder().name() + " (" + welcome.responder().id() + ")";
    // "following boyle-heights, el-sereno and the board on 127.0.0.1:8080 (node a) as Maria G."
    log_ << (welcomed_ ? "reconnected: following " : "following ");
    for (std::size_t i = 0; i < watching.size(); ++i) log_ << (i == 0 ? "" : ", ") << watching[i];
    if (options_.board) log_ << (watching.empty() ? "" : " and ") << "the board";
    if (watching.empty() && !options_.board) log_ << "no neighborhood";
    log_ << " on " << ws.address();
    if (!welcome.node_id().empty()) log_ << " (node " << welcome.node_id() << ")";
    if (!who.empty()) log_ << " as " << who;
    log_ << std::endl;
    welcomed_ = true;
    if (resumed && !welcome.recovered()) print_open_incidents();
    send_acks(ws);
    return;
  }
}

void AlertTail::follow(client::WsClient& ws, const std::atomic<bool>& stop) {
  auto last_heard = Clock::now();
  auto last_ping = last_heard;
  while (!stop && !over()) {
    auto frame = ws.read(read_slice);
    auto now = Clock::now();
    if (frame) {
      last_heard = now;
      try {
        handle(client::decode_server_message(*frame, ws.last_was_binary()), *frame,
               ws.last_was_binary(), ws);
      } catch (const client::ConnectionError&) {
        throw;
      } catch (const std::runtime_error& e) {
        // One bad frame is the server's bug; the next one may be fine.
        log_ << "warning: " << e.what() << std::endl;
      }
    }
    if (now - last_ping >= ping_every) {
      v1::ClientMessage ping;
      ping.mutable_ping();
      ws.send(ping);
      last_ping = now;
    }
    if (now - last_heard >= silence_limit)
      throw client::ConnectionError("no word from " + ws.address() + " for " +
                                    seconds(silence_limit));
  }
}

void AlertTail::handle(const v1::ServerMessage& message, const std::string& frame, bool binary,
                       client::WsClient& ws) {
  switch (message.body_case()) {
    case v1::ServerMessage::kAlert:
      on_alert(message, frame, binary);
      send_acks(ws);
      break;
    case v1::ServerMessage::kIncident:
      if (global_.json)
        print_json(message, frame, binary);
      else
        out_ << event_line(message.incident()) << std::endl;
      ++printed_;
      break;
    case v1::ServerMessage::kAckAccepted:
      pending_acks_.erase(message.request_id());
      if (global_.json)
        print_json(message, frame, binary);
      else
        out_ << "acked alert " << message.ack_accepted().alert_id() << ": "
             << name_of(message.ack_accepted().state()) << std::endl;
      break;
    case v1::ServerMessage::kError:
      pending_acks_.erase(message.request_id());
      log_ << "error: " << message.error().message() << " (" << message.error().code() << ")";
      if (!message.request_id().empty()) log_ << " in answer to " << message.request_id();
      log_ << std::endl;
      break;
    case v1::ServerMessage::kReportAccepted:
      if (global_.json) print_json(message, frame, binary);
      break;
    case v1::ServerMessage::kWelcome:
    case v1::ServerMessage::kPong:
    case v1::ServerMessage::BODY_NOT_SET:  // a message newer than this client
      break;
  }
}

void AlertTail::on_alert(const v1::ServerMessage& message, const std::string& frame, bool binary) {
  const auto& alert = message.alert();
  advance(alert.neighborhood(), alert.offset());
  if (!alert.id().empty()) {
    if (!seen_.insert(alert.id()).second) return;  // a replay of one already printed
    seen_order_.push_back(alert.id());
    if (seen_order_.size() > seen_limit) {
      seen_.erase(seen_order_.front());
      seen_order_.pop_front();
    }
  }
  if (global_.json)
    print_json(message, frame, binary);
  else
    out_ << alert_line(alert) << std::endl;
  ++printed_;
  if (options_.ack) unsent_acks_.push_back(alert);
}

void AlertTail::send_acks(client::WsClient& ws) {
  while (!unsent_acks_.empty()) {
    const auto& alert = unsent_acks_.front();
    v1::ClientMessage message;
    auto* ack = message.mutable_ack();
    ack->set_alert_id(alert.id());
    ack->set_incident_id(alert.incident_id());
    ack->set_state(*options_.ack);
    message.set_request_id("ack-" + alert.id());
    ws.send(message);  // on failure the ack stays queued for the next connection
    pending_acks_.insert(message.request_id());
    unsent_acks_.pop_front();
  }
}

void AlertTail::advance(const std::string& neighborhood, const std::string& offset) {
  auto it = resume_.find(neighborhood);
  if (it == resume_.end() || offset.empty()) return;
  auto next = parse_offset(offset);
  auto current = parse_offset(it->second);
  // Replays come in order, but never step back if one does not.
  if (next && current && *next <= *current) return;
  it->second = offset;
}

bool AlertTail::over() {
  bool reached =
      (options_.count > 0 && printed_ >= options_.count) || (stop_at_ && Clock::now() >= *stop_at_);
  if (!reached) return false;
  if (pending_acks_.empty() && unsent_acks_.empty()) return true;
  if (!ack_grace_until_) ack_grace_until_ = Clock::now() + ack_grace;
  return Clock::now() >= *ack_grace_until_;
}

void AlertTail::print_open_incidents() {
  log_ << "warning: the alert history no longer reaches back to where this tail left off "
          "(trimmed, or Redis lost it); the open incidents now:"
       << std::endl;
  v1::IncidentList list;
  try {
    ApiClient api(global_);
    ApiClient::parse(api.get("/v1/incidents"), list);
  } catch (const std::exception& e) {
    log_ << "warning: cannot list the open incidents: " << e.what() << std::endl;
    return;
  }
  for (const auto& incident : list.incidents()) {
    if (!options_.board && !resume_.contains(incident.neighborhood())) continue;
    if (global_.json)
      out_ << wire::to_json(incident) << std::endl;
    else
      out_ << incident_line(incident) << std::endl;
  }
}

void AlertTail::print_json(const v1::ServerMessage& message, const std::string& frame,
                           bool binary) {
  out_ << (binary ? wire::to_json(message) : frame) << std::endl;
}

void AlertTail::wait(std::chrono::milliseconds delay, const std::atomic<bool>& stop) const {
  auto until = Clock::now() + delay;
  while (!stop && Clock::now() < until) std::this_thread::sleep_for(100ms);
}

}  // namespace puente::cli
