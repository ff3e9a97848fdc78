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

}  // namespace numctl
