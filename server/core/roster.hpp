#pragma once
// The roster: who may use Puente, in which roles, for which neighborhoods.
//
// Loaded from TOML (config/roster.toml). A responder's bearer token is never stored, only its
// SHA-256 (hex); a presented token is hashed and looked up, so the roster file is no secret
// worth stealing on its own.
//
//   [[responder]]
//   id = "obs-maria"
//   name = "Maria G."
//   roles = ["legal_observer"]
//   neighborhoods = ["boyle-heights", "lincoln-heights"]
//   languages = ["es", "en"]
//   token_sha256 = "<64 hex digits>"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace puente::core {

enum class Role { operator_, dispatcher, legal_observer, volunteer, attorney, counselor, admin };

// "operator", "dispatcher", "legal_observer", ... ; nullopt for anything else.
std::optional<Role> parse_role(std::string_view name);
std::string_view to_string(Role role);

struct Responder {
  std::string id;
  std::string name;
  std::vector<Role> roles;
  std::vector<std::string> neighborhoods;
  std::vector<std::string> languages;
  std::string token_sha256;  // lowercase hex

  bool has_role(Role role) const;
  bool covers(std::string_view neighborhood) const;  // listed in `neighborhoods`
};

// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

class Roster {
 public:
  // Parses roster TOML. Throws std::runtime_error naming the responder and field at fault
  // (missing id, unknown role, token_sha256 not 64 hex digits, duplicate id or token).
  static Roster from_toml(std::string_view toml);

  // The responder whose token this is, or nullptr.
  const Responder* authenticate(std::string_view token) const;
  const Responder* find(std::string_view id) const;
  const std::vector<Responder>& responders() const { return responders_; }

  // Neighborhood slugs the roster names that `known` does not hold; empty when all are known.
  template <typename IsKnown>
  std::vector<std::string> unknown_neighborhoods(IsKnown&& known) const {
    std::vector<std::string> unknown;
    for (const auto& r : responders_)
      for (const auto& n : r.neighborhoods)
        if (!known(n)) unknown.push_back(r.id + ": " + n);
    return unknown;
  }

 private:
  std::vector<Responder> responders_;
  std::unordered_map<std::string, std::size_t> by_token_hash_;
  std::unordered_map<std::string, std::size_t> by_id_;
};

}  // namespace puente::core
