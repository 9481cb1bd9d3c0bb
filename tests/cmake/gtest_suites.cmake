# One ctest test per GoogleTest suite of a program: "Suite.*" runs `program
# --gtest_filter=Suite.*`. For the unit programs, whose tests take milliseconds: a process per
# test spent the suite's time starting sanitized programs (core_tests: 334 processes, ~185 s of
# CPU; the same tests in one process, ~13 s). The suites are listed from the built program after
# each link, as gtest_discover_tests lists its tests (tests/cmake/list_gtest_suites.cmake).
set(PUENTE_LIST_GTEST_SUITES ${CMAKE_CURRENT_LIST_DIR}/list_gtest_suites.cmake)

# puente_gtest_suites(TARGET LABEL): registers TARGET's suites with ctest, labelled LABEL.
function(puente_gtest_suites target label)
  set(ctest_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake)
  add_custom_command(
    TARGET ${target} POST_BUILD
    BYPRODUCTS ${ctest_file}
    COMMAND ${CMAKE_COMMAND} -D PROGRAM=$<TARGET_FILE:${target}> -D CTEST_FILE=${ctest_file}
            -D LABEL=${label} -P ${PUENTE_LIST_GTEST_SUITES}
    VERBATIM)
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
