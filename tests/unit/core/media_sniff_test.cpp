// An upload is what its bytes say, not what its name or the client says (docs/evidence.md).
#include "core/media_sniff.hpp"

#include <gtest/gtest.h>

#include <string>

namespace puente::core {
namespace {

using namespace std::string_literals;

const std::string jpeg = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01"s;
const std::string png = "\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR"s;
const std::string iphone_video =
    "\x00\x00\x00\x14"
    "ftypqt  \x00\x00\x00\x00"s;
const std::string android_video =
    "\x00\x00\x00\x18"
    "ftypmp42\x00\x00\x00\x00"s;
const std::string webm = "\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81\x01\x42\xF2\x81"s;
const std::string elf =
    "\x7F"
    "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"s;

TEST(MediaSniff, APhotoVideoOrRecordingIsTakenAsItsOwnType) {
  EXPECT_TRUE(media_matches(MediaKind::photo, "image/jpeg", jpeg));
  EXPECT_TRUE(media_matches(MediaKind::photo, "IMAGE/PNG", png));
  EXPECT_TRUE(media_matches(MediaKind::video, "video/quicktime", iphone_video));
  EXPECT_TRUE(media_matches(MediaKind::video, "video/mp4", android_video));
  EXPECT_TRUE(media_matches(MediaKind::audio, "audio/webm;codecs=opus", webm));
  EXPECT_EQ(media_content_type(MediaKind::video, iphone_video), "video/quicktime");
  EXPECT_EQ(media_content_type(MediaKind::photo, jpeg), "image/jpeg");
}

TEST(MediaSniff, AFileLyingAboutItsTypeIsRefused) {
  EXPECT_FALSE(media_matches(MediaKind::photo, "image/jpeg", elf));
  EXPECT_FALSE(media_matches(MediaKind::photo, "image/jpeg", png));
  EXPECT_FALSE(media_matches(MediaKind::video, "video/mp4", jpeg));
  EXPECT_FALSE(media_matches(MediaKind::photo, "video/mp4", android_video));  // kind disagrees
  EXPECT_FALSE(media_matches(MediaKind::photo, "image/jpeg", ""));
  EXPECT_EQ(sniff_media(elf).content_type, "");
}

TEST(MediaSniff, ANoteIsPlainUtf8Text) {
  EXPECT_TRUE(media_matches(MediaKind::note, "text/plain; charset=utf-8", "anything"));
  EXPECT_FALSE(media_matches(MediaKind::note, "image/jpeg", jpeg));
  EXPECT_TRUE(is_note_text("3 vans on Soto\nagents at the door\t— señora García"));
  EXPECT_FALSE(is_note_text("ok\x00hidden"s));
  EXPECT_FALSE(is_note_text("\xC3\x28"));  // a broken sequence
  EXPECT_FALSE(is_note_text(elf));
  EXPECT_TRUE(is_note_text("\xEF\xBF\xBD"));  // U+FFFD written out is text
}

}  // namespace
}  // namespace puente::core
