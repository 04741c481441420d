#include "auth/mail_templates.h"

namespace stratus::auth {
namespace {

// Tokens are base64url, so they need no escaping in a URL; the base URL is ours.
std::string link(const MailContext& context, std::string_view path, std::string_view token) {
  return context.publicUrl + std::string(path) + "?token=" + std::string(token);
}

std::string htmlPage(std::string_view heading, std::string_view paragraph, std::string_view href,
                     std::string_view button, std::string_view footer) {
  std::string html =
      "<!doctype html><html><body style=\"font-family:sans-serif;max-width:32rem\">"
      "<h1 style=\"font-size:1.25rem\">" + escapeHtml(heading) + "</h1><p>" +
      escapeHtml(paragraph) + "</p>";
  if (!href.empty())
    html += "<p><a href=\"" + escapeHtml(href) + "\">" + escapeHtml(button) +
            "</a></p><p style=\"color:#555\">Or paste this address into your browser: " +
            escapeHtml(href) + "</p>";
  html += "<p style=\"color:#555\">" + escapeHtml(footer) + "</p></body></html>";
  return html;
}

mail::Message message(const MailContext& context, std::string_view to, std::string subject) {
  mail::Message m;
  m.from = context.from;
  m.to = std::string(to);
  m.subject = std::move(subject);
  return m;
}

}  // namespace

std::string escapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

mail::Message verificationMail(const MailContext& context, std::string_view to,
                               std::string_view token) {
  auto m = message(context, to, "Verify your email for Stratus");
  const std::string href = link(context, "/verify", token);
  const std::string footer =
      "The link works once and expires in 24 hours. If you did not sign up, ignore this mail.";
  m.text = "Welcome to Stratus.\n\nOpen this link to verify your email address:\n\n" + href +
           "\n\n" + footer + "\n";
  m.html = htmlPage("Verify your email", "Welcome to Stratus. Confirm this address to start "
                    "deploying functions.", href, "Verify email", footer);
  return m;
}

mail::Message alreadyRegisteredMail(const MailContext& context, std::string_view to) {
  auto m = message(context, to, "Someone tried to sign up with your email");
  const std::string signIn = context.publicUrl + "/";
  const std::string footer =
      "If this was you, sign in, or reset your password if you forgot it. If it was not, "
      "you can ignore this mail: nothing changed.";
  m.text = "Someone tried to create a Stratus account with this address, which already has "
           "one.\n\nSign in: " + signIn + "\nForgot your password? Use \"Forgot password\" "
           "on the sign-in page.\n\n" + footer + "\n";
  m.html = htmlPage("You already have an account",
                    "Someone tried to create a Stratus account with this address, which already "
                    "has one.", signIn, "Sign in", footer);
  return m;
}

mail::Message passwordResetMail(const MailContext& context, std::string_view to,
                                std::string_view token) {
  auto m = message(context, to, "Reset your Stratus password");
  const std::string href = link(context, "/reset", token);
  const std::string footer =
      "The link works once and expires in 1 hour. Setting a new password signs you out "
      "everywhere. If you did not ask for this, ignore this mail: your password is unchanged.";
  m.text = "Open this link to choose a new password:\n\n" + href + "\n\n" + footer + "\n";
  m.html = htmlPage("Reset your password", "Someone, hopefully you, asked to reset the "
                    "password of this Stratus account.", href, "Choose a new password", footer);
  return m;
}

}  // namespace stratus::auth
