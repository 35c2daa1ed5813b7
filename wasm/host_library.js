// host_library.js — tells Emscripten's linker about the core's one import,
// env.detour_host_invoke(req: i32, len: i32) -> i32 (see src/host.c, src/detour.h).
//
// The Emscripten build is STANDALONE_WASM: no generated JS runs, so this body is never used; a JS
// library symbol simply stays an `env` import of the .wasm, satisfied by the same loader as the
// wasi build's (js/core.js). The body answers "no such delegate" should a JS loader ever use it.
mergeInto(LibraryManager.library, {
  detour_host_invoke: function (req, len) {
    return 0;
  },
});
