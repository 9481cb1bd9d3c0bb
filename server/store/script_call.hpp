#pragma once
// One run of a Lua script from server/store/lua, its KEYS and ARGV filled by the names the
// script gives them (lua_scripts.hpp, generated from the scripts):
//
//   ScriptCall<lua::RecordAck> call;
//   call.key(Key::incident, keys_.incident(id)).arg(Arg::responder, ack.responder_id());
//   call.run(*redis_, handler);
//
// A slot the script names but the caller left empty is a programming error: run() throws
// std::logic_error naming it, so the store's tests catch a script and its caller disagreeing.
// A variable tail (a sending script's alerts, one history per subscription) goes after the
// named slots with tail_key/tail_arg.

#include "store/lua_scripts.hpp"

#include "redis/connection.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace puente::store {

template <class Script>
class ScriptCall {
 public:
  using Key = typename Script::Key;
  using Arg = typename Script::Arg;

  ScriptCall() : keys_(Script::key_names.size()), args_(Script::arg_names.size()) {}

  ScriptCall& key(Key slot, std::string value) {
    set(keys_, static_cast<std::size_t>(slot), std::move(value));
    return *this;
  }
  ScriptCall& arg(Arg slot, std::string value) {
    set(args_, static_cast<std::size_t>(slot), std::move(value));
    return *this;
  }
  ScriptCall& tail_key(std::string value) {
    keys_.emplace_back(std::move(value), true);
    return *this;
  }
  ScriptCall& tail_arg(std::string value) {
    args_.emplace_back(std::move(value), true);
    return *this;
  }

  void run(redis::Connection& connection, redis::ReplyHandler handler) && {
    Script::script().run(connection, filled(keys_, Script::key_names, "KEYS"),
                         filled(args_, Script::arg_names, "ARGV"), std::move(handler));
  }

 private:
  using Slot = std::pair<std::string, bool>;  // value, set

  static void set(std::vector<Slot>& slots, std::size_t i, std::string value) {
    slots[i] = {std::move(value), true};
  }

  template <class Names>
  static std::vector<std::string> filled(std::vector<Slot>& slots, const Names& names,
                                         const char* kind) {
    std::vector<std::string> values;
    values.reserve(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i) {
      if (!slots[i].second)
        throw std::logic_error(std::string(Script::name) + ": " + kind + " slot '" +
                               std::string(names[i]) + "' not set");
      values.push_back(std::move(slots[i].first));
    }
    return values;
  }

  std::vector<Slot> keys_, args_;
};

}  // namespace puente::store
