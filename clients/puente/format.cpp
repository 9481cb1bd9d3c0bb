#include "format.hpp"

#include <cstdio>
#include <ctime>

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

}  // namespace

std::string format_time(const google::protobuf::Timestamp& at) {
  if (at.seconds() == 0 && at.nanos() == 0) return "-";
  std::time_t seconds = static_cast<std::time_t>(at.seconds());
  std::tm local{};
  localtime_r(&seconds, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  return text;
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

std::string alert_line(const v1::Alert& alert) {
  std::string line = format_time(alert.sent_at()) + "  " + padded(name_of(alert.type()), 10) +
                     "  " + padded(alert.neighborhood(), 18) + "  " + alert.text();
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

void print_incident(std::ostream& out, const v1::Incident& incident) {
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
  out << "  created       " << format_time(incident.created_at()) << "\n";
  out << "  updated       " << format_time(incident.updated_at()) << "\n";

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
  for (const auto& alert : incident.alerts()) {
    out << "  " << format_time(alert.sent_at()) << "  " << padded(name_of(alert.type()), 10) << "  "
        << alert.text();
    if (alert.audience_size() > 0) {
      out << "  (to";
      for (int i = 0; i < alert.audience_size(); ++i)
        out << (i == 0 ? " " : ", ") << alert.audience(i);
      out << ")";
    }
    out << "\n";
  }

  out << "\nacks (" << incident.acks_size() << ")\n";
  for (const auto& ack : incident.acks()) {
    out << "  " << format_time(ack.at()) << "  " << padded(ack.responder_id(), 16) << "  "
        << (ack.note().empty() ? name_of(ack.state())
                               : padded(name_of(ack.state()), 11) + "  " + quoted(ack.note()));
    out << "\n";
  }
}

}  // namespace puente::cli
