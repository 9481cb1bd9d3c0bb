// The roster: TOML in, validated responders out, looked up by id and by token hash.
//
// Data structures: `responders_` in file order; `by_id_` and `by_token_hash_` map an id and a
// lowercase hex SHA-256 to an index into it, `by_neighborhood_` a slug to the indexes of those
// who cover it. Validation is strict: an unknown key is an error,
// because a typo such as "neighbourhoods" would otherwise leave an observer silently off every
// alert of the area they cover.

#include "core/roster.hpp"

#include "core/caller_key.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace puente::core {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 8> kRoleNames{{
    {Role::operator_, "operator"},
    {Role::dispatcher, "dispatcher"},
    {Role::legal_observer, "legal_observer"},
    {Role::volunteer, "volunteer"},
    {Role::attorney, "attorney"},
    {Role::counselor, "counselor"},
    {Role::admin, "admin"},
    {Role::metrics, "metrics"},
}};

constexpr std::array<std::string_view, 10> kResponderKeys{
    "id",           "name",    "roles",  "neighborhoods", "languages",
    "token_sha256", "standby", "shifts", "phone",         "channels"};

constexpr std::array<std::pair<ContactChannel, std::string_view>, 2> kChannelNames{{
    {ContactChannel::push, "push"},
    {ContactChannel::sms, "sms"},
}};

constexpr std::array<std::string_view, 7> kWeekdayNames{"sun", "mon", "tue", "wed",
                                                        "thu", "fri", "sat"};
constexpr std::array<std::string_view, 3> kShiftKeys{"days", "start", "end"};

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("roster: " + what); }

// Names a responder in an error: by id once it is known, else by position and line.
std::string responder_label(std::size_t index, const toml::table& entry, const std::string& id) {
  if (!id.empty()) return "responder \"" + id + "\"";
  return "responder #" + std::to_string(index + 1) + " (line " +
         std::to_string(entry.source().begin.line) + ")";
}

std::string required_string(const toml::table& entry, std::string_view key,
                            const std::string& who) {
  const toml::node* node = entry.get(key);
  if (!node) fail(who + ": missing field \"" + std::string(key) + "\"");
  const auto* value = node->as_string();
  if (!value || value->get().empty())
    fail(who + ": field \"" + std::string(key) + "\" must be a non-empty string");
  return value->get();
}

std::vector<std::string> string_list(const toml::table& entry, std::string_view key,
                                     const std::string& who) {
  std::vector<std::string> out;
  const toml::node* node = entry.get(key);
  if (!node) return out;
  const auto* array = node->as_array();
  if (!array) fail(who + ": field \"" + std::string(key) + "\" must be an array of strings");
  for (const auto& element : *array) {
    const auto* value = element.as_string();
    if (!value || value->get().empty())
      fail(who + ": field \"" + std::string(key) + "\" must hold only non-empty strings");
    // Repeats are harmless; keep the first.
    if (std::find(out.begin(), out.end(), value->get()) == out.end()) out.push_back(value->get());
  }
  return out;
}

