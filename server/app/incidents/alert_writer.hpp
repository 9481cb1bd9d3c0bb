#pragma once
// Writes the alerts an incident sends: one per neighborhood it goes to, each naming its
// recipients (core/alert_recipients.hpp decides who) and carrying its text in every language
// those recipients read (core/alert_templates.hpp), plus the dispatcher's own words as a note.

#include "core/alert_templates.hpp"
#include "core/geo_index.hpp"
#include "core/roster.hpp"
#include "core/time_zone.hpp"
#include "puente/v1/puente.pb.h"

#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace puente::app {

class AlertWriter {
 public:
  AlertWriter(const core::Roster& roster, const core::GeoIndex& geo, const core::TimeZone& zone,
              const core::Templates& templates, std::string default_language = "en");

  struct Request {
    const v1::Incident* incident;
    v1::AlertType type;
    std::vector<std::string> neighborhoods;  // one alert each
    std::string note;                        // the dispatcher's words, if any
    int escalation_step = 0;
    std::chrono::system_clock::time_point now;
    const std::set<std::string>* available;  // who set themselves available
  };

  // The alerts, in the order of `neighborhoods`; one with no recipients is left out (nobody to
  // tell there), except in the incident's own neighborhood, whose history keeps every alert.
  std::vector<v1::Alert> write(const Request& request) const;

  // The language `who` reads alerts in.
  std::string language_of(const core::Responder& who) const;

 private:
  const core::Roster& roster_;
  const core::GeoIndex& geo_;
  const core::TimeZone& zone_;
  const core::Templates& templates_;
  std::string default_language_;
  // The languages the roster reads, once each, the default first; and for each of
  // roster_.responders() the index of its language_of there. An alert tells its recipients'
  // languages apart by these small numbers, not by comparing strings (issue 22).
  std::vector<std::string> rostered_languages_;
  std::vector<std::size_t> language_index_;
};

}  // namespace puente::app
