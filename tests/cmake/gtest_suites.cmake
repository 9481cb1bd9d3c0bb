# GoogleTest programs in ctest by suite: a ctest test runs a whole suite ("Suite.*") or a few of
# its tests ("Suite.*[2/5]") in one process, not each test in its own. Starting a sanitized
# program (ASan registering its globals, LeakSanitizer's scan at exit) costs 0.3-0.6 s of CPU,
# far more than a unit test (core_tests: 334 processes, ~185 s of CPU; in one process ~13 s).
# An integration test mostly waits for its processes, so its suites are cut into groups of a
# few tests that run side by side instead of one long suite at the end of the run. The groups
# are listed from the built program after each link (and after a change to how they are
# listed), as gtest_discover_tests lists its tests (tests/cmake/list_gtest_suites.cmake).
set(PUENTE_LIST_GTEST_SUITES ${CMAKE_CURRENT_LIST_DIR}/list_gtest_suites.cmake)

# puente_gtest_suites(TARGET LABEL TESTS_PER_PROCESS SECONDS_PER_TEST): registers TARGET's tests
# with ctest, labelled LABEL, at most TESTS_PER_PROCESS of one suite per ctest test (0: the
# whole suite), each group given SECONDS_PER_TEST per test before ctest stops it (at least 120).
function(puente_gtest_suites target label tests_per_process seconds_per_test)
  set(ctest_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake)
  add_custom_command(
    OUTPUT ${ctest_file}
    COMMAND ${CMAKE_COMMAND} -D PROGRAM=$<TARGET_FILE:${target}> -D CTEST_FILE=${ctest_file}
            -D LABEL=${label} -D TESTS_PER_PROCESS=${tests_per_process}
            -D SECONDS_PER_TEST=${seconds_per_test} -P ${PUENTE_LIST_GTEST_SUITES}
    DEPENDS ${target} ${PUENTE_LIST_GTEST_SUITES}
    COMMENT "Listing the suites of ${target}"
    VERBATIM)
  add_custom_target(${target}_suites ALL DEPENDS ${ctest_file})
  # Until the program is built, ctest says so instead of finding no test.
  set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites_include.cmake)
  file(WRITE ${include_file}
    "if(EXISTS \"${ctest_file}\")\n"
    "  include(\"${ctest_file}\")\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