// The roster token's hash; empty for a responder who signs in with issued tokens only.
std::string normalized_token_hash(const toml::table& entry, const std::string& who) {
  if (!entry.contains("token_sha256")) return {};
  std::string hash = required_string(entry, "token_sha256", who);
  const bool hex = std::all_of(hash.begin(), hash.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
  if (hash.size() != 64 || !hex)
    fail(who + ": field \"token_sha256\" must be 64 hex digits (the SHA-256 of the token), got " +
         std::to_string(hash.size()) + " characters" + (hex ? "" : " with non-hex ones"));
  std::transform(hash.begin(), hash.end(), hash.begin(), [](char c) {
    return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return hash;
}

// "HH:MM" of shifts[i].start or .end, in minutes.
int shift_time(const toml::table& shift, std::string_view key, const std::string& where) {
  const toml::node* node = shift.get(key);
  if (!node) fail(where + ": missing field \"" + std::string(key) + "\"");
  const auto* text = node->as_string();
  if (!text) fail(where + "." + std::string(key) + " must be a string \"HH:MM\"");
  const auto minutes = parse_time_of_day(text->get());
  if (!minutes)
    fail(where + "." + std::string(key) + " \"" + text->get() + "\" is not HH:MM (00:00 to 23:59)");
  return *minutes;
}

Shift parse_shift(const toml::node& node, const std::string& where) {
  const auto* table = node.as_table();
  if (!table)
    fail(where + " must be a table like { days = [\"mon\"], start = \"09:00\", end = \"17:00\" }");
  for (const auto& [key, value] : *table) {
    if (std::find(kShiftKeys.begin(), kShiftKeys.end(), key.str()) == kShiftKeys.end())
      fail(where + ": unknown field \"" + std::string(key.str()) + "\" (days, start, end)");
  }

  Shift shift;
  const toml::node* days = table->get("days");
  if (!days) fail(where + ": missing field \"days\"");
  const auto* list = days->as_array();
  if (!list || list->empty())
    fail(where + ".days must be a non-empty array of day names (\"mon\" .. \"sun\")");
  for (std::size_t d = 0; d < list->size(); ++d) {
    const auto* name = list->get(d)->as_string();
    const auto day = name ? parse_weekday(name->get()) : std::nullopt;
    if (!day)
      fail(where + ".days[" + std::to_string(d) + "] is not a day name (mon, tue, wed, thu, fri, " +
           "sat, sun)" + (name ? ": \"" + name->get() + "\"" : std::string()));
    shift.days[static_cast<std::size_t>(*day)] = true;
  }
  shift.start_minute = shift_time(*table, "start", where);
  shift.end_minute = shift_time(*table, "end", where);
  return shift;
}

std::vector<Shift> parse_shifts(const toml::table& entry, const std::string& who) {
  std::vector<Shift> shifts;
  const toml::node* node = entry.get("shifts");
  if (!node) return shifts;
  const auto* list = node->as_array();
  if (!list) fail(who + ": field \"shifts\" must be an array of tables");
  // An empty list would read as "on call always", the opposite of what someone who wrote
  // `shifts = []` to take a responder off every shift meant.
  if (list->empty())
    fail(who + ": field \"shifts\" is empty; remove it to be on call always, or list shifts");
  for (std::size_t i = 0; i < list->size(); ++i)
    shifts.push_back(parse_shift(*list->get(i), who + ": shifts[" + std::to_string(i) + "]"));
  return shifts;
}

// The phone in E.164. The error never quotes the number: roster errors reach the node's log.
std::string parse_phone(const toml::table& entry, const std::string& who) {
  if (!entry.contains("phone")) return {};
  const std::string typed = required_string(entry, "phone", who);
  // E.164 asks for the '+' and the country code: a roster may list phones of several countries,
  // and a number without them would be read as the network's own.
  const auto first = typed.find_first_not_of(' ');
  const auto phone = first != std::string::npos && typed[first] == '+'
                         ? normalized_phone(typed)
                         : std::optional<std::string>();
  if (!phone)
    fail(who +
         ": field \"phone\" is not an E.164 number ('+', country code and number, 8 to 15 "
         "digits, like \"+1 213 000 0000\")");
  return *phone;
}

std::vector<ContactChannel> parse_channels(const toml::table& entry, const std::string& who,
                                           bool has_phone) {
  if (!entry.contains("channels")) return {ContactChannel::push};
  std::vector<ContactChannel> channels;
  for (const auto& name : string_list(entry, "channels", who)) {
    const auto channel = parse_contact_channel(name);
    if (!channel)
      fail(who + ": field \"channels\" names an unknown channel \"" + name + "\" (push, sms)");
    channels.push_back(*channel);
  }
  if (std::find(channels.begin(), channels.end(), ContactChannel::sms) != channels.end() &&
      !has_phone)
    fail(who + ": field \"channels\" lists \"sms\" but the responder has no \"phone\"");
  return channels;
}

Responder parse_responder(std::size_t index, const toml::table& entry) {
  Responder r;
  r.id = required_string(entry, "id", responder_label(index, entry, {}));
  const std::string who = responder_label(index, entry, r.id);

  for (const auto& [key, value] : entry) {
    if (std::find(kResponderKeys.begin(), kResponderKeys.end(), key.str()) == kResponderKeys.end())
      fail(who + ": unknown field \"" + std::string(key.str()) + "\"");
  }

  const toml::node* name = entry.get("name");
  r.name = name ? required_string(entry, "name", who) : r.id;

  if (!entry.get("roles")) fail(who + ": missing field \"roles\"");
  for (const auto& role_name : string_list(entry, "roles", who)) {
    const auto role = parse_role(role_name);
    if (!role) fail(who + ": field \"roles\" names an unknown role \"" + role_name + "\"");
    r.roles.push_back(*role);
  }
  if (r.roles.empty()) fail(who + ": field \"roles\" is empty; a responder needs a role");

  r.neighborhoods = string_list(entry, "neighborhoods", who);
  r.languages = string_list(entry, "languages", who);
  r.token_sha256 = normalized_token_hash(entry, who);

  if (const toml::node* standby = entry.get("standby")) {
    const auto* flag = standby->as_boolean();
    if (!flag) fail(who + ": field \"standby\" must be true or false");
    r.standby = flag->get();
  }
  r.shifts = parse_shifts(entry, who);
  r.phone = parse_phone(entry, who);
  r.channels = parse_channels(entry, who, !r.phone.empty());
  if (r.has_role(Role::metrics) && (r.roles.size() > 1 || !r.neighborhoods.empty() || r.standby ||
                                    !r.shifts.empty() || !r.phone.empty()))
    fail(who +
         ": the role \"metrics\" stands alone (no other role, neighborhoods, shifts, standby or "
         "phone): a scraper's token reads /metrics and nothing else");
  return r;
}

}  // namespace

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& [role, role_name] : kRoleNames)
    if (role_name == name) return role;
  return std::nullopt;
}

