// Media on incidents (docs/evidence.md, issue 21 item 3) against real nodes and Redis: a 50 MB
// video sent in chunks arrives whole through two cut connections, hash and all; a file lying
// about its type is refused; the daily quota holds; only dispatchers and the neighborhood's
// attorneys read media (not another neighborhood's responder, not the other responders); a
// photo's shared copy has no GPS; the hash is in the audit chain; nothing of a file is logged.
#include "media_upload.hpp"

#include "file_text.hpp"
#include "wait_until.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
namespace asio = boost::asio;

// A PUT of a chunk that the connection drops: the headers and `sent` of the chunk's bytes go,
// then the socket closes. With `sent` the whole chunk, the answer is never read.
void cut_chunk(PuentedNode& node, const std::string& token, const std::string& upload_id,
               std::size_t offset, std::string_view chunk, std::size_t sent) {
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), node.port()});
  std::string head =
      "PUT /v1/uploads/" + upload_id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
      "Authorization: Bearer " + token +
      "\r\nContent-Type: application/octet-stream\r\nUpload-Offset: " + std::to_string(offset) +
      "\r\nContent-Length: " + std::to_string(chunk.size()) + "\r\n\r\n";
  asio::write(socket, asio::buffer(head));
  asio::write(socket, asio::buffer(chunk.substr(0, sent)));
  boost::system::error_code ec;
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

class Media : public ::testing::Test {
 protected:
  TestNetwork net{"[media]\nquota_bytes_per_day = 120000000\n"};
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");
  std::string incident = open_incident(*a, net.token("op"), boyle_heights);

  v1::MediaUpload progress(PuentedNode& node, const std::string& upload_id) {
    auto answer = node.call(http::verb::get, "/v1/uploads/" + upload_id, net.token("obs-bh"));
    v1::MediaUpload upload;
    EXPECT_EQ(answer.status, 200u) << answer.body;
    EXPECT_EQ(wire::from_json(answer.body, upload), "");
    return upload;
  }
};

TEST_F(Media, AFiftyMegabyteVideoInChunksArrivesWholeThroughTwoCutConnections) {
  const auto video = media_bytes(mp4_head, 50 * 1000 * 1000);
  const auto token = net.token("obs-bh");
  auto upload = declare_upload(*a, token, incident, "VIDEO", video.size(), "video/mp4");
  ASSERT_GT(upload.chunk_bytes(), 0u);
  // Chunks go to either node, as behind a balancer: the blob store is shared.
  client::HttpClient to_a(a->address(), std::chrono::seconds(60));
  client::HttpClient to_b(b->address(), std::chrono::seconds(60));
  std::size_t offset = 0;
  int chunk = 0, cuts = 0;
  v1::MediaUpload last;
  while (offset < video.size()) {
    auto n = std::min<std::size_t>(upload.chunk_bytes(), video.size() - offset);
    auto piece = std::string_view(video).substr(offset, n);
    ++chunk;
    if (chunk == 5) {
      // Cut halfway through a chunk: nothing of it is kept, the client resumes where it was.
      cut_chunk(*a, token, upload.id(), offset, piece, n / 2);
      ++cuts;
      EXPECT_EQ(progress(*b, upload.id()).offset(), offset);
      continue;
    }
    if (chunk == 20) {
      // Cut after the whole chunk went but before its answer: the client asks, and goes on from
      // what the node kept (it kept it all).
      cut_chunk(*b, token, upload.id(), offset, piece, n);
      ++cuts;
      ASSERT_TRUE(wait_until([&] { return progress(*a, upload.id()).offset() == offset + n; }))
          << "the whole chunk was sent before the cut";
      offset += n;
      continue;
    }
    auto& http = chunk % 2 ? to_a : to_b;
    auto answer = put_chunk(http, token, upload.id(), offset, piece);
    ASSERT_TRUE(answer.status == 200u || answer.status == 201u) << answer.body;
    ASSERT_EQ(wire::from_json(answer.body, last), "");
    offset = last.offset();
  }
  EXPECT_EQ(cuts, 2);
  ASSERT_TRUE(last.has_media());
  const auto& media = last.media();
  EXPECT_EQ(media.size(), video.size());
  EXPECT_EQ(media.sha256(), core::sha256_hex(video));
  EXPECT_EQ(media.content_type(), "video/mp4");
  EXPECT_EQ(media.kind(), v1::VIDEO);

  // What a dispatcher downloads is what was filmed, byte for byte.
  client::HttpClient reader(b->address(), std::chrono::seconds(60));
  auto original = reader.request(http::verb::get, "/v1/media/" + media.id(), {}, net.token("disp"));
  ASSERT_EQ(original.status, 200u) << original.body.substr(0, 200);
  EXPECT_EQ(core::sha256_hex(original.body), core::sha256_hex(video));
  // Its hash went into the audit chain on receipt.
  auto log = a->audit_log(net.token("admin"));
  EXPECT_TRUE(std::any_of(log.entries().begin(), log.entries().end(), [&](const auto& e) {
    return e.action() == "media.received" && e.subject() == incident &&
           e.detail().find(core::sha256_hex(video)) != std::string::npos;
  }));
}

