// Who a help call reaches, the duress word, and the on-scene alerts' words (help_call.hpp).

#include "core/help_call.hpp"

#include "core/sms_reply.hpp"

#include <algorithm>

namespace puente::core {

std::vector<std::string> help_call_recipients(const Roster& roster, std::string_view neighborhood,
                                              std::chrono::system_clock::time_point now,
                                              const TimeZone& zone,
                                              const std::set<std::string>& available,
                                              bool attorneys, std::string_view sender) {
  std::set<std::string> ids;
  for (const auto* who : dispatchers_on_call(roster, now, zone, available)) ids.insert(who->id);
  if (attorneys)
    for (const auto* who : on_call_for(roster, neighborhood, now, zone, available))
      if (who->has_role(Role::attorney)) ids.insert(who->id);
  ids.erase(std::string(sender));
  return {ids.begin(), ids.end()};
}

bool is_duress_note(std::string_view note, std::string_view duress_word) {
  return !duress_word.empty() && folded_reply(note) == duress_word;
}

std::optional<std::string> without_duress_word(std::string_view reply,
                                               std::string_view duress_word) {
  if (duress_word.empty()) return std::nullopt;
  const auto folded = folded_reply(reply);
  if (folded == duress_word) return std::string();
  const std::string tail = " " + std::string(duress_word);
  if (folded.size() <= tail.size() || !folded.ends_with(tail)) return std::nullopt;
  return folded.substr(0, folded.size() - tail.size());
}

bool is_help_reply(std::string_view reply, std::string_view help_reply) {
  return !help_reply.empty() && folded_reply(reply) == help_reply;
}

std::optional<std::vector<std::string>> stand_by_recipients(const Quorum& quorum,
                                                            const std::vector<AckRecord>& acks,
                                                            const v1::Incident& incident) {
  if (static_cast<int>(quorum_members(quorum, acks).size()) < quorum.count) return std::nullopt;
  std::set<std::string> arrived;
  for (const auto& ack : acks)
    if (ack.state == v1::ON_SCENE) arrived.insert(ack.responder_id);
  std::set<std::string> waiting;
  for (const auto& alert : incident.alerts())
    if (alert.type() == v1::VERIFY || alert.type() == v1::DISPATCH || alert.type() == v1::ESCALATE)
      for (const auto& id : alert.recipients())
        if (!arrived.contains(id)) waiting.insert(id);
  return std::vector<std::string>(waiting.begin(), waiting.end());
}

bool sees_alert(const v1::Alert& alert, const std::string& responder_id) {
  if (!is_on_scene_alert(alert.type())) return true;
  return std::find(alert.recipients().begin(), alert.recipients().end(), responder_id) !=
         alert.recipients().end();
}

bool is_on_scene_alert(v1::AlertType type) {
  return type == v1::CHECK_IN || type == v1::CHECK_IN_MISSED || type == v1::HELP_CALL ||
         type == v1::STAND_BY;
}

std::string on_scene_text(v1::AlertType type, std::string_view language, std::string_view name,
                          std::string_view neighborhood_name, int misses) {
  const bool es = language.starts_with("es");
  const std::string who(name), where(neighborhood_name);
  switch (type) {
    case v1::CHECK_IN:
      return es ? "¿Estás bien? Responde: Estoy bien, o Salí, estoy a salvo."
                : "Are you OK? Answer: I'm OK, or I'm out, safe.";
    case v1::CHECK_IN_MISSED:
      return es ? who + " (en el lugar, " + where + ") no respondió " +
                      (misses > 1 ? "dos veces" : "una vez") + " si está bien"
                : who + " (on scene, " + where + ") missed " +
                      (misses > 1 ? "two check-ins" : "a check-in");
    case v1::HELP_CALL:
      return es ? "AYUDA: " + who + " (en el lugar, " + where + ") pide ayuda en silencio"
                : "HELP: " + who + " (on scene, " + where + ") is silently asking for help";
    case v1::STAND_BY:
      return es ? "Ya hay suficientes personas en " + where + ": espera, no vayas por ahora"
                : "Enough people are there in " + where + ": stand by, do not go for now";
    default: return {};
  }
}

}  // namespace puente::core
