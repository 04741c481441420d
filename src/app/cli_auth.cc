// `stratus signup` and `stratus login`: open a cookie session, trade it for an API key named
// after this machine, print the key once as shell lines, and close the session again.
#include <unistd.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <memory>

#include "app/cli_common.h"
#include "app/cli_prompt.h"
#include "client/exit_status.h"
#include "client/format.h"
#include "client/views.h"

namespace stratus::app::cli {
namespace {

struct AuthOptions {
  CommonOptions common;
  std::string email;
  std::string name;
  std::string password;
};

std::string apiKeyName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "cli";
  return std::string("cli-") + host;
}

Result<std::string> obtainPassword(const std::string& flag, bool confirm) {
  if (auto given = client::passwordFromFlagOrEnv(flag, client::processEnvironment())) {
    return *given;
  }
  auto password = readPassword("Password: ");
  if (!password) return password;
  if (password->empty()) return invalid("empty_password", "the password must not be empty");
  if (confirm) {
    auto again = readPassword("Repeat password: ");
    if (!again) return again;
    if (*again != *password) return invalid("password_mismatch", "the passwords do not match");
  }
  return password;
}

// Errors of signup/signin print without the "run stratus login" hint: that is what the user
// is doing. The exit status still says what kind of failure it was.
int reportAuthError(const Error& error) {
  std::cerr << client::errorLine(error) << '\n';
  return client::exitStatusFor(error);
}

int runAuth(const AuthOptions& options, bool signup) {
  auto settings = client::resolveSettings(options.common.connection, client::processEnvironment());
  if (!settings) return reportUsageError(settings.error());
  auto password = obtainPassword(options.password, signup);
  if (!password) return reportUsageError(password.error());

  // No API key on these requests: a stale key in the environment must not get in the way of
  // the session this command is about to open.
  client::HttpClient http(settings->url);
  http.setCookieJar();

  boost::json::object credentials{{"email", options.email}, {"password", *password}};
  if (signup && !options.name.empty()) credentials["name"] = options.name;
  auto answer = http.postJson(signup ? "/api/v1/auth/signup" : "/api/v1/auth/signin", credentials);
  // With email verification on, sign-up answers 202 without a session: the account is
  // usable once the mailed link has been opened.
  if (signup && answer && answer->status == 202) {
    if (options.common.json) {
      std::cout << answer->body << '\n';
    } else {
      std::cerr << "Check " << options.email << " for a link to verify the address, then run:\n"
                << "  stratus login " << options.email << "\n";
    }
    return client::kExitOk;
  }
  auto user = client::expectJson(std::move(answer));
  if (!user) return reportAuthError(user.error());

  std::string keyName = apiKeyName();
  auto created =
      client::expectJson(http.postJson("/api/v1/api-keys", boost::json::object{{"name", keyName}}));
  // The session was only the way to the key; end it whatever happened.
  (void)http.request("POST", "/api/v1/auth/signout");
  if (!created) {
    if (created.error().code == "email_not_verified") {
      std::cerr << "This account's email is not verified yet. Open the link we mailed to "
                << options.email << ", then run this again.\n";
      return client::exitStatusFor(created.error());
    }
    return reportAuthError(created.error());
  }

  const auto& userObject = client::field(*user, "user");
  std::string userId = client::scalarText(client::field(userObject, "id"));
  std::string key = client::scalarText(client::field(*created, "key"));

  if (options.common.json) {
    boost::json::object out = created->is_object() ? created->get_object() : boost::json::object{};
    out["user"] = userObject;
    out["url"] = settings->url;
    std::cout << boost::json::serialize(out) << '\n';
    return client::kExitOk;
  }
  std::cerr << (signup ? "Signed up as " : "Signed in as ")
            << client::scalarText(client::field(userObject, "email")) << ".\n"
            << "Created API key \"" << keyName << "\". It is shown only this once; paste these "
            << "lines into your shell (or eval them):\n\n";
  std::cout << client::exportLines(settings->url, key) << "# user id: " << userId
            << " (public functions: " << settings->url << "/api/function/" << userId
            << "/<handler>/sandbox)\n";
  return client::kExitOk;
}

void registerAuth(CLI::App& app, int& exitCode, bool signup) {
  auto options = std::make_shared<AuthOptions>();
  auto* command = app.add_subcommand(signup ? "signup" : "login",
                                     signup ? "Create an account and an API key for this machine"
                                            : "Sign in and create an API key for this machine");
  command->add_option("email", options->email, "Email address")->required();
  if (signup) command->add_option("--name", options->name, "Your name");
  command->add_option("--password", options->password,
                      "Password (default: $STRATUS_PASSWORD, else asked on the terminal)");
  addCommonOptions(*command, options->common);
  command->callback([options, &exitCode, signup] { exitCode = runAuth(*options, signup); });
}

}  // namespace

void registerAuthCommands(CLI::App& app, int& exitCode) {
  registerAuth(app, exitCode, true);
  registerAuth(app, exitCode, false);
}

}  // namespace stratus::app::cli
