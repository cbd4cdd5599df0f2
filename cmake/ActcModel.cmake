# SPDX-License-Identifier: Apache-2.0
#
# actc_add_model: compile a model with `actc compile` as part of a user's
# build and use it as a static library target. Copy this file into your
# project (or add actc's cmake/ directory to CMAKE_MODULE_PATH), then:
#
#   include(ActcModel)
#   actc_add_model(TARGET mlp MODEL ${CMAKE_CURRENT_SOURCE_DIR}/mlp.act
#                  [TARGET_ARCH host] [EMBED_WEIGHTS] [C_NAME mlp]
#                  [DEPENDS files...])
#   add_executable(app main.c)
#   target_link_libraries(app PRIVATE mlp)   # include dir, -lpthread -ldl -lm
#
# At build time `actc compile MODEL --target TARGET_ARCH -o DIR` writes
# DIR/NAME.h, DIR/libNAME.a and DIR/NAME.weights (DIR =
# ${CMAKE_CURRENT_BINARY_DIR}/<target>); it reruns when the model, actc or a
# DEPENDS file (e.g. the model's weights file) changes. TARGET becomes an
# IMPORTED static library with DIR as its include directory; its property
# ACTC_WEIGHTS_FILE (and the variable <target>_WEIGHTS_FILE) is the weights
# file's path (empty with EMBED_WEIGHTS).
#
# NAME is the model's name as a C identifier. It is read from the model's
# `model NAME` line, which is right when that name is a plain identifier
# and not a C keyword; otherwise give it as C_NAME (what `actc compile
# --emit header` shows; docs/c-api.md, "The identifier rule").
#
# actc is found as ACTC_EXECUTABLE (a cache variable; default: `actc` on
# PATH).

include_guard(GLOBAL)

find_package(Threads REQUIRED)
find_program(ACTC_EXECUTABLE actc DOC "The actc compiler")

function(actc_add_model)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "EMBED_WEIGHTS"
                        "TARGET;MODEL;TARGET_ARCH;C_NAME" "DEPENDS")
  if(NOT ARG_TARGET OR NOT ARG_MODEL)
    message(FATAL_ERROR "actc_add_model: TARGET and MODEL are required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
            "actc_add_model: unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ACTC_EXECUTABLE)
    message(FATAL_ERROR "actc_add_model: actc not found; set ACTC_EXECUTABLE")
  endif()
  if(NOT ARG_TARGET_ARCH)
    set(ARG_TARGET_ARCH host)
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")

  set(name "${ARG_C_NAME}")
  if(NOT name)
    file(STRINGS "${model}" model_line REGEX "^[ \t]*model[ \t]+" LIMIT_COUNT 1)
    string(REGEX REPLACE "^[ \t]*model[ \t]+([^ \t#]+).*$" "\\1" name
           "${model_line}")
    if(NOT name MATCHES "^[A-Za-z][A-Za-z0-9_]*$")
      message(FATAL_ERROR "actc_add_model: cannot tell the C name of the "
              "model in ${model} ('${name}'); give it as C_NAME")
    endif()
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${ARG_TARGET}")
  set(library "${dir}/lib${name}.a")
  set(header "${dir}/${name}.h")
  set(outputs "${library}" "${header}")
  set(args compile "${model}" --target "${ARG_TARGET_ARCH}" -o "${dir}")
  if(ARG_EMBED_WEIGHTS)
    list(APPEND args --embed-weights)
    set(weights "")
  else()
    set(weights "${dir}/${name}.weights")
    list(APPEND outputs "${weights}")
  endif()

  add_custom_command(
    OUTPUT ${outputs}
    COMMAND "${ACTC_EXECUTABLE}" ${args}
    DEPENDS "${model}" "${ACTC_EXECUTABLE}" ${ARG_DEPENDS}
    COMMENT "actc: compiling ${ARG_MODEL} for ${ARG_TARGET_ARCH}"
    VERBATIM)
  add_custom_target(${ARG_TARGET}_actc DEPENDS ${outputs})

  # The include directory of an imported target must exist at configure time.
  file(MAKE_DIRECTORY "${dir}")
  add_library(${ARG_TARGET} STATIC IMPORTED GLOBAL)
  set_target_properties(${ARG_TARGET} PROPERTIES
    IMPORTED_LOCATION "${library}"
    INTERFACE_INCLUDE_DIRECTORIES "${dir}"
    INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS};m"
    ACTC_WEIGHTS_FILE "${weights}")
  add_dependencies(${ARG_TARGET} ${ARG_TARGET}_actc)
  set(${ARG_TARGET}_WEIGHTS_FILE "${weights}" PARENT_SCOPE)
endfunction()
