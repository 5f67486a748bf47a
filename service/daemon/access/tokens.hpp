// Secrets: feed and API tokens are random 128-bit values, stored only as a SHA-256 hash and
// compared in constant time.
#pragma once

#include <string>
#include <string_view>

namespace jk::daemon {

/// 32 lower-case hex characters from the system's CSPRNG (OpenSSL RAND_bytes).
std::string random_token();
/// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);
/// Lower-case hex HMAC-SHA-256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
/// Equality that takes the same time wherever the first difference is (CRYPTO_memcmp).
bool constant_time_equal(std::string_view a, std::string_view b);
/// True for 32 lower-case hex characters: anything else is refused before hashing.
bool looks_like_token(std::string_view s);

}  // namespace jk::daemon
