# What `cmake --install build --prefix P` puts in place for a C++ user of the client library:
#   P/bin/holdfast                                     the program
#   P/include/holdfast/*.h                             the public API, and nothing from src/
#   P/lib/libholdfast_client.a                         the client with everything it needs of ours
#   P/lib/cmake/holdfast/holdfastConfig.cmake          find_package(holdfast) -> holdfast::client
#   P/lib/pkgconfig/holdfast.pc                        pkg-config --static holdfast
# Both package files locate the prefix from where they are installed, so the tree can be moved.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The libraries of other projects the client's objects call into, as CMake targets, with the
# package each comes from and its pkg-config module (empty: none; then its flag goes to
# Libs.private). Header-only dependencies are not needed by a user and are listed apart.
set(HOLDFAST_CLIENT_LINK_DEPS fmt::fmt spdlog::spdlog ZLIB::ZLIB Threads::Threads)
set(HOLDFAST_CLIENT_LINK_DEP_PACKAGES fmt spdlog ZLIB Threads)
set(HOLDFAST_CLIENT_PKGCONFIG_REQUIRES "spdlog fmt zlib")
set(HOLDFAST_CLIENT_PKGCONFIG_LIBS "-pthread")
set(HOLDFAST_CLIENT_HEADER_ONLY_DEPS nlohmann_json::nlohmann_json)

# holdfast_link_closure(<target> <out_internal> <out_external>)
# Every holdfast_* library <target> links, directly or not (itself included), and every other
# library met on the way.
function(holdfast_link_closure target out_internal out_external)
  set(internal)
  set(external)
  set(pending ${target})
  while(pending)
    list(POP_FRONT pending t)
    if(t IN_LIST internal)
      continue()
    endif()
    list(APPEND internal ${t})
    get_target_property(deps ${t} LINK_LIBRARIES)
    foreach(d ${deps})
      if(d MATCHES "^holdfast_")
        list(APPEND pending ${d})
      elseif(NOT d IN_LIST external)
        list(APPEND external ${d})
      endif()
    endforeach()
  endwhile()
  set(${out_internal} ${internal} PARENT_SCOPE)
  set(${out_external} ${external} PARENT_SCOPE)
endfunction()

holdfast_link_closure(holdfast_client client_libraries client_external)
foreach(dep ${client_external})
  if(NOT dep IN_LIST HOLDFAST_CLIENT_LINK_DEPS AND NOT dep IN_LIST HOLDFAST_CLIENT_HEADER_ONLY_DEPS)
    message(FATAL_ERROR "holdfast_client now links ${dep}: declare it for the installed package "
                        "in cmake/HoldfastInstall.cmake (CMake package and pkg-config module)")
  endif()
endforeach()

# One static library holding the objects of holdfast_client and of every holdfast_* library it
# links (remoting, common, ...), so a user links one library of ours plus the dependencies above.
set(client_objects)
foreach(lib ${client_libraries})
  list(APPEND client_objects $<TARGET_OBJECTS:${lib}>)
endforeach()
add_library(holdfast_client_package STATIC ${client_objects})
set_target_properties(holdfast_client_package PROPERTIES
  OUTPUT_NAME holdfast_client
  ARCHIVE_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib
  EXPORT_NAME client)
target_include_directories(holdfast_client_package INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(holdfast_client_package INTERFACE cxx_std_20)
target_link_libraries(holdfast_client_package PRIVATE ${HOLDFAST_CLIENT_LINK_DEPS})
add_library(holdfast::client ALIAS holdfast_client_package)

install(TARGETS holdfast RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS holdfast_client_package EXPORT holdfastTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/holdfast
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

set(HOLDFAST_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/holdfast)
install(EXPORT holdfastTargets NAMESPACE holdfast:: DESTINATION ${HOLDFAST_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/holdfastConfig.cmake.in
  ${PROJECT_BINARY_DIR}/holdfastConfig.cmake INSTALL_DESTINATION ${HOLDFAST_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/holdfastConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/holdfastConfig.cmake
  ${PROJECT_BINARY_DIR}/holdfastConfigVersion.cmake DESTINATION ${HOLDFAST_CMAKE_DIR})

# pkg-config: the prefix is found from the .pc file's own place (${pcfiledir}), because
# `cmake --install --prefix` may install somewhere other than CMAKE_INSTALL_PREFIX.
set(HOLDFAST_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH HOLDFAST_PKGCONFIG_TO_PREFIX /prefix/${HOLDFAST_PKGCONFIG_DIR} /prefix)
string(REGEX REPLACE "/$" "" HOLDFAST_PKGCONFIG_TO_PREFIX "${HOLDFAST_PKGCONFIG_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/holdfast.pc.in ${PROJECT_BINARY_DIR}/holdfast.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/holdfast.pc DESTINATION ${HOLDFAST_PKGCONFIG_DIR})
