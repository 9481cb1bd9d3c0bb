#include "peer_protocol.hpp"

#include <fmt/format.h>
#include <charconv>

namespace puente::loadgen {

namespace {

template <typename Int>
bool read_number(std::string_view& text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end == text.data()) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

bool skip_dot(std::string_view& text) {
  if (text.empty() || text.front() != '.') return false;
  text.remove_prefix(1);
  return true;
}

}  // namespace

std::optional<Target> parse_target(std::string_view name) {
  if (name == "puente") return Target::puente;
  if (name == "socketio") return Target::socketio;
  if (name == "nchan") return Target::nchan;
  return std::nullopt;
}

std::string_view to_string(Target target) {
  switch (target) {
    case Target::puente: return "puente";
    case Target::socketio: return "socketio";
    case Target::nchan: return "nchan";
  }
  return "?";
}

std::string format_nonce(const Nonce& n) {
  return fmt::format("lg.{}.{}.{}.{}", n.phase, n.room, n.seq, n.sent_ns);
}

std::optional<Nonce> find_nonce(std::string_view frame) {
  // Puente's alert text quotes the start of the place ("... in Adams-Normandie, lg.1.0., 4:39
  // AM"): the first occurrence that parses whole is the nonce.
  for (auto at = frame.find("lg."); at != std::string_view::npos; at = frame.find("lg.", at + 3)) {
    auto text = frame.substr(at + 3);
    Nonce n;
    if (read_number(text, n.phase) && skip_dot(text) && read_number(text, n.room) &&
        skip_dot(text) && read_number(text, n.seq) && skip_dot(text) &&
        read_number(text, n.sent_ns))
      return n;
  }
  return std::nullopt;
}

ObserverScript observer_script(Target target, const std::string& room, const std::string& token) {
  switch (target) {
    case Target::puente:
      return {
          "/v1/ws",
          fmt::format(R"({{"hello":{{"token":"{}","subscriptions":[{{"neighborhood":"{}"}}]}}}})",
                      token, room)};
    case Target::socketio: return {"/socket.io/?EIO=4&transport=websocket", ""};
    case Target::nchan: return {"/sub/" + room, ""};
  }
  return {};
}

Handshake on_handshake_frame(Target target, std::string_view frame, const std::string& room,
                             std::string& reply) {
  switch (target) {
    case Target::puente:
      if (frame.find("\"welcome\"") != std::string_view::npos) return Handshake::live;
      if (frame.find("\"error\"") != std::string_view::npos) return Handshake::refused;
      return Handshake::waiting;
    case Target::socketio:
      // Engine.IO open ("0{sid,...}"), then socket.io's connect with the room as auth.
      if (frame.starts_with("0{")) {
        reply = fmt::format(R"(40{{"room":"{}"}})", room);
        return Handshake::reply;
      }
      if (frame.starts_with("42[\"joined\"")) return Handshake::live;
      if (frame.starts_with("44")) return Handshake::refused;  // connect error
      if (frame == "2") {
        reply.assign(1, '3');  // not = "3": GCC 12 warns falsely (-Wrestrict, PR 105651)
        return Handshake::reply;
      }
      return Handshake::waiting;
    case Target::nchan: return Handshake::live;
  }
  return Handshake::refused;
}

std::string_view keepalive_answer(Target target, std::string_view frame) {
  if (target == Target::socketio && frame == "2") return "3";
  return {};
}

Publication publication(Target target, const std::string& room, double lat, double lon,
                        std::string_view kind, const Nonce& nonce) {
  auto tag = format_nonce(nonce);
  if (target == Target::puente)
    return {
        "/v1/reports",
        fmt::format(R"({{"location":{{"lat":{:.6f},"lon":{:.6f},"description":"{}"}},"kind":"{}",)"
                    R"("description":"benchmark report","language":"en"}})",
                    lat, lon, tag, kind)};
  // The peers get a body shaped and sized like the alert frame puented pushes for a report,
  // so each server moves the same bytes to each observer.
  auto body = fmt::format(
      R"({{"alert":{{"id":"alr-{0}","offset":"{1}-0","incidentId":"inc-{0}","neighborhood":"{2}","type":"VERIFY",)"
      R"("text":"VERIFY: {3} reported near {4} at 12:00. Go and see; reply RECEIVED, EN_ROUTE or ON_SCENE.",)"
      R"("location":{{"lat":{5:.6f},"lon":{6:.6f},"description":"{4}"}},"kind":"{3}","sentAt":"2025-01-01T12:00:00Z"}}}})",
      nonce.seq, nonce.sent_ns / 1'000'000, room, kind, tag, lat, lon);
  return {"/pub/" + room, std::move(body)};
}

}  // namespace puente::loadgen
