// Build tool: turns server/store/lua/*.lua into C++ (lua_scripts.hpp/.cpp in the build tree), so
// a script's argument slots and the C++ that fills them come from one source.
//
// Each script opens with one named local per slot, in order:
//   local incident = KEYS[1]
//   local id = ARGV[1]
// and indexes KEYS/ARGV by number nowhere else (a variable tail after the named slots, such as
// a sending script's alerts, is read with a computed index). For each script the header gets a
// struct (open_incident.lua -> OpenIncident) with `enum class Key`/`Arg` naming the slots, their
// counts and names, and `script()`, the redis::Script whose source is helpers.lua and the body.
// The enums are what store/script_call.hpp fills, so a slot renamed or dropped on one side fails
// to compile, and one added fails ScriptCall's check in the store's tests.
//
// helpers.lua's `local head_fields = {'pb', 'status', ...}` becomes `enum class HeadField`, the
// order incident_head answers in and parse_head reads. `every_script` lists them all (name and
// script), for the tests that must run each one.
//
// Usage: puente_embed_scripts OUT.hpp OUT.cpp helpers.lua script.lua...

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Slots {
  std::vector<std::string> keys, args;
};

struct Script {
  std::string name;    // open_incident
  std::string type;    // OpenIncident
  std::string source;  // the file as written
  Slots slots;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  std::cerr << where << ": " << what << "\n";
  std::exit(1);
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string camel_case(const std::string& snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

// The raw string literal the source is embedded in must not end early.
void check_embeddable(const std::string& path, const std::string& source) {
  if (source.find(")lua\"") != std::string::npos)
    fail(path, "contains )lua\" and cannot be embedded");
}

Slots parse_slots(const std::string& path, const std::string& source) {
  static const std::regex declaration(
      R"(^local ([a-z_][a-z0-9_]*) = (KEYS|ARGV)\[([0-9]+)\]\s*(--.*)?$)");
  static const std::regex numbered(R"((KEYS|ARGV)\[[0-9])");
  Slots slots;
  std::istringstream lines(source);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    const auto where = path + ":" + std::to_string(number);
    std::smatch m;
    if (std::regex_match(line, m, declaration)) {
      auto& names = m[2] == "KEYS" ? slots.keys : slots.args;
      if (std::stoul(m[3]) != names.size() + 1)
        fail(where, m[2].str() + " slots must be named in order, one per line: expected [" +
                        std::to_string(names.size() + 1) + "]");
      for (const auto& taken : {slots.keys, slots.args})
        for (const auto& name : taken)
          if (name == m[1]) fail(where, "slot name '" + name + "' used twice");
      names.push_back(m[1]);
    } else if (std::regex_search(line, numbered)) {
      fail(where, "KEYS/ARGV indexed by number outside a slot declaration (name the slot)");
    }
  }
  return slots;
}

// Every key a script touches is declared in KEYS (issue 23). On a cluster Redis checks only the
// declared keys before it runs a script during a slot's migration: a key reached without being
// declared, already moved, stops the script half-way ("non local key") after its earlier
// writes; one not moved yet is made afresh on the new owner when the script went there after
// ASKING. So each redis.call's key (the first argument; every one for DEL, UNLINK, EXISTS and
// MGET; SPUBLISH's is a channel) must be a name: a KEYS slot, a local read from KEYS[...] (a
// variable tail), a loop's variable over a list of those, or in helpers.lua a parameter of the
// function (its callers pass KEYS names).
// A key built in the script (from a prefix, or from another key's name) is refused, as is any
// `prefix ..` on a line: a line that must still build one, because its ids are read from
// another key inside the script, says why in a comment, `-- undeclared: <why>`, and
// deploy/redis-cluster/README.md lists them.
struct LuaLine {
  std::string code, comment;
};

LuaLine split_comment(const std::string& line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '-' && i + 1 < line.size() && line[i + 1] == '-') {
      return {line.substr(0, i), line.substr(i)};
    }
  }
  return {line, ""};
}

