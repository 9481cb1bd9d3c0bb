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

// Every embedded script (generated: store::lua::every_script): its name and SHA-1.
inline std::vector<std::pair<std::string, std::string>> every_store_script() {
  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& script : store::lua::every_script)
    all.emplace_back(std::string(script.name), script.script().sha1());
  return all;
}

// The names of the scripts that have run on the primary serving `tag`'s slot; with `print`,
// printed with those that have not as "scripts run on the cluster: ...; not run: ...".
inline std::vector<std::string> scripts_run_on_cluster(const RedisCluster& cluster,
                                                       const std::string& tag = "la",
                                                       bool print = true) {
  std::vector<std::string> ran, not_run;
  const auto primary =
      cluster.primary_of_slot(redis::key_slot("{" + tag + "}"), cluster.ports()[0]);
  for (const auto& [name, sha1] : every_store_script()) {
    const auto exists = primary ? ask_redis(*primary, {"SCRIPT", "EXISTS", sha1}) : RedisReplyPtr{};
    const bool yes = exists && exists->type == REDIS_REPLY_ARRAY && exists->elements == 1 &&
                     exists->element[0]->integer == 1;
    (yes ? ran : not_run).push_back(name);
  }
  if (!print) return ran;
  std::string line = "scripts run on the cluster:";
  for (const auto& name : ran) line += " " + name;
  line += "; not run:";
  for (const auto& name : not_run) line += " " + name;
  std::printf("%s\n", line.c_str());
  return ran;
}

}  // namespace puente::test
