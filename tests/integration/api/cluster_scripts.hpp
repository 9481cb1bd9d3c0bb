#pragma once
// Which of the store's Lua scripts (server/store/lua/) have run on the primary serving a
// cluster network's slot (issue 23: every script must run on a cluster). A script enters a
// node's script cache only when EVAL runs it there (Script: EVALSHA, then EVAL on NOSCRIPT), so
// SCRIPT EXISTS on that primary answers "has it run here". Tests on a cluster print the list
// at their end, and the scripts a test is about can be asserted.

#include "redis/key_slot.hpp"
#include "redis_cluster.hpp"
#include "redis_probe.hpp"
#include "store/lua_scripts.hpp"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace puente::test {

// Every embedded script: its name and SHA-1.
inline std::vector<std::pair<std::string, std::string>> every_store_script() {
  using namespace store::lua;
  std::vector<std::pair<std::string, std::string>> all;
  auto add = [&](std::string_view name, const redis::Script& script) {
    all.emplace_back(std::string(name), script.sha1());
  };
  add(AdvanceIncident::name, AdvanceIncident::script());
  add(ApproveIncident::name, ApproveIncident::script());
  add(AppendAudit::name, AppendAudit::script());
  add(AttachReport::name, AttachReport::script());
  add(EscalateIncident::name, EscalateIncident::script());
  add(ListIncidents::name, ListIncidents::script());
  add(LoadIncident::name, LoadIncident::script());
  add(MarkEvidence::name, MarkEvidence::script());
  add(OpenIncident::name, OpenIncident::script());
  add(ConnectedAmong::name, ConnectedAmong::script());
  add(PrunePresence::name, PrunePresence::script());
  add(PurgeIncident::name, PurgeIncident::script());
  add(ReadAvailability::name, ReadAvailability::script());
  add(RecordAck::name, RecordAck::script());
  add(RecoveryCheck::name, RecoveryCheck::script());
  add(FindAlertIncident::name, FindAlertIncident::script());
  add(RecordPushShown::name, RecordPushShown::script());
  add(RemovePushSubscription::name, RemovePushSubscription::script());
  add(ReplacePushSubscription::name, ReplacePushSubscription::script());
  add(SavePushSubscription::name, SavePushSubscription::script());
  add(RungFacts::name, RungFacts::script());
  add(TakeRungs::name, TakeRungs::script());
  add(QueuePhonePush::name, QueuePhonePush::script());
  add(ClaimJobs::name, ClaimJobs::script());
  add(FinishPushJob::name, FinishPushJob::script());
  add(SmsJobFacts::name, SmsJobFacts::script());
  add(FinishSmsJob::name, FinishSmsJob::script());
  add(SendOnScene::name, SendOnScene::script());
  add(SaveToken::name, SaveToken::script());
  add(SetAvailability::name, SetAvailability::script());
  add(RecordTextReport::name, RecordTextReport::script());
  add(SmsStatus::name, SmsStatus::script());
  add(LoadAlert::name, LoadAlert::script());
  add(OpenUpload::name, OpenUpload::script());
  add(SaveMedia::name, SaveMedia::script());
  add(ListMedia::name, ListMedia::script());
  return all;
}

// The names of the scripts that have run on the primary serving `tag`'s slot, and of those that
// have not; printed as "scripts run on the cluster: ...; not run: ...".
inline std::vector<std::string> scripts_run_on_cluster(const RedisCluster& cluster,
                                                       const std::string& tag = "la") {
  std::vector<std::string> ran, not_run;
  const auto primary =
      cluster.primary_of_slot(redis::key_slot("{" + tag + "}"), cluster.ports()[0]);
  for (const auto& [name, sha1] : every_store_script()) {
    const auto exists = primary ? ask_redis(*primary, {"SCRIPT", "EXISTS", sha1}) : RedisReplyPtr{};
    const bool yes = exists && exists->type == REDIS_REPLY_ARRAY && exists->elements == 1 &&
                     exists->element[0]->integer == 1;
    (yes ? ran : not_run).push_back(name);
  }
  std::string line = "scripts run on the cluster:";
  for (const auto& name : ran) line += " " + name;
  line += "; not run:";
  for (const auto& name : not_run) line += " " + name;
  std::printf("%s\n", line.c_str());
  return ran;
}

}  // namespace puente::test
