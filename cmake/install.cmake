# `make install`: the tool, the library, the public headers and a CMake package, so that another project
# can `find_package(vmsim)` and link `vmsim::core` (which needs neither CLI11 nor toml++).
include(CMakePackageConfigHelpers)

install(TARGETS vmsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS vmsim_core EXPORT vmsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/vmsim DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT vmsimTargets NAMESPACE vmsim:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/vmsim)
configure_package_config_file(cmake/vmsimConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/vmsimConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/vmsim)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/vmsimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/vmsimConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/vmsimConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/vmsim)
