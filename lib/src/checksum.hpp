// SHA-256 of stored documents.
#pragma once

#include <string>

namespace numctl {

// Lower-case hex SHA-256 of `data`, from libcrypto loaded on first use.
std::string sha256_hex(const std::string& data);

}  // namespace numctl
