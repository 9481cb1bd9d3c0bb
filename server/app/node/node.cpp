#include "app/node/node.hpp"

#include "app/node/node_parts.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fstream>

namespace puente::app {

namespace asio = boost::asio;

Node::Node(NodeConfig config) : parts_(std::make_unique<Parts>(std::move(config))) {
  for (const auto& n : parts_->networks) {
    // "" for a node of one network: its log reads as it always did.
    const auto of = n->config.network_id.empty() ? "" : " of network " + n->config.network_id;
    spdlog::info("geography{}: {} neighborhoods from {}", of, n->geo.neighborhoods().size(),
                 n->config.neighborhoods_file.filename().string());
    spdlog::info("roster{}: {} responders", of, n->roster.responders().size());
    spdlog::info("journal{}: {} ({} entries waiting)", of, n->config.journal_file.string(),
                 n->outbox->waiting());
  }
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

  for (std::size_t i = 0; i < p.networks.size(); ++i)
    p.networks[i]->start([&p, i](bool up) { p.link_changed(i, up); });
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
        p.first().metrics.tls_reloads.inc();
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
    for (auto& network : p.networks) {
      network->audit->flush();
      // The log's head as it is now, signed and kept outside Redis.
      network->audit_anchors->anchor_now();
    }
    grace.expires_after(p.config.shutdown_grace);
    grace.async_wait([&](boost::system::error_code) {
      for (auto& network : p.networks) network->stop();
      p.io.stop();
    });
  });

  p.io.run();
  // What the parts' stops posted to thread 0 runs now, even when it waited behind a busy
  // strand's handlers: among it, the Redis link's shutdown, which fails the commands still in
  // flight. A reply handler may hold the part that holds the link (a sweep, say); left in flight,
  // it kept both alive past the node.
  p.io.finish_main();
  spdlog::info("node {} stopped", p.config.node_id);
  return 0;
}

void Node::Parts::link_changed(std::size_t network, bool up) {
  links_up[network] = up;
  std::string down;
  for (std::size_t i = 0; i < networks.size(); ++i)
    if (!links_up[i]) down += (down.empty() ? "" : ", ") + networks[i]->config.network_id;
  if (!told_ready) {
    if (!down.empty()) return;
    told_ready = true;
    systemd.notify("READY=1\nSTATUS=serving, Redis reached");
    return;
  }
  if (down.empty()) {
    systemd.notify("STATUS=serving, Redis reached again");
    return;
  }
  systemd.notify(networks.size() == 1
                     ? "STATUS=serving, Redis unreachable: reports and acks are journaled"
                     : "STATUS=serving, Redis unreachable for network " + down +
                           ": its reports and acks are journaled");
}

void NetworkParts::start(std::function<void(bool up)> on_link) {
  commands->on_link_change([this, on_link = std::move(on_link)](bool up) {
    if (up && commands->reconnects() > 0) metrics.redis_reconnects.inc();
    if (on_link) on_link(up);
  });
  commands->start();
  subscriber->start();
  feed.start(every_slug(geo));
  escalation->start();
  on_scene->start();
  dispatch.on_ack_recorded([on_scene = on_scene](const core::Responder& who, const v1::Ack& ack,
                                                 bool duress, std::function<void()> then) {
    on_scene->acked(who, ack, duress, std::move(then));
  });
  retention->start();
  if (push_dispatch) {
    ack_key->when_loaded([this](std::shared_ptr<const core::AckCapabilityKey> key) {
      push_dispatch->start(std::move(key));
    });
    phone_sweep->start();
  }
  if (sms_dispatch) sms_dispatch->start();
  if (rungs) rungs->start();
  presence->start();
  outbox->start();
  audit->start();
  audit_anchors->start();
  token_service->start();
  if (config.push.enabled()) ack_key->start();
  // Roster changes reach the audit log: the file's hash, recorded when it differs.
  audit->note_roster(core::sha256_hex(read_file(config.roster_file, "roster")),
                     roster.responders().size());
  deliveries.start();
}

void NetworkParts::stop() {
  escalation->stop();
  on_scene->stop();
  retention->stop();
  if (push_dispatch) {
    push_dispatch->stop();
    phone_sweep->stop();
  }
  if (sms_dispatch) sms_dispatch->stop();
  if (rungs) rungs->stop();
  presence->stop();
  outbox->stop();
  token_service->stop();
  ack_key->stop();
  audit->stop();
  audit_anchors->stop();
  deliveries.stop();
  subscriber->stop();
  commands->stop();
}

}  // namespace puente::app