TEST_F(Media, AFileLyingAboutItsTypeIsRefused) {
  const auto program = media_bytes(std::string("\x7F"
                                               "ELF\x02\x01\x01",
                                               7),
                                   5000);
  const auto token = net.token("obs-bh");
  auto upload = declare_upload(*a, token, incident, "PHOTO", program.size(), "image/jpeg");
  client::HttpClient http(a->address());
  auto answer = put_chunk(http, token, upload.id(), 0, program);
  EXPECT_EQ(answer.status, 415u) << answer.body;
  EXPECT_NE(answer.body.find("media_type_mismatch"), std::string::npos) << answer.body;
  // Refused is gone: nothing to resume, nothing kept.
  EXPECT_EQ(a->call(http::verb::get, "/v1/uploads/" + upload.id(), token).status, 404u);
  auto listed = a->call(http::verb::get, "/v1/incidents/" + incident + "/media", net.token("disp"));
  EXPECT_EQ(listed.status, 200u) << listed.body;
  EXPECT_EQ(listed.body.find("med-"), std::string::npos) << listed.body;
  // A video declared as a photo is refused the same way.
  auto mislabelled = declare_upload(*a, token, incident, "PHOTO", 4096, "video/mp4");
  EXPECT_EQ(put_chunk(http, token, mislabelled.id(), 0, media_bytes(mp4_head, 4096)).status, 415u);
}

TEST_F(Media, TheDailyQuotaOfAResponderIsEnforced) {
  const auto token = net.token("obs-bh");
  // 120 MB a day here: 100 MB declared, then 30 MB more is refused, 20 MB still fits.
  declare_upload(*a, token, incident, "VIDEO", 100'000'000, "video/mp4");
  auto over = a->call(http::verb::post, "/v1/incidents/" + incident + "/media", token,
                      declare_json("VIDEO", 30'000'000, "video/mp4"));
  EXPECT_EQ(over.status, 429u) << over.body;
  EXPECT_NE(over.body.find("media_quota_exceeded"), std::string::npos) << over.body;
  declare_upload(*b, token, incident, "VIDEO", 20'000'000, "video/mp4");
  // Another responder's quota is their own.
  declare_upload(*a, net.token("vol-bh"), incident, "VIDEO", 30'000'000, "video/mp4");
  // A file over [media] max_file_bytes is refused outright.
  auto huge = a->call(http::verb::post, "/v1/incidents/" + incident + "/media", token,
                      declare_json("VIDEO", 600'000'000, "video/mp4"));
  EXPECT_EQ(huge.status, 413u) << huge.body;
}

TEST_F(Media, OnlyDispatchersAndTheNeighborhoodsAttorneysReadIt) {
  auto media =
      upload_media(*a, net.token("obs-bh"), incident, "PHOTO", "image/jpeg", jpeg_with_gps());
  ASSERT_FALSE(media.id().empty());
  EXPECT_TRUE(media.has_shared_copy());
  auto read = [&](const std::string& who, const std::string& path) {
    return b->call(http::verb::get, path, net.token(who)).status;
  };
  const auto original = "/v1/media/" + media.id();
  const auto listed = "/v1/incidents/" + incident + "/media";
  EXPECT_EQ(read("disp", original), 200u);
  EXPECT_EQ(read("att-bh", original), 200u);
  EXPECT_EQ(read("disp", listed), 200u);
  EXPECT_EQ(read("att-bh", listed), 200u);
  // A responder of another neighborhood cannot see the incident at all: 404, as for the
  // incident itself.
  EXPECT_EQ(read("obs-dt", original), 404u);
  EXPECT_EQ(read("obs-dt", listed), 404u);
  EXPECT_EQ(read("obs-standby", original), 404u);
  // Nor can the neighborhood's observers and volunteers, the uploader included, nor an operator.
  EXPECT_EQ(read("vol-bh", original), 404u);
  EXPECT_EQ(read("obs-bh", original), 404u);
  EXPECT_EQ(read("obs-bh", original + "/shared"), 404u);
  EXPECT_EQ(read("obs-bh", listed), 404u);
  EXPECT_EQ(read("op", original), 404u);
  // Someone else's upload cannot be continued or looked at either.
  auto upload = declare_upload(*a, net.token("obs-bh"), incident, "PHOTO", 1000, "image/jpeg");
  EXPECT_EQ(a->call(http::verb::get, "/v1/uploads/" + upload.id(), net.token("vol-bh")).status,
            404u);
  client::HttpClient http(a->address());
  EXPECT_EQ(put_chunk(http, net.token("vol-bh"), upload.id(), 0, jpeg_with_gps()).status, 404u);

  // The shared copy has no position; the original is as received.
  auto shared = b->call(http::verb::get, original + "/shared", net.token("att-bh"));
  ASSERT_EQ(shared.status, 200u) << shared.body;
  EXPECT_EQ(shared.body.find("GPS"), std::string::npos);
  EXPECT_TRUE(shared.body.starts_with("\xFF\xD8"));
  auto whole = b->call(http::verb::get, original, net.token("disp"));
  EXPECT_EQ(whole.body, jpeg_with_gps());
}

TEST_F(Media, NothingOfAFileIsLogged) {
  const std::string words = "agents took the man in the red cap toward Soto";
  auto note = upload_media(*a, net.token("obs-bh"), incident, "NOTE", "text/plain", words);
  ASSERT_FALSE(note.id().empty());
  EXPECT_EQ(note.content_type(), "text/plain; charset=utf-8");
  auto photo =
      upload_media(*b, net.token("obs-bh"), incident, "PHOTO", "image/jpeg", jpeg_with_gps());
  a.reset();  // the logs are whole once the nodes stopped
  b.reset();
  for (const char* node : {"a", "b"}) {
    auto log = file_text(net.dir() / node / "puented.log");
    EXPECT_EQ(log.find("red cap"), std::string::npos) << node;
    EXPECT_EQ(log.find("GPSLatitude"), std::string::npos) << node;
    EXPECT_EQ(log.find(note.sha256()), std::string::npos) << node;
    EXPECT_EQ(log.find(photo.sha256()), std::string::npos) << node;
  }
}

}  // namespace
}  // namespace puente::test
