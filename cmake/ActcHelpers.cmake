# SPDX-License-Identifier: Apache-2.0
#
# Small helpers shared by the CMake files of actc.
include(GoogleTest)

# actc_add_gtest(NAME SOURCES a.cpp ... LIBS lib ...)
# A GoogleTest executable whose test cases are registered with ctest one by
# one (so ctest's count is the number of test cases).
function(actc_add_gtest name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest_main
                        Threads::Threads)
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    PROPERTIES LABELS unit
    DISCOVERY_TIMEOUT 60)
endfunction()
