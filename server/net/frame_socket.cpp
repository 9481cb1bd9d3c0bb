#include "net/frame_socket.hpp"

#include <boost/beast/websocket/teardown.hpp>

namespace puente::net {

FrameHeader frame_header(bool binary, std::size_t payload_size) {
  FrameHeader header;
  auto& b = header.bytes;
  b[0] = 0x80 | (binary ? 0x2 : 0x1);  // FIN, and the opcode of a binary or text frame
  if (payload_size < 126) {
    b[1] = static_cast<unsigned char>(payload_size);
    header.size = 2;
  } else if (payload_size <= 0xFFFF) {
    b[1] = 126;  // a 16-bit length follows, network order
    b[2] = static_cast<unsigned char>(payload_size >> 8);
    b[3] = static_cast<unsigned char>(payload_size);
    header.size = 4;
  } else {
    b[1] = 127;  // a 64-bit length follows, network order
    for (int i = 0; i < 8; ++i)
      b[2 + i] =
          static_cast<unsigned char>(static_cast<std::uint64_t>(payload_size) >> (56 - 8 * i));
    header.size = 10;
  }
  return header;
}

FrameSocket::FrameSocket(socket_type&& socket) : socket_(std::move(socket)) {
  // send_frame must never wait: a full kernel buffer answers would_block.
  boost::system::error_code ignored;
  socket_.non_blocking(true, ignored);
}

FrameSocket::Progress FrameSocket::send_frame(bool binary, boost::asio::const_buffer payload,
                                              std::size_t& written, boost::system::error_code& ec) {
  const auto header = frame_header(binary, payload.size());
  std::array<boost::asio::const_buffer, 2> unwritten{
      boost::asio::const_buffer(header.bytes.data(), header.size), payload};
  for (std::size_t skip = written; auto& part : unwritten) {
    const std::size_t n = std::min(skip, part.size());
    part += n;
    skip -= n;
  }
  written += socket_.send(unwritten, 0, ec);
  if (ec == boost::asio::error::would_block) return Progress::blocked;
  if (ec) return Progress::failed;
  const bool whole = written == header.size + payload.size();
  frame_partly_written(!whole);
  return whole ? Progress::whole : Progress::blocked;
}

void FrameSocket::frame_partly_written(bool partly) {
  turn_->frame_partly_written = partly;
  if (!partly && turn_->held) {
    auto held = std::move(*turn_->held);
    turn_->held.reset();
    start(std::move(held));
  }
}

void FrameSocket::beast_write(std::vector<boost::asio::const_buffer> buffers, BeastWrite handler) {
  turn_->beast_writing = true;
  HeldWrite write{std::move(buffers), std::move(handler)};
  if (turn_->frame_partly_written) {
    turn_->held = std::move(write);  // Beast's bytes would land inside the frame
    return;
  }
  start(std::move(write));
}

void FrameSocket::start(HeldWrite write) {
  socket_.async_write_some(write.buffers, [turn = turn_, handler = std::move(write.handler)](
                                              boost::system::error_code ec, std::size_t n) mutable {
    // Holds the session (and so this socket) past Beast's handler, which may drop the last
    // other reference to it.
    auto writer = turn->writer.lock();
    turn->beast_writing = false;
    std::move(handler)(ec, n);  // Beast may write again from here, which sets beast_writing
    if (!turn->beast_writing && writer) writer->resume_frames();
  });
}

void teardown(boost::beast::role_type role, FrameSocket& socket, boost::system::error_code& ec) {
  boost::beast::websocket::teardown(role, socket.next_layer(), ec);
}

}  // namespace puente::net
