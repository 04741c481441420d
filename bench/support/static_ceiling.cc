// stratus_static_ceiling: the project's own HTTP server (stratus::http::Server, configured
// as `stratus serve` configures it) answering every request with 200 {"ok":true} and the
// security headers every Stratus answer carries. No routing, no auth, no storage, no
// function: what wrk measures against it is the floor the HTTP stack puts under every
// Stratus number, and the engine benchmark reports Stratus's latency minus this floor as
// the platform's overhead. It writes its access log line per request to stderr like
// `stratus serve`, so the comparison includes the same logging cost.
//
//   stratus_static_ceiling [--host H] [--port P] [--port-file FILE]
//                          [--io-threads N] [--worker-threads N]
#include <boost/json/object.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "http/security_headers.h"
#include "http/server.h"

namespace {

int usage(const char* why) {
  std::fprintf(stderr,
               "stratus_static_ceiling: %s\nusage: stratus_static_ceiling [--host H] [--port P] "
               "[--port-file FILE] [--io-threads N] [--worker-threads N]\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace stratus;
  http::ServerOptions options;
  options.port = 0;
  // The same thread counts as `stratus serve`'s defaults (serve_config.h).
  options.ioThreads = 2;
  options.workerThreads = 64;
  std::string portFile;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) return usage("missing value");
    const char* value = argv[++i];
    if (flag == "--host") options.host = value;
    else if (flag == "--port") options.port = static_cast<uint16_t>(std::atoi(value));
    else if (flag == "--port-file") portFile = value;
    else if (flag == "--io-threads") options.ioThreads = std::atoi(value);
    else if (flag == "--worker-threads") options.workerThreads = std::atoi(value);
    else return usage("unknown flag");
  }
  if (options.ioThreads < 1 || options.workerThreads < 1) return usage("bad thread count");

  http::Server server(options, [](http::Request&) {
    auto response = http::Response::json(200, boost::json::object{{"ok", true}});
    http::addSecurityHeaders(response);
    return response;
  });
  if (auto ok = server.listen(); !ok) {
    std::fprintf(stderr, "cannot listen: %s\n", ok.error().describe().c_str());
    return 1;
  }
  if (!portFile.empty()) std::ofstream(portFile) << server.port() << "\n";
  server.run();  // until SIGTERM
  return 0;
}
