// The engines numctl can open, each behind one function; engines.cpp picks one by location.
#pragma once

#include "numctl/store.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace numctl {

std::unique_ptr<Store> open_sqlite(const std::filesystem::path& path, const Store::OpenOptions& options);
std::unique_ptr<Store> open_postgres(const std::string& connection, const Store::OpenOptions& options);
std::string masked_postgres(std::string_view connection);
// An empty inventory in memory, written nowhere: what a command that may read a missing
// inventory (available) reads; `shown_as` names where the real one would be.
std::unique_ptr<Store> open_empty(const std::filesystem::path& shown_as);

// A postgresql:// (or postgres://) URI, as opposed to a libpq keyword string or a path.
bool is_postgres_uri(std::string_view text);

}  // namespace numctl
