// SHA-256 through OpenSSL's libcrypto, loaded only when a document is stored or an inventory moved.
#include "checksum.hpp"
#include "numctl/error.hpp"
#include "dynamic.hpp"

#include <openssl/evp.h>

#include <string>

namespace numctl {

namespace {

struct Crypto {
  decltype(&EVP_Digest) digest = nullptr;
  decltype(&EVP_sha256) sha256 = nullptr;
  decltype(&EVP_MD_CTX_new) context_new = nullptr;
  decltype(&EVP_MD_CTX_free) context_free = nullptr;
  decltype(&EVP_DigestInit_ex) init = nullptr;
  decltype(&EVP_DigestUpdate) update = nullptr;
  decltype(&EVP_DigestFinal_ex) final = nullptr;
};

// libcrypto, loaded on first use: mapping it costs every start of numctl about a millisecond,
// and only storing a document or moving an inventory needs it.
const Crypto& crypto() {
  static const Crypto loaded = [] {
    DynamicLibrary library("libcrypto.so.3", "for SHA-256", "libssl3");
    Crypto c;
    auto find = [&](auto& slot, const char* name) { library.find(slot, name); };
    find(c.digest, "EVP_Digest");
    find(c.sha256, "EVP_sha256");
    find(c.context_new, "EVP_MD_CTX_new");
    find(c.context_free, "EVP_MD_CTX_free");
    find(c.init, "EVP_DigestInit_ex");
    find(c.update, "EVP_DigestUpdate");
    find(c.final, "EVP_DigestFinal_ex");
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
