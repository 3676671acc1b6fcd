# Installation: library, header, CLI, pkg-config file and CMake package config, so
# another project can find_package(gsconv) or pkg-config --libs gsconv.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(gsconv_cli PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
install(TARGETS gsconv gsconv_static EXPORT gsconvTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS gsconv_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES include/gsconv.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT gsconvTargets NAMESPACE gsconv:: FILE gsconvTargets.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gsconv)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gsconvConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gsconvConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gsconv)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gsconvConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gsconvConfig.cmake ${PROJECT_BINARY_DIR}/gsconvConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gsconv)

set(GSCONV_PC_REQUIRES_PRIVATE "hwloc")
if(GSCONV_X86)
  string(APPEND GSCONV_PC_REQUIRES_PRIVATE " libcpuid")
endif()
# relocatable: the prefix is found from the .pc file's own directory, so the same file
# works after `cmake --install --prefix ANY`
file(RELATIVE_PATH GSCONV_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" GSCONV_PC_TO_PREFIX "${GSCONV_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/gsconv.pc.in ${PROJECT_BINARY_DIR}/gsconv.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/gsconv.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
