#include "app/live/responder_socket.hpp"

#include "app/access/failed_sign_ins.hpp"
#include "app/live/frames.hpp"
#include "app/wire_views.hpp"
#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/network_choice.hpp"
#include "puente/v1/json.hpp"

#include <spdlog/spdlog.h>

namespace puente::app {

namespace websocket = boost::beast::websocket;

namespace {

// Where a subscription's replay starts (after it), if it asks for one: its offset, or the last
// offset before its time. Checked by check_hello.
std::optional<core::StreamOffset> replay_after(const v1::Subscription& s) {
  if (!s.since_offset().empty()) return core::StreamOffset::parse(s.since_offset());
  if (s.since_time_ms() != 0) return core::StreamOffset::before_time(s.since_time_ms());
  return std::nullopt;
}

// A frame sent without a receipt: its delivery is not recorded.
const std::shared_ptr<const net::HubFrame> no_receipt;

}  // namespace

ResponderSocket::ResponderSocket(std::shared_ptr<net::WebSocketSession> session,
                                 const std::vector<SocketServices*>& networks,
                                 const std::vector<const core::TokenRegistry*>& registries)
    : session_(session),
      networks_(networks),
      registries_(registries),
      services_(networks.front()) {}

void ResponderSocket::on_message(std::string_view payload, bool binary) {
  const bool authenticated = responder_ != nullptr;
  // Before the welcome a bad frame closes the socket: a client that has not signed in gets one
  // answer, not one per frame it pipelines (each a frame queued to a client that may never read
  // it; 20 such sockets took 446 MB, issue 15 item 2).
  v1::ClientMessage message;
  if (binary) {
    if (!message.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
      return refuse({RefusalKind::bad_message, "binary frame is not a ClientMessage"}, {},
                    !authenticated);
  } else if (auto why = wire::from_json(payload, message); !why.empty()) {
    return refuse({RefusalKind::bad_message, why}, {}, !authenticated);
  }
  const auto& request_id = message.request_id();

  if (message.has_hello()) {
    if (authenticated)
      return refuse({RefusalKind::repeated_hello, "this socket already said hello"}, request_id,
                    false);
    return on_hello(message.hello(), binary, request_id);
  }
  // While a valid hello is being answered, an early message is refused but the socket lives.
  if (!authenticated)
    return refuse(
        {RefusalKind::hello_first, "the first message must be a hello; wait for the welcome"},
        request_id, !hello_pending_);

  switch (message.body_case()) {
    case v1::ClientMessage::kAck: return on_ack(std::move(*message.mutable_ack()), request_id);
    case v1::ClientMessage::kReport:
      return on_report(std::move(*message.mutable_report()), request_id);
    case v1::ClientMessage::kPing: {
      v1::ServerMessage pong;
      pong.mutable_pong();
      pong.set_request_id(request_id);
      return send(pong);
    }
    default:
      return refuse({RefusalKind::bad_message, "expected hello, ack, report or ping"}, request_id,
                    false);
  }
}

MaybeRefusal ResponderSocket::check_hello(const v1::Hello& hello, const core::Responder& who,
                                          std::vector<v1::Subscription>& granted) const {
  if (!core::may(who, core::Action::use_api))
    return Refusal::forbidden("a metrics token may read /metrics and nothing else");
  if (hello.board() && !core::may(who, core::Action::watch_board))
    return Refusal::forbidden("only dispatchers may watch the board");
  granted.assign(hello.subscriptions().begin(), hello.subscriptions().end());
  if (granted.empty() && !hello.board())
    for (const auto& slug : who.neighborhoods) granted.emplace_back().set_neighborhood(slug);
  for (const auto& s : granted) {
    if (!services_->geo.find(s.neighborhood()))
      return Refusal{RefusalKind::unknown_neighborhood,
                     "no neighborhood \"" + s.neighborhood() + "\""};
    if (!core::may_subscribe(who, s.neighborhood()))
      return Refusal::forbidden("you are not on call for " + s.neighborhood());
    if (!s.since_offset().empty() && !core::StreamOffset::parse(s.since_offset()))
      return Refusal{RefusalKind::bad_offset,
                     "sinceOffset \"" + s.since_offset() + "\" is not an offset"};
    if (!s.since_offset().empty() && s.since_time_ms() != 0)
      return Refusal{RefusalKind::bad_offset,
                     "sinceOffset and sinceTimeMs both given for " + s.neighborhood()};
  }
  return std::nullopt;
}

void ResponderSocket::on_hello(const v1::Hello& hello, bool binary, const std::string& request_id) {
  // Signed in once: with several networks, by each registry until one knows the token.
  auto chosen = networks_.size() > 1
                    ? core::sign_in_to_networks(registries_, hello.token(), core::Clock::now())
                    : core::NetworkSignIn{
                          0, true, services_->tokens.sign_in(hello.token(), core::Clock::now())};
  services_ = networks_[chosen.network];
  auto& sign_in = chosen.sign_in;
  if (!sign_in.who) {
    // A hello with no token is a client's mistake, as a request without one is over HTTP; any
    // other is a failed sign-in, limited and counted as HTTP's are.
    if (*sign_in.failure == core::SignInFailure::missing)
      return refuse(sign_in_refusal(*sign_in.failure), request_id, true);
    auto session = session_.lock();
    if (!session) return;  // gone meanwhile
    // A token no network knows belongs to none: audited in none.
    auto refused = refuse_sign_in(services_->limiter, services_->rate_limits,
                                  chosen.known ? &services_->audit : nullptr, sign_in, "socket",
                                  session->peer_address());
    return refuse(refused.refusal, request_id, true);
  }
  const core::Responder* who = sign_in.who;
  std::vector<v1::Subscription> granted;
  if (auto refusal = check_hello(hello, *who, granted)) return refuse(*refusal, request_id, true);
  if (hello_pending_.exchange(true))
    return refuse({RefusalKind::repeated_hello, "this socket already said hello"}, request_id,
                  false);
  if (auto session = session_.lock()) session->mark_authenticated();

  // Before anything is sent: can each replay be given whole, in this history epoch?
  std::vector<std::pair<std::string, std::string>> since;
  for (const auto& s : granted)
    if (auto after = replay_after(s)) since.emplace_back(s.neighborhood(), after->str());
  services_->store.recovery_check(
      since, [self = shared_from_this(), who, token_id = sign_in.token_id,
              granted = std::move(granted), board = hello.board(), binary,
              request_id](store::Outcome outcome, std::string epoch, bool recovered) mutable {
        if (outcome != store::Outcome::ok)
          return self->refuse(Refusal::unavailable(), request_id, true);
        for (const auto& s : granted)
          if (!s.since_offset().empty() && !s.epoch().empty() && s.epoch() != epoch)
            recovered = false;
        self->on_own_thread(
            [self, who, token_id = std::move(token_id), granted = std::move(granted), board, binary,
             request_id = std::move(request_id), epoch = std::move(epoch), recovered]() mutable {
              self->welcome(*who, token_id, std::move(granted), board, binary, request_id, epoch,
                            recovered);
            });
      });
}

void ResponderSocket::welcome(const core::Responder& who_ref, const std::string& token_id,
                              std::vector<v1::Subscription> granted, bool board, bool binary,
                              const std::string& request_id, const std::string& epoch,
                              bool recovered) {
  const core::Responder* who = &who_ref;
  v1::ServerMessage welcome;
  welcome.set_request_id(request_id);
  auto* w = welcome.mutable_welcome();
  w->set_node_id(services_->node_id);
  *w->mutable_responder() = to_wire(*who);
  for (const auto& s : granted) *w->add_subscriptions() = s;
  w->set_epoch(epoch);
  w->set_recovered(recovered);

  // On the socket's own thread, where the hub delivers: the welcome is queued before any alert
  // the new subscriptions bring.
  if (closed_) return;  // the client left while its hello was checked
  std::vector<std::pair<std::string, std::string>> replays;
  language_ = services_->writer.language_of(*who);
  responder_ = who;
  token_id_ = token_id;
  recipient_key_ = net::RecipientKey(who->id);
  services_->presence.arrived(who->id);
  binary_ = binary;
  // A revoked or expired token signs this socket out (see TokenService).
  services_->signed_in.add(token_id, weak_from_this());
  auto self = weak_from_this();
  for (const auto& s : granted) {
    auto after = replay_after(s);
    auto& topic =
        topics_.try_emplace(s.neighborhood(), after.value_or(core::StreamOffset{})).first->second;
    if (after) {
      topic.replay_begins();
      replays.emplace_back(s.neighborhood(), after->str());
    }
    services_->hub.subscribe(s.neighborhood(), self);
  }
  if (board) {
    topics_.try_emplace(board_topic);
    services_->hub.subscribe(board_topic, self);
  }
  send(welcome);
  spdlog::info("socket: {} follows {} neighborhoods{}{}", who->id, granted.size(),
               board ? " and the board" : "",
               recovered ? "" : " (history does not reach back: told to reload)");
  for (const auto& [slug, after] : replays) replay(slug, after);
}

void ResponderSocket::replay(const std::string& slug, const std::string& after) {
  services_->store.replay(
      slug, after, services_->replay_max_alerts,
      [self = shared_from_this(), slug](store::Outcome outcome, store::ReplayPage page) {
        if (outcome != store::Outcome::ok) {
          self->refuse(Refusal::unavailable(), {}, true);
          return;
        }
        self->on_own_thread([self, slug, page = std::move(page)]() mutable {
          self->replayed(slug, std::move(page));
        });
      });
}

void ResponderSocket::replayed(const std::string& slug, store::ReplayPage page) {
  if (!responder_) return;  // closed meanwhile
  auto& topic = topics_[slug];
  // At-least-once below us (replay and live may overlap): exactly once from here on.
  for (auto& alert : page.alerts)
    if (auto offset = core::StreamOffset::parse(alert.offset()); offset && topic.replayed(*offset))
      send_frame(alert_frame(std::move(alert)));
  // A long absence replays page by page, so one socket never holds a whole history at once.
  if (!page.next_after.empty()) return replay(slug, page.next_after);
  for (const auto& frame : topic.replay_ends()) send_frame(frame);
}

void ResponderSocket::send_frame(const std::shared_ptr<const net::HubFrame>& frame) {
  // An alert goes to the responders it names (and to dispatchers, who follow everything); only
  // the named ones' deliveries are recorded, by the place found here (the delivery log's).
  const core::Responder& who = *responder_.load();
  const auto place = frame->place_of(recipient_key_);
  if (!place && frame->topic != board_topic && !core::may(who, core::Action::watch_board)) return;
  auto session = session_.lock();
  if (!session) return;
  const bool binary = binary_;
  // Both by reference: the frame's count is not touched per delivery.
  session->send(frame->bytes(frame->text_for(language_), binary), binary,
                place && !frame->alert_id.empty() ? frame : no_receipt,
                static_cast<std::uint32_t>(place.value_or(0)));
}

void ResponderSocket::on_written(const std::shared_ptr<const net::HubFrame>& receipt,
                                 std::uint32_t place) {
  // Set before any alert is sent; cleared only by on_close, after the last write.
  if (responder_.load()) services_->deliveries.record(receipt, place);
}

void ResponderSocket::deliver(const std::shared_ptr<const net::HubFrame>& frame) {
  if (!responder_) return;
  auto it = topics_.find(frame->topic);
  if (it == topics_.end()) return;
  if (frame->topic == board_topic) {
    if (!frame->gap) return send_frame(frame);
    // The page reconnects and, welcomed, reads the board whole (web/js/board.js).
    if (auto session = session_.lock())
      session->close(websocket::close_code::try_again_later, "board events missed: read it again");
    return;
  }
  if (it->second.live_passes(frame->offset, frame)) send_frame(frame);
}

void ResponderSocket::on_ack(v1::Ack ack, const std::string& request_id) {
  services_->acks.submit({*responder_.load(), token_id_}, std::move(ack),
                         answer_to<v1::Ack>(request_id, &v1::ServerMessage::mutable_ack_accepted));
}

void ResponderSocket::on_report(v1::Report report, const std::string& request_id) {
  services_->reports.submit(
      {*responder_.load(), token_id_}, std::move(report), v1::REPORT_SOURCE_WEBSOCKET,
      answer_to<v1::ReportReceipt>(request_id, &v1::ServerMessage::mutable_report_accepted));
}

template <typename T>
Done<Accepted<T>> ResponderSocket::answer_to(const std::string& request_id,
                                             T* (v1::ServerMessage::*place)()) {
  return [self = shared_from_this(), request_id, place](MaybeRefusal refusal, Accepted<T> r) {
    if (refusal) return self->refuse(*refusal, request_id, false);
    v1::ServerMessage answer;
    answer.set_request_id(request_id);
    *(answer.*place)() = std::move(r.value);
    self->send(answer);
  };
}

void ResponderSocket::send(const v1::ServerMessage& message) {
  if (auto session = session_.lock()) session->send(encode(message, binary_), binary_);
}

void ResponderSocket::refuse(const Refusal& refusal, const std::string& request_id, bool close) {
  v1::ServerMessage message;
  message.set_request_id(request_id);
  message.mutable_error()->set_code(std::string(refusal.code()));
  message.mutable_error()->set_message(refusal.message());
  send(message);
  if (close)
    if (auto session = session_.lock())
      session->close(websocket::close_code::policy_error, std::string(refusal.code()));
}

void ResponderSocket::sign_out(const Refusal& why) { refuse(why, {}, true); }

void ResponderSocket::on_close() {
  closed_ = true;
  if (const core::Responder* who = responder_.load()) services_->presence.left(who->id);
  for (const auto& [topic, state] : topics_) services_->hub.unsubscribe(topic, this);
  topics_.clear();
  if (responder_) services_->signed_in.remove(token_id_, this);
  responder_ = nullptr;
}

}  // namespace puente::app
