// The dispatch policy from the [policy] table of the node's TOML config.
//
// Data structures: `network_` holds the [policy] table over the defaults; `overrides_` holds,
// per neighborhood slug, a copy of `network_` with that neighborhood's options applied on top.
// Validation is strict (an unknown option is an error) for the reason the roster's is: a typo
// such as "qourum" would otherwise silently leave a neighborhood on the defaults.

#include "core/dispatch_policy.hpp"

#include "core/sms_reply.hpp"
#include "core/toml_checks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace puente::core {

namespace {

using namespace toml_checks;  // check_keys, fail, integer, table_at

constexpr std::array<std::pair<EscalationAudience, std::string_view>, 3> kAudienceNames{{
    {EscalationAudience::adjacent, "adjacent"},
    {EscalationAudience::region, "region"},
    {EscalationAudience::dispatchers, "dispatchers"},
}};

constexpr std::array<std::string_view, 11> kPolicyKeys{"verify_before_dispatch",
                                                       "quorum",
                                                       "escalation",
                                                       "dedup_meters",
                                                       "dedup_window_seconds",
                                                       "checkin_minutes",
                                                       "checkin_grace_minutes",
                                                       "duress_word",
                                                       "help_reply",
                                                       "unverified_cap",
                                                       "unverified_window_seconds"};
constexpr std::array<std::string_view, 3> kQuorumKeys{"count", "role", "state"};
constexpr std::array<std::string_view, 2> kStepKeys{"deadline_seconds", "audience"};

// Limits. A quorum beyond 1000 people, a deadline or dedup window beyond a day, or a dedup
// radius beyond 10 km (it would merge separate raids across a city) is a typo, not a policy.
constexpr std::int64_t kMaxQuorum = 1000;
constexpr std::int64_t kMaxPolicySeconds = 24 * 60 * 60;
constexpr double kMaxDedupMeters = 10'000;

void apply_quorum(const toml::table& table, const std::string& path, Quorum& quorum) {
  check_keys(table, path, kQuorumKeys);
  if (const toml::node* count = table.get("count"))
    quorum.count = static_cast<int>(integer(*count, path + ".count", 1, kMaxQuorum));
  if (const toml::node* role = table.get("role")) {
    const auto* name = role->as_string();
    if (!name) fail(path + ".role must be a role name or \"any\"");
    if (name->get() == "any") {
      quorum.role = std::nullopt;
    } else {
      quorum.role = parse_role(name->get());
      if (!quorum.role)
        fail(path + ".role \"" + name->get() +
             "\" is not a role (operator, dispatcher, legal_observer, volunteer, attorney, "
             "counselor, admin) or \"any\"");
    }
  }
  if (const toml::node* state = table.get("state")) {
    const auto* name = state->as_string();
    v1::AckState parsed = v1::ACK_STATE_UNSPECIFIED;
    const bool known = name && v1::AckState_Parse(name->get(), &parsed);
    // DECLINED and UNAVAILABLE say nobody is coming: they can never make a quorum.
    if (!known || (parsed != v1::RECEIVED && parsed != v1::EN_ROUTE && parsed != v1::ON_SCENE))
      fail(path + ".state must be \"RECEIVED\", \"EN_ROUTE\" or \"ON_SCENE\"");
    quorum.state = parsed;
  }
}

std::vector<EscalationStep> parse_escalation(const toml::node& node, const std::string& path) {
  const auto* list = node.as_array();
  if (!list) fail(path + " must be an array of tables, written [[" + path + "]]");
  std::vector<EscalationStep> steps;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string where = path + "[" + std::to_string(i) + "]";
    const toml::table& step = table_at(*list->get(i), where);
    check_keys(step, where, kStepKeys);

    const toml::node* deadline = step.get("deadline_seconds");
    if (!deadline) fail(where + ".deadline_seconds is missing");
    EscalationStep parsed;
    parsed.deadline =
        std::chrono::seconds{integer(*deadline, where + ".deadline_seconds", 1, kMaxPolicySeconds)};
    // Steps fire in order; a deadline out of order would fire two steps at once or skip one.
    if (!steps.empty() && parsed.deadline <= steps.back().deadline)
      fail(where + ".deadline_seconds must be greater than the step before it (" +
           std::to_string(steps.back().deadline.count()) + ")");

    const toml::node* audience = step.get("audience");
    if (!audience) fail(where + ".audience is missing");
    const auto* name = audience->as_string();
    const auto parsed_audience = name ? parse_escalation_audience(name->get()) : std::nullopt;
    if (!parsed_audience)
      fail(where + ".audience must be \"adjacent\", \"region\" or \"dispatchers\"");
    parsed.audience = *parsed_audience;
    steps.push_back(parsed);
  }
  return steps;
}

