#include "docker/runtime_images.h"

#include <cctype>

#include "common/crypto.h"
#include "docker/request_encode.h"

namespace stratus::docker {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += item + "\n";
  return out;
}

}  // namespace

const std::vector<RuntimeRecipe>& runtimeRecipes() {
  static const std::vector<std::string> kTrimmed = {"var/cache/apt/archives/*.deb",
                                                    "var/cache/apt/*.bin",
                                                    "var/lib/apt/lists/*",
                                                    "var/log/*.log",
                                                    "usr/share/doc/*",
                                                    "usr/share/man/*",
                                                    "usr/share/info/*"};
  static const std::vector<RuntimeRecipe> recipes = {
      {"python3.11",
       "stratus/python3.11",
       {"python3.11"},
       "bookworm",
       "minbase",
       {"python3"},
       kTrimmed,
       {"/usr/bin/python3", "--version"}},
      // Debian 12 ships Node.js 18; the function runtime keeps the name functions were
      // deployed with.
      {"nodejs",
       "stratus/nodejs",
       {"nodejs20"},
       "bookworm",
       "minbase",
       {"nodejs"},
       kTrimmed,
       {"/usr/bin/node", "--version"}},
  };
  return recipes;
}

const RuntimeRecipe* findRecipe(std::string_view name) {
  for (const auto& recipe : runtimeRecipes()) {
    if (recipe.name == name) return &recipe;
    for (const auto& runtime : recipe.functionRuntimes) {
      if (runtime == name) return &recipe;
    }
  }
  return nullptr;
}

std::string recipeHash(const RuntimeRecipe& recipe) {
  const std::string canonical = "image-version=" + std::to_string(kRuntimeImageVersion) +
                                "\nsuite=" + recipe.suite + "\nvariant=" + recipe.variant +
                                "\npackages:\n" + joined(recipe.packages) + "trimmed:\n" +
                                joined(recipe.trimmed);
  return sha256Hex(canonical).substr(0, 16);
}

Labels recipeLabels(const RuntimeRecipe& recipe) {
  return {{std::string(kRuntimeLabel), recipe.name},
          {std::string(kImageVersionLabel), std::to_string(kRuntimeImageVersion)},
          {std::string(kRecipeLabel), recipeHash(recipe)}};
}

bool isCurrentImage(const Labels& imageLabels, const RuntimeRecipe& recipe) {
  auto it = imageLabels.find(std::string(kRecipeLabel));
  return it != imageLabels.end() && it->second == recipeHash(recipe);
}

Result<RuntimeImages> parseRuntimeImages(std::string_view text) {
  RuntimeImages images;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) {
      return invalid("invalid_config",
                     "--docker-image takes RUNTIME=IMAGE, not \"" + std::string(item) + "\"");
    }
    const std::string runtime(trim(item.substr(0, equals)));
    const std::string image(trim(item.substr(equals + 1)));
    if (runtime.empty() || image.empty()) {
      return invalid("invalid_config",
                     "--docker-image takes RUNTIME=IMAGE, not \"" + std::string(item) + "\"");
    }
    for (unsigned char c : runtime) {
      if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-')) {
        return invalid("invalid_config", "--docker-image: not a runtime name: \"" + runtime + "\"");
      }
    }
    if (auto checked = checkObjectName(image, NameKind::image); !checked) {
      return invalid("invalid_config",
                     "--docker-image " + runtime + ": " + checked.error().message);
    }
    if (!images.emplace(runtime, image).second) {
      return invalid("invalid_config", "--docker-image names runtime " + runtime + " twice");
    }
  }
  return images;
}

std::string imageForRuntime(std::string_view functionRuntime, const RuntimeImages& chosen) {
  if (auto it = chosen.find(std::string(functionRuntime)); it != chosen.end()) return it->second;
  const RuntimeRecipe* recipe = findRecipe(functionRuntime);
  return recipe ? recipe->repository : std::string();
}

}  // namespace stratus::docker
