#pragma once
// Gives memory the node freed back to the system. Allocators keep freed pages for reuse: after a
// flood of queued frames on sockets that never read, the node's resident size stayed at its
// peak although nothing held the memory any more (issue 15, item 2). jemalloc (puented's
// allocator in release builds) is asked to purge its arenas; under AddressSanitizer (the test
// build) its allocator is; otherwise glibc's malloc is asked to trim its heaps.

#include <boost/asio/any_io_executor.hpp>

namespace puente::net {

// Purges soon on `executor`, never inline: a session calls it from its destructor, before its
// members (the queue, the read buffer) are freed. At most once a second across the node,
// whoever calls: a purge walks every arena, and a thousand slow sockets closing at once must not
// walk them a thousand times; a call within the second is served by one purge at its end.
// Thread-safe.
void return_freed_memory(const boost::asio::any_io_executor& executor);

}  // namespace puente::net
