#include "core/push_payload.hpp"

#include "core/clock.hpp"

#include <boost/json.hpp>

namespace puente::core {

namespace json = boost::json;

bool urgent(v1::AlertType type) {
  return type == v1::VERIFY || type == v1::DISPATCH || type == v1::ESCALATE ||
         type == v1::CHECK_IN || type == v1::CHECK_IN_MISSED || type == v1::HELP_CALL;
}

std::vector<v1::AckState> notification_actions(v1::AlertType type) {
  // The people on scene's alerts are answered on the page (a check-in's answers, a help call's
  // follow-up), never by a notification's button.
  if (type == v1::DEBUNK || type == v1::STAND_DOWN || type == v1::CHECK_IN ||
      type == v1::CHECK_IN_MISSED || type == v1::HELP_CALL || type == v1::STAND_BY)
    return {};
  return {v1::EN_ROUTE, v1::DECLINED};
}

namespace {

std::string render(const PushPayload& p, std::string_view body) {
  json::object o;
  o["v"] = 1;
  o["kind"] = p.kind;
  o["title"] = p.title;
  o["body"] = body;
  o["lang"] = p.lang;
  if (p.alert) {
    const auto& a = *p.alert;
    o["tag"] = "inc-" + a.incident_id();
    o["urgent"] = urgent(a.type());
    o["url"] = "/observer.html#incident=" + a.incident_id();
    o["alert"] = {{"id", a.id()},
                  {"incidentId", a.incident_id()},
                  {"type", v1::AlertType_Name(a.type())},
                  {"neighborhood", a.neighborhood()},
                  {"sentAtMs", to_ms(a.sent_at())}};
    o["capability"] = p.capability;
    json::array actions;
    for (const auto& [action, title] : p.actions)
      actions.push_back({{"action", action}, {"title", title}});
    o["actions"] = std::move(actions);
  } else {
    o["tag"] = "puente-" + p.kind;
    o["urgent"] = false;
    o["url"] = "/observer.html";
  }
  return json::serialize(o);
}

// The length of the longest prefix of `text` at most `bytes` long that ends on a character.
std::size_t utf8_cut(std::string_view text, std::size_t bytes) {
  if (bytes >= text.size()) return text.size();
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return bytes;
}

}  // namespace

std::string push_payload_json(const PushPayload& payload, std::size_t most_bytes) {
  std::string text = render(payload, payload.body);
  if (text.size() <= most_bytes) return text;
  // JSON escaping makes a byte of body cost 1 to 6 in the text: the longest prefix that fits is
  // found by halving (a dozen renders for a 4 KB body). An ellipsis says the body goes on in
  // the app.
  const std::string_view body = payload.body;
  const auto cut = [&](std::size_t keep) {
    return render(payload, std::string(body.substr(0, utf8_cut(body, keep))) + "\xE2\x80\xA6");
  };
  std::size_t fits = 0, too_long = body.size();
  while (too_long - fits > 1) {
    const std::size_t middle = fits + (too_long - fits) / 2;
    (cut(middle).size() <= most_bytes ? fits : too_long) = middle;
  }
  return cut(fits);
}

}  // namespace puente::core
