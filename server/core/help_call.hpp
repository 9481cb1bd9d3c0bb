#pragma once
// The silent call for help and what the people on scene are told (docs/on-scene.md): who a
// help call (or a missed check-in) reaches, how a disguised one is recognised, and the words of
// the on-scene alerts in English and Spanish. Pure functions of plain data.
//
// A help call reaches the dispatchers on call and the attorneys on call for the incident's
// neighborhood, nobody else: not the other observers, who could not help and whose phones may
// be in the wrong hands. A missed check-in reaches the dispatchers; a second one the attorneys
// too.

#include "core/dispatch_policy.hpp"
#include "core/escalation_plan.hpp"
#include "core/on_call.hpp"
#include "core/roster.hpp"
#include "core/time_zone.hpp"
#include "puente/v1/puente.pb.h"

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

// Dispatchers on call, and (with `attorneys`) the attorneys on call for `neighborhood`; ids
// sorted, each once. `sender`: left out (a dispatcher calling for help needs the others).
std::vector<std::string> help_call_recipients(const Roster& roster, std::string_view neighborhood,
                                              std::chrono::system_clock::time_point now,
                                              const TimeZone& zone,
                                              const std::set<std::string>& available,
                                              bool attorneys, std::string_view sender = {});

// Whether `note` is the duress word (folded as a text reply is: any case, accents ignored).
// Never with an empty duress word (off).
bool is_duress_note(std::string_view note, std::string_view duress_word);

// A text reply ending with the duress word ("2 lima"): the reply without it ("2"); nullopt if
// it does not end so, or the duress word is empty. The rest is read as an ordinary reply.
std::optional<std::string> without_duress_word(std::string_view reply,
                                               std::string_view duress_word);

// Whether a text reply is the help reply ([policy] help_reply), alone.
bool is_help_reply(std::string_view reply, std::string_view help_reply);

// The text of an on-scene alert (CHECK_IN, CHECK_IN_MISSED, HELP_CALL, STAND_BY) in "es" or
// anything else (English). `name`: whom it is about; `misses`: CHECK_IN_MISSED's count.
std::string on_scene_text(v1::AlertType type, std::string_view language, std::string_view name,
                          std::string_view neighborhood_name, int misses = 0);

// Once `quorum` is on scene: everyone a VERIFY, DISPATCH or ESCALATE alert of `incident` went to
// who has not acked ON_SCENE (ids, sorted), to be told to stand by. nullopt before the quorum.
std::optional<std::vector<std::string>> stand_by_recipients(const Quorum& quorum,
                                                            const std::vector<AckRecord>& acks,
                                                            const v1::Incident& incident);

// Whether `who` (not a dispatcher) may see `alert` of an incident: an on-scene alert only if it
// went to them; every other alert, yes.
bool sees_alert(const v1::Alert& alert, const std::string& responder_id);

// True for the alert types above.
bool is_on_scene_alert(v1::AlertType type);

}  // namespace puente::core
