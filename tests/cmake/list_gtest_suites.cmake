# Run after PROGRAM is linked (tests/cmake/gtest_suites.cmake): writes CTEST_FILE, the ctest
# tests of PROGRAM's GoogleTest suites, labelled LABEL: "Suite.*" for a suite of at most
# TESTS_PER_PROCESS tests (or any size when it is 0), else "Suite.*[i/n]", each of n groups of
# consecutive tests. A group may run SECONDS_PER_TEST per test (at least 120 s in all).
execute_process(COMMAND ${PROGRAM} --gtest_list_tests
                OUTPUT_VARIABLE listing RESULT_VARIABLE status TIMEOUT 60)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --gtest_list_tests failed (${status}):\n${listing}")
endif()

# "Suite." (or "Prefix/Suite." or "Suite/0.  # TypeParam = ...") opens a suite; its tests
# follow, indented ("  Test" or "  Test/0  # GetParam() = ...").
string(REPLACE "\n" ";" lines "${listing}")
set(suites "")
foreach(line IN LISTS lines)
  if(line MATCHES "^([^ #][^ ]*)\\.")
    set(suite ${CMAKE_MATCH_1})
    list(APPEND suites ${suite})
  elseif(line MATCHES "^  ([^ ]+)" AND DEFINED suite)
    list(APPEND tests_${suite} ${suite}.${CMAKE_MATCH_1})
  endif()
endforeach()
list(REMOVE_DUPLICATES suites)

set(script "")
function(add_group name filter count)
  math(EXPR timeout "${count} * ${SECONDS_PER_TEST}")
  if(timeout LESS 120)
    set(timeout 120)
  endif()
  string(APPEND script
    "add_test([==[${name}]==] [==[${PROGRAM}]==] [==[--gtest_filter=${filter}]==])\n"
    "set_tests_properties([==[${name}]==] PROPERTIES LABELS ${LABEL} TIMEOUT ${timeout})\n")
  set(script "${script}" PARENT_SCOPE)
endfunction()

foreach(suite IN LISTS suites)
  list(LENGTH tests_${suite} count)
  if(TESTS_PER_PROCESS EQUAL 0 OR count LESS_EQUAL TESTS_PER_PROCESS)
    add_group("${suite}.*" "${suite}.*" ${count})
    continue()
  endif()
  math(EXPR groups "(${count} + ${TESTS_PER_PROCESS} - 1) / ${TESTS_PER_PROCESS}")
  foreach(group RANGE 1 ${groups})
    math(EXPR first "(${group} - 1) * ${TESTS_PER_PROCESS}")
    list(SUBLIST tests_${suite} ${first} ${TESTS_PER_PROCESS} members)
    list(LENGTH members size)
    string(REPLACE ";" ":" filter "${members}")
    add_group("${suite}.*[${group}/${groups}]" "${filter}" ${size})
  endforeach()
endforeach()
file(WRITE ${CTEST_FILE} "${script}")
