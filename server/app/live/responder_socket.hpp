#pragma once
// The application behind one WebSocket: a responder's live line.
//
// The client's first message must be a hello with a valid token; it names the neighborhoods
// to follow (default: all the roster gives the responder) and, for each, the offset it last
// saw or, with none yet, a time. The socket then receives, per neighborhood, the alerts after
// that offset (or from that time on) from history, then the live ones, each exactly once and in
// order: live frames that arrive during the replay are held and released after it, and any
// frame at or before the last offset sent is dropped (core/stream_recovery.hpp). An alert
// reaches the responders it names (who was on call for it), in their own language, and each
// one written to the socket is recorded as delivered; dispatchers see every alert of what they
// follow, and with the board every incident event. Acks and reports may come over the socket
// too. While the socket is open its responder counts as connected (presence.hpp).
//
// Threads: the socket lives on one I/O thread (net/io_threads.hpp). Its reads, its close, the
// hub's deliveries, and the welcome and replays (the store answers on the main thread, and the
// answer is posted over) all run there, so the topics and the sign-in need no lock and a
// delivery takes none. Only the answers to acks and reports and a sign-out (token revoked) come
// from other threads, and they touch nothing but the atomics below and the session, whose
// send() and close() are thread-safe.

#include "app/access/audit_trail.hpp"
#include "app/access/rate_limiter.hpp"
#include "app/incidents/ack_desk.hpp"
#include "app/incidents/alert_writer.hpp"
#include "app/incidents/report_desk.hpp"
#include "app/live/delivery_log.hpp"
#include "app/live/presence.hpp"
#include "app/live/signed_in_sockets.hpp"
#include "core/stream_recovery.hpp"
#include "net/hub.hpp"
#include "net/websocket_session.hpp"

#include <boost/asio/post.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace puente::app {

struct SocketServices {
  const core::Roster& roster;
  const core::TokenRegistry& tokens;
  SignedInSockets& signed_in;
  AuditTrail& audit;
  const core::GeoIndex& geo;
  const AlertWriter& writer;
  net::Hub& hub;
  store::IncidentStore& store;
  ReportDesk& reports;
  AckDesk& acks;
  Presence& presence;
  DeliveryLog& deliveries;
  RateLimiter& limiter;
  const RateLimits& rate_limits;
  std::string node_id;
  std::size_t replay_max_alerts;
};

class ResponderSocket : public net::SocketPeer,
                        public net::HubSubscriber,
                        public SignedInPeer,
                        public std::enable_shared_from_this<ResponderSocket> {
 public:
  // `networks`: each network the node serves (issue 23), and `registries` their token registries
  // in the same order; the hello's token chooses one, the first until then. They outlive every
  // socket.
  ResponderSocket(std::shared_ptr<net::WebSocketSession> session,
                  const std::vector<SocketServices*>& networks,
                  const std::vector<const core::TokenRegistry*>& registries);

  void on_message(std::string_view payload, bool binary) override;
  void on_close() override;
  void deliver(const std::shared_ptr<const net::HubFrame>& frame) override;
  void sign_out(const Refusal& why) override;
  void on_written(const std::shared_ptr<const net::HubFrame>& receipt,
                  std::uint32_t place) override;

 private:
  // A followed neighborhood: what was sent of it, and its live frames held during a replay. The
  // board has no offsets and no replay: its frames go out as they come.
  using Topic = core::StreamRecovery<std::shared_ptr<const net::HubFrame>>;

  void on_hello(const v1::Hello& hello, bool binary, const std::string& request_id);
  void welcome(const core::Responder& who, const std::string& token_id,
               std::vector<v1::Subscription> granted, bool board, bool binary,
               const std::string& request_id, const std::string& epoch, bool recovered);
  MaybeRefusal check_hello(const v1::Hello& hello, const core::Responder& who,
                           std::vector<v1::Subscription>& granted) const;
  void on_ack(v1::Ack ack, const std::string& request_id);
  void on_report(v1::Report report, const std::string& request_id);
  // How a desk answers a command of this socket: its refusal, or the accepted value put in the
  // answer's field `place` (a mutable_ accessor), with the command's request id.
  template <typename T>
  Done<Accepted<T>> answer_to(const std::string& request_id, T* (v1::ServerMessage::*place)());
  void replay(const std::string& slug, const std::string& after);
  void replayed(const std::string& slug, store::ReplayPage page);
  void send_frame(const std::shared_ptr<const net::HubFrame>& frame);
  // Runs `step` on the socket's own thread, after what is already queued there.
  template <class Step>
  void on_own_thread(Step&& step) {
    if (auto session = session_.lock())
      boost::asio::post(session->executor(), std::forward<Step>(step));
  }
  void send(const v1::ServerMessage& message);
  void refuse(const Refusal& refusal, const std::string& request_id, bool close);

  std::weak_ptr<net::WebSocketSession> session_;
  const std::vector<SocketServices*>& networks_;
  const std::vector<const core::TokenRegistry*>& registries_;
  // The network of the hello's token, chosen on the socket's thread before anything else reads
  // it; the first network's until then.
  SocketServices* services_;
  // Set once, by a valid hello; read by the answers to acks and reports on other threads.
  std::atomic<const core::Responder*> responder_{nullptr};
  std::atomic<bool> binary_{false};         // answer in protobuf, as the hello came
  std::atomic<bool> hello_pending_{false};  // a valid hello is being answered
  std::string language_;                    // the responder's alert language; set with responder_
  std::string token_id_;                    // the token it signed in with; set with responder_
  net::RecipientKey recipient_key_;         // its id, to find in frames; set with responder_
  bool closed_ = false;                     // on_close ran: a late welcome must not subscribe
  std::unordered_map<std::string, Topic> topics_;
};

}  // namespace puente::app
