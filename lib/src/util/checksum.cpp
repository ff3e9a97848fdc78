// SHA-256 through OpenSSL's libcrypto, loaded only when a document is stored or an inventory moved.
#include "util/checksum.hpp"
#include "numctl/error.hpp"
#include "util/dynamic.hpp"

#include <openssl/evp.h>

#include <string>

namespace numctl {

namespace {

// clang-format off
#define NUMCTL_CRYPTO_FUNCTIONS(X)                                                       \
  X(digest, EVP_Digest) X(sha256, EVP_sha256) X(context_new, EVP_MD_CTX_new)             \
  X(context_free, EVP_MD_CTX_free) X(init, EVP_DigestInit_ex) X(update, EVP_DigestUpdate) \
  X(final, EVP_DigestFinal_ex)
// clang-format on

struct Crypto {
  NUMCTL_DYNAMIC_SLOTS(NUMCTL_CRYPTO_FUNCTIONS)
};

// libcrypto, loaded on first use: mapping it costs every start of numctl about a millisecond,
// and only storing a document or moving an inventory needs it.
const Crypto& crypto() {
  static const Crypto loaded = [] {
    DynamicLibrary library("libcrypto.so.3", "for SHA-256", "libssl3");
    Crypto c;
    NUMCTL_DYNAMIC_FIND(NUMCTL_CRYPTO_FUNCTIONS, library, c);
    if (!library.problem().empty()) fail(ErrorCategory::internal, library.problem());
    return c;
  }();
  return loaded;
}

std::string hex(const unsigned char* digest, unsigned int length) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string sha256_hex(const std::string& data) {
  const Crypto& c = crypto();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  c.digest(data.data(), data.size(), digest, &length, c.sha256(), nullptr);
  return hex(digest, length);
}

Sha256::Sha256() : context_(crypto().context_new()) {
  if (context_ == nullptr || crypto().init(static_cast<EVP_MD_CTX*>(context_), crypto().sha256(), nullptr) != 1)
    fail(ErrorCategory::internal, "cannot start a SHA-256 digest");
}

Sha256::~Sha256() { crypto().context_free(static_cast<EVP_MD_CTX*>(context_)); }

void Sha256::update(std::string_view data) { crypto().update(static_cast<EVP_MD_CTX*>(context_), data.data(), data.size()); }

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  crypto().final(static_cast<EVP_MD_CTX*>(context_), digest, &length);
  return hex(digest, length);
}

}  // namespace numctl
