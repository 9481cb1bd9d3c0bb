#include "net/server_context.hpp"

#include <algorithm>

namespace puente::net {

bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed) {
  if (origin.empty()) return true;  // not a browser
  // Our own pages: the Origin names the very host the request was sent to.
  if (!host.empty())
    for (std::string_view scheme : {"http://", "https://"})
      if (origin.size() == scheme.size() + host.size() && origin.starts_with(scheme) &&
          origin.ends_with(host))
        return true;
  return std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

}  // namespace puente::net
