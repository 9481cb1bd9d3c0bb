// Building the node-wide parts (node_parts.hpp): the threads, the limiter, the pages and tiles,
// one network's parts for each network the node serves, and the server they share: its routes
// pass each request to its network's (network_routing.hpp), its sockets choose theirs at hello.

#include "app/node/network_routing.hpp"
#include "app/node/node_parts.hpp"

#include <algorithm>

namespace puente::app {

namespace {

// "POST /v1/acks" -> the verb and the pattern, as Router::names() spells a route.
std::pair<net::http::verb, std::string> route_of(const std::string& name) {
  const auto space = name.find(' ');
  return {boost::beast::http::string_to_verb(name.substr(0, space)), name.substr(space + 1)};
}

}  // namespace

Node::Parts::Parts(NodeConfig c)
    : config(std::move(c)),
      io(thread_count(config)),
      pages(open_pages(config.web_root)),
      tiles(open_tiles(config.tiles)),
      server(std::make_shared<net::ServerContext>()),
      certificate(load_certificate(config)) {
  std::vector<std::string> ids;
  std::vector<const core::Roster*> rosters;
  for (auto& network : network_configs(config)) {
    network_metrics.push_back(std::make_unique<core::Metrics>());
    networks.push_back(
        std::make_unique<NetworkParts>(std::move(network), *network_metrics.back(), io, limiter));
    ids.push_back(networks.back()->config.network_id);
    rosters.push_back(&networks.back()->roster);
    socket_networks.push_back(&networks.back()->socket_services);
    registries.push_back(&networks.back()->tokens);
  }
  check_roster_tokens_apart(ids, rosters);
  std::vector<const sms::GatewayCredentials*> gateways;
  for (const auto& n : networks)
    gateways.push_back(n->sms_credentials ? &*n->sms_credentials : nullptr);
  check_sms_gateways_apart(ids, gateways);
  // /readyz (answered by the first network) speaks for every network.
  for (std::size_t i = 1; i < networks.size(); ++i)
    first().api_services.other_networks.push_back(&networks[i]->api_services);
  links_up.assign(networks.size(), false);
  server->limits = config.limits;
  server->trusted_proxies = core::TrustedProxies(config.trusted_proxies);
  server->proxy_protocol = config.proxy_protocol;
  server->security_policy = net::content_security_policy(config.tiles.origin);
  // The server's own counters (requests, sockets) count every network's: they are in the first
  // network's /metrics, counts only.
  server->metrics = &first().metrics;
  server->admit = [this](const net::Request&,
                         const std::string& peer) -> std::optional<net::Response> {
    auto wait = limiter.take("address", peer, config.rate_limits.requests_per_address);
    if (!wait) return std::nullopt;
    return rate_limited_response(*wait);
  };
  if (networks.size() == 1) {
    server->router = std::move(first().router);
  } else {
    // Every network has the same routes: the route matched here goes on to its own network's
    // handler of that route, with the bearer token's sign-in that chose the network.
    for (const auto& name : first().router.names()) {
      std::vector<net::RouteHandler> handlers;
      for (const auto& network : networks) handlers.push_back(network->router.handler(name));
      auto [verb, pattern] = route_of(name);
      server->router.add(
          verb, pattern,
          [this, handlers = std::move(handlers)](net::Request&& request, net::RouteParams params,
                                                 net::Respond respond) {
            auto chosen = network_of_request(networks, registries, request);
            params.bearer = std::move(chosen.bearer);
            handlers[chosen.index](std::move(request), std::move(params), std::move(respond));
          });
    }
  }
  // Tiles need no token: an <image> in the page cannot send one, and a map of the city is no
  // secret. The per-address rate limit still applies.
  if (tiles)
    server->router.add(
        net::http::verb::get, "/tiles/{z}/{x}/{y}",
        [this](net::Request&& request, net::RouteParams params, net::Respond respond) {
          respond(tiles->serve(request, params.path["z"], params.path["x"], params.path["y"]));
        });
  if (pages)
    server->router.fallback(
        [this](net::Request&& request, net::RouteParams params, net::Respond respond) {
          respond(pages->serve(request, params.target_path));
        });
  server->socket_peer_factory = [this](std::shared_ptr<net::WebSocketSession> session) {
    return std::make_shared<ResponderSocket>(std::move(session), socket_networks, registries);
  };
}

}  // namespace puente::app
