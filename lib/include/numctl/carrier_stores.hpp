// The store's roles for what numctl builds at carriers and keeps here: compliance profiles and
// their files, port-in orders and port-out requests, emergency addresses and the team defaults
// naming them. Part of Store (store.hpp); each engine implements them beside the others.
#pragma once

#include "numctl/compliance.hpp"
#include "numctl/domain.hpp"
#include "numctl/emergency.hpp"
#include "numctl/porting.hpp"
#include "numctl/query.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numctl {

// Compliance profiles built at a carrier, their files, and the carrier's regulations as read.
class ComplianceStore {
 public:
  virtual ~ComplianceStore() = default;

  // By name, case-insensitive.
  virtual std::optional<ComplianceProfile> find_profile(std::string_view name) = 0;
  virtual std::optional<ComplianceProfile> find_profile(std::int64_t id) = 0;
  // Every profile, by name.
  virtual std::vector<ComplianceProfile> profiles() = 0;
  // Adds (id 0: sets profile.id) or updates a profile; adding false, nothing written, when the
  // name is taken.
  virtual bool save_profile(ComplianceProfile& profile) = 0;
  virtual std::int64_t add_profile_document(std::int64_t profile_id, const ProfileDocument& info, const std::string& content) = 0;
  virtual std::vector<ProfileDocument> profile_documents(std::int64_t profile_id) = 0;
  virtual std::optional<std::string> profile_document_content(std::int64_t document_id) = 0;
  // Numbers whose order used the profile, by number.
  virtual std::vector<NumberRecord> numbers_using(const std::string& profile) = 0;
  // A carrier's regulations for a country and type as last read (JSON), with the time read.
  virtual std::optional<std::pair<std::string, std::string>> cached_regulations(const std::string& provider,
                                                                                const std::string& country,
                                                                                std::string_view type) = 0;
  virtual void cache_regulations(const std::string& provider, const std::string& country, std::string_view type,
                                 const std::string& body, const std::string& read_at) = 0;
};

// Port-in orders (their numbers and files) and the carrier's port-out requests as last read.
class PortStore {
 public:
  virtual ~PortStore() = default;

  virtual std::optional<PortOrder> find_port(std::int64_t id) = 0;
  // Every order (only those still moving when open_only), oldest first.
  virtual std::vector<PortOrder> port_orders(bool open_only) = 0;
  // Adds (id 0: sets order.id) or updates an order and replaces the list of its numbers.
  virtual void save_port(PortOrder& order) = 0;
  // The letter of authorization ("loa") or the invoice of an order, as stored.
  virtual std::optional<std::string> port_file(std::int64_t id, std::string_view kind) = 0;
  virtual void set_port_file(std::int64_t id, std::string_view kind, const std::string& filename, const std::string& content) = 0;
  // The newest order naming the number.
  virtual std::optional<std::int64_t> port_of(const std::string& e164) = 0;
  // Port-out requests as last read, by id; replaced one by one.
  virtual std::vector<PortOut> port_outs() = 0;
  virtual void save_port_out(const PortOut& request) = 0;
};

// Emergency addresses, the team defaults naming them, and the counts of the gap report.
class EmergencyStore {
 public:
  virtual ~EmergencyStore() = default;

  // By name, case-insensitive.
  virtual std::optional<Address> find_address(std::string_view name) = 0;
  // Every address, by name.
  virtual std::vector<Address> addresses() = 0;
  // Adds (id 0: sets address.id) or updates an address; adding is false, nothing written, when
  // the name is taken.
  virtual bool save_address(Address& address) = 0;
  virtual void remove_address(std::int64_t id) = 0;
  // What names the address: (numbers, teams).
  virtual std::pair<std::int64_t, std::int64_t> address_users(const std::string& name) = 0;
  virtual std::optional<std::string> team_address(std::int64_t team_id) = 0;
  virtual void set_team_address(std::int64_t team_id, const std::optional<std::string>& name) = 0;
  // The numbers `scope` selects, counted by their registration's status (none included), from
  // the indexes: those with an address are few and indexed apart.
  virtual std::vector<std::pair<EmergencyStatus, std::int64_t>> emergency_counts(const Filter& scope) = 0;
};

}  // namespace numctl
