#include "net/frame_socket.hpp"

#include <boost/beast/websocket/teardown.hpp>

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

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
  // The header and the payload in one sendmsg, straight to the socket: Asio's send() wraps the
  // same call in a buffer adapter, a state check and an error_code per step (~50 instructions of
  // the ~200 a delivery's send took, issue 22). The socket is non-blocking: it never waits.
  iovec parts[2] = {{const_cast<unsigned char*>(header.bytes.data()), header.size},
                    {const_cast<void*>(payload.data()), payload.size()}};
  // What an earlier send took is skipped: some of the header, or all of it and some payload.
  iovec* from = parts;
  std::size_t skip = written;
  if (skip >= header.size) {
    skip -= header.size;
    ++from;
  }
  from->iov_base = static_cast<char*>(from->iov_base) + skip;
  from->iov_len -= skip;
  msghdr message{};
  message.msg_iov = from;
  message.msg_iovlen = static_cast<std::size_t>(parts + 2 - from);
  ssize_t sent;
  do {
    sent = ::sendmsg(socket_.native_handle(), &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);  // a signal came before anything was sent
  if (sent < 0) {
    const int error = errno;
    ec.assign(error, boost::system::system_category());
    return error == EAGAIN || error == EWOULDBLOCK ? Progress::blocked : Progress::failed;
  }
  ec = {};
  written += static_cast<std::size_t>(sent);
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
