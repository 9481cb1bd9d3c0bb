// Address search in the Nominatim search API (core/nominatim_search.hpp): the geocoder's URL,
// the search's target (the text encoded, bounded by the network's area), and the places read
// from a jsonv2 answer (strings or numbers, outside the area dropped, anything else refused).
#include "core/nominatim_search.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

// LA City, roughly: {min lon, min lat, max lon, max lat}.
constexpr GeoBounds la = {-118.67, 33.70, -118.15, 34.34};

TEST(NominatimSearch, GeocoderUrlsAreReadAndNonsenseNamesWhy) {
  std::string why;
  auto plain = parse_geocoder_url("http://127.0.0.1:8088", why);
  ASSERT_TRUE(plain) << why;
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, "8088");
  EXPECT_EQ(plain->path, "");

  auto secure = parse_geocoder_url("https://geo.example.org/nominatim/search/", why);
  ASSERT_TRUE(secure) << why;
  EXPECT_TRUE(secure->tls);
  EXPECT_EQ(secure->host, "geo.example.org");
  EXPECT_EQ(secure->port, "443");
  EXPECT_EQ(secure->path, "/nominatim");

  auto v6 = parse_geocoder_url("http://[::1]:7070/", why);
  ASSERT_TRUE(v6) << why;
  EXPECT_EQ(v6->host, "::1");

  for (const char* bad :
       {"geo.example.org", "ftp://geo.example.org", "https://user:pw@geo.example.org",
        "https://geo.example.org/?key=1", "https:///search", ""}) {
    why.clear();
    EXPECT_FALSE(parse_geocoder_url(bad, why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(NominatimSearch, TheTargetEncodesTheTextAndBoundsTheSearchByTheArea) {
  std::string why;
  auto url = *parse_geocoder_url("https://geo.example.org/nominatim", why);
  EXPECT_EQ(nominatim_search_target(url, "César Chávez & Soto", 5, la),
            "/nominatim/search?q=C%C3%A9sar%20Ch%C3%A1vez%20%26%20Soto&format=jsonv2&limit=5"
            "&viewbox=-118.670000,34.340000,-118.150000,33.700000&bounded=1");
  // Nothing of the text can add a parameter or a path of its own.
  auto target = nominatim_search_target(url, "a=b&limit=999#x/../y?", 3, la);
  EXPECT_EQ(target.find("limit=999"), std::string::npos) << target;
  EXPECT_EQ(target.find('#'), std::string::npos) << target;
  EXPECT_TRUE(target.starts_with("/nominatim/search?q=a%3Db%26limit%3D999%23x%2F..%2Fy%3F&"))
      << target;
  EXPECT_TRUE(
      target.ends_with("&format=jsonv2&limit=3&viewbox=-118.670000,34.340000,-118.150000,"
                       "33.700000&bounded=1"))
      << target;
}

TEST(NominatimSearch, PlacesAreReadFromJsonv2AndThoseOutsideTheAreaDropped) {
  const auto places = nominatim_places(
      R"([{"place_id":1,"lat":"34.0478","lon":"-118.2087","display_name":"César E. Chávez Avenue & Soto Street, Boyle Heights"},
          {"lat":37.7749,"lon":-122.4194,"display_name":"Soto Street, San Francisco"},
          {"lat":34.05,"lon":-118.25,"name":"City Hall"},
          {"lat":"34.06","lon":"-118.24"}])",
      la, 10);
  ASSERT_TRUE(places);
  ASSERT_EQ(places->size(), 3u);
  EXPECT_DOUBLE_EQ((*places)[0].lat, 34.0478);
  EXPECT_DOUBLE_EQ((*places)[0].lon, -118.2087);
  EXPECT_EQ((*places)[0].name, "César E. Chávez Avenue & Soto Street, Boyle Heights");
  EXPECT_EQ((*places)[1].name, "City Hall");
  EXPECT_EQ((*places)[2].name, "");

  auto first = nominatim_places(
      R"([{"lat":"34.05","lon":"-118.25"},{"lat":"34.06","lon":"-118.24"}])", la, 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), 1u);
  auto none = nominatim_places("[]", la, 5);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(NominatimSearch, AnAnswerThatIsNoListOfPlacesIsRefused) {
  for (const char* bad :
       {"", "<html>502 Bad Gateway</html>", R"({"error":"Unable to geocode"})", "[1,2]",
        R"([{"lat":"north","lon":"-118.2"}])", R"([{"lat":"34.05"}])",
        R"([{"lat":"95","lon":"-118.2"}])", R"([{"lat":"34.05","lon":"-118.2"},{"lon":"1"}])",
        R"([{"lat":"34.05 ","lon":"-118.2"}])", "[{\"lat\":\"34.05\",\"lon\":\"-118.2\"}"})
    EXPECT_FALSE(nominatim_places(bad, la, 5)) << bad;
}

}  // namespace
}  // namespace puente::core