// A number of minutes in (0, 1440], fractional allowed, as milliseconds (at least 1).
std::chrono::milliseconds checkin_minutes_at(const toml::node& node, const std::string& option) {
  const auto value = node.value<double>();  // an integer or a float
  if (!value || node.is_boolean() || !std::isfinite(*value))
    fail(option + " must be a number of minutes");
  if (*value <= 0) fail(option + " must be > 0");
  if (*value > 1440) fail(option + " must be <= 1440");
  return std::chrono::milliseconds{std::max<std::int64_t>(1, std::llround(*value * 60'000))};
}

// A reply word (duress_word, help_reply): folded as a text reply is, so they compare.
std::string reply_word_at(const toml::node& node, const std::string& option) {
  const auto* text = node.as_string();
  if (!text) fail(option + " must be a string");
  if (text->get().size() > 64) fail(option + " must be at most 64 bytes");
  return folded_reply(text->get());
}

void apply_on_scene(const toml::table& table, const std::string& path, OnScenePolicy& on_scene) {
  if (const toml::node* every = table.get("checkin_minutes"))
    on_scene.checkin_interval = checkin_minutes_at(*every, path + ".checkin_minutes");
  if (const toml::node* grace = table.get("checkin_grace_minutes"))
    on_scene.checkin_grace = checkin_minutes_at(*grace, path + ".checkin_grace_minutes");
  if (const toml::node* duress = table.get("duress_word"))
    on_scene.duress_word = reply_word_at(*duress, path + ".duress_word");
  if (const toml::node* help = table.get("help_reply")) {
    on_scene.help_reply = reply_word_at(*help, path + ".help_reply");
    if (on_scene.help_reply.empty()) fail(path + ".help_reply must have a letter or digit");
  }
}

// Applies the options present in `table` (the [policy] table, or one neighborhood's) to `policy`.
void apply_options(const toml::table& table, const std::string& path, DispatchPolicy& policy,
                   bool top_level) {
  check_keys(table, path, kPolicyKeys, top_level ? "neighborhoods" : "");

  if (const toml::node* verify = table.get("verify_before_dispatch")) {
    const auto* flag = verify->as_boolean();
    if (!flag) fail(path + ".verify_before_dispatch must be true or false");
    policy.verify_before_dispatch = flag->get();
  }
  if (const toml::node* quorum = table.get("quorum"))
    apply_quorum(table_at(*quorum, path + ".quorum"), path + ".quorum", policy.quorum);
  if (const toml::node* escalation = table.get("escalation"))
    policy.escalation = parse_escalation(*escalation, path + ".escalation");
  if (const toml::node* meters = table.get("dedup_meters")) {
    const std::string option = path + ".dedup_meters";
    const auto value = meters->value<double>();  // an integer or a float
    if (!value || meters->is_boolean() || !std::isfinite(*value))
      fail(option + " must be a number of metres");
    if (*value <= 0) fail(option + " must be > 0");
    if (*value > kMaxDedupMeters)
      fail(option + " must be <= " + std::to_string(static_cast<int>(kMaxDedupMeters)));
    policy.dedup_meters = *value;
  }
  if (const toml::node* window = table.get("dedup_window_seconds"))
    policy.dedup_window = std::chrono::seconds{
        integer(*window, path + ".dedup_window_seconds", 1, kMaxPolicySeconds)};
  apply_on_scene(table, path, policy.on_scene);
  // A cap past 10000 new incidents in one neighborhood's window is no cap: a typo.
  if (const toml::node* cap = table.get("unverified_cap"))
    policy.unverified_cap = static_cast<int>(integer(*cap, path + ".unverified_cap", 0, 10000));
  if (const toml::node* window = table.get("unverified_window_seconds"))
    policy.unverified_window = std::chrono::seconds{
        integer(*window, path + ".unverified_window_seconds", 1, kMaxPolicySeconds)};
}

}  // namespace

std::optional<EscalationAudience> parse_escalation_audience(std::string_view name) {
  for (const auto& [audience, audience_name] : kAudienceNames)
    if (audience_name == name) return audience;
  return std::nullopt;
}

std::string_view to_string(EscalationAudience audience) {
  for (const auto& [a, name] : kAudienceNames)
    if (a == audience) return name;
  return "unknown";
}

std::vector<EscalationStep> default_escalation() {
  using std::chrono::minutes;
  return {{minutes(10), EscalationAudience::adjacent},
          {minutes(20), EscalationAudience::region},
          {minutes(30), EscalationAudience::dispatchers}};
}

DispatchPolicies DispatchPolicies::from_toml(std::string_view config_text,
                                             const IsKnownNeighborhood& known) {
  const toml::table document = toml_checks::parse_document(config_text);
  DispatchPolicies policies;
  const toml::node* policy = document.get("policy");
  if (!policy) return policies;
  const toml::table& table = table_at(*policy, "policy");
  apply_options(table, "policy", policies.network_, true);

  const toml::node* neighborhoods = table.get("neighborhoods");
  if (!neighborhoods) return policies;
  for (const auto& [key, value] : table_at(*neighborhoods, "policy.neighborhoods")) {
    const std::string slug(key.str());
    const std::string path = "policy.neighborhoods." + slug;
    if (!known(slug)) fail(path + ": unknown neighborhood");
    DispatchPolicy merged = policies.network_;
    apply_options(table_at(value, path), path, merged, false);
    policies.overrides_.emplace(slug, std::move(merged));
  }
  return policies;
}

std::chrono::seconds DispatchPolicies::longest_dedup_window() const {
  auto longest = network_.dedup_window;
  for (const auto& [slug, policy] : overrides_) longest = std::max(longest, policy.dedup_window);
  return longest;
}

const DispatchPolicy& DispatchPolicies::for_neighborhood(std::string_view neighborhood) const {
  const auto it = overrides_.find(neighborhood);
  return it == overrides_.end() ? network_ : it->second;
}

}  // namespace puente::core
