# The dashboard (web/): TypeScript built by Vite into ${CMAKE_BINARY_DIR}/web, the folder
# `stratus serve` serves when it runs from this build tree (src/stratus -> ../web). Part of
# `all`, so `make run` and `make test` build it; without node and npm it is left out with
# a warning, and the server answers / with plain text instead.
option(STRATUS_BUILD_WEB "Build the web dashboard (needs node and npm)" ON)
if(NOT STRATUS_BUILD_WEB)
  return()
endif()
find_program(STRATUS_NPM npm)
find_program(STRATUS_NODE node)
if(NOT STRATUS_NPM OR NOT STRATUS_NODE)
  message(WARNING "node or npm not found: the web dashboard is not built")
  return()
endif()

set(web_root ${PROJECT_SOURCE_DIR}/web)
if(NOT EXISTS ${web_root}/package-lock.json)
  return()
endif()
file(GLOB_RECURSE web_inputs CONFIGURE_DEPENDS
     ${web_root}/src/* ${web_root}/public/*)
list(APPEND web_inputs ${web_root}/index.html ${web_root}/package.json
     ${web_root}/package-lock.json ${web_root}/tsconfig.json ${web_root}/vite.config.ts
     ${PROJECT_SOURCE_DIR}/scripts/build-web.sh)
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/web/index.html
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/build-web.sh ${CMAKE_BINARY_DIR}/web
  DEPENDS ${web_inputs}
  COMMENT "Building the web dashboard"
  VERBATIM)
add_custom_target(web ALL DEPENDS ${CMAKE_BINARY_DIR}/web/index.html)
