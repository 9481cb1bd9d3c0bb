// The one translation unit that compiles Asio and Beast (separate compilation mode), so the
// rest of the build only parses their declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
