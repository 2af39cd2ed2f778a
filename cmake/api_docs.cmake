# The API reference: Doxygen over the public headers (cmake/Doxyfile.in).
# `cmake --build build --target api_docs` writes build/api-docs/html/. The
# target is not part of ALL and nothing of it is installed. Any Doxygen
# warning (an undocumented public name, a broken reference) fails the target,
# and so the api_reference test when the tests are built.
# Doxygen is needed only for this target, and by the test suite, whose
# api_reference test must not be skipped: without Doxygen, a build with the
# tests fails to configure, and one without them simply has no api_docs.
find_program(DOXYGEN_EXECUTABLE doxygen)
if(NOT DOXYGEN_EXECUTABLE)
  if(DTLS_BUILD_TESTS)
    message(FATAL_ERROR "doxygen not found: the test suite checks the API reference (Debian: apt-get install doxygen)")
  endif()
  message(STATUS "doxygen not found: no api_docs target")
  return()
endif()

configure_file(${CMAKE_CURRENT_LIST_DIR}/Doxyfile.in ${PROJECT_BINARY_DIR}/Doxyfile @ONLY)
add_custom_target(api_docs
  COMMAND ${DOXYGEN_EXECUTABLE} ${PROJECT_BINARY_DIR}/Doxyfile
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
  COMMENT "API reference: ${PROJECT_BINARY_DIR}/api-docs/html/index.html"
  VERBATIM)

if(DTLS_BUILD_TESTS)
  add_test(NAME api_reference COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target api_docs)
  set_tests_properties(api_reference PROPERTIES LABELS docs RESOURCE_LOCK build_tree)
endif()