std::string_view to_string(Role role) {
  for (const auto& [r, role_name] : kRoleNames)
    if (r == role) return role_name;
  return "unknown";
}

std::optional<int> parse_weekday(std::string_view name) {
  for (std::size_t i = 0; i < kWeekdayNames.size(); ++i)
    if (kWeekdayNames[i] == name) return static_cast<int>(i);
  return std::nullopt;
}

std::optional<int> parse_time_of_day(std::string_view text) {
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
    return std::nullopt;
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::optional<ContactChannel> parse_contact_channel(std::string_view name) {
  for (const auto& [channel, channel_name] : kChannelNames)
    if (channel_name == name) return channel;
  return std::nullopt;
}

std::string_view to_string(ContactChannel channel) {
  for (const auto& [c, channel_name] : kChannelNames)
    if (c == channel) return channel_name;
  return "unknown";
}

bool Responder::wants(ContactChannel channel) const {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

bool Responder::has_role(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Responder::covers(std::string_view neighborhood) const {
  return std::find(neighborhoods.begin(), neighborhoods.end(), neighborhood) != neighborhoods.end();
}

Roster Roster::from_toml(std::string_view text) {
  toml::table document;
  try {
    document = toml::parse(text);
  } catch (const toml::parse_error& e) {
    fail("invalid TOML at line " + std::to_string(e.source().begin.line) + ": " +
         std::string(e.description()));
  }

  for (const auto& [key, value] : document) {
    if (key.str() != "responder")
      fail("unknown top-level key \"" + std::string(key.str()) + "\" (expected [[responder]])");
  }

  Roster roster;
  std::map<std::string, std::size_t, std::less<>> by_phone;  // only while reading
  // No [[responder]] at all is a valid, empty roster; whether that is useful is the caller's call.
  const toml::node* list = document.get("responder");
  if (!list) return roster;
  const auto* entries = list->as_array();
  if (!entries || !entries->is_array_of_tables())
    fail("\"responder\" must be an array of tables, written [[responder]]");

  for (std::size_t i = 0; i < entries->size(); ++i) {
    Responder r = parse_responder(i, *entries->get(i)->as_table());
    const std::size_t index = roster.responders_.size();
    if (const auto it = roster.by_id_.find(r.id); it != roster.by_id_.end())
      fail("responder \"" + r.id + "\": field \"id\" is a duplicate (responders #" +
           std::to_string(it->second + 1) + " and #" + std::to_string(index + 1) + ")");
    // Two people sharing a token could not be told apart in the logs, and one could never be
    // revoked alone.
    if (const auto it = roster.by_token_hash_.find(r.token_sha256);
        !r.token_sha256.empty() && it != roster.by_token_hash_.end())
      fail("responder \"" + r.id + "\": field \"token_sha256\" duplicates the one of responder \"" +
           roster.responders_[it->second].id + "\"");
    // Replies are matched to a responder by their phone: two on one phone could not be told
    // apart. The message names the other responder, never the number.
    if (!r.phone.empty()) {
      if (const auto it = by_phone.find(r.phone); it != by_phone.end())
        fail("responder \"" + r.id + "\": field \"phone\" is also responder \"" +
             roster.responders_[it->second].id + "\"'s");
      by_phone.emplace(r.phone, index);
    }
    roster.by_id_.emplace(r.id, index);
    if (!r.token_sha256.empty()) roster.by_token_hash_.emplace(r.token_sha256, index);
    for (const auto& slug : r.neighborhoods) {
      auto& covering = roster.by_neighborhood_[slug];
      if (covering.empty() || covering.back() != index) covering.push_back(index);
    }
    roster.responders_.push_back(std::move(r));
  }
  for (const auto& [slug, indexes] : roster.by_neighborhood_) {
    auto& by_id = roster.by_neighborhood_by_id_[slug] = indexes;
    std::sort(by_id.begin(), by_id.end(), [&](std::size_t a, std::size_t b) {
      return roster.responders_[a].id < roster.responders_[b].id;
    });
  }
  return roster;
}

// The lookup is by hash of the presented token, so its timing tells an attacker nothing about
// any stored token: they cannot steer the hash toward a prefix of one.
const Responder* Roster::authenticate(std::string_view token) const {
  return authenticate(PresentedToken(token));
}

const Responder* Roster::authenticate(const PresentedToken& token) const {
  if (token.empty()) return nullptr;
  const auto it = by_token_hash_.find(token.sha256_hex());
  return it == by_token_hash_.end() ? nullptr : &responders_[it->second];
}

namespace {

const std::vector<std::size_t>& covering_in(
    const std::map<std::string, std::vector<std::size_t>, std::less<>>& by_neighborhood,
    std::string_view neighborhood) {
  static const std::vector<std::size_t> nobody;
  const auto it = by_neighborhood.find(neighborhood);
  return it == by_neighborhood.end() ? nobody : it->second;
}

}  // namespace

const std::vector<std::size_t>& Roster::covering(std::string_view neighborhood) const {
  return covering_in(by_neighborhood_, neighborhood);
}

const std::vector<std::size_t>& Roster::covering_by_id(std::string_view neighborhood) const {
  return covering_in(by_neighborhood_by_id_, neighborhood);
}

std::optional<std::size_t> Roster::index_of(const Responder& who) const {
  // std::less orders any two pointers, even into different arrays, where < would not.
  const std::less<const Responder*> before;
  const Responder* first = responders_.data();
  if (responders_.empty() || before(&who, first) || !before(&who, first + responders_.size()))
    return std::nullopt;
  return static_cast<std::size_t>(&who - first);
}

const Responder* Roster::find(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &responders_[it->second];
}

}  // namespace puente::core
