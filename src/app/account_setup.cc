#include "app/account_setup.h"

#include "auth/oauth/github_provider.h"
#include "auth/oauth/google_provider.h"
#include "common/log.h"
#include "mail/log_mailer.h"
#include "mail/resend_mailer.h"
#include "mail/smtp_mailer.h"

namespace stratus::app {

Result<mail::MailerPtr> makeMailer(const MailConfig& config, const std::filesystem::path& dataDir) {
  if (!config.smtpUrl.empty()) {
    mail::SmtpOptions options;
    options.url = config.smtpUrl;
    options.username = config.smtpUser;
    options.password = config.smtpPassword;
    options.requireTls = config.smtpRequireTls;
    options.caFile = config.smtpCaFile;
    return mail::makeSmtpMailer(std::move(options));
  }
  if (!config.resendApiKey.empty()) {
    mail::ResendOptions options;
    options.apiKey = config.resendApiKey;
    if (!config.resendEndpoint.empty()) options.endpoint = config.resendEndpoint;
    return mail::makeResendMailer(std::move(options));
  }
  log::warn("no mail transport configured: mails go to the log and the outbox folder",
            {{"outbox", (dataDir / "outbox").string()}});
  return mail::makeLogMailer(dataDir / "outbox");
}

Result<api::OAuthProviders> makeProviders(const ProviderConfig& config) {
  api::OAuthProviders providers;
  if (!config.githubClientId.empty()) {
    auth::oauth::GithubConfig github;
    github.clientId = config.githubClientId;
    github.clientSecret = config.githubClientSecret;
    if (!config.githubAuthorizeUrl.empty()) github.authorizeUrl = config.githubAuthorizeUrl;
    if (!config.githubTokenUrl.empty()) github.tokenUrl = config.githubTokenUrl;
    if (!config.githubUserUrl.empty()) github.userUrl = config.githubUserUrl;
    if (config.githubEmailsUrl == "none") github.emailsUrl.clear();
    else if (!config.githubEmailsUrl.empty()) github.emailsUrl = config.githubEmailsUrl;
    auto provider = auth::oauth::makeGithubProvider(std::move(github));
    if (!provider) return std::unexpected(provider.error());
    providers.emplace("github", std::move(*provider));
  }
  if (!config.googleClientId.empty()) {
    auth::oauth::OidcConfig google;
    google.clientId = config.googleClientId;
    google.clientSecret = config.googleClientSecret;
    if (!config.googleIssuer.empty()) google.issuer = config.googleIssuer;
    auto provider = auth::oauth::makeOidcProvider(std::move(google));
    if (!provider) return std::unexpected(provider.error());
    providers.emplace("google", std::move(*provider));
  }
  return providers;
}

}  // namespace stratus::app
