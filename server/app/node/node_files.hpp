#pragma once
// What a node reads at start, from the files and keys its config names: geography, roster,
// templates, dispatch policy, pages and tiles, the caller key, the TLS certificate, and the Web
// Push signer, the SMS gateway's credentials. Each throws std::runtime_error naming the file at
// fault: a node that cannot read what it was told to stops at start rather than run without it.

#include "app/node/config.hpp"
#include "channels/push/push_sender.hpp"
#include "channels/push/vapid_signer.hpp"
#include "channels/push_dispatch.hpp"
#include "channels/sms/gateway_credentials.hpp"
#include "channels/sms/sendsms_client.hpp"
#include "channels/sms_dispatch.hpp"
#include "core/alert_templates.hpp"
#include "core/caller_key.hpp"
#include "core/dispatch_policy.hpp"
#include "core/geo_index.hpp"
#include "core/roster.hpp"
#include "net/static_files.hpp"
#include "net/tile_files.hpp"
#include "net/tls_certificate.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace puente::app {

std::string read_file(const std::filesystem::path& path, const char* what);

core::GeoIndex load_geography(const NodeConfig& config);

core::Roster load_roster(const NodeConfig& config, const core::GeoIndex& geo);

core::Templates load_templates(const NodeConfig& config);

core::DispatchPolicies load_policies(const NodeConfig& config, const core::GeoIndex& geo);

// The web pages, if there is a folder of them. A folder the config names must exist; without
// one the node serves the API alone.
std::unique_ptr<net::StaticFiles> open_pages(const std::filesystem::path& root);

// The map tiles of [web] tiles_dir, if the config names a folder (map_tiles.hpp). Only the
// tile server's origin is logged: a template may carry a key in its query.
std::unique_ptr<net::TileFiles> open_tiles(const MapTiles& tiles);

std::optional<core::CallerKey> load_caller_key(const NodeConfig& config);

std::shared_ptr<net::TlsCertificate> load_certificate(const NodeConfig& config);

// The network's VAPID signer of [push] vapid_key_file; none when Web Push is off. A key file that
// does not load stops the node at start, naming the file: a node told to push must be able to.
std::shared_ptr<push::VapidSigner> open_vapid_signer(const PushConfig& push);

std::shared_ptr<push::PushSender> open_push_sender(std::shared_ptr<push::VapidSigner> signer,
                                                   const PushConfig& push,
                                                   boost::asio::any_io_executor executor);

channels::PushDispatchOptions push_dispatch_options(const NodeConfig& config);

// The secrets shared with Kannel, from [sms] credentials_file; none when SMS is off. A file
// that does not parse stops the node at start, naming the file (never a secret).
std::optional<sms::GatewayCredentials> load_sms_credentials(const SmsConfig& sms);

// smsbox's client and the SMS dispatch's options, from [sms].
std::shared_ptr<sms::SendsmsClient> open_sendsms_client(
    const std::optional<sms::GatewayCredentials>& credentials, const SmsConfig& sms,
    boost::asio::any_io_executor executor);
channels::SmsDispatchOptions sms_dispatch_options(const SmsConfig& sms);

}  // namespace puente::app
