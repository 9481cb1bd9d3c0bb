// Reads the Kannel config fragment puented and Kannel share (see gateway_credentials.hpp).
//
// Kannel's config syntax, as far as this file needs it: "key = value" lines, a value optionally
// in double quotes, '#' starting a comment line, and "group = name" starting a group that runs
// to the next one.

#include "channels/sms/gateway_credentials.hpp"

#include "core/authorization_header.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <vector>

namespace puente::sms {

namespace {

using Group = std::map<std::string, std::string, std::less<>>;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("SMS gateway credentials: " + what);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::pair<std::string, Group>> groups_of(std::string_view text) {
  std::vector<std::pair<std::string, Group>> groups;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const auto equals = line.find('=');
    if (equals == std::string_view::npos)
      fail("line " + std::to_string(line_number) + " is not \"key = value\"");
    const std::string key(trim(line.substr(0, equals)));
    std::string_view value = trim(line.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (key == "group") {
      groups.emplace_back(std::string(value), Group{});
    } else if (groups.empty()) {
      fail("line " + std::to_string(line_number) + " comes before any \"group = ...\"");
    } else {
      groups.back().second[key] = std::string(value);
    }
  }
  return groups;
}

const Group& only_group(const std::vector<std::pair<std::string, Group>>& groups,
                        std::string_view name) {
  const Group* found = nullptr;
  for (const auto& [group_name, group] : groups) {
    if (group_name != name) continue;
    if (found) fail("more than one \"group = " + std::string(name) + "\"");
    found = &group;
  }
  if (!found) fail("no \"group = " + std::string(name) + "\"");
  return *found;
}

bool url_safe(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '~' || c == '-';
  });
}

// Checks a name or password without ever putting the value in the message.
std::string checked(std::string_view value, const std::string& what, bool password) {
  if (!url_safe(value))
    fail(what + " is empty or has characters other than letters, digits and \"._~-\"");
  if (password && value.size() < kMinPasswordLength)
    fail(what + " is shorter than " + std::to_string(kMinPasswordLength) +
         " characters (openssl rand -hex 16 makes one)");
  return std::string(value);
}

std::string value_of(const Group& group, std::string_view group_name, std::string_view key) {
  const auto it = group.find(key);
  if (it == group.end())
    fail("\"group = " + std::string(group_name) + "\" has no \"" + std::string(key) + "\"");
  return it->second;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

}  // namespace

GatewayCredentials GatewayCredentials::parse(std::string_view kannel_config) {
  const auto groups = groups_of(kannel_config);
  GatewayCredentials credentials;

  const Group& user = only_group(groups, "sendsms-user");
  credentials.sendsms_username =
      checked(value_of(user, "sendsms-user", "username"), "sendsms-user's username", false);
  credentials.sendsms_password =
      checked(value_of(user, "sendsms-user", "password"), "sendsms-user's password", true);

  const Group& service = only_group(groups, "sms-service");
  const std::string url = value_of(service, "sms-service", "post-url");
  const auto scheme_end = url.find("://");
  const auto at = url.find('@');
  const auto slash = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (scheme_end == std::string::npos || at == std::string::npos || at > slash)
    fail(
        "the sms-service's post-url has no user:password@ before its host: Kannel would post "
        "replies without credentials, and puented refuses those");
  const std::string userinfo = url.substr(scheme_end + 3, at - scheme_end - 3);
  const auto colon = userinfo.find(':');
  if (colon == std::string::npos) fail("the sms-service's post-url has a user but no :password");
  credentials.gateway_username = checked(userinfo.substr(0, colon), "the post-url's user", false);
  credentials.gateway_password =
      checked(userinfo.substr(colon + 1), "the post-url's password", true);
  return credentials;
}

GatewayCredentials GatewayCredentials::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("SMS gateway credentials " + path.string() + ": cannot be read");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return parse(text);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

bool GatewayCredentials::authorizes(std::string_view authorization) const {
  const auto given = core::authorization_credentials(authorization, "Basic");
  const std::string expected = base64(gateway_username + ":" + gateway_password);
  return given && given->size() == expected.size() &&
         CRYPTO_memcmp(given->data(), expected.data(), expected.size()) == 0;
}

std::string GatewayCredentials::userinfo() const {
  return gateway_username + ":" + gateway_password + "@";
}

}  // namespace puente::sms
