// Who an incident's call went to, as intake tells the operator (issue 20): the people a VERIFY,
// DISPATCH or ESCALATE went to, once each, in any neighborhood; not those only told news or an
// end, nor the on-scene messages.

#include "core/alert_recipients.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {
namespace {

void add_alert(v1::Incident& incident, v1::AlertType type, const std::string& neighborhood,
               std::initializer_list<const char*> recipients) {
  auto* alert = incident.add_alerts();
  alert->set_type(type);
  alert->set_neighborhood(neighborhood);
  for (const auto* id : recipients) alert->add_recipients(id);
}

TEST(AskedToCome, ThePeopleAskedToComeOnceEachInEveryNeighborhood) {
  v1::Incident incident;
  add_alert(incident, v1::VERIFY, "boyle-heights", {"obs-bh"});
  add_alert(incident, v1::DISPATCH, "boyle-heights", {"obs-bh", "vol-bh"});
  add_alert(incident, v1::ESCALATE, "downtown", {"obs-dt"});
  add_alert(incident, v1::UPDATE, "boyle-heights", {"obs-bh", "vol-bh", "att-bh"});
  add_alert(incident, v1::CHECK_IN_MISSED, "boyle-heights", {"disp"});
  add_alert(incident, v1::HELP_CALL, "boyle-heights", {"att-bh"});
  EXPECT_EQ(asked_to_come(incident), (std::vector<std::string_view>{"obs-bh", "obs-dt", "vol-bh"}));
}

TEST(AskedToCome, NobodyWhenTheCallWentToNobody) {
  v1::Incident incident;
  add_alert(incident, v1::VERIFY, "westwood", {});
  EXPECT_TRUE(asked_to_come(incident).empty());
  EXPECT_TRUE(asked_to_come(v1::Incident{}).empty());
}

}  // namespace
}  // namespace puente::core
