#include "channels/push/endpoint_guard.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace puente::push {
namespace {

std::string lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

EndpointCheck refuse(std::string why) { return {std::nullopt, std::move(why)}; }

}  // namespace

const std::vector<std::string>& default_allowed_push_hosts() {
  static const std::vector<std::string> hosts{
      "fcm.googleapis.com",                 // Chrome, Android, most Chromium browsers
      "updates.push.services.mozilla.com",  // Firefox
      "*.push.apple.com",                   // Safari on macOS and iOS (web.push.apple.com)
      "*.notify.windows.com",               // Edge (wns2-*.notify.windows.com)
  };
  return hosts;
}

bool push_host_allowed(std::string_view host, const std::vector<std::string>& allowed_hosts) {
  std::string name = lowercase(host);
  if (name.ends_with('.')) name.pop_back();
  if (name.empty()) return false;
  for (const auto& rule_text : allowed_hosts) {
    const std::string rule = lowercase(rule_text);
    if (rule.starts_with("*.")) {
      // The suffix with its dot (".push.apple.com"), and at least one label before it.
      const std::string_view suffix = std::string_view(rule).substr(1);
      if (name.size() > suffix.size() && name.ends_with(suffix)) return true;
    } else if (name == rule) {
      return true;
    }
  }
  return false;
}

EndpointCheck check_push_endpoint(std::string_view url,
                                  const std::vector<std::string>& allowed_hosts) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return refuse("the endpoint is not an absolute URL");
  const auto& uri = *parsed;
  if (uri.scheme_id() != boost::urls::scheme::https)
    return refuse("the endpoint is not an https:// URL");
  if (uri.has_userinfo()) return refuse("the endpoint carries user info");
  if (uri.encoded_host().contains('%')) return refuse("the endpoint's host is percent-encoded");

  PushEndpoint endpoint;
  switch (uri.host_type()) {
    case boost::urls::host_type::name:
    case boost::urls::host_type::ipv4: endpoint.host = lowercase(uri.encoded_host()); break;
    case boost::urls::host_type::ipv6:
      endpoint.host = lowercase(uri.host_ipv6_address().to_string());
      break;
    default: return refuse("the endpoint has no host");
  }
  if (endpoint.host.empty()) return refuse("the endpoint has no host");
  if (!push_host_allowed(endpoint.host, allowed_hosts)) {
    auto refused =
        refuse("the push service host " + endpoint.host + " is not in [push] allowed_hosts");
    refused.host_not_allowed = true;
    return refused;
  }

  endpoint.port = "443";
  if (uri.has_port()) {
    unsigned port = 0;
    const auto text = uri.port();
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || port == 0 ||
        port > 65535)
      return refuse("the endpoint's port is not a port number");
    endpoint.port = std::to_string(port);
  }
  endpoint.target = uri.encoded_target().empty() ? "/" : std::string(uri.encoded_target());
  if (!endpoint.target.starts_with('/')) endpoint.target.insert(0, "/");

  const std::string shown_host =
      uri.host_type() == boost::urls::host_type::ipv6 ? "[" + endpoint.host + "]" : endpoint.host;
  endpoint.origin = "https://" + shown_host + (endpoint.port == "443" ? "" : ":" + endpoint.port);
  return {std::move(endpoint), {}};
}

}  // namespace puente::push
