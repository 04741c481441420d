// Turning the account parts of ServeConfig into objects: the mailer and the sign-in
// providers. Kept out of serve_command.cc so that file stays the order of start-up.
#pragma once

#include <filesystem>

#include "api/routes.h"
#include "app/serve_config.h"
#include "common/error.h"
#include "mail/mailer.h"

namespace stratus::app {

// SMTP if configured, else Resend, else the log mailer writing to DATA_DIR/outbox.
Result<mail::MailerPtr> makeMailer(const MailConfig& config, const std::filesystem::path& dataDir);
Result<api::OAuthProviders> makeProviders(const ProviderConfig& config);

}  // namespace stratus::app
