#include "api/html_page.h"

#include "auth/mail_templates.h"

namespace stratus::api {

http::Response htmlPage(int status, std::string_view title, const std::string& bodyHtml) {
  std::string html =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      // An empty icon: without one the browser asks for /favicon.ico, a 404 in its console.
      "<link rel=\"icon\" href=\"data:,\">"
      "<title>" + auth::escapeHtml(title) + " · Stratus</title></head>"
      "<body style=\"font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;"
      "padding:0 1rem\"><main><h1>" + auth::escapeHtml(title) + "</h1>" + bodyHtml +
      "</main></body></html>\n";
  auto response = http::Response::text(status, std::move(html), "text/html; charset=utf-8");
  response.setHeader("Cache-Control", "no-store");
  return response;
}

std::string tokenForm(std::string_view action, std::string_view token, std::string_view button,
                      bool withNewPassword) {
  std::string form = "<form method=\"post\" action=\"" + auth::escapeHtml(action) + "\">"
                     "<input type=\"hidden\" name=\"token\" value=\"" + auth::escapeHtml(token) +
                     "\">";
  if (withNewPassword)
    form +=
        "<p><label>New password<br><input type=\"password\" name=\"password\" "
        "autocomplete=\"new-password\" minlength=\"10\" required></label></p>"
        "<p><label>Repeat it<br><input type=\"password\" name=\"confirm\" "
        "autocomplete=\"new-password\" minlength=\"10\" required></label></p>";
  form += "<p><button type=\"submit\">" + auth::escapeHtml(button) + "</button></p></form>";
  return form;
}

}  // namespace stratus::api
