# install() rules and the package config, so a user's project can
#   find_package(faultline REQUIRED) and link faultline::resilience.
include(CMakePackageConfigHelpers)

install(DIRECTORY include/faultline DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
get_property(_faultline_modules GLOBAL PROPERTY FAULTLINE_MODULES)
install(TARGETS ${_faultline_modules}
        EXPORT faultlineTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT faultlineTargets NAMESPACE faultline::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/faultline)

configure_package_config_file(cmake/faultlineConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/faultlineConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/faultline)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/faultlineConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/faultlineConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/faultlineConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/faultline)
