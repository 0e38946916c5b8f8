// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/version.hpp>

namespace mcnet {

version_info version() noexcept {
  return {MCNET_VERSION_MAJOR, MCNET_VERSION_MINOR, MCNET_VERSION_PATCH, MCNET_VERSION_STRING};
}

}  // namespace mcnet
