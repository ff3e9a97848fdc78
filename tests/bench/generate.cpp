// Writes a realistic inventory as import CSV: valid numbers across 20 countries and the three
// types, ~85% active / 5% pending / 3% high_risk / 7% under cancellation, 40 teams, ~30%
// unassigned. Deterministic from the seed.
// Usage: numctl_bench_generate COUNT SEED [--with-country] > file.csv
// --with-country adds the country column, for the reference database that plain sqlite3 builds
// (sqlite3 alone cannot tell a number's country; numctl derives it while importing).
#include <numctl/phone.hpp>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3 && !(argc == 4 && std::string(argv[3]) == "--with-country")) {
    std::fprintf(stderr, "usage: %s COUNT SEED [--with-country] > numbers.csv\n", argv[0]);
    return 2;
  }
  const bool with_country = argc == 4;
  const std::size_t count = std::strtoull(argv[1], nullptr, 10);
  std::mt19937_64 random(std::strtoull(argv[2], nullptr, 10));
  const std::vector<std::string> countries{"US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT",
                                           "SE", "NO", "DK", "PL", "PT", "IE", "CA", "AU", "JP", "BR"};
  const std::vector<numctl::NumberType> types{numctl::NumberType::local, numctl::NumberType::mobile,
                                              numctl::NumberType::toll_free};
  // Share of each type: mostly local and mobile numbers, some toll free.
  const std::vector<double> type_share{0.45, 0.45, 0.10};
  std::unordered_set<std::string> seen;
  struct Generated {
    std::string e164;
    numctl::NumberType type;
    std::string country;
  };
  std::vector<Generated> numbers;
  auto accept = [&](const std::string& e164) { return seen.insert(e164).second; };
  // Each (country, type) bucket draws from several bases so large inventories stay valid.
  for (std::size_t round = 0; numbers.size() < count && round < 50; ++round) {
    for (const auto& country : countries) {
      for (std::size_t t = 0; t < types.size() && numbers.size() < count; ++t) {
        std::size_t wanted = static_cast<std::size_t>(double(count) * type_share[t] / double(countries.size())) / 4 + 1;
        std::string base;
        if (round > 0) {
          auto seed_numbers = numctl::generate_numbers(country, types[t], "", "", [](const std::string&) { return true; }, 1, 1000);
          if (seed_numbers.empty()) continue;
          base = numctl::national_significant_digits(seed_numbers.front());
          // Vary a digit in the middle of the base per round to reach fresh ranges.
          if (base.size() > 6) base[base.size() - 6] = static_cast<char>('0' + (round % 10));
        }
        for (const auto& e164 : numctl::generate_numbers(country, types[t], base, "", accept,
                                                         std::min(wanted, count - numbers.size()), wanted * 4))
          numbers.push_back({e164, types[t], country});
      }
    }
  }
  std::shuffle(numbers.begin(), numbers.end(), random);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::printf(with_country ? "number,country,type,status,team\n" : "number,type,status,team\n");
  for (const auto& [e164, type, country] : numbers) {
    double s = unit(random);
    const char* status = s < 0.85 ? "active" : s < 0.90 ? "pending" : s < 0.93 ? "high_risk" : "to_be_cancelled";
    std::string team = unit(random) < 0.30 ? "" : "Team" + std::to_string(random() % 40);
    if (with_country) std::printf("%s,%s,", e164.c_str(), country.c_str());
    else std::printf("%s,", e164.c_str());
    std::printf("%s,%s,%s\n", std::string(numctl::to_string(type)).c_str(), status, team.c_str());
  }
  if (numbers.size() < count) std::fprintf(stderr, "generated %zu of %zu numbers\n", numbers.size(), count);
  return 0;
}
