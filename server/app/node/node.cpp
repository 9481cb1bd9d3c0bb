#include "app/node/node.hpp"

#include "app/node/node_parts.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fstream>

namespace puente::app {

namespace asio = boost::asio;

Node::Node(NodeConfig config) : parts_(std::make_unique<Parts>(std::move(config))) {
  spdlog::info("geography: {} neighborhoods from {}", parts_->geo.neighborhoods().size(),
               parts_->config.neighborhoods_file.filename().string());
  spdlog::info("roster: {} responders", parts_->roster.responders().size());
  spdlog::info("journal: {} ({} entries waiting)", parts_->config.journal_file.string(),
               parts_->outbox->waiting());
}

Node::~Node() = default;

std::vector<std::string> Node::routes() const { return parts_->server->router.names(); }

int Node::run() {
  auto& p = *parts_;
  auto endpoint =
      asio::ip::tcp::endpoint(asio::ip::make_address(p.config.listen_host), p.config.listen_port);
  p.listener = std::make_shared<net::Listener>(p.io, endpoint, p.server, p.certificate);
  auto bound = p.listener->local_endpoint();
  if (!p.config.port_file.empty()) std::ofstream(p.config.port_file) << bound.port() << "\n";

  p.commands->on_link_change([&p](bool up) {
    if (up && p.commands->reconnects() > 0) p.metrics.redis_reconnects.inc();
    // Ready means serving with Redis: before that every report would only be journaled. Later
    // outages do not make the unit "not ready" (the node serves on, journaling): STATUS says so.
    if (up && !p.told_ready) {
      p.told_ready = true;
      p.systemd.notify("READY=1\nSTATUS=serving, Redis reached");
    } else if (p.told_ready) {
      p.systemd.notify(up ? "STATUS=serving, Redis reached again"
                          : "STATUS=serving, Redis unreachable: reports and acks are journaled");
    }
  });
  p.commands->start();
  p.subscriber->start();
  p.feed.start(every_slug(p.geo));
  p.escalation->start();
  p.on_scene->start();
  p.dispatch.on_ack_recorded([on_scene = p.on_scene](const core::Responder& who, const v1::Ack& ack,
                                                     bool duress, std::function<void()> then) {
    on_scene->acked(who, ack, duress, std::move(then));
  });
  p.retention->start();
  if (p.push_dispatch) {
    p.ack_key->when_loaded([&p](std::shared_ptr<const core::AckCapabilityKey> key) {
      p.push_dispatch->start(std::move(key));
    });
    p.phone_sweep->start();
  }
  if (p.sms_dispatch) p.sms_dispatch->start();
  if (p.rungs) p.rungs->start();
  p.presence->start();
  p.outbox->start();
  p.audit->start();
  p.audit_anchors->start();
  p.token_service->start();
  if (p.config.push.enabled()) p.ack_key->start();
  // Roster changes reach the audit log: the file's hash, recorded when it differs.
  p.audit->note_roster(core::sha256_hex(read_file(p.config.roster_file, "roster")),
                       p.roster.responders().size());
  p.deliveries.start();
  p.listener->run();
  spdlog::info("node {} listening on {}:{}{}", p.config.node_id, bound.address().to_string(),
               bound.port(), p.certificate ? " (TLS)" : "");

  // SIGHUP: read the TLS certificate and key again (a renewal). New connections get the new
  // one; open connections keep theirs. A renewal that does not load leaves the old one served.
  asio::signal_set hangups(p.io.main(), SIGHUP);
  std::function<void()> await_hangup = [&] {
    hangups.async_wait([&](boost::system::error_code ec, int) {
      if (ec) return;
      // `systemctl reload` waits from RELOADING=1 to the READY=1 after it.
      if (p.told_ready) p.systemd.notify("RELOADING=1");
      if (!p.certificate) {
        spdlog::info("SIGHUP: no TLS certificate configured; nothing to reload");
      } else if (auto error = p.certificate->reload()) {
        spdlog::error(
            "SIGHUP: the TLS certificate was not reloaded, the old one is still served: {}",
            *error);
      } else {
        p.metrics.tls_reloads.inc();
        spdlog::info("SIGHUP: TLS certificate reloaded: {}", p.certificate->describe());
      }
      if (p.told_ready) p.systemd.notify("READY=1");
      await_hangup();
    });
  };
  await_hangup();

  // Shutdown: stop accepting, say goodbye to every socket (each on its own thread), stop Redis,
  // then stop the threads; anything still open after the grace period is cut.
  asio::signal_set signals(p.io.main(), SIGINT, SIGTERM);
  asio::steady_timer grace(p.io.main());
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    p.systemd.notify("STOPPING=1");
    p.listener->stop();
    hangups.cancel();
    p.server->open_sockets.close_all();
    // Failed sign-ins summed so far go out now, while Redis is still there.
    p.audit->flush();
    // The log's head as it is now, signed and kept outside Redis.
    p.audit_anchors->anchor_now();
    grace.expires_after(p.config.shutdown_grace);
    grace.async_wait([&](boost::system::error_code) {
      p.escalation->stop();
      p.on_scene->stop();
      p.retention->stop();
      if (p.push_dispatch) {
        p.push_dispatch->stop();
        p.phone_sweep->stop();
      }
      if (p.sms_dispatch) p.sms_dispatch->stop();
      if (p.rungs) p.rungs->stop();
      p.presence->stop();
      p.outbox->stop();
      p.token_service->stop();
      p.ack_key->stop();
      p.audit->stop();
      p.audit_anchors->stop();
      p.deliveries.stop();
      p.subscriber->stop();
      p.commands->stop();
      p.io.stop();
    });
  });

  p.io.run();
  spdlog::info("node {} stopped", p.config.node_id);
  return 0;
}

}  // namespace puente::app
