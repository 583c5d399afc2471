# Debian package of DigitLab: `cmake -B build-pkg -DDIGITLAB_NATIVE=OFF && cmake --build build-pkg
# && cpack --config build-pkg/CPackConfig.cmake` (packaging/build-deb.sh does exactly this).
# The packaged build is portable (no -march=native).
install(FILES ${CMAKE_CURRENT_LIST_DIR}/digitlab.desktop DESTINATION share/applications)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "digitlab")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "DigitLab developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Build a neural network, watch it learn handwritten digits, draw and test")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
