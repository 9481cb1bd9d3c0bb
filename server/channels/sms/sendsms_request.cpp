// The sendsms request target (see sendsms_request.hpp).

#include "channels/sms/sendsms_request.hpp"

#include "channels/sms/gateway_credentials.hpp"
#include "core/sms_segments.hpp"

namespace puente::sms {

std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string sendsms_target(const GatewayCredentials& credentials, const SendsmsSender& sender,
                           const OutboundSms& sms) {
  std::string target = "/cgi-bin/sendsms";
  const auto add = [&](std::string_view name, std::string_view value) {
    target += target.find('?') == std::string::npos ? '?' : '&';
    target += name;
    target += '=';
    target += percent_encoded(value);
  };
  add("username", credentials.sendsms_username);
  add("password", credentials.sendsms_password);
  if (!sender.from.empty()) add("from", sender.from);
  add("to", sms.to);
  add("text", sms.text);
  add("charset", "UTF-8");
  if (core::sms_length(sms.text).encoding == core::SmsEncoding::ucs2) add("coding", "2");
  if (!sms.dlr_url.empty()) {
    add("dlr-mask", std::to_string(sms.dlr_mask));
    add("dlr-url", sms.dlr_url);
  }
  if (!sender.smsc.empty()) add("smsc", sender.smsc);
  return target;
}

}  // namespace puente::sms
