# What `cmake --install` puts on a machine, and the Debian package CPack makes from the same
# rules (`cpack -G DEB` in the build folder). Every installed file is listed in
# deploy/installed-files.txt, which README "Install" points to and tests/install/ checks against
# the installed tree and the .deb.
#
# The layout is Debian's: programs and data under the prefix (/usr for the package), the
# example config in /etc/puente and the unit in /lib/systemd/system whatever the prefix (a
# machine's configuration and units have one place). puented is a daemon run by systemd, so it
# goes to sbin with its page in section 8; puente is everyone's command, in bin, section 1.
include(GNUInstallDirs)
set(PUENTE_INSTALL_CONFIG_DIR /etc/puente CACHE PATH "Where the example config is installed")
set(PUENTE_INSTALL_UNIT_DIR /lib/systemd/system CACHE PATH "Where the systemd unit is installed")

install(TARGETS puented RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
if(TARGET puente)
  install(TARGETS puente RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
# The pages and the alert texts, found beside bin/ by an installed puented (install_layout.hpp).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/server/web/ DESTINATION ${CMAKE_INSTALL_DATADIR}/puente/web)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/config/templates/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/puente/templates)
# The example config, every option with its default: copied to /etc/puente/<name>.toml and edited
# (README "Install"). A conffile of the package: an edited copy survives upgrades.
install(FILES ${CMAKE_SOURCE_DIR}/config/puented.toml DESTINATION ${PUENTE_INSTALL_CONFIG_DIR}
        RENAME example.toml)
# The unit runs /usr/sbin/puented; installed under another prefix (`--prefix` counts, so the
# path is settled when installing, not when configuring) it names that prefix's program.
install(CODE "
  file(READ \"${CMAKE_SOURCE_DIR}/deploy/systemd/puented@.service\" unit)
  string(REPLACE /usr/sbin/puented \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SBINDIR}/puented\"
         unit \"\${unit}\")
  file(WRITE \"${CMAKE_BINARY_DIR}/install/puented@.service\" \"\${unit}\")")
install(FILES ${CMAKE_BINARY_DIR}/install/puented@.service DESTINATION ${PUENTE_INSTALL_UNIT_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME systemd.md)
# The units and the drop-in that README offers for the services around a node: examples to copy
# to /etc/systemd/system, never active by installing.
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/kannel-bearerbox.service
              ${CMAKE_SOURCE_DIR}/deploy/systemd/kannel-smsbox.service
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/systemd)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/puented@.service.d/local-redis.conf
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/systemd/puented@.service.d)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/bash-completion/puente
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# Man pages, gzipped as Debian ships them (-n: no name or time inside, the same bytes each time).
foreach(page puente.1 puented.8)
  string(REGEX REPLACE ".*\\." "" section ${page})
  install(CODE "execute_process(COMMAND gzip -9nc ${CMAKE_SOURCE_DIR}/docs/man/${page}
                OUTPUT_FILE ${CMAKE_BINARY_DIR}/install/${page}.gz COMMAND_ERROR_IS_FATAL ANY)")
  install(FILES ${CMAKE_BINARY_DIR}/install/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/install)

# The .deb: `cpack -G DEB` (or --config CPackConfig.cmake) in a build folder. Real packages come
# from the release preset; one made from the debug preset works but is sanitized (ASan, UBSan).
set(CPACK_PACKAGE_NAME puente)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Puente maintainers <puente@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "rapid-response alert and dispatch server for community defense networks")
set(CPACK_PACKAGE_DESCRIPTION
    "puented serves the hotline, dispatch board and observer pages and the HTTP/WebSocket API,\n"
    "with Redis holding incidents and carrying live alerts between nodes; puente is its CLI.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# /etc and /lib are absolute destinations: stage them under DESTDIR like the rest.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
# Programs stripped, as Debian ships them (a sanitized debug puented is 400 MB with its line tables).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the Debian 12 packages of the libraries the programs load, by name, and tzdata, which
# the node reads [network] time_zone from. Listed here rather than found by dpkg-shlibdeps, which
# takes minutes over a sanitized build's programs; the DebPackage test holds this list to what
# ldd says the installed programs load, so it cannot fall behind a new library.
set(puente_depends libc6 libgcc-s1 libstdc++6 zlib1g libssl3 libzip4 libbz2-1.0 libhiredis0.14 libprotobuf32
    libspdlog1.10 libfmt9 libtomlplusplus3 libboost-json1.81.0 libboost-url1.81.0
    libboost-container1.81.0 tzdata)
if(PUENTE_SANITIZE)
  list(APPEND puente_depends libasan8 libubsan1)  # a debug package: see the packaging note
else()
  list(APPEND puente_depends libjemalloc2)
endif()
list(JOIN puente_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "redis-server")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-sentinel, haproxy | nginx, kannel, prometheus")
# The example config is a conffile: dpkg keeps an edited one on upgrade and asks.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles
    ${CMAKE_SOURCE_DIR}/deploy/debian/postinst ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
