// A photo's shared copy keeps the image and loses where it was taken (docs/evidence.md).
#include "core/location_metadata.hpp"

#include <gtest/gtest.h>

#include <string>

namespace puente::core {
namespace {

using namespace std::string_literals;

std::string segment(char marker, const std::string& payload) {
  auto length = payload.size() + 2;
  return "\xFF"s + marker + static_cast<char>(length >> 8) + static_cast<char>(length & 0xFF) +
         payload;
}

// SOI, APP0 JFIF, APP1 Exif with a GPS tag's bytes, APP1 XMP, a quantisation table, then the scan.
const std::string exif_gps = "Exif\x00\x00MM\x00\x2A GPSLatitude 34.0335 N"s;
const std::string xmp = "http://ns.adobe.com/xap/1.0/\x00<exif:GPSLongitude>118,12.66W"s;
const std::string scan = "\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00 image bytes \xFF\xD9"s;
const std::string photo = "\xFF\xD8"s + segment('\xE0', "JFIF\x00\x01\x02"s) +
                          segment('\xE1', exif_gps) + segment('\xE1', xmp) +
                          segment('\xDB', "\x00quant"s) + scan;

TEST(LocationMetadata, AJpegLosesItsExifAndXmpAndKeepsTheImage) {
  auto copy = without_location_metadata(photo, "image/jpeg");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->find("GPS"), std::string::npos);
  EXPECT_EQ(copy->find("34.0335"), std::string::npos);
  EXPECT_EQ(*copy, "\xFF\xD8"s + segment('\xE0', "JFIF\x00\x01\x02"s) +
                       segment('\xDB', "\x00quant"s) + scan);
  EXPECT_NE(photo.find("GPSLatitude"), std::string::npos);  // the original is not touched
}

TEST(LocationMetadata, APngLosesItsExifChunk) {
  auto chunk = [](const std::string& type, const std::string& data) {
    auto n = data.size();
    return std::string{static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                       static_cast<char>(n >> 8), static_cast<char>(n)} +
           type + data + "CRC!";
  };
  auto head = "\x89PNG\r\n\x1A\n"s + chunk("IHDR", std::string(13, '\x01'));
  auto png = head + chunk("eXIf", "MM GPS 34.03") + chunk("IDAT", "pixels") + chunk("IEND", "");
  auto copy = without_location_metadata(png, "image/png");
  ASSERT_TRUE(copy);
  EXPECT_EQ(*copy, head + chunk("IDAT", "pixels") + chunk("IEND", ""));
}

TEST(LocationMetadata, NothingIsSharedFromAFileItCannotReadWhole) {
  EXPECT_FALSE(without_location_metadata(photo.substr(0, 30), "image/jpeg"));
  EXPECT_FALSE(without_location_metadata("\xFF\xD8\xFF\xE1\xFF\xFF"s, "image/jpeg"));
  EXPECT_FALSE(without_location_metadata(photo, "video/mp4"));
}

}  // namespace
}  // namespace puente::core
