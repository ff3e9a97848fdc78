// SHA-256 of stored documents and of tables moved between engines.
#pragma once

#include <string>
#include <string_view>

namespace numctl {

// Lower-case hex SHA-256 of `data`, from libcrypto loaded on first use.
std::string sha256_hex(const std::string& data);

// SHA-256 of data fed in pieces (a whole table's rows).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex_digest();  // once, after the last update

 private:
  void* context_;
};

}  // namespace numctl
