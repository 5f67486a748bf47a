#include "daemon/access/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace jk::daemon {
namespace {
constexpr char kHex[] = "0123456789abcdef";
std::string hex(const unsigned char* p, size_t n) {
    std::string s(n * 2, '0');
    for (size_t i = 0; i < n; ++i) {
        s[2 * i] = kHex[p[i] >> 4];
        s[2 * i + 1] = kHex[p[i] & 15];
    }
    return s;
}
}  // namespace

std::string random_token() {
    unsigned char buf[16];
    if (RAND_bytes(buf, sizeof buf) != 1) throw std::runtime_error("RAND_bytes failed");
    return hex(buf, sizeof buf);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &n))
        throw std::runtime_error("HMAC-SHA-256 failed");
    return hex(md, n);
}

std::string sha256_hex(std::string_view data) {
    // OpenSSL 3 looks an algorithm up on every use unless it is fetched once (its "implicit
    // fetch" costs more than hashing 32 bytes), and EVP_Digest makes and frees a context per
    // call: every feed request hashes its token, so each thread keeps one context.
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    struct Context {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        ~Context() { EVP_MD_CTX_free(ctx); }
    };
    thread_local const Context context;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!sha256 || !context.ctx || EVP_DigestInit_ex2(context.ctx, sha256, nullptr) != 1 ||
        EVP_DigestUpdate(context.ctx, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context.ctx, md, &n) != 1)
        throw std::runtime_error("SHA-256 failed");
    return hex(md, n);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool looks_like_token(std::string_view s) {
    if (s.size() != 32) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace jk::daemon