// The arguments of the call whose '(' is at `open`, split at top-level commas, trimmed.
std::vector<std::string> call_arguments(const std::string& code, std::size_t open) {
  std::vector<std::string> out(1);
  int depth = 0;
  char quote = 0;
  for (std::size_t i = open + 1; i < code.size(); ++i) {
    const char c = code[i];
    if (quote) {
      if (c == '\\')
        out.back() += code[i++];
      else if (c == quote)
        quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if ((c == ')' || c == ']' || c == '}') && depth-- == 0) {
      break;
    } else if (c == ',' && depth == 0) {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  for (auto& a : out) {
    a.erase(0, a.find_first_not_of(" \t"));
    a.erase(a.find_last_not_of(" \t") + 1);
  }
  return out;
}

void check_declared_keys(const std::string& path, const std::string& source, const Slots& slots,
                         bool helpers) {
  static const std::regex from_keys(R"(local ([a-z_][a-z0-9_]*) = KEYS\[)");
  static const std::regex parameters(R"(local function [a-z_][a-z0-9_]*\(([^)]*)\))");
  static const std::regex name(R"([a-z_][a-z0-9_]*)");
  static const std::regex built(R"(\b([a-z_]+_)?prefix \.\.)");
  static const std::regex call(R"(redis\.p?call\('([A-Z]+)')");
  static const std::regex key_loop(R"(for _, ([a-z_][a-z0-9_]*) in ipairs\(\{([^}]*)\}\))");
  std::set<std::string> key_names(slots.keys.begin(), slots.keys.end());
  for (std::sregex_iterator it(source.begin(), source.end(), from_keys), end; it != end; ++it)
    key_names.insert((*it)[1]);
  if (helpers)
    for (std::sregex_iterator it(source.begin(), source.end(), parameters), end; it != end; ++it) {
      const std::string list = (*it)[1];
      for (std::sregex_iterator p(list.begin(), list.end(), name); p != end; ++p)
        key_names.insert(p->str());
    }
  // `for _, index in ipairs({incidents, timers})`: a loop over key names names a key.
  for (std::sregex_iterator it(source.begin(), source.end(), key_loop), end; it != end; ++it) {
    const std::string list = (*it)[2];
    bool all_keys = true;
    for (std::sregex_iterator p(list.begin(), list.end(), name); p != end; ++p)
      all_keys = all_keys && key_names.count(p->str()) > 0;
    if (all_keys) key_names.insert((*it)[1]);
  }
  std::istringstream lines(source);
  std::string text;
  for (int number = 1; std::getline(lines, text); ++number) {
    const auto [code, comment] = split_comment(text);
    if (comment.find("-- undeclared: ") != std::string::npos) continue;
    const auto where = path + ":" + std::to_string(number);
    if (std::regex_search(code, built))
      fail(where,
           "a key built from a prefix: pass it in KEYS (a tail key for a variable "
           "number), or say why it cannot be (-- undeclared: why)");
    for (std::sregex_iterator it(code.begin(), code.end(), call), end; it != end; ++it) {
      const std::string command = (*it)[1];
      if (command == "SPUBLISH" || command == "PUBLISH") continue;
      auto args = call_arguments(
          code, static_cast<std::size_t>(it->position() + 10 + (code[it->position() + 6] == 'p')));
      args.erase(args.begin());  // the command's name
      const bool every =
          command == "DEL" || command == "UNLINK" || command == "EXISTS" || command == "MGET";
      if (!every && args.size() > 1) args.resize(1);
      for (const auto& key : args)
        if (!key.empty() && !key_names.count(key) && !key.starts_with("KEYS["))
          fail(where, "redis.call('" + command + "', " + key +
                          ", ...): its key is not declared in KEYS (name a KEYS slot, or pass "
                          "it as a tail key; -- undeclared: why, if it cannot be)");
    }
  }
}

std::vector<std::string> parse_head_fields(const std::string& path, const std::string& source) {
  static const std::regex list(R"(local head_fields = \{([^}]*)\})");
  static const std::regex field(R"('([a-z_]+)')");
  std::smatch m;
  if (!std::regex_search(source, m, list)) fail(path, "no `local head_fields = {...}`");
  std::vector<std::string> fields;
  const std::string inside = m[1];
  for (std::sregex_iterator it(inside.begin(), inside.end(), field), end; it != end; ++it)
    fields.push_back((*it)[1]);
  if (fields.empty()) fail(path, "head_fields is empty");
  return fields;
}

void names_array(std::ostream& out, const char* name, const std::vector<std::string>& names) {
  out << "  static constexpr std::array<std::string_view, " << names.size() << "> " << name << "{";
  for (std::size_t i = 0; i < names.size(); ++i) out << (i ? ", " : "") << '"' << names[i] << '"';
  out << "};\n";
}

void enumeration(std::ostream& out, const char* name, const std::vector<std::string>& names) {
  out << "  enum class " << name << " : std::size_t {";
  for (std::size_t i = 0; i < names.size(); ++i) out << (i ? ", " : " ") << names[i];
  out << (names.empty() ? "" : " ") << "};\n";
}

void write_header(const std::string& path, const std::vector<std::string>& head_fields,
                  const std::vector<Script>& scripts) {
  std::ofstream out(path);
  out << "#pragma once\n// Generated by puente_embed_scripts from server/store/lua/*.lua: do not "
         "edit.\n\n"
         "#include \"redis/script.hpp\"\n\n#include <array>\n#include <cstddef>\n#include "
         "<string_view>\n\n"
         "namespace puente::store::lua {\n\n";
  out << "// The fields incident_head (helpers.lua) answers, in order.\n";
  out << "enum class HeadField : std::size_t {";
  for (std::size_t i = 0; i < head_fields.size(); ++i) out << (i ? ", " : " ") << head_fields[i];
  out << " };\ninline constexpr std::size_t head_field_count = " << head_fields.size() << ";\n\n";
  for (const auto& s : scripts) {
    out << "// " << s.name << ".lua\nstruct " << s.type << " {\n";
    out << "  static constexpr std::string_view name = \"" << s.name << "\";\n";
    enumeration(out, "Key", s.slots.keys);
    enumeration(out, "Arg", s.slots.args);
    names_array(out, "key_names", s.slots.keys);
    names_array(out, "arg_names", s.slots.args);
    out << "  static const redis::Script& script();\n};\n\n";
  }
  // The whole list, so a test that must run every script (on a Redis Cluster, say) cannot miss
  // one added later.
  out << "// Every script, in the order the build lists them.\n"
         "struct NamedScript {\n  std::string_view name;\n  const redis::Script& (*script)();\n"
         "};\ninline constexpr std::array<NamedScript, "
      << scripts.size() << "> every_script{{";
  for (std::size_t i = 0; i < scripts.size(); ++i)
    out << (i ? ",\n    " : "\n    ") << "{" << scripts[i].type << "::name, &" << scripts[i].type
        << "::script}";
  out << "}};\n\n}  // namespace puente::store::lua\n";
  if (!out) fail(path, "cannot write");
}

void write_source(const std::string& path, const std::string& header, const std::string& helpers,
                  const std::vector<Script>& scripts) {
  std::ofstream out(path);
  out << "// Generated by puente_embed_scripts from server/store/lua/*.lua: do not edit.\n"
         "#include \""
      << header << "\"\n\n#include <string>\n\nnamespace puente::store::lua {\nnamespace {\n\n"
      << "constexpr const char* helpers = R\"lua(" << helpers << ")lua\";\n\n"
      << "}  // namespace\n\n";
  for (const auto& s : scripts) {
    // named_keys/named_args: how many slots the script names; a variable tail follows them.
    out << "const redis::Script& " << s.type << "::script() {\n"
        << "  static const redis::Script script(\"local named_keys, named_args = "
        << s.slots.keys.size() << ", " << s.slots.args.size()
        << "\\n\" + std::string(helpers) + R\"lua(" << s.source << ")lua\");\n"
        << "  return script;\n}\n\n";
  }
  out << "}  // namespace puente::store::lua\n";
  if (!out) fail(path, "cannot write");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) fail("puente_embed_scripts", "usage: OUT.hpp OUT.cpp helpers.lua script.lua...");
  const std::string header = argv[1], source = argv[2], helpers_path = argv[3];
  const auto helpers = read(helpers_path);
  check_embeddable(helpers_path, helpers);
  const auto head_fields = parse_head_fields(helpers_path, helpers);
  check_declared_keys(helpers_path, helpers, Slots{}, true);
  std::vector<Script> scripts;
  for (int i = 4; i < argc; ++i) {
    Script s;
    s.name = std::filesystem::path(argv[i]).stem().string();
    s.type = camel_case(s.name);
    s.source = read(argv[i]);
    check_embeddable(argv[i], s.source);
    s.slots = parse_slots(argv[i], s.source);
    check_declared_keys(argv[i], s.source, s.slots, false);
    scripts.push_back(std::move(s));
  }
  write_header(header, head_fields, scripts);
  write_source(source, "store/" + std::filesystem::path(header).filename().string(), helpers,
               scripts);
  return 0;
}
