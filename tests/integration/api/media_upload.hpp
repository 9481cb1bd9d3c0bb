#pragma once
// Uploading media to real nodes the way the observer page does (docs/evidence.md): declare the
// file, then PUT it in chunks with Upload-Offset, asking how far it got after a cut. Shared by
// the media, evidence bundle and retention tests.

#include "test_network.hpp"

#include "core/bearer_token.hpp"
#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace puente::test {

// `size` bytes that start like a file of that kind (its magic number) and go on at random.
inline std::string media_bytes(const std::string& head, std::size_t size, unsigned seed = 7) {
  std::string bytes = head;
  std::mt19937 random(seed);
  while (bytes.size() < size) bytes.push_back(static_cast<char>(random() & 0xFF));
  bytes.resize(size);
  return bytes;
}

inline const std::string mp4_head = std::string(
    "\x00\x00\x00\x18"
    "ftypmp42\x00\x00\x00\x00",
    16);

// A small whole JPEG with a GPS position in its EXIF.
inline std::string jpeg_with_gps() {
  using namespace std::string_literals;
  auto segment = [](char marker, const std::string& payload) {
    auto length = payload.size() + 2;
    return "\xFF"s + marker + static_cast<char>(length >> 8) + static_cast<char>(length & 0xFF) +
           payload;
  };
  return "\xFF\xD8"s + segment('\xE0', "JFIF\x00\x01\x02"s) +
         segment('\xE1', "Exif\x00\x00MM\x00\x2A GPSLatitude 34.0335"s) +
         "\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00 scan bytes \xFF\xD9"s;
}

inline std::string declare_json(const std::string& kind, std::size_t size,
                                const std::string& content_type) {
  return R"({"kind":")" + kind + R"(","size":)" + std::to_string(size) + R"(,"contentType":")" +
         content_type + R"("})";
}

// Declares an upload on `incident`; the upload as the node answered (status 201 checked).
inline v1::MediaUpload declare_upload(PuentedNode& node, const std::string& token,
                                      const std::string& incident, const std::string& kind,
                                      std::size_t size, const std::string& content_type) {
  auto answer = node.call(boost::beast::http::verb::post, "/v1/incidents/" + incident + "/media",
                          token, declare_json(kind, size, content_type));
  v1::MediaUpload upload;
  EXPECT_EQ(answer.status, 201u) << answer.body;
  EXPECT_EQ(wire::from_json(answer.body, upload), "") << answer.body;
  return upload;
}

inline client::HttpResponse put_chunk(client::HttpClient& http, const std::string& token,
                                      const std::string& upload_id, std::size_t offset,
                                      std::string_view bytes) {
  return http.request(boost::beast::http::verb::put, "/v1/uploads/" + upload_id, bytes, token,
                      "application/octet-stream", {{"Upload-Offset", std::to_string(offset)}});
}

// Uploads `bytes` whole in the node's chunks; the media it became.
inline v1::Media upload_media(PuentedNode& node, const std::string& token,
                              const std::string& incident, const std::string& kind,
                              const std::string& content_type, const std::string& bytes) {
  auto upload = declare_upload(node, token, incident, kind, bytes.size(), content_type);
  client::HttpClient http(node.address(), std::chrono::seconds(60));
  std::size_t offset = 0;
  v1::MediaUpload last;
  while (offset < bytes.size()) {
    auto n = std::min<std::size_t>(upload.chunk_bytes(), bytes.size() - offset);
    auto answer =
        put_chunk(http, token, upload.id(), offset, std::string_view(bytes).substr(offset, n));
    EXPECT_TRUE(answer.status == 200u || answer.status == 201u) << answer.body;
    if (!answer.ok()) return {};
    EXPECT_EQ(wire::from_json(answer.body, last), "");
    offset = last.offset();
  }
  EXPECT_TRUE(last.has_media());
  return last.media();
}

}  // namespace puente::test
