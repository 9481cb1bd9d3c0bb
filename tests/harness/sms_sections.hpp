#pragma once
// The config sections of a network whose nodes text through a test's real Kannel
// (kannel_gateway.hpp), for tests that run SMS beside something else (two networks, a Redis
// Cluster): the caller key SMS needs ("caller.key" beside the network's file), [sms] with the
// gateway's credentials and sendsms port and the node's address for delivery reports, and
// ladders that text each alert at once to whoever has no socket.

#include <filesystem>
#include <string>

namespace puente::test {

inline std::string sms_sections(const std::filesystem::path& credentials_file,
                                unsigned short sendsms_port, const std::string& from,
                                unsigned short node_port) {
  std::string ladders;
  for (const char* type : {"VERIFY", "DISPATCH", "ESCALATE", "UPDATE", "DEBUNK", "STAND_DOWN"})
    ladders += std::string("[delivery.") + type +
               "]\nsms = { after_seconds = 0, without_socket_after_seconds = 0 }\n";
  return "[privacy]\ncaller_key_file = \"caller.key\"\n[sms]\ncredentials_file = \"" +
         credentials_file.string() + "\"\nsendsms = \"127.0.0.1:" + std::to_string(sendsms_port) +
         "\"\nfrom = \"" + from +
         "\"\ncallback_url = \"http://127.0.0.1:" + std::to_string(node_port) +
         "\"\nbundle_seconds = 0\nconnect_timeout_ms = 1000\nresponse_timeout_ms = 2000\n"
         "[delivery]\nsocket_grace_ms = 300\n" +
         ladders;
}

}  // namespace puente::test
