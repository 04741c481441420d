// Stratus's runtime images: what each is built from (a recipe), how it is labelled, and
// which image a function's runtime runs in. The images are built on the machine itself
// from Debian packages (`stratus runtimes build`, app/runtime_image_build.h) and never
// pulled. An image carries its recipe's hash as a label, so a build skips an image that is
// already current and the executor can tell a stale one.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "docker/types.h"

namespace stratus::docker {

// Bump when the way images are built changes in a way the recipe fields do not show.
inline constexpr int kRuntimeImageVersion = 1;

inline constexpr std::string_view kRuntimeLabel = "org.stratus.runtime";
inline constexpr std::string_view kImageVersionLabel = "org.stratus.image-version";
inline constexpr std::string_view kRecipeLabel = "org.stratus.recipe";
inline constexpr std::string_view kRuntimeVersionLabel = "org.stratus.runtime-version";

struct RuntimeRecipe {
  std::string name;        // "python3.11", "nodejs": what `--runtime` takes
  std::string repository;  // "stratus/python3.11"; tagged :latest
  // The function runtimes (store/model.h) that run in this image.
  std::vector<std::string> functionRuntimes;
  std::string suite = "bookworm";
  std::string variant = "minbase";
  std::vector<std::string> packages;  // debootstrap --include
  // Paths (relative to the root, shell globs) deleted before the import: package caches
  // and documentation nothing in a function's container reads.
  std::vector<std::string> trimmed;
  std::vector<std::string> versionCommand;  // run in the new root: its output is a label
};

const std::vector<RuntimeRecipe>& runtimeRecipes();
// By recipe name or by a function runtime it serves ("nodejs20" -> nodejs); nullptr if none.
const RuntimeRecipe* findRecipe(std::string_view name);

// Hex SHA-256 (first 16 characters) of everything that decides the image's content.
// The mirror is not part of it: any Debian mirror serves the same packages.
std::string recipeHash(const RuntimeRecipe& recipe);
// The labels an image built from `recipe` carries (without the runtime version, which is
// only known once built).
Labels recipeLabels(const RuntimeRecipe& recipe);
// Whether an image with these labels was built from this very recipe.
bool isCurrentImage(const Labels& imageLabels, const RuntimeRecipe& recipe);

// The operator's own images per function runtime, from "RUNTIME=IMAGE[,RUNTIME=IMAGE...]"
// (`--docker-image` / STRATUS_DOCKER_IMAGES). Runtimes are function runtimes
// ("python3.11", "nodejs20"); an image is any reference the daemon has. Empty text: none.
using RuntimeImages = std::map<std::string, std::string>;
Result<RuntimeImages> parseRuntimeImages(std::string_view text);
// The image a function runtime runs in: the operator's choice, else the recipe's image;
// empty when neither exists (a custom runtime with no image named for it).
std::string imageForRuntime(std::string_view functionRuntime, const RuntimeImages& chosen);

}  // namespace stratus::docker
