#include "format.hpp"

#include <cstdio>
#include <ctime>
#include <map>
#include <vector>

namespace puente::cli {
namespace {

std::string padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

std::string coordinates(const v1::Location& where) {
  char text[64];
  std::snprintf(text, sizeof text, "%.5f, %.5f", where.lat(), where.lon());
  return text;
}

std::string quoted(const std::string& text) { return text.empty() ? "" : "\"" + text + "\""; }

template <typename Enum>
std::string enum_name(Enum value, const std::string& name) {
  return static_cast<int>(value) == 0 || name.empty() ? "?" : name;
}

template <typename Strings>
std::string joined(const Strings& items, const char* separator = ", ") {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

std::string counted(int count, const std::string& singular, const std::string& plural) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

std::tm local_time(std::time_t seconds) {
  std::tm local{};
  localtime_r(&seconds, &local);
  return local;
}

std::string strftime_local(const google::protobuf::Timestamp& at, const char* format) {
  if (at.seconds() == 0 && at.nanos() == 0) return "-";
  std::tm local = local_time(static_cast<std::time_t>(at.seconds()));
  char text[32];
  std::strftime(text, sizeof text, format, &local);
  return text;
}

// After an alert's text, in `tail` and `incident`: the escalation step, if any.
std::string escalation_suffix(const v1::Alert& alert) {
  if (alert.type() != v1::ESCALATE || alert.escalation_step() <= 0) return "";
  return " (step " + std::to_string(alert.escalation_step()) + ")";
}

}  // namespace

std::string format_time(const google::protobuf::Timestamp& at) {
  return strftime_local(at, "%Y-%m-%d %H:%M:%S");
}

std::string format_clock(const google::protobuf::Timestamp& at) {
  return strftime_local(at, "%H:%M:%S");
}

std::string name_of(v1::IncidentStatus status) {
  return enum_name(status, v1::IncidentStatus_Name(status));
}
std::string name_of(v1::ReportKind kind) { return enum_name(kind, v1::ReportKind_Name(kind)); }
std::string name_of(v1::AlertType type) { return enum_name(type, v1::AlertType_Name(type)); }
std::string name_of(v1::AckState state) { return enum_name(state, v1::AckState_Name(state)); }

std::string receipt_line(const v1::Incident& incident) {
  std::string line = "incident " + incident.id() + " in " + incident.neighborhood();
  if (!incident.neighborhood_name().empty()) line += " (" + incident.neighborhood_name() + ")";
  return line + ": " + name_of(incident.status());
}

std::string incident_line(const v1::Incident& incident) {
  const auto& changed = incident.has_updated_at() ? incident.updated_at() : incident.created_at();
  std::string line = padded(incident.id(), 20) + "  " + padded(name_of(incident.status()), 11) +
                     "  " + padded(name_of(incident.kind()), 12) + "  " +
                     padded(incident.neighborhood(), 20) + "  " + format_time(changed);
  if (!incident.location().description().empty())
    line += "  " + quoted(incident.location().description());
  return line;
}

// The alert's text, its escalation step, and the dispatcher's own words if they wrote any.
std::string alert_words(const v1::Alert& alert) {
  std::string words = alert.text() + escalation_suffix(alert);
  if (!alert.note().empty()) words += " — " + quoted(alert.note());
  return words;
}

std::string alert_line(const v1::Alert& alert) {
  std::string line = format_time(alert.sent_at()) + "  " + padded(name_of(alert.type()), 10) +
                     "  " + padded(alert.neighborhood(), 18) + "  " + alert_words(alert);
  if (!alert.location().description().empty()) line += " (" + alert.location().description() + ")";
  return line + "  [" + alert.incident_id() + " @ " + alert.offset() + "]";
}

std::string event_line(const v1::IncidentEvent& event) {
  std::string line = format_time(event.at()) + "  " + padded("INCIDENT", 10) + "  " +
                     padded(event.neighborhood(), 18) + "  " + event.what() + ": " +
                     name_of(event.status());
  if (event.has_ack()) {
    line += ", " + event.ack().responder_id() + " " + name_of(event.ack().state());
    if (!event.ack().note().empty()) line += " " + quoted(event.ack().note());
  }
  if (event.has_alert()) line += ", " + name_of(event.alert().type()) + " sent";
  return line + "  [" + event.incident_id() + "]";
}

std::string neighborhood_line(const v1::Neighborhood& neighborhood) {
  std::string line = padded(neighborhood.slug(), 24) + "  " + neighborhood.name();
  if (neighborhood.adjacent_size() > 0) {
    line += "  (next to";
    for (int i = 0; i < neighborhood.adjacent_size(); ++i)
      line += (i == 0 ? " " : ", ") + neighborhood.adjacent(i);
    line += ")";
  }
  return line;
}

std::string responder_line(const v1::Responder& responder) {
  std::string line = padded(responder.id(), 18) + "  " + padded(responder.name(), 24) + "  " +
                     padded(joined(responder.roles()), 32);
  if (responder.languages_size() > 0) line += "  [" + joined(responder.languages()) + "]";
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

std::string availability_line(const v1::Availability& availability, std::time_t now) {
  std::string line = availability.available() ? "available" : "not available";
  if (availability.has_until()) {
    std::tm today = local_time(now);
    std::tm until = local_time(static_cast<std::time_t>(availability.until().seconds()));
    bool same_day = until.tm_year == today.tm_year && until.tm_yday == today.tm_yday;
    line += " until " + strftime_local(availability.until(), same_day ? "%H:%M" : "%Y-%m-%d %H:%M");
  }
  if (!availability.responder_id().empty()) line += " (" + availability.responder_id() + ")";
  return line;
}

namespace {

void print_header(std::ostream& out, const v1::Incident& incident) {
  out << "incident " << incident.id() << "  " << name_of(incident.status()) << "  "
      << name_of(incident.kind()) << "\n";
  out << "  neighborhood  " << incident.neighborhood();
  if (!incident.neighborhood_name().empty()) out << " (" << incident.neighborhood_name() << ")";
  out << "\n";
  if (incident.has_location()) {
    out << "  location      " << coordinates(incident.location());
    if (!incident.location().description().empty())
      out << "  " << quoted(incident.location().description());
    out << "\n";
  }
  // A lone caller may be mistaken; more reporters are what lets a dispatcher confirm sooner.
  if (incident.reporters() > 0)
    out << "  corroboration seen by "
        << counted(incident.reporters(), "reporter", "independent reporters") << "\n";
  out << "  created       " << format_time(incident.created_at()) << "\n";
  if (incident.has_confirmed_at())
    out << "  confirmed     " << format_time(incident.confirmed_at()) << "\n";
  out << "  updated       " << format_time(incident.updated_at()) << "\n";
  if (incident.escalation_step() > 0)
    out << "  escalation    step " << incident.escalation_step() << "\n";
  if (incident.has_evidence_at())
    out << "  evidence      kept since " << format_time(incident.evidence_at())
        << " (never purged; no caller contact)\n";
  if (incident.alerted_neighborhoods_size() > 0)
    out << "  alerted       " << joined(incident.alerted_neighborhoods()) << "\n";
}

void print_alert(std::ostream& out, const v1::Alert& alert, const v1::Incident& incident) {
  out << "  " << format_time(alert.sent_at()) << "  " << padded(name_of(alert.type()), 10) << "  "
      << alert_words(alert);
  // An incident that moved or escalated has alerts in other neighborhoods than its own.
  if (!alert.neighborhood().empty() && alert.neighborhood() != incident.neighborhood())
    out << "  in " << alert.neighborhood();
  if (alert.audience_size() > 0) out << "  (to " << joined(alert.audience()) << ")";
  if (alert.recipients_size() > 0)
    out << "  [" << counted(alert.recipients_size(), "recipient", "recipients") << "]";
  out << "\n";
}

// The deliveries of one alert; `alert` is null if the answer left the alert itself out.
struct DeliveryGroup {
  std::string alert_id;
  const v1::Alert* alert = nullptr;
  std::vector<const v1::Delivery*> rows;
};

// Each time in its column: the alert published for them, written to a socket of theirs, accepted
// by a push service for a phone of theirs, shown by that phone, texted (the SMS gateway took a
// text for them), the text's delivery report said their phone got it, seen (RECEIVED),
// answered. Then their state, and what kept the alert from them (or may: every phone of theirs
// gone quiet, until they answer).
std::string delivery_row(const v1::Delivery& delivery) {
  std::string row = padded(delivery.responder_id(), 18);
  for (const auto* time :
       {&delivery.sent_at(), &delivery.delivered_at(), &delivery.pushed_at(), &delivery.shown_at(),
        &delivery.texted_at(), &delivery.text_delivered_at(), &delivery.seen_at(),
        &delivery.acked_at()})
    row += "  " + padded(format_clock(*time), 8);
  row += "  " + (delivery.last_state() == v1::ACK_STATE_UNSPECIFIED
                     ? std::string("-")
                     : std::string(name_of(delivery.last_state())));
  if (!delivery.push_problem().empty()) row += "  push " + delivery.push_problem();
  if (!delivery.text_problem().empty()) row += "  sms " + delivery.text_problem();
  if (delivery.unreachable()) row += "  UNREACHABLE";
  if (delivery.has_phones_quiet_since() && !delivery.has_seen_at() && !delivery.has_acked_at())
    row += "  phones quiet since " + strftime_local(delivery.phones_quiet_since(), "%Y-%m-%d");
  return row;
}

// Per alert, in the incident's order of alerts (the server may list deliveries in any order),
// one row per recipient: how far the alert got with them.
void print_deliveries(std::ostream& out, const v1::Incident& incident) {
  std::vector<DeliveryGroup> groups;
  std::map<std::string, std::size_t> group_of;
  auto group_for = [&](const std::string& alert_id) -> DeliveryGroup& {
    auto [found, added] = group_of.try_emplace(alert_id, groups.size());
    if (added) groups.push_back({alert_id, nullptr, {}});
    return groups[found->second];
  };
  for (const auto& alert : incident.alerts()) group_for(alert.id()).alert = &alert;
  for (const auto& delivery : incident.deliveries())
    group_for(delivery.alert_id()).rows.push_back(&delivery);

  out << "\ndeliveries (" << incident.deliveries_size() << ", local times)\n";
  for (const auto& group : groups) {
    if (group.rows.empty()) continue;
    out << "  " << (group.alert_id.empty() ? "?" : group.alert_id);
    if (group.alert != nullptr)
      out << "  " << name_of(group.alert->type()) << escalation_suffix(*group.alert) << "  "
          << format_clock(group.alert->sent_at());
    out << "\n    " << padded("responder", 18)
        << "  sent      socket    pushed    shown     texted    sms got   seen      acked     "
           "state\n";
    for (const auto* delivery : group.rows) out << "    " << delivery_row(*delivery) << "\n";
  }
}

void print_responders(std::ostream& out,
                      const google::protobuf::RepeatedPtrField<v1::Responder>& responders) {
  for (const auto& responder : responders) out << "  " << responder_line(responder) << "\n";
}

}  // namespace

void print_incident(std::ostream& out, const v1::Incident& incident) {
  print_header(out, incident);

  out << "\nreports (" << incident.reports_size() << ")\n";
  for (const auto& report : incident.reports()) {
    out << "  " << format_time(report.received_at()) << "  " << padded(report.id(), 20) << "  "
        << padded(name_of(report.kind()), 12);
    if (!report.language().empty()) out << "  [" << report.language() << "]";
    if (!report.reporter_id().empty()) out << "  by " << report.reporter_id();
    if (!report.description().empty()) out << "  " << quoted(report.description());
    if (!report.location().description().empty())
      out << "  at " << quoted(report.location().description());
    out << "\n";
  }

  out << "\nalerts (" << incident.alerts_size() << ")\n";
  for (const auto& alert : incident.alerts()) print_alert(out, alert, incident);

  out << "\nacks (" << incident.acks_size() << ")\n";
  for (const auto& ack : incident.acks()) {
    out << "  " << format_time(ack.at()) << "  " << padded(ack.responder_id(), 16) << "  "
        << (ack.note().empty() ? name_of(ack.state())
                               : padded(name_of(ack.state()), 11) + "  " + quoted(ack.note()));
    out << "\n";
  }

  // Only dispatchers get deliveries; an empty table would only look like nothing went out.
  if (incident.deliveries_size() > 0) print_deliveries(out, incident);
}

void print_on_call(std::ostream& out, const v1::OnCall& on_call) {
  // Our times are the machine's local time; shifts follow the roster's zone, which may differ.
  out << "on call at " << format_time(on_call.at()) << " (local time)";
  if (!on_call.time_zone().empty()) out << "; shifts in " << on_call.time_zone();
  out << "\n";
  for (const auto& entry : on_call.neighborhoods()) {
    out << "\n" << entry.neighborhood() << " (" << entry.responders_size() << ")\n";
    if (entry.responders_size() == 0) out << "  nobody on call\n";
    print_responders(out, entry.responders());
  }
  out << "\nstandby (" << on_call.standby_size() << ")\n";
  print_responders(out, on_call.standby());
  out << "\ndispatchers (" << on_call.dispatchers_size() << ")\n";
  print_responders(out, on_call.dispatchers());
}

}  // namespace puente::cli
