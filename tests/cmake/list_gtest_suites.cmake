# Run after PROGRAM is linked (tests/cmake/gtest_suites.cmake): writes CTEST_FILE, one ctest
# test per GoogleTest suite of PROGRAM ("Suite.*"), labelled LABEL. A suite's timeout grows
# with its number of tests (30 s each, at least 120 s).
execute_process(COMMAND ${PROGRAM} --gtest_list_tests
                OUTPUT_VARIABLE listing RESULT_VARIABLE status TIMEOUT 60)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --gtest_list_tests failed (${status}):\n${listing}")
endif()

string(REPLACE "\n" ";" lines "${listing}")
set(suites "")
foreach(line IN LISTS lines)
  # "Suite." (or "Prefix/Suite." or "Suite/0.  # TypeParam = ...") opens a suite; its tests
  # follow, indented.
  if(line MATCHES "^([^ #][^ ]*)\\.")
    set(suite ${CMAKE_MATCH_1})
    list(APPEND suites ${suite})
    set(count_${suite} 0)
  elseif(line MATCHES "^  [^ ]" AND DEFINED suite)
    math(EXPR count_${suite} "${count_${suite}} + 1")
  endif()
endforeach()

list(REMOVE_DUPLICATES suites)
set(script "")
foreach(suite IN LISTS suites)
  math(EXPR timeout "${count_${suite}} * 30")
  if(timeout LESS 120)
    set(timeout 120)
  endif()
  string(APPEND script
    "add_test([==[${suite}.*]==] [==[${PROGRAM}]==] [==[--gtest_filter=${suite}.*]==])\n"
    "set_tests_properties([==[${suite}.*]==] PROPERTIES LABELS ${LABEL} TIMEOUT ${timeout})\n")
endforeach()
file(WRITE ${CTEST_FILE} "${script}")
