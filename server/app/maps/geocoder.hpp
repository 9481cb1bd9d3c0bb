#pragma once
// The geocoder a network runs ([geography] geocoder_url), asked for an address on behalf of the
// intake page (POST /v1/geocode, geography_routes.cpp): one search is one GET of the Nominatim
// search API (core/nominatim_search.hpp) over a new connection, TLS when the URL is https (the
// certificate verified against the system's roots, or ca_file, for the URL's host). One deadline
// bounds the whole search: resolving, connecting, TLS, the request and the whole answer.
// Redirects are not followed. At most `max_in_flight` searches at once; more are answered
// "unavailable" at once (a geocoder that hangs must not pile up connections on the node).
//
// The text searched for is an address a caller gave: it is never logged, here or by the caller
// of search(); a failure's detail names the geocoder's host and what went wrong, nothing more.

#include "app/maps/geocoder_settings.hpp"
#include "core/nominatim_search.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace puente::app {

class Geocoder {
 public:
  enum class Failure {
    unavailable,  // not reached in time, refused, reset, TLS failed, too busy: 503
    bad_answer,   // an answer that is not a Nominatim jsonv2 array of places, or not 200: 502
  };
  struct Outcome {
    std::optional<Failure> failure;
    std::string detail;  // why, for the error body and the log; never the text searched for
    std::vector<core::FoundPlace> places;
  };
  using Done = std::function<void(Outcome)>;

  // Throws std::runtime_error if ca_file does not load.
  Geocoder(boost::asio::any_io_executor executor, GeocoderSettings settings,
           core::GeoBounds bounds);

  // Calls `done` exactly once, on the executor.
  void search(std::string text, std::size_t limit, Done done);

  const GeocoderSettings& settings() const { return settings_; }

 private:
  boost::asio::any_io_executor executor_;
  GeocoderSettings settings_;
  core::GeoBounds bounds_;
  boost::asio::ssl::context tls_{boost::asio::ssl::context::tls_client};
  std::shared_ptr<std::atomic<std::size_t>> in_flight_ =
      std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace puente::app
