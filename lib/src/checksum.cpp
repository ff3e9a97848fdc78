// SHA-256 through OpenSSL's libcrypto, loaded only when a document is stored.
#include "checksum.hpp"
#include "numctl/error.hpp"

#include <dlfcn.h>
#include <openssl/evp.h>

#include <utility>

namespace numctl {

// SHA-256 from OpenSSL's libcrypto, loaded when a document is stored: mapping libcrypto costs
// every start of numctl about a millisecond, and only `docs submit` needs it.
std::string sha256_hex(const std::string& data) {
  static const auto digest_function = [] {
    void* handle = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) fail(ErrorCategory::internal, "cannot load libcrypto.so.3 to checksum documents; install libssl3");
    auto digest = reinterpret_cast<decltype(&EVP_Digest)>(::dlsym(handle, "EVP_Digest"));
    auto sha256 = reinterpret_cast<decltype(&EVP_sha256)>(::dlsym(handle, "EVP_sha256"));
    if (digest == nullptr || sha256 == nullptr) fail(ErrorCategory::internal, "libcrypto.so.3 lacks EVP_Digest or EVP_sha256");
    return std::pair{digest, sha256};
  }();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  digest_function.first(data.data(), data.size(), digest, &length, digest_function.second(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace numctl
