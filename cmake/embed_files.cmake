# Writes OUTPUT, a C++ file defining stratus::exec::runtimeFiles(): the runtimes' bootstrap
# files as string literals, so the one binary carries the guest side of the Runtime API
# with it. Run at build time (cmake -P) with ROOT (the runtimes folder), FILES (paths
# relative to it, comma-separated) and OUTPUT.
string(REPLACE "," ";" files "${FILES}")
set(body "")
foreach(file IN LISTS files)
  file(READ "${ROOT}/${file}" content)
  string(FIND "${content}" ")stratus_embed\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the embedding delimiter")
  endif()
  string(APPEND body "    {\"${file}\", R\"stratus_embed(${content})stratus_embed\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"// Generated from runtimes/ by cmake/embed_files.cmake; do not edit.
#include \"exec/runtime_files.h\"

namespace stratus::exec {

std::span<const EmbeddedFile> runtimeFiles() {
  static const EmbeddedFile files[] = {
${body}  };
  return files;
}

}  // namespace stratus::exec
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
